/**
 * ECS AWS_LAMBDA lifecycle hooks, as AWS documents them: "Lambda hooks for Amazon ECS service deployments" and
 * "Lifecycle hooks for Amazon ECS service deployments" (developer guide: hookStatus SUCCEEDED / FAILED / IN_PROGRESS,
 * callBackDelay default 30 seconds, hookDetails merged between invocations, the event's executionId, lifecycleStage,
 * resourceArn and executionDetails, lifecycleHookDetails in DescribeServiceDeployments, timeouts of 1 to 1440 minutes).
 * In --execute mode the hook's function really runs; in fake mode Lambda answers null, which is no valid hookStatus.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeployment,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const FN = "arn:aws:lambda:us-east-1:000000000000:function";
const ROLE = "arn:aws:iam::000000000000:role/ecs-lambda-invoke-role";
const td = (family: string) => `${ARN}:task-definition/${family}:1`;
const invalid = (message: string | RegExp) => ({ name: "InvalidParameterException", status: 400, message });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Sim = ReturnType<typeof useServer<{ ecs: ECSClient; lambda: LambdaClient; logs: CloudWatchLogsClient }>>;

function helpers(sim: Sim, cluster: string) {
  const create = (serviceName: string, deploymentConfiguration: DeploymentConfiguration, desiredCount = 1) =>
    sim.ecs.send(new CreateServiceCommand({ cluster, serviceName, taskDefinition: "one", desiredCount, deploymentConfiguration }));
  const update = (service: string, taskDefinition: string) => sim.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
  const latest = async (service: string) => (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments![0]!;
  const describeSd = async (arn: string) =>
    (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
  const service = async (name: string) => (await sim.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
  const until = async (arn: string, pred: (sd: ServiceDeployment) => boolean, ms = 25_000) => {
    const t0 = Date.now();
    for (;;) {
      const sd = await describeSd(arn);
      if (pred(sd)) return sd;
      if (Date.now() - t0 > ms) throw new Error(`timeout: ${JSON.stringify(sd)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { create, update, latest, describeSd, service, until };
}

describe("fake mode: Lambda answers null, so an AWS_LAMBDA hook fails and the deployment rolls back", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg), lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));
  const h = helpers(sim, "fake");

  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "fake" }));
    for (const family of ["one", "two"])
      await sim.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: "app", image: "nginx", memory: 128 }] }));
    await createNodeFunction(sim.lambda, "fake-hook", "exports.handler = async () => ({ hookStatus: 'SUCCEEDED' });");
  });

  it("an existing function (answering null) and a missing one both fail their hook: UpdateService answers the rolled-back service", async () => {
    for (const [name, fn] of [
      ["exists", `${FN}:fake-hook`],
      ["missing", `${FN}:no-such-function`],
    ] as const) {
      await h.create(name, { lifecycleHooks: [{ targetType: "AWS_LAMBDA", hookTargetArn: fn, roleArn: ROLE, lifecycleStages: ["PRE_SCALE_UP"] }] });
      const updated = await h.update(name, "two");
      // Instant and deterministic: the answer already shows the source revision deployed again.
      expect(updated.service!.taskDefinition).toBe(td("one"));
      const brief = await h.latest(name);
      expect(brief.status).toBe("ROLLBACK_SUCCESSFUL");
      const sd = await h.describeSd(brief.serviceDeploymentArn!);
      expect(sd.lifecycleStage).toBe("PRE_SCALE_UP");
      expect(sd.lifecycleHookDetails).toHaveLength(1);
      const hook = sd.lifecycleHookDetails![0]!;
      expect(hook).toMatchObject({ targetType: "AWS_LAMBDA", targetArn: fn, status: "FAILED", timeoutAction: "ROLLBACK" });
      expect(hook.hookId).toMatch(UUID);
      expect(sd.rollback!.reason).toBe(`Lifecycle hook ${hook.hookId} failed.`);
      expect(sd.rollback!.serviceRevisionArn).toBe(sd.sourceServiceRevisions![0]!.arn);
      const svc = await h.service(name);
      expect(svc.deployments).toHaveLength(1);
      expect(svc.deployments![0]).toMatchObject({ taskDefinition: td("one"), rolloutState: "COMPLETED" });
      // A Lambda hook takes no ContinueServiceDeployment.
      await expectAwsError(
        sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn!, hookId: hook.hookId! })),
        invalid("The service deployment is in ROLLBACK_SUCCESSFUL status and is not waiting on a lifecycle hook."),
      );
    }
  });

  it("a hook with no targetType is an AWS_LAMBDA hook; hooks at stages the deployment does not reach are not invoked", async () => {
    await h.create("untyped", { lifecycleHooks: [{ hookTargetArn: `${FN}:fake-hook`, lifecycleStages: ["POST_SCALE_UP"] }] });
    await h.update("untyped", "two");
    const sd = await h.describeSd((await h.latest("untyped")).serviceDeploymentArn!);
    expect(sd).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", lifecycleStage: "POST_SCALE_UP" });
    expect(sd.lifecycleHookDetails![0]).toMatchObject({ targetType: "AWS_LAMBDA", status: "FAILED" });
    // RECONCILE_SERVICE happens only with more than one revision active: this deployment goes straight on.
    await h.create("reconcile", { lifecycleHooks: [{ hookTargetArn: `${FN}:fake-hook`, lifecycleStages: ["RECONCILE_SERVICE"] }] });
    await h.update("reconcile", "two");
    const ok = await h.describeSd((await h.latest("reconcile")).serviceDeploymentArn!);
    expect(ok.status).toBe("SUCCESSFUL");
    expect(ok.lifecycleHookDetails).toBeUndefined();
  });

  it("validates AWS_LAMBDA hooks: hookTargetArn required, timeoutInMinutes at most 1440 (PAUSE hooks allow more)", async () => {
    await expectAwsError(
      h.create("bad1", { lifecycleHooks: [{ targetType: "AWS_LAMBDA", lifecycleStages: ["PRE_SCALE_UP"] }] }),
      invalid("hookTargetArn must be provided when configuring an AWS_LAMBDA lifecycle hook."),
    );
    await expectAwsError(
      h.create("bad2", {
        lifecycleHooks: [
          { targetType: "AWS_LAMBDA", hookTargetArn: `${FN}:fake-hook`, lifecycleStages: ["PRE_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes: 1441 } },
        ],
      }),
      invalid("timeoutInMinutes must be between 1 and 1440 for an AWS_LAMBDA lifecycle hook."),
    );
    const pause = await h.create("long-pause", {
      lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["PRE_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes: 20160 } }],
    });
    expect(pause.service!.deploymentConfiguration!.lifecycleHooks![0]!.timeoutConfiguration).toEqual({ timeoutInMinutes: 20160 });
    await h.create("ok", {
      lifecycleHooks: [
        {
          targetType: "AWS_LAMBDA",
          hookTargetArn: `${FN}:fake-hook`,
          lifecycleStages: ["TEST_TRAFFIC_SHIFT"],
          timeoutConfiguration: { timeoutInMinutes: 1440 },
        },
      ],
    });
    await expectAwsError(
      sim.ecs.send(
        new UpdateServiceCommand({
          cluster: "fake",
          service: "ok",
          deploymentConfiguration: {
            lifecycleHooks: [
              {
                targetType: "AWS_LAMBDA",
                hookTargetArn: `${FN}:fake-hook`,
                lifecycleStages: ["PRE_SCALE_UP"],
                timeoutConfiguration: { timeoutInMinutes: 2000 },
              },
            ],
          },
        }),
      ),
      invalid("timeoutInMinutes must be between 1 and 1440 for an AWS_LAMBDA lifecycle hook."),
    );
  });
});

describe("--execute mode: the hook's function runs and its hookStatus decides", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ ecs: new ECSClient(cfg), lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));
  const h = helpers(sim, "exec");
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The events a hook function logged (it logs `EVENT <json>`), oldest first. */
  const events = async (fn: string) => {
    const out = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}` })).catch(() => ({ events: [] }));
    return (out.events ?? [])
      .map((e) => /EVENT (\{.*\})/.exec(e.message ?? "")?.[1])
      .filter((x): x is string => !!x)
      .map((x) => JSON.parse(x) as Record<string, any>);
  };
  const hook = (name: string, answer: string) =>
    createNodeFunction(sim.lambda, name, `exports.handler = async (e) => { console.log('EVENT ' + JSON.stringify(e)); ${answer} };`);

  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "exec" }));
    for (const family of ["one", "two"])
      await sim.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: "w", image: "alpine", command: ["sleep", "300"] }] }));
  });

  it("SUCCEEDED at each stage: the deployment finishes on the new revision; each event carries the documented fields", async () => {
    await hook("ok-hook", "return { hookStatus: 'SUCCEEDED' };");
    await h.create("ok", {
      strategy: "BLUE_GREEN",
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        {
          targetType: "AWS_LAMBDA",
          hookTargetArn: `${FN}:ok-hook`,
          roleArn: ROLE,
          lifecycleStages: ["PRE_SCALE_UP", "TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"],
          hookDetails: { team: "payments", checks: ["smoke"] },
        },
      ],
    });
    const first = await h.latest("ok");
    await h.until(first.serviceDeploymentArn!, (sd) => sd.status === "SUCCESSFUL");
    // The service's first deployment replaces no revision: no stage, no hook.
    expect(await events("ok-hook")).toEqual([]);

    await h.update("ok", "two");
    const arn = (await h.latest("ok")).serviceDeploymentArn!;
    const sd = await h.until(arn, (x) => x.status === "SUCCESSFUL");
    expect((await h.service("ok")).taskDefinition).toBe(td("two"));
    const green = sd.targetServiceRevision!.arn!;
    const blue = sd.sourceServiceRevisions![0]!.arn!;
    const seen = await events("ok-hook");
    expect(seen.map((e) => e.lifecycleStage)).toEqual([
      "PRE_SCALE_UP",
      "TEST_TRAFFIC_SHIFT",
      "PRE_PRODUCTION_TRAFFIC_SHIFT",
      "PRODUCTION_TRAFFIC_SHIFT",
      "POST_PRODUCTION_TRAFFIC_SHIFT",
    ]);
    for (const e of seen) {
      expect(Object.keys(e).sort()).toEqual(["executionDetails", "executionId", "hookDetails", "lifecycleStage", "resourceArn"]);
      expect(e.executionId).toMatch(UUID);
      expect(e.resourceArn).toBe(arn);
      expect(e.hookDetails).toEqual({ team: "payments", checks: ["smoke"] });
      expect(e.executionDetails.serviceArn).toBe(`${ARN}:service/exec/ok`);
      expect(e.executionDetails.targetServiceRevisionArn).toBe(green);
    }
    expect(new Set(seen.map((e) => e.executionId)).size).toBe(5);
    const weights = seen.map((e) => [e.executionDetails.testTrafficWeights, e.executionDetails.productionTrafficWeights]);
    expect(weights).toEqual([
      [{}, {}],
      [{ [green]: 100, [blue]: 0 }, {}],
      [{}, { [green]: 0, [blue]: 100 }],
      [{}, { [green]: 100, [blue]: 0 }],
      [{}, {}],
    ]);
    // The last stage's hook, as DescribeServiceDeployments shows it: its hookId is the event's executionId.
    expect(sd.lifecycleHookDetails).toEqual([
      {
        hookId: seen[4]!.executionId,
        targetType: "AWS_LAMBDA",
        targetArn: `${FN}:ok-hook`,
        status: "SUCCEEDED",
        expiresAt: expect.any(Date),
        timeoutAction: "ROLLBACK",
      },
    ]);
  }, 60_000);

  it("FAILED rolls the deployment back to the source revision", async () => {
    await hook("no-hook", "return { hookStatus: 'FAILED' };");
    await h.create("no", { lifecycleHooks: [{ targetType: "AWS_LAMBDA", hookTargetArn: `${FN}:no-hook`, roleArn: ROLE, lifecycleStages: ["POST_SCALE_UP"] }] });
    await h.until((await h.latest("no")).serviceDeploymentArn!, (sd) => sd.status === "SUCCESSFUL");
    await h.update("no", "two");
    const arn = (await h.latest("no")).serviceDeploymentArn!;
    const sd = await h.until(arn, (x) => x.status === "ROLLBACK_SUCCESSFUL");
    expect(sd.lifecycleStage).toBe("POST_SCALE_UP");
    expect(sd.lifecycleHookDetails![0]).toMatchObject({ targetType: "AWS_LAMBDA", targetArn: `${FN}:no-hook`, status: "FAILED" });
    expect(sd.rollback!.reason).toBe(`Lifecycle hook ${sd.lifecycleHookDetails![0]!.hookId} failed.`);
    const svc = await h.service("no");
    expect(svc.taskDefinition).toBe(td("one"));
    expect((await events("no-hook")).map((e) => e.lifecycleStage)).toEqual(["POST_SCALE_UP"]);
  }, 60_000);

  it("a function that throws, or answers no valid hookStatus, rolls back too", async () => {
    await hook("throws", "throw new Error('boom');");
    await hook("vague", "return { status: 'SUCCEEDED' };");
    for (const fn of ["throws", "vague"]) {
      await h.create(`svc-${fn}`, { lifecycleHooks: [{ targetType: "AWS_LAMBDA", hookTargetArn: `${FN}:${fn}`, lifecycleStages: ["PRE_SCALE_UP"] }] });
      await h.until((await h.latest(`svc-${fn}`)).serviceDeploymentArn!, (sd) => sd.status === "SUCCESSFUL");
      await h.update(`svc-${fn}`, "two");
      const sd = await h.until((await h.latest(`svc-${fn}`)).serviceDeploymentArn!, (x) => x.status === "ROLLBACK_SUCCESSFUL");
      expect(sd.lifecycleHookDetails![0]!.status).toBe("FAILED");
      expect((await events(fn)).length).toBe(1);
    }
  }, 60_000);

  it("IN_PROGRESS: IN_PROGRESS meanwhile, invoked again after callBackDelay with the hookDetails it returned merged in; then SUCCEEDED", async () => {
    await hook(
      "slow-hook",
      "const n = (e.hookDetails && e.hookDetails.round) || 0; return n >= 1 ? { hookStatus: 'SUCCEEDED' } : { hookStatus: 'IN_PROGRESS', callBackDelay: 2, hookDetails: { round: n + 1 } };",
    );
    await h.create("slow", {
      lifecycleHooks: [
        {
          targetType: "AWS_LAMBDA",
          hookTargetArn: `${FN}:slow-hook`,
          roleArn: ROLE,
          lifecycleStages: ["POST_SCALE_UP"],
          hookDetails: { bucket: "approvals" },
          timeoutConfiguration: { timeoutInMinutes: 5, action: "ROLLBACK" },
        },
      ],
    });
    await h.until((await h.latest("slow")).serviceDeploymentArn!, (sd) => sd.status === "SUCCESSFUL");
    const before = Date.now();
    await h.update("slow", "two");
    const arn = (await h.latest("slow")).serviceDeploymentArn!;
    // After the first answer, before the second invocation: the hook is IN_PROGRESS, the deployment waits at its stage.
    const t0 = Date.now();
    while ((await events("slow-hook")).length < 1 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
    const waiting = await h.describeSd(arn);
    expect(waiting).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "POST_SCALE_UP" });
    const detail = waiting.lifecycleHookDetails![0]!;
    expect(detail).toMatchObject({ targetType: "AWS_LAMBDA", targetArn: `${FN}:slow-hook`, status: "IN_PROGRESS", timeoutAction: "ROLLBACK" });
    expect(detail.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1000);
    expect(detail.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 1000);
    // ContinueServiceDeployment answers PAUSE hooks only.
    await expectAwsError(
      sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: detail.hookId! })),
      invalid(`The lifecycle hook ${detail.hookId} does not exist or is not waiting for a decision.`),
    );
    const sd = await h.until(arn, (x) => x.status === "SUCCESSFUL");
    expect(sd.lifecycleHookDetails).toEqual([{ ...detail, status: "SUCCEEDED" }]);
    expect((await h.service("slow")).taskDefinition).toBe(td("two"));
    const seen = await (async () => {
      const logs = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/slow-hook", filterPattern: "EVENT" }));
      return logs.events!.map((e) => ({ at: e.timestamp!, event: JSON.parse(/EVENT (\{.*\})/.exec(e.message!)![1]!) }));
    })();
    expect(seen).toHaveLength(2);
    // One hook execution: the same executionId (the hookId), the configured hookDetails plus those returned.
    expect(seen.map((s) => s.event.executionId)).toEqual([detail.hookId, detail.hookId]);
    expect(seen[0]!.event.hookDetails).toEqual({ bucket: "approvals" });
    expect(seen[1]!.event.hookDetails).toEqual({ bucket: "approvals", round: 1 });
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(1900);
  }, 60_000);

  it("a hook still IN_PROGRESS at its timeout is TIMED_OUT and takes its timeoutAction (CONTINUE)", async () => {
    await hook("forever", "return { hookStatus: 'IN_PROGRESS', callBackDelay: 600 };");
    await h.create("late", {
      lifecycleHooks: [
        {
          targetType: "AWS_LAMBDA",
          hookTargetArn: `${FN}:forever`,
          lifecycleStages: ["PRE_SCALE_UP"],
          timeoutConfiguration: { timeoutInMinutes: 1, action: "CONTINUE" },
        },
      ],
    });
    await h.until((await h.latest("late")).serviceDeploymentArn!, (sd) => sd.status === "SUCCESSFUL");
    await h.update("late", "two");
    const arn = (await h.latest("late")).serviceDeploymentArn!;
    const t0 = Date.now();
    while ((await events("forever")).length < 1 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
    expect((await h.describeSd(arn)).lifecycleHookDetails![0]!.status).toBe("IN_PROGRESS");
    expect((await h.service("late")).taskDefinition).toBe(td("two"));
    // 90 seconds later (the clock keeps going from there: going back would hold the new tasks' steady state).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 90_000, shouldAdvanceTime: true });
    const expired = await h.describeSd(arn);
    expect(expired.lifecycleHookDetails![0]!.status).toBe("TIMED_OUT");
    const sd = await h.until(arn, (x) => x.status === "SUCCESSFUL");
    expect(sd.lifecycleHookDetails![0]!.status).toBe("TIMED_OUT");
    expect((await events("forever")).length).toBe(1);
  }, 60_000);
});
