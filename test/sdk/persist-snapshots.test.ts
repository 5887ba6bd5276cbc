import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, startServer, type AwsimServer } from "../helpers.js";
import { observe, ROLE_DOC, seed } from "./persist-helpers.js";

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

  it("restored ECS tasks and services keep working (StopTask, scaling)", async () => {
    await server.reset();
    const ecs = new ECSClient(clientConfig(server));
    await ecs.send(new CreateClusterCommand({ clusterName: "rc" }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "rt", containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }] }));
    const run = await ecs.send(new RunTaskCommand({ cluster: "rc", taskDefinition: "rt" }));
    await ecs.send(new CreateServiceCommand({ cluster: "rc", serviceName: "rs", taskDefinition: "rt", desiredCount: 2 }));
    await server.snapshot("ecs-live");
    await server.reset();
    await server.restore("ecs-live");
    const arn = run.tasks![0]!.taskArn!;
    await ecs.send(new StopTaskCommand({ cluster: "rc", task: arn, reason: "bye" }));
    const d = await ecs.send(new DescribeTasksCommand({ cluster: "rc", tasks: [arn] }));
    expect(d.tasks![0]!.lastStatus).toBe("STOPPED");
    expect(d.tasks![0]!.stoppedReason).toBe("bye");
    await ecs.send(new UpdateServiceCommand({ cluster: "rc", service: "rs", desiredCount: 0 }));
    await expect.poll(async () => (await ecs.send(new ListTasksCommand({ cluster: "rc", serviceName: "rs" }))).taskArns!.length, { timeout: 5000 }).toBe(0);
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
