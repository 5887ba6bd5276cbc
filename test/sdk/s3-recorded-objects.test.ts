/**
 * S3 object behaviour as AWS answered it in recorded scenarios (LocalStack's AWS-validated snapshots of
 * tests/aws/services/s3/test_s3.py; each test names the snapshot key it replays).
 */
import { CopyObjectCommand, CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const Bucket = "recorded-objects";
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
});

describe("TestS3::test_s3_get_object_preconditions (get_object, head_object)", () => {
  it("ignores an If-Modified-Since in the future (obj-ignore-future-modified-since) but honours a past one", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "data" }));
    const future = new Date(Date.now() + 86_400_000);
    const got = await sim.s3.send(new GetObjectCommand({ Bucket, Key: "k", IfModifiedSince: future }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(await got.Body?.transformToString()).toBe("data");
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "k", IfModifiedSince: future }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(head.ContentLength).toBe(4);
    // The object's own Last-Modified is not in the future: 304 Not Modified (precondition-if-modified-since-is-object).
    const { LastModified } = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "k" }));
    const err = await sim.s3.send(new GetObjectCommand({ Bucket, Key: "k", IfModifiedSince: LastModified })).then(
      () => undefined,
      (e: { $metadata: { httpStatusCode?: number } }) => e,
    );
    expect(err?.$metadata.httpStatusCode).toBe(304);
    const past = await sim.s3.send(new GetObjectCommand({ Bucket, Key: "k", IfModifiedSince: new Date(Date.now() - 86_400_000) }));
    expect(past.$metadata.httpStatusCode).toBe(200);
  });
});

describe("TestS3::test_s3_checksum_no_automatic_sdk_calculation", () => {
  const put = (key: string, headers: Record<string, string>) => fetch(`${sim.server.url}/${Bucket}/${key}`, { method: "PUT", body: "test data..", headers });

  it("x-amz-sdk-checksum-algorithm alone makes S3 compute nothing (head-obj-only-checksum-algo); a checksum header still wins", async () => {
    expect((await put("only-algo", { "x-amz-sdk-checksum-algorithm": "SHA256" })).status).toBe(200);
    const only = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "only-algo", ChecksumMode: "ENABLED" }));
    expect(only.ChecksumSHA256).toBeUndefined();
    // Without a client checksum the object carries S3's default full-object CRC64NVME.
    expect(only.ChecksumCRC64NVME).toBeDefined();
    // head-obj-diff-checksum-algo: the value header names the algorithm, whatever the SDK header says.
    const sha256 = "2l26x0trnT0r2AvakoFk2MB7eKVKzYESLMxSAKAzoik=";
    expect((await put("diff-algo", { "x-amz-sdk-checksum-algorithm": "SHA1", "x-amz-checksum-sha256": sha256 })).status).toBe(200);
    const diff = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "diff-algo", ChecksumMode: "ENABLED" }));
    expect(diff.ChecksumSHA256).toBe(sha256);
    // wrong-checksum: a malformed value is InvalidRequest naming the header.
    const bad = await put("bad", { "x-amz-checksum-sha256": "abc123" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("<Message>Value for x-amz-checksum-sha256 header is invalid.</Message>");
  });
});

describe("S3's raw answers (TestS3::test_bucket_name_with_dots, test_location_path_url)", () => {
  it("name Server: AmazonS3 and put a newline after the XML declaration, in answers and errors alike", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "my-content", Body: "something" }));
    const get = (path: string) => fetch(`${sim.server.url}${path}`).then((r) => r.text());
    expect(await get(`/${Bucket}`)).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
    );
    expect(await get(`/${Bucket}?location`)).toMatch(/^<\?xml [^>]+>\n<LocationConstraint/);
    const res = await fetch(`${sim.server.url}/${Bucket}`);
    expect(res.headers.get("server")).toBe("AmazonS3");
    expect((await fetch(`${sim.server.url}/${Bucket}/nope`)).headers.get("server")).toBe("AmazonS3");
    expect(await get(`/${Bucket}/nope`)).toMatch(/^<\?xml [^>]+>\n<Error><Code>NoSuchKey<\/Code>/);
  });
});

describe("TestS3SSECEncryption::test_object_retrieval_sse_c", () => {
  const ssec = (key: Buffer) => ({
    SSECustomerAlgorithm: "AES256",
    SSECustomerKey: key.toString("base64"),
    SSECustomerKeyMD5: createHash("md5").update(key).digest("base64"),
  });

  it("a read with another key is 403 AccessDenied saying the secret key is not the correct one (GET and copy source)", async () => {
    const [key, other] = [randomBytes(32), randomBytes(32)];
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "enc", Body: "secret", ...ssec(key) }));
    const message = "Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.";
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket, Key: "enc", ...ssec(other) })), { name: "AccessDenied", status: 403, message });
    const o = ssec(other);
    await expectAwsError(
      sim.s3.send(
        new CopyObjectCommand({
          Bucket,
          Key: "copy",
          CopySource: `${Bucket}/enc`,
          CopySourceSSECustomerAlgorithm: o.SSECustomerAlgorithm,
          CopySourceSSECustomerKey: o.SSECustomerKey,
          CopySourceSSECustomerKeyMD5: o.SSECustomerKeyMD5,
        }),
      ),
      { name: "AccessDenied", status: 403, message },
    );
    const ok = await sim.s3.send(new GetObjectCommand({ Bucket, Key: "enc", ...ssec(key) }));
    expect(await ok.Body?.transformToString()).toBe("secret");
  });
});

describe("SSE-C with an algorithm other than AES256", () => {
  it("is InvalidEncryptionAlgorithmError naming x-amz-server-side-encryption and the algorithm sent", async () => {
    const key = randomBytes(32);
    const r = await fetch(`${sim.server.url}/${Bucket}/enc-alg`, {
      method: "PUT",
      body: "x",
      headers: {
        "x-amz-server-side-encryption-customer-algorithm": "AES251",
        "x-amz-server-side-encryption-customer-key": key.toString("base64"),
        "x-amz-server-side-encryption-customer-key-md5": createHash("md5").update(key).digest("base64"),
      },
    });
    expect(r.status).toBe(400);
    const body = await r.text();
    expect(body).toContain("<Code>InvalidEncryptionAlgorithmError</Code>");
    expect(body).toContain("<Message>The Encryption request you specified is not valid. Supported value: AES256.</Message>");
    expect(body).toContain("<ArgumentName>x-amz-server-side-encryption</ArgumentName><ArgumentValue>AES251</ArgumentValue>");
  });
});
