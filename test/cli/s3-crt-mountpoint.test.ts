/**
 * boto3 appending to and renaming objects of a directory bucket as mountpoint-s3's incremental uploads do
 * (mountpoint-s3-client tests/put_object_single.rs test_append_*, tests/rename_object.rs): PutObject with
 * WriteOffsetBytes (and If-Match on the last ETag), a stale offset refused, a key-only RenameSource.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = String.raw`
import boto3, json, sys
from botocore.exceptions import ClientError
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-west-2", aws_access_key_id="111122223333", aws_secret_access_key="t")
b = "b3app--usw2-az1--x-s3"
s3.create_bucket(Bucket=b, CreateBucketConfiguration={"Location": {"Type": "AvailabilityZone", "Name": "usw2-az1"}, "Bucket": {"Type": "Directory", "DataRedundancy": "SingleAvailabilityZone"}})
out = {}
r = s3.put_object(Bucket=b, Key="log/app.log", Body=b"line 1\n", WriteOffsetBytes=0)
out["first"] = r.get("Size")
r = s3.put_object(Bucket=b, Key="log/app.log", Body=b"line 2\n", WriteOffsetBytes=7, IfMatch=r["ETag"])
out["second"] = [r.get("Size"), r.get("ChecksumType")]
try:
    s3.put_object(Bucket=b, Key="log/app.log", Body=b"line 3\n", WriteOffsetBytes=7)
except ClientError as e:
    out["stale"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
s3.rename_object(Bucket=b, Key="log/app.1.log", RenameSource="log/app.log")
out["body"] = s3.get_object(Bucket=b, Key="log/app.1.log")["Body"].read().decode()
s3.create_bucket(Bucket="b3-general")
try:
    s3.put_object(Bucket="b3-general", Key="k", Body=b"x", WriteOffsetBytes=0)
except ClientError as e:
    out["general"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;

const sim = useServer();

describe.skipIf(!hasBoto3())("boto3 appends and renames in a directory bucket", () => {
  it("appends at the object's size, refuses a stale offset, renames by key; general purpose buckets answer 501", async () => {
    const out = JSON.parse((await python(SCRIPT, [sim.server.url], { timeout: 60_000 })).trim().split("\n").pop()!);
    expect(out).toEqual({
      first: 7,
      second: [14, "FULL_OBJECT"],
      stale: ["InvalidWriteOffset", 400],
      body: "line 1\nline 2\n",
      general: ["NotImplemented", 501],
    });
  });
});
