/**
 * Filter-like parameters of the other services apply as documented: ECS ListTasks / ListServices /
 * ListTaskDefinitions(Families), ECR tagStatus, Cloud Map Filters (EQ / IN / BEGINS_WITH / BETWEEN), IAM path
 * prefixes and ListPolicies Scope / OnlyAttached / PolicyUsageFilter, Lambda ListFunctions FunctionVersion /
 * MasterRegion, Logs name prefix / pattern, EFS CreationToken / FileSystemId.
 */
import { CloudWatchLogs } from "@aws-sdk/client-cloudwatch-logs";
import { EC2 } from "@aws-sdk/client-ec2";
import { ECR } from "@aws-sdk/client-ecr";
import { ECS } from "@aws-sdk/client-ecs";
import { EFS } from "@aws-sdk/client-efs";
import { IAM } from "@aws-sdk/client-iam";
import { Lambda } from "@aws-sdk/client-lambda";
import { ServiceDiscovery } from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({
  ecs: new ECS(cfg),
  ecr: new ECR(cfg),
  ec2: new EC2(cfg),
  sd: new ServiceDiscovery(cfg),
  iam: new IAM(cfg),
  lambda: new Lambda(cfg),
  logs: new CloudWatchLogs(cfg),
  efs: new EFS(cfg),
}));

const names = (arns: string[] | undefined) => (arns ?? []).map((a) => a.split("/").pop()!).sort();

