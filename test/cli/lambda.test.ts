/** The seed's Lambda walkthrough with the real aws CLI, in execute mode. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws lambda (execute mode)", () => {
  let dir: string;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const sim = useServer({ execute: true });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "awsim-cli-lambda-"));
  });

  it("create-function (Image with a command), invoke, then the logs", async () => {
    const created = await aws(sim.server, [
      "lambda",
      "create-function",
      "--function-name",
      "my-func",
      "--role",
      "arn:aws:iam::123456789012:role/test-role",
      "--package-type",
      "Image",
      "--code",
      "ImageUri=test:latest",
      "--image-config",
      '{"Command":["echo","hello from lambda"]}',
    ]);
    expect(created.json).toMatchObject({ FunctionName: "my-func", State: "Active" });
    const out = join(dir, "out.txt");
    const inv = await aws(sim.server, ["lambda", "invoke", "--function-name", "my-func", out]);
    expect(inv.json.StatusCode).toBe(200);
    expect(readFileSync(out, "utf8")).toBe("hello from lambda\n");
    const logs = await aws(sim.server, ["logs", "filter-log-events", "--log-group-name", "/aws/lambda/my-func"]);
    const msgs = logs.json.events.map((e: { message: string }) => e.message);
    expect(msgs[0]).toMatch(/^START RequestId: /);
    expect(msgs.some((m: string) => m.startsWith("END RequestId: "))).toBe(true);
    expect(msgs.some((m: string) => m.startsWith("REPORT RequestId: "))).toBe(true);
    const missing = await aws(sim.server, ["lambda", "get-function", "--function-name", "nope"]);
    expect(missing.stderr).toContain("ResourceNotFoundException");
  });
});
