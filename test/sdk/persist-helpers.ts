import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AllocateHostsCommand,
  CreateInstanceEventWindowCommand,
  CreateVpcCommand,
  DescribeHostsCommand,
  DescribeInstanceEventWindowsCommand,
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataDefaultsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DescribeImagesCommand, ECRClient, CreateRepositoryCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { CreateFileSystemCommand, DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { CreateHttpNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { clientConfig, type AwsimServer } from "../helpers.js";
import { zip as zipFile } from "./lambda-helpers.js";

export const ROLE_DOC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
export const BIG = Buffer.alloc(300 * 1024, 7); // above S3's in-memory threshold: kept in a file

export async function seed(server: AwsimServer) {
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
  // The families in ec2/extra (their state once lived beside the region's, and was lost at every restart).
  await ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 1 }));
  await ec2.send(new CreateInstanceEventWindowCommand({ Name: "snapwin", CronExpression: "* 21-23 * * 2,3" }));
  await ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: "required" }));
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
export async function observe(server: AwsimServer) {
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
    ...(await serviceDeployments(ecs, strip)),
    role: strip(await new IAMClient(c).send(new GetRoleCommand({ RoleName: "snaprole" }))),
    rolePolicy: strip(await new IAMClient(c).send(new GetRolePolicyCommand({ RoleName: "snaprole", PolicyName: "p" }))),
    events: strip(await new CloudWatchLogsClient(c).send(new GetLogEventsCommand({ logGroupName: "/snap", logStreamName: "s", startFromHead: true }))),
    vpcs: strip(await new EC2Client(c).send(new DescribeVpcsCommand({}))),
    instances: strip(await new EC2Client(c).send(new DescribeInstancesCommand({}))),
    hosts: strip(await new EC2Client(c).send(new DescribeHostsCommand({}))).Hosts,
    eventWindows: strip(await new EC2Client(c).send(new DescribeInstanceEventWindowsCommand({}))).InstanceEventWindows,
    metadataDefaults: strip(await new EC2Client(c).send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel,
    fn,
    image: strip(await new ECRClient(c).send(new DescribeImagesCommand({ repositoryName: "snaprepo" }))),
    namespaces: strip(await new ServiceDiscoveryClient(c).send(new ListNamespacesCommand({}))),
    fs: strip(await new EFSClient(c).send(new DescribeFileSystemsCommand({}))),
  };
}

/** The service's deployments and the revision each targets (kept beside the service's own state). */
async function serviceDeployments(ecs: ECSClient, strip: (o: unknown) => Record<string, unknown>) {
  const list = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: "snapc", service: "svc" }))).serviceDeployments ?? [];
  const arns = list.map((d) => d.serviceDeploymentArn!);
  const revisions = list.map((d) => d.targetServiceRevisionArn!);
  return {
    serviceDeployments: arns.length ? strip(await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }))).serviceDeployments : [],
    serviceRevisions: revisions.length ? strip(await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisions }))).serviceRevisions : [],
  };
}
