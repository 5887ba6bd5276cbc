/** CloudWatch Logs state for one account and region: groups → streams → events, and the resources around them. */
import type { SimHandle } from "../core/types.js";
import type { LiveTailSession } from "./live-tail.js";

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
  applyOnTransformedLogs?: boolean;
  fieldSelectionCriteria?: string;
  emitSystemFieldDimensions?: string[];
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
  subscriptionFilters: Map<string, SubscriptionFilter>;
  dataProtectionPolicy?: { policyDocument: string; lastUpdatedTime: number };
  deletionProtection?: boolean;
  bearerTokenAuthentication?: boolean;
}

export interface SubscriptionFilter {
  filterName: string;
  logGroupName: string;
  filterPattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: string;
  applyOnTransformedLogs?: boolean;
  emitSystemFields?: string[];
  fieldSelectionCriteria?: string;
  creationTime: number;
  /** From an account-level SUBSCRIPTION_FILTER_POLICY. */
  accountLevel?: boolean;
}

export interface MetricPoint {
  namespace: string;
  metricName: string;
  timestamp: number;
  value: number;
  unit?: string;
  dimensions?: Record<string, string>;
  logGroupName: string;
  filterName: string;
}

export interface ExportRec {
  taskId: string;
  taskName?: string;
  logGroupName: string;
  from: number;
  to: number;
  destination: string;
  destinationPrefix: string;
  creationTime: number;
  cancelled?: boolean;
  failed?: string;
}

export interface Destination {
  destinationName: string;
  targetArn: string;
  roleArn: string;
  accessPolicy?: string;
  arn: string;
  creationTime: number;
  tags: Map<string, string>;
}

export interface Named {
  name: string;
  arn: string;
  tags: Map<string, string>;
  [k: string]: unknown;
}

export interface QueryRec {
  queryId: string;
  queryString: string;
  logGroupNames: string[];
  createTime: number;
  /** Set by StopQuery. */
  cancelled?: boolean;
  /** Set once GetQueryResults or DescribeQueries has reported the query's status. */
  seen?: boolean;
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
  /** How long the query ran (ms): its measured run, or the Running step of config.transitionDelayMs. */
  durationMs?: number;
  /** Who started it (DescribeQueries' userIdentity). */
  userIdentity?: string;
  /** The account's query-result KMS key when the query started (GetQueryResults' encryptionKey). */
  encryptionKey?: string;
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
  /** The server, for deliveries to other services (subscription filters → Lambda, exports → S3). */
  sim?: SimHandle;
  /** Data points metric filters produced (bounded; the newest kept), read at /_awsim/logs/metrics. */
  metricPoints: MetricPoint[];
  /** Subscription deliveries waiting for the next flush, by filter/group/stream. */
  pending: Map<string, { filter: SubscriptionFilter; stream: string; events: LogEvent[] }>;
  flushScheduled: boolean;
  destinations: Map<string, Destination>;
  resourcePolicies: Map<string, Record<string, unknown>>;
  /** Account policies by type, then name. */
  accountPolicies: Map<string, Map<string, Record<string, unknown>>>;
  exportTasks: Map<string, ExportRec>;
  deliverySources: Map<string, Named>;
  /** Names of delivery sources deleted and not created again (AWS's not-found message for them differs). */
  deletedDeliverySources: Set<string>;
  deliveryDestinations: Map<string, Named>;
  deliveries: Map<string, Named>;
  anomalyDetectors: Map<string, Named>;
  integrations: Map<string, Record<string, unknown>>;
  transformers: Map<string, Record<string, unknown>>;
  lookupTables: Map<string, Named>;
  /** Open StartLiveTail sessions. */
  liveTails: Set<LiveTailSession>;
  scheduledQueries: Map<string, Named>;
  indexPolicies: Map<string, Record<string, unknown>>;
  /** The KMS key AssociateKmsKey gave the account's query results (resource `query-result:*`). */
  queryResultKmsKeyId?: string;
}

/** Bound on events kept per stream (oldest dropped first): memory stays bounded under chatty tasks. */
/** The default of --max-log-events: most events a stream keeps (memory is bounded); the oldest go past it. */
export const MAX_EVENTS_PER_STREAM = 100_000;

export const MAX_METRIC_POINTS = 10_000;

export function createLogsState(accountId: string, region: string, sim?: SimHandle): LogsState {
  return {
    accountId,
    region,
    groups: new Map(),
    seq: 0,
    queries: new Map(),
    queryDefinitions: new Map(),
    sim,
    metricPoints: [],
    pending: new Map(),
    flushScheduled: false,
    destinations: new Map(),
    resourcePolicies: new Map(),
    accountPolicies: new Map(),
    exportTasks: new Map(),
    deliverySources: new Map(),
    deletedDeliverySources: new Set(),
    deliveryDestinations: new Map(),
    deliveries: new Map(),
    anomalyDetectors: new Map(),
    integrations: new Map(),
    transformers: new Map(),
    lookupTables: new Map(),
    liveTails: new Set(),
    scheduledQueries: new Map(),
    indexPolicies: new Map(),
  };
}

export function groupArn(st: LogsState, name: string): string {
  return `arn:aws:logs:${st.region}:${st.accountId}:log-group:${name}`;
}
