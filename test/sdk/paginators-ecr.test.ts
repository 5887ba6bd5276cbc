/** ECR: every botocore paginator walked with the JS SDK's paginator (nextToken / maxResults). */
import { createHash } from "node:crypto";
import {
  CreatePullThroughCacheRuleCommand,
  CreateRepositoryCommand,
  CreateRepositoryCreationTemplateCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyPreviewCommand,
  ListImagesCommand,
  paginateDescribeImages,
  paginateDescribeImageScanFindings,
  paginateDescribePullThroughCacheRules,
  paginateDescribeRepositories,
  paginateDescribeRepositoryCreationTemplates,
  paginateGetLifecyclePolicyPreview,
  paginateListImages,
  PutImageCommand,
  StartImageScanCommand,
  StartLifecyclePolicyPreviewCommand,
  waitUntilLifecyclePolicyPreviewComplete,
} from "@aws-sdk/client-ecr";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { expectWalk, names } from "./paginators-helpers.js";

const sim = useServer({}, (cfg) => ({ ecr: new ECRClient(cfg) }));
const cfg = (pageSize = 2) => ({ client: sim.ecr, pageSize });
const tok = (p: { nextToken?: string }) => p.nextToken;
const sha = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;
const repos = names("pg-repo");
const tags = names("v");
const prefixes = names("pg-ptc");
const templates = names("pg-tpl");
const fx = { digests: [] as string[], expiring: [] as string[] };

function manifest(n: string) {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 7, digest: sha(`config-${n}`) },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 100, digest: sha(`layer-${n}`) }],
  });
}

beforeAll(async () => {
  const ecr = sim.ecr;
  for (const r of repos) await ecr.send(new CreateRepositoryCommand({ repositoryName: r }));
  const r0 = repos[0]!;
  for (const t of tags) {
    const m = manifest(t);
    fx.digests.push(sha(m));
    await ecr.send(new PutImageCommand({ repositoryName: r0, imageManifest: m, imageTag: t }));
  }
  // Six images in pg-repo-1, keep only the newest: the preview expires five.
  for (let i = 0; i < 6; i++) {
    const m = manifest(`lc-${i}`);
    if (i < 5) fx.expiring.push(sha(m));
    await ecr.send(new PutImageCommand({ repositoryName: repos[1], imageManifest: m, imageTag: `lc-${i}` }));
    await new Promise((r) => setTimeout(r, 5));
  }
  const policy = JSON.stringify({
    rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } }],
  });
  await ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: repos[1], lifecyclePolicyText: policy }));
  await waitUntilLifecyclePolicyPreviewComplete({ client: ecr, maxWaitTime: 10 }, { repositoryName: repos[1] });
  await ecr.send(new StartImageScanCommand({ repositoryName: r0, imageId: { imageTag: tags[0] } }));
  for (const p of prefixes) await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: p, upstreamRegistryUrl: "public.ecr.aws" }));
  for (const p of templates) await ecr.send(new CreateRepositoryCreationTemplateCommand({ prefix: p, appliedFor: ["CREATE_ON_PUSH"] }));
}, 60_000);

