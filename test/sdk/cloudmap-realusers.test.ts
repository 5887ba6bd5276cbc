/**
 * Cloud Map as tools that run against AWS use it, replayed against awsim with the real
 * @aws-sdk/client-servicediscovery: aws/aws-cloud-map-mcs-controller-for-k8s (pkg/cloudmap: namespaces and services found
 * by name, RegisterInstance/DeregisterInstance polled through ListOperations, DiscoverInstances with query parameters,
 * the integration janitor) and kubernetes-sigs/external-dns (provider/awssd: namespaces by type, services per namespace,
 * DNS services per record type, instance attributes, DiscoverInstances, UpdateService, DeleteService).
 */
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeregisterInstanceCommand,
  GetOperationCommand,
  ListOperationsCommand,
  type OperationFilter,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

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
});
