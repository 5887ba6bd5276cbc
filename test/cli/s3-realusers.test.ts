/**
 * Real users' S3 code replayed through boto3: Apache Airflow's S3 system test (example_s3.py, through what its
 * S3Hook calls), aws-sdk-pandas' tests/unit/test_s3_select.py (select_query over JSON floats and gzip), boto3's own
 * SHA512 checksums (ChecksumAlgorithm="SHA512", validated by boto3 on GET) and Requester Pays reads (S3A's
 * ITestS3ARequesterPays). One script, one server; each case records what it saw under a name the tests check.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = String.raw`
import boto3, gzip, hashlib, base64, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
def client(key):
    return boto3.client("s3", region_name="us-east-1", config=cfg, endpoint_url=url, aws_access_key_id=key, aws_secret_access_key="secret")
s3, other = client("test"), client("111122223333")
out = {}
def err(fn, **a):
    try:
        fn(**a)
        return None
    except ClientError as e:
        return [e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]]

# Airflow example_s3: buckets, tagging, objects, prefixes, sensors (head/list), copy, delete_objects, force delete.
b1, b2 = "env-s3-bucket", "env-s3-bucket-2"
s3.create_bucket(Bucket=b1); s3.create_bucket(Bucket=b2)
s3.put_bucket_tagging(Bucket=b1, Tagging={"TagSet": [{"Key": "test-s3-bucket-tagging-key", "Value": "test-s3-bucket-tagging-value"}]})
out["tags"] = s3.get_bucket_tagging(Bucket=b1)["TagSet"]
s3.delete_bucket_tagging(Bucket=b1)
out["tags_deleted"] = err(s3.get_bucket_tagging, Bucket=b1)
data = "\n    apple,0.5\n    milk,2.5\n    bread,4.0\n"
out["missing_key"] = err(s3.head_object, Bucket=b1, Key="env-key")
for k in ("env-key", "env-key2", "dir/env-key3"):
    s3.put_object(Bucket=b1, Key=k, Body=data.encode())
pages = s3.get_paginator("list_objects_v2").paginate(Bucket=b1, Prefix="", Delimiter="/", PaginationConfig={"PageSize": 1})
out["prefixes"] = [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])]
out["keys"] = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=b1, PaginationConfig={"PageSize": 1}) for o in page.get("Contents", [])]
out["size"] = s3.head_object(Bucket=b1, Key="env-key")["ContentLength"]
s3.copy_object(CopySource={"Bucket": b1, "Key": "env-key"}, Bucket=b2, Key="env-key2")
out["copied"] = s3.get_object(Bucket=b2, Key="env-key2")["Body"].read().decode() == data
out["deleted"] = s3.delete_objects(Bucket=b2, Delete={"Objects": [{"Key": "env-key2"}]}).get("Deleted")
out["not_empty"] = err(s3.delete_bucket, Bucket=b1)
s3.delete_objects(Bucket=b1, Delete={"Objects": [{"Key": k} for k in out["keys"]]})
s3.delete_bucket(Bucket=b1); s3.delete_bucket(Bucket=b2)
out["bucket_gone"] = err(s3.head_bucket, Bucket=b1)

# boto3 computes SHA512 itself; S3 verifies it, answers it and returns it for boto3 to validate on GET.
b = "realusers-sums"
s3.create_bucket(Bucket=b)
put = s3.put_object(Bucket=b, Key="k", Body=b"hello world", ChecksumAlgorithm="SHA512")
out["sha512_put"] = put.get("ChecksumSHA512") == base64.b64encode(hashlib.sha512(b"hello world").digest()).decode()
got = s3.get_object(Bucket=b, Key="k", ChecksumMode="ENABLED")
out["sha512_get"] = [got["Body"].read().decode(), got.get("ChecksumSHA512") == put.get("ChecksumSHA512")]
out["sha512_bad"] = err(s3.put_object, Bucket=b, Key="bad", Body=b"hello world", ChecksumSHA512=base64.b64encode(hashlib.sha512(b"x").digest()).decode())

# aws-sdk-pandas select_query: a JSON document of floats comes back with its floats; gzip Stats count stored bytes.
doc = json.dumps([{"c0": 1, "c2": 4.0}, {"c0": 2, "c2": 5.5}])
s3.put_object(Bucket=b, Key="t.json.gz", Body=gzip.compress(doc.encode()))
r = s3.select_object_content(Bucket=b, Key="t.json.gz", Expression="select * from s3object[*][*]", ExpressionType="SQL",
    InputSerialization={"JSON": {"Type": "Document"}, "CompressionType": "GZIP"}, OutputSerialization={"JSON": {}}, RequestProgress={"Enabled": False})
records, stats = b"", {}
for ev in r["Payload"]:
    if "Records" in ev: records += ev["Records"]["Payload"]
    if "Stats" in ev: stats = ev["Stats"]["Details"]
out["select"] = records.decode()
out["select_stats"] = [stats.get("BytesScanned") == len(gzip.compress(doc.encode())) or stats.get("BytesScanned"), stats.get("BytesProcessed") == len(doc)]

# Requester Pays: another account the bucket policy grants reads with RequestPayer and is told it was charged.
s3.put_bucket_request_payment(Bucket=b, RequestPaymentConfiguration={"Payer": "Requester"})
s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/*"}]}))
out["rp_refused"] = err(other.get_object, Bucket=b, Key="k")
out["rp_charged"] = other.get_object(Bucket=b, Key="k", RequestPayer="requester").get("RequestCharged")
print(json.dumps(out))
`;

const sim = useServer();
let out: Record<string, any> = {};

describe.skipIf(!hasBoto3())("real users' S3 code through boto3", () => {
  beforeAll(async () => {
    out = JSON.parse(await python(SCRIPT, [sim.server.url]));
  }, 60_000);

  it("Airflow's example_s3 flow: tagging, listing by prefix, copy, delete_objects, force delete", () => {
    expect(out.tags).toEqual([{ Key: "test-s3-bucket-tagging-key", Value: "test-s3-bucket-tagging-value" }]);
    expect(out.tags_deleted).toEqual([404, "NoSuchTagSet"]);
    expect(out.missing_key).toEqual([404, "404"]);
    expect(out.prefixes).toEqual(["dir/"]);
    expect(out.keys).toEqual(["dir/env-key3", "env-key", "env-key2"]);
    expect(out.size).toBe(42);
    expect(out.copied).toBe(true);
    expect(out.deleted).toEqual([{ Key: "env-key2" }]);
    expect(out.not_empty).toEqual([409, "BucketNotEmpty"]);
    expect(out.bucket_gone).toEqual([404, "404"]);
  });

  it("boto3's SHA512 checksums are verified, answered and validated on GET", () => {
    expect(out.sha512_put).toBe(true);
    expect(out.sha512_get).toEqual(["hello world", true]);
    expect(out.sha512_bad).toEqual([400, "BadDigest"]);
  });

  it("aws-sdk-pandas select_query: JSON floats stay floats; gzip Stats", () => {
    expect(out.select).toBe('{"c0":1,"c2":4.0}\n{"c0":2,"c2":5.5}\n');
    expect(out.select_stats).toEqual([true, true]);
  });

  it("Requester Pays: refused without RequestPayer, charged with it", () => {
    expect(out.rp_refused).toEqual([403, "AccessDenied"]);
    expect(out.rp_charged).toBe("requester");
  });
});
