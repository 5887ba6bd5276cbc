import {
  BatchCheckLayerAvailabilityCommand,
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  BatchGetRepositoryScanningConfigurationCommand,
  CompleteLayerUploadCommand,
  CreatePullThroughCacheRuleCommand,
  CreateRepositoryCommand,
  CreateRepositoryCreationTemplateCommand,
  DeletePullThroughCacheRuleCommand,
  DeleteRegistryPolicyCommand,
  DescribeImageReplicationStatusCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetAccountSettingCommand,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyPreviewCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  InitiateLayerUploadCommand,
  ListImageReferrersCommand,
  ListImagesCommand,
  SetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutAccountSettingCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  PutRegistryPolicyCommand,
  PutRegistryScanningConfigurationCommand,
  PutReplicationConfigurationCommand,
  StartImageScanCommand,
  StartLifecyclePolicyPreviewCommand,
  UpdateImageStorageClassCommand,
  UploadLayerPartCommand,
  ValidatePullThroughCacheRuleCommand,
  paginateGetLifecyclePolicyPreview,
  waitUntilImageScanComplete,
  waitUntilLifecyclePolicyPreviewComplete,
} from "@aws-sdk/client-ecr";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ ecr: new ECRClient(cfg) }));

const sha = (b: string | Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
let n = 0;
/** A distinct manifest each call (the config digest differs). */
function manifest(extra: Record<string, unknown> = {}) {
  n++;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 7, digest: sha(`config-${n}`) },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 100, digest: sha(`layer-${n}`) }],
    ...extra,
  });
}

