/**
 * Lambda scenarios of the kind public boto3 suites run (create, update, publish, list, delete), checked against
 * AWS's documented answers: code from S3 buckets that do not exist, versions published after code updates.
 */
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, createNodeFunction, zip } from "./lambda-helpers.js";

const CODE = "exports.handler = async () => 1;";

describe("Lambda: code from S3", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

  it("a missing bucket is NoSuchBucket, a missing key in an existing bucket NoSuchKey", async () => {
    const create = (S3Bucket: string, S3Key: string) =>
      sim.lambda.send(
        new CreateFunctionCommand({ FunctionName: "s3-fn", Runtime: "nodejs22.x", Role: ROLE, Handler: "index.handler", Code: { S3Bucket, S3Key } }),
      );
    await expectAwsError(create("this-bucket-does-not-exist", "test.zip"), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
    });
    await sim.s3.send(new CreateBucketCommand({ Bucket: "code-bucket" }));
    await expectAwsError(create("code-bucket", "test.zip"), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
    });
    await sim.s3.send(new PutObjectCommand({ Bucket: "code-bucket", Key: "test.zip", Body: zip({ "index.js": CODE }) }));
    expect((await create("code-bucket", "test.zip")).CodeSize).toBeGreaterThan(0);
    await expectAwsError(sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "s3-fn", S3Bucket: "gone-bucket", S3Key: "test.zip" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
    });
  });
});

describe("Lambda: publishing versions", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("CreateFunction with Publish answers version 1 under the unqualified ARN; UpdateFunctionCode under the version's", async () => {
    const created = await createNodeFunction(sim.lambda, "pub-arn", CODE, { Publish: true });
    expect(created.Version).toBe("1");
    expect(created.FunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:pub-arn");
    const updated = await sim.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: "pub-arn", ZipFile: zip({ "index.js": "exports.handler = async () => 2;" }), Publish: true }),
    );
    expect(updated.Version).toBe("2");
    expect(updated.FunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:pub-arn:2");
    const v1 = await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "pub-arn", Qualifier: "1" }));
    expect(v1.FunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:pub-arn:1");
    // The create answer's revision is neither version 1's nor $LATEST's after publishing.
    expect(created.RevisionId).not.toBe(v1.RevisionId);
  });

  it("every code update counts as a change: the same code again with Publish publishes the next version", async () => {
    await createNodeFunction(sim.lambda, "pub-fn", CODE, { Publish: true });
    const two = zip({ "index.js": "exports.handler = async () => 2;" });
    const v2 = await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "pub-fn", ZipFile: two, Publish: true }));
    expect(v2.Version).toBe("2");
    const same = await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "pub-fn", ZipFile: two, Publish: true }));
    expect(same.Version).toBe("3");
    expect(same.CodeSha256).toBe(v2.CodeSha256);
    // With no update in between, PublishVersion answers the last version.
    expect((await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pub-fn" }))).Version).toBe("3");
    const versions = await sim.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "pub-fn" }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(["$LATEST", "1", "2", "3"]);
  });
});

describe("Lambda: layer content", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("content that is not a zip is refused, and no version is published", async () => {
    await expectAwsError(sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "bogus", Content: { ZipFile: Buffer.from("zipfile") } })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Could not unzip uploaded file. Please check your file, then try to upload again.",
    });
    const ok = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "bogus", Content: { ZipFile: zip({ "python/m.py": "x = 1" }) } }));
    expect(ok.Version).toBe(1);
  });
});

describe("Lambda: VPC configuration", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("subnets and security groups come together or not at all", async () => {
    const coexist = { name: "InvalidParameterValueException", status: 400, message: "SubnetIds and SecurityIds must coexist or be both empty list." };
    await expectAwsError(createNodeFunction(sim.lambda, "vpc-a", CODE, { VpcConfig: { SubnetIds: ["subnet-123abc"] } }), coexist);
    await expectAwsError(createNodeFunction(sim.lambda, "vpc-a", CODE, { VpcConfig: { SubnetIds: [], SecurityGroupIds: ["sg-123abc"] } }), coexist);
    await createNodeFunction(sim.lambda, "vpc-a", CODE, { VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } });
    await expectAwsError(
      sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "vpc-a", VpcConfig: { SecurityGroupIds: ["sg-1"] } })),
      coexist,
    );
    const both = await sim.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "vpc-a", VpcConfig: { SubnetIds: ["subnet-123abc"], SecurityGroupIds: ["sg-123abc"] } }),
    );
    expect(both.VpcConfig).toMatchObject({ SubnetIds: ["subnet-123abc"], SecurityGroupIds: ["sg-123abc"] });
  });
});

