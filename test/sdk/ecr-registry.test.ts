/**
 * The OCI distribution API (registry v2) against the ECR API, through awsim's HTTP handler (/v2/ to the registry,
 * everything else to dispatch) over a Simulator of the file's own, whose ECR state the lifecycle tests reach.
 */
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
  ListImagesCommand,
  PutAccountSettingCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  CreateRepositoryCreationTemplateCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
} from "@aws-sdk/client-ecr";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/services/core/simulator.js";
import { advanceClock } from "../../src/services/ecr/lifecycle.js";
import type { EcrState } from "../../src/services/ecr/state.js";
import { clientConfig, startServer, startSimulatorServer } from "../helpers.js";

let server: Awaited<ReturnType<typeof startSimulatorServer>>;
let sim: Simulator;
let url: string;
let ecr: ECRClient;
let auth: string;

beforeAll(async () => {
  server = await startSimulatorServer();
  sim = server.sim;
  url = server.url;
  ecr = new ECRClient(clientConfig({ url }));
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  auth = `Basic ${token}`;
});
afterAll(() => server.stop());

const sha = (b: string | Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const reg = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { authorization: auth, ...(init.headers as Record<string, string>) } });

/** A GET with an explicit Host header (fetch may not send one). */
function statusVia(host: string, path: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(`${url}${path}`, { headers: { host, authorization } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on("error", reject);
    r.end();
  });
}

async function pushBlob(repo: string, data: NonSharedBuffer, chunked: boolean): Promise<string> {
  const digest = sha(data);
  if (!chunked) {
    const r = await reg(`/v2/${repo}/blobs/uploads/?digest=${digest}`, { method: "POST", body: data });
    expect(r.status).toBe(201);
    return digest;
  }
  const start = await reg(`/v2/${repo}/blobs/uploads/`, { method: "POST" });
  expect(start.status).toBe(202);
  let loc = start.headers.get("location")!;
  const half = Math.floor(data.length / 2);
  const p1 = await reg(loc, { method: "PATCH", body: data.subarray(0, half), headers: { "content-range": `0-${half - 1}` } });
  expect(p1.status).toBe(202);
  expect(p1.headers.get("range")).toBe(`0-${half - 1}`);
  loc = p1.headers.get("location")!;
  const bad = await reg(loc, { method: "PATCH", body: data.subarray(half), headers: { "content-range": `0-${data.length - 1}` } });
  expect(bad.status).toBe(416);
  await reg(loc, { method: "PATCH", body: data.subarray(half) });
  const done = await reg(`${loc}?digest=${digest}`, { method: "PUT" });
  expect(done.status).toBe(201);
  expect(done.headers.get("docker-content-digest")).toBe(digest);
  return digest;
}

function imageManifest(config: string, layers: Buffer[], configData: Buffer) {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config, size: configData.length },
    layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha(l), size: l.length })),
  });
}

