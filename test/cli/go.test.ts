/**
 * The Go SDK v2 against awsim: a multipart upload through the s3 manager. Go's encoding/xml writes the
 * ETag quotes in CompleteMultipartUpload as `&#34;`; the upload must complete. Builds offline against
 * Debian's golang-github-aws-aws-sdk-go-v2-dev (GOPATH mode); skips where Go or those sources are missing.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOPATH, goBuild } from "../go-build.js";
import { useServer } from "../helpers.js";

const hasGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0 && existsSync(join(GOPATH, "src/github.com/aws/aws-sdk-go-v2/service/s3"));
if (!hasGo) console.warn("skipping Go SDK tests: go or Debian's golang-github-aws-aws-sdk-go-v2-dev is not installed");

describe.skipIf(!hasGo)("Go SDK v2", () => {
  let dir: string;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const sim = useServer();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "awsim-go-"));
  });

  it("completes a multipart upload (ETags arrive as &#34;-escaped XML)", { timeout: 240_000 }, async () => {
    const bin = join(dir, "s3multipart");
    const build = await goBuild(new URL("../go/s3multipart/", import.meta.url).pathname, bin);
    expect(build.status, build.stderr).toBe(0);
    // Asynchronously: the server runs in this process.
    const run = await promisify(execFile)(bin, [sim.server.url], { encoding: "utf8", timeout: 60_000 });
    expect(run.stdout).toMatch(/^uploaded \S+ parts=3 size=12582912 etag="[0-9a-f]{32}-3"$/m);
  });
});
