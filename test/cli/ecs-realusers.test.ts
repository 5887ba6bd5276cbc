/**
 * Deploy and orchestration tools replayed through their own clients (round 10): silinternational/ecs-deploy's
 * bash flow over the aws CLI, and Airflow's ECS operators over boto3 (its custom cluster waiters, EcsRunTaskOperator
 * with reattach and awslogs, EcsTaskStateSensor), in execute mode where the task's command matters.
 */
import { CreateClusterCommand, CreateServiceCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, python, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("silinternational/ecs-deploy over the aws CLI", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));
  const ecs = (...args: string[]) => aws(sim.server, ["ecs", ...args]);

  it("new revision from describe-task-definition, update-service, waits for HEALTHY, prunes, rollback meets 'TaskDefinition is inactive'", async () => {
    // Setup through the SDK (the CLI starts slowly); the script's own calls go through the CLI.
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "deploy" }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "web",
        containerDefinitions: [
          { name: "web", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1", memory: 64, healthCheck: { command: ["CMD-SHELL", "exit 0"] } },
        ],
        tags: [{ key: "team", value: "web" }],
      }),
    );
    await sim.ecs.send(new CreateServiceCommand({ cluster: "deploy", serviceName: "web", taskDefinition: "web", desiredCount: 1 }));

    // getCurrentTaskDefinition + createNewTaskDefJson: the described definition, image swapped, filtered by jq's keys.
    const current = (await ecs("describe-services", "--services", "web", "--cluster", "deploy")).json.services[0].taskDefinition;
    const described = (await ecs("describe-task-definition", "--task-def", current, "--include", "TAGS")).json;
    const td = described.taskDefinition;
    const newDef: Record<string, unknown> = {
      family: td.family,
      volumes: td.volumes,
      containerDefinitions: td.containerDefinitions.map((c: { image: string }) => ({ ...c, image: c.image.replace(/:v1$/, ":v2") })),
      placementConstraints: td.placementConstraints,
    };
    for (const k of ["networkMode", "taskRoleArn", "executionRoleArn"]) if (k in td) newDef[k] = td[k];
    const registered = await ecs("register-task-definition", "--cli-input-json", JSON.stringify(newDef), "--tags", JSON.stringify(described.tags));
    expect(registered.code).toBe(0);
    const next = registered.json.taskDefinition.taskDefinitionArn;
    expect(next).toMatch(/task-definition\/web:2$/);
    expect((await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: next, include: ["TAGS"] }))).tags).toEqual([{ key: "team", value: "web" }]);

    // updateService: with a healthCheck on the first container the script waits for a task of the new revision HEALTHY.
    expect((await ecs("update-service", "--cluster", "deploy", "--service", "web", "--task-definition", next)).code).toBe(0);
    const running = (await ecs("list-tasks", "--cluster", "deploy", "--service-name", "web", "--desired-status", "RUNNING")).json.taskArns;
    const tasks = (await ecs("describe-tasks", "--cluster", "deploy", "--tasks", ...running)).json.tasks;
    expect(tasks.filter((t: { taskDefinitionArn: string }) => t.taskDefinitionArn === next).map((t: { healthStatus: string }) => t.healthStatus)).toEqual([
      "HEALTHY",
    ]);
    // waitForGreenDeployment: one deployment left.
    expect((await ecs("describe-services", "--services", "web", "--cluster", "deploy")).json.services[0].deployments).toHaveLength(1);

    // --max-definitions 1: the older ACTIVE revisions of the family go; a rollback to one then fails as on AWS.
    const revisions = (await ecs("list-task-definitions", "--family-prefix", "web", "--status", "ACTIVE", "--sort", "ASC")).json.taskDefinitionArns;
    expect(revisions).toEqual([current, next]);
    expect((await ecs("deregister-task-definition", "--task-definition", revisions[0])).json.taskDefinition.status).toBe("INACTIVE");
    const rollback = await ecs("update-service", "--cluster", "deploy", "--service", "web", "--task-definition", current);
    expect(rollback.code).not.toBe(0);
    expect(rollback.stderr).toContain("An error occurred (ClientException) when calling the UpdateService operation: TaskDefinition is inactive");
  });
});

