/** Lambda: every botocore paginator walked with the JS SDK's paginator (Marker / NextMarker / MaxItems). */
import {
  CheckpointDurableExecutionCommand,
  CreateAliasCommand,
  CreateCapacityProviderCommand,
  CreateCodeSigningConfigCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionUrlConfigCommand,
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListLayersCommand,
  paginateGetDurableExecutionHistory,
  paginateGetDurableExecutionState,
  paginateListAliases,
  paginateListCapacityProviders,
  paginateListCodeSigningConfigs,
  paginateListDurableExecutionsByFunction,
  paginateListEventSourceMappings,
  paginateListFunctionEventInvokeConfigs,
  paginateListFunctions,
  paginateListFunctionsByCodeSigningConfig,
  paginateListFunctionUrlConfigs,
  paginateListFunctionVersionsByCapacityProvider,
  paginateListLayers,
  paginateListLayerVersions,
  paginateListProvisionedConcurrencyConfigs,
  paginateListVersionsByFunction,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionCodeSigningConfigCommand,
  PutFunctionEventInvokeConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction, ROLE, zip } from "./lambda-helpers.js";
import { expectWalk, names } from "./paginators-helpers.js";

const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
const cfg = (pageSize = 2) => ({ client: sim.lambda, pageSize });
const tok = (p: { NextMarker?: string }) => p.NextMarker;
const CODE = "exports.handler = async () => ({ ok: true });";
const fns = names("pg-fn");
const cpFns = names("pg-cp-fn");
const layers = names("pg-layer");
const aliases = names("alias");
const cps = names("pg-cp");
const fx = { fnArns: [] as string[], esm: [] as string[], csc: [] as string[], durable: [] as string[], ops: [] as string[], token: "" };

