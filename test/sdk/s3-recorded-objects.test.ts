/**
 * S3 object behaviour as AWS answered it in recorded scenarios (LocalStack's AWS-validated snapshots of
 * tests/aws/services/s3/test_s3.py; each test names the snapshot key it replays).
 */
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

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
