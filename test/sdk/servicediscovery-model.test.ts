import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteServiceAttributesCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  GetInstancesHealthStatusCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  GetServiceAttributesCommand,
  GetServiceCommand,
  ListOperationsCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  RegisterInstanceCommand,
  DeregisterInstanceCommand,
  ServiceDiscoveryClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateHttpNamespaceCommand,
  UpdateInstanceCustomHealthStatusCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdateServiceAttributesCommand,
  UpdateServiceCommand,
  paginateGetInstancesHealthStatus,
  paginateListServices,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

async function namespaceId(operationId: string): Promise<string> {
  return (await sim.sd.send(new GetOperationCommand({ OperationId: operationId }))).Operation!.Targets!.NAMESPACE!;
}

describe("Cloud Map namespaces and services", () => {
  it("updates namespaces, services and service attributes", async () => {
    const http = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "upd-http", Description: "before" }))).OperationId!);
    const upd = await sim.sd.send(new UpdateHttpNamespaceCommand({ Id: http, Namespace: { Description: "after" } }));
    const o = (await sim.sd.send(new GetOperationCommand({ OperationId: upd.OperationId }))).Operation!;
    expect(o).toMatchObject({ Type: "UPDATE_NAMESPACE", Status: "SUCCESS", Targets: { NAMESPACE: http } });
    expect((await sim.sd.send(new GetNamespaceCommand({ Id: http }))).Namespace!.Description).toBe("after");
    await expectAwsError(sim.sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: http, Namespace: { Description: "x" } })), {
      name: "InvalidInput",
      status: 400,
    });

    const dns = await namespaceId((await sim.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "upd.local", Vpc: "vpc-1" }))).OperationId!);
    await sim.sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: dns, Namespace: { Properties: { DnsProperties: { SOA: { TTL: 60 } } } } }));
    const ns = (await sim.sd.send(new GetNamespaceCommand({ Id: dns }))).Namespace!;
    expect(ns.Properties!.DnsProperties!.SOA).toEqual({ TTL: 60 });
    expect(ns.ResourceOwner).toBe("000000000000");

    const svc = (await sim.sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: dns, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }] } }))).Service!;
    expect(svc).toMatchObject({ Type: "DNS_HTTP", DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 10 }] } });
    await sim.sd.send(new UpdateServiceCommand({ Id: svc.Id, Service: { Description: "d", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 300 }] } } }));
    expect((await sim.sd.send(new GetServiceCommand({ Id: svc.Arn }))).Service).toMatchObject({
      Description: "d",
      DnsConfig: { DnsRecords: [{ Type: "A", TTL: 300 }] },
    });
    await expectAwsError(sim.sd.send(new UpdateServiceCommand({ Id: svc.Id, Service: { DnsConfig: { DnsRecords: [{ Type: "CNAME", TTL: 5 }] } } })), {
      name: "InvalidInput",
      status: 400,
    });
    await expectAwsError(sim.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "i-1", Attributes: {} })), {
      name: "InvalidInput",
      status: 400,
    });

    await sim.sd.send(new UpdateServiceAttributesCommand({ ServiceId: svc.Id, Attributes: { team: "a", tier: "web" } }));
    await sim.sd.send(new UpdateServiceAttributesCommand({ ServiceId: svc.Id, Attributes: { team: "b" } }));
    await sim.sd.send(new DeleteServiceAttributesCommand({ ServiceId: svc.Id, Attributes: ["tier"] }));
    expect((await sim.sd.send(new GetServiceAttributesCommand({ ServiceId: svc.Id }))).ServiceAttributes).toEqual({
      ServiceArn: svc.Arn,
      ResourceOwner: "000000000000",
      Attributes: { team: "b" },
    });
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, "v"]));
    await expectAwsError(sim.sd.send(new UpdateServiceAttributesCommand({ ServiceId: svc.Id, Attributes: many })), {
      name: "ServiceAttributesLimitExceededException",
      status: 400,
    });
    await expectAwsError(sim.sd.send(new GetServiceAttributesCommand({ ServiceId: "srv-nope" })), { name: "ServiceNotFound", status: 400 });

    const ops = await sim.sd.send(new ListOperationsCommand({ Filters: [{ Name: "TYPE", Values: ["UPDATE_NAMESPACE", "UPDATE_SERVICE"], Condition: "IN" }] }));
    expect(ops.Operations).toHaveLength(3);
    await expectAwsError(sim.sd.send(new ListOperationsCommand({ Filters: [{ Name: "COLOR" as never, Values: ["x"] }] })), {
      name: "InvalidInput",
      status: 400,
    });
    const now = Math.floor(Date.now() / 1000);
    const recent = await sim.sd.send(
      new ListOperationsCommand({ Filters: [{ Name: "UPDATE_DATE", Values: [String(now - 60), String(now + 60)], Condition: "BETWEEN" }] }),
    );
    expect(recent.Operations!.length).toBeGreaterThanOrEqual(5);

    for (const name of ["a1", "a2", "a3"]) await sim.sd.send(new CreateServiceCommand({ Name: name, NamespaceId: http }));
    const names: string[] = [];
    for await (const p of paginateListServices({ client: sim.sd, pageSize: 2 }, { Filters: [{ Name: "NAMESPACE_ID", Values: [http] }] }))
      names.push(...p.Services!.map((s) => s.Name!));
    expect(names).toEqual(["a1", "a2", "a3"]);

    await sim.sd.send(
      new TagResourceCommand({
        ResourceARN: svc.Arn,
        Tags: [
          { Key: "env", Value: "test" },
          { Key: "x", Value: "y" },
        ],
      }),
    );
    await sim.sd.send(new UntagResourceCommand({ ResourceARN: svc.Arn, TagKeys: ["x"] }));
    expect((await sim.sd.send(new ListTagsForResourceCommand({ ResourceARN: svc.Arn }))).Tags).toEqual([{ Key: "env", Value: "test" }]);
    await expectAwsError(sim.sd.send(new ListTagsForResourceCommand({ ResourceARN: "arn:aws:servicediscovery:us-east-1:000000000000:service/srv-nope" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });
});

