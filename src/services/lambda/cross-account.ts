/**
 * Another account's function, named by its ARN (or partial ARN): the operations AWS lets a function's resource-based
 * policy open to other accounts (access-control-resource-based.html, cross-account access) run against the owner's
 * function when one of its statements grants the caller's account the action; otherwise AccessDeniedException, which
 * AWS also answers when no such function exists (recorded against AWS: TestLambdaMultiAccounts).
 */
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { type Principals, principalMatches } from "../iam/policy.js";
import { type Input, type LambdaRuntimeState, parseRef, st } from "./common.js";
import type { FunctionRec } from "./state.js";

type Handler = (ctx: Ctx, v: Input) => unknown;

/** The operations another account may be granted, with the member naming the function and the action granting it. */
const SHAREABLE: Record<string, { member: string; action: string }> = {
  Invoke: { member: "FunctionName", action: "lambda:InvokeFunction" },
  GetFunction: { member: "FunctionName", action: "lambda:GetFunction" },
  GetFunctionConfiguration: { member: "FunctionName", action: "lambda:GetFunctionConfiguration" },
  UpdateFunctionCode: { member: "FunctionName", action: "lambda:UpdateFunctionCode" },
  DeleteFunction: { member: "FunctionName", action: "lambda:DeleteFunction" },
  PublishVersion: { member: "FunctionName", action: "lambda:PublishVersion" },
  ListVersionsByFunction: { member: "FunctionName", action: "lambda:ListVersionsByFunction" },
  CreateAlias: { member: "FunctionName", action: "lambda:CreateAlias" },
  GetAlias: { member: "FunctionName", action: "lambda:GetAlias" },
  ListAliases: { member: "FunctionName", action: "lambda:ListAliases" },
  UpdateAlias: { member: "FunctionName", action: "lambda:UpdateAlias" },
  DeleteAlias: { member: "FunctionName", action: "lambda:DeleteAlias" },
  GetPolicy: { member: "FunctionName", action: "lambda:GetPolicy" },
  PutFunctionConcurrency: { member: "FunctionName", action: "lambda:PutFunctionConcurrency" },
  DeleteFunctionConcurrency: { member: "FunctionName", action: "lambda:DeleteFunctionConcurrency" },
  ListTags: { member: "Resource", action: "lambda:ListTags" },
  TagResource: { member: "Resource", action: "lambda:TagResource" },
  UntagResource: { member: "Resource", action: "lambda:UntagResource" },
};

/**
 * Whether a statement of the function's policy allows the caller the action on the function (or the qualifier named):
 * a principal naming the caller's account (its id or root) or the caller itself (its ARN, or the role of its session).
 */
function grants(f: FunctionRec, account: string, callerArn: string, action: string, qualifier: string | undefined): boolean {
  const resources = new Set([f.arn, qualifier ? `${f.arn}:${qualifier}` : f.arn]);
  return f.policy.some((p) => {
    if (p.Effect !== "Allow" || p.Condition || !resources.has(String(p.Resource))) return false;
    if (p.Action !== "lambda:*" && p.Action !== action) return false;
    const who = p.Principal as string | { AWS?: string | string[] } | undefined;
    const aws = typeof who === "string" ? [who] : [who?.AWS ?? []].flat().map(String);
    const principals: Principals = aws.includes("*") ? "*" : { AWS: aws };
    return principalMatches(principals, { action, resource: f.arn, context: new Map(), principalArn: callerArn, principalAccount: account }) !== false;
  });
}

/** Wrap the shareable operations so that another account's function ARN reaches that account's function. */
export function crossAccount(operations: Record<string, Handler>): Record<string, Handler> {
  const out: Record<string, Handler> = { ...operations };
  for (const [op, { member, action }] of Object.entries(SHAREABLE)) {
    const handler = operations[op];
    if (!handler) continue;
    out[op] = async (ctx: Ctx, v: Input) => {
      let ref: ReturnType<typeof parseRef> | undefined;
      try {
        ref = parseRef(String(v[member] ?? ""));
      } catch {
        return handler(ctx, v); // the handler answers a malformed name as it always does
      }
      const here = st(ctx);
      if (!ref.account || ref.account === here.accountId || (ref.region !== undefined && ref.region !== here.region)) return handler(ctx, v);
      const owner = await ctx.stateOf<LambdaRuntimeState>("lambda", here.region, ref.account);
      const f = owner.functions.get(ref.name);
      const qualifier = ref.qualifier ?? (typeof v.Qualifier === "string" ? v.Qualifier : undefined);
      if (!f || !grants(f, here.accountId, ctx.caller?.arn ?? `arn:aws:iam::${here.accountId}:root`, action, qualifier)) {
        const resource = `arn:aws:lambda:${here.region}:${ref.account}:function:${ref.name}${qualifier ? `:${qualifier}` : ""}`;
        throw new AwsError(
          "AccessDeniedException",
          `User: ${ctx.caller?.arn ?? `arn:aws:iam::${here.accountId}:root`} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
          403,
        );
      }
      // The owner's function, as the owner's own request would reach it.
      return handler({ ...ctx, accountId: ref.account, state: <S>() => owner as S }, v);
    };
  }
  return out;
}
