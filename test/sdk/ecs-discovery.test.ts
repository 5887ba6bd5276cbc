/** ECS serviceRegistries: running service tasks are Cloud Map instances (fake and execute mode); stopped ones are removed. */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand as CreateSdServiceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() - t0 > ms) throw new Error(`timeout: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const execute of [false, true]) {
  describe(`serviceRegistries (${execute ? "execute" : "fake"} mode)`, () => {
    const sim = useServer({ execute }, (cfg) => ({ ecs: new ECSClient(cfg), sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }) }));

    it("registers each running task with ECS's attributes and deregisters stopped ones", async () => {
      const op = await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "shop" }));
      const nsId = (await sim.sd.send(new GetOperationCommand({ OperationId: op.OperationId }))).Operation!.Targets!.NAMESPACE!;
      const reg = (await sim.sd.send(new CreateSdServiceCommand({ Name: "api", NamespaceId: nsId }))).Service!;
      await sim.ecs.send(new CreateClusterCommand({ clusterName: "d" }));
      await sim.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "api",
          networkMode: "awsvpc",
          containerDefinitions: [{ name: "api", image: "alpine", command: ["sleep", "30"], memory: 64, portMappings: [{ containerPort: 8080 }] }],
        }),
      );
      await sim.ecs.send(
        new CreateServiceCommand({
          cluster: "d",
          serviceName: "api",
          taskDefinition: "api",
          desiredCount: 2,
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
          serviceRegistries: [{ registryArn: reg.Arn, containerName: "api", containerPort: 8080 }],
        }),
      );
      const discover = () => sim.sd.send(new DiscoverInstancesCommand({ NamespaceName: "shop", ServiceName: "api" }));
      const found = await until(discover, (r) => r.Instances!.length === 2);
      const tasks = (await sim.ecs.send(new ListTasksCommand({ cluster: "d", serviceName: "api" }))).taskArns!;
      expect(found.Instances!.map((i) => i.InstanceId).sort()).toEqual(tasks.map((a) => a.split("/").pop()).sort());
      const attrs = found.Instances![0]!.Attributes!;
      expect(attrs).toMatchObject({
        AWS_INSTANCE_PORT: "8080",
        ECS_CLUSTER_NAME: "d",
        ECS_SERVICE_NAME: "api",
        ECS_TASK_DEFINITION_FAMILY: "api",
        REGION: "us-east-1",
      });
      expect(attrs.AWS_INSTANCE_IPV4).toMatch(execute ? /^127\.0\.0\.1$/ : /^10\.0\.\d+\.\d+$/);

      await sim.ecs.send(new UpdateServiceCommand({ cluster: "d", service: "api", desiredCount: 1 }));
      const one = await until(discover, (r) => r.Instances!.length === 1);
      const left = (await sim.ecs.send(new ListTasksCommand({ cluster: "d", serviceName: "api" }))).taskArns!;
      expect(one.Instances!.map((i) => i.InstanceId)).toEqual(left.map((a) => a.split("/").pop()));
      await sim.ecs.send(new StopTaskCommand({ cluster: "d", task: left[0]! }));
      // The scheduler replaces the stopped task; the registry follows.
      const replaced = await until(discover, (r) => r.Instances!.length === 1 && r.Instances![0]!.InstanceId !== left[0]!.split("/").pop());
      expect(replaced.Instances).toHaveLength(1);
      await sim.ecs.send(new UpdateServiceCommand({ cluster: "d", service: "api", desiredCount: 0 }));
      await until(discover, (r) => r.Instances!.length === 0);
    }, 30_000);
  });
}