describe("ECR images", () => {
  it("tag immutability, with exclusion filters", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "immut", imageTagMutability: "IMMUTABLE" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "immut", imageManifest: manifest(), imageTag: "v1" }));
    await expectAwsError(sim.ecr.send(new PutImageCommand({ repositoryName: "immut", imageManifest: manifest(), imageTag: "v1" })), {
      name: "ImageTagAlreadyExistsException",
      status: 400,
      message: "The image tag 'v1' already exists in the 'immut' repository and cannot be overwritten because the repository is immutable.",
    });
    await sim.ecr.send(
      new PutImageTagMutabilityCommand({
        repositoryName: "immut",
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "latest*" }],
      }),
    );
    await sim.ecr.send(new PutImageCommand({ repositoryName: "immut", imageManifest: manifest(), imageTag: "latest" }));
    const m2 = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "immut", imageManifest: m2, imageTag: "latest" }));
    const got = await sim.ecr.send(new BatchGetImageCommand({ repositoryName: "immut", imageIds: [{ imageTag: "latest" }] }));
    expect(got.images![0]!.imageId!.imageDigest).toBe(sha(m2));
    await expectAwsError(sim.ecr.send(new PutImageCommand({ repositoryName: "immut", imageManifest: manifest(), imageTag: "v1" })), {
      name: "ImageTagAlreadyExistsException",
      status: 400,
    });
    const repo = (await sim.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["immut"] }))).repositories![0]!;
    expect(repo.imageTagMutabilityExclusionFilters).toEqual([{ filterType: "WILDCARD", filter: "latest*" }]);
    await expectAwsError(sim.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: "immut", imageTagMutability: "MUTABLE_WITH_EXCLUSION" })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("BatchDeleteImage and BatchGetImage by tag and digest", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "del" }));
    const m = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "del", imageManifest: m, imageTag: "a" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "del", imageManifest: m, imageTag: "b" }));
    const m2 = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "del", imageManifest: m2 }));
    const byBoth = await sim.ecr.send(
      new BatchGetImageCommand({
        repositoryName: "del",
        imageIds: [{ imageDigest: sha(m), imageTag: "a" }, { imageDigest: sha(m2), imageTag: "a" }, {}, { imageDigest: sha(m2) }],
      }),
    );
    expect(byBoth.images!.map((i) => i.imageId)).toEqual([
      { imageDigest: sha(m), imageTag: "a" },
      { imageDigest: sha(m2), imageTag: undefined },
    ]);
    expect(byBoth.failures!.map((f) => f.failureCode)).toEqual(["ImageTagDoesNotMatchDigest", "MissingDigestAndTag"]);
    const untagged = await sim.ecr.send(new ListImagesCommand({ repositoryName: "del", filter: { tagStatus: "UNTAGGED" } }));
    expect(untagged.imageIds).toEqual([{ imageDigest: sha(m2) }]);
    // Deleting one tag of two keeps the image.
    const d1 = await sim.ecr.send(new BatchDeleteImageCommand({ repositoryName: "del", imageIds: [{ imageTag: "a" }, { imageTag: "zz" }] }));
    expect(d1.imageIds).toEqual([{ imageDigest: sha(m), imageTag: "a" }]);
    expect(d1.failures![0]).toMatchObject({ imageId: { imageTag: "zz" }, failureCode: "ImageNotFound" });
    expect((await sim.ecr.send(new DescribeImagesCommand({ repositoryName: "del", imageIds: [{ imageDigest: sha(m) }] }))).imageDetails![0]!.imageTags).toEqual(
      ["b"],
    );
    // The last tag takes the image with it; by digest removes the image whatever its tags.
    await sim.ecr.send(new BatchDeleteImageCommand({ repositoryName: "del", imageIds: [{ imageTag: "b" }, { imageDigest: sha(m2) }] }));
    expect((await sim.ecr.send(new ListImagesCommand({ repositoryName: "del" }))).imageIds).toEqual([]);
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ repositoryName: "del", imageIds: [{ imageTag: "b" }] })), {
      name: "ImageNotFoundException",
      status: 400,
    });
  });

  it("layer upload, availability, download URL and PutImage of the uploaded layers", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "layers" }));
    const data = Buffer.from("a layer of bytes, uploaded in two parts");
    const up = await sim.ecr.send(new InitiateLayerUploadCommand({ repositoryName: "layers" }));
    expect(up.partSize).toBeGreaterThan(0);
    await sim.ecr.send(
      new UploadLayerPartCommand({ repositoryName: "layers", uploadId: up.uploadId, partFirstByte: 0, partLastByte: 9, layerPartBlob: data.subarray(0, 10) }),
    );
    await expectAwsError(
      sim.ecr.send(
        new UploadLayerPartCommand({ repositoryName: "layers", uploadId: up.uploadId, partFirstByte: 5, partLastByte: 9, layerPartBlob: data.subarray(5, 10) }),
      ),
      { name: "InvalidLayerPartException", status: 400 },
    );
    const part2 = await sim.ecr.send(
      new UploadLayerPartCommand({
        repositoryName: "layers",
        uploadId: up.uploadId,
        partFirstByte: 10,
        partLastByte: data.length - 1,
        layerPartBlob: data.subarray(10),
      }),
    );
    expect(part2.lastByteReceived).toBe(data.length - 1);
    // Every part but the last must be at least 5 MiB (AWS's text, dotnet/sdk-container-builds#424).
    await expectAwsError(sim.ecr.send(new CompleteLayerUploadCommand({ repositoryName: "layers", uploadId: up.uploadId, layerDigests: [sha(data)] })), {
      name: "LayerPartTooSmallException",
      status: 400,
      message: "All layer parts except the last part should be at least 5MB",
    });
    const big = Buffer.alloc(5 * 1024 * 1024 + 3, 7);
    /** A new upload of `big` in two parts: 5 MiB, then the rest. */
    const uploadInTwoParts = async () => {
      const { uploadId } = await sim.ecr.send(new InitiateLayerUploadCommand({ repositoryName: "layers" }));
      for (const [from, to] of [
        [0, 5 * 1024 * 1024],
        [5 * 1024 * 1024, big.length],
      ] as const)
        await sim.ecr.send(
          new UploadLayerPartCommand({ repositoryName: "layers", uploadId, partFirstByte: from, partLastByte: to - 1, layerPartBlob: big.subarray(from, to) }),
        );
      return uploadId;
    };
    const up3 = await uploadInTwoParts();
    await expectAwsError(sim.ecr.send(new CompleteLayerUploadCommand({ repositoryName: "layers", uploadId: up3, layerDigests: [sha("other")] })), {
      name: "InvalidLayerException",
      status: 400,
    });
    const up4 = await uploadInTwoParts();
    const two = await sim.ecr.send(new CompleteLayerUploadCommand({ repositoryName: "layers", uploadId: up4, layerDigests: [sha(big)] }));
    expect(two.layerDigest).toBe(sha(big));
    const up2 = await sim.ecr.send(new InitiateLayerUploadCommand({ repositoryName: "layers" }));
    await sim.ecr.send(
      new UploadLayerPartCommand({ repositoryName: "layers", uploadId: up2.uploadId, partFirstByte: 0, partLastByte: data.length - 1, layerPartBlob: data }),
    );
    const done = await sim.ecr.send(new CompleteLayerUploadCommand({ repositoryName: "layers", uploadId: up2.uploadId, layerDigests: [sha(data)] }));
    expect(done.layerDigest).toBe(sha(data));
    await expectAwsError(sim.ecr.send(new CompleteLayerUploadCommand({ repositoryName: "layers", uploadId: up2.uploadId, layerDigests: [sha(data)] })), {
      name: "UploadNotFoundException",
      status: 400,
    });
    const avail = await sim.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: "layers", layerDigests: [sha(data), sha("missing")] }));
    expect(avail.layers).toEqual([{ layerDigest: sha(data), layerAvailability: "AVAILABLE", layerSize: data.length }]);
    expect(avail.failures).toEqual([{ layerDigest: sha("missing"), failureCode: "MissingLayerDigest", failureReason: "Could not find layer" }]);
    const url = await sim.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: "layers", layerDigest: sha(data) }));
    expect(url.downloadUrl).toContain(`/v2/layers/blobs/${sha(data)}`);
    await expectAwsError(sim.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: "layers", layerDigest: sha("missing") })), {
      name: "LayersNotFoundException",
      status: 400,
    });
    const m = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", size: data.length, digest: sha(data) },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", size: data.length, digest: sha(data) }],
    });
    await sim.ecr.send(new PutImageCommand({ repositoryName: "layers", imageManifest: m, imageTag: "oci" }));
    const img = (await sim.ecr.send(new DescribeImagesCommand({ repositoryName: "layers" }))).imageDetails![0]!;
    expect(img).toMatchObject({
      imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactMediaType: "application/vnd.oci.image.config.v1+json",
    });
  });

  it("referrers and archive storage class", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "refs" }));
    const m = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "refs", imageManifest: m, imageTag: "app" }));
    const sig = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.cncf.notary.signature",
      config: { mediaType: "application/vnd.oci.empty.v1+json", size: 2, digest: sha("{}") },
      layers: [],
      subject: { mediaType: "application/vnd.docker.distribution.manifest.v2+json", digest: sha(m), size: m.length },
    });
    await sim.ecr.send(new PutImageCommand({ repositoryName: "refs", imageManifest: sig }));
    const refs = await sim.ecr.send(new ListImageReferrersCommand({ repositoryName: "refs", subjectId: { imageDigest: sha(m) } }));
    expect(refs.referrers).toEqual([
      {
        digest: sha(sig),
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        artifactType: "application/vnd.cncf.notary.signature",
        size: sig.length,
        artifactStatus: "ACTIVE",
      },
    ]);
    const arch = await sim.ecr.send(
      new UpdateImageStorageClassCommand({ repositoryName: "refs", imageId: { imageTag: "app" }, targetStorageClass: "ARCHIVE" }),
    );
    expect(arch.imageStatus).toBe("ARCHIVED");
    expect((await sim.ecr.send(new DescribeImagesCommand({ repositoryName: "refs" }))).imageDetails!.map((i) => i.imageDigest)).toEqual([sha(sig)]);
    const archived = await sim.ecr.send(new DescribeImagesCommand({ repositoryName: "refs", filter: { imageStatus: "ARCHIVED" } }));
    expect(archived.imageDetails![0]).toMatchObject({ imageDigest: sha(m), imageStatus: "ARCHIVED" });
    expect(archived.imageDetails![0]!.lastArchivedAt).toBeInstanceOf(Date);
    const pull = await sim.ecr.send(new BatchGetImageCommand({ repositoryName: "refs", imageIds: [{ imageTag: "app" }] }));
    expect(pull.failures![0]!.failureCode).toBe("ImageInaccessible");
    const restore = await sim.ecr.send(
      new UpdateImageStorageClassCommand({ repositoryName: "refs", imageId: { imageTag: "app" }, targetStorageClass: "STANDARD" }),
    );
    expect(restore.imageStatus).toBe("ACTIVATING");
    expect((await sim.ecr.send(new BatchGetImageCommand({ repositoryName: "refs", imageIds: [{ imageTag: "app" }] }))).images).toHaveLength(1);
  });
});

