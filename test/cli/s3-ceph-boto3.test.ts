/**
 * S3 behaviours a conformance-suite run (boto3, two accounts, browser POST) found awsim missing. One boto3
 * script, one server; each case records what it saw under a name the tests below check.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = String.raw`
import boto3, json, sys, urllib.request, uuid
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
def client(key):
    return boto3.client("s3", region_name="us-east-1", config=cfg, endpoint_url=url, aws_access_key_id=key, aws_secret_access_key="secret")
owner, other = client("test"), client("444455556666")
out = {}
def err(fn, **a):
    try:
        fn(**a)
        return None
    except ClientError as e:
        return [e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"], e.response["Error"].get("Message")]
def bucket(**a):
    name = "ceph-" + uuid.uuid4().hex[:12]
    owner.create_bucket(Bucket=name, **a)
    return name

# Another account that has used S3 (it owns no bucket) is a grantee S3 resolves by its canonical id.
other_id = other.list_buckets()["Owner"]["ID"]
b = bucket()
owner.put_object(Bucket=b, Key="k", Body=b"x")
acl = owner.get_object_acl(Bucket=b, Key="k")
grant = {"Grantee": {"ID": other_id, "Type": "CanonicalUser"}, "Permission": "READ"}
out["object_grant"] = err(owner.put_object_acl, Bucket=b, Key="k", AccessControlPolicy={"Owner": acl["Owner"], "Grants": acl["Grants"] + [grant]})
out["object_grants"] = sorted([g["Grantee"]["ID"], g["Permission"]] for g in owner.get_object_acl(Bucket=b, Key="k")["Grants"])
bacl = owner.get_bucket_acl(Bucket=b)
out["bucket_grant"] = err(owner.put_bucket_acl, Bucket=b, AccessControlPolicy={"Owner": bacl["Owner"], "Grants": bacl["Grants"] + [dict(grant, Permission="WRITE")]})
out["header_grant"] = err(owner.put_bucket_acl, Bucket=b, GrantRead='id="%s"' % other_id)
out["ids"] = [acl["Owner"]["ID"], other_id]
# An id no account has is still refused.
out["unknown"] = err(owner.put_bucket_acl, Bucket=b, GrantRead='id="%s"' % ("0" * 64))

# A browser POST with success_action_status 201 answers a PostResponse document without a namespace.
pb = bucket()
boundary = "----ceph" + uuid.uuid4().hex
parts = [("key", "dir/foo.txt"), ("success_action_status", "201"), ("Content-Type", "text/plain")]
body = b"".join(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v)).encode() for k, v in parts)
body += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="foo.txt"\r\n\r\n' % boundary).encode() + b"bar\r\n" + ("--%s--\r\n" % boundary).encode()
req = urllib.request.Request(url + "/" + pb, data=body, method="POST", headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
with urllib.request.urlopen(req) as r:
    out["post"] = [r.status, r.read().decode()]
out["post_etag"] = owner.head_object(Bucket=pb, Key="dir/foo.txt")["ETag"]
# GET and HEAD refuse x-amz-server-side-encryption: only writes choose SSE-S3/SSE-KMS.
sb = bucket()
owner.put_object(Bucket=sb, Key="k", Body=b"x", ServerSideEncryption="aws:kms")
reader = client("test")
def add_sse(params, **kw):
    params["headers"]["x-amz-server-side-encryption"] = "aws:kms"
reader.meta.events.register("before-call.s3.GetObject", add_sse)
reader.meta.events.register("before-call.s3.HeadObject", add_sse)
out["sse_get"] = err(reader.get_object, Bucket=sb, Key="k")
out["sse_head"] = err(reader.head_object, Bucket=sb, Key="k")
out["sse_plain"] = owner.get_object(Bucket=sb, Key="k")["ServerSideEncryption"]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("S3 behaviours from a conformance-suite run (boto3)", () => {
  const sim = useServer();
  let out: Record<string, any>;
  beforeAll(async () => {
    out = JSON.parse(await python(SCRIPT, [sim.server.url]));
  }, 60_000);

  it("grants name another account that has called S3 by its canonical id; unknown ids stay Invalid id", () => {
    const [ownerId, otherId] = out.ids;
    expect(otherId).toMatch(/^[0-9a-f]{64}$/);
    expect(otherId).not.toBe(ownerId);
    expect(out.object_grant).toBeNull();
    expect(out.object_grants).toEqual(
      [
        [ownerId, "FULL_CONTROL"],
        [otherId, "READ"],
      ].sort(),
    );
    expect(out.bucket_grant).toBeNull();
    expect(out.header_grant).toBeNull();
    expect(out.unknown).toEqual([400, "InvalidArgument", "Invalid id"]);
  });

  it("GetObject and HeadObject with x-amz-server-side-encryption are 400 InvalidArgument (only writes choose SSE)", () => {
    expect(out.sse_get).toEqual([400, "InvalidArgument", "x-amz-server-side-encryption header is not supported for this operation."]);
    expect(out.sse_head[0]).toBe(400);
    expect(out.sse_plain).toBe("aws:kms");
  });

  it("a 201 POST upload answers <PostResponse> with Location, Bucket, Key and ETag and no xmlns", () => {
    const [status, xml] = out.post;
    expect(status).toBe(201);
    expect(xml).toMatch(/<PostResponse><Location>[^<]+\/dir\/foo\.txt<\/Location><Bucket>ceph-[0-9a-f]{12}<\/Bucket><Key>dir\/foo\.txt<\/Key><ETag>/);
    expect(xml).not.toContain("xmlns");
    expect(xml).toContain(`<ETag>${out.post_etag.replace(/"/g, "&quot;")}</ETag>`);
  });
});
