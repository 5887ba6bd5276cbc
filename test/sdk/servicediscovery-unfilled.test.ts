/**
 * Cloud Map output members no other test reached. InstanceCount and ServiceCount are left out on purpose (the aws
 * CLI's get-service, list-services, get-namespace and list-namespaces examples show neither; servicediscovery-examples
 * pins that), as are a summary's DnsConfig.NamespaceId and SOA TTL. A service's HealthCheckConfig is listed.
 */
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  ListServicesCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "servicediscovery" }, (cfg) => ({ sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

describe("Cloud Map ListServices", () => {
  it("a service's HealthCheckConfig (with its default FailureThreshold) is in its summary", async () => {
    const op = await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "checked.local" }));
    const nsId = (await sim.sd.send(new GetOperationCommand({ OperationId: op.OperationId }))).Operation!.Targets!.NAMESPACE!;
    const svc = await sim.sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: nsId, HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health" } }));
    expect(svc.Service!.HealthCheckConfig).toEqual({ Type: "HTTP", ResourcePath: "/health", FailureThreshold: 1 });
    const listed = await sim.sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [nsId], Condition: "EQ" }] }));
    expect(listed.Services).toHaveLength(1);
    expect(listed.Services![0]).toMatchObject({ Id: svc.Service!.Id, HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health", FailureThreshold: 1 } });
    expect(listed.Services![0]!.InstanceCount).toBeUndefined();
  });
});
