/** ECR managed signing: the registry's signing rules decide which pushed images get a signing job per profile. */
import {
  CreateRepositoryCommand,
  DeleteSigningConfigurationCommand,
  DescribeImageSigningStatusCommand,
  ECRClient,
  PutImageCommand,
  PutReplicationConfigurationCommand,
  PutSigningConfigurationCommand,
} from "@aws-sdk/client-ecr";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const sha = (b: string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
let n = 0;
function manifest(extra: Record<string, unknown> = {}) {
  n++;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", size: 7, digest: sha(`config-${n}`) },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", size: 100, digest: sha(`layer-${n}`) }],
    ...extra,
  });
}

const ALL = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/everything";
const PROD = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/production";

describe("ECR DescribeImageSigningStatus", () => {
  const sim = useServer({}, (cfg) => ({ ecr: new ECRClient(cfg) }));
  beforeAll(async () => {
    for (const repositoryName of ["prod-api", "dev-api", "before"]) await sim.ecr.send(new CreateRepositoryCommand({ repositoryName }));
  });

  it("an image pushed under signing rules has a status per matching profile", async () => {
    const early = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "before", imageManifest: early, imageTag: "v0" }));
    await sim.ecr.send(
      new PutSigningConfigurationCommand({
        signingConfiguration: {
          rules: [
            { signingProfileArn: ALL },
            { signingProfileArn: PROD, repositoryFilters: [{ filter: "prod-*", filterType: "WILDCARD_MATCH" }] },
            { signingProfileArn: ALL, repositoryFilters: [{ filter: "prod-api", filterType: "WILDCARD_MATCH" }] },
          ],
        },
      }),
    );
    const prod = manifest();
    await sim.ecr.send(new PutImageCommand({ repositoryName: "prod-api", imageManifest: prod, imageTag: "v1" }));
    const byTag = await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "prod-api", imageId: { imageTag: "v1" } }));
    expect(byTag).toMatchObject({ repositoryName: "prod-api", registryId: "000000000000", imageId: { imageTag: "v1" } });
    expect(byTag.signingStatuses).toEqual([
      { signingProfileArn: ALL, status: "COMPLETE" },
      { signingProfileArn: PROD, status: "COMPLETE" },
    ]);
    const byDigest = await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "prod-api", imageId: { imageDigest: sha(prod) } }));
    expect(byDigest.signingStatuses).toHaveLength(2);

    await sim.ecr.send(new PutImageCommand({ repositoryName: "dev-api", imageManifest: manifest(), imageTag: "v1" }));
    const dev = await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "dev-api", imageId: { imageTag: "v1" } }));
    expect(dev.signingStatuses).toEqual([{ signingProfileArn: ALL, status: "COMPLETE" }]);

    // Pushed before the configuration existed: never signed.
    const old = await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "before", imageId: { imageTag: "v0" } }));
    expect(old.signingStatuses).toEqual([]);

    // A signature (an artifact with a subject) is not itself signed.
    const sig = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.cncf.notary.signature",
      config: { mediaType: "application/vnd.oci.empty.v1+json", size: 2, digest: sha("{}") },
      layers: [],
      subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha(prod), size: prod.length },
    });
    await sim.ecr.send(new PutImageCommand({ repositoryName: "prod-api", imageManifest: sig }));
    const sigStatus = await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "prod-api", imageId: { imageDigest: sha(sig) } }));
    expect(sigStatus.signingStatuses).toEqual([]);

    // Rules apply at push time: deleting the configuration keeps existing statuses, new pushes are not signed.
    await sim.ecr.send(new DeleteSigningConfigurationCommand({}));
    expect(
      (await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "prod-api", imageId: { imageTag: "v1" } }))).signingStatuses,
    ).toHaveLength(2);
    await sim.ecr.send(new PutImageCommand({ repositoryName: "prod-api", imageManifest: manifest(), imageTag: "v2" }));
    expect((await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "prod-api", imageId: { imageTag: "v2" } }))).signingStatuses).toEqual(
      [],
    );
  });

  it("replicated images are signed by the destination registry's rules", async () => {
    const west = new ECRClient(clientConfig(sim.server, { region: "us-west-2" }));
    const westProfile = "arn:aws:signer:us-west-2:000000000000:/signing-profiles/west";
    await west.send(new PutSigningConfigurationCommand({ signingConfiguration: { rules: [{ signingProfileArn: westProfile }] } }));
    await sim.ecr.send(
      new PutReplicationConfigurationCommand({
        replicationConfiguration: { rules: [{ destinations: [{ region: "us-west-2", registryId: "000000000000" }] }] },
      }),
    );
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "replicated" }));
    await sim.ecr.send(new PutImageCommand({ repositoryName: "replicated", imageManifest: manifest(), imageTag: "r1" }));
    let statuses: unknown;
    for (let i = 0; i < 50 && !statuses; i++) {
      try {
        statuses = (await west.send(new DescribeImageSigningStatusCommand({ repositoryName: "replicated", imageId: { imageTag: "r1" } }))).signingStatuses;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(statuses).toEqual([{ signingProfileArn: westProfile, status: "COMPLETE" }]);
    expect((await sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "replicated", imageId: { imageTag: "r1" } }))).signingStatuses).toEqual(
      [],
    );
  });

  it("unknown repositories and images answer ECR's errors", async () => {
    await expectAwsError(sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "nope", imageId: { imageTag: "v1" } })), {
      name: "RepositoryNotFoundException",
      status: 400,
      message: "The repository with name 'nope' does not exist in the registry with id '000000000000'",
    });
    await expectAwsError(sim.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "prod-api", imageId: { imageTag: "missing" } })), {
      name: "ImageNotFoundException",
      status: 400,
      message:
        "The image with imageId {imageDigest:'null', imageTag:'missing'} does not exist within the repository with name 'prod-api' in the registry with id '000000000000'",
    });
  });
});

describe("ECR signing jobs under --transition-delay", () => {
  it("are IN_PROGRESS first, then COMPLETE", async () => {
    const server = await startServer({ transitionDelayMs: 1000 });
    try {
      const ecr = new ECRClient(clientConfig(server));
      await ecr.send(new CreateRepositoryCommand({ repositoryName: "slow" }));
      await ecr.send(new PutSigningConfigurationCommand({ signingConfiguration: { rules: [{ signingProfileArn: ALL }] } }));
      await ecr.send(new PutImageCommand({ repositoryName: "slow", imageManifest: manifest(), imageTag: "v1" }));
      const ask = async () => (await ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: "slow", imageId: { imageTag: "v1" } }))).signingStatuses;
      expect(await ask()).toEqual([{ signingProfileArn: ALL, status: "IN_PROGRESS" }]);
      let last: unknown;
      for (let i = 0; i < 100; i++) {
        last = await ask();
        if (JSON.stringify(last).includes("COMPLETE")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(last).toEqual([{ signingProfileArn: ALL, status: "COMPLETE" }]);
    } finally {
      await server.stop();
    }
  });
});
