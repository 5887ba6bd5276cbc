/** boto3 — another real client with its own defaults (checksums, chunked uploads, paginators, waiters). */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status === 0;
if (!hasBoto3) console.warn("skipping boto3 tests: python3 with boto3 is not installed");

const SCRIPT = `
import boto3, io, json, sys, time
from botocore.config import Config
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **kw)
s3.create_bucket(Bucket="boto")
s3.put_object(Bucket="boto", Key="a.txt", Body=b"hello boto", ChecksumAlgorithm="SHA256")
out["get"] = s3.get_object(Bucket="boto", Key="a.txt", ChecksumMode="ENABLED")["Body"].read().decode()
s3.upload_fileobj(io.BytesIO(b"x" * (9 * 1024 * 1024)), "boto", "big.bin")
out["big"] = s3.head_object(Bucket="boto", Key="big.bin")["ContentLength"]
for i in range(5): s3.put_object(Bucket="boto", Key=f"p/{i}", Body=b"1")
out["pages"] = sum(len(p.get("Contents", [])) for p in s3.get_paginator("list_objects_v2").paginate(Bucket="boto", Prefix="p/", PaginationConfig={"PageSize": 2}))
try:
    s3.get_object(Bucket="boto", Key="missing")
except s3.exceptions.NoSuchKey as e:
    out["nosuchkey"] = e.response["Error"]["Code"]
ecs = boto3.client("ecs", **kw)
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="f", containerDefinitions=[{"name": "a", "image": "x"}])
arn = ecs.run_task(cluster="c", taskDefinition="f")["tasks"][0]["taskArn"]
ecs.get_waiter("tasks_running").wait(cluster="c", tasks=[arn], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
out["ecs"] = ecs.describe_tasks(cluster="c", tasks=[arn])["tasks"][0]["lastStatus"]
ec2 = boto3.client("ec2", **kw)
iid = ec2.run_instances(ImageId="ami-0abcdef1234567890", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
ec2.get_waiter("instance_running").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
out["ec2"] = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"]["Name"]
out["sts"] = boto3.client("sts", **kw).get_caller_identity()["Account"]
logs = boto3.client("logs", **kw)
logs.create_log_group(logGroupName="/boto")
logs.create_log_stream(logGroupName="/boto", logStreamName="s")
logs.put_log_events(logGroupName="/boto", logStreamName="s", logEvents=[{"timestamp": int(time.time() * 1000), "message": "from boto"}])
out["logs"] = logs.filter_log_events(logGroupName="/boto")["events"][0]["message"]
iam = boto3.client("iam", **kw)
iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
out["iam"] = iam.get_role(RoleName="r")["Role"]["AssumeRolePolicyDocument"]["Version"]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3)("boto3", () => {
  const sim = useServer();

  it("S3 (checksums, multipart upload_fileobj, paginator, errors), ECS and EC2 waiters, STS, Logs, IAM", async () => {
    const { execFile } = await import("node:child_process");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        "python3",
        ["-c", SCRIPT, sim.server.url],
        { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    expect(JSON.parse(out)).toEqual({
      get: "hello boto",
      big: 9 * 1024 * 1024,
      pages: 5,
      nosuchkey: "NoSuchKey",
      ecs: "RUNNING",
      ec2: "running",
      sts: "000000000000",
      logs: "from boto",
      iam: "2012-10-17",
    });
  }, 60_000);
});
