/**
 * cloud-custodian's tests (tests/test_ecr.py, test_lambda.py, test_efs.py, test_ecs.py, test_cwl.py) replayed over boto3
 * the way c7n's resources and actions call the APIs (c7n/resources/ecr.py, awslambda.py, efs.py, ecs.py, cw.py); the
 * assertions are the tests' own and what their placebo recordings of real AWS answers hold.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const C7N = String.raw`
import sys, json, io, time, uuid, zipfile
from urllib.parse import urlparse, parse_qs
import boto3
from botocore.exceptions import ClientError
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
def code(f, **a):
    try:
        f(**a)
        return None
    except ClientError as e:
        return e.response["Error"]["Code"]

# test_ecr.py: remove-statements (matched, named), lifecycle update/delete, set-scanning, set-immutability
ecr = boto3.client("ecr", **kw)
name = "test-ecr-remove-matched"
ecr.create_repository(repositoryName=name)
ecr.set_repository_policy(repositoryName=name, policyText=json.dumps({"Version": "2008-10-17", "Statement": [
    {"Sid": "SpecificAllow", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::185106417252:root"}, "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]},
    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": ["ecr:GetDownloadUrlForLayer"]}]}))
p = json.loads(ecr.get_repository_policy(repositoryName=name)["policyText"])
p["Statement"] = [s for s in p["Statement"] if s["Principal"] != "*"]
ecr.set_repository_policy(repositoryName=name, policyText=json.dumps(p))
out["ecr_sids"] = [s["Sid"] for s in json.loads(ecr.get_repository_policy(repositoryName=name)["policyText"])["Statement"]]
ecr.delete_repository_policy(repositoryName=name)
arn = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]["repositoryArn"]
out["ecr_policy_by_arn"] = code(ecr.get_repository_policy, repositoryName=arn)
out["ecr_no_policy"] = code(ecr.get_repository_policy, repositoryName=name)
rule = {"rulePriority": 1, "description": "Expire images older than 14 days", "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}
ecr.put_lifecycle_policy(registryId=ecr.describe_registry()["registryId"], repositoryName=name, lifecyclePolicyText=json.dumps({"rules": [rule]}))
out["ecr_lifecycle"] = json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]) == {"rules": [rule]}
ecr.delete_lifecycle_policy(repositoryName=name)
out["ecr_lifecycle_deleted"] = code(ecr.get_lifecycle_policy, repositoryName=name)
ecr.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={"scanOnPush": True})
ecr.put_image_tag_mutability(repositoryName=name, imageTagMutability="IMMUTABLE")
repo = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
out["ecr_repo"] = [repo["imageScanningConfiguration"]["scanOnPush"], repo["imageTagMutability"]]
ecr.tag_resource(resourceArn=arn, tags=[{"Key": "Env", "Value": "Dev"}, {"Key": "Role", "Value": "Dev"}])
ecr.untag_resource(resourceArn=arn, tagKeys=["Role"])
out["ecr_tags"] = ecr.list_tags_for_resource(resourceArn=arn)["tags"]

# test_lambda.py: permissions matched/named, concurrency, layer cross-account, trim-versions, post-finding's Code.Location
iam = boto3.client("iam", **kw)
role = iam.create_role(RoleName="lambda_basic_execution", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
lam = boto3.client("lambda", **kw)
def zipped(n):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return %d\n" % n)
    return b.getvalue()
lam.create_function(FunctionName="func-b", Runtime="python3.12", MemorySize=128, Handler="index.handler", Publish=True, Role=role, Code={"ZipFile": zipped(0)})
lam.add_permission(FunctionName="func-b", StatementId="PublicInvoke", Principal="*", Action="lambda:InvokeFunction")
lam.add_permission(FunctionName="func-b", StatementId="SharedInvoke", Principal="arn:aws:iam::185106417252:root", Action="lambda:InvokeFunction")
pol = json.loads(lam.get_policy(FunctionName="func-b")["Policy"])
out["lambda_principals"] = [s["Principal"] for s in pol["Statement"]]
lam.remove_permission(FunctionName="func-b", StatementId="PublicInvoke")
out["lambda_sids"] = [s["Sid"] for s in json.loads(lam.get_policy(FunctionName="func-b")["Policy"])["Statement"]]
lam.remove_permission(FunctionName="func-b", StatementId="SharedInvoke")
out["lambda_no_policy"] = code(lam.get_policy, FunctionName="func-b")
fn_arn = lam.get_function(FunctionName="func-b")["Configuration"]["FunctionArn"]
lam.put_function_concurrency(FunctionName="func-b", ReservedConcurrentExecutions=10)
out["lambda_concurrency"] = lam.get_function(FunctionName=fn_arn)["Concurrency"]
lam.delete_function_concurrency(FunctionName="func-b")
out["lambda_concurrency_gone"] = "Concurrency" in lam.get_function(FunctionName="func-b")
loc = lam.get_function(FunctionName="func-b")["Code"]["Location"]
out["lambda_code_version"] = len(parse_qs(urlparse(loc).query)["versionId"][0])
for n in (1, 2, 3):
    lam.update_function_code(FunctionName="func-b", ZipFile=zipped(n), Publish=True)
lam.create_alias(FunctionName="func-b", Name="live", FunctionVersion="2")
aliased = {"%s:%s" % (a["AliasArn"].rsplit(":", 1)[0], a["FunctionVersion"]) for a in lam.get_paginator("list_aliases").paginate(FunctionName="func-b").build_full_result()["Aliases"]}
latest = None
for v in lam.get_paginator("list_versions_by_function").paginate(FunctionName="func-b").build_full_result()["Versions"]:
    if v["Version"] == "$LATEST":
        latest = v["CodeSha256"]
        continue
    if v["FunctionArn"] in aliased or v["CodeSha256"] == latest:
        continue
    lam.delete_function(FunctionName=v["FunctionArn"])
out["lambda_versions_left"] = [v["Version"] for v in lam.list_versions_by_function(FunctionName="func-b")["Versions"]]
lv = lam.publish_layer_version(LayerName="test", Content={"ZipFile": zipped(0)})["Version"]
lam.add_layer_version_permission(LayerName="test", VersionNumber=lv, StatementId="Grant", Action="lambda:GetLayerVersion", Principal="*")
layers = lam.list_layers()["Layers"]
out["layer_latest"] = [l["LatestMatchingVersion"]["Version"] for l in layers]
lp = json.loads(lam.get_layer_version_policy(LayerName="test", VersionNumber=lv)["Policy"])
out["layer_principals"] = [s["Principal"] for s in lp["Statement"]]
lam.remove_layer_version_permission(LayerName="test", VersionNumber=lv, StatementId="Grant")
try:
    lam.get_layer_version_policy(LayerName="test", VersionNumber=lv)
    out["layer_policy_gone"] = False
except lam.exceptions.ResourceNotFoundException:
    out["layer_policy_gone"] = True
lam.delete_layer_version(LayerName="test", VersionNumber=lv)
try:
    lam.get_layer_version(LayerName="test", VersionNumber=lv)
    out["layer_gone"] = False
except lam.exceptions.ResourceNotFoundException:
    out["layer_gone"] = True
lam.delete_function(FunctionName="func-b")
out["lambda_deleted"] = lam.list_functions()["Functions"]

# test_efs.py: query by tag, lifecycle enable/disable, secure transport, mount target security groups, delete
efs = boto3.client("efs", **kw); ec2 = boto3.client("ec2", **kw)
fs = efs.create_file_system(CreationToken=str(uuid.uuid4()))["FileSystemId"]
efs.create_tags(FileSystemId=fs, Tags=[{"Key": "Name", "Value": "Somewhere"}])
d = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]
out["efs_tags"] = [d["Tags"], d["Name"]]
out["efs_lifecycle_before"] = efs.describe_lifecycle_configuration(FileSystemId=fs)["LifecyclePolicies"]
efs.put_lifecycle_configuration(FileSystemId=fs, LifecyclePolicies=[{"TransitionToIA": "AFTER_7_DAYS"}])
out["efs_lifecycle"] = efs.describe_lifecycle_configuration(FileSystemId=fs)["LifecyclePolicies"]
efs.put_lifecycle_configuration(FileSystemId=fs, LifecyclePolicies=[])
out["efs_lifecycle_after"] = efs.describe_lifecycle_configuration(FileSystemId=fs)["LifecyclePolicies"]
out["efs_no_policy"] = code(efs.describe_file_system_policy, FileSystemId=fs)
st = {"Sid": "efs-disable-unencrpted-traffic-statement", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
put = efs.put_file_system_policy(FileSystemId=fs, Policy=json.dumps({"Version": "2012-10-17", "Statement": [st]}))
out["efs_policy"] = put["Policy"]
out["efs_policy_statement"] = json.loads(efs.describe_file_system_policy(FileSystemId=fs)["Policy"])["Statement"] == [st]
sub = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
sg = ec2.create_security_group(GroupName="c7n-mt", Description="mount target", VpcId=sub["VpcId"])["GroupId"]
mt = efs.create_mount_target(FileSystemId=fs, SubnetId=sub["SubnetId"], SecurityGroups=[sg])["MountTargetId"]
out["efs_mt_groups"] = efs.describe_mount_target_security_groups(MountTargetId=mt)["SecurityGroups"] == [sg]
out["efs_mt_count"] = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]["NumberOfMountTargets"]
out["efs_in_use"] = code(efs.delete_file_system, FileSystemId=fs)
for t in efs.describe_mount_targets(FileSystemId=fs)["MountTargets"]:
    efs.delete_mount_target(MountTargetId=t["MountTargetId"])
for _ in range(12):
    if code(efs.delete_file_system, FileSystemId=fs) != "FileSystemInUse":
        break
    time.sleep(0.5)
out["efs_left"] = efs.describe_file_systems()["FileSystems"]

# test_ecs.py: cluster tags, service delete, task definition delete, stop of a missing task
ecs = boto3.client("ecs", **kw)
ecs.create_cluster(clusterName="test", tags=[{"key": "Env", "value": "Dev"}, {"key": "Data", "value": "Magic"}])
cl = ecs.describe_clusters(clusters=[ecs.list_clusters()["clusterArns"][0]], include=["TAGS"])["clusters"][0]
out["ecs_cluster_tags"] = cl["tags"]
td = ecs.register_task_definition(family="home-web", containerDefinitions=[{"name": "web", "image": "nginx:latest", "memory": 128}])["taskDefinition"]["taskDefinitionArn"]
ecs.create_service(cluster="test", serviceName="web", taskDefinition=td, desiredCount=1, tags=[{"key": "Name", "value": "Dev"}])
arns = ecs.list_services(cluster=cl["clusterArn"])["serviceArns"]
svc = ecs.describe_services(cluster=cl["clusterArn"], include=["TAGS"], services=arns)["services"][0]
out["ecs_service"] = [svc["serviceArn"].split(":")[-1], svc["tags"]]
primary = [d for d in svc["deployments"] if d["status"] == "PRIMARY"].pop()
if primary["desiredCount"] > 0:
    ecs.update_service(cluster=svc["clusterArn"], service=svc["serviceName"], desiredCount=0)
ecs.delete_service(cluster=svc["clusterArn"], service=svc["serviceName"])
now = ecs.describe_services(cluster=svc["clusterArn"], services=[svc["serviceName"]])["services"][0]
out["ecs_deleted_service"] = [now["serviceArn"] == svc["serviceArn"], now["status"] != svc["status"]]
ecs.register_task_definition(family="launch-me", containerDefinitions=[{"name": "db", "image": "postgres:latest", "memory": 128}])
d = ecs.describe_task_definition(taskDefinition="launch-me", include=["TAGS"])
ecs.deregister_task_definition(taskDefinition=d["taskDefinition"]["taskDefinitionArn"])
out["ecs_td_active"] = ecs.list_task_definitions(familyPrefix="launch-me", status="ACTIVE")["taskDefinitionArns"]
try:
    ecs.deregister_task_definition(taskDefinition="launch-me:7")
except ClientError as e:
    out["ecs_td_missing"] = e.response["Error"]["Message"]
try:
    ecs.stop_task(cluster=cl["clusterArn"], task="arn:aws:ecs:us-east-1:000000000000:task/test/21b23041dec947b996fcc7a8aa606d64", reason="custodian policy")
except ClientError as e:
    out["ecs_stop_missing"] = e.response["Error"]["Message"]

# test_cwl.py: last-write (no streams, empty stream, written stream), retention, delete
logs = boto3.client("logs", **kw)
def last_write(group):
    g = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True, limit=3)["logStreams"]
    if not streams:
        return ["group", g["creationTime"]]
    if "lastIngestionTime" in streams[0]:
        return ["ingestion", streams[0]["lastIngestionTime"] != g["creationTime"]]
    return ["stream", streams[0]["creationTime"]]
logs.create_log_group(logGroupName="test-log-group")
created = logs.describe_log_groups(logGroupNamePrefix="test-log-group")["logGroups"][0]["creationTime"]
out["cwl_no_streams"] = last_write("test-log-group") == ["group", created]
time.sleep(0.01)
logs.create_log_stream(logGroupName="test-log-group", logStreamName="stream1")
w = last_write("test-log-group")
out["cwl_empty_stream"] = [w[0], w[1] != created]
logs.put_log_events(logGroupName="test-log-group", logStreamName="stream1", logEvents=[{"timestamp": int(time.time() * 1000), "message": "message 1"}])
out["cwl_written"] = last_write("test-log-group")
logs.create_log_group(logGroupName="c7n-test-a")
logs.put_retention_policy(logGroupName="c7n-test-a", retentionInDays=14)
out["cwl_retention"] = logs.describe_log_groups(logGroupNamePrefix="c7n-test-a")["logGroups"][0]["retentionInDays"]
g = logs.describe_log_groups(logGroupNamePrefix="c7n-test-a")["logGroups"][0]
out["cwl_arn"] = [g["arn"].endswith(":*"), g["arn"][:-2] == g["logGroupArn"]]
logs.delete_log_group(logGroupName="c7n-test-a")
out["cwl_deleted"] = logs.describe_log_groups(logGroupNamePrefix="c7n-test-a")["logGroups"]
try:
    logs.delete_log_group(logGroupName="c7n-test-a")
except logs.exceptions.ResourceNotFoundException:
    out["cwl_delete_again"] = "ResourceNotFoundException"
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("cloud-custodian's ECR, Lambda, EFS, ECS and Logs flows over boto3", () => {
  const sim = useServer();

  it("remove-statements, lifecycle, concurrency, trim-versions, layers, secure transport, deletes, last-write", async () => {
    const out = JSON.parse(await python(C7N, [sim.server.url], { timeout: 60_000 }));
    // test_ecr.py: remove-statements matched leaves SpecificAllow; named removes the policy; a repository ARN is not a name.
    expect(out.ecr_sids).toEqual(["SpecificAllow"]);
    expect(out.ecr_policy_by_arn).toBe("InvalidParameterException");
    expect(out.ecr_no_policy).toBe("RepositoryPolicyNotFoundException");
    expect(out.ecr_lifecycle).toBe(true);
    expect(out.ecr_lifecycle_deleted).toBe("LifecyclePolicyNotFoundException");
    expect(out.ecr_repo).toEqual([true, "IMMUTABLE"]);
    expect(out.ecr_tags).toEqual([{ Key: "Env", Value: "Dev" }]);
    // test_lambda.py: permission matched/named, set-concurrency, layer cross-account and delete, post-finding, trim-versions.
    expect(out.lambda_principals).toEqual(["*", { AWS: "arn:aws:iam::185106417252:root" }]);
    expect(out.lambda_sids).toEqual(["SharedInvoke"]);
    expect(out.lambda_no_policy).toBe("ResourceNotFoundException");
    expect(out.lambda_concurrency).toEqual({ ReservedConcurrentExecutions: 10 });
    expect(out.lambda_concurrency_gone).toBe(false);
    expect(out.lambda_code_version).toBe(32);
    // Version 1 and 3 go; 2 has an alias, 4 is $LATEST's code (retain-latest).
    expect(out.lambda_versions_left).toEqual(["$LATEST", "2", "4"]);
    expect(out.layer_latest).toEqual([1]);
    expect(out.layer_principals).toEqual(["*"]);
    expect(out.layer_policy_gone).toBe(true);
    expect(out.layer_gone).toBe(true);
    expect(out.lambda_deleted).toEqual([]);
    // test_efs.py: query by tag, lifecycle policy enable/disable, secure transport, mount target groups, delete.
    expect(out.efs_tags).toEqual([[{ Key: "Name", Value: "Somewhere" }], "Somewhere"]);
    expect([out.efs_lifecycle_before, out.efs_lifecycle, out.efs_lifecycle_after]).toEqual([[], [{ TransitionToIA: "AFTER_7_DAYS" }], []]);
    expect(out.efs_no_policy).toBe("PolicyNotFound");
    expect(out.efs_policy).toBe(
      '{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Sid" : "efs-disable-unencrpted-traffic-statement",\n    "Effect" : "Deny",\n' +
        '    "Principal" : {\n      "AWS" : "*"\n    },\n    "Action" : "*",\n    "Condition" : {\n      "Bool" : {\n' +
        '        "aws:SecureTransport" : "false"\n      }\n    }\n  } ]\n}',
    );
    expect(out.efs_policy_statement).toBe(true);
    expect([out.efs_mt_groups, out.efs_mt_count, out.efs_in_use]).toEqual([true, 1, "FileSystemInUse"]);
    expect(out.efs_left).toEqual([]);
    // test_ecs.py: cluster tags, service delete (status moves on), task definition delete, stop of a missing task.
    expect(out.ecs_cluster_tags).toEqual([
      { key: "Env", value: "Dev" },
      { key: "Data", value: "Magic" },
    ]);
    expect(out.ecs_service).toEqual(["service/test/web", [{ key: "Name", value: "Dev" }]]);
    expect(out.ecs_deleted_service).toEqual([true, true]);
    expect(out.ecs_td_active).toEqual([]);
    expect(out.ecs_td_missing).toBe("The specified task definition does not exist.");
    expect(out.ecs_stop_missing).toBe("The referenced task was not found.");
    // test_cwl.py: last-write from the group, an empty stream's creation, a written stream's ingestion; retention, delete.
    expect(out.cwl_no_streams).toBe(true);
    expect(out.cwl_empty_stream).toEqual(["stream", true]);
    expect(out.cwl_written).toEqual(["ingestion", true]);
    expect(out.cwl_retention).toBe(14);
    expect(out.cwl_arn).toEqual([true, true]);
    expect(out.cwl_deleted).toEqual([]);
    expect(out.cwl_delete_again).toBe("ResourceNotFoundException");
  });
});
