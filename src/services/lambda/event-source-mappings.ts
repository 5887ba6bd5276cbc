/**
 * Event source mappings, stored and described with AWS's defaults and states (Creating → Enabled,
 * Enabling/Disabling/Updating → steady, after --transition-delay). awsim simulates no SQS, Kinesis,
 * DynamoDB Streams, Kafka, MQ or DocumentDB, so no poller reads the sources and nothing is invoked.
 */
import { randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { AwsError } from "../../protocols/aws-error.js";
import { E, fnArn, getFn, pageOf, parseName, st, type Input } from "./common.js";
import type { EventSourceMappingRec } from "./state.js";

const STREAM = /^arn:aws[a-zA-Z-]*:(kinesis|dynamodb):/;
const sourceOf = (arn: string | undefined) => (arn ? (/^arn:aws[a-zA-Z-]*:([a-z0-9-]+):/.exec(arn)?.[1] ?? "") : "kafka");

const SETTABLE = [
  "BatchSize",
  "MaximumBatchingWindowInSeconds",
  "ParallelizationFactor",
  "FilterCriteria",
  "DestinationConfig",
  "MaximumRecordAgeInSeconds",
  "BisectBatchOnFunctionError",
  "MaximumRetryAttempts",
  "TumblingWindowInSeconds",
  "FunctionResponseTypes",
  "SourceAccessConfigurations",
  "ScalingConfig",
  "DocumentDBEventSourceConfig",
  "KMSKeyArn",
  "MetricsConfig",
  "ProvisionedPollerConfig",
  "AmazonManagedKafkaEventSourceConfig",
  "SelfManagedKafkaEventSourceConfig",
  "LoggingConfig",
] as const;

/** The state a client sees now: a transient state until the transition delay has passed. */
function view(ctx: Ctx, m: EventSourceMappingRec) {
  if (m.transient && Date.now() - m.changedAt >= ctx.config.transitionDelayMs) m.transient = undefined;
  return { ...m.config, State: m.transient ?? m.target };
}

function getMapping(ctx: Ctx, uuid: string) {
  const m = st(ctx).eventSourceMappings.get(String(uuid));
  if (!m) throw E.resourceNotFound("The resource you requested does not exist.");
  return m;
}

/** Starting positions belong to streams; a timestamp only to AT_TIMESTAMP, which DynamoDB streams do not take. */
function checkStartingPosition(v: Input, source: string) {
  if (source === "sqs" && v.StartingPosition !== undefined) throw E.invalid("StartingPosition is not valid for SQS event sources.");
  if (source !== "kinesis" && source !== "dynamodb") return;
  if (v.StartingPositionTimestamp !== undefined && v.StartingPosition !== "AT_TIMESTAMP")
    throw E.invalid("Timestamp only valid with StartingPosition AT_TIMESTAMP");
  if (v.StartingPosition !== "AT_TIMESTAMP") return;
  if (source === "dynamodb") throw E.invalid(`Unsupported starting position for arn type: ${v.EventSourceArn}`);
  const ts = v.StartingPositionTimestamp instanceof Date ? v.StartingPositionTimestamp.getTime() : Number(v.StartingPositionTimestamp);
  if (ts < 0) throw E.invalid("Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp");
}

/** A queue takes more than 10 messages a batch only with a batching window (recorded against AWS, 2023). */
function checkQueueBatch(source: string, batchSize: unknown, window: unknown) {
  if (source === "sqs" && Number(batchSize ?? 10) > 10 && Number(window ?? 0) === 0)
    throw E.invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
}

/**
 * An event pattern: a JSON object whose members are non-empty lists of values or nested patterns. null, a plain string,
 * a bare value ({"eventSource": "aws:sqs"}) and an empty list are refused (recorded against AWS, 2023).
 */
function validPattern(p: unknown): boolean {
  if (p === null || typeof p !== "object" || Array.isArray(p)) return false;
  return Object.values(p).every((v) => (Array.isArray(v) ? v.length > 0 : validPattern(v)));
}

function checkFilters(v: Input) {
  for (const f of (v.FilterCriteria?.Filters ?? []) as Array<{ Pattern?: string }>) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(f.Pattern));
    } catch {
      parsed = undefined;
    }
    if (!validPattern(parsed)) throw E.invalid("Invalid filter pattern definition.");
  }
}

