/**
 * Terraform with the hashicorp/aws provider from a local filesystem mirror, for the tests that apply real
 * stacks against awsim: whether it can run here (with the one-line reason when not), a working directory
 * whose CLI config installs the provider from the mirror only, and a runner.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MIRROR = process.env.AWSIM_TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";

/** True when terraform and the mirrored provider exist; otherwise warns once, naming `what` and the reason. */
export function terraformAvailable(what: string): boolean {
  const hasTerraform = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
  const hasProvider = existsSync(join(MIRROR, "registry.terraform.io/hashicorp/aws"));
  if (!hasTerraform || !hasProvider)
    console.warn(`skipping ${what}: ${hasTerraform ? `no hashicorp/aws provider mirrored in ${MIRROR}` : "terraform is not installed"}`);
  return hasTerraform && hasProvider;
}

/** A temp directory holding `files` (name → contents) and the CLI config that uses the mirror. */
export function terraformDir(prefix: string, files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  writeFileSync(
    join(dir, "cli.tfrc"),
    `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return dir;
}

/**
 * The mirrored provider, started once for a test's terraform commands, which attach to it (TF_REATTACH_PROVIDERS,
 * its -debug mode) instead of starting their own: each start costs 3 to 4 s of CPU (the provider builds its schema),
 * and an apply starts it 3 or 4 times (schema, validate, plan, apply). One process serves one provider
 * configuration only (a second configuration, an alias, would reconfigure it), so stacks with aliases run without.
 * It runs in `cwd`, the stack's directory, as terraform starts it: relative paths (a function's zip file) are the
 * provider's to open.
 */
export async function attachedProvider(cwd: string): Promise<{ reattach: string; stop: () => void }> {
  const dir = join(MIRROR, "registry.terraform.io/hashicorp/aws");
  const version = readdirSync(dir).sort().at(-1)!;
  const platform = join(dir, version, `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`);
  const bin = join(platform, readdirSync(platform).find((f) => f.startsWith("terraform-provider-aws"))!);
  // Without AWS_CA_BUNDLE (set on some machines): a second configuration of one process fails with it ("unable to
  // add custom RootCAs HTTPClient"), and awsim is reached over plain HTTP.
  // Its -debug mode logs every call at trace level; terraform starts it without logs unless TF_LOG asks. Off here:
  // the trace log was about a third of the provider's CPU per command.
  const { AWS_CA_BUNDLE: _, ...rest } = process.env;
  const off = ["TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_MUX", "TF_LOG_SDK_HELPER_SCHEMA"];
  const env = { ...rest, ...Object.fromEntries(off.map((k) => [k, "off"])) };
  const p = spawn(bin, ["-debug"], { cwd, env, stdio: ["ignore", "pipe", "ignore"] });
  const reattach = await new Promise<string>((resolve, reject) => {
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
      const m = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out);
      if (m) resolve(m[1]!);
    });
    p.on("exit", (code) => reject(new Error(`terraform-provider-aws -debug exited (${code}): ${out}`)));
  });
  p.stdout.resume();
  return { reattach, stop: () => p.kill("SIGKILL") };
}

/**
 * `terraform ARGS` in `dir` against the awsim at `url` (passed as var.endpoint), attached to `reattach`'s provider
 * when given (attachedProvider); never rejects.
 */
export function tf(dir: string, url: string, args: string[], reattach?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "terraform",
      [...args, "-no-color", "-input=false"],
      {
        cwd: dir,
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"),
          TF_VAR_endpoint: url,
          TF_IN_AUTOMATION: "1",
          CHECKPOINT_DISABLE: "1",
          ...(reattach ? { TF_REATTACH_PROVIDERS: reattach } : {}),
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

const ALL_SERVICES = ["ec2", "ecr", "ecs", "efs", "iam", "lambda", "logs", "s3", "servicediscovery", "sts"];

/**
 * The HCL of a hashicorp/aws provider pointed at awsim (var.endpoint) with test credentials; with `header`,
 * also the terraform block and the endpoint variable a stack's first file declares.
 */
export function awsProvider(opts: { region?: string; alias?: string; services?: string[]; header?: boolean; extra?: string[] } = {}): string {
  const services = opts.services ?? ALL_SERVICES;
  const width = Math.max(...services.map((x) => x.length));
  const lines = [
    ...(opts.alias ? [`  alias                       = "${opts.alias}"`] : []),
    `  region                      = "${opts.region ?? "us-east-1"}"`,
    '  access_key                  = "test"',
    '  secret_key                  = "test"',
    "  skip_credentials_validation = true",
    ...(opts.extra ?? []),
    "  skip_metadata_api_check     = true",
    "  skip_region_validation      = true",
    ...(services.includes("s3") ? ["  s3_use_path_style           = true"] : []),
    "  endpoints {",
    ...services.map((x) => `    ${x.padEnd(width)} = var.endpoint`),
    "  }",
  ];
  const header = opts.header ? `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\nvariable "endpoint" {}\n` : "";
  return `${header}provider "aws" {\n${lines.join("\n")}\n}\n`;
}
