/** boto3 and the aws CLI against the EC2 groups of issue 18: EBS, launch templates, networking, IPv6. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys
from botocore.exceptions import ClientError
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw)
out = {}
def code(f):
    try:
        f()
    except ClientError as e:
        return e.response["Error"]["Code"]
vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=5, VolumeType="gp3", TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "k", "Value": "v"}]}])
ec2.get_waiter("volume_available").wait(VolumeIds=[vol["VolumeId"]], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
snap = ec2.create_snapshot(VolumeId=vol["VolumeId"])
ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snap["SnapshotId"]], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
for i in range(6): ec2.create_volume(AvailabilityZone="us-east-1b", Size=1)
out["volumes"] = sum(len(p["Volumes"]) for p in ec2.get_paginator("describe_volumes").paginate(PaginationConfig={"PageSize": 5}))
out["tagged"] = [v["VolumeId"] for v in ec2.describe_volumes(Filters=[{"Name": "tag:k", "Values": ["v"]}])["Volumes"]] == [vol["VolumeId"]]
out["snapshot"] = ec2.describe_snapshots(SnapshotIds=[snap["SnapshotId"]])["Snapshots"][0]["State"]
out["volume_missing"] = code(lambda: ec2.delete_volume(VolumeId="vol-0123456789abcdef0"))
lt = ec2.create_launch_template(LaunchTemplateName="boto", LaunchTemplateData={"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.nano"})["LaunchTemplate"]
iid = ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"]})["Instances"][0]["InstanceId"]
ec2.get_waiter("instance_running").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
out["instance_type"] = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["InstanceType"]
ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={"Value": True})
out["protected"] = code(lambda: ec2.terminate_instances(InstanceIds=[iid]))
vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]["VpcId"]
out["acl_default"] = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"][0]["IsDefault"]
other = ec2.create_vpc(CidrBlock="10.19.0.0/16")["Vpc"]["VpcId"]
pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=other)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
out["peering"] = ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)["VpcPeeringConnection"]["Status"]["Code"]
ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.dynamodb")["VpcEndpoint"]
out["endpoint"] = [ep["VpcEndpointType"], ep["State"]]
out["ipv6"] = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"].endswith("::/56")
print(json.dumps(out))
`;

const sim = useServer({ reset: "ec2" });

describe.skipIf(!hasBoto3())("EC2 with boto3", () => {
  it("volumes and snapshots with waiters and a paginator, launch templates, protection, ACLs, peering, endpoints, IPv6", { timeout: 60_000 }, async () => {
    const out = await python(SCRIPT, [sim.server.url], { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null" } });
    expect(JSON.parse(out)).toEqual({
      volumes: 7,
      tagged: true,
      snapshot: "completed",
      volume_missing: "InvalidVolume.NotFound",
      instance_type: "t3.nano",
      protected: "OperationNotPermitted",
      acl_default: true,
      peering: "active",
      endpoint: ["Gateway", "available"],
      ipv6: true,
    });
  });
});

describe.skipIf(!hasAwsCli())("EC2 with the aws CLI", () => {
  it("create-volume, describe-volumes with a filter, launch templates, network ACLs, errors", { timeout: 90_000 }, async () => {
    const vol = await aws(sim.server, ["ec2", "create-volume", "--availability-zone", "us-east-1c", "--size", "4", "--volume-type", "io2", "--iops", "300"]);
    expect(vol.json).toMatchObject({ Size: 4, VolumeType: "io2", Iops: 300 });
    const listed = await aws(sim.server, ["ec2", "describe-volumes", "--filters", "Name=volume-type,Values=io2", "--query", "Volumes[].VolumeId"]);
    expect(listed.json).toEqual([vol.json.VolumeId]);
    const lt = await aws(sim.server, [
      "ec2",
      "create-launch-template",
      "--launch-template-name",
      "cli",
      "--launch-template-data",
      '{"ImageId":"ami-0abcdef1234567890","InstanceType":"t3.small"}',
    ]);
    expect(lt.json.LaunchTemplate.LatestVersionNumber).toBe(1);
    const versions = await aws(sim.server, ["ec2", "describe-launch-template-versions", "--launch-template-name", "cli", "--versions", "$Latest"]);
    expect(versions.json.LaunchTemplateVersions[0].LaunchTemplateData.InstanceType).toBe("t3.small");
    const acls = await aws(sim.server, ["ec2", "describe-network-acls", "--filters", "Name=default,Values=true", "--query", "length(NetworkAcls)"]);
    expect(acls.json).toBe(1);
    const missing = await aws(sim.server, ["ec2", "describe-launch-templates", "--launch-template-names", "nope"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain("InvalidLaunchTemplateName.NotFoundException");
  });
});
