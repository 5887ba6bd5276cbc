/**
 * Lambda durable executions (API version 2025-12-01). Invoking a function that has a DurableConfig, qualified
 * ($LATEST, a version or an alias: an unqualified ARN is refused as on AWS), starts a durable execution (or
 * re-attaches to the one its DurableExecutionName names): an ARN
 * `<function ARN>:<version>/durable-execution/<name>/<id>`, status RUNNING until it
 * SUCCEEDED, FAILED, STOPPED (StopDurableExecution) or TIMED_OUT (DurableConfig.ExecutionTimeout), with its input
 * and result. The function (through the durable execution SDK) receives {DurableExecutionArn, CheckpointToken,
 * InitialExecutionState: {Operations, NextMarker}}, records its operations with CheckpointDurableExecution (each
 * call consumes the token and returns the next one with the operations changed since) and answers
 * {Status: SUCCEEDED | FAILED | PENDING, Result, Error}. Operations follow the service's state machine: STEP
 * (START, SUCCEED, FAIL, RETRY → PENDING → READY after NextAttemptDelaySeconds), WAIT (START → SUCCEEDED after
 * WaitSeconds, CANCEL), CALLBACK (START gives a CallbackId completed by SendDurableExecutionCallbackSuccess /
 * Failure, kept alive by Heartbeat, TIMED_OUT after TimeoutSeconds or HeartbeatTimeoutSeconds), CONTEXT,
 * CHAINED_INVOKE (the target function is invoked and its result recorded) and EXECUTION (SUCCEED / FAIL close
 * the execution). Every transition is an event of GetDurableExecutionHistory.
 *
 * --execute: the function runs in its instances; after PENDING it is invoked again (with a fresh checkpoint
 * token and the whole state) as soon as a wait elapses, a retry becomes READY, a callback or chained invoke
 * completes. A synchronous Invoke waits for the execution to close and answers its result. An invocation that
 * errors is retried twice (1 s, 2 s) before the execution FAILS (AWS retries for hours).
 * Fake mode: no process runs. Invoke starts the execution and answers the invocation input the function would
 * receive, so a test can play the function through the checkpoint API; timers and callbacks still advance it.
 * Gaps: an ExecutionTimeout absent from DurableConfig means one year; closed executions are kept
 * RetentionPeriodInDays (default 14) of simulated time; timers and in-flight invocations do not survive a restart;
 * timestamps in the invocation payload are ISO-8601 strings.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { E, getFn, parseName, st, type Input, type LambdaRuntimeState } from "./common.js";
import type { FunctionRec } from "./state.js";

type Json = Record<string, unknown>;
export interface ErrorObject {
  ErrorMessage?: string;
  ErrorType?: string;
  ErrorData?: string;
  StackTrace?: string[];
}

export interface DurableOp {
  Id: string;
  ParentId?: string;
  Name?: string;
  Type: string;
  SubType?: string;
  StartTimestamp: Date;
  EndTimestamp?: Date;
  Status: string;
  ExecutionDetails?: { InputPayload?: string };
  ContextDetails?: { ReplayChildren?: boolean; Result?: string; Error?: ErrorObject };
  StepDetails?: { Attempt?: number; NextAttemptTimestamp?: Date; Result?: string; Error?: ErrorObject };
  WaitDetails?: { ScheduledEndTimestamp?: Date };
  CallbackDetails?: { CallbackId?: string; Result?: string; Error?: ErrorObject };
  ChainedInvokeDetails?: { Result?: string; Error?: ErrorObject };
}

export interface DurableExecRec {
  arn: string;
  id: string;
  name: string;
  functionName: string;
  /** The function ARN qualified with the version that runs ($LATEST or a number). */
  functionArn: string;
  version: string;
  input: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";
  start: Date;
  end?: Date;
  result?: string;
  error?: ErrorObject;
  traceId: string;
  seq: number;
  ops: Map<string, DurableOp>;
  /** Start order of each operation (GetDurableExecutionState orders by it). */
  order: Map<string, number>;
  events: Json[];
  token: string;
  tokenSeq: number;
  /** Operations the service changed since the SDK last saw the state (returned by the next checkpoint). */
  changed: Set<string>;
  timeoutSec: number;
  retentionDays: number;
  /** An invocation of the function is under way (execute mode). */
  running: boolean;
  invokeErrors: number;
  lastCheckpoint?: { clientToken: string; requestToken: string; response: Json };
  timers: Map<string, NodeJS.Timeout>;
  waiters: Array<() => void>;
}

