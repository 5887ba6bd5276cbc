/** ECS's not-found, conflict and invalid-state errors with AWS's exact codes, statuses and messages. */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { beforeAll, describe, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("ECS error messages", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));
  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "errs" }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "errs-td", containerDefinitions: [{ name: "c", image: "nginx", memory: 128 }] }));
  });

  it("missing cluster, service and task definition", async () => {
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "nocluster", service: "s", desiredCount: 1 })), {
      name: "ClusterNotFoundException",
      status: 400,
      message: "Cluster not found.",
    });
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "errs", service: "nosvc", desiredCount: 1 })), {
      name: "ServiceNotFoundException",
      status: 400,
      message: "Service not found.",
    });
    await expectAwsError(sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "notd" })), {
      name: "ClientException",
      status: 400,
      message: "Unable to describe task definition.",
    });
    await expectAwsError(sim.ecs.send(new CreateServiceCommand({ cluster: "errs", serviceName: "s", taskDefinition: "notd:1", desiredCount: 0 })), {
      name: "ClientException",
      status: 400,
      message: "TaskDefinition not found.",
    });
    await expectAwsError(sim.ecs.send(new StopTaskCommand({ cluster: "errs", task: "0123456789abcdef0123456789abcdef" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The referenced task was not found.",
    });
  });

  it("conflicts: duplicate service, cluster with services, inactive service, inactive cluster's tags", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "gone" }));
    await sim.ecs.send(new CreateServiceCommand({ cluster: "gone", serviceName: "svc", taskDefinition: "errs-td", desiredCount: 0 }));
    await expectAwsError(sim.ecs.send(new CreateServiceCommand({ cluster: "gone", serviceName: "svc", taskDefinition: "errs-td:1", desiredCount: 1 })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Creation of service was not idempotent.",
    });
    await expectAwsError(sim.ecs.send(new DeleteClusterCommand({ cluster: "gone" })), {
      name: "ClusterContainsServicesException",
      status: 400,
      message: "The Cluster cannot be deleted while Services are active.",
    });
    await sim.ecs.send(new DeleteServiceCommand({ cluster: "gone", service: "svc" }));
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "gone", service: "svc", desiredCount: 1 })), {
      name: "ServiceNotActiveException",
      status: 400,
      message: "Service was not ACTIVE.",
    });
    const { cluster } = await sim.ecs.send(new DeleteClusterCommand({ cluster: "gone" }));
    await expectAwsError(sim.ecs.send(new ListTagsForResourceCommand({ resourceArn: cluster!.clusterArn! })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The specified cluster is inactive. Specify an active cluster and try again.",
    });
  });
});
