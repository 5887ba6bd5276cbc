/**
 * S3 as AWS's own code examples (awsdocs/aws-doc-sdk-examples: javascriptv3/example_code/s3,
 * python/example_code/s3, gov2/s3) expect it to answer, step by step, through the real SDK.
 */
import { CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }), iam: new IAMClient(cfg) }));
let n = 0;
let bucket = "";
beforeEach(async () => {
  bucket = `docex-${++n}`;
  await sim.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

const readPolicy = (b: string, principal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: principal }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::${b}/*`, `arn:aws:s3:::${b}`] },
    ],
  });

describe("PutBucketPolicy principals (python s3_basics/bucket_wrapper.py, javascriptv3 actions/put-bucket-policy.js)", () => {
  it("refuses an IAM user or role of the account that does not exist: MalformedPolicy 'Invalid principal in policy'", async () => {
    for (const principal of ["arn:aws:iam::000000000000:user/Martha", "arn:aws:iam::000000000000:role/demo-role"]) {
      const err = await expectAwsError(sim.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, principal) })), {
        name: "MalformedPolicy",
        status: 400,
      });
      expect(err.message).toBe("Invalid principal in policy");
    }
    await expectAwsError(sim.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), { name: "NoSuchBucketPolicy", status: 404 });
  });

  it("takes the policy once the user or role exists (a path in the ARN names the same user), and reads it back", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "Martha", Path: "/staff/" }));
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "demo-role",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    for (const principal of ["arn:aws:iam::000000000000:user/staff/Martha", "arn:aws:iam::000000000000:role/demo-role"]) {
      const put = await sim.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, principal) }));
      expect(put.$metadata.httpStatusCode).toBe(204);
      const got = await sim.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(JSON.parse(got.Policy!).Statement[0].Principal).toEqual({ AWS: principal });
      await sim.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }
  });

  it("takes the account root, '*', a service and another account's principals as given", async () => {
    for (const principal of ["arn:aws:iam::000000000000:root", "*", "111122223333", "arn:aws:iam::111122223333:user/Martha"]) {
      const put = await sim.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, principal) }));
      expect(put.$metadata.httpStatusCode).toBe(204);
    }
  });
});

describe("object-locking scenario (javascriptv3 scenarios/object-locking: deploy, demo, clean)", () => {
  const locked = "Access Denied because object protected by object lock.";

  it("runs deploy, the demo's reads and refusals, and the clean-up as the example expects of AWS", async () => {
    const [noLock, lockEnabled, retention] = [`${bucket}-no-lock`, `${bucket}-lock-enabled`, `${bucket}-retention`];
    await sim.s3.send(new CreateBucketCommand({ Bucket: noLock }));
    await sim.s3.send(new CreateBucketCommand({ Bucket: lockEnabled, ObjectLockEnabledForBucket: true }));
    await sim.s3.send(new CreateBucketCommand({ Bucket: retention }));
    // updateRetentionAction: versioning, then a default retention on a bucket created without Object Lock.
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: retention, VersioningConfiguration: { MFADelete: "Disabled", Status: "Enabled" } }));
    await sim.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: retention,
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Years: 1 } } },
      }),
    );
    expect((await sim.s3.send(new GetBucketVersioningCommand({ Bucket: retention }))).Status).toBe("Enabled");
    expect((await sim.s3.send(new GetObjectLockConfigurationCommand({ Bucket: retention }))).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "GOVERNANCE", Years: 1 } },
    });
    for (const Bucket of [noLock, lockEnabled, retention])
      for (const Key of ["file0.txt", "file1.txt"]) await sim.s3.send(new PutObjectCommand({ Bucket, Key, Body: "Content", ChecksumAlgorithm: "SHA256" }));
    await sim.s3.send(new PutObjectLockConfigurationCommand({ Bucket: lockEnabled, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
    await sim.s3.send(new PutObjectLegalHoldCommand({ Bucket: lockEnabled, Key: "file0.txt", LegalHold: { Status: "ON" } }));
    const tomorrow = new Date(Date.now() + 86_400_000);
    await sim.s3.send(new PutObjectRetentionCommand({ Bucket: lockEnabled, Key: "file1.txt", Retention: { Mode: "GOVERNANCE", RetainUntilDate: tomorrow } }));
    await sim.s3.send(new PutObjectLegalHoldCommand({ Bucket: retention, Key: "file0.txt", LegalHold: { Status: "ON" } }));
    // The default retention gave file1 a year; shortening it to a day takes the bypass.
    const before = await sim.s3.send(new GetObjectRetentionCommand({ Bucket: retention, Key: "file1.txt" }));
    expect(before.Retention!.RetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);
    await expectAwsError(
      sim.s3.send(new PutObjectRetentionCommand({ Bucket: retention, Key: "file1.txt", Retention: { Mode: "GOVERNANCE", RetainUntilDate: tomorrow } })),
      { name: "AccessDenied", status: 403, message: locked },
    );
    await sim.s3.send(
      new PutObjectRetentionCommand({
        Bucket: retention,
        Key: "file1.txt",
        Retention: { Mode: "GOVERNANCE", RetainUntilDate: tomorrow },
        BypassGovernanceRetention: true,
      }),
    );
    const after = await sim.s3.send(new GetObjectRetentionCommand({ Bucket: retention, Key: "file1.txt" }));
    expect(after.Retention).toEqual({ Mode: "GOVERNANCE", RetainUntilDate: new Date(Math.floor(tomorrow.getTime() / 1000) * 1000) });

    // The demo: the unversioned bucket's files read back as version "null"; lock reads there are InvalidRequest.
    const versions = async (Bucket: string) => (await sim.s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? [];
    expect((await versions(noLock)).map((v) => [v.Key, v.VersionId])).toEqual([
      ["file0.txt", "null"],
      ["file1.txt", "null"],
    ]);
    await expectAwsError(sim.s3.send(new GetObjectRetentionCommand({ Bucket: noLock, Key: "file0.txt", VersionId: "null" })), {
      name: "InvalidRequest",
      status: 400,
      message: "Bucket is missing Object Lock Configuration",
    });
    await expectAwsError(sim.s3.send(new GetObjectLegalHoldCommand({ Bucket: lockEnabled, Key: "file1.txt" })), {
      name: "NoSuchObjectLockConfiguration",
      status: 404,
      message: "The specified object does not have a ObjectLock configuration",
    });
    const [held, retained] = await versions(lockEnabled);
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket: lockEnabled, Key: "file0.txt", VersionId: held!.VersionId })), {
      name: "AccessDenied",
      status: 403,
      message: locked,
    });
    // A legal hold is not bypassed; a governance retention is.
    await expectAwsError(
      sim.s3.send(new DeleteObjectCommand({ Bucket: lockEnabled, Key: "file0.txt", VersionId: held!.VersionId, BypassGovernanceRetention: true })),
      { name: "AccessDenied", status: 403, message: locked },
    );
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket: lockEnabled, Key: "file1.txt", VersionId: retained!.VersionId })), {
      name: "AccessDenied",
      status: 403,
      message: locked,
    });

    // clean.steps: legal hold off, a bypassing delete of GOVERNANCE versions, then a plain delete of each version
    // (204 again for one already gone), then the buckets.
    for (const Bucket of [noLock, lockEnabled, retention]) {
      for (const { Key, VersionId } of await versions(Bucket)) {
        const hold = await sim.s3.send(new GetObjectLegalHoldCommand({ Bucket, Key, VersionId })).catch(() => undefined);
        if (hold?.LegalHold?.Status === "ON") await sim.s3.send(new PutObjectLegalHoldCommand({ Bucket, Key, VersionId, LegalHold: { Status: "OFF" } }));
        const ret = await sim.s3.send(new GetObjectRetentionCommand({ Bucket, Key, VersionId })).catch(() => undefined);
        if (ret?.Retention?.Mode === "GOVERNANCE") await sim.s3.send(new DeleteObjectCommand({ Bucket, Key, VersionId, BypassGovernanceRetention: true }));
        const del = await sim.s3.send(new DeleteObjectCommand({ Bucket, Key, VersionId }));
        expect(del.$metadata.httpStatusCode).toBe(204);
      }
      expect((await sim.s3.send(new DeleteBucketCommand({ Bucket }))).$metadata.httpStatusCode).toBe(204);
    }
  });

  it("python scenarios/object-locking: Object Lock turned on for an existing versioned bucket, and no way to turn it off", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const old = await sim.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "file0.txt", Body: "This is a test file for S3 Object Locking." }));
    await sim.s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
    // A version written before Object Lock was on takes a legal hold and a retention (the demo's set_retention).
    await sim.s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: "file0.txt", LegalHold: { Status: "ON" } }));
    const until = new Date(Date.now() + 30 * 86_400_000);
    await sim.s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: "file0.txt",
        Retention: { Mode: "GOVERNANCE", RetainUntilDate: until },
        BypassGovernanceRetention: true,
      }),
    );
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "file0.txt" }));
    expect([head.VersionId, head.ObjectLockMode, head.ObjectLockLegalHoldStatus]).toEqual([old.VersionId, "GOVERNANCE", "ON"]);
    // cleanup.py's disable_bucket_object_lock_configuration: "Disabled" is no ObjectLockEnabled value.
    await expectAwsError(
      sim.s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Disabled" as "Enabled", Rule: {} } })),
      { name: "MalformedXML", status: 400 },
    );
    expect((await sim.s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
  });
});

describe("versioning (python s3_versioning/versioning.py: rollback, revive, permanent delete)", () => {
  it("revives a deleted object: ListObjectVersions with MaxKeys=1 answers the latest delete marker first", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const Key = "aws-version-demo/stanza-1";
    const stanza = "You are old, father William";
    const puts = [];
    for (const Body of [stanza, stanza.toUpperCase(), stanza.toLowerCase()]) puts.push(await sim.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body })));
    const marker = await sim.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    expect(marker.DeleteMarker).toBe(true);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: bucket, Key })), { name: "NoSuchKey", status: 404 });
    const page = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: Key, MaxKeys: 1 }));
    expect(page.Versions).toBeUndefined();
    expect(page.DeleteMarkers?.map((d) => [d.VersionId, d.IsLatest])).toEqual([[marker.VersionId, true]]);
    expect([page.IsTruncated, page.NextKeyMarker, page.NextVersionIdMarker]).toEqual([true, Key, marker.VersionId]);
    await sim.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId: marker.VersionId }));
    const revived = await sim.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect([revived.VersionId, await revived.Body!.transformToString()]).toEqual([puts[2]!.VersionId, stanza.toLowerCase()]);
  });
});
