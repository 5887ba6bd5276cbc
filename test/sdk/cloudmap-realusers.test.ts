/**
 * Cloud Map as tools that run against AWS use it, replayed against awsim with the real
 * @aws-sdk/client-servicediscovery: aws/aws-cloud-map-mcs-controller-for-k8s (pkg/cloudmap: namespaces and services found
 * by name, RegisterInstance/DeregisterInstance polled through ListOperations, DiscoverInstances with query parameters,
 * the integration janitor) and kubernetes-sigs/external-dns (provider/awssd: namespaces by type, services per namespace,
 * DNS services per record type, instance attributes, DiscoverInstances, UpdateService, DeleteService).
 */
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListOperationsCommand,
  ListServicesCommand,
  type OperationFilter,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
  UpdateServiceCommand,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: "servicediscovery" }, (cfg) => ({ sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

async function httpNamespace(Name: string): Promise<string> {
  const { OperationId } = await t.sd.send(new CreateHttpNamespaceCommand({ Name }));
  return (await t.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
}

describe("aws-cloud-map-mcs-controller-for-k8s", () => {
  // pkg/cloudmap/operation_poller.go buildFilters(): SERVICE_ID, STATUS IN [FAIL, SUCCESS], TYPE, and UPDATE_DATE
  // BETWEEN [start, now + 60000] in epoch milliseconds; Poll() waits until every submitted operation is listed.
  it("ListOperations finds register/deregister operations by an UPDATE_DATE range in milliseconds", async () => {
    const ns = await httpNamespace("mcs-poller");
    const svcId = (await t.sd.send(new CreateServiceCommand({ Name: "nginx", NamespaceId: ns }))).Service!.Id!;
    const start = Date.now() - 1000;
    const attrs = { AWS_INSTANCE_IPV4: "10.10.0.1", AWS_INSTANCE_PORT: "80", CLUSTER_ID: "c1", CLUSTERSET_ID: "cs1" };
    const ops = [];
    for (const ip of ["10.10.0.1", "10.10.0.2"])
      ops.push(
        (await t.sd.send(new RegisterInstanceCommand({ ServiceId: svcId, InstanceId: `tcp-${ip}-80`, Attributes: { ...attrs, AWS_INSTANCE_IPV4: ip } })))
          .OperationId!,
      );
    const filters = (type: "REGISTER_INSTANCE" | "DEREGISTER_INSTANCE", from: number): OperationFilter[] => [
      { Name: "SERVICE_ID", Values: [svcId] },
      { Name: "STATUS", Condition: "IN", Values: ["FAIL", "SUCCESS"] },
      { Name: "TYPE", Values: [type] },
      { Name: "UPDATE_DATE", Condition: "BETWEEN", Values: [String(from), String(Date.now() + 60000)] },
    ];
    const listed = (await t.sd.send(new ListOperationsCommand({ Filters: filters("REGISTER_INSTANCE", start) }))).Operations!;
    expect(listed.map((o) => o.Id).sort()).toEqual([...ops].sort());
    expect(listed.every((o) => o.Status === "SUCCESS")).toBe(true);
    // A range that ends before the operations were made lists none of them.
    const before = [
      ...filters("REGISTER_INSTANCE", start).slice(0, 3),
      { Name: "UPDATE_DATE" as const, Condition: "BETWEEN" as const, Values: [String(start - 120000), String(start - 60000)] },
    ];
    expect((await t.sd.send(new ListOperationsCommand({ Filters: before }))).Operations).toEqual([]);
    const dereg = (await t.sd.send(new DeregisterInstanceCommand({ ServiceId: svcId, InstanceId: "tcp-10.10.0.1-80" }))).OperationId!;
    const deregs = (await t.sd.send(new ListOperationsCommand({ Filters: filters("DEREGISTER_INSTANCE", start) }))).Operations!;
    expect(deregs).toEqual([{ Id: dereg, Status: "SUCCESS" }]);
  });

  // pkg/cloudmap/api.go CreateService: a private DNS namespace's service gets one SRV record (TTL 60) and no routing
  // policy; the endpoint's attributes (AWS_INSTANCE_IPV4/PORT plus the controller's own, ~20 keys) are registered.
  // RegisterInstance's reference: "You can add up to 30 custom attributes" (the AWS_ keys are not custom).
  it("SRV services take the controller's attributes; 30 custom attributes besides the AWS_ ones", async () => {
    const { OperationId } = await t.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "mcs.local", Vpc: "vpc-0123456789abcdef0" }));
    const ns = (await t.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    const svc = (await t.sd.send(new CreateServiceCommand({ NamespaceId: ns, Name: "nginx", DnsConfig: { DnsRecords: [{ TTL: 60, Type: "SRV" }] } }))).Service!;
    expect(svc.DnsConfig).toEqual({ NamespaceId: ns, RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "SRV", TTL: 60 }] });
    const custom = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`K8S_ATTR_${i}`, `v${i}`]));
    const Attributes = { AWS_INSTANCE_IPV4: "10.0.0.7", AWS_INSTANCE_PORT: "80", ...custom };
    await t.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "tcp-10_0_0_7-80", Attributes }));
    const found = await t.sd.send(new DiscoverInstancesCommand({ NamespaceName: "mcs.local", ServiceName: "nginx", HealthStatus: "ALL", MaxResults: 1000 }));
    expect(found.Instances).toHaveLength(1);
    expect(found.Instances![0]!.Attributes).toEqual(Attributes);
    expect(found.Instances![0]!.HealthStatus).toBe("UNKNOWN");
    await expectAwsError(
      t.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "tcp-10_0_0_8-80", Attributes: { ...Attributes, K8S_ATTR_30: "x" } })),
      { name: "InvalidInput", status: 400 },
    );
    // The janitor (integration/janitor) finds a cluster set's instances by query parameter, then deregisters them.
    await t.sd.send(
      new RegisterInstanceCommand({
        ServiceId: svc.Id,
        InstanceId: "tcp-10_0_0_9-80",
        Attributes: { AWS_INSTANCE_IPV4: "10.0.0.9", AWS_INSTANCE_PORT: "80", CLUSTERSET_ID: "other" },
      }),
    );
    const mine = await t.sd.send(
      new DiscoverInstancesCommand({
        NamespaceName: "mcs.local",
        ServiceName: "nginx",
        HealthStatus: "ALL",
        MaxResults: 1000,
        QueryParameters: { K8S_ATTR_0: "v0" },
      }),
    );
    expect(mine.Instances!.map((i) => i.InstanceId)).toEqual(["tcp-10_0_0_7-80"]);
  });
});

