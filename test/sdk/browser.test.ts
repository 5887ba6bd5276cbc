/**
 * The SDK in a browser: the real @aws-sdk/client-* bundled for the browser (rolldown, platform "browser"),
 * loaded in headless Chromium from a page on another origin than awsim, calling every service. The browser
 * enforces CORS: S3 only after the bucket's CORS configuration allows the page's origin; every other API as
 * AWS's endpoints allow any origin (preflight and answers, src/protocols/cors.ts).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import { CreateClusterCommand, ECSClient } from "@aws-sdk/client-ecs";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  LambdaClient,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketCorsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, startServer, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) console.warn(`skipping browser tests: ${CHROMIUM} is not installed (Debian package chromium)`);

/** The page's globals and playwright's objects, typed loosely. */
type Any = any;

describe.skipIf(!available)("the SDK in a browser (headless Chromium, cross-origin)", () => {
  const t = useServer({}, (cfg) => ({
    s3: new S3Client({ ...cfg, forcePathStyle: true }),
    lambda: new LambdaClient(cfg),
    iam: new IAMClient(cfg),
    ecs: new ECSClient(cfg),
    ecr: new ECRClient(cfg),
  }));
  let dir: string;
  let pages: Server;
  let origin: string;
  let browser: Any;
  let page: Any;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "awsim-browser-"));
    const { build } = await import("rolldown");
    await build({
      input: join(import.meta.dirname, "../fixtures/browser/entry.mjs"),
      platform: "browser",
      output: { file: join(dir, "aws.js"), format: "iife" },
      logLevel: "silent",
    });
    const bundle = readFileSync(join(dir, "aws.js"));
    pages = createServer((req, res) => {
      if (req.url === "/aws.js") res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
      else res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>app</title><script src="/aws.js"></script>');
    });
    await new Promise<void>((r) => pages.listen(0, "127.0.0.1", r));
    // awsim is reached as localhost, the page as 127.0.0.1 on another port: a different origin.
    origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => (window as Any).ready === true);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (pages ? pages.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `fn` in the page with a client config for awsim; a thrown error comes back as {error: {name, message}}. */
  const inPage = (fn: string): Promise<Any> =>
    page.evaluate(
      async ({ body, endpoint }: { body: string; endpoint: string }) => {
        const cfg = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 };
        try {
          return await new Function("aws", "cfg", `return (async () => { ${body} })();`)((window as Any).aws, cfg);
        } catch (e) {
          return { error: { name: (e as Error).name, message: (e as Error).message, status: (e as Any).$metadata?.httpStatusCode } };
        }
      },
      { body: fn, endpoint: t.server.url.replace("127.0.0.1", "localhost") },
    );

  it("S3: refused by the browser until the bucket's CORS configuration allows the origin, then every call works", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "web" }));
    const put = `const s3 = new aws.S3Client({ ...cfg, forcePathStyle: true });
      const r = await s3.send(new aws.PutObjectCommand({ Bucket: "web", Key: "a.txt", Body: "hello from the page", ContentType: "text/plain" }));
      return { etag: r.ETag };`;
    const refused = await inPage(put);
    // The preflight gets no CORS headers: fetch rejects, the SDK reports a network error, not an S3 answer.
    expect(refused.error?.name).toBe("TypeError");
    expect(refused.error?.message).toMatch(/fetch/i);

    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: "web",
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ["GET", "PUT", "HEAD", "DELETE"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"] }],
        },
      }),
    );
    const ok = await inPage(`${put.replace("return { etag: r.ETag };", "")}
      const head = await s3.send(new aws.HeadObjectCommand({ Bucket: "web", Key: "a.txt" }));
      const got = await s3.send(new aws.GetObjectCommand({ Bucket: "web", Key: "a.txt" }));
      const text = await got.Body.transformToString();
      const list = await s3.send(new aws.ListObjectsV2Command({ Bucket: "web" }));
      let missing;
      try { await s3.send(new aws.GetObjectCommand({ Bucket: "web", Key: "nope" })); } catch (e) { missing = { name: e.name, status: e.$metadata.httpStatusCode }; }
      await s3.send(new aws.DeleteObjectCommand({ Bucket: "web", Key: "a.txt" }));
      const after = await s3.send(new aws.ListObjectsV2Command({ Bucket: "web" }));
      return { etag: r.ETag, length: head.ContentLength, type: head.ContentType, text, keys: list.Contents.map((c) => c.Key), missing, after: after.KeyCount };`);
    expect(ok.error).toBeUndefined();
    expect(ok).toMatchObject({
      etag: `"${createHash("md5").update("hello from the page").digest("hex")}"`,
      length: 19,
      type: "text/plain",
      text: "hello from the page",
      keys: ["a.txt"],
      missing: { name: "NoSuchKey", status: 404 },
      after: 0,
    });
  });

  it("S3: virtual-hosted addressing from the page (the SDK's default: <bucket>.localhost, which browsers resolve)", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "vhost" }));
    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: "vhost",
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ["GET", "PUT"], AllowedHeaders: ["*"] }] },
      }),
    );
    const r = await inPage(`const s3 = new aws.S3Client(cfg);
      await s3.send(new aws.PutObjectCommand({ Bucket: "vhost", Key: "v.txt", Body: "virtual" }));
      const got = await s3.send(new aws.GetObjectCommand({ Bucket: "vhost", Key: "v.txt" }));
      return { text: await got.Body.transformToString() };`);
    expect(r).toEqual({ text: "virtual" });
    const got = await t.s3.send(new GetObjectCommand({ Bucket: "vhost", Key: "v.txt" }));
    expect(await got.Body?.transformToString()).toBe("virtual");
  });

  it("S3: a presigned PUT URL used by the page's own fetch", async () => {
    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: "web",
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["PUT", "GET"], AllowedHeaders: ["*"] }] },
      }),
    );
    const url = await getSignedUrl(t.s3, new PutObjectCommand({ Bucket: "web", Key: "upload.bin" }), { expiresIn: 300 });
    const status = await page.evaluate(
      async (u: string) => (await fetch(u.replace("127.0.0.1", "localhost"), { method: "PUT", body: "uploaded by the browser" })).status,
      url,
    );
    expect(status).toBe(200);
    const got = await t.s3.send(new GetObjectCommand({ Bucket: "web", Key: "upload.bin" }));
    expect(await got.Body?.transformToString()).toBe("uploaded by the browser");
  });

  it("S3: a form upload from the page with a presigned POST (createPresignedPost), its policy enforced", async () => {
    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: "web",
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ["POST"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag", "Location"] }] },
      }),
    );
    const post = await createPresignedPost(t.s3, {
      Bucket: "web",
      Key: "uploads/${filename}",
      Conditions: [
        ["content-length-range", 1, 64],
        ["starts-with", "$Content-Type", "text/"],
      ],
      Fields: { "Content-Type": "text/plain", success_action_status: "201" },
      Expires: 300,
    });
    const upload = (text: string) =>
      page.evaluate(
        async ({ url, fields, text }: { url: string; fields: Record<string, string>; text: string }) => {
          const form = new FormData();
          for (const [k, v] of Object.entries(fields)) form.append(k, v);
          form.append("file", new Blob([text], { type: "text/plain" }), "note.txt");
          const r = await fetch(url, { method: "POST", body: form });
          return { status: r.status, etag: r.headers.get("etag"), body: await r.text() };
        },
        { url: post.url.replace("127.0.0.1", "localhost"), fields: post.fields, text },
      );
    const ok = await upload("a note from the browser");
    expect(ok.status).toBe(201);
    expect(ok.etag).toBe(`"${createHash("md5").update("a note from the browser").digest("hex")}"`);
    expect(ok.body).toMatch(/<PostResponse[^>]*><Location>[^<]*<\/Location><Bucket>web<\/Bucket><Key>uploads\/note\.txt<\/Key><ETag>/);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "web", Key: "uploads/note.txt" }));
    expect(head).toMatchObject({ ContentType: "text/plain", ContentLength: 23 });
    // Over the policy's content-length-range: S3's error, readable by the page.
    const tooBig = await upload("x".repeat(100));
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toMatch(/<Code>EntityTooLarge<\/Code>/);
  });

  it("every other service answers the browser as AWS's endpoints do (any origin), errors included", async () => {
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "fn",
        Runtime: "nodejs20.x",
        Role: "arn:aws:iam::000000000000:role/r",
        Handler: "index.handler",
        Code: { ZipFile: new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]) },
      }),
    );
    await t.iam.send(new CreateUserCommand({ UserName: "browser-user" }));
    await t.ecs.send(new CreateClusterCommand({ clusterName: "web" }));
    await t.ecr.send(new CreateRepositoryCommand({ repositoryName: "web" }));
    const r = await inPage(`
      const caught = async (p) => { try { await p; return "no error"; } catch (e) { return { name: e.name, status: e.$metadata?.httpStatusCode }; } };
      const lambda = new aws.LambdaClient(cfg);
      const logs = new aws.CloudWatchLogsClient(cfg);
      await logs.send(new aws.CreateLogGroupCommand({ logGroupName: "/web" }));
      await logs.send(new aws.CreateLogStreamCommand({ logGroupName: "/web", logStreamName: "s" }));
      await logs.send(new aws.PutLogEventsCommand({ logGroupName: "/web", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "clicked" }] }));
      const events = await logs.send(new aws.GetLogEventsCommand({ logGroupName: "/web", logStreamName: "s" }));
      const invoke = await lambda.send(new aws.InvokeCommand({ FunctionName: "fn", Payload: new TextEncoder().encode("{}") }));
      return {
        sts: (await new aws.STSClient(cfg).send(new aws.GetCallerIdentityCommand({}))).Account,
        iam: (await new aws.IAMClient(cfg).send(new aws.ListUsersCommand({}))).Users.map((u) => u.UserName),
        iamMissing: await caught(new aws.IAMClient(cfg).send(new aws.GetUserCommand({ UserName: "nobody" }))),
        ec2: (await new aws.EC2Client(cfg).send(new aws.DescribeVpcsCommand({}))).Vpcs.map((v) => v.IsDefault),
        ecs: (await new aws.ECSClient(cfg).send(new aws.ListClustersCommand({}))).clusterArns,
        ecr: (await new aws.ECRClient(cfg).send(new aws.DescribeRepositoriesCommand({}))).repositories.map((x) => x.repositoryName),
        ecrMissing: await caught(new aws.ECRClient(cfg).send(new aws.DescribeRepositoriesCommand({ repositoryNames: ["nope"] }))),
        efs: (await new aws.EFSClient(cfg).send(new aws.DescribeFileSystemsCommand({}))).FileSystems.length,
        cloudMap: (await new aws.ServiceDiscoveryClient(cfg).send(new aws.ListNamespacesCommand({}))).Namespaces.length,
        lambda: (await lambda.send(new aws.ListFunctionsCommand({}))).Functions.map((f) => f.FunctionName),
        lambdaMissing: await caught(lambda.send(new aws.GetFunctionCommand({ FunctionName: "nope" }))),
        invoke: { status: invoke.StatusCode, payload: new TextDecoder().decode(invoke.Payload) },
        logs: events.events.map((e) => e.message),
      };`);
    expect(r.error).toBeUndefined();
    expect(r).toEqual({
      sts: "000000000000",
      iam: ["browser-user"],
      iamMissing: { name: "NoSuchEntityException", status: 404 },
      ec2: [true],
      ecs: ["arn:aws:ecs:us-east-1:000000000000:cluster/web"],
      ecr: ["web"],
      ecrMissing: { name: "RepositoryNotFoundException", status: 400 },
      efs: 0,
      cloudMap: 0,
      lambda: ["fn"],
      lambdaMissing: { name: "ResourceNotFoundException", status: 404 },
      invoke: { status: 200, payload: "null" }, // fake mode runs nothing and answers null
      logs: ["clicked"],
    });
  });

  it("Lambda function URLs (--execute): the browser calls <id>.lambda-url.<region>.localhost, allowed only by the URL's CORS", async () => {
    const sim = await startServer({ execute: true });
    try {
      const lambda = new LambdaClient(clientConfig(sim));
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: "api",
          Runtime: "nodejs20.x",
          Handler: "index.handler",
          Role: ROLE,
          Code: {
            ZipFile: zip({
              "index.js":
                "exports.handler = async (e) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ got: JSON.parse(e.body), method: e.requestContext.http.method }) });",
            }),
          },
        }),
      );
      await lambda.send(
        new AddPermissionCommand({ FunctionName: "api", StatementId: "url", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" }),
      );
      const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "api", AuthType: "NONE" }));
      const call = (url: string) =>
        page.evaluate(async (u: string) => {
          try {
            const r = await fetch(u, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: 1 }) });
            return { status: r.status, body: await r.json() };
          } catch (e) {
            return { error: (e as Error).name };
          }
        }, url);
      // No CORS configuration on the URL: the preflight is not allowed, the browser refuses.
      expect(await call(FunctionUrl!)).toEqual({ error: "TypeError" });
      await lambda.send(
        new UpdateFunctionUrlConfigCommand({ FunctionName: "api", Cors: { AllowOrigins: [origin], AllowMethods: ["POST"], AllowHeaders: ["content-type"] } }),
      );
      expect(await call(FunctionUrl!)).toEqual({ status: 200, body: { got: { n: 1 }, method: "POST" } });
    } finally {
      await sim.stop();
    }
  }, 60_000);
});
