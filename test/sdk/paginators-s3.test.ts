/** S3: every botocore paginator walked page by page (the JS SDK's paginator where it ships one, else botocore's tokens). */
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  ListObjectsCommand,
  type ListObjectsCommandOutput,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  type ListPartsCommandOutput,
  type ListObjectVersionsCommandOutput,
  paginateListBuckets,
  paginateListDirectoryBuckets,
  paginateListObjectsV2,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { expectWalk, names } from "./paginators-helpers.js";

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const cfg = (pageSize = 2) => ({ client: sim.s3, pageSize });
const buckets = names("pg-b");
const keys = names("key");
// Five entries with a "/" delimiter: two common prefixes and three keys.
const nested = ["a/1", "a/2", "b/1", "c", "d", "e"];
const fx = { uploadIds: [] as string[], partsUpload: "", versions: [] as string[] };

beforeAll(async () => {
  const s3 = sim.s3;
  for (const b of buckets) await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: buckets[0], Key: k, Body: k }));
  for (const k of nested) await s3.send(new PutObjectCommand({ Bucket: buckets[1], Key: k, Body: k }));
  // Versions: three of k1, one of k2 and a delete marker on k2.
  await s3.send(new PutBucketVersioningCommand({ Bucket: buckets[2], VersioningConfiguration: { Status: "Enabled" } }));
  for (const k of ["k1", "k1", "k1", "k2"]) fx.versions.push((await s3.send(new PutObjectCommand({ Bucket: buckets[2], Key: k, Body: "x" }))).VersionId!);
  fx.versions.push((await s3.send(new DeleteObjectCommand({ Bucket: buckets[2], Key: "k2" }))).VersionId!);
  // Uploads: three on one key (same KeyMarker, different UploadIdMarker) and two on others.
  for (const k of ["u1", "u1", "u1", "u2", "u3"])
    fx.uploadIds.push((await s3.send(new CreateMultipartUploadCommand({ Bucket: buckets[3], Key: k }))).UploadId!);
  fx.partsUpload = (await s3.send(new CreateMultipartUploadCommand({ Bucket: buckets[4], Key: "big" }))).UploadId!;
  for (let n = 1; n <= 5; n++)
    await s3.send(new UploadPartCommand({ Bucket: buckets[4], Key: "big", UploadId: fx.partsUpload, PartNumber: n, Body: `part${n}` }));
}, 60_000);

/** ListObjects (v1): NextMarker, or the last key when S3 sends none (no delimiter), as botocore's paginator does. */
async function* listObjectsV1(Bucket: string, MaxKeys: number, Delimiter?: string) {
  let Marker: string | undefined;
  for (;;) {
    const p: ListObjectsCommandOutput = await sim.s3.send(new ListObjectsCommand({ Bucket, MaxKeys, Delimiter, Marker }));
    yield p;
    if (!p.IsTruncated) return;
    Marker = p.NextMarker ?? p.Contents?.[p.Contents.length - 1]?.Key;
  }
}

async function* listVersions(Bucket: string, MaxKeys: number) {
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const p: ListObjectVersionsCommandOutput = await sim.s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys, KeyMarker, VersionIdMarker }));
    yield p;
    if (!p.IsTruncated) return;
    KeyMarker = p.NextKeyMarker;
    VersionIdMarker = p.NextVersionIdMarker;
  }
}

async function* listUploads(Bucket: string, MaxUploads: number) {
  let KeyMarker: string | undefined;
  let UploadIdMarker: string | undefined;
  for (;;) {
    const p: ListMultipartUploadsCommandOutput = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket, MaxUploads, KeyMarker, UploadIdMarker }));
    yield p;
    if (!p.IsTruncated) return;
    KeyMarker = p.NextKeyMarker;
    UploadIdMarker = p.NextUploadIdMarker;
  }
}

/**
 * ListParts: botocore stops on IsTruncated false. S3 sends NextPartNumberMarker on every page, so the JS
 * SDK's paginateListParts (which only looks at the token) does not stop, against AWS as here.
 */
async function* listParts(Bucket: string, UploadId: string, MaxParts: number) {
  let PartNumberMarker: string | undefined;
  for (;;) {
    const p: ListPartsCommandOutput = await sim.s3.send(new ListPartsCommand({ Bucket, Key: "big", UploadId, MaxParts, PartNumberMarker }));
    yield p;
    if (!p.IsTruncated) return;
    PartNumberMarker = p.NextPartNumberMarker;
  }
}

