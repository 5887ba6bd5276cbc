/**
 * Under --enforce-iam, S3 refuses a SigV4 request with x-amz-* headers its signature does not cover: 403 AccessDenied
 * "There were headers present in the request which were not signed" naming them in HeadersNotSigned (soto-core#362,
 * apache/arrow-rs-object-store#484 quote AWS's answer), and the request does nothing.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const xml = (body: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];

describe("S3 SigV4 headers not signed, under --enforce-iam", () => {
  const ROOT = { accessKeyId: "AKIAROOTUNSIGNEDHDR0", secretAccessKey: "rootunsignedsecret" };
  const t = useServer({ enforceIam: true, rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] });
  const client = () => new S3Client({ endpoint: t.server.url, region: "us-east-1", credentials: ROOT, maxAttempts: 1, forcePathStyle: true });

  it("a presigned URL used with extra x-amz-* headers is AccessDenied naming them; nothing is written", async () => {
    const s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: "unsigned-hdr" }));
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "unsigned-hdr", Key: "k" }));
    const r = await fetch(url, { method: "PUT", body: "data", headers: { "x-amz-tagging": "a=b", "x-amz-acl": "public-read", "x-amz-meta-z": "1" } });
    expect(r.status).toBe(403);
    const body = await r.text();
    expect(xml(body, "Code")).toBe("AccessDenied");
    expect(xml(body, "Message")).toBe("There were headers present in the request which were not signed");
    expect(xml(body, "HeadersNotSigned")).toBe("x-amz-acl, x-amz-meta-z, x-amz-tagging");
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: "unsigned-hdr", Key: "k" })), { name: "NoSuchKey", status: 404 });
    // The same URL without them works; a payload hash sent beside it is tolerated.
    expect((await fetch(url, { method: "PUT", body: "data", headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } })).status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "unsigned-hdr", Key: "k" }))).Body?.transformToString()).toBe("data");
  });

  it("a header added after the SDK signed is refused; the SDK's own signed x-amz-* headers pass", async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: "unsigned-hdr", Key: "signed", Body: "x", Metadata: { a: "1" }, Tagging: "t=1" }));
    s3.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers["x-amz-meta-late"] = "1";
        return next(args);
      },
      { step: "deserialize", name: "lateHeader" },
    );
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: "unsigned-hdr", Key: "late", Body: "x" })), { name: "AccessDenied", status: 403 });
    s3.middlewareStack.remove("lateHeader");
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: "unsigned-hdr", Key: "late" })), { name: "NoSuchKey", status: 404 });
  });
});
