/**
 * S3 as the Docker registry's storage driver uses it (distribution 2.8, `storage: s3`, aws-sdk-go v1), driven by
 * skopeo: a 12 MB layer pushed (multipart upload with resume look-ups through ListMultipartUploads/ListParts, then
 * moved into place with UploadPartCopy), a small image, a cross-repository copy, the catalog paginated, the image
 * pulled back byte for byte, manifests deleted and the registry's garbage collector removing exactly the blobs no
 * manifest references; a chunked upload resumed across requests and one cancelled. Then aptly (also aws-sdk-go v1)
 * publishing a Debian repository: publish, update, its '+' workaround and single deletes, drop. Each step is
 * checked in the bucket through the JS SDK.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { ociLayout, sha256Hex } from "../oci-layout.js";

const has = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: "ignore" }).status === 0;
const hasRegistry = has("docker-registry", "--version");
const hasSkopeo = has("skopeo", "--version");
const hasAptly = has("aptly", "version") && has("dpkg-deb", "--version");
if (!hasRegistry) console.warn("skipping docker-registry S3 tests: docker-registry is not installed (Debian package docker-registry)");
else if (!hasSkopeo) console.warn("skipping docker-registry S3 tests: skopeo is not installed (Debian package skopeo)");
if (!hasAptly) console.warn("skipping aptly S3 publishing tests: aptly or dpkg-deb is not installed (Debian packages aptly, dpkg)");

const hex = sha256Hex;
// The registry's own environment: AWS_CA_BUNDLE (set on some machines for a proxy) makes aws-sdk-go v1 panic
// on the registry's custom transport.
const env = () => ({ ...process.env, AWS_CA_BUNDLE: undefined });

const run = (cmd: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { timeout: 60_000, env: env(), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const skopeo = (...args: string[]) => run("skopeo", ["--insecure-policy", ...args]);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const ROOT = { accessKeyId: "AKIAIOSFODNN7REGROOT", secretAccessKey: "regsecret123" };
const modes = [
  { mode: "default", start: {}, creds: { accessKeyId: "test", secretAccessKey: "test" } },
  // Every request's SigV4 verified (aws-sdk-go v1's header signing, its presigned redirect URLs), AWS's
  // new-bucket defaults (ACLs disabled, Block Public Access, SSE-S3).
  {
    mode: "--strict --enforce-iam=strict",
    start: { strict: true, enforceIam: "strict" as const, rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] },
    creds: ROOT,
  },
];

describe.skipIf(!hasRegistry || !hasSkopeo).each(modes)("Docker registry on S3 (distribution's s3 storage driver), $mode", ({ mode, start, creds }) => {
  const t = useServer(start, (cfg) => ({ s3: new S3Client({ ...cfg, credentials: creds, forcePathStyle: true }) }));
  const dir = mkdtempSync(join(tmpdir(), "awsim-registry-"));
  const root = "docker/registry/v2";
  let reg = "";
  let config = "";
  let debug = "";

  /** A registry on `bucket` (its config file, its address and its debug address, where /debug/health is). */
  const startRegistry = async (bucket: string, secret = creds.secretAccessKey) => {
    const [port, debugPort] = [await freePort(), await freePort()];
    const file = join(dir, `registry-${port}.yml`);
    writeFileSync(
      file,
      [
        "version: 0.1",
        "log: {level: error}",
        "storage:",
        "  s3:",
        "    region: us-east-1",
        `    regionendpoint: ${t.server.url}`,
        `    bucket: ${bucket}`,
        `    accesskey: ${creds.accessKeyId}`,
        `    secretkey: ${secret}`,
        "    secure: false",
        "    v4auth: true",
        "    chunksize: 5242880", // the smallest: a 12 MB layer is a three-part upload
        "    multipartcopythresholdsize: 5242880", // and is moved into place with UploadPartCopy
        "    multipartcopychunksize: 5242880",
        "    rootdirectory: /",
        "    encrypt: true", // SSE-S3 on every write
        "    storageclass: REDUCED_REDUNDANCY",
        "  delete: {enabled: true}", // redirect left on: blob GETs answer 307 to a presigned S3 URL
        "health:",
        "  storagedriver: {enabled: true, interval: 1s, threshold: 1}",
        "http:",
        `  addr: 127.0.0.1:${port}`,
        `  debug: {addr: 127.0.0.1:${debugPort}}`,
        "",
      ].join("\n"),
    );
    const proc = spawn("docker-registry", ["serve", file], { env: env(), stdio: "ignore" });
    procs.push(proc);
    const addr = `127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://${addr}/v2/`).then(
        (r) => r.status === 200 || r.status === 503,
        () => false,
      );
      if (ok) return { addr, config: file, debug: `127.0.0.1:${debugPort}` };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("docker-registry did not start");
  };
  /** /debug/health once the storage driver's check has run (it runs each second). */
  const health = async (debug: string, want: number) => {
    let res: Response | undefined;
    for (let i = 0; i < 40; i++) {
      res = await fetch(`http://${debug}/debug/health`);
      if (res.status === want) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { status: res!.status, body: await res!.json() };
  };
  const procs: ChildProcess[] = [];

  beforeAll(async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "registry" }));
    ({ addr: reg, config, debug } = await startRegistry("registry"));
  });
  afterAll(() => {
    for (const p of procs) p.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const keys = async (prefix: string) => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.s3.send(new ListObjectsV2Command({ Bucket: "registry", Prefix: prefix, ContinuationToken: token }));
      out.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return out.sort();
  };
  const blobsInBucket = async () => (await keys(`${root}/blobs/`)).map((k) => k.split("/")[6]!);

  it("push (multipart), copy across repositories, catalog, pull back, delete, garbage-collect", async () => {
    // The driver's health check (a listing of the root) passes.
    expect(await health(debug, 200)).toEqual({ status: 200, body: {} });
    const big = ociLayout(join(dir, "big"), "v1", randomBytes(12_000_000));
    const small = ociLayout(join(dir, "small"), "v1", Buffer.from("a small layer\n"));

    const push = await skopeo("copy", "--dest-tls-verify=false", `oci:${join(dir, "big")}:v1`, `docker://${reg}/team/big:v1`);
    expect(push.stderr).toBe("");
    expect(push.code).toBe(0);
    // The layer landed whole at its content address; no upload is left behind, in the registry or in S3.
    const layerKey = `${root}/blobs/sha256/${hex(big.layer).slice(0, 2)}/${hex(big.layer)}/data`;
    const stored = Buffer.from(await (await t.s3.send(new GetObjectCommand({ Bucket: "registry", Key: layerKey }))).Body!.transformToByteArray());
    expect(stored.length).toBe(big.layer.length);
    expect(hex(stored)).toBe(hex(big.layer));
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "registry", Key: layerKey }));
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/); // moved into place by a three-part UploadPartCopy
    expect(head).toMatchObject({ ServerSideEncryption: "AES256", StorageClass: "REDUCED_REDUNDANCY", ContentLength: big.layer.length });
    // A blob GET is redirected to a presigned GetObject URL on awsim, which serves the bytes.
    const redirect = await fetch(`http://${reg}/v2/team/big/blobs/sha256:${hex(big.layer)}`, { redirect: "manual" });
    expect(redirect.status).toBe(307);
    const presigned = new URL(redirect.headers.get("location")!);
    expect(presigned.origin).toBe(t.server.url);
    expect(presigned.searchParams.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(hex(Buffer.from(await (await fetch(presigned)).arrayBuffer()))).toBe(hex(big.layer));
    expect(await keys(`${root}/repositories/team/big/_uploads/`)).toEqual([]);
    expect((await t.s3.send(new ListMultipartUploadsCommand({ Bucket: "registry" }))).Uploads ?? []).toEqual([]);
    expect(await keys(`${root}/repositories/team/big/_manifests/tags/`)).toEqual([
      `${root}/repositories/team/big/_manifests/tags/v1/current/link`,
      `${root}/repositories/team/big/_manifests/tags/v1/index/sha256/${big.digest.slice(7)}/link`,
    ]);

    expect((await skopeo("copy", "--dest-tls-verify=false", `oci:${join(dir, "small")}:v1`, `docker://${reg}/team/small:v1`)).code).toBe(0);
    const cross = await skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", `docker://${reg}/team/big:v1`, `docker://${reg}/other/big:v2`);
    expect(cross.code).toBe(0);
    expect(await blobsInBucket()).toEqual([...big.blobs, ...small.blobs].sort());

    // The catalog walks the repositories prefix with delimiters; n=1 pages with a Link header.
    expect(await (await fetch(`http://${reg}/v2/_catalog`)).json()).toEqual({ repositories: ["other/big", "team/big", "team/small"] });
    const page = await fetch(`http://${reg}/v2/_catalog?n=1`);
    expect(await page.json()).toEqual({ repositories: ["other/big"] });
    expect(page.headers.get("link")).toBe('</v2/_catalog?last=other%2Fbig&n=1>; rel="next"');
    const tags = await skopeo("list-tags", "--tls-verify=false", `docker://${reg}/other/big`);
    expect(JSON.parse(tags.stdout).Tags).toEqual(["v2"]);
    const inspect = await skopeo("inspect", "--tls-verify=false", `docker://${reg}/other/big:v2`);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ Digest: big.digest, Architecture: "amd64", Os: "linux" });

    // Pulled back (through the presigned redirects): the same bytes.
    const pull = await skopeo("copy", "--src-tls-verify=false", `docker://${reg}/other/big:v2`, `oci:${join(dir, "out")}:v2`);
    expect(pull.code).toBe(0);
    expect(hex(readFileSync(join(dir, "out/blobs/sha256", hex(big.layer))))).toBe(hex(big.layer));

    // Both manifests of the big image deleted; the garbage collector removes its three blobs and nothing else.
    for (const ref of [`team/big:v1`, `other/big:v2`]) expect((await skopeo("delete", "--tls-verify=false", `docker://${reg}/${ref}`)).code).toBe(0);
    const gone = await skopeo("inspect", "--tls-verify=false", `docker://${reg}/team/big:v1`);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/manifest unknown/);
    const gc = await run("docker-registry", ["garbage-collect", "--delete-untagged", config]);
    expect(gc.code).toBe(0);
    expect(gc.stdout).toMatch(/3 blobs marked, 3 blobs and 0 manifests eligible for deletion/);
    expect(await blobsInBucket()).toEqual(small.blobs);
    const still = await skopeo("inspect", "--tls-verify=false", `docker://${reg}/team/small:v1`);
    expect(JSON.parse(still.stdout).Digest).toBe(small.digest);
  }, 60_000);

  it("a chunked upload resumed across PATCH requests, and an upload cancelled (AbortMultipartUpload)", async () => {
    const blob = randomBytes(7_000_000);
    const digest = `sha256:${hex(blob)}`;
    const abs = (loc: string | null) => new URL(loc!, `http://${reg}`).toString();
    let res = await fetch(`http://${reg}/v2/chunk/blobs/uploads/`, { method: "POST" });
    expect(res.status).toBe(202);
    let loc = abs(res.headers.get("location"));
    // Each PATCH is a new request: the driver finds the multipart upload again (ListMultipartUploads, ListParts)
    // and appends; a part under 5 MB is re-read and re-written rather than left too small.
    for (const [start, end] of [
      [0, 3_000_000],
      [3_000_000, 6_000_000],
      [6_000_000, 7_000_000],
    ] as const) {
      res = await fetch(loc, {
        method: "PATCH",
        headers: { "content-type": "application/octet-stream", "content-range": `${start}-${end - 1}` },
        body: blob.subarray(start, end),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get("range")).toBe(`0-${end - 1}`);
      loc = abs(res.headers.get("location"));
      const status = await fetch(loc);
      expect(status.status).toBe(204);
      expect(status.headers.get("range")).toBe(`0-${end - 1}`);
    }
    const url = new URL(loc);
    url.searchParams.set("digest", digest);
    res = await fetch(url, { method: "PUT" });
    expect(res.status).toBe(201);
    const got = Buffer.from(await (await fetch(`http://${reg}/v2/chunk/blobs/${digest}`)).arrayBuffer());
    expect(hex(got)).toBe(hex(blob));
    expect((await t.s3.send(new ListMultipartUploadsCommand({ Bucket: "registry" }))).Uploads ?? []).toEqual([]);

    // Cancelled half way: the multipart upload is aborted and the upload's directory deleted.
    res = await fetch(`http://${reg}/v2/chunk/blobs/uploads/`, { method: "POST" });
    res = await fetch(abs(res.headers.get("location")), {
      method: "PATCH",
      headers: { "content-type": "application/octet-stream" },
      body: blob.subarray(0, 3_000_000),
    });
    expect(res.status).toBe(202);
    loc = abs(res.headers.get("location"));
    expect(((await t.s3.send(new ListMultipartUploadsCommand({ Bucket: "registry" }))).Uploads ?? []).map((u) => u.Key)).toEqual([
      expect.stringMatching(new RegExp(`^${root}/repositories/chunk/_uploads/[0-9a-f-]+/data$`)),
    ]);
    expect((await fetch(loc, { method: "DELETE" })).status).toBe(204);
    expect((await t.s3.send(new ListMultipartUploadsCommand({ Bucket: "registry" }))).Uploads ?? []).toEqual([]);
    // (The registry's Cancel closes the writer again after removing the directory, which writes the hash state
    // back: the filesystem driver keeps it too; the upload purge removes it later.)
    expect((await keys(`${root}/repositories/chunk/_uploads/`)).filter((k) => !k.includes("/hashstates/"))).toEqual([]);
    expect((await fetch(loc)).status).toBe(404);
  }, 30_000);

  it("on a bucket that does not exist, the storage health check reports S3's NoSuchBucket", async () => {
    const other = await startRegistry("no-such-bucket");
    const h = await health(other.debug, 503);
    expect(h.status).toBe(503);
    expect(h.body.storagedriver_s3).toMatch(/^s3aws: NoSuchBucket: The specified bucket does not exist\n\tstatus code: 404/);
  }, 30_000);

  it.runIf(mode !== "default")(
    "with a wrong secret key, S3 answers SignatureDoesNotMatch (the health check shows it)",
    async () => {
      const other = await startRegistry("registry", "not-the-secret");
      const h = await health(other.debug, 503);
      expect(h.status).toBe(503);
      expect(h.body.storagedriver_s3).toMatch(/^s3aws: SignatureDoesNotMatch: .*\n\tstatus code: 403/);
    },
    30_000,
  );
});

