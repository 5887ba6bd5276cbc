/**
 * ECS PAUSE lifecycle hooks and ContinueServiceDeployment, as AWS documents them: "Pause hooks for Amazon ECS service
 * deployments" and "Continuing service deployments" (developer guide), the ContinueServiceDeployment API reference and
 * the model's DeploymentLifecycleHook / DeploymentLifecycleHookTimeoutConfiguration (default 1440 minutes, ROLLBACK).
 */
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const CLUSTER = "hooks";
const td = (family: string) => `${ARN}:task-definition/${family}:1`;
const invalid = (message: string | RegExp) => ({ name: "InvalidParameterException", status: 400, message });
const HOOK_ID = /^ecs-pause-[A-Za-z0-9_-]{43}$/;

describe("ECS PAUSE lifecycle hooks and ContinueServiceDeployment", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));

  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (const family of ["one", "two", "three"])
      await sim.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: "app", image: "nginx", memory: 128 }] }));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const create = (serviceName: string, deploymentConfiguration: DeploymentConfiguration, desiredCount = 2) =>
    sim.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: "one", desiredCount, deploymentConfiguration }));
  const update = (service: string, taskDefinition: string) => sim.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service, taskDefinition }));
  const deployments = async (service: string) => (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service }))).serviceDeployments!;
  const describeSd = async (arn: string) =>
    (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
  const service = async (name: string) => (await sim.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services![0]!;
  const cont = (serviceDeploymentArn: string, hookId: string, action?: "CONTINUE" | "ROLLBACK") =>
    sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action }));
  const runningTaskDefinitions = async (serviceName: string) => {
    const arns = (await sim.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName, desiredStatus: "RUNNING" }))).taskArns!;
    if (!arns.length) return [];
    const tasks = (await sim.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks!;
    return tasks.map((t) => t.taskDefinitionArn).sort();
  };

  it("pauses at POST_SCALE_UP with a hook AWAITING_ACTION; CONTINUE (the default action) completes the deployment", async () => {
    await create("cont", {
      strategy: "BLUE_GREEN",
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes: 10, action: "ROLLBACK" } }],
    });
    // The service's first deployment replaces no revision: it does not wait.
    const [first] = await deployments("cont");
    expect(first!.status).toBe("SUCCESSFUL");
    expect((await describeSd(first!.serviceDeploymentArn!)).lifecycleHookDetails).toBeUndefined();

    const before = Date.now();
    await update("cont", "two");
    const [sdBrief] = await deployments("cont");
    expect(sdBrief!.status).toBe("IN_PROGRESS");
    const arn = sdBrief!.serviceDeploymentArn!;
    const sd = await describeSd(arn);
    expect(sd.status).toBe("IN_PROGRESS");
    expect(sd.lifecycleStage).toBe("POST_SCALE_UP");
    expect(sd.finishedAt).toBeUndefined();
    expect(sd.lifecycleHookDetails).toHaveLength(1);
    const hook = sd.lifecycleHookDetails![0]!;
    expect(hook).toMatchObject({ targetType: "PAUSE", status: "AWAITING_ACTION", timeoutAction: "ROLLBACK" });
    expect(hook.hookId).toMatch(HOOK_ID);
    expect(hook.targetArn).toBeUndefined();
    const expires = hook.expiresAt!.getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 1000);
    // Past SCALE_UP: the new revision's tasks run; the ECS deployment has not completed.
    const svc = await service("cont");
    expect(svc.taskDefinition).toBe(td("two"));
    expect(svc.deployments!.find((d) => d.status === "PRIMARY")!.rolloutState).toBe("IN_PROGRESS");
    expect(await runningTaskDefinitions("cont")).toEqual([td("two"), td("two")]);

    const out = await cont(arn, hook.hookId!);
    expect(out.serviceDeploymentArn).toBe(arn);
    const done = await describeSd(arn);
    expect(done.status).toBe("SUCCESSFUL");
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.lifecycleHookDetails![0]).toMatchObject({ hookId: hook.hookId, status: "SUCCEEDED" });
    const after = await service("cont");
    expect(after.taskDefinition).toBe(td("two"));
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments![0]!.rolloutState).toBe("COMPLETED");
    expect(after.runningCount).toBe(2);

    // The hook no longer waits, and the deployment is no longer in progress.
    await expectAwsError(cont(arn, hook.hookId!), invalid("The service deployment is in SUCCESSFUL status and is not waiting on a lifecycle hook."));
  });

  it("pauses at PRE_SCALE_UP before any new task starts; ROLLBACK goes back to the source revision", async () => {
    await create("back", { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["PRE_SCALE_UP"] }] });
    const before = Date.now();
    await update("back", "two");
    const [brief, source] = await deployments("back");
    const arn = brief!.serviceDeploymentArn!;
    const sd = await describeSd(arn);
    expect(sd).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "PRE_SCALE_UP" });
    const hook = sd.lifecycleHookDetails![0]!;
    // No timeoutConfiguration: 1440 minutes, then ROLLBACK.
    expect(hook).toMatchObject({ status: "AWAITING_ACTION", timeoutAction: "ROLLBACK" });
    expect(hook.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 1440 * 60_000 - 1000);
    // The old revision keeps serving; the new one has no task yet.
    expect(await runningTaskDefinitions("back")).toEqual([td("one"), td("one")]);
    const svc = await service("back");
    expect(svc.deployments).toHaveLength(2);
    expect(svc.deployments!.find((d) => d.status === "PRIMARY")).toMatchObject({ taskDefinition: td("two"), runningCount: 0 });

    await expectAwsError(cont(arn, "ecs-pause-nope"), invalid("The lifecycle hook ecs-pause-nope does not exist or is not waiting for a decision."));
    await cont(arn, hook.hookId!, "ROLLBACK");
    const done = await describeSd(arn);
    expect(done.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(done.rollback?.serviceRevisionArn).toBe(done.sourceServiceRevisions![0]!.arn);
    expect(done.rollback?.reason).toBeTruthy();
    expect(done.lifecycleHookDetails![0]).toMatchObject({ hookId: hook.hookId, status: "FAILED" });
    expect(source!.status).toBe("SUCCESSFUL");
    const after = await service("back");
    expect(after.taskDefinition).toBe(td("one"));
    expect(after.deployments).toHaveLength(1);
    expect(await runningTaskDefinitions("back")).toEqual([td("one"), td("one")]);
    await expectAwsError(cont(arn, hook.hookId!), invalid("The service deployment is in ROLLBACK_SUCCESSFUL status and is not waiting on a lifecycle hook."));
  });

  it("pauses again at each later stage with a hook, with a new hookId each time (rolling strategy)", async () => {
    await create("steps", {
      strategy: "ROLLING",
      lifecycleHooks: [
        { targetType: "PAUSE", lifecycleStages: ["PRE_SCALE_UP", "POST_PRODUCTION_TRAFFIC_SHIFT"], timeoutConfiguration: { action: "CONTINUE" } },
      ],
    });
    await update("steps", "two");
    const arn = (await deployments("steps"))[0]!.serviceDeploymentArn!;
    const first = await describeSd(arn);
    expect(first.lifecycleStage).toBe("PRE_SCALE_UP");
    expect(first.lifecycleHookDetails![0]!.timeoutAction).toBe("CONTINUE");
    await cont(arn, first.lifecycleHookDetails![0]!.hookId!, "CONTINUE");
    const second = await describeSd(arn);
    expect(second).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "POST_PRODUCTION_TRAFFIC_SHIFT" });
    const hook2 = second.lifecycleHookDetails![0]!;
    expect(hook2.status).toBe("AWAITING_ACTION");
    expect(hook2.hookId).toMatch(HOOK_ID);
    expect(hook2.hookId).not.toBe(first.lifecycleHookDetails![0]!.hookId);
    // The earlier hook's id is not waiting any more.
    await expectAwsError(cont(arn, first.lifecycleHookDetails![0]!.hookId!), invalid(/does not exist or is not waiting for a decision/));
    expect(await runningTaskDefinitions("steps")).toEqual([td("two"), td("two")]);
    await cont(arn, hook2.hookId!);
    expect((await describeSd(arn)).status).toBe("SUCCESSFUL");
  });

  it("RECONCILE_SERVICE happens only when more than one revision is active; a superseded paused deployment is STOPPED", async () => {
    await create("recon", { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["RECONCILE_SERVICE", "PRE_SCALE_UP"] }] });
    await update("recon", "two");
    const firstArn = (await deployments("recon"))[0]!.serviceDeploymentArn!;
    // One source revision: no reconciliation stage.
    expect((await describeSd(firstArn)).lifecycleStage).toBe("PRE_SCALE_UP");
    await update("recon", "three");
    const [latest, stopped] = await deployments("recon");
    expect(stopped!.serviceDeploymentArn).toBe(firstArn);
    expect(stopped!.status).toBe("STOPPED");
    const sd = await describeSd(latest!.serviceDeploymentArn!);
    expect(sd.sourceServiceRevisions).toHaveLength(2);
    expect(sd.lifecycleStage).toBe("RECONCILE_SERVICE");
    await expectAwsError(cont(firstArn, "ecs-pause-x"), invalid("The service deployment is in STOPPED status and is not waiting on a lifecycle hook."));
    await cont(latest!.serviceDeploymentArn!, sd.lifecycleHookDetails![0]!.hookId!);
    const next = await describeSd(latest!.serviceDeploymentArn!);
    expect(next.lifecycleStage).toBe("PRE_SCALE_UP");
    await cont(latest!.serviceDeploymentArn!, next.lifecycleHookDetails![0]!.hookId!);
    expect((await describeSd(latest!.serviceDeploymentArn!)).status).toBe("SUCCESSFUL");
    expect((await service("recon")).taskDefinition).toBe(td("three"));
    expect(await runningTaskDefinitions("recon")).toEqual([td("three"), td("three")]);
  });

  it("StopServiceDeployment(ROLLBACK) works on a paused deployment", async () => {
    await create("stop", { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_SCALE_UP"] }] });
    await update("stop", "two");
    const arn = (await deployments("stop"))[0]!.serviceDeploymentArn!;
    await sim.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }));
    expect((await describeSd(arn)).status).toBe("ROLLBACK_SUCCESSFUL");
    expect((await service("stop")).taskDefinition).toBe(td("one"));
  });

  it("a hook that times out takes its timeoutAction (TIMED_OUT): CONTINUE completes, ROLLBACK rolls back", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    await create("late-go", {
      lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes: 1, action: "CONTINUE" } }],
    });
    await create("late-back", { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes: 2 } }] });
    await update("late-go", "two");
    await update("late-back", "two");
    const go = (await deployments("late-go"))[0]!.serviceDeploymentArn!;
    const back = (await deployments("late-back"))[0]!.serviceDeploymentArn!;
    const backHook = (await describeSd(back)).lifecycleHookDetails![0]!.hookId!;
    vi.setSystemTime(Date.now() + 90_000);
    const goSd = await describeSd(go);
    expect(goSd.status).toBe("SUCCESSFUL");
    expect(goSd.lifecycleHookDetails![0]!.status).toBe("TIMED_OUT");
    expect((await service("late-go")).taskDefinition).toBe(td("two"));
    // Not yet expired.
    expect((await describeSd(back)).status).toBe("IN_PROGRESS");
    vi.setSystemTime(Date.now() + 60_000);
    // An expired hook is no longer waiting: ContinueServiceDeployment finds the deployment rolled back.
    await expectAwsError(cont(back, backHook), invalid("The service deployment is in ROLLBACK_SUCCESSFUL status and is not waiting on a lifecycle hook."));
    const backSd = await describeSd(back);
    expect(backSd.lifecycleHookDetails![0]!.status).toBe("TIMED_OUT");
    expect((await service("late-back")).taskDefinition).toBe(td("one"));
  });

  it("validates lifecycle hooks as AWS documents them, and answers unknown deployments with ServiceDeploymentNotFoundException", async () => {
    // "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages" (DeploymentLifecycleHook).
    for (const stage of ["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"] as const)
      await expectAwsError(
        create("bad", { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["PRE_SCALE_UP", stage] }] }),
        invalid(`PAUSE hooks cannot be configured at the ${stage} lifecycle stage; it is only valid for AWS_LAMBDA hooks.`),
      );
    // targetType defaults to AWS_LAMBDA, which needs hookTargetArn; every hook needs lifecycleStages.
    await expectAwsError(
      create("bad", { lifecycleHooks: [{ lifecycleStages: ["PRE_SCALE_UP"] }] }),
      invalid("hookTargetArn must be provided when configuring an AWS_LAMBDA lifecycle hook."),
    );
    await expectAwsError(
      create("bad", { lifecycleHooks: [{ targetType: "PAUSE" }] }),
      invalid("lifecycleStages must be provided when configuring a deployment lifecycle hook."),
    );
    // timeoutInMinutes: 1 to 20160 (the model's range).
    for (const timeoutInMinutes of [0, 20161])
      await expectAwsError(
        create("bad", { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["PRE_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes } }] }),
        { name: "InvalidParameterException", status: 400 },
      );
    await create("valid", {});
    await expectAwsError(
      sim.ecs.send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: "valid",
          deploymentConfiguration: { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["TEST_TRAFFIC_SHIFT"] }] },
        }),
      ),
      invalid(/PAUSE hooks cannot be configured at the TEST_TRAFFIC_SHIFT lifecycle stage/),
    );
    expect((await service("valid")).deploymentConfiguration?.lifecycleHooks).toBeUndefined();
    await expectAwsError(cont(`${ARN}:service-deployment/${CLUSTER}/valid/nope`, "ecs-pause-x"), {
      name: "ServiceDeploymentNotFoundException",
      status: 400,
    });
    // A deployment without pause hooks completes at once in fake mode.
    await update("valid", "two");
    expect((await deployments("valid"))[0]!.status).toBe("SUCCESSFUL");
  });
  it("vpcLatticeConfigurations: kept on the deployment and its service revision; a change deploys again", async () => {
    const lattice = [
      {
        roleArn: "arn:aws:iam::000000000000:role/ecs-lattice",
        targetGroupArn: "arn:aws:vpc-lattice:us-east-1:000000000000:targetgroup/tg-0123456789abcdef0",
        portName: "http",
      },
    ];
    await sim.ecs.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName: "lattice", taskDefinition: "one", desiredCount: 1, vpcLatticeConfigurations: lattice }),
    );
    let svc = await service("lattice");
    expect(svc.deployments![0]!.vpcLatticeConfigurations).toEqual(lattice);
    const first = (await deployments("lattice"))[0]!;
    const sd = await describeSd(first.serviceDeploymentArn!);
    const rev = (await sim.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd.targetServiceRevision!.arn!] }))).serviceRevisions![0]!;
    expect(rev.vpcLatticeConfigurations).toEqual(lattice);
    const next = [{ ...lattice[0]!, portName: "grpc" }];
    await sim.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: "lattice", vpcLatticeConfigurations: next }));
    svc = await service("lattice");
    expect(svc.deployments![0]!.vpcLatticeConfigurations).toEqual(next);
    expect((await deployments("lattice")).length).toBe(2);
    // An update that does not name them keeps them.
    await update("lattice", "two");
    expect((await service("lattice")).deployments![0]!.vpcLatticeConfigurations).toEqual(next);
  });
});
