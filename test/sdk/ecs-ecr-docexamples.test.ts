/**
 * AWS's own ECS and ECR code examples (awsdocs/aws-doc-sdk-examples) replayed against awsim, re-typed:
 * python/example_code/ecs (scenarios/ecs_basics_scenario.py with ecs_wrapper.py, ecs_hello.py) and
 * python/example_code/ecr (ecr_getting_started.py with ecr_wrapper.py; the call sequence of the Java ECR
 * scenario, ECRActions.java, is the same plus StartLifecyclePolicyPreview). The CloudFormation stack the ECS
 * scenario deploys (awsim has no CloudFormation) is replaced by the default VPC's subnets and an IAM role made
 * through IAM; the ECR scenario's `docker push` by the registry API it speaks (awsim's /v2/ endpoint).
 */
import { createHash } from "node:crypto";
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyPreviewCommand,
  GetRepositoryPolicyCommand,
  ListImagesCommand,
  paginateDescribeImages,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  StartLifecyclePolicyPreviewCommand,
} from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  paginateListClusters,
  paginateListTasks,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
} from "@aws-sdk/client-ecs";
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg) => ({ ecs: new ECSClient(cfg), ecr: new ECRClient(cfg), ec2: new EC2Client(cfg), iam: new IAMClient(cfg) }));
const W = { minDelay: 1, maxDelay: 1, maxWaitTime: 30 };

describe("python ecs scenarios/ecs_basics_scenario.py", () => {
  it("cluster → Fargate task definition → standalone task → service → scale → clean up", async () => {
    const { ecs } = t;
    const role = (
      await t.iam.send(
        new CreateRoleCommand({
          RoleName: "EcsTaskExecutionRole",
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        }),
      )
    ).Role!.Arn!;
    const subnets = (await t.ec2.send(new DescribeSubnetsCommand({}))).Subnets!.slice(0, 2).map((s) => s.SubnetId!);
    const securityGroups = [(await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups![0]!.GroupId!];
    const network = { awsvpcConfiguration: { subnets, securityGroups, assignPublicIp: "ENABLED" as const } };

    const cluster = (
      await ecs.send(new CreateClusterCommand({ clusterName: "ecs-basics-cluster", settings: [{ name: "containerInsights", value: "enabled" }] }))
    ).cluster!;
    expect(cluster).toMatchObject({ clusterName: "ecs-basics-cluster", status: "ACTIVE" });
    const td = (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "ecs-basics-task-def",
          networkMode: "awsvpc",
          requiresCompatibilities: ["FARGATE"],
          cpu: "256",
          memory: "512",
          executionRoleArn: role,
          containerDefinitions: [
            {
              name: "sample-app",
              image: "public.ecr.aws/docker/library/httpd:2.4",
              essential: true,
              portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
              cpu: 256,
              memory: 512,
            },
          ],
        }),
      )
    ).taskDefinition!;
    const tdRef = `${td.family}:${td.revision}`;
    expect(tdRef).toBe("ecs-basics-task-def:1");

    const described = (await ecs.send(new DescribeClustersCommand({ clusters: ["ecs-basics-cluster"], include: ["STATISTICS"] }))).clusters!;
    expect(described[0]).toMatchObject({ clusterName: "ecs-basics-cluster", status: "ACTIVE", activeServicesCount: 0, runningTasksCount: 0 });

    const run = await ecs.send(
      new RunTaskCommand({ cluster: "ecs-basics-cluster", taskDefinition: tdRef, launchType: "FARGATE", count: 1, networkConfiguration: network }),
    );
    expect(run.failures).toEqual([]);
    const taskArn = run.tasks![0]!.taskArn!;
    expect((await waitUntilTasksRunning({ client: ecs, ...W }, { cluster: "ecs-basics-cluster", tasks: [taskArn] })).state).toBe("SUCCESS");
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: "ecs-basics-cluster", tasks: [taskArn] }))).tasks![0]!;
    expect(task.lastStatus).toBe("RUNNING");
    expect(task.containers!.map((c) => [c.name, c.lastStatus])).toEqual([["sample-app", "RUNNING"]]);

    const service = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: "ecs-basics-cluster",
          serviceName: "ecs-basics-service",
          taskDefinition: tdRef,
          desiredCount: 1,
          launchType: "FARGATE",
          networkConfiguration: network,
        }),
      )
    ).service!;
    expect(service).toMatchObject({ serviceName: "ecs-basics-service", desiredCount: 1 });
    expect((await waitUntilServicesStable({ client: ecs, ...W }, { cluster: "ecs-basics-cluster", services: ["ecs-basics-service"] })).state).toBe("SUCCESS");
    const serviceTasks: string[] = [];
    for await (const page of paginateListTasks({ client: ecs }, { cluster: "ecs-basics-cluster", serviceName: "ecs-basics-service" }))
      serviceTasks.push(...page.taskArns!);
    expect(serviceTasks).toHaveLength(1);
    expect(serviceTasks).not.toContain(taskArn);
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: "ecs-basics-cluster", services: ["ecs-basics-service"] }))).services![0]!;
    expect(svc).toMatchObject({ status: "ACTIVE", desiredCount: 1, runningCount: 1 });
    expect(svc.events![0]!.message).toBe("(service ecs-basics-service) has reached a steady state.");
    expect(
      (await ecs.send(new UpdateServiceCommand({ cluster: "ecs-basics-cluster", service: "ecs-basics-service", desiredCount: 2 }))).service!.desiredCount,
    ).toBe(2);

    await ecs.send(new StopTaskCommand({ cluster: "ecs-basics-cluster", task: taskArn, reason: "Scenario cleanup" }));
    expect((await waitUntilTasksStopped({ client: ecs, ...W }, { cluster: "ecs-basics-cluster", tasks: [taskArn] })).state).toBe("SUCCESS");
    await ecs.send(new UpdateServiceCommand({ cluster: "ecs-basics-cluster", service: "ecs-basics-service", desiredCount: 0 }));
    expect((await waitUntilServicesStable({ client: ecs, ...W }, { cluster: "ecs-basics-cluster", services: ["ecs-basics-service"] })).state).toBe("SUCCESS");
    expect((await ecs.send(new DeleteServiceCommand({ cluster: "ecs-basics-cluster", service: "ecs-basics-service", force: true }))).service!.status).toBe(
      "DRAINING",
    );
    expect((await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: tdRef }))).taskDefinition!.status).toBe("INACTIVE");
    expect((await ecs.send(new DeleteClusterCommand({ cluster: "ecs-basics-cluster" }))).cluster!.status).toBe("INACTIVE");
  });

  it("ecs_wrapper.list_tasks: a service the cluster does not have is ServiceNotFoundException, as ListTasks documents", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "c1" }));
    const pages = async () => {
      for await (const _ of paginateListTasks({ client: t.ecs }, { cluster: "c1", serviceName: "nope" }));
    };
    await expectAwsError(pages(), { name: "ServiceNotFoundException", status: 400, message: "Service not found." });
    await expectAwsError(t.ecs.send(new ListTasksCommand({ cluster: "c1", serviceName: "arn:aws:ecs:us-east-1:000000000000:service/c1/nope" })), {
      name: "ServiceNotFoundException",
      status: 400,
    });
  });

  it("ecs_hello.py lists the clusters with the ListClusters paginator", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "hello" }));
    const arns: string[] = [];
    for await (const page of paginateListClusters({ client: t.ecs }, {})) arns.push(...page.clusterArns!);
    expect(arns).toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/hello"]);
  });
});

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