describe("ECR registry (OCI distribution API)", () => {
  it("asks for credentials with a Basic challenge, accepts the token as Basic or Bearer", async () => {
    const anon = await fetch(`${url}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect((await anon.json()).errors[0].code).toBe("DENIED");
    const wrong = await fetch(`${url}/v2/`, { headers: { authorization: `Basic ${Buffer.from("AWS:nope").toString("base64")}` } });
    expect(wrong.status).toBe(401);
    const ok = await reg("/v2/");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    const bearer = await fetch(`${url}/v2/`, { headers: { authorization: auth.replace("Basic", "Bearer") } });
    expect(bearer.status).toBe(200);
  });

  it("push (chunked and monolithic blobs, manifest by tag) is what DescribeImages shows; pull by tag and digest", async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "team/app" }));
    const layer1 = Buffer.from("layer one ".repeat(1000));
    const layer2 = Buffer.from("layer two");
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux" }));
    await pushBlob("team/app", layer1, true);
    await pushBlob("team/app", layer2, false);
    const cfg = await pushBlob("team/app", config, false);
    const head = await reg(`/v2/team/app/blobs/${sha(layer1)}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(layer1.length));
    const part = await reg(`/v2/team/app/blobs/${sha(layer1)}`, { headers: { range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe("layer one ");

    const m = imageManifest(cfg, [layer1, layer2], config);
    const missing = await reg("/v2/team/app/manifests/v1", {
      method: "PUT",
      body: imageManifest(cfg, [Buffer.from("never pushed")], config),
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors[0].code).toBe("MANIFEST_BLOB_UNKNOWN");
    const put = await reg("/v2/team/app/manifests/v1", { method: "PUT", body: m, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } });
    expect(put.status).toBe(201);
    expect(put.headers.get("docker-content-digest")).toBe(sha(m));
    const again = await reg("/v2/team/app/manifests/v1", { method: "PUT", body: m, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } });
    expect(again.status).toBe(201);

    const detail = (await ecr.send(new DescribeImagesCommand({ repositoryName: "team/app" }))).imageDetails!;
    expect(detail).toHaveLength(1);
    expect(detail[0]).toMatchObject({
      imageDigest: sha(m),
      imageTags: ["v1"],
      imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
      imageSizeInBytes: layer1.length + layer2.length + config.length,
    });
    const byApi = await ecr.send(new BatchGetImageCommand({ repositoryName: "team/app", imageIds: [{ imageTag: "v1" }] }));
    expect(byApi.images![0]!.imageManifest).toBe(m);

    for (const ref of ["v1", sha(m)]) {
      const got = await reg(`/v2/team/app/manifests/${ref}`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("application/vnd.oci.image.manifest.v1+json");
      expect(got.headers.get("docker-content-digest")).toBe(sha(m));
      expect(await got.text()).toBe(m);
    }
    const blob = await reg(`/v2/team/app/blobs/${sha(layer2)}`);
    expect(Buffer.from(await blob.arrayBuffer()).equals(layer2)).toBe(true);
    const dl = await ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: "team/app", layerDigest: sha(layer1) }));
    const viaUrl = await fetch(dl.downloadUrl!);
    expect(viaUrl.status).toBe(200);
    expect((await viaUrl.arrayBuffer()).byteLength).toBe(layer1.length);
    expect((await reg("/v2/team/app/manifests/nope")).status).toBe(404);
    expect((await (await reg("/v2/nothing/manifests/v1")).json()).errors[0].code).toBe("NAME_UNKNOWN");
  });

  it("PutImage'd images pull; tags list paginates; immutability; delete; referrers; mounts", async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "pulled" }));
    const config = Buffer.from("{}");
    const cfg = await pushBlob("pulled", config, false);
    const digests: string[] = [];
    for (const tag of ["c", "a", "b"]) {
      const m = JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfg, size: 2 },
        layers: [],
        annotations: { tag },
      });
      await ecr.send(new PutImageCommand({ repositoryName: "pulled", imageManifest: m, imageTag: tag }));
      digests.push(sha(m));
      expect(await (await reg(`/v2/pulled/manifests/${tag}`)).text()).toBe(m);
    }
    const page1 = await reg("/v2/pulled/tags/list?n=2");
    expect(await page1.json()).toEqual({ name: "pulled", tags: ["a", "b"] });
    expect(page1.headers.get("link")).toBe('</v2/pulled/tags/list?n=2&last=b>; rel="next"');
    expect(await (await reg("/v2/pulled/tags/list?n=2&last=b")).json()).toEqual({ name: "pulled", tags: ["c"] });

    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: "pulled", imageTagMutability: "IMMUTABLE" }));
    const other = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfg, size: 2 },
      layers: [],
      annotations: { x: "y" },
    });
    const denied = await reg("/v2/pulled/manifests/a", {
      method: "PUT",
      body: other,
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(denied.status).toBe(400);
    expect((await denied.json()).errors[0]).toMatchObject({
      code: "TAG_INVALID",
      message: expect.stringContaining("cannot be overwritten because the repository is immutable"),
    });

    const sig = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/example.sbom",
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: cfg, size: 2 },
      layers: [],
      subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: digests[0], size: 10 },
    });
    expect(
      (await reg(`/v2/pulled/manifests/${sha(sig)}`, { method: "PUT", body: sig, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } }))
        .status,
    ).toBe(201);
    const refs = await (await reg(`/v2/pulled/referrers/${digests[0]}`)).json();
    expect(refs.manifests).toEqual([
      { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha(sig), size: sig.length, artifactType: "application/example.sbom" },
    ]);

    expect((await reg(`/v2/pulled/manifests/${digests[1]}`, { method: "DELETE" })).status).toBe(202);
    const left = (await ecr.send(new ListImagesCommand({ repositoryName: "pulled", filter: { tagStatus: "TAGGED" } }))).imageIds!.map((i) => i.imageTag).sort();
    expect(left).toEqual(["b", "c"]);

    // Cross-repository mounts happen only with BLOB_MOUNTING enabled; otherwise an upload session starts.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "mounted" }));
    const noMount = await reg(`/v2/mounted/blobs/uploads/?mount=${cfg}&from=pulled`, { method: "POST" });
    expect(noMount.status).toBe(202);
    await ecr.send(new PutAccountSettingCommand({ name: "BLOB_MOUNTING", value: "ENABLED" }));
    const mounted = await reg(`/v2/mounted/blobs/uploads/?mount=${cfg}&from=pulled`, { method: "POST" });
    expect(mounted.status).toBe(201);
    expect((await reg(`/v2/mounted/blobs/${cfg}`, { method: "HEAD" })).status).toBe(200);
  });

  it("CREATE_ON_PUSH templates create the repository on push; the Host names the registry", async () => {
    await ecr.send(new CreateRepositoryCreationTemplateCommand({ prefix: "auto", appliedFor: ["CREATE_ON_PUSH"], imageTagMutability: "IMMUTABLE" }));
    const data = Buffer.from("{}");
    expect((await reg(`/v2/auto/svc/blobs/uploads/?digest=${sha(data)}`, { method: "POST", body: data })).status).toBe(201);
    const repo = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["auto/svc"] }))).repositories![0]!;
    expect(repo.imageTagMutability).toBe("IMMUTABLE");
    expect((await reg(`/v2/other/blobs/uploads/?digest=${sha(data)}`, { method: "POST", body: data })).status).toBe(404);

    const west = new ECRClient(clientConfig({ url }, { region: "us-west-2" }));
    await west.send(new CreateRepositoryCommand({ repositoryName: "westrepo" }));
    const westToken = (await west.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
    const westHost = "000000000000.dkr.ecr.us-west-2.localhost";
    expect(await statusVia(westHost, "/v2/westrepo/tags/list", `Basic ${westToken}`)).toBe(200);
    // The token alone names the registry that issued it.
    expect((await fetch(`${url}/v2/westrepo/tags/list`, { headers: { authorization: `Basic ${westToken}` } })).status).toBe(200);
    // A token is valid only for the registry that issued it.
    expect(await statusVia(westHost, "/v2/westrepo/tags/list", auth)).toBe(401);
  });
});

