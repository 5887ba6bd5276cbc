/**
 * The execution role's credentials a function runs with (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), as Lambda gives it: temporary ASIA keys of an assumed-role session named after the
 * function. Lambda's service definition maps these keys to that principal (identify), so calls the function
 * makes to awsim act as arn:aws:sts::<account>:assumed-role/<role>/<function> (authorized by the role's
 * policies under --enforce-iam).
 */
import { createHash, randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { secretAccessKey } from "../core/ids.js";
import type { Ctx, Principal } from "../core/types.js";
import { accountKeyId } from "../iam/state.js";
import { E, st } from "./common.js";
import type { FunctionRec } from "./state.js";

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export async function functionCredentials(ctx: Ctx, f: FunctionRec): Promise<FunctionCredentials> {
  const s = st(ctx);
  const cacheKey = `${f.name}\u0000${f.role}`;
  const cached = s.credentials.get(cacheKey);
  if (cached) return cached;
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(f.role);
  const roleName = m?.[3] ?? "unknown";
  const iam = m ? await ctx.stateOf<{ roles?: Map<string, { id: string }> }>("iam", ctx.region, m[2]).catch(() => undefined) : undefined;
  const roleId = iam?.roles?.get(roleName)?.id ?? `AROA${createHash("sha256").update(f.role).digest("hex").slice(0, 17).toUpperCase()}`;
  const creds: FunctionCredentials = {
    accessKeyId: accountKeyId("ASIA", s.accountId),
    secretAccessKey: secretAccessKey(),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(300).toString("base64")}`,
  };
  // The session is named after the function; a one-character name (shorter than a session name may be) gets
  // "@lambda_function" appended (recorded: TestLambdaBaseFeatures::test_assume_role[1]).
  const session = f.name.length < 2 ? `${f.name}@lambda_function` : f.name;
  const principal: Principal = {
    accountId: s.accountId,
    arn: `arn:${m?.[1] ?? "aws"}:sts::${s.accountId}:assumed-role/${roleName}/${session}`,
    userId: `${roleId}:${session}`,
    kind: "assumed-role",
    roleArn: f.role,
    secret: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
  };
  s.sessions.set(creds.accessKeyId, principal);
  s.credentials.set(cacheKey, creds);
  return creds;
}

/** Whether a trust policy lets the Lambda service assume the role (sts:AssumeRole allowed to lambda.amazonaws.com or anyone). */
function trustsLambda(doc: string): boolean {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(doc);
  } catch {
    return false;
  }
  const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  return list(policy.Statement as Record<string, unknown> | Array<Record<string, unknown>>).some((stmt) => {
    const actions = list(stmt.Action as string | string[]).map((a) => a.toLowerCase());
    const principal = stmt.Principal as string | { Service?: string | string[]; AWS?: string | string[] } | undefined;
    const lambda = principal === "*" || list(typeof principal === "object" ? principal.Service : undefined).includes("lambda.amazonaws.com");
    return stmt.Effect === "Allow" && lambda && actions.some((a) => a === "sts:assumerole" || a === "sts:*" || a === "*");
  });
}

/**
 * Under --strict, the execution role is checked as Lambda checks it on CreateFunction and UpdateFunctionConfiguration:
 * another account's role cannot be passed, and the role must exist and trust lambda.amazonaws.com. Outside --strict
 * any role ARN is taken as given.
 */
export async function checkExecutionRole(ctx: Ctx, role: string): Promise<void> {
  if (!ctx.config.strict) return;
  const m = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(role);
  if (!m) return;
  if (m[1] !== st(ctx).accountId) throw new AwsError("AccessDeniedException", "Cross-account pass role is not allowed.", 403);
  const iam = await ctx.stateOf<{ roles?: Map<string, { arn: string; trust: string }> }>("iam", ctx.region, m[1]).catch(() => undefined);
  const r = iam?.roles?.get(m[2]!);
  if (!r || r.arn !== role || !trustsLambda(r.trust)) throw E.invalid("The role defined for the function cannot be assumed by Lambda.");
}