describe("python ecr ecr_getting_started.py (and the Java ECRScenario's sequence)", () => {
  it("repository → policy → token → URI → lifecycle policy → push → verify → delete", async () => {
    const { ecr } = t;
    const name = "ecr-basics";
    const repo = (await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))).repository!;
    expect(repo.repositoryArn).toBe(`arn:aws:ecr:us-east-1:000000000000:repository/${name}`);
    // ecr_wrapper.create_repository catches RepositoryAlreadyExistsException and describes the existing one.
    await expectAwsError(ecr.send(new CreateRepositoryCommand({ repositoryName: name })), { name: "RepositoryAlreadyExistsException", status: 400 });
    await expectAwsError(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name })), { name: "RepositoryPolicyNotFoundException", status: 400 });

    const role = "arn:aws:iam::000000000000:role/ecr-download";
    const policy = {
      Version: "2008-10-17",
      Statement: [{ Sid: "AllowDownload", Effect: "Allow", Principal: { AWS: role }, Action: ["ecr:BatchGetImage"] }],
    };
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: JSON.stringify(policy) }));
    expect(JSON.parse((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name }))).policyText!)).toEqual(policy);

    const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
    const [user, password] = Buffer.from(token, "base64").toString("utf8").split(":");
    expect(user).toBe("AWS");
    const uri = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories![0]!.repositoryUri!;
    expect(uri).toBe(`000000000000.dkr.ecr.us-east-1.amazonaws.com/${name}`);

    const lifecycle = {
      rules: [
        {
          rulePriority: 1,
          description: "Expire images older than 14 days",
          selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
          action: { type: "expire" },
        },
      ],
    };
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: JSON.stringify(lifecycle) }));
    // ECRActions.setLifeCyclePolicy previews the same policy, text block indentation and all.
    const preview = await ecr.send(
      new StartLifecyclePolicyPreviewCommand({ repositoryName: name, lifecyclePolicyText: `\n  ${JSON.stringify(lifecycle, null, 4)}\n` }),
    );
    expect(preview.status).toBe("IN_PROGRESS");
    expect((await ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: name }))).status).toBe("COMPLETE");

    // docker push, as the registry API: the decoded token's password in Basic auth.
    const auth = { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString("base64")}` };
    const layer = Buffer.from("echo-text layer");
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [sha(layer)] } }));
    for (const blob of [layer, config]) {
      const r = await fetch(`${t.server.url}/v2/${name}/blobs/uploads/?digest=${sha(blob)}`, { method: "POST", body: blob, headers: auth });
      expect(r.status).toBe(201);
    }
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: sha(config) },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: sha(layer) }],
    });
    const put = await fetch(`${t.server.url}/v2/${name}/manifests/echo-text`, {
      method: "PUT",
      body: manifest,
      headers: { ...auth, "content-type": "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(put.status).toBe(201);

    const details = [];
    for await (const page of paginateDescribeImages({ client: ecr }, { repositoryName: name, imageIds: [{ imageTag: "echo-text" }] }))
      details.push(...page.imageDetails!);
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({
      imageTags: ["echo-text"],
      imageDigest: sha(Buffer.from(manifest)),
      imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    });
    // HelloECR.java lists the image tags.
    expect((await ecr.send(new ListImagesCommand({ repositoryName: name }))).imageIds).toEqual([
      { imageDigest: sha(Buffer.from(manifest)), imageTag: "echo-text" },
    ]);
    // ECRActions.verifyImage with a tag not pushed: ImageNotFoundException.
    await expectAwsError(ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: "latest" }] })), {
      name: "ImageNotFoundException",
      status: 400,
    });

    expect((await ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true }))).repository!.repositoryName).toBe(name);
    await expectAwsError(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })), { name: "RepositoryNotFoundException", status: 400 });
  });
});
