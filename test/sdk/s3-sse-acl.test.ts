/** S3 encryption (SSE-S3, SSE-KMS, SSE-C, bucket defaults), ACLs, Object Ownership, public access block; hostile header values. */
import {
  type BucketCannedACL,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketOwnershipControlsCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { randomBytes } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, type AwsimServer, useServer } from "../helpers.js";
import { ssec } from "./s3-fixtures.js";

let strictServer: AwsimServer;

afterAll(async () => {
  await strictServer?.stop();
});
const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
});

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const raw = (path: string, init: RequestInit = {}) => fetch(`${sim.server.url}${path}`, init);

describe("hostile header values never cost a 500", () => {
  it("x-amz-tagging that is not percent-encoding is InvalidArgument 400", async () => {
    const r = await raw("/bkt/k", { method: "PUT", body: "x", headers: { "x-amz-tagging": "a=%" } });
    expect(r.status).toBe(400);
    const body = await r.text();
    expect(body).toContain("<Code>InvalidArgument</Code>");
    expect(body).toContain("<ArgumentName>x-amz-tagging</ArgumentName>");
  });

  it("a response-* parameter that is not an overridable header is InvalidArgument", async () => {
    await raw("/bkt/k", { method: "PUT", body: "x" });
    const ok = await raw("/bkt/k?response-content-type=text/csv");
    expect([ok.status, ok.headers.get("content-type")]).toEqual([200, "text/csv"]);
    const bad = await raw("/bkt/k?response-x-nope=1");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("response-x-nope is not in the set of overridable response headers.");
  });

  it("bad copy sources, encryption context, dates and customer keys are 4xx", async () => {
    await raw("/bkt/src", { method: "PUT", body: "x" });
    const cases: Array<Record<string, string>> = [
      { "x-amz-copy-source": "/bkt/src?versionId=%E0%A4%A" },
      { "x-amz-copy-source": "/bkt/%" },
      { "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-context": "%%%notbase64" },
      {
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key": "!!!",
        "x-amz-server-side-encryption-customer-key-md5": "x",
      },
      { "x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": "yesterday" },
      { "x-amz-acl": "public" },
      { "x-amz-grant-read": "id=" },
    ];
    for (const h of cases) {
      const r = await raw("/bkt/dst", { method: "PUT", body: "y", headers: h });
      expect(r.status, JSON.stringify(h)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(h)).toBeLessThan(500);
    }
  });
});

describe("SSE-S3 and SSE-KMS", () => {
  it("headers are stored and echoed on PUT, GET, HEAD and copy; bucket default encryption applies", async () => {
    const put = await sim.s3.send(
      new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "kms", ServerSideEncryption: "aws:kms", SSEKMSKeyId: "my-key", BucketKeyEnabled: true }),
    );
    expect(put.ServerSideEncryption).toBe("aws:kms");
    expect(put.SSEKMSKeyId).toBe("arn:aws:kms:us-east-1:000000000000:key/my-key");
    expect(put.BucketKeyEnabled).toBe(true);
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "k" }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled]).toEqual(["aws:kms", put.SSEKMSKeyId, true]);
    const get = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "k" }));
    expect(get.ServerSideEncryption).toBe("aws:kms");
    expect(await get.Body!.transformToString()).toBe("kms");
    const plain = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "p", Body: "p" }));
    expect(plain.ServerSideEncryption).toBe("AES256");
    expect(plain.SSEKMSKeyId).toBeUndefined();
    // aws:kms without a key id: the AWS managed key, the same every time.
    const a = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "m1", Body: "x", ServerSideEncryption: "aws:kms" }));
    const b = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "m2", Body: "x", ServerSideEncryption: "aws:kms:dsse" }));
    expect(a.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    expect(b.SSEKMSKeyId).toBe(a.SSEKMSKeyId);
    expect(b.ServerSideEncryption).toBe("aws:kms:dsse");

    await expectAwsError(sim.s3.send(new GetBucketEncryptionCommand({ Bucket: "bkt" })), {
      name: "ServerSideEncryptionConfigurationNotFoundError",
      status: 404,
    });
    await sim.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: "bkt",
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/app" }, BucketKeyEnabled: true }],
        },
      }),
    );
    const enc = await sim.s3.send(new GetBucketEncryptionCommand({ Bucket: "bkt" }));
    expect(enc.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: "aws:kms",
      KMSMasterKeyID: "alias/app",
    });
    const d = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "d", Body: "x" }));
    expect([d.ServerSideEncryption, d.SSEKMSKeyId, d.BucketKeyEnabled]).toEqual(["aws:kms", "arn:aws:kms:us-east-1:000000000000:alias/app", true]);
    // A copy takes the destination's encryption, not the source's.
    await sim.s3.send(new DeleteBucketEncryptionCommand({ Bucket: "bkt" }));
    const copy = await sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "c", CopySource: "bkt/k" }));
    expect(copy.ServerSideEncryption).toBe("AES256");
    const mpu = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "mp", ServerSideEncryption: "aws:kms", SSEKMSKeyId: "k2" }));
    expect(mpu.SSEKMSKeyId).toBe("arn:aws:kms:us-east-1:000000000000:key/k2");
    const part = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId: mpu.UploadId, PartNumber: 1, Body: "x" }));
    expect(part.ServerSideEncryption).toBe("aws:kms");
    const done = await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "bkt",
        Key: "mp",
        UploadId: mpu.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect([done.ServerSideEncryption, done.SSEKMSKeyId]).toEqual(["aws:kms", mpu.SSEKMSKeyId]);
  });

  it("conflicting or unsupported encryption headers are rejected", async () => {
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ServerSideEncryption: "AES256", SSEKMSKeyId: "k" })), {
      name: "InvalidArgument",
      status: 400,
      message: "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
    });
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ServerSideEncryption: "AES128" as never })), {
      name: "InvalidArgument",
      status: 400,
      message: "The encryption method specified is not supported",
    });
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ServerSideEncryption: "AES256", ...ssec(key1) })), {
      name: "InvalidArgument",
      status: 400,
      message: "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
    });
    await expectAwsError(
      sim.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: "bkt",
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "DES" as never } }] },
        }),
      ),
      { name: "MalformedXML", status: 400 },
    );
  });
});