describe("ECS", () => {
  it("ListTasks: family, startedBy, serviceName, launchType and desiredStatus; ListServices: launchType and schedulingStrategy", async () => {
    const { ecs } = sim;
    await ecs.createCluster({ clusterName: "c" });
    const fa = (
      await ecs.registerTaskDefinition({
        family: "fa",
        containerDefinitions: [{ name: "x", image: "busybox", memory: 64 }],
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
      })
    ).taskDefinition!.taskDefinitionArn!;
    const fb = (await ecs.registerTaskDefinition({ family: "fb", containerDefinitions: [{ name: "x", image: "busybox", memory: 64 }] })).taskDefinition!
      .taskDefinitionArn!;
    const subnet = (await sim.ec2.describeSubnets({})).Subnets![0]!.SubnetId!;
    const net = { awsvpcConfiguration: { subnets: [subnet] } };
    await ecs.createService({ cluster: "c", serviceName: "web", taskDefinition: fa, desiredCount: 1, launchType: "FARGATE", networkConfiguration: net });
    await ecs.createService({ cluster: "c", serviceName: "agent", taskDefinition: fb, schedulingStrategy: "DAEMON", launchType: "EC2" });
    await ecs.createService({ cluster: "c", serviceName: "batch", taskDefinition: fb, desiredCount: 0, launchType: "EC2" });
    const run = (await ecs.runTask({ cluster: "c", taskDefinition: fa, launchType: "FARGATE", startedBy: "ci", networkConfiguration: net })).tasks![0]!;
    const ec2Task = (await ecs.runTask({ cluster: "c", taskDefinition: fb, launchType: "EC2" })).tasks ?? [];
    const count = async (q: Record<string, string>) => ((await ecs.listTasks({ cluster: "c", ...q })).taskArns ?? []).length;
    expect(await count({ startedBy: "ci" })).toBe(1);
    expect(await count({ startedBy: "nobody" })).toBe(0);
    expect(await count({ serviceName: "web" })).toBe(1);
    expect(await count({ family: "fa" })).toBe(2);
    // startedBy must be the only filter (API reference; AWS's answer quoted in aws/aws-sdk-go-v2#1893).
    await expect(count({ family: "fa", startedBy: "ci" })).rejects.toThrow("cannot specify startedBy with other arguments");
    expect(await count({ launchType: "FARGATE" })).toBe(2);
    const ec2Arns = (await ecs.listTasks({ cluster: "c", launchType: "EC2" })).taskArns!;
    expect(ec2Arns.length).toBeGreaterThanOrEqual(ec2Task.length);
    expect(ec2Arns).not.toContain(run.taskArn);
    expect(new Set((await ecs.describeTasks({ cluster: "c", tasks: ec2Arns })).tasks!.map((t) => t.launchType))).toEqual(new Set(["EC2"]));
    expect(await count({ desiredStatus: "STOPPED" })).toBe(0);
    // "ECS never sets the desired status of a task to PENDING": that filter lists nothing.
    expect(await count({ desiredStatus: "PENDING" })).toBe(0);
    await ecs.stopTask({ cluster: "c", task: run.taskArn! });
    expect(await count({ desiredStatus: "STOPPED", startedBy: "ci" })).toBe(1);
    expect(await count({ startedBy: "ci" })).toBe(0);

    expect(names((await ecs.listServices({ cluster: "c", launchType: "FARGATE" })).serviceArns)).toEqual(["web"]);
    expect(names((await ecs.listServices({ cluster: "c", schedulingStrategy: "DAEMON" })).serviceArns)).toEqual(["agent"]);
    expect(names((await ecs.listServices({ cluster: "c", schedulingStrategy: "REPLICA" })).serviceArns)).toEqual(["batch", "web"]);

    // resourceManagementType: ECS lists the Express services (managed by ECS), CUSTOMER the others.
    await ecs.createExpressGatewayService({
      cluster: "c",
      serviceName: "express",
      executionRoleArn: "arn:aws:iam::000000000000:role/exec",
      infrastructureRoleArn: "arn:aws:iam::000000000000:role/infra",
      primaryContainer: { image: "nginx:1" },
    });
    expect(names((await ecs.listServices({ cluster: "c", resourceManagementType: "ECS" })).serviceArns)).toEqual(["express"]);
    expect(names((await ecs.listServices({ cluster: "c", resourceManagementType: "CUSTOMER" })).serviceArns)).toEqual(["agent", "batch", "web"]);
  });

  it("ListTaskDefinitions and ListTaskDefinitionFamilies: familyPrefix and status", async () => {
    const { ecs } = sim;
    const def = (family: string) => ecs.registerTaskDefinition({ family, containerDefinitions: [{ name: "x", image: "busybox", memory: 64 }] });
    await def("app-a");
    const b = (await def("app-b")).taskDefinition!.taskDefinitionArn!;
    await def("other");
    await ecs.deregisterTaskDefinition({ taskDefinition: b });
    expect(names((await ecs.listTaskDefinitions({ familyPrefix: "app-a" })).taskDefinitionArns)).toEqual(["app-a:1"]);
    expect(names((await ecs.listTaskDefinitions({ status: "INACTIVE" })).taskDefinitionArns)).toEqual(["app-b:1"]);
    expect((await ecs.listTaskDefinitionFamilies({ familyPrefix: "app" })).families).toEqual(["app-a", "app-b"]);
    expect((await ecs.listTaskDefinitionFamilies({ familyPrefix: "app", status: "ACTIVE" })).families).toEqual(["app-a"]);
    expect((await ecs.listTaskDefinitionFamilies({ status: "INACTIVE" })).families).toEqual(["app-b"]);
  });
});

describe("ECR", () => {
  it("DescribeImages and ListImages: filter.tagStatus TAGGED / UNTAGGED / ANY", async () => {
    const { ecr } = sim;
    await ecr.createRepository({ repositoryName: "rr" });
    const manifest = (n: number) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        config: { mediaType: "application/vnd.docker.container.image.v1+json", size: n, digest: `sha256:${String(n).repeat(64).slice(0, 64)}` },
        layers: [],
      });
    const tagged = (await ecr.putImage({ repositoryName: "rr", imageManifest: manifest(1), imageTag: "v1" })).image!.imageId!.imageDigest!;
    const untagged = (await ecr.putImage({ repositoryName: "rr", imageManifest: manifest(2) })).image!.imageId!.imageDigest!;
    const listed = async (tagStatus: "TAGGED" | "UNTAGGED" | "ANY") =>
      ((await ecr.listImages({ repositoryName: "rr", filter: { tagStatus } })).imageIds ?? []).map((i) => i.imageDigest).sort();
    const described = async (tagStatus: "TAGGED" | "UNTAGGED" | "ANY") =>
      ((await ecr.describeImages({ repositoryName: "rr", filter: { tagStatus } })).imageDetails ?? []).map((i) => i.imageDigest).sort();
    expect(await listed("TAGGED")).toEqual([tagged]);
    expect(await listed("UNTAGGED")).toEqual([untagged]);
    expect(await listed("ANY")).toEqual([tagged, untagged].sort());
    expect(await described("TAGGED")).toEqual([tagged]);
    expect(await described("UNTAGGED")).toEqual([untagged]);
  });
});

