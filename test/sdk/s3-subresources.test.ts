/** S3 bucket sub-resources: logging, acceleration, request payment, replication, id-keyed configurations, website, CORS, notifications. */
import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  DeleteObjectCommand,
  DeleteBucketReplicationCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketAnalyticsConfigurationCommand,
  GetBucketIntelligentTieringConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketMetricsConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketAnalyticsConfigurationsCommand,
  ListBucketIntelligentTieringConfigurationsCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketMetricsConfigurationsCommand,
  ListObjectsV2Command,
  PutBucketAccelerateConfigurationCommand,
  PutBucketAnalyticsConfigurationCommand,
  PutBucketCorsCommand,
  PutBucketIntelligentTieringConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketMetricsConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  S3Client,
  GetBucketAbacCommand,
  PutBucketAbacCommand,
  UpdateObjectEncryptionCommand,
  type InventoryConfiguration,
} from "@aws-sdk/client-s3";
import { request as httpRequest } from "node:http";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
});

describe("logging, acceleration, request payment", () => {
  it("are stored, validated and returned", async () => {
    expect((await sim.s3.send(new GetBucketLoggingCommand({ Bucket: "bkt" }))).LoggingEnabled).toBeUndefined();
    await expectAwsError(
      sim.s3.send(new PutBucketLoggingCommand({ Bucket: "bkt", BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "nope", TargetPrefix: "l/" } } })),
      {
        name: "InvalidTargetBucketForLogging",
        status: 400,
      },
    );
    await sim.s3.send(new CreateBucketCommand({ Bucket: "logs" }));
    await sim.s3.send(new PutBucketLoggingCommand({ Bucket: "bkt", BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "logs", TargetPrefix: "l/" } } }));
    expect((await sim.s3.send(new GetBucketLoggingCommand({ Bucket: "bkt" }))).LoggingEnabled).toEqual({ TargetBucket: "logs", TargetPrefix: "l/" });
    // While logging is on, requests to the bucket are delivered to the target as access-log records.
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "logged.txt", Body: "12345" }));
    await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "logged.txt" }));
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "absent" })), { name: "NoSuchKey", status: 404 });
    const logKeys = ((await sim.s3.send(new ListObjectsV2Command({ Bucket: "logs", Prefix: "l/" }))).Contents ?? []).map((o) => o.Key!);
    expect(logKeys).toHaveLength(4); // GetBucketLogging, PUT, GET, the failed GET
    expect(logKeys[0]).toMatch(/^l\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/);
    const records = await Promise.all(logKeys.map(async (Key) => (await sim.s3.send(new GetObjectCommand({ Bucket: "logs", Key }))).Body!.transformToString()));
    // Fields: owner bucket [time +0000] ip requester request-id operation key "METHOD URI HTTP/1.1" status error ...
    const ops = records.map((r) => r.split(" ")).map((f) => [f[1], f[7], f[8], f[12], f[13]]);
    expect(ops).toEqual(
      expect.arrayContaining([
        ["bkt", "REST.PUT.OBJECT", "logged.txt", "200", "-"],
        ["bkt", "REST.GET.OBJECT", "logged.txt", "200", "-"],
        ["bkt", "REST.GET.OBJECT", "absent", "404", "NoSuchKey"],
        ["bkt", "REST.GET.LOGGING", "-", "200", "-"],
      ]),
    );
    await sim.s3.send(new PutBucketLoggingCommand({ Bucket: "bkt", BucketLoggingStatus: {} }));
    expect((await sim.s3.send(new GetBucketLoggingCommand({ Bucket: "bkt" }))).LoggingEnabled).toBeUndefined();

    expect((await sim.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: "bkt" }))).Status).toBeUndefined();
    await sim.s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: "bkt", AccelerateConfiguration: { Status: "Enabled" } }));
    expect((await sim.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: "bkt" }))).Status).toBe("Enabled");
    await expectAwsError(sim.s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: "bkt", AccelerateConfiguration: { Status: "On" as never } })), {
      name: "MalformedXML",
      status: 400,
    });
    await sim.s3.send(new CreateBucketCommand({ Bucket: "dot.ted" }));
    await expectAwsError(sim.s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: "dot.ted", AccelerateConfiguration: { Status: "Enabled" } })), {
      name: "InvalidRequest",
      status: 400,
    });

    expect((await sim.s3.send(new GetBucketRequestPaymentCommand({ Bucket: "bkt" }))).Payer).toBe("BucketOwner");
    await sim.s3.send(new PutBucketRequestPaymentCommand({ Bucket: "bkt", RequestPaymentConfiguration: { Payer: "Requester" } }));
    expect((await sim.s3.send(new GetBucketRequestPaymentCommand({ Bucket: "bkt" }))).Payer).toBe("Requester");
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "paid" }));
    // Another account reads what the bucket's policy grants it.
    const grant = { Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::bkt/*" };
    await sim.s3.send(new PutBucketPolicyCommand({ Bucket: "bkt", Policy: JSON.stringify({ Version: "2012-10-17", Statement: [grant] }) }));
    const other = new S3Client(clientConfig(sim.server, { forcePathStyle: true, credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    await expectAwsError(other.send(new GetObjectCommand({ Bucket: "bkt", Key: "k" })), { name: "AccessDenied", status: 403 });
    expect(await (await other.send(new GetObjectCommand({ Bucket: "bkt", Key: "k", RequestPayer: "requester" }))).Body!.transformToString()).toBe("paid");
  });
});

describe("replication", () => {
  it("is validated and copies new objects into the destination with replication status", async () => {
    const config = {
      Role: "arn:aws:iam::000000000000:role/repl",
      Rules: [
        {
          ID: "r1",
          Priority: 1,
          Status: "Enabled" as const,
          Filter: { Prefix: "docs/" },
          DeleteMarkerReplication: { Status: "Disabled" as const },
          Destination: { Bucket: "arn:aws:s3:::dest", StorageClass: "STANDARD_IA" as const },
        },
      ],
    };
    await expectAwsError(sim.s3.send(new PutBucketReplicationCommand({ Bucket: "bkt", ReplicationConfiguration: config })), {
      name: "InvalidRequest",
      status: 400,
    });
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    await expectAwsError(sim.s3.send(new PutBucketReplicationCommand({ Bucket: "bkt", ReplicationConfiguration: config })), {
      name: "InvalidRequest",
      status: 400,
      message: "Destination bucket must exist.",
    });
    await sim.s3.send(new CreateBucketCommand({ Bucket: "dest" }));
    await expectAwsError(sim.s3.send(new PutBucketReplicationCommand({ Bucket: "bkt", ReplicationConfiguration: config })), {
      name: "InvalidRequest",
      status: 400,
      message: "Destination bucket must have versioning enabled.",
    });
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "dest", VersioningConfiguration: { Status: "Enabled" } }));
    await expectAwsError(sim.s3.send(new GetBucketReplicationCommand({ Bucket: "bkt" })), { name: "ReplicationConfigurationNotFoundError", status: 404 });
    await sim.s3.send(new PutBucketReplicationCommand({ Bucket: "bkt", ReplicationConfiguration: config }));
    const got = await sim.s3.send(new GetBucketReplicationCommand({ Bucket: "bkt" }));
    expect(got.ReplicationConfiguration!.Role).toBe(config.Role);
    expect(got.ReplicationConfiguration!.Rules![0]!.Destination!.Bucket).toBe("arn:aws:s3:::dest");

    const put = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "docs/a.txt", Body: "replicated", Metadata: { m: "1" } }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "other.txt", Body: "not" }));
    await new Promise((r) => setTimeout(r, 50));
    const src = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "docs/a.txt" }));
    expect(src.ReplicationStatus).toBe("COMPLETED");
    const replica = await sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "docs/a.txt" }));
    expect(await replica.Body!.transformToString()).toBe("replicated");
    expect([replica.ReplicationStatus, replica.VersionId, replica.StorageClass, replica.Metadata]).toEqual([
      "REPLICA",
      put.VersionId,
      "STANDARD_IA",
      { m: "1" },
    ]);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "other.txt" })), { name: "NoSuchKey", status: 404 });
    // DeleteMarkerReplication is Disabled: the replica stays readable after the source is deleted.
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "docs/a.txt" }));
    expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "docs/a.txt" }))).Body!.transformToString()).toBe("replicated");
    const withMarkers = { ...config, Rules: [{ ...config.Rules[0]!, DeleteMarkerReplication: { Status: "Enabled" as const } }] };
    await sim.s3.send(new PutBucketReplicationCommand({ Bucket: "bkt", ReplicationConfiguration: withMarkers }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "docs/b.txt", Body: "b" }));
    await new Promise((r) => setTimeout(r, 50));
    expect(await (await sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "docs/b.txt" }))).Body!.transformToString()).toBe("b");
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "docs/b.txt" }));
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "docs/b.txt" })), { name: "NoSuchKey", status: 404 });
    await expectAwsError(sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Suspended" } })), {
      name: "InvalidBucketState",
      status: 409,
    });
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "docs/a.txt", ExpectedBucketOwner: "111122223333" })), {
      name: "AccessDenied",
      status: 403,
    });
    expect((await sim.s3.send(new GetObjectCommand({ Bucket: "dest", Key: "docs/a.txt", ExpectedBucketOwner: "000000000000" }))).ContentLength).toBe(10);
    await sim.s3.send(new DeleteBucketReplicationCommand({ Bucket: "bkt" }));
    await expectAwsError(sim.s3.send(new GetBucketReplicationCommand({ Bucket: "bkt" })), { name: "ReplicationConfigurationNotFoundError", status: 404 });
  });
});

describe("configurations kept by id", () => {
  it("inventory: put, get, list (paginated by 100), delete, validation", async () => {
    const inv = (Id: string): InventoryConfiguration => ({
      Id,
      IsEnabled: true,
      IncludedObjectVersions: "Current",
      Schedule: { Frequency: "Daily" },
      Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::inv", Format: "CSV" } },
    });
    await expectAwsError(sim.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: "bkt", Id: "a" })), { name: "NoSuchConfiguration", status: 404 });
    for (let i = 0; i < 105; i++) {
      const id = `inv-${String(i).padStart(3, "0")}`;
      await sim.s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: "bkt", Id: id, InventoryConfiguration: inv(id) }));
    }
    const got = await sim.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: "bkt", Id: "inv-007" }));
    expect(got.InventoryConfiguration).toEqual(inv("inv-007"));
    const p1 = await sim.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: "bkt" }));
    expect(p1.InventoryConfigurationList).toHaveLength(100);
    expect(p1.IsTruncated).toBe(true);
    const p2 = await sim.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: "bkt", ContinuationToken: p1.NextContinuationToken }));
    expect(p2.InventoryConfigurationList!.map((c) => c.Id)).toEqual(["inv-100", "inv-101", "inv-102", "inv-103", "inv-104"]);
    expect(p2.IsTruncated).toBe(false);
    await sim.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: "bkt", Id: "inv-007" }));
    await expectAwsError(sim.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: "bkt", Id: "inv-007" })), {
      name: "NoSuchConfiguration",
      status: 404,
    });
    await expectAwsError(
      sim.s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: "bkt",
          Id: "bad",
          InventoryConfiguration: { ...inv("bad"), Schedule: { Frequency: "Hourly" as never } },
        }),
      ),
      { name: "MalformedXML", status: 400 },
    );
  });

  it("metrics, analytics and intelligent-tiering", async () => {
    await sim.s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: "bkt", Id: "m1", MetricsConfiguration: { Id: "m1", Filter: { Prefix: "p/" } } }));
    expect((await sim.s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: "bkt", Id: "m1" }))).MetricsConfiguration).toEqual({
      Id: "m1",
      Filter: { Prefix: "p/" },
    });
    expect((await sim.s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: "bkt" }))).MetricsConfigurationList!.map((m) => m.Id)).toEqual(["m1"]);
    await sim.s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket: "bkt", Id: "a1", AnalyticsConfiguration: { Id: "a1", StorageClassAnalysis: {} } }));
    expect((await sim.s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: "bkt", Id: "a1" }))).AnalyticsConfiguration!.Id).toBe("a1");
    expect((await sim.s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: "bkt" }))).AnalyticsConfigurationList).toHaveLength(1);
    const tier = { Id: "t1", Status: "Enabled" as const, Tierings: [{ Days: 90, AccessTier: "ARCHIVE_ACCESS" as const }] };
    await sim.s3.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket: "bkt", Id: "t1", IntelligentTieringConfiguration: tier }));
    expect((await sim.s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: "bkt", Id: "t1" }))).IntelligentTieringConfiguration).toEqual(tier);
    expect((await sim.s3.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: "bkt" }))).IntelligentTieringConfigurationList).toHaveLength(1);
    await expectAwsError(
      sim.s3.send(
        new PutBucketIntelligentTieringConfigurationCommand({
          Bucket: "bkt",
          Id: "t2",
          IntelligentTieringConfiguration: { ...tier, Id: "t2", Tierings: [{ Days: 30, AccessTier: "ARCHIVE_ACCESS" }] },
        }),
      ),
      { name: "InvalidArgument", status: 400 },
    );
    await expectAwsError(sim.s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: "bkt", Id: "x", MetricsConfiguration: { Id: "y" } })), {
      name: "InvalidArgument",
      status: 400,
    });
  });
});

describe("website, CORS and notifications are validated", () => {
  it("rejects what S3 rejects and stores the rest", async () => {
    await expectAwsError(sim.s3.send(new PutBucketWebsiteCommand({ Bucket: "bkt", WebsiteConfiguration: { IndexDocument: { Suffix: "a/index.html" } } })), {
      name: "InvalidArgument",
      status: 400,
      message: "The IndexDocument Suffix is not well formed",
    });
    await sim.s3.send(
      new PutBucketWebsiteCommand({ Bucket: "bkt", WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "e.html" } } }),
    );
    expect((await sim.s3.send(new GetBucketWebsiteCommand({ Bucket: "bkt" }))).IndexDocument).toEqual({ Suffix: "index.html" });
    await expectAwsError(
      sim.s3.send(new PutBucketCorsCommand({ Bucket: "bkt", CORSConfiguration: { CORSRules: [{ AllowedMethods: ["PATCH"], AllowedOrigins: ["*"] }] } })),
      { name: "InvalidRequest", status: 400, message: "Found unsupported HTTP method in CORS config. Unsupported method is PATCH" },
    );
    await expectAwsError(
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: "bkt",
          NotificationConfiguration: { QueueConfigurations: [{ QueueArn: "arn:aws:sqs:us-east-1:000000000000:q", Events: ["s3:ObjectEaten" as never] }] },
        }),
      ),
      { name: "InvalidArgument", status: 400 },
    );
    await sim.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "bkt",
        NotificationConfiguration: { QueueConfigurations: [{ Id: "q", QueueArn: "arn:aws:sqs:us-east-1:000000000000:q", Events: ["s3:ObjectCreated:*"] }] },
      }),
    );
    const n = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "bkt" }));
    expect(n.QueueConfigurations![0]!.Events).toEqual(["s3:ObjectCreated:*"]);
  });
});

describe("ABAC and object encryption updates", () => {
  it("PutBucketAbac/GetBucketAbac; UpdateObjectEncryption re-keys an object to SSE-KMS", async () => {
    expect((await sim.s3.send(new GetBucketAbacCommand({ Bucket: "bkt" }))).AbacStatus).toEqual({ Status: "Disabled" });
    await sim.s3.send(new PutBucketAbacCommand({ Bucket: "bkt", AbacStatus: { Status: "Enabled" } }));
    expect((await sim.s3.send(new GetBucketAbacCommand({ Bucket: "bkt" }))).AbacStatus).toEqual({ Status: "Enabled" });
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "x" }));
    const arn = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    await sim.s3.send(new UpdateObjectEncryptionCommand({ Bucket: "bkt", Key: "k", ObjectEncryption: { SSEKMS: { KMSKeyArn: arn, BucketKeyEnabled: true } } }));
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "k" }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled]).toEqual(["aws:kms", arn, true]);
    await expectAwsError(
      sim.s3.send(new UpdateObjectEncryptionCommand({ Bucket: "bkt", Key: "k", ObjectEncryption: { SSEKMS: { KMSKeyArn: "alias/mine" } } })),
      {
        name: "InvalidArgument",
        status: 400,
      },
    );
    await expectAwsError(sim.s3.send(new UpdateObjectEncryptionCommand({ Bucket: "bkt", Key: "missing", ObjectEncryption: { SSEKMS: { KMSKeyArn: arn } } })), {
      name: "NoSuchKey",
      status: 404,
    });
  });
});

describe("the website endpoint", () => {
  const get = (host: string, path: string, method = "GET") =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const u = new URL(sim.server.url);
      const req = httpRequest({ host: u.hostname, port: u.port, path, method, headers: { host } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });

  it("serves index and error documents, folder redirects, routing rules and RedirectAllRequestsTo", async () => {
    const host = "bkt.s3-website-us-east-1.amazonaws.com";
    const none = await get(host, "/");
    expect(none.status).toBe(404);
    expect(none.body).toContain("Code: NoSuchWebsiteConfiguration");
    await sim.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: "bkt",
        WebsiteConfiguration: {
          IndexDocument: { Suffix: "index.html" },
          ErrorDocument: { Key: "404.html" },
          RoutingRules: [{ Condition: { KeyPrefixEquals: "old/" }, Redirect: { ReplaceKeyPrefixWith: "new/", HttpRedirectCode: "301" } }],
        },
      }),
    );
    for (const [Key, Body] of [
      ["index.html", "home"],
      ["docs/index.html", "docs home"],
      ["404.html", "not here"],
      ["page.html", "a page"],
    ])
      await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key, Body, ContentType: "text/html" }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "moved", Body: "-", WebsiteRedirectLocation: "/page.html" }));
    expect(await get(host, "/")).toMatchObject({ status: 200, body: "home" });
    expect(await get("bkt.s3-website.localhost", "/docs/")).toMatchObject({ status: 200, body: "docs home" });
    const folder = await get(host, "/docs");
    expect([folder.status, folder.headers.location]).toEqual([302, "/docs/"]);
    expect(await get(host, "/page.html")).toMatchObject({ status: 200, body: "a page" });
    const missing = await get(host, "/nope.html");
    expect([missing.status, missing.body, missing.headers["content-type"]]).toEqual([404, "not here", "text/html"]);
    const rule = await get(host, "/old/x.html");
    expect([rule.status, rule.headers.location]).toEqual([301, `http://${host}/new/x.html`]);
    const moved = await get(host, "/moved");
    expect([moved.status, moved.headers.location]).toEqual([301, "/page.html"]);
    expect((await get(host, "/", "HEAD")).status).toBe(200);
    expect((await get(host, "/", "DELETE")).status).toBe(405);
    await sim.s3.send(
      new PutBucketWebsiteCommand({ Bucket: "bkt", WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: "example.com", Protocol: "https" } } }),
    );
    const all = await get(host, "/a/b");
    expect([all.status, all.headers.location]).toEqual([301, "https://example.com/a/b"]);
    expect((await get("nobucket.s3-website.localhost", "/")).body).toContain("Code: NoSuchBucket");
  });
});
