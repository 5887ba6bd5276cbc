/** Logs resources around groups: policies, data protection, destinations, exports to S3, deliveries, anomaly detectors, tags. */
import {
  AssociateKmsKeyCommand,
  CancelExportTaskCommand,
  CloudWatchLogsClient,
  CreateDeliveryCommand,
  CreateExportTaskCommand,
  CreateLogAnomalyDetectorCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteAccountPolicyCommand,
  DeleteDeliveryCommand,
  DeleteDeliverySourceCommand,
  DeleteDestinationCommand,
  DeleteLogGroupCommand,
  DeleteResourcePolicyCommand,
  DescribeAccountPoliciesCommand,
  DescribeDeliveriesCommand,
  DescribeDeliverySourcesCommand,
  DescribeDestinationsCommand,
  DescribeExportTasksCommand,
  DescribeLogGroupsCommand,
  DescribeResourcePoliciesCommand,
  DisassociateKmsKeyCommand,
  FilterLogEventsCommand,
  GetDataProtectionPolicyCommand,
  GetDeliveryDestinationPolicyCommand,
  GetDeliveryCommand,
  GetLogAnomalyDetectorCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  ListAnomaliesCommand,
  ListLogAnomalyDetectorsCommand,
  ListLogGroupsCommand,
  ListTagsForResourceCommand,
  PutAccountPolicyCommand,
  PutDataProtectionPolicyCommand,
  PutDeliveryDestinationCommand,
  PutDeliveryDestinationPolicyCommand,
  PutDeliverySourceCommand,
  PutDestinationCommand,
  PutDestinationPolicyCommand,
  PutLogEventsCommand,
  PutLogGroupDeletionProtectionCommand,
  PutResourcePolicyCommand,
  StartQueryCommand,
  TagResourceCommand,
  UpdateLogAnomalyDetectorCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/cwl-dest`;

const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
beforeAll(async () => {
  await new IAMClient(clientConfig(sim.server)).send(
    new CreateRoleCommand({
      RoleName: "cwl-dest",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
});

async function group(name: string, stream = "s", messages: Array<[number, string]> = []) {
  await sim.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await sim.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
  if (messages.length) {
    await sim.logs.send(
      new PutLogEventsCommand({ logGroupName: name, logStreamName: stream, logEvents: messages.map(([timestamp, message]) => ({ timestamp, message })) }),
    );
  }
}

describe("resource and account policies", () => {
  it("resource policies: put, update, describe, 10-policy limit, size limit, delete", async () => {
    const doc = (sid: string) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: sid, Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "logs:PutLogEvents", Resource: "*" }],
      });
    const a = await sim.logs.send(new PutResourcePolicyCommand({ policyName: "p0", policyDocument: doc("a") }));
    expect(a.resourcePolicy).toMatchObject({ policyName: "p0", policyDocument: doc("a"), policyScope: "ACCOUNT" });
    const b = await sim.logs.send(new PutResourcePolicyCommand({ policyName: "p0", policyDocument: doc("b") }));
    // An account-scoped policy shows no revision id (AWS, recorded 2026); resource-scoped ones do.
    expect([a.revisionId, b.revisionId, b.resourcePolicy?.revisionId]).toEqual([undefined, undefined, undefined]);
    for (let i = 1; i < 10; i++) await sim.logs.send(new PutResourcePolicyCommand({ policyName: `p${i}`, policyDocument: doc(String(i)) }));
    await expectAwsError(sim.logs.send(new PutResourcePolicyCommand({ policyName: "p10", policyDocument: doc("x") })), {
      name: "LimitExceededException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new PutResourcePolicyCommand({ policyName: "p1", policyDocument: JSON.stringify({ x: "y".repeat(5200) }) })), {
      name: "LimitExceededException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new PutResourcePolicyCommand({ policyName: "p1", policyDocument: "{not json" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    const d = await sim.logs.send(new DescribeResourcePoliciesCommand({}));
    expect(d.resourcePolicies).toHaveLength(10);
    expect(d.resourcePolicies?.find((p) => p.policyName === "p0")?.policyDocument).toBe(doc("b"));
    const p1 = await sim.logs.send(new DescribeResourcePoliciesCommand({ limit: 4 }));
    const p2 = await sim.logs.send(new DescribeResourcePoliciesCommand({ limit: 4, nextToken: p1.nextToken }));
    expect(new Set([...p1.resourcePolicies!, ...p2.resourcePolicies!].map((p) => p.policyName)).size).toBe(8);
    await sim.logs.send(new DeleteResourcePolicyCommand({ policyName: "p0" }));
    await expectAwsError(sim.logs.send(new DeleteResourcePolicyCommand({ policyName: "p0" })), { name: "ResourceNotFoundException", status: 400 });
  });

  it("data protection: a group policy masks in GetLogEvents / FilterLogEvents unless unmask; the account policy applies too", async () => {
    await group("/dp/app", "s", [[Date.now(), "user alice@example.com logged in from 10.1.2.3"]]);
    const policy = JSON.stringify({
      Name: "dp",
      Version: "2021-06-01",
      Statement: [
        { Sid: "audit", DataIdentifier: ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation: { Audit: { FindingsDestination: {} } } },
        { Sid: "redact", DataIdentifier: ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation: { Deidentify: { MaskConfig: {} } } },
      ],
    });
    await sim.logs.send(new PutDataProtectionPolicyCommand({ logGroupIdentifier: "/dp/app", policyDocument: policy }));
    expect((await sim.logs.send(new GetDataProtectionPolicyCommand({ logGroupIdentifier: "/dp/app" }))).policyDocument).toBe(policy);
    const masked = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/dp/app", logStreamName: "s" }));
    expect(masked.events?.[0]?.message).toBe("user ***************** logged in from 10.1.2.3");
    const clear = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/dp/app", logStreamName: "s", unmask: true }));
    expect(clear.events?.[0]?.message).toBe("user alice@example.com logged in from 10.1.2.3");
    const g = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/dp/app" }));
    expect(g.logGroups?.[0]?.dataProtectionStatus).toBe("ACTIVATED");
    const { queryId } = await sim.logs.send(
      new StartQueryCommand({
        logGroupName: "/dp/app",
        startTime: 0,
        endTime: Math.ceil(Date.now() / 1000) + 60,
        queryString: "fields @message, unmask(@message) as raw",
      }),
    );
    const qr = await sim.logs.send(new GetQueryResultsCommand({ queryId }));
    expect(qr.results?.[0]?.filter((f) => f.field !== "@ptr")).toEqual([
      { field: "@message", value: "user ***************** logged in from 10.1.2.3" },
      { field: "raw", value: "user alice@example.com logged in from 10.1.2.3" },
    ]);

    await sim.logs.send(
      new PutAccountPolicyCommand({
        policyName: "acct-dp",
        policyType: "DATA_PROTECTION_POLICY",
        policyDocument: JSON.stringify({
          Name: "a",
          Version: "2021-06-01",
          Statement: [{ DataIdentifier: ["arn:aws:dataprotection::aws:data-identifier/IpAddress"], Operation: { Deidentify: { MaskConfig: {} } } }],
        }),
      }),
    );
    const both = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/dp/app" }));
    expect(both.events?.[0]?.message).toBe("user ***************** logged in from ********");
    const ap = await sim.logs.send(new DescribeAccountPoliciesCommand({ policyType: "DATA_PROTECTION_POLICY" }));
    expect(ap.accountPolicies?.map((p) => [p.policyName, p.scope, p.accountId])).toEqual([["acct-dp", "ALL", ACCOUNT]]);
    await sim.logs.send(new DeleteAccountPolicyCommand({ policyName: "acct-dp", policyType: "DATA_PROTECTION_POLICY" }));
    await expectAwsError(sim.logs.send(new DeleteAccountPolicyCommand({ policyName: "acct-dp", policyType: "DATA_PROTECTION_POLICY" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });

  it("KMS key association and deletion protection", async () => {
    await group("/kms/g");
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    await sim.logs.send(new AssociateKmsKeyCommand({ logGroupName: "/kms/g", kmsKeyId: key }));
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/kms/g" }))).logGroups?.[0]?.kmsKeyId).toBe(key);
    await sim.logs.send(new DisassociateKmsKeyCommand({ logGroupName: "/kms/g" }));
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/kms/g" }))).logGroups?.[0]?.kmsKeyId).toBeUndefined();
    await expectAwsError(sim.logs.send(new AssociateKmsKeyCommand({ logGroupName: "/kms/g", kmsKeyId: "not-a-key" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await sim.logs.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: "/kms/g", deletionProtectionEnabled: true }));
    await expectAwsError(sim.logs.send(new DeleteLogGroupCommand({ logGroupName: "/kms/g" })), {
      name: "ValidationException",
      status: 400,
      message: "Cannot delete log group with deletion protection enabled. Disable deletion protection first.",
    });
    await sim.logs.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: "/kms/g", deletionProtectionEnabled: false }));
    await sim.logs.send(new DeleteLogGroupCommand({ logGroupName: "/kms/g" }));
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/kms/protected", deletionProtectionEnabled: true }));
    await expectAwsError(sim.logs.send(new DeleteLogGroupCommand({ logGroupName: "/kms/protected" })), {
      name: "ValidationException",
      status: 400,
      message: "Cannot delete log group with deletion protection enabled. Disable deletion protection first.",
    });
    const byId = await sim.logs.send(
      new DescribeLogGroupsCommand({ logGroupIdentifiers: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/kms/protected`, "/dp/app", "/nope"] }),
    );
    expect(byId.logGroups?.map((g) => [g.logGroupName, g.deletionProtectionEnabled])).toEqual([
      ["/dp/app", false],
      ["/kms/protected", true],
    ]);
  });
});

