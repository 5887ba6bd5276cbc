/**
 * S3 scenarios replayed from moto's test suite where awsim answered otherwise than AWS: each test
 * names where AWS's answer comes from (a moto test run against AWS, the API reference, the model).
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketLoggingCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  RestoreObjectCommand,
  SelectObjectContentCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { beforeEach, describe, expect, it } from "vitest";
import { bunzip2 } from "../../src/services/s3/bzip2.js";
import { clientConfig, expectAwsError, hasBoto3, python, startServer, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
});

/** InvalidArgument's extra fields as S3 writes them, read from the SDK's error object. */
const argument = (e: unknown) => {
  const x = e as { ArgumentName?: string; ArgumentValue?: string };
  return { name: x.ArgumentName, value: x.ArgumentValue };
};

describe("CreateBucket", () => {
  // moto test_create_bucket_with_wrong_location_constraint (aws_verified): a regional endpoint other than
  // us-east-1 calls every other constraint incompatible, us-east-1 included; the global endpoint calls
  // us-east-1 invalid.
  it("names a us-east-1 constraint sent to another region incompatible", async () => {
    const west = new S3Client({ ...clientConfig(sim.server), region: "us-west-2", forcePathStyle: true });
    for (const c of ["us-east-1", "us-east-2", "eu-central-1", "us-gov-east-2"]) {
      await expectAwsError(west.send(new CreateBucketCommand({ Bucket: `wrong-${c}`, CreateBucketConfiguration: { LocationConstraint: c as "us-east-2" } })), {
        name: "IllegalLocationConstraintException",
        status: 400,
        message: `The ${c} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      });
    }
    await expectAwsError(
      sim.s3.send(new CreateBucketCommand({ Bucket: "global", CreateBucketConfiguration: { LocationConstraint: "us-east-1" as "us-east-2" } })),
      {
        name: "InvalidLocationConstraint",
        status: 400,
        message: "The specified location-constraint is not valid",
      },
    );
    await west.send(new CreateBucketCommand({ Bucket: "west", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
  });
});

describe("CompleteMultipartUpload", () => {
  // moto test_idempotent_multipart_upload (aws_verified): a second completion of the same upload is 200
  // with the same ETag, even with If-None-Match: *.
  it("answers a repeated completion of the same upload again", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "key.txt" }));
    const p1 = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "key.txt", UploadId, PartNumber: 1, Body: "first" }));
    const p2 = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "key.txt", UploadId, PartNumber: 2, Body: "second" }));
    const parts = {
      Parts: [
        { ETag: p1.ETag, PartNumber: 1 },
        { ETag: p2.ETag, PartNumber: 2 },
      ],
    };
    const first = await sim.s3.send(new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "key.txt", UploadId, MultipartUpload: parts }));
    const again = await sim.s3.send(new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "key.txt", UploadId, MultipartUpload: parts, IfNoneMatch: "*" }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(again.ETag).toBe(first.ETag);
    expect(again.ETag).toMatch(/-2"$/);
    expect(again.VersionId).toBe(first.VersionId);
    expect(again.Location).toBe(first.Location);
    // Only one object version came of it.
    const got = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "key.txt" }));
    expect(await got.Body!.transformToString()).toBe("firstsecond");
    expect(got.VersionId).toBe(first.VersionId);
    // Another key, or an id that never was, is still NoSuchUpload.
    await expectAwsError(sim.s3.send(new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "other", UploadId, MultipartUpload: parts })), {
      name: "NoSuchUpload",
      status: 404,
    });
  });
});

describe("CopyObject from an archived source", () => {
  // The model's only CopyObject error: ObjectNotInActiveTierError (403), for a GLACIER or DEEP_ARCHIVE source not
  // restored (moto test_s3_copy_object_error_for_glacier_storage_class_not_restored); GetObject stays InvalidObjectState.
  it("is ObjectNotInActiveTierError", async () => {
    for (const StorageClass of ["GLACIER", "DEEP_ARCHIVE"] as const) {
      await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: StorageClass, Body: "cold", StorageClass }));
      await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: `${StorageClass}-copy`, CopySource: `bkt/${StorageClass}` })), {
        name: "ObjectNotInActiveTierError",
        status: 403,
        message: "The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.",
      });
      await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: StorageClass })), { name: "InvalidObjectState", status: 403 });
      // While the restore is in progress the source is still not in the active tier.
      await sim.s3.send(new RestoreObjectCommand({ Bucket: "bkt", Key: StorageClass, RestoreRequest: { Days: 1 } }));
      await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: `${StorageClass}-copy`, CopySource: `bkt/${StorageClass}` })), {
        name: "ObjectNotInActiveTierError",
        status: 403,
      });
    }
  });
});

describe("PutObjectLockConfiguration", () => {
  // moto test_put_object_lock_misconfiguration (aws_verified): no body at all is MissingRequestBodyError, an empty
  // configuration MalformedXML; a versioned bucket created without Object Lock can turn it on.
  it("refuses a request without a body as MissingRequestBodyError", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    const res = await fetch(`${sim.server.url}/bkt?object-lock`, { method: "PUT" });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain("<Code>MissingRequestBodyError</Code>");
    expect(body).toContain("<Message>Request Body is empty</Message>");
    await expectAwsError(sim.s3.send(new PutObjectLockConfigurationCommand({ Bucket: "bkt", ObjectLockConfiguration: {} })), {
      name: "MalformedXML",
      status: 400,
    });
    await sim.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: "bkt",
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } } },
      }),
    );
  });
});

describe("ListParts", () => {
  // moto test_multipart_list_parts_invalid_argument; the wording follows S3's for max-uploads and max-keys.
  it("refuses a negative or out-of-range max-parts and part-number-marker", async () => {
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "k" }));
    const cases: Array<[Record<string, number>, string, string]> = [
      [{ MaxParts: -42 }, "Argument max-parts must be an integer between 0 and 2147483647", "max-parts"],
      [{ PartNumberMarker: -42 }, "Argument part-number-marker must be an integer between 0 and 2147483647", "part-number-marker"],
      [{ MaxParts: 2147483647 + 42 }, "Provided max-parts not an integer or within integer range", "max-parts"],
      [{ PartNumberMarker: 2147483647 + 42 }, "Provided part-number-marker not an integer or within integer range", "part-number-marker"],
    ];
    for (const [args, message, name] of cases) {
      const e = await expectAwsError(sim.s3.send(new ListPartsCommand({ Bucket: "bkt", Key: "k", UploadId, ...args })), {
        name: "InvalidArgument",
        status: 400,
        message,
      });
      expect(argument(e)).toEqual({ name, value: String(Object.values(args)[0]) });
    }
    const ok = await sim.s3.send(new ListPartsCommand({ Bucket: "bkt", Key: "k", UploadId, MaxParts: 0, PartNumberMarker: "2147483647" }));
    expect(ok.PartNumberMarker).toBe("2147483647");
    expect(ok.IsTruncated).toBe(false);
  });
});

describe("PutBucketNotificationConfiguration", () => {
  // AWS's InvalidArgument for a destination in another region than the bucket (as reported in
  // cloud-custodian/cloud-custodian#1720; moto test_put_bucket_notification_errors).
  it("refuses a destination outside the bucket's region", async () => {
    const e = await expectAwsError(
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: "bkt",
          NotificationConfiguration: { QueueConfigurations: [{ QueueArn: "arn:aws:sqs:us-west-2:123456789012:q", Events: ["s3:ObjectCreated:*"] }] },
        }),
      ),
      { name: "InvalidArgument", status: 400, message: "The notification destination service region is not valid for the bucket location constraint" },
    );
    expect(argument(e)).toEqual({ name: "Queue", value: "arn:aws:sqs:us-west-2:123456789012:q" });
    await sim.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "bkt",
        NotificationConfiguration: { TopicConfigurations: [{ TopicArn: "arn:aws:sns:us-east-1:123456789012:t", Events: ["s3:ObjectCreated:*"] }] },
      }),
    );
  });
});

describe("PutPublicAccessBlock", () => {
  // moto test_public_access_block: an empty configuration names no setting (the SDKs send an empty element).
  it("refuses an empty configuration with InvalidRequest", async () => {
    await expectAwsError(sim.s3.send(new PutPublicAccessBlockCommand({ Bucket: "bkt", PublicAccessBlockConfiguration: {} })), {
      name: "InvalidRequest",
      status: 400,
      message: "Must specify at least one configuration.",
    });
    await sim.s3.send(new PutPublicAccessBlockCommand({ Bucket: "bkt", PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    expect((await sim.s3.send(new GetPublicAccessBlockCommand({ Bucket: "bkt" }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });
});

describe("SigV2 presigned URLs", () => {
  // botocore's SigV2 query signer moves x-amz-* headers and Content-Type into the query string (auth.py
  // HmacV1QueryAuth: "We only want to include relevant headers in the query string"): S3 takes them as the
  // request's headers (moto test_presigned_put_url_with_custom_headers).
  it("take x-amz-meta-*, x-amz-tagging and Content-Type from the query string", async () => {
    const url = `${sim.server.url}/bkt/v2.txt?AWSAccessKeyId=test&Signature=sig&Expires=${Math.floor(Date.now() / 1000) + 600}&x-amz-meta-venue=123&x-amz-tagging=a%3Db&content-type=app%2Fsth`;
    const res = await fetch(url, { method: "PUT", body: new TextEncoder().encode("filecontent") });
    expect(res.status).toBe(200);
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "v2.txt" }));
    expect(head.Metadata).toEqual({ venue: "123" });
    expect(head.ContentType).toBe("app/sth");
    expect((await sim.s3.send(new GetObjectTaggingCommand({ Bucket: "bkt", Key: "v2.txt" }))).TagSet).toEqual([{ Key: "a", Value: "b" }]);
  });
});

describe("PutBucketNotificationConfiguration in other partitions", () => {
  // moto test_put_bucket_notification (cn-north-1 / aws-cn): a destination ARN of the bucket's own
  // partition is well formed.
  it("takes an aws-cn topic for a cn-north-1 bucket", async () => {
    const cn = new S3Client({ ...clientConfig(sim.server), region: "cn-north-1", forcePathStyle: true });
    await cn.send(new CreateBucketCommand({ Bucket: "cn-bkt", CreateBucketConfiguration: { LocationConstraint: "cn-north-1" } }));
    const TopicArn = "arn:aws-cn:sns:cn-north-1:123456789012:mytopic";
    await cn.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "cn-bkt",
        NotificationConfiguration: { TopicConfigurations: [{ TopicArn, Events: ["s3:ObjectCreated:*"] }] },
      }),
    );
    const got = await cn.send(new GetBucketNotificationConfigurationCommand({ Bucket: "cn-bkt" }));
    expect(got.TopicConfigurations?.map((t) => t.TopicArn)).toEqual([TopicArn]);
    await expectAwsError(
      cn.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: "cn-bkt",
          NotificationConfiguration: { TopicConfigurations: [{ TopicArn: "arn:nope:sns:cn-north-1:123456789012:t", Events: ["s3:ObjectCreated:*"] }] },
        }),
      ),
      { name: "InvalidArgument", status: 400, message: "The ARN is not well formed" },
    );
  });
});

describe("PutBucketLogging", () => {
  // A permission S3's schema does not know does not validate (moto test_put_bucket_logging); READ_ACP,
  // outside the model's BucketLogsPermission, is taken as AWS's recorded answer shows (s3-parity-objects).
  it("refuses a target grant with an unknown permission as MalformedXML", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: "logs" }));
    const grant = (Permission: string) => ({
      TargetBucket: "logs",
      TargetPrefix: "bkt/",
      TargetGrants: [{ Grantee: { Type: "CanonicalUser" as const, ID: "a".repeat(64) }, Permission: Permission as "READ" }],
    });
    await expectAwsError(sim.s3.send(new PutBucketLoggingCommand({ Bucket: "bkt", BucketLoggingStatus: { LoggingEnabled: grant("NOTAREALPERM") } })), {
      name: "MalformedXML",
      status: 400,
    });
    for (const p of ["WRITE", "READ_ACP"]) await sim.s3.send(new PutBucketLoggingCommand({ Bucket: "bkt", BucketLoggingStatus: { LoggingEnabled: grant(p) } }));
  });
});

describe("DeleteObjects under --enforce-iam", () => {
  // DeleteObjects needs s3:DeleteObject on each key (s3:DeleteObjectVersion for a version), not on the bucket:
  // a denied key is an AccessDenied entry of a 200 result and the others are deleted (moto
  // test_delete_objects_without_access_throws_custom_error; the API reference's DeleteObjects permissions).
  it("authorizes each key and reports the denied ones in Errors", async () => {
    const server = await startServer({ enforceIam: true });
    try {
      const iam = new IAMClient(clientConfig(server));
      const root = new S3Client(clientConfig(server, { forcePathStyle: true }));
      await root.send(new CreateBucketCommand({ Bucket: "locked" }));
      for (const Key of ["a", "b", "keep/c"]) await root.send(new PutObjectCommand({ Bucket: "locked", Key, Body: "x" }));
      await iam.send(new CreateUserCommand({ UserName: "cleaner" }));
      const PolicyDocument = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:DeleteObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::locked", "arn:aws:s3:::locked/*"] },
          { Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::locked/keep/*" },
        ],
      });
      await iam.send(new PutUserPolicyCommand({ UserName: "cleaner", PolicyName: "delete", PolicyDocument }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "cleaner" }));
      const user = new S3Client(
        clientConfig(server, { forcePathStyle: true, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } }),
      );
      const out = await user.send(new DeleteObjectsCommand({ Bucket: "locked", Delete: { Objects: [{ Key: "a" }, { Key: "b" }, { Key: "keep/c" }] } }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.Deleted?.map((d) => d.Key)).toEqual(["a", "b"]);
      expect(out.Errors).toEqual([{ Key: "keep/c", Code: "AccessDenied", Message: "Access Denied" }]);
      const left = await user.send(new ListObjectsV2Command({ Bucket: "locked" }));
      expect(left.Contents?.map((c) => c.Key)).toEqual(["keep/c"]);
      // A version needs s3:DeleteObjectVersion, which the user lacks.
      const v = await user.send(new DeleteObjectsCommand({ Bucket: "locked", Delete: { Objects: [{ Key: "keep/c", VersionId: "null" }] } }));
      expect(v.Errors?.map((e) => e.Code)).toEqual(["AccessDenied"]);
    } finally {
      await server.stop();
    }
  });
});

describe("SelectObjectContent over BZIP2 objects", () => {
  // moto test_bzipped_json / test_bzipped_csv_to_csv (aws_verified): CompressionType BZIP2 input is read.
  // The objects are bzip2 -9 output of "a,b,c\ne,r,f\ny,u,i\nq,w,y" and of a small JSON document.
  const CSV_BZ2 = "QlpoOTFBWSZTWVtNUJUAAAXRgAAQAAQ7IDKgIAAiJ+qaaYT1CAaAOTMdvLXltMhg0HxdyRThQkFtNUJU";
  const JSON_BZ2 = "QlpoOTFBWSZTWeBhMQ4AAB+bgFAEPhAACjMEHgogAFRENGgGENBp6oTyQHqDJRrggVoeK4hgtniXJmSgr9MhaTVLsWVh6uHhy4IN0+LuSKcKEhwMJiHA";
  const records = async (Key: string, Expression: string, input: object, output: object) => {
    const res = await sim.s3.send(
      new SelectObjectContentCommand({
        Bucket: "bkt",
        Key,
        Expression,
        ExpressionType: "SQL",
        InputSerialization: { ...input, CompressionType: "BZIP2" },
        OutputSerialization: output,
      }),
    );
    let text = "";
    for await (const ev of res.Payload!) if (ev.Records?.Payload) text += Buffer.from(ev.Records.Payload).toString();
    return text;
  };
  it("decompresses CSV and JSON", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "csv.bz2", Body: Buffer.from(CSV_BZ2, "base64") }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "json.bz2", Body: Buffer.from(JSON_BZ2, "base64") }));
    expect(await records("csv.bz2", "SELECT count(*) FROM S3Object", { CSV: {} }, { CSV: { RecordDelimiter: "_", FieldDelimiter: ":" } })).toBe("4_");
    expect(await records("csv.bz2", "SELECT * FROM S3Object", { CSV: {} }, { CSV: {} })).toBe("a,b,c\ne,r,f\ny,u,i\nq,w,y\n");
    expect(await records("csv.bz2", "SELECT * FROM S3Object", { CSV: {} }, { CSV: { FieldDelimiter: ":" } })).toBe("a:b:c\ne:r:f\ny:u:i\nq:w:y\n");
    expect(await records("json.bz2", "SELECT count(*) FROM S3Object", { JSON: { Type: "DOCUMENT" } }, { JSON: { RecordDelimiter: "," } })).toBe('{"_1":1},');
    // An object that is not bzip2 is refused as AWS refuses a non-GZIP object read as GZIP.
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "plain.csv", Body: "a,b\n" }));
    await expectAwsError(records("plain.csv", "SELECT * FROM S3Object", { CSV: {} }, { CSV: {} }), {
      name: "InvalidCompressionFormat",
      status: 400,
      message: "BZIP2 is not applicable to the queried object. Please correct the request and try again.",
    });
  });
});

// The decoder against Python's bz2 on data that exercises long runs, every byte value and several blocks.
describe.skipIf(!hasBoto3())("bunzip2", () => {
  it("decodes what Python's bz2 writes, multi-block and concatenated streams included", async () => {
    const script = [
      "import bz2, random, sys, base64",
      "random.seed(3)",
      "raw = bytes(random.getrandbits(8) for _ in range(60000)) + b'x' * 250000 + bytes(random.choice(b'ab,\\n') for _ in range(120000))",
      "z = bz2.compress(raw, 1) + bz2.compress(b'tail', 9)",
      "sys.stdout.write(base64.b64encode(raw + b'tail').decode() + ' ' + base64.b64encode(z).decode())",
    ].join("\n");
    const [raw, z] = (await python(script, [])).split(" ");
    expect(bunzip2(Buffer.from(z!, "base64")).equals(Buffer.from(raw!, "base64"))).toBe(true);
    expect(() => bunzip2(Buffer.from("BZh9 not really"))).toThrow();
  });
});
