/** --execute mode: ECS tasks whose task definitions mount the same EFS file system share its directory. */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
  type Volume,
} from "@aws-sdk/client-ecs";
import { CreateAccessPointCommand, CreateFileSystemCommand, EFSClient } from "@aws-sdk/client-efs";
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { privateMountsSupported } from "../../src/runtime/mount-namespace.js";
import { clientConfig, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

let n = 0;

const sim = useServer({ execute: true }, (cfg) => ({ ecs: new ECSClient(cfg), efs: new EFSClient(cfg), logs: new CloudWatchLogsClient(cfg) }));
beforeAll(async () => {
  await sim.ecs.send(new CreateClusterCommand({ clusterName: "efs" }));
});

const awslogs = (group: string) => ({
  logDriver: "awslogs" as const,
  options: { "awslogs-group": group, "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true" },
});

/** Register a one-container task definition mounting `volume` at `path` and run it. */
async function run(volume: Volume, path: string, script: string, group: string, readOnly = false): Promise<Task> {
  const family = `efs${++n}`;
  await sim.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      volumes: [volume],
      containerDefinitions: [
        {
          name: "app",
          image: "alpine",
          command: ["sh", "-c", script],
          mountPoints: [{ sourceVolume: volume.name, containerPath: path, readOnly }],
          logConfiguration: awslogs(group),
        },
      ],
    }),
  );
  return (await sim.ecs.send(new RunTaskCommand({ cluster: "efs", taskDefinition: family }))).tasks![0]!;
}

