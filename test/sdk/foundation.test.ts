/** The foundation: routing rules, protocol error envelopes, malformed input, admin endpoints, isolation. */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, startServer, type AwsimServer, useServer } from "../helpers.js";

const sim = useServer();

const SCOPE = (svc: string, region = "us-east-1", akid = "test") =>
  `AWS4-HMAC-SHA256 Credential=${akid}/20260101/${region}/${svc}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(sim.server.url + path, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("routing", () => {
  it("X-Amz-Target selects an AWS JSON service; an unknown target is UnknownOperationException", async () => {
    const r = await raw("/", {
      method: "POST",
      headers: { "x-amz-target": "AmazonEC2ContainerServiceV20141113.NoSuchOperation", "content-type": "application/x-amz-json-1.1" },
      body: "{}",
    });
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(r.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(r.text).__type).toBe("UnknownOperationException");

    const other = await raw("/", { method: "POST", headers: { "x-amz-target": "NoSuchService_2020.Op" }, body: "{}" });
    expect(other.status).toBe(400);
    expect(JSON.parse(other.text).__type).toBe("UnknownOperationException");
  });

  it("the credential scope's service selects a Query service (GET and POST)", async () => {
    const get = await raw("/?Action=GetCallerIdentity&Version=2011-06-15", { headers: { authorization: SCOPE("sts") } });
    expect(get.status).toBe(200);
    expect(get.text).toContain("<GetCallerIdentityResponse");
    expect(get.text).toContain("<Account>000000000000</Account>");
    const post = await raw("/", {
      method: "POST",
      headers: { authorization: SCOPE("sts", "eu-west-1", "444455556666"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(post.text).toContain("<Account>444455556666</Account>");
  });

  it("a presigned X-Amz-Credential selects the service too", async () => {
    const cred = encodeURIComponent("test/20260101/us-east-1/sts/aws4_request");
    const r = await raw(
      `/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${cred}&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=${"0".repeat(64)}`,
    );
    expect(r.status).toBe(200);
    expect(r.text).toContain("<Arn>arn:aws:iam::000000000000:root</Arn>");
  });

  it("an unsigned form POST is routed by its Action and Version", async () => {
    const r = await raw("/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain("<GetCallerIdentityResult>");
    const bad = await raw("/", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=Nope&Version=1999-01-01" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("<Code>InvalidAction</Code>");
  });

  it("REST path prefixes select Lambda (/2015-03-31/) and EFS (/2015-02-01/)", async () => {
    const lambda = await raw("/2015-03-31/functions/");
    expect(lambda.status).toBe(200);
    expect(JSON.parse(lambda.text)).toHaveProperty("Functions");
    const efs = await raw("/2015-02-01/file-systems");
    expect(efs.status).toBe(200);
    expect(JSON.parse(efs.text)).toHaveProperty("FileSystems");
  });

  it("anything else is S3: errors carry RequestId/HostId equal to the headers", async () => {
    const r = await raw("/awsim-no-such-bucket-xyz/key", { headers: { authorization: SCOPE("s3") } });
    expect(r.status).toBe(404);
    const rid = r.headers.get("x-amz-request-id")!;
    const hid = r.headers.get("x-amz-id-2")!;
    expect(rid).toMatch(/^[0-9A-F]{16}$/);
    expect(r.text).toContain("<Code>NoSuchBucket</Code>");
    expect(r.text).toContain(`<RequestId>${rid}</RequestId>`);
    expect(r.text).toContain(`<HostId>${hid}</HostId>`);
    const unsigned = await raw("/awsim-no-such-bucket-xyz");
    expect(unsigned.text).toContain("<Code>NoSuchBucket</Code>");
  });
});

describe("protocol errors", () => {
  it("Query errors parse in the SDK with code, status, message and request id", async () => {
    const sts = new STSClient(clientConfig(sim.server));
    const err = (await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "a b" })).catch((e) => e)) as Error & {
      $metadata: { httpStatusCode: number; requestId: string };
      Type?: string;
    };
    expect(err.name).toBe("ValidationError");
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toContain("at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern");
  });

  it("malformed JSON is SerializationException, never a crash", async () => {
    for (const body of ["{bad", "[1,2]", '"str"', "null"]) {
      const r = await raw("/", {
        method: "POST",
        headers: { "x-amz-target": "Logs_20140328.DescribeLogGroups", "content-type": "application/x-amz-json-1.1" },
        body,
      });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text).__type).toBe("SerializationException");
      expect(r.text).not.toContain("at ");
    }
  });

  it("a Query request without Action is MissingAction; an unknown one InvalidAction", async () => {
    const r = await raw("/", {
      method: "POST",
      headers: { authorization: SCOPE("sts"), "content-type": "application/x-www-form-urlencoded" },
      body: "Version=2011-06-15",
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain("<Code>MissingAction</Code>");
    const u = await raw("/", {
      method: "POST",
      headers: { authorization: SCOPE("sts"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=Frobnicate&Version=2011-06-15",
    });
    expect(u.text).toContain("<Code>InvalidAction</Code>");
    expect(u.text).toContain("<Message>Could not find operation Frobnicate for version 2011-06-15</Message>");
    expect(u.text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it("the EC2 protocol renders <Response><Errors> for an unknown action", async () => {
    const r = await raw("/", {
      method: "POST",
      headers: { authorization: SCOPE("ec2"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=Frobnicate&Version=2016-11-15",
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Errors><Error><Code>InvalidAction<\/Code>/);
    expect(r.text).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
  });
});

describe("admin endpoints", () => {
  it("health reports status, version, mode and per-service counts", async () => {
    const r = await raw("/_awsim/health");
    const h = JSON.parse(r.text);
    expect(h.status).toBe("ok");
    expect(h.mode).toBe("fake");
    expect(h.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(h.services)).toEqual(expect.arrayContaining(["sts", "s3", "ecs", "ec2", "logs"]));
    const alias = JSON.parse((await raw("/_parlel/health")).text);
    expect(alias.status).toBe("ok");
  });

  it("reset clears state, for all services or one", async () => {
    const sts = new STSClient(clientConfig(sim.server));
    const creds = (await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "sess" }))).Credentials!;
    const as = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: "x", sessionToken: "t" } }));
    expect((await as.send(new GetCallerIdentityCommand({}))).Arn).toContain("assumed-role");
    expect(JSON.parse((await raw("/_awsim/health")).text).services.sts.sessions).toBeGreaterThan(0);

    const bad = await raw("/_awsim/reset?service=nope", { method: "POST" });
    expect(bad.status).toBe(400);
    const one = await raw("/_awsim/reset?service=sts", { method: "POST" });
    expect(JSON.parse(one.text)).toEqual({ status: "ok", reset: "sts" });
    expect((await as.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:root");

    await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "sess" }));
    const all = await raw("/_parlel/reset", { method: "POST" });
    expect(all.status).toBe(200);
    expect(JSON.parse((await raw("/_awsim/health")).text).services.sts).toEqual({});
  });
});

describe("isolation", () => {
  it("two servers in one process share nothing", async () => {
    const other = await startServer();
    try {
      expect(other.port).not.toBe(sim.server.port);
      const a = new STSClient(clientConfig(sim.server));
      const creds = (await a.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/iso", RoleSessionName: "one" }))).Credentials!;
      const withCreds = (s: AwsimServer) =>
        new STSClient(clientConfig(s, { credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: "x", sessionToken: "t" } }));
      expect((await withCreds(sim.server).send(new GetCallerIdentityCommand({}))).Arn).toContain("assumed-role/iso/one");
      expect((await withCreds(other).send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:root");
    } finally {
      await other.stop();
    }
  });

  it("alsoListen serves the same router on extra ports", async () => {
    const s = await startServer({ alsoListen: [0] });
    try {
      expect(s.ports).toHaveLength(1);
      const r = await fetch(`http://127.0.0.1:${s.ports[0]}/_awsim/health`);
      expect((await r.json()).status).toBe("ok");
    } finally {
      await s.stop();
    }
  });
});