describe("Cloud Map", () => {
  it("ListNamespaces, ListServices and ListOperations apply their Filters and conditions", async () => {
    const { sd } = sim;
    const vpc = (await sim.ec2.describeVpcs({})).Vpcs![0]!.VpcId!;
    const opA = (await sd.createHttpNamespace({ Name: "ns-a" })).OperationId!;
    await sd.createPrivateDnsNamespace({ Name: "ns-b.local", Vpc: vpc });
    const all = (await sd.listNamespaces({})).Namespaces!;
    const a = all.find((n) => n.Name === "ns-a")!.Id!;
    const b = all.find((n) => n.Name === "ns-b.local")!.Id!;
    const ns = async (Filters: Array<{ Name: "TYPE" | "NAME" | "HTTP_NAME"; Values: string[]; Condition?: "EQ" | "IN" | "BEGINS_WITH" }>) =>
      ((await sd.listNamespaces({ Filters })).Namespaces ?? []).map((n) => n.Name).sort();
    expect(await ns([{ Name: "TYPE", Values: ["HTTP"], Condition: "EQ" }])).toEqual(["ns-a"]);
    expect(await ns([{ Name: "TYPE", Values: ["HTTP", "DNS_PRIVATE"], Condition: "IN" }])).toEqual(["ns-a", "ns-b.local"]);
    expect(await ns([{ Name: "NAME", Values: ["ns-b"], Condition: "BEGINS_WITH" }])).toEqual(["ns-b.local"]);
    expect(await ns([{ Name: "HTTP_NAME", Values: ["ns-a"], Condition: "EQ" }])).toEqual(["ns-a"]);
    await expectAwsError(sd.listNamespaces({ Filters: [{ Name: "TYPE", Values: ["HTTP", "DNS_PRIVATE"], Condition: "EQ" }] }), {
      name: "InvalidInput",
      status: 400,
    });

    await sd.createService({ Name: "svc-a", NamespaceId: a });
    await sd.createService({ Name: "svc-b", NamespaceId: b, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] } });
    const svcs = async (Values: string[], Condition?: "EQ" | "IN") =>
      ((await sd.listServices({ Filters: [{ Name: "NAMESPACE_ID", Values, Condition }] })).Services ?? []).map((x) => x.Name).sort();
    expect(await svcs([a], "EQ")).toEqual(["svc-a"]);
    expect(await svcs([b])).toEqual(["svc-b"]);
    expect(await svcs([a, b], "IN")).toEqual(["svc-a", "svc-b"]);

    const ops = async (Filters: Array<{ Name: "NAMESPACE_ID" | "STATUS" | "TYPE" | "UPDATE_DATE"; Values: string[]; Condition?: "EQ" | "IN" | "BETWEEN" }>) =>
      ((await sd.listOperations({ Filters })).Operations ?? []).map((o) => o.Id);
    expect(await ops([{ Name: "NAMESPACE_ID", Values: [a], Condition: "EQ" }])).toEqual([opA]);
    expect(await ops([{ Name: "TYPE", Values: ["CREATE_NAMESPACE"], Condition: "IN" }])).toHaveLength(2);
    const now = Math.floor(Date.now() / 1000);
    expect(await ops([{ Name: "UPDATE_DATE", Values: [String(now - 3600), String(now + 3600)], Condition: "BETWEEN" }])).toHaveLength(2);
    expect(await ops([{ Name: "UPDATE_DATE", Values: ["0", "1000"], Condition: "BETWEEN" }])).toEqual([]);
  });
});

