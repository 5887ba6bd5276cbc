/** The seed's CloudWatch Logs CLI walkthrough, reproduced with the real aws CLI. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws logs", () => {
  const sim = useServer();

  it("create group and stream, put events, get, filter, describe", async () => {
    expect((await aws(sim.server, ["logs", "create-log-group", "--log-group-name", "/myapp/logs"])).code).toBe(0);
    expect((await aws(sim.server, ["logs", "create-log-stream", "--log-group-name", "/myapp/logs", "--log-stream-name", "stream-1"])).code).toBe(0);
    const now = Date.now();
    const put = await aws(sim.server, [
      "logs",
      "put-log-events",
      "--log-group-name",
      "/myapp/logs",
      "--log-stream-name",
      "stream-1",
      "--log-events",
      `timestamp=${now},message="request started"`,
      `timestamp=${now + 1},message="request completed"`,
    ]);
    expect(put.code).toBe(0);
    expect(put.json.nextSequenceToken).toMatch(/^\d+$/);

    const get = await aws(sim.server, ["logs", "get-log-events", "--log-group-name", "/myapp/logs", "--log-stream-name", "stream-1", "--start-from-head"]);
    expect(get.json.events.map((e: { message: string }) => e.message)).toEqual(["request started", "request completed"]);

    const filter = await aws(sim.server, ["logs", "filter-log-events", "--log-group-name", "/myapp/logs", "--filter-pattern", "completed"]);
    expect(filter.json.events).toHaveLength(1);
    expect(filter.json.events[0].message).toBe("request completed");
    expect(filter.json.events[0].logStreamName).toBe("stream-1");

    const groups = await aws(sim.server, ["logs", "describe-log-groups", "--log-group-name-prefix", "/myapp"]);
    expect(groups.json.logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual(["/myapp/logs"]);
  });

  it("errors come back as the CLI expects", async () => {
    const r = await aws(sim.server, ["logs", "create-log-stream", "--log-group-name", "/none", "--log-stream-name", "x"]);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("ResourceNotFoundException");
    expect(r.stderr).toContain("The specified log group does not exist.");
  });

  it("the CLI paginates filter-log-events to the end", async () => {
    await aws(sim.server, ["logs", "create-log-group", "--log-group-name", "/many"]);
    await aws(sim.server, ["logs", "create-log-stream", "--log-group-name", "/many", "--log-stream-name", "s"]);
    const now = Date.now();
    const events = Array.from({ length: 30 }, (_, i) => `timestamp=${now + i},message=m${i}`);
    await aws(sim.server, ["logs", "put-log-events", "--log-group-name", "/many", "--log-stream-name", "s", "--log-events", ...events]);
    const r = await aws(sim.server, ["logs", "filter-log-events", "--log-group-name", "/many", "--page-size", "7"]);
    expect(r.json.events).toHaveLength(30);
  });
});
