/**
 * Execute mode under a burst: 500 concurrent RunTask calls with --max-tasks 16 all reach STOPPED with their
 * real exit codes, and no process is left behind.
 */
import { execFileSync } from "node:child_process";
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const MARK = `awsim-burst-${process.pid}`;

function markedProcesses(): number {
  try {
    return execFileSync("pgrep", ["-f", MARK], { encoding: "utf8" }).trim().split("\n").filter(Boolean).length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

describe("500 concurrent RunTask in execute mode with --max-tasks 16", () => {
  const sim = useServer({ execute: true, maxConcurrentTasks: 16 }, (cfg) => ({ ecs: new ECSClient({ ...cfg, maxAttempts: 1 }) }));

  it("all stop with their real exit codes and leave no process", { timeout: 240_000 }, async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "default" }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "burst",
        containerDefinitions: [
          { name: "c", image: "local", essential: true, command: ["sh", "-c", `: ${MARK}; exit $CODE`], environment: [{ name: "CODE", value: "0" }] },
        ],
      }),
    );
    const N = 500;
    const started = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        sim.ecs.send(
          new RunTaskCommand({
            cluster: "default",
            taskDefinition: "burst",
            launchType: "EC2",
            overrides: { containerOverrides: [{ name: "c", environment: [{ name: "CODE", value: String(i % 7) }] }] },
            startedBy: `n${i % 7}`,
          }),
        ),
      ),
    );
    const arns = started.map((r) => r.tasks?.[0]?.taskArn);
    expect(arns.every(Boolean)).toBe(true);
    const want = new Map(started.map((r, i) => [r.tasks![0]!.taskArn!, i % 7]));

    const deadline = Date.now() + 200_000;
    let stopped = 0;
    while (Date.now() < deadline) {
      let token: string | undefined;
      stopped = 0;
      do {
        const page = await sim.ecs.send(new ListTasksCommand({ cluster: "default", desiredStatus: "STOPPED", nextToken: token }));
        stopped += page.taskArns?.length ?? 0;
        token = page.nextToken;
      } while (token);
      if (stopped === N) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(stopped).toBe(N);

    const all = [...want.keys()];
    for (let i = 0; i < all.length; i += 100) {
      const { tasks, failures } = await sim.ecs.send(new DescribeTasksCommand({ cluster: "default", tasks: all.slice(i, i + 100) }));
      expect(failures).toEqual([]);
      for (const t of tasks!) {
        expect(t.lastStatus).toBe("STOPPED");
        expect(t.stopCode).toBe("EssentialContainerExited");
        expect(t.containers![0]!.exitCode).toBe(want.get(t.taskArn!));
      }
    }
    expect(markedProcesses()).toBe(0);
  });
});
