/**
 * restic (Debian's package; its S3 backend is minio-go) with a repository in awsim's S3: init (creating the
 * bucket), backup, snapshots, check --read-data, restore compared byte for byte, a second backup, forget --prune,
 * and the repository's layout read back through the JS SDK. Skips where restic is missing.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const hasRestic = spawnSync("restic", ["version"], { stdio: "ignore" }).status === 0;
if (!hasRestic) console.warn("skipping restic tests: restic is not installed (Debian package restic)");

describe.skipIf(!hasRestic)("restic with an S3 repository", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
  const dir = mkdtempSync(join(tmpdir(), "awsim-restic-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, "src");
  const big = randomBytes(6 * 1024 * 1024);

  function restic(...args: string[]) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: "us-east-1",
        RESTIC_PASSWORD: "correct horse",
        RESTIC_CACHE_DIR: join(dir, "cache"),
        RESTIC_REPOSITORY: `s3:${t.server.url}/restic-bkt/repo`,
      };
      execFile("restic", args, { env, timeout: 60_000, cwd: dir }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }
  const ok = async (...args: string[]) => {
    const r = await restic(...args);
    expect(r.code, `restic ${args.join(" ")}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  it("init, backup, snapshots, check --read-data, restore, backup again, forget --prune", { timeout: 120_000 }, async () => {
    mkdirSync(join(src, "sub"), { recursive: true });
    writeFileSync(join(src, "a.txt"), "hello restic\n");
    writeFileSync(join(src, "sub/big.bin"), big);
    writeFileSync(join(src, "sub/empty"), "");

    // init creates the bucket it names (HeadBucket, then CreateBucket) and writes config and a key.
    expect(await ok("init")).toMatch(/created restic repository [0-9a-f]+ at s3:/);
    await t.s3.send(new HeadBucketCommand({ Bucket: "restic-bkt" }));
    const again = await restic("init");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already initialized|already exists/);

    await ok("backup", "--host", "awsim", "src");
    const snaps = JSON.parse(await ok("snapshots", "--json")) as Array<{ id: string; paths: string[]; hostname: string }>;
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.hostname).toBe("awsim");
    expect(snaps[0]!.paths).toEqual([src]);
    expect(await ok("check", "--read-data")).toMatch(/no errors were found/);

    await ok("restore", "latest", "--target", join(dir, "out"));
    // restic restores a snapshot's paths below the target relative to their common parent.
    const out = join(dir, "out", "src");
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("hello restic\n");
    expect(sha(readFileSync(join(out, "sub/big.bin")))).toBe(sha(big));
    expect(readFileSync(join(out, "sub/empty"))).toHaveLength(0);

    // The repository's layout in the bucket: config, a key, data packs, an index and the snapshot.
    const keys = ((await t.s3.send(new ListObjectsV2Command({ Bucket: "restic-bkt", Prefix: "repo/" }))).Contents ?? []).map((o) => o.Key!);
    expect(keys).toContain("repo/config");
    for (const d of ["keys", "data", "index", "snapshots"])
      expect(
        keys.some((k) => k.startsWith(`repo/${d}/`)),
        d,
      ).toBe(true);
    expect(keys.filter((k) => k.startsWith("repo/snapshots/"))).toEqual([`repo/snapshots/${snaps[0]!.id}`]);

    writeFileSync(join(src, "b.txt"), "second\n");
    rmSync(join(src, "sub/big.bin"));
    await ok("backup", "--host", "awsim", "src");
    expect(JSON.parse(await ok("snapshots", "--json"))).toHaveLength(2);
    await ok("forget", "--keep-last", "1", "--prune");
    const left = JSON.parse(await ok("snapshots", "--json")) as Array<{ id: string }>;
    expect(left).toHaveLength(1);
    expect(await ok("check", "--read-data")).toMatch(/no errors were found/);
    // The pruned pack holding big.bin is gone: the bucket's data is now far below its 6 MiB.
    const data = (await t.s3.send(new ListObjectsV2Command({ Bucket: "restic-bkt", Prefix: "repo/data/" }))).Contents ?? [];
    expect(data.reduce((n, o) => n + (o.Size ?? 0), 0)).toBeLessThan(1024 * 1024);
    expect(await ok("ls", "latest")).toMatch(/\/b\.txt/);
    // No lock is left behind.
    expect((await ok("list", "locks")).trim()).toBe("");
  });

  it("a second key, a storage class for the packs, and copy into a second repository", { timeout: 120_000 }, async () => {
    const pw2 = join(dir, "pw2");
    writeFileSync(pw2, "second password\n");
    await ok("key", "add", "--new-password-file", pw2);
    expect((await ok("key", "list")).match(/^[ *][0-9a-f]{8} /gm)).toHaveLength(2);
    // The new key opens the repository.
    expect(JSON.parse(await ok("--password-file", pw2, "snapshots", "--json"))).toHaveLength(1);
    // Packs written with -o s3.storage-class land in that class.
    writeFileSync(join(src, "c.txt"), randomBytes(64 * 1024));
    await ok("-o", "s3.storage-class=STANDARD_IA", "backup", "--host", "awsim", "src");
    const objs = (await t.s3.send(new ListObjectsV2Command({ Bucket: "restic-bkt", Prefix: "repo/data/" }))).Contents ?? [];
    expect(objs.map((o) => o.StorageClass)).toContain("STANDARD_IA");
    const repo2 = `s3:${t.server.url}/restic-bkt/copy`;
    await ok("-r", repo2, "init");
    await ok("-r", repo2, "copy", "--from-repo", `s3:${t.server.url}/restic-bkt/repo`, "--from-password-file", pw2);
    expect(JSON.parse(await ok("-r", repo2, "snapshots", "--json"))).toHaveLength(2);
    expect(await ok("-r", repo2, "check", "--read-data")).toMatch(/no errors were found/);
  });
});
