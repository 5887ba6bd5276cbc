/**
 * ListTasks without a filter seeks to its page (the cluster's tasks in seq order, binary search) instead of
 * walking from the first task: pages stay exact when tasks stop, are forgotten (an hour after they
 * stopped) and the order is compacted, and when new tasks arrive between pages.
 */
import { CreateClusterCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { afterAll, describe, expect, it, vi } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg) }));
afterAll(() => {
  vi.useRealTimers();
});

async function run(n: number): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 0; i < n; i += 10)
    arns.push(...(await sim.ecs.send(new RunTaskCommand({ cluster: "seek", taskDefinition: "seek", count: 10 }))).tasks!.map((t) => t.taskArn!));
  return arns;
}

async function page(maxResults: number, nextToken?: string, desiredStatus?: "STOPPED") {
  return sim.ecs.send(new ListTasksCommand({ cluster: "seek", maxResults, nextToken, desiredStatus }));
}

describe("ListTasks seek", () => {
  it("pages stay exact across stops, forgotten tasks, compaction and new tasks", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "seek" }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "seek", containerDefinitions: [{ name: "c", image: "nginx" }] }));
    const arns = await run(250);
    const p1 = await page(100);
    expect(p1.taskArns).toEqual(arns.slice(0, 100));

    // Stop tasks 60..229 (some behind the token, most ahead of it), then let them be forgotten.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    for (const arn of arns.slice(60, 230)) await sim.ecs.send(new StopTaskCommand({ cluster: "seek", task: arn }));
    const stoppedPage = await page(100, undefined, "STOPPED");
    expect(stoppedPage.taskArns).toEqual(arns.slice(60, 160));
    vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
    // A task stopping now prunes those stopped more than an hour ago.
    await sim.ecs.send(new StopTaskCommand({ cluster: "seek", task: arns[249]! }));
    expect((await page(100, undefined, "STOPPED")).taskArns).toEqual([arns[249]]);
    vi.useRealTimers();

    const later = await run(20);
    const p2 = await page(100, p1.nextToken);
    expect(p2.taskArns).toEqual([...arns.slice(230, 249), ...later]);
    expect(p2.nextToken).toBeUndefined();

    // From the start: the remaining live tasks in creation order, in pages of 7.
    const all: string[] = [];
    let token: string | undefined;
    do {
      const p = await page(7, token);
      all.push(...p.taskArns!);
      token = p.nextToken;
    } while (token);
    expect(all).toEqual([...arns.slice(0, 60), ...arns.slice(230, 249), ...later]);
  }, 60_000);
});
