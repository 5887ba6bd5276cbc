/**
 * The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) a task's SDK reads: with a task
 * role, a session of that role named after the task id; found through the Go SDK v1's endpointcreds flow
 * (test/go/v1services), where every task acted as the account root whatever its role.
 */
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { CreateLogGroupCommand, CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer } from "../helpers.js";

const TRUST = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`;
const SUBNETS = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };

async function runTask(server: AwsimServer, taskRoleArn?: string, override?: string) {
  const ecs = new ECSClient(clientConfig(server));
  await ecs.send(new CreateClusterCommand({ clusterName: "creds" }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "creds",
      taskRoleArn,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image: "busybox" }],
    }),
  );
  const rt = await ecs.send(
    new RunTaskCommand({
      cluster: "creds",
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      launchType: "FARGATE",
      networkConfiguration: SUBNETS,
      overrides: override ? { taskRoleArn: override } : undefined,
    }),
  );
  const id = rt.tasks?.[0].taskArn?.split("/").pop() ?? "";
  const res = await fetch(`${server.url}/_awsim/ecs/credentials/${id}`);
  expect(res.status).toBe(200);
  return { id, creds: (await res.json()) as { AccessKeyId: string; SecretAccessKey: string; Token: string; Expiration: string; RoleArn?: string } };
}

const asCreds = (c: { AccessKeyId: string; SecretAccessKey: string; Token: string }) => ({
  credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token },
});

describe("ECS container credentials", () => {
  let server: AwsimServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.stop());

  it("are a session of the task role named after the task (the override wins), stable for the task", async () => {
    const iam = new IAMClient(clientConfig(server));
    const role = await iam.send(new CreateRoleCommand({ RoleName: "app-task", AssumeRolePolicyDocument: TRUST }));
    const other = await iam.send(new CreateRoleCommand({ RoleName: "other-task", AssumeRolePolicyDocument: TRUST }));
    const { id, creds } = await runTask(server, role.Role?.Arn);
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(creds.RoleArn).toBe(role.Role?.Arn);
    expect(new Date(creds.Expiration).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    const who = await new STSClient(clientConfig(server, asCreds(creds))).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::000000000000:assumed-role/app-task/${id}`);
    expect(who.UserId).toBe(`${role.Role?.RoleId}:${id}`);
    const again = (await (await fetch(`${server.url}/_awsim/ecs/credentials/${id}`)).json()) as { AccessKeyId: string };
    expect(again.AccessKeyId).toBe(creds.AccessKeyId);

    const overridden = await runTask(server, role.Role?.Arn, other.Role?.Arn);
    const who2 = await new STSClient(clientConfig(server, asCreds(overridden.creds))).send(new GetCallerIdentityCommand({}));
    expect(who2.Arn).toBe(`arn:aws:sts::000000000000:assumed-role/other-task/${overridden.id}`);
  });

  it("without a task role act in the task's account as before", async () => {
    const { creds } = await runTask(server);
    expect(creds.AccessKeyId).toBe("000000000000");
    expect(creds.RoleArn).toBeUndefined();
  });

  it("are held to the task role's policies under --enforce-iam", async () => {
    const strict = await startServer({ enforceIam: true });
    try {
      const iam = new IAMClient(clientConfig(strict));
      const role = await iam.send(new CreateRoleCommand({ RoleName: "writer", AssumeRolePolicyDocument: TRUST }));
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: "writer",
          PolicyName: "logs",
          PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`,
        }),
      );
      const { creds } = await runTask(strict, role.Role?.Arn);
      const logs = new CloudWatchLogsClient(clientConfig(strict, asCreds(creds)));
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/task/ok" }));
      await expectAwsError(logs.send(new DescribeLogGroupsCommand({})), { name: "AccessDeniedException", status: 400 });
    } finally {
      await strict.stop();
    }
  });
});
