/**
 * The execution role's credentials a function runs with (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), as Lambda gives it: temporary ASIA keys of an assumed-role session named after the
 * function. Lambda's service definition maps these keys to that principal (identify), so calls the function
 * makes to awsim act as arn:aws:sts::<account>:assumed-role/<role>/<function> (authorized by the role's
 * policies under --enforce-iam).
 */
import { createHash, randomBytes } from "node:crypto";
import { secretAccessKey } from "../core/ids.js";
import type { Ctx, Principal } from "../core/types.js";
import { accountKeyId } from "../iam/state.js";
import { st } from "./common.js";
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
  const principal: Principal = {
    accountId: s.accountId,
    arn: `arn:${m?.[1] ?? "aws"}:sts::${s.accountId}:assumed-role/${roleName}/${f.name}`,
    userId: `${roleId}:${f.name}`,
    kind: "assumed-role",
    roleArn: f.role,
    secret: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
  };
  s.sessions.set(creds.accessKeyId, principal);
  s.credentials.set(cacheKey, creds);
  return creds;
}