/** A request with an explicit Host header: status and body text. */
function via(host: string, path: string, authorization: string, method = "GET", body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = request(
      `${url}${path}`,
      { method, headers: { host, authorization, ...(body ? { "content-type": "application/vnd.oci.image.manifest.v1+json" } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    r.on("error", reject);
    r.end(body);
  });
}

describe("ECR registry across accounts", () => {
  it("another account's token pulls what the repository policy grants it, and nothing else", async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "crossrepo" }));
    const layer = Buffer.from("cross-account layer");
    const layerDigest = await pushBlob("crossrepo", layer, false);
    const config = Buffer.from("{}");
    const configDigest = await pushBlob("crossrepo", config, false);
    const manifest = imageManifest(configDigest, [layer], config);
    expect(
      (await reg("/v2/crossrepo/manifests/v1", { method: "PUT", body: manifest, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } }))
        .status,
    ).toBe(201);

    const other = new ECRClient(clientConfig({ url }, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    const token = `Basic ${(await other.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!}`;
    const host = "000000000000.dkr.ecr.us-east-1.localhost";
    const resource = "arn:aws:ecr:us-east-1:000000000000:repository/crossrepo";
    const denied = await via(host, "/v2/crossrepo/manifests/v1", token);
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text)).toEqual({
      errors: [
        {
          code: "DENIED",
          message: `User: arn:aws:iam::111122223333:root is not authorized to perform: ecr:BatchGetImage on resource: ${resource} because no resource-based policy allows the ecr:BatchGetImage action`,
        },
      ],
    });
    // The registry's own token still works.
    expect((await via(host, "/v2/crossrepo/manifests/v1", auth)).status).toBe(200);

    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: "crossrepo",
        policyText: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "pull", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] },
          ],
        }),
      }),
    );
    const pulled = await via(host, "/v2/crossrepo/manifests/v1", token);
    expect([pulled.status, pulled.text]).toEqual([200, manifest]);
    const blob = await via(host, `/v2/crossrepo/blobs/${layerDigest}`, token);
    expect([blob.status, blob.text]).toEqual([200, "cross-account layer"]);
    // Pushing needs ecr:PutImage, which the policy does not grant.
    const push = await via(host, "/v2/crossrepo/manifests/v2", token, "PUT", manifest);
    expect(push.status).toBe(403);
    expect(push.text).toContain("ecr:PutImage");
  });

  it("a token keeps the identity it was issued to: a policy naming another account's role lets that role's sessions pull, not its root", async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "rolerepo" }));
    const config = Buffer.from("{}");
    const configDigest = await pushBlob("rolerepo", config, false);
    const manifest = imageManifest(configDigest, [], config);
    const put = await reg("/v2/rolerepo/manifests/v1", {
      method: "PUT",
      body: manifest,
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(put.status).toBe(201);
    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: "rolerepo",
        policyText: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "puller", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:role/puller" }, Action: ["ecr:BatchGetImage"] }],
        }),
      }),
    );
    const b = (accessKeyId: string, secretAccessKey = "x", sessionToken?: string) =>
      clientConfig({ url }, { credentials: { accessKeyId, secretAccessKey, sessionToken } });
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "sts:AssumeRole" }] };
    await new IAMClient(b("444455556666")).send(new CreateRoleCommand({ RoleName: "puller", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const creds = (
      await new STSClient(b("444455556666")).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::444455556666:role/puller", RoleSessionName: "ci" }))
    ).Credentials!;
    const tokenOf = async (c: ReturnType<typeof b>) =>
      `Basic ${(await new ECRClient(c).send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!}`;
    const host = "000000000000.dkr.ecr.us-east-1.localhost";
    const asRole = await via(host, "/v2/rolerepo/manifests/v1", await tokenOf(b(creds.AccessKeyId!, creds.SecretAccessKey!, creds.SessionToken!)));
    expect([asRole.status, asRole.text]).toEqual([200, manifest]);
    const asRoot = await via(host, "/v2/rolerepo/manifests/v1", await tokenOf(b("444455556666")));
    expect(asRoot.status).toBe(403);
    expect(JSON.parse(asRoot.text).errors[0].message).toContain("User: arn:aws:iam::444455556666:root is not authorized to perform: ecr:BatchGetImage");
    // A token asked for with registryIds naming this registry is still the caller's: the policy decides.
    const named = (await new ECRClient(b("777788889999")).send(new GetAuthorizationTokenCommand({ registryIds: ["000000000000"] }))).authorizationData![0]!;
    expect(named.proxyEndpoint).toBe("https://000000000000.dkr.ecr.us-east-1.amazonaws.com");
    expect((await via(host, "/v2/rolerepo/manifests/v1", `Basic ${named.authorizationToken!}`)).status).toBe(403);
  });

  it("another account mounts a layer only from a repository that lets it read layers; otherwise it gets an upload session", async () => {
    await ecr.send(new PutAccountSettingCommand({ name: "BLOB_MOUNTING", value: "ENABLED" }));
    const grant = (sid: string, actions: string[]) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Principal: { AWS: "111122223333" }, Action: actions }] });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "mountsrc" }));
    const digest = await pushBlob("mountsrc", Buffer.from("mountable layer"), false);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "mountdst" }));
    await ecr.send(
      new SetRepositoryPolicyCommand({ repositoryName: "mountdst", policyText: grant("push", ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart"]) }),
    );
    const other = new ECRClient(clientConfig({ url }, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    const token = `Basic ${(await other.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!}`;
    const host = "000000000000.dkr.ecr.us-east-1.localhost";
    const mountPath = `/v2/mountdst/blobs/uploads/?mount=${digest}&from=mountsrc`;
    expect((await via(host, mountPath, token, "POST")).status).toBe(202);
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: "mountsrc", policyText: grant("read", ["ecr:GetDownloadUrlForLayer"]) }));
    expect((await via(host, mountPath, token, "POST")).status).toBe(201);
    // The registry's own account mounts without any policy.
    expect((await via(host, `/v2/mountdst/blobs/uploads/?mount=${digest}&from=mountsrc`, auth, "POST")).status).toBe(201);
  });
});

