/** The SDK waiters of S3, IAM, Lambda and ECS that the service test files don't run, and the failure / retry paths of those they do. */
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateDaemonCommand,
  CreateServiceCommand,
  DeleteDaemonTaskDefinitionCommand,
  DeleteServiceCommand,
  DescribeDaemonTaskDefinitionCommand,
  ECSClient,
  RegisterDaemonTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateDaemonCommand,
  waitForDaemonActive,
  waitForDaemonDeploymentStopped,
  waitForDaemonDeploymentSuccessful,
  waitForDaemonTaskDefinitionActive,
  waitForDaemonTaskDefinitionDeleted,
  waitForServicesInactive,
  waitForServicesStable,
  waitForTasksRunning,
  waitForTasksStopped,
} from "@aws-sdk/client-ecs";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  waitForInstanceProfileExists,
  waitForPolicyExists,
  waitForRoleExists,
  waitForUserExists,
} from "@aws-sdk/client-iam";
import { LambdaClient, UpdateFunctionConfigurationCommand, waitForFunctionActive, waitForFunctionExists, waitForFunctionUpdated } from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  waitForBucketExists,
  waitForBucketNotExists,
  waitForObjectExists,
  waitForObjectNotExists,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const sim = useServer({}, (cfg) => ({
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
  iam: new IAMClient(cfg),
  lambda: new LambdaClient(cfg),
  ecs: new ECSClient(cfg),
}));

/** Poll fast; a waiter that keeps retrying times out in half a second. */
const fast = <C>(client: C) => ({ client, minDelay: 0.15, maxDelay: 0.15, maxWaitTime: 0.5 });
const ARN = "arn:aws:ecs:us-east-1:000000000000";
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

describe("S3", () => {
  it("BucketNotExists and ObjectNotExists after the deletes; BucketExists and ObjectExists keep polling what is missing", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: "waiter-bucket" }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "waiter-bucket", Key: "k", Body: "v" }));
    expect((await waitForObjectNotExists(fast(sim.s3), { Bucket: "waiter-bucket", Key: "k" })).state).toBe("TIMEOUT");
    expect((await waitForBucketNotExists(fast(sim.s3), { Bucket: "waiter-bucket" })).state).toBe("TIMEOUT");
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "waiter-bucket", Key: "k" }));
    expect((await waitForObjectNotExists(fast(sim.s3), { Bucket: "waiter-bucket", Key: "k" })).state).toBe("SUCCESS");
    expect((await waitForObjectExists(fast(sim.s3), { Bucket: "waiter-bucket", Key: "k" })).state).toBe("TIMEOUT");
    await sim.s3.send(new DeleteBucketCommand({ Bucket: "waiter-bucket" }));
    expect((await waitForBucketNotExists(fast(sim.s3), { Bucket: "waiter-bucket" })).state).toBe("SUCCESS");
    expect((await waitForBucketExists(fast(sim.s3), { Bucket: "waiter-bucket" })).state).toBe("TIMEOUT");
  });
});

describe("IAM", () => {
  it("UserExists, RoleExists, PolicyExists, InstanceProfileExists; each keeps polling a missing entity", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "waiter-user" }));
    await sim.iam.send(new CreateRoleCommand({ RoleName: "waiter-role", AssumeRolePolicyDocument: TRUST }));
    const policy = (
      await sim.iam.send(
        new CreatePolicyCommand({
          PolicyName: "waiter-policy",
          PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }),
        }),
      )
    ).Policy!.Arn!;
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "waiter-profile" }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "waiter-profile", RoleName: "waiter-role" }));
    expect((await waitForUserExists(fast(sim.iam), { UserName: "waiter-user" })).state).toBe("SUCCESS");
    expect((await waitForRoleExists(fast(sim.iam), { RoleName: "waiter-role" })).state).toBe("SUCCESS");
    expect((await waitForPolicyExists(fast(sim.iam), { PolicyArn: policy })).state).toBe("SUCCESS");
    expect((await waitForInstanceProfileExists(fast(sim.iam), { InstanceProfileName: "waiter-profile" })).state).toBe("SUCCESS");
    const missing = await Promise.all([
      waitForUserExists(fast(sim.iam), { UserName: "nobody" }),
      waitForRoleExists(fast(sim.iam), { RoleName: "nobody" }),
      waitForPolicyExists(fast(sim.iam), { PolicyArn: "arn:aws:iam::000000000000:policy/nobody" }),
      waitForInstanceProfileExists(fast(sim.iam), { InstanceProfileName: "nobody" }),
    ]);
    expect(missing.map((r) => r.state)).toEqual(["TIMEOUT", "TIMEOUT", "TIMEOUT", "TIMEOUT"]);
  });
});

describe("Lambda", () => {
  it("FunctionActive and FunctionUpdated (the GetFunctionConfiguration waiters); FunctionExists keeps polling a missing function", async () => {
    await createNodeFunction(sim.lambda, "waited", "exports.handler = async () => 1;");
    expect((await waitForFunctionActive(fast(sim.lambda), { FunctionName: "waited" })).state).toBe("SUCCESS");
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "waited", MemorySize: 256 }));
    expect((await waitForFunctionUpdated(fast(sim.lambda), { FunctionName: "waited" })).state).toBe("SUCCESS");
    expect((await waitForFunctionExists(fast(sim.lambda), { FunctionName: "nope" })).state).toBe("TIMEOUT");
    expect((await waitForFunctionActive(fast(sim.lambda), { FunctionName: "nope" })).state).toBe("TIMEOUT");
  });
});

