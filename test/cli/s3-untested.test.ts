/**
 * S3's deprecated PutBucketLifecycle / GetBucketLifecycle and PutBucketNotification / GetBucketNotification, which the
 * JS SDK v3 has no commands for, called with boto3. They share the wire with PutBucketLifecycleConfiguration and
 * PutBucketNotificationConfiguration (PUT/GET ?lifecycle, ?notification), so each reads back through the other API.
 * Sources: the API reference's GetBucketLifecycle / PutBucketLifecycle (NoSuchLifecycleConfiguration, 404) and
 * PutBucketNotification pages; old-form ("V1") lifecycle rules carry their Prefix directly and may not overlap for
 * one action type, and a configuration may not mix them with Filter rules (S3's answers quoted in ansible#53751,
 * cloud-custodian#5826, terraform-provider-aws#23299, noobaa-core#8426, ceph#23668).
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { clientConfig, hasBoto3, python, useServer } from "../helpers.js";
import { ROLE, zip } from "../sdk/lambda-helpers.js";

const PRELUDE = `
import boto3, json, sys
from botocore.exceptions import ClientError
url = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
def err(f, *a, **k):
    try:
        f(*a, **k)
        return None
    except ClientError as e:
        return [e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"], e.response["Error"].get("Message")]
`;

const LIFECYCLE = `
s3.create_bucket(Bucket="lc-old")
out["missing"] = err(s3.get_bucket_lifecycle, Bucket="lc-old")
rules = [
    {"ID": "logs", "Prefix": "logs/", "Status": "Enabled", "Expiration": {"Days": 30}, "Transition": {"Days": 10, "StorageClass": "GLACIER"}},
    {"Prefix": "tmp/", "Status": "Disabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
    # Overlaps "logs/" but for another action type: allowed.
    {"ID": "logs-ia", "Prefix": "logs/2024/", "Status": "Enabled", "NoncurrentVersionTransition": {"NoncurrentDays": 40, "StorageClass": "STANDARD_IA"}},
]
r = s3.put_bucket_lifecycle(Bucket="lc-old", LifecycleConfiguration={"Rules": rules})
out["put_status"] = r["ResponseMetadata"]["HTTPStatusCode"]
out["old"] = s3.get_bucket_lifecycle(Bucket="lc-old")["Rules"]
out["new"] = s3.get_bucket_lifecycle_configuration(Bucket="lc-old")["Rules"]
s3.put_object(Bucket="lc-old", Key="logs/a.txt", Body=b"x")
out["expiration"] = s3.head_object(Bucket="lc-old", Key="logs/a.txt").get("Expiration")
out["tmp_expiration"] = s3.put_object(Bucket="lc-old", Key="tmp/b", Body=b"y").get("Expiration")

out["overlap"] = err(s3.put_bucket_lifecycle, Bucket="lc-old", LifecycleConfiguration={"Rules": [
    {"ID": "a", "Prefix": "logs/", "Status": "Enabled", "Expiration": {"Days": 1}},
    {"ID": "b", "Prefix": "logs/2024/", "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": True}}]})
out["overlap_empty"] = err(s3.put_bucket_lifecycle, Bucket="lc-old", LifecycleConfiguration={"Rules": [
    {"ID": "a", "Prefix": "", "Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}},
    {"ID": "b", "Prefix": "dir/", "Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}}]})
# Both forms in one configuration (the newer API still takes a rule-level Prefix).
out["mixed_v1_first"] = err(s3.put_bucket_lifecycle_configuration, Bucket="lc-old", LifecycleConfiguration={"Rules": [
    {"ID": "a", "Prefix": "a/", "Status": "Enabled", "Expiration": {"Days": 1}},
    {"ID": "b", "Filter": {"Prefix": "b/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
out["mixed_v2_first"] = err(s3.put_bucket_lifecycle_configuration, Bucket="lc-old", LifecycleConfiguration={"Rules": [
    {"ID": "b", "Filter": {"Prefix": "b/"}, "Status": "Enabled", "Expiration": {"Days": 1}},
    {"ID": "a", "Prefix": "a/", "Status": "Enabled", "Expiration": {"Days": 1}}]})
out["bad_status"] = err(s3.put_bucket_lifecycle, Bucket="lc-old", LifecycleConfiguration={"Rules": [
    {"ID": "a", "Prefix": "a/", "Status": "enabled", "Expiration": {"Days": 1}}]})
out["no_action"] = err(s3.put_bucket_lifecycle, Bucket="lc-old", LifecycleConfiguration={"Rules": [{"ID": "a", "Prefix": "a/", "Status": "Enabled"}]})
# Refused puts leave the configuration as it was.
out["after_refusals"] = [x["ID"] for x in s3.get_bucket_lifecycle(Bucket="lc-old")["Rules"]]

# Filter rules overlap freely; the old GET reads the same document.
s3.put_bucket_lifecycle_configuration(Bucket="lc-old", LifecycleConfiguration={"Rules": [
    {"ID": "all", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 365}},
    {"ID": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}}]})
out["v2_via_old"] = [[x["ID"], x["Status"], x["Expiration"]] for x in s3.get_bucket_lifecycle(Bucket="lc-old")["Rules"]]

s3.delete_bucket_lifecycle(Bucket="lc-old")
out["deleted"] = err(s3.get_bucket_lifecycle, Bucket="lc-old")
out["no_bucket"] = err(s3.put_bucket_lifecycle, Bucket="lc-no-such-bucket", LifecycleConfiguration={"Rules": rules[:1]})
print(json.dumps(out, default=str))
`;

const NOTIFICATION = `
fn = sys.argv[2]
s3.create_bucket(Bucket="nt-old")
out["empty"] = {k: v for k, v in s3.get_bucket_notification(Bucket="nt-old").items() if k != "ResponseMetadata"}
cfg = {
    "TopicConfiguration": {"Id": "topic-1", "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], "Topic": "arn:aws:sns:us-east-1:000000000000:uploads"},
    "QueueConfiguration": {"Event": "s3:ObjectCreated:Put", "Queue": "arn:aws:sqs:us-east-1:000000000000:jobs"},
    "CloudFunctionConfiguration": {"Id": "fn-1", "Events": ["s3:ObjectCreated:Put"], "CloudFunction": fn,
                                   "InvocationRole": "arn:aws:iam::000000000000:role/s3-invoke"},
}
r = s3.put_bucket_notification(Bucket="nt-old", NotificationConfiguration=cfg)
out["put_status"] = r["ResponseMetadata"]["HTTPStatusCode"]
out["old"] = {k: v for k, v in s3.get_bucket_notification(Bucket="nt-old").items() if k != "ResponseMetadata"}
out["new"] = {k: v for k, v in s3.get_bucket_notification_configuration(Bucket="nt-old").items() if k != "ResponseMetadata"}
s3.put_object(Bucket="nt-old", Key="up.txt", Body=b"x")

out["other_region"] = err(s3.put_bucket_notification, Bucket="nt-old", NotificationConfiguration={
    "TopicConfiguration": {"Events": ["s3:ObjectCreated:*"], "Topic": "arn:aws:sns:eu-west-1:000000000000:uploads"}})
out["bad_arn"] = err(s3.put_bucket_notification, Bucket="nt-old", NotificationConfiguration={
    "QueueConfiguration": {"Events": ["s3:ObjectCreated:*"], "Queue": "jobs"}})
out["no_function"] = err(s3.put_bucket_notification, Bucket="nt-old", NotificationConfiguration={
    "CloudFunctionConfiguration": {"Events": ["s3:ObjectCreated:*"], "CloudFunction": "arn:aws:lambda:us-east-1:000000000000:function:nope"}})
out["after_refusals"] = sorted(k for k in s3.get_bucket_notification(Bucket="nt-old") if k != "ResponseMetadata")

s3.put_bucket_notification(Bucket="nt-old", NotificationConfiguration={"TopicConfiguration": {"Events": ["s3:ReducedRedundancyLostObject"], "Topic": "arn:aws:sns:us-east-1:000000000000:rrs"}})
out["replaced"] = {k: v for k, v in s3.get_bucket_notification(Bucket="nt-old").items() if k != "ResponseMetadata"}
s3.put_bucket_notification(Bucket="nt-old", NotificationConfiguration={})
out["cleared"] = {k: v for k, v in s3.get_bucket_notification(Bucket="nt-old").items() if k != "ResponseMetadata"}
out["no_bucket"] = err(s3.get_bucket_notification, Bucket="nt-no-such-bucket")
print(json.dumps(out, default=str))
`;

describe.skipIf(!hasBoto3())("S3's deprecated lifecycle and notification operations (boto3)", () => {
  const sim = useServer();

  it("PutBucketLifecycle / GetBucketLifecycle: old-form rules with a Prefix, read back by both APIs, with S3's checks", async () => {
    const out = JSON.parse(await python(PRELUDE + LIFECYCLE, [sim.server.url], { timeout: 60_000 }));
    expect(out.missing).toEqual([404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"]);
    expect(out.put_status).toBe(200);
    const [logs, tmp, ia] = out.old;
    expect(logs).toEqual({
      ID: "logs",
      Prefix: "logs/",
      Status: "Enabled",
      Expiration: { Days: 30 },
      Transition: { Days: 10, StorageClass: "GLACIER" },
    });
    // A rule sent without an ID gets one: the base64 of a UUID (48 characters).
    expect(tmp.ID).toMatch(/^[A-Za-z0-9+/]{48}$/);
    expect(Buffer.from(tmp.ID, "base64").toString()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(tmp).toMatchObject({
      Prefix: "tmp/",
      Status: "Disabled",
      NoncurrentVersionExpiration: { NoncurrentDays: 7 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
    });
    expect(ia).toEqual({
      ID: "logs-ia",
      Prefix: "logs/2024/",
      Status: "Enabled",
      NoncurrentVersionTransition: { NoncurrentDays: 40, StorageClass: "STANDARD_IA" },
    });
    // GetBucketLifecycleConfiguration answers the same rules, their Prefix at rule level (LifecycleRule's deprecated member).
    expect(out.new.map((r: { ID: string; Prefix?: string; Filter?: unknown }) => [r.ID, r.Prefix, r.Filter])).toEqual([
      ["logs", "logs/", undefined],
      [tmp.ID, "tmp/", undefined],
      ["logs-ia", "logs/2024/", undefined],
    ]);
    // The rule applies: an object under logs/ carries x-amz-expiration naming it.
    expect(out.expiration).toMatch(/^expiry-date="\w{3}, \d{2} \w{3} \d{4} 00:00:00 GMT", rule-id="logs"$/);
    // The disabled rule does not.
    expect(out.tmp_expiration).toBeNull();

    expect(out.overlap).toEqual([400, "InvalidRequest", "Found overlapping prefixes 'logs/2024/' and 'logs/' for same action type 'Expiration'"]);
    expect(out.overlap_empty).toEqual([
      400,
      "InvalidRequest",
      "Found overlapping prefixes 'dir/' and '' for same action type 'AbortIncompleteMultipartUpload'",
    ]);
    expect(out.mixed_v1_first).toEqual([400, "InvalidRequest", "Filter element can only be used in Lifecycle V2."]);
    expect(out.mixed_v2_first).toEqual([400, "InvalidRequest", "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter."]);
    expect(out.bad_status?.slice(0, 2)).toEqual([400, "MalformedXML"]);
    expect(out.no_action).toEqual([400, "InvalidRequest", "At least one action needs to be specified in a rule"]);
    expect(out.after_refusals).toEqual(["logs", tmp.ID, "logs-ia"]);

    expect(out.v2_via_old).toEqual([
      ["all", "Enabled", { Days: 365 }],
      ["logs", "Enabled", { Days: 30 }],
    ]);
    expect(out.deleted).toEqual([404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"]);
    expect(out.no_bucket?.slice(0, 2)).toEqual([404, "NoSuchBucket"]);
  });

  it("PutBucketNotification / GetBucketNotification: topic, queue and CloudFunction configurations, read back by both APIs", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "old-notify",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;" }) },
      }),
    );
    const out = JSON.parse(await python(PRELUDE + NOTIFICATION, [sim.server.url, fn.FunctionArn!], { timeout: 60_000 }));
    expect(out.empty).toEqual({});
    expect(out.put_status).toBe(200);
    // (botocore also reads the repeated <Event> elements into the deprecated single Event member, as XML elements when
    // there are several: not compared.)
    const { Event: _event, ...topic } = out.old.TopicConfiguration;
    expect(topic).toEqual({ Id: "topic-1", Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], Topic: "arn:aws:sns:us-east-1:000000000000:uploads" });
    // Sent without an Id: S3 names it (the base64 of a UUID).
    expect(out.old.QueueConfiguration.Id).toMatch(/^[A-Za-z0-9+/]{48}$/);
    expect(out.old.QueueConfiguration).toMatchObject({ Events: ["s3:ObjectCreated:Put"], Queue: "arn:aws:sqs:us-east-1:000000000000:jobs" });
    expect(out.old.CloudFunctionConfiguration).toMatchObject({
      Id: "fn-1",
      Events: ["s3:ObjectCreated:Put"],
      CloudFunction: fn.FunctionArn,
      InvocationRole: "arn:aws:iam::000000000000:role/s3-invoke",
    });
    // The newer API reads the same configuration.
    expect(out.new.TopicConfigurations).toEqual([
      { Id: "topic-1", TopicArn: "arn:aws:sns:us-east-1:000000000000:uploads", Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"] },
    ]);
    expect(out.new.QueueConfigurations).toEqual([
      { Id: out.old.QueueConfiguration.Id, QueueArn: "arn:aws:sqs:us-east-1:000000000000:jobs", Events: ["s3:ObjectCreated:Put"] },
    ]);
    expect(out.new.LambdaFunctionConfigurations).toEqual([{ Id: "fn-1", LambdaFunctionArn: fn.FunctionArn, Events: ["s3:ObjectCreated:Put"] }]);

    expect(out.other_region).toEqual([400, "InvalidArgument", "The notification destination service region is not valid for the bucket location constraint"]);
    // "jobs" is no ARN at all: "could not be parsed", as LocalStack recorded AWS (test_invalid_sqs_arn).
    expect(out.bad_arn).toEqual([400, "InvalidArgument", "The ARN could not be parsed"]);
    expect(out.no_function).toEqual([400, "InvalidArgument", "Unable to validate the following destination configurations"]);
    expect(out.after_refusals).toEqual(["CloudFunctionConfiguration", "QueueConfiguration", "TopicConfiguration"]);
    // A put replaces the whole configuration; an empty one clears it.
    expect(Object.keys(out.replaced)).toEqual(["TopicConfiguration"]);
    expect(out.replaced.TopicConfiguration.Events).toEqual(["s3:ReducedRedundancyLostObject"]);
    expect(out.cleared).toEqual({});
    expect(out.no_bucket?.slice(0, 2)).toEqual([404, "NoSuchBucket"]);

    // The CloudFunction destination was invoked for the PutObject (awsim's fake runtime logs START/END lines).
    const logs = new CloudWatchLogsClient(clientConfig(sim.server));
    let messages: string[] = [];
    for (let i = 0; i < 50 && !messages.some((m) => m.startsWith("END")); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const got = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/old-notify" })).catch(() => undefined);
      messages = (got?.events ?? []).map((e) => e.message ?? "");
    }
    expect(messages.some((m) => m.startsWith("START RequestId:"))).toBe(true);
  });
});