describe("SSE-C", () => {
  it("an object written with a customer key needs the same key to be read, headed, copied or inspected", async () => {
    const put = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "secret", Body: "top secret", ...ssec(key1) }));
    expect(put.SSECustomerAlgorithm).toBe("AES256");
    expect(put.SSECustomerKeyMD5).toBe(ssec(key1).SSECustomerKeyMD5);
    expect(put.ServerSideEncryption).toBeUndefined();
    const got = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "secret", ...ssec(key1) }));
    expect(await got.Body!.transformToString()).toBe("top secret");
    expect(got.SSECustomerKeyMD5).toBe(ssec(key1).SSECustomerKeyMD5);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "secret" })), {
      name: "InvalidRequest",
      status: 400,
      message: "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
    });
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "secret", ...ssec(key2) })), { name: "AccessDenied", status: 403 });
    // HEAD errors have no body: only the status tells.
    const headStatus = (p: Promise<unknown>) => p.then(() => 200).catch((e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode);
    expect(await headStatus(sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "secret" })))).toBe(400);
    expect(await headStatus(sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "secret", ...ssec(key2) })))).toBe(403);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "secret", ...ssec(key1) }))).ContentLength).toBe(10);
    await expectAwsError(sim.s3.send(new GetObjectAttributesCommand({ Bucket: "bkt", Key: "secret", ObjectAttributes: ["ObjectSize"] })), {
      name: "InvalidRequest",
      status: 400,
    });
    // Copy: the source key under x-amz-copy-source-server-side-encryption-customer-*.
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "copy", CopySource: "bkt/secret" })), { name: "InvalidRequest", status: 400 });
    const k = ssec(key1);
    await sim.s3.send(
      new CopyObjectCommand({
        Bucket: "bkt",
        Key: "copy",
        CopySource: "bkt/secret",
        CopySourceSSECustomerAlgorithm: k.SSECustomerAlgorithm,
        CopySourceSSECustomerKey: k.SSECustomerKey,
        CopySourceSSECustomerKeyMD5: k.SSECustomerKeyMD5,
        ...ssec(key2),
      }),
    );
    expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "copy", ...ssec(key2) }))).Body!.transformToString()).toBe("top secret");
    // A key given for an object that has none.
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "plain", Body: "x" }));
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "plain", ...ssec(key1) })), {
      name: "InvalidRequest",
      status: 400,
      message: "The encryption parameters are not applicable to this object.",
    });
  });

  it("the key MD5, the key length and the algorithm are checked", async () => {
    // The SDK computes the key MD5 itself: send a wrong one by hand.
    const k = ssec(key1);
    const r = await raw("/bkt/k", {
      method: "PUT",
      body: "x",
      headers: {
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key": k.SSECustomerKey,
        "x-amz-server-side-encryption-customer-key-MD5": ssec(key2).SSECustomerKeyMD5,
      },
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain("The calculated MD5 hash of the key did not match the hash that was provided.");
    const noMd5 = await raw("/bkt/k", {
      method: "PUT",
      body: "x",
      headers: { "x-amz-server-side-encryption-customer-algorithm": "AES256", "x-amz-server-side-encryption-customer-key": k.SSECustomerKey },
    });
    expect(noMd5.status).toBe(400);
    const short = randomBytes(16);
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ...ssec(short) })), {
      name: "InvalidArgument",
      status: 400,
      message: "The secret key was invalid for the specified algorithm.",
    });
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ...ssec(key1), SSECustomerAlgorithm: "AES128" })), {
      name: "InvalidEncryptionAlgorithmError",
      status: 400,
    });
  });

  it("multipart uploads with SSE-C need the key on every part", async () => {
    const mpu = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "mp", ...ssec(key1) }));
    expect(mpu.SSECustomerKeyMD5).toBe(ssec(key1).SSECustomerKeyMD5);
    await expectAwsError(sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId: mpu.UploadId, PartNumber: 1, Body: "a" })), {
      name: "InvalidRequest",
      status: 400,
    });
    await expectAwsError(sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId: mpu.UploadId, PartNumber: 1, Body: "a", ...ssec(key2) })), {
      name: "InvalidRequest",
      status: 400,
      message: "The provided encryption parameters did not match the ones used originally.",
    });
    const p = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId: mpu.UploadId, PartNumber: 1, Body: "abc", ...ssec(key1) }));
    expect(p.SSECustomerKeyMD5).toBe(ssec(key1).SSECustomerKeyMD5);
    await sim.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "mp", UploadId: mpu.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] } }),
    );
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "mp" })), { name: "InvalidRequest", status: 400 });
    expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "mp", ...ssec(key1) }))).Body!.transformToString()).toBe("abc");
    // lib-storage's managed upload passes the key on every part; ranged reads need it too.
    const big = randomBytes(6 * 1024 * 1024);
    await new Upload({ client: sim.s3, params: { Bucket: "bkt", Key: "big", Body: big, ...ssec(key2) }, partSize: 5 * 1024 * 1024 }).done();
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "big", ...ssec(key2) }));
    expect([head.ContentLength, head.PartsCount, head.SSECustomerKeyMD5]).toEqual([big.length, undefined, ssec(key2).SSECustomerKeyMD5]);
    const range = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "big", Range: "bytes=5242878-5242881", ...ssec(key2) }));
    expect(Buffer.from(await range.Body!.transformToByteArray())).toEqual(big.subarray(5242878, 5242882));
  });
});

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