describe("IAM", () => {
  it("PathPrefix of ListRoles / ListUsers / ListGroups; ListPolicies Scope, OnlyAttached, PathPrefix and PolicyUsageFilter", async () => {
    const { iam } = sim;
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    await iam.createRole({ RoleName: "app-role", Path: "/app/", AssumeRolePolicyDocument: trust });
    await iam.createRole({ RoleName: "ops-role", Path: "/ops/", AssumeRolePolicyDocument: trust });
    await iam.createUser({ UserName: "alice", Path: "/team/" });
    await iam.createUser({ UserName: "bob" });
    await iam.createGroup({ GroupName: "devs", Path: "/team/" });
    expect((await iam.listRoles({ PathPrefix: "/app/" })).Roles!.map((r) => r.RoleName)).toEqual(["app-role"]);
    expect((await iam.listUsers({ PathPrefix: "/team/" })).Users!.map((u) => u.UserName)).toEqual(["alice"]);
    expect((await iam.listGroups({ PathPrefix: "/team/" })).Groups!.map((g) => g.GroupName)).toEqual(["devs"]);

    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
    const used = (await iam.createPolicy({ PolicyName: "used", Path: "/app/", PolicyDocument: doc })).Policy!.Arn!;
    const boundary = (await iam.createPolicy({ PolicyName: "boundary", PolicyDocument: doc })).Policy!.Arn!;
    await iam.createPolicy({ PolicyName: "idle", PolicyDocument: doc });
    await iam.attachRolePolicy({ RoleName: "app-role", PolicyArn: used });
    await iam.putRolePermissionsBoundary({ RoleName: "ops-role", PermissionsBoundary: boundary });
    const pols = async (q: Parameters<IAM["listPolicies"]>[0]) =>
      ((await iam.listPolicies({ MaxItems: 1000, ...q })).Policies ?? []).map((p) => p.PolicyName).sort();
    expect(await pols({ Scope: "Local" })).toEqual(["boundary", "idle", "used"]);
    expect(await pols({ Scope: "Local", PathPrefix: "/app/" })).toEqual(["used"]);
    expect(await pols({ Scope: "Local", PolicyUsageFilter: "PermissionsPolicy" })).toEqual(["used"]);
    expect(await pols({ Scope: "Local", PolicyUsageFilter: "PermissionsBoundary" })).toEqual(["boundary"]);
    expect(await pols({ Scope: "Local", OnlyAttached: true })).not.toContain("idle");
    const aws = await pols({ Scope: "AWS" });
    expect(aws.length).toBeGreaterThan(0);
    expect(aws).not.toContain("used");
    expect(await pols({ Scope: "AWS", OnlyAttached: true })).toEqual([]);
  });
});

