/** IAM's state (one per account) and the helpers every IAM resource file shares. */
import { wholeSecond } from "../core/time.js";
import { createHash, randomBytes } from "node:crypto";
import { partitionOf } from "../core/arn.js";
import type { Ctx, Handler } from "../core/types.js";
import type { DelegationRec } from "./delegation.js";
import { E } from "./errors.js";

export type Input = Record<string, any>;
export type Tag = { Key: string; Value: string };

export interface PolicyVersion {
  id: string;
  doc: string;
  created: Date;
}
export interface Policy {
  name: string;
  path: string;
  arn: string;
  id: string;
  description?: string;
  created: Date;
  updated: Date;
  versions: PolicyVersion[];
  defaultVersion: string;
  nextVersion: number;
  tags: Tag[];
  aws: boolean;
}
/** What users, groups and roles share: inline policies, attached managed policies. */
export interface Holder {
  /** Access advisor: service namespace → when and where this entity last authenticated to it. */
  access?: Map<string, { date: Date; region: string }>;
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  inline: Map<string, string>;
  attached: Set<string>;
}
export interface Role extends Holder {
  trust: string;
  description?: string;
  maxSession: number;
  tags: Tag[];
  boundary?: string;
  lastUsed?: { date: Date; region: string };
  /** Service-linked roles: the service principal that owns them. */
  service?: string;
}
export interface AccessKey {
  id: string;
  secret: string;
  status: string;
  created: Date;
  lastUsed?: { date: Date; region: string; service: string };
}
export interface SshKey {
  id: string;
  body: string;
  fingerprint: string;
  status: string;
  uploaded: Date;
}
export interface ServiceCredential {
  id: string;
  service: string;
  userName: string;
  password: string;
  status: string;
  created: Date;
  expires?: Date;
}
export interface SigningCert {
  id: string;
  body: string;
  status: string;
  uploaded: Date;
}
export interface User extends Holder {
  tags: Tag[];
  boundary?: string;
  keys: AccessKey[];
  login?: { created: Date; password: string; resetRequired: boolean };
  passwordLastUsed?: Date;
  mfa: string[];
  ssh: SshKey[];
  serviceCreds: ServiceCredential[];
  certs: SigningCert[];
}
export interface Group extends Holder {
  users: Set<string>;
}
export interface Profile {
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  roles: string[];
  tags: Tag[];
}
export interface MfaDevice {
  serial: string;
  seed: string;
  user?: string;
  enabled?: Date;
  tags: Tag[];
}
export interface ServerCert {
  name: string;
  path: string;
  arn: string;
  id: string;
  body: string;
  chain?: string;
  uploaded: Date;
  expiration?: Date;
  tags: Tag[];
}
export interface OidcProvider {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  created: Date;
  tags: Tag[];
}
export interface SamlProvider {
  arn: string;
  name: string;
  uuid: string;
  metadata: string;
  created: Date;
  validUntil: Date;
  tags: Tag[];
  encryptionMode?: string;
  privateKeys: Array<{ KeyId: string; Timestamp: Date }>;
}
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export interface IamState {
  accountId: string;
  partition: string;
  roles: Map<string, Role>;
  policies: Map<string, Policy>;
  users: Map<string, User>;
  groups: Map<string, Group>;
  profiles: Map<string, Profile>;
  mfa: Map<string, MfaDevice>;
  serverCerts: Map<string, ServerCert>;
  oidc: Map<string, OidcProvider>;
  saml: Map<string, SamlProvider>;
  alias?: string;
  passwordPolicy?: PasswordPolicy;
  report?: { generated: Date; csv: string };
  /** The account root's own access keys and signing certificates. */
  rootKeys: AccessKey[];
  rootCerts: SigningCert[];
  /** Access key id → user name ("" for the root): the index identify() answers from. */
  keyIndex: Map<string, string>;
  /** Access advisor reports (GenerateServiceLastAccessedDetails). */
  accessJobs: Map<string, { arn: string; granularity: string; created: Date }>;
  /** SetSecurityTokenServicePreferences. */
  tokenVersion: 1 | 2;
  /** Outbound web identity federation: the issuer and its signing keys. */
  /** Outbound web identity federation: the issuer and its signing keys (PKCS#8 PEM, plain data). */
  outbound?: { issuer: string; rsa: string; ec: string; kid: string };
  /** Delegation requests this account created (delegation.ts); created on first use. */
  delegations?: Map<string, DelegationRec>;
  /** Service-linked role deletion tasks. */
  deletions: Map<string, { status: string; reason?: { Reason: string } }>;
  created: Date;
}

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** IAM unique ids: a 4-letter prefix (AROA, AIDA, ANPA, AGPA, AIPA, ASCA, APKA) and 17 base32 characters. */
export const iamId = (prefix: string, n = 17) => prefix + Array.from(randomBytes(n), (b) => CHARS[b % 32]).join("");
/** RFC 3986 encoding, as IAM returns policy documents. */
export const enc = (doc: string) => encodeURIComponent(doc).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
export const st = (ctx: Ctx) => ctx.state<IamState>();
export const str = (x: unknown): string | undefined => (x === undefined || x === null ? undefined : String(x));
export const bool = (x: unknown): boolean => x === true || x === "true";
export const num = (x: unknown): number | undefined => (x === undefined || x === null || x === "" ? undefined : Number(x));
export const list = <T = string>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : x && typeof x === "object" ? (Object.values(x) as T[]) : []);
export const sha1hex = (s: string) => createHash("sha1").update(s).digest("hex");

