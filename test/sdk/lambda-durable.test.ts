/** Lambda durable executions: fake mode driven through the checkpoint API, execute mode with a real handler process. */
import {
  CheckpointDurableExecutionCommand,
  CreateAliasCommand,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  GetDurableExecutionStateCommand,
  GetFunctionCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  LambdaClient,
  ListDurableExecutionsByFunctionCommand,
  PublishVersionCommand,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
  paginateListDurableExecutionsByFunction,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { aws, expectAwsError, hasAwsCli, useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const text = (p?: Uint8Array) => Buffer.from(p ?? []).toString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `ok` holds (timers fire later on a loaded machine); fails after 10 s. */
async function until<T>(get: () => Promise<T>, ok: (x: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const x = await get();
    if (ok(x)) return x;
    if (i > 200) throw new Error(`condition not met: ${JSON.stringify(x)}`);
    await sleep(50);
  }
}
const historyOf = (lambda: LambdaClient, arn: string) => async () =>
  ((await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }))).Events ?? []).map((e) => e.EventType);

interface InvocationInput {
  DurableExecutionArn: string;
  CheckpointToken: string;
  InitialExecutionState: { Operations: Array<{ Id: string; Type: string; Status: string; ExecutionDetails?: { InputPayload?: string } }>; NextMarker?: string };
}