export interface DurableState {
  executions: Map<string, DurableExecRec>;
  /** function name + execution name → ARN (names are the idempotency key). */
  byName: Map<string, string>;
  callbacks: Map<string, { arn: string; opId: string }>;
  seq: number;
  /** Simulated time added by POST /_awsim/clock/advance (retention of closed executions). */
  clockOffsetMs?: number;
}

const DEFAULT_TIMEOUT_SEC = 31622400;
const DEFAULT_RETENTION_DAYS = 14;
const PAGE = 100;

export const durableState = (s: LambdaRuntimeState): DurableState => (s.durable ??= { executions: new Map(), byName: new Map(), callbacks: new Map(), seq: 0 });

export const isDurable = (f: FunctionRec): boolean => f.settings.DurableConfig !== undefined;

const opaque = (bytes = 32) => randomBytes(bytes).toString("base64").replace(/[+/=]/g, "");
const invalid = (m: string) => E.invalid(m);
const callbackGone = () =>
  new AwsError("CallbackTimeoutException", "The callback ID token has either expired or the callback associated with the token has already been closed.", 400);
const notFound = (arn: string) => E.resourceNotFound(`Durable execution not found: ${arn}`);

/** A closed execution is kept for its RetentionPeriodInDays (simulated time), then forgotten. */
function expired(ctx: Ctx, rec: DurableExecRec): boolean {
  const d = durableState(st(ctx));
  if (!rec.end || ctx.now().getTime() + (d.clockOffsetMs ?? 0) - rec.end.getTime() <= rec.retentionDays * 86400000) return false;
  d.executions.delete(rec.arn);
  if (d.byName.get(`${rec.functionName}\u0000${rec.name}`) === rec.arn) d.byName.delete(`${rec.functionName}\u0000${rec.name}`);
  return true;
}

/** The execution an ARN names; `tokenApi` operations (checkpoint, state) have no ResourceNotFoundException. */
function execOf(ctx: Ctx, arn: string, tokenApi = false): DurableExecRec {
  const rec = durableState(st(ctx)).executions.get(String(arn));
  if (!rec || expired(ctx, rec)) throw tokenApi ? invalid("Invalid checkpoint token: no durable execution matches this ARN.") : notFound(String(arn));
  return rec;
}

function event(ctx: Ctx, rec: DurableExecRec, type: string, op: DurableOp | undefined, details: Json): void {
  rec.events.push({
    EventType: type,
    EventId: rec.events.length + 1,
    Id: op?.Id ?? rec.id,
    Name: op?.Name,
    ParentId: op?.ParentId,
    SubType: op?.SubType,
    EventTimestamp: ctx.now(),
    ...details,
  });
}

const payloadOf = (p: string | undefined) => ({ Payload: p });
const errorOf = (e: ErrorObject | undefined) => ({ Payload: e });

function timer(rec: DurableExecRec, key: string, ms: number, fn: () => void): void {
  clearTimeout(rec.timers.get(key));
  const t = setTimeout(
    () => {
      rec.timers.delete(key);
      if (rec.status === "RUNNING") fn();
    },
    Math.min(Math.max(0, ms), 2 ** 31 - 1),
  );
  t.unref();
  rec.timers.set(key, t);
}

function newToken(rec: DurableExecRec): string {
  rec.tokenSeq++;
  rec.token = Buffer.from(JSON.stringify({ e: rec.id, n: rec.tokenSeq, r: opaque(9) })).toString("base64");
  return rec.token;
}

