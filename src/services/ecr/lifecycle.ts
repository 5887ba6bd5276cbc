/**
 * Lifecycle policies: validation of the policy document, rule evaluation (AWS's rules: lowest
 * rulePriority first; an image is acted on by at most one rule; an image that matches the tag
 * selection of a higher-priority rule is never acted on by a lower one, but still counts for it),
 * previews, and the sweep that applies a policy once a day of simulated time has passed.
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import {
  type EcrState,
  err,
  getRepo,
  findImage,
  type Image,
  type Input,
  invalid,
  type PreviewResult,
  type Repo,
  removeImage,
  st,
  tokenOpts,
  wildcard,
} from "./state.js";

interface Rule {
  rulePriority: number;
  description?: string;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPrefixList?: string[];
    tagPatternList?: string[];
    storageClass?: string;
    countType: string;
    countUnit?: string;
    countNumber: number;
  };
  action: { type: string; targetStorageClass?: string };
}

const fail = (m: string) => invalid(`Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${m}'`);
const COUNT_TYPES = ["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"];
const DAY = 86_400_000;

/**
 * ECR checks the document against a JSON schema first and answers in its validator's words (as users
 * report, e.g. hashicorp/terraform-provider-aws#45909, cloudposse/terraform-aws-ecr#158): a rule is a
 * closed object; a selection is one of four closed shapes (one per countType) and an action one of two
 * (expire, transition), so a member they do not name fails every alternative.
 */
const RULE_KEYS = ["rulePriority", "description", "selection", "action"];
const SELECTION_KEYS = ["tagStatus", "tagPrefixList", "tagPatternList", "storageClass", "countType", "countUnit", "countNumber"];
const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
const names = (keys: string[]) => `([${keys.map((k) => JSON.stringify(k)).join(",")}])`;

function checkSchema(doc: Record<string, unknown>): void {
  if (!("rules" in doc)) throw fail(`object has missing required properties ${names(["rules"])}`);
  if (!Array.isArray(doc.rules)) throw fail(`instance type (${jsonType(doc.rules)}) does not match any allowed primitive type (allowed: ["array"])`);
  for (const r of doc.rules as unknown[]) {
    if (jsonType(r) !== "object") throw fail(`instance type (${jsonType(r)}) does not match any allowed primitive type (allowed: ["object"])`);
    const rule = r as Record<string, unknown>;
    const missing = ["action", "rulePriority", "selection"].filter((k) => !(k in rule));
    if (missing.length) throw fail(`object has missing required properties ${names(missing)}`);
    const extra = Object.keys(rule).filter((k) => !RULE_KEYS.includes(k));
    if (extra.length) throw fail(`object instance has properties which are not allowed by the schema: ${names(extra.sort())}`);
    const sel = rule.selection;
    if (jsonType(sel) === "object" && Object.keys(sel as object).some((k) => !SELECTION_KEYS.includes(k)))
      throw fail("instance failed to match exactly one schema (matched 0 out of 4)");
    const act = rule.action as Record<string, unknown>;
    if (jsonType(act) === "object") {
      const allowed = String(act.type).toLowerCase() === "transition" ? ["type", "targetStorageClass"] : ["type"];
      if (Object.keys(act).some((k) => !allowed.includes(k))) throw fail("instance failed to match exactly one schema (matched 0 out of 2)");
    }
  }
}

