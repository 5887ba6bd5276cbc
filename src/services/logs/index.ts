/**
 * CloudWatch Logs (AWS JSON 1.1, Logs_20140328, and Smithy RPC v2 CBOR beside it, as AWS accepts: protocols/rpcv2-cbor.ts): log groups, streams and events with AWS's batch rules,
 * GetLogEvents tokens that behave as AWS's (the same forward token comes back when nothing is newer, so
 * paginators and tailers stop), FilterLogEvents with the full filter-pattern language, retention that
 * expires events on read, Logs Insights with a real query engine (insights/), metric filters that produce
 * data points (GET /_awsim/logs/metrics), subscription filters that deliver to Lambda functions of this
 * server (ingest.ts), exports into S3 buckets of this server, destinations, resource / account / data
 * protection policies (masking on read), deliveries, anomaly detectors, transformers (TestTransformer
 * runs), lookup tables, integrations (stored), scheduled queries that run on their schedule against the
 * server clock (scheduled-runs.ts: history, results in S3), data sources from the cw:datasource:* tags
 * (data-sources.ts: GetLogFields, ListAggregateLogGroupSummaries), tags on every resource ARN.
 * GetLogEvents and FilterLogEvents pages hold at most 1 MB of events; FilterLogEvents answers a nextToken with
 * every page that has events (the next page is empty and has none), so pollers resume from it as on AWS.
 * Timestamps are epoch milliseconds (StartQuery's are seconds, as AWS's).
 * Also the in-process API (api.ts) through which ECS execute mode and Lambda write their output.
 * StartLiveTail answers an event stream (sessionStart, then sessionUpdates) that stays open while the client reads.
 * Import tasks and GetLogObject answer from what can exist here (imports.ts): awsim has no CloudTrail Lake
 * event data store to import from and no PutOpenTelemetryLogs to produce large log objects.
 * S3 table integrations likewise (s3-tables.ts): they are created through Observability Admin, which awsim
 * does not have, so none exists and every integration ARN is unknown.
 * Gaps: DescribeConfigurationTemplates (AWS's per-service delivery templates are not reproduced) is not
 * implemented;
 * Kinesis / Firehose subscription destinations are recorded only; anomaly detectors detect nothing.
 * Memory is bounded: at most 100,000 events per stream by default (--max-log-events; 0 = no limit).
 */
import type { ServiceDefinition } from "../core/types.js";
import { StartLiveTail } from "./live-tail.js";
import {
  CreateLogAnomalyDetector,
  DeleteLogAnomalyDetector,
  GetLogAnomalyDetector,
  ListAnomalies,
  ListLogAnomalyDetectors,
  UpdateAnomaly,
  UpdateLogAnomalyDetector,
} from "./anomalies.js";
import {
  CreateDelivery,
  DeleteDelivery,
  DeleteDeliveryDestination,
  DeleteDeliveryDestinationPolicy,
  DeleteDeliverySource,
  DescribeDeliveries,
  DescribeDeliveryDestinations,
  DescribeDeliverySources,
  GetDelivery,
  GetDeliveryDestination,
  GetDeliveryDestinationPolicy,
  GetDeliverySource,
  PutDeliveryDestination,
  PutDeliveryDestinationPolicy,
  PutDeliverySource,
  UpdateDeliveryConfiguration,
} from "./deliveries.js";
import {
  CreateLookupTable,
  CreateScheduledQuery,
  DeleteIntegration,
  DeleteLookupTable,
  DeleteScheduledQuery,
  DescribeLookupTables,
  GetIntegration,
  GetLookupTable,
  GetScheduledQuery,
  ListIntegrations,
  ListScheduledQueries,
  PutIntegration,
  UpdateLookupTable,
  UpdateScheduledQuery,
} from "./catalog.js";
import { GetLogFields, ListAggregateLogGroupSummaries } from "./data-sources.js";
import { GetScheduledQueryHistory } from "./scheduled-runs.js";
import { CancelImportTask, CreateImportTask, DescribeImportTaskBatches, DescribeImportTasks, GetLogObject } from "./imports.js";
import { AssociateSourceToS3TableIntegration, DisassociateSourceFromS3TableIntegration, ListSourcesForS3TableIntegration } from "./s3-tables.js";
import { DeleteDestination, DescribeDestinations, PutDestination, PutDestinationPolicy } from "./destinations.js";
import { CancelExportTask, CreateExportTask, DescribeExportTasks } from "./exports.js";
import { DeleteIndexPolicy, DescribeFieldIndexes, DescribeIndexPolicies, ListLogGroups, ListLogGroupsForQuery, PutIndexPolicy } from "./misc.js";
import {
  AssociateKmsKey,
  DeleteAccountPolicy,
  DeleteDataProtectionPolicy,
  DeleteResourcePolicy,
  DescribeAccountPolicies,
  DescribeResourcePolicies,
  DisassociateKmsKey,
  GetDataProtectionPolicy,
  PutAccountPolicy,
  PutDataProtectionPolicy,
  PutBearerTokenAuthentication,
  PutLogGroupDeletionProtection,
  PutResourcePolicy,
} from "./policies.js";
import { FilterLogEvents, GetLogEvents, PutLogEvents } from "./events.js";
import {
  DeleteMetricFilter,
  DeleteSubscriptionFilter,
  DescribeMetricFilters,
  DescribeSubscriptionFilters,
  PutMetricFilter,
  PutSubscriptionFilter,
  TestMetricFilter,
} from "./filters.js";
import { CreateLogGroup, DeleteLogGroup, DeleteRetentionPolicy, DescribeLogGroups, PutRetentionPolicy } from "./groups.js";
import {
  DeleteQueryDefinition,
  DescribeQueries,
  DescribeQueryDefinitions,
  GetLogGroupFields,
  GetLogRecord,
  GetQueryResults,
  PutQueryDefinition,
  StartQuery,
  StopQuery,
} from "./queries.js";
import { DeleteTransformer, GetTransformer, PutTransformer, TestTransformer } from "./transformers.js";
import { createLogsState, type LogsState } from "./state.js";
import { CreateLogStream, DeleteLogStream, DescribeLogStreams } from "./streams.js";
import { ListTagsForResource, ListTagsLogGroup, TagLogGroup, TagResource, UntagLogGroup, UntagResource } from "./tags.js";

