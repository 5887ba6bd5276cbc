/** The issue-14 S3 features through boto3 and the aws CLI: encryption, ACLs, lifecycle on the clock, object lock, restore, Select, replication. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, os, sys, urllib.request
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **kw)
out = {}
def err(fn, **a):
    try:
        fn(**a)
        return None
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
s3.create_bucket(Bucket="bo3bkt")
key = os.urandom(32)
s3.put_object(Bucket="bo3bkt", Key="c", Body=b"customer", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
out["ssec_ok"] = s3.get_object(Bucket="bo3bkt", Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=key)["Body"].read().decode()
out["ssec_nokey"] = err(s3.get_object, Bucket="bo3bkt", Key="c")
out["ssec_wrong"] = err(s3.get_object, Bucket="bo3bkt", Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=os.urandom(32))
r = s3.put_object(Bucket="bo3bkt", Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId="abc")
out["kms"] = [r["ServerSideEncryption"], r["SSEKMSKeyId"]]
s3.put_bucket_acl(Bucket="bo3bkt", ACL="authenticated-read")
out["acl"] = [g["Grantee"].get("URI", "owner") for g in s3.get_bucket_acl(Bucket="bo3bkt")["Grants"]]
out["acl_email"] = err(s3.put_bucket_acl, Bucket="bo3bkt", GrantRead='emailAddress="who@example.com"')
s3.put_bucket_acl(Bucket="bo3bkt", ACL="private")
s3.put_bucket_ownership_controls(Bucket="bo3bkt", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
out["acl_enforced"] = err(s3.put_object, Bucket="bo3bkt", Key="p", Body=b"x", ACL="public-read")
out["lc_dup"] = err(s3.put_bucket_lifecycle_configuration, Bucket="bo3bkt", LifecycleConfiguration={"Rules": [
    {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}},
    {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 2}}]})
s3.put_bucket_lifecycle_configuration(Bucket="bo3bkt", LifecycleConfiguration={"Rules": [{"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]})
s3.put_object(Bucket="bo3bkt", Key="tmp/x", Body=b"x")
s3.create_bucket(Bucket="old-api")
s3.put_bucket_lifecycle(Bucket="old-api", LifecycleConfiguration={"Rules": [{"ID": "old", "Prefix": "x/", "Status": "Enabled", "Expiration": {"Days": 3}}]})
out["old_lifecycle"] = [[r["ID"], r["Prefix"], r["Expiration"]["Days"]] for r in s3.get_bucket_lifecycle(Bucket="old-api")["Rules"]]
urllib.request.urlopen(urllib.request.Request(url + "/_awsim/clock/advance?days=2", method="POST")).read()
out["expired"] = err(s3.head_object, Bucket="bo3bkt", Key="tmp/x")
s3.create_bucket(Bucket="lock3", ObjectLockEnabledForBucket=True)
out["lock_both"] = err(s3.put_object_lock_configuration, Bucket="lock3", ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}})
s3.put_object(Bucket="bo3bkt", Key="arch", Body=b"cold", StorageClass="DEEP_ARCHIVE")
out["restore"] = s3.restore_object(Bucket="bo3bkt", Key="arch", RestoreRequest={"Days": 1})["ResponseMetadata"]["HTTPStatusCode"]
out["restore_head"] = s3.head_object(Bucket="bo3bkt", Key="arch")["Restore"]
s3.put_object(Bucket="bo3bkt", Key="d.csv", Body=b"a,b\\n1,2\\n3,4\\n")
res = s3.select_object_content(Bucket="bo3bkt", Key="d.csv", Expression="SELECT SUM(CAST(b AS INT)) FROM S3Object", ExpressionType="SQL",
    InputSerialization={"CSV": {"FileHeaderInfo": "USE"}}, OutputSerialization={"JSON": {}})
out["select"] = "".join(e["Records"]["Payload"].decode() for e in res["Payload"] if "Records" in e)
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("boto3", () => {
  const sim = useServer();

  it("SSE-C, SSE-KMS, ACLs, ownership, lifecycle on the clock, object lock, restore, Select", async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("python3", ["-c", SCRIPT, sim.server.url], { timeout: 60_000 }, (e, so, se) => (e ? reject(new Error(`${e.message}\n${se}`)) : resolve(so))),
    );
    const out = JSON.parse(stdout);
    expect(out.ssec_ok).toBe("customer");
    expect(out.ssec_nokey).toEqual(["InvalidRequest", 400]);
    expect(out.ssec_wrong).toEqual(["AccessDenied", 403]);
    expect(out.kms).toEqual(["aws:kms", "arn:aws:kms:us-east-1:000000000000:key/abc"]);
    expect(out.acl).toEqual(["owner", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"]);
    expect(out.acl_email).toEqual(["UnresolvableGrantByEmailAddress", 400]);
    expect(out.acl_enforced).toEqual(["AccessControlListNotSupported", 400]);
    expect(out.lc_dup).toEqual(["InvalidArgument", 400]);
    expect(out.expired).toEqual(["404", 404]);
    expect(out.lock_both).toEqual(["MalformedXML", 400]);
    expect(out.restore).toBe(202);
    expect(out.restore_head).toBe('ongoing-request="true"');
    expect(out.select).toBe('{"_1":6}\n');
    expect(out.old_lifecycle).toEqual([["old", "x/", 3]]);
  });
});

describe.skipIf(!hasAwsCli())("aws CLI", () => {
  let dir: string;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const sim = useServer();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "awsim-s3cli-"));
  });

  it("lifecycle validation and select-object-content", async () => {
    await aws(sim.server, ["s3api", "create-bucket", "--bucket", "cli3"]);
    const lc = join(dir, "lc.json");
    writeFileSync(lc, JSON.stringify({ Rules: [{ ID: "x", Status: "Enabled", Filter: {}, Expiration: { Date: "2030-01-01T12:00:00Z" } }] }));
    const bad = await aws(sim.server, ["s3api", "put-bucket-lifecycle-configuration", "--bucket", "cli3", "--lifecycle-configuration", `file://${lc}`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("'Date' must be at midnight GMT");
    await aws(sim.server, ["s3api", "put-object", "--bucket", "cli3", "--key", "d.csv", "--body", writeCsv(dir)]);
    const outFile = join(dir, "out.csv");
    const sel = await aws(sim.server, [
      "s3api",
      "select-object-content",
      "--bucket",
      "cli3",
      "--key",
      "d.csv",
      "--expression",
      "SELECT name FROM S3Object WHERE CAST(n AS INT) > 1",
      "--expression-type",
      "SQL",
      "--input-serialization",
      '{"CSV": {"FileHeaderInfo": "USE"}}',
      "--output-serialization",
      '{"CSV": {}}',
      outFile,
    ]);
    expect(sel.code, sel.stderr).toBe(0);
    expect(readFileSync(outFile, "utf8")).toBe("b\nc\n");
  }, 60_000);
});

function writeCsv(dir: string): string {
  const f = join(dir, "d.csv");
  writeFileSync(f, "name,n\na,1\nb,2\nc,3\n");
  return f;
}
