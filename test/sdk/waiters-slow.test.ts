/**
 * SDK waiters against a server with a transition delay: they retry while a resource is on its way and
 * succeed once it arrives, and the cancel waiters catch tasks that are still active.
 */
import {
  CancelConversionTaskCommand,
  CancelExportTaskCommand,
  CreateInstanceExportTaskCommand,
  CreateNatGatewayCommand,
  CreateVolumeCommand,
  DeleteNatGatewayCommand,
  DescribeImportImageTasksCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  EC2Client,
  ImportImageCommand,
  ImportVolumeCommand,
  RunInstancesCommand,
  waitForConversionTaskCancelled,
  waitForExportTaskCancelled,
  waitForInstanceRunning,
  waitForNatGatewayAvailable,
  waitForNatGatewayDeleted,
  waitForVolumeAvailable,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  DeleteDaemonTaskDefinitionCommand,
  DescribeDaemonTaskDefinitionCommand,
  ECSClient,
  RegisterDaemonTaskDefinitionCommand,
  waitForDaemonTaskDefinitionDeleted,
} from "@aws-sdk/client-ecs";
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitForFunctionActive,
  waitForFunctionUpdated,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { AMI, vpcWithSubnet } from "./ec2-fixtures.js";
import { createNodeFunction } from "./lambda-helpers.js";

const DELAY_MS = 600;
const sim = useServer({ transitionDelayMs: DELAY_MS }, (cfg) => ({
  ec2: new EC2Client(cfg),
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
  lambda: new LambdaClient(cfg),
  ecs: new ECSClient(cfg),
}));

/** Poll every 0.2 s for up to 3 s: several retries before the delay passes, success after. */
const poll = <C>(client: C) => ({ client, minDelay: 0.2, maxDelay: 0.2, maxWaitTime: 3 });
const BUCKET = "slow-waiters";

describe("retry, then success", () => {
  it("InstanceRunning, VolumeAvailable, NatGatewayAvailable and NatGatewayDeleted retry through pending states", async () => {
    const id = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    expect((await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State!.Name).toBe("pending");
    const vol = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }))).VolumeId!;
    const { subnetId } = await vpcWithSubnet(sim.ec2);
    const nat = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, ConnectivityType: "private" }))).NatGateway!.NatGatewayId!;
    const [running, available, natUp] = await Promise.all([
      waitForInstanceRunning(poll(sim.ec2), { InstanceIds: [id] }),
      waitForVolumeAvailable(poll(sim.ec2), { VolumeIds: [vol] }),
      waitForNatGatewayAvailable(poll(sim.ec2), { NatGatewayIds: [nat] }),
    ]);
    expect([running.state, available.state, natUp.state]).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    await sim.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat }));
    expect((await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat] }))).NatGateways![0]!.State).toBe("deleting");
    expect((await waitForNatGatewayDeleted(poll(sim.ec2), { NatGatewayIds: [nat] })).state).toBe("SUCCESS");
  });

  it("FunctionActive retries while the function is Pending, FunctionUpdated while its update is InProgress", async () => {
    await createNodeFunction(sim.lambda, "slow", "exports.handler = async () => 1;");
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "slow" }))).State).toBe("Pending");
    expect((await waitForFunctionActive(poll(sim.lambda), { FunctionName: "slow" })).state).toBe("SUCCESS");
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "slow", Timeout: 10 }));
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "slow" }))).LastUpdateStatus).toBe("InProgress");
    expect((await waitForFunctionUpdated(poll(sim.lambda), { FunctionName: "slow" })).state).toBe("SUCCESS");
  });

  it("DaemonTaskDefinitionDeleted retries while the deletion is in progress", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "slow" }));
    const td = (await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image: "agent:1" }] })))
      .daemonTaskDefinitionArn!;
    await sim.ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: td }));
    expect((await sim.ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: td }))).daemonTaskDefinition!.status).toBe("DELETE_IN_PROGRESS");
    expect((await waitForDaemonTaskDefinitionDeleted(poll(sim.ecs), { daemonTaskDefinition: td })).state).toBe("SUCCESS");
  });
});

describe("cancelled tasks", () => {
  it("ConversionTaskCancelled after CancelConversionTask of an active volume import", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await sim.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "m.xml", Body: "<manifest/>" }));
    const cv = await sim.ec2.send(
      new ImportVolumeCommand({
        AvailabilityZone: "us-east-1a",
        Image: { Format: "VMDK", Bytes: 5, ImportManifestUrl: `s3://${BUCKET}/m.xml` },
        Volume: { Size: 1 },
      }),
    );
    const ids = { ConversionTaskIds: [cv.ConversionTask!.ConversionTaskId!] };
    await sim.ec2.send(new CancelConversionTaskCommand({ ConversionTaskId: ids.ConversionTaskIds[0] }));
    expect((await waitForConversionTaskCancelled(poll(sim.ec2), ids)).state).toBe("SUCCESS");
  });

  it("ExportTaskCancelled after CancelExportTask of an active instance export", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: `${BUCKET}-2` }));
    await sim.s3.send(new PutObjectCommand({ Bucket: `${BUCKET}-2`, Key: "vm.vmdk", Body: Buffer.alloc(100) }));
    const imp = await sim.ec2.send(new ImportImageCommand({ DiskContainers: [{ UserBucket: { S3Bucket: `${BUCKET}-2`, S3Key: "vm.vmdk" } }] }));
    await new Promise((r) => setTimeout(r, DELAY_MS + 50));
    const ami = (await sim.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [imp.ImportTaskId!] }))).ImportImageTasks![0]!.ImageId!;
    const i = (await sim.ec2.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const ex = await sim.ec2.send(
      new CreateInstanceExportTaskCommand({ InstanceId: i, TargetEnvironment: "vmware", ExportToS3Task: { DiskImageFormat: "VMDK", S3Bucket: `${BUCKET}-2` } }),
    );
    const id = ex.ExportTask!.ExportTaskId!;
    await sim.ec2.send(new CancelExportTaskCommand({ ExportTaskId: id }));
    expect((await waitForExportTaskCancelled(poll(sim.ec2), { ExportTaskIds: [id] })).state).toBe("SUCCESS");
  });
});
