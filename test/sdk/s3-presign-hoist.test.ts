/**
 * A SigV4 presigned PUT's hoisted x-amz-acl (the JS v3 presigner moves x-amz-* headers into the query) applies as the
 * header would (S3 applies a canned ACL sent as a query parameter); hoisted x-amz-storage-class and x-amz-tagging do
 * not. Under --enforce-iam the hoisted ACL is signed (tampering is SignatureDoesNotMatch) and is the request's
 * s3:x-amz-acl for policy conditions.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

describe("SigV4 presigned query parameters standing for headers", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

  it("x-amz-acl in the URL is applied; storage class and tagging there are not", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "hoist" }));
    const url = await getSignedUrl(t.s3, new PutObjectCommand({ Bucket: "hoist", Key: "a", ACL: "public-read", StorageClass: "STANDARD_IA", Tagging: "k=v" }));
    const q = new URL(url).searchParams;
    // The presigner moved them into the query and signs only host.
    expect(q.get("x-amz-acl")).toBe("public-read");
    expect(q.get("x-amz-storage-class")).toBe("STANDARD_IA");
    expect(q.get("x-amz-tagging")).toBe("k=v");
    expect(q.get("X-Amz-SignedHeaders")).toBe("host");
    expect((await fetch(url, { method: "PUT", body: "data" })).status).toBe(200);
    const acl = await t.s3.send(new GetObjectAclCommand({ Bucket: "hoist", Key: "a" }));
    expect(acl.Grants?.map((g) => `${g.Grantee?.URI ?? g.Grantee?.Type}:${g.Permission}`)).toContain(`${ALL_USERS}:READ`);
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "hoist", Key: "a" }))).StorageClass).toBeUndefined();
    expect((await t.s3.send(new GetObjectTaggingCommand({ Bucket: "hoist", Key: "a" }))).TagSet).toEqual([]);

    // Without the ACL in the URL the object stays private.
    expect((await fetch(await getSignedUrl(t.s3, new PutObjectCommand({ Bucket: "hoist", Key: "b" })), { method: "PUT", body: "x" })).status).toBe(200);
    const priv = await t.s3.send(new GetObjectAclCommand({ Bucket: "hoist", Key: "b" }));
    expect(priv.Grants?.some((g) => g.Grantee?.URI === ALL_USERS)).toBe(false);
  });
});

describe("SigV4 presigned x-amz-acl under --enforce-iam", () => {
  const ROOT = { accessKeyId: "AKIAROOTHOISTACL0000", secretAccessKey: "roothoistsecret" };
  const t = useServer({ enforceIam: true, rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] });

  it("is signed (a changed value is SignatureDoesNotMatch) and is the s3:x-amz-acl of the user's policy", async () => {
    const cfg = { endpoint: t.server.url, region: "us-east-1", credentials: ROOT, maxAttempts: 1 };
    const iam = new IAMClient(cfg);
    const root = new S3Client({ ...cfg, forcePathStyle: true });
    await root.send(new CreateBucketCommand({ Bucket: "acl-cond" }));
    await iam.send(new CreateUserCommand({ UserName: "uploader" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "uploader",
        PolicyName: "no-public",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "s3:*", Resource: "*" },
            { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { StringEquals: { "s3:x-amz-acl": "public-read" } } },
          ],
        }),
      }),
    );
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: "uploader" }))).AccessKey!;
    const user = new S3Client({ ...cfg, credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }, forcePathStyle: true });

    const ok = await getSignedUrl(user, new PutObjectCommand({ Bucket: "acl-cond", Key: "ok", ACL: "authenticated-read" }));
    const tampered = ok.replace("x-amz-acl=authenticated-read", "x-amz-acl=public-read-write");
    const bad = await fetch(tampered, { method: "PUT", body: "x" });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect((await fetch(ok, { method: "PUT", body: "x" })).status).toBe(200);
    const grants = (await root.send(new GetObjectAclCommand({ Bucket: "acl-cond", Key: "ok" }))).Grants ?? [];
    expect(grants.map((g) => g.Grantee?.URI).filter(Boolean)).toEqual(["http://acs.amazonaws.com/groups/global/AuthenticatedUsers"]);

    const denied = await fetch(await getSignedUrl(user, new PutObjectCommand({ Bucket: "acl-cond", Key: "pub", ACL: "public-read" })), {
      method: "PUT",
      body: "x",
    });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("<Code>AccessDenied</Code>");
  });
  it("an expired SigV4 URL is AccessDenied naming X-Amz-Expires, Expires and ServerTime, as without --enforce-iam", async () => {
    const root = new S3Client({ endpoint: t.server.url, region: "us-east-1", credentials: ROOT, maxAttempts: 1, forcePathStyle: true });
    await root.send(new CreateBucketCommand({ Bucket: "expiring" }));
    await root.send(new PutObjectCommand({ Bucket: "expiring", Key: "k", Body: "x" }));
    const url = await getSignedUrl(root, new GetObjectCommand({ Bucket: "expiring", Key: "k" }), { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>1</X-Amz-Expires>");
    const tag = (n: string) => new RegExp(`<${n}>([^<]+)</${n}>`).exec(body)?.[1] ?? "";
    expect(Date.parse(tag("ServerTime")) - Date.parse(tag("Expires"))).toBeGreaterThanOrEqual(1000);
  });
});
