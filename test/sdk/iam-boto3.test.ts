/** boto3 parses IAM/STS replies strictly by the model: blobs, maps, timestamps, paginators and waiters. */
import { execFile, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, startServer } from "../helpers.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status === 0;
if (!hasBoto3) console.warn("skipping IAM boto3 tests: python3 with boto3 is not installed");

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

let server: AwsimServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

describe.skipIf(!hasBoto3)("IAM and STS through boto3", () => {
  it("parses every reply and drives paginators and waiters", async () => {
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile("python3", ["-c", SCRIPT, server.url], { timeout: 60_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
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
      stmt: "user-managed",
      details: 5,
      role: "arn:aws:sts::000000000000:assumed-role/r/boto",
      last_used: "us-east-1",
      err: "NoSuchEntity",
    });
  });
});
