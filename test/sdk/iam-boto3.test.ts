/** boto3 parses IAM/STS replies strictly by the model: blobs, maps, timestamps, paginators and waiters. */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { hasBoto3, startServer, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
iam = boto3.client("iam", **kw)
out = {}
for i in range(5): iam.create_user(UserName=f"u{i}", Tags=[{"Key": "n", "Value": str(i)}])
iam.get_waiter("user_exists").wait(UserName="u3")
out["users"] = [u["UserName"] for p in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}) for u in p["Users"]]
key = iam.create_access_key(UserName="u0")["AccessKey"]
as_u0 = dict(kw, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
out["whoami"] = boto3.client("sts", **as_u0).get_caller_identity()["Arn"]
out["own_keys"] = len(boto3.client("iam", **as_u0).list_access_keys()["AccessKeyMetadata"])
arn = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))["Policy"]["Arn"]
iam.get_waiter("policy_exists").wait(PolicyArn=arn)
iam.attach_user_policy(UserName="u0", PolicyArn=arn)
out["doc"] = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"]["Statement"][0]["Action"]
mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="m")["VirtualMFADevice"]
out["seed_len"] = len(mfa["Base32StringSeed"])
out["summary_users"] = iam.get_account_summary()["SummaryMap"]["Users"]
iam.generate_credential_report()
out["report"] = iam.get_credential_report()["Content"].decode().splitlines()[0].split(",")[0:2]
sim = iam.simulate_principal_policy(PolicySourceArn="arn:aws:iam::000000000000:user/u0", ActionNames=["s3:GetObject", "ec2:RunInstances"])
out["sim"] = [r["EvalDecision"] for r in sim["EvaluationResults"]]
out["stmt"] = sim["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyType"]
details = [d for p in iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 2}) for d in p["UserDetailList"]]
out["details"] = len(details)
iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:user/u0"}, "Action": "sts:AssumeRole"}]}))
iam.get_waiter("role_exists").wait(RoleName="r")
creds = boto3.client("sts", **as_u0).assume_role(RoleArn="arn:aws:iam::000000000000:role/r", RoleSessionName="boto")["Credentials"]
out["role"] = boto3.client("sts", **dict(kw, aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])).get_caller_identity()["Arn"]
out["last_used"] = iam.get_role(RoleName="r")["Role"]["RoleLastUsed"]["Region"]
iam.create_instance_profile(InstanceProfileName="ip")
iam.get_waiter("instance_profile_exists").wait(InstanceProfileName="ip")
try:
    iam.get_user(UserName="nope")
except iam.exceptions.NoSuchEntityException as e:
    out["err"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

const ENFORCED = `
import boto3, json, sys
from botocore.config import Config
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
iam = boto3.client("iam", **kw)
out = {}
iam.create_user(UserName="bob")
iam.put_user_policy(UserName="bob", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "iam:Get*", "logs:*"], "Resource": "*"}]}))
k = iam.create_access_key(UserName="bob")["AccessKey"]
bob = dict(kw, aws_access_key_id=k["AccessKeyId"], aws_secret_access_key=k["SecretAccessKey"])
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **bob)
s3.create_bucket(Bucket="bob-bucket")
s3.put_object(Bucket="bob-bucket", Key="dir/a b+c.txt", Body=b"x" * 100)
out["get"] = s3.get_object(Bucket="bob-bucket", Key="dir/a b+c.txt")["ContentLength"]
out["presigned"] = s3.generate_presigned_url("get_object", Params={"Bucket": "bob-bucket", "Key": "dir/a b+c.txt"}, ExpiresIn=60).startswith(url)
out["user"] = boto3.client("iam", **bob).get_user()["User"]["UserName"]
logs = boto3.client("logs", **bob)
logs.create_log_group(logGroupName="/bob/x")
out["logs"] = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/bob")["logGroups"]]
try:
    boto3.client("iam", **bob).create_user(UserName="eve")
except Exception as e:
    out["denied"] = e.response["Error"]["Code"]
try:
    boto3.client("sts", **dict(bob, aws_secret_access_key="wrong")).get_caller_identity()
except Exception as e:
    out["badsig"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

const sim = useServer();

const run = (script: string, url: string) =>
  new Promise<{ stdout: string; stderr: string }>((resolve) =>
    execFile("python3", ["-c", script, url], { timeout: 60_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
  );

describe.skipIf(!hasBoto3())("boto3's SigV4 under --enforce-iam", () => {
  it("verifies botocore's signatures (S3 keys with spaces and +, Query, JSON) and denies what policies do not allow", async () => {
    const enforced = await startServer({ enforceIam: true });
    try {
      const r = await run(ENFORCED, enforced.url);
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout)).toEqual({
        get: 100,
        presigned: true,
        user: "bob",
        logs: ["/bob/x"],
        denied: "AccessDenied",
        badsig: "SignatureDoesNotMatch",
      });
    } finally {
      await enforced.stop();
    }
  });
});

describe.skipIf(!hasBoto3())("IAM and STS through boto3", () => {
  it("parses every reply and drives paginators and waiters", async () => {
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile("python3", ["-c", SCRIPT, sim.server.url], { timeout: 60_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
    );
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({
      users: ["u0", "u1", "u2", "u3", "u4"],
      whoami: "arn:aws:iam::000000000000:user/u0",
      own_keys: 1,
      doc: "s3:*",
      seed_len: 64,
      summary_users: 5,
      report: ["user", "arn"],
      sim: ["allowed", "implicitDeny"],
      stmt: "IAM Policy",
      details: 5,
      role: "arn:aws:sts::000000000000:assumed-role/r/boto",
      last_used: "us-east-1",
      err: "NoSuchEntity",
    });
  });
});