describe("ECS", () => {
  it("ServicesStable, ServicesInactive, TasksRunning and TasksStopped fail on a missing service or task", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "w" }));
    const [services, tasks] = [
      { cluster: "w", services: ["ghost"] },
      { cluster: "w", tasks: [`${ARN}:task/w/0123456789abcdef0123456789abcdef`] },
    ];
    expect((await waitForServicesStable(fast(sim.ecs), services)).state).toBe("FAILURE");
    expect((await waitForServicesInactive(fast(sim.ecs), services)).state).toBe("FAILURE");
    expect((await waitForTasksRunning(fast(sim.ecs), tasks)).state).toBe("FAILURE");
    // TasksStopped has no MISSING acceptor: a missing task is never seen stopped.
    expect((await waitForTasksStopped(fast(sim.ecs), tasks)).state).toBe("TIMEOUT");
  });

  it("ServicesStable fails on an INACTIVE service; TasksRunning fails on a stopped task", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "w2" }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "web", image: "nginx", memory: 128 }] }));
    await sim.ecs.send(new CreateServiceCommand({ cluster: "w2", serviceName: "api", taskDefinition: "web", desiredCount: 1 }));
    expect((await waitForServicesStable(fast(sim.ecs), { cluster: "w2", services: ["api"] })).state).toBe("SUCCESS");
    await sim.ecs.send(new DeleteServiceCommand({ cluster: "w2", service: "api", force: true }));
    expect((await waitForServicesInactive(fast(sim.ecs), { cluster: "w2", services: ["api"] })).state).toBe("SUCCESS");
    expect((await waitForServicesStable(fast(sim.ecs), { cluster: "w2", services: ["api"] })).state).toBe("FAILURE");
    const task = (await sim.ecs.send(new RunTaskCommand({ cluster: "w2", taskDefinition: "web" }))).tasks![0]!.taskArn!;
    await sim.ecs.send(new StopTaskCommand({ cluster: "w2", task }));
    expect((await waitForTasksStopped(fast(sim.ecs), { cluster: "w2", tasks: [task] })).state).toBe("SUCCESS");
    expect((await waitForTasksRunning(fast(sim.ecs), { cluster: "w2", tasks: [task] })).state).toBe("FAILURE");
  });

  it("DaemonTaskDefinitionActive, DaemonActive, DaemonDeploymentSuccessful; DaemonTaskDefinitionDeleted; the deployment waiters fail on a missing deployment", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "mi" }));
    const cp = (
      await sim.ecs.send(
        new CreateCapacityProviderCommand({
          name: "mi-cp",
          cluster: "mi",
          managedInstancesProvider: {
            infrastructureRoleArn: "arn:aws:iam::000000000000:role/infra",
            instanceLaunchTemplate: { ec2InstanceProfileArn: "arn:aws:iam::000000000000:instance-profile/p", networkConfiguration: { subnets: ["subnet-1"] } },
          },
        }),
      )
    ).capacityProvider!;
    const td = (await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image: "agent:1" }] })))
      .daemonTaskDefinitionArn!;
    expect((await waitForDaemonTaskDefinitionActive(fast(sim.ecs), { daemonTaskDefinition: td })).state).toBe("SUCCESS");
    const d = await sim.ecs.send(
      new CreateDaemonCommand({ daemonName: "agent", clusterArn: "mi", daemonTaskDefinitionArn: td, capacityProviderArns: [cp.capacityProviderArn!] }),
    );
    expect((await waitForDaemonActive(fast(sim.ecs), { daemonArn: d.daemonArn })).state).toBe("SUCCESS");
    expect((await waitForDaemonDeploymentSuccessful(fast(sim.ecs), { daemonDeploymentArns: [d.deploymentArn!] })).state).toBe("SUCCESS");
    const missing = { daemonDeploymentArns: [`${ARN}:daemon-deployment/mi/agent/0123456789abcdef0123`] };
    expect((await waitForDaemonDeploymentSuccessful(fast(sim.ecs), missing)).state).toBe("FAILURE");
    expect((await waitForDaemonDeploymentStopped(fast(sim.ecs), missing)).state).toBe("FAILURE");

    // A new revision moves the daemon off agent:1, which can then be deleted.
    const td2 = (await sim.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image: "agent:2" }] })))
      .daemonTaskDefinitionArn!;
    await sim.ecs.send(new UpdateDaemonCommand({ daemonArn: d.daemonArn, daemonTaskDefinitionArn: td2, capacityProviderArns: [cp.capacityProviderArn!] }));
    await sim.ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: td }));
    expect((await waitForDaemonTaskDefinitionActive(fast(sim.ecs), { daemonTaskDefinition: td })).state).toBe("FAILURE");
    expect((await waitForDaemonTaskDefinitionDeleted(fast(sim.ecs), { daemonTaskDefinition: td })).state).toBe("SUCCESS");
    expect((await sim.ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: td }))).daemonTaskDefinition!.status).toBe("DELETED");
  });
});
