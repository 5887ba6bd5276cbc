// --enforce-iam: session tokens sent with long-term keys, and anonymous S3 under --enforce-iam=strict.
// Sources: botocore tests/integration/test_s3.py test_bad_request_on_invalid_credentials (a client with
// aws_session_token='bad' gets a 400 from HeadObject on AWS) and aws-cli tests/integration/customizations/s3
// test_no_sign_request (unsigned requests read a public object; AWS judges them by the bucket's policy).
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer } from "../helpers.js";

const ROOT = { accessKeyId: "AKIAROOTKEY000000001", secretAccessKey: "rootsecret" };

describe("a session token beside a long-term key", () => {
  let server: AwsimServer;
  let user: { accessKeyId: string; secretAccessKey: string };
  beforeAll(async () => {
    server = await startServer({ enforceIam: true, rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] });
    const iam = new IAMClient(clientConfig(server, { credentials: ROOT }));
    await iam.send(new CreateUserCommand({ UserName: "dev" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "dev",
        PolicyName: "all",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "dev" }))).AccessKey!;
    user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const s3 = new S3Client(clientConfig(server, { credentials: ROOT, forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: "tokens" }));
    await s3.send(new PutObjectCommand({ Bucket: "tokens", Key: "foo.txt", Body: "x" }));
  });
  afterAll(() => server.stop());

  it("works without one, and is refused with one: S3 400 (InvalidToken), STS InvalidClientTokenId", async () => {
    const ok = new S3Client(clientConfig(server, { credentials: user, forcePathStyle: true }));
    expect((await ok.send(new HeadObjectCommand({ Bucket: "tokens", Key: "foo.txt" }))).ContentLength).toBe(1);
    const bad = { ...user, sessionToken: "bad" };
    // HEAD answers carry no body: the SDK names the error by its status.
    const head = await new S3Client(clientConfig(server, { credentials: bad, forcePathStyle: true }))
      .send(new HeadObjectCommand({ Bucket: "tokens", Key: "foo.txt" }))
      .then(
        () => undefined,
        (e: { $metadata: { httpStatusCode?: number } }) => e,
      );
    expect(head?.$metadata.httpStatusCode).toBe(400);
    await expectAwsError(
      new S3Client(clientConfig(server, { credentials: bad, forcePathStyle: true })).send(new PutObjectCommand({ Bucket: "tokens", Key: "bar", Body: "y" })),
      { name: "InvalidToken", status: 400, message: "The provided token is malformed or otherwise invalid." },
    );
    await expectAwsError(new STSClient(clientConfig(server, { credentials: bad })).send(new GetCallerIdentityCommand({})), {
      name: "InvalidClientTokenId",
      status: 403,
    });
    expect((await new STSClient(clientConfig(server, { credentials: user })).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      "arn:aws:iam::000000000000:user/dev",
    );
  });
});

describe("--enforce-iam=strict: unsigned requests", () => {
  let server: AwsimServer;
  beforeAll(async () => {
    server = await startServer({ enforceIam: "strict", rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] });
    const s3 = new S3Client(clientConfig(server, { credentials: ROOT, forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: "public-site" }));
    await s3.send(new PutObjectCommand({ Bucket: "public-site", Key: "index.html", Body: "<p>hi</p>" }));
    await s3.send(new PutObjectCommand({ Bucket: "public-site", Key: "private/x", Body: "secret" }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: "public-site",
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::public-site/index.html" }],
        }),
      }),
    );
  });
  afterAll(() => server.stop());

  it("S3 judges them by the bucket's policy; other services still need a signature", async () => {
    const pub = await fetch(`${server.url}/public-site/index.html`);
    expect([pub.status, await pub.text()]).toEqual([200, "<p>hi</p>"]);
    const priv = await fetch(`${server.url}/public-site/private/x`);
    expect(priv.status).toBe(403);
    expect(await priv.text()).toContain("<Code>AccessDenied</Code>");
    const sts = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(sts.status).toBe(403);
    expect(await sts.text()).toContain("<Code>MissingAuthenticationToken</Code>");
  });
});