describe("Lambda", () => {
  it("ListFunctions: FunctionVersion ALL adds the published versions; MasterRegion needs FunctionVersion ALL and lists Lambda@Edge replicas only", async () => {
    const { lambda } = sim;
    await lambda.createFunction({
      FunctionName: "fn",
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;" }) },
      Publish: true,
    });
    expect((await lambda.listFunctions({})).Functions!.map((f) => f.Version)).toEqual(["$LATEST"]);
    expect((await lambda.listFunctions({ FunctionVersion: "ALL" })).Functions!.map((f) => f.Version)).toEqual(["$LATEST", "1"]);
    await expectAwsError(lambda.listFunctions({ MasterRegion: "us-east-1" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message:
        "The combination MasterArn=us-east-1 and FunctionVersion=NULL is not supported. Please see our documentation for valid combinations of ListFunctions options.",
    });
    // No function here is a replica of a master function in another Region.
    expect((await lambda.listFunctions({ MasterRegion: "us-east-1", FunctionVersion: "ALL" })).Functions).toEqual([]);
    expect((await lambda.listFunctions({ MasterRegion: "ALL", FunctionVersion: "ALL" })).Functions).toEqual([]);
  });
});

describe("CloudWatch Logs", () => {
  it("DescribeLogGroups name prefix / pattern (mutually exclusive), DescribeLogStreams prefix, FilterLogEvents stream prefix and pattern", async () => {
    const { logs } = sim;
    for (const g of ["/app/api", "/app/web", "/ops/cron"]) await logs.createLogGroup({ logGroupName: g });
    const groups = async (q: Parameters<CloudWatchLogs["describeLogGroups"]>[0]) =>
      ((await logs.describeLogGroups(q)).logGroups ?? []).map((g) => g.logGroupName);
    expect(await groups({ logGroupNamePrefix: "/app/" })).toEqual(["/app/api", "/app/web"]);
    expect(await groups({ logGroupNamePattern: "cron" })).toEqual(["/ops/cron"]);
    // With a name pattern, AWS (recorded 2026) answers only these six fields (not the API reference's three).
    await logs.putRetentionPolicy({ logGroupName: "/ops/cron", retentionInDays: 14 });
    const [byPattern] = (await logs.describeLogGroups({ logGroupNamePattern: "cron" })).logGroups!;
    expect(Object.keys(byPattern!).sort()).toEqual(["arn", "creationTime", "logGroupArn", "logGroupClass", "logGroupName", "metricFilterCount"]);
    expect((await logs.describeLogGroups({ logGroupNamePrefix: "/ops/" })).logGroups![0]!.retentionInDays).toBe(14);
    await expectAwsError(logs.describeLogGroups({ logGroupNamePrefix: "/app", logGroupNamePattern: "web" }), {
      name: "InvalidParameterException",
      status: 400,
    });
    for (const s of ["web-1", "web-2", "worker-1"]) await logs.createLogStream({ logGroupName: "/app/api", logStreamName: s });
    expect(((await logs.describeLogStreams({ logGroupName: "/app/api", logStreamNamePrefix: "web" })).logStreams ?? []).map((s) => s.logStreamName)).toEqual([
      "web-1",
      "web-2",
    ]);
    const now = Date.now();
    await logs.putLogEvents({
      logGroupName: "/app/api",
      logStreamName: "web-1",
      logEvents: [
        { timestamp: now, message: "ERROR boom" },
        { timestamp: now + 1, message: "ok" },
      ],
    });
    await logs.putLogEvents({ logGroupName: "/app/api", logStreamName: "worker-1", logEvents: [{ timestamp: now, message: "ERROR late" }] });
    const msgs = async (q: Omit<Parameters<CloudWatchLogs["filterLogEvents"]>[0], "logGroupName">) =>
      ((await logs.filterLogEvents({ logGroupName: "/app/api", ...q })).events ?? []).map((e) => e.message).sort();
    expect(await msgs({ filterPattern: "ERROR" })).toEqual(["ERROR boom", "ERROR late"]);
    expect(await msgs({ logStreamNamePrefix: "worker" })).toEqual(["ERROR late"]);
    expect(await msgs({ logStreamNames: ["web-1"], filterPattern: "ok" })).toEqual(["ok"]);
  });
});

describe("EFS", () => {
  it("DescribeFileSystems by CreationToken or FileSystemId; DescribeAccessPoints by FileSystemId", async () => {
    const { efs } = sim;
    const a = (await efs.createFileSystem({ CreationToken: "tok-a" })).FileSystemId!;
    const b = (await efs.createFileSystem({ CreationToken: "tok-b" })).FileSystemId!;
    expect((await efs.describeFileSystems({ CreationToken: "tok-a" })).FileSystems!.map((f) => f.FileSystemId)).toEqual([a]);
    expect((await efs.describeFileSystems({ FileSystemId: b })).FileSystems!.map((f) => f.FileSystemId)).toEqual([b]);
    const ap = (await efs.createAccessPoint({ FileSystemId: a })).AccessPointId!;
    expect((await efs.describeAccessPoints({ FileSystemId: a })).AccessPoints!.map((x) => x.AccessPointId)).toEqual([ap]);
    expect((await efs.describeAccessPoints({ FileSystemId: b })).AccessPoints).toEqual([]);
  });
});
