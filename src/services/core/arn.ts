import { createHash } from "node:crypto";
import type { Ctx } from "./types.js";

/** ARNs built from the request's partition, account and region. */
export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partitionOf(region)}:${service}:${region}:${accountId}:${resource}`;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(s: string): ParsedArn | undefined {
  if (!s.startsWith("arn:")) return undefined;
  const parts = s.split(":");
  if (parts.length < 6) return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(":") };
}

/**
 * The ARN of the account's AWS managed KMS key of a service (alias `aws/s3`, `aws/ecr`, `aws/elasticfilesystem`),
 * which the service uses when encryption asks for KMS without naming a key: one key per account and Region, shared
 * by every such resource, with a stable UUID key id.
 */
export function awsManagedKmsKey(alias: string, accountId: string, region: string): string {
  const h = createHash("sha256").update(`${alias}:${accountId}:${region}`).digest("hex");
  return arn("kms", region, accountId, `key/${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`);
}

/**
 * Who made the request: the account root, an IAM user, or for an assumed role its IAM role (ECS's account settings
 * and a service's createdBy) or, with `session`, its STS session (ECS's registeredBy, Logs Insights' userIdentity).
 */
export function callerArn(ctx: Ctx, accountId: string, session = false): string {
  const c = ctx.caller;
  if (!c || c.kind === "root") return `arn:aws:iam::${accountId}:root`;
  if (c.kind === "assumed-role" && !session && c.roleArn) return c.roleArn;
  return c.arn;
}