export function validateLifecyclePolicy(text: unknown): Rule[] {
  let doc: { rules?: unknown };
  try {
    doc = JSON.parse(String(text));
  } catch {
    throw fail("Could not map policyString into LifecyclePolicy.");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw fail("Could not map policyString into LifecyclePolicy.");
  checkSchema(doc as Record<string, unknown>);
  const rules = doc.rules as Rule[];
  const seen = new Set<number>();
  let untagged = 0;
  const maxPriority = Math.max(...rules.map((r) => Number(r?.rulePriority)));
  for (const r of rules) {
    if (typeof r !== "object" || r === null || typeof r.selection !== "object" || typeof r.action !== "object" || r.selection === null || r.action === null)
      throw fail("Could not map policyString into LifecyclePolicy.");
    if (!Number.isInteger(r.rulePriority) || r.rulePriority < 1) throw fail("rulePriority must be a positive integer.");
    if (seen.has(r.rulePriority)) throw fail(`The rulePriority ${r.rulePriority} is used in multiple rules.`);
    seen.add(r.rulePriority);
    const sel = r.selection;
    if (!["tagged", "untagged", "any"].includes(sel.tagStatus)) throw fail(`tagStatus must be one of [tagged, untagged, any].`);
    const lists = (sel.tagPrefixList?.length ?? 0) + (sel.tagPatternList?.length ?? 0);
    if (sel.tagStatus === "tagged" && lists === 0) throw fail("TagPrefixList or TagPatternList must be specified when tagStatus is tagged.");
    if (sel.tagStatus !== "tagged" && (sel.tagPrefixList !== undefined || sel.tagPatternList !== undefined))
      throw fail(`TagPrefixList and TagPatternList can only be specified when tagStatus is tagged.`);
    if (sel.tagPrefixList?.length && sel.tagPatternList?.length) throw fail("TagPrefixList and TagPatternList cannot both be specified in one rule.");
    if (sel.tagStatus === "untagged" && ++untagged > 1) throw fail("Only one rule can have tagStatus untagged.");
    if (sel.tagStatus === "any" && r.rulePriority !== maxPriority) throw fail("The rule with tagStatus any must have the highest rulePriority.");
    if (!COUNT_TYPES.includes(sel.countType)) throw fail(`countType must be one of [${COUNT_TYPES.join(", ")}].`);
    if (!Number.isInteger(sel.countNumber) || sel.countNumber < 1) throw fail("countNumber must be a positive integer.");
    if (sel.countType === "imageCountMoreThan" && sel.countUnit !== undefined)
      throw fail("countUnit cannot be specified when countType is imageCountMoreThan.");
    if (sel.countType !== "imageCountMoreThan" && sel.countUnit !== "days") throw fail(`countUnit must be days when countType is ${sel.countType}.`);
    const type = String(r.action.type).toLowerCase();
    if (type !== "expire" && type !== "transition") throw fail("action type must be one of [expire, transition].");
    if (type === "transition" && String(r.action.targetStorageClass).toLowerCase() !== "archive")
      throw fail("targetStorageClass must be archive for a transition action.");
  }
  return rules;
}

function tagsMatch(i: Image, sel: Rule["selection"]): boolean {
  if (sel.tagStatus === "any") return true;
  if (sel.tagStatus === "untagged") return i.tags.length === 0;
  if (i.tags.length === 0) return false;
  return (
    (sel.tagPrefixList ?? []).every((p) => i.tags.some((t) => t.startsWith(p))) && (sel.tagPatternList ?? []).every((p) => i.tags.some((t) => wildcard(p, t)))
  );
}

/** What the policy would do to the repository's images now: digest → result. */
export function evaluate(r: Repo, rules: Rule[], now: Date): Map<string, PreviewResult> {
  const out = new Map<string, PreviewResult>();
  const claimed = new Set<string>();
  const images = [...r.images.values()];
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const sel = rule.selection;
    const transition = String(rule.action.type).toLowerCase() === "transition";
    const storage = String(sel.storageClass ?? (transition ? "standard" : "any")).toLowerCase();
    const cands = images
      .filter((i) => tagsMatch(i, sel) && (storage === "any" || (storage === "archive") === (i.status === "ARCHIVED")))
      .sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime());
    let targets: Image[];
    if (sel.countType === "imageCountMoreThan") targets = cands.slice(sel.countNumber);
    else {
      const ref = (i: Image) =>
        (sel.countType === "sinceImagePulled"
          ? (i.lastPull ?? i.pushedAt)
          : sel.countType === "sinceImageTransitioned"
            ? (i.lastArchivedAt ?? i.pushedAt)
            : i.pushedAt
        ).getTime();
      targets = cands.filter((i) => now.getTime() - ref(i) > sel.countNumber * DAY);
    }
    for (const i of targets) {
      if (claimed.has(i.digest) || out.has(i.digest)) continue;
      out.set(i.digest, {
        imageTags: i.tags.length ? [...i.tags] : undefined,
        imageDigest: i.digest,
        imagePushedAt: i.pushedAt,
        action: transition ? { type: "TRANSITION", targetStorageClass: "ARCHIVE" } : { type: "EXPIRE" },
        appliedRulePriority: rule.rulePriority,
        storageClass: i.status === "ARCHIVED" ? "ARCHIVE" : "STANDARD",
      });
    }
    for (const i of cands) claimed.add(i.digest);
  }
  return out;
}

