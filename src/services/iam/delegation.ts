/**
 * IAM temporary delegation: a partner account creates a delegation request (CreateDelegationRequest); an
 * identity of the customer account claims it (AssociateDelegationRequest: UNASSIGNED → ASSIGNED), may
 * forward it for approval with notes (UpdateDelegationRequest → PENDING_APPROVAL), accepts it
 * (AcceptDelegationRequest → ACCEPTED: the caller's identity is recorded as the one the delegated
 * credentials act as) or rejects it (RejectDelegationRequest → REJECTED), then releases the exchange
 * token (SendDelegationToken → FINALIZED). The partner trades the token for session credentials with STS
 * GetDelegatedAccessToken (sts/index.ts): they act as the approving identity, limited by the request's
 * permission policy as a session policy. Requests expire as AWS documents (UNASSIGNED after 1 day, the
 * others 7 days after entering their state), evaluated against the server clock.
 * Visibility follows AWS's default permissions: a request with no owner account is visible to every
 * account; one with an owner account but no owner only to that account; an owned one to its owner's
 * account; the requesting account always sees its own.
 * awsim has no SNS: what IAM publishes to a request's notification channel (each state change, and the
 * exchange token on SendDelegationToken) is kept and read at GET /_awsim/iam/delegation-notifications.
 * Policy templates are registered with AWS out of band; awsim resolves a PolicyTemplateArn that names a
 * managed policy of this server (AWS managed or customer managed) to that policy's document as the
 * request's PermissionPolicy, and leaves PermissionPolicy unset for any other template.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { partitionOf } from "../core/arn.js";
import type { Ctx, Handler, Principal } from "../core/types.js";
import { E } from "./errors.js";
import { defaultDoc } from "./policies.js";
import { evaluate, parsePolicy } from "./policy.js";
import { subjectOf } from "./simulate.js";
import { type IamState, type Input, bool, num, page, policyAt, st, str } from "./state.js";

export type DelegationState = "UNASSIGNED" | "ASSIGNED" | "PENDING_APPROVAL" | "FINALIZED" | "ACCEPTED" | "REJECTED" | "EXPIRED";

export interface DelegationNotice {
  topicArn: string;
  delegationRequestId: string;
  state: DelegationState;
  exchangeToken?: string;
  time: Date;
}

export interface DelegationRec {
  DelegationRequestId: string;
  OwnerAccountId?: string;
  Description: string;
  RequestMessage?: string;
  Permissions: { PolicyTemplateArn?: string; Parameters?: Array<{ Name?: string; Values?: string[]; Type?: string }> };
  PermissionPolicy?: string;
  OwnerId?: string;
  ApproverId?: string;
  State: DelegationState;
  RequestorId: string;
  RequestorName?: string;
  RequestorWorkflowId: string;
  CreateDate: Date;
  UpdatedTime: Date;
  /** When the request entered its current state (expiry counts from here). */
  StateSince: Date;
  SessionDuration: number;
  RedirectUrl?: string;
  Notes?: string;
  RejectionReason?: string;
  OnlySendByOwner?: boolean;
  NotificationChannel: string;
  /** The identity recorded by AcceptDelegationRequest: what the delegated credentials act as. */
  approver?: Pick<Principal, "accountId" | "arn" | "userId" | "kind" | "roleArn" | "tags">;
  /** Released by SendDelegationToken; traded by STS GetDelegatedAccessToken. */
  exchangeToken?: string;
  notices: DelegationNotice[];
}

const DAY = 86_400_000;

/** The delegation requests an IAM state holds (the requestor's account keeps them). */
export function delegationsOf(s: IamState): Map<string, DelegationRec> {
  s.delegations ??= new Map();
  return s.delegations;
}

/** Expiry as AWS documents it: UNASSIGNED after a day, every other state after seven. */
function expiresAt(r: DelegationRec): Date | undefined {
  if (r.State === "EXPIRED") return undefined;
  return new Date(r.StateSince.getTime() + (r.State === "UNASSIGNED" ? DAY : 7 * DAY));
}

function transition(r: DelegationRec, to: DelegationState, at: Date): void {
  r.State = to;
  r.StateSince = at;
  r.UpdatedTime = at;
  r.notices.push({
    topicArn: r.NotificationChannel,
    delegationRequestId: r.DelegationRequestId,
    state: to,
    exchangeToken: to === "FINALIZED" ? r.exchangeToken : undefined,
    time: at,
  });
}

function refresh(r: DelegationRec, now: Date): DelegationRec {
  const exp = expiresAt(r);
  if (exp && now.getTime() >= exp.getTime()) transition(r, "EXPIRED", exp);
  return r;
}

