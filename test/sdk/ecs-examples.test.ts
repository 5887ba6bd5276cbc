/**
 * ECS answers compared with AWS's documented examples (the aws CLI's examples/ecs/*.rst and botocore's
 * examples-1.json): which members are present, their defaults and formats, as AWS recorded them. Real
 * @aws-sdk/client-ecs.
 */
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DeleteCapacityProviderCommand,
  DeleteClusterCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  ECSClient,
  UpdateCapacityProviderCommand,
  UpdateClusterSettingsCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const t = useServer({ reset: "ecs" }, (cfg) => ({ ecs: new ECSClient(cfg) }));
const ARN = "arn:aws:ecs:us-east-1:000000000000";
const ASG = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:57ffcb94-11f0-4d6d-bf60-3bac5EXAMPLE:autoScalingGroupName/MyASG";

describe("clusters (create-cluster, describe-clusters, update-cluster-settings, delete-cluster)", () => {
  it("write operations answer statistics and tags as empty lists, attachments only when there are some", async () => {
    const c = (await t.ecs.send(new CreateClusterCommand({ clusterName: "MyCluster", settings: [{ name: "containerInsights", value: "enhanced" }] }))).cluster!;
    expect(c).toEqual({
      clusterArn: `${ARN}:cluster/MyCluster`,
      clusterName: "MyCluster",
      status: "ACTIVE",
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: [],
      settings: [{ name: "containerInsights", value: "enhanced" }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
    const tagged = (
      await t.ecs.send(
        new CreateClusterCommand({
          clusterName: "Tagged",
          tags: [
            { key: "key1", value: "value1" },
            { key: "key2", value: "value2" },
          ],
        }),
      )
    ).cluster!;
    expect(tagged.tags).toEqual([
      { key: "key1", value: "value1" },
      { key: "key2", value: "value2" },
    ]);
    const u = (await t.ecs.send(new UpdateClusterSettingsCommand({ cluster: "MyCluster", settings: [{ name: "containerInsights", value: "enabled" }] })))
      .cluster!;
    expect(u.statistics).toEqual([]);
    expect(u.tags).toEqual([]);
    expect(u.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(u.attachments).toBeUndefined();
    const del = (await t.ecs.send(new DeleteClusterCommand({ cluster: "MyCluster" }))).cluster!;
    expect(del.status).toBe("INACTIVE");
    expect(del.statistics).toEqual([]);
    expect(del.tags).toEqual([]);
  });

  it("DescribeClusters answers statistics, tags and settings as empty lists unless included", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "sampleCluster", tags: [{ key: "k", value: "v" }] }));
    const plain = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["sampleCluster"] }))).clusters![0]!;
    expect(plain.statistics).toEqual([]);
    expect(plain.tags).toEqual([]);
    expect(plain.settings).toEqual([]);
    expect(plain.attachments).toBeUndefined();
    const withAttachments = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["sampleCluster"], include: ["ATTACHMENTS"] }))).clusters![0]!;
    expect(withAttachments.attachments).toEqual([]);
    const all = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["sampleCluster"], include: ["TAGS", "SETTINGS", "STATISTICS"] }))).clusters![0]!;
    expect(all.tags).toEqual([{ key: "k", value: "v" }]);
    expect(all.settings).toEqual([{ name: "containerInsights", value: "disabled" }]);
    expect(all.statistics!.map((s) => s.name)).toContain("runningEC2TasksCount");
  });
});

describe("capacity providers (create/describe/update/delete-capacity-provider)", () => {
  it("Describe without include TAGS answers tags []; Update answers UPDATE_IN_PROGRESS, Delete ACTIVE with DELETE_IN_PROGRESS", async () => {
    const created = (
      await t.ecs.send(
        new CreateCapacityProviderCommand({
          name: "MyCapacityProvider",
          autoScalingGroupProvider: {
            autoScalingGroupArn: ASG,
            managedScaling: { status: "ENABLED", targetCapacity: 100 },
            managedTerminationProtection: "ENABLED",
          },
          tags: [{ key: "environment", value: "production" }],
        }),
      )
    ).capacityProvider!;
    expect(created.autoScalingGroupProvider!.managedScaling).toEqual({
      status: "ENABLED",
      targetCapacity: 100,
      minimumScalingStepSize: 1,
      maximumScalingStepSize: 10000,
      instanceWarmupPeriod: 300,
    });
    const all = (await t.ecs.send(new DescribeCapacityProvidersCommand({}))).capacityProviders!;
    expect(all.map((p) => [p.name, p.tags])).toEqual([
      ["FARGATE", []],
      ["FARGATE_SPOT", []],
      ["MyCapacityProvider", []],
    ]);
    const tagged = (await t.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["MyCapacityProvider"], include: ["TAGS"] })))
      .capacityProviders![0]!;
    expect(tagged.tags).toEqual([{ key: "environment", value: "production" }]);

    const up = (
      await t.ecs.send(
        new UpdateCapacityProviderCommand({
          name: "MyCapacityProvider",
          autoScalingGroupProvider: {
            managedScaling: { status: "DISABLED", targetCapacity: 50, minimumScalingStepSize: 2, maximumScalingStepSize: 30, instanceWarmupPeriod: 200 },
            managedTerminationProtection: "DISABLED",
            managedDraining: "DISABLED",
          },
        }),
      )
    ).capacityProvider!;
    expect(up.updateStatus).toBe("UPDATE_IN_PROGRESS");
    expect(up.autoScalingGroupProvider).toMatchObject({ managedScaling: { status: "ENABLED", targetCapacity: 100 }, managedDraining: "ENABLED" });
    const after = (await t.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["MyCapacityProvider"] }))).capacityProviders![0]!;
    expect(after.updateStatus).toBe("UPDATE_COMPLETE");
    expect(after.autoScalingGroupProvider).toMatchObject({ managedScaling: { status: "DISABLED", targetCapacity: 50 }, managedDraining: "DISABLED" });

    const del = (await t.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: `${ARN}:capacity-provider/MyCapacityProvider` }))).capacityProvider!;
    expect(del).toMatchObject({ name: "MyCapacityProvider", status: "ACTIVE", updateStatus: "DELETE_IN_PROGRESS" });
    const gone = (await t.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["MyCapacityProvider"] }))).capacityProviders![0]!;
    expect(gone).toMatchObject({ status: "INACTIVE", updateStatus: "DELETE_COMPLETE" });
  });
});
