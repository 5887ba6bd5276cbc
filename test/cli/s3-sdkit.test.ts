/**
 * The Python SDK teams' S3 integration tests (boto/botocore tests/integration/test_s3.py, boto/boto3 and
 * boto/s3transfer tests/integration, aws/aws-cli tests/integration/customizations/s3/test_plugin.py), replayed
 * with boto3 where awsim differed from the AWS behaviour they assert.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const PRELUDE = `
import json, sys, urllib.request, boto3, botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
sess = botocore.session.get_session()
sess.set_credentials("test", "test")
def client(region, **cfg):
    return sess.create_client("s3", region_name=region, endpoint_url=url, config=Config(retries={"max_attempts": 1}, **cfg))
def err(fn):
    try:
        fn()
        return None
    except ClientError as e:
        return [e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"], e.response["Error"].get("Message")]
out = {}
`;

describe.skipIf(!hasBoto3())("S3 against the botocore integration tests", () => {
  const sim = useServer({ reset: "s3" });
  const run = async (body: string) => JSON.parse(await python(PRELUDE + body, [sim.server.url], { timeout: 60_000 }));

  // botocore test_s3.py TestS3Objects.test_unicode_system_character (and its _with_list_v2 and
  // _with_list_object_versions variants): a key with a control character lists as itself (the SDK asks for
  // url encoding) and as foo%08 with EncodingType=url, and the test removes it with DeleteObject. XML 1.0
  // cannot carry the character, so DeleteObjects naming it is MalformedXML on AWS (raw or as &#8;).
  it("a key with a control character: listed url-encoded, deleted one by one; DeleteObjects naming it is MalformedXML", async () => {
    const out = await run(String.raw`
c = client("us-west-2")
c.create_bucket(Bucket="sdkit-ctl", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
c.put_object(Bucket="sdkit-ctl", Key="foo\x08", Body="foo")
out["v1"] = [o["Key"] for o in c.list_objects(Bucket="sdkit-ctl")["Contents"]]
out["v1url"] = [o["Key"] for o in c.list_objects(Bucket="sdkit-ctl", EncodingType="url")["Contents"]]
out["v2url"] = [o["Key"] for o in c.list_objects_v2(Bucket="sdkit-ctl", EncodingType="url")["Contents"]]
out["versions"] = [o["Key"] for o in c.list_object_versions(Bucket="sdkit-ctl", EncodingType="url")["Versions"]]
out["batch"] = err(lambda: c.delete_objects(Bucket="sdkit-ctl", Delete={"Objects": [{"Key": "foo\x08"}, {"Key": "other"}]}))
out["still_there"] = c.head_object(Bucket="sdkit-ctl", Key="foo\x08")["ContentLength"]
out["tab_ok"] = c.delete_objects(Bucket="sdkit-ctl", Delete={"Objects": [{"Key": "a\tb"}]})["Deleted"]
out["single"] = c.delete_object(Bucket="sdkit-ctl", Key="foo\x08")["ResponseMetadata"]["HTTPStatusCode"]
out["after"] = c.list_objects_v2(Bucket="sdkit-ctl")["KeyCount"]
print(json.dumps(out))
`);
    expect(out.v1).toEqual(["foo\b"]);
    expect(out.v1url).toEqual(["foo%08"]);
    expect(out.v2url).toEqual(["foo%08"]);
    expect(out.versions).toEqual(["foo%08"]);
    expect(out.batch).toEqual([400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema"]);
    expect(out.still_there).toBe(3);
    // Tab, CR and LF are XML characters: such keys still go through DeleteObjects.
    expect(out.tab_ok).toEqual([{ Key: "a\tb" }]);
    expect([out.single, out.after]).toEqual([204, 0]);
  });

  // botocore test_s3.py TestS3Buckets.test_can_get_bucket_location / TestS3SigV4Client.test_can_get_bucket_location
  // read the constraint back; the model says "Buckets with a LocationConstraint of EU reside in eu-west-1": the
  // bucket's region (x-amz-bucket-region, ListBuckets' BucketRegion) is eu-west-1 while GetBucketLocation answers EU,
  // and eu-west-1 takes SigV2.
  it("a bucket created with the legacy EU constraint lives in eu-west-1 and reads back EU", async () => {
    const out = await run(`
c = client("us-east-1")
c.create_bucket(Bucket="sdkit-legacy-eu", CreateBucketConfiguration={"LocationConstraint": "EU"})
out["location"] = c.get_bucket_location(Bucket="sdkit-legacy-eu")["LocationConstraint"]
out["head_region"] = c.head_bucket(Bucket="sdkit-legacy-eu")["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region")
out["listed"] = [b.get("BucketRegion") for b in c.list_buckets(BucketRegion="eu-west-1", MaxBuckets=10)["Buckets"] if b["Name"] == "sdkit-legacy-eu"]
v2 = client("eu-west-1", signature_version="s3")
v2.put_object(Bucket="sdkit-legacy-eu", Key="k", Body="v2 ok")
out["v2"] = v2.get_object(Bucket="sdkit-legacy-eu", Key="k")["Body"].read().decode()
print(json.dumps(out))
`);
    expect(out).toEqual({ location: "EU", head_region: "eu-west-1", listed: ["eu-west-1"], v2: "v2 ok" });
  });

  // botocore test_s3.py TestRegionRedirect.test_region_redirect_sigv2_to_sigv4_raises_error: a bucket in
  // eu-central-1 (a Region launched after January 2014) takes only SigV4, so a SigV2 client's request fails with
  // "The authorization mechanism you have provided is not supported."; TestS3PresignNonUsStandard shows SigV2
  // (presigned or signed) still works for a us-west-2 bucket, and SigV4 works everywhere.
  it("SigV2 requests to a bucket of a SigV4-only Region are InvalidRequest; older Regions still take them", async () => {
    const out = await run(String.raw`
eu = client("eu-central-1")
eu.create_bucket(Bucket="sdkit-eu", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
eu.put_object(Bucket="sdkit-eu", Key="k", Body="eu body")
v2eu = client("eu-central-1", signature_version="s3")
out["list"] = err(lambda: v2eu.list_objects(Bucket="sdkit-eu"))
out["put"] = err(lambda: v2eu.put_object(Bucket="sdkit-eu", Key="k2", Body="x"))
u = v2eu.generate_presigned_url("get_object", Params={"Bucket": "sdkit-eu", "Key": "k"})
try:
    urllib.request.urlopen(u)
    out["presigned_eu"] = None
except urllib.error.HTTPError as e:
    out["presigned_eu"] = [e.code, e.read().decode()]
out["v4_eu"] = eu.get_object(Bucket="sdkit-eu", Key="k")["Body"].read().decode()
w = client("us-west-2")
w.create_bucket(Bucket="sdkit-west", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
v2w = client("us-west-2", signature_version="s3")
v2w.put_object(Bucket="sdkit-west", Key="myobject", Body="foo")
out["v2_west"] = v2w.get_object(Bucket="sdkit-west", Key="myobject")["Body"].read().decode()
out["presigned_west"] = urllib.request.urlopen(v2w.generate_presigned_url("get_object", Params={"Bucket": "sdkit-west", "Key": "myobject"})).read().decode()
def post(cl, bucket):
    p = cl.generate_presigned_post(bucket, "posted", Fields={"acl": "public-read"}, Conditions=[{"acl": "public-read"}])
    b = "sdkitboundary"
    parts = [f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in p["fields"].items()]
    parts.append(f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="baz"\r\n\r\nsome data\r\n--{b}--\r\n'.encode())
    req = urllib.request.Request(url + "/" + bucket, data=b"".join(parts), method="POST", headers={"Content-Type": f"multipart/form-data; boundary={b}"})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status, r.read().decode()]
    except urllib.error.HTTPError as e:
        return [e.code, e.read().decode()]
out["post_v2_eu"] = post(v2eu, "sdkit-eu")
out["post_v4_eu"] = post(eu, "sdkit-eu")
out["post_v2_west"] = post(v2w, "sdkit-west")
print(json.dumps(out))
`);
    const refused = [400, "InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."];
    expect(out.list).toEqual(refused);
    expect(out.put).toEqual(refused);
    expect(out.presigned_eu[0]).toBe(400);
    expect(out.presigned_eu[1]).toContain(
      "<Code>InvalidRequest</Code><Message>The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.</Message>",
    );
    expect(out.v4_eu).toBe("eu body");
    expect([out.v2_west, out.presigned_west]).toEqual(["foo", "foo"]);
    // Browser POST forms too (TestS3PresignNonUsStandard.test_presign_post_sigv2 / _sigv4 expect 204).
    expect(out.post_v2_eu[0]).toBe(400);
    expect(out.post_v2_eu[1]).toContain("<Code>InvalidRequest</Code>");
    expect(out.post_v4_eu).toEqual([204, ""]);
    expect(out.post_v2_west).toEqual([204, ""]);
  });
});
