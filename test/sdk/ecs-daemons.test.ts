/** ECS Managed Daemons: daemon task definitions, daemons on managed instances capacity providers, deployments and revisions. */
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateDaemonCommand,
  DeleteClusterCommand,
  DeleteDaemonCommand,
  DeleteDaemonTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonRevisionsCommand,
  DescribeDaemonTaskDefinitionCommand,
  ECSClient,
  ListDaemonDeploymentsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  ListDaemonsCommand,
  ListDaemonTaskDefinitionsCommand,
  RegisterDaemonTaskDefinitionCommand,
  UpdateDaemonCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";

const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));

describe("daemons", () => {
  it("daemon task definitions: revisions, describe, list (LAST_REGISTERED, status), delete", async () => {
    const a = await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image: "agent:1" }] }));
    expect(a.daemonTaskDefinitionArn).toBe(`${ARN}:daemon-task-definition/agent:1`);
    await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image: "agent:2" }] }));
    const latest = (await sim.ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: "agent" }))).daemonTaskDefinition!;
    expect(latest).toMatchObject({ revision: 2, status: "ACTIVE", family: "agent" });
    expect(latest.containerDefinitions![0]!.image).toBe("agent:2");
    const last = await sim.ecs.send(new ListDaemonTaskDefinitionsCommand({ family: "agent", revision: "LAST_REGISTERED" }));
    expect(last.daemonTaskDefinitions!.map((t) => t.arn)).toEqual([`${ARN}:daemon-task-definition/agent:2`]);
    await sim.ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: "agent:1" }));
    const active = await sim.ecs.send(new ListDaemonTaskDefinitionsCommand({ familyPrefix: "ag" }));
    expect(active.daemonTaskDefinitions!.map((t) => t.arn)).toEqual([`${ARN}:daemon-task-definition/agent:2`]);
    const all = await sim.ecs.send(new ListDaemonTaskDefinitionsCommand({ status: "ALL", sort: "DESC" }));
    // No daemon runs agent:1, so its deletion completes (DELETE_IN_PROGRESS → DELETED) at once in fake mode.
    expect(all.daemonTaskDefinitions!.map((t) => t.status)).toEqual(["ACTIVE", "DELETED"]);
    await expectAwsError(sim.ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: "ghost" })), { name: "ClientException", status: 400 });
    await expectAwsError(sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "bad", containerDefinitions: [{ image: "x" }] })), {
      name: "ClientException",
      status: 400,
      message: "Container.name should not be null or empty.",
    });
  });

  it("create on a managed instances capacity provider, update (new revision and deployment), list, delete", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "mi" }));
    const cp = (
      await sim.ecs.send(
        new CreateCapacityProviderCommand({
          name: "mi-cp",
          cluster: "mi",
          managedInstancesProvider: {
            infrastructureRoleArn: "arn:aws:iam::000000000000:role/infra",
            instanceLaunchTemplate: { ec2InstanceProfileArn: "arn:aws:iam::000000000000:instance-profile/p", networkConfiguration: { subnets: ["subnet-1"] } },
          },
        }),
      )
    ).capacityProvider!;
    expect(cp.type).toBe("MANAGED_INSTANCES");
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["mi"] }))).clusters![0]!.capacityProviders).toEqual(["mi-cp"]);
    await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "mon", containerDefinitions: [{ name: "m", image: "mon:1" }] }));
    await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "mon", containerDefinitions: [{ name: "m", image: "mon:2" }] }));

    const created = await sim.ecs.send(
      new CreateDaemonCommand({
        daemonName: "mon",
        clusterArn: `${ARN}:cluster/mi`,
        daemonTaskDefinitionArn: "mon:1",
        capacityProviderArns: [cp.capacityProviderArn!],
      }),
    );
    expect(created.daemonArn).toBe(`${ARN}:daemon/mi/mon`);
    expect(created.status).toBe("ACTIVE");
    await expectAwsError(
      sim.ecs.send(new CreateDaemonCommand({ daemonName: "mon", clusterArn: "mi", daemonTaskDefinitionArn: "mon", capacityProviderArns: ["mi-cp"] })),
      {
        name: "InvalidParameterException",
        status: 400,
      },
    );
    await expectAwsError(
      sim.ecs.send(new CreateDaemonCommand({ daemonName: "f", clusterArn: "mi", daemonTaskDefinitionArn: "mon", capacityProviderArns: ["FARGATE"] })),
      {
        name: "UnsupportedFeatureException",
        status: 400,
      },
    );
    // In use: deleting it is allowed (the daemon keeps running it), it stays DELETE_IN_PROGRESS, and no new daemon may use it.
    await sim.ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: "mon:1" }));
    expect((await sim.ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: "mon:1" }))).daemonTaskDefinition!.status).toBe(
      "DELETE_IN_PROGRESS",
    );
    await expectAwsError(
      sim.ecs.send(new CreateDaemonCommand({ daemonName: "mon2", clusterArn: "mi", daemonTaskDefinitionArn: "mon:1", capacityProviderArns: ["mi-cp"] })),
      { name: "ClientException", status: 400 },
    );

    const updated = await sim.ecs.send(
      new UpdateDaemonCommand({ daemonArn: created.daemonArn, daemonTaskDefinitionArn: "mon:2", capacityProviderArns: ["mi-cp"] }),
    );
    // No daemon runs mon:1 any more: its deletion completes.
    expect((await sim.ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: "mon:1" }))).daemonTaskDefinition!.status).toBe("DELETED");
    expect(updated.deploymentArn).not.toBe(created.deploymentArn);
    const d = (await sim.ecs.send(new DescribeDaemonCommand({ daemonArn: created.daemonArn }))).daemon!;
    expect(d).toMatchObject({ status: "ACTIVE", deploymentArn: updated.deploymentArn, clusterArn: `${ARN}:cluster/mi` });
    expect(d.currentRevisions![0]!.totalRunningCount).toBe(0);
    const rev = await sim.ecs.send(new DescribeDaemonRevisionsCommand({ daemonRevisionArns: [d.currentRevisions![0]!.arn!, "nope"] }));
    expect(rev.daemonRevisions![0]!.daemonTaskDefinitionArn).toBe(`${ARN}:daemon-task-definition/mon:2`);
    expect(rev.daemonRevisions![0]!.containerImages).toEqual([{ containerName: "m", image: "mon:2" }]);
    expect(rev.failures).toEqual([{ arn: "nope", reason: "MISSING" }]);
    const deps = (await sim.ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn }))).daemonDeployments!;
    expect(deps.map((x) => x.daemonDeploymentArn)).toEqual([updated.deploymentArn, created.deploymentArn]);
    const dd = (await sim.ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [updated.deploymentArn!] }))).daemonDeployments![0]!;
    expect(dd.status).toBe("SUCCESSFUL");
    expect(dd.sourceDaemonRevisions).toHaveLength(1);
    expect((await sim.ecs.send(new ListDaemonsCommand({ clusterArn: "mi" }))).daemonSummariesList!.map((x) => x.daemonArn)).toEqual([created.daemonArn]);
    expect((await sim.ecs.send(new ListDaemonsCommand({ capacityProviderArns: ["other"] }))).daemonSummariesList).toEqual([]);

    await sim.ecs.send(new TagResourceCommand({ resourceArn: created.daemonArn, tags: [{ key: "team", value: "obs" }] }));
    expect((await sim.ecs.send(new ListTagsForResourceCommand({ resourceArn: created.daemonArn }))).tags).toEqual([{ key: "team", value: "obs" }]);
    await expectAwsError(sim.ecs.send(new DeleteClusterCommand({ cluster: "mi" })), { name: "ClientException", status: 400 });
    const del = await sim.ecs.send(new DeleteDaemonCommand({ daemonArn: created.daemonArn }));
    expect(del.status).toBe("DELETE_IN_PROGRESS");
    await expectAwsError(sim.ecs.send(new DescribeDaemonCommand({ daemonArn: created.daemonArn })), { name: "DaemonNotFoundException", status: 400 });
  });
});
