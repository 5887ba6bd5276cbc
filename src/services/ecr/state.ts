/** ECR state per account+region, the shared lookups and the output views. */
import { type Hash, randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx, SimHandle } from "../core/types.js";

export type Input = Record<string, any>;
export type Tag = { Key: string; Value: string };
export type ImageId = { imageDigest?: string; imageTag?: string };
export type WildcardFilter = { filter: string; filterType: string };

export interface Image {
  digest: string;
  tags: string[];
  manifest: string;
  mediaType: string;
  artifactMediaType?: string;
  /** OCI `subject` (the image this artifact refers to) and its artifact type. */
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
  /** Layer and config digests the manifest references (child manifests for an index). */
  blobs: string[];
  children: string[];
  pushedAt: Date;
  size: number;
  status: "ACTIVE" | "ARCHIVED";
  lastArchivedAt?: Date;
  lastActivatedAt?: Date;
  lastPull?: Date;
  scan?: { status: string; description: string; completedAt: Date };
  replicated?: Array<{ region: string; registryId: string; status: string; failureCode?: string }>;
  /** Managed signing: one job per signing profile whose rule matched the repository when the image was pushed. */
  signing?: Array<{ signingProfileArn: string; startedAt: Date }>;
}

export interface Repo {
  name: string;
  arn: string;
  uri: string;
  created: Date;
  mutability: string;
  exclusions: WildcardFilter[];
  scanOnPush: boolean;
  encryption: { encryptionType: string; kmsKey?: string };
  tags: Tag[];
  images: Map<string, Image>;
  /** tag → digest */
  tagIndex: Map<string, string>;
  lifecycle?: string;
  lifecycleEvaluatedAt?: Date;
  /** When the policy was put or last applied: ECR applies it once a day after that. */
  lifecycleSince?: Date;
  preview?: { text: string; status: string; results: PreviewResult[] };
  policy?: string;
  /** layer digest → size, what BatchCheckLayerAvailability answers for this repository */
  layers: Map<string, { size: number; mediaType?: string }>;
}

export interface PreviewResult {
  imageTags?: string[];
  imageDigest: string;
  imagePushedAt: Date;
  action: { type: string; targetStorageClass?: string };
  appliedRulePriority: number;
  storageClass: string;
}

export interface Upload {
  id: string;
  repo: string;
  /** The file the upload is written to, and the hash of what it holds. */
  path: string;
  size: number;
  hash: Hash;
  /** UploadLayerPart: the size of the last part received, and whether a part before it was under 5 MiB. */
  lastPart?: number;
  smallPart?: boolean;
}

