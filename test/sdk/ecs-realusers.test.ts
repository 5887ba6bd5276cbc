/**
 * ECS, ECR and Cloud Map as tools that real users run against AWS rely on them (round 10): Airflow's ECS operators and
 * system tests, fabfuel/ecs-deploy, silinternational/ecs-deploy, aws/copilot-cli and amazon-ecr-credential-helper.
 * Each case names the flow it replays.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StartTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("ECS as deploy tools use it", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));
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
});
