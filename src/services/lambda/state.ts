/** Lambda state: functions with versions, aliases, policies, tags and per-qualifier configs; layers; code signing configs; event source mappings. */
export interface AliasRec {
  Name: string;
  FunctionVersion: string;
  Description?: string;
  AliasArn: string;
  RevisionId: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

export interface UrlConfigRec {
  urlId: string;
  qualifier?: string;
  AuthType: string;
  Cors?: Record<string, unknown>;
  InvokeMode: string;
  /** InvokeMode was set by a request: Create/Update answers then name it (Get always does). */
  invokeModeSet?: boolean;
  CreationTime: string;
  LastModifiedTime: string;
}

export interface FunctionRec {
  name: string;
  arn: string;
  runtime?: string;
  role: string;
  handler?: string;
  description: string;
  timeout: number;
  memorySize: number;
  packageType: "Zip" | "Image";
  zip?: Buffer;
  imageUri?: string;
  /** The image digest a tag resolved to in awsim's ECR when the function's code was set: repository@sha256:... */
  resolvedImageUri?: string;
  imageConfig?: { EntryPoint?: string[]; Command?: string[]; WorkingDirectory?: string };
  environment: Record<string, string>;
  /** Environment.Variables was given (even empty): AWS then answers Environment: { Variables: {} }. */
  environmentSet?: boolean;
  architectures: string[];
  codeSha256: string;
  codeSize: number;
  /** Code.SourceKMSKeyArn: the customer managed key of the .zip deployment package (absent: an AWS owned key). */
  sourceKmsKeyArn?: string;
  lastModified: string;
  /** When it was created and when its last update started (epoch ms): Pending / InProgress for --transition-delay. */
  createdAtMs: number;
  updatedAtMs?: number;
  revisionId: string;
  /** Counts code and configuration updates: PublishVersion publishes nothing new while it is unchanged. */
  updateSerial?: number;
  tags: Record<string, string>;
  /** pendingSinceMs: published while $LATEST was being created or updated (Pending for --transition-delay). */
  versions: Array<{ version: string; config: Record<string, unknown>; snapshot: FunctionRec; pendingSinceMs?: number }>;
  /** The next version number PublishVersion gives (numbers are never reused). */
  nextVersion: number;
  aliases: Map<string, AliasRec>;
  policy: Array<Record<string, unknown>>;
  concurrency?: number;
  layers: string[];
  ephemeralStorage: number;
  codeSigningConfigArn?: string;
  recursiveLoop: string;
  /** Keyed by qualifier ("$LATEST" for the unqualified function). */
  urlConfigs: Map<string, UrlConfigRec>;
  eventInvokeConfigs: Map<
    string,
    { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number; DestinationConfig?: Record<string, unknown>; LastModified: Date }
  >;
  provisioned: Map<string, { requested: number; lastModified: string }>;
  runtimeManagement: Map<string, { UpdateRuntimeOn: string; RuntimeVersionArn?: string }>;
  /** Configuration members stored and echoed as given: VpcConfig, DeadLetterConfig, KMSKeyArn, TracingConfig, ... */
  settings: FunctionSettings;
  /** Function scaling configs (Lambda Managed Instances) by published qualifier. */
  scaling: Map<string, { MinExecutionEnvironments?: number; MaxExecutionEnvironments?: number }>;
}

export interface FunctionSettings {
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[]; Ipv6AllowedForDualStack?: boolean };
  vpcId?: string;
  DeadLetterConfig?: { TargetArn?: string };
  KMSKeyArn?: string;
  TracingConfig?: { Mode?: string };
  FileSystemConfigs?: Array<{ Arn: string; LocalMountPath: string }>;
  SnapStart?: { ApplyOn?: string };
  LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup?: string };
  CapacityProviderConfig?: Record<string, unknown>;
  DurableConfig?: Record<string, unknown>;
  TenancyConfig?: Record<string, unknown>;
}

export interface CodeSigningConfigRec {
  CodeSigningConfigId: string;
  CodeSigningConfigArn: string;
  Description?: string;
  AllowedPublishers: { SigningProfileVersionArns: string[] };
  CodeSigningPolicies: { UntrustedArtifactOnDeployment: string };
  LastModified: string;
  tags: Record<string, string>;
}

export interface LayerVersionRec {
  version: number;
  zip: Buffer;
  codeSha256: string;
  description?: string;
  createdDate: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  policy: Array<Record<string, unknown>>;
  revisionId: string;
}

export interface LayerRec {
  name: string;
  arn: string;
  nextVersion: number;
  versions: Map<number, LayerVersionRec>;
  /** Deleted versions functions still use: AWS keeps a copy of a deleted version while functions refer to it. */
  retired?: Map<number, LayerVersionRec>;
}

export interface EventSourceMappingRec {
  uuid: string;
  config: Record<string, unknown>;
  /** Steady state the mapping reaches ("Enabled" | "Disabled") and the transient state shown until then. */
  target: "Enabled" | "Disabled";
  transient?: string;
  changedAt: number;
  tags: Record<string, string>;
}

export interface CapacityProviderRec {
  name: string;
  arn: string;
  config: Record<string, unknown>;
  createdAt: number;
  tags: Record<string, string>;
}

export interface LambdaState {
  accountId: string;
  region: string;
  functions: Map<string, FunctionRec>;
  codeSigningConfigs: Map<string, CodeSigningConfigRec>;
  layers: Map<string, LayerRec>;
  eventSourceMappings: Map<string, EventSourceMappingRec>;
  capacityProviders: Map<string, CapacityProviderRec>;
  /** Execution-role sessions the functions run with: access key id → principal (see credentials.ts). */
  sessions: Map<string, import("../core/types.js").Principal>;
  /** Durable executions (durable.ts), created on first use. */
  durable?: import("./durable.js").DurableState;
  /** Function name + role → its credentials. */
  credentials: Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken: string }>;
}