/** Find or start the execution an invocation of a durable function belongs to (execution names are idempotent). */
export function startExecution(
  ctx: Ctx,
  f: FunctionRec,
  qualifier: string | undefined,
  target: { version: string; rec: FunctionRec },
  payload: Buffer,
  name?: string,
): { rec: DurableExecRec; created: boolean } {
  if (qualifier === undefined) throw invalid("You cannot invoke a durable function using an unqualified ARN.");
  const { version, rec: rec0 } = target;
  const d = durableState(st(ctx));
  const input = payload.toString("utf8");
  if (name) {
    const existing = d.executions.get(d.byName.get(`${f.name}\u0000${name}`) ?? "");
    if (existing && !expired(ctx, existing)) {
      if (existing.input !== input || existing.version !== version)
        throw new AwsError(
          "DurableExecutionAlreadyStartedException",
          `Durable execution with name ${name} already exists for function ${f.name} with a different payload or version: ${existing.arn}`,
          409,
          { extra: { Type: "User" } },
        );
      return { rec: existing, created: false };
    }
  }
  const id = randomUUID();
  const execName = name ?? randomUUID();
  // FunctionArn carries the qualifier the execution was started with; the execution ARN the version that runs.
  const functionArn = `${f.arn}:${qualifier}`;
  const cfg = (rec0.settings.DurableConfig ?? {}) as { ExecutionTimeout?: number; RetentionPeriodInDays?: number };
  const now = ctx.now();
  const rec: DurableExecRec = {
    arn: `${f.arn}:${version}/durable-execution/${execName}/${id}`,
    id,
    name: execName,
    functionName: f.name,
    functionArn,
    version,
    input,
    status: "RUNNING",
    start: now,
    traceId: `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString("hex")};Sampled=0`,
    seq: ++d.seq,
    ops: new Map(),
    order: new Map(),
    events: [],
    token: "",
    tokenSeq: 0,
    changed: new Set(),
    timeoutSec: cfg.ExecutionTimeout ?? DEFAULT_TIMEOUT_SEC,
    retentionDays: cfg.RetentionPeriodInDays ?? DEFAULT_RETENTION_DAYS,
    running: false,
    invokeErrors: 0,
    timers: new Map(),
    waiters: [],
  };
  const op: DurableOp = { Id: id, Name: execName, Type: "EXECUTION", StartTimestamp: now, Status: "STARTED", ExecutionDetails: { InputPayload: input } };
  addOp(rec, op);
  event(ctx, rec, "ExecutionStarted", op, { ExecutionStartedDetails: { Input: payloadOf(input), ExecutionTimeout: rec.timeoutSec } });
  newToken(rec);
  d.executions.set(rec.arn, rec);
  d.byName.set(`${f.name}\u0000${execName}`, rec.arn);
  timer(rec, "execution-timeout", rec.timeoutSec * 1000, () =>
    close(ctx, rec, "TIMED_OUT", {
      error: { ErrorType: "Execution.TimedOut", ErrorMessage: `The durable execution exceeded its ExecutionTimeout of ${rec.timeoutSec} seconds.` },
    }),
  );
  return { rec, created: true };
}

function addOp(rec: DurableExecRec, op: DurableOp): void {
  rec.ops.set(op.Id, op);
  rec.order.set(op.Id, rec.order.size);
}

/** Close the execution: its EXECUTION operation, the event, timers; waiting synchronous invokes return. */
export function close(ctx: Ctx, rec: DurableExecRec, status: DurableExecRec["status"], o: { result?: string; error?: ErrorObject }): void {
  if (rec.status !== "RUNNING") return;
  rec.status = status;
  rec.end = ctx.now();
  rec.result = o.result;
  rec.error = o.error;
  const op = rec.ops.get(rec.id);
  if (op) {
    op.Status = status;
    op.EndTimestamp = rec.end;
  }
  if (status === "SUCCEEDED") event(ctx, rec, "ExecutionSucceeded", op, { ExecutionSucceededDetails: { Result: payloadOf(o.result) } });
  else if (status === "FAILED") event(ctx, rec, "ExecutionFailed", op, { ExecutionFailedDetails: { Error: errorOf(o.error) } });
  else if (status === "STOPPED") event(ctx, rec, "ExecutionStopped", op, { ExecutionStoppedDetails: { Error: errorOf(o.error) } });
  else event(ctx, rec, "ExecutionTimedOut", op, { ExecutionTimedOutDetails: { Error: errorOf(o.error) } });
  for (const t of rec.timers.values()) clearTimeout(t);
  rec.timers.clear();
  const d = durableState(st(ctx));
  for (const o2 of rec.ops.values()) if (o2.CallbackDetails?.CallbackId) d.callbacks.delete(o2.CallbackDetails.CallbackId);
  // Waiters are live callbacks (a restored snapshot has none).
  for (const w of rec.waiters.splice(0)) if (typeof w === "function") w();
}

/** Resolves when the execution is no longer RUNNING. */
export const closed = (rec: DurableExecRec): Promise<void> => (rec.status !== "RUNNING" ? Promise.resolve() : new Promise((r) => rec.waiters.push(r)));

// ---------------------------------------------------------------------------------------------------------
// The state the SDK replays

/** Operations in start order; children of a closed CONTEXT are left out unless it asked to replay them. */
function visibleOps(rec: DurableExecRec): DurableOp[] {
  const hidden = (op: DurableOp): boolean => {
    let p = op.ParentId ? rec.ops.get(op.ParentId) : undefined;
    while (p) {
      if (p.Type === "CONTEXT" && p.Status !== "STARTED" && !p.ContextDetails?.ReplayChildren) return true;
      p = p.ParentId ? rec.ops.get(p.ParentId) : undefined;
    }
    return false;
  };
  return [...rec.ops.values()].filter((op) => !hidden(op));
}