describe("Lambda durable executions (fake mode: the test plays the function)", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "orders", "exports.handler = async () => ({})", {
      DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 7 },
    });
  });

  it("an invocation starts a RUNNING execution whose checkpoints record steps, waits and callbacks", async () => {
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "orders" }))).Configuration?.DurableConfig).toEqual({
      ExecutionTimeout: 3600,
      RetentionPeriodInDays: 7,
    });
    const inv = await sim.lambda.send(
      new InvokeCommand({ FunctionName: "orders:$LATEST", Payload: Buffer.from('{"orderId":"o-1"}'), DurableExecutionName: "order-o-1" }),
    );
    expect(inv.StatusCode).toBe(200);
    expect(inv.DurableExecutionArn).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:orders:\$LATEST\/durable-execution\/order-o-1\/[0-9a-f-]{36}$/);
    const input = JSON.parse(text(inv.Payload)) as InvocationInput;
    const arn = input.DurableExecutionArn;
    expect(arn).toBe(inv.DurableExecutionArn);
    expect(input.InitialExecutionState.Operations).toHaveLength(1);
    const execOp = input.InitialExecutionState.Operations[0]!;
    expect(execOp).toMatchObject({ Type: "EXECUTION", Status: "STARTED", ExecutionDetails: { InputPayload: '{"orderId":"o-1"}' } });

    const got = await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect(got).toMatchObject({
      DurableExecutionName: "order-o-1",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
      Status: "RUNNING",
      InputPayload: '{"orderId":"o-1"}',
      Version: "$LATEST",
    });
    expect(got.StartTimestamp).toBeInstanceOf(Date);
    expect(got.EndTimestamp).toBeUndefined();

    // A step started and completed in one checkpoint; a 1-second wait; a callback.
    const c1 = await sim.lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: arn,
        CheckpointToken: input.CheckpointToken,
        Updates: [
          { Id: "s1", Type: "STEP", Action: "START", Name: "reserve" },
          { Id: "s1", Type: "STEP", Action: "SUCCEED", Payload: '{"reserved":true}' },
          { Id: "w1", Type: "WAIT", Action: "START", WaitOptions: { WaitSeconds: 1 } },
          { Id: "cb1", Type: "CALLBACK", Action: "START", Name: "approval", CallbackOptions: { TimeoutSeconds: 600 } },
        ],
      }),
    );
    expect(c1.CheckpointToken).toBeTruthy();
    expect(c1.CheckpointToken).not.toBe(input.CheckpointToken);
    const byId = Object.fromEntries((c1.NewExecutionState?.Operations ?? []).map((o) => [o.Id, o]));
    expect(byId.s1).toMatchObject({ Type: "STEP", Status: "SUCCEEDED", Name: "reserve", StepDetails: { Result: '{"reserved":true}' } });
    expect(byId.w1?.Status).toBe("STARTED");
    expect(byId.w1?.WaitDetails?.ScheduledEndTimestamp).toBeInstanceOf(Date);
    const callbackId = byId.cb1?.CallbackDetails?.CallbackId;
    expect(callbackId).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);

    // The consumed token is refused.
    await expectAwsError(
      sim.lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: input.CheckpointToken, Updates: [] })),
      { name: "InvalidParameterValueException", status: 400, message: /^Invalid checkpoint token/ },
    );
    // A second START of the same step is a conflict with the recorded state.
    await expectAwsError(
      sim.lambda.send(
        new CheckpointDurableExecutionCommand({
          DurableExecutionArn: arn,
          CheckpointToken: c1.CheckpointToken!,
          Updates: [{ Id: "s1", Type: "WAIT", Action: "START", WaitOptions: { WaitSeconds: 5 } }],
        }),
      ),
      { name: "InvalidParameterValueException", status: 400 },
    );

    // The callback completes from outside; the wait elapses; the next checkpoint returns both changes.
    await sim.lambda.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId! }));
    await sim.lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId!, Result: Buffer.from('{"approved":true}') }));
    await expectAwsError(sim.lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId!, Result: Buffer.from("{}") })), {
      name: "CallbackTimeoutException",
      status: 400,
    });
    await until(historyOf(sim.lambda, arn), (types) => types.includes("WaitSucceeded"));
    const c2 = await sim.lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: c1.CheckpointToken!, Updates: [] }));
    const changed = Object.fromEntries((c2.NewExecutionState?.Operations ?? []).map((o) => [o.Id, o]));
    expect(changed.cb1).toMatchObject({ Status: "SUCCEEDED", CallbackDetails: { CallbackId: callbackId, Result: '{"approved":true}' } });
    expect(changed.w1?.Status).toBe("SUCCEEDED");
    expect(changed.s1).toBeUndefined();

    // The whole state for a replay, in start order, paginated.
    const page1 = await sim.lambda.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: c2.CheckpointToken!, MaxItems: 2 }));
    expect(page1.Operations?.map((o) => o.Id)).toEqual([execOp.Id, "s1"]);
    const page2 = await sim.lambda.send(
      new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: c2.CheckpointToken!, Marker: page1.NextMarker }),
    );
    expect(page2.Operations?.map((o) => o.Id)).toEqual(["w1", "cb1"]);
    expect(page2.NextMarker).toBeUndefined();

    // The function completes the execution through the EXECUTION operation.
    const c3 = await sim.lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: arn,
        CheckpointToken: c2.CheckpointToken!,
        Updates: [{ Id: execOp.Id, Type: "EXECUTION", Action: "SUCCEED", Payload: '{"done":"o-1"}' }],
      }),
    );
    expect(c3.CheckpointToken).toBeUndefined();
    const done = await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect(done).toMatchObject({ Status: "SUCCEEDED", Result: '{"done":"o-1"}' });
    expect(done.EndTimestamp).toBeInstanceOf(Date);

    const hist = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, IncludeExecutionData: true }));
    expect(hist.Events?.map((e) => e.EventType)).toEqual([
      "ExecutionStarted",
      "StepStarted",
      "StepSucceeded",
      "WaitStarted",
      "CallbackStarted",
      "CallbackSucceeded",
      "WaitSucceeded",
      "ExecutionSucceeded",
    ]);
    expect(hist.Events?.map((e) => e.EventId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(hist.Events?.[0]?.ExecutionStartedDetails).toEqual({ Input: { Payload: '{"orderId":"o-1"}' }, ExecutionTimeout: 3600 });
    expect(hist.Events?.[2]).toMatchObject({ Id: "s1", Name: "reserve", StepSucceededDetails: { Result: { Payload: '{"reserved":true}' } } });
    expect(hist.Events?.[3]?.WaitStartedDetails?.Duration).toBe(1);
    expect(hist.Events?.[4]?.CallbackStartedDetails).toMatchObject({ CallbackId: callbackId, Timeout: 600 });
    expect(hist.Events?.[7]?.ExecutionSucceededDetails?.Result?.Payload).toBe('{"done":"o-1"}');
    const bare = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, ReverseOrder: true, MaxItems: 3 }));
    expect(bare.Events?.map((e) => e.EventId)).toEqual([8, 7, 6]);
    expect(bare.Events?.[0]?.ExecutionSucceededDetails?.Result?.Payload).toBeUndefined();
    expect(bare.NextMarker).toBeTruthy();

    // Closed: no more checkpoints or callbacks.
    await expectAwsError(
      sim.lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: c2.CheckpointToken!, Updates: [] })),
      {
        name: "InvalidParameterValueException",
        status: 400,
      },
    );
  });

  it("execution names are idempotent; a different payload is DurableExecutionAlreadyStartedException", async () => {
    const a = await sim.lambda.send(new InvokeCommand({ FunctionName: "orders:$LATEST", Payload: Buffer.from('{"n":1}'), DurableExecutionName: "same" }));
    const b = await sim.lambda.send(new InvokeCommand({ FunctionName: "orders:$LATEST", Payload: Buffer.from('{"n":1}'), DurableExecutionName: "same" }));
    expect(b.DurableExecutionArn).toBe(a.DurableExecutionArn);
    expect(JSON.parse(text(b.Payload)).CheckpointToken).toBe(JSON.parse(text(a.Payload)).CheckpointToken);
    await expectAwsError(
      sim.lambda.send(new InvokeCommand({ FunctionName: "orders:$LATEST", Payload: Buffer.from('{"n":2}'), DurableExecutionName: "same" })),
      {
        name: "DurableExecutionAlreadyStartedException",
        status: 409,
      },
    );
    const ev = await sim.lambda.send(new InvokeCommand({ FunctionName: "orders:$LATEST", InvocationType: "Event", Payload: Buffer.from("{}") }));
    expect(ev.StatusCode).toBe(202);
    expect(ev.DurableExecutionArn).toMatch(/\/durable-execution\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    // The deprecated InvokeAsync queues an asynchronous invocation: it starts an execution too.
    const before = (await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "orders" }))).DurableExecutions!.length;
    expect((await sim.lambda.send(new InvokeAsyncCommand({ FunctionName: "orders:$LATEST", InvokeArgs: Buffer.from('{"legacy":true}') }))).Status).toBe(202);
    const after = (await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "orders" }))).DurableExecutions!;
    expect(after).toHaveLength(before + 1);
    expect((await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: after.at(-1)!.DurableExecutionArn }))).InputPayload).toBe(
      '{"legacy":true}',
    );
  });

  it("steps retry after their delay, callbacks fail, executions stop", async () => {
    const inv = await sim.lambda.send(new InvokeCommand({ FunctionName: "orders:$LATEST", Payload: Buffer.from("{}"), DurableExecutionName: "retrying" }));
    const input = JSON.parse(text(inv.Payload)) as InvocationInput;
    const arn = input.DurableExecutionArn;
    const c1 = await sim.lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: arn,
        CheckpointToken: input.CheckpointToken,
        Updates: [
          { Id: "s1", Type: "STEP", Action: "START" },
          { Id: "s1", Type: "STEP", Action: "RETRY", Error: { ErrorType: "Boom", ErrorMessage: "first" }, StepOptions: { NextAttemptDelaySeconds: 1 } },
          { Id: "cb", Type: "CALLBACK", Action: "START" },
        ],
      }),
    );
    const s1 = c1.NewExecutionState?.Operations?.find((o) => o.Id === "s1");
    expect(s1).toMatchObject({ Status: "PENDING", StepDetails: { Attempt: 1, Error: { ErrorType: "Boom", ErrorMessage: "first" } } });
    expect(s1?.StepDetails?.NextAttemptTimestamp).toBeInstanceOf(Date);
    const cb = c1.NewExecutionState?.Operations?.find((o) => o.Id === "cb")?.CallbackDetails?.CallbackId;
    await sim.lambda.send(new SendDurableExecutionCallbackFailureCommand({ CallbackId: cb!, Error: { ErrorType: "Rejected", ErrorMessage: "no" } }));
    await until(
      async () => (await sim.lambda.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: c1.CheckpointToken! }))).Operations,
      (ops) => ops?.find((o) => o.Id === "s1")?.Status === "READY",
    );
    const c2 = await sim.lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: c1.CheckpointToken!, Updates: [] }));
    const ops = Object.fromEntries((c2.NewExecutionState?.Operations ?? []).map((o) => [o.Id, o]));
    expect(ops.s1?.Status).toBe("READY");
    expect(ops.cb).toMatchObject({ Status: "FAILED", CallbackDetails: { Error: { ErrorType: "Rejected", ErrorMessage: "no" } } });
    const c3 = await sim.lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: arn,
        CheckpointToken: c2.CheckpointToken!,
        Updates: [{ Id: "s1", Type: "STEP", Action: "START" }],
      }),
    );
    expect(c3.NewExecutionState?.Operations?.[0]).toMatchObject({ Id: "s1", Status: "STARTED", StepDetails: { Attempt: 1 } });

    const stop = await sim.lambda.send(
      new StopDurableExecutionCommand({ DurableExecutionArn: arn, Error: { ErrorType: "Cancelled", ErrorMessage: "by the operator" } }),
    );
    expect(stop.StopTimestamp).toBeInstanceOf(Date);
    expect(await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).toMatchObject({
      Status: "STOPPED",
      Error: { ErrorType: "Cancelled", ErrorMessage: "by the operator" },
    });
    await expectAwsError(sim.lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn })), {
      name: "InvalidParameterValueException",
      status: 400,
    });
    const hist = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    expect(hist.Events?.map((e) => e.EventType)).toEqual([
      "ExecutionStarted",
      "StepStarted",
      "StepFailed",
      "CallbackStarted",
      "CallbackFailed",
      "StepStarted",
      "ExecutionStopped",
    ]);
    expect(hist.Events?.[2]?.StepFailedDetails?.RetryDetails).toEqual({ CurrentAttempt: 1, NextAttemptDelaySeconds: 1 });
  });

  it("ListDurableExecutionsByFunction filters by version, name, status and time, and paginates", async () => {
    await createNodeFunction(sim.lambda, "lister", "exports.handler = async () => ({})", { DurableConfig: { ExecutionTimeout: 60 } });
    const v1 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "lister" }));
    const arns: string[] = [];
    for (let i = 0; i < 5; i++)
      arns.push(
        (await sim.lambda.send(new InvokeCommand({ FunctionName: "lister", Qualifier: "$LATEST", Payload: Buffer.from(`{"i":${i}}`) }))).DurableExecutionArn!,
      );
    const onV1 = (await sim.lambda.send(new InvokeCommand({ FunctionName: "lister", Qualifier: v1.Version, DurableExecutionName: "on-v1" })))
      .DurableExecutionArn!;
    expect(onV1).toContain(`function:lister:${v1.Version}/durable-execution/on-v1/`);
    // Through an alias: the execution ARN names the version that runs, FunctionArn the qualifier used.
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "lister", Name: "live", FunctionVersion: v1.Version }));
    const viaAlias = await sim.lambda.send(new InvokeCommand({ FunctionName: "lister:live", DurableExecutionName: "via-alias" }));
    expect(viaAlias.DurableExecutionArn).toContain(`function:lister:${v1.Version}/durable-execution/via-alias/`);
    expect(await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: viaAlias.DurableExecutionArn }))).toMatchObject({
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:lister:live",
      Version: v1.Version,
    });
    // A durable function cannot be invoked unqualified.
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "lister" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "You cannot invoke a durable function using an unqualified ARN.",
    });
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "lister", InvocationType: "Event" })), {
      name: "InvalidParameterValueException",
      status: 400,
    });
    await sim.lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: arns[1]! }));

    const latest = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "lister" }));
    expect(latest.DurableExecutions?.map((e) => e.DurableExecutionArn)).toEqual(arns);
    expect(latest.DurableExecutions?.[0]).toMatchObject({ FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:lister:$LATEST", Status: "RUNNING" });
    const rev = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "lister", ReverseOrder: true, MaxItems: 2 }));
    expect(rev.DurableExecutions?.map((e) => e.DurableExecutionArn)).toEqual([arns[4], arns[3]]);
    const all: string[] = [];
    for await (const p of paginateListDurableExecutionsByFunction({ client: sim.lambda, pageSize: 2 }, { FunctionName: "lister" }))
      all.push(...(p.DurableExecutions ?? []).map((e) => e.DurableExecutionArn!));
    expect(all).toEqual(arns);
    const stopped = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "lister", Statuses: ["STOPPED"] }));
    expect(stopped.DurableExecutions?.map((e) => e.DurableExecutionArn)).toEqual([arns[1]]);
    expect(stopped.DurableExecutions?.[0]?.EndTimestamp).toBeInstanceOf(Date);
    const v = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "lister", Qualifier: v1.Version }));
    expect(v.DurableExecutions?.map((e) => e.DurableExecutionName)).toEqual(["on-v1", "via-alias"]);
    const named = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: `lister:${v1.Version}`, DurableExecutionName: "on-v1" }));
    expect(named.DurableExecutions).toHaveLength(1);
    const future = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "lister", StartedAfter: new Date(Date.now() + 60_000) }));
    expect(future.DurableExecutions ?? []).toEqual([]);
    const past = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "lister", StartedBefore: new Date(Date.now() + 60_000) }));
    expect(past.DurableExecutions).toHaveLength(5);
    await expectAwsError(sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "nope" })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
  });

  it("a chained invoke runs the target function; ExecutionTimeout times the execution out; closed executions expire", async () => {
    await createNodeFunction(sim.lambda, "plain", "exports.handler = async () => 1");
    await createNodeFunction(sim.lambda, "short", "exports.handler = async () => ({})", { DurableConfig: { ExecutionTimeout: 1, RetentionPeriodInDays: 1 } });
    const input = JSON.parse(text((await sim.lambda.send(new InvokeCommand({ FunctionName: "orders:$LATEST" }))).Payload)) as InvocationInput;
    const arn = input.DurableExecutionArn;
    const c1 = await sim.lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: arn,
        CheckpointToken: input.CheckpointToken,
        Updates: [
          { Id: "ci", Type: "CHAINED_INVOKE", Action: "START", Name: "call-plain", Payload: '{"x":1}', ChainedInvokeOptions: { FunctionName: "plain" } },
          { Id: "ctx", Type: "CONTEXT", Action: "START", Name: "branch", SubType: "Parallel" },
          { Id: "inner", ParentId: "ctx", Type: "STEP", Action: "START" },
          { Id: "inner", ParentId: "ctx", Type: "STEP", Action: "SUCCEED", Payload: "2" },
          { Id: "ctx", Type: "CONTEXT", Action: "SUCCEED", Payload: "[2]" },
        ],
      }),
    );
    expect(c1.NewExecutionState?.Operations?.find((o) => o.Id === "ctx")).toMatchObject({
      Status: "SUCCEEDED",
      SubType: "Parallel",
      ContextDetails: { Result: "[2]" },
    });
    let token = c1.CheckpointToken!;
    for (let i = 0; i < 100; i++) {
      const c = await sim.lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: token, Updates: [] }));
      token = c.CheckpointToken!;
      if (c.NewExecutionState?.Operations?.some((o) => o.Id === "ci" && o.Status !== "STARTED")) break;
      await sleep(50);
    }
    const c2 = { CheckpointToken: token };
    // Children of a completed context are not replayed. Fake mode runs no function: the target answers null, as a fake Invoke does.
    const state = await sim.lambda.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: c2.CheckpointToken! }));
    expect(state.Operations?.map((o) => o.Id)).toEqual([expect.any(String), "ci", "ctx"]);
    expect(state.Operations?.[1]).toMatchObject({ Type: "CHAINED_INVOKE", Status: "SUCCEEDED", ChainedInvokeDetails: { Result: "null" } });
    const hist = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, IncludeExecutionData: true }));
    expect(hist.Events?.find((e) => e.EventType === "ChainedInvokeStarted")?.ChainedInvokeStartedDetails).toMatchObject({
      FunctionName: "plain",
      Input: { Payload: '{"x":1}' },
      ExecutedVersion: "$LATEST",
    });
    expect(hist.Events?.find((e) => e.EventType === "ContextSucceeded")).toMatchObject({ Id: "ctx", SubType: "Parallel" });
    expect(hist.Events?.find((e) => e.EventType === "StepSucceeded")).toMatchObject({ Id: "inner", ParentId: "ctx" });

    const shortArn = (await sim.lambda.send(new InvokeCommand({ FunctionName: "short:$LATEST" }))).DurableExecutionArn!;
    const timedOut = await until(
      () => sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: shortArn })),
      (x) => x.Status !== "RUNNING",
    );
    expect(timedOut.Status).toBe("TIMED_OUT");
    expect(timedOut.Error?.ErrorMessage).toMatch(/ExecutionTimeout/);
    const last = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: shortArn, ReverseOrder: true, MaxItems: 1 }));
    expect(last.Events?.[0]?.EventType).toBe("ExecutionTimedOut");

    await fetch(`${sim.server.url}/_awsim/clock/advance?days=2`, { method: "POST" });
    await expectAwsError(sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: shortArn })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    expect((await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "short" }))).DurableExecutions ?? []).toEqual([]);
  });

  it.skipIf(!hasAwsCli())("the aws CLI reads and lists executions (the ARN travels in the path)", async () => {
    const inv = await sim.lambda.send(
      new InvokeCommand({ FunctionName: "orders:$LATEST", Payload: Buffer.from('{"cli":1}'), DurableExecutionName: "from-cli" }),
    );
    const arn = inv.DurableExecutionArn!;
    const got = await aws(sim.server, ["lambda", "get-durable-execution", "--durable-execution-arn", arn]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.json).toMatchObject({ DurableExecutionArn: arn, DurableExecutionName: "from-cli", Status: "RUNNING", InputPayload: '{"cli":1}' });
    const listed = await aws(sim.server, [
      "lambda",
      "list-durable-executions-by-function",
      "--function-name",
      "orders",
      "--durable-execution-name",
      "from-cli",
    ]);
    expect(listed.json?.DurableExecutions?.map((e: { DurableExecutionArn: string }) => e.DurableExecutionArn)).toEqual([arn]);
    const stop = await aws(sim.server, ["lambda", "stop-durable-execution", "--durable-execution-arn", arn]);
    expect(stop.code, stop.stderr).toBe(0);
    const hist = await aws(sim.server, ["lambda", "get-durable-execution-history", "--durable-execution-arn", arn]);
    expect(hist.json?.Events?.map((e: { EventType: string }) => e.EventType)).toEqual(["ExecutionStarted", "ExecutionStopped"]);
  });

  it("unknown executions and callbacks answer AWS's errors", async () => {
    const missing = "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST/durable-execution/x/y";
    await expectAwsError(sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: missing })), { name: "ResourceNotFoundException", status: 404 });
    await expectAwsError(sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: missing })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    await expectAwsError(sim.lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: missing })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    await expectAwsError(sim.lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: "bm9wZQ==" })), {
      name: "CallbackTimeoutException",
      status: 400,
    });
    await expectAwsError(sim.lambda.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: "bm9wZQ==" })), {
      name: "CallbackTimeoutException",
      status: 400,
    });
  });
});

