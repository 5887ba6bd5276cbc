/**
 * Event source mapping answers replayed from scenarios recorded against AWS: LocalStack's AWS-validated snapshots of
 * tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_sqs.py (the API answers; awsim has no SQS,
 * so nothing is delivered), event_source_mapping/test_api.py (replayed in lambda-parity-api.test.ts),
 * event_source_mapping/test_lambda_esm_sqs.py and event_source_mappings/test_event_source_mapping_sqs.py (delivery
 * only, not replayable) and tests/aws/services/lambda_/test_lambda_api.py. Each test names the snapshot key it follows.
 */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const FN = "arn:aws:lambda:us-east-1:000000000000:function";
const QUEUE = "arn:aws:sqs:us-east-1:000000000000";
const CODE = "exports.handler = async (e) => e;";

/** The members AWS answered for an SQS mapping (EventSourceMappingArn, added by AWS after these recordings, aside). */
function sqsView(m: EventSourceMappingConfiguration & { $metadata: { httpStatusCode?: number } }) {
  const { $metadata, EventSourceMappingArn, ...rest } = m;
  expect(EventSourceMappingArn).toBe(`arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${m.UUID}`);
  expect(rest.LastModified).toBeInstanceOf(Date);
  return { ...rest, LastModified: "datetime", status: $metadata.httpStatusCode };
}