describe.skipIf(!hasAptly)("aptly publishing a Debian repository to S3", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
  const dir = mkdtempSync(join(tmpdir(), "awsim-aptly-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A tiny .deb built with dpkg-deb. */
  const deb = (version: string) => {
    const pkg = join(dir, `pkg-${version}`);
    mkdirSync(join(pkg, "DEBIAN"), { recursive: true });
    mkdirSync(join(pkg, "usr/share/awsim-hello"), { recursive: true });
    writeFileSync(
      join(pkg, "DEBIAN/control"),
      `Package: awsim-hello\nVersion: ${version}\nArchitecture: all\nMaintainer: t <t@example.com>\nDescription: test\n`,
    );
    writeFileSync(join(pkg, "usr/share/awsim-hello/hello"), `hello ${version}\n`);
    const file = join(dir, `awsim-hello_${version}_all.deb`);
    expect(spawnSync("dpkg-deb", ["--build", pkg, file], { stdio: "ignore" }).status).toBe(0);
    return file;
  };
  const keys = async (prefix: string) =>
    ((await t.s3.send(new ListObjectsV2Command({ Bucket: "apt", Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
  const text = async (key: string) => (await t.s3.send(new GetObjectCommand({ Bucket: "apt", Key: key }))).Body!.transformToString();

  it("publish, update (old pool file cleaned up), the '+' workaround and one-by-one deletes, drop", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "apt" }));
    const endpoint = { region: "us-east-1", bucket: "apt", endpoint: t.server.url, awsAccessKeyID: "test", awsSecretAccessKey: "test" };
    const conf = join(dir, "aptly.conf");
    writeFileSync(
      conf,
      JSON.stringify({
        rootDir: join(dir, "root"),
        gpgDisableSign: true,
        gpgDisableVerify: true,
        S3PublishEndpoints: {
          aw: { ...endpoint, prefix: "debian", forceSigV2: false },
          plus: { ...endpoint, prefix: "plus", plusWorkaround: true, disableMultiDel: true },
        },
      }),
    );
    const aptly = async (...args: string[]) => {
      const r = await run("aptly", [`-config=${conf}`, ...args]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const v1 = deb("1.0");
    const v2 = deb("1.1+b1");
    await aptly("repo", "create", "-distribution=stable", "-component=main", "hello");
    await aptly("repo", "add", "hello", v1);
    await aptly("publish", "repo", "-skip-signing", "-architectures=amd64,all", "hello", "s3:aw:");
    const pool = "debian/pool/main/a/awsim-hello";
    expect(await keys("debian/")).toEqual(
      expect.arrayContaining([
        "debian/dists/stable/Release",
        "debian/dists/stable/main/binary-all/Packages",
        "debian/dists/stable/main/binary-all/Packages.gz",
        "debian/dists/stable/main/binary-amd64/Packages",
        `${pool}/awsim-hello_1.0_all.deb`,
      ]),
    );
    const stored = Buffer.from(
      await (await t.s3.send(new GetObjectCommand({ Bucket: "apt", Key: `${pool}/awsim-hello_1.0_all.deb` }))).Body!.transformToByteArray(),
    );
    expect(stored).toEqual(readFileSync(v1));
    expect(await text("debian/dists/stable/main/binary-all/Packages")).toContain(`SHA256: ${hex(readFileSync(v1))}`);

    // A new version replaces the old: the update rewrites the indexes and deletes the unreferenced pool file.
    await aptly("repo", "add", "hello", v2);
    await aptly("repo", "remove", "hello", "awsim-hello (= 1.0)");
    await aptly("publish", "update", "-skip-signing", "stable", "s3:aw:");
    expect(await keys(`${pool}/`)).toEqual([`${pool}/awsim-hello_1.1+b1_all.deb`]);
    const packages = await text("debian/dists/stable/main/binary-all/Packages");
    expect(packages).toContain("Version: 1.1+b1");
    expect(packages).toContain("Filename: pool/main/a/awsim-hello/awsim-hello_1.1+b1_all.deb");

    // Dropped: the bucket's debian/ prefix is emptied. (Done before the next part: aptly 1.5 keeps a pool file that a
    // repository published on any other endpoint with the same prefix and component references.)
    await aptly("publish", "drop", "stable", "s3:aw:");
    expect(await keys("debian/")).toEqual([]);

    // plusWorkaround: a copy under the key with '+' as ' ' (for S3's old form decoding of '+'); disableMultiDel:
    // cleanup with single DeleteObject calls.
    await aptly("publish", "repo", "-skip-signing", "-architectures=amd64,all", "-distribution=other", "hello", "s3:plus:");
    expect(await keys("plus/pool/")).toEqual([
      "plus/pool/main/a/awsim-hello/awsim-hello_1.1 b1_all.deb",
      "plus/pool/main/a/awsim-hello/awsim-hello_1.1+b1_all.deb",
    ]);
    await aptly("repo", "add", "hello", v1);
    await aptly("repo", "remove", "hello", "awsim-hello (= 1.1+b1)");
    await aptly("publish", "update", "-skip-signing", "other", "s3:plus:");
    expect(await keys("plus/pool/")).toEqual(["plus/pool/main/a/awsim-hello/awsim-hello_1.0_all.deb"]);

    await aptly("publish", "drop", "other", "s3:plus:");
    expect(await keys("")).toEqual([]);
  }, 60_000);
});
