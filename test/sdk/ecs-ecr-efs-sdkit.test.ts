/**
 * ECS, ECR and EFS as the SDK teams' own integration tests assert them against real AWS, replayed against awsim:
 * aws-sdk-java-v2 services/{ecs,ecr,efs}/src/it and src/test/resources/.../smoketests/*.feature,
 * aws-sdk-js-v3 clients/client-{ecs,ecr,efs}/test/*-features.e2e.spec.ts (and the features/ copies from aws-sdk-js),
 * aws-sdk-go-v2 service/internal/integrationtest/{ecs,ecr,efs}, botocore tests/integration/test_smoke.py.
 * (Cloud Map has no integration tests in these SDKs.) Each test names its source.
 */
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, ListImagesCommand } from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  ECSClient,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import {
  CreateFileSystemCommand,
  DeleteFileSystemCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  type FileSystemAlreadyExists,
  type FileSystemNotFound,
} from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (_cfg, server) => {
  const cfg = clientConfig(server, { region: "us-west-2" });
  return { ecs: new ECSClient(cfg), ecr: new ECRClient(cfg), efs: new EFSClient(cfg) };
});

describe("ECS", () => {
  // aws-sdk-java-v2 EC2ContainerServiceIntegrationTest (setup + basicTest)
  it("a created cluster is ACTIVE and listed; a task definition keeps its entry point and command", async () => {
    const created = await sim.ecs.send(new CreateClusterCommand({ clusterName: "java-sdk-test-cluster" }));
    expect(created.cluster).toMatchObject({ clusterName: "java-sdk-test-cluster", status: "ACTIVE" });
    const d = await sim.ecs.send(new DescribeClustersCommand({ clusters: ["java-sdk-test-cluster"] }));
    expect(d.clusters?.[0]?.status).toBe("ACTIVE");
    expect((await sim.ecs.send(new ListClustersCommand({}))).clusterArns).toContain(created.cluster!.clusterArn);
    const td = await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "test",
        containerDefinitions: [
          {
            name: "test",
            image: "image",
            cpu: 1,
            memory: 1,
            command: ["command", "command", "command"],
            entryPoint: ["entryPoint", "entryPoint"],
            portMappings: [{ hostPort: 12345, containerPort: 6789 }],
          },
        ],
      }),
    );
    expect(td.taskDefinition).toMatchObject({ family: "test", revision: 1 });
    expect(td.taskDefinition?.taskDefinitionArn).toMatch(/:task-definition\/test:1$/);
    expect(td.taskDefinition?.containerDefinitions?.[0]).toMatchObject({
      image: "image",
      entryPoint: ["entryPoint", "entryPoint"],
      command: ["command", "command", "command"],
    });
    expect((await sim.ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns).toEqual([td.taskDefinition!.taskDefinitionArn]);
  });

  // aws-sdk-js-v3 ecs-features.e2e.spec.ts; aws-sdk-go-v2 integrationtest/ecs TestInteg_01_StopTask; botocore ERROR_TESTS ecs
  it("StopTask of an unknown task is a 400 with a code and message", async () => {
    await expectAwsError(sim.ecs.send(new StopTaskCommand({ task: "xxxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxx" })), {
      name: "ClusterNotFoundException",
      status: 400,
      message: "Cluster not found.",
    });
  });
});

describe("ECR", () => {
  // aws-sdk-java-v2 EcrIntegrationTest.basicTest
  it("DescribeRepositories returns the created repository's registry id, name and ARN", async () => {
    const r = (await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "java-sdk-test-repo" }))).repository!;
    expect(r.repositoryArn).toBe(`arn:aws:ecr:us-west-2:${r.registryId}:repository/java-sdk-test-repo`);
    const d = await sim.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["java-sdk-test-repo"] }));
    expect(d.repositories?.[0]).toMatchObject({ registryId: r.registryId, repositoryName: "java-sdk-test-repo", repositoryArn: r.repositoryArn });
  });

  // aws-sdk-js-v3 ecr-features.e2e.spec.ts; aws-sdk-java-v2 smoketests/ecr.feature; aws-sdk-go-v2 TestInteg_01_ListImages
  it("ListImages of an unknown repository is RepositoryNotFoundException", async () => {
    for (const repositoryName of ["fake_name", "not-a-real-repository"])
      await expectAwsError(sim.ecr.send(new ListImagesCommand({ repositoryName })), {
        name: "RepositoryNotFoundException",
        status: 400,
        message: `The repository with name '${repositoryName}' does not exist in the registry with id '000000000000'`,
      });
  });
});

describe("EFS", () => {
  // aws-sdk-js-v3 efs-features.e2e.spec.ts "Error handling"
  it("DeleteFileSystem of a malformed id is a ValidationException", async () => {
    await expectAwsError(sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: "fake-id" })), { name: "ValidationException", status: 400 });
  });

  // aws-sdk-java-v2 smoketests/efs.feature; aws-sdk-go-v2 TestInteg_01_DeleteFileSystem; ElasticFileSystemIntegrationTest
  it("an unknown file system is FileSystemNotFound with its ErrorCode member", async () => {
    const del = await expectAwsError(sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: "fs-c5a1446c" })), {
      name: "FileSystemNotFound",
      status: 404,
      message: "File system 'fs-c5a1446c' does not exist.",
    });
    expect((del as unknown as FileSystemNotFound).ErrorCode).toBe("FileSystemNotFound");
    await expectAwsError(sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-00000000" })), { name: "FileSystemNotFound", status: 404 });
    expect((await sim.efs.send(new DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
  });

  // aws-sdk-java-v2 ElasticFileSystemIntegrationTest.createFileSystem_WithDuplicateCreationToken_ThrowsExceptionWithFileSystemIdPresent
  it("a duplicate creation token is FileSystemAlreadyExists carrying the existing FileSystemId", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "dup-token" }));
    const err = await expectAwsError(sim.efs.send(new CreateFileSystemCommand({ CreationToken: "dup-token" })), {
      name: "FileSystemAlreadyExists",
      status: 409,
    });
    expect((err as unknown as FileSystemAlreadyExists).FileSystemId).toBe(fs.FileSystemId);
  });
});
