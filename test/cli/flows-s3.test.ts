/** Everyday `aws s3` / `aws s3api` flows as users type them: mb/rb, ls, cp (multipart, stdin/stdout, options), mv, sync, presign, website. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws s3 flows", () => {
  let dir: string;
  let env: Record<string, string>;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sim = useServer();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "awsim-flows-s3-"));
    // A config file as `aws configure set default.s3.multipart_threshold 5MB` writes it.
    const config = join(dir, "config");
    writeFileSync(config, "[default]\ns3 =\n    multipart_threshold = 5MB\n    multipart_chunksize = 5MB\n");
    env = { AWS_CONFIG_FILE: config };
  });
  const run = (args: string[], input?: string) => aws(sim.server, args, { env, input });
  /** The CLI prints local paths relative to its working directory. */
  const rel = (p: string) => relative(process.cwd(), p);

  it("mb, ls at the root, cp of a multipart file with --sse/--storage-class/--metadata/--content-type, download, stdin and stdout", async () => {
    expect((await run(["s3", "mb", "s3://flows-a"])).stdout).toBe("make_bucket: flows-a\n");
    const root = await run(["s3", "ls"]);
    expect(root.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d flows-a$/m);
    const big = join(dir, "big.bin");
    const data = Buffer.alloc(12_000_000);
    for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) & 0xff;
    writeFileSync(big, data);
    const up = await run([
      "s3",
      "cp",
      big,
      "s3://flows-a/big.bin",
      "--sse",
      "AES256",
      "--storage-class",
      "STANDARD_IA",
      "--metadata",
      "a=b,c=d",
      "--content-type",
      "application/x-foo",
      "--no-progress",
    ]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.trim()).toBe(`upload: ${rel(big)} to s3://flows-a/big.bin`);
    const head = (await run(["s3api", "head-object", "--bucket", "flows-a", "--key", "big.bin"])).json;
    expect(head).toMatchObject({
      ContentLength: 12_000_000,
      ContentType: "application/x-foo",
      ServerSideEncryption: "AES256",
      StorageClass: "STANDARD_IA",
      Metadata: { a: "b", c: "d" },
    });
    // Three 5 MB parts: the ETag is the MD5 of the parts' MD5s, suffixed with the part count.
    const parts = [0, 5 << 20, 10 << 20].map((s, i, a) =>
      createHash("md5")
        .update(data.subarray(s, a[i + 1] ?? data.length))
        .digest(),
    );
    expect(head.ETag).toBe(`"${createHash("md5").update(Buffer.concat(parts)).digest("hex")}-3"`);
    const down = join(dir, "big2.bin");
    expect((await run(["s3", "cp", "s3://flows-a/big.bin", down, "--no-progress"])).code).toBe(0);
    expect(readFileSync(down).equals(data)).toBe(true);
    expect((await run(["s3", "cp", "-", "s3://flows-a/stdin.txt"], "from stdin\n")).code).toBe(0);
    expect((await run(["s3", "cp", "s3://flows-a/stdin.txt", "-"])).stdout).toBe("from stdin\n");
    const small = join(dir, "a.txt");
    writeFileSync(small, "abc");
    expect((await run(["s3", "cp", small, "s3://flows-a/dir/a.txt", "--acl", "public-read", "--no-progress"])).code).toBe(0);
    const acl = (await run(["s3api", "get-object-acl", "--bucket", "flows-a", "--key", "dir/a.txt"])).json;
    expect(acl.Grants).toContainEqual({ Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" });
    const ls = await run(["s3", "ls", "s3://flows-a", "--recursive", "--human-readable", "--summarize"]);
    expect(ls.stdout).toMatch(/ 11\.4 MiB big\.bin\n/);
    expect(ls.stdout).toMatch(/ {4}3 Bytes dir\/a\.txt\n/);
    expect(ls.stdout).toContain("\nTotal Objects: 3\n   Total Size: 11.4 MiB\n");
    const top = await run(["s3", "ls", "s3://flows-a/"]);
    expect(top.stdout).toMatch(/^ +PRE dir\/$/m);
    expect(top.stdout).toMatch(/ 12000000 big\.bin$/m);
    const missing = await run(["s3", "ls", "s3://flows-no-such-bucket"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain("An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist");
  });

  it("mb of an existing bucket: us-east-1 succeeds again, other regions say BucketAlreadyOwnedByYou", async () => {
    expect((await run(["s3", "mb", "s3://flows-again"])).code).toBe(0);
    expect((await run(["s3", "mb", "s3://flows-again"])).code).toBe(0);
    expect((await run(["s3", "mb", "s3://flows-eu", "--region", "eu-west-1"])).code).toBe(0);
    const again = await run(["s3", "mb", "s3://flows-eu", "--region", "eu-west-1"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("make_bucket failed: s3://flows-eu An error occurred (BucketAlreadyOwnedByYou)");
    expect((await run(["s3api", "get-bucket-location", "--bucket", "flows-eu"])).json).toEqual({ LocationConstraint: "eu-west-1" });
  });

  it("cp --recursive with --exclude/--include, mv both ways, rm --recursive, rb --force", async () => {
    await run(["s3", "mb", "s3://flows-b"]);
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "sub"), { recursive: true });
    for (const [n, v] of [
      ["1", "one"],
      ["2", "two"],
      ["sub/3", "three"],
      ["skip.log", "log"],
    ])
      writeFileSync(join(tree, n!), v!);
    const cp = await run(["s3", "cp", tree, "s3://flows-b/t/", "--recursive", "--exclude", "*.log", "--no-progress"]);
    expect(cp.stdout.trim().split("\n").sort()).toEqual([
      `upload: ${rel(tree)}/1 to s3://flows-b/t/1`,
      `upload: ${rel(tree)}/2 to s3://flows-b/t/2`,
      `upload: ${rel(tree)}/sub/3 to s3://flows-b/t/sub/3`,
    ]);
    const only = await run(["s3", "cp", tree, "s3://flows-b/logs/", "--recursive", "--exclude", "*", "--include", "*.log", "--no-progress"]);
    expect(only.stdout.trim()).toBe(`upload: ${rel(tree)}/skip.log to s3://flows-b/logs/skip.log`);
    expect((await run(["s3", "mv", "s3://flows-b/t/1", "s3://flows-b/moved/1", "--no-progress"])).stdout.trim()).toBe(
      "move: s3://flows-b/t/1 to s3://flows-b/moved/1",
    );
    const local = join(dir, "mv-me.txt");
    writeFileSync(local, "moving");
    expect((await run(["s3", "mv", local, "s3://flows-b/mv-me.txt", "--no-progress"])).code).toBe(0);
    expect(existsSync(local)).toBe(false);
    const back = join(dir, "mv-back.txt");
    expect((await run(["s3", "mv", "s3://flows-b/mv-me.txt", back, "--no-progress"])).code).toBe(0);
    expect(readFileSync(back, "utf8")).toBe("moving");
    const rm = await run(["s3", "rm", "s3://flows-b/t", "--recursive"]);
    expect(rm.stdout.trim().split("\n").sort()).toEqual(["delete: s3://flows-b/t/2", "delete: s3://flows-b/t/sub/3"]);
    const rb = await run(["s3", "rb", "s3://flows-b"]);
    expect(rb.code).toBe(1);
    expect(rb.stderr).toContain(
      "remove_bucket failed: s3://flows-b An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you tried to delete is not empty",
    );
    const force = await run(["s3", "rb", "s3://flows-b", "--force"]);
    expect(force.code).toBe(0);
    expect(force.stdout).toContain("remove_bucket: flows-b");
    expect((await run(["s3api", "head-bucket", "--bucket", "flows-b"])).code).toBe(255);
  });

  it("sync up and down: re-sync copies nothing, --delete, --size-only, --exact-timestamps (LastModified is whole seconds)", async () => {
    await run(["s3", "mb", "s3://flows-c"]);
    const src = join(dir, "src");
    mkdirSync(join(src, "sub"), { recursive: true });
    // Files written a while ago, as a user's are: the CLI uploads a local file whose mtime is after the
    // object's LastModified (whole seconds on S3), so one written in the upload's second would go up again.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const n of ["1", "2", "sub/3"]) {
      writeFileSync(join(src, n), `file ${n}`);
      utimesSync(join(src, n), hourAgo, hourAgo);
    }
    const first = await run(["s3", "sync", src, "s3://flows-c/s", "--no-progress"]);
    expect(first.stdout.trim().split("\n")).toHaveLength(3);
    expect((await run(["s3", "sync", src, "s3://flows-c/s", "--no-progress"])).stdout).toBe("");
    rmSync(join(src, "2"));
    expect((await run(["s3", "sync", src, "s3://flows-c/s", "--delete", "--no-progress"])).stdout.trim()).toBe("delete: s3://flows-c/s/2");
    // Same size, older mtime: --size-only skips it; a new size is uploaded.
    writeFileSync(join(src, "1"), "FILE 1");
    utimesSync(join(src, "1"), new Date("2020-01-01"), new Date("2020-01-01"));
    expect((await run(["s3", "sync", src, "s3://flows-c/s", "--size-only", "--no-progress"])).stdout).toBe("");
    writeFileSync(join(src, "1"), "file one, longer");
    utimesSync(join(src, "1"), hourAgo, hourAgo);
    expect((await run(["s3", "sync", src, "s3://flows-c/s", "--size-only", "--no-progress"])).stdout.trim()).toBe(`upload: ${rel(src)}/1 to s3://flows-c/s/1`);
    const dst = join(dir, "dst");
    expect((await run(["s3", "sync", "s3://flows-c/s", dst, "--no-progress"])).stdout.trim().split("\n")).toHaveLength(2);
    expect(readFileSync(join(dst, "1"), "utf8")).toBe("file one, longer");
    expect((await run(["s3", "sync", "s3://flows-c/s", dst, "--no-progress"])).stdout).toBe("");
    // The CLI sets a download's mtime to LastModified in whole seconds; S3 keeps LastModified to the second,
    // so --exact-timestamps finds nothing to download (a millisecond LastModified re-downloaded every file).
    expect((await run(["s3", "sync", "s3://flows-c/s", dst, "--exact-timestamps", "--no-progress"])).stdout).toBe("");
    const list = (await run(["s3api", "list-objects-v2", "--bucket", "flows-c"])).json;
    for (const o of list.Contents) expect(o.LastModified).toMatch(/T\d\d:\d\d:\d\d\.000Z$/);
    const mtime = statSync(join(dst, "1")).mtimeMs;
    expect(mtime).toBe(Date.parse(list.Contents.find((o: { Key: string }) => o.Key === "s/1").LastModified));
  });

  it("s3api: --range, --if-match, head-object of a missing key, list-objects-v2 with --max-items/--starting-token", async () => {
    await run(["s3", "mb", "s3://flows-d"]);
    const nums = join(dir, "nums.txt");
    writeFileSync(nums, Array.from({ length: 100 }, (_, i) => `${i + 1}\n`).join(""));
    const put = (await run(["s3api", "put-object", "--bucket", "flows-d", "--key", "nums", "--body", nums])).json;
    const out = join(dir, "range.out");
    const ranged = (await run(["s3api", "get-object", "--bucket", "flows-d", "--key", "nums", "--range", "bytes=0-9", out])).json;
    expect(ranged).toMatchObject({ ContentLength: 10, ContentRange: "bytes 0-9/292", ETag: put.ETag });
    expect(readFileSync(out, "utf8")).toBe("1\n2\n3\n4\n5\n");
    expect((await run(["s3api", "get-object", "--bucket", "flows-d", "--key", "nums", "--if-match", put.ETag, out])).code).toBe(0);
    const bad = await run(["s3api", "get-object", "--bucket", "flows-d", "--key", "nums", "--if-match", '"nope"', out]);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain(
      "An error occurred (PreconditionFailed) when calling the GetObject operation: At least one of the pre-conditions you specified did not hold",
    );
    // HEAD has no body: the CLI can only say the status (v1 exits 255 on service errors, v2 254).
    const head = await run(["s3api", "head-object", "--bucket", "flows-d", "--key", "missing"]);
    expect(head.code).toBe(255);
    expect(head.stderr.trim()).toBe("An error occurred (404) when calling the HeadObject operation: Not Found");
    for (const n of [1, 2, 3, 4, 5]) await run(["s3api", "put-object", "--bucket", "flows-d", "--key", `p/${n}`]);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = (
        await run([
          "s3api",
          "list-objects-v2",
          "--bucket",
          "flows-d",
          "--prefix",
          "p/",
          "--max-items",
          "2",
          "--page-size",
          "2",
          ...(token ? ["--starting-token", token] : []),
        ])
      ).json;
      keys.push(...page.Contents.map((c: { Key: string }) => c.Key));
      token = page.NextToken;
    } while (token);
    expect(keys).toEqual(["p/1", "p/2", "p/3", "p/4", "p/5"]);
  });

  it("presign then curl, website configuration", async () => {
    await run(["s3", "mb", "s3://flows-e"]);
    await run(["s3", "cp", "-", "s3://flows-e/x.txt"], "presigned body");
    const url = (await run(["s3", "presign", "s3://flows-e/x.txt", "--expires-in", "60"])).stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/flows-e\/x\.txt\?/);
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("presigned body");
    const gone = await fetch((await run(["s3", "presign", "s3://flows-e/none.txt"])).stdout.trim());
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain("<Code>NoSuchKey</Code>");
    expect((await run(["s3", "website", "s3://flows-e", "--index-document", "index.html", "--error-document", "err.html"])).code).toBe(0);
    expect((await run(["s3api", "get-bucket-website", "--bucket", "flows-e"])).json).toEqual({
      IndexDocument: { Suffix: "index.html" },
      ErrorDocument: { Key: "err.html" },
    });
  });
});
