/**
 * AWS's public Amazon Linux and ECS-optimized AMIs (models/ec2-public-images.json.gz, about 1,100 per region with
 * the ids AWS gives them there): the lookups real code makes (owners + name patterns, newest first by
 * CreationDate, as Terraform's aws_ami most_recent does), per-region ids, a launch from one, tags private to the
 * account, and --persist writing only the images an account used.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DisableAllowedImagesSettingsCommand,
  EC2Client,
  EnableAllowedImagesSettingsCommand,
  type Image,
  RunInstancesCommand,
  ReplaceImageCriteriaInAllowedImagesSettingsCommand,
  paginateDescribeImages,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";

let server: AwsimServer;
let ec2: EC2Client;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startServer();
  ec2 = new EC2Client(clientConfig(server));
});
afterAll(async () => {
  await server.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const newest = (images: Image[]) => [...images].sort((a, b) => b.CreationDate!.localeCompare(a.CreationDate!))[0]!;
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

describe("EC2 public AMIs", () => {
  it("the Amazon Linux 2 lookup of countless tutorials finds AWS's image, with its us-east-1 id", async () => {
    const pattern = "amzn2-ami-hvm-*-x86_64-gp2";
    const { Images } = await ec2.send(
      new DescribeImagesCommand({
        Owners: ["amazon"],
        Filters: [
          { Name: "name", Values: [pattern] },
          { Name: "virtualization-type", Values: ["hvm"] },
        ],
      }),
    );
    expect(Images!.length).toBeGreaterThan(0);
    for (const i of Images!) {
      expect(i.Name).toMatch(glob(pattern));
      expect(i.ImageOwnerAlias).toBe("amazon");
      expect(i.OwnerId).toBe("137112412989");
      expect(i.Public).toBe(true);
      expect(i.State).toBe("available");
      expect(i.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const latest = newest(Images!);
    expect(latest).toMatchObject({
      ImageId: "ami-02b9a589195146a8f",
      Name: "amzn2-ami-hvm-2.0.20260427.1-x86_64-gp2",
      Architecture: "x86_64",
      RootDeviceName: "/dev/xvda",
      PlatformDetails: "Linux/UNIX",
    });
  });

  it("ECS-optimized images by owner id or alias, every build, newest first by date; another Region has other ids", async () => {
    const pattern = "al2023-ami-ecs-hvm-*-kernel-6.1-x86_64";
    const byId = await ec2.send(new DescribeImagesCommand({ Owners: ["591542846629"], Filters: [{ Name: "name", Values: [pattern] }] }));
    const byAlias = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [pattern] }] }));
    expect(byId.Images!.length).toBeGreaterThan(50);
    expect(byAlias.Images!.map((i) => i.ImageId).sort()).toEqual(byId.Images!.map((i) => i.ImageId).sort());
    expect(newest(byId.Images!)).toMatchObject({ ImageId: "ami-0aae19d30bab785d3", Name: "al2023-ami-ecs-hvm-2023.0.20260226-kernel-6.1-x86_64" });

    const eu = new EC2Client(clientConfig(server, { region: "eu-west-1" }));
    const inEu = await eu.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [pattern] }] }));
    expect(newest(inEu.Images!)).toMatchObject({ ImageId: "ami-0a168278a10694b9b", Name: "al2023-ami-ecs-hvm-2023.0.20260226-kernel-6.1-x86_64" });
    // An id of another Region is not found here, as on AWS.
    await expect(eu.send(new DescribeImagesCommand({ ImageIds: ["ami-0aae19d30bab785d3"] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
  });

  it("arm64 and architecture filters; the paginator walks the public images once each", async () => {
    const { Images } = await ec2.send(
      new DescribeImagesCommand({
        Owners: ["amazon"],
        Filters: [
          { Name: "name", Values: ["amzn2-ami-ecs-hvm-*"] },
          { Name: "architecture", Values: ["arm64"] },
        ],
      }),
    );
    expect(Images!.length).toBeGreaterThan(0);
    for (const i of Images!) expect([i.Architecture, i.Name!.endsWith("-arm64-ebs")]).toEqual(["arm64", true]);
    const ids: string[] = [];
    for await (const page of paginateDescribeImages({ client: ec2, pageSize: 200 }, { Owners: ["amazon"] })) ids.push(...page.Images!.map((i) => i.ImageId!));
    expect(ids.length).toBeGreaterThan(1000);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("launching from a public image, then tags on it seen only by the account that set them", async () => {
    const id = "ami-06cc69030d77088a1"; // amzn2-ami-ecs-hvm-2.0.20260226-x86_64-ebs in us-east-1
    const run = await ec2.send(new RunInstancesCommand({ ImageId: id, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances![0]!.InstanceId!;
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    expect(d.Reservations![0]!.Instances![0]).toMatchObject({ ImageId: id, PlatformDetails: "Linux/UNIX", Architecture: "x86_64" });

    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "team", Value: "infra" }] }));
    const mine = await ec2.send(new DescribeImagesCommand({ ImageIds: [id] }));
    expect(mine.Images![0]).toMatchObject({ ImageId: id, Name: "amzn2-ami-ecs-hvm-2.0.20260226-x86_64-ebs", Tags: [{ Key: "team", Value: "infra" }] });
    const tagged = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "tag:team", Values: ["infra"] }] }));
    expect(tagged.Images!.map((i) => i.ImageId)).toEqual([id]);

    const other = new EC2Client(clientConfig(server, { credentials: { accessKeyId: "222233334444", secretAccessKey: "x" } }));
    const theirs = await other.send(new DescribeImagesCommand({ ImageIds: [id] }));
    expect(theirs.Images![0]!.Tags).toBeUndefined();
  });

  it("Allowed AMIs criteria apply to public images: an image name criterion decides what DescribeImages shows", async () => {
    const acct = new EC2Client(clientConfig(server, { credentials: { accessKeyId: "333344445555", secretAccessKey: "x" } }));
    const ecsPattern = { Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-ami-ecs-hvm-*-x86_64-ebs"] }] };
    const before = (await acct.send(new DescribeImagesCommand(ecsPattern))).Images!;
    expect(before.length).toBeGreaterThan(50);
    await acct.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: "enabled" }));
    await acct.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageNames: ["al2023-ami-*"] }] }));
    expect((await acct.send(new DescribeImagesCommand(ecsPattern))).Images).toEqual([]);
    const al2023 = (await acct.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-2023.*"] }] }))).Images!;
    expect(al2023.length).toBeGreaterThan(0);
    for (const i of al2023) expect(i.ImageAllowed).toBe(true);
    await acct.send(new DisableAllowedImagesSettingsCommand({}));
    expect((await acct.send(new DescribeImagesCommand(ecsPattern))).Images!.length).toBe(before.length);
  });

  it("--persist writes only the public images an account used", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "awsim-pubami-"));
    dirs.push(dataDir);
    const a = await startServer({ persist: true, dataDir });
    const c = new EC2Client(clientConfig(a));
    for await (const page of paginateDescribeImages({ client: c, pageSize: 500 }, { Owners: ["amazon"] })) expect(page.Images!.length).toBeGreaterThan(0);
    await c.send(new RunInstancesCommand({ ImageId: "ami-02b9a589195146a8f", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
    await a.stop();
    const state = join(dataDir, "state");
    const files = readdirSync(state).filter((f) => statSync(join(state, f)).isFile());
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.reduce((n, f) => n + statSync(join(state, f)).size, 0);
    expect(bytes).toBeLessThan(64 * 1024);
    const log = files.map((f) => readFileSync(join(state, f)).toString("latin1")).join("");
    expect(log).toContain("ami-02b9a589195146a8f");
    expect(log).not.toContain("ami-0aae19d30bab785d3");

    const b = await startServer({ persist: true, dataDir });
    const c2 = new EC2Client(clientConfig(b));
    const r = await c2.send(new DescribeInstancesCommand({ Filters: [{ Name: "image-id", Values: ["ami-02b9a589195146a8f"] }] }));
    expect(r.Reservations!.flatMap((x) => x.Instances!).length).toBe(1);
    await b.stop();
  });
});
