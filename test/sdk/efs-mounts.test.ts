/** resolveEfsMount: the directory a task or function mounts, shared by everyone who mounts the file system. */
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateReplicationConfigurationCommand,
  DescribeFileSystemsCommand,
  DescribeReplicationConfigurationsCommand,
  EFSClient,
} from "@aws-sdk/client-efs";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/services/core/simulator.js";
import { EfsMountError, resolveEfsMount } from "../../src/services/efs/index.js";
import { clientConfig, startSimulatorServer } from "../helpers.js";

let server: Awaited<ReturnType<typeof startSimulatorServer>>;
let sim: Simulator;
let efs: EFSClient;
const dataDir = mkdtempSync(join(tmpdir(), "awsim-efs-mounts-"));

beforeAll(async () => {
  server = await startSimulatorServer({ dataDir });
  sim = server.sim;
  efs = new EFSClient(clientConfig(server));
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("EFS mounts", () => {
  it("a task (file system + root directory) and a function (access point ARN) share one directory", async () => {
    const fsId = (await efs.send(new CreateFileSystemCommand({ CreationToken: "shared" }))).FileSystemId!;
    const ap = await efs.send(
      new CreateAccessPointCommand({
        FileSystemId: fsId,
        ClientToken: "fn",
        RootDirectory: { Path: "/shared", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "750" } },
        PosixUser: { Uid: 1000, Gid: 1000 },
      }),
    );
    const fn = await resolveEfsMount(sim, "000000000000", "us-east-1", { accessPoint: ap.AccessPointArn });
    expect(fn).toMatchObject({ fileSystemId: fsId, uid: 1000, gid: 1000 });
    expect(statSync(fn.hostPath).mode & 0o777).toBe(0o750);
    const task = await resolveEfsMount(sim, "000000000000", "us-east-1", { fileSystemId: fsId, rootDirectory: "/shared" });
    expect(task.hostPath).toBe(fn.hostPath);
    writeFileSync(join(task.hostPath, "hello.txt"), "from the task");
    expect(readFileSync(join(fn.hostPath, "hello.txt"), "utf8")).toBe("from the task");
    expect(fn.hostPath).toBe(join(dataDir, "efs", "000000000000", "us-east-1", fsId, "shared"));
    const whole = await resolveEfsMount(sim, "000000000000", "us-east-1", { fileSystemId: fsId });
    expect(readFileSync(join(whole.hostPath, "shared", "hello.txt"), "utf8")).toBe("from the task");
    expect((await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId }))).FileSystems![0]!.SizeInBytes!.Value).toBeGreaterThanOrEqual(6144);

    const bare = await efs.send(new CreateAccessPointCommand({ FileSystemId: fsId, ClientToken: "bare", RootDirectory: { Path: "/missing" } }));
    await expect(resolveEfsMount(sim, "000000000000", "us-east-1", { accessPoint: bare.AccessPointId })).rejects.toBeInstanceOf(EfsMountError);
    await expect(resolveEfsMount(sim, "000000000000", "us-east-1", { fileSystemId: "fs-0123456789abcdef0" })).rejects.toThrow(/does not exist/);
    await expect(resolveEfsMount(sim, "000000000000", "us-east-1", { fileSystemId: fsId, accessPoint: ap.AccessPointId, rootDirectory: "/x" })).rejects.toThrow(
      /root directory must be omitted/,
    );
  });

  it("replication mirrors the source directory onto the destination's", async () => {
    const src = (await efs.send(new CreateFileSystemCommand({ CreationToken: "repl-dir" }))).FileSystemId!;
    const mount = await resolveEfsMount(sim, "000000000000", "us-east-1", { fileSystemId: src });
    writeFileSync(join(mount.hostPath, "a.txt"), "first");
    const created = await efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: src, Destinations: [{ Region: "eu-west-1" }] }));
    const dest = created.Destinations![0]!;
    expect(dest.LastReplicatedTimestamp).toBeInstanceOf(Date);
    const destDir = join(dataDir, "efs", "000000000000", "eu-west-1", dest.FileSystemId!);
    expect(readFileSync(join(destDir, "a.txt"), "utf8")).toBe("first");
    writeFileSync(join(mount.hostPath, "b.txt"), "second");
    rmSync(join(mount.hostPath, "a.txt"));
    await efs.send(new DescribeReplicationConfigurationsCommand({ FileSystemId: src }));
    expect(readFileSync(join(destDir, "b.txt"), "utf8")).toBe("second");
    expect(() => statSync(join(destDir, "a.txt"))).toThrow();
  });
});