const logs: ServiceDefinition<LogsState> = {
  name: "logs",
  protocol: "json",
  targetPrefix: "Logs_20140328",
  jsonVersion: "1.1",
  createState: ({ accountId, region, sim }) => createLogsState(accountId, region, sim),
  dispose: (st) => {
    for (const s of [...st.liveTails]) s.end();
  },
  counts: (st) => {
    let streams = 0;
    let events = 0;
    for (const g of st.groups.values()) {
      streams += g.streams.size;
      for (const s of g.streams.values()) events += s.events.length;
    }
    return { logGroups: st.groups.size, logStreams: streams, events };
  },
  operations: {
    CreateLogGroup,
    DescribeLogGroups,
    DeleteLogGroup,
    PutRetentionPolicy,
    DeleteRetentionPolicy,
    CreateLogStream,
    DescribeLogStreams,
    DeleteLogStream,
    PutLogEvents,
    GetLogEvents,
    FilterLogEvents,
    TagResource,
    UntagResource,
    ListTagsForResource,
    TagLogGroup,
    UntagLogGroup,
    ListTagsLogGroup,
    PutMetricFilter,
    DescribeMetricFilters,
    DeleteMetricFilter,
    TestMetricFilter,
    PutSubscriptionFilter,
    DescribeSubscriptionFilters,
    DeleteSubscriptionFilter,
    StartQuery,
    GetQueryResults,
    StopQuery,
    DescribeQueries,
    PutQueryDefinition,
    DescribeQueryDefinitions,
    DeleteQueryDefinition,
    GetLogRecord,
    GetLogGroupFields,
    ListLogGroups,
    ListLogGroupsForQuery,
    PutResourcePolicy,
    DescribeResourcePolicies,
    DeleteResourcePolicy,
    PutAccountPolicy,
    DescribeAccountPolicies,
    DeleteAccountPolicy,
    PutDataProtectionPolicy,
    GetDataProtectionPolicy,
    DeleteDataProtectionPolicy,
    AssociateKmsKey,
    DisassociateKmsKey,
    PutLogGroupDeletionProtection,
    PutIndexPolicy,
    DescribeIndexPolicies,
    DeleteIndexPolicy,
    DescribeFieldIndexes,
    PutBearerTokenAuthentication,
    PutDestination,
    PutDestinationPolicy,
    DescribeDestinations,
    DeleteDestination,
    CreateExportTask,
    DescribeExportTasks,
    CancelExportTask,
    PutDeliverySource,
    GetDeliverySource,
    DescribeDeliverySources,
    DeleteDeliverySource,
    PutDeliveryDestination,
    GetDeliveryDestination,
    DescribeDeliveryDestinations,
    DeleteDeliveryDestination,
    PutDeliveryDestinationPolicy,
    GetDeliveryDestinationPolicy,
    DeleteDeliveryDestinationPolicy,
    CreateDelivery,
    GetDelivery,
    DescribeDeliveries,
    DeleteDelivery,
    UpdateDeliveryConfiguration,
    CreateLogAnomalyDetector,
    GetLogAnomalyDetector,
    ListLogAnomalyDetectors,
    UpdateLogAnomalyDetector,
    DeleteLogAnomalyDetector,
    ListAnomalies,
    UpdateAnomaly,
    PutTransformer,
    GetTransformer,
    DeleteTransformer,
    TestTransformer,
    CreateLookupTable,
    GetLookupTable,
    DescribeLookupTables,
    UpdateLookupTable,
    DeleteLookupTable,
    CreateScheduledQuery,
    GetScheduledQuery,
    ListScheduledQueries,
    UpdateScheduledQuery,
    DeleteScheduledQuery,
    PutIntegration,
    GetIntegration,
    ListIntegrations,
    DeleteIntegration,
    StartLiveTail,
    GetLogFields,
    ListAggregateLogGroupSummaries,
    GetScheduledQueryHistory,
    CreateImportTask,
    DescribeImportTasks,
    DescribeImportTaskBatches,
    CancelImportTask,
    GetLogObject,
    AssociateSourceToS3TableIntegration,
    ListSourcesForS3TableIntegration,
    DisassociateSourceFromS3TableIntegration,
  },
};

export default logs;