function statePage(rec: DurableExecRec, marker: string | undefined, max: number | undefined) {
  const p = paginate(visibleOps(rec), {
    maxResults: max,
    nextToken: marker,
    defaultMax: PAGE,
    key: (op) => String(rec.order.get(op.Id) ?? 0).padStart(10, "0"),
    invalidToken: () => invalid("Invalid marker."),
  });
  return { Operations: p.items.map(cloneOp), NextMarker: p.nextToken };
}

const cloneOp = (op: DurableOp): DurableOp => structuredClone(op);

/** The payload the function receives for one invocation of the execution (a fresh token each time). */
export function invocationInput(rec: DurableExecRec, fresh: boolean): Buffer {
  if (fresh) {
    rec.changed.clear();
    newToken(rec);
  }
  return Buffer.from(JSON.stringify({ DurableExecutionArn: rec.arn, CheckpointToken: rec.token, InitialExecutionState: statePage(rec, undefined, undefined) }));
}

function checkToken(rec: DurableExecRec, token: string, exact: boolean): void {
  let t: { e?: string; n?: number } | undefined;
  try {
    t = JSON.parse(Buffer.from(String(token), "base64").toString("utf8"));
  } catch {
    t = undefined;
  }
  const ok = exact ? token === rec.token : t?.e === rec.id && typeof t.n === "number" && t.n <= rec.tokenSeq;
  if (!ok) throw invalid("Invalid checkpoint token: the token was already used or does not belong to this durable execution.");
}

// ---------------------------------------------------------------------------------------------------------
// Service-side changes and re-invocation

/** Hooks the invoke side provides: run the function once (execute mode) and invoke a chained function. */
export interface DurableDriver {
  /** Invoke the execution's function once with its current state; called when it must run (execute mode only). */
  reinvoke(ctx: Ctx, rec: DurableExecRec): void;
  /** Invoke another function for a CHAINED_INVOKE and report its outcome. */
  chained(
    ctx: Ctx,
    rec: DurableExecRec,
    target: string,
    tenantId: string | undefined,
    payload: Buffer,
  ): Promise<{ result?: string; error?: ErrorObject; version?: string; arn?: string }>;
}

function serviceChanged(ctx: Ctx, rec: DurableExecRec, driver: DurableDriver, opId: string): void {
  rec.changed.add(opId);
  if (ctx.config.execute && !rec.running && rec.status === "RUNNING") driver.reinvoke(ctx, rec);
}

// ---------------------------------------------------------------------------------------------------------
// CheckpointDurableExecution

const ACTIONS: Record<string, string[]> = {
  EXECUTION: ["SUCCEED", "FAIL"],
  CONTEXT: ["START", "SUCCEED", "FAIL"],
  STEP: ["START", "SUCCEED", "FAIL", "RETRY"],
  WAIT: ["START", "CANCEL"],
  CALLBACK: ["START"],
  CHAINED_INVOKE: ["START"],
};