describe("destinations", () => {
  it("put (role must exist), policy, describe by prefix with pagination, tags by ARN, delete", async () => {
    const target = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/s`;
    await expectAwsError(
      sim.logs.send(new PutDestinationCommand({ destinationName: "d0", targetArn: target, roleArn: `arn:aws:iam::${ACCOUNT}:role/missing` })),
      {
        name: "InvalidParameterException",
        status: 400,
      },
    );
    const d = await sim.logs.send(new PutDestinationCommand({ destinationName: "dest-a", targetArn: target, roleArn: ROLE, tags: { team: "x" } }));
    expect(d.destination).toMatchObject({
      destinationName: "dest-a",
      targetArn: target,
      roleArn: ROLE,
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:destination:dest-a`,
    });
    expect(typeof d.destination?.creationTime).toBe("number");
    await sim.logs.send(new PutDestinationCommand({ destinationName: "dest-b", targetArn: target, roleArn: ROLE }));
    await sim.logs.send(new PutDestinationCommand({ destinationName: "other", targetArn: target, roleArn: ROLE }));
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "logs:PutSubscriptionFilter", Resource: d.destination!.arn }],
    });
    await sim.logs.send(new PutDestinationPolicyCommand({ destinationName: "dest-a", accessPolicy: policy }));
    const list = await sim.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "dest-", limit: 1 }));
    expect(list.destinations?.map((x) => [x.destinationName, x.accessPolicy])).toEqual([["dest-a", policy]]);
    const next = await sim.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "dest-", limit: 1, nextToken: list.nextToken }));
    expect(next.destinations?.map((x) => x.destinationName)).toEqual(["dest-b"]);
    expect(next.nextToken).toBeUndefined();
    await sim.logs.send(new TagResourceCommand({ resourceArn: d.destination!.arn, tags: { env: "dev" } }));
    expect((await sim.logs.send(new ListTagsForResourceCommand({ resourceArn: d.destination!.arn }))).tags).toEqual({ team: "x", env: "dev" });
    await sim.logs.send(new DeleteDestinationCommand({ destinationName: "dest-a" }));
    await expectAwsError(sim.logs.send(new DeleteDestinationCommand({ destinationName: "dest-a" })), { name: "ResourceNotFoundException", status: 400 });
  });
});