describe("Lambda: a deleted layer version", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("a Node.js layer's nodejs/node<major>/node_modules is on the path of that runtime's functions", async () => {
    const layerZip = zip({ "nodejs/node22/node_modules/greet22/index.js": "module.exports = 'node22';" });
    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "nodelib", Content: { ZipFile: layerZip } }));
    await createNodeFunction(sim.lambda, "node-layer", "exports.handler = async () => require('greet22');", { Layers: [layer.LayerVersionArn!] });
    const out = await sim.lambda.send(new InvokeCommand({ FunctionName: "node-layer" }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toBe("node22");
  });

  it("a Python layer's python/lib/pythonX.Y/site-packages and python directories are both importable", async () => {
    const layerZip = zip({ "python/lib/python3.12/site-packages/pkgx/__init__.py": "V = 2", "python/mymod.py": "VALUE = 'from-layer'" });
    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "pylib", Content: { ZipFile: layerZip } }));
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "py-layer",
        Runtime: "python3.12",
        Role: ROLE,
        Handler: "app.handler",
        Layers: [layer.LayerVersionArn!],
        Code: { ZipFile: zip({ "app.py": "import mymod, pkgx\ndef handler(e, c):\n    return [mymod.VALUE, pkgx.V]\n" }) },
      }),
    );
    const out = await sim.lambda.send(new InvokeCommand({ FunctionName: "py-layer" }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual(["from-layer", 2]);
  });

  it("stays with the functions configured with it, and can configure no new one", async () => {
    const layerZip = zip({ "nodejs/node_modules/greet/index.js": "module.exports = (n) => 'hello ' + n;" });
    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "greet", Content: { ZipFile: layerZip } }));
    const arn = layer.LayerVersionArn!;
    await createNodeFunction(sim.lambda, "uses-layer", "exports.handler = async (e) => require('greet')(e.name);", { Layers: [arn] });
    await sim.lambda.send(new DeleteLayerVersionCommand({ LayerName: "greet", VersionNumber: 1 }));
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "greet", VersionNumber: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    const cfg = await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "uses-layer" }));
    expect(cfg.Layers).toEqual([{ Arn: arn, CodeSize: layerZip.length }]);
    const out = await sim.lambda.send(new InvokeCommand({ FunctionName: "uses-layer", Payload: Buffer.from(JSON.stringify({ name: "moto" })) }));
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toBe("hello moto");
    await expectAwsError(createNodeFunction(sim.lambda, "new-fn", CODE, { Layers: [arn] }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: `Layer version ${arn} does not exist.`,
    });
  });
});

