/**
 * What code run against real S3 in its projects' CI relies on, replayed through the JS SDK: Apache Hadoop's S3A
 * integration tests (ITestS3APutIfMatchAndIfNoneMatch, ITestS3AFailureHandling, ITestS3ARemoteFileChanged,
 * auth/ITestAssumeRole), Apache Airflow's S3 system test (example_s3.py) and aws-sdk-pandas' tests/unit/test_s3*.py.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const Bucket = "realusers";

beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
});

const put = (Key: string, Body: string, extra: { IfMatch?: string; IfNoneMatch?: string } = {}) =>
  sim.s3.send(new PutObjectCommand({ Bucket, Key, Body: Buffer.from(Body), ...extra }));
const read = async (Key: string) => (await sim.s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();
/** AWS's 412 for a write condition that does not hold, naming the condition. */
async function expectPrecondition(p: Promise<unknown>, condition: string) {
  const err = await expectAwsError(p, { name: "PreconditionFailed", status: 412, message: "At least one of the pre-conditions you specified did not hold" });
  expect((err as unknown as { Condition?: string }).Condition).toBe(condition);
}

describe("CopyObject conditional writes on the destination (the model's If-Match / If-None-Match)", () => {
  // S3A's rename copies with conditions as its create does (ITestS3APutIfMatchAndIfNoneMatch: create with overwrite=false).
  it("If-None-Match: * copies only onto a key that does not exist", async () => {
    await put("src", "source");
    await put("dest", "already here");
    await expectPrecondition(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfNoneMatch: "*" })), "If-None-Match");
    expect(await read("dest")).toBe("already here");
    const ok = await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "fresh", CopySource: `${Bucket}/src`, IfNoneMatch: "*" }));
    expect(ok.CopyObjectResult?.ETag).toBe((await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "src" }))).ETag);
    expect(await read("fresh")).toBe("source");
  });

  it("If-Match copies only over the destination's current ETag; a missing destination is NoSuchKey", async () => {
    await put("src", "source");
    const first = await put("dest", "v1");
    await put("dest", "v2");
    await expectPrecondition(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfMatch: first.ETag })), "If-Match");
    expect(await read("dest")).toBe("v2");
    const cur = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "dest" }));
    await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfMatch: cur.ETag }));
    expect(await read("dest")).toBe("source");
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "nowhere", CopySource: `${Bucket}/src`, IfMatch: cur.ETag })), {
      name: "NoSuchKey",
      status: 404,
    });
  });

  it("If-None-Match other than * is NotImplemented, as for PutObject", async () => {
    await put("src", "source");
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfNoneMatch: '"abc"' })), {
      name: "NotImplemented",
      status: 501,
    });
  });
});

describe("S3A's conditional creates (ITestS3APutIfMatchAndIfNoneMatch), which already held", () => {
  it("two multipart uploads completed with the same If-Match: the second is PreconditionFailed", async () => {
    const created = await put("race", "small file");
    const start = async () => {
      const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "race" }));
      const part = await sim.s3.send(new UploadPartCommand({ Bucket, Key: "race", UploadId, PartNumber: 1, Body: "multipart data" }));
      return () =>
        sim.s3.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: "race",
            UploadId,
            IfMatch: created.ETag,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
          }),
        );
    };
    const one = await start();
    const two = await start();
    expect((await one()).ETag).toMatch(/-1"$/);
    await expectPrecondition(two(), "If-Match");
  });

  it("an empty file over an empty file with If-None-Match: * is PreconditionFailed", async () => {
    await put("empty", "", { IfNoneMatch: "*" });
    await expectPrecondition(put("empty", "", { IfNoneMatch: "*" }), "If-None-Match");
  });
});
