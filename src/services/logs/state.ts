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

export interface QueryRec {
  queryId: string;
  queryString: string;
  logGroupNames: string[];
  createTime: number;
  /** Set by StopQuery. */
  cancelled?: boolean;
  results: Array<Array<{ field: string; value: string }>>;
  statistics: {
    recordsMatched: number;
    recordsScanned: number;
    bytesScanned: number;
    logGroupsScanned: number;
    estimatedRecordsSkipped: number;
    estimatedBytesSkipped: number;
  };
  queryLanguage: string;
}

export interface QueryDefinitionRec {
  queryDefinitionId: string;
  name: string;
  queryString: string;
  logGroupNames?: string[];
  parameters?: unknown[];
  queryLanguage: string;
  lastModified: number;
}

export interface LogsState {
  accountId: string;
  region: string;
  groups: Map<string, LogGroup>;
  seq: number;
  queries: Map<string, QueryRec>;
  queryDefinitions: Map<string, QueryDefinitionRec>;
}

/** Bound on events kept per stream (oldest dropped first): memory stays bounded under chatty tasks. */
export const MAX_EVENTS_PER_STREAM = 100_000;

export function createLogsState(accountId: string, region: string): LogsState {
  return { accountId, region, groups: new Map(), seq: 0, queries: new Map(), queryDefinitions: new Map() };
}

export function groupArn(st: LogsState, name: string): string {
  return `arn:aws:logs:${st.region}:${st.accountId}:log-group:${name}`;
}
