/**
 * ECR scenarios of the kind public boto3 suites replay (create, put, describe, delete, assert fields and
 * errors), where awsim differed from AWS. Each assertion names where the AWS fact comes from. Real
 * @aws-sdk/client-ecr.
 */
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  PutAccountSettingCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  PutRegistryPolicyCommand,
  SetRepositoryPolicyCommand,
} from "@aws-sdk/client-ecr";
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: "ecr" }, (cfg) => ({ ecr: new ECRClient(cfg) }));
const sha = (b: string | Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

function manifest(layerSizes: number[], mediaType: string | null = "application/vnd.docker.distribution.manifest.v2+json") {
  return JSON.stringify({
    schemaVersion: 2,
    ...(mediaType ? { mediaType } : {}),
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 100, digest: sha(randomBytes(8)) },
    layers: layerSizes.map((size) => ({ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size, digest: sha(randomBytes(8)) })),
  });
}

describe("PutImage", () => {
  // API reference, PutImage imageManifestMediaType: "If you push an image manifest that does not contain the
  // mediaType field, you must specify the imageManifestMediaType in the request." ECR's answer otherwise is
  // the one users report (aws/aws-cli#8620, aws/aws-sdk#193, containers/image#584).
  it("a manifest without mediaType needs imageManifestMediaType", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "no-media-type" }));
    const m = manifest([10], null);
    await expectAwsError(t.ecr.send(new PutImageCommand({ repositoryName: "no-media-type", imageManifest: m, imageTag: "latest" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
    });
    const put = await t.ecr.send(
      new PutImageCommand({
        repositoryName: "no-media-type",
        imageManifest: m,
        imageTag: "latest",
        imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
      }),
    );
    expect(put.image?.imageManifestMediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
    expect(put.image?.imageId).toEqual({ imageDigest: sha(m), imageTag: "latest" });
  });
});

describe("DescribeImages", () => {
  // API reference, ImageDetail imageSizeInBytes: "If the image is a manifest list, this will be the max size
  // of all manifests in the list."
  it("a manifest list's size is the largest of its images", async () => {
    const repositoryName = "multi-arch";
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName }));
    const arm = manifest([1000, 2000]);
    const amd = manifest([5000]);
    for (const m of [arm, amd]) await t.ecr.send(new PutImageCommand({ repositoryName, imageManifest: m }));
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
      manifests: [
        {
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          digest: sha(arm),
          size: arm.length,
          platform: { architecture: "arm64", os: "linux" },
        },
        {
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          digest: sha(amd),
          size: amd.length,
          platform: { architecture: "amd64", os: "linux" },
        },
      ],
    });
    await t.ecr.send(new PutImageCommand({ repositoryName, imageManifest: list, imageTag: "multiArch" }));
    const { imageDetails = [] } = await t.ecr.send(new DescribeImagesCommand({ repositoryName }));
    const size = (d: string) => imageDetails.find((i) => i.imageDigest === d)?.imageSizeInBytes;
    expect(size(sha(arm))).toBe(3100);
    expect(size(sha(amd))).toBe(5100);
    expect(size(sha(list))).toBe(5100);
  });
});

describe("policies", () => {
  const statement = { Sid: "root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: ["ecr:DescribeImages"] };

  // A resource policy's statements need an Effect, an Action and a Principal (IAM's resource-policy grammar);
  // ECR's answer otherwise is the one users report (terraform-aws-modules/terraform-aws-ecr#19, aws/aws-sdk-go#3921).
  it("a repository policy statement without Principal or Action is refused", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "pol" }));
    for (const bad of [{ Effect: "Allow" }, { Effect: "Allow", Action: "ecr:*" }, { Effect: "Allow", Principal: "*" }, { ...statement, Effect: "Maybe" }])
      await expectAwsError(
        t.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: "pol", policyText: JSON.stringify({ Version: "2012-10-17", Statement: [bad] }) })),
        {
          name: "InvalidParameterException",
          status: 400,
          message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
        },
      );
    const ok = await t.ecr.send(
      new SetRepositoryPolicyCommand({ repositoryName: "pol", policyText: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }),
    );
    expect(JSON.parse(ok.policyText ?? "")).toEqual({ Version: "2012-10-17", Statement: [statement] });
  });

  // registry-permissions-create.html: under the V2 scope (the default) a registry policy may name every ECR
  // action; under V1 only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository, and
  // "if any additional actions are added to the registry policy, an error will occur" (pulumi/pulumi-aws#2326).
  it("registry policy actions depend on REGISTRY_POLICY_SCOPE", async () => {
    const policy = (Action: string[]) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action, Resource: "*" }] });
    const wide = policy(["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:DescribeRepositories"]);
    expect((await t.ecr.send(new PutRegistryPolicyCommand({ policyText: wide }))).policyText).toBe(wide);
    await t.ecr.send(new PutAccountSettingCommand({ name: "REGISTRY_POLICY_SCOPE", value: "V1" }));
    await expectAwsError(t.ecr.send(new PutRegistryPolicyCommand({ policyText: wide })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'",
    });
    const narrow = policy(["ecr:CreateRepository", "ecr:ReplicateImage"]);
    expect((await t.ecr.send(new PutRegistryPolicyCommand({ policyText: narrow }))).policyText).toBe(narrow);
  });
});

describe("lifecycle policies", () => {
  // ECR validates the document against its JSON schema first and answers in the validator's words, as users
  // report (hashicorp/terraform-provider-aws#45909; cloudposse/terraform-aws-ecr#158: an expire action that
  // carries "targetStorageClass": null fails "(matched 0 out of 2)").
  const selection = { tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 30 };
  const refused = (rule: Record<string, unknown>, why: string) =>
    expectAwsError(t.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "lc", lifecyclePolicyText: JSON.stringify({ rules: [rule] }) })), {
      name: "InvalidParameterException",
      status: 400,
      message: `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${why}'`,
    });

  it("members the schema does not name, and missing ones, are refused in the schema's words", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "lc" }));
    await refused(
      { rulePriority: 1, selection, action: { type: "expire", targetStorageClass: null } },
      "instance failed to match exactly one schema (matched 0 out of 2)",
    );
    await refused(
      { rulePriority: 1, selection: { ...selection, storage: "x" }, action: { type: "expire" } },
      "instance failed to match exactly one schema (matched 0 out of 4)",
    );
    await refused(
      { rulePriority: 1, selection, action: { type: "expire" }, unknown: 123 },
      'object instance has properties which are not allowed by the schema: (["unknown"])',
    );
    await refused({ description: "no priority", selection, action: { type: "expire" } }, 'object has missing required properties (["rulePriority"])');
    const ok = JSON.stringify({ rules: [{ rulePriority: 1, description: "expire untagged", selection, action: { type: "expire" } }] });
    expect((await t.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "lc", lifecyclePolicyText: ok }))).lifecyclePolicyText).toBe(ok);
  });
});