function applyUpdate(ctx: Ctx, rec: DurableExecRec, u: Input, driver: DurableDriver): void {
  const type = String(u.Type);
  const action = String(u.Action);
  const id = String(u.Id);
  if (!ACTIONS[type]?.includes(action)) throw invalid(`Action ${action} is not supported for operations of type ${type}.`);
  const now = ctx.now();
  let op = rec.ops.get(id);
  if (type === "EXECUTION") {
    if (id !== rec.id) throw invalid(`Operation ${id} is not the EXECUTION operation of this durable execution.`);
    if (action === "SUCCEED") close(ctx, rec, "SUCCEEDED", { result: u.Payload });
    else close(ctx, rec, "FAILED", { error: u.Error });
    return;
  }
  if (op && op.Type !== type) throw invalid(`Operation ${id} is a ${op.Type} operation, not ${type}.`);
  if (u.ParentId !== undefined && !rec.ops.has(String(u.ParentId))) throw invalid(`Parent operation ${u.ParentId} does not exist.`);
  if (action === "START") {
    const restart = type === "STEP" && op && (op.Status === "READY" || op.Status === "PENDING");
    if (op && !restart) throw invalid(`Operation ${id} has already started.`);
    if (!op) {
      op = { Id: id, ParentId: u.ParentId, Name: u.Name, Type: type, SubType: u.SubType, StartTimestamp: now, Status: "STARTED" };
      addOp(rec, op);
    }
    startOp(ctx, rec, op, u, driver);
    return;
  }
  if (!op) throw invalid(`Operation ${id} has not been started.`);
  const open = op.Status === "STARTED" || (type === "STEP" && (op.Status === "READY" || op.Status === "PENDING"));
  if (!open) throw invalid(`Operation ${id} is already ${op.Status}.`);
  if (type === "WAIT") {
    op.Status = "CANCELLED";
    op.EndTimestamp = now;
    clearTimeout(rec.timers.get(`wait:${id}`));
    event(ctx, rec, "WaitCancelled", op, { WaitCancelledDetails: { Error: errorOf(u.Error) } });
    return;
  }
  if (type === "CONTEXT") {
    op.Status = action === "SUCCEED" ? "SUCCEEDED" : "FAILED";
    op.EndTimestamp = now;
    op.ContextDetails = { ...op.ContextDetails, Result: u.Payload, Error: u.Error };
    if (action === "SUCCEED") event(ctx, rec, "ContextSucceeded", op, { ContextSucceededDetails: { Result: payloadOf(u.Payload) } });
    else event(ctx, rec, "ContextFailed", op, { ContextFailedDetails: { Error: errorOf(u.Error) } });
    return;
  }
  // STEP: SUCCEED / FAIL / RETRY
  const attempt = op.StepDetails?.Attempt;
  if (action === "RETRY") {
    const delay = Number(u.StepOptions?.NextAttemptDelaySeconds ?? 1);
    const next = (attempt ?? 0) + 1;
    op.Status = "PENDING";
    op.StepDetails = { Attempt: next, NextAttemptTimestamp: new Date(now.getTime() + delay * 1000), Result: u.Payload, Error: u.Error };
    event(ctx, rec, "StepFailed", op, {
      StepFailedDetails: { Error: errorOf(u.Error), RetryDetails: { CurrentAttempt: next, NextAttemptDelaySeconds: delay } },
    });
    timer(rec, `step:${id}`, delay * 1000, () => {
      op!.Status = "READY";
      serviceChanged(ctx, rec, driver, id);
    });
    return;
  }
  op.Status = action === "SUCCEED" ? "SUCCEEDED" : "FAILED";
  op.EndTimestamp = now;
  op.StepDetails = { Attempt: attempt, Result: u.Payload, Error: u.Error };
  const retry = { CurrentAttempt: attempt ?? 0 };
  if (action === "SUCCEED") event(ctx, rec, "StepSucceeded", op, { StepSucceededDetails: { Result: payloadOf(u.Payload), RetryDetails: retry } });
  else event(ctx, rec, "StepFailed", op, { StepFailedDetails: { Error: errorOf(u.Error), RetryDetails: retry } });
}