describe("external-dns provider/awssd", () => {
  const desc = "heritage=external-dns,external-dns/owner=default";

  // aws_sd.go: ListNamespaces with a TYPE filter (--aws-zone-type), ListServices by NAMESPACE_ID with MaxResults 100
  // (the summaries' Description and DnsConfig.DnsRecords[0] are read, not GetService), CreateService per record type
  // (A/AAAA MULTIVALUE, CNAME and load-balancer aliases WEIGHTED), RegisterInstance with AWS_INSTANCE_IPV4 /
  // AWS_INSTANCE_IPV6 / AWS_INSTANCE_CNAME / AWS_ALIAS_DNS_NAME, Records() through DiscoverInstances, UpdateService
  // when the TTL differs, and DeleteService of emptied services it owns.
  it("syncs records through namespaces, services and instances as the provider does", async () => {
    await t.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "private.example.org", Vpc: "vpc-0123456789abcdef0" }));
    const { OperationId } = await t.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "example.org" }));
    const nsId = (await t.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    const pub = (await t.sd.send(new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["DNS_PUBLIC"] }] }))).Namespaces!;
    expect(pub.map((n) => [n.Id, n.Name, n.Type])).toEqual([[nsId, "example.org", "DNS_PUBLIC"]]);

    const create = (Name: string, RoutingPolicy: "MULTIVALUE" | "WEIGHTED", Type: "A" | "AAAA" | "CNAME") =>
      t.sd.send(new CreateServiceCommand({ Name, Description: desc, NamespaceId: nsId, DnsConfig: { RoutingPolicy, DnsRecords: [{ Type, TTL: 300 }] } }));
    const a = (await create("app", "MULTIVALUE", "A")).Service!;
    const v6 = (await create("app6", "MULTIVALUE", "AAAA")).Service!;
    const cname = (await create("www", "WEIGHTED", "CNAME")).Service!;
    const alias = (await create("lb", "WEIGHTED", "A")).Service!;
    const reg = (ServiceId: string, InstanceId: string, Attributes: Record<string, string>) =>
      t.sd.send(new RegisterInstanceCommand({ ServiceId, InstanceId, Attributes }));
    await reg(a.Id!, "192.0.2.10", { AWS_INSTANCE_IPV4: "192.0.2.10" });
    await reg(a.Id!, "192.0.2.11", { AWS_INSTANCE_IPV4: "192.0.2.11" });
    await reg(v6.Id!, "2001:db8::10", { AWS_INSTANCE_IPV6: "2001:db8::10" });
    await reg(cname.Id!, "target.example.net", { AWS_INSTANCE_CNAME: "target.example.net" });
    const lb = "my-lb-1234567890.us-east-1.elb.amazonaws.com";
    await reg(alias.Id!, lb, { AWS_ALIAS_DNS_NAME: lb });

    const services = (await t.sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [nsId] }], MaxResults: 100 }))).Services!;
    expect(services.map((s) => s.Name).sort()).toEqual(["app", "app6", "lb", "www"]);
    for (const s of services) {
      expect(s.Description).toBe(desc);
      expect(s.DnsConfig!.DnsRecords![0]!.TTL).toBe(300);
    }
    expect(services.find((s) => s.Name === "www")!.DnsConfig).toEqual({ RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "CNAME", TTL: 300 }] });

    const discover = async (ServiceName: string) =>
      (await t.sd.send(new DiscoverInstancesCommand({ NamespaceName: "example.org", ServiceName }))).Instances!.map((i) => i.Attributes);
    expect(await discover("app")).toEqual([{ AWS_INSTANCE_IPV4: "192.0.2.10" }, { AWS_INSTANCE_IPV4: "192.0.2.11" }]);
    expect(await discover("app6")).toEqual([{ AWS_INSTANCE_IPV6: "2001:db8::10" }]);
    expect(await discover("www")).toEqual([{ AWS_INSTANCE_CNAME: "target.example.net" }]);
    expect(await discover("lb")).toEqual([{ AWS_ALIAS_DNS_NAME: lb }]);

    // A TTL annotation changed: UpdateService with the description and the record's new TTL, waited on.
    const upd = await t.sd.send(new UpdateServiceCommand({ Id: a.Id, Service: { Description: desc, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] } } }));
    expect((await t.sd.send(new GetOperationCommand({ OperationId: upd.OperationId }))).Operation).toMatchObject({ Type: "UPDATE_SERVICE", Status: "SUCCESS" });
    const after = (await t.sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [nsId] }], MaxResults: 100 }))).Services!;
    expect(after.find((s) => s.Name === "app")!.DnsConfig).toEqual({ RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] });

    // Records removed: instances deregistered; a service that still has instances can't be deleted, an empty one can.
    await expectAwsError(t.sd.send(new DeleteServiceCommand({ Id: cname.Id })), { name: "ResourceInUse", status: 400 });
    await t.sd.send(new DeregisterInstanceCommand({ ServiceId: cname.Id, InstanceId: "target.example.net" }));
    expect(await discover("www")).toEqual([]);
    await t.sd.send(new DeleteServiceCommand({ Id: cname.Id }));
    await expectAwsError(t.sd.send(new DiscoverInstancesCommand({ NamespaceName: "example.org", ServiceName: "www" })), {
      name: "ServiceNotFound",
      status: 400,
    });
  });

  // RegisterInstance's rules for the attributes the provider sends: an alias needs a WEIGHTED service with an A or
  // AAAA record and no AWS_INSTANCE_ attribute (external-dns#1174 quotes AWS's text for a MULTIVALUE service, which
  // the provider then created for ELB targets); a CNAME service needs AWS_INSTANCE_CNAME.
  it("refuses attributes that don't fit the service's records", async () => {
    const { OperationId } = await t.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "rules.example.org" }));
    const nsId = (await t.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    const multi = (
      await t.sd.send(
        new CreateServiceCommand({ Name: "m", NamespaceId: nsId, DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 300 }] } }),
      )
    ).Service!;
    const cname = (
      await t.sd.send(
        new CreateServiceCommand({ Name: "c", NamespaceId: nsId, DnsConfig: { RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "CNAME", TTL: 300 }] } }),
      )
    ).Service!;
    const lb = "my-lb-1234567890.us-east-1.elb.amazonaws.com";
    await expectAwsError(t.sd.send(new RegisterInstanceCommand({ ServiceId: multi.Id, InstanceId: lb, Attributes: { AWS_ALIAS_DNS_NAME: lb } })), {
      name: "InvalidInput",
      status: 400,
      message: "ALIAS instance can be registered only in services with WEIGHTED routing policy",
    });
    await expectAwsError(
      t.sd.send(new RegisterInstanceCommand({ ServiceId: cname.Id, InstanceId: "192.0.2.1", Attributes: { AWS_INSTANCE_IPV4: "192.0.2.1" } })),
      {
        name: "InvalidInput",
        status: 400,
      },
    );
  });
});

