/**
 * ECR (AWS JSON 1.1, AmazonEC2ContainerRegistry_V20150921): repositories, image manifests (PutImage,
 * BatchGetImage, DescribeImages, ListImages, BatchDeleteImage), layer availability, authorization tokens,
 * lifecycle and repository policies, tags, tag mutability and scanning configuration.
 * Gaps: there is no registry (Docker/OCI HTTP) endpoint, so `docker push` does not work; layers are known
 * only through the manifests PutImage receives; scans and replication are not performed.
 */
import { createHash, randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { paginate } from "../core/paginate.js";
import { mergeTags } from "../core/tags.js";
import type { Ctx, ServiceDefinition } from "../core/types.js";

type Input = Record<string, any>;
interface Image {
  digest: string;
  tags: string[];
  manifest: string;
  mediaType: string;
  pushedAt: Date;
  size: number;
}
interface Repo {
  name: string;
  arn: string;
  uri: string;
  created: Date;
  mutability: string;
  scanOnPush: boolean;
  encryption: Record<string, unknown>;
  tags: Array<{ Key: string; Value: string }>;
  images: Map<string, Image>;
  lifecycle?: string;
  policy?: string;
  layers: Set<string>;
}
interface EcrState {
  accountId: string;
  region: string;
  repos: Map<string, Repo>;
}

const st = (ctx: Ctx) => ctx.state<EcrState>();
const err = (code: string, m: string) => new AwsError(code, m, 400);
const REPO = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

function getRepo(s: EcrState, name: unknown): Repo {
  const r = s.repos.get(String(name));
  if (!r) throw err("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${s.accountId}'`);
  return r;
}

const repoOut = (s: EcrState, r: Repo) => ({
  repositoryArn: r.arn,
  registryId: s.accountId,
  repositoryName: r.name,
  repositoryUri: r.uri,
  createdAt: r.created,
  imageTagMutability: r.mutability,
  imageScanningConfiguration: { scanOnPush: r.scanOnPush },
  encryptionConfiguration: r.encryption,
});

function findImage(r: Repo, id: { imageDigest?: string; imageTag?: string }): Image | undefined {
  if (id.imageDigest) {
    const i = r.images.get(id.imageDigest);
    return i && (!id.imageTag || i.tags.includes(id.imageTag)) ? i : undefined;
  }
  return [...r.images.values()].find((i) => i.tags.includes(String(id.imageTag)));
}

const imageId = (i: Image, tag?: string) => ({ imageDigest: i.digest, imageTag: tag ?? i.tags[0] });
const token = () => ({
  invalidToken: () => err("InvalidParameterException", "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid nextToken'"),
});

const ops: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateRepository(ctx, v) {
    const s = st(ctx);
    const name = String(v.repositoryName ?? "");
    if (!REPO.test(name) || name.length < 2 || name.length > 256) {
      throw err(
        "InvalidParameterException",
        `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
      );
    }
    if (s.repos.has(name))
      throw err("RepositoryAlreadyExistsException", `The repository with name '${name}' already exists in the registry with id '${s.accountId}'`);
    const r: Repo = {
      name,
      arn: `arn:aws:ecr:${s.region}:${s.accountId}:repository/${name}`,
      uri: `${s.accountId}.dkr.ecr.${s.region}.amazonaws.com/${name}`,
      created: ctx.now(),
      mutability: v.imageTagMutability ?? "MUTABLE",
      scanOnPush: v.imageScanningConfiguration?.scanOnPush === true,
      encryption: v.encryptionConfiguration ?? { encryptionType: "AES256" },
      tags: v.tags ?? [],
      images: new Map(),
      layers: new Set(),
    };
    s.repos.set(name, r);
    return { repository: repoOut(s, r) };
  },
  DescribeRepositories(ctx, v) {
    const s = st(ctx);
    const names: string[] = v.repositoryNames ?? [];
    const all = names.length ? names.map((n) => getRepo(s, n)) : [...s.repos.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (r) => r.name, ...token() });
    return { repositories: p.items.map((r) => repoOut(s, r)), nextToken: p.nextToken };
  },
  DeleteRepository(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    if (r.images.size && v.force !== true)
      throw err(
        "RepositoryNotEmptyException",
        `The repository with name '${r.name}' in registry with id '${s.accountId}' cannot be deleted because it still contains images`,
      );
    s.repos.delete(r.name);
    return { repository: repoOut(s, r) };
  },
  PutImage(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const manifest = String(v.imageManifest ?? "");
    if (!manifest) throw err("InvalidParameterException", "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must not be null'");
    let parsed: { mediaType?: string; layers?: Array<{ digest: string; size?: number }>; config?: { size?: number } } = {};
    try {
      parsed = JSON.parse(manifest);
    } catch {
      throw err("InvalidParameterException", "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
    }
    const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
    if (v.imageDigest && v.imageDigest !== digest)
      throw err("ImageDigestDoesNotMatchException", `Provided digest ${v.imageDigest} does not match calculated digest ${digest}`);
    const tag: string | undefined = v.imageTag;
    const existing = r.images.get(digest);
    if (existing && (tag === undefined || existing.tags.includes(tag))) {
      throw err(
        "ImageAlreadyExistsException",
        `Image with digest '${digest}' ${tag ? `and tag '${tag}' ` : ""}already exists in the repository with name '${r.name}' in registry with id '${s.accountId}'`,
      );
    }
    if (tag) {
      const holder = [...r.images.values()].find((i) => i.tags.includes(tag));
      if (holder && r.mutability.startsWith("IMMUTABLE"))
        throw err(
          "ImageTagAlreadyExistsException",
          `The image tag '${tag}' already exists in the '${r.name}' repository and cannot be overwritten because the repository is immutable.`,
        );
      if (holder) holder.tags = holder.tags.filter((t) => t !== tag);
    }
    const img: Image = existing ?? {
      digest,
      tags: [],
      manifest,
      mediaType: v.imageManifestMediaType ?? parsed.mediaType ?? MANIFEST_V2,
      pushedAt: ctx.now(),
      size: (parsed.layers ?? []).reduce((n, l) => n + (l.size ?? 0), parsed.config?.size ?? 0),
    };
    if (tag) img.tags.push(tag);
    r.images.set(digest, img);
    for (const l of parsed.layers ?? []) r.layers.add(l.digest);
    return {
      image: { registryId: s.accountId, repositoryName: r.name, imageId: imageId(img, tag), imageManifest: manifest, imageManifestMediaType: img.mediaType },
    };
  },
  BatchGetImage(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const images: unknown[] = [];
    const failures: unknown[] = [];
    for (const id of v.imageIds ?? []) {
      const i = findImage(r, id);
      if (i)
        images.push({
          registryId: s.accountId,
          repositoryName: r.name,
          imageId: imageId(i, id.imageTag),
          imageManifest: i.manifest,
          imageManifestMediaType: i.mediaType,
        });
      else failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
    }
    return { images, failures };
  },
  BatchDeleteImage(ctx, v) {
    const r = getRepo(st(ctx), v.repositoryName);
    const imageIds: unknown[] = [];
    const failures: unknown[] = [];
    for (const id of v.imageIds ?? []) {
      const i = findImage(r, id);
      if (!i) {
        failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
        continue;
      }
      if (id.imageTag && !id.imageDigest && i.tags.length > 1) i.tags = i.tags.filter((t) => t !== id.imageTag);
      else r.images.delete(i.digest);
      imageIds.push(imageId(i, id.imageTag));
    }
    return { imageIds, failures };
  },
  DescribeImages(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    let all = [...r.images.values()];
    if (v.imageIds?.length) {
      all = (v.imageIds as Array<{ imageDigest?: string; imageTag?: string }>).map((id) => {
        const i = findImage(r, id);
        if (!i)
          throw err(
            "ImageNotFoundException",
            `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist within the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
          );
        return i;
      });
    }
    const status = v.filter?.tagStatus;
    all = all
      .filter((i) => status === undefined || status === "ANY" || (status === "TAGGED" ? i.tags.length > 0 : i.tags.length === 0))
      .sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (i) => i.digest, ...token() });
    return {
      imageDetails: p.items.map((i) => ({
        registryId: s.accountId,
        repositoryName: r.name,
        imageDigest: i.digest,
        imageTags: i.tags.length ? i.tags : undefined,
        imageSizeInBytes: i.size,
        imagePushedAt: i.pushedAt,
        imageManifestMediaType: i.mediaType,
        artifactMediaType: "application/vnd.docker.container.image.v1+json",
      })),
      nextToken: p.nextToken,
    };
  },
  ListImages(ctx, v) {
    const r = getRepo(st(ctx), v.repositoryName);
    const status = v.filter?.tagStatus;
    const ids: Array<{ imageDigest: string; imageTag?: string }> = [...r.images.values()].flatMap(
      (i): Array<{ imageDigest: string; imageTag?: string }> =>
        i.tags.length ? i.tags.map((t) => ({ imageDigest: i.digest, imageTag: t })) : [{ imageDigest: i.digest }],
    );
    const all = ids.filter((i) => status === undefined || status === "ANY" || (status === "TAGGED" ? i.imageTag !== undefined : i.imageTag === undefined));
    const p = paginate(all, {
      maxResults: v.maxResults,
      nextToken: v.nextToken,
      defaultMax: 100,
      key: (i) => `${i.imageDigest}:${i.imageTag ?? ""}`,
      ...token(),
    });
    return { imageIds: p.items, nextToken: p.nextToken };
  },
  BatchCheckLayerAvailability(ctx, v) {
    const r = getRepo(st(ctx), v.repositoryName);
    return {
      layers: (v.layerDigests ?? []).map((d: string) => ({ layerDigest: d, layerAvailability: r.layers.has(d) ? "AVAILABLE" : "UNAVAILABLE" })),
      failures: [],
    };
  },
  GetAuthorizationToken(ctx) {
    const s = st(ctx);
    const password = randomBytes(48).toString("base64");
    return {
      authorizationData: [
        {
          authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
          expiresAt: new Date(Date.now() + 12 * 3600_000),
          proxyEndpoint: `https://${s.accountId}.dkr.ecr.${s.region}.amazonaws.com`,
        },
      ],
    };
  },
  PutLifecyclePolicy(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    try {
      JSON.parse(String(v.lifecyclePolicyText));
    } catch {
      throw err(
        "InvalidParameterException",
        "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: Could not map policyString into LifecyclePolicy.'",
      );
    }
    r.lifecycle = String(v.lifecyclePolicyText);
    return { registryId: s.accountId, repositoryName: r.name, lifecyclePolicyText: r.lifecycle };
  },
  GetLifecyclePolicy(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    if (!r.lifecycle)
      throw err(
        "LifecyclePolicyNotFoundException",
        `Lifecycle policy does not exist for the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    return { registryId: s.accountId, repositoryName: r.name, lifecyclePolicyText: r.lifecycle, lastEvaluatedAt: new Date(0) };
  },
  DeleteLifecyclePolicy(ctx, v) {
    const s = st(ctx);
    const out = ops.GetLifecyclePolicy!(ctx, v);
    getRepo(s, v.repositoryName).lifecycle = undefined;
    return out;
  },
  SetRepositoryPolicy(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    try {
      JSON.parse(String(v.policyText));
    } catch {
      throw err("InvalidParameterException", "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
    }
    r.policy = String(v.policyText);
    return { registryId: s.accountId, repositoryName: r.name, policyText: r.policy };
  },
  GetRepositoryPolicy(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    if (!r.policy)
      throw err(
        "RepositoryPolicyNotFoundException",
        `Repository policy does not exist for the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    return { registryId: s.accountId, repositoryName: r.name, policyText: r.policy };
  },
  DeleteRepositoryPolicy(ctx, v) {
    const out = ops.GetRepositoryPolicy!(ctx, v);
    getRepo(st(ctx), v.repositoryName).policy = undefined;
    return out;
  },
  PutImageTagMutability(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    r.mutability = String(v.imageTagMutability);
    return { registryId: s.accountId, repositoryName: r.name, imageTagMutability: r.mutability };
  },
  PutImageScanningConfiguration(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    r.scanOnPush = v.imageScanningConfiguration?.scanOnPush === true;
    return { registryId: s.accountId, repositoryName: r.name, imageScanningConfiguration: { scanOnPush: r.scanOnPush } };
  },
  TagResource(ctx, v) {
    const r = byArn(st(ctx), v.resourceArn);
    r.tags = mergeTags(r.tags, v.tags ?? []);
    return {};
  },
  UntagResource(ctx, v) {
    const r = byArn(st(ctx), v.resourceArn);
    const drop = new Set<string>(v.tagKeys ?? []);
    r.tags = r.tags.filter((t) => !drop.has(t.Key));
    return {};
  },
  ListTagsForResource: (ctx, v) => ({ tags: byArn(st(ctx), v.resourceArn).tags }),
};

function byArn(s: EcrState, arn: string): Repo {
  const m = /^arn:aws[\w-]*:ecr:[^:]+:\d{12}:repository\/(.+)$/.exec(String(arn ?? ""));
  if (!m) throw err("InvalidParameterException", "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
  return getRepo(s, m[1]);
}

const ecr: ServiceDefinition<EcrState> = {
  name: "ecr",
  protocol: "json",
  targetPrefix: "AmazonEC2ContainerRegistry_V20150921",
  jsonVersion: "1.1",
  createState: ({ accountId, region }) => ({ accountId, region, repos: new Map() }),
  counts: (s) => ({ repositories: s.repos.size }),
  operations: ops,
};

export default ecr;
