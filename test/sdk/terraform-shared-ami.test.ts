/**
 * Terraform with the real hashicorp/aws provider and two accounts: one builds an AMI and a snapshot and shares them
 * (aws_ami_launch_permission, aws_snapshot_create_volume_permission); the other finds them with the `aws_ami` and
 * `aws_ebs_snapshot` data sources (owners = the first account) and launches an instance and creates a volume from
 * them; plan clean, destroy.
 */
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";
import { awsProvider, terraformAvailable, terraformDir, tf } from "../terraform.js";

const enabled = terraformAvailable("the Terraform shared AMI stack");
const B = "111122223333";

const providerB = awsProvider({ alias: "b", services: ["ec2", "sts"] }).replace(/access_key\s+= "test"/, `access_key                  = "${B}"`);

const STACK = `${awsProvider({ header: true, services: ["ec2", "sts"] })}
${providerB}
resource "aws_instance" "src" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_ami_from_instance" "img" {
  name               = "tf-shared-base"
  source_instance_id = aws_instance.src.id
}

resource "aws_ami_launch_permission" "b" {
  image_id   = aws_ami_from_instance.img.id
  account_id = "${B}"
}

data "aws_ami" "seen_by_b" {
  provider    = aws.b
  most_recent = true
  owners      = ["000000000000"]
  filter {
    name   = "name"
    values = ["tf-shared-*"]
  }
  depends_on = [aws_ami_launch_permission.b]
}

resource "aws_instance" "in_b" {
  provider      = aws.b
  ami           = data.aws_ami.seen_by_b.id
  instance_type = "t3.micro"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 8
}

resource "aws_ebs_snapshot" "data" {
  volume_id = aws_ebs_volume.data.id
}

resource "aws_snapshot_create_volume_permission" "b" {
  snapshot_id = aws_ebs_snapshot.data.id
  account_id  = "${B}"
}

data "aws_ebs_snapshot" "seen_by_b" {
  provider    = aws.b
  most_recent = true
  owners      = ["000000000000"]
  filter {
    name   = "snapshot-id"
    values = [aws_ebs_snapshot.data.id]
  }
  depends_on = [aws_snapshot_create_volume_permission.b]
}

resource "aws_ebs_volume" "in_b" {
  provider          = aws.b
  availability_zone = "us-east-1a"
  snapshot_id       = data.aws_ebs_snapshot.seen_by_b.id
}

output "image" {
  value = "\${aws_ami_from_instance.img.id} \${data.aws_ami.seen_by_b.id} \${data.aws_ami.seen_by_b.owner_id} \${aws_instance.in_b.ami}"
}

output "snapshot" {
  value = "\${aws_ebs_snapshot.data.id} \${data.aws_ebs_snapshot.seen_by_b.id} \${aws_ebs_volume.in_b.snapshot_id} \${aws_ebs_volume.in_b.size}"
}
`;

describe.skipIf(!enabled)("terraform: an AMI and a snapshot shared with another account", () => {
  let server: AwsimServer;
  let b: EC2Client;
  beforeAll(async () => {
    server = await startServer();
    b = new EC2Client(clientConfig(server, { credentials: { accessKeyId: B, secretAccessKey: "x" } }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the other account finds them, launches and restores from them; plan clean; destroy unshares", { timeout: 600_000 }, async () => {
    const dir = terraformDir("awsim-tf-share-", { "main.tf": STACK });
    const init = await tf(dir, server.url, ["init"]);
    expect(init.code, init.out).toBe(0);
    const apply = await tf(dir, server.url, ["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    const image = /image = "(ami-\w+) (ami-\w+) (\d+) (ami-\w+)"/.exec(apply.out);
    expect(image, apply.out).not.toBeNull();
    expect([image![2], image![3], image![4]]).toEqual([image![1], "000000000000", image![1]]);
    const snap = /snapshot = "(snap-\w+) (snap-\w+) (snap-\w+) (\d+)"/.exec(apply.out);
    expect(snap, apply.out).not.toBeNull();
    expect([snap![2], snap![3], snap![4]]).toEqual([snap![1], snap![1], "8"]);

    const plan = await tf(dir, server.url, ["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);
    const destroy = await tf(dir, server.url, ["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    // Destroyed and no longer shared: the other account sees neither.
    expect((await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] }))).Images).toEqual([]);
    expect((await b.send(new DescribeSnapshotsCommand({ OwnerIds: ["000000000000"] }))).Snapshots).toEqual([]);
  });
});
