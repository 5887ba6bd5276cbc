/** Repositories: create (directly or from a creation template), describe, delete, policies, settings, tags. */
import { awsManagedKmsKey } from "../core/arn.js";
import { paginate } from "../core/paginate.js";
import { mergeTags } from "../core/tags.js";
import type { Ctx } from "../core/types.js";
import {
  type EcrState,
  err,
  getRepo,
  type Input,
  invalid,
  policyStatements,
  type Repo,
  repoOut,
  st,
  type Tag,
  tokenOpts,
  type WildcardFilter,
  wildcard,
} from "./state.js";
import { dropUpload } from "./blobs.js";
import { validateLifecyclePolicy } from "./lifecycle.js";

const NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

export interface RepoOptions {
  tags?: Tag[];
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: WildcardFilter[];
  scanOnPush?: boolean;
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
  policy?: string;
  lifecycle?: string;
}

function checkExclusions(mutability: string, filters: WildcardFilter[] | undefined): void {
  const withExclusion = mutability.endsWith("_WITH_EXCLUSION");
  // AWS's text (aws/aws-cdk#35246, 2025, for IMMUTABLE_WITH_EXCLUSION).
  if (withExclusion && !filters?.length)
    throw invalid(
      `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as ${mutability}'`,
    );
  if (!withExclusion && filters?.length)
    throw invalid(
      "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'may only be provided when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'",
    );
}

export function createRepo(ctx: Ctx, s: EcrState, name: string, o: RepoOptions): Repo {
  if (!NAME.test(name) || name.length < 2 || name.length > 256)
    throw invalid(
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''",
    );
  if (s.repos.has(name))
    throw err("RepositoryAlreadyExistsException", `The repository with name '${name}' already exists in the registry with id '${s.accountId}'`);
  if ((o.tags?.length ?? 0) > 50) throw err("TooManyTagsException", "Tag limit exceeded for resource. Maximum allowed tags are 50.");
  const mutability = o.imageTagMutability ?? "MUTABLE";
  checkExclusions(mutability, o.imageTagMutabilityExclusionFilters);
  const enc = o.encryptionConfiguration ?? { encryptionType: "AES256" };
  if (enc.encryptionType === "AES256" && enc.kmsKey)
    throw invalid("Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'KMS key is only supported for KMS encryption type'");
  const r: Repo = {
    name,
    arn: `arn:aws:ecr:${s.region}:${s.accountId}:repository/${name}`,
    uri: `${s.accountId}.dkr.ecr.${s.region}.amazonaws.com/${name}`,
    created: ctx.now(),
    mutability,
    exclusions: o.imageTagMutabilityExclusionFilters ?? [],
    scanOnPush: o.scanOnPush === true,
    // Without a kmsKey, the account's AWS managed key for ECR (aws/ecr): "If no key is specified, the default Amazon Web
    // Services managed KMS key for Amazon ECR will be used" (API reference, EncryptionConfiguration).
    encryption:
      enc.encryptionType === "AES256"
        ? { encryptionType: "AES256" }
        : { encryptionType: enc.encryptionType, kmsKey: enc.kmsKey ?? awsManagedKmsKey("aws/ecr", s.accountId, s.region) },
    tags: o.tags ?? [],
    images: new Map(),
    tagIndex: new Map(),
    layers: new Map(),
    policy: o.policy,
    lifecycle: o.lifecycle,
  };
  s.repos.set(name, r);
  return r;
}

/** The creation template that applies to `name` for `reason` (REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH): longest prefix wins, ROOT last. */
export function templateFor(s: EcrState, name: string, reason: string) {
  let best: { prefix: string; t: ReturnType<EcrState["templates"]["get"]> } | undefined;
  for (const t of s.templates.values()) {
    if (!t.appliedFor.includes(reason)) continue;
    const p = t.prefix === "ROOT" ? "" : t.prefix.endsWith("/") ? t.prefix : `${t.prefix}/`;
    if (t.prefix !== "ROOT" && !name.startsWith(p) && name !== t.prefix) continue;
    if (!best || p.length > best.prefix.length) best = { prefix: p, t };
  }
  return best?.t;
}

