import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateVpcCommand, DescribeInstancesCommand, DescribeVpcsCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeImagesCommand, ECRClient, CreateRepositoryCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { CreateFileSystemCommand, DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { CreateHttpNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, startServer, type AwsimServer } from "../helpers.js";
import { zip as zipFile } from "./lambda-helpers.js";

const ROLE_DOC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const BIG = Buffer.alloc(300 * 1024, 7); // above S3's in-memory threshold: kept in a file

async function seed(server: AwsimServer) {
  const c = clientConfig(server);
  const s3 = new S3Client({ ...c, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "snap" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: "snap", VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(new PutObjectCommand({ Bucket: "snap", Key: "a.txt", Body: "one" }));
  await s3.send(new PutObjectCommand({ Bucket: "snap", Key: "a.txt", Body: "two" }));
  await s3.send(new PutObjectCommand({ Bucket: "snap", Key: "big.bin", Body: BIG }));
  const mp = await s3.send(new CreateMultipartUploadCommand({ Bucket: "snap", Key: "multi.bin" }));
  const p1 = await s3.send(
    new UploadPartCommand({ Bucket: "snap", Key: "multi.bin", UploadId: mp.UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }),
  );
  const p2 = await s3.send(new UploadPartCommand({ Bucket: "snap", Key: "multi.bin", UploadId: mp.UploadId, PartNumber: 2, Body: "tail" }));
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: "snap",
      Key: "multi.bin",
      UploadId: mp.UploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: p1.ETag },
          { PartNumber: 2, ETag: p2.ETag },
        ],
      },
    }),
  );
  const ecs = new ECSClient(c);
  await ecs.send(new CreateClusterCommand({ clusterName: "snapc" }));
  await ecs.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "app", image: "nginx", memory: 128 }] }));
  await ecs.send(new RunTaskCommand({ cluster: "snapc", taskDefinition: "web", count: 2 }));
  await ecs.send(new CreateServiceCommand({ cluster: "snapc", serviceName: "svc", taskDefinition: "web", desiredCount: 1 }));
  const iam = new IAMClient(c);
  const role = await iam.send(new CreateRoleCommand({ RoleName: "snaprole", AssumeRolePolicyDocument: ROLE_DOC }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: "snaprole",
      PolicyName: "p",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
    }),
  );
  const logs = new CloudWatchLogsClient(c);
  await logs.send(new CreateLogGroupCommand({ logGroupName: "/snap" }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: "/snap", logStreamName: "s" }));
  await logs.send(new PutLogEventsCommand({ logGroupName: "/snap", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "hello" }] }));
  const ec2 = new EC2Client(c);
  await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
  await ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
  const lambda = new LambdaClient(c);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: "snapfn",
      Runtime: "nodejs20.x",
      Role: role.Role!.Arn!,
      Handler: "index.handler",
      Code: { ZipFile: zipFile({ "index.js": "exports.handler = async () => 1;" }) },
    }),
  );
  const ecr = new ECRClient(c);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: "snaprepo" }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 2, digest: `sha256:${"a".repeat(64)}` },
    layers: [],
  });
  await ecr.send(new PutImageCommand({ repositoryName: "snaprepo", imageManifest: manifest, imageTag: "v1" }));
  const sd = new ServiceDiscoveryClient(c);
  await sd.send(new CreateHttpNamespaceCommand({ Name: "snap-ns" }));
  const efs = new EFSClient(c);
  await efs.send(new CreateFileSystemCommand({ CreationToken: "snapfs" }));
}

/** What each service says about the seeded resources (volatile fields removed). */
async function observe(server: AwsimServer) {
  const c = clientConfig(server);
  const s3 = new S3Client({ ...c, forcePathStyle: true });
  const strip = (o: unknown) => JSON.parse(JSON.stringify(o, (k, v) => (k === "$metadata" ? undefined : v)));
  const body = async (Key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: "snap", Key }))).Body!.transformToByteArray());
  const ecs = new ECSClient(c);
  const taskArns = (await ecs.send(new ListTasksCommand({ cluster: "snapc" }))).taskArns!.sort();
  const lambda = new LambdaClient(c);
  const fn = strip(await lambda.send(new GetFunctionCommand({ FunctionName: "snapfn" })));
  delete fn.Code?.Location;
  return {
    list: strip(await s3.send(new ListObjectsV2Command({ Bucket: "snap" }))),
    versions: strip(await s3.send(new ListObjectsV2Command({ Bucket: "snap" }))),
    objVersions: strip(await s3.send(new ListObjectVersionsCommand({ Bucket: "snap" }))),
    a: (await body("a.txt")).toString(),
    big: (await body("big.bin")).equals(BIG),
    multiLen: (await body("multi.bin")).length,
    tasks: strip(await ecs.send(new DescribeTasksCommand({ cluster: "snapc", tasks: taskArns }))),
    services: strip(await ecs.send(new DescribeServicesCommand({ cluster: "snapc", services: ["svc"] }))),
    role: strip(await new IAMClient(c).send(new GetRoleCommand({ RoleName: "snaprole" }))),
    rolePolicy: strip(await new IAMClient(c).send(new GetRolePolicyCommand({ RoleName: "snaprole", PolicyName: "p" }))),
    events: strip(await new CloudWatchLogsClient(c).send(new GetLogEventsCommand({ logGroupName: "/snap", logStreamName: "s", startFromHead: true }))),
    vpcs: strip(await new EC2Client(c).send(new DescribeVpcsCommand({}))),
    instances: strip(await new EC2Client(c).send(new DescribeInstancesCommand({}))),
    fn,
    image: strip(await new ECRClient(c).send(new DescribeImagesCommand({ repositoryName: "snaprepo" }))),
    namespaces: strip(await new ServiceDiscoveryClient(c).send(new ListNamespacesCommand({}))),
    fs: strip(await new EFSClient(c).send(new DescribeFileSystemsCommand({}))),
  };
}