/** The name of the resource in an ARN-ish path: arn:aws:iam::123:role/a/b/name → name. */
export const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

export function iamArn(s: IamState, type: string, path: string, name: string): string {
  return `arn:${s.partition}:iam::${s.accountId}:${type}${path}${name}`;
}

/**
 * Marker / MaxItems pagination, IAM's way (the model bounds MaxItems to 1..1000). The Marker names the last
 * item returned by its key, so the list is walked in key order: a page resumes right after that item even
 * when the caller's order differs (access keys created in the same millisecond, credentials by random id).
 */
export function page<T>(unordered: T[], v: Input, key: (t: T) => string, defaultMax = 100) {
  const max = num(v.MaxItems) ?? defaultMax;
  const items = sortBy([...unordered], key);
  let start = 0;
  if (v.Marker) {
    // A marker this server did not hand out is AWS's "Invalid Marker." (recorded), not a silent restart.
    const text = Buffer.from(String(v.Marker), "base64url").toString();
    if (!text.startsWith(MARKER_PREFIX) || Buffer.from(text).toString("base64url") !== String(v.Marker)) throw E.validation("Invalid Marker.");
    const after = text.slice(MARKER_PREFIX.length);
    start = items.findIndex((x) => key(x) > after);
    if (start < 0) start = items.length;
  }
  const out = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: out, IsTruncated: more, Marker: more ? Buffer.from(MARKER_PREFIX + key(out[out.length - 1]!)).toString("base64url") : undefined };
}

const MARKER_PREFIX = "iam-marker:";

export const sortBy = <T>(xs: T[], key: (t: T) => string) => xs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export const byName = <T extends { name: string; path: string }>(m: Map<string, T>, prefix?: string) =>
  sortBy(
    [...m.values()].filter((x) => !prefix || x.path.startsWith(prefix)),
    (x) => x.name,
  );

/** Tags from input, with IAM's rules: keys unique case-insensitively. */
/**
 * The tags a request carries. Keys compare case-insensitively for users, roles and most resources;
 * managed policies keep "a" and "A" apart (recorded from AWS), and word the duplicate error without the note.
 */
export function tagsIn(v: Input, field = "Tags", caseSensitive = false): Tag[] {
  const tags = list<Input>(v[field]).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? "") }));
  const seen = new Set<string>();
  for (const t of tags) {
    const k = caseSensitive ? t.Key : t.Key.toLowerCase();
    if (seen.has(k))
      throw E.invalidInput(caseSensitive ? "Duplicate tag keys found." : "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(k);
  }
  return tags;
}

const sameKey = (a: string, b: string, caseSensitive: boolean) => (caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase());