describe("ECR lifecycle sweep on the test clock", () => {
  it("applies a policy once a day of (advanced) time has passed", async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "swept" }));
    for (const tag of ["old-1", "old-2", "new"]) {
      await ecr.send(
        new PutImageCommand({
          repositoryName: "swept",
          imageTag: tag,
          imageManifest: JSON.stringify({
            schemaVersion: 2,
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(tag), size: 1 },
            layers: [],
          }),
        }),
      );
      await new Promise((r) => setTimeout(r, 5));
    }
    const policy = JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } }],
    });
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "swept", lifecyclePolicyText: policy }));
    const states = () => sim.statesOf<EcrState>("ecr");
    const first = advanceClock(states(), 23 * 3_600_000);
    expect(first.ecr.reduce((n, x) => n + x.lifecycleActions, 0)).toBe(0);
    expect((await ecr.send(new ListImagesCommand({ repositoryName: "swept" }))).imageIds).toHaveLength(3);
    // Not evaluated yet: the epoch, as AWS answers.
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "swept" }))).lastEvaluatedAt).toEqual(new Date(0));
    const second = advanceClock(states(), 3_600_000);
    expect(second.ecr.reduce((n, x) => n + x.lifecycleActions, 0)).toBe(2);
    expect((await ecr.send(new ListImagesCommand({ repositoryName: "swept" }))).imageIds!.map((i) => i.imageTag)).toEqual(["new"]);
    const evaluated = (await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "swept" }))).lastEvaluatedAt!;
    expect(evaluated.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });
});

