/** Cloud Map: every botocore paginator (and the JS SDK's GetInstancesHealthStatus one) walked with the JS SDK's paginator. */
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  ListInstancesCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  paginateGetInstancesHealthStatus,
  paginateListInstances,
  paginateListNamespaces,
  paginateListOperations,
  paginateListServices,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { expectWalk, names } from "./paginators-helpers.js";

const sim = useServer({}, (cfg) => ({ sd: new ServiceDiscoveryClient(cfg) }));
const cfg = (pageSize = 2) => ({ client: sim.sd, pageSize });
const tok = (p: { NextToken?: string }) => p.NextToken;
const namespaces = names("pg-ns");
const services = names("pg-svc");
const instances = names("i");
const fx = { nsIds: [] as string[], nsOps: [] as string[], svcId: "" };

beforeAll(async () => {
  const sd = sim.sd;
  for (const Name of namespaces) fx.nsOps.push((await sd.send(new CreateHttpNamespaceCommand({ Name }))).OperationId!);
  fx.nsIds = ((await sd.send(new ListNamespacesCommand({}))).Namespaces ?? []).map((n) => n.Id!);
  for (const Name of services) {
    const s = await sd.send(new CreateServiceCommand({ Name, NamespaceId: fx.nsIds[0], HealthCheckCustomConfig: {} }));
    if (Name === services[0]) fx.svcId = s.Service!.Id!;
  }
  for (const InstanceId of instances)
    await sd.send(new RegisterInstanceCommand({ ServiceId: fx.svcId, InstanceId, Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
}, 60_000);

const rows: [string, () => Promise<unknown>][] = [
  [
    "ListNamespaces",
    () =>
      expectWalk({
        pages: paginateListNamespaces(cfg(), {}),
        items: (p) => p.Namespaces,
        token: tok,
        key: (n: { Name: string }) => n.Name,
        pageSize: 2,
        expected: namespaces,
      }),
  ],
  [
    "ListServices",
    () =>
      expectWalk({
        pages: paginateListServices(cfg(), { Filters: [{ Name: "NAMESPACE_ID", Values: [fx.nsIds[0]!], Condition: "EQ" }] }),
        items: (p) => p.Services,
        token: tok,
        key: (s: { Name: string }) => s.Name,
        pageSize: 2,
        expected: services,
      }),
  ],
  [
    "ListInstances",
    () =>
      expectWalk({
        pages: paginateListInstances(cfg(), { ServiceId: fx.svcId }),
        items: (p) => p.Instances,
        token: tok,
        key: (i: { Id: string }) => i.Id,
        pageSize: 2,
        expected: instances,
      }),
  ],
  [
    "ListOperations (CREATE_NAMESPACE)",
    () =>
      expectWalk({
        pages: paginateListOperations(cfg(), { Filters: [{ Name: "TYPE", Values: ["CREATE_NAMESPACE"], Condition: "EQ" }] }),
        items: (p) => p.Operations,
        token: tok,
        key: (o: { Id: string }) => o.Id,
        pageSize: 2,
        expected: fx.nsOps,
      }),
  ],
  [
    "GetInstancesHealthStatus",
    () =>
      expectWalk({
        pages: paginateGetInstancesHealthStatus(cfg(), { ServiceId: fx.svcId }),
        items: (p) => Object.keys(p.Status ?? {}),
        token: tok,
        key: (id: string) => id,
        pageSize: 2,
        expected: instances,
      }),
  ],
];

describe("Cloud Map paginators (page size 2 over 5 items; no NextToken on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("MaxResults outside 1..100 is an InvalidInput", async () => {
    for (const MaxResults of [0, 101]) await expectAwsError(sim.sd.send(new ListNamespacesCommand({ MaxResults })), { name: "InvalidInput", status: 400 });
  });

  it("a NextToken this server did not issue is an InvalidInput", async () => {
    await expectAwsError(sim.sd.send(new ListNamespacesCommand({ NextToken: "garbage" })), { name: "InvalidInput", status: 400 });
    await expectAwsError(sim.sd.send(new ListServicesCommand({ NextToken: "garbage" })), { name: "InvalidInput", status: 400 });
  });

  it("the default page holds all five namespaces", async () => {
    const r = await sim.sd.send(new ListNamespacesCommand({}));
    expect(r.Namespaces).toHaveLength(5);
    expect(r.NextToken).toBeUndefined();
  });

  it("the default page is 100 instances", async () => {
    for (const InstanceId of names("many", 101)) {
      await sim.sd.send(new RegisterInstanceCommand({ ServiceId: fx.svcId, InstanceId, Attributes: { AWS_INSTANCE_IPV4: "10.0.0.2" } }));
    }
    const first = await sim.sd.send(new ListInstancesCommand({ ServiceId: fx.svcId }));
    expect(first.Instances).toHaveLength(100);
    const rest = await sim.sd.send(new ListInstancesCommand({ ServiceId: fx.svcId, NextToken: first.NextToken }));
    expect(rest.Instances).toHaveLength(instances.length + 101 - 100);
    expect(rest.NextToken).toBeUndefined();
  });
});
