/**
 * EFS answers quoted from AWS in public issue threads (Terraform, CDK, SDK and tool users pasting the service's
 * ErrorCode, Message and status), replayed against awsim with the real @aws-sdk/client-efs.
 */
import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  EFSClient,
  PutLifecycleConfigurationCommand,
  UpdateFileSystemCommand,
} from "@aws-sdk/client-efs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

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