describe("export tasks", () => {
  it("CreateExportTask writes gzip'd events to the bucket as AWS lays them out; DescribeExportTasks reports COMPLETED", async () => {
    const s3 = new S3Client(clientConfig(sim.server, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: "log-exports" }));
    const t0 = Date.now() - 60_000;
    await group("/exp/app", "web-1", [
      [t0, "first"],
      [t0 + 1000, "second"],
      [t0 + 50_000, "outside"],
    ]);
    const { taskId } = await sim.logs.send(
      new CreateExportTaskCommand({
        taskName: "t",
        logGroupName: "/exp/app",
        from: t0,
        to: t0 + 10_000,
        destination: "log-exports",
        destinationPrefix: "exports",
      }),
    );
    const objs = await s3.send(new ListObjectsV2Command({ Bucket: "log-exports" }));
    expect(new Set(objs.Contents?.map((o) => o.Key))).toEqual(new Set(["exports/aws-logs-write-test", `exports/${taskId}/web-1/000000.gz`]));
    const body = await s3.send(new GetObjectCommand({ Bucket: "log-exports", Key: `exports/${taskId}/web-1/000000.gz` }));
    const text = gunzipSync(Buffer.from(await body.Body!.transformToByteArray())).toString();
    expect(text).toBe(`${new Date(t0).toISOString()} first\n${new Date(t0 + 1000).toISOString()} second\n`);
    const marker = await s3.send(new GetObjectCommand({ Bucket: "log-exports", Key: "exports/aws-logs-write-test" }));
    expect(await marker.Body!.transformToString()).toBe("Permission Check Successful");
    const d = await sim.logs.send(new DescribeExportTasksCommand({ taskId }));
    expect(d.exportTasks?.[0]).toMatchObject({
      taskId,
      taskName: "t",
      logGroupName: "/exp/app",
      destination: "log-exports",
      destinationPrefix: "exports",
      status: { code: "COMPLETED" },
    });
    await expectAwsError(sim.logs.send(new CancelExportTaskCommand({ taskId })), { name: "InvalidOperationException", status: 400 });
    await expectAwsError(sim.logs.send(new CreateExportTaskCommand({ logGroupName: "/exp/app", from: t0, to: t0 + 1, destination: "no-such-bucket" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new CreateExportTaskCommand({ logGroupName: "/exp/none", from: t0, to: t0 + 1, destination: "log-exports" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });

  it("with a transition delay: PENDING → RUNNING → COMPLETED, one active task at a time, and cancel", async () => {
    const slow = await startServer({ transitionDelayMs: 1500 });
    try {
      const c = new CloudWatchLogsClient(clientConfig(slow));
      await new S3Client(clientConfig(slow, { forcePathStyle: true })).send(new CreateBucketCommand({ Bucket: "bkt-two" }));
      await c.send(new CreateLogGroupCommand({ logGroupName: "g" }));
      const { taskId } = await c.send(new CreateExportTaskCommand({ logGroupName: "g", from: 0, to: Date.now(), destination: "bkt-two" }));
      await expectAwsError(c.send(new CreateExportTaskCommand({ logGroupName: "g", from: 0, to: Date.now(), destination: "bkt-two" })), {
        name: "LimitExceededException",
        status: 400,
      });
      const seen: string[] = [];
      for (;;) {
        const code = (await c.send(new DescribeExportTasksCommand({ taskId }))).exportTasks![0]!.status!.code!;
        if (seen[seen.length - 1] !== code) seen.push(code);
        if (code === "COMPLETED") break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(seen).toEqual(["PENDING", "RUNNING", "COMPLETED"]);
      const t2 = await c.send(new CreateExportTaskCommand({ logGroupName: "g", from: 0, to: Date.now(), destination: "bkt-two" }));
      await c.send(new CancelExportTaskCommand({ taskId: t2.taskId }));
      expect((await c.send(new DescribeExportTasksCommand({ statusCode: "CANCELLED" }))).exportTasks?.map((t) => t.taskId)).toEqual([t2.taskId]);
    } finally {
      await slow.stop();
    }
  });
});

describe("deliveries", () => {
  it("sources, destinations with policies, deliveries with conflicts, tags", async () => {
    const src = await sim.logs.send(
      new PutDeliverySourceCommand({
        name: "src1",
        resourceArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/kb1`,
        logType: "APPLICATION_LOGS",
        tags: { a: "1" },
      }),
    );
    expect(src.deliverySource).toMatchObject({
      name: "src1",
      service: "bedrock",
      logType: "APPLICATION_LOGS",
      resourceArns: [`arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/kb1`],
    });
    await group("/vended/kb");
    const dst = await sim.logs.send(
      new PutDeliveryDestinationCommand({
        name: "dst1",
        deliveryDestinationConfiguration: { destinationResourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/vended/kb` },
      }),
    );
    expect(dst.deliveryDestination).toMatchObject({
      name: "dst1",
      deliveryDestinationType: "CWL",
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:delivery-destination:dst1`,
    });
    const pol = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "logs:CreateDelivery", Resource: "*" }],
    });
    await sim.logs.send(new PutDeliveryDestinationPolicyCommand({ deliveryDestinationName: "dst1", deliveryDestinationPolicy: pol }));
    expect((await sim.logs.send(new GetDeliveryDestinationPolicyCommand({ deliveryDestinationName: "dst1" }))).policy?.deliveryDestinationPolicy).toBe(pol);
    const { delivery } = await sim.logs.send(new CreateDeliveryCommand({ deliverySourceName: "src1", deliveryDestinationArn: dst.deliveryDestination!.arn! }));
    expect(delivery).toMatchObject({ deliverySourceName: "src1", deliveryDestinationArn: dst.deliveryDestination!.arn, deliveryDestinationType: "CWL" });
    expect((await sim.logs.send(new GetDeliveryCommand({ id: delivery!.id! }))).delivery?.id).toBe(delivery!.id);
    await expectAwsError(sim.logs.send(new CreateDeliveryCommand({ deliverySourceName: "src1", deliveryDestinationArn: dst.deliveryDestination!.arn! })), {
      name: "ConflictException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new CreateDeliveryCommand({ deliverySourceName: "nope", deliveryDestinationArn: dst.deliveryDestination!.arn! })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new DeleteDeliverySourceCommand({ name: "src1" })), { name: "ConflictException", status: 400 });
    expect((await sim.logs.send(new DescribeDeliveriesCommand({}))).deliveries?.map((d) => d.id)).toEqual([delivery!.id]);
    await sim.logs.send(new TagResourceCommand({ resourceArn: src.deliverySource!.arn!, tags: { b: "2" } }));
    expect((await sim.logs.send(new ListTagsForResourceCommand({ resourceArn: src.deliverySource!.arn! }))).tags).toEqual({ a: "1", b: "2" });
    await sim.logs.send(new DeleteDeliveryCommand({ id: delivery!.id! }));
    await sim.logs.send(new DeleteDeliverySourceCommand({ name: "src1" }));
    expect((await sim.logs.send(new DescribeDeliverySourcesCommand({}))).deliverySources).toEqual([]);
  });
});

describe("anomaly detectors and ListLogGroups", () => {
  it("create over existing groups, get, list by group, pause, delete; no anomalies are invented", async () => {
    await group("/ad/app");
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ad/app`;
    await expectAwsError(sim.logs.send(new CreateLogAnomalyDetectorCommand({ logGroupArnList: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ad/none`] })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    const { anomalyDetectorArn } = await sim.logs.send(
      new CreateLogAnomalyDetectorCommand({ logGroupArnList: [arn], detectorName: "det", evaluationFrequency: "TEN_MIN" }),
    );
    expect(anomalyDetectorArn).toMatch(new RegExp(`^arn:aws:logs:us-east-1:${ACCOUNT}:anomaly-detector:[0-9a-f-]{36}$`));
    const got = await sim.logs.send(new GetLogAnomalyDetectorCommand({ anomalyDetectorArn }));
    expect(got).toMatchObject({ detectorName: "det", evaluationFrequency: "TEN_MIN", anomalyDetectorStatus: "ANALYZING", logGroupArnList: [arn] });
    expect((await sim.logs.send(new ListLogAnomalyDetectorsCommand({ filterLogGroupArn: arn }))).anomalyDetectors?.map((d) => d.anomalyDetectorArn)).toEqual([
      anomalyDetectorArn,
    ]);
    await sim.logs.send(new UpdateLogAnomalyDetectorCommand({ anomalyDetectorArn, enabled: false }));
    expect((await sim.logs.send(new GetLogAnomalyDetectorCommand({ anomalyDetectorArn }))).anomalyDetectorStatus).toBe("PAUSED");
    expect((await sim.logs.send(new ListAnomaliesCommand({ anomalyDetectorArn }))).anomalies).toEqual([]);
  });

  it("ListLogGroups filters by regex pattern and tags", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/ll/prod-api", tags: { env: "prod" } }));
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/ll/dev-api", tags: { env: "dev" } }));
    const r = await sim.logs.send(new ListLogGroupsCommand({ logGroupNamePattern: "^/ll/" }));
    expect(r.logGroups?.map((g) => g.logGroupName)).toEqual(["/ll/dev-api", "/ll/prod-api"]);
    expect(r.logGroups?.[0]).toEqual({
      logGroupName: "/ll/dev-api",
      logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ll/dev-api`,
      logGroupClass: "STANDARD",
    });
    const t = await sim.logs.send(new ListLogGroupsCommand({ logGroupNamePattern: "^/ll/", logGroupTags: [{ key: "env", values: ["prod"] }] }));
    expect(t.logGroups?.map((g) => g.logGroupName)).toEqual(["/ll/prod-api"]);
  });
});
