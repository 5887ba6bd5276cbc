/**
 * The ECS agent of AWS's ECS-optimized AMIs checks into the default cluster when the user data names none, and
 * creates it when the account has none ("your account receives a default cluster when you launch your first
 * container instance", CreateCluster); instances of other AMIs run no agent, and ECS_CLUSTER still decides.
 */
import {
  DeleteClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeClustersCommand,
  ECSClient,
  ListClustersCommand,
  ListContainerInstancesCommand,
} from "@aws-sdk/client-ecs";
import { DescribeContainerInstancesCommand } from "@aws-sdk/client-ecs";
import { CreateClusterCommand } from "@aws-sdk/client-ecs";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const ECS_AL2 = "ami-06cc69030d77088a1"; // amzn2-ami-ecs-hvm-2.0.20260226-x86_64-ebs (us-east-1), owner 591542846629
const ECS_AL2023 = "ami-0aae19d30bab785d3"; // al2023-ami-ecs-hvm-2023.0.20260226-kernel-6.1-x86_64
const PLAIN_AL2023 = "ami-0abcdef1234567890";

describe("ECS agent of ECS-optimized AMIs", () => {
  const sim = useServer({ reset: true }, (cfg) => ({ ecs: new ECSClient(cfg), ec2: new EC2Client(cfg) }));
  const launch = async (ImageId: string, userData?: string) =>
    (
      await sim.ec2.send(
        new RunInstancesCommand({
          ImageId,
          InstanceType: "t3.medium",
          MinCount: 1,
          MaxCount: 1,
          UserData: userData === undefined ? undefined : Buffer.from(userData).toString("base64"),
        }),
      )
    ).Instances![0]!.InstanceId!;
  const hostsOf = async (cluster: string) => {
    const arns = (await sim.ecs.send(new ListContainerInstancesCommand({ cluster }))).containerInstanceArns!;
    if (!arns.length) return [];
    const d = await sim.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: arns }));
    return d.containerInstances!.map((c) => c.ec2InstanceId).sort();
  };

  it("without ECS_CLUSTER, instances of ECS-optimized AMIs join the default cluster, created for them", async () => {
    expect((await sim.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    const a = await launch(ECS_AL2);
    const b = await launch(ECS_AL2023, "#!/bin/bash\nyum install -y htop\n");
    await expect
      .poll(async () => (await sim.ecs.send(new ListClustersCommand({}))).clusterArns)
      .toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/default"]);
    expect(await hostsOf("default")).toEqual([a, b].sort());
    const c = (await sim.ecs.send(new DescribeClustersCommand({ clusters: ["default"] }))).clusters![0]!;
    expect(c).toMatchObject({ clusterName: "default", status: "ACTIVE", registeredContainerInstancesCount: 2 });
  });

  it("other AMIs run no agent; ECS_CLUSTER decides for any AMI", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "web" }));
    await launch(PLAIN_AL2023);
    const named = await launch(ECS_AL2, "#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config\n");
    await expect.poll(() => hostsOf("web")).toEqual([named]);
    expect((await sim.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/web"]);
  });

  it("a deregistered instance stays out; a deleted default cluster comes back for the next new instance", async () => {
    const a = await launch(ECS_AL2);
    await expect.poll(() => hostsOf("default")).toEqual([a]);
    const [arn] = (await sim.ecs.send(new ListContainerInstancesCommand({ cluster: "default" }))).containerInstanceArns!;
    await sim.ecs.send(new DeregisterContainerInstanceCommand({ cluster: "default", containerInstance: arn!, force: true }));
    await sim.ecs.send(new DeleteClusterCommand({ cluster: "default" }));
    expect((await sim.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    const b = await launch(ECS_AL2);
    await expect.poll(() => hostsOf("default")).toEqual([b]);
  });
});
