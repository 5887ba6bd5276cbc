/**
 * ECS ContinueServiceDeployment and ExecuteCommand: a deployment paused at a PAUSE lifecycle hook waits for
 * ContinueServiceDeployment (test/sdk/ecs-pause-hooks.test.ts covers the hooks in full); ExecuteCommand is answered
 * only with errors, as awsim's tasks run no Session Manager agent (README, ECS). These pin the documented errors.
 */
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ExecuteCommandCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const ROLE = "arn:aws:iam::000000000000:role/task";
const invalid = (message: string | RegExp) => ({ name: "InvalidParameterException", status: 400, message });
const NOT_ENABLED =
  "The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.";

describe("ECS operations without other coverage", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));

  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "untested" }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({ family: "one", taskRoleArn: ROLE, containerDefinitions: [{ name: "app", image: "nginx", memory: 128 }] }),
    );
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "two",
        taskRoleArn: ROLE,
        containerDefinitions: [
          { name: "app", image: "nginx", memory: 128 },
          { name: "sidecar", image: "busybox", memory: 64, essential: false },
        ],
      }),
    );
  });

  it("ExecuteCommand: a task without exec enabled, an exec-enabled task (no agent: TargetNotConnectedException), and the parameter errors", async () => {
    const plain = (await sim.ecs.send(new RunTaskCommand({ cluster: "untested", taskDefinition: "one" }))).tasks![0]!;
    expect(plain.enableExecuteCommand).toBe(false);
    const exec = (cmd: Partial<ConstructorParameters<typeof ExecuteCommandCommand>[0]>) =>
      sim.ecs.send(new ExecuteCommandCommand({ cluster: "untested", task: plain.taskArn!, command: "/bin/sh", interactive: true, ...cmd }));
    await expectAwsError(exec({}), invalid(NOT_ENABLED));

    const enabled = (await sim.ecs.send(new RunTaskCommand({ cluster: "untested", taskDefinition: "one", enableExecuteCommand: true }))).tasks![0]!;
    expect(enabled.enableExecuteCommand).toBe(true);
    expect(enabled.lastStatus).toBe("RUNNING");
    // The bare task id works as well as the ARN; both reach the missing agent.
    const id = enabled.taskArn!.split("/").pop()!;
    for (const task of [enabled.taskArn!, id])
      await expectAwsError(exec({ task, container: "app" }), {
        name: "TargetNotConnectedException",
        status: 400,
        message: "The execute command failed due to an internal error. Try again later.",
      });
    // "Interactive is the only mode supported currently." (AWS's answer to interactive false).
    await expectAwsError(exec({ task: enabled.taskArn!, interactive: false }), invalid("Interactive is the only mode supported currently."));

    const multi = (await sim.ecs.send(new RunTaskCommand({ cluster: "untested", taskDefinition: "two", enableExecuteCommand: true }))).tasks![0]!;
    await expectAwsError(exec({ task: multi.taskArn! }), invalid(/container name must be specified/));
    await expectAwsError(exec({ task: multi.taskArn!, container: "nope" }), invalid(/nope/));
    await expectAwsError(exec({ task: multi.taskArn!, container: "sidecar" }), { name: "TargetNotConnectedException", status: 400 });

    await expectAwsError(exec({ task: "0123456789abcdef0123456789abcdef" }), invalid("The referenced task was not found."));
    await expectAwsError(exec({ task: "short" }), invalid("task length should be one of [32,36]"));
    await expectAwsError(exec({ cluster: "no-such-cluster" }), { name: "ClusterNotFoundException", status: 400, message: "Cluster not found." });
  });

  it("ContinueServiceDeployment: the paused hook continues once; other hooks and finished or unknown deployments are errors", async () => {
    const hooks = {
      strategy: "BLUE_GREEN" as const,
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        {
          targetType: "PAUSE" as const,
          lifecycleStages: ["POST_SCALE_UP" as const],
          timeoutConfiguration: { timeoutInMinutes: 10, action: "ROLLBACK" as const },
        },
      ],
    };
    await sim.ecs.send(
      new CreateServiceCommand({ cluster: "untested", serviceName: "web", taskDefinition: "one", desiredCount: 1, deploymentConfiguration: hooks }),
    );
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "untested", service: "web", taskDefinition: "two" }));
    const list = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "untested", service: "web" }))).serviceDeployments!;
    expect(list).toHaveLength(2);
    const arn = list[0]!.serviceDeploymentArn!;
    const sd = (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
    // The deployment keeps the configuration it was made with and waits at its PAUSE hook.
    expect(sd.deploymentConfiguration?.lifecycleHooks?.[0]?.targetType).toBe("PAUSE");
    expect(sd.status).toBe("IN_PROGRESS");
    expect(sd.lifecycleStage).toBe("POST_SCALE_UP");
    const hookId = sd.lifecycleHookDetails![0]!.hookId!;
    expect(sd.lifecycleHookDetails![0]).toMatchObject({ targetType: "PAUSE", status: "AWAITING_ACTION", timeoutAction: "ROLLBACK" });
    await expectAwsError(
      sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: "ecs-pause-abc" })),
      invalid("The lifecycle hook ecs-pause-abc does not exist or is not waiting for a decision."),
    );
    expect((await sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: "CONTINUE" }))).serviceDeploymentArn).toBe(
      arn,
    );
    const done = (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
    expect(done.status).toBe("SUCCESSFUL");
    for (const action of [undefined, "CONTINUE", "ROLLBACK"] as const)
      await expectAwsError(
        sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action })),
        invalid("The service deployment is in SUCCESSFUL status and is not waiting on a lifecycle hook."),
      );
    // The service's first deployment replaced no revision: it did not wait (fake mode: tasks RUNNING at once).
    expect(list[1]!.status).toBe("SUCCESSFUL");
    await expectAwsError(
      sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: list[1]!.serviceDeploymentArn!, hookId: "ecs-pause-abc" })),
      invalid("The service deployment is in SUCCESSFUL status and is not waiting on a lifecycle hook."),
    );
    await expectAwsError(
      sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: `${ARN}:service-deployment/untested/web/nope`, hookId: "h" })),
      { name: "ServiceDeploymentNotFoundException", status: 400 },
    );
    // action is an enum of the model.
    await expectAwsError(sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: "h", action: "SKIP" as "CONTINUE" })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });
  it("RunTask's clientToken: a retry with the same token answers the same tasks and starts none", async () => {
    const run = (clientToken: string) => sim.ecs.send(new RunTaskCommand({ cluster: "untested", taskDefinition: "one", count: 2, clientToken }));
    const first = await run("retry-token-1");
    const again = await run("retry-token-1");
    expect(first.tasks!.map((t) => t.taskArn)).toHaveLength(2);
    expect(again.tasks!.map((t) => t.taskArn)).toEqual(first.tasks!.map((t) => t.taskArn));
    const other = await run("retry-token-2");
    expect(other.tasks!.map((t) => t.taskArn).filter((a) => first.tasks!.some((t) => t.taskArn === a))).toEqual([]);
    const listed = await sim.ecs.send(new ListTasksCommand({ cluster: "untested", family: "one" }));
    for (const t of [...first.tasks!, ...other.tasks!]) expect(listed.taskArns).toContain(t.taskArn);
    expect(listed.taskArns!.filter((a) => [...first.tasks!, ...other.tasks!].some((t) => t.taskArn === a))).toHaveLength(4);
  });
  it("CreateService's clientToken: a retry of the creating request answers the service; another request for the name is refused", async () => {
    const create = (clientToken?: string) =>
      sim.ecs.send(new CreateServiceCommand({ cluster: "untested", serviceName: "once", taskDefinition: "one", desiredCount: 1, clientToken }));
    const first = (await create("svc-token-1")).service!;
    const again = (await create("svc-token-1")).service!;
    expect(again.serviceArn).toBe(first.serviceArn);
    expect(again.createdAt!.getTime()).toBe(first.createdAt!.getTime());
    await expectAwsError(create("svc-token-2"), invalid("Creation of service was not idempotent."));
    await expectAwsError(create(), invalid("Creation of service was not idempotent."));
  });
  it("availabilityZoneRebalancing defaults to ENABLED for a new service that can use it, DISABLED with binpack", async () => {
    const make = async (serviceName: string, extra: Partial<ConstructorParameters<typeof CreateServiceCommand>[0]> = {}) =>
      (await sim.ecs.send(new CreateServiceCommand({ cluster: "untested", serviceName, taskDefinition: "one", desiredCount: 0, ...extra }))).service!
        .availabilityZoneRebalancing;
    expect(await make("az-default")).toBe("ENABLED");
    expect(await make("az-binpack", { placementStrategy: [{ type: "binpack", field: "memory" }] })).toBe("DISABLED");
    expect(await make("az-asked", { availabilityZoneRebalancing: "DISABLED" })).toBe("DISABLED");
    // An update that does not name it keeps the service's value.
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "untested", service: "az-default", desiredCount: 0 }));
    const described = await sim.ecs.send(new DescribeServicesCommand({ cluster: "untested", services: ["az-default"] }));
    expect(described.services![0]!.availabilityZoneRebalancing).toBe("ENABLED");
  });
  it("DescribeServices names the service revisions its deployments run (currentServiceRevisions), ids being the deployments' numbers", async () => {
    await sim.ecs.send(new CreateServiceCommand({ cluster: "untested", serviceName: "revs", taskDefinition: "one", desiredCount: 1 }));
    const describe = async () => (await sim.ecs.send(new DescribeServicesCommand({ cluster: "untested", services: ["revs"] }))).services![0]!;
    let svc = await describe();
    const first = svc.deployments![0]!;
    expect(svc.currentServiceRevisions).toEqual([
      {
        arn: `${ARN}:service-revision/untested/revs/${first.id!.split("/")[1]}`,
        requestedTaskCount: 1,
        runningTaskCount: first.runningCount,
        pendingTaskCount: first.pendingCount,
      },
    ]);
    const listed = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "untested", service: "revs" }))).serviceDeployments!;
    expect(listed[0]!.targetServiceRevisionArn).toBe(svc.currentServiceRevisions![0]!.arn);
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "untested", service: "revs", taskDefinition: "two" }));
    svc = await describe();
    const arns = svc.currentServiceRevisions!.map((r) => r.arn);
    expect(arns[0]).toBe(`${ARN}:service-revision/untested/revs/${svc.deployments![0]!.id!.split("/")[1]}`);
    expect(arns).toHaveLength(svc.deployments!.filter((d) => d.status === "PRIMARY" || d.status === "ACTIVE").length);
  });
});