describe("ECR lifecycle policies", () => {
  it("preview evaluates rules by priority, count and tag prefix", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "lc" }));
    const digests: string[] = [];
    for (const tag of ["prod-1", "prod-2", "prod-3", "dev-1", undefined, undefined]) {
      const m = manifest();
      digests.push(sha(m));
      await sim.ecr.send(new PutImageCommand({ repositoryName: "lc", imageManifest: m, imageTag: tag }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await expectAwsError(sim.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: "lc" })), {
      name: "LifecyclePolicyPreviewNotFoundException",
      status: 400,
    });
    const policy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: "keep 1 prod",
          selection: { tagStatus: "tagged", tagPrefixList: ["prod"], countType: "imageCountMoreThan", countNumber: 1 },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
          action: { type: "expire" },
        },
        { rulePriority: 3, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 2 }, action: { type: "expire" } },
      ],
    });
    await expectAwsError(
      sim.ecr.send(
        new StartLifecyclePolicyPreviewCommand({
          repositoryName: "lc",
          lifecyclePolicyText: JSON.stringify({
            rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } }],
          }),
        }),
      ),
      { name: "InvalidParameterException", status: 400, message: /Lifecycle policy validation failure/ },
    );
    const start = await sim.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: "lc", lifecyclePolicyText: policy }));
    expect(start.status).toBe("IN_PROGRESS");
    await waitUntilLifecyclePolicyPreviewComplete({ client: sim.ecr, maxWaitTime: 10 }, { repositoryName: "lc" });
    const results: Array<{ digest?: string; rule?: number }> = [];
    let summary: unknown;
    for await (const p of paginateGetLifecyclePolicyPreview({ client: sim.ecr, pageSize: 2 }, { repositoryName: "lc" })) {
      results.push(...p.previewResults!.map((r) => ({ digest: r.imageDigest, rule: r.appliedRulePriority, type: r.action?.type })));
      summary = p.summary;
    }
    // Rule 1 keeps prod-3 and expires prod-1, prod-2. Untagged images are younger than 14 days.
    // Rule 3 (any) counts all six, newest first: keeps the two untagged; dev-1 is the only one left for it to expire
    // (prod-* matched rule 1's tag selection, untagged ones rule 2's).
    expect(results.sort((a, b) => digests.indexOf(a.digest!) - digests.indexOf(b.digest!))).toEqual([
      { digest: digests[0], rule: 1, type: "EXPIRE" },
      { digest: digests[1], rule: 1, type: "EXPIRE" },
      { digest: digests[3], rule: 3, type: "EXPIRE" },
    ]);
    expect(summary).toEqual({ expiringImageTotalCount: 3 });
    // Without a policy text the preview uses the repository's policy.
    await expectAwsError(sim.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: "lc" })), {
      name: "LifecyclePolicyNotFoundException",
      status: 400,
    });
    await sim.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "lc", lifecyclePolicyText: policy }));
    await sim.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: "lc" }));
    const tagged = await sim.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: "lc", filter: { tagStatus: "TAGGED" } }));
    expect(tagged.previewResults!.map((r) => r.imageTags)).toEqual(expect.arrayContaining([["prod-1"], ["prod-2"], ["dev-1"]]));
    // Nothing is expired until ECR's daily evaluation.
    expect((await sim.ecr.send(new ListImagesCommand({ repositoryName: "lc" }))).imageIds).toHaveLength(6);
  });
});

