/**
 * EFS answers quoted from AWS in public issue threads (Terraform, CDK, SDK and tool users pasting the service's
 * ErrorCode, Message and status), replayed against awsim with the real @aws-sdk/client-efs.
 */
import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  EFSClient,
  CreateReplicationConfigurationCommand,
  PutLifecycleConfigurationCommand,
  UpdateFileSystemCommand,
  UpdateFileSystemProtectionCommand,
} from "@aws-sdk/client-efs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Simulator } from "../../src/services/core/simulator.js";
import type { EfsState } from "../../src/services/efs/state.js";
import { clientConfig, expectAwsError, startSimulatorServer, useServer } from "../helpers.js";

const t = useServer({ reset: "efs" }, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));
afterEach(() => vi.useRealTimers());

const newFs = async (token: string, extra: object = {}) => (await t.efs.send(new CreateFileSystemCommand({ CreationToken: token, ...extra }))).FileSystemId!;

describe("file systems", () => {
  // rebuy-de/aws-nuke#1203 (2024): the exact ErrorCode, Message and 409.
  it("deleting a file system with mount targets is FileSystemInUse", async () => {
    const id = await newFs("in-use");
    const subnet = (await t.ec2.send(new DescribeSubnetsCommand({}))).Subnets![0]!.SubnetId!;
    const mt = await t.efs.send(new CreateMountTargetCommand({ FileSystemId: id, SubnetId: subnet }));
    await expectAwsError(t.efs.send(new DeleteFileSystemCommand({ FileSystemId: id })), {
      name: "FileSystemInUse",
      status: 409,
      message: `The file system '${id}' cannot be deleted because it has mount targets. You must delete the mount targets, and then try again.`,
    });
    await t.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId! }));
    await t.efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
  });

  // cloudposse/terraform-aws-efs#103, aws/aws-cdk#19058, hashicorp/terraform-provider-aws#20971: two transitions in one
  // LifecyclePolicy object; each transition goes in an object of its own.
  it("a LifecyclePolicy object with two transitions is malformed", async () => {
    const id = await newFs("lifecycle");
    await expectAwsError(
      t.efs.send(
        new PutLifecycleConfigurationCommand({
          FileSystemId: id,
          LifecyclePolicies: [{ TransitionToIA: "AFTER_14_DAYS", TransitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
        }),
      ),
      { name: "BadRequest", status: 400, message: "One or more LifecyclePolicy objects specified are malformed." },
    );
    const ok = await t.efs.send(
      new PutLifecycleConfigurationCommand({
        FileSystemId: id,
        LifecyclePolicies: [{ TransitionToIA: "AFTER_14_DAYS" }, { TransitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
      }),
    );
    expect(ok.LifecyclePolicies).toEqual([{ TransitionToIA: "AFTER_14_DAYS" }, { TransitionToPrimaryStorageClass: "AFTER_1_ACCESS" }]);
  });

  // ansible-collections/community.aws#2026 (AWS's text) and knowledge-center/efs-max-throughput-mode-changes: one
  // throughput mode change or provisioned throughput decrease in 24 hours; increases are unrestricted.
  it("a second throughput mode change within 24 hours is TooManyRequests", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.parse("2026-03-01T10:00:00.250Z");
    vi.setSystemTime(t0);
    const id = await newFs("throughput");
    await t.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 }));
    const up = await t.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ProvisionedThroughputInMibps: 128 }));
    expect(up.ProvisionedThroughputInMibps).toBe(128);
    vi.setSystemTime(t0 + 3_600_000);
    const tooMany = {
      name: "TooManyRequests",
      status: 429,
      message:
        "You have reached the maximum number of throughput mode changes or provisioned throughput value decreases. Wait until 2026-03-02T10:00:00Z UTC and try again.",
    };
    await expectAwsError(t.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "elastic" })), tooMany);
    await expectAwsError(t.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ProvisionedThroughputInMibps: 32 })), tooMany);
    vi.setSystemTime(t0 + 24 * 3_600_000 + 1000);
    expect((await t.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ProvisionedThroughputInMibps: 32 }))).ProvisionedThroughputInMibps).toBe(32);
    await expectAwsError(t.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "bursting" })), {
      ...tooMany,
      message: /Wait until 2026-03-03T10:00:01Z UTC/,
    });
  });
});

describe("replication", () => {
  // hashicorp/terraform-provider-aws#37790 (2024): a destination's protection is REPLICATING and can't be changed.
  it("a replication destination's overwrite protection can't be changed", async () => {
    const src = await newFs("repl-src");
    const dst = await newFs("repl-dst");
    await t.efs.send(new UpdateFileSystemProtectionCommand({ FileSystemId: dst, ReplicationOverwriteProtection: "DISABLED" }));
    await t.efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: src, Destinations: [{ FileSystemId: dst }] }));
    await expectAwsError(t.efs.send(new UpdateFileSystemProtectionCommand({ FileSystemId: dst, ReplicationOverwriteProtection: "DISABLED" })), {
      name: "ReplicationAlreadyExists",
      status: 409,
      message: "ReplicationOverwriteProtection cannot be changed while the file system is a replication destination.",
    });
  });
});

// kubernetes-sigs/aws-efs-csi-driver#517: AWS's text and 403 (the quota was 120 then; 10,000 per file system since 2025).
// The first 9,999 access points are put straight into the state of a simulator of this file's own.
describe("access point quota", () => {
  let server: Awaited<ReturnType<typeof startSimulatorServer>>;
  let sim: Simulator;
  let efs: EFSClient;
  beforeAll(async () => {
    server = await startSimulatorServer();
    sim = server.sim;
    efs = new EFSClient(clientConfig(server));
  });
  afterAll(() => server.stop());

  it("one access point past the quota is AccessPointLimitExceeded", async () => {
    const fs = await efs.send(new CreateFileSystemCommand({ CreationToken: "many-aps" }));
    const [, , , region, account] = fs.FileSystemArn!.split(":");
    const state = await sim.stateOf<EfsState>("efs", account!, region!);
    for (let i = 0; i < 9_999; i++) state.aps.set(`fsap-seed${i}`, { id: `fsap-seed${i}`, fsId: fs.FileSystemId!, token: `seed-${i}`, tags: [] });
    await efs.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId!, ClientToken: "the-10000th" }));
    await expectAwsError(efs.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId!, ClientToken: "one-too-many" })), {
      name: "AccessPointLimitExceeded",
      status: 403,
      message: `You have reached the maximum number of access points (10000) for your file system ${fs.FileSystemId}. Delete an access point and add a new one.`,
    });
  });
});
