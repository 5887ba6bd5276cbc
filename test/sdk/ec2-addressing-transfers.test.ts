import {
  AcceptAddressTransferCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateVpcCommand,
  CreateVpcEncryptionControlCommand,
  DescribeVpcsCommand,
  DeleteVpcEncryptionControlCommand,
  DescribeVpcEncryptionControlsCommand,
  GetVpcResourcesBlockingEncryptionEnforcementCommand,
  ModifyVpcEncryptionControlCommand,
  AllocateAddressCommand,
  DescribeAddressesCommand,
  DescribeAddressTransfersCommand,
  DescribeMovingAddressesCommand,
  DescribeVpcEndpointAssociationsCommand,
  DisableAddressTransferCommand,
  EC2Client,
  EnableAddressTransferCommand,
  GetManagedResourceVisibilityCommand,
  ModifyManagedResourceVisibilityCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const OTHER = "111122223333";

const sim = useServer({ reset: true }, (cfg) => ({
  ec2: new EC2Client(cfg),
  other: new EC2Client({ ...cfg, credentials: { accessKeyId: OTHER, secretAccessKey: "x" } }),
}));

describe("elastic IP address transfers", () => {
  it("offer, see on both sides, accept: the address moves to the other account", async () => {
    const eip = await sim.ec2.send(new AllocateAddressCommand({}));
    const t = (await sim.ec2.send(new EnableAddressTransferCommand({ AllocationId: eip.AllocationId!, TransferAccountId: OTHER }))).AddressTransfer!;
    expect([t.AddressTransferStatus, t.TransferAccountId, t.PublicIp]).toEqual(["pending", OTHER, eip.PublicIp]);
    expect(t.TransferOfferExpirationTimestamp!.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    await expectAwsError(sim.ec2.send(new EnableAddressTransferCommand({ AllocationId: eip.AllocationId!, TransferAccountId: OTHER })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const theirs = (await sim.other.send(new DescribeAddressTransfersCommand({}))).AddressTransfers!;
    expect(theirs.map((x) => [x.AllocationId, x.AddressTransferStatus])).toEqual([[eip.AllocationId, "pending"]]);
    const acc = (
      await sim.other.send(
        new AcceptAddressTransferCommand({ Address: eip.PublicIp!, TagSpecifications: [{ ResourceType: "elastic-ip", Tags: [{ Key: "from", Value: "a" }] }] }),
      )
    ).AddressTransfer!;
    expect(acc.AddressTransferStatus).toBe("accepted");
    expect(acc.TransferOfferAcceptedTimestamp).toBeInstanceOf(Date);
    expect((await sim.ec2.send(new DescribeAddressesCommand({}))).Addresses).toEqual([]);
    const moved = (await sim.other.send(new DescribeAddressesCommand({}))).Addresses!;
    expect(moved.map((x) => [x.PublicIp, x.Tags])).toEqual([[eip.PublicIp, [{ Key: "from", Value: "a" }]]]);
    expect((await sim.ec2.send(new DescribeAddressTransfersCommand({}))).AddressTransfers![0]!.AddressTransferStatus).toBe("accepted");
    await expectAwsError(sim.other.send(new AcceptAddressTransferCommand({ Address: eip.PublicIp! })), { name: "InvalidAddress.NotFound", status: 400 });
  });

  it("a disabled offer cannot be accepted; unknown allocations and own account are errors", async () => {
    const eip = await sim.ec2.send(new AllocateAddressCommand({}));
    await expectAwsError(sim.ec2.send(new EnableAddressTransferCommand({ AllocationId: eip.AllocationId!, TransferAccountId: "000000000000" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new EnableAddressTransferCommand({ AllocationId: "eipalloc-0123456789abcdef0", TransferAccountId: OTHER })), {
      name: "InvalidAllocationID.NotFound",
      status: 400,
    });
    await sim.ec2.send(new EnableAddressTransferCommand({ AllocationId: eip.AllocationId!, TransferAccountId: OTHER }));
    expect((await sim.ec2.send(new DisableAddressTransferCommand({ AllocationId: eip.AllocationId! }))).AddressTransfer!.AddressTransferStatus).toBe(
      "disabled",
    );
    await expectAwsError(sim.other.send(new AcceptAddressTransferCommand({ Address: eip.PublicIp! })), { name: "InvalidAddress.NotFound", status: 400 });
    expect((await sim.ec2.send(new DescribeAddressesCommand({}))).Addresses!.map((x) => x.AllocationId)).toEqual([eip.AllocationId]);
  });
});

describe("account settings and empty-by-construction listings", () => {
  it("managed resource visibility is stored per account", async () => {
    expect((await sim.ec2.send(new GetManagedResourceVisibilityCommand({}))).Visibility).toEqual({ DefaultVisibility: "hidden" });
    expect((await sim.ec2.send(new ModifyManagedResourceVisibilityCommand({ DefaultVisibility: "visible" }))).Visibility).toEqual({
      DefaultVisibility: "visible",
    });
    expect((await sim.ec2.send(new GetManagedResourceVisibilityCommand({}))).Visibility).toEqual({ DefaultVisibility: "visible" });
    expect((await sim.other.send(new GetManagedResourceVisibilityCommand({}))).Visibility).toEqual({ DefaultVisibility: "hidden" });
  });

  it("no address is moving from EC2-Classic; endpoints have no service-network associations", async () => {
    expect((await sim.ec2.send(new DescribeMovingAddressesCommand({}))).MovingAddressStatuses).toEqual([]);
    expect((await sim.ec2.send(new DescribeVpcEndpointAssociationsCommand({}))).VpcEndpointAssociations).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeVpcEndpointAssociationsCommand({ VpcEndpointIds: ["vpce-0123456789abcdef0"] })), {
      name: "InvalidVpcEndpointId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeMovingAddressesCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});

describe("VPC encryption controls", () => {
  it("monitor at creation; enforce fails while an internet gateway is attached, succeeds once it is excluded", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    const c = (await sim.ec2.send(new CreateVpcEncryptionControlCommand({ VpcId: vpc }))).VpcEncryptionControl!;
    expect(c.VpcEncryptionControlId).toMatch(/^vpcec-[0-9a-f]{17}$/);
    expect([c.Mode, c.State, c.ResourceExclusions!.InternetGateway!.State]).toEqual(["monitor", "creating", "disabled"]);
    await expectAwsError(sim.ec2.send(new CreateVpcEncryptionControlCommand({ VpcId: vpc })), { name: "InvalidParameterValue", status: 400 });
    const blocking = (await sim.ec2.send(new GetVpcResourcesBlockingEncryptionEnforcementCommand({ VpcId: vpc }))).NonCompliantResources!;
    expect(blocking).toEqual([{ Id: igw, Type: "internet-gateway", Description: "Internet gateway", IsExcludable: true }]);
    const id = c.VpcEncryptionControlId!;
    await sim.ec2.send(new ModifyVpcEncryptionControlCommand({ VpcEncryptionControlId: id, Mode: "enforce" }));
    const failed = (await sim.ec2.send(new DescribeVpcEncryptionControlsCommand({ VpcIds: [vpc] }))).VpcEncryptionControls![0]!;
    expect([failed.Mode, failed.State]).toEqual(["monitor", "enforce-failed"]);
    expect(failed.StateMessage).toContain(igw);
    const ok = (await sim.ec2.send(new ModifyVpcEncryptionControlCommand({ VpcEncryptionControlId: id, Mode: "enforce", InternetGatewayExclusion: "enable" })))
      .VpcEncryptionControl!;
    expect(ok.State).toBe("enforce-in-progress");
    const now = (await sim.ec2.send(new DescribeVpcEncryptionControlsCommand({ VpcEncryptionControlIds: [id] }))).VpcEncryptionControls![0]!;
    expect([now.Mode, now.State, now.ResourceExclusions!.InternetGateway!.State]).toEqual(["enforce", "available", "enabled"]);
    const shown = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.EncryptionControl!;
    expect([shown.VpcEncryptionControlId, shown.Mode]).toEqual([id, "enforce"]);
    expect((await sim.ec2.send(new DeleteVpcEncryptionControlCommand({ VpcEncryptionControlId: id }))).VpcEncryptionControl!.State).toBe("deleting");
    await expectAwsError(sim.ec2.send(new DescribeVpcEncryptionControlsCommand({ VpcEncryptionControlIds: [id] })), {
      name: "InvalidVpcEncryptionControlId.NotFound",
      status: 400,
    });
  });
});
