/**
 * ECS, ECR and EFS as the other SDK teams' integration tests (wave 2) assert them against real AWS, replayed
 * against awsim: aws-sdk-swift IntegrationTests/Services/AWSECSIntegrationTests, aws-sdk-net
 * sdk/test/IntegrationTests/Tests/{ECS,ECR}.cs, the Ruby/PHP/Go v1/Java v1 smoke features and aws-sdk-cpp's
 * generated smoke tests. (Cloud Map has no integration tests in these SDKs.) Each test names its source.
 */
import { CreateRepositoryCommand, DeleteRepositoryCommand, DescribeRepositoriesCommand, ECRClient, ListImagesCommand } from "@aws-sdk/client-ecr";
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksStopped,
} from "@aws-sdk/client-ecs";
import { DeleteFileSystemCommand, DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({
  ecs: new ECSClient(cfg),
  ec2: new EC2Client(cfg),
  ecr: new ECRClient(cfg),
  efs: new EFSClient(cfg),
}));

describe("ECS", () => {
  // aws-sdk-swift AWSECSIntegrationTests/ECSCredentialsProviderTests.test_ecsCredentialsProvider: the default security
  // group and the us-east-1a/b subnets, a FARGATE ARM64 task definition with awslogs, RunTask FARGATE in awsvpc,
  // DescribeTasks until STOPPED, then DeregisterTaskDefinition and DeleteCluster.
  it("a Fargate ARM64 task runs in the default VPC's subnets and reports cpu-architecture arm64", async () => {
    const sg = await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }));
    const sgId = sg.SecurityGroups?.[0]?.GroupId;
    expect(sgId).toMatch(/^sg-/);
    const sn = await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1a", "us-east-1b"] }] }));
    expect(sn.Subnets?.map((s) => s.AvailabilityZone).sort()).toEqual(["us-east-1a", "us-east-1b"]);
    const cluster = await sim.ecs.send(new CreateClusterCommand({ clusterName: "ecs-integ-test-cluster" }));
    const td = await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "ecs-integ-test-family",
        cpu: "256",
        memory: "512",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        runtimePlatform: { cpuArchitecture: "ARM64" },
        executionRoleArn: "arn:aws:iam::000000000000:role/ecs_integ_test_execution_role",
        taskRoleArn: "arn:aws:iam::000000000000:role/ecs_integ_test_task_role",
        containerDefinitions: [
          {
            name: "ecs-integ-test-container",
            cpu: 256,
            memory: 512,
            image: "000000000000.dkr.ecr.us-east-1.amazonaws.com/ecs-integ-test:latest",
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "/ecs/integ-test-group", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs" },
            },
          },
        ],
      }),
    );
    const tdArn = td.taskDefinition!.taskDefinitionArn!;
    expect(td.taskDefinition?.runtimePlatform).toEqual({ cpuArchitecture: "ARM64" });
    const run = await sim.ecs.send(
      new RunTaskCommand({
        cluster: cluster.cluster!.clusterName,
        count: 1,
        launchType: "FARGATE",
        taskDefinition: tdArn,
        networkConfiguration: {
          awsvpcConfiguration: { assignPublicIp: "ENABLED", securityGroups: [sgId!], subnets: sn.Subnets!.map((s) => s.SubnetId!) },
        },
      }),
    );
    expect(run.failures).toEqual([]);
    const taskArn = run.tasks![0]!.taskArn!;
    const d = await sim.ecs.send(new DescribeTasksCommand({ cluster: "ecs-integ-test-cluster", tasks: [taskArn] }));
    const task = d.tasks![0]!;
    expect(task).toMatchObject({ launchType: "FARGATE", platformFamily: "Linux", desiredStatus: "RUNNING" });
    // A real Fargate task of an ARM64 task definition (Graviton) answers "arm64" here.
    expect(task.attributes).toEqual([{ name: "ecs.cpu-architecture", value: "arm64" }]);
    const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface");
    expect(sn.Subnets!.map((s) => s.SubnetId)).toContain(eni?.details?.find((x) => x.name === "subnetId")?.value);
    // A cluster with an active task cannot be deleted; once the task has stopped it can.
    await expectAwsError(sim.ecs.send(new DeleteClusterCommand({ cluster: "ecs-integ-test-cluster" })), {
      name: "ClusterContainsTasksException",
      status: 400,
      message: "The Cluster cannot be deleted while Tasks are active.",
    });
    await sim.ecs.send(new StopTaskCommand({ cluster: "ecs-integ-test-cluster", task: taskArn }));
    await waitUntilTasksStopped({ client: sim.ecs, maxWaitTime: 30, minDelay: 1 }, { cluster: "ecs-integ-test-cluster", tasks: [taskArn] });
    const dereg = await sim.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: tdArn }));
    expect(dereg.taskDefinition?.status).toBe("INACTIVE");
    const del = await sim.ecs.send(new DeleteClusterCommand({ cluster: "ecs-integ-test-cluster" }));
    expect(del.cluster?.status).toBe("INACTIVE");
  });

  // The same attribute for a task without an ARM64 runtime platform, and on EC2 the container instance's own
  // architecture (its identity document's "architecture", "arm64" on Graviton instances).
  it("x86_64 by default; on EC2 a task takes its container instance's architecture", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "arch" }));
    const fargateTd = await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "x86",
        cpu: "256",
        memory: "512",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        containerDefinitions: [{ name: "app", image: "busybox" }],
      }),
    );
    const sn = await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1a"] }] }));
    const x86 = await sim.ecs.send(
      new RunTaskCommand({
        cluster: "arch",
        launchType: "FARGATE",
        taskDefinition: fargateTd.taskDefinition!.taskDefinitionArn,
        networkConfiguration: { awsvpcConfiguration: { subnets: [sn.Subnets![0]!.SubnetId!] } },
      }),
    );
    expect(x86.tasks?.[0]?.attributes).toEqual([{ name: "ecs.cpu-architecture", value: "x86_64" }]);

    const doc = JSON.stringify({ instanceId: "i-0abc1234def567890", instanceType: "m7g.large", availabilityZone: "us-east-1b", architecture: "arm64" });
    const reg = await sim.ecs.send(new RegisterContainerInstanceCommand({ cluster: "arch", instanceIdentityDocument: doc }));
    const ci = await sim.ecs.send(
      new DescribeContainerInstancesCommand({ cluster: "arch", containerInstances: [reg.containerInstance!.containerInstanceArn!] }),
    );
    expect(ci.containerInstances?.[0]?.attributes).toContainEqual({ name: "ecs.cpu-architecture", value: "arm64" });
    const ec2Td = await sim.ecs.send(
      new RegisterTaskDefinitionCommand({ family: "on-ec2", containerDefinitions: [{ name: "app", image: "busybox", memory: 64 }] }),
    );
    const onEc2 = await sim.ecs.send(new RunTaskCommand({ cluster: "arch", launchType: "EC2", taskDefinition: ec2Td.taskDefinition!.taskDefinitionArn }));
    expect(onEc2.tasks?.[0]?.containerInstanceArn).toBe(reg.containerInstance!.containerInstanceArn);
    expect(onEc2.tasks?.[0]?.attributes).toEqual([{ name: "ecs.cpu-architecture", value: "arm64" }]);
  });

  // aws-sdk-net IntegrationTests/Tests/ECS.cs ListClusters; aws-sdk-ruby gems/aws-sdk-ecs/features/smoke.feature;
  // aws-sdk-java (v1) and aws-sdk-go (v1) ecs.feature: StopTask of an unknown task in the (missing) default cluster.
  it("ListClusters lists non-empty ARNs; StopTask of an unknown task fails with ClusterNotFoundException", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "listed" }));
    const l = await sim.ecs.send(new ListClustersCommand({}));
    expect(l.clusterArns).toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/listed"]);
    await expectAwsError(sim.ecs.send(new StopTaskCommand({ task: "xxxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxx" })), {
      name: "ClusterNotFoundException",
      status: 400,
      message: "Cluster not found.",
    });
  });
});

