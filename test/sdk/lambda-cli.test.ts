import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

describe.skipIf(!hasAwsCli())("Lambda with the aws CLI (execute mode)", () => {
  const dir = mkdtempSync(join(tmpdir(), "awsim-lambda-cli-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const sim = useServer({ execute: true });

  it("create, code signing config read, function URL config, invoke to a file", async () => {
    writeFileSync(join(dir, "fn.zip"), zip({ "index.js": "exports.handler = async (e) => ({ twice: e.n * 2 });" }));
    const c = await aws(sim.server, [
      "lambda",
      "create-function",
      "--function-name",
      "cli",
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${join(dir, "fn.zip")}`,
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.State).toBe("Active");
    const csc = await aws(sim.server, ["lambda", "get-function-code-signing-config", "--function-name", "cli"]);
    expect(csc.code, csc.stderr).toBe(0);
    // No config attached: AWS answers an empty document, which the CLI prints as nothing.
    expect(csc.json ?? {}).toEqual({});
    const u = await aws(sim.server, ["lambda", "create-function-url-config", "--function-name", "cli", "--auth-type", "NONE"]);
    expect(u.code, u.stderr).toBe(0);
    expect(u.json.FunctionUrl).toMatch(/lambda-url\.us-east-1\.localhost/);
    const out = join(dir, "out.json");
    const inv = await aws(sim.server, ["lambda", "invoke", "--function-name", "cli", "--payload", '{"n":21}', out]);
    expect(inv.code, inv.stderr).toBe(0);
    expect(inv.json).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ twice: 42 });
  });
});
