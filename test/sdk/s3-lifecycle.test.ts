/** S3 lifecycle (validated and applied on S3's clock), object lock rules, restores, multipart part sizes and attributes. */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  RestoreObjectCommand,
  S3Client,
  UploadPartCommand,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
});

const advance = async (days: number) => {
  const r = await fetch(`${sim.server.url}/_awsim/clock/advance?days=${days}`, { method: "POST" });
  expect(r.status).toBe(200);
  return r.json();
};
const putRules = (Rules: LifecycleRule[], Bucket = "bkt") =>
  sim.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
const keys = async (Bucket = "bkt") => ((await sim.s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((o) => o.Key);

describe("lifecycle configuration is validated as S3 validates it", () => {
  it("ids, status, dates, days, transitions and filters", async () => {
    const bad: Array<[LifecycleRule[], string, number, string?]> = [
      [
        [
          { ID: "a", Status: "Enabled", Filter: {}, Expiration: { Days: 1 } },
          { ID: "a", Status: "Enabled", Filter: {}, Expiration: { Days: 2 } },
        ],
        "InvalidArgument",
        400,
        "Rule ID must be unique. Found same ID for more than one rule",
      ],
      [
        [{ ID: "x".repeat(256), Status: "Enabled", Filter: {}, Expiration: { Days: 1 } }],
        "InvalidArgument",
        400,
        "ID length should not exceed allowed limit of 255",
      ],
      [[{ ID: "s", Status: "On" as never, Filter: {}, Expiration: { Days: 1 } }], "MalformedXML", 400],
      [
        [{ ID: "d", Status: "Enabled", Filter: {}, Expiration: { Date: new Date("2030-01-01T12:00:00Z") } }],
        "InvalidArgument",
        400,
        "'Date' must be at midnight GMT",
      ],
      [
        [{ ID: "z", Status: "Enabled", Filter: {}, Expiration: { Days: 0 } }],
        "InvalidArgument",
        400,
        "'Days' for Expiration action must be a positive integer",
      ],
      [[{ ID: "n", Status: "Enabled", Filter: {} }], "InvalidRequest", 400, "At least one action needs to be specified in a rule"],
      [[{ ID: "t", Status: "Enabled", Filter: {}, Transitions: [{ Days: 10, StorageClass: "STANDARD_IA" }] }], "InvalidArgument", 400],
      [
        [
          {
            ID: "o",
            Status: "Enabled",
            Filter: {},
            Transitions: [
              { Days: 30, StorageClass: "GLACIER" },
              { Days: 60, StorageClass: "STANDARD_IA" },
            ],
          },
        ],
        "InvalidArgument",
        400,
      ],
      [[{ ID: "e", Status: "Enabled", Filter: {}, Transitions: [{ Days: 30, StorageClass: "GLACIER" }], Expiration: { Days: 20 } }], "InvalidArgument", 400],
      [
        [{ ID: "m", Status: "Enabled", Filter: { Tag: { Key: "a", Value: "b" } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
        "InvalidRequest",
        400,
        "AbortIncompleteMultipartUpload cannot be specified with Tags.",
      ],
      [[{ ID: "edm", Status: "Enabled", Filter: {}, Expiration: { Days: 3, ExpiredObjectDeleteMarker: true } }], "MalformedXML", 400],
      [[{ ID: "nc", Status: "Enabled", Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 0 } }], "InvalidArgument", 400],
      [[{ ID: "f", Status: "Enabled", Filter: { Prefix: "a", Tag: { Key: "k", Value: "v" } }, Expiration: { Days: 1 } }], "MalformedXML", 400],
    ];
    for (const [rules, name, status, message] of bad) await expectAwsError(putRules(rules), { name, status, message });
    await expectAwsError(sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "bkt" })), { name: "NoSuchLifecycleConfiguration", status: 404 });
    await putRules([
      { Status: "Enabled", Filter: { And: { Prefix: "logs/", Tags: [{ Key: "t", Value: "1" }] } }, Expiration: { Days: 30 } },
      {
        ID: "ia",
        Status: "Disabled",
        Filter: { Prefix: "" },
        Transitions: [
          { Days: 30, StorageClass: "STANDARD_IA" },
          { Days: 90, StorageClass: "GLACIER" },
        ],
      },
    ]);
    const got = await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "bkt" }));
    expect(got.Rules).toHaveLength(2);
    expect(got.Rules![0]!.ID).toMatch(/^\w{20,}$/);
    expect(got.Rules![0]!.Filter!.And!.Tags).toEqual([{ Key: "t", Value: "1" }]);
    expect(got.Rules![1]!.Transitions).toEqual([
      { Days: 30, StorageClass: "STANDARD_IA" },
      { Days: 90, StorageClass: "GLACIER" },
    ]);
  });
});

