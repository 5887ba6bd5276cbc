/**
 * ECS answers quoted from AWS in public issue threads (the thread named beside each case): task definition rules,
 * network configuration, UpdateService, ExecuteCommand and DescribeServices identifiers.
 */
import {
  type ContainerDefinition,
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteCapacityProviderCommand,
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  DescribeTasksCommand,
  ECSClient,
  CreateTaskSetCommand,
  ExecuteCommandCommand,
  ListAccountSettingsCommand,
  ListTasksCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutClusterCapacityProvidersCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  UpdateClusterCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateServiceDiscoveryServiceCommand,
  GetOperationCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const C = (extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({ name: "c", image: "nginx", memory: 128, ...extra });

describe("ECS answers quoted from AWS", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));
  const register = (family: string, input: Omit<RegisterTaskDefinitionCommandInput, "family">) =>
    sim.ecs.send(new RegisterTaskDefinitionCommand({ family, ...input }));
  const clientError = (message: string) => ({ name: "ClientException", status: 400, message });
  const invalid = (message: string) => ({ name: "InvalidParameterException", status: 400, message });

  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "quoted" }));
    await register("bridge", { containerDefinitions: [C()] });
    await register("vpc", { networkMode: "awsvpc", containerDefinitions: [C()] });
  });

  it("a task definition holds at most 10 containers (aws/amazon-ecs-cli#184)", async () => {
    const many = Array.from({ length: 11 }, (_, i) => C({ name: `c${i}` }));
    await expectAwsError(register("many", { containerDefinitions: many }), clientError("Too many containers."));
    const ten = await register("many", { containerDefinitions: many.slice(0, 10) });
    expect(ten.taskDefinition?.containerDefinitions).toHaveLength(10);
  });

  it("awsvpc port mappings need the host port to equal the container port (aws/amazon-ecs-cli#1014, pulumi/pulumi-awsx#935)", async () => {
    await expectAwsError(
      register("ports", { networkMode: "awsvpc", containerDefinitions: [C({ portMappings: [{ containerPort: 80, hostPort: 8080 }] })] }),
      clientError("When networkMode=awsvpc, the host ports and container ports in port mappings must match."),
    );
    const ok = await register("ports", { networkMode: "awsvpc", containerDefinitions: [C({ portMappings: [{ containerPort: 80 }] })] });
    expect(ok.taskDefinition?.containerDefinitions?.[0]?.portMappings).toEqual([{ containerPort: 80, hostPort: 80, protocol: "tcp" }]);
    // Bridge mode maps any host port.
    await register("ports", { containerDefinitions: [C({ portMappings: [{ containerPort: 80, hostPort: 8080 }] })] });
  });

  it("a port mapping without containerPort, and a host port mapped twice (aws/aws-cdk#8762, aws/amazon-ecs-agent#1220)", async () => {
    await expectAwsError(
      register("ports2", { containerDefinitions: [C({ name: "prerenderContainer", portMappings: [{ hostPort: 3000 }] })] }),
      clientError("Invalid 'containerPort' setting for container 'prerenderContainer'."),
    );
    await expectAwsError(
      register("ports2", {
        containerDefinitions: [
          C({ name: "a", portMappings: [{ containerPort: 3000, hostPort: 3000 }] }),
          C({ name: "b", portMappings: [{ containerPort: 80, hostPort: 3000 }] }),
        ],
      }),
      clientError("TCP host port '3000' is mapped multiple times in task."),
    );
    // Dynamic host ports (0 or none in bridge mode) may repeat.
    await register("ports2", {
      containerDefinitions: [C({ name: "a", portMappings: [{ containerPort: 80 }] }), C({ name: "b", portMappings: [{ containerPort: 80, hostPort: 0 }] })],
    });
  });

  it("awslogs needs its log group (klothoplatform/klotho#892)", async () => {
    await expectAwsError(
      register("logs", { containerDefinitions: [C({ logConfiguration: { logDriver: "awslogs", options: { "awslogs-region": "us-east-1" } } })] }),
      clientError("Log driver awslogs requires options: awslogs-group"),
    );
  });

  it("a SUCCESS or COMPLETE dependency cannot be essential (boto/boto3#2436)", async () => {
    const app = C({ name: "app", dependsOn: [{ containerName: "init", condition: "SUCCESS" }] });
    await expectAwsError(
      register("deps", { containerDefinitions: [app, C({ name: "init" })] }),
      clientError("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"),
    );
    const ok = await register("deps", { containerDefinitions: [app, C({ name: "init", essential: false })] });
    expect(ok.taskDefinition?.containerDefinitions?.[1]?.essential).toBe(false);
  });

  it("containers cannot ask more cpu or memory than the task (aws/aws-cdk#24629, pulumi/pulumi-awsx#1220)", async () => {
    await expectAwsError(
      register("size", { cpu: "256", memory: "512", containerDefinitions: [C({ name: "a", cpu: 200 }), C({ name: "b", cpu: 100 })] }),
      clientError("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."),
    );
    await expectAwsError(
      register("size", { cpu: "256", memory: "512", containerDefinitions: [C({ name: "worker", memory: 1024 })] }),
      clientError("The 'memory' setting for container 'worker' is greater than for the task."),
    );
    const ok = await register("size", {
      cpu: "256",
      memory: "512",
      containerDefinitions: [C({ name: "a", cpu: 128, memory: 512 }), C({ name: "b", cpu: 128 })],
    });
    expect(ok.taskDefinition?.cpu).toBe("256");
  });

  it("a network configuration is refused for a task definition not in awsvpc mode (ansible-collections/community.aws#1145)", async () => {
    const network = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };
    const message = "Network Configuration is not valid for the given networkMode of this task definition.";
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "quoted", taskDefinition: "bridge", networkConfiguration: network })), invalid(message));
    await expectAwsError(
      sim.ecs.send(
        new CreateServiceCommand({ cluster: "quoted", serviceName: "bridge-net", taskDefinition: "bridge", desiredCount: 0, networkConfiguration: network }),
      ),
      invalid(message),
    );
  });

  it("UpdateService refuses ECS Exec without a task role (aws/aws-cli#6242) and network changes under CodeDeploy (terraform-provider-aws#8005)", async () => {
    await sim.ecs.send(new CreateServiceCommand({ cluster: "quoted", serviceName: "norole", taskDefinition: "bridge", desiredCount: 0 }));
    await expectAwsError(
      sim.ecs.send(new UpdateServiceCommand({ cluster: "quoted", service: "norole", enableExecuteCommand: true })),
      invalid(
        "The service couldn't be updated because a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again.",
      ),
    );
    await register("role", { taskRoleArn: "arn:aws:iam::000000000000:role/app", containerDefinitions: [C()] });
    const updated = await sim.ecs.send(new UpdateServiceCommand({ cluster: "quoted", service: "norole", taskDefinition: "role", enableExecuteCommand: true }));
    expect(updated.service?.enableExecuteCommand).toBe(true);

    await sim.ecs.send(
      new CreateServiceCommand({
        cluster: "quoted",
        serviceName: "bluegreen",
        taskDefinition: "vpc",
        desiredCount: 0,
        deploymentController: { type: "CODE_DEPLOY" },
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
      }),
    );
    await expectAwsError(
      sim.ecs.send(
        new UpdateServiceCommand({
          cluster: "quoted",
          service: "bluegreen",
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"], securityGroups: ["sg-12345678"] } },
        }),
      ),
      invalid("Unable to update network parameters on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."),
    );
  });

  it("ExecuteCommand refuses a task id of another length (Mic-U/ecsher#56)", async () => {
    await expectAwsError(
      sim.ecs.send(new ExecuteCommandCommand({ cluster: "quoted", task: "task", container: "c", command: "/bin/bash", interactive: true })),
      invalid("task length should be one of [32,36]"),
    );
    await expectAwsError(
      sim.ecs.send(
        new ExecuteCommandCommand({ cluster: "quoted", task: "a8da60f6b24c444fa08a68f82eefb558", container: "c", command: "/bin/bash", interactive: true }),
      ),
      invalid("The referenced task was not found."),
    );
  });

  it("DescribeServices checks the cluster name and each service ARN's cluster (amazon-ecs-nodejs-microservices#18, aws-toolkit-vscode#2915)", async () => {
    await expectAwsError(
      sim.ecs.send(new DescribeServicesCommand({ cluster: "my cluster", services: ["s"] })),
      invalid("Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was my cluster"),
    );
    const arn = "arn:aws:ecs:us-east-1:000000000000:service/quoted/norole";
    await expectAwsError(
      sim.ecs.send(new DescribeServicesCommand({ services: [arn] })),
      invalid("Invalid identifier: Identifier is for cluster quoted. Your cluster is default"),
    );
    const found = await sim.ecs.send(new DescribeServicesCommand({ cluster: "quoted", services: [arn] }));
    expect(found.services?.[0]?.serviceName).toBe("norole");
  });

  it("a capacity provider AWS never had is not found; a deleted one is not ACTIVE (terraform-aws-ecs#53, terraform-provider-aws#45693)", async () => {
    const asg = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:3daf2d5c-a6bc-4c44-8615-c87cf562863f:autoScalingGroupName/ECS-asg";
    await expectAwsError(
      sim.ecs.send(new CreateClusterCommand({ clusterName: "asg-cluster", capacityProviders: [asg] })),
      invalid("The specified capacity provider was not found. Specify a valid capacity provider and try again."),
    );
    await sim.ecs.send(new CreateCapacityProviderCommand({ name: "gone-cp", autoScalingGroupProvider: { autoScalingGroupArn: asg } }));
    await sim.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: "gone-cp" }));
    await expectAwsError(
      sim.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "quoted", capacityProviders: ["gone-cp"], defaultCapacityProviderStrategy: [] })),
      invalid("The specified capacity provider 'gone-cp' is not in an ACTIVE state. Specify a valid capacity provider and try again."),
    );
  });

  it("a load balancer names a container of the task definition and one of its mapped ports (aws/amazon-ecs-agent#1276, pulumi/pulumi-aws#3095)", async () => {
    await register("web", { containerDefinitions: [C({ name: "app", portMappings: [{ containerPort: 3000 }] })] });
    const tg = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/73e2d6bc24d8a067";
    const create = (serviceName: string, lb: { containerName?: string; containerPort: number }) =>
      sim.ecs.send(
        new CreateServiceCommand({ cluster: "quoted", serviceName, taskDefinition: "web", desiredCount: 0, loadBalancers: [{ targetGroupArn: tg, ...lb }] }),
      );
    await expectAwsError(
      create("lb1", { containerName: "Frontend", containerPort: 3000 }),
      invalid("The container Frontend does not exist in the task definition."),
    );
    await expectAwsError(create("lb1", { containerName: "app", containerPort: 80 }), invalid("The container app did not have a container port 80 defined."));
    await expectAwsError(create("lb1", { containerPort: 3000 }), invalid("Container Name can not be blank."));
    const ok = await create("lb1", { containerName: "app", containerPort: 3000 });
    expect(ok.service?.loadBalancers).toEqual([{ targetGroupArn: tg, containerName: "app", containerPort: 3000 }]);
  });

  it("a service registry takes a port or a container port, the latter only for SRV records (trussworks/terraform-aws-ecs-service#344, telia-oss/terraform-aws-ecs-fargate#36)", async () => {
    const sd = new ServiceDiscoveryClient(clientConfig(sim.server));
    const dnsNs = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "quoted.internal", Vpc: "vpc-12345678" }));
    const dnsNsId = (await sd.send(new GetOperationCommand({ OperationId: dnsNs.OperationId! }))).Operation!.Targets!.NAMESPACE!;
    const aOnly = await sd.send(
      new CreateServiceDiscoveryServiceCommand({ Name: "a-only", DnsConfig: { NamespaceId: dnsNsId, DnsRecords: [{ Type: "A", TTL: 10 }] } }),
    );
    await register("web-reg", { networkMode: "awsvpc", containerDefinitions: [C({ name: "app", portMappings: [{ containerPort: 3000 }] })] });
    const create = (serviceRegistries: { registryArn: string; port?: number; containerName?: string; containerPort?: number }[]) =>
      sim.ecs.send(
        new CreateServiceCommand({
          cluster: "quoted",
          serviceName: "reg",
          taskDefinition: "web-reg",
          desiredCount: 0,
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
          serviceRegistries,
        }),
      );
    const registryArn = aOnly.Service!.Arn!;
    await expectAwsError(
      create([{ registryArn, port: 3000, containerName: "app", containerPort: 3000 }]),
      invalid("Specify a value for either 'port' or the 'containerName' and 'containerPort' combination, but not both"),
    );
    await expectAwsError(
      create([{ registryArn, containerName: "app", containerPort: 3000 }]),
      invalid("The values specified for serviceRegistries do not require a value for 'containerPort'. Remove the value and retry."),
    );
    expect((await create([{ registryArn }])).service?.serviceRegistries).toEqual([{ registryArn }]);
  });

  it("an account setting takes only its documented values (aws/aws-cli#3785, hashicorp/terraform-provider-aws#32114)", async () => {
    const bad = invalid("Invalid setting 'value'");
    await expectAwsError(sim.ecs.send(new PutAccountSettingCommand({ name: "taskLongArnFormat", value: "ENABLED" })), bad);
    await expectAwsError(sim.ecs.send(new PutAccountSettingDefaultCommand({ name: "tagResourceAuthorization", value: "enabled" })), bad);
    expect((await sim.ecs.send(new PutAccountSettingDefaultCommand({ name: "tagResourceAuthorization", value: "on" }))).setting?.value).toBe("on");
    expect((await sim.ecs.send(new PutAccountSettingCommand({ name: "fargateTaskRetirementWaitPeriod", value: "14" }))).setting?.value).toBe("14");
    // The default log driver mode became non-blocking on June 25, 2025 (API reference).
    const effective = await sim.ecs.send(new ListAccountSettingsCommand({ name: "defaultLogDriverMode", effectiveSettings: true }));
    expect(effective.settings?.[0]?.value).toBe("non-blocking");
  });

  it("secrets need an execution role; a volume has one configuration type (sil-org/ecs-deploy#166, cloudposse/terraform-aws-ecs-alb-service-task#185)", async () => {
    const secrets = [{ name: "TOKEN", valueFrom: "arn:aws:ssm:us-east-1:000000000000:parameter/token" }];
    await expectAwsError(
      register("secret", { containerDefinitions: [C({ secrets })] }),
      clientError("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."),
    );
    const ok = await register("secret", { executionRoleArn: "arn:aws:iam::000000000000:role/exec", containerDefinitions: [C({ secrets })] });
    expect(ok.taskDefinition?.containerDefinitions?.[0]?.secrets).toEqual(secrets);
    await expectAwsError(
      register("vols", {
        containerDefinitions: [C()],
        volumes: [{ name: "efs2", host: { sourcePath: "/test123" }, efsVolumeConfiguration: { fileSystemId: "fs-12312312" } }],
      }),
      clientError("When the volume parameter is specified, only one volume configuration type should be used."),
    );
  });

  it("Fargate platform versions: unknown ones, and EFS before 1.4.0 (jenkinsci/amazon-ecs-plugin#218, ansible-collections/community.aws#136)", async () => {
    await register("fg-efs", {
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [C()],
      volumes: [{ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-12345678" } }],
    });
    const networkConfiguration = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };
    const run = (platformVersion: string) =>
      sim.ecs.send(new RunTaskCommand({ cluster: "quoted", taskDefinition: "fg-efs", launchType: "FARGATE", platformVersion, networkConfiguration }));
    await expectAwsError(run("1.4"), { name: "PlatformUnknownException", status: 400, message: "The specified platform does not exist." });
    await expectAwsError(
      sim.ecs.send(
        new CreateServiceCommand({
          cluster: "quoted",
          serviceName: "efs-svc",
          taskDefinition: "fg-efs",
          desiredCount: 0,
          launchType: "FARGATE",
          platformVersion: "1.3.0",
          networkConfiguration,
        }),
      ),
      { name: "PlatformTaskDefinitionIncompatibilityException", status: 400, message: "One or more of the requested capabilities are not supported." },
    );
    expect((await run("1.4.0")).tasks?.[0]?.platformVersion).toBe("1.4.0");
  });

  it("EXTERNAL services take no task definition (terraform-provider-aws#27362, terraform-aws-ecs#278)", async () => {
    const ext = (taskDefinition?: string) =>
      sim.ecs.send(new CreateServiceCommand({ cluster: "quoted", serviceName: "ext", taskDefinition, deploymentController: { type: "EXTERNAL" } }));
    await expectAwsError(ext(""), invalid("Family should not be null or empty."));
    await expectAwsError(ext("bridge"), invalid("TaskDefinition must be blank."));
    expect((await ext()).service?.deploymentController).toEqual({ type: "EXTERNAL" });
  });

  it("a service holds at most 5 task sets (aws-samples/ecs-bg-external-controller#6)", async () => {
    await sim.ecs.send(new CreateServiceCommand({ cluster: "quoted", serviceName: "ext5", deploymentController: { type: "EXTERNAL" } }));
    for (let i = 0; i < 5; i++) await sim.ecs.send(new CreateTaskSetCommand({ cluster: "quoted", service: "ext5", taskDefinition: "bridge" }));
    await expectAwsError(
      sim.ecs.send(new CreateTaskSetCommand({ cluster: "quoted", service: "ext5", taskDefinition: "bridge" })),
      invalid("5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit."),
    );
  });

  it("ListTasks: startedBy is the only filter, and a family has no revision (aws/aws-sdk-go-v2#1893, awslabs/ecs-task-kite#6)", async () => {
    await expectAwsError(
      sim.ecs.send(new ListTasksCommand({ cluster: "quoted", startedBy: "ci", family: "bridge" })),
      invalid("cannot specify startedBy with other arguments"),
    );
    await expectAwsError(
      sim.ecs.send(new ListTasksCommand({ cluster: "quoted", startedBy: "ci", launchType: "FARGATE" })),
      invalid("cannot specify startedBy with other arguments"),
    );
    await expectAwsError(sim.ecs.send(new ListTasksCommand({ cluster: "quoted", family: "bridge:2" })), invalid("family must match ^[a-zA-Z0-9\\-_]+$"));
    const listed = await sim.ecs.send(new ListTasksCommand({ cluster: "quoted", serviceName: "norole", desiredStatus: "RUNNING" }));
    expect(listed.taskArns).toEqual([]);
  });

  it("capacity provider names and distinctInstance expressions (aws-samples/aws-cdk-examples#626, hashicorp/terraform#11471)", async () => {
    const asg = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/aws-ec2-integ";
    await expectAwsError(
      sim.ecs.send(new CreateCapacityProviderCommand({ name: "aws-ec2-integ-ecs-cp", autoScalingGroupProvider: { autoScalingGroupArn: asg } })),
      clientError(
        'The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.',
      ),
    );
    await expectAwsError(
      sim.ecs.send(
        new CreateServiceCommand({
          cluster: "quoted",
          serviceName: "distinct",
          taskDefinition: "bridge",
          desiredCount: 0,
          placementConstraints: [{ type: "distinctInstance", expression: "" }],
        }),
      ),
      invalid("distinctInstance expression should not be specified."),
    );
  });

  it("a new capacity provider strategy needs a new deployment (reproio/ecs_deploy#74, kayac/ecspresso#481, aws/aws-cdk#36563)", async () => {
    await sim.ecs.send(
      new CreateClusterCommand({
        clusterName: "cps",
        capacityProviders: ["FARGATE"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
      }),
    );
    await sim.ecs.send(new CreateServiceCommand({ cluster: "cps", serviceName: "s", taskDefinition: "bridge", desiredCount: 0, launchType: "EC2" }));
    const strategy = [{ capacityProvider: "FARGATE", weight: 1 }];
    await expectAwsError(
      sim.ecs.send(new UpdateServiceCommand({ cluster: "cps", service: "s", capacityProviderStrategy: strategy })),
      invalid(
        "When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.",
      ),
    );
    const forced = await sim.ecs.send(new UpdateServiceCommand({ cluster: "cps", service: "s", capacityProviderStrategy: strategy, forceNewDeployment: true }));
    expect(forced.service?.capacityProviderStrategy?.[0]?.capacityProvider).toBe("FARGATE");
    // The same strategy again is no change.
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "cps", service: "s", capacityProviderStrategy: strategy, desiredCount: 0 }));
  });

  it("Describe calls take at most 10 services, 100 tasks, 100 container instances (remind101/empire#468, sil-org/ecs-deploy#266, traefik/traefik#3625)", async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(32, "0"));
    await expectAwsError(
      sim.ecs.send(new DescribeServicesCommand({ cluster: "quoted", services: ids(11) })),
      invalid("service names can have at most 10 items."),
    );
    await expectAwsError(sim.ecs.send(new DescribeTasksCommand({ cluster: "quoted", tasks: ids(101) })), invalid("taskIds can have at most 100 items."));
    await expectAwsError(
      sim.ecs.send(new DescribeContainerInstancesCommand({ cluster: "quoted", containerInstances: ids(101) })),
      invalid("instanceIds can have at most 100 items."),
    );
    expect((await sim.ecs.send(new DescribeTasksCommand({ cluster: "quoted", tasks: ids(100) }))).failures).toHaveLength(100);
  });

  it("a service's Service Connect namespace must exist (terraform-aws-modules/terraform-aws-ecs#116)", async () => {
    await register("sc", { networkMode: "awsvpc", containerDefinitions: [C({ portMappings: [{ containerPort: 80, name: "web" }] })] });
    const create = (serviceName: string, namespace: string) =>
      sim.ecs.send(
        new CreateServiceCommand({
          cluster: "quoted",
          serviceName,
          taskDefinition: "sc",
          desiredCount: 0,
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
          serviceConnectConfiguration: { enabled: true, namespace },
        }),
      );
    await expectAwsError(create("sc1", "example"), { name: "NamespaceNotFoundException", status: 400, message: "Failed to retrieve namespace for example" });
    // A cluster's default namespace given by name is created in Cloud Map; services may then name it.
    await sim.ecs.send(new UpdateClusterCommand({ cluster: "quoted", serviceConnectDefaults: { namespace: "example" } }));
    expect((await create("sc1", "example")).service?.serviceName).toBe("sc1");
  });

  it("RunTask refuses ECS Exec without a task role (boto/boto3#3173)", async () => {
    const message =
      "The execute command failed because a valid task role is not being used. Specify a valid task role in your task definition or as a task override and try again.";
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "quoted", taskDefinition: "bridge", enableExecuteCommand: true })), invalid(message));
    await expectAwsError(
      sim.ecs.send(new RunTaskCommand({ cluster: "quoted", taskDefinition: "bridge", enableExecuteCommand: true, overrides: { taskRoleArn: "" } })),
      invalid(message),
    );
    const ok = await sim.ecs.send(new RunTaskCommand({ cluster: "quoted", taskDefinition: "role", enableExecuteCommand: true }));
    expect(ok.tasks?.[0]?.enableExecuteCommand).toBe(true);
  });

  it("identifiers read before lookup: joined task ARNs, another account's task, a task ARN as a task set (sil-org/ecs-deploy#312, amazon-ecs-deploy-task-definition#261, boto/boto3#3895)", async () => {
    const task = (await sim.ecs.send(new RunTaskCommand({ cluster: "quoted", taskDefinition: "bridge" }))).tasks![0]!.taskArn!;
    await expectAwsError(
      sim.ecs.send(new DescribeTasksCommand({ cluster: "quoted", tasks: [`${task}\n${task}`] })),
      invalid("Invalid identifier: Unexpected number of separators"),
    );
    await expectAwsError(
      sim.ecs.send(new DescribeTasksCommand({ cluster: "quoted", tasks: [task.replace("000000000000", "123456789012")] })),
      invalid("Identifier is for 123456789012. Your accountId is 000000000000"),
    );
    expect((await sim.ecs.send(new DescribeTasksCommand({ cluster: "quoted", tasks: [task] }))).tasks).toHaveLength(1);
    await expectAwsError(
      sim.ecs.send(new DescribeTaskSetsCommand({ cluster: "quoted", service: "ext5", taskSets: [task] })),
      invalid("Task Set Identifier is invalid"),
    );
  });

  it("a Fargate service's new task definition must support Fargate; an empty task cpu is refused (sil-org/ecs-deploy#134, oranmoshai/ecsServiceRestart#2)", async () => {
    await register("fg-ok", { requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512", containerDefinitions: [C()] });
    await sim.ecs.send(
      new CreateServiceCommand({
        cluster: "quoted",
        serviceName: "fg",
        taskDefinition: "fg-ok",
        desiredCount: 0,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
      }),
    );
    await expectAwsError(
      sim.ecs.send(new UpdateServiceCommand({ cluster: "quoted", service: "fg", taskDefinition: "bridge" })),
      invalid("Task definition does not support launch_type FARGATE."),
    );
    await expectAwsError(register("cpu", { cpu: "", memory: "", containerDefinitions: [C()] }), invalid("Invalid 'cpu' setting for task."));
  });

  it("a cluster default strategy may weigh nothing; services and tasks using it fail (terraform-aws-modules/terraform-aws-ecs#27)", async () => {
    const cluster = await sim.ecs.send(
      new CreateClusterCommand({ clusterName: "zero", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE" }] }),
    );
    expect(cluster.cluster?.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE", weight: 0, base: 0 }]);
    const message =
      "There are no capacity providers with a weight value greater than zero defined in the default capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the cluster's default capacity provider strategy or specify a valid capacity provider strategy and try again.";
    const networkConfiguration = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };
    await expectAwsError(
      sim.ecs.send(new CreateServiceCommand({ cluster: "zero", serviceName: "hello_world", taskDefinition: "fg-ok", desiredCount: 1, networkConfiguration })),
      invalid(message),
    );
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "zero", taskDefinition: "fg-ok", networkConfiguration })), invalid(message));
    // A launch type does not use the default strategy.
    const run = await sim.ecs.send(new RunTaskCommand({ cluster: "zero", taskDefinition: "fg-ok", launchType: "FARGATE", networkConfiguration }));
    expect(run.tasks).toHaveLength(1);
  });

  it("container instances: a deregistered one cannot register again; state updates take at most 10 (aws/amazon-ecs-agent#583, minamijoyo/myaws#25)", async () => {
    const ci = (await sim.ecs.send(new RegisterContainerInstanceCommand({ cluster: "quoted" }))).containerInstance!.containerInstanceArn!;
    await sim.ecs.send(new DeregisterContainerInstanceCommand({ cluster: "quoted", containerInstance: ci, force: true }));
    const id = ci.split("/").pop();
    await expectAwsError(
      sim.ecs.send(new RegisterContainerInstanceCommand({ cluster: "quoted", containerInstanceArn: ci })),
      clientError(`Container instance ${id} is inactive.`),
    );
    const ids = Array.from({ length: 11 }, (_, i) => i.toString(16).padStart(32, "0"));
    await expectAwsError(
      sim.ecs.send(new UpdateContainerInstancesStateCommand({ cluster: "quoted", containerInstances: ids, status: "DRAINING" })),
      invalid("instanceIds can have at most 10 items."),
    );
  });

  it("awsvpc containers take no hostname and no links (labd/ecs-deplojo#26, aws-observability/aws-otel-collector#1359)", async () => {
    await expectAwsError(
      register("vpc-host", { networkMode: "awsvpc", containerDefinitions: [C({ hostname: "app" })] }),
      clientError("hostname is not supported on container when networkMode=awsvpc."),
    );
    await expectAwsError(
      register("vpc-links", { networkMode: "awsvpc", containerDefinitions: [C({ name: "a", links: ["b"] }), C({ name: "b" })] }),
      clientError("Links are not supported when networkMode=awsvpc."),
    );
    const bridge = await register("bridge-links", { containerDefinitions: [C({ name: "a", links: ["b"], hostname: "a" }), C({ name: "b" })] });
    expect(bridge.taskDefinition?.containerDefinitions?.[0]?.links).toEqual(["b"]);
  });
});