/** A handler speaking the durable execution protocol on the wire, as the durable execution SDK does: replay, checkpoint, PENDING. */
const DURABLE_HANDLER = `
const base = (arn) => process.env.AWS_ENDPOINT_URL + "/2025-12-01/durable-executions/" + encodeURIComponent(arn);
exports.handler = async (event) => {
  const ops = new Map();
  for (const o of event.InitialExecutionState.Operations) ops.set(o.Id, o);
  let token = event.CheckpointToken;
  let marker = event.InitialExecutionState.NextMarker;
  while (marker) {
    const r = await fetch(base(event.DurableExecutionArn) + "/state?CheckpointToken=" + encodeURIComponent(token) + "&Marker=" + encodeURIComponent(marker));
    const j = await r.json();
    for (const o of j.Operations) ops.set(o.Id, o);
    marker = j.NextMarker;
  }
  const checkpoint = async (updates) => {
    const r = await fetch(base(event.DurableExecutionArn) + "/checkpoint", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ CheckpointToken: token, Updates: updates }),
    });
    const j = await r.json();
    if (!r.ok) throw new Error("checkpoint failed: " + JSON.stringify(j));
    token = j.CheckpointToken;
    for (const o of j.NewExecutionState.Operations || []) ops.set(o.Id, o);
  };
  const input = JSON.parse([...ops.values()].find((o) => o.Type === "EXECUTION").ExecutionDetails.InputPayload);
  if (input.crash) throw new Error("crashed on purpose");
  let doubled;
  const step = ops.get("1");
  if (step && step.Status === "SUCCEEDED") doubled = JSON.parse(step.StepDetails.Result);
  else {
    console.log("running the step");
    doubled = input.n * 2;
    await checkpoint([
      { Id: "1", Type: "STEP", Action: "START", Name: "double" },
      { Id: "1", Type: "STEP", Action: "SUCCEED", Payload: JSON.stringify(doubled) },
    ]);
  }
  if (!ops.get("2")) {
    await checkpoint([{ Id: "2", Type: "WAIT", Action: "START", Name: "pause", WaitOptions: { WaitSeconds: 1 } }]);
    return { Status: "PENDING" };
  }
  if (ops.get("2").Status !== "SUCCEEDED") return { Status: "PENDING" };
  if (!ops.get("3")) {
    await checkpoint([{ Id: "3", Type: "CALLBACK", Action: "START", Name: "approval", CallbackOptions: { TimeoutSeconds: 60 } }]);
    return { Status: "PENDING" };
  }
  const cb = ops.get("3");
  if (cb.Status === "STARTED") return { Status: "PENDING" };
  if (cb.Status !== "SUCCEEDED") return { Status: "FAILED", Error: { ErrorType: "Rejected", ErrorMessage: cb.CallbackDetails.Error.ErrorMessage } };
  return { Status: "SUCCEEDED", Result: JSON.stringify({ doubled, approval: JSON.parse(cb.CallbackDetails.Result) }) };
};
`;

