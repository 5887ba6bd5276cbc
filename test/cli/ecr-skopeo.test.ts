/**
 * ECR's registry driven by skopeo (containers/image, the library under podman and buildah): an OCI image
 * pushed from a local layout with the GetAuthorizationToken password, inspected, listed, copied tag to tag
 * and back to disk byte for byte, refused with a wrong password or onto an immutable tag, deleted; the ECR API
 * describes the same image (same digest, tags, media type, manifest bytes) at each step.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ListImagesCommand,
} from "@aws-sdk/client-ecr";
import { afterAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { ociLayout, sha256Hex } from "../oci-layout.js";

const hasSkopeo = spawnSync("skopeo", ["--version"], { stdio: "ignore" }).status === 0;
if (!hasSkopeo) console.warn("skipping skopeo tests: skopeo is not installed (Debian package skopeo)");

const hex = sha256Hex;

const skopeo = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // A policy file of our own: the machine's /etc/containers/policy.json may be absent or strict.
    execFile("skopeo", ["--insecure-policy", ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe.skipIf(!hasSkopeo)("ECR registry with skopeo", () => {
  const t = useServer({}, (cfg) => ({ ecr: new ECRClient(cfg) }));
  const dir = mkdtempSync(join(tmpdir(), "awsim-skopeo-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("push, inspect, list-tags, copy, pull back, delete — the API sees the same image", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "team/app" }));
    const token = (await t.ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
    const creds = Buffer.from(token, "base64").toString(); // "AWS:<password>", as docker login uses it
    const host = t.server.url.replace(/^http:\/\//, "");
    const image = `docker://${host}/team/app`;
    const src = ociLayout(join(dir, "src"), "v1", Buffer.from("hello from an OCI layer\n"), "hello.txt");

    const push = await skopeo(["copy", "--dest-tls-verify=false", "--dest-creds", creds, `oci:${join(dir, "src")}:v1`, `${image}:v1`]);
    expect(push.stderr).toBe("");
    expect(push.code).toBe(0);

    const inspect = await skopeo(["inspect", "--tls-verify=false", "--creds", creds, `${image}:v1`]);
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ Digest: src.digest, RepoTags: ["v1"], Architecture: "amd64", Os: "linux" });

    const described = await t.ecr.send(new DescribeImagesCommand({ repositoryName: "team/app" }));
    expect(described.imageDetails).toHaveLength(1);
    expect(described.imageDetails![0]).toMatchObject({
      imageDigest: src.digest,
      imageTags: ["v1"],
      imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactMediaType: "application/vnd.oci.image.config.v1+json",
    });
    const got = await t.ecr.send(new BatchGetImageCommand({ repositoryName: "team/app", imageIds: [{ imageTag: "v1" }] }));
    expect(got.images![0]!.imageManifest).toBe(src.manifest.toString());

    // Registry to registry: a second tag of the same image.
    const retag = await skopeo([
      "copy",
      "--src-tls-verify=false",
      "--dest-tls-verify=false",
      "--src-creds",
      creds,
      "--dest-creds",
      creds,
      `${image}:v1`,
      `${image}:latest`,
    ]);
    expect(retag.code).toBe(0);
    const tags = await skopeo(["list-tags", "--tls-verify=false", "--creds", creds, image]);
    expect(JSON.parse(tags.stdout).Tags.sort()).toEqual(["latest", "v1"]);
    const listed = await t.ecr.send(new ListImagesCommand({ repositoryName: "team/app" }));
    expect(listed.imageIds!.map((i) => `${i.imageTag}@${i.imageDigest}`).sort()).toEqual([`latest@${src.digest}`, `v1@${src.digest}`]);

    // Pulled back to disk: the same manifest and layer bytes.
    const pull = await skopeo(["copy", "--src-tls-verify=false", "--src-creds", creds, `${image}:latest`, `oci:${join(dir, "out")}:latest`]);
    expect(pull.code).toBe(0);
    expect(readFileSync(join(dir, "out/blobs/sha256", src.digest.slice(7)))).toEqual(src.manifest);
    expect(readFileSync(join(dir, "out/blobs/sha256", hex(src.layer)))).toEqual(src.layer);

    // A wrong password is refused.
    const denied = await skopeo(["inspect", "--tls-verify=false", "--creds", "AWS:not-a-token", `${image}:v1`]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/unauthorized|denied|authentication required/i);

    // skopeo delete removes the manifest by digest: the image and both its tags go.
    const del = await skopeo(["delete", "--tls-verify=false", "--creds", creds, `${image}:v1`]);
    expect(del.code).toBe(0);
    expect((await t.ecr.send(new DescribeImagesCommand({ repositoryName: "team/app" }))).imageDetails).toEqual([]);
    const gone = await skopeo(["inspect", "--tls-verify=false", "--creds", creds, `${image}:latest`]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/manifest unknown/);
  });

  it("an immutable tag cannot be pushed over with another image", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "frozen", imageTagMutability: "IMMUTABLE" }));
    const token = (await t.ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
    const creds = Buffer.from(token, "base64").toString();
    const image = `docker://${t.server.url.replace(/^http:\/\//, "")}/frozen:release`;
    const first = ociLayout(join(dir, "one"), "release", Buffer.from("one\n"), "hello.txt");
    ociLayout(join(dir, "two"), "release", Buffer.from("two\n"), "hello.txt");
    expect((await skopeo(["copy", "--dest-tls-verify=false", "--dest-creds", creds, `oci:${join(dir, "one")}:release`, image])).code).toBe(0);
    const again = await skopeo(["copy", "--dest-tls-verify=false", "--dest-creds", creds, `oci:${join(dir, "two")}:release`, image]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/tag invalid|immutable|already exists/i);
    const images = await t.ecr.send(new DescribeImagesCommand({ repositoryName: "frozen" }));
    expect(images.imageDetails!.map((d) => d.imageDigest)).toEqual([first.digest]);
  });
});