/** Merge tags into a resource's (keys compare case-insensitively unless told; the newest spelling wins); at most 50. */
export function applyTags(existing: Tag[], add: Tag[], quota: string, caseSensitive = false, max = 50): Tag[] {
  const out = existing.filter((t) => !add.some((a) => sameKey(a.Key, t.Key, caseSensitive)));
  out.push(...add);
  if (out.length > max) throw E.limit(`Cannot exceed quota for ${quota}: 50`);
  return out;
}

export function removeTags(existing: Tag[], keys: unknown, caseSensitive = false): Tag[] {
  const drop = list<string>(keys).map(String);
  return existing.filter((t) => !drop.some((k) => sameKey(k, t.Key, caseSensitive)));
}

/** TagX / UntagX / ListXTags for one taggable IAM resource kind, named by the input member that names it. */
export function taggingOps(noun: string, member: string, quota: string, get: (s: IamState, ref: string) => { tags: Tag[] }): Record<string, Handler> {
  return {
    [`Tag${noun}`]: (ctx, v) => {
      const r = get(st(ctx), String(v[member]));
      r.tags = applyTags(r.tags, tagsIn(v), quota);
      return {};
    },
    [`Untag${noun}`]: (ctx, v) => {
      const r = get(st(ctx), String(v[member]));
      r.tags = removeTags(r.tags, v.TagKeys);
      return {};
    },
    [`List${noun}Tags`]: (ctx, v) => listTags(get(st(ctx), String(v[member])).tags, v),
  };
}

export const tagsOut = (tags: Tag[]) => (tags.length ? tags : undefined);

