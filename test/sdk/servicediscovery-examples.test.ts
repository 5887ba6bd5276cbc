/** Cloud Map against AWS's documented examples (the aws CLI's servicediscovery/*.rst and botocore's examples-1.json). */
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  GetInstanceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  GetServiceCommand,
  ListInstancesCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
  UpdateServiceCommand,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

const OP_ID = /^[a-z2-7]{32}-[0-9a-z]{8}$/;

async function created(operationId: string): Promise<string> {
  return (await sim.sd.send(new GetOperationCommand({ OperationId: operationId }))).Operation!.Targets!.NAMESPACE!;
}

describe("Cloud Map documented examples", () => {
  it("operation ids: the target's 32 base32 characters, then the creation time in base-36 milliseconds", async () => {
    const before = Date.now();
    const { OperationId } = await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "example-http.com", CreatorRequestId: "example-request-id" }));
    expect(OperationId).toMatch(OP_ID);
    const o = (await sim.sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    expect(o).toMatchObject({ Id: OperationId, Type: "CREATE_NAMESPACE", Status: "SUCCESS" });
    expect(Number.parseInt(OperationId!.split("-")[1]!, 36)).toBe(o.CreateDate!.getTime());
    expect(o.CreateDate!.getTime()).toBeGreaterThanOrEqual(before);

    // Operations on one namespace share the prefix (AWS's create and delete of ns-ylexjili4cdxy3xm: gv4g5meo...-k9302yzd, -k98y6drk).
    const ns = o.Targets!.NAMESPACE!;
    const del = await sim.sd.send(new DeleteNamespaceCommand({ Id: ns }));
    expect(del.OperationId).toMatch(OP_ID);
    expect(del.OperationId!.split("-")[0]).toBe(OperationId!.split("-")[0]);
    expect(del.OperationId).not.toBe(OperationId);

    // So do an instance's registrations and deregistration (myservice-53: 4yejorel...-k95yg2u7, -k98rnaiq); another instance's differ.
    const http = await created((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "ops" }))).OperationId!);
    const svc = (await sim.sd.send(new CreateServiceCommand({ Name: "myservice", NamespaceId: http }))).Service!;
    const r1 = await sim.sd.send(
      new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "myservice-53", Attributes: { AWS_INSTANCE_IPV4: "172.2.1.3" } }),
    );
    const r2 = await sim.sd.send(
      new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "myservice-54", Attributes: { AWS_INSTANCE_IPV4: "172.2.1.4" } }),
    );
    const d1 = await sim.sd.send(new DeregisterInstanceCommand({ ServiceId: svc.Arn, InstanceId: "myservice-53" }));
    for (const id of [r1.OperationId, r2.OperationId, d1.OperationId]) expect(id).toMatch(OP_ID);
    expect(d1.OperationId!.split("-")[0]).toBe(r1.OperationId!.split("-")[0]);
    expect(r2.OperationId!.split("-")[0]).not.toBe(r1.OperationId!.split("-")[0]);
    expect((await sim.sd.send(new GetOperationCommand({ OperationId: d1.OperationId }))).Operation).toMatchObject({
      Type: "DEREGISTER_INSTANCE",
      Targets: { INSTANCE: "myservice-53", SERVICE: svc.Id },
    });
    const upd = await sim.sd.send(new UpdateServiceCommand({ Id: svc.Id, Service: { Description: "d" } }));
    expect(upd.OperationId).toMatch(OP_ID);
  });

  it("namespaces: no ServiceCount; ListNamespaces shows an empty SOA, GetNamespace the HTTP namespace's empty DnsProperties", async () => {
    const http = await created(
      (await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "example-http.com", Description: "Example.com AWS Cloud Map HTTP Namespace" }))).OperationId!,
    );
    const priv = await created((await sim.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "local", Vpc: "vpc-1c56417b" }))).OperationId!);
    const pub = await created(
      (await sim.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "example-public-dns.com", Properties: { DnsProperties: { SOA: { TTL: 60 } } } })))
        .OperationId!,
    );
    await sim.sd.send(new CreateServiceCommand({ Name: "s", NamespaceId: http }));

    const got = (await sim.sd.send(new GetNamespaceCommand({ Id: http }))).Namespace!;
    expect(got.ServiceCount).toBeUndefined();
    expect(got.Properties).toEqual({ DnsProperties: {}, HttpProperties: { HttpName: "example-http.com" } });
    expect(got.Arn).toBe(`arn:aws:servicediscovery:us-east-1:000000000000:namespace/${http}`);
    const gotPriv = (await sim.sd.send(new GetNamespaceCommand({ Id: `arn:aws:servicediscovery:us-east-1:000000000000:namespace/${priv}` }))).Namespace!;
    expect(gotPriv.Properties!.DnsProperties!.HostedZoneId).toMatch(/^Z[0-9A-Z]{20}$/);
    expect(gotPriv.Properties!.DnsProperties!.SOA).toEqual({ TTL: 15 });

    const listed = (await sim.sd.send(new ListNamespacesCommand({}))).Namespaces!;
    expect(listed.map((n) => n.Id)).toEqual([http, priv, pub]);
    for (const n of listed) expect(n.ServiceCount).toBeUndefined();
    expect(listed[0]!.Properties).toEqual({ DnsProperties: { SOA: {} }, HttpProperties: { HttpName: "example-http.com" } });
    expect(listed[1]!.Properties).toEqual({
      DnsProperties: { HostedZoneId: gotPriv.Properties!.DnsProperties!.HostedZoneId, SOA: {} },
      HttpProperties: { HttpName: "local" },
    });
    expect(listed[2]!.Properties!.DnsProperties!.SOA).toEqual({});
    expect((listed[0] as Record<string, unknown>).CreatorRequestId).toBeUndefined();
  });

  it("services: no InstanceCount; an HTTP service's DnsConfig is empty; a DNS service echoes the namespace in DnsConfig", async () => {
    const dns = await created((await sim.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "example.com", Vpc: "vpc-1c56417b" }))).OperationId!);
    const http = await created((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "example-http.com" }))).OperationId!);
    const mine = (
      await sim.sd.send(
        new CreateServiceCommand({
          Name: "myservice",
          NamespaceId: `arn:aws:servicediscovery:us-east-1:000000000000:namespace/${dns}`,
          DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] },
        }),
      )
    ).Service!;
    expect(mine).toMatchObject({
      ResourceOwner: "000000000000",
      Name: "myservice",
      NamespaceId: dns,
      DnsConfig: { NamespaceId: dns, RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] },
      Type: "DNS_HTTP",
      CreatedByAccount: "000000000000",
    });
    expect(mine.InstanceCount).toBeUndefined();
    expect(mine.CreatorRequestId).toBeTruthy();

    const test = (await sim.sd.send(new CreateServiceCommand({ Name: "test-service", NamespaceId: http }))).Service!;
    expect(test.DnsConfig).toEqual({});
    expect(test.Type).toBe("HTTP");
    const got = (await sim.sd.send(new GetServiceCommand({ Id: test.Arn }))).Service!;
    expect(got).toMatchObject({ Id: test.Id, NamespaceId: http, DnsConfig: {}, Type: "HTTP", ResourceOwner: "000000000000", CreatedByAccount: "000000000000" });
    expect(got.InstanceCount).toBeUndefined();

    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: test.Id, InstanceId: "web-server-01", Attributes: { AWS_INSTANCE_IPV4: "203.0.113.15" } }));
    const listed = (await sim.sd.send(new ListServicesCommand({}))).Services!;
    expect(listed.map((x) => [x.Name, x.InstanceCount, x.DnsConfig])).toEqual([
      ["myservice", undefined, { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] }],
      ["test-service", undefined, {}],
    ]);
    expect((listed[0] as Record<string, unknown>).NamespaceId).toBeUndefined();
    expect(listed[0]!.CreateDate).toBeInstanceOf(Date);

    // Instances as the examples show them: ListInstances and GetInstance carry ResourceOwner and CreatedByAccount.
    const inst = await sim.sd.send(new ListInstancesCommand({ ServiceId: test.Arn }));
    expect(inst.ResourceOwner).toBe("000000000000");
    expect(inst.Instances).toEqual([{ Id: "web-server-01", Attributes: { AWS_INSTANCE_IPV4: "203.0.113.15" }, CreatedByAccount: "000000000000" }]);
    const one = await sim.sd.send(new GetInstanceCommand({ ServiceId: test.Id, InstanceId: "web-server-01" }));
    expect(one.ResourceOwner).toBe("000000000000");
    expect(one.Instance).toMatchObject({ Id: "web-server-01", Attributes: { AWS_INSTANCE_IPV4: "203.0.113.15" }, CreatedByAccount: "000000000000" });
    const found = await sim.sd.send(
      new DiscoverInstancesCommand({ NamespaceName: "example-http.com", ServiceName: "test-service", MaxResults: 10, HealthStatus: "ALL" }),
    );
    expect(found.Instances).toEqual([
      {
        InstanceId: "web-server-01",
        NamespaceName: "example-http.com",
        ServiceName: "test-service",
        HealthStatus: "UNKNOWN",
        Attributes: { AWS_INSTANCE_IPV4: "203.0.113.15" },
      },
    ]);
    expect(typeof found.InstancesRevision).toBe("number");

    await sim.sd.send(new DeregisterInstanceCommand({ ServiceId: test.Id, InstanceId: "web-server-01" }));
    const del = await sim.sd.send(new DeleteServiceCommand({ Id: test.Arn }));
    expect(del.$metadata.httpStatusCode).toBe(200);
  });
});
