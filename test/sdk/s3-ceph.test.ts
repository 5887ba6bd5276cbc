/**
 * S3's resource-side authorization under --enforce-iam, as the S3 user guide describes it (ACL overview and
 * "How Amazon S3 authorizes a request"): anonymous callers and other accounts get what the bucket policy or the
 * ACLs grant them, and nothing else. Scenarios from a conformance-suite run (ceph s3-tests' test_access_* family).
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketTaggingCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer } from "../helpers.js";

const denied = { name: "AccessDenied", status: 403, message: "Access Denied" };

describe("S3 ACLs and bucket policies under --enforce-iam", () => {
  let server: AwsimServer;
  let owner: S3Client;
  let other: S3Client;
  let otherId: string;
  /** An unsigned request, as a browser or curl makes it. */
  const anon = (method: string, path: string, body?: string) => fetch(`${server.url}${path}`, { method, body });

  beforeAll(async () => {
    server = await startServer({ enforceIam: true });
    owner = new S3Client(clientConfig(server, { forcePathStyle: true }));
    other = new S3Client(clientConfig(server, { forcePathStyle: true, credentials: { accessKeyId: "111122223333", secretAccessKey: "other" } }));
    await other.send(new CreateBucketCommand({ Bucket: "other-own" }));
    const acl = await other.send(new GetBucketAclCommand({ Bucket: "other-own" }));
    otherId = acl.Owner!.ID!;
  });
  afterAll(() => server?.stop());

  const bucket = async (name: string, ACL?: "private" | "public-read" | "public-read-write" | "authenticated-read") => {
    await owner.send(new CreateBucketCommand({ Bucket: name, ACL }));
    return name;
  };

  it("anonymous callers list, read and write only what AllUsers grants", async () => {
    const priv = await bucket("anon-private");
    const pub = await bucket("anon-public", "public-read");
    const rw = await bucket("anon-rw", "public-read-write");
    await owner.send(new PutObjectCommand({ Bucket: priv, Key: "open", Body: "o", ACL: "public-read" }));
    await owner.send(new PutObjectCommand({ Bucket: pub, Key: "closed", Body: "c" }));

    expect((await anon("GET", `/${priv}?list-type=2`)).status).toBe(403);
    const listed = await anon("GET", `/${pub}?list-type=2`);
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain("<Key>closed</Key>");
    // The object's ACL decides a read, whatever the bucket's.
    expect(await (await anon("GET", `/${priv}/open`)).text()).toBe("o");
    const closed = await anon("GET", `/${pub}/closed`);
    expect(closed.status).toBe(403);
    expect(await closed.text()).toContain("<Code>AccessDenied</Code>");
    // A missing key is NoSuchKey only to a caller that may list the bucket.
    expect((await anon("GET", `/${pub}/nope`)).status).toBe(404);
    expect((await anon("GET", `/${priv}/nope`)).status).toBe(403);
    // Writing needs WRITE on the bucket.
    expect((await anon("PUT", `/${priv}/w`, "x")).status).toBe(403);
    expect((await anon("PUT", `/${rw}/w`, "x")).status).toBe(200);
    // A bucket that is gone is NoSuchBucket to anyone.
    expect((await anon("GET", "/no-such-bucket-here/k")).status).toBe(404);
    // An anonymous caller has no buckets to list and cannot own one.
    expect((await anon("GET", "/")).status).toBe(403);
    expect((await anon("PUT", "/anon-made")).status).toBe(403);
  });

  it("another account gets exactly the bucket permission a grant names", async () => {
    const cases: Array<[string, [boolean, boolean, boolean, boolean]]> = [
      ["FULL_CONTROL", [true, true, true, true]],
      ["READ", [true, false, false, false]],
      ["READ_ACP", [false, true, false, false]],
      ["WRITE", [false, false, true, false]],
      ["WRITE_ACP", [false, false, false, true]],
    ];
    const can = (p: Promise<unknown>) =>
      p.then(
        () => true,
        (e: { $metadata?: { httpStatusCode?: number } }) => {
          expect(e.$metadata?.httpStatusCode).toBe(403);
          return false;
        },
      );
    for (const [permission, want] of cases) {
      const b = await bucket(`grant-${permission.toLowerCase().replace("_", "-")}`);
      const acl = await owner.send(new GetBucketAclCommand({ Bucket: b }));
      await owner.send(
        new PutBucketAclCommand({
          Bucket: b,
          AccessControlPolicy: {
            Owner: acl.Owner,
            Grants: [...acl.Grants!, { Grantee: { Type: "CanonicalUser", ID: otherId }, Permission: permission as "READ" }],
          },
        }),
      );
      const got = [
        await can(other.send(new HeadBucketCommand({ Bucket: b }))),
        await can(other.send(new GetBucketAclCommand({ Bucket: b }))),
        await can(other.send(new PutObjectCommand({ Bucket: b, Key: "w", Body: "x" }))),
        await can(other.send(new PutBucketAclCommand({ Bucket: b, ACL: "private" }))),
      ];
      expect([permission, got]).toEqual([permission, want]);
    }
  });

  it("AuthenticatedUsers grants any signed caller; IgnorePublicAcls takes group grants away", async () => {
    const b = await bucket("auth-read", "authenticated-read");
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "k", Body: "v", ACL: "authenticated-read" }));
    expect((await other.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount).toBe(1);
    expect(await (await other.send(new GetObjectCommand({ Bucket: b, Key: "k" }))).Body!.transformToString()).toBe("v");
    expect((await anon("GET", `/${b}/k`)).status).toBe(403);
    await owner.send(
      new PutPublicAccessBlockCommand({
        Bucket: b,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await expectAwsError(other.send(new ListObjectsV2Command({ Bucket: b })), denied);
    await expectAwsError(other.send(new GetObjectCommand({ Bucket: b, Key: "k" })), denied);
  });

  it("the bucket policy allows what the ACLs do not and its Deny wins over them", async () => {
    const b = await bucket("with-policy");
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "asdf", Body: "asdf" }));
    await expectAwsError(other.send(new ListObjectsV2Command({ Bucket: b })), denied);
    const statement = (Effect: string, Action: string) => ({
      Version: "2012-10-17",
      Statement: [{ Effect, Principal: { AWS: "*" }, Action, Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`] }],
    });
    await owner.send(new PutBucketPolicyCommand({ Bucket: b, Policy: JSON.stringify(statement("Allow", "s3:ListBucket")) }));
    expect((await other.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount).toBe(1);
    // ListBucket is not GetObject.
    await expectAwsError(other.send(new GetObjectCommand({ Bucket: b, Key: "asdf" })), denied);
    // Tagging is not covered by any ACL: only a policy grants it to another account.
    await expectAwsError(other.send(new GetObjectTaggingCommand({ Bucket: b, Key: "asdf" })), denied);

    await owner.send(new PutBucketAclCommand({ Bucket: b, ACL: "authenticated-read" }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: b, Policy: JSON.stringify(statement("Deny", "s3:ListBucket")) }));
    await expectAwsError(other.send(new ListObjectsV2Command({ Bucket: b })), denied);
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    expect((await other.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount).toBe(1);
  });

  it("RestrictPublicBuckets keeps a public policy from granting outsiders; a Deny on GetBucketPublicAccessBlock binds the owner", async () => {
    const b = await bucket("restricted");
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "foo", Body: "bar" }));
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` }],
    });
    await owner.send(new PutBucketPolicyCommand({ Bucket: b, Policy }));
    expect(await (await anon("GET", `/${b}/foo`)).text()).toBe("bar");
    expect(await (await other.send(new GetObjectCommand({ Bucket: b, Key: "foo" }))).Body!.transformToString()).toBe("bar");
    await owner.send(
      new PutPublicAccessBlockCommand({
        Bucket: b,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true },
      }),
    );
    expect((await anon("GET", `/${b}/foo`)).status).toBe(403);
    await expectAwsError(other.send(new GetObjectCommand({ Bucket: b, Key: "foo" })), denied);
    expect(await (await owner.send(new GetObjectCommand({ Bucket: b, Key: "foo" }))).Body!.transformToString()).toBe("bar");

    const deny = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:GetBucketPublicAccessBlock", Resource: `arn:aws:s3:::${b}` }],
    });
    await owner.send(new PutBucketPolicyCommand({ Bucket: b, Policy: deny }));
    await expectAwsError(owner.send(new GetPublicAccessBlockCommand({ Bucket: b })), denied);
  });

  it("an ExistingObjectTag condition grants per object", async () => {
    const b = await bucket("tag-policy");
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "public", Body: "p", Tagging: "security=public" }));
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "private", Body: "q", Tagging: "security=private" }));
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${b}/*`,
          Condition: { StringEquals: { "s3:ExistingObjectTag/security": "public" } },
        },
      ],
    });
    await owner.send(new PutBucketPolicyCommand({ Bucket: b, Policy }));
    expect(await (await other.send(new GetObjectCommand({ Bucket: b, Key: "public" }))).Body!.transformToString()).toBe("p");
    await expectAwsError(other.send(new GetObjectCommand({ Bucket: b, Key: "private" })), denied);
  });

  it("the owner that revokes its own grants keeps READ_ACP and WRITE_ACP, not WRITE", async () => {
    const b = await bucket("revoked");
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "foo", Body: "bar" }));
    const acl = await owner.send(new GetBucketAclCommand({ Bucket: b }));
    await owner.send(new PutBucketAclCommand({ Bucket: b, AccessControlPolicy: { Owner: acl.Owner, Grants: [] } }));
    expect((await owner.send(new GetBucketAclCommand({ Bucket: b }))).Grants).toEqual([]);
    // The object keeps its own ACL.
    expect(await (await owner.send(new GetObjectCommand({ Bucket: b, Key: "foo" }))).Body!.transformToString()).toBe("bar");
    await expectAwsError(owner.send(new PutObjectCommand({ Bucket: b, Key: "baz", Body: "a" })), denied);
    await owner.send(new PutBucketAclCommand({ Bucket: b, ACL: "private" }));
    await owner.send(new PutObjectCommand({ Bucket: b, Key: "baz", Body: "a" }));
  });

  it("objects another account writes stay its own; copies need READ on the source", async () => {
    const b = await bucket("shared-write", "public-read-write");
    await other.send(new PutObjectCommand({ Bucket: b, Key: "theirs", Body: "t" }));
    // The bucket owner reads another account's object only through its ACL.
    await expectAwsError(owner.send(new GetObjectAclCommand({ Bucket: b, Key: "theirs" })), denied);
    await other.send(new PutObjectAclCommand({ Bucket: b, Key: "theirs", ACL: "bucket-owner-read" }));
    expect(await (await owner.send(new GetObjectCommand({ Bucket: b, Key: "theirs" }))).Body!.transformToString()).toBe("t");

    const src = await bucket("copy-source");
    await owner.send(new PutObjectCommand({ Bucket: src, Key: "secret", Body: "s" }));
    await expectAwsError(other.send(new CopyObjectCommand({ Bucket: "other-own", Key: "stolen", CopySource: `${src}/secret` })), denied);
    await owner.send(new PutObjectAclCommand({ Bucket: src, Key: "secret", ACL: "authenticated-read" }));
    await other.send(new CopyObjectCommand({ Bucket: "other-own", Key: "copied", CopySource: `${src}/secret` }));
    expect(await (await other.send(new GetObjectCommand({ Bucket: "other-own", Key: "copied" }))).Body!.transformToString()).toBe("s");
  });

  it("without --enforce-iam the owner's account and unsigned callers are let through; another account needs a grant", async () => {
    const loose = await startServer();
    try {
      const o = new S3Client(clientConfig(loose, { forcePathStyle: true }));
      await o.send(new CreateBucketCommand({ Bucket: "loose" }));
      await o.send(new PutObjectCommand({ Bucket: "loose", Key: "k", Body: "v" }));
      expect(await (await fetch(`${loose.url}/loose/k`)).text()).toBe("v");
      // Another account's signed requests get what the bucket's policy and ACLs give it, as on AWS.
      const o2 = new S3Client(clientConfig(loose, { forcePathStyle: true, credentials: { accessKeyId: "444455556666", secretAccessKey: "x" } }));
      await expectAwsError(o2.send(new GetObjectCommand({ Bucket: "loose", Key: "k" })), { name: "AccessDenied", status: 403 });
      await expectAwsError(o2.send(new PutObjectCommand({ Bucket: "loose", Key: "theirs", Body: "t" })), { name: "AccessDenied", status: 403 });
      await expectAwsError(o2.send(new GetBucketTaggingCommand({ Bucket: "loose" })), { name: "AccessDenied", status: 403 });
      await expectAwsError(o2.send(new CopyObjectCommand({ Bucket: "mine", Key: "c", CopySource: "loose/k" })), { name: "NoSuchBucket", status: 404 });
      await o2.send(new CreateBucketCommand({ Bucket: "mine" }));
      await expectAwsError(o2.send(new CopyObjectCommand({ Bucket: "mine", Key: "c", CopySource: "loose/k" })), { name: "AccessDenied", status: 403 });
      const grant = { Effect: "Allow", Principal: { AWS: "444455556666" }, Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::loose/*" };
      await o.send(new PutBucketPolicyCommand({ Bucket: "loose", Policy: JSON.stringify({ Version: "2012-10-17", Statement: [grant] }) }));
      expect(await (await o2.send(new GetObjectCommand({ Bucket: "loose", Key: "k" }))).Body!.transformToString()).toBe("v");
      await o2.send(new CopyObjectCommand({ Bucket: "mine", Key: "c", CopySource: "loose/k" }));
      // PutObjectAcl's canned bucket-owner-full-control grants the bucket's owner, as on PutObject.
      await o2.send(new PutObjectCommand({ Bucket: "loose", Key: "theirs", Body: "t" }));
      await o2.send(new PutObjectAclCommand({ Bucket: "loose", Key: "theirs", ACL: "bucket-owner-full-control" }));
      const acl = await o2.send(new GetObjectAclCommand({ Bucket: "loose", Key: "theirs" }));
      const bucketOwner = (await o.send(new GetBucketAclCommand({ Bucket: "loose" }))).Owner!.ID;
      expect(acl.Owner!.ID).not.toBe(bucketOwner);
      expect(acl.Grants!.map((g) => [g.Grantee!.ID, g.Permission])).toEqual([
        [acl.Owner!.ID, "FULL_CONTROL"],
        [bucketOwner, "FULL_CONTROL"],
      ]);
    } finally {
      await loose.stop();
    }
  });
});

describe("browser POST uploads: the form's signature and identity", () => {
  /** A form signed the SigV2 way (base64 HMAC-SHA1 of the base64 policy), as S3's POST Object documents it. */
  const form = (bucket: string, akid: string | undefined, secret: string, tamper = false) => {
    const policy = Buffer.from(
      JSON.stringify({ expiration: new Date(Date.now() + 600_000).toISOString(), conditions: [{ bucket }, ["starts-with", "$key", "up/"]] }),
    ).toString("base64");
    const fd = new FormData();
    fd.append("key", "up/${filename}");
    if (akid !== undefined) {
      const sig = createHmac("sha1", secret).update(policy).digest("base64");
      fd.append("AWSAccessKeyId", akid);
      fd.append("policy", policy);
      fd.append("signature", tamper ? sig.split("").reverse().join("") : sig);
    }
    fd.append("file", new Blob(["hello"]), "a.txt");
    return fd;
  };

  it("under --enforce-iam a wrong signature is SignatureDoesNotMatch and an unsigned form needs WRITE on the bucket", async () => {
    const server = await startServer({ enforceIam: true, rootKeys: ["AKIAPOSTROOT00000001:postsecret"] });
    try {
      const s3 = new S3Client(
        clientConfig(server, { forcePathStyle: true, credentials: { accessKeyId: "AKIAPOSTROOT00000001", secretAccessKey: "postsecret" } }),
      );
      await s3.send(new CreateBucketCommand({ Bucket: "forms" }));
      const ok = await fetch(`${server.url}/forms`, { method: "POST", body: form("forms", "AKIAPOSTROOT00000001", "postsecret") });
      expect(ok.status).toBe(204);
      expect(await (await s3.send(new GetObjectCommand({ Bucket: "forms", Key: "up/a.txt" }))).Body!.transformToString()).toBe("hello");
      const bad = await fetch(`${server.url}/forms`, { method: "POST", body: form("forms", "AKIAPOSTROOT00000001", "postsecret", true) });
      expect(bad.status).toBe(403);
      expect(await bad.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
      const unsigned = await fetch(`${server.url}/forms`, { method: "POST", body: form("forms", undefined, "") });
      expect(unsigned.status).toBe(403);
      expect(await unsigned.text()).toContain("<Code>AccessDenied</Code>");
      await s3.send(new PutBucketAclCommand({ Bucket: "forms", ACL: "public-read-write" }));
      expect((await fetch(`${server.url}/forms`, { method: "POST", body: form("forms", undefined, "") })).status).toBe(204);

      // The bucket policy's explicit Deny binds the owner's root credentials too.
      const Policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::forms/*",
            Condition: { Null: { "s3:x-amz-server-side-encryption": "true" } },
          },
        ],
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: "forms", Policy }));
      await expectAwsError(s3.send(new PutObjectCommand({ Bucket: "forms", Key: "plain", Body: "x" })), denied);
      await s3.send(new PutObjectCommand({ Bucket: "forms", Key: "sealed", Body: "x", ServerSideEncryption: "AES256" }));
    } finally {
      await server.stop();
    }
  });

  it("the object belongs to the account of the form's access key", async () => {
    const server = await startServer();
    try {
      const s3 = new S3Client(clientConfig(server, { forcePathStyle: true }));
      await s3.send(new CreateBucketCommand({ Bucket: "forms" }));
      expect((await fetch(`${server.url}/forms`, { method: "POST", body: form("forms", "444455556666", "x") })).status).toBe(204);
      const other = new S3Client(clientConfig(server, { forcePathStyle: true, credentials: { accessKeyId: "444455556666", secretAccessKey: "x" } }));
      const otherId = (await other.send(new ListBucketsCommand({}))).Owner!.ID;
      const acl = await s3.send(new GetObjectAclCommand({ Bucket: "forms", Key: "up/a.txt" }));
      expect(acl.Owner!.ID).toBe(otherId);
      expect(acl.Owner!.ID).not.toBe((await s3.send(new GetBucketAclCommand({ Bucket: "forms" }))).Owner!.ID);
    } finally {
      await server.stop();
    }
  });
});
