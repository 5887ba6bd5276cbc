/** Layer uploads through the API (InitiateLayerUpload → UploadLayerPart… → CompleteLayerUpload), availability and download URLs. */
import { randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { appendBuffer, commitUpload, dropUpload, newUpload, uploadDigest } from "./blobs.js";
import { type EcrState, err, getRepo, type Input, issueToken, type Repo, st } from "./state.js";

/** The part size ECR suggests (10 MiB). */
export const PART_SIZE = 10_485_760;
/** "Layer parts must be at least 5 MiB in size" (LayerPartTooSmallException), every part but the last. */
const MIN_PART = 5 * 1024 * 1024;
const DIGEST = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;

function getUpload(s: EcrState, r: Repo, id: string) {
  const u = s.uploads.get(id);
  if (!u || u.repo !== r.name)
    throw err(
      "UploadNotFoundException",
      `The upload with id '${id}' does not exist in the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
    );
  return u;
}

/** Record a stored blob in the repository's layer list. */
export function addLayer(r: Repo, digest: string, size: number, mediaType?: string): void {
  r.layers.set(digest, { size, mediaType });
}

export const layerOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  InitiateLayerUpload(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    return { uploadId: newUpload(s, randomUUID(), r.name).id, partSize: PART_SIZE };
  },
  UploadLayerPart(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const u = getUpload(s, r, String(v.uploadId));
    const blob: Buffer = Buffer.isBuffer(v.layerPartBlob) ? v.layerPartBlob : Buffer.from(String(v.layerPartBlob ?? ""), "base64");
    const first = Number(v.partFirstByte);
    const last = Number(v.partLastByte);
    const bad = (m: string) =>
      new AwsError("InvalidLayerPartException", m, 400, {
        extra: { registryId: s.accountId, repositoryName: r.name, uploadId: u.id, lastValidByteReceived: Math.max(u.size - 1, 0) },
      });
    if (first !== u.size) throw bad(`The layer part's first byte ${first} does not follow the last byte received ${u.size - 1}.`);
    if (last < first || last - first + 1 !== blob.length)
      throw bad(`The layer part's byte range ${first}-${last} does not match the size of the part (${blob.length} bytes).`);
    appendBuffer(u, blob);
    if (u.lastPart !== undefined && u.lastPart < MIN_PART) u.smallPart = true;
    u.lastPart = blob.length;
    return { registryId: s.accountId, repositoryName: r.name, uploadId: u.id, lastByteReceived: u.size - 1 };
  },
  CompleteLayerUpload(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const u = getUpload(s, r, String(v.uploadId));
    // AWS's text (devcontainers/cli#814, 2024, from CloudTrail).
    if (u.size === 0)
      throw err(
        "EmptyUploadException",
        `The upload with id '${u.id}' in the repository with name '${r.name}' in registry with id '${s.accountId}' cannot be completed because it does not have any parts`,
      );
    // AWS's text (dotnet/sdk-container-builds#424, 2023, from CloudTrail); the model's "at least 5 MiB".
    if (u.smallPart) throw err("LayerPartTooSmallException", "All layer parts except the last part should be at least 5MB");
    const digest = uploadDigest(u);
    const claimed: string[] = v.layerDigests ?? [];
    if (claimed.length !== 1 || claimed[0] !== digest)
      throw err("InvalidLayerException", `The calculated digest ${digest} does not match the provided layer digest ${claimed.join(", ")}.`);
    if (r.layers.has(digest) && s.blobs.has(digest)) {
      dropUpload(s, u);
      throw err(
        "LayerAlreadyExistsException",
        `The layer with digest '${digest}' already exists in the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    }
    addLayer(r, digest, commitUpload(s, u, digest).size);
    return { registryId: s.accountId, repositoryName: r.name, uploadId: u.id, layerDigest: digest };
  },
  BatchCheckLayerAvailability(ctx, v) {
    const r = getRepo(st(ctx), v.repositoryName);
    const layers: unknown[] = [];
    const failures: unknown[] = [];
    for (const d of (v.layerDigests ?? []) as string[]) {
      const l = r.layers.get(d);
      if (!DIGEST.test(d)) failures.push({ layerDigest: d, failureCode: "InvalidLayerDigest", failureReason: "Invalid layer digest" });
      else if (!l) failures.push({ layerDigest: d, failureCode: "MissingLayerDigest", failureReason: "Could not find layer" });
      else layers.push({ layerDigest: d, layerAvailability: "AVAILABLE", layerSize: l.size, mediaType: l.mediaType });
    }
    return { layers, failures };
  },
  GetDownloadUrlForLayer(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const d = String(v.layerDigest);
    // AWS's text (monken/aws-ecr-public#11, 2022).
    if (!r.layers.has(d) || !s.blobs.has(d))
      throw err(
        "LayersNotFoundException",
        `The layer with digest ${d} does not exist within the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    // A URL on this server's registry endpoint that needs no other credentials, as ECR's presigned URLs (the token names the registry).
    const { password } = issueToken(s, ctx.now());
    return { downloadUrl: `${ctx.sim.url()}/v2/${r.name}/blobs/${d}?X-Awsim-Token=${password}`, layerDigest: d };
  },
};
