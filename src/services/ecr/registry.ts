/**
 * Registry-wide settings: authorization tokens, registry policy, scanning and replication configuration,
 * pull-through cache rules, repository creation templates, account settings, signing configuration and
 * pull-time update exclusions.
 */
import { paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { validateLifecyclePolicy } from "./lifecycle.js";
import {
  type EcrState,
  err,
  getRepo,
  type Input,
  invalid,
  issueToken,
  policyStatements,
  type PtcRule,
  requireImage,
  st,
  type Template,
  tokenOpts,
} from "./state.js";

const SETTINGS: Record<string, { values: string[]; default: string }> = {
  BASIC_SCAN_TYPE_VERSION: { values: ["AWS_NATIVE", "CLAIR"], default: "AWS_NATIVE" },
  REGISTRY_POLICY_SCOPE: { values: ["V1", "V2"], default: "V2" },
  BLOB_MOUNTING: { values: ["ENABLED", "DISABLED"], default: "DISABLED" },
};

/** Upstream registries ECR can cache, by URL, and whether they need a Secrets Manager credential. */
function upstreamOf(url: string): { kind: string; needsCredential: boolean } | undefined {
  const host = url.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (host === "public.ecr.aws") return { kind: "ecr-public", needsCredential: false };
  if (host === "registry.k8s.io") return { kind: "k8s", needsCredential: false };
  if (host === "quay.io") return { kind: "quay", needsCredential: false };
  if (host === "registry-1.docker.io") return { kind: "docker-hub", needsCredential: true };
  if (host === "ghcr.io") return { kind: "github-container-registry", needsCredential: true };
  if (host.endsWith(".azurecr.io")) return { kind: "azure-container-registry", needsCredential: true };
  if (host === "registry.gitlab.com") return { kind: "gitlab-container-registry", needsCredential: true };
  if (host === "cgr.dev") return { kind: "chainguard", needsCredential: false };
  if (/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) return { kind: "ecr", needsCredential: false };
  return undefined;
}

/** Registry-level actions under the V1 policy scope (registry-permissions-create.html); V2 allows every ECR action. */
const V1_ACTIONS = new Set(["ecr:ReplicateImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:*"]);

function policyText(text: unknown, field: string, scope = "V2"): string {
  try {
    const statements = policyStatements(JSON.parse(String(text)));
    if (!statements) throw new Error();
    if (scope === "V1") for (const x of statements) for (const a of [x.Action ?? []].flat()) if (!V1_ACTIONS.has(String(a))) throw new Error();
  } catch {
    throw invalid(`Invalid parameter at '${field}' failed to satisfy constraint: 'Invalid registry policy provided'`);
  }
  return String(text);
}

function getRule(s: EcrState, prefix: string): PtcRule {
  const r = s.ptc.get(prefix);
  if (!r)
    throw err(
      "PullThroughCacheRuleNotFoundException",
      `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${s.accountId}'`,
    );
  return r;
}

function ruleOut(s: EcrState, r: PtcRule) {
  return { ...r, registryId: s.accountId };
}

function getTemplate(s: EcrState, prefix: string): Template {
  const t = s.templates.get(prefix);
  if (!t)
    throw err("TemplateNotFoundException", `The repository creation template with prefix '${prefix}' does not exist in the registry with id '${s.accountId}'`);
  return t;
}

function checkTemplate(v: Input): void {
  if (v.lifecyclePolicy) validateLifecyclePolicy(v.lifecyclePolicy);
  if (v.repositoryPolicy) policyText(v.repositoryPolicy, "repositoryPolicy");
  const m = String(v.imageTagMutability ?? "");
  if (m.endsWith("_WITH_EXCLUSION") && !v.imageTagMutabilityExclusionFilters?.length)
    throw invalid(`Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'must be provided when imageTagMutability is ${m}'`);
}

const templateOut = (t: Template) => ({ ...t, resourceTags: t.resourceTags ?? [] });

export const registryOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  async GetAuthorizationToken(ctx, v) {
    const s = st(ctx);
    const ids: string[] = v.registryIds?.length ? v.registryIds : [s.accountId];
    // "The returned authorization token can be used to access any Amazon ECR registry that the IAM principal has access
    // to" (API reference): every token is the caller's, and another account's registry (registryIds) lets it in as far
    // as that registry's repository policies grant the caller.
    return {
      authorizationData: ids.map((id) => {
        const t = issueToken(s, ctx.now(), ctx.caller?.arn);
        return {
          authorizationToken: Buffer.from(`AWS:${t.password}`).toString("base64"),
          expiresAt: t.expiresAt,
          proxyEndpoint: `https://${id}.dkr.ecr.${s.region}.amazonaws.com`,
        };
      }),
    };
  },
  PutRegistryPolicy(ctx, v) {
    const s = st(ctx);
    s.registryPolicy = policyText(v.policyText, "PolicyText", s.settings.get("REGISTRY_POLICY_SCOPE") ?? SETTINGS.REGISTRY_POLICY_SCOPE.default);
    return { registryId: s.accountId, policyText: s.registryPolicy };
  },
  GetRegistryPolicy(ctx) {
    const s = st(ctx);
    if (!s.registryPolicy) throw err("RegistryPolicyNotFoundException", `Registry policy does not exist in the registry with id '${s.accountId}'`);
    return { registryId: s.accountId, policyText: s.registryPolicy };
  },
  DeleteRegistryPolicy(ctx, v) {
    const out = registryOps.GetRegistryPolicy!(ctx, v);
    st(ctx).registryPolicy = undefined;
    return out;
  },
  PutRegistryScanningConfiguration(ctx, v) {
    const s = st(ctx);
    const scanType = String(v.scanType ?? "BASIC");
    const rules = (v.rules ?? []) as EcrState["scanning"]["rules"];
    if (scanType === "BASIC" && rules.some((r) => r.scanFrequency === "CONTINUOUS_SCAN"))
      throw invalid("Invalid parameter at 'scanFrequency' failed to satisfy constraint: 'CONTINUOUS_SCAN is not supported for the BASIC scan type'");
    s.scanning = { scanType, rules };
    return { registryScanningConfiguration: s.scanning };
  },
  GetRegistryScanningConfiguration: (ctx) => ({ registryId: st(ctx).accountId, scanningConfiguration: st(ctx).scanning }),
  PutReplicationConfiguration(ctx, v) {
    const s = st(ctx);
    const cfg = v.replicationConfiguration as EcrState["replication"];
    if ((cfg.rules ?? []).length > 10)
      throw invalid("Invalid parameter at 'rules' failed to satisfy constraint: 'Member must have length less than or equal to 10'");
    for (const r of cfg.rules ?? [])
      for (const d of r.destinations ?? [])
        if (d.region === s.region && d.registryId === s.accountId)
          throw invalid("Invalid parameter at 'destinations' failed to satisfy constraint: 'Replication destination cannot be the source registry'");
    s.replication = { rules: cfg.rules ?? [] };
    return { replicationConfiguration: s.replication };
  },
  DescribeRegistry: (ctx) => ({ registryId: st(ctx).accountId, replicationConfiguration: st(ctx).replication }),
  CreatePullThroughCacheRule(ctx, v) {
    const s = st(ctx);
    const prefix = String(v.ecrRepositoryPrefix);
    const up = upstreamOf(String(v.upstreamRegistryUrl));
    if (!up || (v.upstreamRegistry && v.upstreamRegistry !== up.kind))
      throw err("UnsupportedUpstreamRegistryException", "The specified upstream registry isn't supported.");
    if (up.needsCredential && !v.credentialArn)
      throw invalid(`Invalid parameter at 'credentialArn' failed to satisfy constraint: 'A credential ARN is required for the upstream registry ${up.kind}'`);
    if (s.ptc.has(prefix))
      throw err(
        "PullThroughCacheRuleAlreadyExistsException",
        `A pull through cache rule with prefix '${prefix}' already exists in the registry with id '${s.accountId}'`,
      );
    if (s.ptc.size >= 50) throw err("LimitExceededException", "The operation did not succeed because it would have exceeded a service limit for your account.");
    const now = ctx.now();
    const r: PtcRule = {
      ecrRepositoryPrefix: prefix,
      upstreamRegistryUrl: String(v.upstreamRegistryUrl),
      upstreamRegistry: up.kind,
      credentialArn: v.credentialArn,
      customRoleArn: v.customRoleArn,
      upstreamRepositoryPrefix: v.upstreamRepositoryPrefix ?? (prefix === "ROOT" ? "ROOT" : undefined),
      createdAt: now,
      updatedAt: now,
    };
    s.ptc.set(prefix, r);
    const { updatedAt: _u, ...out } = ruleOut(s, r);
    return out;
  },
  DescribePullThroughCacheRules(ctx, v) {
    const s = st(ctx);
    const prefixes: string[] | undefined = v.ecrRepositoryPrefixes;
    const all = prefixes?.length
      ? prefixes.map((p) => getRule(s, p))
      : [...s.ptc.values()].sort((a, b) => (a.ecrRepositoryPrefix < b.ecrRepositoryPrefix ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (r) => r.ecrRepositoryPrefix, ...tokenOpts });
    return { pullThroughCacheRules: p.items.map((r) => ruleOut(s, r)), nextToken: p.nextToken };
  },
  UpdatePullThroughCacheRule(ctx, v) {
    const s = st(ctx);
    const r = getRule(s, String(v.ecrRepositoryPrefix));
    if (v.credentialArn !== undefined) r.credentialArn = v.credentialArn;
    if (v.customRoleArn !== undefined) r.customRoleArn = v.customRoleArn;
    r.updatedAt = ctx.now();
    return {
      ecrRepositoryPrefix: r.ecrRepositoryPrefix,
      registryId: s.accountId,
      updatedAt: r.updatedAt,
      credentialArn: r.credentialArn,
      customRoleArn: r.customRoleArn,
      upstreamRepositoryPrefix: r.upstreamRepositoryPrefix,
    };
  },
  DeletePullThroughCacheRule(ctx, v) {
    const s = st(ctx);
    const r = getRule(s, String(v.ecrRepositoryPrefix));
    s.ptc.delete(r.ecrRepositoryPrefix);
    const { updatedAt: _u, upstreamRegistry: _k, ...out } = ruleOut(s, r);
    return out;
  },
  ValidatePullThroughCacheRule(ctx, v) {
    const s = st(ctx);
    const r = getRule(s, String(v.ecrRepositoryPrefix));
    // awsim cannot reach upstream registries or Secrets Manager: a rule is valid when its upstream needs no credential or names one.
    const up = upstreamOf(r.upstreamRegistryUrl);
    const isValid = !!up && (!up.needsCredential || !!r.credentialArn);
    return {
      ecrRepositoryPrefix: r.ecrRepositoryPrefix,
      registryId: s.accountId,
      upstreamRegistryUrl: r.upstreamRegistryUrl,
      credentialArn: r.credentialArn,
      customRoleArn: r.customRoleArn,
      upstreamRepositoryPrefix: r.upstreamRepositoryPrefix,
      isValid,
      failure: isValid ? undefined : "A credential is required for this upstream registry.",
    };
  },
  CreateRepositoryCreationTemplate(ctx, v) {
    const s = st(ctx);
    const prefix = String(v.prefix);
    if (s.templates.has(prefix))
      throw err(
        "TemplateAlreadyExistsException",
        `The repository creation template with prefix '${prefix}' already exists in the registry with id '${s.accountId}'`,
      );
    if (s.templates.size >= 50)
      throw err("LimitExceededException", "The operation did not succeed because it would have exceeded a service limit for your account.");
    checkTemplate(v);
    const now = ctx.now();
    const t: Template = {
      prefix,
      description: v.description,
      encryptionConfiguration: v.encryptionConfiguration ?? { encryptionType: "AES256" },
      resourceTags: v.resourceTags,
      imageTagMutability: v.imageTagMutability ?? "MUTABLE",
      imageTagMutabilityExclusionFilters: v.imageTagMutabilityExclusionFilters,
      repositoryPolicy: v.repositoryPolicy,
      lifecyclePolicy: v.lifecyclePolicy,
      appliedFor: v.appliedFor,
      customRoleArn: v.customRoleArn,
      createdAt: now,
      updatedAt: now,
    };
    s.templates.set(prefix, t);
    return { registryId: s.accountId, repositoryCreationTemplate: templateOut(t) };
  },
  DescribeRepositoryCreationTemplates(ctx, v) {
    const s = st(ctx);
    const prefixes: string[] | undefined = v.prefixes;
    const all = prefixes?.length ? prefixes.map((p) => getTemplate(s, p)) : [...s.templates.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (t) => t.prefix, ...tokenOpts });
    return { registryId: s.accountId, repositoryCreationTemplates: p.items.map(templateOut), nextToken: p.nextToken };
  },
  UpdateRepositoryCreationTemplate(ctx, v) {
    const s = st(ctx);
    const t = getTemplate(s, String(v.prefix));
    checkTemplate({ ...t, ...v });
    for (const k of [
      "description",
      "encryptionConfiguration",
      "resourceTags",
      "imageTagMutability",
      "imageTagMutabilityExclusionFilters",
      "repositoryPolicy",
      "lifecyclePolicy",
      "appliedFor",
      "customRoleArn",
    ] as const)
      if (v[k] !== undefined) (t as unknown as Record<string, unknown>)[k] = v[k];
    t.updatedAt = ctx.now();
    return { registryId: s.accountId, repositoryCreationTemplate: templateOut(t) };
  },
  DeleteRepositoryCreationTemplate(ctx, v) {
    const s = st(ctx);
    const t = getTemplate(s, String(v.prefix));
    s.templates.delete(t.prefix);
    return { registryId: s.accountId, repositoryCreationTemplate: templateOut(t) };
  },
  GetAccountSetting(ctx, v) {
    const def = Object.hasOwn(SETTINGS, String(v.name)) ? SETTINGS[String(v.name)] : undefined;
    if (!def)
      throw invalid(`Invalid parameter at 'name' failed to satisfy constraint: 'Member must satisfy enum value set: [${Object.keys(SETTINGS).join(", ")}]'`);
    return { name: v.name, value: st(ctx).settings.get(String(v.name)) ?? def.default };
  },
  PutAccountSetting(ctx, v) {
    const def = Object.hasOwn(SETTINGS, String(v.name)) ? SETTINGS[String(v.name)] : undefined;
    if (!def)
      throw invalid(`Invalid parameter at 'name' failed to satisfy constraint: 'Member must satisfy enum value set: [${Object.keys(SETTINGS).join(", ")}]'`);
    if (!def.values.includes(String(v.value)))
      throw invalid(`Invalid parameter at 'value' failed to satisfy constraint: 'Member must satisfy enum value set: [${def.values.join(", ")}]'`);
    st(ctx).settings.set(String(v.name), String(v.value));
    return { name: v.name, value: v.value };
  },
  PutSigningConfiguration(ctx, v) {
    const s = st(ctx);
    s.signing = { rules: v.signingConfiguration?.rules ?? [] };
    return { signingConfiguration: s.signing };
  },
  GetSigningConfiguration(ctx) {
    const s = st(ctx);
    if (!s.signing) throw err("SigningConfigurationNotFoundException", `Signing configuration does not exist in the registry with id '${s.accountId}'`);
    return { registryId: s.accountId, signingConfiguration: s.signing };
  },
  DescribeImageSigningStatus(ctx, v) {
    const s = st(ctx);
    const r = getRepo(s, v.repositoryName);
    const img = requireImage(s, r, v.imageId);
    // awsim has no AWS Signer: a job is IN_PROGRESS during --transition-delay, then COMPLETE (no signature artifact is pushed).
    const now = ctx.now().getTime();
    return {
      repositoryName: r.name,
      imageId: v.imageId,
      registryId: s.accountId,
      signingStatuses: (img.signing ?? []).map((j) => ({
        signingProfileArn: j.signingProfileArn,
        status: now - j.startedAt.getTime() < ctx.config.transitionDelayMs ? "IN_PROGRESS" : "COMPLETE",
      })),
    };
  },
  DeleteSigningConfiguration(ctx, v) {
    const out = registryOps.GetSigningConfiguration!(ctx, v);
    st(ctx).signing = undefined;
    return out;
  },
  RegisterPullTimeUpdateExclusion(ctx, v) {
    const s = st(ctx);
    const arn = String(v.principalArn);
    if (s.pullExclusions.has(arn)) throw err("ExclusionAlreadyExistsException", `An exclusion for principal '${arn}' already exists.`);
    if (s.pullExclusions.size >= 100)
      throw err("LimitExceededException", "The operation did not succeed because it would have exceeded a service limit for your account.");
    const createdAt = ctx.now();
    s.pullExclusions.set(arn, createdAt);
    return { principalArn: arn, createdAt };
  },
  DeregisterPullTimeUpdateExclusion(ctx, v) {
    const s = st(ctx);
    const arn = String(v.principalArn);
    if (!s.pullExclusions.delete(arn)) throw err("ExclusionNotFoundException", `An exclusion for principal '${arn}' does not exist.`);
    return { principalArn: arn };
  },
  ListPullTimeUpdateExclusions(ctx, v) {
    const all = [...st(ctx).pullExclusions.keys()].sort();
    const p = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (a) => a, ...tokenOpts });
    return { pullTimeUpdateExclusions: p.items, nextToken: p.nextToken };
  },
};