describe("lifecycle rules are applied on S3's clock", () => {
  it("expires current objects by prefix and tag, aborts old uploads; x-amz-expiration is reported", async () => {
    await putRules([
      { ID: "logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } },
      { ID: "tmp", Status: "Enabled", Filter: { Tag: { Key: "tmp", Value: "yes" } }, Expiration: { Days: 1 } },
      { ID: "mpu", Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      { ID: "off", Status: "Disabled", Filter: { Prefix: "keep/" }, Expiration: { Days: 1 } },
    ]);
    for (const k of ["logs/a", "logs/b", "data/a", "keep/a"]) await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: k, Body: k }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "data/tmp", Body: "x", Tagging: "tmp=yes" }));
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "logs/a" }));
    expect(head.Expiration).toMatch(/^expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} 00:00:00 GMT", rule-id="logs"$/);
    await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "big" }));
    await advance(2);
    expect(await keys()).toEqual(["data/a", "keep/a", "logs/a", "logs/b"]);
    expect((await sim.s3.send(new ListMultipartUploadsCommand({ Bucket: "bkt" }))).Uploads ?? []).toHaveLength(1);
    await advance(6);
    expect((await sim.s3.send(new ListMultipartUploadsCommand({ Bucket: "bkt" }))).Uploads ?? []).toHaveLength(0);
    await advance(23);
    expect(await keys()).toEqual(["data/a", "keep/a"]);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "logs/a" })), { name: "NoSuchKey", status: 404 });
  });

  it("versioned buckets: delete markers, noncurrent expiration with NewerNoncurrentVersions, expired delete markers removed; transitions", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    await putRules([
      { ID: "cur", Status: "Enabled", Filter: { Prefix: "cur/" }, Expiration: { Days: 10 } },
      { ID: "old", Status: "Enabled", Filter: { Prefix: "v/" }, NoncurrentVersionExpiration: { NoncurrentDays: 5, NewerNoncurrentVersions: 1 } },
      { ID: "edm", Status: "Enabled", Filter: { Prefix: "gone/" }, Expiration: { ExpiredObjectDeleteMarker: true } },
      { ID: "cold", Status: "Enabled", Filter: { Prefix: "cold/" }, Transitions: [{ Days: 1, StorageClass: "GLACIER" }] },
    ]);
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "cur/a", Body: "1" }));
    for (let i = 0; i < 4; i++) await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "v/a", Body: String(i) }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "gone/a", Body: "1" }));
    const first = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: "bkt", Prefix: "gone/" }));
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "gone/a", VersionId: first.Versions![0]!.VersionId }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "gone/b", Body: "1" }));
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "gone/b" }));
    const bVersion = (await sim.s3.send(new ListObjectVersionsCommand({ Bucket: "bkt", Prefix: "gone/b" }))).Versions![0]!.VersionId;
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "gone/b", VersionId: bVersion }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "cold/a", Body: "1" }));
    await advance(11);
    const v = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: "bkt" }));
    // cur/a: a delete marker on top of the version; v/a: the current and the newest noncurrent survive.
    expect(v.DeleteMarkers!.map((d) => d.Key)).toEqual(["cur/a"]);
    expect(v.Versions!.filter((x) => x.Key === "v/a")).toHaveLength(2);
    expect(v.Versions!.filter((x) => x.Key === "cur/a")).toHaveLength(1);
    expect(v.Versions!.some((x) => x.Key!.startsWith("gone/"))).toBe(false);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "cold/a" }))).StorageClass).toBe("GLACIER");
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "cold/a" })), { name: "InvalidObjectState", status: 403 });
  });
});

