/** CloudWatch Logs state for one account and region: groups → streams → events. */

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Monotonic per region: orders events with equal timestamps and names them (eventId). */
  seq: number;
}

export interface LogStream {
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** Sorted by (timestamp, seq). */
  events: LogEvent[];
  storedBytes: number;
  /** Events dropped because the stream hit its in-memory bound. */
  dropped: number;
}

export interface MetricFilter {
  filterName: string;
  filterPattern: string;
  metricTransformations: unknown[];
  creationTime: number;
  logGroupName: string;
}

export interface LogGroup {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Map<string, string>;
  streams: Map<string, LogStream>;
  metricFilters: Map<string, MetricFilter>;
  subscriptionFilters: Map<string, Record<string, unknown>>;
}

export interface LogsState {
  accountId: string;
  region: string;
  groups: Map<string, LogGroup>;
  seq: number;
}

/** Bound on events kept per stream (oldest dropped first): memory stays bounded under chatty tasks. */
export const MAX_EVENTS_PER_STREAM = 100_000;

export function createLogsState(accountId: string, region: string): LogsState {
  return { accountId, region, groups: new Map(), seq: 0 };
}

export function groupArn(st: LogsState, name: string): string {
  return `arn:aws:logs:${st.region}:${st.accountId}:log-group:${name}`;
}