beforeAll(async () => {
  const l = sim.lambda;
  for (const f of fns) fx.fnArns.push((await createNodeFunction(l, f, CODE)).FunctionArn!);
  const f0 = fns[0]!;
  // Versions 1..4 of pg-fn-0 (a configuration change before each publish), aliases on them.
  for (let i = 1; i <= 4; i++) {
    await l.send(new UpdateFunctionConfigurationCommand({ FunctionName: f0, Description: `d${i}` }));
    await l.send(new PublishVersionCommand({ FunctionName: f0 }));
  }
  for (const [i, a] of aliases.entries()) await l.send(new CreateAliasCommand({ FunctionName: f0, Name: a, FunctionVersion: i === 0 ? "$LATEST" : String(i) }));
  for (const q of ["$LATEST", "1", "2", "3", "4"])
    await l.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: f0, Qualifier: q, MaximumRetryAttempts: 1 }));
  for (const q of ["1", "2", "3", "4"])
    await l.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: f0, Qualifier: q, ProvisionedConcurrentExecutions: 1 }));
  await l.send(new CreateFunctionUrlConfigCommand({ FunctionName: f0, AuthType: "NONE" }));
  for (const a of aliases.slice(1)) await l.send(new CreateFunctionUrlConfigCommand({ FunctionName: f0, Qualifier: a, AuthType: "NONE" }));
  for (let i = 0; i < 5; i++) {
    const m = await l.send(new CreateEventSourceMappingCommand({ FunctionName: f0, EventSourceArn: `arn:aws:sqs:us-east-1:000000000000:pg-q-${i}` }));
    fx.esm.push(m.UUID!);
  }
  const layerZip = zip({ "nodejs/node_modules/pg/index.js": "module.exports = 1;" });
  for (const n of layers) await l.send(new PublishLayerVersionCommand({ LayerName: n, Content: { ZipFile: layerZip } }));
  for (let i = 0; i < 4; i++) await l.send(new PublishLayerVersionCommand({ LayerName: layers[0], Content: { ZipFile: layerZip } }));
  const profile = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdefghij";
  for (let i = 0; i < 5; i++) {
    const c = await l.send(new CreateCodeSigningConfigCommand({ Description: `c${i}`, AllowedPublishers: { SigningProfileVersionArns: [profile] } }));
    fx.csc.push(c.CodeSigningConfig!.CodeSigningConfigArn!);
  }
  for (const f of fns) await l.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: f, CodeSigningConfigArn: fx.csc[0] }));
  for (const c of cps) {
    await l.send(
      new CreateCapacityProviderCommand({
        CapacityProviderName: c,
        VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] },
        PermissionsConfig: { CapacityProviderOperatorRoleArn: ROLE },
      }),
    );
  }
  const cpArn = `arn:aws:lambda:us-east-1:000000000000:capacity-provider:${cps[0]}`;
  for (const f of cpFns) {
    await createNodeFunction(l, f, CODE);
    await l.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: f,
        CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: cpArn } },
      }),
    );
  }
  await createNodeFunction(l, "pg-durable", CODE, { DurableConfig: { ExecutionTimeout: 60 } });
  for (let i = 0; i < 5; i++) {
    const inv = await l.send(new InvokeCommand({ FunctionName: "pg-durable", Qualifier: "$LATEST", Payload: Buffer.from(`{"i":${i}}`) }));
    fx.durable.push(inv.DurableExecutionArn!);
    if (i > 0) continue;
    // The first execution (played by the test, as in fake mode): four steps after its EXECUTION operation.
    const input = JSON.parse(Buffer.from(inv.Payload!).toString()) as { CheckpointToken: string; InitialExecutionState: { Operations: { Id: string }[] } };
    fx.ops.push(input.InitialExecutionState.Operations[0]!.Id);
    const steps = names("step", 4);
    const c = await l.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: inv.DurableExecutionArn,
        CheckpointToken: input.CheckpointToken,
        Updates: steps.flatMap((Id) => [
          { Id, Type: "STEP" as const, Action: "START" as const, Name: Id },
          { Id, Type: "STEP" as const, Action: "SUCCEED" as const, Payload: "{}" },
        ]),
      }),
    );
    fx.ops.push(...steps);
    fx.token = c.CheckpointToken!;
  }
}, 60_000);

const allFunctions = () => [...fns, ...cpFns, "pg-durable"];

