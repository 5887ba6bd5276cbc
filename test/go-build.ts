/** Builds the Go test programs (GOPATH mode, Debian's Go sources) with one shared cache and one set of flags. */
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const GOPATH = "/usr/share/gocode";

/** The environment a build and the built programs run with. */
export const goEnv = (): Record<string, string> => ({
  ...(process.env as Record<string, string>),
  GO111MODULE: "off",
  GOPATH,
  GOCACHE: join(tmpdir(), "awsim-gocache"),
  GOFLAGS: "",
});

/**
 * The SDKs' generated service packages are compiled without inlining: inlining is most of their compile time
 * (a cold build of test/go/services took 185 s of CPU, aws-sdk-go-v2's ec2 alone 71 s of wall time; without
 * inlining in those packages 97 s; the v1 programs 82 → 62 s) and the tests exercise their behaviour, not their
 * speed. Every build passes the same flags, so that the packages they share (the standard library, s3) are compiled
 * once into the shared cache. A later -gcflags wins for the packages it matches.
 */
const FLAGS = ["-gcflags=github.com/aws/aws-sdk-go-v2/service/...=-l", "-gcflags=github.com/aws/aws-sdk-go/service/...=-l"];

/** `go build -o out .` in `cwd`, asynchronously (a cold build takes minutes; vitest's worker stays responsive). */
export function goBuild(cwd: string, out: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn("go", ["build", ...FLAGS, "-o", out, "."], { cwd, env: goEnv(), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (status) => resolve({ status, stderr }));
    p.on("error", (e) => resolve({ status: -1, stderr: e.message }));
  });
}