const rows: [string, () => Promise<unknown>][] = [
  [
    "DescribeRepositories",
    () =>
      expectWalk({
        pages: paginateDescribeRepositories(cfg(), {}),
        items: (p) => p.repositories,
        token: tok,
        key: (r: { repositoryName: string }) => r.repositoryName,
        pageSize: 2,
        expected: repos,
      }),
  ],
  [
    "ListImages",
    () =>
      expectWalk({
        pages: paginateListImages(cfg(), { repositoryName: repos[0] }),
        items: (p) => p.imageIds,
        token: tok,
        key: (i: { imageTag: string }) => i.imageTag,
        pageSize: 2,
        expected: tags,
      }),
  ],
  [
    "DescribeImages",
    () =>
      expectWalk({
        pages: paginateDescribeImages(cfg(), { repositoryName: repos[0] }),
        items: (p) => p.imageDetails,
        token: tok,
        key: (i: { imageDigest: string }) => i.imageDigest,
        pageSize: 2,
        expected: fx.digests,
      }),
  ],
  [
    "GetLifecyclePolicyPreview",
    () =>
      expectWalk({
        pages: paginateGetLifecyclePolicyPreview(cfg(), { repositoryName: repos[1] }),
        items: (p) => p.previewResults,
        token: tok,
        key: (r: { imageDigest: string }) => r.imageDigest,
        pageSize: 2,
        expected: fx.expiring,
      }),
  ],
  [
    "DescribeImageScanFindings (a basic scan finds nothing: one page)",
    () =>
      expectWalk({
        pages: paginateDescribeImageScanFindings(cfg(), { repositoryName: repos[0], imageId: { imageTag: tags[0] } }),
        items: (p) => [...(p.imageScanFindings?.findings ?? []), ...(p.imageScanFindings?.enhancedFindings ?? [])],
        token: tok,
        key: (f: { name: string }) => f.name,
        pageSize: 2,
        expected: [],
      }),
  ],
  [
    "DescribePullThroughCacheRules",
    () =>
      expectWalk({
        pages: paginateDescribePullThroughCacheRules(cfg(), {}),
        items: (p) => p.pullThroughCacheRules,
        token: tok,
        key: (r: { ecrRepositoryPrefix: string }) => r.ecrRepositoryPrefix,
        pageSize: 2,
        expected: prefixes,
      }),
  ],
  [
    "DescribeRepositoryCreationTemplates",
    () =>
      expectWalk({
        pages: paginateDescribeRepositoryCreationTemplates(cfg(), {}),
        items: (p) => p.repositoryCreationTemplates,
        token: tok,
        key: (t: { prefix: string }) => t.prefix,
        pageSize: 2,
        expected: templates,
      }),
  ],
];

describe("ECR paginators (page size 2 over 5 items; no nextToken on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("maxResults outside 1..1000 is an InvalidParameterException", async () => {
    for (const maxResults of [0, 1001]) {
      await expectAwsError(sim.ecr.send(new DescribeRepositoriesCommand({ maxResults })), { name: "InvalidParameterException", status: 400 });
      await expectAwsError(sim.ecr.send(new ListImagesCommand({ repositoryName: repos[0], maxResults })), { name: "InvalidParameterException", status: 400 });
    }
  });

  it("maxResults or nextToken together with explicit ids is an InvalidParameterException", async () => {
    const bad = { name: "InvalidParameterException", status: 400, message: /Cannot specify maxResults or nextToken along with/ };
    await expectAwsError(sim.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repos[0]!], maxResults: 2 })), bad);
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ repositoryName: repos[0], imageIds: [{ imageTag: tags[0] }], maxResults: 2 })), bad);
    await expectAwsError(
      sim.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: repos[1], imageIds: [{ imageTag: "lc-0" }], maxResults: 2 })),
      bad,
    );
    const one = await sim.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: repos[1], imageIds: [{ imageTag: "lc-0" }] }));
    expect(one.previewResults?.map((r) => r.imageDigest)).toEqual([fx.expiring[0]]);
  });

  it("a nextToken this server did not issue is an InvalidParameterException", async () => {
    const bad = {
      name: "InvalidParameterException",
      status: 400,
      message: "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid nextToken'",
    };
    await expectAwsError(sim.ecr.send(new DescribeRepositoriesCommand({ nextToken: "garbage" })), bad);
    await expectAwsError(sim.ecr.send(new ListImagesCommand({ repositoryName: repos[0], nextToken: "garbage" })), bad);
    await expectAwsError(sim.ecr.send(new DescribeImagesCommand({ repositoryName: repos[0], nextToken: "garbage" })), bad);
  });

  it("the default page holds all five repositories", async () => {
    const r = await sim.ecr.send(new DescribeRepositoriesCommand({}));
    expect(r.repositories).toHaveLength(5);
    expect(r.nextToken).toBeUndefined();
  });

  it("the default page is 100 repositories", async () => {
    for (const r of names("pg-many", 96)) await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: r }));
    const first = await sim.ecr.send(new DescribeRepositoriesCommand({}));
    expect(first.repositories).toHaveLength(100);
    const rest = await sim.ecr.send(new DescribeRepositoriesCommand({ nextToken: first.nextToken }));
    expect(rest.repositories).toHaveLength(1);
    expect(rest.nextToken).toBeUndefined();
  });
});
