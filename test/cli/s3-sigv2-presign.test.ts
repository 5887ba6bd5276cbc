/**
 * S3's SigV2 query-string authentication (presigned URLs with AWSAccessKeyId, Expires and Signature, as boto3 with
 * signature_version "s3" generates them) verified under --enforce-iam: HMAC-SHA1 over the REST authentication
 * reference's string to sign with Expires in place of Date, the x-amz-* headers, Content-Type and Content-MD5 botocore
 * moved into the query counted as headers. A wrong secret or a tampered URL is SignatureDoesNotMatch with the
 * StringToSign, an expired URL AccessDenied "Request has expired" with Expires and ServerTime, an unknown key under
 * strict InvalidAccessKeyId; the URL acts as its key's identity (its IAM policies apply). Without --enforce-iam the
 * signature is not checked. SSE-KMS objects need SigV4: SigV2 reads and writes and anonymous reads are InvalidArgument.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { hasBoto3, python, startServer, useServer } from "../helpers.js";

const ROOT = { accessKeyId: "AKIAROOTV2PRESIGN000", secretAccessKey: "rootsecretv2presign" };

/** Presigns with boto3 (signature_version "s3", path style) and fetches with urllib: status, body and headers per case. */
const SCRIPT = `
import boto3, json, sys, time, urllib.request, urllib.error
from botocore.config import Config
url, key, secret, root_key, root_secret = sys.argv[1:6]
def client(k, s):
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=k, aws_secret_access_key=s,
                        config=Config(signature_version="s3", s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
def fetch(u, method="GET", data=None, headers=None):
    req = urllib.request.Request(u, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status, r.read().decode(), dict(r.headers)]
    except urllib.error.HTTPError as e:
        return [e.code, e.read().decode(), dict(e.headers)]
root = client(root_key, root_secret)
user = client(key, secret)
root.create_bucket(Bucket="v2pre")
root.put_object(Bucket="v2pre", Key="dir/a b.txt", Body=b"hello presigned", ContentType="text/plain")
out = {}
get = lambda c, **kw: c.generate_presigned_url("get_object", Params={"Bucket": "v2pre", "Key": "dir/a b.txt", **kw}, ExpiresIn=300)
u = get(user)
out["url"] = u
out["get"] = fetch(u)[:2]
out["get_override"] = fetch(get(user, ResponseContentType="application/x-v2"))
out["head"] = fetch(u, method="HEAD")[0]
out["head_url"] = fetch(user.generate_presigned_url("head_object", Params={"Bucket": "v2pre", "Key": "dir/a b.txt"}, ExpiresIn=300), method="HEAD")[0]
put = user.generate_presigned_url("put_object", Params={"Bucket": "v2pre", "Key": "up.txt", "ContentType": "text/x-up",
                                   "Metadata": {"color": "blue"}, "ACL": "public-read"}, ExpiresIn=300)
out["put_url"] = put
# urllib would send Content-Type: application/x-www-form-urlencoded, which the signature does not cover.
ct = {"Content-Type": "text/x-up"}
out["put"] = fetch(put, method="PUT", data=b"uploaded", headers=ct)[0]
h = root.head_object(Bucket="v2pre", Key="up.txt")
out["put_stored"] = [h["ContentType"], h["Metadata"], root.get_object(Bucket="v2pre", Key="up.txt")["Body"].read().decode()]
out["put_acl"] = sorted(g["Grantee"].get("URI", g["Grantee"].get("ID", "")) + ":" + g["Permission"] for g in root.get_object_acl(Bucket="v2pre", Key="up.txt")["Grants"])
# Negative cases: a wrong secret, a tampered key, a tampered Expires, a hoisted header changed, an expired URL.
out["wrong_secret"] = fetch(get(client(key, "not-the-secret")))
out["tampered_key"] = fetch(u.replace("dir/a%20b.txt", "dir/other.txt"))
import re
later = str(int(time.time()) + 9999)
out["tampered_expires"] = fetch(re.sub(r"Expires=\\d+", "Expires=" + later, u))
out["tampered_acl"] = fetch(put.replace("x-amz-acl=public-read", "x-amz-acl=public-read-write"), method="PUT", data=b"x", headers=ct)
out["expired"] = fetch(user.generate_presigned_url("get_object", Params={"Bucket": "v2pre", "Key": "dir/a b.txt"}, ExpiresIn=-30))
out["unknown"] = fetch(get(client("AKIANOSUCHKEY0000000", "whatever")))
# The user may not read "secret/*": its own policy denies it, signature or not.
root.put_object(Bucket="v2pre", Key="secret/x", Body=b"no")
out["denied"] = fetch(user.generate_presigned_url("get_object", Params={"Bucket": "v2pre", "Key": "secret/x"}, ExpiresIn=300))
# Temporary credentials: botocore signs x-amz-security-token and moves it into the query too.
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id=root_key, aws_secret_access_key=root_secret)
me = boto3.client("sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id=root_key, aws_secret_access_key=root_secret).get_caller_identity()["Account"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{me}:user/presigner"}, "Action": "sts:AssumeRole"}]}
iam.create_role(RoleName="v2reader", AssumeRolePolicyDocument=json.dumps(trust))
iam.put_role_policy(RoleName="v2reader", PolicyName="read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
creds = boto3.client("sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret).assume_role(
    RoleArn=f"arn:aws:iam::{me}:role/v2reader", RoleSessionName="v2session")["Credentials"]
session = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                       aws_session_token=creds["SessionToken"], config=Config(signature_version="s3", s3={"addressing_style": "path"}))
su = get(session)
out["session_url_has_token"] = "x-amz-security-token=" in su
out["session_get"] = fetch(su)[:2]
out["session_bad_token"] = fetch(su.replace("x-amz-security-token=", "x-amz-security-token=X"))[:2]
# SSE-KMS needs SigV4: a SigV2 read of a KMS object, a SigV2 write asking for KMS and an anonymous read are refused.
v4 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=root_key, aws_secret_access_key=root_secret,
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
v4.put_object(Bucket="v2pre", Key="kms", Body=b"kms data", ServerSideEncryption="aws:kms", ACL="public-read")
v4.put_object(Bucket="v2pre", Key="plain", Body=b"plain data", ACL="public-read")
out["kms_v2_get"] = fetch(user.generate_presigned_url("get_object", Params={"Bucket": "v2pre", "Key": "kms"}, ExpiresIn=300))
out["kms_v4_get"] = fetch(v4.generate_presigned_url("get_object", Params={"Bucket": "v2pre", "Key": "kms"}, ExpiresIn=300))[:2]
out["kms_anonymous"] = fetch(url + "/v2pre/kms")
out["plain_anonymous"] = fetch(url + "/v2pre/plain")[:2]
try:
    user.put_object(Bucket="v2pre", Key="kms2", Body=b"x", ServerSideEncryption="aws:kms")
    out["kms_v2_put"] = "stored"
except Exception as e:
    out["kms_v2_put"] = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;

const xml = (body: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];

describe.skipIf(!hasBoto3())("S3 SigV2 presigned URLs under --enforce-iam=strict (boto3, signature_version s3)", () => {
  const sim = useServer({ enforceIam: "strict", rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] });

  it("verifies the signature, the expiry and the key, and authorizes the key's identity", async () => {
    const iam = new IAMClient({ endpoint: sim.server.url, region: "us-east-1", credentials: ROOT, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: "presigner" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "presigner",
        PolicyName: "s3",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "s3:*", Resource: "*" },
            { Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::v2pre/secret/*" },
          ],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "presigner" }))).AccessKey!;
    const out = JSON.parse(
      await python(SCRIPT, [sim.server.url, key.AccessKeyId!, key.SecretAccessKey!, ROOT.accessKeyId, ROOT.secretAccessKey], { timeout: 60_000 }),
    );
    expect(out.url).toContain(`AWSAccessKeyId=${key.AccessKeyId}`);
    expect(out.url).toMatch(/[?&]Signature=/);
    expect(out.get).toEqual([200, "hello presigned"]);
    expect(out.get_override[0]).toBe(200);
    expect(out.get_override[2]["content-type"]).toBe("application/x-v2");
    // The signature covers the verb: a GET URL does not serve a HEAD.
    expect(out.head).toBe(403);
    expect(out.head_url).toBe(200);
    // botocore moved Content-Type, x-amz-meta-* and x-amz-acl into the query; they were signed and are applied.
    expect(out.put_url).toContain("x-amz-acl=public-read");
    expect(out.put_url).toContain("content-type=text%2Fx-up");
    expect(out.put).toBe(200);
    expect(out.put_stored).toEqual(["text/x-up", { color: "blue" }, "uploaded"]);
    expect(out.put_acl).toContain("http://acs.amazonaws.com/groups/global/AllUsers:READ");

    const [ws, wsBody] = out.wrong_secret;
    expect(ws).toBe(403);
    expect(xml(wsBody, "Code")).toBe("SignatureDoesNotMatch");
    expect(xml(wsBody, "AWSAccessKeyId")).toBe(key.AccessKeyId);
    // GET, no Content-MD5 or Content-Type, Expires (seconds), then the resource as botocore signed it.
    // That URL was presigned apart from out.url, so its Expires may be a second later.
    const urlExpires = Number(/Expires=(\d+)/.exec(out.url)![1]);
    const expires = /^GET\n\n\n(\d+)\n/.exec(xml(wsBody, "StringToSign") ?? "")?.[1];
    expect(Math.abs(Number(expires) - urlExpires)).toBeLessThanOrEqual(2);
    expect(xml(wsBody, "StringToSign")).toBe(`GET\n\n\n${expires}\n/v2pre/dir/a%20b.txt`);
    expect(xml(wsBody, "StringToSignBytes")).toBe(Buffer.from(`GET\n\n\n${expires}\n/v2pre/dir/a%20b.txt`).toString("hex").match(/../g)!.join(" "));
    for (const c of ["tampered_key", "tampered_expires", "tampered_acl"]) {
      expect(out[c][0], c).toBe(403);
      expect(xml(out[c][1], "Code"), c).toBe("SignatureDoesNotMatch");
    }
    expect(xml(out.tampered_acl[1], "StringToSign")).toContain("\nx-amz-acl:public-read-write\n");

    const [es, eBody] = out.expired;
    expect(es).toBe(403);
    expect(xml(eBody, "Code")).toBe("AccessDenied");
    expect(xml(eBody, "Message")).toBe("Request has expired");
    expect(xml(eBody, "Expires")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(xml(eBody, "Expires")!)).toBeLessThan(Date.parse(xml(eBody, "ServerTime")!));

    expect(out.unknown[0]).toBe(403);
    expect(xml(out.unknown[1], "Code")).toBe("InvalidAccessKeyId");
    expect(xml(out.unknown[1], "AWSAccessKeyId")).toBe("AKIANOSUCHKEY0000000");

    expect(out.denied[0]).toBe(403);
    expect(xml(out.denied[1], "Code")).toBe("AccessDenied");

    expect(out.session_url_has_token).toBe(true);
    expect(out.session_get).toEqual([200, "hello presigned"]);
    expect(out.session_bad_token[0]).toBe(400);
    expect(xml(out.session_bad_token[1], "Code")).toBe("InvalidToken");

    const KMS_V4 = "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.";
    for (const c of ["kms_v2_get", "kms_anonymous"]) {
      expect(out[c][0], c).toBe(400);
      expect(xml(out[c][1], "Code"), c).toBe("InvalidArgument");
      expect(xml(out[c][1], "Message"), c).toBe(KMS_V4);
      expect(xml(out[c][1], "ArgumentName"), c).toBe("Authorization");
    }
    expect(out.kms_v4_get).toEqual([200, "kms data"]);
    expect(out.plain_anonymous).toEqual([200, "plain data"]);
    expect(out.kms_v2_put).toEqual(["InvalidArgument", KMS_V4, 400]);
  });

  it("without --enforce-iam a SigV2 presigned URL is not verified", async () => {
    const plain = await startServer();
    try {
      const script = `
import boto3, sys, urllib.request
from botocore.config import Config
def client(s):
    return boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key=s,
                        config=Config(signature_version="s3", s3={"addressing_style": "path"}))
client("test").create_bucket(Bucket="open")
client("test").put_object(Bucket="open", Key="k", Body=b"open data")
u = client("wrong").generate_presigned_url("get_object", Params={"Bucket": "open", "Key": "k"}, ExpiresIn=60)
print(urllib.request.urlopen(u).read().decode())
`;
      expect((await python(script, [plain.url], { timeout: 60_000 })).trim()).toBe("open data");
    } finally {
      await plain.stop();
    }
  });
});
