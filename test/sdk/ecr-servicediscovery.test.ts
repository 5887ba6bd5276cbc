import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ListImagesCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  paginateDescribeRepositories,
} from "@aws-sdk/client-ecr";
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DiscoverInstancesCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListInstancesCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer();

/** A real lifecycle policy: ECR requires at least 100 characters. */
const POLICY =
  '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}';

describe("ECR", () => {
  it("repositories, images by manifest, auth token, lifecycle policy, errors", async () => {
    const ecr = new ECRClient(clientConfig(sim.server));
    const repo = (await ecr.send(new CreateRepositoryCommand({ repositoryName: "my-app" }))).repository!;
    expect(repo.repositoryUri).toBe("000000000000.dkr.ecr.us-east-1.amazonaws.com/my-app");
    expect(repo.repositoryArn).toBe("arn:aws:ecr:us-east-1:000000000000:repository/my-app");
    await expectAwsError(ecr.send(new CreateRepositoryCommand({ repositoryName: "my-app" })), { name: "RepositoryAlreadyExistsException", status: 400 });
    await expectAwsError(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["nope"] })), { name: "RepositoryNotFoundException", status: 400 });
    for (const n of ["a-1", "a-2", "a-3"]) await ecr.send(new CreateRepositoryCommand({ repositoryName: n }));
    const names: string[] = [];
    for await (const p of paginateDescribeRepositories({ client: ecr, pageSize: 2 }, {})) names.push(...p.repositories!.map((r) => r.repositoryName!));
    expect(names).toEqual(["a-1", "a-2", "a-3", "my-app"]);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { size: 10, digest: "sha256:c" },
      layers: [{ size: 100, digest: "sha256:l1" }],
    });
    const put = await ecr.send(new PutImageCommand({ repositoryName: "my-app", imageManifest: manifest, imageTag: "v1" }));
    expect(put.image!.imageId!.imageDigest).toBe(`sha256:${createHash("sha256").update(manifest).digest("hex")}`);
    await expectAwsError(ecr.send(new PutImageCommand({ repositoryName: "my-app", imageManifest: manifest, imageTag: "v1" })), {
      name: "ImageAlreadyExistsException",
      status: 400,
    });
    const got = await ecr.send(new BatchGetImageCommand({ repositoryName: "my-app", imageIds: [{ imageTag: "v1" }, { imageTag: "missing" }] }));
    expect(got.images![0]!.imageManifest).toBe(manifest);
    expect(got.failures![0]!.failureCode).toBe("ImageNotFound");
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: "my-app" }))).imageDetails![0]).toMatchObject({
      imageTags: ["v1"],
      imageSizeInBytes: 110,
    });
    expect((await ecr.send(new ListImagesCommand({ repositoryName: "my-app" }))).imageIds).toEqual([
      { imageDigest: put.image!.imageId!.imageDigest, imageTag: "v1" },
    ]);
    const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
    expect(Buffer.from(auth.authorizationToken!, "base64").toString()).toMatch(/^AWS:.+/);
    expect(auth.proxyEndpoint).toBe("https://000000000000.dkr.ecr.us-east-1.amazonaws.com");
    await expectAwsError(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "my-app" })), { name: "LifecyclePolicyNotFoundException", status: 400 });
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "my-app", lifecyclePolicyText: POLICY }));
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "my-app" }))).lifecyclePolicyText).toBe(POLICY);
    await expectAwsError(ecr.send(new DeleteRepositoryCommand({ repositoryName: "my-app" })), { name: "RepositoryNotEmptyException", status: 400 });
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: "my-app", force: true }));
  });
});

describe("Cloud Map", () => {
  it("namespaces via operations, services, instances, DiscoverInstances", async () => {
    const sd = new ServiceDiscoveryClient(clientConfig(sim.server, { disableHostPrefix: true }));
    const op = await sd.send(new CreateHttpNamespaceCommand({ Name: "apps", CreatorRequestId: "r1" }));
    const got = (await sd.send(new GetOperationCommand({ OperationId: op.OperationId }))).Operation!;
    expect(got.Status).toBe("SUCCESS");
    const nsId = got.Targets!.NAMESPACE!;
    expect(nsId).toMatch(/^ns-[a-z2-7]{16}$/);
    expect((await sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace).toMatchObject({ Name: "apps", Type: "HTTP" });
    await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "corp.local", Vpc: "vpc-123" }));
    expect((await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["DNS_PRIVATE"] }] }))).Namespaces!.map((n) => n.Name)).toEqual([
      "corp.local",
    ]);
    const svc = (await sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: nsId }))).Service!;
    await sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", stage: "prod" } }));
    await sd.send(new RegisterInstanceCommand({ ServiceId: svc.Id, InstanceId: "i-2", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.2", stage: "dev" } }));
    expect((await sd.send(new ListInstancesCommand({ ServiceId: svc.Id }))).Instances!.map((i) => i.Id)).toEqual(["i-1", "i-2"]);
    const found = await sd.send(new DiscoverInstancesCommand({ NamespaceName: "apps", ServiceName: "web", QueryParameters: { stage: "prod" } }));
    expect(found.Instances!.map((i) => [i.InstanceId, i.Attributes!.AWS_INSTANCE_IPV4])).toEqual([["i-1", "10.0.0.1"]]);
    await expectAwsError(sd.send(new DeleteNamespaceCommand({ Id: nsId })), { name: "ResourceInUse", status: 400 });
    await expectAwsError(sd.send(new GetNamespaceCommand({ Id: "ns-doesnotexist0000" })), { name: "NamespaceNotFound", status: 400 });
  });
});