describe("restore", () => {
  it("archived objects: RestoreObject, x-amz-restore while ongoing and after, readable once restored", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "arch", Body: "frozen", StorageClass: "GLACIER" }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "hot", Body: "x" }));
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "arch" })), { name: "InvalidObjectState", status: 403 });
    await expectAwsError(sim.s3.send(new RestoreObjectCommand({ Bucket: "bkt", Key: "hot", RestoreRequest: { Days: 1 } })), {
      name: "InvalidObjectState",
      status: 403,
    });
    const r = await sim.s3.send(
      new RestoreObjectCommand({ Bucket: "bkt", Key: "arch", RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: "Standard" } } }),
    );
    expect(r.$metadata.httpStatusCode).toBe(202);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "arch" }))).Restore).toBe('ongoing-request="true"');
    const listed = await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt", OptionalObjectAttributes: ["RestoreStatus"] }));
    expect(listed.Contents!.find((o) => o.Key === "arch")!.RestoreStatus).toEqual({ IsRestoreInProgress: true });
    expect(listed.Contents!.find((o) => o.Key === "hot")!.RestoreStatus).toBeUndefined();
    await expectAwsError(sim.s3.send(new RestoreObjectCommand({ Bucket: "bkt", Key: "arch", RestoreRequest: { Days: 2 } })), {
      name: "RestoreAlreadyInProgress",
      status: 409,
    });
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "arch" })), { name: "InvalidObjectState", status: 403 });
    await advance(1);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "arch" }))).Restore).toMatch(/^ongoing-request="false", expiry-date=".+ GMT"$/);
    expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "arch" }))).Body!.transformToString()).toBe("frozen");
    const again = await sim.s3.send(new RestoreObjectCommand({ Bucket: "bkt", Key: "arch", RestoreRequest: { Days: 5 } }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    await advance(10);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "arch" })), { name: "InvalidObjectState", status: 403 });
  });
});

describe("object lock", () => {
  it("configuration rules: Days xor Years, positive, a known mode; default retention applies to new objects", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: "locked", ObjectLockEnabledForBucket: true }));
    const put = (Rule: unknown) =>
      sim.s3.send(new PutObjectLockConfigurationCommand({ Bucket: "locked", ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: Rule as never } }));
    await expectAwsError(put({ DefaultRetention: { Mode: "GOVERNANCE", Days: 1, Years: 1 } }), { name: "MalformedXML", status: 400 });
    await expectAwsError(put({ DefaultRetention: { Mode: "FOREVER", Days: 1 } }), { name: "MalformedXML", status: 400 });
    await expectAwsError(put({ DefaultRetention: { Mode: "GOVERNANCE", Days: 0 } }), { name: "InvalidRetentionPeriod", status: 400 });
    await expectAwsError(put({ DefaultRetention: { Mode: "GOVERNANCE", Years: -1 } }), { name: "InvalidRetentionPeriod", status: 400 });
    await expectAwsError(put({ DefaultRetention: { Mode: "governance", Years: 1 } }), { name: "MalformedXML", status: 400 });
    // Neither Days nor Years: MalformedXML (recorded against S3 in 2025).
    await expectAwsError(put({ DefaultRetention: { Mode: "GOVERNANCE" } }), { name: "MalformedXML", status: 400 });
    await expectAwsError(sim.s3.send(new PutObjectLockConfigurationCommand({ Bucket: "bkt", ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } })), {
      name: "InvalidBucketState",
      status: 409,
    });
    await put({ DefaultRetention: { Mode: "COMPLIANCE", Days: 3 } });
    expect((await sim.s3.send(new GetObjectLockConfigurationCommand({ Bucket: "locked" }))).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 3 } },
    });
    const v = await sim.s3.send(new PutObjectCommand({ Bucket: "locked", Key: "k", Body: "x" }));
    const ret = await sim.s3.send(new GetObjectRetentionCommand({ Bucket: "locked", Key: "k" }));
    expect(ret.Retention!.Mode).toBe("COMPLIANCE");
    const days = (ret.Retention!.RetainUntilDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThan(3.1);
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "k", VersionId: v.VersionId })), { name: "AccessDenied", status: 403 });
    await expectAwsError(
      sim.s3.send(
        new PutObjectRetentionCommand({
          Bucket: "locked",
          Key: "k",
          Retention: { Mode: "GOVERNANCE", RetainUntilDate: new Date(Date.now() + 10 * 86_400_000) },
        }),
      ),
      { name: "AccessDenied", status: 403 },
    );
    await expectAwsError(
      sim.s3.send(
        new PutObjectCommand({ Bucket: "locked", Key: "k2", Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: new Date(Date.now() - 1000) }),
      ),
      { name: "InvalidArgument", status: 400, message: "The retain until date must be in the future!" },
    );
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ObjectLockLegalHoldStatus: "ON" })), {
      name: "InvalidRequest",
      status: 400,
      message: "Bucket is missing ObjectLockConfiguration",
    });
    // Multipart objects take their retention from CreateMultipartUpload.
    const until = new Date(Date.now() + 2 * 86_400_000);
    const mpu = await sim.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: "locked",
        Key: "mp",
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: until,
        ObjectLockLegalHoldStatus: "ON",
      }),
    );
    const part = await sim.s3.send(new UploadPartCommand({ Bucket: "locked", Key: "mp", UploadId: mpu.UploadId, PartNumber: 1, Body: "p" }));
    const done = await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "locked",
        Key: "mp",
        UploadId: mpu.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const mh = await sim.s3.send(new HeadObjectCommand({ Bucket: "locked", Key: "mp" }));
    expect([mh.ObjectLockMode, mh.ObjectLockLegalHoldStatus, mh.ObjectLockRetainUntilDate!.toISOString().slice(0, 19)]).toEqual([
      "GOVERNANCE",
      "ON",
      until.toISOString().slice(0, 19),
    ]);
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "mp", VersionId: done.VersionId })), {
      name: "AccessDenied",
      status: 403,
    });
    // Retention ends on S3's clock too.
    await advance(4);
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "k", VersionId: v.VersionId }));
  });
});