describe("Lambda recorded event source mappings: SQS sources", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    for (const name of ["esm-a", "esm-b"]) await createNodeFunction(sim.lambda, name, CODE);
  });

  // test_lambda_integration_sqs.py::TestSQSEventSourceMapping::test_event_source_mapping_default_batch_size
  it("test_event_source_mapping_default_batch_size: 10 by default; more than 10 needs a batching window", async () => {
    const created = await sim.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE}:default-1`, FunctionName: "esm-a" }));
    expect(sqsView(created)).toEqual({
      BatchSize: 10,
      EventSourceArn: `${QUEUE}:default-1`,
      FunctionArn: `${FN}:esm-a`,
      FunctionResponseTypes: [],
      LastModified: "datetime",
      MaximumBatchingWindowInSeconds: 0,
      State: "Creating",
      StateTransitionReason: "USER_INITIATED",
      UUID: created.UUID,
      status: 202,
    });
    const message = "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10";
    const e = await expectAwsError(sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FunctionName: "esm-a", BatchSize: 11 })), {
      name: "InvalidParameterValueException",
      status: 400,
      message,
    });
    expect((e as unknown as { Type?: string }).Type).toBe("User");
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE}:default-2`, FunctionName: "esm-a", BatchSize: 11 })), {
      name: "InvalidParameterValueException",
      status: 400,
      message,
    });
    // The refused update changed nothing.
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).BatchSize).toBe(10);
    // With a batching window the larger batch is taken, on create and on update.
    const windowed = await sim.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE}:default-3`, FunctionName: "esm-a", BatchSize: 11, MaximumBatchingWindowInSeconds: 1 }),
    );
    expect(windowed.BatchSize).toBe(11);
    const upd = await sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 100, MaximumBatchingWindowInSeconds: 5 }));
    expect(upd).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 5, State: "Updating" });
  });

  // test_lambda_integration_sqs.py::TestSQSEventSourceMapping::test_sqs_event_source_mapping and
  // ::test_report_batch_item_failures ("create_event_source_mapping") and
  // ::test_failing_lambda_retries_after_visibility_timeout ("event_source_mapping", the Get once Enabled).
  it("test_sqs_event_source_mapping / test_report_batch_item_failures: the create and get answers", async () => {
    const windowed = await sim.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE}:window`, FunctionName: "esm-a", MaximumBatchingWindowInSeconds: 1 }),
    );
    expect(sqsView(windowed)).toMatchObject({ BatchSize: 10, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: [], State: "Creating", status: 202 });
    const reporting = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: `${QUEUE}:reporting`,
        FunctionName: "esm-a",
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 0,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      }),
    );
    expect(sqsView(reporting)).toEqual({
      BatchSize: 10,
      EventSourceArn: `${QUEUE}:reporting`,
      FunctionArn: `${FN}:esm-a`,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      LastModified: "datetime",
      MaximumBatchingWindowInSeconds: 0,
      State: "Creating",
      StateTransitionReason: "USER_INITIATED",
      UUID: reporting.UUID,
      status: 202,
    });
    const one = await sim.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE}:retries`, FunctionName: "esm-a", BatchSize: 1 }));
    expect(sqsView(await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: one.UUID })))).toEqual({
      BatchSize: 1,
      EventSourceArn: `${QUEUE}:retries`,
      FunctionArn: `${FN}:esm-a`,
      FunctionResponseTypes: [],
      LastModified: "datetime",
      MaximumBatchingWindowInSeconds: 0,
      State: "Enabled",
      StateTransitionReason: "USER_INITIATED",
      UUID: one.UUID,
      status: 200,
    });
  });

  // test_lambda_integration_sqs.py::TestSQSEventSourceMapping::test_sqs_event_filter[filter0-...]: the pattern is echoed.
  it("test_sqs_event_filter: the filter criteria are answered as given", async () => {
    const Pattern = JSON.stringify({ body: { testItem: ["test24", "test45"], test2: ["go"] } });
    const created = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: `${QUEUE}:filtered`,
        FunctionName: "esm-a",
        MaximumBatchingWindowInSeconds: 1,
        FilterCriteria: { Filters: [{ Pattern }] },
      }),
    );
    expect(sqsView(created)).toMatchObject({ FilterCriteria: { Filters: [{ Pattern }] }, BatchSize: 10, MaximumBatchingWindowInSeconds: 1, status: 202 });
  });

  // test_lambda_integration_sqs.py::TestSQSEventSourceMapping::test_sqs_invalid_event_filter[None], [simple string],
  // [invalid_filter2] ({"eventSource": "aws:sqs"}) and [invalid_filter3] ({"eventSource": []}).
  it("test_sqs_invalid_event_filter: null, a plain string, a bare value and an empty list are refused", async () => {
    for (const [i, Pattern] of ["null", "simple string", JSON.stringify({ eventSource: "aws:sqs" }), JSON.stringify({ eventSource: [] })].entries())
      await expectAwsError(
        sim.lambda.send(
          new CreateEventSourceMappingCommand({
            EventSourceArn: `${QUEUE}:bad-filter-${i}`,
            FunctionName: "esm-a",
            MaximumBatchingWindowInSeconds: 1,
            FilterCriteria: { Filters: [{ Pattern }] },
          }),
        ),
        { name: "InvalidParameterValueException", status: 400, message: "Invalid filter pattern definition." },
      );
    // A nested pattern with lists at its leaves is a pattern.
    const nested = JSON.stringify({ body: { kind: ["a"], size: [{ numeric: [">", 1] }] } });
    const ok = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: `${QUEUE}:good-filter`,
        FunctionName: "esm-a",
        FilterCriteria: { Filters: [{ Pattern: nested }] },
      }),
    );
    expect(ok.FilterCriteria).toEqual({ Filters: [{ Pattern: nested }] });
  });

  // test_lambda_integration_sqs.py::TestSQSEventSourceMapping::test_sqs_event_source_mapping_update
  it("test_sqs_event_source_mapping_update: pointing the mapping at another version answers Updating", async () => {
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "esm-b", Environment: { Variables: { CUSTOM_VAR: "a" } } }));
    const v1 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "esm-b" }));
    const created = await sim.lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE}:versions`, FunctionName: v1.FunctionArn, MaximumBatchingWindowInSeconds: 1 }),
    );
    expect(sqsView(created)).toMatchObject({ FunctionArn: `${FN}:esm-b:1`, State: "Creating", status: 202 });
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "esm-b", Environment: { Variables: { CUSTOM_VAR: "b" } } }));
    const v2 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "esm-b" }));
    const updated = await sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FunctionName: v2.FunctionArn }));
    expect(sqsView(updated)).toEqual({
      BatchSize: 10,
      EventSourceArn: `${QUEUE}:versions`,
      FunctionArn: `${FN}:esm-b:2`,
      FunctionResponseTypes: [],
      LastModified: "datetime",
      MaximumBatchingWindowInSeconds: 1,
      State: "Updating",
      StateTransitionReason: "USER_INITIATED",
      UUID: created.UUID,
      status: 202,
    });
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).FunctionArn).toBe(`${FN}:esm-b:2`);
  });

  // test_lambda_integration_sqs.py::TestSQSEventSourceMapping::test_duplicate_event_source_mappings
  it("test_duplicate_event_source_mappings: a second mapping of the queue to the function conflicts; another function may", async () => {
    const arn = `${QUEUE}:duplicate`;
    const created = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-a", EventSourceArn: arn }));
    expect(sqsView(created)).toMatchObject({ BatchSize: 10, MaximumBatchingWindowInSeconds: 0, State: "Creating", status: 202 });
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-a", EventSourceArn: arn })), {
      name: "ResourceConflictException",
      status: 409,
      message: `An event source mapping with SQS arn (" ${arn} ") and function (" esm-a ") already exists. Please update or delete the existing mapping with UUID ${created.UUID}`,
    });
    expect((await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-b", EventSourceArn: arn }))).State).toBe("Creating");
  });

  // test_lambda_integration_sqs.py::test_fifo_message_group_parallelism: "create_esm_disabled", "update_esm_enabling", "get_esm_enabled".
  it("test_fifo_message_group_parallelism: a mapping created disabled answers Disabled, then Enabling, then Enabled", async () => {
    const arn = `${QUEUE}:test-queue.fifo`;
    const created = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-a", EventSourceArn: arn, Enabled: false, BatchSize: 1 }));
    const base = {
      BatchSize: 1,
      EventSourceArn: arn,
      FunctionArn: `${FN}:esm-a`,
      FunctionResponseTypes: [],
      LastModified: "datetime",
      MaximumBatchingWindowInSeconds: 0,
      StateTransitionReason: "USER_INITIATED",
      UUID: created.UUID,
    };
    expect(sqsView(created)).toEqual({ ...base, State: "Disabled", status: 202 });
    const enabling = await sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }));
    expect(sqsView(enabling)).toEqual({ ...base, State: "Enabling", status: 202 });
    expect(sqsView(await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })))).toEqual({ ...base, State: "Enabled", status: 200 });
    expect((await sim.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))).$metadata.httpStatusCode).toBe(202);
  });

  // The API reference scopes DestinationConfig to "Kinesis, DynamoDB Streams, Amazon MSK, and self-managed Apache Kafka
  // event sources only"; Lambda refuses it for a queue.
  it("DestinationConfig is refused for an SQS source", async () => {
    const DestinationConfig = { OnFailure: { Destination: `${QUEUE}:dlq` } };
    await expectAwsError(
      sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-a", EventSourceArn: `${QUEUE}:with-destination`, DestinationConfig })),
      { name: "InvalidParameterValueException", status: 400, message: "Unsupported 'destinationConfig' parameter for given event source mapping type." },
    );
    const m = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-a", EventSourceArn: `${QUEUE}:without-destination` }));
    await expectAwsError(sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, DestinationConfig })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Unsupported 'destinationConfig' parameter for given event source mapping type.",
    });
  });
});