/**
 * DestinationConfig is for "Kinesis, DynamoDB Streams, Amazon MSK, and self-managed Apache Kafka event sources only"
 * (the API reference); Lambda refuses it for queues and DocumentDB in the words it answered for an unsupported source.
 */
function checkDestination(v: Input, source: string) {
  if (v.DestinationConfig !== undefined && (source === "sqs" || source === "mq" || source === "rds"))
    throw E.invalid("Unsupported 'destinationConfig' parameter for given event source mapping type.");
}

/**
 * A Kafka mapping joins a consumer group, the mapping's UUID unless the request names one: before custom group ids
 * "every event-source mapping got a new UUID as consumerGroupId assigned" (aws-cdk#21789; the CloudFormation roadmap's
 * #1285 creates the group named by the mapping's UUID), and AWS answers the config block for a mapping created without
 * it (the Terraform provider's TestAccLambdaEventSourceMapping_msk and _selfManagedKafka read one block back).
 */
function withConsumerGroup(config: Record<string, unknown>, source: string, selfManaged: boolean, uuid: string): void {
  const key = selfManaged ? "SelfManagedKafkaEventSourceConfig" : source === "kafka" ? "AmazonManagedKafkaEventSourceConfig" : undefined;
  if (!key) return;
  const given = config[key] as Record<string, unknown> | undefined;
  config[key] = { ...given, ConsumerGroupId: given?.ConsumerGroupId ?? uuid };
}

/** The mapping's FunctionArn: qualified as the request named it, $LATEST included. */
const mappingArn = (f: { arn: string }, q: string | undefined) => (q ? `${f.arn}:${q}` : f.arn);

function CreateEventSourceMapping(ctx: Ctx, v: Input) {
  const s = st(ctx);
  if (v.EventSourceArn === undefined && v.SelfManagedEventSource === undefined) throw E.invalid("Unrecognized event source.");
  let f: ReturnType<typeof getFn>;
  try {
    f = getFn(ctx, v.FunctionName);
  } catch (e) {
    if (e instanceof AwsError && e.message.startsWith("Function not found")) throw E.invalid("Function does not exist");
    throw e;
  }
  const q = v.FunctionName ? parseName(v.FunctionName)[1] : undefined;
  const source = sourceOf(v.EventSourceArn);
  if (STREAM.test(String(v.EventSourceArn ?? "")) && v.StartingPosition === undefined)
    throw E.invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
  checkStartingPosition(v, source);
  checkQueueBatch(source, v.BatchSize, v.MaximumBatchingWindowInSeconds);
  checkFilters(v);
  checkDestination(v, source);
  // A second mapping of the same source to the same function: AWS words the conflict per source type.
  if (source === "sqs" || source === "kinesis" || source === "dynamodb") {
    for (const m of s.eventSourceMappings.values())
      if (m.config.EventSourceArn === v.EventSourceArn && m.config.FunctionArn === mappingArn(f, q))
        throw E.conflict(
          source === "sqs"
            ? `An event source mapping with SQS arn (" ${v.EventSourceArn} ") and function (" ${f.name} ") already exists. Please update or delete the existing mapping with UUID ${m.uuid}`
            : `The event source arn (" ${v.EventSourceArn} ") and function (" ${f.name} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${m.uuid}`,
        );
  }
  const uuid = randomUUID();
  const stream = STREAM.test(String(v.EventSourceArn ?? ""));
  const config: Record<string, unknown> = {
    UUID: uuid,
    BatchSize: v.BatchSize ?? (source === "sqs" ? 10 : 100),
    MaximumBatchingWindowInSeconds: v.MaximumBatchingWindowInSeconds ?? 0,
    EventSourceArn: v.EventSourceArn,
    FunctionArn: mappingArn(f, q),
    LastModified: ctx.now(),
    // Stream mappings word it "User action" (recorded against AWS), queue mappings USER_INITIATED.
    StateTransitionReason: STREAM.test(String(v.EventSourceArn ?? "")) ? "User action" : "USER_INITIATED",
    EventSourceMappingArn: `arn:aws:lambda:${s.region}:${s.accountId}:event-source-mapping:${uuid}`,
    FunctionResponseTypes: v.FunctionResponseTypes ?? [],
    Topics: v.Topics,
    Queues: v.Queues,
    SelfManagedEventSource: v.SelfManagedEventSource,
  };
  if (stream) {
    Object.assign(config, {
      StartingPosition: v.StartingPosition,
      StartingPositionTimestamp: v.StartingPositionTimestamp,
      ParallelizationFactor: 1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: -1,
      TumblingWindowInSeconds: 0,
      DestinationConfig: { OnFailure: {} },
      LastProcessingResult: "No records processed",
    });
  } else if (v.StartingPosition) config.StartingPosition = v.StartingPosition;
  for (const k of SETTABLE) if (v[k] !== undefined) config[k] = v[k];
  withConsumerGroup(config, source, v.SelfManagedEventSource !== undefined, uuid);
  const target = v.Enabled === false ? "Disabled" : "Enabled";
  // A queue mapping created disabled answers Disabled at once (recorded against AWS, 2024); others are Creating first.
  const transient = target === "Disabled" && source === "sqs" ? undefined : "Creating";
  const m: EventSourceMappingRec = {
    uuid,
    config,
    target,
    transient,
    changedAt: Date.now(),
    tags: { ...(v.Tags ?? {}) },
  };
  s.eventSourceMappings.set(uuid, m);
  return { ...config, State: transient ?? target };
}

