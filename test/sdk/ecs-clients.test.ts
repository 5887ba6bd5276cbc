/** The aws CLI and boto3 against the newer ECS groups: capacity providers, container instances and placement, attributes, task sets. */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CreateClusterCommand, ECSClient, PutAttributesCommand, PutClusterCapacityProvidersCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { aws, clientConfig, hasAwsCli, hasBoto3, useServer } from "../helpers.js";

const sim = useServer();

describe.skipIf(!hasAwsCli())("aws ecs: capacity providers, container instances, attributes", () => {
  it("create-capacity-provider and register-container-instance shorthand, run-task placement failures, list-attributes", async () => {
    const ecs = new ECSClient(clientConfig(sim.server));
    await ecs.send(new CreateClusterCommand({ clusterName: "cli" }));
    const cp = await aws(sim.server, [
      "ecs",
      "create-capacity-provider",
      "--name",
      "asg",
      "--auto-scaling-group-provider",
      "autoScalingGroupArn=arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/a,managedScaling={status=ENABLED,targetCapacity=90}",
    ]);
    expect(cp.json.capacityProvider.autoScalingGroupProvider.managedScaling.targetCapacity).toBe(90);
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "cli", capacityProviders: ["FARGATE", "asg"], defaultCapacityProviderStrategy: [] }));
    const doc = JSON.stringify({ instanceId: "i-0123456789abcdef0", instanceType: "c5.large", availabilityZone: "us-east-1c" });
    const reg = await aws(sim.server, [
      "ecs",
      "register-container-instance",
      "--cluster",
      "cli",
      "--instance-identity-document",
      doc,
      "--total-resources",
      "name=CPU,type=INTEGER,integerValue=512",
      "name=MEMORY,type=INTEGER,integerValue=256",
    ]);
    const ci = reg.json.containerInstance;
    expect(ci.ec2InstanceId).toBe("i-0123456789abcdef0");
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "fat", containerDefinitions: [{ name: "f", image: "x", memory: 512 }] }));
    const run = await aws(sim.server, ["ecs", "run-task", "--cluster", "cli", "--task-definition", "fat", "--launch-type", "EC2"]);
    expect(run.json.tasks).toEqual([]);
    expect(run.json.failures).toEqual([{ arn: ci.containerInstanceArn, reason: "RESOURCE:MEMORY" }]);
    await ecs.send(new PutAttributesCommand({ cluster: "cli", attributes: [{ name: "tier", value: "db", targetId: ci.containerInstanceArn }] }));
    const listed = await aws(sim.server, ["ecs", "list-attributes", "--cluster", "cli", "--target-type", "container-instance", "--attribute-name", "tier"]);
    expect(listed.json.attributes).toEqual([{ name: "tier", value: "db", targetType: "container-instance", targetId: ci.containerInstanceArn }]);
  }, 60_000);
});

const SCRIPT = `
import boto3, json, sys
ecs = boto3.client("ecs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
ecs.create_cluster(clusterName="py")
ecs.register_task_definition(family="app", containerDefinitions=[{"name": "a", "image": "x", "memory": 64}])
ecs.create_service(cluster="py", serviceName="ext", desiredCount=2, deploymentController={"type": "EXTERNAL"})
ts = ecs.create_task_set(cluster="py", service="ext", taskDefinition="app", scale={"value": 50.0, "unit": "PERCENT"})["taskSet"]
out["computed"] = ts["computedDesiredCount"]
ecs.update_service_primary_task_set(cluster="py", service="ext", primaryTaskSet=ts["taskSetArn"])
ecs.update_task_set(cluster="py", service="ext", taskSet=ts["id"], scale={"value": 100.0, "unit": "PERCENT"})
out["sets"] = [(t["status"], t["runningCount"]) for t in ecs.describe_task_sets(cluster="py", service="ext")["taskSets"]]
ecs.register_container_instance(cluster="py")
ecs.register_container_instance(cluster="py")
pages = ecs.get_paginator("list_container_instances").paginate(cluster="py", PaginationConfig={"PageSize": 1})
out["instances"] = sum(len(p["containerInstanceArns"]) for p in pages)
try:
    ecs.delete_capacity_provider(capacityProvider="ghost")
except ecs.exceptions.ClientException as e:
    out["err"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("boto3: task sets, container instance paginator, errors", () => {
  it("works with boto3's own serializers and paginators", async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        "python3",
        ["-c", SCRIPT, sim.server.url],
        { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } },
        (err, out, stderr) => (err ? reject(new Error(stderr)) : resolve(out)),
      ),
    );
    expect(JSON.parse(stdout)).toEqual({
      computed: 1,
      sets: [["PRIMARY", 2]],
      instances: 2,
      err: "ClientException",
    });
  }, 60_000);
});
