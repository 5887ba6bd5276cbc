/**
 * Cloud Map answers quoted from AWS in public issue threads (SDK, Terraform and tool users pasting the service's
 * Code and Message), replayed against awsim with the real @aws-sdk/client-servicediscovery.
 */
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: "servicediscovery" }, (cfg) => ({ sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

async function httpNamespace(Name: string): Promise<string> {
  const { OperationId } = await t.sd.send(new CreateHttpNamespaceCommand({ Name }));
  return (await t.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
}

describe("discovery and namespaces", () => {
  // kubernetes-sigs/external-dns#5180 (2025): "NamespaceNotFound: Namespace not found", the name not repeated.
  it("DiscoverInstances in an unknown namespace is NamespaceNotFound", async () => {
    await expectAwsError(t.sd.send(new DiscoverInstancesCommand({ NamespaceName: "nowhere.local", ServiceName: "api" })), {
      name: "NamespaceNotFound",
      status: 400,
      message: "Namespace not found",
    });
  });

  // anomalyco/sst#5931 (2025): the exact text deleting a namespace that still has services.
  it("deleting a namespace with services is ResourceInUse", async () => {
    const id = await httpNamespace("busy");
    await t.sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: id }));
    await expectAwsError(t.sd.send(new DeleteNamespaceCommand({ Id: id })), {
      name: "ResourceInUse",
      status: 400,
      message: "Namespace has associated services; delete the services before deleting the namespace",
    });
  });
});

describe("services", () => {
  // hashicorp/terraform-provider-aws#46930 (2026): a service deleted and created again under its name gets the same id.
  it("a recreated service gets its id back", async () => {
    const ns = await httpNamespace("stable");
    const other = await httpNamespace("other");
    const first = (await t.sd.send(new CreateServiceCommand({ Name: "temporal", NamespaceId: ns }))).Service!;
    expect(first.Id).toMatch(/^srv-[a-z2-7]{16}$/);
    await t.sd.send(new DeleteServiceCommand({ Id: first.Id }));
    const again = (await t.sd.send(new CreateServiceCommand({ Name: "temporal", NamespaceId: ns }))).Service!;
    expect(again.Id).toBe(first.Id);
    expect(again.Arn).toBe(first.Arn);
    const elsewhere = (await t.sd.send(new CreateServiceCommand({ Name: "temporal", NamespaceId: other }))).Service!;
    const renamed = (await t.sd.send(new CreateServiceCommand({ Name: "temporal2", NamespaceId: ns }))).Service!;
    expect(new Set([first.Id, elsewhere.Id, renamed.Id]).size).toBe(3);
  });
});