/** Every delegation request of the server, wherever it was created. */
export function allDelegations(states: IamState[]): DelegationRec[] {
  return states.flatMap((s) => [...delegationsOf(s).values()]);
}

export function findDelegation(ctx: Ctx, id: string): DelegationRec | undefined {
  for (const s of ctx.sim.statesOf<IamState>("iam")) {
    const r = delegationsOf(s).get(id);
    if (r) return refresh(r, ctx.now());
  }
  return undefined;
}

function callerOf(ctx: Ctx): Principal {
  return ctx.caller ?? { accountId: ctx.accountId, arn: `arn:${partitionOf(ctx.region)}:iam::${ctx.accountId}:root`, userId: ctx.accountId, kind: "root" };
}

const arnOf = (ctx: Ctx, r: DelegationRec) => `arn:${partitionOf(ctx.region)}:iam::${r.RequestorId}:delegation-request/${r.DelegationRequestId}`;

function denied(ctx: Ctx, action: string, r: DelegationRec) {
  return E.accessDenied(`User: ${callerOf(ctx).arn} is not authorized to perform: iam:${action} on resource: ${arnOf(ctx, r)}`);
}

/** The request, if the caller may see it (AWS's default permissions for delegation requests). */
function visible(ctx: Ctx, id: string, action: string): DelegationRec {
  const r = findDelegation(ctx, id);
  if (!r) throw E.noSuch(`The delegation request with ID ${id} cannot be found.`);
  const who = callerOf(ctx);
  if (r.RequestorId === who.accountId || !r.OwnerAccountId || r.OwnerAccountId === who.accountId) return r;
  throw denied(ctx, action, r);
}

/** The request, for an operation only the owner account's identities may perform. */
function owned(ctx: Ctx, id: string, action: string): DelegationRec {
  const r = findDelegation(ctx, id);
  if (!r) throw E.noSuch(`The delegation request with ID ${id} cannot be found.`);
  if (!r.OwnerAccountId || r.OwnerAccountId !== callerOf(ctx).accountId || !r.OwnerId) throw denied(ctx, action, r);
  return r;
}

function out(r: DelegationRec) {
  return {
    DelegationRequestId: r.DelegationRequestId,
    OwnerAccountId: r.OwnerAccountId,
    Description: r.Description,
    RequestMessage: r.RequestMessage,
    Permissions: r.Permissions,
    PermissionPolicy: r.PermissionPolicy,
    OwnerId: r.OwnerId,
    ApproverId: r.ApproverId,
    State: r.State,
    ExpirationTime: expiresAt(r),
    RequestorId: r.RequestorId,
    RequestorName: r.RequestorName,
    CreateDate: r.CreateDate,
    SessionDuration: r.SessionDuration,
    RedirectUrl: r.RedirectUrl,
    Notes: r.Notes,
    RejectionReason: r.RejectionReason,
    OnlySendByOwner: r.OnlySendByOwner,
    UpdatedTime: r.UpdatedTime,
  };
}

/** A PolicyTemplateArn that names a managed policy of this server: its default version's document. */
function templateDoc(ctx: Ctx, arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  for (const s of ctx.sim.statesOf<IamState>("iam")) {
    const p = policyAt(s, arn);
    if (p && (p.aws || arn.includes(`::${s.accountId}:`))) return defaultDoc(p);
  }
  return undefined;
}

/**
 * GetDelegationRequest's permission check: does the caller's own identity allow every action the
 * permission policy asks for? Wildcard actions or conditions make the answer UNSURE, as AWS's
 * approximate check may be.
 */
function permissionCheck(ctx: Ctx, r: DelegationRec): "ALLOWED" | "DENIED" | "UNSURE" {
  if (!r.PermissionPolicy) return "UNSURE";
  const who = callerOf(ctx);
  if (who.kind === "root") return "ALLOWED";
  const s = ctx.sim.statesOf<IamState>("iam").find((x) => x.accountId === who.accountId);
  const subjectArn = who.kind === "assumed-role" ? who.roleArn : who.kind === "user" ? who.arn : undefined;
  if (!s || !subjectArn) return "UNSURE";
  let subject: ReturnType<typeof subjectOf>;
  try {
    subject = subjectOf(s, subjectArn);
  } catch {
    return "UNSURE";
  }
  let unsure = false;
  for (const stmt of parsePolicy(r.PermissionPolicy)) {
    if (stmt.effect !== "Allow") continue;
    if (stmt.notAction || stmt.notResource || stmt.condition) unsure = true;
    for (const action of stmt.action ?? []) {
      if (/[*?]/.test(action)) unsure = true;
      for (const resource of stmt.resource ?? ["*"]) {
        const d = evaluate(
          { action, resource, context: new Map(subject.context), principalArn: subject.arn, principalAccount: s.accountId },
          subject.identity,
          {
            boundary: subject.boundary,
          },
        );
        if (d.decision !== "allowed") return "DENIED";
      }
    }
  }
  return unsure ? "UNSURE" : "ALLOWED";
}

