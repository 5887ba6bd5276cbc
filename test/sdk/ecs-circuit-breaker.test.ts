/** --execute mode: the deployment circuit breaker fails a deployment whose tasks keep crashing and rolls back. */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";

const sim = useServer({ execute: true }, (cfg) => ({ ecs: new ECSClient(cfg) }));

async function until(pred: (s: Service) => boolean, ms = 20_000): Promise<Service> {
  const t0 = Date.now();
  for (;;) {
    const s = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "cb", services: ["web"] }))).services![0]!;
    if (pred(s)) return s;
    if (Date.now() - t0 > ms) throw new Error(`timeout: ${JSON.stringify(s.deployments)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("deployment circuit breaker", () => {
  it("a crashing revision trips the breaker (3 failed tasks) and the service rolls back to the last good one", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "cb" }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "good", containerDefinitions: [{ name: "w", image: "alpine", command: ["sleep", "60"] }] }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({ family: "bad", containerDefinitions: [{ name: "w", image: "alpine", command: ["sh", "-c", "exit 3"] }] }),
    );
    await sim.ecs.send(
      new CreateServiceCommand({
        cluster: "cb",
        serviceName: "web",
        taskDefinition: "good",
        desiredCount: 1,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    await until((s) => s.deployments!.length === 1 && s.deployments![0]!.rolloutState === "COMPLETED");
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "cb", service: "web", taskDefinition: "bad" }));
    const s = await until(
      (x) =>
        x.deployments!.length === 1 &&
        x.deployments![0]!.taskDefinition === `${ARN}:task-definition/good:1` &&
        x.runningCount === 1 &&
        x.deployments![0]!.rolloutState === "COMPLETED",
    );
    expect(s.events!.some((e) => /deployment failed: tasks failed to start/.test(e.message!))).toBe(true);
    expect(s.taskDefinition).toBe(`${ARN}:task-definition/good:1`);
    const [latest] = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "cb", service: "web" }))).serviceDeployments!;
    const sd = (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest!.serviceDeploymentArn!] }))).serviceDeployments![0]!;
    expect(sd.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(sd.deploymentCircuitBreaker).toMatchObject({ status: "TRIGGERED", threshold: 3 });
    expect(sd.deploymentCircuitBreaker!.failureCount).toBeGreaterThanOrEqual(3);
    expect(sd.rollback!.reason).toBe("ECS deployment circuit breaker: tasks failed to start.");
  }, 30_000);
});
