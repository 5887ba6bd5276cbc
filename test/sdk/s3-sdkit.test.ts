/**
 * The AWS SDKs' own S3 integration tests (run by the SDK teams against real AWS), replayed through the JS SDK:
 * aws-sdk-js-v3 clients/client-s3/test/e2e and lib/lib-storage, aws-sdk-go-v2 service/internal/integrationtest/s3
 * and feature/s3/manager, aws-sdk-java-v2 services/s3/src/it/java. Each test names the source test it guards.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketAnalyticsConfigurationCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketAnalyticsConfigurationsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketAnalyticsConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  SelectObjectContentCommand,
  type SelectObjectContentEventStream,
  type StorageClassAnalysis,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, region: "us-west-2", forcePathStyle: true }) }));
const B = "sdkit-bucket";
const ARN = `arn:aws:s3:::${B}`;

beforeAll(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: B, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
});

describe("aws-sdk-java-v2 BucketAnalyticsConfigurationIntegrationTest", () => {
  const analysis = (destination: Record<string, unknown> = { S3BucketDestination: { Bucket: ARN, Format: "CSV" } }) =>
    ({ DataExport: { OutputSchemaVersion: "V_1", Destination: destination } }) as unknown as StorageClassAnalysis;
  const put = (Id: string, extra: Record<string, unknown> = {}, sca = analysis()) =>
    sim.s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket: B, Id, AnalyticsConfiguration: { Id, StorageClassAnalysis: sca, ...extra } }));

  it("an empty Filter, an empty Prefix and a DataExport without its destination bucket are refused as MalformedXML", async () => {
    const malformed = { name: "MalformedXML", status: 400 };
    await expectAwsError(put("empty-filter", { Filter: {} }), malformed);
    await expectAwsError(put("empty-prefix", { Filter: { Prefix: "" } }), malformed);
    await expectAwsError(put("no-destination", {}, analysis({})), malformed);
    expect((await sim.s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: B }))).AnalyticsConfigurationList ?? []).toEqual([]);
  });

  it("required fields only, and a tag-only filter, read back as given; the list is untruncated and ordered by id", async () => {
    await put("id");
    await put("id2", { Filter: { Tag: { Key: "key", Value: "value" } } });
    const c = (await sim.s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: B, Id: "id" }))).AnalyticsConfiguration!;
    expect(c.Filter).toBeUndefined();
    expect(c.StorageClassAnalysis?.DataExport?.OutputSchemaVersion).toBe("V_1");
    expect(c.StorageClassAnalysis?.DataExport?.Destination?.S3BucketDestination).toEqual({ Bucket: ARN, Format: "CSV" });
    const tagged = (await sim.s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: B, Id: "id2" }))).AnalyticsConfiguration!;
    expect(tagged.Filter).toEqual({ Tag: { Key: "key", Value: "value" } });
    const list = await sim.s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: B }));
    expect(list.IsTruncated).toBe(false);
    expect(list.NextContinuationToken).toBeUndefined();
    expect(list.AnalyticsConfigurationList?.map((x) => x.Id)).toEqual(["id", "id2"]);
  });
});

describe("aws-sdk-js-v3 client-s3 e2e", () => {
  it("S3.e2e.spec: an error for a missing upload carries the UploadId element (unmodeled error fields)", async () => {
    const e = await expectAwsError(sim.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: "nonexistent-key", UploadId: "uploadId" })), {
      name: "NoSuchUpload",
      status: 404,
    });
    expect((e as unknown as { UploadId: string }).UploadId).toBe("uploadId");
  });

  it("S3.e2e.spec MultipartUpload: afterEach aborts the completed upload, which answers 204 (twice) and leaves the object; the upload itself is gone", async () => {
    const Key = "completed-then-aborted";
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key }));
    const part = await sim.s3.send(new UploadPartCommand({ Bucket: B, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 7) }));
    await sim.s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key, UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }));
    for (let i = 0; i < 2; i++) expect((await sim.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key, UploadId }))).$metadata.httpStatusCode).toBe(204);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: B, Key }))).ContentLength).toBe(1024);
    await expectAwsError(sim.s3.send(new ListPartsCommand({ Bucket: B, Key, UploadId })), { name: "NoSuchUpload", status: 404 });
    // Another key names no upload of that id.
    await expectAwsError(sim.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: "other", UploadId })), { name: "NoSuchUpload", status: 404 });
  });

  it("S3.ispec selectObjectContent: exactly three events, Records then Stats then End", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: "people.csv", Body: "user_name,age\njsrocks,13\nnode4life,22\nesfuture,29" }));
    const { Payload } = await sim.s3.send(
      new SelectObjectContentCommand({
        Bucket: B,
        Key: "people.csv",
        ExpressionType: "SQL",
        Expression: "SELECT user_name FROM S3Object WHERE cast(age as int) > 20",
        InputSerialization: { CSV: { FileHeaderInfo: "USE", RecordDelimiter: "\n", FieldDelimiter: "," } },
        OutputSerialization: { CSV: {} },
      }),
    );
    const events: SelectObjectContentEventStream[] = [];
    for await (const ev of Payload!) events.push(ev);
    expect(events).toHaveLength(3);
    expect(new TextDecoder().decode(events[0]!.Records?.Payload)).toBe("node4life\nesfuture\n");
    expect(events[1]!.Stats?.Details).toBeDefined();
    expect(events[2]!.End).toBeDefined();
  });
});

describe("aws-sdk-js-v3 lib-storage e2e", () => {
  it("a failed part makes Upload abort the upload: CreateMultipartUpload 200, two UploadPart 200, AbortMultipartUpload 204, then NoSuchUpload", async () => {
    class FailingS3 extends S3Client {
      counter = 0;
      override send(command: any, ...rest: any[]): any {
        if (command?.constructor?.name === "UploadPartCommand" && this.counter++ % 3 === 0) return Promise.reject(new Error("simulated upload part error"));
        return (super.send as any)(command, ...rest);
      }
    }
    const client = new FailingS3(clientConfig(sim.server, { region: "us-west-2", forcePathStyle: true }));
    const log: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const r = await next(args);
        log.push(`${context.commandName} ${(r.output as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode}`);
        return r;
      },
      { name: "requestLog", step: "build", override: true },
    );
    const upload = new Upload({ client, params: { Bucket: B, Key: "fails", Body: Buffer.alloc(20_240_000, 7) } });
    await upload.done().catch(() => undefined);
    await expectAwsError(client.send(new ListPartsCommand({ Bucket: B, Key: "fails", UploadId: upload.uploadId })), {
      name: "NoSuchUpload",
      status: 404,
      message: /aborted or completed\.$/,
    });
    expect(log).toEqual(["CreateMultipartUploadCommand 200", "UploadPartCommand 200", "UploadPartCommand 200", "AbortMultipartUploadCommand 204"]);
  });
});

describe("aws-sdk-go-v2 integrationtest/s3 presign_post_test", () => {
  it("a presigned POST uploads (204); a content-length-range the file misses is refused with 400 EntityTooSmall", async () => {
    const send = async (Key: string, Conditions?: never[]) => {
      const { url, fields } = await createPresignedPost(sim.s3, { Bucket: B, Key, Conditions });
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append("file", new Blob(["sample text\n"]), "sample.txt");
      return fetch(url, { method: "POST", body: form });
    };
    expect((await send("posted")).status).toBe(204);
    const refused = await send("too-small", [["content-length-range", 100000, 200000]] as never[]);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("<Code>EntityTooSmall</Code>");
  });
});

describe("aws-sdk-java-v2 UrlEncodingIntegrationTest", () => {
  it("ListObjectsIntegrationTest: ListObjects (v1) with EncodingType url encodes the Prefix as well as the keys (the Java SDK decodes both)", async () => {
    const prefix = "special-chars-@$%";
    await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: prefix, Body: "x" }));
    const out = await sim.s3.send(new ListObjectsCommand({ Bucket: B, Prefix: prefix, Marker: "aaa", Delimiter: "/", EncodingType: "url" }));
    expect(out.EncodingType).toBe("url");
    expect(out.Prefix).toBe("special-chars-%40%24%25");
    expect(decodeURIComponent(out.Prefix!)).toBe(prefix);
    expect(out.Contents?.map((c) => decodeURIComponent(c.Key!))).toEqual([prefix]);
    expect([out.Marker, out.Delimiter, out.IsTruncated]).toEqual(["aaa", "/", false]);
    // Without an encoding the prefix comes back as given.
    expect((await sim.s3.send(new ListObjectsCommand({ Bucket: B, Prefix: prefix }))).Prefix).toBe(prefix);
  });

  it("ListMultipartUploads with EncodingType url encodes the key and says so", async () => {
    const Key = "filename_@_=_&_?_+_)_.temp";
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key }));
    await sim.s3.send(new UploadPartCommand({ Bucket: B, Key, UploadId, PartNumber: 1, Body: "x".repeat(1000) }));
    const raw = await fetch(`${sim.server.url}/${B}?uploads&encoding-type=url`, {
      headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20250101/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=x" },
    });
    const xml = await raw.text();
    expect(xml).toContain("<EncodingType>url</EncodingType>");
    expect(decodeURIComponent(/<Key>([^<]*)<\/Key>/.exec(xml)![1]!)).toBe(Key);
    await sim.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key, UploadId }));
  });
});

describe("aws-sdk-java-v2 object ITs", () => {
  it("CopySourceIntegrationTest: keys with slashes, emoji, reserved characters and a literal %20 copy by their encoded source, versions too", async () => {
    const encode = (k: string) =>
      k
        .split("/")
        .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
        .join("/");
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: "Enabled" } }));
    for (const key of ["key/with/slashes", "\uD83E\uDEA3", "specialChars/ +!#$&'()*,:;=?@\"", "%20"]) {
      const first = await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: `first ${key}` }));
      await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: `second ${key}` }));
      await sim.s3.send(new CopyObjectCommand({ Bucket: B, Key: `copy/${key}`, CopySource: `${B}/${encode(key)}` }));
      expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: B, Key: `copy/${key}` }))).Body!.transformToString()).toBe(`second ${key}`);
      await sim.s3.send(new CopyObjectCommand({ Bucket: B, Key: `copy/${key}`, CopySource: `${B}/${encode(key)}?versionId=${first.VersionId}` }));
      expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: B, Key: `copy/${key}` }))).Body!.transformToString()).toBe(`first ${key}`);
    }
  });

  it("DeleteObjectsIntegrationTest: keys that look like XML or entities are deleted and named back verbatim", async () => {
    for (const key of ["<Key>objectId</Key>", "&lt;Key&gt;objectId&lt;/Key&gt;", "&lt;<"]) {
      await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: "contents" }));
      const out = await sim.s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: key }] } }));
      expect(out.Deleted?.[0]?.Key).toBe(key);
    }
  });

  it("HttpChecksumIntegrationTest: a CRC32 header of the wrong length is refused; a good one is echoed", async () => {
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: B, Key: "crc", Body: "Hello world", ChecksumCRC32: "i9aeUgg=" })), {
      name: "InvalidRequest",
      status: 400,
      message: "Value for x-amz-checksum-crc32 header is invalid.",
    });
    const put = await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: "crc", Body: "Hello world", ChecksumAlgorithm: "CRC32" }));
    expect(put.ChecksumCRC32).toBe("i9aeUg==");
  });

  it("S3PresignerIntegrationTest: a presigned GET of a key with every reserved character reads the object", async () => {
    const Key = "a0A!-_.*'()&@:,$=+?; \n\\^`<>{}[]#%\"~|山/s3-presigner-it";
    await sim.s3.send(new PutObjectCommand({ Bucket: B, Key, Body: "Howdy!" }));
    const url = await getSignedUrl(sim.s3, new GetObjectCommand({ Bucket: B, Key }), { expiresIn: 300 });
    expect(await (await fetch(url)).text()).toBe("Howdy!");
  });
});

describe("aws-sdk-js-v3 S3TransferManager e2e", () => {
  it("a part download whose object was replaced meanwhile fails with PreconditionFailed (If-Match of the first part's ETag)", async () => {
    const body = Buffer.alloc(11 * 1024 * 1024, 1);
    await new Upload({ client: sim.s3, params: { Bucket: B, Key: "tm", Body: body } }).done();
    const first = await sim.s3.send(new GetObjectCommand({ Bucket: B, Key: "tm", PartNumber: 1 }));
    await first.Body!.transformToByteArray();
    expect(first.PartsCount).toBe(3);
    expect(first.ContentRange).toBe(`bytes 0-${5 * 1024 * 1024 - 1}/${body.length}`);
    await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: "tm", Body: "replaced" }));
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: B, Key: "tm", PartNumber: 2, IfMatch: first.ETag })), {
      name: "PreconditionFailed",
      status: 412,
    });
  });
});

describe("--strict: a request signed for another Region than the bucket's is redirected", () => {
  const strict = useServer({ strict: true });
  const client = (region: string, extra: Record<string, unknown> = {}) => new S3Client(clientConfig(strict.server, { region, forcePathStyle: true, ...extra }));
  const redirected = "sdkit-redirected";
  beforeAll(async () => {
    await client("us-west-2").send(new CreateBucketCommand({ Bucket: redirected, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
  });

  it("aws-sdk-java-v2 ExceptionUnmarshallingIntegrationTest: ListObjectsV2 from eu-central-1 is 301 PermanentRedirect naming the bucket's Region; HeadBucket is 301", async () => {
    const e = await expectAwsError(client("eu-central-1").send(new ListObjectsV2Command({ Bucket: redirected })), {
      name: "PermanentRedirect",
      status: 301,
      message: "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    });
    const err = e as unknown as { Endpoint: string; Bucket: string; $response: { headers: Record<string, string> } };
    expect(err.Endpoint).toBe(`${redirected}.s3.us-west-2.amazonaws.com`);
    expect(err.Bucket).toBe(redirected);
    expect(err.$response.headers["x-amz-bucket-region"]).toBe("us-west-2");
    const head = await client("eu-central-1")
      .send(new HeadBucketCommand({ Bucket: redirected }))
      .catch((x: { $metadata: { httpStatusCode: number }; $response: { headers: Record<string, string> } }) => x);
    expect((head as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(301);
    expect((head as { $response: { headers: Record<string, string> } }).$response.headers["x-amz-bucket-region"]).toBe("us-west-2");
    // GetBucketLocation answers from any Region; an unknown bucket stays NoSuchBucket.
    expect((await client("eu-central-1").send(new GetBucketLocationCommand({ Bucket: redirected }))).LocationConstraint).toBe("us-west-2");
    await expectAwsError(client("eu-central-1").send(new ListObjectsV2Command({ Bucket: "sdkit-nowhere" })), { name: "NoSuchBucket", status: 404 });
  });

  it("a presigned URL of another Region is AuthorizationQueryParametersError naming the bucket's Region (S3's answer to a mis-regioned presigned URL)", async () => {
    const eu = client("eu-central-1");
    await client("us-west-2").send(new PutObjectCommand({ Bucket: redirected, Key: "k", Body: "v" }));
    const res = await fetch(await getSignedUrl(eu, new GetObjectCommand({ Bucket: redirected, Key: "k" })));
    expect(res.status).toBe(400);
    const body = (await res.text()).replace(/&apos;/g, "'");
    expect(body).toContain("<Code>AuthorizationQueryParametersError</Code>");
    expect(body).toContain("<Message>Error parsing the X-Amz-Credential parameter; the region 'eu-central-1' is wrong; expecting 'us-west-2'</Message>");
    expect(body).toContain("<Region>us-west-2</Region>");
    expect(await (await fetch(await getSignedUrl(client("us-west-2"), new GetObjectCommand({ Bucket: redirected, Key: "k" })))).text()).toBe("v");
  });

  it("aws-sdk-js-v3 region-redirect-middleware e2e: clients of three Regions with followRegionRedirects put, get and delete in each other's buckets", async () => {
    const regions = ["us-east-1", "eu-west-1", "us-west-2"];
    const clients = regions.map((r) => client(r, { followRegionRedirects: true }));
    const buckets = regions.map((r) => `sdkit-redirect-${r}`);
    for (const [i, c] of clients.entries()) await c.send(new CreateBucketCommand({ Bucket: buckets[i]! }));
    for (const Bucket of buckets)
      for (const [i, c] of clients.entries()) {
        const Key = `object-from-${regions[i]}-client`;
        await c.send(new PutObjectCommand({ Bucket, Key, Body: "Hello S3 global client!" }));
        expect(await (await c.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString()).toBe("Hello S3 global client!");
        await c.send(new DeleteObjectCommand({ Bucket, Key }));
        await c.send(new HeadBucketCommand({ Bucket }));
      }
  });
});