describe("CreateService without a namespace", () => {
  // awsdocs/aws-cloudformation-user-guide#463 quotes AWS for an AWS::ServiceDiscovery::Service without NamespaceId
  // (neither the request's nor DnsConfig's): InvalidInput "Service namespace id cannot be null".
  it("is InvalidInput with AWS's text", async () => {
    await expectAwsError(t.sd.send(new CreateServiceCommand({ Name: "orphan" })), {
      name: "InvalidInput",
      status: 400,
      message: "Service namespace id cannot be null",
    });
  });
});

describe("hashicorp/consul-aws", () => {
  // catalog/aws.go create(): a Consul service without a port is registered with AWS_INSTANCE_PORT "0"; consul-aws#8
  // quotes AWS's answer, InvalidInput "A valid port number must be supplied." (port 1 is accepted).
  it("AWS_INSTANCE_PORT must be a port number", async () => {
    const ns = await httpNamespace("consul-sync");
    const svc = (await t.sd.send(new CreateServiceCommand({ Name: "consul_foo", NamespaceId: ns, Description: "Imported from Consul" }))).Service!;
    for (const port of ["0", "65536", "http", "-1"])
      await expectAwsError(
        t.sd.send(
          new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: `i-${port}`, Attributes: { AWS_INSTANCE_IPV4: "10.1.0.5", AWS_INSTANCE_PORT: port } }),
        ),
        { name: "InvalidInput", status: 400, message: "A valid port number must be supplied." },
      );
    await t.sd.send(
      new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "10.1.0.5", AWS_INSTANCE_PORT: "1" } }),
    );
    // consul-aws reads them back with DiscoverInstances HEALTHY: a service without a health check answers them all.
    const found = await t.sd.send(new DiscoverInstancesCommand({ NamespaceName: "consul-sync", ServiceName: "consul_foo", HealthStatus: "HEALTHY" }));
    expect(found.Instances!.map((i) => [i.InstanceId, i.HealthStatus, i.Attributes])).toEqual([
      ["i-1", "UNKNOWN", { AWS_INSTANCE_IPV4: "10.1.0.5", AWS_INSTANCE_PORT: "1" }],
    ]);
  });
});
