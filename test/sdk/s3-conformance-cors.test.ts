/** S3 CORS as the conformance suites check it: PutBucketCors validation, OPTIONS preflights and the Access-Control-* headers of actual requests. */
import {
  CreateBucketCommand,
  CreateBucketMetadataConfigurationCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** A request as a browser sends it: unsigned, with Origin (and the preflight's Access-Control-Request-* headers). */
async function cors(method: string, path: string, headers: Record<string, string>) {
  const r = await fetch(`${sim.server.url}${path}`, { method, headers });
  const body = await r.text();
  const h = (n: string) => r.headers.get(n) ?? undefined;
  return {
    status: r.status,
    body,
    origin: h("access-control-allow-origin"),
    methods: h("access-control-allow-methods"),
    allowHeaders: h("access-control-allow-headers"),
    expose: h("access-control-expose-headers"),
    maxAge: h("access-control-max-age"),
    credentials: h("access-control-allow-credentials"),
    vary: h("vary"),
  };
}
const preflight = (path: string, origin: string, method: string, requestHeaders?: string) =>
  cors("OPTIONS", path, {
    Origin: origin,
    "Access-Control-Request-Method": method,
    ...(requestHeaders ? { "Access-Control-Request-Headers": requestHeaders } : {}),
  });

// The rule set of the classic s3-tests CORS cases: the first rule matching origin, method and headers wins.
const RULES = [
  { AllowedMethods: ["PUT", "DELETE"], AllowedOrigins: ["http://www.example1.com"], AllowedHeaders: ["*"] },
  { AllowedMethods: ["GET"], AllowedOrigins: ["*"], AllowedHeaders: ["x-amz-meta-header1"] },
  { AllowedMethods: ["DELETE"], AllowedOrigins: ["http://www.example2.com", "http://*.example3.com"] },
  {
    AllowedMethods: ["PUT", "POST"],
    AllowedOrigins: ["https://app.example.org"],
    AllowedHeaders: ["x-amz-*", "Content-Type"],
    ExposeHeaders: ["ETag", "x-amz-version-id"],
    MaxAgeSeconds: 600,
  },
];

beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "web" }));
  await sim.s3.send(new PutObjectCommand({ Bucket: "web", Key: "page.html", Body: "<p>hi</p>" }));
});

describe("PutBucketCors validation", () => {
  it("rejects unsupported methods, empty rule sets and patterns with two wildcards", async () => {
    const put = (rules: unknown) => sim.s3.send(new PutBucketCorsCommand({ Bucket: "web", CORSConfiguration: { CORSRules: rules as never } }));
    await expectAwsError(put([{ AllowedMethods: ["PATCH"], AllowedOrigins: ["*"] }]), {
      name: "InvalidRequest",
      status: 400,
      message: "Found unsupported HTTP method in CORS config. Unsupported method is PATCH",
    });
    await expectAwsError(put([{ AllowedMethods: ["GET"], AllowedOrigins: ["http://*.*.example.com"] }]), {
      name: "InvalidRequest",
      status: 400,
      message: 'AllowedOrigin "http://*.*.example.com" can not have more than one wildcard.',
    });
    await expectAwsError(put([{ AllowedMethods: ["GET"], AllowedOrigins: ["*"], AllowedHeaders: ["x-*-*"] }]), {
      name: "InvalidRequest",
      status: 400,
      message: 'AllowedHeader "x-*-*" can not have more than one wildcard.',
    });
    await expectAwsError(put([]), { name: "MalformedXML", status: 400 });
    await expectAwsError(sim.s3.send(new GetBucketCorsCommand({ Bucket: "web" })), { name: "NoSuchCORSConfiguration", status: 404 });
    await put(RULES);
    const got = await sim.s3.send(new GetBucketCorsCommand({ Bucket: "web" }));
    expect(got.CORSRules?.map((r) => r.AllowedMethods)).toEqual([["PUT", "DELETE"], ["GET"], ["DELETE"], ["PUT", "POST"]]);
    expect(got.CORSRules?.[3]?.MaxAgeSeconds).toBe(600);
  });
});

