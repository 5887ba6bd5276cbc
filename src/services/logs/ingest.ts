/**
 * What happens to events after they are stored: every metric filter of the group turns matching events
 * into metric data points (kept in state, read at GET /_awsim/logs/metrics: awsim has no CloudWatch
 * metrics service), and every subscription filter queues matching events for delivery. Deliveries are
 * batched per filter and stream and flushed on the next turn of the event loop: a Lambda destination is
 * invoked asynchronously (InvocationType Event) through this server's own Lambda API with AWS's payload
 * {"awslogs":{"data": base64(gzip(JSON))}}. Kinesis and Firehose destinations are recorded only (awsim
 * has neither service). A group's events are never delivered to the function that writes that group.
 */
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { offerLiveTail } from "./live-tail.js";
import { compileDelimitedBinder, compileFilterPattern, MISSING, select, selectorPath } from "./filter-pattern.js";
import { type Destination, type LogEvent, type LogGroup, type LogsState, MAX_METRIC_POINTS, type MetricPoint, type SubscriptionFilter } from "./state.js";

export interface Transformation {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

/** A value reference of a metric filter: "$.a.b" (JSON), "$field" (space-delimited) or a number. */
function extractor(pattern: string, ref: string): (m: string) => string | number | undefined {
  const p = pattern.trim();
  if (ref.startsWith("$.") || ref === "$") {
    const path = selectorPath(ref);
    return (m) => {
      try {
        const v = select(JSON.parse(m), path);
        return v === MISSING || v === null || typeof v === "object" ? undefined : (v as string | number);
      } catch {
        return undefined;
      }
    };
  }
  if (ref.startsWith("$")) {
    if (!p.startsWith("[")) return () => undefined;
    const binder = compileDelimitedBinder(p);
    const name = ref.slice(1);
    return (m) => binder(m)?.get(name);
  }
  const n = Number(ref);
  return () => (Number.isNaN(n) ? undefined : n);
}

export function metricPoints(pattern: string, transformations: Transformation[], events: Array<Pick<LogEvent, "timestamp" | "message">>) {
  const match = compileFilterPattern(pattern);
  const out: Array<Omit<MetricPoint, "logGroupName" | "filterName">> = [];
  for (const t of transformations) {
    const value = extractor(pattern, t.metricValue);
    const dims = Object.entries(t.dimensions ?? {}).map(([k, ref]) => [k, extractor(pattern, ref)] as const);
    for (const e of events) {
      if (!match(e.message)) {
        if (t.defaultValue !== undefined)
          out.push({ namespace: t.metricNamespace, metricName: t.metricName, timestamp: e.timestamp, value: t.defaultValue, unit: t.unit });
        continue;
      }
      const v = Number(value(e.message));
      if (Number.isNaN(v)) continue;
      const dimensions: Record<string, string> = {};
      for (const [k, f] of dims) {
        const d = f(e.message);
        if (d !== undefined) dimensions[k] = String(d);
      }
      out.push({
        namespace: t.metricNamespace,
        metricName: t.metricName,
        timestamp: e.timestamp,
        value: v,
        unit: t.unit,
        dimensions: dims.length ? dimensions : undefined,
      });
    }
  }
  return out;
}

/** Run metric filters and queue subscription deliveries for events just stored in g/stream. */
export function afterIngest(st: LogsState, g: LogGroup, stream: string, events: LogEvent[]): void {
  if (events.length === 0) return;
  if (st.liveTails.size) offerLiveTail(st, g.name, stream, events);
  for (const f of g.metricFilters.values()) {
    for (const p of metricPoints(f.filterPattern, f.metricTransformations as Transformation[], events)) {
      st.metricPoints.push({ ...p, logGroupName: g.name, filterName: f.filterName });
    }
  }
  if (st.metricPoints.length > MAX_METRIC_POINTS) st.metricPoints.splice(0, st.metricPoints.length - MAX_METRIC_POINTS);
  for (const f of [...g.subscriptionFilters.values(), ...accountSubscriptions(st, g)]) {
    const match = compileFilterPattern(f.filterPattern);
    const hits = events.filter((e) => match(e.message));
    if (hits.length === 0) continue;
    const key = `${g.name}\u0000${f.filterName}\u0000${stream}`;
    const p = st.pending.get(key);
    if (p) p.events.push(...hits);
    else st.pending.set(key, { filter: f, stream, events: [...hits] });
  }
  if (st.pending.size && !st.flushScheduled && st.sim) {
    st.flushScheduled = true;
    setImmediate(() => void flush(st));
  }
}

/** Account-level subscription filter policies that select g, as subscription filters. */
function accountSubscriptions(st: LogsState, g: LogGroup): SubscriptionFilter[] {
  const out: SubscriptionFilter[] = [];
  for (const p of st.accountPolicies.get("SUBSCRIPTION_FILTER_POLICY")?.values() ?? []) {
    const excluded = /LogGroupName\s+NOT\s+IN\s*\[(.*)\]/i.exec(String(p.selectionCriteria ?? ""));
    if (excluded && [...excluded[1]!.matchAll(/"([^"]*)"/g)].some((m) => m[1] === g.name)) continue;
    let doc: { DestinationArn?: string; FilterPattern?: string; Distribution?: string; RoleArn?: string };
    try {
      doc = JSON.parse(String(p.policyDocument));
    } catch {
      continue;
    }
    if (!doc.DestinationArn) continue;
    out.push({
      filterName: String(p.policyName),
      logGroupName: g.name,
      filterPattern: doc.FilterPattern ?? "",
      destinationArn: doc.DestinationArn,
      roleArn: doc.RoleArn,
      distribution: doc.Distribution ?? "ByLogStream",
      creationTime: Number(p.lastUpdatedTime),
      accountLevel: true,
    });
  }
  return out;
}

/** Space-delimited subscription patterns name the fields of each event: AWS sends them as extractedFields. */
function extractedFields(pattern: string, message: string): { extractedFields?: Record<string, string> } {
  const p = pattern.trim();
  if (!p.startsWith("[")) return {};
  try {
    const bound = compileDelimitedBinder(p)(message);
    if (!bound) return {};
    const fields = Object.fromEntries([...bound].filter(([k]) => k !== "..."));
    return Object.keys(fields).length ? { extractedFields: fields } : {};
  } catch {
    return {};
  }
}

/** The base64 gzip'd JSON AWS sends to subscription destinations. */
export function awslogsData(o: Record<string, unknown>): string {
  return gzipSync(Buffer.from(JSON.stringify(o))).toString("base64");
}

export function eventId(e: LogEvent): string {
  return `${String(e.timestamp).padStart(20, "0")}${String(e.seq).padStart(36, "0")}`;
}

async function flush(st: LogsState): Promise<void> {
  st.flushScheduled = false;
  const batches = [...st.pending.values()];
  st.pending.clear();
  for (const b of batches) {
    const data = awslogsData({
      messageType: "DATA_MESSAGE",
      owner: st.accountId,
      logGroup: b.filter.logGroupName,
      logStream: b.stream,
      subscriptionFilters: [b.filter.filterName],
      logEvents: b.events.map((e) => ({ id: eventId(e), timestamp: e.timestamp, message: e.message, ...extractedFields(b.filter.filterPattern, e.message) })),
      ...(b.filter.accountLevel ? { policyLevel: "ACCOUNT_LEVEL_POLICY" } : {}),
    });
    await deliver(st, b.filter, data).catch(() => undefined);
  }
}

/** A Logs destination by ARN, in this account or another account of this server (cross-account subscriptions). */
export function findDestination(st: LogsState, arn: string): Destination | undefined {
  const m = /^arn:[^:]+:logs:([^:]*):(\d*):destination:(.+)$/.exec(arn);
  if (!m) return undefined;
  const region = m[1] || st.region;
  const account = m[2] || st.accountId;
  if (region === st.region && account === st.accountId) return st.destinations.get(m[3]!);
  const owner = st.sim?.statesOf<LogsState>("logs").find((x) => x.accountId === account && x.region === region);
  return owner?.destinations.get(m[3]!);
}

/** The Lambda function a subscription reaches: directly, or through a Logs destination that targets Lambda. */
export function lambdaTarget(st: LogsState, arn: string): string | undefined {
  if (/^arn:[^:]+:lambda:/.test(arn)) return arn;
  const d = findDestination(st, arn);
  return d && /^arn:[^:]+:lambda:/.test(d.targetArn) ? d.targetArn : undefined;
}

export async function deliver(st: LogsState, f: SubscriptionFilter, data: string): Promise<void> {
  const fn = lambdaTarget(st, f.destinationArn);
  if (!fn || !st.sim) return;
  const name = /:function:([^:]+)/.exec(fn)?.[1];
  if (name && f.logGroupName === `/aws/lambda/${name}`) return;
  await invokeLambda(st, fn, JSON.stringify({ awslogs: { data } }));
}

/**
 * Invoke a function of this server asynchronously, as the Logs service principal would. A fresh
 * connection each time (no keep-alive agent), so nothing of ours holds the server open on stop.
 */
export function invokeLambda(st: LogsState, arn: string, payload: string): Promise<void> {
  const m = /^arn:[^:]+:lambda:([^:]*):(\d*):/.exec(arn);
  const region = m?.[1] || st.region;
  const account = m?.[2] || st.accountId;
  const url = new URL(`${st.sim!.url()}/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          connection: "close",
          "x-amz-invocation-type": "Event",
          authorization: `AWS4-HMAC-SHA256 Credential=${account}/20260101/${region}/lambda/aws4_request, SignedHeaders=host, Signature=0`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve());
        res.on("error", () => resolve());
      },
    );
    req.on("error", () => resolve());
    req.end(payload);
  });
}

/** GET /_awsim/logs/metrics[?namespace=&metricName=&logGroupName=]: the data points metric filters produced. */
export function metricPointsOf(states: LogsState[], q: { namespace?: string; metricName?: string; logGroupName?: string }) {
  const points = states.flatMap((st) =>
    st.metricPoints
      .filter((p) => (q.namespace === undefined || p.namespace === q.namespace) && (q.metricName === undefined || p.metricName === q.metricName))
      .filter((p) => q.logGroupName === undefined || p.logGroupName === q.logGroupName)
      .map((p) => ({ accountId: st.accountId, region: st.region, ...p })),
  );
  return { metricDataPoints: points };
}
