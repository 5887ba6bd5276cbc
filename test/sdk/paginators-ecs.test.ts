/** ECS: every botocore paginator walked with the JS SDK's paginator (nextToken / maxResults). */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  ListAccountSettingsCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  paginateListAccountSettings,
  paginateListAttributes,
  paginateListClusters,
  paginateListContainerInstances,
  paginateListServices,
  paginateListServicesByNamespace,
  paginateListTaskDefinitionFamilies,
  paginateListTaskDefinitions,
  paginateListTasks,
  PutAccountSettingCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type SettingName,
  UpdateClusterCommand,
} from "@aws-sdk/client-ecs";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { expectWalk, names } from "./paginators-helpers.js";

const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));
const cfg = (pageSize = 2) => ({ client: sim.ecs, pageSize });
const tok = (p: { nextToken?: string }) => p.nextToken;
const tail = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
const clusters = names("pg-c");
const families = names("pg-fam");
const services = names("pg-svc");
const scServices = names("pg-sc");
const settings: SettingName[] = ["serviceLongArnFormat", "taskLongArnFormat", "containerInstanceLongArnFormat", "awsvpcTrunking", "containerInsights"];
const fx = { instances: [] as string[], tasks: [] as string[] };

beforeAll(async () => {
  const ecs = sim.ecs;
  for (const c of clusters) await ecs.send(new CreateClusterCommand({ clusterName: c }));
  const c0 = clusters[0]!;
  for (let i = 0; i < 5; i++) {
    const doc = JSON.stringify({ instanceId: `i-0000000000000000${i}`, instanceType: "t3.medium", availabilityZone: "us-east-1a" });
    const ci = await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster: c0,
        instanceIdentityDocument: doc,
        totalResources: [
          { name: "CPU", type: "INTEGER", integerValue: 1024 },
          { name: "MEMORY", type: "INTEGER", integerValue: 1024 },
        ],
      }),
    );
    fx.instances.push(ci.containerInstance!.containerInstanceArn!);
  }
  await ecs.send(new PutAttributesCommand({ cluster: c0, attributes: fx.instances.map((targetId, i) => ({ name: "pg-attr", value: `v${i}`, targetId })) }));
  for (let i = 0; i < 5; i++)
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "pg-td", containerDefinitions: [{ name: "app", image: "busybox", memory: 128 }] }));
  for (const f of families)
    await ecs.send(new RegisterTaskDefinitionCommand({ family: f, containerDefinitions: [{ name: "app", image: "busybox", memory: 128 }] }));
  const run = await ecs.send(new RunTaskCommand({ cluster: c0, taskDefinition: "pg-td", count: 5 }));
  expect(run.failures ?? []).toEqual([]);
  fx.tasks = run.tasks!.map((t) => t.taskArn!);
  for (const s of services) await ecs.send(new CreateServiceCommand({ cluster: clusters[1], serviceName: s, taskDefinition: "pg-td", desiredCount: 0 }));
  // A service's Service Connect namespace must exist (AWS: NamespaceNotFoundException); a cluster default creates it.
  await ecs.send(new UpdateClusterCommand({ cluster: clusters[2], serviceConnectDefaults: { namespace: "pg-ns" } }));
  for (const s of scServices) {
    await ecs.send(
      new CreateServiceCommand({
        cluster: clusters[2],
        serviceName: s,
        taskDefinition: "pg-td",
        desiredCount: 0,
        serviceConnectConfiguration: { enabled: true, namespace: "pg-ns" },
      }),
    );
  }
  for (const name of settings) await ecs.send(new PutAccountSettingCommand({ name, value: "enabled" }));
}, 60_000);