describe("Lambda durable executions (--execute: the function process checkpoints and is re-invoked)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "workflow", DURABLE_HANDLER, { Timeout: 30, DurableConfig: { ExecutionTimeout: 120 } });
  });

  /**
   * Wait for the execution's callback to start and its invocation to end (suspended, waiting); answer it. (Answered
   * before the invocation ends, CallbackSucceeded comes before that InvocationCompleted: also right, but another order.)
   */
  async function answerCallback(name: string, ok: boolean): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const list = await sim.lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "workflow", DurableExecutionName: name }));
      const arn = list.DurableExecutions?.[0]?.DurableExecutionArn;
      if (arn) {
        const h = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
        const events = h.Events ?? [];
        const at = events.findIndex((e) => e.EventType === "CallbackStarted");
        const started = at >= 0 && events.slice(at).some((e) => e.EventType === "InvocationCompleted") ? events[at] : undefined;
        if (started) {
          const CallbackId = started.CallbackStartedDetails!.CallbackId!;
          if (ok) await sim.lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId, Result: Buffer.from('{"by":"alice"}') }));
          else await sim.lambda.send(new SendDurableExecutionCallbackFailureCommand({ CallbackId, Error: { ErrorType: "No", ErrorMessage: "denied by bob" } }));
          return arn;
        }
      }
      await sleep(100);
    }
    throw new Error("the callback never started");
  }

  it("a synchronous invoke runs step, wait and callback across three invocations and answers the result", async () => {
    const [inv, arn] = await Promise.all([
      sim.lambda.send(new InvokeCommand({ FunctionName: "workflow:$LATEST", Payload: Buffer.from('{"n":21}'), DurableExecutionName: "approve-1" })),
      answerCallback("approve-1", true),
    ]);
    expect(inv.FunctionError).toBeUndefined();
    expect(inv.DurableExecutionArn).toBe(arn);
    expect(JSON.parse(text(inv.Payload))).toEqual({ doubled: 42, approval: { by: "alice" } });
    const got = await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect(got).toMatchObject({ Status: "SUCCEEDED", Result: '{"doubled":42,"approval":{"by":"alice"}}', InputPayload: '{"n":21}' });
    const events = (await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }))).Events ?? [];
    const types = events.map((e) => e.EventType);
    expect(types.filter((t) => t === "InvocationCompleted")).toHaveLength(3);
    expect(types.filter((t) => t === "StepStarted")).toHaveLength(1);
    expect(types).toEqual([
      "ExecutionStarted",
      "StepStarted",
      "StepSucceeded",
      "WaitStarted",
      "InvocationCompleted",
      "WaitSucceeded",
      "CallbackStarted",
      "InvocationCompleted",
      "CallbackSucceeded",
      "InvocationCompleted",
      "ExecutionSucceeded",
    ]);
    const ic = events.find((e) => e.EventType === "InvocationCompleted")!.InvocationCompletedDetails!;
    expect(ic.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ic.EndTimestamp!.getTime()).toBeGreaterThanOrEqual(ic.StartTimestamp!.getTime());
  });

  it("a FAILED answer fails the execution and the synchronous invoke reports the error", async () => {
    const [inv] = await Promise.all([
      sim.lambda.send(new InvokeCommand({ FunctionName: "workflow:$LATEST", Payload: Buffer.from('{"n":1}'), DurableExecutionName: "deny-1" })),
      answerCallback("deny-1", false),
    ]);
    expect(inv.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(inv.Payload))).toMatchObject({ errorType: "Rejected", errorMessage: "denied by bob" });
    expect(await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: inv.DurableExecutionArn! }))).toMatchObject({
      Status: "FAILED",
      Error: { ErrorType: "Rejected", ErrorMessage: "denied by bob" },
    });
  });

  it("an invocation that errors is retried, then the execution FAILS with the error", async () => {
    const inv = await sim.lambda.send(new InvokeCommand({ FunctionName: "workflow:$LATEST", Payload: Buffer.from('{"crash":true}') }));
    expect(inv.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(inv.Payload))).toMatchObject({ errorType: "Error", errorMessage: "crashed on purpose" });
    const events = (await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: inv.DurableExecutionArn!, IncludeExecutionData: true })))
      .Events!;
    const invocations = events.filter((e) => e.EventType === "InvocationCompleted");
    expect(invocations).toHaveLength(3);
    expect(invocations[0]?.InvocationCompletedDetails?.Error?.Payload).toMatchObject({ ErrorType: "Error", ErrorMessage: "crashed on purpose" });
    expect(events.at(-1)?.EventType).toBe("ExecutionFailed");
  });

  it("an asynchronous invoke returns at once; StopDurableExecution ends the waiting execution", async () => {
    const ev = await sim.lambda.send(new InvokeCommand({ FunctionName: "workflow:$LATEST", InvocationType: "Event", Payload: Buffer.from('{"n":2}') }));
    expect(ev.StatusCode).toBe(202);
    const arn = ev.DurableExecutionArn!;
    for (let i = 0; i < 100; i++) {
      const h = await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
      if (h.Events?.some((e) => e.EventType === "CallbackStarted")) break;
      await sleep(100);
    }
    expect((await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).Status).toBe("RUNNING");
    await sim.lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect((await sim.lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).Status).toBe("STOPPED");
  });
});
