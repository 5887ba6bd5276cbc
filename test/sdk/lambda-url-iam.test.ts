import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { clientConfig, useServer, Sha256 } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

describe("AWS_IAM function URLs under --enforce-iam", () => {
  const sim = useServer({ execute: true, enforceIam: true });

  it("a wrong signature or a user without lambda:InvokeFunctionUrl gets 403; an allowed user's signed request runs the function", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    const iam = new IAMClient(clientConfig(sim.server));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "private",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async (e) => ({ statusCode: 200, body: e.requestContext.authorizer.iam.userArn });" }) },
      }),
    );
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "private", AuthType: "AWS_IAM" }));
    const id = /^http:\/\/([a-z0-9]{32})\./.exec(FunctionUrl!)![1];
    const target = new URL(`${sim.server.url}/_lambda-url/${id}/`);
    const call = async (accessKeyId: string, secretAccessKey: string) => {
      const signer = new SignatureV4({ service: "lambda", region: "us-east-1", credentials: { accessKeyId, secretAccessKey }, sha256: Sha256 });
      const signed = await signer.sign({
        method: "GET",
        protocol: "http:",
        hostname: target.hostname,
        port: Number(target.port),
        path: target.pathname,
        query: {},
        headers: { host: target.host },
      });
      return fetch(target, { headers: signed.headers });
    };
    const mkUser = async (name: string) => {
      await iam.send(new CreateUserCommand({ UserName: name }));
      return (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    };
    const denied = await mkUser("nobody");
    const allowed = await mkUser("caller");
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "caller",
        PolicyName: "url",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunctionUrl", Resource: "*" }] }),
      }),
    );
    const r1 = await call(denied.AccessKeyId!, denied.SecretAccessKey!);
    expect(r1.status).toBe(403);
    expect(await r1.json()).toEqual({ Message: "Forbidden" });
    expect((await call(allowed.AccessKeyId!, "wrong-secret")).status).toBe(403);
    const ok = await call(allowed.AccessKeyId!, allowed.SecretAccessKey!);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^arn:aws:iam::\d{12}:user\/caller$/);
  });
});