export interface PtcRule {
  ecrRepositoryPrefix: string;
  upstreamRegistryUrl: string;
  upstreamRegistry: string;
  credentialArn?: string;
  customRoleArn?: string;
  upstreamRepositoryPrefix?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Template {
  prefix: string;
  description?: string;
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
  resourceTags?: Tag[];
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: WildcardFilter[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor: string[];
  customRoleArn?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface EcrState {
  accountId: string;
  region: string;
  sim: SimHandle;
  repos: Map<string, Repo>;
  /** Content store of the registry: digest → file (layers, configs, anything pushed as a blob). */
  blobs: Map<string, { path: string; size: number }>;
  blobDir?: string;
  ownsBlobDir?: boolean;
  uploads: Map<string, Upload>;
  registryPolicy?: string;
  scanning: { scanType: string; rules: Array<{ scanFrequency: string; repositoryFilters: WildcardFilter[] }> };
  replication: { rules: Array<{ destinations: Array<{ region: string; registryId: string }>; repositoryFilters?: WildcardFilter[] }> };
  ptc: Map<string, PtcRule>;
  templates: Map<string, Template>;
  settings: Map<string, string>;
  signing?: { rules: Array<{ signingProfileArn: string; repositoryFilters?: WildcardFilter[] }> };
  pullExclusions: Map<string, Date>;
  /** Passwords issued by GetAuthorizationToken (and download URLs) → expiry; the registry endpoint accepts them. */
  tokens: Map<string, number>;
  /** The IAM identity (user or role session ARN) a token was issued to, when not the account's root. */
  tokenHolders?: Map<string, string>;
  /** The registry's clock runs this far ahead of real time (POST /_awsim/clock/advance). */
  clockOffsetMs: number;
}

export function createEcrState({ accountId, region, sim }: { accountId: string; region: string; sim: SimHandle }): EcrState {
  return {
    accountId,
    region,
    sim,
    repos: new Map(),
    blobs: new Map(),
    uploads: new Map(),
    scanning: { scanType: "BASIC", rules: [] },
    replication: { rules: [] },
    ptc: new Map(),
    templates: new Map(),
    settings: new Map(),
    pullExclusions: new Map(),
    tokens: new Map(),
    clockOffsetMs: 0,
  };
}

export const st = (ctx: Ctx) => ctx.state<EcrState>();
export const err = (code: string, m: string, status = 400) => new AwsError(code, m, status);
export const invalid = (m: string) => err("InvalidParameterException", m);
export const tokenOpts = { invalidToken: () => invalid("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid nextToken'") };

/** AWS's text for an image id in messages: {imageDigest:'…', imageTag:'…'}. */
export const idText = (id: ImageId) => `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;

export function getRepo(s: EcrState, name: unknown): Repo {
  const r = s.repos.get(String(name));
  if (!r) throw err("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${s.accountId}'`);
  return r;
}

export function findImage(r: Repo, id: ImageId): Image | undefined {
  if (id.imageDigest) {
    const i = r.images.get(id.imageDigest);
    return i && (!id.imageTag || i.tags.includes(id.imageTag)) ? i : undefined;
  }
  const d = id.imageTag === undefined ? undefined : r.tagIndex.get(id.imageTag);
  return d === undefined ? undefined : r.images.get(d);
}

export function requireImage(s: EcrState, r: Repo, id: ImageId = {}): Image {
  const i = findImage(r, id);
  if (!i)
    throw err(
      "ImageNotFoundException",
      `The image with imageId ${idText(id)} does not exist within the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
    );
  return i;
}

export const imageIdOf = (i: Image, tag?: string): ImageId => ({ imageDigest: i.digest, imageTag: tag ?? i.tags[0] });

export const repoOut = (s: EcrState, r: Repo) => ({
  repositoryArn: r.arn,
  registryId: s.accountId,
  repositoryName: r.name,
  repositoryUri: r.uri,
  createdAt: r.created,
  imageTagMutability: r.mutability,
  imageTagMutabilityExclusionFilters: r.exclusions.length ? r.exclusions : undefined,
  imageScanningConfiguration: { scanOnPush: r.scanOnPush },
  encryptionConfiguration: r.encryption,
});

/** ECR wildcard filters: `*` matches any run of characters, everything else literally. */
export function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(value);
}

/** Whether the tag may not be moved to another image under the repository's mutability setting. */
export function tagImmutable(r: Repo, tag: string): boolean {
  const matched = r.exclusions.some((f) => wildcard(f.filter, tag));
  switch (r.mutability) {
    case "IMMUTABLE":
      return true;
    case "IMMUTABLE_WITH_EXCLUSION":
      return !matched;
    case "MUTABLE_WITH_EXCLUSION":
      return matched;
    default:
      return false;
  }
}

export function removeImage(r: Repo, i: Image): void {
  r.images.delete(i.digest);
  for (const t of i.tags) if (r.tagIndex.get(t) === i.digest) r.tagIndex.delete(t);
}

export function untag(r: Repo, i: Image, tag: string): void {
  i.tags = i.tags.filter((t) => t !== tag);
  if (r.tagIndex.get(tag) === i.digest) r.tagIndex.delete(tag);
}

/** Issue a registry password valid for 12 hours (what GetAuthorizationToken hands out). */
export function issueToken(s: EcrState, now: Date, holder?: string): { password: string; expiresAt: Date } {
  const password = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + 12 * 3600_000);
  for (const [t, exp] of s.tokens) if (exp < now.getTime()) s.tokens.delete(t), s.tokenHolders?.delete(t);
  s.tokens.set(password, expiresAt.getTime());
  if (holder !== undefined) (s.tokenHolders ??= new Map()).set(password, holder);
  return { password, expiresAt };
}

/**
 * The statements of a resource policy (repository or registry) when its grammar holds: a Statement (one or
 * a list) whose entries each name an Effect (Allow/Deny), an Action or NotAction, and a Principal or
 * NotPrincipal, as IAM's resource-policy grammar requires; undefined otherwise.
 */
export function policyStatements(p: unknown): Array<Record<string, unknown>> | undefined {
  if (typeof p !== "object" || p === null || Array.isArray(p)) return undefined;
  const raw = (p as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (!list.length) return undefined;
  for (const x of list) {
    if (typeof x !== "object" || x === null || Array.isArray(x)) return undefined;
    const o = x as Record<string, unknown>;
    if (o.Effect !== "Allow" && o.Effect !== "Deny") return undefined;
    if (o.Action === undefined && o.NotAction === undefined) return undefined;
    if (o.Principal === undefined && o.NotPrincipal === undefined) return undefined;
  }
  return list as Array<Record<string, unknown>>;
}
