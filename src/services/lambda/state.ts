/** Lambda state: functions with versions, aliases, policies and tags. */
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
  imageConfig?: { EntryPoint?: string[]; Command?: string[]; WorkingDirectory?: string };
  environment: Record<string, string>;
  architectures: string[];
  codeSha256: string;
  codeSize: number;
  lastModified: string;
  revisionId: string;
  tags: Record<string, string>;
  versions: Array<{ version: string; config: Record<string, unknown> }>;
  aliases: Map<string, { Name: string; FunctionVersion: string; Description?: string; AliasArn: string; RevisionId: string }>;
  policy: Array<Record<string, unknown>>;
  concurrency?: number;
  layers: string[];
  ephemeralStorage: number;
}

export interface LambdaState {
  accountId: string;
  region: string;
  functions: Map<string, FunctionRec>;
}
