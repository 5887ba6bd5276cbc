/**
 * ECR answers compared with AWS's documented examples (the aws CLI's examples/ecr/*.rst and botocore's
 * examples-1.json): policy text layouts, defaults and which members are named, as AWS recorded them. Real
 * @aws-sdk/client-ecr.
 */
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryPolicyCommand,
  DescribeImageScanFindingsCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetLifecyclePolicyPreviewCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  StartImageScanCommand,
  StartLifecyclePolicyPreviewCommand,
  UploadLayerPartCommand,
  waitUntilLifecyclePolicyPreviewComplete,
} from "@aws-sdk/client-ecr";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const t = useServer({ reset: "ecr" }, (cfg) => ({ ecr: new ECRClient(cfg) }));
const sha = (b: string | Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

// The policy file of set-repository-policy.rst, as a user writes it.
const POLICY_FILE = `{
    "Version" : "2008-10-17",
    "Statement" : [ 
        {
            "Sid" : "allow public pull",
            "Effect" : "Allow",
            "Principal" : "*",
            "Action" : [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer" 
            ]
        }
    ]
}
`;
// ... and the policyText AWS answered for it.
const POLICY_ANSWERED =
  '{\n  "Version" : "2008-10-17",\n  "Statement" : [ {\n    "Sid" : "allow public pull",\n    "Effect" : "Allow",\n    "Principal" : "*",\n    "Action" : [ "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" ]\n  } ]\n}';

const LIFECYCLE_FILE = `{
   "rules": [
       {
           "rulePriority": 1,
           "description": "Expire images older than 14 days",
           "selection": {
               "tagStatus": "untagged",
               "countType": "sinceImagePushed",
               "countUnit": "days",
               "countNumber": 14
           },
           "action": {
               "type": "expire"
           }
       }
   ]
}
`;

describe("repository policies (set/get/delete-repository-policy)", () => {
  it("the policy text is answered in ECR's own layout, whatever the layout given", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "cluster-autoscaler" }));
    const set = await t.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: "cluster-autoscaler", policyText: POLICY_FILE }));
    expect(set.policyText).toBe(POLICY_ANSWERED);
    expect((await t.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: "cluster-autoscaler" }))).policyText).toBe(POLICY_ANSWERED);
    expect((await t.ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: "cluster-autoscaler" }))).policyText).toBe(POLICY_ANSWERED);
    // Empty lists and objects, nested objects and numbers keep Jackson's layout too.
    const other = await t.ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: "cluster-autoscaler",
        policyText: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Principal: { AWS: ["arn:aws:iam::000000000000:root"] }, Action: "ecr:*", Condition: {} }],
        }),
      }),
    );
    expect(other.policyText).toBe(
      '{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Effect" : "Deny",\n    "Principal" : {\n      "AWS" : [ "arn:aws:iam::000000000000:root" ]\n    },\n    "Action" : "ecr:*",\n    "Condition" : { }\n  } ]\n}',
    );
  });
});

describe("lifecycle policies (put/get/delete-lifecycle-policy, lifecycle policy previews)", () => {
  it("kept as compact JSON; lastEvaluatedAt the epoch until evaluated; a preview keeps the text as given", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "project-a/amazon-ecs-sample" }));
    const compact =
      '{"rules":[{"rulePriority":1,"description":"Expire images older than 14 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}';
    const put = await t.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "project-a/amazon-ecs-sample", lifecyclePolicyText: LIFECYCLE_FILE }));
    expect(put.lifecyclePolicyText).toBe(compact);
    const got = await t.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "project-a/amazon-ecs-sample" }));
    expect(got.lifecyclePolicyText).toBe(compact);
    expect(got.lastEvaluatedAt).toEqual(new Date(0));
    const preview = await t.ecr.send(
      new StartLifecyclePolicyPreviewCommand({ repositoryName: "project-a/amazon-ecs-sample", lifecyclePolicyText: LIFECYCLE_FILE }),
    );
    expect(preview).toMatchObject({ lifecyclePolicyText: LIFECYCLE_FILE, status: "IN_PROGRESS" });
    await waitUntilLifecyclePolicyPreviewComplete({ client: t.ecr, maxWaitTime: 10, minDelay: 1 }, { repositoryName: "project-a/amazon-ecs-sample" });
    const done = await t.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: "project-a/amazon-ecs-sample" }));
    expect(done).toMatchObject({ lifecyclePolicyText: LIFECYCLE_FILE, status: "COMPLETE", previewResults: [], summary: { expiringImageTotalCount: 0 } });
    const del = await t.ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: "project-a/amazon-ecs-sample" }));
    expect(del.lifecyclePolicyText).toBe(compact);
    expect(del.lastEvaluatedAt).toEqual(new Date(0));
  });
});

describe("layers and scans (batch-check-layer-availability, start-image-scan, describe-image-scan-findings)", () => {
  async function upload(repositoryName: string, data: Buffer): Promise<string> {
    const { uploadId } = await t.ecr.send(new InitiateLayerUploadCommand({ repositoryName }));
    const part = await t.ecr.send(
      new UploadLayerPartCommand({ repositoryName, uploadId, partFirstByte: 0, partLastByte: data.length - 1, layerPartBlob: data }),
    );
    expect(part.lastByteReceived).toBe(data.length - 1);
    const done = await t.ecr.send(new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [sha(data)] }));
    return done.layerDigest!;
  }

  it("an uploaded blob takes the media type the manifest referring to it names", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "cluster-autoscaler" }));
    const cfg = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const config = await upload("cluster-autoscaler", cfg);
    const before = await t.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: "cluster-autoscaler", layerDigests: [config] }));
    expect(before.layers![0]!.mediaType).toBeUndefined();
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: cfg.length, digest: config },
      layers: [],
    });
    await t.ecr.send(new PutImageCommand({ repositoryName: "cluster-autoscaler", imageManifest: manifest, imageTag: "v1.13.6" }));
    const after = await t.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: "cluster-autoscaler", layerDigests: [config] }));
    expect(after.layers).toEqual([
      { layerDigest: config, layerAvailability: "AVAILABLE", layerSize: cfg.length, mediaType: "application/vnd.docker.container.image.v1+json" },
    ]);
    expect(after.failures).toEqual([]);
  });

  it("a scan asked for by digest answers the digest alone; by tag, the tag too", async () => {
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "sample-repo" }));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 7, digest: sha("cfg-scan") },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 100, digest: sha("layer-scan") }],
    });
    await t.ecr.send(new PutImageCommand({ repositoryName: "sample-repo", imageManifest: manifest, imageTag: "latest" }));
    const started = await t.ecr.send(new StartImageScanCommand({ repositoryName: "sample-repo", imageId: { imageDigest: sha(manifest) } }));
    expect(started.imageId).toEqual({ imageDigest: sha(manifest) });
    expect(started.imageScanStatus).toEqual({ status: "IN_PROGRESS" });
    const byDigest = await t.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "sample-repo", imageId: { imageDigest: sha(manifest) } }));
    expect(byDigest.imageId).toEqual({ imageDigest: sha(manifest) });
    expect(byDigest.imageScanStatus).toEqual({ status: "COMPLETE", description: "The scan was completed successfully." });
    const byTag = await t.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "sample-repo", imageId: { imageTag: "latest" } }));
    expect(byTag.imageId).toEqual({ imageDigest: sha(manifest), imageTag: "latest" });
  });
});
