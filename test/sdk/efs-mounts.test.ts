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
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config.js";
import { dispatch } from "../../src/protocols/dispatch.js";
import type { RawRequest } from "../../src/protocols/http.js";
import { FakeRunner } from "../../src/runtime/fake-runner.js";
import { Simulator } from "../../src/services/core/simulator.js";
import { EfsMountError, resolveEfsMount } from "../../src/services/efs/index.js";
import { clientConfig } from "../helpers.js";

let http: Server;
let sim: Simulator;
let efs: EFSClient;
const dataDir = mkdtempSync(join(tmpdir(), "awsim-efs-mounts-"));

beforeAll(async () => {
  sim = new Simulator(defaultConfig({ port: 0, logLevel: "silent", dataDir }), new FakeRunner());
  http = createServer(async (req, res) => {
    const u = req.url ?? "/";
    const q = u.indexOf("?");
    const raw: RawRequest = {
      method: req.method ?? "GET",
      url: u,
      rawPath: q < 0 ? u : u.slice(0, q),
      rawQuery: q < 0 ? "" : u.slice(q + 1),
      headers: req.headers,
      stream: req,
    };
    const { response } = await dispatch(sim, raw);
    res.writeHead(response.status, response.headers as Record<string, string>);
    res.end(response.body as string | Buffer | undefined);
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  sim.setUrl(url);
  efs = new EFSClient(clientConfig({ url }));
});
afterAll(async () => {
  await new Promise<void>((r) => http.close(() => r()));
  await sim.stop();
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
