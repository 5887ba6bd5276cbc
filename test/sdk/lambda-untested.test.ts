/** Lambda UntagResource (DELETE /2017-03-31/tags/{ARN}?tagKeys=...): what ListTags and GetFunction show after it, and its errors. */
import {
  AddPermissionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction, zip } from "./lambda-helpers.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";

describe("Lambda UntagResource", () => {
  const sim = useServer({ reset: "lambda" }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("removes the named keys (query-string keys with spaces, slashes, '=' and '+'); other keys stay; unknown keys are ignored", async () => {
    const fn = await createNodeFunction(sim.lambda, "tagged", "exports.handler = async () => 1;", {
      Tags: { team: "core", "cost center": "42", "app/tier": "web", "a=b+c": "odd", keep: "yes" },
    });
    expect(fn.FunctionArn).toBe(`${ARN}:tagged`);
    const out = await sim.lambda.send(new UntagResourceCommand({ Resource: fn.FunctionArn!, TagKeys: ["team", "cost center", "app/tier", "a=b+c", "absent"] }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn! }))).Tags).toEqual({ keep: "yes" });
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "tagged" }))).Tags).toEqual({ keep: "yes" });
    // Keys are case-sensitive: "KEEP" is another key.
    await sim.lambda.send(new UntagResourceCommand({ Resource: fn.FunctionArn!, TagKeys: ["KEEP"] }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn! }))).Tags).toEqual({ keep: "yes" });
    await sim.lambda.send(new UntagResourceCommand({ Resource: fn.FunctionArn!, TagKeys: ["keep"] }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn! }))).Tags ?? {}).toEqual({});
    // Tags can be added again afterwards.
    await sim.lambda.send(new TagResourceCommand({ Resource: fn.FunctionArn!, Tags: { back: "1" } }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn! }))).Tags).toEqual({ back: "1" });
  });

  it("errors: an unknown function is ResourceNotFoundException (404); a version ARN is refused", async () => {
    await expectAwsError(sim.lambda.send(new UntagResourceCommand({ Resource: `${ARN}:nope`, TagKeys: ["a"] })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:nope`,
    });
    await createNodeFunction(sim.lambda, "versioned", "exports.handler = async () => 1;", { Tags: { a: "1" } });
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "versioned" }));
    await expectAwsError(sim.lambda.send(new UntagResourceCommand({ Resource: `${ARN}:versioned:1`, TagKeys: ["a"] })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Tags on function aliases and versions are not supported. Please specify a function ARN.",
    });
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: `${ARN}:versioned` }))).Tags).toEqual({ a: "1" });
  });
  it("Code.SourceKMSKeyArn: kept from CreateFunction, shown by GetFunction (versions keep theirs), reset by a code update without it", async () => {
    const key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const code = { ZipFile: zip({ "index.js": "exports.handler = async () => 2;" }) };
    await createNodeFunction(sim.lambda, "kms-code", "exports.handler = async () => 1;", {
      Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;" }), SourceKMSKeyArn: key },
    });
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "kms-code" }))).Code!.SourceKMSKeyArn).toBe(key);
    const v1 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "kms-code" }));
    await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "kms-code", ZipFile: code.ZipFile }));
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "kms-code" }))).Code!.SourceKMSKeyArn).toBeUndefined();
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "kms-code", Qualifier: v1.Version }))).Code!.SourceKMSKeyArn).toBe(key);
    await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "kms-code", ZipFile: code.ZipFile, SourceKMSKeyArn: key }));
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "kms-code" }))).Code!.SourceKMSKeyArn).toBe(key);
  });
  it("AddPermission refuses a statement that would take the function's policy past 20 KB (PolicyLengthExceededException)", async () => {
    await createNodeFunction(sim.lambda, "big-policy", "exports.handler = async () => 1;");
    const add = (n: number) =>
      sim.lambda.send(
        new AddPermissionCommand({
          FunctionName: "big-policy",
          StatementId: `s${n}`,
          Action: "lambda:InvokeFunction",
          Principal: "events.amazonaws.com",
          SourceArn: `arn:aws:events:us-east-1:000000000000:rule/${"r".repeat(200)}-${n}`,
        }),
      );
    let n = 0;
    let err: (Error & { $metadata?: { httpStatusCode?: number } }) | undefined;
    for (; n < 200 && !err; n++) await add(n).catch((e) => (err = e));
    expect(err?.name).toBe("PolicyLengthExceededException");
    expect(err?.$metadata?.httpStatusCode).toBe(400);
    expect(err?.message).toMatch(/^The final policy size \(\d+\) is bigger than the limit \(20480\)\.$/);
    // What was kept is under the limit, and the refused statement is not in it.
    const policy = (await sim.lambda.send(new GetPolicyCommand({ FunctionName: "big-policy" }))).Policy!;
    expect(policy.length).toBeLessThanOrEqual(20480);
    expect(JSON.parse(policy).Statement).toHaveLength(n - 1);
    expect(Number(/\((\d+)\)/.exec(err!.message)![1])).toBeGreaterThan(20480);
  });
});
