/**
 * Terraform with the real hashicorp/aws provider and two accounts, a stack each: one builds an AMI and a snapshot and
 * shares them (aws_ami_launch_permission, aws_snapshot_create_volume_permission); the other finds them with the
 * `aws_ami` and `aws_ebs_snapshot` data sources (owners = the first account) and launches an instance and creates a
 * volume from them; both plan clean; destroy.
 */
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";
import { attachedProvider, awsProvider, terraformAvailable, terraformDir, tf } from "../terraform.js";

const enabled = terraformAvailable("the Terraform shared AMI stack");
const B = "111122223333";

// Two stacks, one per account, as multi-account setups keep them (a state each): the owner's shares, the other's
// finds what is shared by owner and name (and the snapshot by the id the owner's outputs give it).
const OWNER = `${awsProvider({ header: true, services: ["ec2", "sts"] })}
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

output "image" {
  value = aws_ami_from_instance.img.id
}

output "snapshot" {
  value = aws_ebs_snapshot.data.id
}
`;

const RECIPIENT = `${awsProvider({ header: true, services: ["ec2", "sts"] }).replace(/access_key\s+= "test"/, `access_key                  = "${B}"`)}
variable "snapshot_id" {}

data "aws_ami" "shared" {
  most_recent = true
  owners      = ["000000000000"]
  filter {
    name   = "name"
    values = ["tf-shared-*"]
  }
}

resource "aws_instance" "in_b" {
  ami           = data.aws_ami.shared.id
  instance_type = "t3.micro"
}

data "aws_ebs_snapshot" "shared" {
  most_recent = true
  owners      = ["000000000000"]
  filter {
    name   = "snapshot-id"
    values = [var.snapshot_id]
  }
}

resource "aws_ebs_volume" "in_b" {
  availability_zone = "us-east-1a"
  snapshot_id       = data.aws_ebs_snapshot.shared.id
}

output "image" {
  value = "\${data.aws_ami.shared.id} \${data.aws_ami.shared.owner_id} \${aws_instance.in_b.ami}"
}

output "snapshot" {
  value = "\${data.aws_ebs_snapshot.shared.id} \${aws_ebs_volume.in_b.snapshot_id} \${aws_ebs_volume.in_b.size}"
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

  it("the other account finds them, launches and restores from them; plans clean; destroy unshares", { timeout: 600_000 }, async () => {
    const owner = terraformDir("awsim-tf-share-", { "main.tf": OWNER });
    const recipient = terraformDir("awsim-tf-shared-", { "main.tf": RECIPIENT });
    // One provider process per stack, which every command attaches to (a start costs 3-4 s of CPU).
    const po = await attachedProvider(owner);
    const pr = await attachedProvider(recipient);
    try {
      for (const dir of [owner, recipient]) {
        const init = await tf(dir, server.url, ["init"]);
        expect(init.code, init.out).toBe(0);
      }
      const shared = await tf(owner, server.url, ["apply", "-auto-approve"], po.reattach);
      expect(shared.code, shared.out).toBe(0);
      const image = /image = "(ami-\w+)"/.exec(shared.out)?.[1];
      const snapshot = /snapshot = "(snap-\w+)"/.exec(shared.out)?.[1];
      expect([image, snapshot], shared.out).toEqual([expect.stringMatching(/^ami-/), expect.stringMatching(/^snap-/)]);

      const vars = [`-var=snapshot_id=${snapshot}`];
      const used = await tf(recipient, server.url, ["apply", "-auto-approve", ...vars], pr.reattach);
      expect(used.code, used.out).toBe(0);
      expect(/image = "(.*)"/.exec(used.out)?.[1]).toBe(`${image} 000000000000 ${image}`);
      expect(/snapshot = "(.*)"/.exec(used.out)?.[1]).toBe(`${snapshot} ${snapshot} 8`);

      const planR = await tf(recipient, server.url, ["plan", "-detailed-exitcode", ...vars], pr.reattach);
      expect(planR.code, planR.out).toBe(0);
      const planO = await tf(owner, server.url, ["plan", "-detailed-exitcode"], po.reattach);
      expect(planO.code, planO.out).toBe(0);
      const destroyR = await tf(recipient, server.url, ["destroy", "-auto-approve", ...vars], pr.reattach);
      expect(destroyR.code, destroyR.out).toBe(0);
      const destroyO = await tf(owner, server.url, ["destroy", "-auto-approve"], po.reattach);
      expect(destroyO.code, destroyO.out).toBe(0);
    } finally {
      po.stop();
      pr.stop();
    }
    // Destroyed and no longer shared: the other account sees neither.
    expect((await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] }))).Images).toEqual([]);
    expect((await b.send(new DescribeSnapshotsCommand({ OwnerIds: ["000000000000"] }))).Snapshots).toEqual([]);
  });
});