describe("multipart sizes and attributes", () => {
  it("GetObjectAttributes reports ObjectParts with PartsCount, the checksum type, size and storage class", async () => {
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "mp", ChecksumAlgorithm: "SHA256" }));
    const parts = [];
    for (let i = 1; i <= 3; i++) {
      const p = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId, PartNumber: i, Body: `part-${i}`, ChecksumAlgorithm: "SHA256" }));
      parts.push({ PartNumber: i, ETag: p.ETag, ChecksumSHA256: p.ChecksumSHA256 });
    }
    await sim.s3.send(new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "mp", UploadId, MultipartUpload: { Parts: parts } }));
    const a = await sim.s3.send(
      new GetObjectAttributesCommand({
        Bucket: "bkt",
        Key: "mp",
        ObjectAttributes: ["ObjectParts", "Checksum", "ObjectSize", "StorageClass", "ETag"],
        MaxParts: 2,
      }),
    );
    expect(a.ObjectParts!.TotalPartsCount).toBe(3);
    expect(a.ObjectParts!.Parts!.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(a.ObjectParts!.IsTruncated).toBe(true);
    expect(a.ObjectParts!.Parts![0]!.ChecksumSHA256).toBe(parts[0]!.ChecksumSHA256);
    expect(a.Checksum!.ChecksumType).toBe("COMPOSITE");
    expect(a.ObjectSize).toBe(18);
    expect(a.StorageClass).toBe("STANDARD");
    await expectAwsError(sim.s3.send(new GetObjectAttributesCommand({ Bucket: "bkt", Key: "mp", ObjectAttributes: ["Bogus" as never] })), {
      name: "InvalidArgument",
      status: 400,
    });
  });

  it("under --strict, parts under 5 MiB other than the last are EntityTooSmall at completion", async () => {
    const strict = await startServer({ strict: true });
    try {
      const c = new S3Client(clientConfig(strict, { forcePathStyle: true }));
      await c.send(new CreateBucketCommand({ Bucket: "bk2" }));
      const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: "bk2", Key: "k" }));
      const p1 = await c.send(new UploadPartCommand({ Bucket: "bk2", Key: "k", UploadId, PartNumber: 1, Body: "small" }));
      const p2 = await c.send(new UploadPartCommand({ Bucket: "bk2", Key: "k", UploadId, PartNumber: 2, Body: "last" }));
      await expectAwsError(
        c.send(
          new CompleteMultipartUploadCommand({
            Bucket: "bk2",
            Key: "k",
            UploadId,
            MultipartUpload: {
              Parts: [
                { PartNumber: 1, ETag: p1.ETag },
                { PartNumber: 2, ETag: p2.ETag },
              ],
            },
          }),
        ),
        { name: "EntityTooSmall", status: 400, message: "Your proposed upload is smaller than the minimum allowed size" },
      );
      // A single small part is fine (it is the last).
      await c.send(new CompleteMultipartUploadCommand({ Bucket: "bk2", Key: "k", UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.ETag }] } }));
      // Aborting the completed upload answers 204 (as S3 does) and leaves the object.
      expect((await c.send(new AbortMultipartUploadCommand({ Bucket: "bk2", Key: "k", UploadId }))).$metadata.httpStatusCode).toBe(204);
    } finally {
      await strict.stop();
    }
  });
});
