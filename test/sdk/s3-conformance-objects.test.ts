/**
 * S3 conformance through the JS SDK: bucket LocationConstraint rules, listings at max-keys=0, ranges of empty
 * objects, copies onto the same key, UploadPartCopy ranges, ListMultipartUploads with a delimiter and
 * encoding-type=url, presigned X-Amz-Expires limits, browser POST size limits.
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { connect } from "node:net";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const regional = (region: string) => new S3Client({ ...clientConfig(sim.server), region, forcePathStyle: true });

beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "conf" }));
});

describe("CreateBucket LocationConstraint", () => {
  it("us-east-1 is never written, a value that names no region is invalid, and a regional endpoint creates only its own region", async () => {
    const invalid = { name: "InvalidLocationConstraint", status: 400, message: "The specified location-constraint is not valid" };
    await expectAwsError(
      sim.s3.send(new CreateBucketCommand({ Bucket: "east", CreateBucketConfiguration: { LocationConstraint: "us-east-1" as never } })),
      invalid,
    );
    await expectAwsError(
      sim.s3.send(new CreateBucketCommand({ Bucket: "bogus", CreateBucketConfiguration: { LocationConstraint: "mars" as never } })),
      invalid,
    );
    const west = regional("us-west-2");
    await expectAwsError(west.send(new CreateBucketCommand({ Bucket: "mismatch", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })), {
      name: "IllegalLocationConstraintException",
      status: 400,
      message: "The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
    });
    await west.send(new CreateBucketCommand({ Bucket: "westy", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
    await regional("eu-west-1").send(new CreateBucketCommand({ Bucket: "euro", CreateBucketConfiguration: { LocationConstraint: "EU" } }));
    // The us-east-1 (global) endpoint creates buckets in any region.
    await sim.s3.send(new CreateBucketCommand({ Bucket: "from-east", CreateBucketConfiguration: { LocationConstraint: "ap-south-1" } }));
    await expectAwsError(west.send(new CreateBucketCommand({ Bucket: "westy", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } })), {
      name: "BucketAlreadyOwnedByYou",
      status: 409,
    });
    // Legacy us-east-1: re-creating a bucket you own there answers 200.
    await sim.s3.send(new CreateBucketCommand({ Bucket: "conf" }));
  });
});

describe("listings", () => {
  beforeEach(async () => {
    for (const k of ["a", "b/1", "b/2", "c"]) await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: k, Body: "x" }));
  });

  it("max-keys=0 returns nothing and is not truncated (v1, v2, versions)", async () => {
    const v2 = await sim.s3.send(new ListObjectsV2Command({ Bucket: "conf", MaxKeys: 0 }));
    expect([v2.KeyCount, v2.IsTruncated, v2.Contents, v2.NextContinuationToken]).toEqual([0, false, undefined, undefined]);
    const v1 = await sim.s3.send(new ListObjectsCommand({ Bucket: "conf", MaxKeys: 0, Delimiter: "/" }));
    expect([v1.IsTruncated, v1.Contents, v1.CommonPrefixes, v1.NextMarker]).toEqual([false, undefined, undefined, undefined]);
    const versions = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: "conf", MaxKeys: 0 }));
    expect([versions.IsTruncated, versions.Versions]).toEqual([false, undefined]);
    // max-keys=1 still pages.
    const one = await sim.s3.send(new ListObjectsV2Command({ Bucket: "conf", MaxKeys: 1, Delimiter: "/" }));
    expect([one.Contents?.map((c) => c.Key), one.IsTruncated]).toEqual([["a"], true]);
  });
});

describe("objects", () => {
  it("a range from byte 0 of an empty object is 416 InvalidRange (a suffix range is served whole); other ranges keep S3's answers", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: "empty", Body: "" }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: "ten", Body: "0123456789" }));
    for (const Range of ["bytes=0-"]) {
      const e = await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "conf", Key: "empty", Range })), { name: "InvalidRange", status: 416 });
      expect((e as unknown as Record<string, unknown>).ActualObjectSize).toBe("0");
    }
    const suffix = await sim.s3.send(new GetObjectCommand({ Bucket: "conf", Key: "ten", Range: "bytes=-3" }));
    expect([suffix.ContentRange, await suffix.Body?.transformToString()]).toEqual(["bytes 7-9/10", "789"]);
    const whole = await sim.s3.send(new GetObjectCommand({ Bucket: "conf", Key: "empty" }));
    expect([whole.ContentLength, await whole.Body?.transformToString()]).toEqual([0, ""]);
  });

  it("a PUT without Content-Length is 411 MissingContentLength; Content-Length: 0 stores an empty object", async () => {
    // Raw HTTP/1.1 on a socket: Node's own client would add Content-Length: 0 to an empty PUT.
    const put = (headers: string, body = "") =>
      new Promise<[number, string]>((resolve, reject) => {
        const { port } = new URL(sim.server.url);
        const sock = connect(Number(port), "127.0.0.1", () =>
          sock.write(`PUT /conf/nolen HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n${body}`),
        );
        let text = "";
        sock.on("data", (c) => (text += c));
        sock.on("end", () => resolve([Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text]));
        sock.on("error", reject);
      });
    const [status, text] = await put("");
    expect(status).toBe(411);
    expect(text).toContain("<Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header.</Message>");
    // A chunked body with no length declared is refused the same way.
    expect((await put("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"))[0]).toBe(411);
    expect((await put("Content-Length: 0\r\n"))[0]).toBe(200);
    expect((await sim.s3.send(new GetObjectCommand({ Bucket: "conf", Key: "nolen" }))).ContentLength).toBe(0);
  });

  it("copying onto the same key: refused without changes, allowed when a source version is named (a restore)", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "conf", VersioningConfiguration: { Status: "Enabled" } }));
    const v1 = (await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: "doc", Body: "one", Metadata: { rev: "1" } }))).VersionId!;
    await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: "doc", Body: "two" }));
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "conf", Key: "doc", CopySource: "conf/doc" })), {
      name: "InvalidRequest",
      status: 400,
      message:
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    });
    const restored = await sim.s3.send(new CopyObjectCommand({ Bucket: "conf", Key: "doc", CopySource: `conf/doc?versionId=${v1}` }));
    expect(restored.CopySourceVersionId).toBe(v1);
    const now = await sim.s3.send(new GetObjectCommand({ Bucket: "conf", Key: "doc" }));
    expect([await now.Body?.transformToString(), now.Metadata, now.VersionId]).toEqual(["one", { rev: "1" }, restored.VersionId]);
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "conf", Key: "other", CopySource: "conf/doc", MetadataDirective: "KEEP" as never })), {
      name: "InvalidArgument",
      status: 400,
      message: "Unknown metadata directive.",
    });
  });

  it("UploadPartCopy: a range past the source's end and a malformed range are InvalidArgument with AWS's messages", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: "src", Body: "x".repeat(100) }));
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "conf", Key: "dst" }));
    const copy = (CopySourceRange: string) =>
      sim.s3.send(new UploadPartCopyCommand({ Bucket: "conf", Key: "dst", UploadId, PartNumber: 1, CopySource: "conf/src", CopySourceRange }));
    await expectAwsError(copy("bytes=90-100"), {
      name: "InvalidArgument",
      status: 400,
      message: "Range specified is not valid for source object of size: 100",
    });
    await expectAwsError(copy("bytes=0-"), {
      name: "InvalidArgument",
      status: 400,
      message:
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
    });
    const ok = await copy("bytes=90-99");
    expect(ok.CopyPartResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });
});

describe("ListMultipartUploads", () => {
  it("pages over common prefixes with a delimiter and url-encodes with encoding-type=url", async () => {
    for (const Key of ["a/1", "a/2", "b/1", "c d", "c d", "e+f"]) await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "conf", Key }));
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket: "conf", Delimiter: "/", MaxUploads: 1, KeyMarker, UploadIdMarker }));
      seen.push(...(r.CommonPrefixes ?? []).map((p) => `prefix:${p.Prefix}`), ...(r.Uploads ?? []).map((u) => u.Key!));
      if (!r.IsTruncated) break;
      // AWS names only uploads in NextKeyMarker: a page holding just a common prefix answers "" (recorded
      // against S3), so a client resumes after that prefix itself.
      if (!r.Uploads?.length) expect([r.NextKeyMarker, r.NextUploadIdMarker]).toEqual(["", ""]);
      KeyMarker = r.NextKeyMarker || r.CommonPrefixes?.at(-1)?.Prefix;
      UploadIdMarker = r.NextKeyMarker ? r.NextUploadIdMarker : undefined;
    }
    expect(seen).toEqual(["prefix:a/", "prefix:b/", "c d", "c d", "e+f"]);
    // The JS SDK asks for encoding-type=url only when told to; the raw answer is then encoded.
    const raw = await fetch(`${sim.server.url}/conf?uploads&encoding-type=url&prefix=c%20`);
    const xml = await raw.text();
    expect(xml).toContain("<Key>c+d</Key>");
    expect(xml).toContain("<Prefix>c+</Prefix>");
    expect(xml).toContain("<EncodingType>url</EncodingType>");
    const bad = await fetch(`${sim.server.url}/conf?uploads&max-uploads=-1`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("<Message>Argument max-uploads must be an integer between 0 and 2147483647</Message>");
  });
});

describe("presigned URLs", () => {
  it("work within X-Amz-Expires, expire after it, and X-Amz-Expires is bounded by a week", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "conf", Key: "p", Body: "presigned" }));
    const url = await getSignedUrl(sim.s3, new GetObjectCommand({ Bucket: "conf", Key: "p" }), { expiresIn: 60 });
    const ok = await fetch(url);
    expect([ok.status, await ok.text()]).toEqual([200, "presigned"]);
    const put = await getSignedUrl(sim.s3, new PutObjectCommand({ Bucket: "conf", Key: "q" }), { expiresIn: 60 });
    expect((await fetch(put, { method: "PUT", body: "uploaded" })).status).toBe(200);
    const old = await fetch(url.replace(/X-Amz-Date=\d{8}T\d{6}Z/, "X-Amz-Date=20200101T000000Z"));
    expect(old.status).toBe(403);
    expect(await old.text()).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message>");
    const week = await fetch(url.replace(/X-Amz-Expires=\d+/, "X-Amz-Expires=604801"));
    expect(week.status).toBe(400);
    expect(await week.text()).toContain(
      "<Code>AuthorizationQueryParametersError</Code><Message>X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds</Message>",
    );
    const nan = await fetch(url.replace(/X-Amz-Expires=\d+/, "X-Amz-Expires=soon"));
    expect([nan.status, (await nan.text()).includes("X-Amz-Expires should be a number")]).toEqual([400, true]);
  });
});

describe("browser POST", () => {
  it("content-length-range: above the maximum is EntityTooLarge, below the minimum EntityTooSmall", async () => {
    const post = async (min: number, max: number) => {
      const conditions = [{ bucket: "conf" }, { key: "up" }, ["content-length-range", min, max]];
      const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 60_000).toISOString(), conditions })).toString("base64");
      const form = new FormData();
      form.append("key", "up");
      form.append("policy", policy);
      form.append("file", new Blob(["hello"]), "f.txt");
      const r = await fetch(`${sim.server.url}/conf`, { method: "POST", body: form });
      return [r.status, await r.text()] as const;
    };
    const [big, bigBody] = await post(1, 3);
    expect([big, bigBody.includes("<Code>EntityTooLarge</Code>")]).toEqual([400, true]);
    const [small, smallBody] = await post(10, 20);
    expect(small).toBe(400);
    expect(smallBody).toContain("<Code>EntityTooSmall</Code>");
    expect(smallBody).toContain("<ProposedSize>5</ProposedSize><MinSizeAllowed>10</MinSizeAllowed><RequestId>");
    expect((await post(1, 10))[0]).toBe(204);
  });
  it("checks the policy document's grammar and the signed form's fields as S3 does", async () => {
    const exp = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const send = async (doc: unknown, fields: Array<[string, string]>, filename = "f.txt") => {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      if (doc !== undefined) form.append("policy", Buffer.from(JSON.stringify(doc)).toString("base64"));
      form.append("file", new Blob(["bar"]), filename);
      const r = await fetch(`${sim.server.url}/conf`, { method: "POST", body: form });
      return [r.status, await r.text()] as const;
    };
    const std = [{ bucket: "conf" }, ["starts-with", "$key", "foo"], ["starts-with", "$Content-Type", "text/plain"], ["content-length-range", 0, 1024]];
    const base: Array<[string, string]> = [
      ["key", "foo.txt"],
      ["Content-Type", "text/plain"],
    ];
    const policyError = (r: readonly [number, string], message: string) => {
      expect(r[0]).toBe(400);
      expect(r[1]).toContain(`<Code>InvalidPolicyDocument</Code><Message>${message}</Message>`);
    };
    expect((await send({ expiration: exp, conditions: std }, base))[0]).toBe(204);
    policyError(await send({ expiration: exp }, base), "Invalid Policy: Policy missing conditions.");
    policyError(await send({ expiration: exp, CONDITIONS: std }, base), "Invalid Policy: Policy missing conditions.");
    policyError(await send({ EXPIRATION: exp, conditions: std }, base), "Invalid Policy: Policy missing expiration.");
    policyError(
      await send({ expiration: "2030-01-01 00:00:00+00:00", conditions: std }, base),
      "Invalid Policy: Invalid &apos;expiration&apos; value: &apos;2030-01-01 00:00:00+00:00&apos;",
    );
    policyError(
      await send({ expiration: exp, conditions: [{}] }, base),
      "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
    );
    for (const range of [
      ["content-length-range", 0],
      ["content-length-range", -1, 0],
    ])
      expect((await send({ expiration: exp, conditions: [...std.slice(0, 3), range] }, base))[0]).toBe(400);
    // A SigV2 form that names its access key must carry the signature.
    const unsigned = await send({ expiration: exp, conditions: std }, [...base, ["AWSAccessKeyId", "test"]]);
    expect(unsigned[0]).toBe(400);
    expect(unsigned[1]).toContain(
      "<Message>Bucket POST must contain a field named &apos;Signature&apos;.  If it is specified, please check the order of the fields.</Message>",
    );
    // Conditions see the key after ${filename}; condition and field names are case-insensitive; x-ignore-* fields are free.
    expect(
      (
        await send(
          { expiration: exp, conditions: std },
          [
            ["key", "${filename}"],
            ["Content-Type", "text/plain"],
          ],
          "foo-name.txt",
        )
      )[0],
    ).toBe(204);
    const caseless = [{ bUcKeT: "conf" }, ["StArTs-WiTh", "$KeY", "foo"], ["starts-with", "$CoNtEnT-TyPe", "text/"]];
    expect(
      (
        await send({ expiration: exp, conditions: caseless }, [
          ["kEy", "foo2.txt"],
          ["Content-Type", "text/plain"],
          ["x-ignore-me", "1"],
        ])
      )[0],
    ).toBe(204);
    const got = await sim.s3.send(new GetObjectCommand({ Bucket: "conf", Key: "foo-name.txt" }));
    expect(await got.Body?.transformToString()).toBe("bar");
  });
});