function summaryOf(r: DelegationRec): string {
  const who = r.RequestorName ? `${r.RequestorName} (account ${r.RequestorId})` : `Account ${r.RequestorId}`;
  const lines = [`${who} requests temporary access for ${Math.round(r.SessionDuration / 60)} minutes: ${r.Description}`];
  if (r.PermissionPolicy) {
    for (const s of parsePolicy(r.PermissionPolicy)) {
      const actions = (s.action ?? s.notAction ?? []).join(", ");
      const resources = (s.resource ?? s.notResource ?? ["*"]).join(", ");
      lines.push(
        `${s.effect === "Allow" ? "Allows" : "Denies"} ${s.notAction ? "all actions except " : ""}${actions} on ${resources}${s.condition ? " under conditions" : ""}.`,
      );
    }
  } else if (r.Permissions.PolicyTemplateArn) lines.push(`Permissions come from the policy template ${r.Permissions.PolicyTemplateArn}.`);
  lines.push(`State: ${r.State}.`);
  return lines.join("\n");
}

export const delegationOps: Record<string, Handler<Input>> = {
  CreateDelegationRequest(ctx, v) {
    const s = st(ctx);
    const who = callerOf(ctx);
    const channel = String(v.NotificationChannel);
    if (!/^arn:[\w-]+:sns:[\w-]+:\d{12}:[\w-]+$/.test(channel)) throw E.invalidInput(`Invalid NotificationChannel: ${channel} is not an SNS topic ARN.`);
    const workflow = String(v.RequestorWorkflowId);
    if ([...delegationsOf(s).values()].some((r) => r.RequestorWorkflowId === workflow))
      throw E.exists(`A delegation request with RequestorWorkflowId ${workflow} already exists.`);
    const now = ctx.now();
    const perms = (v.Permissions ?? {}) as Input;
    const id = randomUUID();
    const rec: DelegationRec = {
      DelegationRequestId: id,
      OwnerAccountId: str(v.OwnerAccountId),
      Description: String(v.Description),
      RequestMessage: str(v.RequestMessage),
      Permissions: {
        PolicyTemplateArn: str(perms.PolicyTemplateArn),
        Parameters: Array.isArray(perms.Parameters)
          ? (perms.Parameters as Input[]).map((p) => ({ Name: str(p.Name), Values: p.Values, Type: str(p.Type) }))
          : undefined,
      },
      PermissionPolicy: templateDoc(ctx, str(perms.PolicyTemplateArn)),
      State: "UNASSIGNED",
      RequestorId: who.accountId,
      RequestorName: s.alias?.slice(0, 30),
      RequestorWorkflowId: workflow,
      CreateDate: now,
      UpdatedTime: now,
      StateSince: now,
      SessionDuration: num(v.SessionDuration) ?? 3600,
      RedirectUrl: str(v.RedirectUrl),
      OnlySendByOwner: v.OnlySendByOwner === undefined ? undefined : bool(v.OnlySendByOwner),
      NotificationChannel: channel,
      notices: [],
    };
    delegationsOf(s).set(id, rec);
    const host = s.partition === "aws-cn" ? "console.amazonaws.cn" : s.partition === "aws-us-gov" ? "console.amazonaws-us-gov.com" : "console.aws.amazon.com";
    return { DelegationRequestId: id, ConsoleDeepLink: `https://${host}/iam/home#/delegation-requests/${id}` };
  },

  GetDelegationRequest(ctx, v) {
    const r = visible(ctx, String(v.DelegationRequestId), "GetDelegationRequest");
    const check = bool(v.DelegationPermissionCheck);
    return {
      DelegationRequest: out(r),
      PermissionCheckStatus: check ? "COMPLETE" : undefined,
      PermissionCheckResult: check ? permissionCheck(ctx, r) : undefined,
    };
  },

  ListDelegationRequests(ctx, v) {
    const who = callerOf(ctx);
    const owner = str(v.OwnerId);
    const items = allDelegations(ctx.sim.statesOf<IamState>("iam"))
      .map((r) => refresh(r, ctx.now()))
      .filter((r) => r.RequestorId === who.accountId || (r.OwnerAccountId === who.accountId && r.OwnerId !== undefined))
      .filter((r) => owner === undefined || r.OwnerId === owner)
      .sort((a, b) => a.CreateDate.getTime() - b.CreateDate.getTime() || (a.DelegationRequestId < b.DelegationRequestId ? -1 : 1));
    const key = (r: DelegationRec) => `${String(r.CreateDate.getTime()).padStart(15, "0")}:${r.DelegationRequestId}`;
    const p = page(items, v, key);
    return { DelegationRequests: p.items.map(out), Marker: p.Marker, isTruncated: p.IsTruncated };
  },

  AssociateDelegationRequest(ctx, v) {
    const id = String(v.DelegationRequestId);
    const r = findDelegation(ctx, id);
    if (!r) throw E.noSuch(`The delegation request with ID ${id} cannot be found.`);
    const who = callerOf(ctx);
    if (r.OwnerAccountId && r.OwnerAccountId !== who.accountId) throw denied(ctx, "AssociateDelegationRequest", r);
    if (r.State !== "UNASSIGNED") throw E.invalidInput(`The delegation request ${id} is in state ${r.State} and cannot be associated.`);
    r.OwnerAccountId = who.accountId;
    r.OwnerId = who.arn;
    transition(r, "ASSIGNED", ctx.now());
    return {};
  },

  UpdateDelegationRequest(ctx, v) {
    const id = String(v.DelegationRequestId);
    const r = owned(ctx, id, "UpdateDelegationRequest");
    if (r.State !== "ASSIGNED" && r.State !== "PENDING_APPROVAL")
      throw E.invalidInput(`The delegation request ${id} is in state ${r.State} and cannot be updated.`);
    if (v.Notes !== undefined) r.Notes = String(v.Notes);
    if (r.State === "ASSIGNED") transition(r, "PENDING_APPROVAL", ctx.now());
    else r.UpdatedTime = ctx.now();
    return {};
  },

  AcceptDelegationRequest(ctx, v) {
    const id = String(v.DelegationRequestId);
    const r = owned(ctx, id, "AcceptDelegationRequest");
    if (r.State !== "ASSIGNED" && r.State !== "PENDING_APPROVAL")
      throw E.concurrent(`The delegation request ${id} is in state ${r.State} and cannot be accepted.`);
    const who = callerOf(ctx);
    r.ApproverId = who.arn;
    r.approver = { accountId: who.accountId, arn: who.arn, userId: who.userId, kind: who.kind, roleArn: who.roleArn, tags: who.tags };
    transition(r, "ACCEPTED", ctx.now());
    return {};
  },

  RejectDelegationRequest(ctx, v) {
    const id = String(v.DelegationRequestId);
    const r = owned(ctx, id, "RejectDelegationRequest");
    if (r.State !== "ASSIGNED" && r.State !== "PENDING_APPROVAL" && r.State !== "ACCEPTED")
      throw E.invalidInput(`The delegation request ${id} is in state ${r.State} and cannot be rejected.`);
    if (v.Notes !== undefined) r.RejectionReason = String(v.Notes);
    transition(r, "REJECTED", ctx.now());
    return {};
  },

  SendDelegationToken(ctx, v) {
    const id = String(v.DelegationRequestId);
    const r = owned(ctx, id, "SendDelegationToken");
    if (r.State !== "ACCEPTED") throw E.invalidInput(`The delegation request ${id} is in state ${r.State}; only an ACCEPTED request can send its token.`);
    if (r.OnlySendByOwner && callerOf(ctx).arn !== r.OwnerId) throw denied(ctx, "SendDelegationToken", r);
    r.exchangeToken = randomBytes(48).toString("base64url");
    transition(r, "FINALIZED", ctx.now());
    return {};
  },

  GetHumanReadableSummary(ctx, v) {
    const arn = String(v.EntityArn);
    const m = /^arn:[\w-]+:iam::(\d{12})?:delegation-request\/([\w-]+)$/.exec(arn);
    if (!m) throw E.invalidInput(`The entity ${arn} is not supported. At this time, the only supported entity type is delegation-request.`);
    const r = visible(ctx, m[2]!, "GetHumanReadableSummary");
    return { SummaryContent: summaryOf(r), Locale: str(v.Locale) ?? "en", SummaryState: "AVAILABLE" };
  },
};

/** GET /_awsim/iam/delegation-notifications[?topicArn=]: what IAM published to the requests' notification channels. */
export function delegationNotices(states: IamState[], q: { topicArn?: string }) {
  return allDelegations(states)
    .flatMap((r) => r.notices)
    .filter((n) => q.topicArn === undefined || n.topicArn === q.topicArn)
    .sort((a, b) => a.time.getTime() - b.time.getTime());
}
