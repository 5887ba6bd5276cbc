/** ECS Express Mode services: built from a real Fargate task definition and service; updates roll new revisions. */
import {
  CreateExpressGatewayServiceCommand,
  DeleteExpressGatewayServiceCommand,
  DescribeExpressGatewayServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  UpdateExpressGatewayServiceCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const ROLE = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole";
const INFRA = "arn:aws:iam::000000000000:role/ecsInfrastructureRole";

const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));

describe("Express Mode services", () => {
  it("create (default cluster, documented defaults), describe, update (new revision), delete", async () => {
    const created = (
      await sim.ecs.send(
        new CreateExpressGatewayServiceCommand({
          serviceName: "web",
          executionRoleArn: ROLE,
          infrastructureRoleArn: INFRA,
          primaryContainer: { image: "nginx:1", environment: [{ name: "A", value: "1" }] },
          scalingTarget: { minTaskCount: 2, maxTaskCount: 4 },
          tags: [{ key: "app", value: "web" }],
        }),
      )
    ).service!;
    expect(created).toMatchObject({
      serviceArn: `${ARN}:service/default/web`,
      cluster: `${ARN}:cluster/default`,
      status: { statusCode: "ACTIVE" },
      infrastructureRoleArn: INFRA,
    });
    const cfg = created.activeConfigurations![0]!;
    expect(cfg).toMatchObject({ cpu: "256", memory: "512", healthCheckPath: "/ping", primaryContainer: { image: "nginx:1", containerPort: 80 } });
    expect(cfg.scalingTarget).toMatchObject({ minTaskCount: 2, maxTaskCount: 4, autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 60 });
    expect(cfg.ingressPaths![0]!.endpoint).toMatch(/^https:\/\/web-[0-9a-f]{8}\.ecs\.us-east-1\.on\.aws$/);
    expect(cfg.serviceRevisionArn).toMatch(/:service-revision\/default\/web\//);
    expect(created.currentDeployment).toMatch(/:service-deployment\/default\/web\//);
    expect(created.tags).toEqual([{ key: "app", value: "web" }]);

    const svc = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "default", services: ["web"] }))).services![0]!;
    expect(svc).toMatchObject({ launchType: "FARGATE", runningCount: 2, taskDefinition: `${ARN}:task-definition/web:1` });
    const td = (await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web:1" }))).taskDefinition!;
    expect(td.containerDefinitions![0]).toMatchObject({ name: "Main", image: "nginx:1", portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }] });
    expect(td).toMatchObject({ cpu: "256", memory: "512", networkMode: "awsvpc", executionRoleArn: ROLE });

    const described = (await sim.ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: created.serviceArn }))).service!;
    expect(described.tags).toBeUndefined();
    expect((await sim.ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: created.serviceArn, include: ["TAGS"] }))).service!.tags).toEqual([
      { key: "app", value: "web" },
    ]);

    const up = (
      await sim.ecs.send(
        new UpdateExpressGatewayServiceCommand({ serviceArn: created.serviceArn, primaryContainer: { image: "nginx:2" }, cpu: "512", memory: "1024" }),
      )
    ).service!;
    expect(up.targetConfiguration).toMatchObject({ cpu: "512", primaryContainer: { image: "nginx:2", containerPort: 80 } });
    expect(up.targetConfiguration!.serviceRevisionArn).not.toBe(cfg.serviceRevisionArn);
    const after = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "default", services: ["web"] }))).services![0]!;
    expect(after.taskDefinition).toBe(`${ARN}:task-definition/web:2`);
    expect(after.runningCount).toBe(2);

    const del = (await sim.ecs.send(new DeleteExpressGatewayServiceCommand({ serviceArn: created.serviceArn }))).service!;
    expect(del.status!.statusCode).toBe("DRAINING");
    expect((await sim.ecs.send(new ListTasksCommand({ cluster: "default", serviceName: "web" }))).taskArns).toEqual([]);
    await expectAwsError(sim.ecs.send(new DeleteExpressGatewayServiceCommand({ serviceArn: created.serviceArn })), {
      name: "ServiceNotActiveException",
      status: 400,
    });
    await expectAwsError(sim.ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: `${ARN}:service/default/ghost` })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });
});