describe("ACLs", () => {
  it("canned ACLs and grants are read back as grants; unknown grantees are rejected", async () => {
    const acl0 = await sim.s3.send(new GetBucketAclCommand({ Bucket: "bkt" }));
    expect(acl0.Grants).toEqual([{ Grantee: { Type: "CanonicalUser", ID: acl0.Owner!.ID }, Permission: "FULL_CONTROL" }]);
    await sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", ACL: "public-read" }));
    const acl1 = await sim.s3.send(new GetBucketAclCommand({ Bucket: "bkt" }));
    expect(acl1.Grants!.map((g) => [g.Grantee!.Type, g.Grantee!.URI ?? g.Grantee!.ID, g.Permission])).toEqual([
      ["CanonicalUser", acl0.Owner!.ID, "FULL_CONTROL"],
      ["Group", ALL_USERS, "READ"],
    ]);
    // S3 takes the log-delivery-write canned ACL on buckets; the SDK's BucketCannedACL enum omits it.
    await sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", ACL: "log-delivery-write" as BucketCannedACL }));
    expect((await sim.s3.send(new GetBucketAclCommand({ Bucket: "bkt" }))).Grants!.map((g) => g.Permission)).toEqual(["FULL_CONTROL", "WRITE", "READ_ACP"]);
    // Explicit grants by header and by document.
    await sim.s3.send(
      new PutObjectCommand({ Bucket: "bkt", Key: "o", Body: "x", GrantRead: `uri="${ALL_USERS}"`, GrantFullControl: `id="${acl0.Owner!.ID}"` }),
    );
    const oacl = await sim.s3.send(new GetObjectAclCommand({ Bucket: "bkt", Key: "o" }));
    expect(oacl.Grants!.map((g) => [g.Grantee!.URI ?? g.Grantee!.ID, g.Permission])).toEqual([
      [acl0.Owner!.ID, "FULL_CONTROL"],
      [ALL_USERS, "READ"],
    ]);
    await sim.s3.send(
      new PutObjectAclCommand({
        Bucket: "bkt",
        Key: "o",
        AccessControlPolicy: {
          Owner: acl0.Owner,
          Grants: [
            { Grantee: { Type: "CanonicalUser", ID: acl0.Owner!.ID }, Permission: "FULL_CONTROL" },
            { Grantee: { Type: "AmazonCustomerByEmail", EmailAddress: "111122223333@example.com" }, Permission: "READ_ACP" },
          ],
        },
      }),
    );
    const oacl2 = await sim.s3.send(new GetObjectAclCommand({ Bucket: "bkt", Key: "o" }));
    expect(oacl2.Grants!.map((g) => g.Permission)).toEqual(["FULL_CONTROL", "READ_ACP"]);
    expect(oacl2.Grants![1]!.Grantee!.ID).toMatch(/^[0-9a-f]{64}$/);

    await expectAwsError(sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", GrantRead: `id="${"ab".repeat(32)}"` })), {
      name: "InvalidArgument",
      status: 400,
      message: "Invalid id",
    });
    await expectAwsError(sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", GrantRead: 'emailAddress="nobody@example.com"' })), {
      name: "UnresolvableGrantByEmailAddress",
      status: 400,
      message: "The e-mail address you provided does not match any account on record.",
    });
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "x", Body: "x", ACL: "public" as never })), {
      name: "InvalidArgument",
      status: 400,
    });
    await expectAwsError(sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", ACL: "private", GrantRead: `uri="${ALL_USERS}"` })), {
      name: "InvalidRequest",
      status: 400,
      message: "Specifying both Canned ACLs and Header Grants is not allowed",
    });
    await expectAwsError(sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", GrantRead: 'uri="http://acs.amazonaws.com/groups/global/Nobody"' })), {
      name: "InvalidArgument",
      status: 400,
    });
    await expectAwsError(sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt" })), { name: "MissingSecurityHeader", status: 400 });
  });

  it("Object Ownership: BucketOwnerEnforced disables ACLs; public access block refuses public ACLs and policies", async () => {
    await expectAwsError(sim.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: "bkt" })), { name: "OwnershipControlsNotFoundError", status: 404 });
    await sim.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: "bkt", OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }));
    expect((await sim.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: "bkt" }))).OwnershipControls!.Rules).toEqual([
      { ObjectOwnership: "BucketOwnerEnforced" },
    ]);
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ACL: "public-read" })), {
      name: "AccessControlListNotSupported",
      status: 400,
      message: "The bucket does not allow ACLs",
    });
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x", ACL: "bucket-owner-full-control" }));
    await expectAwsError(sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", ACL: "public-read" })), { name: "AccessControlListNotSupported", status: 400 });
    await expectAwsError(sim.s3.send(new PutObjectAclCommand({ Bucket: "bkt", Key: "k", ACL: "authenticated-read" })), {
      name: "AccessControlListNotSupported",
      status: 400,
    });
    expect((await sim.s3.send(new GetObjectAclCommand({ Bucket: "bkt", Key: "k" }))).Grants).toHaveLength(1);
    await expectAwsError(
      sim.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: "bkt", OwnershipControls: { Rules: [{ ObjectOwnership: "Nobody" as never }] } })),
      { name: "MalformedXML", status: 400 },
    );
    await sim.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: "bkt" }));
    await sim.s3.send(new PutBucketAclCommand({ Bucket: "bkt", ACL: "public-read" }));
    await expectAwsError(
      sim.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: "bkt", OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } })),
      { name: "InvalidBucketAclWithObjectOwnership", status: 400 },
    );
    await expectAwsError(sim.s3.send(new CreateBucketCommand({ Bucket: "enf", ACL: "public-read", ObjectOwnership: "BucketOwnerEnforced" })), {
      name: "InvalidBucketAclWithObjectOwnership",
      status: 400,
    });

    await sim.s3.send(new PutPublicAccessBlockCommand({ Bucket: "bkt", PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true } }));
    expect((await sim.s3.send(new GetPublicAccessBlockCommand({ Bucket: "bkt" }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "pub", Body: "x", ACL: "public-read" })), {
      name: "AccessDenied",
      status: 403,
    });
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::bkt/*" }] };
    await expectAwsError(sim.s3.send(new PutBucketPolicyCommand({ Bucket: "bkt", Policy: JSON.stringify(policy) })), { name: "AccessDenied", status: 403 });
    await expectAwsError(
      sim.s3.send(
        new PutBucketPolicyCommand({
          Bucket: "bkt",
          Policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::other/*" }] }),
        }),
      ),
      { name: "MalformedPolicy", status: 400, message: "Policy has invalid resource" },
    );
    await expectAwsError(sim.s3.send(new PutBucketPolicyCommand({ Bucket: "bkt", Policy: JSON.stringify({ Version: "2012-10-17" }) })), {
      name: "MalformedPolicy",
      status: 400,
      message: "Missing required field Statement",
    });
  });

  it("under --strict new buckets get AWS's current defaults", async () => {
    strictServer = await startServer({ strict: true });
    const c = new S3Client(clientConfig(strictServer, { forcePathStyle: true }));
    await c.send(new CreateBucketCommand({ Bucket: "fresh" }));
    expect((await c.send(new GetBucketOwnershipControlsCommand({ Bucket: "fresh" }))).OwnershipControls!.Rules![0]!.ObjectOwnership).toBe(
      "BucketOwnerEnforced",
    );
    expect((await c.send(new GetPublicAccessBlockCommand({ Bucket: "fresh" }))).PublicAccessBlockConfiguration!.RestrictPublicBuckets).toBe(true);
    const enc = await c.send(new GetBucketEncryptionCommand({ Bucket: "fresh" }));
    expect(enc.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault!.SSEAlgorithm).toBe("AES256");
    await expectAwsError(c.send(new PutObjectCommand({ Bucket: "fresh", Key: "k", Body: "x", ACL: "public-read" })), {
      name: "AccessControlListNotSupported",
      status: 400,
    });
    await expectAwsError(c.send(new CreateBucketCommand({ Bucket: "fresh2", ACL: "public-read" })), {
      name: "InvalidBucketAclWithObjectOwnership",
      status: 400,
    });
    // SSE-C is blocked on new buckets until the encryption configuration unblocks it.
    expect(enc.ServerSideEncryptionConfiguration!.Rules![0]!.BlockedEncryptionTypes).toEqual({ EncryptionType: ["SSE-C"] });
    await expectAwsError(c.send(new PutObjectCommand({ Bucket: "fresh", Key: "c", Body: "x", ...ssec(key1) })), { name: "AccessDenied", status: 403 });
    await c.send(
      new PutBucketEncryptionCommand({
        Bucket: "fresh",
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BlockedEncryptionTypes: { EncryptionType: ["NONE"] } }],
        },
      }),
    );
    await c.send(new PutObjectCommand({ Bucket: "fresh", Key: "c", Body: "x", ...ssec(key1) }));
  });
});

describe("owners without DisplayName (S3 stopped answering it on 2025-11-21)", () => {
  it("ListBuckets, ListObjects with FetchOwner, ListObjectVersions, GetBucketAcl and ListMultipartUploads name owners by canonical id only", async () => {
    const s3 = sim.s3;
    await s3.send(new CreateBucketCommand({ Bucket: "no-display-name" }));
    await s3.send(new PutObjectCommand({ Bucket: "no-display-name", Key: "k", Body: "x" }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket: "no-display-name", Key: "m" }));
    const id = (await s3.send(new ListBucketsCommand({}))).Owner!;
    expect(id).toEqual({ ID: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const owners = [
      (await s3.send(new ListObjectsV2Command({ Bucket: "no-display-name", FetchOwner: true }))).Contents![0]!.Owner,
      (await s3.send(new ListObjectVersionsCommand({ Bucket: "no-display-name" }))).Versions![0]!.Owner,
      (await s3.send(new GetBucketAclCommand({ Bucket: "no-display-name" }))).Owner,
      (await s3.send(new ListMultipartUploadsCommand({ Bucket: "no-display-name" }))).Uploads![0]!.Owner,
    ];
    expect(owners).toEqual([id, id, id, id]);
    const grants = (await s3.send(new GetObjectAclCommand({ Bucket: "no-display-name", Key: "k" }))).Grants!;
    expect(grants).toEqual([{ Grantee: { Type: "CanonicalUser", ID: id.ID }, Permission: "FULL_CONTROL" }]);
  });
});
