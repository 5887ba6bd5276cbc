/**
 * ECR answers quoted from AWS in public issue threads (SDK, CLI, Terraform and CDK users pasting the service's
 * Code and Message), replayed against awsim with the real @aws-sdk/client-ecr.
 */
import {
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  PutImageTagMutabilityCommand,
  SetRepositoryPolicyCommand,
} from "@aws-sdk/client-ecr";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: "ecr" }, (cfg) => ({ ecr: new ECRClient(cfg) }));

const statement = { Sid: "pull", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: ["ecr:BatchGetImage"] };

describe("repository policies", () => {
  // aws/aws-cdk#24314 (2023), aws/aws-cdk#3583: a statement naming a Resource is refused; the repository is the resource.
  it("a statement with Resource is an invalid repository policy", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "pol" }));
    for (const extra of [{ Resource: "*" }, { NotResource: "arn:aws:ecr:us-east-1:000000000000:repository/x" }]) {
      const policyText = JSON.stringify({ Version: "2012-10-17", Statement: [{ ...statement, ...extra }] });
      await expectAwsError(t.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: "pol", policyText })), {
        name: "InvalidParameterException",
        status: 400,
        message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
      });
    }
    await expectAwsError(t.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: "pol" })), { name: "RepositoryPolicyNotFoundException", status: 400 });
    const ok = JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    expect(JSON.parse((await t.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: "pol", policyText: ok }))).policyText!)).toEqual(JSON.parse(ok));
  });
});

describe("tag mutability", () => {
  // aws/aws-cdk#35246 (2025): IMMUTABLE_WITH_EXCLUSION without exclusion filters.
  it("a *_WITH_EXCLUSION mutability needs exclusion filters", async () => {
    const message = (m: string) =>
      `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as ${m}'`;
    await expectAwsError(t.ecr.send(new CreateRepositoryCommand({ repositoryName: "excl", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })), {
      name: "InvalidParameterException",
      status: 400,
      message: message("IMMUTABLE_WITH_EXCLUSION"),
    });
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "excl" }));
    await expectAwsError(t.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: "excl", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })), {
      name: "InvalidParameterException",
      status: 400,
      message: message("IMMUTABLE_WITH_EXCLUSION"),
    });
    const ok = await t.ecr.send(
      new PutImageTagMutabilityCommand({
        repositoryName: "excl",
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "latest" }],
      }),
    );
    expect(ok.imageTagMutability).toBe("IMMUTABLE_WITH_EXCLUSION");
  });
});

describe("layers", () => {
  // devcontainers/cli#814 (2024, AWS's text from CloudTrail): completing an upload that received no part.
  it("completing an upload without parts is EmptyUploadException", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "owner/repo" }));
    const { uploadId } = await t.ecr.send(new InitiateLayerUploadCommand({ repositoryName: "owner/repo" }));
    const err = await expectAwsError(
      t.ecr.send(
        new CompleteLayerUploadCommand({
          repositoryName: "owner/repo",
          uploadId,
          layerDigests: ["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
        }),
      ),
      { name: "EmptyUploadException", status: 400 },
    );
    expect(err.message).toMatch(
      new RegExp(
        `^The upload with id '${uploadId}' in the repository with name 'owner/repo' in registry with id '\\d{12}' cannot be completed because it does not have any parts$`,
      ),
    );
  });

  // monken/aws-ecr-public#11 (2022): a download URL for a layer the repository doesn't hold.
  it("a download URL for an unknown layer is LayersNotFoundException", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "dl" }));
    const digest = `sha256:${"ab".repeat(32)}`;
    const err = await expectAwsError(t.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: "dl", layerDigest: digest })), {
      name: "LayersNotFoundException",
      status: 400,
    });
    expect(err.message).toMatch(
      new RegExp(`^The layer with digest ${digest} does not exist within the repository with name 'dl' in the registry with id '\\d{12}'$`),
    );
  });
});