describe("ECR registry blobs on disk", () => {
  it("a 12 MiB layer pushed in chunks comes back byte for byte and is stored as a file", async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "big" }));
    // The clock was moved a day ahead above: earlier tokens have expired.
    expect((await reg("/v2/")).status).toBe(401);
    auth = `Basic ${(await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!}`;
    const data = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    const digest = await pushBlob("big", data, true);
    const got = Buffer.from(await (await reg(`/v2/big/blobs/${digest}`)).arrayBuffer());
    expect(sha(got)).toBe(digest);
    const state = sim.statesOf<EcrState>("ecr").find((s) => s.repos.has("big"))!;
    expect(state.blobs.get(digest)!.size).toBe(data.length);
    expect([...state.uploads.values()].filter((u) => u.repo === "big")).toEqual([]);
  });
});

describe("ECR registry on the awsim port", () => {
  it("serves /v2/ through the real router", async () => {
    const server = await startServer();
    try {
      const probe = await fetch(`${server.url}/v2/`);
      expect(probe.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
      const api = new ECRClient(clientConfig(server));
      await api.send(new CreateRepositoryCommand({ repositoryName: "wired" }));
      const token = (await api.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
      const h = { authorization: `Basic ${token}` };
      const data = Buffer.from("{}");
      expect((await fetch(`${server.url}/v2/wired/blobs/uploads/?digest=${sha(data)}`, { method: "POST", body: data, headers: h })).status).toBe(201);
      const m = JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(data), size: 2 },
        layers: [],
      });
      const put = await fetch(`${server.url}/v2/wired/manifests/latest`, {
        method: "PUT",
        body: m,
        headers: { ...h, "content-type": "application/vnd.oci.image.manifest.v1+json" },
      });
      expect(put.status).toBe(201);
      const head = await fetch(`${server.url}/v2/wired/manifests/latest`, { method: "HEAD", headers: h });
      expect(head.headers.get("content-length")).toBe(String(m.length));
      expect(Buffer.from(await (await fetch(`${server.url}/v2/wired/blobs/${sha(data)}`, { headers: h })).arrayBuffer()).toString()).toBe("{}");
      expect((await api.send(new DescribeImagesCommand({ repositoryName: "wired" }))).imageDetails![0]!.imageDigest).toBe(sha(m));
    } finally {
      await server.stop();
    }
  });
});