describe("Cloud Map health", () => {
  it("custom health status drives DiscoverInstances and the revision", async () => {
    const ns = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "health-ns" }))).OperationId!);
    const svc = (await sim.sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: ns, HealthCheckCustomConfig: {} }))).Service!;
    const plain = (await sim.sd.send(new CreateServiceCommand({ Name: "plain", NamespaceId: ns }))).Service!;
    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "a", Attributes: { zone: "z1", ver: "1" } }));
    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "b", Attributes: { zone: "z1", ver: "2" } }));
    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "c", Attributes: { zone: "z2", AWS_INIT_HEALTH_STATUS: "UNHEALTHY" } }));
    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: plain.Id, InstanceId: "p", Attributes: { zone: "z1" } }));
    await expectAwsError(
      sim.sd.send(new RegisterInstanceCommand({ ServiceId: plain.Id, InstanceId: "q", Attributes: { AWS_INIT_HEALTH_STATUS: "HEALTHY" } })),
      {
        name: "InvalidInput",
        status: 400,
      },
    );

    const ids = async (p: Record<string, unknown>) =>
      ((await sim.sd.send(new DiscoverInstancesCommand({ NamespaceName: "health-ns", ServiceName: "api", ...p }))).Instances ?? [])
        .map((i) => i.InstanceId)
        .sort();
    expect(await ids({ HealthStatus: "HEALTHY" })).toEqual(["a", "b"]);
    expect(await ids({ HealthStatus: "UNHEALTHY" })).toEqual(["c"]);
    expect(await ids({})).toEqual(["a", "b", "c"]);
    expect(await ids({ QueryParameters: { zone: "z1" }, OptionalParameters: { ver: "2" } })).toEqual(["b"]);
    expect(await ids({ QueryParameters: { zone: "z1" }, OptionalParameters: { ver: "9" } })).toEqual(["a", "b"]);
    expect(await ids({ QueryParameters: { zone: "z2" }, HealthStatus: "HEALTHY_OR_ELSE_ALL" })).toEqual(["c"]);
    expect(await ids({ HealthStatus: "HEALTHY", MaxResults: 1 })).toHaveLength(1);

    const rev1 = (await sim.sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: "health-ns", ServiceName: "api" }))).InstancesRevision!;
    await sim.sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: svc.Id, InstanceId: "a", Status: "UNHEALTHY" }));
    const rev2 = (await sim.sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: "health-ns", ServiceName: "api" }))).InstancesRevision!;
    expect(rev2).toBeGreaterThan(rev1);
    expect(await ids({ HealthStatus: "HEALTHY" })).toEqual(["b"]);
    await sim.sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: svc.Id, InstanceId: "b", Status: "UNHEALTHY" }));
    expect(await ids({ HealthStatus: "HEALTHY_OR_ELSE_ALL" })).toEqual(["a", "b", "c"]);
    await sim.sd.send(new DeregisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "c" }));
    expect((await sim.sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: "health-ns", ServiceName: "api" }))).InstancesRevision).toBeGreaterThan(
      rev2,
    );

    expect((await sim.sd.send(new GetInstancesHealthStatusCommand({ ServiceId: svc.Id }))).Status).toEqual({ a: "UNHEALTHY", b: "UNHEALTHY" });
    const pages: Array<Record<string, string>> = [];
    for await (const p of paginateGetInstancesHealthStatus({ client: sim.sd, pageSize: 1 }, { ServiceId: svc.Id })) pages.push(p.Status!);
    expect(pages).toEqual([{ a: "UNHEALTHY" }, { b: "UNHEALTHY" }]);
    await expectAwsError(sim.sd.send(new GetInstancesHealthStatusCommand({ ServiceId: svc.Id, Instances: ["zz"] })), { name: "InstanceNotFound", status: 400 });
    await expectAwsError(sim.sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: plain.Id, InstanceId: "p", Status: "HEALTHY" })), {
      name: "CustomHealthNotFound",
      status: 400,
    });

    // Without a health check the HealthStatus filter is ignored and instances report UNKNOWN.
    const p = await sim.sd.send(new DiscoverInstancesCommand({ NamespaceName: "health-ns", ServiceName: "plain", HealthStatus: "HEALTHY" }));
    expect(p.Instances).toEqual([{ InstanceId: "p", NamespaceName: "health-ns", ServiceName: "plain", HealthStatus: "UNKNOWN", Attributes: { zone: "z1" } }]);
    const listed = await sim.sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns], Condition: "EQ" }] }));
    expect(listed.Services!.map((s) => s.Name)).toEqual(["api", "plain"]);
  });
});
