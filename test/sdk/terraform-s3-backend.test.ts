/**
 * Terraform's built-in S3 backend keeping state in awsim: init and apply with S3-native locking
 * (use_lockfile: conditional writes), plan with no changes, state list/show/pull/push, workspaces (the
 * `env:/` prefix and workspace_key_prefix), a lock held by a concurrent apply and force-unlock, encrypt with
 * SSE-C and an ACL, init -migrate-state from local to S3 and between keys, and terraform_remote_state reading
 * another state. What S3 holds (keys, content type, encryption, checksums, versions, lock objects) is checked
 * with the JS SDK. Only terraform itself runs (terraform_data needs no provider).
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { terraformAvailable, terraformDir } from "../terraform.js";

const enabled = terraformAvailable("the Terraform S3 backend test");
const BUCKET = "tf-backend-state";

/** `terraform ARGS` in `dir` (the test credentials in the environment, none of the shell's); never rejects. */
function run(dir: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "terraform",
      args,
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"),
          TF_IN_AUTOMATION: "1",
          CHECKPOINT_DISABLE: "1",
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/** Runs and expects success, showing terraform's output when not. */
async function ok(dir: string, ...args: string[]): Promise<string> {
  const r = await run(dir, [...args, "-no-color"]);
  if (r.code !== 0) throw new Error(`terraform ${args.join(" ")} exited ${r.code}:\n${r.out}`);
  return r.out;
}

/** The settings of a backend/remote-state block pointing at awsim, one `name = value` per line. */
function settings(url: string, extra: Record<string, string | boolean>): string {
  const all: Record<string, string | boolean> = {
    bucket: BUCKET,
    region: "us-east-1",
    use_path_style: true,
    access_key: "test",
    secret_key: "test",
    ...extra,
  };
  const lines = Object.entries(all).map(([k, v]) => `    ${k} = ${typeof v === "boolean" ? v : JSON.stringify(v)}`);
  return [`    endpoints = { s3 = "${url}", sts = "${url}", iam = "${url}" }`, ...lines].join("\n");
}

const backend = (url: string, extra: Record<string, string | boolean>) => `terraform {\n  backend "s3" {\n${settings(url, extra)}\n  }\n}\n`;

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("base64");

describe.skipIf(!enabled)("Terraform's S3 backend", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
  const dirs: string[] = [];
  const dir = (prefix: string, files: Record<string, string>) => {
    const d = terraformDir(prefix, files);
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeAll(async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await t.s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
  });
  const body = async (Key: string) => {
    const o = await t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key, ChecksumMode: "ENABLED" }));
    return { o, bytes: Buffer.from(await o.Body!.transformToByteArray()) };
  };
  const keys = async () => ((await t.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

  let app = "";
  const APP = `resource "terraform_data" "a" {\n  input = "hello"\n}\noutput "greeting" {\n  value = terraform_data.a.output\n}\n`;

  it("init, apply, plan with no changes, state list/show/pull/push; what S3 holds", async () => {
    app = dir("awsim-tfb-app-", { "main.tf": backend(t.server.url, { key: "app/terraform.tfstate", use_lockfile: true, encrypt: true }) + APP });
    await ok(app, "init", "-input=false");
    await ok(app, "apply", "-auto-approve", "-input=false");

    const { o, bytes } = await body("app/terraform.tfstate");
    expect(o.ContentType).toBe("application/json");
    expect(o.ServerSideEncryption).toBe("AES256");
    expect(o.ChecksumSHA256).toBe(sha256(bytes)); // Terraform sends a SHA-256 checksum with each write
    const state = JSON.parse(bytes.toString());
    expect(state.outputs.greeting.value).toBe("hello");
    expect(state.resources[0].type).toBe("terraform_data");

    // the lock object was written and removed around each operation: in a versioned bucket, versions + a delete marker
    const versions = await t.s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: "app/terraform.tfstate.tflock" }));
    expect(versions.Versions?.length).toBeGreaterThan(0);
    expect(versions.DeleteMarkers?.find((m) => m.IsLatest)?.Key).toBe("app/terraform.tfstate.tflock");
    await expectAwsError(t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "app/terraform.tfstate.tflock" })), { name: "NotFound", status: 404 });

    const plan = await run(app, ["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain("No changes.");
    expect((await ok(app, "state", "list")).trim()).toBe("terraform_data.a");
    expect(await ok(app, "state", "show", "terraform_data.a")).toMatch(/input\s+= "hello"/);

    const pulled = JSON.parse((await run(app, ["state", "pull"])).out);
    expect(pulled.lineage).toBe(state.lineage);
    pulled.serial += 1;
    pulled.outputs.greeting.value = "pushed";
    writeFileSync(join(app, "pushed.tfstate"), JSON.stringify(pulled));
    await ok(app, "state", "push", "pushed.tfstate");
    const after = JSON.parse((await body("app/terraform.tfstate")).bytes.toString());
    expect(after.outputs.greeting.value).toBe("pushed");
    expect(after.serial).toBeGreaterThan(state.serial);
    const stateVersions = await t.s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: "app/terraform.tfstate" }));
    expect(stateVersions.Versions?.filter((v) => v.Key === "app/terraform.tfstate").length).toBeGreaterThanOrEqual(2);
    await ok(app, "apply", "-auto-approve", "-input=false"); // puts the output back from the config
  }, 60_000);

  it("workspaces: new/list/select/delete under env:/, and workspace_key_prefix", async () => {
    await ok(app, "workspace", "new", "dev");
    await ok(app, "apply", "-auto-approve", "-input=false");
    expect(await keys()).toContain("env:/dev/app/terraform.tfstate");
    const list = await ok(app, "workspace", "list");
    expect(list).toMatch(/default/);
    expect(list).toMatch(/\* dev/);
    await ok(app, "workspace", "select", "default");
    await ok(app, "workspace", "delete", "-force", "dev");
    expect(await keys()).not.toContain("env:/dev/app/terraform.tfstate");
    expect(await ok(app, "workspace", "list")).not.toMatch(/dev/);

    const ws = dir("awsim-tfb-ws-", { "main.tf": backend(t.server.url, { key: "svc.tfstate", workspace_key_prefix: "teams", use_lockfile: true }) + APP });
    await ok(ws, "init", "-input=false");
    await ok(ws, "workspace", "new", "blue");
    await ok(ws, "apply", "-auto-approve", "-input=false");
    expect(await keys()).toContain("teams/blue/svc.tfstate");
    expect(await ok(ws, "workspace", "list")).toMatch(/\* blue/);
  }, 60_000);

  it("use_lockfile: a concurrent apply fails to get the lock; force-unlock removes a stale one", async () => {
    const slow = dir("awsim-tfb-lock-", {
      "main.tf": `${backend(t.server.url, { key: "lock/terraform.tfstate", use_lockfile: true })}resource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "sleep 3"\n  }\n}\n`,
    });
    await ok(slow, "init", "-input=false");
    const first = run(slow, ["apply", "-auto-approve", "-input=false", "-no-color"]);
    const LOCK = "lock/terraform.tfstate.tflock";
    let held: Buffer | undefined;
    for (let i = 0; i < 100 && !held; i++) {
      held = await body(LOCK).then(
        (b) => b.bytes,
        () => undefined,
      );
      if (!held) await new Promise((r) => setTimeout(r, 100));
    }
    expect(held, "the first apply's lock object").toBeDefined();
    const info = JSON.parse(held!.toString());
    expect(info.Operation).toBe("OperationTypeApply");
    expect(info.Path).toBe(`${BUCKET}/lock/terraform.tfstate`);
    const second = await run(slow, ["apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s"]);
    expect(second.code).toBe(1);
    expect(second.out).toContain("Error acquiring the state lock");
    expect(second.out).toMatch(/StatusCode: 412[\s\S]*PreconditionFailed: At least one of the pre-conditions you\s+specified did not\s+hold/);
    expect(second.out).toContain(`ID:        ${info.ID}`);
    const done = await first;
    expect(done.code, done.out).toBe(0);
    await expectAwsError(t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: LOCK })), { name: "NotFound", status: 404 });

    // a stale lock left by a crashed run: plan is refused until force-unlock removes it
    const stale = {
      ID: "8d4b6a53-0000-4000-8000-000000000001",
      Operation: "OperationTypeApply",
      Info: "",
      Who: "ci@runner",
      Version: "1.11.4",
      Created: new Date().toISOString(),
      Path: `${BUCKET}/lock/terraform.tfstate`,
    };
    await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: LOCK, Body: JSON.stringify(stale), ContentType: "application/json" }));
    const refused = await run(slow, ["plan", "-input=false", "-no-color", "-lock-timeout=0s"]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("Who:       ci@runner");
    expect(await ok(slow, "force-unlock", "-force", stale.ID)).toContain("successfully unlocked");
    await expectAwsError(t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: LOCK })), { name: "NotFound", status: 404 });
    await ok(slow, "plan", "-input=false", "-lock-timeout=0s");
  }, 60_000);

  it("init -migrate-state from local to S3 (SSE-C, acl) and between keys", async () => {
    const key = randomBytes(32);
    const keyMd5 = createHash("md5").update(key).digest("base64");
    const mig = dir("awsim-tfb-mig-", { "main.tf": `resource "terraform_data" "m" {\n  input = "local"\n}\n` });
    await ok(mig, "init", "-input=false");
    await ok(mig, "apply", "-auto-approve", "-input=false");
    const ssec = { encrypt: true, sse_customer_key: key.toString("base64"), acl: "bucket-owner-full-control", use_lockfile: true };
    writeFileSync(join(mig, "backend.tf"), backend(t.server.url, { key: "mig/one.tfstate", ...ssec }));
    expect(await ok(mig, "init", "-migrate-state", "-force-copy", "-input=false")).toContain('Successfully configured the backend "s3"');

    // without the customer key S3 refuses even a HEAD; with it, the state decrypts
    await expectAwsError(t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "mig/one.tfstate" })), { name: "Unknown", status: 400 }); // HEAD: no body
    const refused = await expectAwsError(t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "mig/one.tfstate" })), { name: "InvalidRequest", status: 400 });
    expect(refused.message).toBe(
      "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
    );
    const customer = { SSECustomerAlgorithm: "AES256", SSECustomerKey: key.toString("base64"), SSECustomerKeyMD5: keyMd5 };
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "mig/one.tfstate", ...customer }));
    expect(head.SSECustomerAlgorithm).toBe("AES256");
    expect(head.SSECustomerKeyMD5).toBe(keyMd5);
    const got = await t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "mig/one.tfstate", ...customer }));
    expect(JSON.parse(await got.Body!.transformToString()).resources[0].instances[0].attributes.input.value).toBe("local");
    const acl = await t.s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: "mig/one.tfstate" }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(["FULL_CONTROL"]);
    expect(acl.Grants?.[0].Grantee?.ID).toBe(acl.Owner?.ID);

    writeFileSync(join(mig, "backend.tf"), backend(t.server.url, { key: "mig/two.tfstate", ...ssec }));
    await ok(mig, "init", "-migrate-state", "-force-copy", "-input=false");
    const two = await t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "mig/two.tfstate", ...customer }));
    expect(JSON.parse(await two.Body!.transformToString()).resources[0].name).toBe("m");
    expect((await ok(mig, "state", "list")).trim()).toBe("terraform_data.m");
  }, 60_000);

  it("a state over 5 MiB: multipart upload with SHA-256 part checksums, ranged reads, under SSE-C", async () => {
    const key = randomBytes(32);
    const customer = {
      SSECustomerAlgorithm: "AES256",
      SSECustomerKey: key.toString("base64"),
      SSECustomerKeyMD5: createHash("md5").update(key).digest("base64"),
    };
    const big = dir("awsim-tfb-big-", {
      "main.tf": `${backend(t.server.url, { key: "big/terraform.tfstate", use_lockfile: true, encrypt: true, sse_customer_key: key.toString("base64") })}resource "terraform_data" "big" {\n  input = file("big.txt")\n}\n`,
      "big.txt": randomBytes(2_400_000).toString("base64"), // input and output: a state of about 6.4 MB
    });
    await ok(big, "init", "-input=false");
    await ok(big, "apply", "-auto-approve", "-input=false");
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "big/terraform.tfstate", PartNumber: 1, ...customer }));
    expect(head.PartsCount).toBe(2); // Terraform's uploader: 5 MiB parts
    expect(head.ContentLength).toBe(5 * 1024 * 1024);
    const got = await t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "big/terraform.tfstate", ChecksumMode: "ENABLED", ...customer }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(JSON.parse(bytes.toString()).resources[0].instances[0].attributes.input.value).toHaveLength(3_200_000);
    // the parts' SHA-256 checksums Terraform sent, combined as S3 does for a composite checksum
    const parts = [bytes.subarray(0, 5 * 1024 * 1024), bytes.subarray(5 * 1024 * 1024)].map((p) => createHash("sha256").update(p).digest());
    expect(got.ChecksumType).toBe("COMPOSITE");
    expect(got.ChecksumSHA256).toBe(`${sha256(Buffer.concat(parts))}-2`);
    // plan reads it back with the downloader's ranged GETs and finds nothing to change
    const plan = await run(big, ["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    expect(plan.code, plan.out.slice(-2000)).toBe(0);
  }, 60_000);

  it("terraform_remote_state reads another configuration's outputs", async () => {
    const reader = dir("awsim-tfb-remote-", {
      "main.tf": `data "terraform_remote_state" "app" {\n  backend = "s3"\n  config = {\n${settings(t.server.url, { key: "app/terraform.tfstate" })}\n  }\n}\noutput "seen" {\n  value = data.terraform_remote_state.app.outputs.greeting\n}\n`,
    });
    await ok(reader, "init", "-input=false");
    await ok(reader, "apply", "-auto-approve", "-input=false");
    expect((await run(reader, ["output", "-raw", "seen"])).out).toBe("hello");
  }, 60_000);
});

