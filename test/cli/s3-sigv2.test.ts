/**
 * S3's SigV2 Authorization header ("AWS AKID:signature", HMAC-SHA1 over the REST authentication reference's string
 * to sign) verified under --enforce-iam, as SigV4 is: boto3 with signature_version "s3" (botocore's HmacV1Auth) signs
 * path-style and virtual-hosted requests with sub-resources (versioning, uploads/uploadId/partNumber, tagging, acl,
 * response-* overrides); a wrong secret is SignatureDoesNotMatch with the StringToSign S3 computed, a date 20 minutes
 * off is RequestTimeTooSkewed. (aptly's forceSigV2 and the Docker registry's v4auth: false sign this way.)
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { clientConfig, hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys, datetime
from botocore.config import Config
from botocore.exceptions import ClientError
url, key, secret = sys.argv[1:4]
out = {}
def client(secret, style="path"):
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret,
                        config=Config(signature_version="s3", s3={"addressing_style": style}, retries={"max_attempts": 1}))
s3 = client(secret)
s3.create_bucket(Bucket="v2bkt")
s3.put_bucket_versioning(Bucket="v2bkt", VersioningConfiguration={"Status": "Enabled"})
s3.put_object(Bucket="v2bkt", Key="dir/a b+c.txt", Body=b"hello v2", ContentType="text/plain", Metadata={"who": "me"})
got = s3.get_object(Bucket="v2bkt", Key="dir/a b+c.txt", ResponseContentType="application/x-test")
out["get"] = [got["Body"].read().decode(), got["ContentType"], got["Metadata"]]
out["versions"] = len(s3.list_object_versions(Bucket="v2bkt")["Versions"])
s3.put_object_tagging(Bucket="v2bkt", Key="dir/a b+c.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
out["tags"] = s3.get_object_tagging(Bucket="v2bkt", Key="dir/a b+c.txt")["TagSet"]
out["acl"] = len(s3.get_object_acl(Bucket="v2bkt", Key="dir/a b+c.txt")["Grants"])
up = s3.create_multipart_upload(Bucket="v2bkt", Key="mp")["UploadId"]
etag = s3.upload_part(Bucket="v2bkt", Key="mp", UploadId=up, PartNumber=1, Body=b"p" * 1024)["ETag"]
s3.complete_multipart_upload(Bucket="v2bkt", Key="mp", UploadId=up, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
out["mp"] = s3.head_object(Bucket="v2bkt", Key="mp")["ContentLength"]
out["listed"] = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="v2bkt")["Contents"])
try:
    client("wrong-secret").get_object(Bucket="v2bkt", Key="mp")
except ClientError as e:
    out["wrong"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("StringToSign", "")]
import botocore.auth, email.utils, time
botocore.auth.formatdate = lambda usegmt=True: email.utils.formatdate(time.time() - 20 * 60, usegmt=True)
try:
    client(secret).get_object_tagging(Bucket="v2bkt", Key="mp")
except ClientError as e:
    out["skewed"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("S3 SigV2 under --enforce-iam (boto3, signature_version s3)", () => {
  const sim = useServer({ enforceIam: true });

  it("a user's SigV2-signed requests pass; a wrong secret and a skewed date are refused", async () => {
    const iam = new IAMClient(clientConfig(sim.server));
    await iam.send(new CreateUserCommand({ UserName: "v2user" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "v2user",
        PolicyName: "s3",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "v2user" }))).AccessKey!;
    const out = JSON.parse(await python(SCRIPT, [sim.server.url, key.AccessKeyId!, key.SecretAccessKey!], { timeout: 60_000 }));
    expect(out.get).toEqual(["hello v2", "application/x-test", { who: "me" }]);
    expect(out.versions).toBe(1);
    expect(out.tags).toEqual([{ Key: "k", Value: "v" }]);
    expect(out.acl).toBe(1);
    expect(out.mp).toBe(1024);
    expect(out.listed).toEqual(["dir/a b+c.txt", "mp"]);
    expect(out.wrong[0]).toBe("SignatureDoesNotMatch");
    expect(out.wrong[1]).toBe(403);
    expect(out.wrong[2]).toMatch(/^GET\n\n\n[^\n]+GMT\n(x-amz-[^\n]+\n)*\/v2bkt\/mp$/);
    expect(out.skewed).toEqual(["RequestTimeTooSkewed", 403]);
  });
});
