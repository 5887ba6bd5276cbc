/**
 * Client tokens (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html): a request that
 * repeats an operation's ClientToken with the same parameters creates nothing and answers as the first one did
 * (the state may have moved on); the same token with other parameters is IdempotentParameterMismatch. A token
 * stays bound to its resource after the resource is gone. Tokens are per account and Region, as the state is;
 * they hang off the Ec2State as one own property, created on first use, so snapshots copy them with the rest.
 */
import type { Handler } from "../core/types.js";
import type { Ec2State } from "./state.js";
import type { Input } from "./common.js";
import { Ec2Errors } from "./errors.js";

export interface TokenRec {
  /** The request's parameters, canonical (keys sorted; ClientToken and DryRun left out). */
  request: string;
  /** The resource(s) the first request created. */
  ids: string[];
  /** What a retry needs besides the ids to answer as the first request did (RunInstances: the reservation id). */
  answer?: unknown;
}

type WithTokens = Ec2State & { clientTokens?: Map<string, TokenRec> };

const tokens = (s: Ec2State) => {
  const w = s as WithTokens;
  w.clientTokens ??= new Map();
  return w.clientTokens;
};

/** The parameters that make two requests "the same": everything but the token itself, DryRun and `omit`. */
function canonical(input: Input, omit: string[]): string {
  const skip = new Set(["ClientToken", "DryRun", ...omit]);
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v instanceof Date) return v.toISOString();
    if (Buffer.isBuffer(v)) return v.toString("base64");
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  const top = Object.fromEntries(Object.entries(input).filter(([k]) => !skip.has(k)));
  return JSON.stringify(sorted(top));
}

/**
 * The earlier request with this operation's token, if any: undefined for a new token (or none), the record when
 * the parameters match, and `mismatch()` thrown when they do not. `omit` names parameters a retry may change
 * (AWS: "other than the Region or Availability Zone").
 */
export function priorRequest(s: Ec2State, op: string, input: Input, mismatch: () => Error, omit: string[] = []): TokenRec | undefined {
  const token = input.ClientToken;
  if (typeof token !== "string" || token === "") return undefined;
  const rec = tokens(s).get(`${op}\n${token}`);
  if (!rec) return undefined;
  if (rec.request !== canonical(input, omit)) throw mismatch();
  return rec;
}

/** Bind the token of a request that succeeded to what it created. */
export function rememberRequest(s: Ec2State, op: string, input: Input, ids: string[], answer?: unknown, omit: string[] = []): void {
  const token = input.ClientToken;
  if (typeof token !== "string" || token === "") return;
  const m = tokens(s);
  // A copy: a retry answers as the first request did, not with the resource as it is now (and the kept answer shares
  // nothing with the live records, which --persist writes one by one).
  m.set(`${op}\n${token}`, { request: canonical(input, omit), ids, answer: copyOf(answer) });
  // AWS keeps a token "for at least 24 hours"; awsim keeps the latest MAX_TOKENS per account and Region (the SDKs
  // fill RunInstances' token on every call, so an unbounded map would grow with every launch).
  if (m.size > MAX_TOKENS) m.delete(m.keys().next().value as string);
}

const MAX_TOKENS = 10000;

function copyOf(v: unknown): unknown {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

export const IdempotencyErrors = {
  /** CreateVolume's answer (as the EBS CSI driver reports it, kubernetes-sigs/aws-ebs-csi-driver#1428). */
  parameters: () =>
    Ec2Errors.custom("IdempotentParameterMismatch", "Parameters on this idempotent request are inconsistent with parameters used in previous request(s)"),
  /** RunInstances' answer. */
  arguments: () =>
    Ec2Errors.custom("IdempotentParameterMismatch", "Arguments on this idempotent request are inconsistent with arguments used in previous request(s)."),
  /** CreateVolume with the token of a volume since deleted (crossplane-contrib/provider-aws#1858). */
  deleted: () =>
    Ec2Errors.custom(
      "IdempotentParameterMismatch",
      "The client token you have provided is associated with a resource that is already deleted. Please use a different client token.",
    ),
};

/**
 * Operations whose ClientToken makes a retry answer as the first request did (the EC2 idempotency guide's list,
 * for the resources awsim creates without token handling of their own): the first answer is kept and replayed.
 */
export const REPLAYED_BY_TOKEN = [
  "CopyImage",
  "CopyVolumes",
  "CreateCarrierGateway",
  "CreateEgressOnlyInternetGateway",
  "CreateFlowLogs",
  "CreateLaunchTemplate",
  "CreateLaunchTemplateVersion",
  "CreateManagedPrefixList",
  "CreateNatGateway",
  "CreateNetworkAcl",
  "CreateNetworkInterface",
  "CreateRouteTable",
  "CreateVpcEndpoint",
];

/** `handler` with its ClientToken honoured: a retry with the same parameters gets the first answer, other parameters IdempotentParameterMismatch. */
export function replayedByToken(op: string, handler: Handler): Handler {
  return async (ctx, input: Input) => {
    const s = ctx.state<Ec2State>();
    const prior = priorRequest(s, op, input, IdempotencyErrors.arguments);
    if (prior && input.DryRun !== true) return prior.answer;
    const answer = await handler(ctx, input);
    rememberRequest(s, op, input, [], answer);
    return answer;
  };
}
