/** Seeded fuzz of S3's configuration documents and sub-resources: random XML trees never cost a 5xx (501 aside). */
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer();

describe("S3 sub-resource fuzz", () => {
  it("600 random documents to every configuration, object sub-resource, restore and select", async () => {
    const u = sim.server.url;
    const failures: string[] = [];
    const f = (p: string, init: RequestInit = {}) => fetch(u + p, init);
    await f("/fz", { method: "PUT" });
    await f("/fz?versioning", { method: "PUT", body: "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>" });
    await f("/fz2", { method: "PUT" });
    await f("/fz/k", { method: "PUT", body: "a,b\n1,2\n" });
    await f("/fz/g", { method: "PUT", body: "x", headers: { "x-amz-storage-class": "GLACIER" } });
    const roots: Record<string, string> = {
      lifecycle: "LifecycleConfiguration",
      replication: "ReplicationConfiguration",
      logging: "BucketLoggingStatus",
      accelerate: "AccelerateConfiguration",
      requestPayment: "RequestPaymentConfiguration",
      "inventory&id=a": "InventoryConfiguration",
      "metrics&id=a": "MetricsConfiguration",
      "analytics&id=a": "AnalyticsConfiguration",
      "intelligent-tiering&id=a": "IntelligentTieringConfiguration",
      notification: "NotificationConfiguration",
      website: "WebsiteConfiguration",
      cors: "CORSConfiguration",
      encryption: "ServerSideEncryptionConfiguration",
      publicAccessBlock: "PublicAccessBlockConfiguration",
      ownershipControls: "OwnershipControls",
      "object-lock": "ObjectLockConfiguration",
      acl: "AccessControlPolicy",
      tagging: "Tagging",
      versioning: "VersioningConfiguration",
    };
    const objRoots: Record<string, string> = { acl: "AccessControlPolicy", retention: "Retention", "legal-hold": "LegalHold", tagging: "Tagging" };
    const names = [
      "Rule",
      "ID",
      "Id",
      "Status",
      "Filter",
      "Prefix",
      "And",
      "Tag",
      "Key",
      "Value",
      "Expiration",
      "Days",
      "Date",
      "Years",
      "Mode",
      "Transition",
      "StorageClass",
      "NoncurrentVersionExpiration",
      "NoncurrentDays",
      "AbortIncompleteMultipartUpload",
      "DaysAfterInitiation",
      "Destination",
      "Bucket",
      "Role",
      "Priority",
      "DeleteMarkerReplication",
      "LoggingEnabled",
      "TargetBucket",
      "TargetPrefix",
      "Payer",
      "IsEnabled",
      "Schedule",
      "Frequency",
      "IncludedObjectVersions",
      "S3BucketDestination",
      "Format",
      "Tiering",
      "AccessTier",
      "CloudFunctionConfiguration",
      "CloudFunction",
      "Event",
      "IndexDocument",
      "Suffix",
      "RedirectAllRequestsTo",
      "HostName",
      "CORSRule",
      "AllowedMethod",
      "AllowedOrigin",
      "ApplyServerSideEncryptionByDefault",
      "SSEAlgorithm",
      "KMSMasterKeyID",
      "BlockPublicAcls",
      "ObjectOwnership",
      "ObjectLockEnabled",
      "DefaultRetention",
      "Owner",
      "AccessControlList",
      "Grant",
      "Grantee",
      "Permission",
      "URI",
      "EmailAddress",
      "TagSet",
      "RetainUntilDate",
      "StorageClassAnalysis",
      "ExpiredObjectDeleteMarker",
      "S3Key",
      "FilterRule",
      "Name",
      "ObjectSizeGreaterThan",
      "ObjectSizeLessThan",
      "NewerNoncurrentVersions",
      "Expression",
      "ExpressionType",
      "InputSerialization",
      "OutputSerialization",
      "CSV",
      "JSON",
      "Type",
      "FileHeaderInfo",
      "GlacierJobParameters",
      "Tier",
      "CompressionType",
      "RecordDelimiter",
      "FieldDelimiter",
      "QuoteCharacter",
    ];
    const vals = [
      "",
      "Enabled",
      "Disabled",
      "1",
      "-1",
      "0",
      "99999999999999999999",
      "2030-01-01T00:00:00Z",
      "x",
      "arn:aws:s3:::fz2",
      "GLACIER",
      "true",
      "ON",
      "GOVERNANCE",
      "SELECT * FROM S3Object",
      "SQL",
      "USE",
      "s3:ObjectCreated:*",
      "arn:aws:lambda:us-east-1:000000000000:function:x",
      "CanonicalUser",
      "%",
      "{",
    ];
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    function tree(depth: number): string {
      let s = "";
      const n = rnd(4);
      for (let i = 0; i < n; i++) {
        const name = names[rnd(names.length)];
        const attr =
          rnd(5) === 0
            ? ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="' + ["CanonicalUser", "Group", "AmazonCustomerByEmail", "X"][rnd(4)] + '"'
            : "";
        s +=
          depth > 0 && rnd(2)
            ? `<${name}${attr}>${tree(depth - 1)}</${name}>`
            : rnd(6) === 0
              ? `<${name}/>`
              : `<${name}${attr}>${vals[rnd(vals.length)]}</${name}>`;
      }
      return s;
    }
    let bad = 0,
      total = 0;
    for (let i = 0; i < 600; i++) {
      const obj = rnd(3) === 0;
      const table = obj ? objRoots : roots;
      const keys = Object.keys(table);
      const sub = obj ? (rnd(4) === 0 ? "restore" : rnd(4) === 0 ? "select&select-type=2" : keys[rnd(keys.length)]) : keys[rnd(keys.length)];
      const root = sub === "restore" ? "RestoreRequest" : sub.startsWith("select") ? "SelectObjectContentRequest" : table[sub];
      const body = `<${root}>${tree(3)}</${root}>`;
      const path = obj ? `/fz/${rnd(2) ? "k" : "g"}?${sub}` : `/${rnd(2) ? "fz" : "fz2"}?${sub}`;
      const method = sub === "restore" || sub.startsWith("select") ? "POST" : "PUT";
      const r = await f(path, { method, body });
      total++;
      const t = await r.text();
      if (r.status >= 500 && r.status !== 501) {
        bad++;
        if (bad < 6) failures.push(`${r.status} ${method} ${path} ${body} ${t.slice(0, 300)}`);
      }
      if (rnd(10) === 0)
        for (const g of [
          "/fz?lifecycle",
          "/fz?replication",
          "/fz?inventory",
          "/fz?inventory&id=a",
          "/fz?logging",
          "/fz?notification",
          "/fz?object-lock",
          "/fz?acl",
          "/fz/k",
          "/fz/g?acl",
          "/fz/k?retention",
        ]) {
          const x = await f(g);
          if (x.status >= 500) {
            bad++;
            failures.push(`GET ${g} ${x.status} ${(await x.text()).slice(0, 200)}`);
          } else await x.arrayBuffer();
        }
      if (rnd(50) === 0) await f("/_awsim/clock/advance?days=3", { method: "POST" });
    }
    console.log(`s3 fuzz: seed 12345, ${total} requests`);
    expect(failures).toEqual([]);
    expect(bad).toBe(0);
  }, 120_000);
});
