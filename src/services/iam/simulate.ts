/** SimulatePrincipalPolicy, SimulateCustomPolicy and GetContextKeysFor*Policy, answered by the evaluator in policy.ts. */
import { parseArn } from "../core/arn.js";
import type { Ctx, Handler } from "../core/types.js";
import { E } from "./errors.js";
import { defaultDoc } from "./policies.js";
import { type Context, contextKeys, type Decision, evaluate, parsePolicy, type PolicySource } from "./policy.js";
import { type Holder, type IamState, type Input, list, page, policyAt, st, str } from "./state.js";

export interface Subject {
  identity: PolicySource[];
  boundary?: PolicySource[];
  arn: string;
  context: Array<[string, string[]]>;
}

function managed(s: IamState, arns: Set<string>): PolicySource[] {
  return [...arns].flatMap((a) => {
    const p = policyAt(s, a);
    return p ? [{ id: p.name, type: p.aws ? ("aws-managed" as const) : ("user-managed" as const), statements: parsePolicy(defaultDoc(p)) }] : [];
  });
}

function inline(h: Holder, type: PolicySource["type"]): PolicySource[] {
  return [...h.inline].map(([name, doc]) => ({ id: name, type, statements: parsePolicy(doc) }));
}

function boundaryOf(s: IamState, arn?: string): PolicySource[] | undefined {
  const p = arn ? policyAt(s, arn) : undefined;
  return p ? [{ id: p.name, type: p.aws ? "aws-managed" : "user-managed", statements: parsePolicy(defaultDoc(p)) }] : undefined;
}

/** The policies that apply to a user, group or role ARN. */
export function subjectOf(s: IamState, arn: string): Subject {
  const parsed = parseArn(arn);
  const m = parsed && /^(user|group|role)(\/.*)?\/([^/]+)$/.exec(parsed.resource);
  if (parsed?.service !== "iam" || !m) throw E.invalidInput(`Invalid ARN: ${arn}`);
  const [, type, , name] = m as unknown as [string, string, string, string];
  if (type === "user") {
    const u = s.users.get(name);
    if (!u) throw E.noSuch(`The user with name ${name} cannot be found.`);
    const groups = [...s.groups.values()].filter((g) => g.users.has(u.name));
    return {
      arn: u.arn,
      identity: [...inline(u, "user"), ...managed(s, u.attached), ...groups.flatMap((g) => [...inline(g, "group"), ...managed(s, g.attached)])],
      boundary: boundaryOf(s, u.boundary),
      context: [
        ["aws:username", [u.name]],
        ["aws:userid", [u.id]],
        ["aws:PrincipalArn", [u.arn]],
        ["aws:PrincipalAccount", [s.accountId]],
        ["aws:PrincipalType", ["User"]],
      ],
    };
  }
  if (type === "group") {
    const g = s.groups.get(name);
    if (!g) throw E.noSuch(`The group with name ${name} cannot be found.`);
    return { arn: g.arn, identity: [...inline(g, "group"), ...managed(s, g.attached)], context: [] };
  }
  const r = s.roles.get(name);
  if (!r) throw E.noSuch(`The role with name ${name} cannot be found.`);
  return {
    arn: r.arn,
    identity: [...inline(r, "role"), ...managed(s, r.attached)],
    boundary: boundaryOf(s, r.boundary),
    context: [
      ["aws:userid", [r.id]],
      ["aws:PrincipalArn", [r.arn]],
      ["aws:PrincipalAccount", [s.accountId]],
    ],
  };
}

/** A policy given as input: its problems are InvalidInput here (the operation defines no MalformedPolicyDocument). */
function parseInput(doc: string, kind: "identity" | "resource" = "identity") {
  try {
    return parsePolicy(doc, kind);
  } catch (e) {
    throw E.invalidInput((e as Error).message);
  }
}

function inputPolicies(v: Input, field: string, prefix: string): PolicySource[] {
  return list<string>(v[field]).map((doc, i) => ({ id: `${prefix}.${i + 1}`, type: "none" as const, statements: parseInput(String(doc)) }));
}