describe("ECR scanning", () => {
  it("scan on push, manual scans, the waiter and registry scanning configuration", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "scan-push", imageScanningConfiguration: { scanOnPush: true } }));
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "scan-manual" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "scan-push", imageManifest: manifest(), imageTag: "v1" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "scan-manual", imageManifest: manifest(), imageTag: "v1" }));
    const pushed = await sim.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "scan-push", imageId: { imageTag: "v1" } }));
    expect(pushed.imageScanStatus!.status).toBe("COMPLETE");
    expect(pushed.imageScanFindings!.findings).toEqual([]);
    expect(pushed.imageScanFindings!.findingSeverityCounts).toEqual({});
    await expectAwsError(sim.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "scan-manual", imageId: { imageTag: "v1" } })), {
      name: "ScanNotFoundException",
      status: 400,
    });
    const start = await sim.ecr.send(new StartImageScanCommand({ repositoryName: "scan-manual", imageId: { imageTag: "v1" } }));
    expect(start.imageScanStatus!.status).toBe("IN_PROGRESS");
    await waitUntilImageScanComplete({ client: sim.ecr, maxWaitTime: 10 }, { repositoryName: "scan-manual", imageId: { imageTag: "v1" } });
    await expectAwsError(sim.ecr.send(new StartImageScanCommand({ repositoryName: "scan-manual", imageId: { imageTag: "v1" } })), {
      name: "LimitExceededException",
      status: 400,
    });
    const detail = (await sim.ecr.send(new DescribeImagesCommand({ repositoryName: "scan-manual" }))).imageDetails![0]!;
    expect(detail.imageScanStatus!.status).toBe("COMPLETE");
    expect(detail.imageScanFindingsSummary!.imageScanCompletedAt).toBeInstanceOf(Date);

    expect((await sim.ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: "BASIC", rules: [] });
    await expectAwsError(
      sim.ecr.send(
        new PutRegistryScanningConfigurationCommand({
          scanType: "BASIC",
          rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }],
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    await sim.ecr.send(
      new PutRegistryScanningConfigurationCommand({
        scanType: "BASIC",
        rules: [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "scan-m*", filterType: "WILDCARD" }] }],
      }),
    );
    const cfg = await sim.ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ["scan-manual", "nope"] }));
    expect(cfg.scanningConfigurations![0]).toMatchObject({
      repositoryName: "scan-manual",
      scanOnPush: true,
      scanFrequency: "SCAN_ON_PUSH",
      appliedScanFilters: [{ filter: "scan-m*", filterType: "WILDCARD" }],
    });
    expect(cfg.failures).toEqual([{ repositoryName: "nope", failureCode: "REPOSITORY_NOT_FOUND", failureReason: "REPOSITORY_NOT_FOUND" }]);
    await sim.ecr.send(new PutImageCommand({ repositoryName: "scan-manual", imageManifest: manifest(), imageTag: "v2" }));
    expect(
      (await sim.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "scan-manual", imageId: { imageTag: "v2" } }))).imageScanStatus!.status,
    ).toBe("COMPLETE");
    await sim.ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: "BASIC", rules: [] }));
  });
});

