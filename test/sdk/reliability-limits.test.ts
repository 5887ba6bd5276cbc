/** Request size limits as AWS has them: refused with the service's error, without reading the body whole. */
import { CloudWatchLogsClient, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient, ListClustersCommand, TagResourceCommand } from "@aws-sdk/client-ecs";
import { IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer();

/** Send the start of a request on a fresh socket; resolve with everything received until the server closes it. */
function rawAnswer(bytes: string): Promise<string> {
  return new Promise<string>((resolve) => {
    const sock = net.connect(sim.server.port, "127.0.0.1");
    let got = "";
    sock.on("data", (d) => (got += d));
    sock.on("close", () => resolve(got));
    sock.on("error", () => undefined);
    sock.write(bytes);
    setTimeout(() => sock.destroy(), 5000);
  });
}

describe("Lambda Invoke payloads", () => {
  it("a synchronous payload over 6 MB is refused with 413 RequestEntityTooLargeException", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    const err = await expectAwsError(lambda.send(new InvokeCommand({ FunctionName: "f", Payload: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20) })), {
      name: "RequestEntityTooLargeException",
      status: 413,
    });
    expect(err.message).toBe("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
  });

  it("an asynchronous (Event) payload over 1 MB is refused", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    const err = await expectAwsError(
      lambda.send(new InvokeCommand({ FunctionName: "f", InvocationType: "Event", Payload: Buffer.alloc(1024 * 1024 + 10, 0x20) })),
      { name: "RequestEntityTooLargeException", status: 413 },
    );
    expect(err.message).toBe("1048586 byte payload is too large for the Event invocation type (limit 1048576 bytes)");
  });

  it("CreateFunction over 70,167,211 bytes is refused from its declared length, before the body is sent", async () => {
    const answer = await rawAnswer(
      `POST /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 70167212\r\n\r\n{"FunctionName":`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain("x-amzn-errortype: requestentitytoolargeexception");
    expect(answer).toContain("Request must be smaller than 70167211 bytes for the CreateFunction operation");
  });

  it("a payload under the limit reaches the service (ResourceNotFoundException for a missing function)", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    await expectAwsError(lambda.send(new InvokeCommand({ FunctionName: "missing", Payload: Buffer.from("{}") })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
  });
});

describe("JSON and Query bodies", () => {
  it("PutLogEvents with a body far over the 1,048,576-byte batch limit gets InvalidParameterException", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(sim.server));
    const message = "m".repeat(1024 * 1024);
    const logEvents = Array.from({ length: 9 }, (_, i) => ({ timestamp: Date.now() + i, message }));
    const err = await expectAwsError(logs.send(new PutLogEventsCommand({ logGroupName: "g", logStreamName: "s", logEvents })), {
      name: "InvalidParameterException",
      status: 400,
    });
    expect(err.message).toMatch(/^Upload too large: \d+ bytes exceeds limit of 1048576$/);
  });

  it("an ECS request over 16 MiB gets 413 in the JSON envelope", async () => {
    const ecs = new ECSClient(clientConfig(sim.server));
    const tags = Array.from({ length: 70 }, (_, i) => ({ key: `k${i}`, value: "v".repeat(250 * 1024) }));
    await expectAwsError(ecs.send(new TagResourceCommand({ resourceArn: "arn:aws:ecs:us-east-1:000000000000:cluster/c", tags })), {
      name: "RequestEntityTooLarge",
      status: 413,
    });
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });

  it("a declared oversize body is answered at once, before it is sent, and the connection is closed", async () => {
    const started = Date.now();
    const answer = await rawAnswer(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n` +
        `Content-Type: application/x-amz-json-1.1\r\nContent-Length: ${1024 ** 3}\r\n\r\n{`,
    );
    expect(Date.now() - started).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(answer).toContain('"__type":"RequestEntityTooLarge"');
  });

  it("a Query (IAM) body over the limit gets the Query error envelope", async () => {
    const iam = new IAMClient(clientConfig(sim.server));
    await expectAwsError(iam.send(new ListRolesCommand({ PathPrefix: "/".repeat(17 * 1024 * 1024) })), { name: "RequestEntityTooLarge", status: 413 });
    expect((await iam.send(new ListRolesCommand({}))).Roles).toBeDefined();
  });
});

describe("S3 XML documents", () => {
  it("a configuration document over its limit gets 400 MaxMessageLengthExceeded", async () => {
    await fetch(`${sim.server.url}/limits-bucket`, { method: "PUT" });
    const body = `<Tagging><TagSet>${"<Tag><Key>k</Key><Value>v</Value></Tag>".repeat(60_000)}</TagSet></Tagging>`;
    const res = await fetch(`${sim.server.url}/limits-bucket?tagging`, { method: "PUT", body });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/<Error><Code>MaxMessageLengthExceeded<\/Code><Message>Your request was too big\.<\/Message>/);
  });
});
