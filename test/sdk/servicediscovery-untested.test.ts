/** Cloud Map UpdatePublicDnsNamespace: its operation (GetOperation) and the namespace GetNamespace shows afterwards; errors. */
import {
  CreateHttpNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  ServiceDiscoveryClient,
  UpdatePublicDnsNamespaceCommand,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("Cloud Map UpdatePublicDnsNamespace", () => {
  const sim = useServer({ reset: "servicediscovery" }, (cfg) => ({ sd: new ServiceDiscoveryClient(cfg) }));

  async function publicNamespace(Name: string): Promise<string> {
    const { OperationId } = await sim.sd.send(
      new CreatePublicDnsNamespaceCommand({ Name, Description: "before", Properties: { DnsProperties: { SOA: { TTL: 60 } } } }),
    );
    return (await sim.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
  }

  it("updates the description and the SOA TTL: an UPDATE_NAMESPACE operation targeting the namespace, then GetNamespace shows both", async () => {
    const id = await publicNamespace("public.example.com");
    const before = (await sim.sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    expect(before).toMatchObject({ Type: "DNS_PUBLIC", Description: "before", Properties: { DnsProperties: { SOA: { TTL: 60 } } } });

    const { OperationId } = await sim.sd.send(
      new UpdatePublicDnsNamespaceCommand({ Id: id, Namespace: { Description: "after", Properties: { DnsProperties: { SOA: { TTL: 300 } } } } }),
    );
    expect(OperationId).toMatch(/\S/);
    const op = (await sim.sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    expect(op).toMatchObject({ Id: OperationId, Type: "UPDATE_NAMESPACE", Status: "SUCCESS", Targets: { NAMESPACE: id }, OwnerAccount: "000000000000" });
    expect(op.CreateDate).toBeInstanceOf(Date);
    expect(op.ErrorCode).toBeUndefined();

    const after = (await sim.sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    expect(after).toMatchObject({ Id: id, Name: "public.example.com", Type: "DNS_PUBLIC", Description: "after" });
    expect(after.Properties!.DnsProperties).toEqual({ HostedZoneId: before.Properties!.DnsProperties!.HostedZoneId, SOA: { TTL: 300 } });

    // Only the description: the TTL stays.
    await sim.sd.send(new UpdatePublicDnsNamespaceCommand({ Id: id, Namespace: { Description: "only text" } }));
    const again = (await sim.sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    expect(again.Description).toBe("only text");
    expect(again.Properties!.DnsProperties!.SOA).toEqual({ TTL: 300 });
  });

  it("errors: an unknown namespace is NamespaceNotFound (400); an HTTP namespace is not updated; a TTL outside the model's range is InvalidInput", async () => {
    await expectAwsError(sim.sd.send(new UpdatePublicDnsNamespaceCommand({ Id: "ns-abcdefghijklmnop", Namespace: { Description: "x" } })), {
      name: "NamespaceNotFound",
      status: 400,
    });
    const { OperationId } = await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "http-only", Description: "kept" }));
    const httpId = (await sim.sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    await expectAwsError(sim.sd.send(new UpdatePublicDnsNamespaceCommand({ Id: httpId, Namespace: { Description: "changed" } })), {
      name: "InvalidInput",
      status: 400,
    });
    expect((await sim.sd.send(new GetNamespaceCommand({ Id: httpId }))).Namespace!.Description).toBe("kept");

    const id = await publicNamespace("ttl.example.com");
    await expectAwsError(sim.sd.send(new UpdatePublicDnsNamespaceCommand({ Id: id, Namespace: { Properties: { DnsProperties: { SOA: { TTL: -1 } } } } })), {
      name: "InvalidInput",
      status: 400,
    });
    expect((await sim.sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!.Properties!.DnsProperties!.SOA).toEqual({ TTL: 60 });
  });
});
