/**
 * EFS output members no other test reached: an access point's Name (its Name tag), a One Zone file system's zone in
 * DescribeFileSystems and UpdateFileSystem, TransitionToArchive, and a replication destination's RoleArn.
 */
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateReplicationConfigurationCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeReplicationConfigurationsCommand,
  EFSClient,
  PutLifecycleConfigurationCommand,
  UpdateFileSystemCommand,
} from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "efs" }, (cfg) => ({ efs: new EFSClient(cfg) }));

describe("EFS", () => {
  it("an access point's Name is its Name tag, in CreateAccessPoint and DescribeAccessPoints", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "ap-name" }));
    const ap = await sim.efs.send(
      new CreateAccessPointCommand({
        ClientToken: "ap-name-1",
        FileSystemId: fs.FileSystemId,
        Tags: [
          { Key: "team", Value: "a" },
          { Key: "Name", Value: "app-data" },
        ],
      }),
    );
    expect(ap.Name).toBe("app-data");
    const described = await sim.efs.send(new DescribeAccessPointsCommand({ AccessPointId: ap.AccessPointId }));
    expect(described.AccessPoints![0]).toMatchObject({ Name: "app-data", AccessPointId: ap.AccessPointId, LifeCycleState: "available" });
  });

  it("a One Zone file system names its zone and zone id in DescribeFileSystems and UpdateFileSystem", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "one-zone", AvailabilityZoneName: "us-east-1b" }));
    const d = (await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }))).FileSystems![0]!;
    expect(d).toMatchObject({ AvailabilityZoneName: "us-east-1b", AvailabilityZoneId: "use1-az2" });
    const u = await sim.efs.send(new UpdateFileSystemCommand({ FileSystemId: fs.FileSystemId, ThroughputMode: "elastic" }));
    expect(u).toMatchObject({ AvailabilityZoneName: "us-east-1b", AvailabilityZoneId: "use1-az2", ThroughputMode: "elastic" });
  });

  it("TransitionToArchive is kept and described with TransitionToIA", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "archive", ThroughputMode: "elastic" }));
    const policies = [{ TransitionToIA: "AFTER_30_DAYS" as const }, { TransitionToArchive: "AFTER_90_DAYS" as const }];
    const put = await sim.efs.send(new PutLifecycleConfigurationCommand({ FileSystemId: fs.FileSystemId, LifecyclePolicies: policies }));
    expect(put.LifecyclePolicies).toEqual(policies);
    const d = await sim.efs.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: fs.FileSystemId }));
    expect(d.LifecyclePolicies).toEqual(policies);
  });

  it("a replication destination's RoleArn is echoed by CreateReplicationConfiguration and DescribeReplicationConfigurations", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "replicated" }));
    const role = "arn:aws:iam::000000000000:role/efs-replication";
    const created = await sim.efs.send(
      new CreateReplicationConfigurationCommand({ SourceFileSystemId: fs.FileSystemId, Destinations: [{ Region: "us-west-2", RoleArn: role }] }),
    );
    expect(created.Destinations![0]).toMatchObject({ Region: "us-west-2", RoleArn: role, OwnerId: "000000000000", Status: "ENABLING" });
    const d = await sim.efs.send(new DescribeReplicationConfigurationsCommand({ FileSystemId: fs.FileSystemId }));
    expect(d.Replications![0]!.Destinations![0]).toMatchObject({ Region: "us-west-2", RoleArn: role, Status: "ENABLED" });
  });
});