function startOp(ctx: Ctx, rec: DurableExecRec, op: DurableOp, u: Input, driver: DurableDriver): void {
  const now = ctx.now();
  op.Status = "STARTED";
  const id = op.Id;
  switch (op.Type) {
    case "STEP":
      op.StepDetails = { Attempt: op.StepDetails?.Attempt };
      event(ctx, rec, "StepStarted", op, { StepStartedDetails: {} });
      return;
    case "CONTEXT":
      op.ContextDetails = { ReplayChildren: u.ContextOptions?.ReplayChildren };
      event(ctx, rec, "ContextStarted", op, { ContextStartedDetails: {} });
      return;
    case "WAIT": {
      const secs = Number(u.WaitOptions?.WaitSeconds);
      if (!Number.isInteger(secs) || secs < 1) throw invalid("WaitOptions.WaitSeconds is required to start a WAIT operation.");
      const end = new Date(now.getTime() + secs * 1000);
      op.WaitDetails = { ScheduledEndTimestamp: end };
      event(ctx, rec, "WaitStarted", op, { WaitStartedDetails: { Duration: secs, ScheduledEndTimestamp: end } });
      timer(rec, `wait:${id}`, secs * 1000, () => {
        op.Status = "SUCCEEDED";
        op.EndTimestamp = ctx.now();
        event(ctx, rec, "WaitSucceeded", op, { WaitSucceededDetails: { Duration: secs } });
        serviceChanged(ctx, rec, driver, id);
      });
      return;
    }
    case "CALLBACK": {
      const callbackId = opaque(48);
      const timeout = u.CallbackOptions?.TimeoutSeconds;
      const heartbeat = u.CallbackOptions?.HeartbeatTimeoutSeconds;
      op.CallbackDetails = { CallbackId: callbackId };
      durableState(st(ctx)).callbacks.set(callbackId, { arn: rec.arn, opId: id });
      event(ctx, rec, "CallbackStarted", op, { CallbackStartedDetails: { CallbackId: callbackId, Timeout: timeout, HeartbeatTimeout: heartbeat } });
      const expire = (why: string) => () => callbackTimedOut(ctx, rec, op, driver, why);
      if (timeout) timer(rec, `callback:${id}`, timeout * 1000, expire(`The callback did not complete within its TimeoutSeconds of ${timeout}.`));
      if (heartbeat) timer(rec, `heartbeat:${id}`, heartbeat * 1000, expire(`No heartbeat arrived within HeartbeatTimeoutSeconds of ${heartbeat}.`));
      return;
    }
    case "CHAINED_INVOKE": {
      const target = String(u.ChainedInvokeOptions?.FunctionName ?? "");
      if (!target) throw invalid("ChainedInvokeOptions.FunctionName is required to start a CHAINED_INVOKE operation.");
      const payload = u.Payload;
      const started = driver.chained(ctx, rec, target, u.ChainedInvokeOptions?.TenantId, Buffer.from(payload ?? "{}"));
      const details: Json = { FunctionName: target, TenantId: u.ChainedInvokeOptions?.TenantId, Input: payloadOf(payload) };
      event(ctx, rec, "ChainedInvokeStarted", op, { ChainedInvokeStartedDetails: details });
      void started.then(
        (out) => {
          if (out.version) details.ExecutedVersion = out.version;
          if (out.arn) details.DurableExecutionArn = out.arn;
          if (rec.status !== "RUNNING" || op.Status !== "STARTED") return;
          op.EndTimestamp = ctx.now();
          op.Status = out.error ? "FAILED" : "SUCCEEDED";
          op.ChainedInvokeDetails = { Result: out.result, Error: out.error };
          if (out.error) event(ctx, rec, "ChainedInvokeFailed", op, { ChainedInvokeFailedDetails: { Error: errorOf(out.error) } });
          else event(ctx, rec, "ChainedInvokeSucceeded", op, { ChainedInvokeSucceededDetails: { Result: payloadOf(out.result) } });
          serviceChanged(ctx, rec, driver, id);
        },
        () => undefined,
      );
      return;
    }
  }
}

function callbackTimedOut(ctx: Ctx, rec: DurableExecRec, op: DurableOp, driver: DurableDriver, message: string): void {
  if (op.Status !== "STARTED") return;
  op.Status = "TIMED_OUT";
  op.EndTimestamp = ctx.now();
  const error = { ErrorType: "Callback.Timeout", ErrorMessage: message };
  op.CallbackDetails = { ...op.CallbackDetails, Error: error };
  for (const k of [`callback:${op.Id}`, `heartbeat:${op.Id}`]) clearTimeout(rec.timers.get(k));
  durableState(st(ctx)).callbacks.delete(op.CallbackDetails.CallbackId!);
  event(ctx, rec, "CallbackTimedOut", op, { CallbackTimedOutDetails: { Error: errorOf(error) } });
  serviceChanged(ctx, rec, driver, op.Id);
}

function checkpoint(ctx: Ctx, v: Input, driver: DurableDriver) {
  const rec = execOf(ctx, v.DurableExecutionArn, true);
  const clientToken = v.ClientToken as string | undefined;
  const last = rec.lastCheckpoint;
  if (clientToken && last && last.clientToken === clientToken && last.requestToken === v.CheckpointToken) return last.response;
  if (rec.status !== "RUNNING") throw invalid(`Invalid checkpoint token: the durable execution is ${rec.status}.`);
  checkToken(rec, v.CheckpointToken, true);
  const updates = (v.Updates ?? []) as Input[];
  const seen = new Map<string, string>();
  for (const u of updates) {
    const prev = seen.get(String(u.Id));
    if (prev !== undefined && !(prev === "START" && (u.Type === "STEP" || u.Type === "CONTEXT")))
      throw invalid(`The checkpoint contains more than one update for operation ${u.Id}.`);
    seen.set(String(u.Id), String(u.Action));
  }
  const touched: string[] = [];
  for (const u of updates) {
    if (rec.status !== "RUNNING") throw invalid(`Operation ${u.Id} was checkpointed after the execution closed.`);
    applyUpdate(ctx, rec, u, driver);
    touched.push(String(u.Id));
  }
  const ids = new Set([...touched, ...rec.changed]);
  rec.changed.clear();
  const response = {
    CheckpointToken: rec.status === "RUNNING" ? newToken(rec) : undefined,
    NewExecutionState: {
      Operations: [...ids]
        .map((id) => rec.ops.get(id))
        .filter((x): x is DurableOp => !!x)
        .map(cloneOp),
    },
  };
  if (clientToken) rec.lastCheckpoint = { clientToken, requestToken: String(v.CheckpointToken), response };
  return response;
}

