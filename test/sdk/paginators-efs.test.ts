/** EFS: every botocore paginator (and the JS SDK's ListTagsForResource one) walked with the JS SDK's paginator. */
import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  CreateReplicationConfigurationCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  paginateDescribeAccessPoints,
  paginateDescribeFileSystems,
  paginateDescribeMountTargets,
  paginateDescribeReplicationConfigurations,
  paginateDescribeTags,
  paginateListTagsForResource,
} from "@aws-sdk/client-efs";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { expectWalk, names } from "./paginators-helpers.js";

const sim = useServer({}, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));
const cfg = (pageSize = 2) => ({ client: sim.efs, pageSize });
const marker = (p: { NextMarker?: string }) => p.NextMarker;
const next = (p: { NextToken?: string }) => p.NextToken;
const tagKeys = names("k");
const fx = { fss: [] as string[], mts: [] as string[], aps: [] as string[], replicated: [] as string[] };

beforeAll(async () => {
  const efs = sim.efs;
  for (const t of names("pg-fs")) {
    fx.fss.push(
      (await efs.send(new CreateFileSystemCommand({ CreationToken: t, Tags: t === "pg-fs-0" ? tagKeys.map((Key) => ({ Key, Value: Key })) : undefined })))
        .FileSystemId!,
    );
  }
  const fs0 = fx.fss[0]!;
  // One mount target per Availability Zone: five default subnets in five zones.
  const subnets = (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))).Subnets!;
  const byAz = new Map(subnets.map((s) => [s.AvailabilityZone!, s.SubnetId!]));
  expect(byAz.size).toBeGreaterThanOrEqual(5);
  for (const subnet of [...byAz.values()].slice(0, 5))
    fx.mts.push((await efs.send(new CreateMountTargetCommand({ FileSystemId: fs0, SubnetId: subnet }))).MountTargetId!);
  for (let i = 0; i < 5; i++) fx.aps.push((await efs.send(new CreateAccessPointCommand({ FileSystemId: fs0, ClientToken: `pg-ap-${i}` }))).AccessPointId!);
  for (const fs of fx.fss) {
    await efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: fs, Destinations: [{ Region: "us-west-2" }] }));
    fx.replicated.push(fs);
  }
}, 60_000);

const rows: [string, () => Promise<unknown>][] = [
  [
    "DescribeFileSystems",
    () =>
      expectWalk({
        pages: paginateDescribeFileSystems(cfg(), {}),
        items: (p) => p.FileSystems,
        token: marker,
        key: (f: { FileSystemId: string }) => f.FileSystemId,
        pageSize: 2,
        expected: fx.fss,
      }),
  ],
  [
    "DescribeMountTargets (MaxItems is ignored: pages of 10)",
    () =>
      expectWalk({
        pages: paginateDescribeMountTargets(cfg(), { FileSystemId: fx.fss[0] }),
        items: (p) => p.MountTargets,
        token: marker,
        key: (m: { MountTargetId: string }) => m.MountTargetId,
        pageSize: 10,
        expected: fx.mts,
      }),
  ],
  [
    "DescribeTags (by key; MaxItems is ignored: pages of 100)",
    () =>
      expectWalk({
        pages: paginateDescribeTags(cfg(), { FileSystemId: fx.fss[0] }),
        items: (p) => p.Tags,
        token: marker,
        key: (t: { Key: string }) => t.Key,
        pageSize: 100,
        expected: tagKeys,
        ordered: true,
      }),
  ],
  [
    "ListTagsForResource",
    () =>
      expectWalk({
        pages: paginateListTagsForResource(cfg(), { ResourceId: fx.fss[0] }),
        items: (p) => p.Tags,
        token: next,
        key: (t: { Key: string }) => t.Key,
        pageSize: 2,
        expected: tagKeys,
      }),
  ],
  [
    "DescribeAccessPoints",
    () =>
      expectWalk({
        pages: paginateDescribeAccessPoints(cfg(), { FileSystemId: fx.fss[0] }),
        items: (p) => p.AccessPoints,
        token: next,
        key: (a: { AccessPointId: string }) => a.AccessPointId,
        pageSize: 2,
        expected: fx.aps,
      }),
  ],
  [
    "DescribeReplicationConfigurations",
    () =>
      expectWalk({
        pages: paginateDescribeReplicationConfigurations(cfg(), {}),
        items: (p) => p.Replications,
        token: next,
        key: (r: { SourceFileSystemId: string }) => r.SourceFileSystemId,
        pageSize: 2,
        expected: fx.replicated,
      }),
  ],
];

describe("EFS paginators (page size 2 over 5 items; no NextMarker / NextToken on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("MaxItems 0 is a ValidationException; the default page holds all five", async () => {
    await expectAwsError(sim.efs.send(new DescribeFileSystemsCommand({ MaxItems: 0 })), { name: "ValidationException", status: 400 });
    const all = await sim.efs.send(new DescribeFileSystemsCommand({}));
    expect(all.FileSystems).toHaveLength(5);
    expect(all.NextMarker).toBeUndefined();
    // The replicas live in us-west-2: that region lists them, this one does not.
    const west = new EFSClient(clientConfig(sim.server, { region: "us-west-2" }));
    expect((await west.send(new DescribeFileSystemsCommand({}))).FileSystems).toHaveLength(5);
  });
});