describe("ECR registry", () => {
  it("replication copies pushed images to the destination region, with a creation template", async () => {
    const west = new ECRClient(clientConfig(sim.server, { region: "us-west-2" }));
    await west.send(
      new CreateRepositoryCreationTemplateCommand({
        prefix: "rep",
        appliedFor: ["REPLICATION"],
        imageTagMutability: "IMMUTABLE",
        resourceTags: [{ Key: "from", Value: "template" }],
      }),
    );
    const put = await sim.ecr.send(
      new PutReplicationConfigurationCommand({
        replicationConfiguration: {
          rules: [{ destinations: [{ region: "us-west-2", registryId: "000000000000" }], repositoryFilters: [{ filter: "rep", filterType: "PREFIX_MATCH" }] }],
        },
      }),
    );
    expect(put.replicationConfiguration!.rules).toHaveLength(1);
    expect((await sim.ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration!.rules![0]!.destinations).toEqual([
      { region: "us-west-2", registryId: "000000000000" },
    ]);
    await expectAwsError(
      sim.ecr.send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: { rules: [{ destinations: [{ region: "us-east-1", registryId: "000000000000" }] }] },
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "rep/app" }));
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "other" }));
    const m = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "rep/app", imageManifest: m, imageTag: "v1" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "other", imageManifest: manifest(), imageTag: "v1" }));
    const status = await sim.ecr.send(new DescribeImageReplicationStatusCommand({ repositoryName: "rep/app", imageId: { imageTag: "v1" } }));
    expect(status.replicationStatuses).toEqual([{ region: "us-west-2", registryId: "000000000000", status: "COMPLETE" }]);
    const copy = await west.send(new BatchGetImageCommand({ repositoryName: "rep/app", imageIds: [{ imageTag: "v1" }] }));
    expect(copy.images![0]!.imageId!.imageDigest).toBe(sha(m));
    const westRepo = (await west.send(new DescribeRepositoriesCommand({}))).repositories!;
    expect(westRepo.map((r) => r.repositoryName)).toEqual(["rep/app"]);
    expect(westRepo[0]!.imageTagMutability).toBe("IMMUTABLE");
    expect((await west.send(new ListTagsForResourceCommand({ resourceArn: westRepo[0]!.repositoryArn }))).tags).toEqual([{ Key: "from", Value: "template" }]);
    const tpl = await west.send(new DescribeRepositoryCreationTemplatesCommand({}));
    expect(tpl.repositoryCreationTemplates![0]).toMatchObject({ prefix: "rep", appliedFor: ["REPLICATION"], imageTagMutability: "IMMUTABLE" });
    await sim.ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [] } }));
  });

  it("registry policy, account settings, pull-through cache rules", async () => {
    await expectAwsError(sim.ecr.send(new GetRegistryPolicyCommand({})), { name: "RegistryPolicyNotFoundException", status: 400 });
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: ["ecr:ReplicateImage"], Resource: "*" }],
    });
    await sim.ecr.send(new PutRegistryPolicyCommand({ policyText: policy }));
    expect((await sim.ecr.send(new GetRegistryPolicyCommand({}))).policyText).toBe(policy);
    expect((await sim.ecr.send(new DeleteRegistryPolicyCommand({}))).policyText).toBe(policy);
    await expectAwsError(sim.ecr.send(new PutRegistryPolicyCommand({ policyText: "{nope" })), { name: "InvalidParameterException", status: 400 });

    expect(await sim.ecr.send(new GetAccountSettingCommand({ name: "BASIC_SCAN_TYPE_VERSION" }))).toMatchObject({
      name: "BASIC_SCAN_TYPE_VERSION",
      value: "AWS_NATIVE",
    });
    await sim.ecr.send(new PutAccountSettingCommand({ name: "BLOB_MOUNTING", value: "ENABLED" }));
    expect((await sim.ecr.send(new GetAccountSettingCommand({ name: "BLOB_MOUNTING" }))).value).toBe("ENABLED");
    await expectAwsError(sim.ecr.send(new PutAccountSettingCommand({ name: "BLOB_MOUNTING", value: "SOMETIMES" })), {
      name: "InvalidParameterException",
      status: 400,
    });

    const rule = await sim.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws" }));
    expect(rule).toMatchObject({ ecrRepositoryPrefix: "ecr-public", upstreamRegistry: "ecr-public", registryId: "000000000000" });
    await expectAwsError(sim.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws" })), {
      name: "PullThroughCacheRuleAlreadyExistsException",
      status: 400,
    });
    await expectAwsError(
      sim.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "elsewhere", upstreamRegistryUrl: "registry.example.com" })),
      {
        name: "UnsupportedUpstreamRegistryException",
        status: 400,
      },
    );
    await sim.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "k8s", upstreamRegistryUrl: "registry.k8s.io" }));
    const rules = await sim.ecr.send(new DescribePullThroughCacheRulesCommand({ maxResults: 1 }));
    expect(rules.pullThroughCacheRules!.map((r) => r.ecrRepositoryPrefix)).toEqual(["ecr-public"]);
    expect(rules.nextToken).toBeDefined();
    expect((await sim.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "k8s" }))).isValid).toBe(true);
    await sim.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "k8s" }));
    await expectAwsError(sim.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ["k8s"] })), {
      name: "PullThroughCacheRuleNotFoundException",
      status: 400,
    });
  });
});

