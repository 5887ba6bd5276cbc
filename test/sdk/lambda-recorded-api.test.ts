/**
 * Lambda control-plane answers replayed from scenarios recorded against AWS (LocalStack's AWS-validated
 * snapshots of tests/aws/services/lambda_/test_lambda_api.py); each test names the snapshot key it follows.
 */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { ROLE } from "./lambda-helpers.js";

describe("Lambda recorded API scenarios", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // TestLambdaImages::test_lambda_image_and_image_config_crud, "update-function-code-delete-imageconfig-response"
  // and "get-function-config-response-after-delete-imageconfig": ImageConfig {} removes the image config.
  it("UpdateFunctionConfiguration with an empty ImageConfig drops ImageConfigResponse", async () => {
    const created = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "img-cfg",
        Role: ROLE,
        PackageType: "Image",
        Code: { ImageUri: "000000000000.dkr.ecr.us-east-1.amazonaws.com/repo:latest" },
        ImageConfig: { EntryPoint: ["sh"], Command: ["-c", "echo test"], WorkingDirectory: "/app1" },
      }),
    );
    expect(created.ImageConfigResponse).toEqual({ ImageConfig: { EntryPoint: ["sh"], Command: ["-c", "echo test"], WorkingDirectory: "/app1" } });
    // A partial ImageConfig replaces the whole one (EntryPoint is gone), as recorded in "update-function-code-response".
    const partial = await sim.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "img-cfg", ImageConfig: { Command: ["-c", "echo test1"], WorkingDirectory: "/app1" } }),
    );
    expect(partial.ImageConfigResponse).toEqual({ ImageConfig: { Command: ["-c", "echo test1"], WorkingDirectory: "/app1" } });
    const cleared = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "img-cfg", ImageConfig: {} }));
    expect(cleared).not.toHaveProperty("ImageConfigResponse");
    expect(await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "img-cfg" }))).not.toHaveProperty("ImageConfigResponse");
    const got = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "img-cfg" }));
    expect(got.Configuration).not.toHaveProperty("ImageConfigResponse");
    expect(got.Code?.RepositoryType).toBe("ECR");
  });
});