async function stopped(taskArn: string, ms = 20_000): Promise<Task> {
  const t0 = Date.now();
  for (;;) {
    const t = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "efs", tasks: [taskArn] }))).tasks![0]!;
    if (t.lastStatus === "STOPPED") return t;
    if (Date.now() - t0 > ms) throw new Error(`timeout: ${t.lastStatus}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lines = async (group: string) => ((await sim.logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message);

describe.skipIf(!privateMountsSupported())("ECS tasks sharing an EFS file system (root on Linux)", () => {
  it("task A writes a file that task B, running at the same time, reads at another path; B's answer reaches A", async () => {
    const fileSystemId = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "ecs-shared" }))).FileSystemId!;
    const ap = await sim.efs.send(
      new CreateAccessPointCommand({
        FileSystemId: fileSystemId,
        ClientToken: "ecs-ap",
        RootDirectory: { Path: "/shared", CreationInfo: { OwnerUid: 0, OwnerGid: 0, Permissions: "777" } },
      }),
    );
    // A mounts the file system's /shared directory at /mnt/shared. Each task writes its file under another name
    // and renames it: the other polls for the name, and would otherwise read a file created but not yet written.
    const a = await run(
      { name: "data", efsVolumeConfiguration: { fileSystemId, rootDirectory: "/shared" } },
      "/mnt/shared",
      "echo from-a > /mnt/shared/a.tmp && mv /mnt/shared/a.tmp /mnt/shared/a.txt; for i in $(seq 100); do if [ -f /mnt/shared/b.txt ]; then cat /mnt/shared/b.txt; exit 0; fi; sleep 0.1; done; exit 1",
      "/ecs/efs-a",
    );
    // B mounts the same directory through an access point, at /mnt/efs.
    const b = await run(
      {
        name: "shared",
        efsVolumeConfiguration: { fileSystemId, transitEncryption: "ENABLED", authorizationConfig: { accessPointId: ap.AccessPointId, iam: "DISABLED" } },
      },
      "/mnt/efs",
      'for i in $(seq 100); do if [ -f /mnt/efs/a.txt ]; then echo "b read $(cat /mnt/efs/a.txt)" | tee /mnt/efs/b.tmp && mv /mnt/efs/b.tmp /mnt/efs/b.txt; exit 0; fi; sleep 0.1; done; exit 1',
      "/ecs/efs-b",
    );
    const [sa, sb] = await Promise.all([stopped(a.taskArn!), stopped(b.taskArn!)]);
    expect(sb.containers![0]!.exitCode).toBe(0);
    expect(sa.containers![0]!.exitCode).toBe(0);
    expect(await lines("/ecs/efs-b")).toEqual(["b read from-a"]);
    expect(await lines("/ecs/efs-a")).toEqual(["b read from-a"]);
    // The host's /mnt is untouched: the mounts lived in the tasks' own mount namespaces.
    expect(existsSync("/mnt/shared/a.txt")).toBe(false);

    // A third task mounting the whole file system sees both files under /shared; a read-only mount cannot write.
    const c = await run(
      { name: "root", efsVolumeConfiguration: { fileSystemId } },
      "/mnt/all",
      "cat /mnt/all/shared/a.txt /mnt/all/shared/b.txt; if echo x 2>/dev/null > /mnt/all/c.txt; then echo writable; else echo read-only; fi",
      "/ecs/efs-c",
      true,
    );
    expect((await stopped(c.taskArn!)).containers![0]!.exitCode).toBe(0);
    expect(await lines("/ecs/efs-c")).toEqual(["from-a", "b read from-a", "read-only"]);
  });

  it("a Lambda function and an ECS task mounting one access point share its files", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    const fileSystemId = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "fn-and-task" }))).FileSystemId!;
    const ap = await sim.efs.send(
      new CreateAccessPointCommand({
        FileSystemId: fileSystemId,
        ClientToken: "fn-ap",
        PosixUser: { Uid: 1000, Gid: 1000 },
        RootDirectory: { Path: "/handoff", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "755" } },
      }),
    );
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "efs-writer",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        FileSystemConfigs: [{ Arn: ap.AccessPointArn!, LocalMountPath: "/mnt/handoff" }],
        Code: { ZipFile: zip({ "index.js": 'exports.handler = async (e) => { require("fs").writeFileSync("/mnt/handoff/job.txt", e.job); return "ok"; };' }) },
      }),
    );
    const w = await lambda.send(new InvokeCommand({ FunctionName: "efs-writer", Payload: Buffer.from('{"job":"resize images"}') }));
    expect(w.FunctionError, Buffer.from(w.Payload ?? []).toString()).toBeUndefined();
    const t = await run(
      { name: "handoff", efsVolumeConfiguration: { fileSystemId, authorizationConfig: { accessPointId: ap.AccessPointId } } },
      "/mnt/work",
      'echo "task got: $(cat /mnt/work/job.txt)"; stat -c %u /mnt/work/job.txt',
      "/ecs/efs-fn",
    );
    expect((await stopped(t.taskArn!)).containers![0]!.exitCode).toBe(0);
    expect(await lines("/ecs/efs-fn")).toEqual(["task got: resize images", "1000"]);
  });

  it("containers of one task share a volume without a source path; a host volume binds its sourcePath", async () => {
    const src = mkdtempSync(join(tmpdir(), "awsim-ecs-host-"));
    writeFileSync(join(src, "config.txt"), "from the host\n");
    const family = `vol${++n}`;
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        volumes: [{ name: "scratch" }, { name: "conf", host: { sourcePath: src } }],
        containerDefinitions: [
          {
            name: "writer",
            image: "alpine",
            essential: false,
            command: ["sh", "-c", "cat /mnt/conf/config.txt > /mnt/work/out.txt; echo written >> /mnt/work/out.txt"],
            mountPoints: [
              { sourceVolume: "scratch", containerPath: "/mnt/work" },
              { sourceVolume: "conf", containerPath: "/mnt/conf", readOnly: true },
            ],
          },
          {
            name: "reader",
            image: "alpine",
            command: ["sh", "-c", "cat /mnt/shared/out.txt"],
            dependsOn: [{ containerName: "writer", condition: "SUCCESS" }],
            mountPoints: [{ sourceVolume: "scratch", containerPath: "/mnt/shared" }],
            logConfiguration: awslogs("/ecs/scratch"),
          },
        ],
      }),
    );
    const t = (await sim.ecs.send(new RunTaskCommand({ cluster: "efs", taskDefinition: family }))).tasks![0]!;
    const s = await stopped(t.taskArn!);
    expect(s.containers!.map((c) => [c.name, c.exitCode])).toEqual([
      ["writer", 0],
      ["reader", 0],
    ]);
    expect(await lines("/ecs/scratch")).toEqual(["from the host", "written"]);
    // The scratch directory went with the task.
    const id = t.taskArn!.split("/").pop()!;
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith(`awsim-ecs-${id}-`))).toEqual([]);
    rmSync(src, { recursive: true, force: true });
  });

  it("a file system that does not exist fails the task to start with ResourceInitializationError", async () => {
    const t = await run({ name: "gone", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0" } }, "/mnt/gone", "true", "/ecs/efs-gone");
    const s = await stopped(t.taskArn!);
    expect(s.stopCode).toBe("TaskFailedToStart");
    expect(s.stoppedReason).toBe(
      "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: File system fs-0123456789abcdef0 does not exist.",
    );
    expect(s.containers![0]!.exitCode).toBeUndefined();
  });
});
