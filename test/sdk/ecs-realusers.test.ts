/**
 * ECS, ECR and Cloud Map as tools that real users run against AWS rely on them (round 10): Airflow's ECS operators and
 * system tests, fabfuel/ecs-deploy, silinternational/ecs-deploy, aws/copilot-cli and amazon-ecr-credential-helper.
 * Each case names the flow it replays.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopTaskCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StartTaskCommand,
  UpdateServiceCommand,
  waitUntilTasksStopped,
} from "@aws-sdk/client-ecs";
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("ECS as deploy tools use it", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg), ec2: new EC2Client(cfg), ecr: new ECRClient(cfg) }));
  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "real" }));
  });

  // silinternational/ecs-deploy: with --max-definitions it deregisters old revisions, and its rollback (update-service
  // back to the last used revision) then fails on AWS with "TaskDefinition is inactive"; RunTask of a deregistered
  // revision answers InvalidParameterException with the same text (DefangLabs/defang#775).
  it("a deregistered revision can't be run or deployed: TaskDefinition is inactive", async () => {
    const def = { family: "rollback", containerDefinitions: [{ name: "app", image: "nginx", memory: 64 }] };
    const v1 = (await sim.ecs.send(new RegisterTaskDefinitionCommand(def))).taskDefinition!;
    await sim.ecs.send(new RegisterTaskDefinitionCommand(def));
    await sim.ecs.send(new CreateServiceCommand({ cluster: "real", serviceName: "web", taskDefinition: "rollback:2", desiredCount: 1 }));
    await sim.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "rollback:1" }));
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "real", service: "web", taskDefinition: v1.taskDefinitionArn })), {
      name: "ClientException",
      status: 400,
      message: "TaskDefinition is inactive",
    });
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "real", taskDefinition: "rollback:1" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "TaskDefinition is inactive",
    });
    await expectAwsError(sim.ecs.send(new StartTaskCommand({ cluster: "real", taskDefinition: v1.taskDefinitionArn, containerInstances: ["x"] })), {
      name: "InvalidParameterException",
      status: 400,
      message: "TaskDefinition is inactive",
    });
    // The family still resolves to its latest ACTIVE revision, and an unknown revision stays "not found".
    const run = await sim.ecs.send(new RunTaskCommand({ cluster: "real", taskDefinition: "rollback" }));
    expect(run.tasks![0]!.taskDefinitionArn).toMatch(/task-definition\/rollback:2$/);
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "real", service: "web", taskDefinition: "rollback:9" })), {
      name: "ClientException",
      status: 400,
      message: "TaskDefinition not found.",
    });
  });

  // silinternational/ecs-deploy: when the first container has a healthCheck, the deploy waits for a task of the new
  // revision with healthStatus HEALTHY (else lastStatus RUNNING), and rolls back on timeout. A working container's
  // check passes on AWS; fake mode reaches that steady state at once.
  it("fake mode: a container's health check passes, the task is HEALTHY; without checks it stays UNKNOWN", async () => {
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "checked",
        containerDefinitions: [
          { name: "app", image: "nginx", memory: 64, healthCheck: { command: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] } },
          { name: "sidecar", image: "busybox", memory: 32, essential: false },
        ],
      }),
    );
    await sim.ecs.send(new CreateServiceCommand({ cluster: "real", serviceName: "checked", taskDefinition: "checked", desiredCount: 1 }));
    const arns = (await sim.ecs.send(new ListTasksCommand({ cluster: "real", serviceName: "checked", desiredStatus: "RUNNING" }))).taskArns!;
    const [task] = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "real", tasks: arns }))).tasks!;
    expect(task!.lastStatus).toBe("RUNNING");
    expect(task!.healthStatus).toBe("HEALTHY");
    expect(Object.fromEntries(task!.containers!.map((c) => [c.name, c.healthStatus]))).toEqual({ app: "HEALTHY", sidecar: "UNKNOWN" });
    const plain = (await sim.ecs.send(new RunTaskCommand({ cluster: "real", taskDefinition: "rollback" }))).tasks![0]!;
    expect(plain.healthStatus).toBe("UNKNOWN");
  });

  // Airflow's EcsRunTaskOperator passes volume_configurations (managed EBS) to RunTask; copilot reads a task's
  // attachments by type. The attachment details are the model's (roleArn, deleteOnTermination, volumeName, volumeId),
  // the volume is an EC2 volume in the task's zone, and an awsvpc task runs in its subnet's zone.
  it("managed EBS volumes: an EC2 volume per task in its subnet's zone, deleted when the task stops unless kept", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.42.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.42.3.0/24", AvailabilityZone: "us-east-1c" }))).Subnet!.SubnetId!;
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "ebs",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        tags: [{ key: "team", value: "data" }],
        volumes: [{ name: "scratch", configuredAtLaunch: true }],
        containerDefinitions: [{ name: "c", image: "busybox", mountPoints: [{ sourceVolume: "scratch", containerPath: "/data" }] }],
      }),
    );
    const roleArn = "arn:aws:iam::000000000000:role/ecsInfrastructureRole";
    const net = { awsvpcConfiguration: { subnets: [subnet] } };
    const run = async (managedEBSVolume: Record<string, unknown>, name = "scratch") =>
      (
        await sim.ecs.send(
          new RunTaskCommand({
            cluster: "real",
            taskDefinition: "ebs",
            launchType: "FARGATE",
            networkConfiguration: net,
            volumeConfigurations: [{ name, managedEBSVolume: { roleArn, ...managedEBSVolume } }],
          }),
        )
      ).tasks![0]!;
    const volumeOf = (t: { attachments?: { type?: string; details?: { name?: string; value?: string }[] }[] }) =>
      t.attachments!.find((a) => a.type === "AmazonElasticBlockStorage")!.details!.find((d) => d.name === "volumeId")!.value!;

    const task = await run({
      sizeInGiB: 10,
      tagSpecifications: [{ resourceType: "volume", tags: [{ key: "k", value: "v" }], propagateTags: "TASK_DEFINITION" }],
    });
    expect(task.availabilityZone).toBe("us-east-1c");
    const ebs = task.attachments!.find((a) => a.type === "AmazonElasticBlockStorage")!;
    expect(ebs.status).toBe("ATTACHED");
    const volumeId = volumeOf(task);
    expect(ebs.details).toEqual([
      { name: "roleArn", value: roleArn },
      { name: "deleteOnTermination", value: "true" },
      { name: "volumeName", value: "scratch" },
      { name: "volumeId", value: volumeId },
    ]);
    const [vol] = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes!;
    expect(vol).toMatchObject({ State: "in-use", Size: 10, VolumeType: "gp3", AvailabilityZone: "us-east-1c" });
    expect(vol!.Tags).toEqual(
      expect.arrayContaining([
        { Key: "team", Value: "data" },
        { Key: "k", Value: "v" },
      ]),
    );
    await sim.ecs.send(new StopTaskCommand({ cluster: "real", task: task.taskArn }));
    await expect.poll(async () => await sim.ec2.send(new DescribeVolumesCommand({})).then((r) => r.Volumes!.map((v) => v.VolumeId))).not.toContain(volumeId);

    const kept = await run({ sizeInGiB: 20, volumeType: "io2", iops: 1000, terminationPolicy: { deleteOnTermination: false } });
    await sim.ecs.send(new StopTaskCommand({ cluster: "real", task: kept.taskArn }));
    await expect.poll(async () => (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeOf(kept)] }))).Volumes![0]!.State).toBe("available");

    await expectAwsError(run({ sizeInGiB: 10 }, "other"), {
      name: "InvalidParameterException",
      status: 400,
      message: "Volume configuration provided but no matching configuredAtLaunch volume found in task definition.",
    });
    await expectAwsError(run({ sizeInGiB: 10, volumeType: "gp2", throughput: 200 }), { name: "InvalidParameterException", status: 400 });

    // A service's deployment keeps its volume configuration; each service task gets its own volume.
    const svc = (
      await sim.ecs.send(
        new CreateServiceCommand({
          cluster: "real",
          serviceName: "ebs",
          taskDefinition: "ebs",
          desiredCount: 2,
          launchType: "FARGATE",
          networkConfiguration: net,
          tags: [{ key: "svc", value: "1" }],
          volumeConfigurations: [
            { name: "scratch", managedEBSVolume: { roleArn, sizeInGiB: 5, tagSpecifications: [{ resourceType: "volume", propagateTags: "SERVICE" }] } },
          ],
        }),
      )
    ).service!;
    expect(svc.deployments![0]!.volumeConfigurations![0]!.managedEBSVolume!.sizeInGiB).toBe(5);
    const arns = (await sim.ecs.send(new ListTasksCommand({ cluster: "real", serviceName: "ebs" }))).taskArns!;
    const ids = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "real", tasks: arns }))).tasks!.map(volumeOf);
    expect(new Set(ids).size).toBe(2);
    const vols = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: ids }))).Volumes!;
    expect(vols.map((v) => [v.Size, v.State, v.Tags])).toEqual([
      [5, "in-use", [{ Key: "svc", Value: "1" }]],
      [5, "in-use", [{ Key: "svc", Value: "1" }]],
    ]);
  });

  // aws/copilot-cli (internal/pkg/aws/ecs/task.go): a task's status lists each container's image and imageDigest.
  // ECS reports the digest of the image it pulled: the one an image pins, or what an ECR tag points at.
  it("containers report the imageDigest of an image in awsim's ECR, or the digest an image pins", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "team/api" }));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 2, digest: `sha256:${"1".repeat(64)}` },
      layers: [],
    });
    const digest = (await sim.ecr.send(new PutImageCommand({ repositoryName: "team/api", imageManifest: manifest, imageTag: "v7" }))).image!.imageId!
      .imageDigest!;
    const pinned = `public.ecr.aws/docker/library/busybox@sha256:${"ab".repeat(32)}`;
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "digests",
        containerDefinitions: [
          { name: "api", image: "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/api:v7", memory: 64 },
          { name: "pinned", image: pinned, memory: 64, essential: false },
          { name: "hub", image: "nginx:1.27", memory: 64, essential: false },
          { name: "untagged", image: "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/api:nope", memory: 64, essential: false },
        ],
      }),
    );
    const task = (await sim.ecs.send(new RunTaskCommand({ cluster: "real", taskDefinition: "digests" }))).tasks![0]!;
    expect(Object.fromEntries(task.containers!.map((c) => [c.name, c.imageDigest]))).toEqual({
      api: digest,
      pinned: `sha256:${"ab".repeat(32)}`,
      hub: undefined,
      untagged: undefined,
    });
  });

  // Airflow's EcsRunTaskOperator fails a task whose stoppedReason matches "Host EC2 \(instance .+?\) (stopped|terminated)\."
  // (the reasons ECS's stopped-task errors document): an ECS_CLUSTER instance going down stops the tasks on it.
  it("tasks on an EC2 instance that stops or terminates stop with 'Host EC2 (instance i-...) stopped.' / 'terminated.'", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "hosts" }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "hosted", containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }] }));
    const launch = async () =>
      (
        await sim.ec2.send(
          new RunInstancesCommand({
            ImageId: "ami-0abcdef1234567890",
            InstanceType: "t3.small",
            MinCount: 1,
            MaxCount: 1,
            UserData: Buffer.from("#!/bin/bash\necho ECS_CLUSTER=hosts >> /etc/ecs/ecs.config\n").toString("base64"),
          }),
        )
      ).Instances![0]!.InstanceId!;
    const [first, second] = [await launch(), await launch()];
    await expect.poll(async () => (await sim.ecs.send(new ListContainerInstancesCommand({ cluster: "hosts" }))).containerInstanceArns!.length).toBe(2);
    const tasks = (
      await sim.ecs.send(
        new RunTaskCommand({ cluster: "hosts", taskDefinition: "hosted", count: 2, placementStrategy: [{ type: "spread", field: "instanceId" }] }),
      )
    ).tasks!;
    expect(tasks).toHaveLength(2);
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [first] }));
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [second] }));
    const stopped = async () =>
      (await sim.ecs.send(new DescribeTasksCommand({ cluster: "hosts", tasks: tasks.map((t) => t.taskArn!) }))).tasks!.map((t) => [
        t.lastStatus,
        t.stopCode,
        t.stoppedReason,
      ]);
    await expect.poll(stopped).toEqual(
      expect.arrayContaining([
        ["STOPPED", undefined, `Host EC2 (instance ${first}) stopped.`],
        ["STOPPED", "TerminationNotice", `Host EC2 (instance ${second}) terminated.`],
      ]),
    );
  });

  // fabfuel/ecs-deploy and silinternational/ecs-deploy redeploy a moved tag with a new deployment (force new
  // deployment): ECS resolves a deployment's tags to digests once (software version consistency), so tasks a
  // deployment starts later keep its digest, and the service revision names it.
  it("a service deployment pins its image digests; only a new deployment picks up a moved tag", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "team/web" }));
    const push = async (n: number) =>
      (
        await sim.ecr.send(
          new PutImageCommand({
            repositoryName: "team/web",
            imageTag: "live",
            imageManifest: JSON.stringify({
              schemaVersion: 2,
              mediaType: "application/vnd.docker.distribution.manifest.v2+json",
              config: { mediaType: "application/vnd.docker.container.image.v1+json", size: n, digest: `sha256:${String(n).repeat(64).slice(0, 64)}` },
              layers: [],
            }),
          }),
        )
      ).image!.imageId!.imageDigest!;
    const first = await push(1);
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "pinned",
        containerDefinitions: [{ name: "web", image: "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/web:live", memory: 64 }],
      }),
    );
    await sim.ecs.send(new CreateServiceCommand({ cluster: "real", serviceName: "pinned", taskDefinition: "pinned", desiredCount: 1 }));
    const second = await push(2);
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "real", service: "pinned", desiredCount: 2 }));
    const digests = async () => {
      const arns = (await sim.ecs.send(new ListTasksCommand({ cluster: "real", serviceName: "pinned" }))).taskArns!;
      return (await sim.ecs.send(new DescribeTasksCommand({ cluster: "real", tasks: arns }))).tasks!.map((t) => t.containers![0]!.imageDigest);
    };
    expect(await digests()).toEqual([first, first]);
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "real", service: "pinned", forceNewDeployment: true }));
    expect(await digests()).toEqual([second, second]);
    expect((await sim.ecs.send(new DescribeServicesCommand({ cluster: "real", services: ["pinned"] }))).services![0]!.deployments).toHaveLength(1);
    const [latest] = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "real", service: "pinned" }))).serviceDeployments!;
    const [revision] = (await sim.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [latest!.targetServiceRevisionArn!] })))
      .serviceRevisions!;
    expect(revision!.containerImages).toEqual([
      { containerName: "web", image: "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/web:live", imageDigest: second },
    ]);
  });
});

describe("ECS tasks as Airflow reads them (execute mode)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ ecs: new ECSClient(cfg), logs: new CloudWatchLogsClient(cfg) }));

  // Airflow's EcsRunTaskOperator (deferrable) reads the last line of the task's awslogs stream once it stops
  // (get_log_events startFromHead=False, limit=1): the driver made the stream when the container started, so a
  // task that printed nothing answers no events rather than ResourceNotFoundException.
  it("an awslogs container that prints nothing still has its (empty) log stream", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "quiet" }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "quiet",
        containerDefinitions: [
          {
            name: "job",
            image: "busybox",
            memory: 64,
            command: ["true"],
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "/ecs/quiet", "awslogs-region": "us-east-1", "awslogs-create-group": "true", "awslogs-stream-prefix": "ecs" },
            },
          },
        ],
      }),
    );
    const task = (await sim.ecs.send(new RunTaskCommand({ cluster: "quiet", taskDefinition: "quiet" }))).tasks![0]!;
    await waitUntilTasksStopped({ client: sim.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { cluster: "quiet", tasks: [task.taskArn!] });
    const stream = `ecs/job/${task.taskArn!.split("/").pop()}`;
    const last = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/ecs/quiet", logStreamName: stream, startFromHead: false, limit: 1 }));
    expect(last.events).toEqual([]);
    expect((await sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "/ecs/quiet" }))).logStreams!.map((s) => s.logStreamName)).toEqual([stream]);
  });
});
