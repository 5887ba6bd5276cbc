/**
 * botocore's own paginators (boto3, the aws CLI) over five items at page size 2: they follow more_results
 * (IAM's and S3's IsTruncated), multi-member tokens (S3 uploads and versions) and ListObjects' last-key
 * fallback, which the JS SDK's paginators do not.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
def walk(client, op, key, size=2, **args):
    pages = list(client.get_paginator(op).paginate(PaginationConfig={"PageSize": size}, **args))
    items = [json.dumps(x, sort_keys=True, default=str) for p in pages for k in key.split("+") for x in p.get(k, [])]
    out[op] = {"pages": len(pages), "items": len(items), "unique": len(set(items))}

iam = boto3.client("iam", **kw)
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
for i in range(5):
    iam.create_role(RoleName=f"b3-role-{i}", AssumeRolePolicyDocument=trust, Path="/b3/")
    iam.create_user(UserName=f"b3-user-{i}", Path="/b3/")
walk(iam, "list_roles", "Roles", PathPrefix="/b3/")
walk(iam, "list_users", "Users", PathPrefix="/b3/")

s3 = boto3.client("s3", **kw)
s3.create_bucket(Bucket="b3-bucket")
for i in range(5): s3.put_object(Bucket="b3-bucket", Key=f"k{i}", Body=b"x")
walk(s3, "list_objects", "Contents", Bucket="b3-bucket")
walk(s3, "list_objects_v2", "Contents", Bucket="b3-bucket")
s3.create_bucket(Bucket="b3-versions")
s3.put_bucket_versioning(Bucket="b3-versions", VersioningConfiguration={"Status": "Enabled"})
for k in ["a", "a", "a", "b"]: s3.put_object(Bucket="b3-versions", Key=k, Body=b"x")
s3.delete_object(Bucket="b3-versions", Key="b")
walk(s3, "list_object_versions", "Versions+DeleteMarkers", Bucket="b3-versions")
for k in ["u", "u", "u", "v", "w"]: s3.create_multipart_upload(Bucket="b3-bucket", Key=k)
walk(s3, "list_multipart_uploads", "Uploads", Bucket="b3-bucket")
up = s3.create_multipart_upload(Bucket="b3-versions", Key="big")["UploadId"]
for n in range(1, 6): s3.upload_part(Bucket="b3-versions", Key="big", UploadId=up, PartNumber=n, Body=b"part")
walk(s3, "list_parts", "Parts", Bucket="b3-versions", Key="big", UploadId=up)

logs = boto3.client("logs", **kw)
for i in range(5): logs.create_log_group(logGroupName=f"/b3/g{i}")
walk(logs, "describe_log_groups", "logGroups", logGroupNamePrefix="/b3/")

ecs = boto3.client("ecs", **kw)
for i in range(5): ecs.create_cluster(clusterName=f"b3-c{i}")
walk(ecs, "list_clusters", "clusterArns")

ec2 = boto3.client("ec2", **kw)
for i in range(7): ec2.create_vpc(CidrBlock=f"10.{i + 1}.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "b3", "Value": "1"}]}])
walk(ec2, "describe_vpcs", "Vpcs", size=5, Filters=[{"Name": "tag:b3", "Values": ["1"]}])
print(json.dumps(out))
`;

const sim = useServer();

describe.skipIf(!hasBoto3())("botocore paginators", () => {
  it("walk every item once in ceil(N / page size) pages", async () => {
    const out = JSON.parse(await python(SCRIPT, [sim.server.url], { timeout: 60_000 })) as Record<string, { pages: number; items: number; unique: number }>;
    const want = (items: number, pages: number) => ({ pages, items, unique: items });
    expect(out).toEqual({
      list_roles: want(5, 3),
      list_users: want(5, 3),
      list_objects: want(5, 3),
      list_objects_v2: want(5, 3),
      list_object_versions: want(5, 3),
      list_multipart_uploads: want(5, 3),
      list_parts: want(5, 3),
      describe_log_groups: want(5, 3),
      list_clusters: want(5, 3),
      describe_vpcs: want(7, 2),
    });
  }, 90_000);
});
