/**
 * ECR output members no other test reached: the AWS managed aws/ecr key of KMS repositories, what repository
 * creation templates and pull-through cache rules echo, lastActivatedAt, referrer annotations, transition previews
 * and signing rules.
 */
import {
  CreatePullThroughCacheRuleCommand,
  CreateRepositoryCommand,
  CreateRepositoryCreationTemplateCommand,
  DeletePullThroughCacheRuleCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryCreationTemplateCommand,
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetLifecyclePolicyPreviewCommand,
  GetSigningConfigurationCommand,
  ListImageReferrersCommand,
  PutImageCommand,
  PutSigningConfigurationCommand,
  StartLifecyclePolicyPreviewCommand,
  UpdateImageStorageClassCommand,
  UpdatePullThroughCacheRuleCommand,
  UpdateRepositoryCreationTemplateCommand,
  ValidatePullThroughCacheRuleCommand,
} from "@aws-sdk/client-ecr";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "ecr" }, (cfg) => ({ ecr: new ECRClient(cfg) }));
const ACCOUNT = "000000000000";
const sha = (b: string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
let n = 0;
function manifest(extra: Record<string, unknown> = {}): string {
  n++;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", size: 7, digest: sha(`unfilled-config-${n}`) },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", size: 100, digest: sha(`unfilled-layer-${n}`) }],
    ...extra,
  });
}

describe("ECR repositories: encryption", () => {
  it("KMS without a key uses the account's AWS managed aws/ecr key: one regional key ARN for every such repository", async () => {
    const a = (await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "kms-a", encryptionConfiguration: { encryptionType: "KMS" } }))).repository!;
    const b = (await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "kms-b", encryptionConfiguration: { encryptionType: "KMS" } }))).repository!;
    const key = a.encryptionConfiguration!.kmsKey!;
    expect(a.encryptionConfiguration!.encryptionType).toBe("KMS");
    expect(key).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
    expect(b.encryptionConfiguration).toEqual({ encryptionType: "KMS", kmsKey: key });
    const described = await sim.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["kms-a", "kms-b"] }));
    expect(described.repositories!.map((r) => r.encryptionConfiguration!.kmsKey)).toEqual([key, key]);
    const deleted = await sim.ecr.send(new DeleteRepositoryCommand({ repositoryName: "kms-a" }));
    expect(deleted.repository!.encryptionConfiguration).toEqual({ encryptionType: "KMS", kmsKey: key });
  });

  it("a customer key is echoed as given; exclusion filters come back from DeleteRepository", async () => {
    const custom = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const r = await sim.ecr.send(
      new CreateRepositoryCommand({
        repositoryName: "kms-custom",
        encryptionConfiguration: { encryptionType: "KMS", kmsKey: custom },
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "latest" }],
      }),
    );
    expect(r.repository!.encryptionConfiguration).toEqual({ encryptionType: "KMS", kmsKey: custom });
    const d = await sim.ecr.send(new DeleteRepositoryCommand({ repositoryName: "kms-custom" }));
    expect(d.repository).toMatchObject({
      encryptionConfiguration: { encryptionType: "KMS", kmsKey: custom },
      imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
      imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "latest" }],
    });
  });
});

describe("ECR repository creation templates", () => {
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "pull", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ["ecr:BatchGetImage"] }],
  });
  const lifecycle = JSON.stringify({
    rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 5 }, action: { type: "expire" } }],
  });
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/abcd1234-ab12-cd34-ef56-abcdef123456`;
  const role = `arn:aws:iam::${ACCOUNT}:role/ecr-template`;

  it("create, describe, update and delete echo the key, policies, role, tags and exclusion filters", async () => {
    const created = await sim.ecr.send(
      new CreateRepositoryCreationTemplateCommand({
        prefix: "team",
        appliedFor: ["REPLICATION"],
        encryptionConfiguration: { encryptionType: "KMS", kmsKey: key },
        imageTagMutability: "MUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "release-*" }],
        repositoryPolicy: policy,
        lifecyclePolicy: lifecycle,
        customRoleArn: role,
        resourceTags: [{ Key: "team", Value: "a" }],
      }),
    );
    const expected = {
      prefix: "team",
      appliedFor: ["REPLICATION"],
      encryptionConfiguration: { encryptionType: "KMS", kmsKey: key },
      imageTagMutability: "MUTABLE_WITH_EXCLUSION",
      imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "release-*" }],
      repositoryPolicy: policy,
      lifecyclePolicy: lifecycle,
      customRoleArn: role,
      resourceTags: [{ Key: "team", Value: "a" }],
    };
    expect(created.repositoryCreationTemplate).toMatchObject(expected);
    const described = await sim.ecr.send(new DescribeRepositoryCreationTemplatesCommand({ prefixes: ["team"] }));
    expect(described.repositoryCreationTemplates![0]).toMatchObject(expected);
    const updated = await sim.ecr.send(
      new UpdateRepositoryCreationTemplateCommand({ prefix: "team", resourceTags: [{ Key: "team", Value: "b" }], description: "now b" }),
    );
    expect(updated.repositoryCreationTemplate).toMatchObject({ ...expected, description: "now b", resourceTags: [{ Key: "team", Value: "b" }] });
    const deleted = await sim.ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: "team" }));
    expect(deleted.repositoryCreationTemplate).toMatchObject({ ...expected, resourceTags: [{ Key: "team", Value: "b" }] });
  });
});

describe("ECR pull-through cache rules", () => {
  it("an ECR upstream's repository prefix, credential and role are echoed by every rule operation", async () => {
    const upstream = "111122223333.dkr.ecr.us-west-2.amazonaws.com";
    const role = `arn:aws:iam::${ACCOUNT}:role/ptc`;
    const created = await sim.ecr.send(
      new CreatePullThroughCacheRuleCommand({
        ecrRepositoryPrefix: "mirror",
        upstreamRegistryUrl: upstream,
        upstreamRepositoryPrefix: "upstream-app",
        customRoleArn: role,
      }),
    );
    expect(created).toMatchObject({ ecrRepositoryPrefix: "mirror", upstreamRepositoryPrefix: "upstream-app", customRoleArn: role });
    const rule = (await sim.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ["mirror"] }))).pullThroughCacheRules![0]!;
    expect(rule).toMatchObject({ upstreamRepositoryPrefix: "upstream-app", customRoleArn: role, upstreamRegistry: "ecr" });
    const updated = await sim.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "mirror", customRoleArn: `${role}-2` }));
    expect(updated).toMatchObject({ upstreamRepositoryPrefix: "upstream-app", customRoleArn: `${role}-2` });
    const valid = await sim.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "mirror" }));
    expect(valid).toMatchObject({ upstreamRepositoryPrefix: "upstream-app", customRoleArn: `${role}-2`, isValid: true });
    const deleted = await sim.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "mirror" }));
    expect(deleted).toMatchObject({ upstreamRepositoryPrefix: "upstream-app", customRoleArn: `${role}-2`, upstreamRegistryUrl: upstream });
  });

  it("a credential ARN is echoed by ValidatePullThroughCacheRule and DeletePullThroughCacheRule", async () => {
    const secret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ecr-pullthroughcache/hub-AbCdEf`;
    await sim.ecr.send(
      new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "hub", upstreamRegistryUrl: "registry-1.docker.io", credentialArn: secret }),
    );
    expect((await sim.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "hub" }))).credentialArn).toBe(secret);
    expect((await sim.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "hub" }))).credentialArn).toBe(secret);
  });
});