/** Apply a repository's policy: expire or archive what it selects. */
export function applyLifecycle(r: Repo, now: Date): number {
  if (!r.lifecycle) return 0;
  const results = evaluate(r, validateLifecyclePolicy(r.lifecycle), now);
  for (const res of results.values()) {
    const i = r.images.get(res.imageDigest);
    if (!i) continue;
    if (res.action.type === "EXPIRE") removeImage(r, i);
    else {
      i.status = "ARCHIVED";
      i.lastArchivedAt = now;
    }
  }
  r.lifecycleEvaluatedAt = now;
  r.lifecycleSince = now;
  return results.size;
}

/** ECR evaluates a policy about once every 24 hours: apply it when a day of (simulated) time has passed since the last evaluation. */
export function sweepLifecycle(s: EcrState, now: Date, r?: Repo): number {
  let n = 0;
  for (const repo of r ? [r] : s.repos.values()) {
    if (!repo.lifecycle) continue;
    repo.lifecycleSince ??= now;
    if (now.getTime() - repo.lifecycleSince.getTime() >= DAY) n += applyLifecycle(repo, now);
  }
  return n;
}

/** POST /_awsim/clock/advance: move every registry's clock forward and apply the lifecycle policies that are due. */
export function advanceClock(states: EcrState[], ms: number): { ecr: Array<{ accountId: string; region: string; lifecycleActions: number }> } {
  return {
    ecr: states.map((s) => {
      s.clockOffsetMs += ms;
      return { accountId: s.accountId, region: s.region, lifecycleActions: sweepLifecycle(s, new Date(Date.now() + s.clockOffsetMs)) };
    }),
  };
}

export const lifecycleOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  StartLifecyclePolicyPreview(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const text = v.lifecyclePolicyText ?? r.lifecycle;
    if (text === undefined)
      throw err(
        "LifecyclePolicyNotFoundException",
        `Lifecycle policy does not exist for the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    const rules = validateLifecyclePolicy(text);
    // The evaluation is done at once; GetLifecyclePolicyPreview answers COMPLETE.
    r.preview = { text: String(text), status: "COMPLETE", results: [...evaluate(r, rules, ctx.now()).values()] };
    return { registryId: s.accountId, repositoryName: r.name, lifecyclePolicyText: r.preview.text, status: "IN_PROGRESS" };
  },
  GetLifecyclePolicyPreview(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    if (!r.preview)
      throw err(
        "LifecyclePolicyPreviewNotFoundException",
        `There is no preview available for the repository with name '${r.name}' in the registry with id '${s.accountId}'`,
      );
    let results = r.preview.results;
    // maxResults and nextToken "cannot be used when you specify images with imageIds" (as DescribeImages).
    if (v.imageIds?.length && (v.nextToken !== undefined || v.maxResults !== undefined))
      throw invalid("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Cannot specify maxResults or nextToken along with imageIds'");
    if (v.imageIds?.length) {
      const wanted = new Set((v.imageIds as Array<{ imageDigest?: string; imageTag?: string }>).map((id) => findImage(r, id)?.digest ?? id.imageDigest));
      results = results.filter((x) => wanted.has(x.imageDigest));
    }
    const status = v.filter?.tagStatus;
    if (status === "TAGGED") results = results.filter((x) => x.imageTags?.length);
    else if (status === "UNTAGGED") results = results.filter((x) => !x.imageTags?.length);
    const p = paginate(results, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (x) => x.imageDigest, ...tokenOpts });
    const transitioning = r.preview.results.filter((x) => x.action.type === "TRANSITION").length;
    return {
      registryId: s.accountId,
      repositoryName: r.name,
      lifecyclePolicyText: r.preview.text,
      status: r.preview.status,
      previewResults: p.items,
      nextToken: p.nextToken,
      summary: {
        expiringImageTotalCount: r.preview.results.filter((x) => x.action.type === "EXPIRE").length,
        transitioningImageTotalCounts: transitioning ? [{ targetStorageClass: "ARCHIVE", imageTotalCount: transitioning }] : undefined,
      },
    };
  },
};
