/** EC2 and ECS as scripts drive them with the aws CLI: run-instances + waiters, --query/--filters, --output table; ECS waiters. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("EC2 / ECS CLI flows", () => {
  const sim = useServer();

  it("run-instances --count 2 --tag-specifications, waiters, describe with --filters/--query, --output table/text", async () => {
    const run = await aws(sim.server, [
      "ec2",
      "run-instances",
      "--image-id",
      "ami-12345678",
      "--instance-type",
      "t3.micro",
      "--count",
      "2",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=env,Value=flows}]",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const ids: string[] = run.json.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    expect(ids).toHaveLength(2);
    expect(run.json.Instances.map((i: { AmiLaunchIndex: number }) => i.AmiLaunchIndex)).toEqual([0, 1]);
    expect(run.json.Instances[0].Tags).toEqual(expect.arrayContaining([{ Key: "Name", Value: "web" }]));
    for (const w of ["instance-running", "instance-status-ok", "system-status-ok"]) {
      const r = await aws(sim.server, ["ec2", "wait", w, "--instance-ids", ...ids]);
      expect(r.code, `${w}: ${r.stderr}`).toBe(0);
    }
    const text = await aws(
      sim.server,
      [
        "ec2",
        "describe-instances",
        "--filters",
        "Name=tag:env,Values=flows",
        "Name=instance-state-name,Values=running",
        "--query",
        "Reservations[].Instances[].[InstanceId,State.Name,Tags[?Key==`Name`]|[0].Value]",
      ],
      { output: "text" },
    );
    expect(text.stdout.trim().split("\n").sort()).toEqual(ids.map((id) => `${id}\trunning\tweb`).sort());
    const none = await aws(sim.server, [
      "ec2",
      "describe-instances",
      "--filters",
      "Name=tag:env,Values=other",
      "--query",
      "Reservations[].Instances[].InstanceId",
    ]);
    expect(none.json).toEqual([]);
    const table = await aws(
      sim.server,
      ["ec2", "describe-instances", "--instance-ids", ids[0]!, "--query", "Reservations[].Instances[].{Id:InstanceId,Type:InstanceType,State:State.Name}"],
      { output: "table" },
    );
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^-+\n\|\s+DescribeInstances\s+\|\n\+-+\+-+\+-+\+\n\|\s+Id\s+\|\s+State\s+\|\s+Type\s+\|\n/);
    expect(table.stdout).toMatch(new RegExp(`\\|\\s+${ids[0]}\\s+\\|\\s+running\\s+\\|\\s+t3\\.micro\\s+\\|`));

    const ami = await aws(sim.server, ["ec2", "create-image", "--instance-id", ids[0]!, "--name", "flows-ami"]);
    expect((await aws(sim.server, ["ec2", "wait", "image-available", "--image-ids", ami.json.ImageId])).code).toBe(0);
    const vol = await aws(sim.server, ["ec2", "create-volume", "--availability-zone", "us-east-1a", "--size", "8"]);
    expect((await aws(sim.server, ["ec2", "wait", "volume-available", "--volume-ids", vol.json.VolumeId])).code).toBe(0);
    const snap = await aws(sim.server, ["ec2", "create-snapshot", "--volume-id", vol.json.VolumeId]);
    expect((await aws(sim.server, ["ec2", "wait", "snapshot-completed", "--snapshot-ids", snap.json.SnapshotId])).code).toBe(0);
    expect(
      (await aws(sim.server, ["ec2", "describe-snapshots", "--snapshot-ids", snap.json.SnapshotId, "--query", "Snapshots[0].[State,Progress]"])).json,
    ).toEqual(["completed", "100%"]);
    await aws(sim.server, ["ec2", "stop-instances", "--instance-ids", ids[1]!]);
    expect((await aws(sim.server, ["ec2", "wait", "instance-stopped", "--instance-ids", ids[1]!])).code).toBe(0);
    await aws(sim.server, ["ec2", "terminate-instances", "--instance-ids", ...ids]);
    expect((await aws(sim.server, ["ec2", "wait", "instance-terminated", "--instance-ids", ...ids])).code).toBe(0);
    const missing = await aws(sim.server, ["ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr.trim()).toBe(
      "An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist",
    );
  });

  it("ECS: wait services-stable, tasks-running, tasks-stopped; a missing service fails the waiter at once", async () => {
    await aws(sim.server, ["ecs", "create-cluster", "--cluster-name", "flows"]);
    await aws(sim.server, [
      "ecs",
      "register-task-definition",
      "--family",
      "flows-td",
      "--container-definitions",
      '[{"name":"app","image":"busybox","memory":128,"essential":true,"command":["sleep","1"]}]',
    ]);
    await aws(sim.server, ["ecs", "create-service", "--cluster", "flows", "--service-name", "web", "--task-definition", "flows-td", "--desired-count", "2"]);
    const stable = await aws(sim.server, ["ecs", "wait", "services-stable", "--cluster", "flows", "--services", "web"]);
    expect(stable.code, stable.stderr).toBe(0);
    const svc = (await aws(sim.server, ["ecs", "describe-services", "--cluster", "flows", "--services", "web"])).json.services[0];
    expect([svc.runningCount, svc.desiredCount, svc.deployments.length]).toEqual([2, 2, 1]);
    const task = (await aws(sim.server, ["ecs", "run-task", "--cluster", "flows", "--task-definition", "flows-td"])).json.tasks[0].taskArn;
    expect((await aws(sim.server, ["ecs", "wait", "tasks-running", "--cluster", "flows", "--tasks", task])).code).toBe(0);
    await aws(sim.server, ["ecs", "stop-task", "--cluster", "flows", "--task", task, "--reason", "done"]);
    expect((await aws(sim.server, ["ecs", "wait", "tasks-stopped", "--cluster", "flows", "--tasks", task])).code).toBe(0);
    const stopped = (await aws(sim.server, ["ecs", "describe-tasks", "--cluster", "flows", "--tasks", task])).json.tasks[0];
    expect([stopped.lastStatus, stopped.stopCode, stopped.stoppedReason]).toEqual(["STOPPED", "UserInitiated", "done"]);
    const missing = await aws(sim.server, ["ecs", "wait", "services-stable", "--cluster", "flows", "--services", "nope"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain(
      'Waiter ServicesStable failed: Waiter encountered a terminal failure state: For expression "failures[].reason" we matched expected path: "MISSING" at least once',
    );
  });
});