const rows: [string, () => Promise<unknown>][] = [
  [
    "ListFunctions",
    () =>
      expectWalk({
        pages: paginateListFunctions(cfg(), {}),
        items: (p) => p.Functions,
        token: tok,
        key: (f: { FunctionName: string }) => f.FunctionName,
        pageSize: 2,
        expected: allFunctions(),
      }),
  ],
  [
    "ListFunctions (FunctionVersion ALL: every version of every function)",
    () =>
      expectWalk({
        pages: paginateListFunctions(cfg(), { FunctionVersion: "ALL" }),
        items: (p) => p.Functions,
        token: tok,
        key: (f: { FunctionName: string; Version: string }) => `${f.FunctionName}:${f.Version}`,
        pageSize: 2,
        expected: [...allFunctions().map((f) => `${f}:$LATEST`), ...["1", "2", "3", "4"].map((v) => `${fns[0]}:${v}`)],
      }),
  ],
  [
    "ListVersionsByFunction",
    () =>
      expectWalk({
        pages: paginateListVersionsByFunction(cfg(), { FunctionName: fns[0] }),
        items: (p) => p.Versions,
        token: tok,
        key: (v: { Version: string }) => v.Version,
        pageSize: 2,
        expected: ["$LATEST", "1", "2", "3", "4"],
      }),
  ],
  [
    "ListAliases",
    () =>
      expectWalk({
        pages: paginateListAliases(cfg(), { FunctionName: fns[0] }),
        items: (p) => p.Aliases,
        token: tok,
        key: (a: { Name: string }) => a.Name,
        pageSize: 2,
        expected: aliases,
      }),
  ],
  [
    "ListFunctionEventInvokeConfigs",
    () =>
      expectWalk({
        pages: paginateListFunctionEventInvokeConfigs(cfg(), { FunctionName: fns[0] }),
        items: (p) => p.FunctionEventInvokeConfigs,
        token: tok,
        key: (c: { FunctionArn: string }) => c.FunctionArn.split(":").slice(7).join(":") || "$LATEST",
        pageSize: 2,
        expected: ["$LATEST", "1", "2", "3", "4"],
      }),
  ],
  [
    "ListProvisionedConcurrencyConfigs (four: the last page is full)",
    () =>
      expectWalk({
        pages: paginateListProvisionedConcurrencyConfigs(cfg(), { FunctionName: fns[0] }),
        items: (p) => p.ProvisionedConcurrencyConfigs,
        token: tok,
        key: (c: { FunctionArn: string }) => c.FunctionArn.split(":").pop()!,
        pageSize: 2,
        expected: ["1", "2", "3", "4"],
      }),
  ],
  [
    "ListFunctionUrlConfigs",
    () =>
      expectWalk({
        pages: paginateListFunctionUrlConfigs(cfg(), { FunctionName: fns[0] }),
        items: (p) => p.FunctionUrlConfigs,
        token: tok,
        key: (c: { FunctionArn: string }) => c.FunctionArn.split(":").slice(7).join(":") || "$LATEST",
        pageSize: 2,
        expected: ["$LATEST", ...aliases.slice(1)],
      }),
  ],
  [
    "ListEventSourceMappings",
    () =>
      expectWalk({
        pages: paginateListEventSourceMappings(cfg(), { FunctionName: fns[0] }),
        items: (p) => p.EventSourceMappings,
        token: tok,
        key: (m: { UUID: string }) => m.UUID,
        pageSize: 2,
        expected: fx.esm,
      }),
  ],
  [
    "ListLayers",
    () =>
      expectWalk({
        pages: paginateListLayers(cfg(), {}),
        items: (p) => p.Layers,
        token: tok,
        key: (x: { LayerName: string }) => x.LayerName,
        pageSize: 2,
        expected: layers,
      }),
  ],
  [
    "ListLayerVersions",
    () =>
      expectWalk({
        pages: paginateListLayerVersions(cfg(), { LayerName: layers[0] }),
        items: (p) => p.LayerVersions,
        token: tok,
        key: (v: { Version: number }) => String(v.Version),
        pageSize: 2,
        expected: ["1", "2", "3", "4", "5"],
      }),
  ],
  [
    "ListCodeSigningConfigs",
    () =>
      expectWalk({
        pages: paginateListCodeSigningConfigs(cfg(), {}),
        items: (p) => p.CodeSigningConfigs,
        token: tok,
        key: (c: { CodeSigningConfigArn: string }) => c.CodeSigningConfigArn,
        pageSize: 2,
        expected: fx.csc,
      }),
  ],
  [
    "ListFunctionsByCodeSigningConfig",
    () =>
      expectWalk({
        pages: paginateListFunctionsByCodeSigningConfig(cfg(), { CodeSigningConfigArn: fx.csc[0] }),
        items: (p) => p.FunctionArns,
        token: tok,
        key: (a: string) => a,
        pageSize: 2,
        expected: fx.fnArns,
      }),
  ],
  [
    "ListCapacityProviders",
    () =>
      expectWalk({
        pages: paginateListCapacityProviders(cfg(), {}),
        items: (p) => p.CapacityProviders,
        token: tok,
        key: (c: { CapacityProviderArn: string }) => c.CapacityProviderArn.split(":").pop()!,
        pageSize: 2,
        expected: cps,
      }),
  ],
  [
    "ListFunctionVersionsByCapacityProvider",
    () =>
      expectWalk({
        pages: paginateListFunctionVersionsByCapacityProvider(cfg(), { CapacityProviderName: cps[0] }),
        items: (p) => p.FunctionVersions,
        token: tok,
        key: (v: { FunctionArn: string }) => v.FunctionArn.split(":")[6]!,
        pageSize: 2,
        expected: cpFns,
      }),
  ],
  [
    "ListDurableExecutionsByFunction (in start order)",
    () =>
      expectWalk({
        pages: paginateListDurableExecutionsByFunction(cfg(), { FunctionName: "pg-durable" }),
        items: (p) => p.DurableExecutions,
        token: tok,
        key: (e: { DurableExecutionArn: string }) => e.DurableExecutionArn,
        pageSize: 2,
        expected: fx.durable,
        ordered: true,
      }),
  ],
  [
    "GetDurableExecutionHistory (the walk equals one big page)",
    async () => {
      const arn = fx.durable[0]!;
      const all = (await sim.lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1000 }))).Events ?? [];
      expect(all.length).toBeGreaterThan(5);
      return expectWalk({
        pages: paginateGetDurableExecutionHistory(cfg(), { DurableExecutionArn: arn }),
        items: (p) => p.Events,
        token: tok,
        key: (e: { Id: string; EventType: string }) => `${e.EventType}:${e.Id}`,
        pageSize: 2,
        expected: all.map((e) => `${e.EventType}:${e.Id}`),
        ordered: true,
      });
    },
  ],
  [
    "GetDurableExecutionState (operations in start order)",
    () =>
      expectWalk({
        pages: paginateGetDurableExecutionState(cfg(), { DurableExecutionArn: fx.durable[0], CheckpointToken: fx.token }),
        items: (p) => p.Operations,
        token: tok,
        key: (o: { Id: string }) => o.Id,
        pageSize: 2,
        expected: fx.ops,
        ordered: true,
      }),
  ],
];

