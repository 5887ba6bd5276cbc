/**
 * S3 through the aws CLI as its documented examples (awscli/examples/s3api) show the answers: the CLI prints
 * timestamps as S3 wrote them, so formats are visible here that the SDKs parse away.
 */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" });
const s3api = (...args: string[]) => aws(sim.server, ["s3api", ...args]);

describe.skipIf(!hasAwsCli())("aws s3api examples", () => {
  it("get-bucket-lifecycle(-configuration) write Expiration and Transition dates with milliseconds", async () => {
    expect((await s3api("create-bucket", "--bucket", "lc-bucket")).code).toBe(0);
    const config = {
      Rules: [
        {
          ID: "Move rotated logs to Glacier",
          Prefix: "rotated/",
          Status: "Enabled",
          Transitions: [{ Date: "2015-11-10T00:00:00.000Z", StorageClass: "GLACIER" }],
        },
        { ID: "Delete 2014 logs in 2016.", Prefix: "logs/2014/", Status: "Enabled", Expiration: { Date: "2016-01-01T00:00:00.000Z" } },
      ],
    };
    const put = await s3api("put-bucket-lifecycle-configuration", "--bucket", "lc-bucket", "--lifecycle-configuration", JSON.stringify(config));
    expect(put.code, put.stderr).toBe(0);
    const got = await s3api("get-bucket-lifecycle-configuration", "--bucket", "lc-bucket");
    expect(got.json.Rules).toEqual([
      {
        ID: "Move rotated logs to Glacier",
        Prefix: "rotated/",
        Status: "Enabled",
        Transitions: [{ Date: "2015-11-10T00:00:00.000Z", StorageClass: "GLACIER" }],
      },
      { ID: "Delete 2014 logs in 2016.", Prefix: "logs/2014/", Status: "Enabled", Expiration: { Date: "2016-01-01T00:00:00.000Z" } },
    ]);
    const legacy = await s3api("get-bucket-lifecycle", "--bucket", "lc-bucket");
    expect(legacy.json.Rules.map((r: Record<string, any>) => r.Transition?.Date ?? r.Expiration?.Date)).toEqual([
      "2015-11-10T00:00:00.000Z",
      "2016-01-01T00:00:00.000Z",
    ]);
  });

  it("list-buckets writes CreationDate in whole seconds, as S3's timestamps are", async () => {
    expect((await s3api("create-bucket", "--bucket", "when-bucket")).code).toBe(0);
    const got = await s3api("list-buckets");
    expect(got.json.Buckets).toEqual([{ Name: "when-bucket", CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/) }]);
  });

  it("get-bucket-policy answers the policy compact (whitespace dropped, keys in their order)", async () => {
    expect((await s3api("create-bucket", "--bucket", "pol-bucket")).code).toBe(0);
    const statements = [
      { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pol-bucket/*" },
      { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pol-bucket/MySecretFolder/*" },
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: ["s3:DeleteObject", "s3:PutObject"],
        Resource: "arn:aws:s3:::pol-bucket/*",
      },
    ];
    const put = await s3api("put-bucket-policy", "--bucket", "pol-bucket", "--policy", `   ${JSON.stringify({ Statement: statements }, null, 3)}\n`);
    expect(put.code, put.stderr).toBe(0);
    const got = await s3api("get-bucket-policy", "--bucket", "pol-bucket");
    expect(got.json.Policy).toBe(JSON.stringify({ Statement: statements }));
  });
});
