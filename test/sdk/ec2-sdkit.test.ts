/**
 * EC2 behaviour the SDK teams' own integration tests assert against real AWS, replayed against awsim:
 * aws-sdk-js features/ec2/ec2.feature (v2 and the v3 copy), aws-sdk-js-v3 clients/client-ec2/test/ec2-features.e2e.spec.ts,
 * botocore tests/integration/test_ec2.py and test_smoke.py, aws-sdk-go-v2 service/internal/integrationtest/ec2,
 * aws-sdk-java-v2 services/ec2/src/test (*IntegrationTest.java).
 * Each test names its source.
 */
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeRegionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  DescribeSpotPriceHistoryCommand,
  DescribeVolumeStatusCommand,
  paginateDescribeReservedInstancesOfferings,
  paginateDescribeSpotPriceHistory,
  TerminateInstancesCommand,
  waitUntilInstanceExists,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg, server) => ({
  ec2: new EC2Client(cfg),
  west: new EC2Client(clientConfig(server, { region: "us-west-2" })),
}));

describe("EC2 as the SDKs' integration tests expect", () => {
  // aws-sdk-js features/ec2/ec2.feature "Error handling": describeInstances({InstanceIds: [""]})
  it("an empty instance id is MissingParameter InstanceId, not a malformed id", async () => {
    for (const p of [
      sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [""] })),
      sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [""] })),
      sim.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [""] })),
    ])
      await expectAwsError(p, { name: "MissingParameter", status: 400, message: "The request must contain the parameter InstanceId" });
  });

  // aws-sdk-js features/ec2/ec2.feature "DescribeRegions"
  it("DescribeRegions with RegionNames returns those regions with their endpoints", async () => {
    const r = await sim.ec2.send(new DescribeRegionsCommand({ RegionNames: ["us-east-1", "us-west-1"] }));
    expect(r.Regions?.map((x) => [x.RegionName, x.Endpoint])).toEqual([
      ["us-east-1", "ec2.us-east-1.amazonaws.com"],
      ["us-west-1", "ec2.us-west-1.amazonaws.com"],
    ]);
  });

  // botocore tests/integration/test_ec2.py TestEC2.test_can_make_request
  it("us-west-2 has the zones us-west-2a, b and c", async () => {
    const r = await sim.west.send(new DescribeAvailabilityZonesCommand({}));
    expect(r.AvailabilityZones?.map((z) => z.ZoneName).sort()).toEqual(["us-west-2a", "us-west-2b", "us-west-2c"]);
  });

  // aws-sdk-js-v3 ec2-features.e2e.spec.ts "Error types"; aws-sdk-go-v2 integrationtest/ec2 TestInteg_01_DescribeInstances
  it("unknown and malformed ids are modeled-less EC2ServiceException errors with a code and message", async () => {
    const vpc = await expectAwsError(sim.west.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0123456789abcdef0"] })), {
      name: "InvalidVpcID.NotFound",
      status: 400,
    });
    expect(Object.getPrototypeOf(vpc)).toBe(EC2ServiceException.prototype);
    await expectAwsError(sim.west.send(new DescribeInstancesCommand({ InstanceIds: ["not-valid"] })), {
      name: "InvalidInstanceID.Malformed",
      status: 400,
    });
    await expectAwsError(sim.west.send(new DescribeInstancesCommand({ InstanceIds: ["i-12345678"] })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
      message: "The instance ID 'i-12345678' does not exist",
    });
  });

  // botocore tests/integration/test_ec2.py (2014) TestEC2Waiter.test_instance_wait_error
  it("the InstanceExists waiter fails on a nonexistent instance", async () => {
    await expect(waitUntilInstanceExists({ client: sim.west, maxWaitTime: 2, minDelay: 1 }, { InstanceIds: ["i-12345"] })).rejects.toThrow();
  });

  // botocore tests/integration/test_ec2.py TestEC2Pagination: three pages, distinct tokens; PageSize 1 gives one offering a page
  it("DescribeReservedInstancesOfferings paginates with distinct tokens and honours the page size", async () => {
    const tokens: Array<string | undefined> = [];
    for await (const page of paginateDescribeReservedInstancesOfferings({ client: sim.west }, {})) {
      tokens.push(page.NextToken);
      if (tokens.length === 3) break;
    }
    expect(tokens).toHaveLength(3);
    expect(tokens[0]).not.toBe(tokens[1]);
    const sizes: number[] = [];
    for await (const page of paginateDescribeReservedInstancesOfferings({ client: sim.west, pageSize: 1 }, {})) {
      sizes.push(page.ReservedInstancesOfferings?.length ?? 0);
      if (sizes.length === 3) break;
    }
    expect(sizes).toEqual([1, 1, 1]);
  });

  // botocore tests/integration/test_ec2.py TestCopySnapshotCustomization; aws-sdk-js features "Encrypted CopySnapshot"
  it("an encrypted snapshot copies from us-west-2 into us-east-1", async () => {
    const vol = await sim.west.send(new CreateVolumeCommand({ Size: 1, AvailabilityZone: "us-west-2a", Encrypted: true }));
    await waitUntilVolumeAvailable({ client: sim.west, maxWaitTime: 10, minDelay: 1 }, { VolumeIds: [vol.VolumeId!] });
    const snap = await sim.west.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }));
    await waitUntilSnapshotCompleted({ client: sim.west, maxWaitTime: 10, minDelay: 1 }, { SnapshotIds: [snap.SnapshotId!] });
    const copy = await sim.ec2.send(new CopySnapshotCommand({ SourceRegion: "us-west-2", SourceSnapshotId: snap.SnapshotId! }));
    expect(copy.SnapshotId).toMatch(/^snap-/);
    const done = await waitUntilSnapshotCompleted({ client: sim.ec2, maxWaitTime: 10, minDelay: 1 }, { SnapshotIds: [copy.SnapshotId!] });
    expect(done.state).toBe("SUCCESS");
  });

  // aws-sdk-java-v2 Ec2AutoPaginatorIntegrationTest: t1.micro "Linux/UNIX (Amazon VPC)" in us-east-1a since a millisecond ago
  it("DescribeSpotPriceHistory answers one current price for a previous-generation type AWS still offers", async () => {
    const prices = [];
    const input = {
      AvailabilityZone: "us-east-1a",
      ProductDescriptions: ["Linux/UNIX (Amazon VPC)"],
      InstanceTypes: ["t1.micro" as const],
      StartTime: new Date(Date.now() - 1),
    };
    for await (const page of paginateDescribeSpotPriceHistory({ client: sim.ec2 }, input)) prices.push(...(page.SpotPriceHistory ?? []));
    expect(prices).toHaveLength(1);
    expect(prices[0]).toMatchObject({ AvailabilityZone: "us-east-1a", InstanceType: "t1.micro", ProductDescription: "Linux/UNIX (Amazon VPC)" });
    expect(Number(prices[0]!.SpotPrice)).toBeGreaterThan(0);
    // us-east-1e does not offer t1.micro (AWS's DescribeInstanceTypeOfferings): no price there; an unknown type stays an error
    const e = await sim.ec2.send(new DescribeSpotPriceHistoryCommand({ ...input, AvailabilityZone: "us-east-1e" }));
    expect(e.SpotPriceHistory).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["x9.nothing" as "t1.micro"] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  // aws-sdk-java-v2 Ec2DryRunSupportIntegrationTest; Ec2ResponseMetadataIntegrationTest
  it("DescribeRegions with DryRun answers DryRunOperation; replies carry a request id", async () => {
    await expectAwsError(sim.ec2.send(new DescribeRegionsCommand({ RegionNames: ["us-east-1"], DryRun: true })), { name: "DryRunOperation", status: 412 });
    const r = await sim.ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(r.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  // aws-sdk-java EC2EbsIntegrationTest.testVolumeOperations: DescribeVolumeStatus filtered by volume-id (not in the API
  // reference's filter list, but AWS accepts it) finds exactly that volume
  it("DescribeVolumeStatus accepts the volume-id filter", async () => {
    const a = await sim.ec2.send(new CreateVolumeCommand({ Size: 4, AvailabilityZone: "us-east-1b", VolumeType: "io1", Iops: 100 }));
    await sim.ec2.send(new CreateVolumeCommand({ Size: 4, AvailabilityZone: "us-east-1b" }));
    const r = await sim.ec2.send(new DescribeVolumeStatusCommand({ Filters: [{ Name: "volume-id", Values: [a.VolumeId!] }] }));
    expect(r.VolumeStatuses?.map((v) => v.VolumeId)).toEqual([a.VolumeId]);
    expect(r.VolumeStatuses?.[0]).toMatchObject({ AvailabilityZone: "us-east-1b", Actions: [], Events: [], VolumeStatus: { Status: "ok" } });
  });
});
