/**
 * awsim in a jest project, as the README shows it: started once in a CommonJS globalSetup with
 * `require("awsim")` (the package's exports serve require() on Node ≥ 20.19), the SDK in CommonJS test
 * files finding it through AWS_ENDPOINT_URL. Runs the real jest CLI on test/fixtures/jest.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const built = existsSync(join(ROOT, "dist/index.js"));
if (!built) console.warn("skipping the jest test: awsim is not built (npm run build)");

describe.skipIf(!built)("in a jest project", () => {
  it("globalSetup starts awsim, the tests use it, globalTeardown stops it", async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        join(ROOT, "node_modules/.bin/jest"),
        ["-c", join(ROOT, "test/fixtures/jest/jest.config.cjs"), "--ci"],
        { cwd: ROOT, timeout: 120_000, env: { ...process.env, AWS_ENDPOINT_URL: undefined } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
    expect(r.out).toMatch(/✓ S3 round trip against the awsim that globalSetup started/);
    expect(r.out).toMatch(/✓ ECS on the same server/);
    expect(r.out).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(r.code).toBe(0);
  });
});