// ---------------------------------------------------------------------------------------------------------
// The read APIs

function GetDurableExecution(ctx: Ctx, v: Input) {
  const rec = execOf(ctx, v.DurableExecutionArn);
  return {
    DurableExecutionArn: rec.arn,
    DurableExecutionName: rec.name,
    FunctionArn: rec.functionArn,
    InputPayload: rec.input,
    Result: rec.result,
    Error: rec.error,
    StartTimestamp: rec.start,
    Status: rec.status,
    EndTimestamp: rec.end,
    Version: rec.version,
    TraceHeader: { XAmznTraceId: rec.traceId },
  };
}

function GetDurableExecutionState(ctx: Ctx, v: Input) {
  const rec = execOf(ctx, v.DurableExecutionArn, true);
  checkToken(rec, v.CheckpointToken, false);
  return statePage(rec, v.Marker, v.MaxItems || undefined);
}

/** Without IncludeExecutionData, payloads (inputs, results, errors) are left out of the events. */
function stripData(e: Json): Json {
  const out: Json = {};
  for (const [k, val] of Object.entries(e)) {
    if (!k.endsWith("Details") || typeof val !== "object" || val === null) {
      out[k] = val;
      continue;
    }
    const d: Json = {};
    for (const [dk, dv] of Object.entries(val as Json)) d[dk] = (dk === "Input" || dk === "Result" || dk === "Error") && typeof dv === "object" ? {} : dv;
    out[k] = d;
  }
  return out;
}

function GetDurableExecutionHistory(ctx: Ctx, v: Input) {
  const rec = execOf(ctx, v.DurableExecutionArn);
  const rev = v.ReverseOrder === true || v.ReverseOrder === "true";
  const all = rev ? [...rec.events].reverse() : rec.events;
  const p = paginate(all, {
    maxResults: v.MaxItems || undefined,
    nextToken: v.Marker,
    defaultMax: PAGE,
    key: (e) => String(rev ? 1e9 - Number(e.EventId) : Number(e.EventId)).padStart(10, "0"),
    invalidToken: () => invalid("Invalid marker."),
  });
  const data = v.IncludeExecutionData === true || v.IncludeExecutionData === "true";
  return { Events: p.items.map((e) => (data ? e : stripData(e))), NextMarker: p.nextToken };
}

function ListDurableExecutionsByFunction(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = v.Qualifier ?? parseName(v.FunctionName)[1] ?? "$LATEST";
  const version = f.aliases.get(q)?.FunctionVersion ?? q;
  if (version !== "$LATEST" && !f.versions.some((x) => x.version === version)) throw E.notFound(`${f.arn}:${q}`);
  const statuses = v.Statuses ? ([] as string[]).concat(v.Statuses) : undefined;
  const after = v.StartedAfter ? new Date(v.StartedAfter).getTime() : undefined;
  const before = v.StartedBefore ? new Date(v.StartedBefore).getTime() : undefined;
  const rev = v.ReverseOrder === true || v.ReverseOrder === "true";
  let all = [...durableState(st(ctx)).executions.values()].filter(
    (e) =>
      !expired(ctx, e) &&
      e.functionName === f.name &&
      e.version === version &&
      (!v.DurableExecutionName || e.name === v.DurableExecutionName) &&
      (!statuses || statuses.includes(e.status)) &&
      (after === undefined || e.start.getTime() > after) &&
      (before === undefined || e.start.getTime() < before),
  );
  all.sort((a, b) => a.seq - b.seq);
  if (rev) all = all.reverse();
  const p = paginate(all, {
    maxResults: v.MaxItems || undefined,
    nextToken: v.Marker,
    defaultMax: PAGE,
    key: (e) => String(rev ? 1e12 - e.seq : e.seq).padStart(13, "0"),
    invalidToken: () => invalid("Invalid marker."),
  });
  return {
    DurableExecutions: p.items.map((e) => ({
      DurableExecutionArn: e.arn,
      DurableExecutionName: e.name,
      FunctionArn: e.functionArn,
      Status: e.status,
      StartTimestamp: e.start,
      EndTimestamp: e.end,
    })),
    NextMarker: p.nextToken,
  };
}