describe("Lambda: container images in awsim's ECR", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg), ecr: new ECRClient(cfg) }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 7023, digest: `sha256:${"a".repeat(64)}` },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 32654, digest: `sha256:${"b".repeat(64)}` }],
  });
  const repo = "000000000000.dkr.ecr.us-east-1.amazonaws.com/fn-images";

  it("a tag resolves to the image digest (CodeSha256, ResolvedImageUri); a missing image is refused", async () => {
    await sim.ecr.send(new CreateRepositoryCommand({ repositoryName: "fn-images" }));
    const put = await sim.ecr.send(new PutImageCommand({ repositoryName: "fn-images", imageManifest: manifest, imageTag: "v1" }));
    const digest = put.image!.imageId!.imageDigest!;
    const created = await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "img-fn", Role: ROLE, PackageType: "Image", Code: { ImageUri: `${repo}:v1` } }),
    );
    expect(created.CodeSha256).toBe(digest.replace("sha256:", ""));
    expect(created.CodeSize).toBe(0);
    const got = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "img-fn" }));
    expect(got.Code).toEqual({ RepositoryType: "ECR", ImageUri: `${repo}:v1`, ResolvedImageUri: `${repo}@${digest}` });
    const byDigest = await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "img-fn2", Role: ROLE, PackageType: "Image", Code: { ImageUri: `${repo}@${digest}` } }),
    );
    expect(byDigest.CodeSha256).toBe(digest.replace("sha256:", ""));
    await expectAwsError(
      sim.lambda.send(new CreateFunctionCommand({ FunctionName: "img-fn3", Role: ROLE, PackageType: "Image", Code: { ImageUri: `${repo}:missing` } })),
      { name: "InvalidParameterValueException", status: 400, message: `Source image ${repo}:missing does not exist. Provide a valid source image.` },
    );
    await expectAwsError(sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "img-fn", ImageUri: `${repo}:missing` })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: `Source image ${repo}:missing does not exist. Provide a valid source image.`,
    });
  });

  it("an image awsim's ECR does not hold is taken as given, pinned by a digest in the same form", async () => {
    const local = await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "img-local", Role: ROLE, PackageType: "Image", Code: { ImageUri: "local/runtime:latest" } }),
    );
    expect(local.CodeSize).toBe(0);
    expect(local.CodeSha256).toMatch(/^[a-f0-9]{64}$/);
    const got = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "img-local" }));
    expect(got.Code).toEqual({ RepositoryType: "ECR", ImageUri: "local/runtime:latest", ResolvedImageUri: `local/runtime@sha256:${local.CodeSha256}` });
    // A published version keeps its image when $LATEST moves on.
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "img-local" }));
    await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "img-local", ImageUri: "local/runtime:v2" }));
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "img-local", Qualifier: "1" }))).Code?.ImageUri).toBe("local/runtime:latest");
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "img-local" }))).Code?.ImageUri).toBe("local/runtime:v2");
  });

  it("an Image function takes no Handler, Runtime or Layers", async () => {
    const image = { Role: ROLE, PackageType: "Image" as const, Code: { ImageUri: "local/img:latest" } };
    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "img-layer", Content: { ZipFile: zip({ "python/m.py": "x = 1" }) } }));
    const noRuntime = "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.";
    for (const extra of [{ Handler: "app.handler" }, { Runtime: "python3.12" as const }, { Layers: [layer.LayerVersionArn!] }])
      await expectAwsError(sim.lambda.send(new CreateFunctionCommand({ FunctionName: "img-x", ...image, ...extra })), {
        name: "InvalidParameterValueException",
        status: 400,
        message: noRuntime,
      });
    await sim.lambda.send(new CreateFunctionCommand({ FunctionName: "img-x", ...image }));
    await expectAwsError(sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "img-x", Layers: [layer.LayerVersionArn!] })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Lambda layers are not supported for functions created with container images.",
    });
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "img-x" }))).Layers).toBeUndefined();
  });
});

describe("Lambda under --strict: the execution role", () => {
  const sim = useServer({ strict: true }, (cfg) => ({ lambda: new LambdaClient(cfg), iam: new IAMClient(cfg) }));
  const trust = (service: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

  it("must be this account's role, exist and trust lambda.amazonaws.com", async () => {
    const create = (FunctionName: string, Role: string) => createNodeFunction(sim.lambda, FunctionName, CODE, { Role });
    await expectAwsError(create("x1", "arn:aws:iam::111111111111:role/example_role"), {
      name: "AccessDeniedException",
      status: 403,
      message: "Cross-account pass role is not allowed.",
    });
    const cannot = { name: "InvalidParameterValueException", status: 400, message: "The role defined for the function cannot be assumed by Lambda." };
    await expectAwsError(create("x2", "arn:aws:iam::000000000000:role/service-role/unknown_role"), cannot);
    await sim.iam.send(new CreateRoleCommand({ RoleName: "ec2-only", AssumeRolePolicyDocument: trust("ec2.amazonaws.com") }));
    await expectAwsError(create("x3", "arn:aws:iam::000000000000:role/ec2-only"), cannot);
    const role = await sim.iam.send(new CreateRoleCommand({ RoleName: "fn-role", Path: "/lambda/", AssumeRolePolicyDocument: trust("lambda.amazonaws.com") }));
    expect((await create("ok", role.Role!.Arn!)).Role).toBe("arn:aws:iam::000000000000:role/lambda/fn-role");
    await expectAwsError(
      sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "ok", Role: "arn:aws:iam::000000000000:role/ec2-only" })),
      cannot,
    );
  });
});
