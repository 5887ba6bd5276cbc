/**
 * STS (AWS Query, 2011-06-15): GetCallerIdentity, AssumeRole, GetSessionToken, AssumeRoleWithWebIdentity,
 * GetAccessKeyInfo. Credentials are minted (ASIA… keys, session tokens, expirations) and remembered, so
 * GetCallerIdentity with assumed-role credentials returns the assumed-role ARN as AWS does.
 * Gaps: no IAM trust-policy evaluation; any credentials may assume any role.
 */
import type { AssumeRoleResponse, GetCallerIdentityResponse, GetSessionTokenResponse } from "@aws-sdk/client-sts";
import { AwsError } from "../../protocols/aws-error.js";
import { partitionOf } from "../core/arn.js";
import { accessKeyId, hex, secretAccessKey } from "../core/ids.js";
import type { Ctx, ServiceDefinition } from "../core/types.js";
import { validate, type Spec } from "../core/validate.js";

interface Identity {
  accountId: string;
  arn: string;
  userId: string;
}

interface StsState {
  /** Issued temporary access key id → who it is. */
  sessions: Map<string, Identity>;
}

const V = { code: "ValidationError", coerce: true };

const ROLE_ARN: Spec = {
  RoleArn: { required: true, minLength: 20, maxLength: 2048 },
  RoleSessionName: { required: true, minLength: 2, maxLength: 64, pattern: /^[\w+=,.@-]*$/ },
  DurationSeconds: { type: "integer", min: 900, max: 43200 },
  ExternalId: { minLength: 2, maxLength: 1224 },
  Policy: { minLength: 1, maxLength: 2048 },
};

function accessKeyOf(ctx: Ctx): string | undefined {
  const auth = String(ctx.headers["authorization"] ?? "");
  const m = /Credential=([^/]+)\//.exec(auth);
  return m?.[1];
}

function callerIdentity(ctx: Ctx): Identity {
  const akid = accessKeyOf(ctx);
  const st = ctx.state<StsState>();
  const s = akid ? st.sessions.get(akid) : undefined;
  if (s) return s;
  return { accountId: ctx.accountId, arn: `arn:${partitionOf(ctx.region)}:iam::${ctx.accountId}:root`, userId: ctx.accountId };
}

function credentials(ctx: Ctx, seconds: number, who: Identity) {
  const AccessKeyId = accessKeyId("ASIA");
  ctx.state<StsState>().sessions.set(AccessKeyId, who);
  return {
    AccessKeyId,
    SecretAccessKey: secretAccessKey(),
    SessionToken: Buffer.from(`awsim-session-${hex(64)}`).toString("base64"),
    Expiration: new Date(ctx.now().getTime() + seconds * 1000),
  };
}

function parseRoleArn(roleArn: string): { accountId: string; partition: string; roleName: string } {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw new AwsError("ValidationError", `${roleArn} is invalid`, 400);
  return { partition: m[1]!, accountId: m[2]!, roleName: m[3]! };
}

function assume(ctx: Ctx, input: { RoleArn: string; RoleSessionName: string; DurationSeconds?: number }) {
  const role = parseRoleArn(input.RoleArn);
  const roleId = `AROA${hex(17).toUpperCase()}`;
  const AssumedRoleUser = {
    AssumedRoleId: `${roleId}:${input.RoleSessionName}`,
    Arn: `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.roleName}/${input.RoleSessionName}`,
  };
  const Credentials = credentials(ctx, input.DurationSeconds ?? 3600, {
    accountId: role.accountId,
    arn: AssumedRoleUser.Arn,
    userId: AssumedRoleUser.AssumedRoleId,
  });
  return { Credentials, AssumedRoleUser, PackedPolicySize: 6 };
}

const sts: ServiceDefinition<StsState> = {
  name: "sts",
  protocol: "query",
  apiVersion: "2011-06-15",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  scope: "global",
  createState: () => ({ sessions: new Map() }),
  counts: (s) => ({ sessions: s.sessions.size }),
  operations: {
    GetCallerIdentity(ctx): GetCallerIdentityResponse {
      const who = callerIdentity(ctx);
      return { UserId: who.userId, Account: who.accountId, Arn: who.arn };
    },

    AssumeRole(ctx, input): Omit<AssumeRoleResponse, "$metadata"> {
      const v = validate<{ RoleArn: string; RoleSessionName: string; DurationSeconds?: number }>(input, ROLE_ARN, V);
      return assume(ctx, v);
    },

    AssumeRoleWithWebIdentity(ctx, input) {
      const v = validate<{ RoleArn: string; RoleSessionName: string; DurationSeconds?: number; WebIdentityToken: string }>(
        input,
        { ...ROLE_ARN, WebIdentityToken: { required: true, minLength: 4, maxLength: 20000 } },
        V,
      );
      const out = assume(ctx, v);
      return { ...out, SubjectFromWebIdentityToken: "awsim-subject", Audience: "awsim", Provider: "awsim" };
    },

    GetSessionToken(ctx, input): Omit<GetSessionTokenResponse, "$metadata"> {
      const v = validate<{ DurationSeconds?: number }>(
        input,
        {
          DurationSeconds: { type: "integer", min: 900, max: 129600 },
          SerialNumber: { minLength: 9, maxLength: 256 },
          TokenCode: { minLength: 6, maxLength: 6, pattern: /^[\d]*$/ },
        },
        V,
      );
      return { Credentials: credentials(ctx, v.DurationSeconds ?? 43200, callerIdentity(ctx)) };
    },

    GetAccessKeyInfo(ctx, input) {
      const v = validate<{ AccessKeyId: string }>(input, { AccessKeyId: { required: true, minLength: 16, maxLength: 128 } }, V);
      const s = ctx.state<StsState>().sessions.get(v.AccessKeyId);
      return { Account: s?.accountId ?? (/^\d{12}$/.test(v.AccessKeyId) ? v.AccessKeyId : ctx.accountId) };
    },
  },
};

export default sts;
