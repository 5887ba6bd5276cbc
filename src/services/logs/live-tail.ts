/**
 * StartLiveTail: an application/vnd.amazon.eventstream response that stays open. After the protocol's
 * initial-response event comes sessionStart; then a sessionUpdate every second carries the events ingested since the last one into
 * the tailed groups (stream names / prefixes and the filter pattern applied; empty updates keep the
 * session alive, as AWS's). A session ends when the client goes away, after 3 hours (with
 * SessionTimeoutException), on reset or on stop. At most 15 concurrent sessions per account and region.
 */
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { crc32 } from "node:zlib";
import { encodeCbor } from "../../protocols/cbor.js";
import { isRpcV2Cbor } from "../../protocols/rpcv2-cbor.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { findGroup, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { compileFilterPattern } from "./filter-pattern.js";
import { groupArn, type LogEvent, type LogsState } from "./state.js";

const MAX_SESSIONS = 15;
const UPDATE_MS = 1000;
const SESSION_MS = 3 * 3600_000;
const MAX_RESULTS_PER_UPDATE = 500;

export interface LiveTailSession {
  groups: Set<string>;
  streams?: Set<string>;
  prefixes?: string[];
  match: (m: string) => boolean;
  buffer: Array<{ logStreamName: string; logGroupIdentifier: string; message: string; timestamp: number; ingestionTime: number }>;
  end: (error?: { type: string; message: string }) => void;
}

/** One event-stream message: prelude (lengths + CRC), string headers, payload, message CRC. */
export function eventMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const hs = Object.entries(headers).map(([k, v]) => {
    const name = Buffer.from(k);
    const value = Buffer.from(v);
    const h = Buffer.alloc(1 + name.length + 1 + 2 + value.length);
    h.writeUInt8(name.length, 0);
    name.copy(h, 1);
    h.writeUInt8(7, 1 + name.length);
    h.writeUInt16BE(value.length, 2 + name.length);
    value.copy(h, 4 + name.length);
    return h;
  });
  const headerBuf = Buffer.concat(hs);
  const total = 12 + headerBuf.length + payload.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBuf.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const body = Buffer.concat([prelude, preludeCrc, headerBuf, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

/** Event payloads in the request's protocol: JSON, or CBOR for a Smithy RPC v2 CBOR request. */
type Payloads = { type: string; encode: (o: unknown) => Buffer };
const JSON_PAYLOADS: Payloads = { type: "application/json", encode: (o) => Buffer.from(JSON.stringify(o)) };
const CBOR_PAYLOADS: Payloads = { type: "application/cbor", encode: encodeCbor };
const event = (p: Payloads, type: string, o: unknown) => eventMessage({ ":message-type": "event", ":event-type": type, ":content-type": p.type }, p.encode(o));
const exception = (p: Payloads, type: string, message: string) =>
  eventMessage({ ":message-type": "exception", ":exception-type": type, ":content-type": p.type }, p.encode({ message }));

/** Offer freshly stored events of a group to the live tail sessions watching it. */
export function offerLiveTail(st: LogsState, group: string, stream: string, events: LogEvent[]): void {
  for (const s of st.liveTails) {
    if (!s.groups.has(group)) continue;
    if (s.streams && !s.streams.has(stream)) continue;
    if (s.prefixes && !s.prefixes.some((p) => stream.startsWith(p))) continue;
    for (const e of events) {
      if (!s.match(e.message)) continue;
      s.buffer.push({
        logStreamName: stream,
        logGroupIdentifier: groupArn(st, group),
        message: e.message,
        timestamp: e.timestamp,
        ingestionTime: e.ingestionTime,
      });
    }
  }
}

export function StartLiveTail(
  ctx: Ctx,
  v: { logGroupIdentifiers: string[]; logStreamNames?: string[]; logStreamNamePrefixes?: string[]; logEventFilterPattern?: string },
) {
  const st = state(ctx);
  const ids = Array.isArray(v.logGroupIdentifiers) ? v.logGroupIdentifiers : [];
  if (ids.length < 1 || ids.length > 10) throw LogsErrors.invalidParameter("logGroupIdentifiers must contain between 1 and 10 log groups.");
  if (v.logStreamNames && v.logStreamNamePrefixes)
    throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.");
  if ((v.logStreamNames || v.logStreamNamePrefixes) && ids.length !== 1) {
    throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefixes can be specified only with exactly one log group.");
  }
  if (v.logStreamNamePrefixes && v.logStreamNamePrefixes.length > 5) throw LogsErrors.invalidParameter("At most 5 logStreamNamePrefixes can be specified.");
  const groups = ids.map((id) => findGroup(st, { logGroupIdentifier: String(id) }));
  const match = compileFilterPattern(v.logEventFilterPattern);
  if (st.liveTails.size >= MAX_SESSIONS) throw LogsErrors.limitExceeded("The maximum number of concurrent Live Tail sessions (15) has been reached.");

  const payloads = isRpcV2Cbor(ctx) ? CBOR_PAYLOADS : JSON_PAYLOADS;
  const out = new PassThrough();
  let updates: NodeJS.Timeout | undefined;
  let timeout: NodeJS.Timeout | undefined;
  const session: LiveTailSession = {
    groups: new Set(groups.map((g) => g.name)),
    streams: v.logStreamNames ? new Set(v.logStreamNames) : undefined,
    prefixes: v.logStreamNamePrefixes,
    match,
    buffer: [],
    end: (error) => {
      if (!st.liveTails.delete(session)) return;
      clearInterval(updates);
      clearTimeout(timeout);
      if (error && !out.destroyed) out.end(exception(payloads, error.type, error.message));
      else if (!out.destroyed) out.end();
    },
  };
  st.liveTails.add(session);
  out.on("close", () => session.end());
  // An RPC (JSON protocol) event stream opens with the initial-response event carrying the output's other
  // members (none here): botocore refuses a stream without it; the JS SDK consumes it.
  out.write(event(payloads, "initial-response", {}));
  out.write(
    event(payloads, "sessionStart", {
      requestId: ctx.requestId,
      sessionId: randomUUID(),
      logGroupIdentifiers: ids,
      logStreamNames: v.logStreamNames,
      logStreamNamePrefixes: v.logStreamNamePrefixes,
      logEventFilterPattern: v.logEventFilterPattern,
    }),
  );
  updates = setInterval(() => {
    const results = session.buffer.splice(0, session.buffer.length);
    const sampled = results.length > MAX_RESULTS_PER_UPDATE;
    out.write(event(payloads, "sessionUpdate", { sessionMetadata: { sampled }, sessionResults: sampled ? results.slice(-MAX_RESULTS_PER_UPDATE) : results }));
  }, UPDATE_MS);
  timeout = setTimeout(() => session.end({ type: "SessionTimeoutException", message: "Session timed out after 3 hours." }), SESSION_MS);
  return rawResponse({
    status: 200,
    headers: { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": ctx.requestId },
    body: out,
  });
}
