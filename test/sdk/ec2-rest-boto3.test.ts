/** boto3 against secondary networks (with botocore's waiters), UEFI/NitroTPM data and Capacity Blocks. */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import base64, boto3, json, sys
from botocore.exceptions import ClientError
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw)
out = {}
def code(f):
    try:
        f()
    except ClientError as e:
        return e.response["Error"]["Code"]
fast = {"Delay": 1, "MaxAttempts": 5}
net = ec2.create_secondary_network(Ipv4CidrBlock="10.9.0.0/16", NetworkType="rdma")["SecondaryNetwork"]["SecondaryNetworkId"]
ec2.get_waiter("secondary_network_create_complete").wait(SecondaryNetworkIds=[net], WaiterConfig=fast)
sub = ec2.create_secondary_subnet(SecondaryNetworkId=net, Ipv4CidrBlock="10.9.1.0/24", AvailabilityZone="us-east-1a")["SecondarySubnet"]["SecondarySubnetId"]
ec2.get_waiter("secondary_subnet_create_complete").wait(SecondarySubnetIds=[sub], WaiterConfig=fast)
iid = ec2.run_instances(ImageId="ami-0abcdef1234567890", MinCount=1, MaxCount=1, InstanceType="p5.48xlarge",
    Placement={"AvailabilityZone": "us-east-1a"}, SecondaryInterfaces=[{"SecondarySubnetId": sub, "NetworkCardIndex": 1}])["Instances"][0]["InstanceId"]
si = ec2.describe_secondary_interfaces(Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["SecondaryInterfaces"]
out["interface"] = [si[0]["SecondarySubnetId"] == sub, si[0]["PrivateIpv4Addresses"][0]["PrivateIpAddress"], si[0]["Attachment"]["NetworkCardIndex"]]
out["in_use"] = code(lambda: ec2.delete_secondary_subnet(SecondarySubnetId=sub))
ec2.terminate_instances(InstanceIds=[iid])
ec2.delete_secondary_subnet(SecondarySubnetId=sub)
ec2.get_waiter("secondary_subnet_delete_complete").wait(SecondarySubnetIds=[sub], WaiterConfig=fast)
ec2.delete_secondary_network(SecondaryNetworkId=net)
ec2.get_waiter("secondary_network_delete_complete").wait(SecondaryNetworkIds=[net], WaiterConfig=fast)
out["net_state"] = ec2.describe_secondary_networks(SecondaryNetworkIds=[net])["SecondaryNetworks"][0]["State"]

vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
uefi = base64.b64encode(b"AMZNUEFI store").decode()
ami = ec2.register_image(Name="boto-tpm", RootDeviceName="/dev/xvda", BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snap}}],
    BootMode="uefi", TpmSupport="v2.0", UefiData=uefi)["ImageId"]
tid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
out["uefi"] = ec2.get_instance_uefi_data(InstanceId=tid)["UefiData"] == uefi
ek = ec2.get_instance_tpm_ek_pub(InstanceId=tid, KeyType="ecc-sec-p384", KeyFormat="der")
out["ek"] = [ek["KeyType"], ek["KeyFormat"], len(base64.b64decode(ek["KeyValue"]))]

offers = ec2.describe_capacity_block_offerings(InstanceType="p4d.24xlarge", InstanceCount=2, CapacityDurationHours=24)["CapacityBlockOfferings"]
out["offers"] = [len(offers), offers[0]["EndDate"].strftime("%H:%M")]
cr = ec2.purchase_capacity_block(CapacityBlockOfferingId=offers[0]["CapacityBlockOfferingId"], InstancePlatform="Linux/UNIX")["CapacityReservation"]
out["reservation"] = [cr["ReservationType"], cr["State"], cr["InstanceMatchCriteria"]]
out["blocks"] = [b["State"] for b in ec2.describe_capacity_blocks()["CapacityBlocks"]]
out["cancel"] = code(lambda: ec2.cancel_capacity_reservation(CapacityReservationId=cr["CapacityReservationId"]))
print(json.dumps(out))
`;

const sim = useServer({ reset: true });

describe.skipIf(!hasBoto3())("EC2 secondary networks, UEFI/TPM and Capacity Blocks with boto3", () => {
  it("waiters, secondary interfaces, UEFI data, EK keys, offerings and purchases", { timeout: 60_000 }, async () => {
    const out = await python(SCRIPT, [sim.server.url], { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null" } });
    expect(JSON.parse(out)).toEqual({
      interface: [true, "10.9.1.4", 1],
      in_use: "DependencyViolation",
      net_state: "delete-complete",
      uefi: true,
      // An ECC P-384 SubjectPublicKeyInfo in DER is 120 bytes.
      ek: ["ecc-sec-p384", "der", 120],
      offers: [6, "11:30"],
      reservation: ["capacity-block", "scheduled", "targeted"],
      blocks: ["scheduled"],
      cancel: "UnsupportedOperation",
    });
  });
});
