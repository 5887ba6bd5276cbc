/** Log streams: create, describe (order, prefix, pagination), delete. */
import type { DescribeLogStreamsResponse, LogStream as SdkLogStream } from "@aws-sdk/client-cloudwatch-logs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, findGroup, findStream, GROUP_NAME, groupSpec, LIMIT50, state, STREAM_NAME } from "./common.js";
import { LogsErrors } from "./errors.js";
import { groupArn, type LogGroup, type LogStream, type LogsState } from "./state.js";

export function createStream(g: LogGroup, name: string, now: number): LogStream {
  if (g.streams.has(name)) throw LogsErrors.streamExists();
  const s: LogStream = { name, creationTime: now, events: [], storedBytes: 0, dropped: 0 };
  g.streams.set(name, s);
  return s;
}

function describeStream(st: LogsState, g: LogGroup, s: LogStream): SdkLogStream {
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    firstEventTimestamp: s.firstEventTimestamp,
    lastEventTimestamp: s.lastEventTimestamp,
    lastIngestionTime: s.lastIngestionTime,
    // AWS no longer shows a token for a stream that never received events (sequence tokens are ignored since 2023).
    uploadSequenceToken: s.events.length + s.dropped > 0 ? sequenceToken(s) : undefined,
    arn: `${groupArn(st, g.name)}:log-stream:${s.name}`,
    storedBytes: 0,
  };
}

/** AWS's sequence tokens are long decimal strings; ours count the events a stream received. */
export function sequenceToken(s: LogStream): string {
  return String(49_000_000_000_000 + s.events.length + s.dropped).padStart(56, "4");
}

export function CreateLogStream(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; logStreamName: string }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    logStreamName: { ...STREAM_NAME, required: true },
  });
  createStream(findGroup(state(ctx), v), v.logStreamName, ctx.now().getTime());
  return {};
}

export function DescribeLogStreams(ctx: Ctx, input: unknown): DescribeLogStreamsResponse {
  const v = check<{
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamNamePrefix?: string;
    orderBy?: "LogStreamName" | "LastEventTime";
    descending?: boolean;
    limit?: number;
    nextToken?: string;
  }>(
    input,
    groupSpec({
      logStreamNamePrefix: { ...STREAM_NAME },
      orderBy: { enum: ["LogStreamName", "LastEventTime"] },
      descending: { type: "boolean" },
      limit: LIMIT50,
      nextToken: { minLength: 1 },
    }),
  );
  if (v.orderBy === "LastEventTime" && v.logStreamNamePrefix !== undefined) {
    throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  // DescribeLogStreams answers this one with ValidationException (recorded), not findGroup's InvalidParameterException.
  if (v.logGroupName !== undefined && v.logGroupIdentifier !== undefined) {
    throw LogsErrors.validation("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  }
  const st = state(ctx);
  const g = findGroup(st, v);
  let streams = [...g.streams.values()].filter((s) => v.logStreamNamePrefix === undefined || s.name.startsWith(v.logStreamNamePrefix));
  if (v.orderBy === "LastEventTime") {
    streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || (a.name < b.name ? -1 : 1));
  } else streams.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (v.descending) streams = streams.reverse();
  const page = paginate(streams, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: (s) => s.name, invalidToken: LogsErrors.invalidToken });
  return { logStreams: page.items.map((s) => describeStream(st, g, s)), nextToken: page.nextToken };
}

export function DeleteLogStream(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; logStreamName: string }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    logStreamName: { ...STREAM_NAME, required: true },
  });
  const g = findGroup(state(ctx), v);
  findStream(g, v.logStreamName);
  g.streams.delete(v.logStreamName);
  return {};
}
