/** `aws ec2` against awsim: instances, networking, security groups, filters and errors. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws ec2", () => {
  const sim = useServer();

  it("run-instances, wait, describe with a filter and --query, stop, terminate", async () => {
    const run = await aws(sim.server, [
      "ec2",
      "run-instances",
      "--image-id",
      "ami-0abcdef1234567890",
      "--count",
      "2",
      "--instance-type",
      "t3.micro",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=cli}]",
    ]);
    expect(run.code).toBe(0);
    const ids: string[] = run.json.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    expect(ids).toHaveLength(2);
    expect((await aws(sim.server, ["ec2", "wait", "instance-running", "--instance-ids", ...ids])).code).toBe(0);
    const names = await aws(sim.server, [
      "ec2",
      "describe-instances",
      "--filters",
      "Name=tag:Name,Values=cli",
      "Name=instance-state-name,Values=running",
      "--query",
      "Reservations[].Instances[].State.Name",
    ]);
    expect(names.json).toEqual(["running", "running"]);
    const stop = await aws(sim.server, ["ec2", "stop-instances", "--instance-ids", ids[0]!]);
    expect(stop.json.StoppingInstances[0].CurrentState.Name).toBe("stopping");
    const term = await aws(sim.server, ["ec2", "terminate-instances", "--instance-ids", ids[1]!]);
    expect(term.json.TerminatingInstances[0].CurrentState.Name).toBe("shutting-down");
    const paged = await aws(sim.server, ["ec2", "describe-instances", "--page-size", "5", "--query", "length(Reservations[].Instances[])"]);
    expect(paged.json).toBe(2);
  });

  it("VPC, subnet and security group flows, with AWS's errors", async () => {
    const vpc = (await aws(sim.server, ["ec2", "create-vpc", "--cidr-block", "10.1.0.0/16"])).json.Vpc.VpcId;
    const sub = await aws(sim.server, ["ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.1.1.0/24"]);
    expect(sub.json.Subnet.CidrBlock).toBe("10.1.1.0/24");
    const sg = (await aws(sim.server, ["ec2", "create-security-group", "--group-name", "cli", "--description", "cli group", "--vpc-id", vpc])).json.GroupId;
    const auth = await aws(sim.server, [
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      sg,
      "--protocol",
      "tcp",
      "--port",
      "22",
      "--cidr",
      "0.0.0.0/0",
    ]);
    expect(auth.json.Return).toBe(true);
    const dup = await aws(sim.server, [
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      sg,
      "--protocol",
      "tcp",
      "--port",
      "22",
      "--cidr",
      "0.0.0.0/0",
    ]);
    expect(dup.code).toBe(255);
    expect(dup.stderr).toContain("InvalidPermission.Duplicate");
    const del = await aws(sim.server, ["ec2", "delete-vpc", "--vpc-id", vpc]);
    expect(del.stderr).toContain("DependencyViolation");
    const dry = await aws(sim.server, ["ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--count", "1", "--dry-run"]);
    expect(dry.stderr).toContain("DryRunOperation");
    const missing = await aws(sim.server, ["ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0"]);
    expect(missing.stderr).toContain("InvalidInstanceID.NotFound");
    const images = await aws(sim.server, ["ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-*x86_64"]);
    expect(images.json.Images.map((i: { ImageId: string }) => i.ImageId)).toContain("ami-0abcdef1234567890");
    const key = await aws(sim.server, ["ec2", "create-key-pair", "--key-name", "cli-key", "--query", "KeyMaterial", "--output", "text"]);
    expect(key.stdout).toContain("BEGIN RSA PRIVATE KEY");
  });

  it("retired features answer as AWS does for an account with none: Scheduled Instances, Elastic Graphics", async () => {
    const sched = await aws(sim.server, ["ec2", "describe-scheduled-instances", "--filters", "Name=platform,Values=Linux/UNIX"]);
    expect(sched.json).toEqual({ ScheduledInstanceSet: [] });
    const run = await aws(sim.server, [
      "ec2",
      "run-scheduled-instances",
      "--scheduled-instance-id",
      "sci-1234-1234-1234-1234-123456789012",
      "--launch-specification",
      "ImageId=ami-0abcdef1234567890",
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("(InvalidScheduledInstance)");
    expect((await aws(sim.server, ["ec2", "describe-elastic-gpus"])).json).toEqual({ ElasticGpuSet: [] });
    const gpu = await aws(sim.server, ["ec2", "describe-elastic-gpus", "--elastic-gpu-ids", "egpu-0123456789abcdef0"]);
    expect(gpu.stderr).toContain("(InvalidElasticGpuID.NotFound)");
  });
});