describe("ECR registryId", () => {
  it("names another account's registry, whose repository policy must grant the caller", async () => {
    const other = new ECRClient(clientConfig(sim.server, { credentials: { accessKeyId: "111111111111", secretAccessKey: "x" } }));
    const repo = (await other.send(new CreateRepositoryCommand({ repositoryName: "shared" }))).repository!;
    expect(repo.registryId).toBe("111111111111");
    await other.send(new PutImageCommand({ repositoryName: "shared", imageManifest: manifest(), imageTag: "v1" }));
    const resource = "arn:aws:ecr:us-east-1:111111111111:repository/shared";
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ registryId: "111111111111", repositoryName: "shared" })), {
      name: "AccessDeniedException",
      status: 400,
      message: `User: arn:aws:iam::000000000000:root is not authorized to perform: ecr:DescribeImages on resource: ${resource} because no resource-based policy allows the ecr:DescribeImages action`,
    });
    const grant = (actions: string[], effect = "Allow") => ({
      Version: "2012-10-17",
      Statement: [{ Sid: "pull", Effect: effect, Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: actions }],
    });
    await other.send(new SetRepositoryPolicyCommand({ repositoryName: "shared", policyText: JSON.stringify(grant(["ecr:BatchGetImage"])) }));
    // A grant of another action does not open this one; a wildcard does.
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ registryId: "111111111111", repositoryName: "shared" })), {
      name: "AccessDeniedException",
      status: 400,
    });
    expect(
      (await sim.ecr.send(new BatchGetImageCommand({ registryId: "111111111111", repositoryName: "shared", imageIds: [{ imageTag: "v1" }] }))).images,
    ).toHaveLength(1);
    await other.send(new SetRepositoryPolicyCommand({ repositoryName: "shared", policyText: JSON.stringify(grant(["ecr:Describe*", "ecr:BatchGetImage"])) }));
    const seen = await sim.ecr.send(new DescribeImagesCommand({ registryId: "111111111111", repositoryName: "shared" }));
    expect(seen.imageDetails![0]).toMatchObject({ registryId: "111111111111", imageTags: ["v1"] });
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ repositoryName: "shared" })), {
      name: "RepositoryNotFoundException",
      status: 400,
      message: "The repository with name 'shared' does not exist in the registry with id '000000000000'",
    });
    // An explicit deny wins.
    await other.send(
      new SetRepositoryPolicyCommand({
        repositoryName: "shared",
        policyText: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "all", Effect: "Allow", Principal: "*", Action: "ecr:*" },
            { Sid: "no", Effect: "Deny", Principal: { AWS: "000000000000" }, Action: "ecr:DescribeImages" },
          ],
        }),
      }),
    );
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ registryId: "111111111111", repositoryName: "shared" })), {
      name: "AccessDeniedException",
      status: 400,
    });
    expect((await sim.ecr.send(new ListImagesCommand({ registryId: "111111111111", repositoryName: "shared" }))).imageIds).toHaveLength(1);
  });
});