describe("ECR images", () => {
  it("DescribeImages reports lastActivatedAt once an archived image is restored", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "restore" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "restore", imageManifest: manifest(), imageTag: "v1" }));
    await sim.ecr.send(new UpdateImageStorageClassCommand({ repositoryName: "restore", imageId: { imageTag: "v1" }, targetStorageClass: "ARCHIVE" }));
    await sim.ecr.send(new UpdateImageStorageClassCommand({ repositoryName: "restore", imageId: { imageTag: "v1" }, targetStorageClass: "STANDARD" }));
    const d = (await sim.ecr.send(new DescribeImagesCommand({ repositoryName: "restore", imageIds: [{ imageTag: "v1" }] }))).imageDetails![0]!;
    expect(d.imageStatus).toBe("ACTIVE");
    expect(d.lastArchivedAt).toBeInstanceOf(Date);
    expect(d.lastActivatedAt).toBeInstanceOf(Date);
    expect(d.lastActivatedAt!.getTime()).toBeGreaterThanOrEqual(d.lastArchivedAt!.getTime());
  });

  it("ListImageReferrers carries a referrer's manifest annotations", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "annotated" }));
    const subject = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "annotated", imageManifest: subject, imageTag: "app" }));
    const sbom = manifest({
      artifactType: "application/spdx+json",
      subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha(subject), size: subject.length },
      annotations: { "org.opencontainers.image.created": "2025-01-01T00:00:00Z" },
    });
    await sim.ecr.send(new PutImageCommand({ repositoryName: "annotated", imageManifest: sbom }));
    const refs = await sim.ecr.send(new ListImageReferrersCommand({ repositoryName: "annotated", subjectId: { imageDigest: sha(subject) } }));
    expect(refs.referrers).toEqual([
      {
        digest: sha(sbom),
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        artifactType: "application/spdx+json",
        size: sbom.length,
        annotations: { "org.opencontainers.image.created": "2025-01-01T00:00:00Z" },
        artifactStatus: "ACTIVE",
      },
    ]);
  });

  it("a transition rule's preview names the target storage class and counts the transitioning images", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "to-archive" }));
    for (const tag of ["old", "new"]) {
      await sim.ecr.send(new PutImageCommand({ repositoryName: "to-archive", imageManifest: manifest(), imageTag: tag }));
      await new Promise((r) => setTimeout(r, 5));
    }
    const text = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 },
          action: { type: "transition", targetStorageClass: "archive" },
        },
      ],
    });
    await sim.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: "to-archive", lifecyclePolicyText: text }));
    const p = await sim.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: "to-archive" }));
    expect(p.previewResults).toHaveLength(1);
    expect(p.previewResults![0]).toMatchObject({ imageTags: ["old"], action: { type: "TRANSITION", targetStorageClass: "ARCHIVE" }, storageClass: "STANDARD" });
    expect(p.summary).toEqual({ expiringImageTotalCount: 0, transitioningImageTotalCounts: [{ targetStorageClass: "ARCHIVE", imageTotalCount: 1 }] });
  });
});

describe("ECR signing configuration", () => {
  it("GetSigningConfiguration answers the rules as put, profile and filters", async () => {
    const profile = `arn:aws:signer:us-east-1:${ACCOUNT}:/signing-profiles/ecr_profile`;
    const rules = [{ signingProfileArn: profile, repositoryFilters: [{ filter: "prod-*", filterType: "WILDCARD_MATCH" as const }] }];
    await sim.ecr.send(new PutSigningConfigurationCommand({ signingConfiguration: { rules } }));
    const got = await sim.ecr.send(new GetSigningConfigurationCommand({}));
    expect(got).toMatchObject({ registryId: ACCOUNT, signingConfiguration: { rules } });
  });
});