/** Create a repository the way ECR does for replication, pull-through cache or create-on-push. */
export function createFromTemplate(ctx: Ctx, s: EcrState, name: string, reason: string): Repo {
  // The repository gets its own copies: a later change to the template (or to the repository) leaves the other be.
  const t = structuredClone(templateFor(s, name, reason));
  return createRepo(ctx, s, name, {
    tags: t?.resourceTags,
    imageTagMutability: t?.imageTagMutability,
    imageTagMutabilityExclusionFilters: t?.imageTagMutabilityExclusionFilters,
    encryptionConfiguration: t?.encryptionConfiguration,
    policy: t?.repositoryPolicy ? parsePolicy(t.repositoryPolicy, "repositoryPolicy") : undefined,
    lifecycle: t?.lifecyclePolicy ? compactJson(t.lifecyclePolicy) : undefined,
  });
}

/**
 * A repository policy as ECR keeps it: re-serialized the way ECR answers it (recorded), see jacksonPretty.
 * SetRepositoryPolicy refuses statements naming a Resource: the repository is the resource (aws/aws-cdk#24314,
 * aws/aws-cdk#3583: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'").
 */
function parsePolicy(text: unknown, field: string, noResource = false): string {
  let p: unknown;
  try {
    p = JSON.parse(String(text));
    const statements = policyStatements(p);
    if (!statements) throw new Error();
    if (noResource && statements.some((x) => x.Resource !== undefined || x.NotResource !== undefined)) throw new Error();
  } catch {
    throw invalid(`Invalid parameter at '${field}' failed to satisfy constraint: 'Invalid repository policy provided'`);
  }
  return jacksonPretty(p);
}

/**
 * JSON in the layout ECR answers repository policies in (a Jackson default pretty printer, as recorded:
 * "{\n  \"Version\" : \"2008-10-17\",\n  \"Statement\" : [ {\n    \"Sid\" : ..."): objects one member a line,
 * indented two spaces per enclosing object, " : " between name and value; arrays on one line, "[ a, b ]";
 * empty ones "{ }" and "[ ]"; no final newline. Members keep their order.
 */