describe("OPTIONS preflight", () => {
  it("without a CORS configuration, or without Origin / Access-Control-Request-Method, is refused as S3 refuses it", async () => {
    const none = await preflight("/web/page.html", "http://www.example1.com", "GET");
    expect(none.status).toBe(403);
    expect(none.body).toContain("<Code>AccessForbidden</Code>");
    expect(none.body).toContain("<Message>CORSResponse: CORS is not enabled for this bucket.</Message>");
    // AWS names the bucket as the resource when it has no CORS configuration (recorded against S3).
    expect(none.body).toContain("<Method>GET</Method><ResourceType>BUCKET</ResourceType>");
    expect(none.origin).toBeUndefined();
    await sim.s3.send(new PutBucketCorsCommand({ Bucket: "web", CORSConfiguration: { CORSRules: RULES } }));
    const noOrigin = await cors("OPTIONS", "/web/page.html", { "Access-Control-Request-Method": "GET" });
    expect(noOrigin.status).toBe(400);
    expect(noOrigin.body).toContain("<Code>BadRequest</Code><Message>Insufficient information. Origin request header needed.</Message>");
    const noMethod = await cors("OPTIONS", "/web/page.html", { Origin: "http://a.example" });
    expect(noMethod.status).toBe(400);
    expect(noMethod.body).toContain("<Message>Invalid Access-Control-Request-Method: null</Message>");
    const missingBucket = await preflight("/nope/page.html", "http://a.example", "GET");
    expect(missingBucket.status).toBe(403);
    expect(missingBucket.body).toContain("<Code>AccessForbidden</Code>");
  });

  it("answers the first matching rule: origin, method and every requested header; 403 when none matches", async () => {
    await sim.s3.send(new PutBucketCorsCommand({ Bucket: "web", CORSConfiguration: { CORSRules: RULES } }));
    // A "*" origin rule answers "*"; a named origin is echoed with credentials allowed.
    const any = await preflight("/web", "http://not.exists", "GET");
    expect([any.status, any.origin, any.methods, any.credentials]).toEqual([200, "*", "GET", undefined]);
    expect(any.vary).toBe("Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    const del = await preflight("/web/page.html", "http://www.example1.com", "DELETE");
    expect([del.status, del.origin, del.methods, del.credentials]).toEqual([200, "http://www.example1.com", "PUT, DELETE", "true"]);
    const wildcardOrigin = await preflight("/web/page.html", "http://cdn.example3.com", "DELETE");
    expect([wildcardOrigin.status, wildcardOrigin.origin, wildcardOrigin.methods]).toEqual([200, "http://cdn.example3.com", "DELETE"]);
    const refused = await preflight("/web/page.html", "http://www.example2.com", "PUT");
    expect(refused.status).toBe(403);
    expect(refused.body).toContain(`<Message>${NOT_ALLOWED.replace(/'/g, "&apos;")}</Message>`);
    expect(refused.origin).toBeUndefined();
    // Requested headers must each match an AllowedHeader (case-insensitively, "*" wildcards); they are echoed.
    const h1 = await preflight("/web", "http://any.origin", "GET", "x-amz-meta-header1");
    expect([h1.status, h1.allowHeaders]).toEqual([200, "x-amz-meta-header1"]);
    expect((await preflight("/web", "http://any.origin", "GET", "x-amz-meta-header2")).status).toBe(403);
    const app = await preflight("/web/up.bin", "https://app.example.org", "PUT", "x-amz-meta-owner, content-type");
    expect(app).toMatchObject({
      status: 200,
      origin: "https://app.example.org",
      methods: "PUT, POST",
      allowHeaders: "x-amz-meta-owner, content-type",
      expose: "ETag, x-amz-version-id",
      maxAge: "600",
    });
    // No AllowedHeader at all: any requested header fails the rule.
    expect((await preflight("/web", "http://www.example2.com", "DELETE", "x-amz-meta-a")).status).toBe(403);
    expect((await preflight("/web", "http://www.example2.com", "DELETE")).status).toBe(200);
    // Deleting the configuration turns CORS off again.
    await sim.s3.send(new DeleteBucketCorsCommand({ Bucket: "web" }));
    expect((await preflight("/web", "http://not.exists", "GET")).status).toBe(403);
  });
});

describe("actual requests with an Origin", () => {
  it("carry the matching rule's headers, on errors too; no headers without Origin or without a match", async () => {
    await sim.s3.send(new PutBucketCorsCommand({ Bucket: "web", CORSConfiguration: { CORSRules: RULES } }));
    const get = await cors("GET", "/web/page.html", { Origin: "http://www.example1.com" });
    expect([get.status, get.body, get.origin, get.methods]).toEqual([200, "<p>hi</p>", "*", "GET"]);
    const missing = await cors("GET", "/web/missing", { Origin: "http://www.example1.com" });
    expect([missing.status, missing.origin, missing.methods]).toEqual([404, "*", "GET"]);
    const put = await cors("PUT", "/web/new.txt", { Origin: "http://www.example1.com" });
    expect([put.status, put.origin, put.methods]).toEqual([200, "http://www.example1.com", "PUT, DELETE"]);
    const noRule = await cors("PUT", "/web/new.txt", { Origin: "http://not.exists" });
    expect([noRule.status, noRule.origin, noRule.methods]).toEqual([200, undefined, undefined]);
    const app = await cors("PUT", "/web/app.txt", { Origin: "https://app.example.org" });
    expect([app.origin, app.expose, app.maxAge, app.credentials]).toEqual(["https://app.example.org", "ETag, x-amz-version-id", "600", "true"]);
    const plain = await cors("GET", "/web/page.html", {});
    expect([plain.status, plain.origin]).toEqual([200, undefined]);
  });

  it("carry them on answers written from the model too (GetBucketMetadataConfiguration)", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: "meta" }));
    await sim.s3.send(new PutBucketCorsCommand({ Bucket: "meta", CORSConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["*"] }] } }));
    await sim.s3.send(
      new CreateBucketMetadataConfigurationCommand({
        Bucket: "meta",
        MetadataConfiguration: { JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } } },
      }),
    );
    const r = await cors("GET", "/meta?metadataConfiguration", { Origin: "https://app.example.org" });
    expect([r.status, r.origin]).toEqual([200, "*"]);
    expect(r.body).toContain("<TableName>journal</TableName>");
  });
});
