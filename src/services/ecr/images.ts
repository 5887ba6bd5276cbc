/** Images: PutImage (tag immutability, scan on push, replication), reads, deletes, referrers, storage class, scans. */
import { createHash } from "node:crypto";
import { paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { copyBlob } from "./blobs.js";
import { sweepLifecycle } from "./lifecycle.js";
import { createFromTemplate } from "./repositories.js";
import {
  type EcrState,
  err,
  findImage,
  getRepo,
  idText,
  type Image,
  type ImageId,
  imageIdOf,
  type Input,
  invalid,
  type Repo,
  removeImage,
  requireImage,
  st,
  tagImmutable,
  tokenOpts,
  untag,
  wildcard,
} from "./state.js";

export const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
export const MANIFEST_LIST_V2 = "application/vnd.docker.distribution.manifest.list.v2+json";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DAY = 86_400_000;

interface Parsed {
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  config?: { mediaType?: string; digest?: string; size?: number };
  layers?: Array<{ digest: string; size?: number; mediaType?: string }>;
  manifests?: Array<{ digest: string; size?: number; mediaType?: string }>;
  subject?: { digest?: string };
  annotations?: Record<string, string>;
}

export const sha256 = (b: string | Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

function parseManifest(manifest: string): Parsed {
  try {
    const p = JSON.parse(manifest);
    if (typeof p !== "object" || p === null || Array.isArray(p)) throw new Error();
    return p as Parsed;
  } catch {
    throw invalid("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
  }
}

function mediaTypeOf(p: Parsed, declared?: string): string {
  if (declared) return declared;
  if (p.mediaType) return p.mediaType;
  if (p.schemaVersion === 1) return "application/vnd.docker.distribution.manifest.v1+json";
  if (p.manifests) return OCI_INDEX;
  return p.config?.mediaType?.startsWith("application/vnd.oci") ? OCI_MANIFEST : MANIFEST_V2;
}

export interface StoreOptions {
  tag?: string;
  mediaType?: string;
  digest?: string;
}

/** Store a manifest in a repository as PutImage and a registry push do. */
export function storeImage(ctx: Ctx, s: EcrState, r: Repo, manifest: string, o: StoreOptions): Image {
  const parsed = parseManifest(manifest);
  const digest = sha256(manifest);
  if (o.digest && o.digest !== digest) throw err("ImageDigestDoesNotMatchException", `Provided digest ${o.digest} does not match calculated digest ${digest}`);
  const mediaType = mediaTypeOf(parsed, o.mediaType);
  if (parsed.mediaType && o.mediaType && parsed.mediaType !== o.mediaType)
    throw invalid(
      `Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'Manifest media type ${parsed.mediaType} does not match ${o.mediaType}'`,
    );
  const tag = o.tag;
  const existing = r.images.get(digest);
  if (existing && (tag === undefined || existing.tags.includes(tag)))
    throw err(
      "ImageAlreadyExistsException",
      `Image with digest '${digest}' ${tag ? `and tag '${tag}' ` : ""}already exists in the repository with name '${r.name}' in registry with id '${s.accountId}'`,
    );
  const layers = parsed.layers ?? [];
  const blobs = [...(parsed.config?.digest ? [parsed.config.digest] : []), ...layers.map((l) => l.digest)];
  const children = (parsed.manifests ?? []).map((m) => m.digest);
  if (ctx.config.strict) {
    const missing = blobs.filter((d) => !r.layers.has(d));
    if (missing.length) throw err("LayersNotFoundException", `The following layers were not found: [${missing.join(", ")}]`);
    const refs = children.filter((d) => !r.images.has(d));
    if (refs.length) throw err("ReferencedImagesNotFoundException", `The following referenced images were not found: [${refs.join(", ")}]`);
  }
  if (tag) {
    const holder = r.tagIndex.get(tag);
    if (holder && holder !== digest && tagImmutable(r, tag))
      throw err(
        "ImageTagAlreadyExistsException",
        `The image tag '${tag}' already exists in the '${r.name}' repository and cannot be overwritten because the repository is immutable.`,
      );
    const prev = holder ? r.images.get(holder) : undefined;
    if (prev) untag(r, prev, tag);
  }
  const img: Image = existing ?? {
    digest,
    tags: [],
    manifest,
    mediaType,
    artifactMediaType: parsed.config?.mediaType,
    subject: parsed.subject?.digest,
    artifactType: parsed.artifactType ?? (parsed.subject ? parsed.config?.mediaType : undefined),
    annotations: parsed.annotations,
    blobs,
    children,
    pushedAt: ctx.now(),
    size: children.length
      ? Math.max(0, ...children.map((d) => r.images.get(d)?.size ?? 0))
      : layers.reduce((n, l) => n + (l.size ?? 0), parsed.config?.size ?? 0),
    status: "ACTIVE",
  };
  if (tag) {
    img.tags.push(tag);
    r.tagIndex.set(tag, digest);
  }
  r.images.set(digest, img);
  // A blob a manifest refers to takes the media type the manifest names (BatchCheckLayerAvailability answers it, recorded).
  const refer = (d: string, size: number | undefined, mediaType: string | undefined) => {
    const have = r.layers.get(d);
    if (!have) r.layers.set(d, { size: size ?? 0, mediaType });
    else if (!have.mediaType && mediaType) have.mediaType = mediaType;
  };
  for (const l of layers) refer(l.digest, l.size, l.mediaType);
  if (parsed.config?.digest) refer(parsed.config.digest, parsed.config.size, parsed.config.mediaType);
  if (!existing && scanOnPush(s, r)) scan(img, ctx.now(), s.scanning.scanType);
  if (!existing) signOnPush(s, r, img, ctx.now());
  return img;
}

/**
 * Managed signing: an image pushed to a repository that a signing rule matches (a rule without filters matches
 * every repository) gets a signing job per distinct signing profile. Artifacts that refer to another image
 * (signatures, SBOMs: a manifest with a subject) are not signed.
 */
function signOnPush(s: EcrState, r: Repo, img: Image, now: Date): void {
  if (img.subject || !s.signing?.rules.length) return;
  const profiles = new Set<string>();
  for (const rule of s.signing.rules)
    if (!rule.repositoryFilters?.length || rule.repositoryFilters.some((f) => wildcard(f.filter, r.name))) profiles.add(rule.signingProfileArn);
  if (profiles.size) img.signing = [...profiles].map((signingProfileArn) => ({ signingProfileArn, startedAt: now }));
}

function scanOnPush(s: EcrState, r: Repo): boolean {
  if (s.scanning.scanType === "ENHANCED") return s.scanning.rules.some((x) => x.repositoryFilters.some((f) => wildcard(f.filter, r.name)));
  return r.scanOnPush || s.scanning.rules.some((x) => x.scanFrequency === "SCAN_ON_PUSH" && x.repositoryFilters.some((f) => wildcard(f.filter, r.name)));
}

function scan(i: Image, now: Date, scanType: string): void {
  i.scan =
    scanType === "ENHANCED"
      ? { status: "ACTIVE", description: "Continuous scan is selected for image.", completedAt: now }
      : { status: "COMPLETE", description: "The scan was completed successfully.", completedAt: now };
}

/** Copy a pushed image to every destination the registry's replication rules name for this repository. */
export async function replicate(ctx: Ctx, s: EcrState, r: Repo, img: Image, tag: string | undefined): Promise<void> {
  const done = new Set<string>();
  const statuses: NonNullable<Image["replicated"]> = [];
  for (const rule of s.replication.rules) {
    if (rule.repositoryFilters?.length && !rule.repositoryFilters.some((f) => r.name.startsWith(f.filter))) continue;
    for (const d of rule.destinations) {
      const key = `${d.registryId}/${d.region}`;
      if (done.has(key) || (d.region === s.region && d.registryId === s.accountId)) continue;
      done.add(key);
      const dest = await ctx.stateOf<EcrState>("ecr", d.region, d.registryId);
      try {
        const dr = dest.repos.get(r.name) ?? createFromTemplate(ctx, dest, r.name, "REPLICATION");
        for (const b of img.blobs) {
          copyBlob(s, dest, b);
          const l = r.layers.get(b);
          if (l && !dr.layers.has(b)) dr.layers.set(b, l);
        }
        const have = dr.images.get(img.digest);
        if (!have || (tag && !have.tags.includes(tag))) storeImage(ctx, dest, dr, img.manifest, { tag, mediaType: img.mediaType });
        statuses.push({ region: d.region, registryId: d.registryId, status: "COMPLETE" });
      } catch (e) {
        statuses.push({ region: d.region, registryId: d.registryId, status: "FAILED", failureCode: (e as { code?: string }).code ?? "UNKNOWN" });
      }
    }
  }
  img.replicated = statuses;
}

function imageDetail(s: EcrState, r: Repo, i: Image) {
  return {
    registryId: s.accountId,
    repositoryName: r.name,
    imageDigest: i.digest,
    imageTags: i.tags.length ? [...i.tags] : undefined,
    imageSizeInBytes: i.size,
    imagePushedAt: i.pushedAt,
    imageScanStatus: i.scan ? { status: i.scan.status, description: i.scan.description } : undefined,
    imageScanFindingsSummary: i.scan
      ? { imageScanCompletedAt: i.scan.completedAt, vulnerabilitySourceUpdatedAt: i.scan.completedAt, findingSeverityCounts: {} }
      : undefined,
    imageManifestMediaType: i.mediaType,
    artifactMediaType: i.artifactMediaType,
    lastRecordedPullTime: i.lastPull,
    subjectManifestDigest: i.subject,
    imageStatus: i.status,
    lastArchivedAt: i.lastArchivedAt,
    lastActivatedAt: i.lastActivatedAt,
  };
}

const statusMatches = (i: Image, want?: string) => (want ?? "ACTIVE") === "ANY" || (want ?? "ACTIVE") === i.status;
const tagMatches = (tagged: boolean, status?: string) => status === undefined || status === "ANY" || (status === "TAGGED") === tagged;

/** Check an image id as BatchGetImage/BatchDeleteImage do; answer the failure or undefined. */
function idFailure(id: ImageId) {
  if (!id.imageDigest && !id.imageTag)
    return { imageId: id, failureCode: "MissingDigestAndTag", failureReason: "Invalid request parameters: both tag and digest cannot be null" };
  if (id.imageDigest && !/^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/.test(id.imageDigest))
    return {
      imageId: id,
      failureCode: "InvalidImageDigest",
      failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
    };
  return undefined;
}

export const imageOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  async PutImage(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const manifest = String(v.imageManifest ?? "");
    if (!manifest) throw invalid("Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must not be null'");
    // A schema 2 manifest without mediaType needs imageManifestMediaType: ECR answers as for bad JSON.
    const parsed = parseManifest(manifest);
    if (!v.imageManifestMediaType && !parsed.mediaType && parsed.schemaVersion !== 1)
      throw invalid("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
    const img = storeImage(ctx, s, r, manifest, { tag: v.imageTag, mediaType: v.imageManifestMediaType, digest: v.imageDigest });
    await replicate(ctx, s, r, img, v.imageTag);
    return {
      image: {
        registryId: s.accountId,
        repositoryName: r.name,
        imageId: imageIdOf(img, v.imageTag),
        imageManifest: manifest,
        imageManifestMediaType: img.mediaType,
      },
    };
  },
  BatchGetImage(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    sweepLifecycle(s, ctx.now(), r);
    const accepted: string[] | undefined = v.acceptedMediaTypes;
    const images: unknown[] = [];
    const failures: unknown[] = [];
    const seen = new Set<string>();
    for (const id of (v.imageIds ?? []) as ImageId[]) {
      const bad = idFailure(id);
      if (bad) {
        failures.push(bad);
        continue;
      }
      const i = findImage(r, id);
      if (!i) {
        const tagOnly = id.imageDigest && id.imageTag && r.images.has(id.imageDigest);
        failures.push(
          tagOnly
            ? { imageId: id, failureCode: "ImageTagDoesNotMatchDigest", failureReason: "Invalid request parameters: given tag does not match the digest" }
            : { imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" },
        );
        continue;
      }
      if (i.status !== "ACTIVE") {
        failures.push({ imageId: id, failureCode: "ImageInaccessible", failureReason: "The image is archived and cannot be pulled. Restore it first." });
        continue;
      }
      if (accepted?.length && !accepted.includes(i.mediaType)) {
        failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
        continue;
      }
      const key = `${i.digest}/${id.imageTag ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      i.lastPull = ctx.now();
      images.push({
        registryId: s.accountId,
        repositoryName: r.name,
        imageId: { imageDigest: i.digest, imageTag: id.imageTag },
        imageManifest: i.manifest,
        imageManifestMediaType: i.mediaType,
      });
    }
    return { images, failures };
  },
  BatchDeleteImage(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const imageIds: ImageId[] = [];
    const failures: unknown[] = [];
    for (const id of (v.imageIds ?? []) as ImageId[]) {
      const bad = idFailure(id);
      if (bad) {
        failures.push(bad);
        continue;
      }
      const i = findImage(r, id);
      if (!i) {
        failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
        continue;
      }
      const parent = [...r.images.values()].find((p) => p.children.includes(i.digest));
      if (id.imageDigest && parent) {
        failures.push({
          imageId: id,
          failureCode: "ImageReferencedByManifestList",
          failureReason: `Requested image referenced by manifest list: [${parent.digest}]`,
        });
        continue;
      }
      if (id.imageTag && !id.imageDigest) {
        // By tag: the tag goes; the image goes with its last tag.
        untag(r, i, id.imageTag);
        if (i.tags.length === 0) removeImage(r, i);
        imageIds.push({ imageDigest: i.digest, imageTag: id.imageTag });
      } else {
        removeImage(r, i);
        if (i.tags.length) for (const t of i.tags) imageIds.push({ imageDigest: i.digest, imageTag: t });
        else imageIds.push({ imageDigest: i.digest });
      }
    }
    return { imageIds, failures };
  },
  DescribeImages(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    sweepLifecycle(s, ctx.now(), r);
    let all: Image[];
    if (v.imageIds?.length) {
      if (v.nextToken !== undefined || v.maxResults !== undefined)
        throw invalid("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Cannot specify maxResults or nextToken along with imageIds'");
      all = [...new Set((v.imageIds as ImageId[]).map((id) => requireImage(s, r, id)))];
    } else
      all = [...r.images.values()]
        .filter((i) => tagMatches(i.tags.length > 0, v.filter?.tagStatus) && statusMatches(i, v.filter?.imageStatus))
        .sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (i) => i.digest, ...tokenOpts });
    return { imageDetails: p.items.map((i) => imageDetail(s, r, i)), nextToken: p.nextToken };
  },
  ListImages(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    sweepLifecycle(s, ctx.now(), r);
    const ids = [...r.images.values()]
      .filter((i) => statusMatches(i, v.filter?.imageStatus))
      .sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : 1))
      .flatMap((i): ImageId[] => (i.tags.length ? i.tags.map((t) => ({ imageDigest: i.digest, imageTag: t })) : [{ imageDigest: i.digest }]))
      .filter((i) => tagMatches(i.imageTag !== undefined, v.filter?.tagStatus));
    const p = paginate(ids, {
      maxResults: v.maxResults,
      nextToken: v.nextToken,
      defaultMax: 100,
      key: (i) => `${i.imageDigest}:${i.imageTag ?? ""}`,
      ...tokenOpts,
    });
    return { imageIds: p.items, nextToken: p.nextToken };
  },
  ListImageReferrers(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const types: string[] | undefined = v.filter?.artifactTypes;
    const want = v.filter?.artifactStatus;
    const all = [...r.images.values()]
      .filter((i) => i.subject === v.subjectId?.imageDigest && statusMatches(i, want) && (!types?.length || types.includes(String(i.artifactType))))
      .sort((a, b) => (a.digest < b.digest ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 50, key: (i) => i.digest, ...tokenOpts });
    return {
      referrers: p.items.map((i) => ({
        digest: i.digest,
        mediaType: i.mediaType,
        artifactType: i.artifactType,
        size: Buffer.byteLength(i.manifest),
        annotations: i.annotations,
        artifactStatus: i.status,
      })),
      nextToken: p.nextToken,
    };
  },
  UpdateImageStorageClass(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const i = requireImage(s, r, v.imageId);
    const target = String(v.targetStorageClass);
    let status: string = i.status;
    if (target === "ARCHIVE" && i.status !== "ARCHIVED") {
      i.status = "ARCHIVED";
      i.lastArchivedAt = ctx.now();
      status = "ARCHIVED";
    } else if (target === "STANDARD" && i.status === "ARCHIVED") {
      // Restores take minutes on AWS: the answer says ACTIVATING; awsim's state is ACTIVE at once.
      i.status = "ACTIVE";
      i.lastActivatedAt = ctx.now();
      status = "ACTIVATING";
    }
    return { registryId: s.accountId, repositoryName: r.name, imageId: imageIdOf(i, v.imageId?.imageTag), imageStatus: status };
  },
  StartImageScan(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const i = requireImage(s, r, v.imageId);
    if (i.status === "ARCHIVED") throw err("ImageArchivedException", `The image with imageId ${idText(v.imageId)} is archived and cannot be scanned.`);
    if (i.children.length) throw err("UnsupportedImageTypeException", "The image type is not supported for scanning.");
    if (s.scanning.scanType === "ENHANCED")
      throw invalid("Invalid parameter at 'registryId' failed to satisfy constraint: 'Manual scans are not supported with enhanced scanning'");
    if (i.scan && ctx.now().getTime() - i.scan.completedAt.getTime() < DAY)
      throw err("LimitExceededException", "The scan quota per image has been exceeded. Wait and try again.");
    scan(i, ctx.now(), "BASIC");
    // The image id as asked for: a digest alone names no tag (recorded).
    return { registryId: s.accountId, repositoryName: r.name, imageId: askedId(i, v.imageId), imageScanStatus: { status: "IN_PROGRESS" } };
  },
  DescribeImageScanFindings(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const i = requireImage(s, r, v.imageId);
    if (!i.scan)
      throw err(
        "ScanNotFoundException",
        `Image scan does not exist for the image with '${idText(v.imageId)}' in the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    if (v.nextToken !== undefined && v.nextToken !== "") throw tokenOpts.invalidToken();
    return {
      registryId: s.accountId,
      repositoryName: r.name,
      imageId: askedId(i, v.imageId),
      imageScanStatus: { status: i.scan.status, description: i.scan.description },
      imageScanFindings: {
        imageScanCompletedAt: i.scan.completedAt,
        vulnerabilitySourceUpdatedAt: i.scan.completedAt,
        findingSeverityCounts: {},
        findings: s.scanning.scanType === "ENHANCED" ? undefined : [],
        enhancedFindings: s.scanning.scanType === "ENHANCED" ? [] : undefined,
      },
    };
  },
  DescribeImageReplicationStatus(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const i = requireImage(s, r, v.imageId);
    return { repositoryName: r.name, imageId: imageIdOf(i, v.imageId?.imageTag), replicationStatuses: i.replicated ?? [] };
  },
};

/** The image id an answer names: the digest, and the tag only when the request named one. */
function askedId(i: { digest: string }, asked: { imageTag?: string } | undefined): { imageDigest: string; imageTag?: string } {
  return { imageDigest: i.digest, imageTag: asked?.imageTag };
}
