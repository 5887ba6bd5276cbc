/**
 * S3 answers that S3-compatible servers' bug trackers quote from real AWS S3 (error XML, status, headers),
 * replayed over raw HTTP: each case names the thread that quotes AWS's answer.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer();

const SIGV4 = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(sim.server.url + path, { method, headers, body });
  const text = await res.text();
  const field = (n: string) => {
    const m = new RegExp(`<${n}>([\\s\\S]*?)</${n}>|<${n}/>`).exec(text);
    return m ? (m[1] ?? "") : undefined;
  };
  return {
    status: res.status,
    headers: res.headers,
    text,
    code: field("Code"),
    message: field("Message")
      ?.replace(/&apos;/g, "'")
      .replace(/&gt;/g, ">")
      .replace(/&lt;/g, "<")
      .replace(/&amp;/g, "&"),
    argName: field("ArgumentName"),
    argValue: field("ArgumentValue"),
    field,
  };
}

async function setup(bucket: string) {
  await call("PUT", `/${bucket}`);
  await call("PUT", `/${bucket}/k`, {}, "hello world");
}

describe("S3 facts quoted from AWS in S3-compatible servers' trackers", () => {
  it("a partNumber without uploadId on PUT is InvalidArgument; PUT with only an uploadId is 405 on the UPLOAD (versitygw#1226, #1236)", async () => {
    await setup("cf-part");
    for (const headers of [{}, { "x-amz-copy-source": "cf-part/k" }] as Array<Record<string, string>>) {
      const r = await call("PUT", "/cf-part/mp?partNumber=1", headers, "x");
      expect([r.status, r.code, r.message, r.argName, r.argValue]).toEqual([
        400,
        "InvalidArgument",
        "This operation does not accept partNumber without uploadId",
        "partNumber",
        "partNumber",
      ]);
    }
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-part/mp?uploads")).text)![1]!;
    const r = await call("PUT", `/cf-part/mp?uploadId=${id}`, {}, "x");
    expect([r.status, r.code, r.field("Method"), r.field("ResourceType")]).toEqual([405, "MethodNotAllowed", "PUT", "UPLOAD"]);
    expect(r.headers.get("allow")).toBe("DELETE, POST, GET");
    // Nothing was written under the key.
    expect((await call("HEAD", "/cf-part/mp")).status).toBe(404);
  });

  it("an empty x-amz-copy-source is an invalid source bucket name, for CopyObject and UploadPartCopy (versitygw#1388, #1390)", async () => {
    await setup("cf-copy");
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-copy/mp?uploads")).text)![1]!;
    for (const path of ["/cf-copy/dst", `/cf-copy/mp?partNumber=1&uploadId=${id}`]) {
      const r = await call("PUT", path, { "x-amz-copy-source": "" });
      expect([r.status, r.code, r.message, r.argName]).toEqual([400, "InvalidArgument", "Invalid copy source bucket name", "x-amz-copy-source"]);
    }
    expect((await call("HEAD", "/cf-copy/dst")).status).toBe(404);
  });

  it("x-amz-copy-source on a request that is not a copy is InvalidArgument (versitygw#1612)", async () => {
    await setup("cf-nocopy");
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-nocopy/mp?uploads")).text)![1]!;
    const cases: Array<[string, string]> = [
      ["GET", "/cf-nocopy/k"],
      ["DELETE", "/cf-nocopy/k"],
      ["GET", "/cf-nocopy"],
      ["PUT", "/cf-nocopy?tagging"],
      ["POST", `/cf-nocopy/mp?uploadId=${id}`],
    ];
    for (const [method, path] of cases) {
      const r = await call(method, path, { "x-amz-copy-source": "cf-nocopy/k" });
      expect([method, path, r.status, r.code, r.message, r.argName]).toEqual([
        method,
        path,
        400,
        "InvalidArgument",
        "You can only specify a copy source header for copy requests.",
        "x-amz-copy-source",
      ]);
    }
    expect((await call("HEAD", "/cf-nocopy/k", { "x-amz-copy-source": "cf-nocopy/k" })).status).toBe(400);
    expect((await call("GET", "/cf-nocopy/k")).text).toBe("hello world");
  });

  it("an empty versionId is InvalidArgument, in the query and in a copy source", async () => {
    await setup("cf-vid");
    for (const [method, path] of [
      ["GET", "/cf-vid/k?versionId="],
      ["DELETE", "/cf-vid/k?versionId="],
      ["GET", "/cf-vid/k?tagging&versionId="],
    ] as const) {
      const r = await call(method, path);
      expect([path, r.status, r.code, r.message, r.argName, r.argValue]).toEqual([
        path,
        400,
        "InvalidArgument",
        "Version id cannot be the empty string",
        "versionId",
        "",
      ]);
    }
    expect((await call("HEAD", "/cf-vid/k?versionId=")).status).toBe(400);
    const r = await call("PUT", "/cf-vid/c", { "x-amz-copy-source": "cf-vid/k?versionId=" });
    expect([r.status, r.code, r.message]).toEqual([400, "InvalidArgument", "Version id cannot be the empty string"]);
    expect((await call("GET", "/cf-vid/k")).text).toBe("hello world");
  });

  it("a SigV4 request's x-amz-content-sha256 must be a payload kind or a sha256 (versitygw#1352)", async () => {
    await setup("cf-sha");
    const r = await call("GET", "/cf-sha/k", { authorization: SIGV4, "x-amz-content-sha256": "GIBBERISH" });
    expect([r.status, r.code, r.argName, r.argValue]).toEqual([400, "InvalidArgument", "x-amz-content-sha256", "GIBBERISH"]);
    expect(r.message).toBe(
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
    );
    for (const ok of ["UNSIGNED-PAYLOAD", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"])
      expect((await call("GET", "/cf-sha/k", { authorization: SIGV4, "x-amz-content-sha256": ok })).status).toBe(200);
  });
});

describe("S3 listing facts quoted from AWS", () => {
  it("an unknown continuation token is InvalidArgument naming the argument but not its value (versitygw#993)", async () => {
    await setup("cf-token");
    const r = await call("GET", "/cf-token?list-type=2&continuation-token=aWrongToken2&max-keys=1");
    expect([r.status, r.code, r.message, r.argName, r.argValue]).toEqual([
      400,
      "InvalidArgument",
      "The continuation token provided is incorrect",
      "continuation-token",
      undefined,
    ]);
  });
});

describe("S3 multipart facts quoted from AWS", () => {
  const complete = (parts: string) => `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`;

  it("CompleteMultipartUpload: a part number below 1 is InvalidArgument, a part without ETag or PartNumber is MalformedXML (versitygw#1072, #2111)", async () => {
    await call("PUT", "/cf-mpu");
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-mpu/mp?uploads")).text)![1]!;
    const etag = (await fetch(`${sim.server.url}/cf-mpu/mp?partNumber=1&uploadId=${id}`, { method: "PUT", body: "part" })).headers.get("etag")!;
    const zero = await call("POST", `/cf-mpu/mp?uploadId=${id}`, {}, complete(`<Part><ETag>${etag}</ETag><PartNumber>0</PartNumber></Part>`));
    expect([zero.status, zero.code, zero.message, zero.argName, zero.argValue]).toEqual([400, "InvalidArgument", "PartNumber must be >= 1", "PartNumber", "0"]);
    for (const part of [`<Part><PartNumber>1</PartNumber></Part>`, `<Part><ETag>${etag}</ETag></Part>`]) {
      const r = await call("POST", `/cf-mpu/mp?uploadId=${id}`, {}, complete(part));
      expect([r.status, r.code]).toEqual([400, "MalformedXML"]);
    }
    const ok = await call("POST", `/cf-mpu/mp?uploadId=${id}`, {}, complete(`<Part><ETag>${etag}</ETag><PartNumber>1</PartNumber></Part>`));
    expect(ok.status).toBe(200);
  });

  it("CompleteMultipartUpload checks x-amz-mp-object-size: not a number, or not the parts' total (versitygw#1398)", async () => {
    await call("PUT", "/cf-mpsize");
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-mpsize/mp?uploads")).text)![1]!;
    const etag = (await fetch(`${sim.server.url}/cf-mpsize/mp?partNumber=1&uploadId=${id}`, { method: "PUT", body: "part" })).headers.get("etag")!;
    const body = complete(`<Part><ETag>${etag}</ETag><PartNumber>1</PartNumber></Part>`);
    const bad = await call("POST", `/cf-mpsize/mp?uploadId=${id}`, { "x-amz-mp-object-size": "size" }, body);
    expect([bad.status, bad.code, bad.message]).toEqual([400, "InvalidRequest", "Value for x-amz-mp-object-size header is invalid: 'size'"]);
    const off = await call("POST", `/cf-mpsize/mp?uploadId=${id}`, { "x-amz-mp-object-size": "5" }, body);
    expect([off.status, off.code, off.message]).toEqual([
      400,
      "InvalidRequest",
      "The provided 'x-amz-mp-object-size' header value 5 does not match what was computed: 4",
    ]);
    expect((await call("POST", `/cf-mpsize/mp?uploadId=${id}`, { "x-amz-mp-object-size": "4" }, body)).status).toBe(200);
    expect((await call("GET", "/cf-mpsize/mp")).text).toBe("part");
  });
});

describe("S3 digest and presigned-URL facts quoted from AWS", () => {
  const tagging = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";

  it("a configuration body's Content-MD5 is checked: InvalidDigest when malformed, BadDigest with both digests when wrong (versitygw#1525, #1526)", async () => {
    await call("PUT", "/cf-md5");
    const invalid = await call("PUT", "/cf-md5?tagging", { "content-md5": "dummy" }, tagging);
    expect([invalid.status, invalid.code, invalid.message, invalid.field("Content-MD5")]).toEqual([
      400,
      "InvalidDigest",
      "The Content-MD5 you specified was invalid.",
      "dummy",
    ]);
    const wrong = await call("PUT", "/cf-md5?tagging", { "content-md5": "YeIr1pjzMg1uk/zgIoa12w==" }, tagging);
    const calculated = createHash("md5").update(tagging).digest("base64");
    expect([wrong.status, wrong.code, wrong.field("CalculatedDigest"), wrong.field("ExpectedDigest")]).toEqual([
      400,
      "BadDigest",
      calculated,
      "YeIr1pjzMg1uk/zgIoa12w==",
    ]);
    expect((await call("GET", "/cf-md5?tagging")).code).toBe("NoSuchTagSet");
    expect((await call("PUT", "/cf-md5?tagging", { "content-md5": calculated }, tagging)).status).toBe(204);
    // A GET's Content-MD5 means nothing to S3 (versitygw#1545).
    expect((await call("GET", "/cf-md5?tagging", { "content-md5": "dummy" })).status).toBe(200);
  });

  it("a presigned URL with a negative X-Amz-Expires is AuthorizationQueryParametersError", async () => {
    await setup("cf-presign");
    const now = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const q = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `test/${now.slice(0, 8)}/us-east-1/s3/aws4_request`,
      "X-Amz-Date": now,
      "X-Amz-Expires": "-1",
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Signature": "0".repeat(64),
    });
    const r = await call("GET", `/cf-presign/k?${q}`);
    expect([r.status, r.code, r.message]).toEqual([400, "AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative"]);
  });
});

describe("S3 bucket facts quoted from AWS", () => {
  it("CreateBucket with an empty LocationConstraint is InvalidLocationConstraint naming it (versitygw#1644)", async () => {
    const body = "<CreateBucketConfiguration><LocationConstraint></LocationConstraint></CreateBucketConfiguration>";
    const r = await call("PUT", "/cf-emptyloc", {}, body);
    expect([r.status, r.code, r.message, r.field("LocationConstraint")]).toEqual([
      400,
      "InvalidLocationConstraint",
      "The specified location-constraint is not valid",
      "",
    ]);
    expect((await call("HEAD", "/cf-emptyloc")).status).toBe(404);
    expect((await call("PUT", "/cf-emptyloc", {}, "<CreateBucketConfiguration></CreateBucketConfiguration>")).status).toBe(200);
  });
});

describe("S3 bucket policy facts quoted from AWS", () => {
  const policy = (statement: Record<string, unknown>, version: string | undefined = "2012-10-17") =>
    JSON.stringify({ ...(version === undefined ? {} : { Version: version }), Statement: [statement] });
  const allow = (extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Principal: "*",
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::cf-policy/*",
    ...extra,
  });

  it("PutBucketPolicy refuses a bad version, a principal that is no account, and an action with no resource of its kind (versitygw#1536, #649, #645)", async () => {
    await call("PUT", "/cf-policy");
    const cases: Array<[string, string]> = [
      [policy(allow(), "invalid policy"), "The policy must contain a valid version string"],
      [policy(allow({ Principal: { AWS: "user" } })), "Invalid principal in policy"],
      [policy(allow({ Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::cf-policy"] })), "Action does not apply to any resource(s) in statement"],
      [policy(allow({ Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::cf-policy/*"] })), "Action does not apply to any resource(s) in statement"],
    ];
    for (const [body, message] of cases) {
      const r = await call("PUT", "/cf-policy?policy", {}, body);
      expect([r.status, r.code, r.message]).toEqual([400, "MalformedPolicy", message]);
    }
    expect((await call("GET", "/cf-policy?policy")).code).toBe("NoSuchBucketPolicy");
    const accepted = [
      policy(allow(), undefined),
      policy(allow({ Principal: { AWS: ["123456789012", "arn:aws:iam::123456789012:root"] } })),
      policy(allow({ Action: ["s3:Get*"] })),
      policy(allow({ Action: ["s3:ListBucket", "s3:GetObject"], Resource: ["arn:aws:s3:::cf-policy", "arn:aws:s3:::cf-policy/*"] })),
    ];
    for (const body of accepted) expect((await call("PUT", "/cf-policy?policy", {}, body)).status).toBe(204);
  });
});

describe("S3 routing facts quoted from AWS", () => {
  it("an uploadId on the bucket path needs a key; it never reaches a bucket operation", async () => {
    await call("PUT", "/cf-nokey");
    for (const method of ["GET", "POST", "DELETE"]) {
      const r = await call(method, "/cf-nokey?uploadId=abc");
      expect([method, r.status, r.code, r.message]).toEqual([method, 400, "InvalidRequest", "A key must be specified"]);
    }
    // The empty bucket is still there (the DELETE was not a DeleteBucket).
    expect((await call("HEAD", "/cf-nokey")).status).toBe(200);
  });

  it("?versions and ?logging on a key are refused (versitygw's direct-to-S3 test)", async () => {
    await setup("cf-keysub");
    const v = await call("GET", "/cf-keysub/k?versions");
    expect([v.status, v.code, v.message]).toEqual([400, "InvalidRequest", "There is no such thing as the ?versions sub-resource for a key"]);
    const u = await call("GET", "/cf-keysub/k?uploads");
    expect([u.status, u.code, u.message]).toEqual([400, "InvalidRequest", "Key is not expected for the GET method ?uploads subresource"]);
    const l = await call("GET", "/cf-keysub/k?logging");
    expect([l.status, l.code, l.message]).toEqual([400, "NoLoggingStatusForKey", "There is no such thing as the ?logging sub-resource for a key"]);
  });

  it("two sub-resources at once are InvalidArgument naming them alphabetically", async () => {
    await setup("cf-conflict");
    const r = await call("GET", "/cf-conflict?versioning&acl");
    expect([r.status, r.code, r.message, r.argName, r.argValue]).toEqual([
      400,
      "InvalidArgument",
      "Conflicting query string parameters: acl, versioning",
      "ResourceType",
      "acl",
    ]);
    const o = await call("GET", "/cf-conflict/k?tagging&acl");
    expect([o.status, o.message]).toEqual([400, "Conflicting query string parameters: acl, tagging"]);
    const u = await call("GET", "/cf-conflict?uploads&versioning");
    expect([u.status, u.message]).toEqual([400, "Conflicting query string parameters: uploads, versioning"]);
  });

  it("a versionId on a write that creates a version, or on a bucket operation, is InvalidArgument; partNumber on the bucket needs a key", async () => {
    await setup("cf-vidwrite");
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-vidwrite/mp?uploads")).text)![1]!;
    const refused: Array<[string, string, Record<string, string>]> = [
      ["PUT", "/cf-vidwrite/k?versionId=abc", {}],
      ["PUT", "/cf-vidwrite/c?versionId=abc", { "x-amz-copy-source": "cf-vidwrite/k" }],
      ["PUT", `/cf-vidwrite/mp?partNumber=1&uploadId=${id}&versionId=abc`, {}],
      ["POST", "/cf-vidwrite/n?uploads&versionId=abc", {}],
      ["GET", "/cf-vidwrite?versionId=abc", {}],
      ["GET", "/cf-vidwrite?versioning&versionId=abc", {}],
      ["DELETE", "/cf-vidwrite?versionId=abc", {}],
    ];
    for (const [method, path, headers] of refused) {
      const r = await call(method, path, headers, method === "PUT" ? "x" : undefined);
      expect([method, path, r.status, r.code, r.message, r.argName, r.argValue]).toEqual([
        method,
        path,
        400,
        "InvalidArgument",
        "This operation does not accept a version-id.",
        "versionId",
        "abc",
      ]);
    }
    const acl = await call("GET", "/cf-vidwrite?acl&versionId=abc");
    expect([acl.status, acl.message]).toEqual([400, "Invalid version id specified"]);
    const part = await call("GET", "/cf-vidwrite?partNumber=1");
    expect([part.status, part.code, part.message]).toEqual([400, "InvalidRequest", "Object must have a valid key name."]);
    // Nothing was written, and the bucket was not deleted.
    expect((await call("GET", "/cf-vidwrite/k")).text).toBe("hello world");
    expect((await call("HEAD", "/cf-vidwrite/c")).status).toBe(404);
  });

  it("a V2 listing parameter on ListObjects, or marker on ListObjectsV2, is InvalidArgument naming it (versitygw's direct-to-S3 test)", async () => {
    await setup("cf-listver");
    const cases: Array<[string, string, string]> = [
      ["/cf-listver?start-after=a", "startAfter only supported in REST.GET.BUCKET with list-type=2", "start-after"],
      ["/cf-listver?continuation-token=x", "continuation-token only supported in REST.GET.BUCKET with list-type=2", "continuation-token"],
      ["/cf-listver?list-type=2&marker=a", "Marker unsupported with REST.GET.BUCKET in list-type=2", "marker"],
      // Refused before the bucket is looked up.
      ["/cf-no-such-bucket?start-after=a", "startAfter only supported in REST.GET.BUCKET with list-type=2", "start-after"],
    ];
    for (const [path, message, name] of cases) {
      const r = await call("GET", path);
      expect([path, r.status, r.code, r.message, r.argName, r.argValue]).toEqual([path, 400, "InvalidArgument", message, name, undefined]);
    }
    expect((await call("GET", "/cf-listver?list-type=2&start-after=a")).status).toBe(200);
    expect((await call("GET", "/cf-listver?marker=a")).status).toBe(200);
  });
});

describe("S3 object lock facts quoted from AWS", () => {
  it("lock headers on a write to a bucket without Object Lock name the ObjectLockConfiguration; the retention calls keep their wording (versitygw#1751)", async () => {
    await setup("cf-nolock");
    const headers = { "x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": "2099-01-01T00:00:00Z" };
    for (const [method, path, extra] of [
      ["PUT", "/cf-nolock/o", {}],
      ["PUT", "/cf-nolock/c", { "x-amz-copy-source": "cf-nolock/k" }],
      ["POST", "/cf-nolock/m?uploads", {}],
    ] as const) {
      const r = await call(method, path, { ...headers, ...extra }, method === "PUT" && !("x-amz-copy-source" in extra) ? "x" : undefined);
      expect([path, r.status, r.code, r.message]).toEqual([path, 400, "InvalidRequest", "Bucket is missing ObjectLockConfiguration"]);
    }
    const retention = "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>";
    const r = await call("PUT", "/cf-nolock/k?retention", {}, retention);
    expect([r.status, r.message]).toEqual([400, "Bucket is missing Object Lock Configuration"]);
  });
});

describe("S3 ListBuckets as the API reference describes it", () => {
  it("names each bucket's BucketRegion only when the request carries one of ListBuckets' parameters", async () => {
    await call("PUT", "/cf-region-a");
    const plain = await call("GET", "/");
    expect(plain.text).toContain("<Name>cf-region-a</Name>");
    expect(plain.text).not.toContain("<BucketRegion>");
    for (const q of ["?max-buckets=100", "?prefix=cf-region", "?bucket-region=us-east-1"]) {
      const r = await call("GET", `/${q}`);
      expect([q, r.text.includes("<BucketRegion>us-east-1</BucketRegion>")]).toEqual([q, true]);
    }
  });
});

describe("S3 range facts recorded from AWS (S3Server's compatibility suite)", () => {
  it("a suffix range of an empty object is a 200 with an empty body; a zero-length suffix and a range past the end are 416", async () => {
    await call("PUT", "/cf-range");
    await call("PUT", "/cf-range/empty", {}, "");
    await call("PUT", "/cf-range/ten", {}, "0123456789");
    const suffix = await call("GET", "/cf-range/empty", { range: "bytes=-3" });
    expect([suffix.status, suffix.text, suffix.headers.get("content-range")]).toEqual([200, "", null]);
    for (const [key, range, size] of [
      ["empty", "bytes=0-0", "0"],
      ["ten", "bytes=-0", "10"],
      ["ten", "bytes=10-", "10"],
    ]) {
      const r = await call("GET", `/cf-range/${key}`, { range });
      expect([range, r.status, r.code, r.field("RangeRequested"), r.field("ActualObjectSize")]).toEqual([range, 416, "InvalidRange", range, size]);
    }
    const whole = await call("GET", "/cf-range/ten", { range: "bytes=-" });
    expect([whole.status, whole.text]).toEqual([200, "0123456789"]);
  });
});

describe("S3 size limits quoted from AWS", () => {
  it("KeyTooLongError names the key's size and the 1024 allowed (versitygw#2080; AWS's answer quoted in basho/riak_cs#1233)", async () => {
    await call("PUT", "/cf-keylen");
    const r = await call("PUT", `/cf-keylen/${"a".repeat(1025)}`, {}, "x");
    expect([r.status, r.code, r.message, r.field("Size"), r.field("MaxSizeAllowed")]).toEqual([400, "KeyTooLongError", "Your key is too long", "1025", "1024"]);
  });

  it("MetadataTooLarge names the metadata's size (names and values) and the 2048 allowed (versitygw#2086)", async () => {
    await call("PUT", "/cf-metalen");
    const r = await call("PUT", "/cf-metalen/k", { "x-amz-meta-big": "a".repeat(2100) }, "x");
    expect([r.status, r.code, r.field("Size"), r.field("MaxSizeAllowed")]).toEqual([400, "MetadataTooLarge", "2103", "2048"]);
  });
});

describe("S3 DeleteObjects facts quoted from AWS", () => {
  it("a DeleteObjects without Content-MD5 or a checksum is InvalidRequest (versitygw#1040); with either it deletes", async () => {
    await setup("cf-delmd5");
    const body = "<Delete><Object><Key>k</Key></Object></Delete>";
    const r = await call("POST", "/cf-delmd5?delete", {}, body);
    expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"]);
    expect((await call("GET", "/cf-delmd5/k")).status).toBe(200);
    const md5 = createHash("md5").update(body).digest("base64");
    const ok = await call("POST", "/cf-delmd5?delete", { "content-md5": md5 }, body);
    expect([ok.status, ok.text.includes("<Deleted><Key>k</Key></Deleted>")]).toEqual([200, true]);
    const again = await call("POST", "/cf-delmd5?delete", { "x-amz-checksum-sha256": createHash("sha256").update(body).digest("base64") }, body);
    expect(again.status).toBe(200);
  });

  it("an empty body is MissingRequestBodyError and an empty Key UserKeyMustBeSpecified", async () => {
    await setup("cf-delbody");
    const md5 = (b: string) => createHash("md5").update(b).digest("base64");
    const none = await call("POST", "/cf-delbody?delete", { "content-md5": md5("") }, "");
    expect([none.status, none.code, none.message]).toEqual([400, "MissingRequestBodyError", "Request Body is empty"]);
    const body = "<Delete><Object><Key></Key></Object></Delete>";
    const emptyKey = await call("POST", "/cf-delbody?delete", { "content-md5": md5(body) }, body);
    expect([emptyKey.status, emptyKey.code, emptyKey.message]).toEqual([400, "UserKeyMustBeSpecified", "User key must be specified."]);
  });
});

// Second sources for these (the first named a measured emulator): gofakes3's s3assumer S300004, run against AWS,
// records the empty version-id marker's error (AWS request and host ids) and that an empty key-marker lists from the
// start; MinIO's error table words maxKeys as here.
describe("S3 listing parameters as recorded from AWS (S3Server's compatibility suite; gofakes3's s3assumer)", () => {
  it("max-keys: each listing words a negative value its own way; empty is the default; past int32 is refused", async () => {
    await setup("cf-maxkeys");
    const v1 = await call("GET", "/cf-maxkeys?max-keys=-1");
    expect([v1.status, v1.code, v1.message, v1.argName, v1.argValue]).toEqual([
      400,
      "InvalidArgument",
      "Argument maxKeys must be an integer between 0 and 2147483647",
      "maxKeys",
      "-1",
    ]);
    const versions = await call("GET", "/cf-maxkeys?versions&max-keys=-1");
    expect([versions.status, versions.message, versions.argName, versions.argValue]).toEqual([400, "max-keys cannot be negative", "max-keys", undefined]);
    const huge = await call("GET", "/cf-maxkeys?max-keys=99999999999");
    expect([huge.status, huge.argName, huge.argValue]).toEqual([400, "max-keys", "99999999999"]);
    const empty = await call("GET", "/cf-maxkeys?max-keys=");
    expect([empty.status, empty.field("MaxKeys")]).toEqual([200, "1000"]);
  });

  it("encoding-type=url writes keys as S3 does: space as +, * kept, !'()~ escaped", async () => {
    await call("PUT", "/cf-enc");
    await call("PUT", `/cf-enc/${encodeURIComponent("a b*c!d'e(f)g~h.txt")}`, {}, "x");
    const r = await call("GET", "/cf-enc?encoding-type=url");
    expect(r.field("Key")).toBe("a+b*c%21d%27e%28f%29g%7Eh.txt");
  });

  it("ListObjectVersions refuses an empty or unknown version-id-marker; an empty key-marker is still a key-marker", async () => {
    await setup("cf-vmarker");
    const empty = await call("GET", "/cf-vmarker?versions&key-marker=k&version-id-marker=");
    expect([empty.status, empty.message, empty.argName, empty.argValue]).toEqual([400, "A version-id marker cannot be empty.", "version-id-marker", ""]);
    const bad = await call("GET", "/cf-vmarker?versions&key-marker=k&version-id-marker=abc");
    expect([bad.status, bad.message, bad.argName, bad.argValue]).toEqual([400, "Invalid version id specified", "version-id-marker", "abc"]);
    expect((await call("GET", "/cf-vmarker?versions&key-marker=&version-id-marker=null")).status).toBe(200);
    expect((await call("GET", "/cf-vmarker?versions&key-marker=k&version-id-marker=null")).status).toBe(200);
  });
});

describe("S3 Authorization header forms quoted from AWS", () => {
  it("an unknown scheme, a SigV2 header without its one space, and a header beside query authentication are InvalidArgument (versitygw#1512)", async () => {
    await setup("cf-authform");
    const unknown = "AWS4-HMAC-SHA25 Credential=test/20250902/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00";
    const r = await call("GET", "/cf-authform/k", { authorization: unknown });
    expect([r.status, r.code, r.message, r.argName, r.argValue]).toEqual([400, "InvalidArgument", "Unsupported Authorization Type", "Authorization", unknown]);
    const v2 = await call("GET", "/cf-authform/k", { authorization: "AWS  key:sig" });
    expect([v2.status, v2.message]).toEqual([400, "Authorization header is invalid -- one and only one ' ' (space) required"]);
    const both = await call("GET", "/cf-authform/k?X-Amz-Algorithm=AWS4-HMAC-SHA256", { authorization: SIGV4 });
    expect([both.status, both.code, both.argName]).toEqual([400, "InvalidArgument", "Authorization"]);
    expect(both.message).toMatch(/^Only one auth mechanism allowed/);
    expect((await call("GET", "/cf-authform/k", { authorization: SIGV4 })).status).toBe(200);
    expect((await call("GET", "/cf-authform/k", { authorization: "AWS key:sig" })).status).toBe(200);
  });
});

describe("S3 object read facts quoted from AWS", () => {
  it("GetObjectAttributes without x-amz-object-attributes is InvalidRequest (versitygw#915); unreadable x-amz-max-parts is ignored (versitygw#1806)", async () => {
    await setup("cf-attrs");
    const r = await call("GET", "/cf-attrs/k?attributes");
    expect([r.status, r.code, r.message, r.argName]).toEqual([
      400,
      "InvalidRequest",
      "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty",
      undefined,
    ]);
    const ok = await call("GET", "/cf-attrs/k?attributes", { "x-amz-object-attributes": "ObjectSize", "x-amz-max-parts": "abc" });
    expect([ok.status, ok.field("ObjectSize")]).toEqual([200, "11"]);
  });

  it("an x-amz-checksum-mode other than ENABLED is InvalidRequest; the methods the service root refuses name Allow: GET", async () => {
    await setup("cf-cmode");
    const r = await call("GET", "/cf-cmode/k", { "x-amz-checksum-mode": "bogus" });
    expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", "Value for x-amz-checksum-mode header is invalid."]);
    expect((await call("GET", "/cf-cmode/k", { "x-amz-checksum-mode": "enabled" })).status).toBe(200);
    const root = await call("POST", "/");
    expect([root.status, root.headers.get("allow"), root.field("ResourceType")]).toEqual([405, "GET", "SERVICE"]);
  });
});

describe("S3 checksum header names quoted from AWS", () => {
  it("an x-amz-checksum-* header naming no algorithm is InvalidRequest (versitygw#1104)", async () => {
    await call("PUT", "/cf-cksum");
    const r = await call("PUT", "/cf-cksum/o", { "x-amz-checksum-sha256a": "dummy" }, "x");
    expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", "The algorithm type you specified in x-amz-checksum- header is invalid."]);
    expect((await call("HEAD", "/cf-cksum/o")).status).toBe(404);
    expect((await call("PUT", "/cf-cksum/o", { "x-amz-checksum-type": "FULL_OBJECT" }, "x")).status).toBe(200);
  });

  it("two checksum headers are refused even when empty (versitygw#1188); a lone empty one is an invalid value", async () => {
    await call("PUT", "/cf-cksum2");
    const id = /<UploadId>(.*?)<\/UploadId>/.exec((await call("POST", "/cf-cksum2/mp?uploads")).text)![1]!;
    const two = await call("PUT", `/cf-cksum2/mp?uploadId=${id}&partNumber=1`, { "x-amz-checksum-sha1": "", "x-amz-checksum-crc32": "" }, "x");
    expect([two.status, two.code, two.message]).toEqual([
      400,
      "InvalidRequest",
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    ]);
    const empty = await call("PUT", "/cf-cksum2/o", { "x-amz-checksum-crc32": "" }, "x");
    expect([empty.status, empty.message]).toEqual([400, "Value for x-amz-checksum-crc32 header is invalid."]);
  });
});

describe("S3 tag limits quoted from AWS", () => {
  it("more than 10 object tags is BadRequest 'Object tags cannot be greater than 10' (boto/boto3#1213)", async () => {
    await setup("cf-tags");
    const tags = Array.from({ length: 11 }, (_, i) => `<Tag><Key>k${i}</Key><Value>v</Value></Tag>`).join("");
    const r = await call("PUT", "/cf-tags/k?tagging", {}, `<Tagging><TagSet>${tags}</TagSet></Tagging>`);
    expect([r.status, r.code, r.message]).toEqual([400, "BadRequest", "Object tags cannot be greater than 10"]);
    const put = await call("PUT", "/cf-tags/k2", { "x-amz-tagging": Array.from({ length: 11 }, (_, i) => `k${i}=v`).join("&") }, "x");
    expect([put.status, put.code]).toEqual([400, "BadRequest"]);
  });
});

describe("S3 multipart checksum settings as AWS words its refusals (OpenStack Swift's s3api suite, run against AWS)", () => {
  it("CreateMultipartUpload refuses a type without an algorithm, an unknown type, and the pairings S3 does not take", async () => {
    await call("PUT", "/cf-mpck");
    const cases: Array<[Record<string, string>, string]> = [
      [{ "x-amz-checksum-type": "FULL_OBJECT" }, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header."],
      [{ "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "BADCHECKSUM" }, "Value for x-amz-checksum-type header is invalid."],
      [
        { "x-amz-checksum-algorithm": "SHA256", "x-amz-checksum-type": "FULL_OBJECT" },
        "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.",
      ],
      [
        { "x-amz-checksum-algorithm": "CRC64NVME", "x-amz-checksum-type": "COMPOSITE" },
        "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.",
      ],
    ];
    for (const [headers, message] of cases) {
      const r = await call("POST", "/cf-mpck/mp?uploads", headers);
      expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", message]);
    }
    expect((await call("POST", "/cf-mpck/mp?uploads", { "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "FULL_OBJECT" })).status).toBe(200);
  });
});

describe("S3 CompleteMultipartUpload checksum refusals as AWS words them (OpenStack Swift's s3api suite, run against AWS)", () => {
  it("a part checksum that is no digest's base64 is InvalidArgument naming it; a malformed whole-object header is InvalidRequest", async () => {
    await call("PUT", "/cf-mpdone");
    const uploadId = (await call("POST", "/cf-mpdone/mp?uploads", { "x-amz-checksum-algorithm": "CRC32" })).field("UploadId")!;
    // CRC32 of 'hello world' is DUoRhQ==; DUoRhR== decodes to the same bytes but is not canonical base64.
    const part = await call("PUT", `/cf-mpdone/mp?partNumber=1&uploadId=${uploadId}`, { "x-amz-checksum-crc32": "DUoRhQ==" }, "hello world");
    expect(part.status).toBe(200);
    const etag = part.headers.get("etag")!;
    const doc = (sum: string) =>
      `<CompleteMultipartUpload><Part><ETag>${etag}</ETag><PartNumber>1</PartNumber><ChecksumCRC32>${sum}</ChecksumCRC32></Part></CompleteMultipartUpload>`;
    const bad = await call("POST", `/cf-mpdone/mp?uploadId=${uploadId}`, {}, doc("DUoRhR=="));
    expect([bad.status, bad.code, bad.message, bad.argName, bad.argValue]).toEqual([
      400,
      "InvalidArgument",
      "Invalid Base64 or multiple checksums present in request",
      "Checksum",
      "CRC32:DUoRhR==;",
    ]);
    for (const value of ["DUoRhR==", "AAAAAA==-a"]) {
      const r = await call("POST", `/cf-mpdone/mp?uploadId=${uploadId}`, { "x-amz-checksum-crc32": value }, doc("DUoRhQ=="));
      expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", "Value for x-amz-checksum-crc32 header is invalid."]);
    }
    const wrong = await call("POST", `/cf-mpdone/mp?uploadId=${uploadId}`, { "x-amz-checksum-crc32": "AAAAAA==-1" }, doc("DUoRhQ=="));
    expect([wrong.status, wrong.code, wrong.message]).toEqual([400, "BadDigest", "The crc32 you specified did not match the calculated checksum."]);
    expect((await call("POST", `/cf-mpdone/mp?uploadId=${uploadId}`, {}, doc("DUoRhQ=="))).status).toBe(200);
  });
});

describe("S3 CreateMultipartUpload algorithm list (OpenStack Swift's s3api suite, run against AWS)", () => {
  it("several algorithms in x-amz-checksum-algorithm are 'Invalid types are specified in x-amz-checksum-algorithm header.'", async () => {
    await call("PUT", "/cf-mpalg");
    const r = await call("POST", "/cf-mpalg/mp?uploads", { "x-amz-checksum-algorithm": "CRC32,CRC32C" });
    expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", "Invalid types are specified in x-amz-checksum-algorithm header."]);
  });
});

describe("S3 CompleteMultipartUpload part checksums of another algorithm (OpenStack Swift's s3api suite, run against AWS)", () => {
  it("several checksums for one part are InvalidArgument listing them; another algorithm's checksum is BadDigest naming the part", async () => {
    await call("PUT", "/cf-mpmix");
    const uploadId = (await call("POST", "/cf-mpmix/mp?uploads", { "x-amz-checksum-algorithm": "CRC32" })).field("UploadId")!;
    const etags: string[] = [];
    for (const n of [1, 2]) {
      const part = await call("PUT", `/cf-mpmix/mp?partNumber=${n}&uploadId=${uploadId}`, { "x-amz-checksum-crc32": "DUoRhQ==" }, "hello world");
      etags.push(part.headers.get("etag")!);
    }
    const sha1 = createHash("sha1").update("hello world").digest("base64");
    const doc = (second: string) =>
      `<CompleteMultipartUpload><Part><ETag>${etags[0]}</ETag><PartNumber>1</PartNumber><ChecksumCRC32>DUoRhQ==</ChecksumCRC32></Part>` +
      `<Part><ETag>${etags[1]}</ETag><PartNumber>2</PartNumber>${second}</Part></CompleteMultipartUpload>`;
    const multi = await call(
      "POST",
      `/cf-mpmix/mp?uploadId=${uploadId}`,
      {},
      doc(`<ChecksumCRC32>DUoRhQ==</ChecksumCRC32><ChecksumSHA1>${sha1}</ChecksumSHA1>`),
    );
    expect([multi.status, multi.code, multi.message, multi.argName, multi.argValue]).toEqual([
      400,
      "InvalidArgument",
      "Invalid Base64 or multiple checksums present in request",
      "Checksum",
      `CRC32:DUoRhQ==;SHA1:${sha1};`,
    ]);
    const other = await call("POST", `/cf-mpmix/mp?uploadId=${uploadId}`, {}, doc(`<ChecksumSHA1>${sha1}</ChecksumSHA1>`));
    expect([other.status, other.code, other.message]).toEqual([400, "BadDigest", "The sha1 you specified for part 2 did not match what we received."]);
    expect((await call("POST", `/cf-mpmix/mp?uploadId=${uploadId}`, {}, doc("<ChecksumCRC32>DUoRhQ==</ChecksumCRC32>"))).status).toBe(200);
  });
});

describe("S3 upload digests and trailers as AWS answers them (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const md5 = (s: string) => createHash("md5").update(s).digest("base64");
  const crc = "DUoRhQ=="; // CRC32 of 'hello world'

  it("x-amz-content-sha256 is compared case-insensitively, and its mismatch trumps a bad Content-MD5 or checksum", async () => {
    await call("PUT", "/cf-digest");
    expect((await call("PUT", "/cf-digest/o", { "x-amz-content-sha256": sha("hello world").toUpperCase() }, "hello world")).status).toBe(200);
    const upper = await call("PUT", "/cf-digest/o", { "x-amz-content-sha256": sha("").toUpperCase() }, "hello world");
    expect([upper.status, upper.code, upper.field("ClientComputedContentSHA256"), upper.field("S3ComputedContentSHA256")]).toEqual([
      400,
      "XAmzContentSHA256Mismatch",
      sha("").toUpperCase(),
      sha("hello world"),
    ]);
    // Without SigV4 a value naming no payload mode is simply a mismatch.
    const lower = await call("PUT", "/cf-digest/o", { "x-amz-content-sha256": "unsigned-payload" }, "hello world");
    expect([lower.code, lower.field("ClientComputedContentSHA256")]).toEqual(["XAmzContentSHA256Mismatch", "unsigned-payload"]);
    const both = await call(
      "PUT",
      "/cf-digest/o",
      { "content-md5": md5(""), "x-amz-content-sha256": sha("x"), "x-amz-checksum-crc32": "AAAAAA==" },
      "hello world",
    );
    expect(both.code).toBe("XAmzContentSHA256Mismatch");
    // A malformed Content-MD5 is still refused first.
    expect((await call("PUT", "/cf-digest/o", { "content-md5": "invalid", "x-amz-content-sha256": "invalid" }, "hello world")).code).toBe("InvalidDigest");
  });

  it("x-amz-trailer needs a streaming payload and is the only checksum named", async () => {
    await call("PUT", "/cf-trailer");
    const h = { "x-amz-content-sha256": sha("hello world"), "x-amz-sdk-checksum-algorithm": "CRC32" };
    const notStreaming = await call("PUT", "/cf-trailer/o", { ...h, "x-amz-trailer": "x-amz-checksum-crc32" }, "hello world");
    expect([notStreaming.status, notStreaming.code, notStreaming.message]).toEqual([
      400,
      "MalformedTrailerError",
      "The request contained trailing data that was not well-formed or did not conform to our published schema.",
    ]);
    const withHeader = await call("PUT", "/cf-trailer/o", { ...h, "x-amz-checksum-crc32": crc, "x-amz-trailer": "x-amz-checksum-crc32c" }, "hello world");
    expect([withHeader.status, withHeader.code, withHeader.message]).toEqual([400, "InvalidRequest", "Expecting a single x-amz-checksum- header"]);
    const two = await call(
      "PUT",
      "/cf-trailer/o",
      { ...h, "x-amz-checksum-crc32": crc, "x-amz-trailer": "x-amz-checksum-crc32, x-amz-checksum-crc32" },
      "hello world",
    );
    expect([two.status, two.message]).toEqual([400, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."]);
  });
});

describe("S3 request-document digests (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  it("DeleteObjects checks x-amz-content-sha256 and the checksum header against its document; CompleteMultipartUpload's checksum names the object", async () => {
    await setup("cf-docdigest");
    const doc = "<Delete><Object><Key>k</Key></Object></Delete>";
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    const md5 = createHash("md5").update(doc).digest("base64");
    const badSha = await call("POST", "/cf-docdigest?delete", { "content-md5": md5, "x-amz-content-sha256": sha("x") }, doc);
    expect([badSha.status, badSha.code, badSha.field("S3ComputedContentSHA256")]).toEqual([400, "XAmzContentSHA256Mismatch", sha(doc)]);
    const badCrc = await call("POST", "/cf-docdigest?delete", { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-checksum-crc32": "AAAAAA==" }, doc);
    expect([badCrc.status, badCrc.code, badCrc.message]).toEqual([400, "BadDigest", "The CRC32 you specified did not match the calculated checksum."]);
    expect((await call("POST", "/cf-docdigest?delete", { "content-md5": md5, "x-amz-content-sha256": sha(doc) }, doc)).status).toBe(200);
    const uploadId = (await call("POST", "/cf-docdigest/mp?uploads")).field("UploadId")!;
    const etag = (await call("PUT", `/cf-docdigest/mp?partNumber=1&uploadId=${uploadId}`, {}, "x")).headers.get("etag")!;
    const done = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    expect((await call("POST", `/cf-docdigest/mp?uploadId=${uploadId}`, { "x-amz-checksum-crc32": "AAAAAA==" }, done)).status).toBe(200);
  });
});

describe("S3 aws-chunked trailers as AWS answers them (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  const body = "0123456789abcdef";
  const crc = (s: string) => {
    let c = ~0;
    for (const b of Buffer.from(s)) {
      c ^= b;
      for (let i = 0; i < 8; i++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return Buffer.from([(~c >>> 24) & 255, (~c >>> 16) & 255, (~c >>> 8) & 255, ~c & 255]).toString("base64");
  };
  const chunked = (trailers: string) => `${body.length.toString(16)}\r\n${body}\r\n0\r\n${trailers}`;
  const put = (trailer: string, trailers: string) =>
    call(
      "PUT",
      "/cf-chunked/o",
      {
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": String(body.length),
        "x-amz-trailer": trailer,
      },
      chunked(trailers),
    );

  it("x-amz-trailer names one supported checksum (trailing commas aside); the declared trailer must arrive alone and well-formed", async () => {
    await call("PUT", "/cf-chunked");
    const good = `x-amz-checksum-crc32: ${crc(body)}\r\n`;
    for (const trailer of ["x-amz-checksum-crc32", "x-amz-checksum-crc32,,", "x-amz-checksum-crc32, "]) expect((await put(trailer, good)).status).toBe(200);
    for (const trailer of [
      ", x-amz-checksum-crc32",
      "x-amz-checksum-crc32, ,",
      "x-amz-checksum-bad",
      "x-amz-checksum-crc32, x-amz-foo",
      "x-amz-content-sha256",
    ]) {
      const r = await put(trailer, good);
      expect([trailer, r.status, r.code, r.message]).toEqual([
        trailer,
        400,
        "InvalidRequest",
        "The value specified in the x-amz-trailer header is not supported",
      ]);
    }
    for (const [trailer, sent] of [
      ["x-amz-checksum-crc32", ""],
      ["x-amz-checksum-crc32c", good],
      ["x-amz-checksum-crc32", `${good}bonus: trailer\r\n`],
    ] as const)
      expect((await put(trailer, sent)).code).toBe("MalformedTrailerError");
    const invalid = await put("x-amz-checksum-crc32", "x-amz-checksum-crc32: not-base-64\r\n");
    expect([invalid.status, invalid.code, invalid.message]).toEqual([400, "InvalidRequest", "Value for x-amz-checksum-crc32 trailing header is invalid."]);
    expect(invalid.text).not.toContain("not-base-64");
  });
});

describe("S3 aws-chunked framing errors and stored encodings (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  const body = "0123456789abcdef0123456789abcdef";
  const chunks = (...parts: string[]) => parts.map((p) => `${p.length.toString(16)}\r\n${p}\r\n`).join("");
  const put = (data: string, encoding = "aws-chunked") =>
    call(
      "PUT",
      "/cf-frame/o",
      {
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "content-encoding": encoding,
        "x-amz-decoded-content-length": String(body.length),
      },
      data,
    );

  it("a body of another length names both counts; one cut short only terminated unexpectedly; aws-chunked leaves Content-Encoding", async () => {
    await call("PUT", "/cf-frame");
    const short = await put(chunks(body.slice(0, 4), "", body.slice(4), ""));
    expect([short.status, short.code, short.field("NumberBytesExpected"), short.field("NumberBytesProvided")]).toEqual([400, "IncompleteBody", "32", "4"]);
    expect(short.message).toBe("You did not provide the number of bytes specified by the Content-Length HTTP header");
    const long = await put(chunks(body + body, ""));
    expect([long.field("NumberBytesExpected"), long.field("NumberBytesProvided")]).toEqual(["32", "64"]);
    const cut = await put(chunks(body));
    expect([cut.status, cut.code, cut.message, cut.field("NumberBytesExpected")]).toEqual([
      400,
      "IncompleteBody",
      "The request body terminated unexpectedly",
      undefined,
    ]);
    expect((await put(chunks(body, ""), "foo, aws-chunked, bar")).status).toBe(200);
    expect((await call("HEAD", "/cf-frame/o")).headers.get("content-encoding")).toBe("foo, bar");
  });
});

describe("S3 signed aws-chunked chunk sizes (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  it("a data chunk under 8 KiB followed by another is 403 InvalidChunkSizeError naming the next chunk and the small size", async () => {
    await call("PUT", "/cf-chunksize");
    const frame = (sizes: number[]) => [...sizes, 0].map((n) => `${n.toString(16)};chunk-signature=${"0".repeat(64)}\r\n${"x".repeat(n)}\r\n`).join("");
    const put = (sizes: number[]) =>
      call(
        "PUT",
        "/cf-chunksize/o",
        {
          "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
          "content-encoding": "aws-chunked",
          "x-amz-decoded-content-length": String(sizes.reduce((a, b) => a + b, 0)),
        },
        frame(sizes),
      );
    const small = await put([1024, 4096, 3072]);
    expect([small.status, small.code, small.message, small.field("Chunk"), small.field("BadChunkSize")]).toEqual([
      403,
      "InvalidChunkSizeError",
      "Only the last chunk is allowed to have a size less than 8192 bytes",
      "2",
      "1024",
    ]);
    expect((await put([8192, 100])).status).toBe(200);
  });
});

describe("S3 repeated CompleteMultipartUpload (OpenStack Swift's s3api conditional-write suite, run against AWS)", () => {
  it("a completed upload completes again with the same parts only; another list is NoSuchUpload", async () => {
    await call("PUT", "/cf-recomplete");
    const uploadId = (await call("POST", "/cf-recomplete/mp?uploads")).field("UploadId")!;
    const etags: string[] = [];
    for (const n of [1, 2, 3]) etags.push((await call("PUT", `/cf-recomplete/mp?partNumber=${n}&uploadId=${uploadId}`, {}, "x")).headers.get("etag")!);
    const doc = (count: number) =>
      `<CompleteMultipartUpload>${etags
        .slice(0, count)
        .map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`)
        .join("")}</CompleteMultipartUpload>`;
    const first = await call("POST", `/cf-recomplete/mp?uploadId=${uploadId}`, { "if-none-match": "*" }, doc(2));
    expect(first.status).toBe(200);
    for (const count of [3, 1]) {
      const r = await call("POST", `/cf-recomplete/mp?uploadId=${uploadId}`, { "if-none-match": "*" }, doc(count));
      expect([r.status, r.code]).toEqual([404, "NoSuchUpload"]);
    }
    const again = await call("POST", `/cf-recomplete/mp?uploadId=${uploadId}`, { "if-none-match": "*" }, doc(2));
    expect([again.status, again.field("ETag")]).toEqual([200, first.field("ETag")]);
  });
});

describe("S3 multipart object dates (OpenStack Swift's s3api MPU suite, run against AWS)", () => {
  it("the completed object's Last-Modified is the upload's initiation, not its completion", async () => {
    await call("PUT", "/cf-mpdate");
    const uploadId = (await call("POST", "/cf-mpdate/mp?uploads")).field("UploadId")!;
    const initiated = (await call("GET", "/cf-mpdate?uploads")).field("Initiated")!;
    const etag = (await call("PUT", `/cf-mpdate/mp?partNumber=1&uploadId=${uploadId}`, {}, "x")).headers.get("etag")!;
    await new Promise((r) => setTimeout(r, 1100));
    const done = await call(
      "POST",
      `/cf-mpdate/mp?uploadId=${uploadId}`,
      {},
      `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`,
    );
    expect(done.status).toBe(200);
    const head = await call("HEAD", "/cf-mpdate/mp");
    expect(new Date(head.headers.get("last-modified")!).getTime()).toBe(new Date(initiated).getTime());
  });
});

describe("S3 partNumber reads (OpenStack Swift's s3api MPU suite, run against AWS)", () => {
  it("a Range beside partNumber is refused before the part number is judged", async () => {
    await setup("cf-partread");
    for (const n of ["1", "0"]) {
      const r = await call("GET", `/cf-partread/k?partNumber=${n}`, { range: "bytes=1-2" });
      expect([r.status, r.code, r.message]).toEqual([400, "InvalidRequest", "Cannot specify both Range header and partNumber query parameter"]);
    }
    const far = await call("GET", "/cf-partread/k?partNumber=4");
    expect([far.status, far.code, far.message]).toEqual([416, "InvalidPartNumber", "The requested partnumber is not satisfiable"]);
  });
});

describe("S3 CompleteMultipartUpload with empty ETags (OpenStack Swift's s3api MPU suite, run against AWS)", () => {
  it("an empty ETag matches no part: InvalidPart naming the upload and part", async () => {
    await call("PUT", "/cf-emptyetag");
    const uploadId = (await call("POST", "/cf-emptyetag/mp?uploads")).field("UploadId")!;
    for (const n of [1, 2]) await call("PUT", `/cf-emptyetag/mp?partNumber=${n}&uploadId=${uploadId}`, {}, "x");
    const r = await call(
      "POST",
      `/cf-emptyetag/mp?uploadId=${uploadId}`,
      {},
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag></ETag></Part><Part><PartNumber>2</PartNumber><ETag></ETag></Part></CompleteMultipartUpload>",
    );
    expect([r.status, r.code, r.field("UploadId"), r.field("PartNumber")]).toEqual([400, "InvalidPart", uploadId, "1"]);
  });
});

describe("S3 Content-Encoding aws-chunked on a plain payload (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  it("a body declared by its SHA-256 is taken as sent, and the object keeps Content-Encoding: aws-chunked", async () => {
    await call("PUT", "/cf-plainchunk");
    const body = "0123456789abcdef";
    const sha = createHash("sha256").update(body).digest("hex");
    const put = await call("PUT", "/cf-plainchunk/o", { "x-amz-content-sha256": sha, "content-encoding": "aws-chunked" }, body);
    expect(put.status).toBe(200);
    const got = await call("GET", "/cf-plainchunk/o");
    expect([got.text, got.headers.get("content-encoding")]).toEqual([body, "aws-chunked"]);
  });
});

describe("S3 streaming payloads need their decoded length (OpenStack Swift's s3api input-error suite, run against AWS)", () => {
  it("a STREAMING-* payload without a numeric x-amz-decoded-content-length is 411 MissingContentLength", async () => {
    await call("PUT", "/cf-decoded");
    const body = "10\r\n0123456789abcdef\r\n0\r\n\r\n";
    for (const extra of [{}, { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "not an int" }] as Array<Record<string, string>>) {
      const r = await call("PUT", "/cf-decoded/o", { "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", ...extra }, body);
      expect([r.status, r.code, r.message]).toEqual([411, "MissingContentLength", "You must provide the Content-Length HTTP header."]);
    }
  });
});
