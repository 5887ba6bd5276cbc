/** The seed's Lambda walkthrough with the real aws CLI, in execute mode. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, startServer, type AwsimServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws lambda (execute mode)", () => {
  let server: AwsimServer;
  let dir: string;
  beforeAll(async () => {
    server = await startServer({ execute: true });
    dir = mkdtempSync(join(tmpdir(), "awsim-cli-lambda-"));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("create-function (Image with a command), invoke, then the logs", async () => {
    const created = await aws(server, [
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
    const inv = await aws(server, ["lambda", "invoke", "--function-name", "my-func", out]);
    expect(inv.json.StatusCode).toBe(200);
    expect(readFileSync(out, "utf8")).toBe("hello from lambda\n");
    const logs = await aws(server, ["logs", "filter-log-events", "--log-group-name", "/aws/lambda/my-func"]);
    const msgs = logs.json.events.map((e: { message: string }) => e.message);
    expect(msgs[0]).toMatch(/^START RequestId: /);
    expect(msgs.some((m: string) => m.startsWith("END RequestId: "))).toBe(true);
    expect(msgs.some((m: string) => m.startsWith("REPORT RequestId: "))).toBe(true);
    const missing = await aws(server, ["lambda", "get-function", "--function-name", "nope"]);
    expect(missing.stderr).toContain("ResourceNotFoundException");
  });
});