describe("Lambda paginators (page size 2 over 5 items; no NextMarker on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("MaxItems outside its bounds is a ValidationException", async () => {
    await expectAwsError(sim.lambda.send(new ListFunctionsCommand({ MaxItems: 0 })), { name: "ValidationException", status: 400 });
    await expectAwsError(sim.lambda.send(new ListFunctionsCommand({ MaxItems: 10001 })), { name: "ValidationException", status: 400 });
    await expectAwsError(sim.lambda.send(new ListLayersCommand({ MaxItems: 51 })), { name: "ValidationException", status: 400 });
  });

  it("a Marker this server did not issue is an InvalidParameterValueException", async () => {
    await expectAwsError(sim.lambda.send(new ListFunctionsCommand({ Marker: "garbage" })), { name: "InvalidParameterValueException", status: 400 });
    await expectAwsError(sim.lambda.send(new ListLayersCommand({ Marker: "garbage" })), { name: "InvalidParameterValueException", status: 400 });
  });

  it("the default page is 50 functions", async () => {
    const r = await sim.lambda.send(new ListFunctionsCommand({}));
    expect(r.Functions).toHaveLength(allFunctions().length);
    expect(r.NextMarker).toBeUndefined();
  });

  it("ListFunctions returns at most 50 functions a response, even for a higher MaxItems", async () => {
    const more = names("pg-many", 45);
    for (const f of more) await createNodeFunction(sim.lambda, f, CODE);
    const total = allFunctions().length + more.length;
    const first = await sim.lambda.send(new ListFunctionsCommand({ MaxItems: 1000 }));
    expect(first.Functions).toHaveLength(50);
    expect(first.NextMarker).toBeTruthy();
    const second = await sim.lambda.send(new ListFunctionsCommand({ MaxItems: 1000, Marker: first.NextMarker }));
    expect(second.Functions).toHaveLength(total - 50);
    expect(second.NextMarker).toBeUndefined();
    const defaults = await sim.lambda.send(new ListFunctionsCommand({}));
    expect(defaults.Functions).toHaveLength(50);
  });
});
