/**
 * boto3 waiters on missing resources. botocore ends a wait at once on an error no acceptor names (the JS
 * SDK retries it), so these pin the exact not-found codes the waiters' retry/success/failure acceptors expect.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import WaiterError
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
c = {n: boto3.client(n, **kw) for n in ["ec2", "iam", "lambda", "ecs"]}
c["s3"] = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **kw)
ec2 = c["ec2"]
vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
ec2.delete_volume(VolumeId=vol)
c["ecs"].create_cluster(clusterName="w")
c["s3"].create_bucket(Bucket="present")
CASES = [
    ("ec2", "instance_exists", dict(InstanceIds=["i-0123456789abcdef0"])),
    ("ec2", "instance_running", dict(InstanceIds=["i-0123456789abcdef0"])),
    ("ec2", "instance_status_ok", dict(InstanceIds=["i-0123456789abcdef0"])),
    ("ec2", "image_exists", dict(ImageIds=["ami-0123456789abcdef0"])),
    ("ec2", "key_pair_exists", dict(KeyNames=["nope"])),
    ("ec2", "security_group_exists", dict(GroupIds=["sg-0123456789abcdef0"])),
    ("ec2", "vpc_exists", dict(VpcIds=["vpc-0123456789abcdef0"])),
    ("ec2", "vpc_peering_connection_exists", dict(VpcPeeringConnectionIds=["pcx-0123456789abcdef0"])),
    ("ec2", "vpc_peering_connection_deleted", dict(VpcPeeringConnectionIds=["pcx-0123456789abcdef0"])),
    ("ec2", "nat_gateway_available", dict(NatGatewayIds=["nat-0123456789abcdef0"])),
    ("ec2", "nat_gateway_deleted", dict(NatGatewayIds=["nat-0123456789abcdef0"])),
    ("ec2", "spot_instance_request_fulfilled", dict(SpotInstanceRequestIds=["sir-abcdefgh"])),
    ("ec2", "network_interface_available", dict(NetworkInterfaceIds=["eni-0123456789abcdef0"])),
    ("ec2", "volume_deleted", dict(VolumeIds=[vol])),
    ("ec2", "volume_in_use", dict(VolumeIds=[vol])),
    ("ec2", "internet_gateway_exists", dict(InternetGatewayIds=["igw-0123456789abcdef0"])),
    ("iam", "user_exists", dict(UserName="nobody")),
    ("iam", "role_exists", dict(RoleName="nobody")),
    ("iam", "policy_exists", dict(PolicyArn="arn:aws:iam::000000000000:policy/nobody")),
    ("iam", "instance_profile_exists", dict(InstanceProfileName="nobody")),
    ("lambda", "function_exists", dict(FunctionName="nobody")),
    ("lambda", "function_active", dict(FunctionName="nobody")),
    ("s3", "bucket_exists", dict(Bucket="absent")),
    ("s3", "bucket_not_exists", dict(Bucket="absent")),
    ("s3", "bucket_not_exists", dict(Bucket="present")),
    ("s3", "object_exists", dict(Bucket="present", Key="k")),
    ("s3", "object_not_exists", dict(Bucket="present", Key="k")),
    ("ecs", "services_stable", dict(cluster="w", services=["ghost"])),
    ("ecs", "tasks_running", dict(cluster="w", tasks=["arn:aws:ecs:us-east-1:000000000000:task/w/0123456789abcdef0123456789abcdef"])),
]
out = {}
for svc, name, args in CASES:
    key = f"{svc}.{name}({next(iter(args.values()))})" if name == "bucket_not_exists" else f"{svc}.{name}"
    try:
        c[svc].get_waiter(name).wait(**args, WaiterConfig={"Delay": 0.05, "MaxAttempts": 3})
        out[key] = "success"
    except WaiterError as e:
        err = (e.last_response or {}).get("Error", {}).get("Code")
        out[key] = "timeout" if "Max attempts" in e.kwargs["reason"] else ("error " + err if "An error occurred" in e.kwargs["reason"] else "failure")
print(json.dumps(out))
`;

const sim = useServer();

describe.skipIf(!hasBoto3())("boto3 waiters on missing resources", () => {
  it("retry on the not-found codes their acceptors name, count a missing resource as deleted, fail on MISSING", async () => {
    const out = JSON.parse(await python(SCRIPT, [sim.server.url], { timeout: 60_000 }));
    expect(out).toEqual({
      // Retry acceptors on the exact not-found codes: the waiter polls until it gives up.
      "ec2.instance_exists": "timeout",
      "ec2.instance_running": "timeout",
      "ec2.instance_status_ok": "timeout",
      "ec2.image_exists": "timeout",
      "ec2.key_pair_exists": "timeout",
      "ec2.security_group_exists": "timeout",
      "ec2.vpc_exists": "timeout",
      "ec2.vpc_peering_connection_exists": "timeout",
      "ec2.nat_gateway_available": "timeout",
      "ec2.spot_instance_request_fulfilled": "timeout",
      "iam.user_exists": "timeout",
      "iam.role_exists": "timeout",
      "iam.policy_exists": "timeout",
      "iam.instance_profile_exists": "timeout",
      "lambda.function_exists": "timeout",
      "s3.bucket_exists": "timeout",
      "s3.object_exists": "timeout",
      // Success acceptors on the not-found codes.
      "ec2.vpc_peering_connection_deleted": "success",
      "ec2.nat_gateway_deleted": "success",
      "ec2.volume_deleted": "success",
      "s3.bucket_not_exists(absent)": "success",
      "s3.object_not_exists": "success",
      // Failure acceptors: an error code, or ECS's MISSING failures.
      "ec2.network_interface_available": "failure",
      "ecs.services_stable": "failure",
      "ecs.tasks_running": "failure",
      // No acceptor names the error: botocore stops on it.
      "ec2.volume_in_use": "error InvalidVolume.NotFound",
      "lambda.function_active": "error ResourceNotFoundException",
      // AWS's code is InvalidInternetGatewayID.NotFound; botocore's acceptor names InvalidInternetGateway.NotFound.
      "ec2.internet_gateway_exists": "error InvalidInternetGatewayID.NotFound",
      // An existing bucket never reaches 404.
      "s3.bucket_not_exists(present)": "timeout",
    });
  });
});
