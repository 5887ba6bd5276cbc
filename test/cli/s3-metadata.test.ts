/** boto3 and S3 Metadata configurations: botocore's own serializers and error parsing for the V1 and V2 operations. */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
out = {}
def code(f):
    try:
        f()
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
s3.create_bucket(Bucket="boto-meta")
out["missing"] = code(lambda: s3.get_bucket_metadata_configuration(Bucket="boto-meta"))
s3.create_bucket_metadata_configuration(Bucket="boto-meta", MetadataConfiguration={
    "JournalTableConfiguration": {"RecordExpiration": {"Expiration": "ENABLED", "Days": 10}},
    "InventoryTableConfiguration": {"ConfigurationState": "DISABLED"}})
s3.update_bucket_metadata_inventory_table_configuration(Bucket="boto-meta", InventoryTableConfiguration={
    "ConfigurationState": "ENABLED", "EncryptionConfiguration": {"SseAlgorithm": "AES256"}})
s3.update_bucket_metadata_journal_table_configuration(Bucket="boto-meta", JournalTableConfiguration={
    "RecordExpiration": {"Expiration": "ENABLED", "Days": 365}})
out["v2"] = s3.get_bucket_metadata_configuration(Bucket="boto-meta")["GetBucketMetadataConfigurationResult"]["MetadataConfigurationResult"]
out["v1_on_v2"] = code(lambda: s3.get_bucket_metadata_table_configuration(Bucket="boto-meta"))
out["days"] = code(lambda: s3.update_bucket_metadata_journal_table_configuration(Bucket="boto-meta", JournalTableConfiguration={
    "RecordExpiration": {"Expiration": "ENABLED", "Days": 3}}))
s3.delete_bucket_metadata_configuration(Bucket="boto-meta")
s3.create_bucket_metadata_table_configuration(Bucket="boto-meta", MetadataTableConfiguration={"S3TablesDestination": {
    "TableBucketArn": "arn:aws:s3tables:us-east-1:000000000000:bucket/tbl", "TableName": "meta"}})
out["v1"] = s3.get_bucket_metadata_table_configuration(Bucket="boto-meta")["GetBucketMetadataTableConfigurationResult"]
s3.delete_bucket_metadata_table_configuration(Bucket="boto-meta")
out["after"] = code(lambda: s3.get_bucket_metadata_configuration(Bucket="boto-meta"))
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("boto3: S3 Metadata", () => {
  const sim = useServer();

  it("V2 create, update, get; V1 create, get, delete; AWS's error codes", async () => {
    const env = { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const out = JSON.parse(await python(SCRIPT, [sim.server.url], { env, timeout: 60_000 }));
    expect(out.missing).toEqual(["MetadataConfigurationNotFound", 404]);
    expect(out.v2.DestinationResult).toEqual({
      TableBucketType: "aws",
      TableBucketArn: "arn:aws:s3tables:us-east-1:000000000000:bucket/aws-s3",
      TableNamespace: "b_boto-meta",
    });
    expect(out.v2.JournalTableConfigurationResult).toMatchObject({
      TableStatus: "ACTIVE",
      TableName: "journal",
      RecordExpiration: { Expiration: "ENABLED", Days: 365 },
    });
    expect(out.v2.InventoryTableConfigurationResult).toMatchObject({ ConfigurationState: "ENABLED", TableStatus: "ACTIVE", TableName: "inventory" });
    expect(out.v2.InventoryTableConfigurationResult.TableArn).toMatch(/^arn:aws:s3tables:us-east-1:000000000000:bucket\/aws-s3\/table\/[0-9a-f-]{36}$/);
    expect(out.v1_on_v2).toEqual(["MethodNotAllowed", 405]);
    expect(out.days).toEqual(["InvalidArgument", 400]);
    expect(out.v1).toEqual({
      MetadataTableConfigurationResult: {
        S3TablesDestinationResult: {
          TableBucketArn: "arn:aws:s3tables:us-east-1:000000000000:bucket/tbl",
          TableName: "meta",
          TableArn: "arn:aws:s3tables:us-east-1:000000000000:bucket/tbl/table/meta",
          TableNamespace: "aws_s3_metadata",
        },
      },
      Status: "FAILED",
      Error: { ErrorCode: "TableBucketNotFound", ErrorMessage: expect.stringMatching(/^The table bucket that you specified doesn't exist/) },
    });
    expect(out.after).toEqual(["MetadataConfigurationNotFound", 404]);
  });
});