const rows: [string, () => Promise<unknown>][] = [
  [
    "ListClusters",
    () => expectWalk({ pages: paginateListClusters(cfg(), {}), items: (p) => p.clusterArns, token: tok, key: tail, pageSize: 2, expected: clusters }),
  ],
  [
    "ListContainerInstances",
    () =>
      expectWalk({
        pages: paginateListContainerInstances(cfg(), { cluster: clusters[0] }),
        items: (p) => p.containerInstanceArns,
        token: tok,
        key: (a: string) => a,
        pageSize: 2,
        expected: fx.instances,
      }),
  ],
  [
    "ListTaskDefinitions (family, then revision, ascending)",
    () =>
      expectWalk({
        pages: paginateListTaskDefinitions(cfg(), { familyPrefix: "pg-td" }),
        items: (p) => p.taskDefinitionArns,
        token: tok,
        key: tail,
        pageSize: 2,
        expected: ["pg-td:1", "pg-td:2", "pg-td:3", "pg-td:4", "pg-td:5"],
        ordered: true,
      }),
  ],
  [
    "ListTaskDefinitions (sort DESC)",
    () =>
      expectWalk({
        pages: paginateListTaskDefinitions(cfg(), { familyPrefix: "pg-td", sort: "DESC" }),
        items: (p) => p.taskDefinitionArns,
        token: tok,
        key: tail,
        pageSize: 2,
        expected: ["pg-td:5", "pg-td:4", "pg-td:3", "pg-td:2", "pg-td:1"],
        ordered: true,
      }),
  ],
  [
    "ListTaskDefinitionFamilies",
    () =>
      expectWalk({
        pages: paginateListTaskDefinitionFamilies(cfg(), { familyPrefix: "pg-fam" }),
        items: (p) => p.families,
        token: tok,
        key: (f: string) => f,
        pageSize: 2,
        expected: families,
        ordered: true,
      }),
  ],
  [
    "ListTasks",
    () =>
      expectWalk({
        pages: paginateListTasks(cfg(), { cluster: clusters[0] }),
        items: (p) => p.taskArns,
        token: tok,
        key: (a: string) => a,
        pageSize: 2,
        expected: fx.tasks,
      }),
  ],
  [
    "ListServices",
    () =>
      expectWalk({
        pages: paginateListServices(cfg(), { cluster: clusters[1] }),
        items: (p) => p.serviceArns,
        token: tok,
        key: tail,
        pageSize: 2,
        expected: services,
      }),
  ],
  [
    "ListServicesByNamespace",
    () =>
      expectWalk({
        pages: paginateListServicesByNamespace(cfg(), { namespace: "pg-ns" }),
        items: (p) => p.serviceArns,
        token: tok,
        key: tail,
        pageSize: 2,
        expected: scServices,
      }),
  ],
  [
    "ListAccountSettings",
    () =>
      expectWalk({
        pages: paginateListAccountSettings(cfg(), {}),
        items: (p) => p.settings,
        token: tok,
        key: (s: { name: string }) => s.name,
        pageSize: 2,
        expected: settings,
      }),
  ],
  [
    "ListAttributes",
    () =>
      expectWalk({
        pages: paginateListAttributes(cfg(), { cluster: clusters[0], targetType: "container-instance", attributeName: "pg-attr" }),
        items: (p) => p.attributes,
        token: tok,
        key: (a: { targetId: string }) => a.targetId,
        pageSize: 2,
        expected: fx.instances,
      }),
  ],
];

describe("ECS paginators (page size 2 over 5 items; no nextToken on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("maxResults outside 1..100 (1..10 for account settings) is an InvalidParameterException", async () => {
    const bad = { name: "InvalidParameterException", status: 400 };
    for (const maxResults of [0, 101]) {
      await expectAwsError(sim.ecs.send(new ListClustersCommand({ maxResults })), bad);
      await expectAwsError(sim.ecs.send(new ListServicesCommand({ cluster: clusters[1], maxResults })), bad);
      await expectAwsError(sim.ecs.send(new ListTasksCommand({ cluster: clusters[0], maxResults })), bad);
    }
    await expectAwsError(sim.ecs.send(new ListAccountSettingsCommand({ maxResults: 11 })), bad);
  });

  it("a nextToken this server did not issue is an InvalidParameterException", async () => {
    const bad = { name: "InvalidParameterException", status: 400 };
    await expectAwsError(sim.ecs.send(new ListClustersCommand({ nextToken: "garbage" })), bad);
    await expectAwsError(sim.ecs.send(new ListServicesCommand({ cluster: clusters[1], nextToken: "garbage" })), bad);
    await expectAwsError(sim.ecs.send(new ListTasksCommand({ cluster: clusters[0], nextToken: "garbage" })), bad);
  });

  it("the default page is 100 ARNs", async () => {
    const r = await sim.ecs.send(new ListClustersCommand({}));
    expect(r.clusterArns).toHaveLength(5);
    expect(r.nextToken).toBeUndefined();
  });

  it("default pages: ListServices 10, ListClusters 100", async () => {
    const c = "pg-many";
    await sim.ecs.send(new CreateClusterCommand({ clusterName: c }));
    for (const s of names("pg-many-svc", 11))
      await sim.ecs.send(new CreateServiceCommand({ cluster: c, serviceName: s, taskDefinition: "pg-td", desiredCount: 0 }));
    const first = await sim.ecs.send(new ListServicesCommand({ cluster: c }));
    expect(first.serviceArns).toHaveLength(10);
    const rest = await sim.ecs.send(new ListServicesCommand({ cluster: c, nextToken: first.nextToken }));
    expect(rest.serviceArns).toHaveLength(1);
    expect(rest.nextToken).toBeUndefined();
    for (const n of names("pg-more", 95)) await sim.ecs.send(new CreateClusterCommand({ clusterName: n }));
    const clusters = await sim.ecs.send(new ListClustersCommand({}));
    expect(clusters.clusterArns).toHaveLength(100);
    expect(clusters.nextToken).toBeTruthy();
  });
});
