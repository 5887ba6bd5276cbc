/** `aws s3` and `aws s3api` against awsim, including the seed's /s3 endpoint walkthrough. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws s3 / s3api", () => {
  let dir: string;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const sim = useServer();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "awsim-cli-s3-"));
  });

  it("mb, cp up and down, ls, sync, rm --recursive, rb", async () => {
    expect((await aws(sim.server, ["s3", "mb", "s3://cli-bucket"])).stdout).toContain("make_bucket: cli-bucket");
    const f = join(dir, "a.txt");
    writeFileSync(f, "alpha");
    expect((await aws(sim.server, ["s3", "cp", f, "s3://cli-bucket/dir/a.txt"])).code).toBe(0);
    const big = join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(20 * 1024 * 1024, 3));
    expect((await aws(sim.server, ["s3", "cp", big, "s3://cli-bucket/big.bin"])).code).toBe(0);
    const down = join(dir, "down.bin");
    expect((await aws(sim.server, ["s3", "cp", "s3://cli-bucket/big.bin", down])).code).toBe(0);
    expect(readFileSync(down).equals(readFileSync(big))).toBe(true);
    const ls = await aws(sim.server, ["s3", "ls", "s3://cli-bucket/", "--recursive"]);
    expect(ls.stdout).toMatch(/ 20971520 big\.bin/);
    expect(ls.stdout).toMatch(/ 5 dir\/a\.txt/);
    const src = join(dir, "tree");
    mkdirSync(join(src, "sub"), { recursive: true });
    // Written a minute ago: LastModified is whole seconds, so a file modified in the upload's own second would
    // look newer than its object and go up again (as on S3).
    const before = new Date(Date.now() - 60_000);
    for (const n of ["1", "2", "sub/3"]) {
      writeFileSync(join(src, n), n);
      utimesSync(join(src, n), before, before);
    }
    const sync = await aws(sim.server, ["s3", "sync", src, "s3://cli-bucket/tree"]);
    expect(sync.code).toBe(0);
    expect((await aws(sim.server, ["s3", "sync", src, "s3://cli-bucket/tree"])).stdout.trim()).toBe("");
    const back = join(dir, "back");
    expect((await aws(sim.server, ["s3", "sync", "s3://cli-bucket/tree", back])).code).toBe(0);
    expect(readFileSync(join(back, "sub/3"), "utf8")).toBe("sub/3");
    const rb1 = await aws(sim.server, ["s3", "rb", "s3://cli-bucket"]);
    expect(rb1.code).not.toBe(0);
    expect(rb1.stderr).toContain("BucketNotEmpty");
    expect((await aws(sim.server, ["s3", "rm", "s3://cli-bucket", "--recursive"])).code).toBe(0);
    expect((await aws(sim.server, ["s3", "rb", "s3://cli-bucket"])).code).toBe(0);
  });

  it("s3api round trips and presign", async () => {
    await aws(sim.server, ["s3api", "create-bucket", "--bucket", "api-bucket"]);
    const body = join(dir, "body.txt");
    writeFileSync(body, "hello world");
    const put = await aws(sim.server, ["s3api", "put-object", "--bucket", "api-bucket", "--key", "hello.txt", "--body", body, "--metadata", "k=v"]);
    expect(put.json.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    const head = await aws(sim.server, ["s3api", "head-object", "--bucket", "api-bucket", "--key", "hello.txt"]);
    expect(head.json.ContentLength).toBe(11);
    expect(head.json.Metadata).toEqual({ k: "v" });
    const list = await aws(sim.server, ["s3api", "list-objects-v2", "--bucket", "api-bucket"]);
    expect(list.json.Contents.map((c: { Key: string }) => c.Key)).toEqual(["hello.txt"]);
    const missing = await aws(sim.server, ["s3api", "get-object", "--bucket", "api-bucket", "--key", "nope", join(dir, "x")]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain("NoSuchKey");
    const url = (await aws(sim.server, ["s3", "presign", "s3://api-bucket/hello.txt", "--expires-in", "60"])).stdout.trim();
    expect(url).toMatch(/X-Amz-Expires=60|Expires=\d+/);
    expect(await (await fetch(url)).text()).toBe("hello world");
  });

  it("the seed's /s3 endpoint walkthrough", async () => {
    const endpoint = `${sim.server.url}/s3`;
    expect((await aws(sim.server, ["s3api", "create-bucket", "--bucket", "my-bucket"], { endpoint })).code).toBe(0);
    // The seed pipes a here-string to --body /dev/stdin (a file under bash); a file is the portable equivalent.
    const hello = join(dir, "hello.txt");
    writeFileSync(hello, "hello world\n");
    const put = await aws(sim.server, ["s3api", "put-object", "--bucket", "my-bucket", "--key", "hello.txt", "--body", hello], { endpoint });
    expect(put.json.ETag).toBe('"6f5902ac237024bdd0c176cb93063dc4"');
    const out = join(dir, "out.txt");
    expect((await aws(sim.server, ["s3api", "get-object", "--bucket", "my-bucket", "--key", "hello.txt", out], { endpoint })).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("hello world\n");
    const list = await aws(sim.server, ["s3api", "list-objects-v2", "--bucket", "my-bucket"], { endpoint });
    expect(list.json.Contents[0]).toMatchObject({ Key: "hello.txt", Size: 12 });
  });
});