/** ListXTags: the whole list paginated by key order of insertion. */
export function listTags(tags: Tag[], v: Input) {
  const indexed = tags.map((t, i) => ({ t, k: String(i).padStart(4, "0") }));
  const p = page(indexed, v, (x) => x.k);
  return { Tags: p.items.map((x) => x.t), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

// ---------------------------------------------------------------- AWS managed policies

const MANAGED: Array<[string, string, unknown]> = [
  ["/", "AdministratorAccess", "*"],
  ["/job-function/", "ViewOnlyAccess", ["*:List*", "*:Describe*", "*:Get*"]],
  ["/", "PowerUserAccess", "*"],
  ["/", "ReadOnlyAccess", ["*:Describe*", "*:Get*", "*:List*"]],
  ["/", "IAMFullAccess", "iam:*"],
  ["/", "IAMReadOnlyAccess", ["iam:Get*", "iam:List*", "iam:Generate*", "iam:Simulate*"]],
  ["/", "AmazonS3FullAccess", ["s3:*", "s3-object-lambda:*"]],
  ["/", "AmazonS3ReadOnlyAccess", ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"]],
  ["/", "AmazonEC2FullAccess", "ec2:*"],
  ["/", "AmazonEC2ReadOnlyAccess", "ec2:Describe*"],
  ["/", "AmazonECS_FullAccess", "ecs:*"],
  ["/", "CloudWatchLogsFullAccess", "logs:*"],
  [
    "/",
    "CloudWatchLogsReadOnlyAccess",
    ["logs:Describe*", "logs:Get*", "logs:List*", "logs:StartQuery", "logs:StopQuery", "logs:TestMetricFilter", "logs:FilterLogEvents"],
  ],
  ["/", "AmazonDynamoDBFullAccess", "dynamodb:*"],
  ["/", "AmazonSQSFullAccess", "sqs:*"],
  ["/", "AmazonSNSFullAccess", "sns:*"],
  ["/", "AWSLambda_FullAccess", "lambda:*"],
  ["/", "AWSLambda_ReadOnlyAccess", ["lambda:Get*", "lambda:List*"]],
  [
    "/service-role/",
    "AmazonECSTaskExecutionRolePolicy",
    [
      "ecr:GetAuthorizationToken",
      "ecr:BatchCheckLayerAvailability",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchGetImage",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ],
  ],
  ["/service-role/", "AWSLambdaBasicExecutionRole", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]],
  [
    "/service-role/",
    "AWSLambdaVPCAccessExecutionRole",
    [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DeleteNetworkInterface",
    ],
  ],
  [
    "/service-role/",
    "AmazonEC2ContainerServiceforEC2Role",
    ["ecs:*", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"],
  ],
  ["/", "AmazonSSMManagedInstanceCore", ["ssm:*", "ssmmessages:*", "ec2messages:*"]],
  [
    "/",
    "AmazonEC2ContainerRegistryReadOnly",
    [
      "ecr:GetAuthorizationToken",
      "ecr:BatchCheckLayerAvailability",
      "ecr:GetDownloadUrlForLayer",
      "ecr:GetRepositoryPolicy",
      "ecr:DescribeRepositories",
      "ecr:ListImages",
      "ecr:DescribeImages",
      "ecr:BatchGetImage",
    ],
  ],
  ["/", "AmazonEC2ContainerRegistryFullAccess", "ecr:*"],
  [
    "/",
    "AmazonElasticFileSystemClientReadWriteAccess",
    ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:DescribeMountTargets"],
  ],
  ["/", "AmazonElasticFileSystemFullAccess", "elasticfilesystem:*"],
  ["/", "AWSCloudMapFullAccess", "servicediscovery:*"],
  // Commonly attached by infrastructure code (EKS node groups, Lambda event sources, X-Ray, CloudWatch agent).
  // Documents and versions as AWS's managed policy reference shows them, except AWSLambdaSQSQueueExecutionRole,
  // CloudWatchAgentServerPolicy and AmazonSSMReadOnlyAccess (their action lists as commonly known, not checked there).
  ["/", "AmazonEKSClusterPolicy", undefined],
  ["/", "AmazonEKSWorkerNodePolicy", undefined],
  ["/", "AmazonEKS_CNI_Policy", undefined],
  ["/service-role/", "AWSLambdaRole", undefined],
  [
    "/service-role/",
    "AWSLambdaSQSQueueExecutionRole",
    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
  ],
  [
    "/service-role/",
    "AWSLambdaDynamoDBExecutionRole",
    [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ],
  ],
  [
    "/service-role/",
    "AWSLambdaKinesisExecutionRole",
    [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
      "kinesis:ListStreams",
      "kinesis:SubscribeToShard",
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ],
  ],
  [
    "/service-role/",
    "AmazonAPIGatewayPushToCloudWatchLogs",
    [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "logs:GetLogEvents",
      "logs:FilterLogEvents",
    ],
  ],
  ["/", "AWSXRayDaemonWriteAccess", undefined],
  ["/", "CloudWatchAgentServerPolicy", undefined],
  ["/", "AWSXrayWriteOnlyAccess", undefined],
  ["/", "AmazonSSMReadOnlyAccess", ["ssm:Describe*", "ssm:Get*", "ssm:List*"]],
  ["/", "AmazonKinesisFullAccess", "kinesis:*"],
  ["/", "AmazonSQSReadOnlyAccess", undefined],
  ["/service-role/", "AmazonElasticMapReduceRole", undefined],
  ["/service-role/", "AmazonElasticMapReduceforEC2Role", undefined],
  ["/service-role/", "AWSControlTowerServiceRolePolicy", undefined],
  // The part of AWS's (very long) document that concerns the services awsim simulates: configuration
  // metadata only, no object, secret or log event reads.
  [
    "/",
    "SecurityAudit",
    [
      "*:Describe*",
      "*:List*",
      "iam:Get*",
      "iam:GenerateCredentialReport",
      "iam:GenerateServiceLastAccessedDetails",
      "iam:SimulateCustomPolicy",
      "iam:SimulatePrincipalPolicy",
      "s3:GetAccountPublicAccessBlock",
      "s3:GetBucket*",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "lambda:GetAccountSettings",
      "lambda:GetFunctionConfiguration",
      "lambda:GetLayerVersionPolicy",
      "lambda:GetPolicy",
      "ecr:GetRepositoryPolicy",
      "ecr:GetLifecyclePolicy",
      "sts:GetCallerIdentity",
    ],
  ],
];

const XRAY_WRITE = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
];

/**
 * What AWS records for some managed policies beyond their current document: the description, earlier
 * versions (oldest first; the catalog document is the newest) and the default version's id.
 */
const MANAGED_DETAILS: Record<string, { description?: string; earlier?: unknown[]; defaultVersion?: string; statements?: unknown[] }> = {
  AmazonS3FullAccess: { earlier: [[{ Effect: "Allow", Action: "s3:*", Resource: "*" }]] },
  SecurityAudit: {
    description:
      "The security audit template grants access to read security configuration metadata. It is useful for software that audits the configuration of an AWS account.",
  },
  // AWS's managed policy reference (v12): everything but IAM, Organizations and Account management.
  PowerUserAccess: {
    description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
    defaultVersion: "v12",
    statements: [
      { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
      {
        Effect: "Allow",
        Action: [
          "account:GetAccountInformation",
          "account:GetGovCloudAccountInformation",
          "account:GetPrimaryEmail",
          "account:ListRegions",
          "iam:CreateServiceLinkedRole",
          "iam:DeleteServiceLinkedRole",
          "iam:ListRoles",
          "organizations:DescribeEffectivePolicy",
          "organizations:DescribeOrganization",
        ],
        Resource: "*",
      },
    ],
  },
  // AWS's managed policy reference (documents as published there).
  AmazonEKSWorkerNodePolicy: {
    description: "This policy allows Amazon EKS worker nodes to connect to Amazon EKS Clusters.",
    defaultVersion: "v3",
    statements: [
      {
        Sid: "WorkerNodePermissions",
        Effect: "Allow",
        Action: [
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeRouteTables",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVolumes",
          "ec2:DescribeVolumesModifications",
          "ec2:DescribeVpcs",
          "eks:DescribeCluster",
          "eks-auth:AssumeRoleForPodIdentity",
        ],
        Resource: "*",
      },
    ],
  },
  AmazonEKS_CNI_Policy: {
    defaultVersion: "v5",
    statements: [
      {
        Sid: "AmazonEKSCNIPolicy",
        Effect: "Allow",
        Action: [
          "ec2:AssignPrivateIpAddresses",
          "ec2:AttachNetworkInterface",
          "ec2:CreateNetworkInterface",
          "ec2:DeleteNetworkInterface",
          "ec2:DescribeInstances",
          "ec2:DescribeTags",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeSubnets",
          "ec2:DetachNetworkInterface",
          "ec2:ModifyNetworkInterfaceAttribute",
          "ec2:UnassignPrivateIpAddresses",
        ],
        Resource: "*",
      },
      { Sid: "AmazonEKSCNIPolicyENITag", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: ["arn:aws:ec2:*:*:network-interface/*"] },
    ],
  },
  // The part of AWS's (long) document that concerns the services awsim simulates.
  AmazonEKSClusterPolicy: {
    statements: [
      {
        Sid: "AmazonEKSClusterPolicy",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:UpdateAutoScalingGroup",
          "ec2:AttachVolume",
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:CreateRoute",
          "ec2:CreateSecurityGroup",
          "ec2:CreateTags",
          "ec2:CreateVolume",
          "ec2:DeleteRoute",
          "ec2:DeleteSecurityGroup",
          "ec2:DeleteVolume",
          "ec2:DescribeInstances",
          "ec2:DescribeRouteTables",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVolumes",
          "ec2:DescribeVolumesModifications",
          "ec2:DescribeVpcs",
          "ec2:DescribeDhcpOptions",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeAvailabilityZones",
          "ec2:DetachVolume",
          "ec2:ModifyInstanceAttribute",
          "ec2:ModifyVolume",
          "ec2:RevokeSecurityGroupIngress",
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeInstanceTopology",
        ],
        Resource: "*",
      },
    ],
  },
  CloudWatchAgentServerPolicy: {
    description: "Permissions required to use AmazonCloudWatchAgent on servers",
    statements: [
      {
        Sid: "CWACloudWatchServerPermissions",
        Effect: "Allow",
        Action: [
          "cloudwatch:PutMetricData",
          "ec2:DescribeVolumes",
          "ec2:DescribeTags",
          "logs:PutLogEvents",
          "logs:PutRetentionPolicy",
          "logs:DescribeLogStreams",
          "logs:DescribeLogGroups",
          "logs:CreateLogStream",
          "logs:CreateLogGroup",
        ],
        Resource: "*",
      },
      { Sid: "CWASSMServerPermissions", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*" },
    ],
  },
  // Parts of AWS's (long) EMR documents, as its managed policy reference shows them.
  AmazonElasticMapReduceRole: {
    description:
      "This policy is on a deprecation path. See documentation for guidance: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html. Default policy for the Amazon Elastic MapReduce service role.",
    defaultVersion: "v10",
    statements: [
      {
        Effect: "Allow",
        Resource: "*",
        Action: [
          "ec2:AuthorizeSecurityGroupEgress",
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:CancelSpotInstanceRequests",
          "ec2:CreateFleet",
          "ec2:CreateLaunchTemplate",
          "ec2:CreateNetworkInterface",
          "ec2:CreateSecurityGroup",
          "ec2:CreateTags",
          "ec2:DeleteLaunchTemplate",
          "ec2:DeleteNetworkInterface",
          "ec2:DeleteSecurityGroup",
          "ec2:DeleteTags",
          "ec2:DescribeAvailabilityZones",
        ],
      },
    ],
  },
  AmazonElasticMapReduceforEC2Role: {
    description: "Default policy for the Amazon Elastic MapReduce for EC2 service role.",
    defaultVersion: "v3",
    statements: [
      {
        Effect: "Allow",
        Resource: "*",
        Action: [
          "cloudwatch:*",
          "dynamodb:*",
          "ec2:Describe*",
          "elasticmapreduce:Describe*",
          "elasticmapreduce:ListBootstrapActions",
          "elasticmapreduce:ListClusters",
          "elasticmapreduce:ListInstanceGroups",
          "elasticmapreduce:ListInstances",
          "elasticmapreduce:ListSteps",
          "kinesis:CreateStream",
          "kinesis:DeleteStream",
          "kinesis:DescribeStream",
          "kinesis:GetRecords",
          "kinesis:GetShardIterator",
          "kinesis:MergeShards",
          "kinesis:PutRecord",
          "kinesis:SplitShard",
          "rds:Describe*",
          "s3:*",
          "sdb:*",
          "sns:*",
          "sqs:*",
        ],
      },
    ],
  },
  // The first statement of AWS's (long) document.
  AWSControlTowerServiceRolePolicy: {
    description: "Provides access to AWS Resources managed or used by AWS Control Tower",
    defaultVersion: "v20",
    statements: [
      {
        Effect: "Allow",
        Action: [
          "cloudformation:CreateStack",
          "cloudformation:CreateStackInstances",
          "cloudformation:CreateStackSet",
          "cloudformation:DeleteStack",
          "cloudformation:DeleteStackInstances",
          "cloudformation:DeleteStackSet",
          "cloudformation:DescribeStackInstance",
          "cloudformation:DescribeStacks",
          "cloudformation:DescribeStackSet",
          "cloudformation:DescribeStackSetOperation",
          "cloudformation:ListStackInstances",
          "cloudformation:UpdateStack",
          "cloudformation:UpdateStackInstances",
          "cloudformation:UpdateStackSet",
        ],
        Resource: ["arn:aws:cloudformation:*:*:type/resource/AWS-IAM-Role"],
      },
    ],
  },
  AWSLambdaKinesisExecutionRole: {
    description: "Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.",
    defaultVersion: "v2",
  },
  AWSLambdaDynamoDBExecutionRole: { description: "Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs." },
  AmazonKinesisFullAccess: { description: "Provides full access to all streams via the AWS Management Console." },
  AmazonAPIGatewayPushToCloudWatchLogs: { description: "Allows API Gateway to push logs to user's account." },
  AWSLambdaRole: {
    description: "Default policy for AWS Lambda service role.",
    statements: [{ Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: ["*"] }],
  },
  AWSXRayDaemonWriteAccess: {
    description:
      "Allow the AWS X-Ray Daemon to relay raw trace segments data to the service's API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.",
    defaultVersion: "v2",
    statements: [{ Sid: "AWSXRayDaemonWriteAccess", Effect: "Allow", Action: XRAY_WRITE, Resource: ["*"] }],
  },
  AWSXrayWriteOnlyAccess: {
    description: "AWS X-Ray write only managed policy",
    defaultVersion: "v2",
    statements: [{ Effect: "Allow", Action: XRAY_WRITE, Resource: ["*"] }],
  },
  AmazonSQSReadOnlyAccess: {
    description: "Provides read only access to Amazon SQS via the AWS Management Console.",
    defaultVersion: "v4",
    statements: [
      {
        Sid: "AmazonSQSReadOnlyAccess",
        Effect: "Allow",
        Action: [
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
          "sqs:ListDeadLetterSourceQueues",
          "sqs:ListQueues",
          "sqs:ListMessageMoveTasks",
          "sqs:ListQueueTags",
        ],
        Resource: "*",
      },
    ],
  },
  IAMUserChangePassword: {
    description: "Provides the ability for an IAM user to change their own password.",
    defaultVersion: "v5",
    statements: [
      { Effect: "Allow", Action: ["iam:ChangePassword"], Resource: ["arn:aws:iam::*:user/${aws:username}"] },
      { Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy"], Resource: "*" },
    ],
  },
};

export function createState(accountId: string, region: string): IamState {
  const partition = partitionOf(region);
  const s: IamState = {
    accountId,
    partition,
    roles: new Map(),
    policies: new Map(),
    users: new Map(),
    groups: new Map(),
    profiles: new Map(),
    mfa: new Map(),
    serverCerts: new Map(),
    oidc: new Map(),
    saml: new Map(),
    keyIndex: new Map(),
    rootKeys: [],
    rootCerts: [],
    deletions: new Map(),
    accessJobs: new Map(),
    tokenVersion: 1,
    created: wholeSecond(),
  };
  const created = new Date("2015-02-06T18:39:46Z");
  const managed: Array<[string, string, unknown]> = [...MANAGED, ["/", "IAMUserChangePassword", undefined]];
  for (const [path, name, action] of managed) {
    const arn = `arn:${partition}:iam::aws:policy${path}${name}`;
    const details = MANAGED_DETAILS[name] ?? {};
    const doc = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });
    const docs = [...(details.earlier ?? []), details.statements ?? [{ Effect: "Allow", Action: action, Resource: "*" }]].map(doc);
    // Versions count up to the default one (the newest document); AWS keeps only the ones listed here.
    const last = Number((details.defaultVersion ?? `v${docs.length}`).slice(1));
    const versions = docs.map((d, i) => ({ id: `v${last - docs.length + 1 + i}`, doc: d, created }));
    s.policies.set(arn, {
      name,
      path,
      arn,
      // Stable per ARN, in IAM's id alphabet (base32: no 0, 1, 8 or 9).
      id: `ANPA${Array.from(createHash("sha1").update(arn).digest().subarray(0, 17), (b) => CHARS[b % 32]).join("")}`,
      description: details.description,
      created,
      updated: created,
      versions,
      defaultVersion: `v${last}`,
      nextVersion: last + 1,
      tags: [],
      aws: true,
    });
  }
  return s;
}

// ---------------------------------------------------------------- access key ids that carry their account

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * AKIA/ASIA ids in AWS's current format: 16 base32 characters whose first 6 bytes hold the account id
 * shifted left by 7 bits, so GetAccessKeyInfo can answer for any key (as AWS does).
 */
export function accountKeyId(prefix: "AKIA" | "ASIA", accountId: string): string {
  const bytes = randomBytes(10);
  const acct = /^\d{12}$/.test(accountId) ? BigInt(accountId) : 0n;
  const z = (acct << 7n) | BigInt(bytes[5]! & 0x7f);
  for (let i = 0; i < 6; i++) bytes[i] = Number((z >> BigInt(8 * (5 - i))) & 0xffn);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return prefix + out;
}

/** The account an AKIA/ASIA id of the current format belongs to. */
export function accountOfKeyId(id: string): string | undefined {
  if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(id)) return undefined;
  let z = 0n;
  let bits = 0;
  for (const c of id.slice(4, 14)) {
    z = (z << 5n) | BigInt(B32.indexOf(c));
    bits += 5;
  }
  z >>= BigInt(bits - 48);
  return String((z & 0x7fffffffff80n) >> 7n).padStart(12, "0");
}

/** Record that an entity authenticated to a service (access advisor). */
export function recordAccess(h: Holder, service: string, region: string, at: Date) {
  if (!h.access) h.access = new Map();
  h.access.set(service, { date: at, region });
}