// Terraform's backend always sends a checksum (skip_s3_checksum only drops the SHA-256 choice: the Go SDK still adds
// CRC32), but an S3-compatible-minded client without one meets S3's Object Lock rule: hashicorp/terraform#36113.
describe("S3 PutObject into a bucket with default retention", () => {
  const t = useServer({}, (cfg) => ({
    s3: new S3Client({ ...cfg, forcePathStyle: true }),
    bare: new S3Client({ ...cfg, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" }),
  }));
  it("needs Content-MD5 or a checksum when the new version gets a retention period", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "worm", ObjectLockEnabledForBucket: true }));
    await t.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: "worm",
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } } },
      }),
    );
    const e = await expectAwsError(t.bare.send(new PutObjectCommand({ Bucket: "worm", Key: "s", Body: "{}" })), { name: "InvalidRequest", status: 400 });
    expect(e.message).toBe("Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");
    await expectAwsError(t.s3.send(new HeadObjectCommand({ Bucket: "worm", Key: "s" })), { name: "NotFound", status: 404 });
    const md5 = createHash("md5").update("{}").digest("base64");
    expect((await t.bare.send(new PutObjectCommand({ Bucket: "worm", Key: "s", Body: "{}", ContentMD5: md5 }))).VersionId).toBeTruthy();
    const crc = await t.s3.send(new PutObjectCommand({ Bucket: "worm", Key: "s", Body: "{}" })); // the SDK's default CRC32
    expect(crc.ChecksumCRC32).toBeTruthy();
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "worm", Key: "s" }))).ObjectLockMode).toBe("GOVERNANCE");

    // without a retention period nothing is required
    await t.s3.send(new CreateBucketCommand({ Bucket: "plain" }));
    await t.bare.send(new PutObjectCommand({ Bucket: "plain", Key: "s", Body: "{}" }));
    // explicit retention headers on a lock-enabled bucket without a default: the same rule
    await t.s3.send(new CreateBucketCommand({ Bucket: "worm2", ObjectLockEnabledForBucket: true }));
    const until = new Date(Date.now() + 86_400_000);
    await expectAwsError(
      t.bare.send(new PutObjectCommand({ Bucket: "worm2", Key: "s", Body: "{}", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: until })),
      { name: "InvalidRequest", status: 400 },
    );
  });
});