const GetEventSourceMapping = (ctx: Ctx, v: Input) => view(ctx, getMapping(ctx, v.UUID));

function UpdateEventSourceMapping(ctx: Ctx, v: Input) {
  const m = getMapping(ctx, v.UUID);
  view(ctx, m);
  const before = { ...m.config };
  const source = sourceOf(m.config.EventSourceArn as string | undefined);
  checkQueueBatch(source, v.BatchSize ?? before.BatchSize, v.MaximumBatchingWindowInSeconds ?? before.MaximumBatchingWindowInSeconds);
  checkFilters(v);
  checkDestination(v, source);
  if (v.FunctionName !== undefined) {
    const f = getFn(ctx, v.FunctionName);
    m.config.FunctionArn = mappingArn(f, parseName(v.FunctionName)[1]);
  }
  for (const k of SETTABLE) if (v[k] !== undefined) m.config[k] = v[k];
  // The consumer group id cannot change: an update of the Kafka config (its schema registry) keeps it.
  for (const k of ["AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig"] as const)
    if (v[k] !== undefined && before[k]) m.config[k] = { ...v[k], ConsumerGroupId: (before[k] as Record<string, unknown>).ConsumerGroupId };
  let transient = "Updating";
  if (v.Enabled === true && m.target === "Disabled") transient = "Enabling";
  if (v.Enabled === false && m.target === "Enabled") transient = "Disabling";
  if (v.Enabled !== undefined) m.target = v.Enabled ? "Enabled" : "Disabled";
  m.transient = transient;
  m.changedAt = Date.now();
  m.config.LastModified = ctx.now();
  return { ...m.config, State: transient };
}

function DeleteEventSourceMapping(ctx: Ctx, v: Input) {
  const m = getMapping(ctx, v.UUID);
  st(ctx).eventSourceMappings.delete(m.uuid);
  return { ...m.config, State: "Deleting" };
}

function ListEventSourceMappings(ctx: Ctx, v: Input) {
  let fnArnFilter: string | undefined;
  // A function that does not exist filters everything out (AWS lists nothing rather than failing).
  if (v.FunctionName !== undefined) {
    const [name, q] = parseName(v.FunctionName);
    fnArnFilter = mappingArn({ arn: fnArn(st(ctx), name) }, q);
  }
  const all = [...st(ctx).eventSourceMappings.values()]
    .filter(
      (m) =>
        (v.EventSourceArn === undefined || m.config.EventSourceArn === v.EventSourceArn) && (fnArnFilter === undefined || m.config.FunctionArn === fnArnFilter),
    )
    .sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
  const p = pageOf(all, v, (m) => m.uuid, 100, 10000, 100);
  return { EventSourceMappings: p.items.map((m) => view(ctx, m)), NextMarker: p.NextMarker };
}

export const eventSourceMappingOperations = {
  CreateEventSourceMapping,
  GetEventSourceMapping,
  UpdateEventSourceMapping,
  DeleteEventSourceMapping,
  ListEventSourceMappings,
};