const rows: [string, () => Promise<unknown>][] = [
  [
    "ListBuckets (by name)",
    () =>
      expectWalk({
        pages: paginateListBuckets(cfg(), { Prefix: "pg-b-" }),
        items: (p) => p.Buckets,
        token: (p) => p.ContinuationToken,
        key: (b: { Name: string }) => b.Name,
        pageSize: 2,
        expected: buckets,
        ordered: true,
      }),
  ],
  [
    "ListObjectsV2 (UTF-8 binary key order)",
    () =>
      expectWalk({
        pages: paginateListObjectsV2(cfg(), { Bucket: buckets[0] }),
        items: (p) => p.Contents,
        token: (p) => p.NextContinuationToken,
        truncated: (p) => p.IsTruncated,
        key: (o: { Key: string }) => o.Key,
        pageSize: 2,
        expected: keys,
        ordered: true,
      }),
  ],
  [
    "ListObjectsV2 with a delimiter (common prefixes count toward MaxKeys)",
    () =>
      expectWalk({
        pages: paginateListObjectsV2(cfg(), { Bucket: buckets[1], Delimiter: "/" }),
        items: (p) => [...(p.CommonPrefixes ?? []).map((c) => c.Prefix!), ...(p.Contents ?? []).map((o) => o.Key!)].sort(),
        token: (p) => p.NextContinuationToken,
        truncated: (p) => p.IsTruncated,
        key: (k: string) => k,
        pageSize: 2,
        expected: ["a/", "b/", "c", "d", "e"],
        ordered: true,
      }),
  ],
  [
    "ListObjects (v1: the next Marker is the last key)",
    () =>
      expectWalk({
        pages: listObjectsV1(buckets[0]!, 2),
        items: (p) => p.Contents,
        token: (p) => (p.IsTruncated ? (p.NextMarker ?? p.Contents?.at(-1)?.Key) : undefined),
        truncated: (p) => p.IsTruncated,
        key: (o: { Key: string }) => o.Key,
        pageSize: 2,
        expected: keys,
        ordered: true,
      }),
  ],
  [
    "ListObjects (v1) with a delimiter: NextMarker",
    () =>
      expectWalk({
        pages: listObjectsV1(buckets[1]!, 2, "/"),
        items: (p) => [...(p.CommonPrefixes ?? []).map((c) => c.Prefix!), ...(p.Contents ?? []).map((o) => o.Key!)].sort(),
        token: (p) => p.NextMarker,
        truncated: (p) => p.IsTruncated,
        key: (k: string) => k,
        pageSize: 2,
        expected: ["a/", "b/", "c", "d", "e"],
        ordered: true,
      }),
  ],
  [
    "ListObjectVersions (versions and delete markers, KeyMarker + VersionIdMarker)",
    () =>
      expectWalk({
        pages: listVersions(buckets[2]!, 2),
        items: (p) => [...(p.Versions ?? []), ...(p.DeleteMarkers ?? [])],
        token: (p) => p.NextKeyMarker,
        truncated: (p) => p.IsTruncated,
        key: (v: { VersionId: string }) => v.VersionId,
        pageSize: 2,
        expected: fx.versions,
      }),
  ],
  [
    "ListMultipartUploads (KeyMarker + UploadIdMarker)",
    () =>
      expectWalk({
        pages: listUploads(buckets[3]!, 2),
        items: (p) => p.Uploads,
        // AWS names the last upload in NextKeyMarker on every page, the last one too (recorded against S3).
        token: (p) => (p.IsTruncated ? p.NextKeyMarker : undefined),
        truncated: (p) => p.IsTruncated,
        key: (u: { UploadId: string }) => u.UploadId,
        pageSize: 2,
        expected: fx.uploadIds,
      }),
  ],
  [
    "ListParts (by part number; IsTruncated ends the walk)",
    () =>
      expectWalk({
        pages: listParts(buckets[4]!, fx.partsUpload, 2),
        items: (p) => p.Parts,
        token: (p) => (p.IsTruncated ? p.NextPartNumberMarker : undefined),
        truncated: (p) => p.IsTruncated,
        key: (x: { PartNumber: number }) => String(x.PartNumber),
        pageSize: 2,
        expected: ["1", "2", "3", "4", "5"],
        ordered: true,
      }),
  ],
];

describe("S3 paginators (page size 2 over 5 entries; IsTruncated false and no token on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("ListDirectoryBuckets (by name)", async () => {
    const account = "111122223333";
    const s3x = new S3Client({
      ...clientConfig(sim.server),
      region: "us-west-2",
      forcePathStyle: true,
      credentials: { accessKeyId: account, secretAccessKey: "test" },
    });
    const dirs = names("pg-d").map((n) => `${n}--usw2-az1--x-s3`);
    for (const Bucket of dirs) {
      await s3x.send(
        new CreateBucketCommand({
          Bucket,
          CreateBucketConfiguration: {
            Location: { Type: "AvailabilityZone", Name: "usw2-az1" },
            Bucket: { Type: "Directory", DataRedundancy: "SingleAvailabilityZone" },
          },
        }),
      );
    }
    await expectWalk({
      pages: paginateListDirectoryBuckets({ client: s3x, pageSize: 2 }, {}),
      items: (p) => p.Buckets,
      token: (p) => p.ContinuationToken,
      key: (b: { Name: string }) => b.Name,
      pageSize: 2,
      expected: dirs,
      ordered: true,
    });
  });

  it("MaxBuckets outside 1..10000 and a negative max-keys are InvalidArgument", async () => {
    for (const MaxBuckets of [0, 10001]) await expectAwsError(sim.s3.send(new ListBucketsCommand({ MaxBuckets })), { name: "InvalidArgument", status: 400 });
    await expectAwsError(sim.s3.send(new ListObjectsV2Command({ Bucket: buckets[0], MaxKeys: -1 })), { name: "InvalidArgument", status: 400 });
  });

  it("MaxKeys above 1000 returns at most 1000; MaxKeys 0 returns nothing, not truncated", async () => {
    const big = await sim.s3.send(new ListObjectsV2Command({ Bucket: buckets[0], MaxKeys: 5000 }));
    expect(big.MaxKeys).toBe(1000);
    expect(big.KeyCount).toBe(5);
    const none = await sim.s3.send(new ListObjectsV2Command({ Bucket: buckets[0], MaxKeys: 0 }));
    expect(none.KeyCount).toBe(0);
    expect(none.IsTruncated).toBe(false);
  });

  it("a continuation token S3 did not issue is InvalidArgument", async () => {
    await expectAwsError(sim.s3.send(new ListObjectsV2Command({ Bucket: buckets[0], ContinuationToken: "garbage" })), {
      name: "InvalidArgument",
      status: 400,
      message: "The continuation token provided is incorrect",
    });
  });
});