// Airflow's custom ECS waiters (providers/amazon/aws/waiters/ecs.json), re-typed, and the operator's calls in order.
const AIRFLOW = `
import boto3, json, sys, uuid
from botocore.waiter import WaiterModel, create_waiter_with_client
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ecs = boto3.client("ecs", **kw); logs = boto3.client("logs", **kw)
def acceptor(expected, state, argument): return {"expected": expected, "matcher": "pathAny", "state": state, "argument": argument}
models = WaiterModel({"version": 2, "waiters": {
  "cluster_active": {"operation": "DescribeClusters", "delay": 1, "maxAttempts": 5, "acceptors": [
    acceptor("ACTIVE", "success", "clusters[].status"), acceptor("FAILED", "failure", "clusters[].status"),
    acceptor("INACTIVE", "failure", "clusters[].status"), acceptor("MISSING", "failure", "failures[].reason")]},
  "cluster_inactive": {"operation": "DescribeClusters", "delay": 1, "maxAttempts": 5, "acceptors": [
    acceptor("INACTIVE", "success", "clusters[].status"), acceptor("MISSING", "success", "failures[].reason")]}}})
out = {}
created = ecs.create_cluster(clusterName="af-cluster")["cluster"]
out["created"] = created["status"]
create_waiter_with_client("cluster_active", models, ecs).wait(clusters=[created["clusterArn"]])
td = ecs.register_task_definition(family="af-td", cpu="256", memory="512", networkMode="awsvpc", containerDefinitions=[{
  "name": "af-container", "image": "ubuntu", "workingDirectory": "/usr/bin", "entryPoint": ["sh", "-c"], "command": ["ls"],
  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs_test/af", "awslogs-region": "us-east-1",
    "awslogs-create-group": "true", "awslogs-stream-prefix": "ecs"}}}])["taskDefinition"]["taskDefinitionArn"]
out["td_state"] = ecs.describe_task_definition(taskDefinition=td)["taskDefinition"]["status"]
started_by = str(uuid.uuid4())
out["reattach_before"] = ecs.list_tasks(cluster="af-cluster", desiredStatus="RUNNING", startedBy=started_by)["taskArns"]
run = ecs.run_task(cluster="af-cluster", taskDefinition=td, startedBy=started_by, launchType="EC2",
  overrides={"containerOverrides": [{"name": "af-container", "command": ["echo hello world; exit 3"]}]},
  networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-0123456789abcdef0"]}})
out["failures"] = run["failures"]
arn = run["tasks"][0]["taskArn"]
ecs.get_waiter("tasks_stopped").wait(cluster="af-cluster", tasks=[arn], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
task = ecs.describe_tasks(cluster="af-cluster", tasks=[arn])["tasks"][0]
out["task"] = {"lastStatus": task["lastStatus"], "stopCode": task.get("stopCode"), "started": "startedAt" in task,
  "containers": [[c["name"], c["lastStatus"], c.get("exitCode")] for c in task["containers"]]}
stream = "ecs/af-container/" + arn.split("/")[-1]
out["logs"] = [e["message"] for e in logs.get_log_events(logGroupName="/ecs_test/af", logStreamName=stream, startFromHead=True)["events"]]
out["last"] = [e["message"] for e in logs.get_log_events(logGroupName="/ecs_test/af", logStreamName=stream, startFromHead=False, limit=1)["events"]]
out["td_after"] = ecs.deregister_task_definition(taskDefinition=td)["taskDefinition"]["status"]
deleted = ecs.delete_cluster(cluster="af-cluster")["cluster"]
create_waiter_with_client("cluster_inactive", models, ecs).wait(clusters=[deleted["clusterArn"]])
out["cluster_after"] = ecs.describe_clusters(clusters=["af-cluster"])["clusters"][0]["status"]
try:
  ecs.stop_task(cluster="default", task="a" * 32)
except Exception as e:
  out["health_check"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("Airflow's ECS operators over boto3 (execute mode)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ ecs: new ECSClient(cfg) }));

  it("example_ecs: cluster waiters, RunTask with reattach and awslogs, tasks_stopped, the container's exit code and log lines", async () => {
    await sim.ecs.send(new CreateClusterCommand({}));
    const out = JSON.parse(await python(AIRFLOW, [sim.server.url], { timeout: 60_000 }));
    expect(out).toEqual({
      created: "ACTIVE",
      td_state: "ACTIVE",
      reattach_before: [],
      failures: [],
      task: { lastStatus: "STOPPED", stopCode: "EssentialContainerExited", started: true, containers: [["af-container", "STOPPED", 3]] },
      logs: ["hello world"],
      last: ["hello world"],
      td_after: "INACTIVE",
      cluster_after: "INACTIVE",
      // The ECS executor's health check: an unknown task id in an existing cluster.
      health_check: ["InvalidParameterException", "The referenced task was not found."],
    });
  });
});