describe("ECR", () => {
  // aws-sdk-net IntegrationTests/Tests/ECR.cs TestRepos
  it("a created repository is described, has no images under its registry id, and deletes", async () => {
    const repo = (await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "ecs-repo-1234" }))).repository!;
    expect(repo.registryId).toBe("000000000000");
    const all = await sim.ecr.send(new DescribeRepositoriesCommand({}));
    expect(all.repositories?.map((r) => r.repositoryName)).toContain("ecs-repo-1234");
    const images = await sim.ecr.send(new ListImagesCommand({ registryId: repo.registryId, repositoryName: repo.repositoryName }));
    expect(images.imageIds).toEqual([]);
    const del = await sim.ecr.send(new DeleteRepositoryCommand({ registryId: repo.registryId, repositoryName: repo.repositoryName }));
    expect(del.repository?.repositoryArn).toBe(repo.repositoryArn);
    await expectAwsError(sim.ecr.send(new ListImagesCommand({ repositoryName: "not-a-real-repository" })), {
      name: "RepositoryNotFoundException",
      status: 400,
      message: "The repository with name 'not-a-real-repository' does not exist in the registry with id '000000000000'",
    });
  });
});

describe("EFS", () => {
  // aws-sdk-ruby gems/aws-sdk-efs/features/smoke.feature, aws-sdk-java (v1) efs.feature, aws-sdk-cpp EFSSmokeTests
  it("DescribeFileSystems answers a list; DeleteFileSystem of an unknown well-formed id is FileSystemNotFound", async () => {
    expect((await sim.efs.send(new DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
    await expectAwsError(sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: "fs-c5a1446c" })), {
      name: "FileSystemNotFound",
      status: 404,
      message: "File system 'fs-c5a1446c' does not exist.",
    });
  });
});