function StopDurableExecution(ctx: Ctx, v: Input) {
  const rec = execOf(ctx, v.DurableExecutionArn);
  if (rec.status !== "RUNNING") throw invalid(`The durable execution is already ${rec.status} and cannot be stopped.`);
  const body = v.Error as ErrorObject | undefined;
  const error =
    body && Object.keys(body).length ? body : { ErrorType: "Execution.Stopped", ErrorMessage: "The durable execution was stopped by StopDurableExecution." };
  close(ctx, rec, "STOPPED", { error });
  return { StopTimestamp: rec.end };
}

// ---------------------------------------------------------------------------------------------------------
// Callbacks

function callbackOp(ctx: Ctx, id: string): { rec: DurableExecRec; op: DurableOp } {
  const ref = durableState(st(ctx)).callbacks.get(String(id));
  const rec = ref ? durableState(st(ctx)).executions.get(ref.arn) : undefined;
  const op = ref && rec ? rec.ops.get(ref.opId) : undefined;
  if (!rec || !op || rec.status !== "RUNNING" || op.Status !== "STARTED") throw callbackGone();
  return { rec, op };
}

function completeCallback(ctx: Ctx, id: string, driver: DurableDriver, o: { result?: string; error?: ErrorObject }) {
  const { rec, op } = callbackOp(ctx, id);
  op.Status = o.error ? "FAILED" : "SUCCEEDED";
  op.EndTimestamp = ctx.now();
  op.CallbackDetails = { ...op.CallbackDetails, Result: o.result, Error: o.error };
  for (const k of [`callback:${op.Id}`, `heartbeat:${op.Id}`]) clearTimeout(rec.timers.get(k));
  durableState(st(ctx)).callbacks.delete(String(id));
  if (o.error) event(ctx, rec, "CallbackFailed", op, { CallbackFailedDetails: { Error: errorOf(o.error) } });
  else event(ctx, rec, "CallbackSucceeded", op, { CallbackSucceededDetails: { Result: payloadOf(o.result) } });
  serviceChanged(ctx, rec, driver, op.Id);
  return {};
}

const bodyOf = (v: Input, member: string): Buffer | undefined => {
  const p = v[member] ?? v.$body;
  if (p === undefined) return undefined;
  return Buffer.isBuffer(p) ? p : typeof p === "string" ? Buffer.from(p) : p instanceof Uint8Array ? Buffer.from(p) : undefined;
};

function SendDurableExecutionCallbackHeartbeat(ctx: Ctx, v: Input, driver: DurableDriver) {
  const { rec, op } = callbackOp(ctx, v.CallbackId);
  const started = rec.events.find((e) => e.EventType === "CallbackStarted" && e.Id === op.Id)?.CallbackStartedDetails as
    | { HeartbeatTimeout?: number }
    | undefined;
  const hb = started?.HeartbeatTimeout;
  if (hb)
    timer(rec, `heartbeat:${op.Id}`, hb * 1000, () => callbackTimedOut(ctx, rec, op, driver, `No heartbeat arrived within HeartbeatTimeoutSeconds of ${hb}.`));
  return {};
}

/** POST /_awsim/clock/advance: simulated days pass for the retention of closed executions. */
export function advanceClock(states: LambdaRuntimeState[], ms: number): void {
  for (const s of states) {
    const d = durableState(s);
    d.clockOffsetMs = (d.clockOffsetMs ?? 0) + ms;
  }
}

export function durableOperations(driver: DurableDriver) {
  return {
    CheckpointDurableExecution: (ctx: Ctx, v: Input) => checkpoint(ctx, v, driver),
    GetDurableExecution,
    GetDurableExecutionHistory,
    GetDurableExecutionState,
    ListDurableExecutionsByFunction,
    StopDurableExecution,
    SendDurableExecutionCallbackSuccess: (ctx: Ctx, v: Input) => {
      const body = bodyOf(v, "Result");
      return completeCallback(ctx, v.CallbackId, driver, { result: body?.length ? body.toString("utf8") : undefined });
    },
    SendDurableExecutionCallbackFailure: (ctx: Ctx, v: Input) => {
      const e = (v.Error && typeof v.Error === "object" && !Buffer.isBuffer(v.Error) ? v.Error : {}) as ErrorObject;
      return completeCallback(ctx, v.CallbackId, driver, { error: e });
    },
    SendDurableExecutionCallbackHeartbeat: (ctx: Ctx, v: Input) => SendDurableExecutionCallbackHeartbeat(ctx, v, driver),
  };
}
