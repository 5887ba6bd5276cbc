/** Cloud Map scenarios replayed from moto's test suite where awsim answered differently from AWS. */
import {
  CreateHttpNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  GetInstanceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  GetServiceCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  RegisterInstanceCommand,
  type ServiceAlreadyExists,
  ServiceDiscoveryClient,
  UpdateServiceCommand,
} from "@aws-sdk/client-servicediscovery";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

async function namespaceId(operationId: string): Promise<string> {
  return (await sim.sd.send(new GetOperationCommand({ OperationId: operationId }))).Operation!.Targets!.NAMESPACE!;
}

describe("Cloud Map services as AWS creates them", () => {
  it("refuses a DnsConfig on an HTTP service with AWS's message, in an HTTP namespace or with Type HTTP", async () => {
    const http = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-http" }))).OperationId!);
    const dns = { DnsRecords: [{ Type: "A" as const, TTL: 60 }] };
    const message = "When you specify an HTTP service, you can't include a DnsConfig element.";
    await expectAwsError(sim.sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: http, DnsConfig: dns })), {
      name: "InvalidInput",
      status: 400,
      message,
    });
    const pub = await namespaceId((await sim.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "moto.example.com" }))).OperationId!);
    await expectAwsError(sim.sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: pub, Type: "HTTP", DnsConfig: dns })), {
      name: "InvalidInput",
      status: 400,
      message,
    });
    const ok = (await sim.sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: pub, DnsConfig: dns }))).Service!;
    expect(ok.DnsConfig).toEqual({ NamespaceId: pub, RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] });
    const names = (await sim.sd.send(new ListServicesCommand({}))).Services!.map((s) => s.Name);
    expect(names).toEqual(["web"]);
  });

  it("answers ServiceAlreadyExists with the existing service's id and ARN", async () => {
    const ns = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-dup" }))).OperationId!);
    const first = (await sim.sd.send(new CreateServiceCommand({ Name: "dup", NamespaceId: ns }))).Service!;
    const e = (await expectAwsError(sim.sd.send(new CreateServiceCommand({ Name: "dup", NamespaceId: ns })), {
      name: "ServiceAlreadyExists",
      status: 400,
    })) as unknown as ServiceAlreadyExists;
    expect(e.ServiceId).toBe(first.Id);
    expect(e.ServiceArn).toBe(first.Arn);
    expect(e.CreatorRequestId).toBe(first.CreatorRequestId);
  });

  it("refuses a health check path without its leading slash, on create and update", async () => {
    const pub = await namespaceId((await sim.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "hc.example.com" }))).OperationId!);
    const DnsConfig = { DnsRecords: [{ Type: "A" as const, TTL: 60 }] };
    const message = "Health check resource path must start with /";
    await expectAwsError(
      sim.sd.send(new CreateServiceCommand({ Name: "bad", NamespaceId: pub, DnsConfig, HealthCheckConfig: { Type: "HTTP", ResourcePath: "health" } })),
      { name: "InvalidInput", status: 400, message },
    );
    const s = (
      await sim.sd.send(new CreateServiceCommand({ Name: "good", NamespaceId: pub, DnsConfig, HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health" } }))
    ).Service!;
    expect(s.HealthCheckConfig).toMatchObject({ Type: "HTTP", ResourcePath: "/health" });
    await expectAwsError(sim.sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { HealthCheckConfig: { Type: "HTTP", ResourcePath: "ping" } } })), {
      name: "InvalidInput",
      status: 400,
      message,
    });
    expect((await sim.sd.send(new GetServiceCommand({ Id: s.Id }))).Service!.HealthCheckConfig!.ResourcePath).toBe("/health");
  });

  it("refuses to delete a service with instances and a namespace with services, in AWS's words", async () => {
    const ns = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-inuse" }))).OperationId!);
    const svc = (await sim.sd.send(new CreateServiceCommand({ Name: "busy", NamespaceId: ns }))).Service!;
    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "i-1", Attributes: { k: "v" } }));
    await expectAwsError(sim.sd.send(new DeleteServiceCommand({ Id: svc.Id })), {
      name: "ResourceInUse",
      status: 400,
      message: "Service contains registered instances; delete the instances before deleting the service",
    });
    await expectAwsError(sim.sd.send(new DeleteNamespaceCommand({ Id: ns })), {
      name: "ResourceInUse",
      status: 400,
      message: "Namespace has associated services; delete the services before deleting the namespace",
    });
    await sim.sd.send(new DeregisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "i-1" }));
    await sim.sd.send(new DeleteServiceCommand({ Id: svc.Id }));
    expect((await sim.sd.send(new DeleteNamespaceCommand({ Id: ns }))).OperationId).toBeTruthy();
  });

  it("filters services by namespace ARN and namespaces by TYPE BEGINS_WITH, as the filters document", async () => {
    const ns = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-filter" }))).OperationId!);
    const arn = (await sim.sd.send(new GetNamespaceCommand({ Id: ns }))).Namespace!.Arn!;
    await sim.sd.send(new CreateServiceCommand({ Name: "in-filter", NamespaceId: ns }));
    const byArn = (await sim.sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [arn], Condition: "EQ" }] }))).Services!;
    expect(byArn.map((x) => x.Name)).toEqual(["in-filter"]);
    await sim.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "filter.example.com" }));
    const dns = (await sim.sd.send(new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["DNS"], Condition: "BEGINS_WITH" }] }))).Namespaces!;
    expect(dns.map((n) => n.Name)).toContain("filter.example.com");
    expect(dns.every((n) => n.Type === "DNS_PUBLIC" || n.Type === "DNS_PRIVATE")).toBe(true);
  });

  it("applies RegisterInstance's documented attribute rules (size, EC2 instance id, alias records, health check port)", async () => {
    const http = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-attrs" }))).OperationId!);
    const api = (await sim.sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: http }))).Service!;
    const register = (ServiceId: string, Attributes: Record<string, string>) =>
      sim.sd.send(new RegisterInstanceCommand({ ServiceId, InstanceId: "i-1", Attributes }));
    await expectAwsError(
      register(api.Id!, { big: "x".repeat(1000), more: "y".repeat(1000), much: "z".repeat(1000), most: "w".repeat(1000), over: "v".repeat(997) }),
      {
        name: "InvalidInput",
        status: 400,
      },
    );
    await register(api.Id!, { a: "x".repeat(1000), b: "y".repeat(1000), c: "z".repeat(1000), d: "w".repeat(1000), e: "v".repeat(995) });
    await expectAwsError(register(api.Id!, { AWS_EC2_INSTANCE_ID: "i-0123456789abcdef0", team: "a" }), { name: "InvalidInput", status: 400 });
    await register(api.Id!, { AWS_EC2_INSTANCE_ID: "i-0123456789abcdef0" });

    const pub = await namespaceId((await sim.sd.send(new CreatePublicDnsNamespaceCommand({ Name: "attrs.example.com" }))).OperationId!);
    const multi = (await sim.sd.send(new CreateServiceCommand({ Name: "multi", NamespaceId: pub, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] } })))
      .Service!;
    await expectAwsError(register(multi.Id!, { AWS_EC2_INSTANCE_ID: "i-0123456789abcdef0" }), { name: "InvalidInput", status: 400 });
    await expectAwsError(register(multi.Id!, { AWS_ALIAS_DNS_NAME: "lb-1.us-east-1.elb.amazonaws.com" }), { name: "InvalidInput", status: 400 });
    const weighted = (
      await sim.sd.send(
        new CreateServiceCommand({ Name: "weighted", NamespaceId: pub, DnsConfig: { RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "A", TTL: 60 }] } }),
      )
    ).Service!;
    await expectAwsError(register(weighted.Id!, { AWS_ALIAS_DNS_NAME: "lb-1.us-east-1.elb.amazonaws.com", AWS_INSTANCE_IPV4: "10.0.0.1" }), {
      name: "InvalidInput",
      status: 400,
    });
    await register(weighted.Id!, { AWS_ALIAS_DNS_NAME: "lb-1.us-east-1.elb.amazonaws.com" });

    const checked = (
      await sim.sd.send(
        new CreateServiceCommand({
          Name: "checked",
          NamespaceId: pub,
          DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] },
          HealthCheckConfig: { Type: "TCP" },
        }),
      )
    ).Service!;
    await expectAwsError(register(checked.Id!, { AWS_INSTANCE_IPV4: "10.0.0.1" }), { name: "InvalidInput", status: 400 });
    await register(checked.Id!, { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: "80" });
  });

  it("fills AWS_INSTANCE_IPV4 from the EC2 instance named by AWS_EC2_INSTANCE_ID", async () => {
    const ec2 = new EC2Client(clientConfig(sim.server));
    const run = (await ec2.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const ns = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-ec2" }))).OperationId!);
    const svc = (await sim.sd.send(new CreateServiceCommand({ Name: "vm", NamespaceId: ns }))).Service!;
    await sim.sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "vm-1", Attributes: { AWS_EC2_INSTANCE_ID: run.InstanceId! } }));
    const got = (await sim.sd.send(new GetInstanceCommand({ ServiceId: svc.Id, InstanceId: "vm-1" }))).Instance!;
    expect(run.PrivateIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(got.Attributes).toEqual({ AWS_EC2_INSTANCE_ID: run.InstanceId, AWS_INSTANCE_IPV4: run.PrivateIpAddress });
    ec2.destroy();
  });

  it("refuses a service without a namespace as invalid input", async () => {
    const e = await expectAwsError(sim.sd.send(new CreateServiceCommand({ Name: "orphan" })), { name: "InvalidInput", status: 400 });
    expect(e.message).not.toContain("undefined");
  });

  it("reports a custom health check's FailureThreshold as 1, whatever was sent", async () => {
    const ns = await namespaceId((await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "moto-custom" }))).OperationId!);
    const a = (await sim.sd.send(new CreateServiceCommand({ Name: "a", NamespaceId: ns, HealthCheckCustomConfig: {} }))).Service!;
    expect(a.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 });
    const b = (await sim.sd.send(new CreateServiceCommand({ Name: "b", NamespaceId: ns, HealthCheckCustomConfig: { FailureThreshold: 5 } }))).Service!;
    expect(b.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 });
    expect((await sim.sd.send(new GetServiceCommand({ Id: b.Id }))).Service!.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 });
  });
});