describe("named snapshots (in memory)", () => {
  let server: AwsimServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("saves every service, restores after changes and a reset, lists and deletes", async () => {
    await seed(server);
    const before = await observe(server);
    expect(before.big).toBe(true);
    expect(before.multiLen).toBe(5 * 1024 * 1024 + 4);
    const res = await fetch(`${server.url}/_awsim/snapshots?name=seeded`, { method: "POST" });
    expect(res.status).toBe(200);
    const saved = (await res.json()) as { snapshot: { name: string; services: string[]; size: number; created: string } };
    expect(saved.snapshot.name).toBe("seeded");
    expect(saved.snapshot.services).toEqual(expect.arrayContaining(["s3", "ecs", "iam", "logs", "ec2", "lambda", "ecr", "servicediscovery", "efs"]));
    expect(saved.snapshot.size).toBeGreaterThan(5 * 1024 * 1024); // the file bodies it keeps

    // Change things after the snapshot: delete the file-backed object (its file is unlinked), overwrite another.
    const s3 = new S3Client({ ...clientConfig(server), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: "snap", Key: "a.txt", Body: "three" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "snap", Key: "big.bin" }));
    await s3.send(new CreateBucketCommand({ Bucket: "later" }));
    await server.reset("ecs");

    const r = await fetch(`${server.url}/_awsim/snapshots/seeded/restore`, { method: "POST" });
    expect(r.status).toBe(200);
    expect(await observe(server)).toEqual(before);
    const buckets = await fetch(`${server.url}/_awsim/health`).then((x) => x.json() as Promise<{ services: { s3: { buckets: number } } }>);
    expect(buckets.services.s3.buckets).toBe(1); // "later" is gone

    // A second restore of the same snapshot still works after the restored state is changed.
    await s3.send(new DeleteObjectCommand({ Bucket: "snap", Key: "big.bin" }));
    await server.restore("seeded");
    expect(await observe(server)).toEqual(before);

    const list = (await fetch(`${server.url}/_awsim/snapshots`).then((x) => x.json())) as { snapshots: Array<{ name: string }> };
    expect(list.snapshots.map((s) => s.name)).toEqual(["seeded"]);
    expect((await fetch(`${server.url}/_awsim/snapshots/seeded`, { method: "DELETE" })).status).toBe(200);
    expect((await fetch(`${server.url}/_awsim/snapshots/seeded`, { method: "DELETE" })).status).toBe(404);
    const missing = await fetch(`${server.url}/_awsim/snapshots/seeded/restore`, { method: "POST" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no snapshot named "seeded"' });
  });

  it("one service's snapshot restores only that service", async () => {
    await server.reset();
    const s3 = new S3Client({ ...clientConfig(server), forcePathStyle: true });
    const iam = new IAMClient(clientConfig(server));
    await s3.send(new CreateBucketCommand({ Bucket: "only" }));
    await iam.send(new CreateRoleCommand({ RoleName: "r1", AssumeRolePolicyDocument: ROLE_DOC }));
    const meta = await server.snapshot("s3-only", { service: "s3" });
    expect(meta.services).toEqual(["s3"]);
    await s3.send(new CreateBucketCommand({ Bucket: "another" }));
    await iam.send(new CreateRoleCommand({ RoleName: "r2", AssumeRolePolicyDocument: ROLE_DOC }));
    await server.restore("s3-only");
    const health = (await fetch(`${server.url}/_awsim/health`).then((x) => x.json())) as { services: { s3: { buckets: number } } };
    expect(health.services.s3.buckets).toBe(1);
    expect((await iam.send(new GetRoleCommand({ RoleName: "r2" }))).Role?.RoleName).toBe("r2");
  });

  it("refuses bad names and unknown services in the admin shape", async () => {
    const bad = await fetch(`${server.url}/_awsim/snapshots?name=../x`, { method: "POST" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/snapshot name must be/);
    const none = await fetch(`${server.url}/_awsim/snapshots`, { method: "POST" });
    expect(none.status).toBe(400);
    const svc = await fetch(`${server.url}/_awsim/snapshots?name=x&service=nope`, { method: "POST" });
    expect(svc.status).toBe(400);
    expect(await svc.json()).toEqual({ error: "unknown service nope" });
  });

  it("a restored Lambda function still runs", async () => {
    await server.reset();
    await seed(server);
    await server.snapshot("fn");
    await server.reset();
    await server.restore("fn");
    const out = await new LambdaClient(clientConfig(server)).send(new InvokeCommand({ FunctionName: "snapfn" }));
    expect(out.StatusCode).toBe(200);
  });
});

describe("snapshots on disk (--data-dir)", () => {
  it("are written under dataDir/snapshots and load in a new server, also with the load option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "awsim-persist-test-"));
    try {
      const a = await startServer({ dataDir: dir });
      await seed(a);
      const before = await observe(a);
      await a.snapshot("disk1");
      await a.stop();

      const b = await startServer({ dataDir: dir });
      expect(b.snapshots().map((s) => [s.name, s.storage])).toEqual([["disk1", "disk"]]);
      await b.restore("disk1");
      expect(await observe(b)).toEqual(before);
      await b.stop();

      const c = await startServer({ dataDir: dir, load: "disk1" });
      expect(await observe(c)).toEqual(before);
      expect(c.deleteSnapshot("disk1")).toBe(true);
      expect(c.snapshots()).toEqual([]);
      await c.stop();
      await expect(startServer({ dataDir: dir, load: "disk1" })).rejects.toThrow('no snapshot named "disk1"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