function contextOf(v: Input, base: Array<[string, string[]]>): Context {
  const ctx: Context = new Map(base);
  for (const e of list<Input>(v.ContextEntries)) {
    if (!e.ContextKeyName) continue;
    ctx.set(String(e.ContextKeyName), list<string>(e.ContextKeyValues).map(String));
  }
  return ctx;
}

function simulate(ctx: Ctx, v: Input, subject: Subject) {
  const s = st(ctx);
  const extra = inputPolicies(v, "PolicyInputList", "PolicyInputList");
  const boundaryInput = inputPolicies(v, "PermissionsBoundaryPolicyInputList", "PermissionsBoundaryPolicyInputList");
  const boundary = boundaryInput.length ? boundaryInput : subject.boundary;
  const resourcePolicy = str(v.ResourcePolicy);
  const resource: PolicySource | undefined = resourcePolicy
    ? { id: "ResourcePolicy", type: "resource", statements: parseInput(resourcePolicy, "resource") }
    : undefined;
  const context = contextOf(v, subject.context);
  const actions = list<string>(v.ActionNames).map(String);
  const resources = list<string>(v.ResourceArns).map(String);
  const callerArn = str(v.CallerArn) ?? subject.arn;
  const results = actions.flatMap((action) =>
    (resources.length ? resources : ["*"]).map((res) => {
      const d = evaluate(
        { action, resource: res, context, principalArn: callerArn, principalAccount: str(v.ResourceOwner) ? undefined : s.accountId },
        [...subject.identity, ...extra],
        { boundary, resource },
      );
      return resultOut(action, res, d, resources.length > 0);
    }),
  );
  const p = page(
    results.map((r, i) => ({ r, k: String(i).padStart(6, "0") })),
    v,
    (x) => x.k,
  );
  return { EvaluationResults: p.items.map((x) => x.r), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

function resultOut(action: string, resource: string, d: Decision, perResource: boolean) {
  const matched = d.matched.map((m) => ({
    SourcePolicyId: m.source.id,
    // AWS answers "IAM Policy" for identity (and session, boundary) policies and "Resource Policy"
    // otherwise, not the model's enum values (as real responses show).
    SourcePolicyType: m.source.type === "resource" ? "Resource Policy" : "IAM Policy",
    StartPosition: m.statement.start,
    EndPosition: m.statement.end,
  }));
  const boundary = d.boundaryAllowed === undefined ? undefined : { AllowedByPermissionsBoundary: d.boundaryAllowed };
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: d.decision,
    MatchedStatements: matched,
    MissingContextValues: d.missing,
    PermissionsBoundaryDecisionDetail: boundary,
    EvalDecisionDetails: d.details,
    // Simulating named resources, AWS also answers the result per resource (as a recorded response shows).
    ResourceSpecificResults: perResource
      ? [
          {
            EvalResourceName: resource,
            EvalResourceDecision: d.decision,
            MatchedStatements: matched,
            MissingContextValues: d.missing,
            EvalDecisionDetails: d.details,
            PermissionsBoundaryDecisionDetail: boundary,
          },
        ]
      : undefined,
  };
}

export const simulateOps: Record<string, Handler<Input>> = {
  SimulatePrincipalPolicy: (ctx, v) => simulate(ctx, v, subjectOf(st(ctx), String(v.PolicySourceArn))),
  SimulateCustomPolicy: (ctx, v) => simulate(ctx, v, { identity: [], arn: str(v.CallerArn) ?? "", context: [] }),
  GetContextKeysForCustomPolicy(_ctx, v) {
    const statements = list<string>(v.PolicyInputList).flatMap((doc) => parseInput(String(doc)));
    return { ContextKeyNames: contextKeys(statements) };
  },
  GetContextKeysForPrincipalPolicy(ctx, v) {
    const subject = subjectOf(st(ctx), String(v.PolicySourceArn));
    const statements = [...subject.identity, ...inputPolicies(v, "PolicyInputList", "PolicyInputList")].flatMap((p) => p.statements);
    return { ContextKeyNames: contextKeys(statements) };
  },
};
