/**
 * Cloud Map answers quoted from AWS in public issue threads (SDK, Terraform and tool users pasting the service's
 * Code and Message), replayed against awsim with the real @aws-sdk/client-servicediscovery.
 */
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListOperationsCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

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

describe("private DNS namespaces of one name in one VPC", () => {
  // hashicorp/terraform-provider-aws: TestAccServiceDiscoveryPrivateDNSNamespace_Error_overlap (run against AWS)
  // expects ConflictingDomainExists, which its wait.go finds in the failed operation (CANNOT_CREATE_HOSTED_ZONE).
  it("a second one is accepted and its operation FAILs with Route 53's ConflictingDomainExists; HTTP names stay NamespaceAlreadyExists", async () => {
    const ec2 = new EC2Client(clientConfig(t.server));
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    const first = await t.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "overlap.local", Vpc: vpc }));
    const firstOp = (await t.sd.send(new GetOperationCommand({ OperationId: first.OperationId }))).Operation!;
    expect(firstOp.Status).toBe("SUCCESS");

    const again = await t.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "overlap.local", Vpc: vpc, CreatorRequestId: "other" }));
    const failed = (await t.sd.send(new GetOperationCommand({ OperationId: again.OperationId }))).Operation!;
    expect(failed).toMatchObject({ Type: "CREATE_NAMESPACE", Status: "FAIL", ErrorCode: "CANNOT_CREATE_HOSTED_ZONE" });
    expect(failed.ErrorMessage).toMatch(
      new RegExp(
        `^The VPC that you chose, ${vpc} in region us-east-1, is already associated with another private hosted zone that has an overlapping name space, overlap\\.local\\.\\. \\(Service: AmazonRoute53; Status Code: 400; Error Code: ConflictingDomainExists; Request ID: [0-9a-f-]{36}\\)$`,
      ),
    );
    const names = (await t.sd.send(new ListNamespacesCommand({}))).Namespaces!.map((n) => n.Name);
    expect(names.filter((n) => n === "overlap.local")).toHaveLength(1);
    const failures = await t.sd.send(new ListOperationsCommand({ Filters: [{ Name: "STATUS", Values: ["FAIL"], Condition: "EQ" }] }));
    expect(failures.Operations!.map((o) => o.Id)).toEqual([again.OperationId]);

    // Another VPC takes the same name; an HTTP namespace's name is still unique at once.
    const vpc2 = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.10.0.0/16" }))).Vpc!.VpcId!;
    const other = await t.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "overlap.local", Vpc: vpc2 }));
    expect((await t.sd.send(new GetOperationCommand({ OperationId: other.OperationId }))).Operation!.Status).toBe("SUCCESS");
    await httpNamespace("unique-http");
    await expectAwsError(t.sd.send(new CreateHttpNamespaceCommand({ Name: "unique-http" })), { name: "NamespaceAlreadyExists", status: 400 });
  });
});
