/**
 * S3 as two widely used third-party tools drive it (Debian's packages): rclone (the Go SDK underneath: bucket
 * create, copy with multipart, check by MD5, copy back, sync deletes, purge) and s3cmd (its own SigV4 client:
 * mb, put single and multipart, ls, info, get, sync, du, setacl, del, rb). Each step is checked through the
 * JS SDK too.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectAclCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const has = (cmd: string) => spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
const hasRclone = has("rclone");
const hasS3cmd = has("s3cmd");
if (!hasRclone) console.warn("skipping rclone tests: rclone is not installed (Debian package rclone)");
if (!hasS3cmd) console.warn("skipping s3cmd tests: s3cmd is not installed (Debian package s3cmd)");

const run = (cmd: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // AWS_CA_BUNDLE (set on some machines for a proxy) makes rclone refuse a plain-HTTP endpoint.
    const env = { ...process.env, AWS_CA_BUNDLE: undefined };
    execFile(cmd, args, { timeout: 120_000, env }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

describe("S3 with third-party tools", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
  const dir = mkdtempSync(join(tmpdir(), "awsim-s3tools-"));
  const big = randomBytes(12 * 1024 * 1024); // over the 5 MiB part size below: a three-part upload
  beforeAll(() => {
    mkdirSync(join(dir, "src/sub"), { recursive: true });
    for (const i of [1, 2, 3]) writeFileSync(join(dir, `src/f${i}.txt`), `file ${i}\n`);
    writeFileSync(join(dir, "src/sub/big.bin"), big);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keys = async (bucket: string) => ((await t.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();

  it.skipIf(!hasRclone)("rclone: mkdir, multipart copy, md5 check, copy back, sync deleting, purge", async () => {
    const conf = join(dir, "rclone.conf");
    writeFileSync(
      conf,
      `[aw]\ntype = s3\nprovider = Other\naccess_key_id = test\nsecret_access_key = test\nendpoint = ${t.server.url}\nregion = us-east-1\nforce_path_style = true\n`,
    );
    const rc = (...args: string[]) => run("rclone", ["--config", conf, "--retries", "1", "--low-level-retries", "1", ...args]);
    expect((await rc("mkdir", "aw:rcb")).code).toBe(0);
    await t.s3.send(new HeadBucketCommand({ Bucket: "rcb" }));
    const copy = await rc("copy", join(dir, "src"), "aw:rcb/data", "--s3-chunk-size", "5M", "--s3-upload-cutoff", "5M");
    expect(copy.stderr).not.toMatch(/ERROR|Failed/);
    expect(await keys("rcb")).toEqual(["data/f1.txt", "data/f2.txt", "data/f3.txt", "data/sub/big.bin"]);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "rcb", Key: "data/sub/big.bin" }));
    expect(head.ContentLength).toBe(big.length);
    expect(head.ETag).toMatch(/-3"$/); // multipart: 5 + 5 + 2 MiB
    expect(head.Metadata?.md5chksum).toBe(Buffer.from(md5(big), "hex").toString("base64")); // rclone's own record of the MD5
    const check = await rc("check", join(dir, "src"), "aw:rcb/data");
    expect(check.code).toBe(0);
    expect(check.stderr).toMatch(/0 differences found/);
    expect((await rc("copy", "aw:rcb/data", join(dir, "rc-back"))).code).toBe(0);
    expect(md5(readFileSync(join(dir, "rc-back/sub/big.bin")))).toBe(md5(big));
    const json = JSON.parse((await rc("lsjson", "aw:rcb/data/sub", "--hash")).stdout);
    expect(json).toEqual([expect.objectContaining({ Path: "big.bin", Size: big.length, Hashes: { md5: md5(big) }, Tier: "STANDARD" })]);
    // sync makes the destination match: an extra object there is deleted.
    expect((await rc("copyto", join(dir, "src/f1.txt"), "aw:rcb/data/extra.txt")).code).toBe(0);
    expect((await rc("sync", join(dir, "src"), "aw:rcb/data")).code).toBe(0);
    expect(await keys("rcb")).toEqual(["data/f1.txt", "data/f2.txt", "data/f3.txt", "data/sub/big.bin"]);
    expect((await rc("purge", "aw:rcb")).code).toBe(0);
    await expectAwsError(t.s3.send(new HeadBucketCommand({ Bucket: "rcb" })), { name: "NotFound", status: 404 });
  });

  it.skipIf(!hasS3cmd)("s3cmd: mb, put (single and multipart), ls, info, get, sync, du, setacl, del, rb", async () => {
    const host = t.server.url.replace(/^http:\/\//, "");
    const cfg = join(dir, "s3cfg");
    writeFileSync(
      cfg,
      `[default]\naccess_key = test\nsecret_key = test\nhost_base = ${host}\nhost_bucket = ${host}\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n`,
    );
    const s3cmd = (...args: string[]) => run("s3cmd", ["-c", cfg, ...args]);
    expect((await s3cmd("mb", "s3://s3c")).stdout).toMatch(/Bucket 's3:\/\/s3c\/' created/);
    expect((await s3cmd("put", join(dir, "src/f1.txt"), "s3://s3c/a/f1.txt")).code).toBe(0);
    expect((await s3cmd("put", "--multipart-chunk-size-mb=5", join(dir, "src/sub/big.bin"), "s3://s3c/big.bin")).code).toBe(0);
    const ls = (await s3cmd("ls", "-r", "s3://s3c")).stdout.trim().split("\n");
    expect(ls.map((l) => l.split(/\s+/).slice(2))).toEqual([
      ["7", "s3://s3c/a/f1.txt"],
      [String(big.length), "s3://s3c/big.bin"],
    ]);
    // info reads the MD5 s3cmd stored in its attrs header for a multipart object.
    const info = (await s3cmd("info", "s3://s3c/big.bin")).stdout;
    expect(info).toMatch(new RegExp(`MD5 sum:\\s+${md5(big)}`));
    expect(info).toMatch(new RegExp(`File size:\\s+${big.length}`));
    expect((await s3cmd("get", "--force", "s3://s3c/big.bin", join(dir, "got.bin"))).code).toBe(0);
    expect(md5(readFileSync(join(dir, "got.bin")))).toBe(md5(big));
    expect((await s3cmd("sync", `${join(dir, "src")}/`, "s3://s3c/sync/")).code).toBe(0);
    expect(await keys("s3c")).toEqual(["a/f1.txt", "big.bin", "sync/f1.txt", "sync/f2.txt", "sync/f3.txt", "sync/sub/big.bin"]);
    expect((await s3cmd("du", "s3://s3c")).stdout).toMatch(new RegExp(`^\\s*${2 * big.length + 7 * 4}\\s+6 objects s3://s3c/`));
    expect((await s3cmd("setacl", "--acl-public", "s3://s3c/a/f1.txt")).code).toBe(0);
    const acl = await t.s3.send(new GetObjectAclCommand({ Bucket: "s3c", Key: "a/f1.txt" }));
    expect(acl.Grants).toContainEqual({ Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" });
    expect((await s3cmd("del", "--recursive", "--force", "s3://s3c")).code).toBe(0);
    expect(await keys("s3c")).toEqual([]);
    expect((await s3cmd("rb", "s3://s3c")).stdout).toMatch(/Bucket 's3:\/\/s3c\/' removed/);
    const again = await s3cmd("rb", "s3://s3c");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/NoSuchBucket|does not exist/);
  });
});
