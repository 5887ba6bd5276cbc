/** ECR as docker drives it: `aws ecr get-login-password`, then the registry's /v2/ Basic-auth flow, a chunked and a monolithic blob upload, manifest push/pull; describe-images, batch-delete-image. */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

describe.skipIf(!hasAwsCli())("ECR registry flow", () => {
  const sim = useServer();

  it("login password → /v2/ challenge → push blobs and manifest → pull → describe-images → batch-delete-image", async () => {
    const repo = await aws(sim.server, ["ecr", "create-repository", "--repository-name", "flows/app"]);
    expect(repo.json.repository.repositoryUri).toBe("000000000000.dkr.ecr.us-east-1.amazonaws.com/flows/app");
    const login = await aws(sim.server, ["ecr", "get-login-password"]);
    expect(login.code).toBe(0);
    const password = login.stdout.trim();
    expect(password.length).toBeGreaterThan(10);
    const base = sim.server.url;
    const auth = { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString("base64")}` };

    // docker first asks /v2/ anonymously, reads the Basic challenge, then retries with the credentials.
    const anon = await fetch(`${base}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toMatch(/^Basic realm="https:\/\/[^"]+\/",service="ecr\.amazonaws\.com"$/);
    expect(anon.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    expect((await fetch(`${base}/v2/`, { headers: auth })).status).toBe(200);
    const wrong = await fetch(`${base}/v2/`, { headers: { authorization: `Basic ${Buffer.from("AWS:wrong").toString("base64")}` } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).errors[0].code).toBe("DENIED");

    // A layer in two PATCHes (as docker streams it), then PUT ?digest= to finish.
    const layer = gzipSync(Buffer.from("layer contents ".repeat(100)));
    const config = Buffer.from(
      JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [sha("layer contents ".repeat(100))] } }),
    );
    const start = await fetch(`${base}/v2/flows/app/blobs/uploads/`, { method: "POST", headers: auth });
    expect(start.status).toBe(202);
    let loc = start.headers.get("location")!;
    expect(start.headers.get("docker-upload-uuid")).toBeTruthy();
    const half = Math.floor(layer.length / 2);
    for (const [i, chunk] of [layer.subarray(0, half), layer.subarray(half)].entries()) {
      const from = i === 0 ? 0 : half;
      const r = await fetch(new URL(loc, base), {
        method: "PATCH",
        headers: { ...auth, "content-type": "application/octet-stream", "content-range": `${from}-${from + chunk.length - 1}` },
        body: chunk,
      });
      expect(r.status).toBe(202);
      expect(r.headers.get("range")).toBe(`0-${from + chunk.length - 1}`);
      loc = r.headers.get("location")!;
    }
    const done = await fetch(new URL(`${loc}${loc.includes("?") ? "&" : "?"}digest=${sha(layer)}`, base), { method: "PUT", headers: auth });
    expect(done.status).toBe(201);
    expect(done.headers.get("docker-content-digest")).toBe(sha(layer));
    // The config blob in one monolithic POST.
    const mono = await fetch(`${base}/v2/flows/app/blobs/uploads/?digest=${sha(config)}`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body: config,
    });
    expect(mono.status).toBe(201);
    const headBlob = await fetch(`${base}/v2/flows/app/blobs/${sha(config)}`, { method: "HEAD", headers: auth });
    expect([headBlob.status, headBlob.headers.get("content-length"), headBlob.headers.get("docker-content-digest")]).toEqual([
      200,
      String(config.length),
      sha(config),
    ]);
    const badDigest = await fetch(`${base}/v2/flows/app/blobs/uploads/?digest=${sha("other")}`, { method: "POST", headers: auth, body: config });
    expect(badDigest.status).toBe(400);
    expect((await badDigest.json()).errors[0].code).toBe("DIGEST_INVALID");

    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(config), size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha(layer), size: layer.length }],
    });
    const put = await fetch(`${base}/v2/flows/app/manifests/v1`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/vnd.oci.image.manifest.v1+json" },
      body: manifest,
    });
    expect(put.status).toBe(201);
    expect(put.headers.get("docker-content-digest")).toBe(sha(manifest));

    const pulled = await fetch(`${base}/v2/flows/app/manifests/v1`, { headers: { ...auth, accept: "application/vnd.oci.image.manifest.v1+json" } });
    expect(pulled.headers.get("content-type")).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(await pulled.text()).toBe(manifest);
    expect(Buffer.from(await (await fetch(`${base}/v2/flows/app/blobs/${sha(layer)}`, { headers: auth })).arrayBuffer()).equals(layer)).toBe(true);
    expect(await (await fetch(`${base}/v2/flows/app/tags/list`, { headers: auth })).json()).toEqual({ name: "flows/app", tags: ["v1"] });

    const images = (await aws(sim.server, ["ecr", "describe-images", "--repository-name", "flows/app"])).json.imageDetails;
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      imageDigest: sha(manifest),
      imageTags: ["v1"],
      imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactMediaType: "application/vnd.oci.image.config.v1+json",
    });
    const del = await aws(sim.server, ["ecr", "batch-delete-image", "--repository-name", "flows/app", "--image-ids", "imageTag=v1", "imageTag=nope"]);
    expect(del.json).toEqual({
      imageIds: [{ imageDigest: sha(manifest), imageTag: "v1" }],
      failures: [{ imageId: { imageTag: "nope" }, failureCode: "ImageNotFound", failureReason: "Requested image not found" }],
    });
    const after = await fetch(`${base}/v2/flows/app/manifests/v1`, { headers: auth });
    expect(after.status).toBe(404);
    expect((await after.json()).errors[0].code).toBe("MANIFEST_UNKNOWN");
    const none = await aws(sim.server, ["ecr", "describe-images", "--repository-name", "flows/app", "--image-ids", "imageTag=v1"]);
    expect(none.code).toBe(255);
    expect(none.stderr).toContain(
      "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:'null', imageTag:'v1'} does not exist within the repository with name 'flows/app' in the registry with id '000000000000'",
    );
  });
});