describe("ECS answers quoted from AWS (--strict)", () => {
  const sim = useServer({ strict: true }, (cfg) => ({ ecs: new ECSClient(cfg) }));

  it("Fargate needs an execution role to pull from ECR (hashicorp/terraform-provider-aws#3051)", async () => {
    const input = {
      family: "ecr",
      requiresCompatibilities: ["FARGATE" as const],
      networkMode: "awsvpc" as const,
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image: "000000000000.dkr.ecr.us-east-1.amazonaws.com/app:latest" }],
    };
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand(input)), {
      name: "ClientException",
      status: 400,
      message: "Fargate requires task definition to have execution role ARN to support ECR images.",
    });
    const ok = await sim.ecs.send(new RegisterTaskDefinitionCommand({ ...input, executionRoleArn: "arn:aws:iam::000000000000:role/ecsTaskExecutionRole" }));
    expect(ok.taskDefinition?.revision).toBe(1);
  });

  it("awslogs needs its region too (klothoplatform/klotho#892)", async () => {
    await expectAwsError(
      sim.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "logs",
          containerDefinitions: [{ name: "c", image: "nginx", memory: 128, logConfiguration: { logDriver: "awslogs" } }],
        }),
      ),
      { name: "ClientException", status: 400, message: "Log driver awslogs requires options: awslogs-region, awslogs-group" },
    );
  });
});