export function jacksonPretty(v: unknown, depth = 0): string {
  if (Array.isArray(v)) return v.length ? `[ ${v.map((x) => jacksonPretty(x, depth)).join(", ")} ]` : "[ ]";
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (!entries.length) return "{ }";
    const pad = "  ".repeat(depth + 1);
    return `{\n${entries.map(([k, x]) => `${pad}${JSON.stringify(k)} : ${jacksonPretty(x, depth + 1)}`).join(",\n")}\n${"  ".repeat(depth)}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** ECR keeps (and answers) a lifecycle policy as compact JSON (recorded); text that is not JSON stays as it is. */
function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function byArn(s: EcrState, arn: unknown): Repo {
  const m = /^arn:aws[\w-]*:ecr:([^:]+):(\d{12}):repository\/(.+)$/.exec(String(arn ?? ""));
  if (!m) throw invalid("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
  if (m[1] !== s.region || m[2] !== s.accountId) throw invalid(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
  return getRepo(s, m[3]);
}

function checkTags(tags: Tag[]): void {
  for (const t of tags)
    if (t.Key === undefined || t.Value === undefined || t.Key.startsWith("aws:"))
      throw err(
        "InvalidTagParameterException",
        "Invalid parameter at 'tags' failed to satisfy constraint: 'Tag keys and values must be provided and may not begin with aws:'",
      );
}

export const repositoryOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateRepository(ctx, v) {
    const s = st(ctx);
    checkTags(v.tags ?? []);
    const r = createRepo(ctx, s, String(v.repositoryName ?? ""), {
      tags: v.tags,
      imageTagMutability: v.imageTagMutability,
      imageTagMutabilityExclusionFilters: v.imageTagMutabilityExclusionFilters,
      scanOnPush: v.imageScanningConfiguration?.scanOnPush,
      encryptionConfiguration: v.encryptionConfiguration,
    });
    return { repository: repoOut(s, r) };
  },
  DescribeRepositories(ctx, v) {
    const s = st(ctx);
    const names: string[] = v.repositoryNames ?? [];
    if (names.length && (v.maxResults !== undefined || v.nextToken !== undefined))
      throw invalid("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Cannot specify maxResults or nextToken along with repositoryNames'");
    const all = names.length ? names.map((n) => getRepo(s, n)) : [...s.repos.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (r) => r.name, ...tokenOpts });
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
    for (const u of [...s.uploads.values()]) if (u.repo === r.name) dropUpload(s, u);
    return { repository: repoOut(s, r) };
  },
  SetRepositoryPolicy(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    r.policy = parsePolicy(v.policyText, "PolicyText", true);
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
    const out = repositoryOps.GetRepositoryPolicy!(ctx, v);
    getRepo(st(ctx), v.repositoryName).policy = undefined;
    return out;
  },
  PutImageTagMutability(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const mutability = String(v.imageTagMutability);
    checkExclusions(mutability, v.imageTagMutabilityExclusionFilters);
    r.mutability = mutability;
    r.exclusions = v.imageTagMutabilityExclusionFilters ?? [];
    return {
      registryId: s.accountId,
      repositoryName: r.name,
      imageTagMutability: r.mutability,
      imageTagMutabilityExclusionFilters: r.exclusions.length ? r.exclusions : undefined,
    };
  },
  PutImageScanningConfiguration(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    r.scanOnPush = v.imageScanningConfiguration?.scanOnPush === true;
    return { registryId: s.accountId, repositoryName: r.name, imageScanningConfiguration: { scanOnPush: r.scanOnPush } };
  },
  BatchGetRepositoryScanningConfiguration(ctx, v) {
    const s = st(ctx);
    const scanningConfigurations: unknown[] = [];
    const failures: unknown[] = [];
    for (const name of v.repositoryNames as string[]) {
      const r = s.repos.get(name);
      if (!r) {
        failures.push({ repositoryName: name, failureCode: "REPOSITORY_NOT_FOUND", failureReason: "REPOSITORY_NOT_FOUND" });
        continue;
      }
      const rule = ["CONTINUOUS_SCAN", "SCAN_ON_PUSH"]
        .map((f) => s.scanning.rules.find((x) => x.scanFrequency === f && x.repositoryFilters.some((rf) => wildcard(rf.filter, r.name))))
        .find(Boolean);
      const applied = rule?.repositoryFilters.filter((rf) => wildcard(rf.filter, r.name));
      scanningConfigurations.push({
        repositoryArn: r.arn,
        repositoryName: r.name,
        scanOnPush: r.scanOnPush || rule?.scanFrequency === "SCAN_ON_PUSH",
        scanFrequency: rule?.scanFrequency ?? (r.scanOnPush ? "SCAN_ON_PUSH" : "MANUAL"),
        appliedScanFilters: applied ?? [],
      });
    }
    return { scanningConfigurations, failures };
  },
  TagResource(ctx, v) {
    const r = byArn(st(ctx), v.resourceArn);
    checkTags(v.tags ?? []);
    const merged = mergeTags(r.tags, v.tags ?? []);
    if (merged.length > 50) throw err("TooManyTagsException", "Tag limit exceeded for resource. Maximum allowed tags are 50.");
    r.tags = merged;
    return {};
  },
  UntagResource(ctx, v) {
    const r = byArn(st(ctx), v.resourceArn);
    const drop = new Set<string>(v.tagKeys ?? []);
    r.tags = r.tags.filter((t) => !drop.has(t.Key));
    return {};
  },
  ListTagsForResource: (ctx, v) => ({ tags: byArn(st(ctx), v.resourceArn).tags }),
  PutLifecyclePolicy(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    validateLifecyclePolicy(v.lifecyclePolicyText);
    r.lifecycle = compactJson(String(v.lifecyclePolicyText));
    r.lifecycleSince = ctx.now();
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
    // Never evaluated: the epoch, as AWS answers (recorded lastEvaluatedAt 0.0).
    return { registryId: s.accountId, repositoryName: r.name, lifecyclePolicyText: r.lifecycle, lastEvaluatedAt: r.lifecycleEvaluatedAt ?? new Date(0) };
  },
  DeleteLifecyclePolicy(ctx, v) {
    const out = repositoryOps.GetLifecyclePolicy!(ctx, v);
    getRepo(st(ctx), v.repositoryName).lifecycle = undefined;
    return out;
  },
};
