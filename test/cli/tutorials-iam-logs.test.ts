/**
 * The flows of AWS's developer tutorials (aws-samples/sample-developer-tutorials and the docs tutorials they
 * follow) for IAM users, groups, policies and access keys, assuming a role, CloudWatch Logs groups, streams,
 * metric filters, Insights queries and a Lambda subscription, and Cloud Map DNS service discovery, replayed
 * with the aws CLI: the values the scripts read with --query, the errors their cleanup steps meet.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, python, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }],
});
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:ListAllMyBuckets", "s3:GetObject"], Resource: "*" }],
});
/** IAM keeps last-used dates to the minute (the CLI's own examples: "LastUsedDate": "2015-06-16T22:45:00Z"). */
const MINUTE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:00(\.000)?Z$/;

// Each flow has its own names: they run at once, as the CLI spends its time starting up.
describe.skipIf(!hasAwsCli()).concurrent("tutorials: IAM, STS, CloudWatch Logs, Cloud Map with the aws CLI", () => {
  const sim = useServer();
  const dir = mkdtempSync(join(tmpdir(), "awsim-tut-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** What the scripts read from `--query ... --output text`: a scalar, a tab-separated list, a line per nested list. */
  const text = async (args: string[], env?: Record<string, string>) => {
    const r = await aws(sim.server, args, { env });
    expect(r.code, r.stderr).toBe(0);
    const v: unknown = r.json;
    if (v === undefined || v === null) return "";
    if (!Array.isArray(v)) return String(v);
    return v.every(Array.isArray) && v.length ? v.map((row: unknown[]) => row.join("\t")).join("\n") : v.join("\t");
  };

  it("IAM user, group and customer managed policy; access key used, then cleanup in the tutorial's order", async () => {
    expect(await text(["iam", "create-user", "--user-name", "tut-user", "--query", "User.Arn"])).toBe(`arn:aws:iam::${ACCOUNT}:user/tut-user`);
    await text(["iam", "create-group", "--group-name", "tut-group"]);
    await text(["iam", "add-user-to-group", "--user-name", "tut-user", "--group-name", "tut-group"]);
    const policyArn = await text(["iam", "create-policy", "--policy-name", "tut-policy", "--policy-document", POLICY, "--query", "Policy.Arn"]);
    expect(policyArn).toBe(`arn:aws:iam::${ACCOUNT}:policy/tut-policy`);
    await text(["iam", "attach-group-policy", "--group-name", "tut-group", "--policy-arn", policyArn]);
    expect(await text(["iam", "list-attached-group-policies", "--group-name", "tut-group", "--query", "AttachedPolicies[*].PolicyArn"])).toBe(policyArn);

    const [akid, secret] = (await text(["iam", "create-access-key", "--user-name", "tut-user", "--query", "AccessKey.[AccessKeyId,SecretAccessKey]"])).split(
      "\t",
    );
    expect(akid).toMatch(/^AKIA[A-Z0-9]{16}$/);
    const who = await text(["sts", "get-caller-identity", "--query", "Arn"], { AWS_ACCESS_KEY_ID: akid!, AWS_SECRET_ACCESS_KEY: secret! });
    expect(who).toBe(`arn:aws:iam::${ACCOUNT}:user/tut-user`);
    const used = await aws(sim.server, ["iam", "get-access-key-last-used", "--access-key-id", akid!]);
    expect(used.json).toMatchObject({ UserName: "tut-user", AccessKeyLastUsed: { ServiceName: "sts", Region: "us-east-1" } });
    expect(used.json.AccessKeyLastUsed.LastUsedDate).toMatch(MINUTE);

    // The cleanup steps: each conflict names what is left.
    const del = await aws(sim.server, ["iam", "delete-user", "--user-name", "tut-user"]);
    expect(del.stderr.trim()).toBe(
      "An error occurred (DeleteConflict) when calling the DeleteUser operation: Cannot delete entity, must delete access keys first.",
    );
    const delPolicy = await aws(sim.server, ["iam", "delete-policy", "--policy-arn", policyArn]);
    expect(delPolicy.stderr.trim()).toBe(
      "An error occurred (DeleteConflict) when calling the DeletePolicy operation: Cannot delete a policy attached to entities.",
    );
    await text(["iam", "delete-access-key", "--user-name", "tut-user", "--access-key-id", akid!]);
    await text(["iam", "remove-user-from-group", "--user-name", "tut-user", "--group-name", "tut-group"]);
    await text(["iam", "detach-group-policy", "--group-name", "tut-group", "--policy-arn", policyArn]);
    await text(["iam", "delete-policy", "--policy-arn", policyArn]);
    await text(["iam", "delete-group", "--group-name", "tut-group"]);
    await text(["iam", "delete-user", "--user-name", "tut-user"]);
    expect(await text(["iam", "list-users", "--query", "Users[?UserName=='tut-user'].UserName"])).toBe("");
  });

  it("a role with a trust policy, assume-role, the session's identity and the role's last use", async () => {
    const roleArn = await text(["iam", "create-role", "--role-name", "tut-role", "--assume-role-policy-document", TRUST, "--query", "Role.Arn"]);
    await text(["iam", "wait", "role-exists", "--role-name", "tut-role"]);
    await text(["iam", "attach-role-policy", "--role-name", "tut-role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]);
    const fresh = await aws(sim.server, ["iam", "get-role", "--role-name", "tut-role"]);
    expect(fresh.json.Role.RoleLastUsed).toEqual({});
    const creds = await text([
      "sts",
      "assume-role",
      "--role-arn",
      roleArn,
      "--role-session-name",
      "tut-session",
      "--query",
      "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]",
    ]);
    const [ak, sk, token] = creds.split("\t");
    expect(ak).toMatch(/^ASIA/);
    const env = { AWS_ACCESS_KEY_ID: ak!, AWS_SECRET_ACCESS_KEY: sk!, AWS_SESSION_TOKEN: token! };
    expect(await text(["sts", "get-caller-identity", "--query", "Arn"], env)).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/tut-role/tut-session`);
    const last = await aws(sim.server, ["iam", "get-role", "--role-name", "tut-role"]);
    expect(last.json.Role.RoleLastUsed.Region).toBe("us-east-1");
    expect(last.json.Role.RoleLastUsed.LastUsedDate).toMatch(MINUTE);
    const long = await aws(sim.server, ["sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "tut-session", "--duration-seconds", "7200"]);
    expect(long.stderr.trim()).toBe(
      "An error occurred (ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  });

  it("CloudWatch Logs: group, retention, stream, events, filter, metric filter and an Insights query", async () => {
    const g = "/tutorial/app";
    await text(["logs", "create-log-group", "--log-group-name", g]);
    await text(["logs", "put-retention-policy", "--log-group-name", g, "--retention-in-days", "7"]);
    expect(await text(["logs", "describe-log-groups", "--log-group-name-prefix", "/tutorial", "--query", "logGroups[0].[logGroupName,retentionInDays]"])).toBe(
      `${g}\t7`,
    );
    await text(["logs", "create-log-stream", "--log-group-name", g, "--log-stream-name", "app-1"]);
    const now = Date.now();
    const events = join(dir, "events.json");
    writeFileSync(
      events,
      JSON.stringify([
        { timestamp: now - 2000, message: "ERROR payment failed" },
        { timestamp: now - 1000, message: "INFO request served" },
        { timestamp: now, message: '{"level":"ERROR","latency":250}' },
      ]),
    );
    await text(["logs", "put-log-events", "--log-group-name", g, "--log-stream-name", "app-1", "--log-events", `file://${events}`]);
    const got = await aws(sim.server, ["logs", "get-log-events", "--log-group-name", g, "--log-stream-name", "app-1", "--start-from-head"]);
    expect(got.json.events.map((e: { message: string }) => e.message)).toEqual([
      "ERROR payment failed",
      "INFO request served",
      '{"level":"ERROR","latency":250}',
    ]);
    const errors = await aws(sim.server, ["logs", "filter-log-events", "--log-group-name", g, "--filter-pattern", "ERROR", "--query", "events[*].message"]);
    expect(errors.json).toEqual(["ERROR payment failed", '{"level":"ERROR","latency":250}']);
    const slow = await aws(sim.server, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      g,
      "--filter-pattern",
      "{ $.latency > 100 }",
      "--query",
      "events[*].message",
    ]);
    expect(slow.json).toEqual(['{"level":"ERROR","latency":250}']);

    await text([
      "logs",
      "put-metric-filter",
      "--log-group-name",
      g,
      "--filter-name",
      "errors",
      "--filter-pattern",
      "ERROR",
      "--metric-transformations",
      "metricName=ErrorCount,metricNamespace=Tutorial,metricValue=1,defaultValue=0",
    ]);
    const mf = await aws(sim.server, ["logs", "describe-metric-filters", "--log-group-name", g]);
    expect(mf.json.metricFilters[0]).toMatchObject({
      filterName: "errors",
      filterPattern: "ERROR",
      logGroupName: g,
      metricTransformations: [{ metricName: "ErrorCount", metricNamespace: "Tutorial", metricValue: "1", defaultValue: 0 }],
    });

    const start = Math.floor(now / 1000) - 600;
    /** start-query over the last 20 minutes of a group, then get-query-results until the query is done. */
    const runQuery = async (group: string, query: string) => {
      const id = await text([
        "logs",
        "start-query",
        "--log-group-name",
        group,
        "--start-time",
        String(start),
        "--end-time",
        String(start + 1200),
        "--query-string",
        query,
        "--query",
        "queryId",
      ]);
      let r = await aws(sim.server, ["logs", "get-query-results", "--query-id", id]);
      for (let i = 0; i < 20 && !["Complete", "Failed"].includes(r.json.status); i++) {
        await new Promise((done) => setTimeout(done, 250));
        r = await aws(sim.server, ["logs", "get-query-results", "--query-id", id]);
      }
      return r;
    };
    const res = await runQuery(g, "fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 20");
    expect(res.json.status).toBe("Complete");
    expect(res.json.results.map((row: Array<{ field: string; value: string }>) => row.find((f) => f.field === "@message")!.value)).toEqual([
      '{"level":"ERROR","latency":250}',
      "ERROR payment failed",
    ]);
    expect(res.json.statistics).toMatchObject({ recordsMatched: 2, recordsScanned: 3 });

    // Insights' sample query "Determine the amount of overprovisioned memory" over Lambda REPORT lines:
    // its last item combines two earlier aggregates by name.
    const fn = "/aws/lambda/tutorial-fn";
    await text(["logs", "create-log-group", "--log-group-name", fn]);
    await text(["logs", "create-log-stream", "--log-group-name", fn, "--log-stream-name", "2026/01/01/[$LATEST]0123"]);
    const reports = join(dir, "reports.json");
    writeFileSync(
      reports,
      JSON.stringify([
        ...[64, 70].map((used, i) => ({
          timestamp: now - 1000 + i,
          message: `REPORT RequestId: 0000000${i}-1111-2222-3333-444444444444\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: ${used} MB\t\n`,
        })),
        { timestamp: now - 500, message: '{"client":"192.0.2.10"}' },
        { timestamp: now - 499, message: '{"client":"198.51.100.7"}' },
      ]),
    );
    await text(["logs", "put-log-events", "--log-group-name", fn, "--log-stream-name", "2026/01/01/[$LATEST]0123", "--log-events", `file://${reports}`]);
    const mem = await runQuery(
      fn,
      'filter @type = "REPORT" | stats max(@memorySize / 1000 / 1000) as provisonedMemoryMB, min(@maxMemoryUsed / 1000 / 1000) as smallestMemoryRequestMB, avg(@maxMemoryUsed / 1000 / 1000) as avgMemoryUsedMB, max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB, provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB',
    );
    expect(mem.json.results).toEqual([
      [
        { field: "provisonedMemoryMB", value: "128" },
        { field: "smallestMemoryRequestMB", value: "64" },
        { field: "avgMemoryUsedMB", value: "67" },
        { field: "maxMemoryUsedMB", value: "70" },
        { field: "overProvisionedMB", value: "58" },
      ],
    ]);
    // The IP address functions (isIpv4InSubnet, as in the sample "top byte transfers for hosts on a given subnet").
    const ips = await runQuery(fn, 'filter isIpv4InSubnet(client, "192.0.2.0/24") | stats count(*) as hits by client');
    expect(ips.json.results).toEqual([
      [
        { field: "client", value: "192.0.2.10" },
        { field: "hits", value: "1" },
      ],
    ]);

    await text(["logs", "delete-log-group", "--log-group-name", g]);
    const gone = await aws(sim.server, ["logs", "delete-log-group", "--log-group-name", g]);
    expect(gone.stderr.trim()).toBe(
      "An error occurred (ResourceNotFoundException) when calling the DeleteLogGroup operation: The specified log group does not exist.",
    );
  });

  it("CloudWatch Logs subscription to a Lambda function: refused until logs.amazonaws.com may invoke it", async () => {
    const zip = join(dir, "fn.zip");
    await python("import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],'w') as z: z.writestr('fn.py','def handler(e,c):\\n    return 1\\n')", [zip]);
    const fnArn = await text([
      "lambda",
      "create-function",
      "--function-name",
      "tut-log-processor",
      "--runtime",
      "python3.12",
      "--handler",
      "fn.handler",
      "--zip-file",
      `fileb://${zip}`,
      "--role",
      `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
      "--query",
      "FunctionArn",
    ]);
    const g = "/tutorial/subscribed";
    await text(["logs", "create-log-group", "--log-group-name", g]);
    const sub = [
      "logs",
      "put-subscription-filter",
      "--log-group-name",
      g,
      "--filter-name",
      "to-lambda",
      "--filter-pattern",
      "ERROR",
      "--destination-arn",
      fnArn,
    ];
    const denied = await aws(sim.server, sub);
    expect(denied.stderr.trim()).toBe(
      "An error occurred (InvalidParameterException) when calling the PutSubscriptionFilter operation: Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
    );
    await text([
      "lambda",
      "add-permission",
      "--function-name",
      "tut-log-processor",
      "--statement-id",
      "logs",
      "--principal",
      "logs.amazonaws.com",
      "--action",
      "lambda:InvokeFunction",
      "--source-arn",
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${g}:*`,
    ]);
    await text(sub);
    const subs = await aws(sim.server, ["logs", "describe-subscription-filters", "--log-group-name", g]);
    expect(subs.json.subscriptionFilters).toEqual([
      expect.objectContaining({ filterName: "to-lambda", logGroupName: g, filterPattern: "ERROR", destinationArn: fnArn, distribution: "ByLogStream" }),
    ]);
    // A matching event reaches the function: its own log group shows the invocation.
    await text(["logs", "create-log-stream", "--log-group-name", g, "--log-stream-name", "s"]);
    await text(["logs", "put-log-events", "--log-group-name", g, "--log-stream-name", "s", "--log-events", `timestamp=${Date.now()},message=ERROR boom`]);
    let invoked = "";
    for (let i = 0; i < 10 && !invoked.includes("START RequestId"); i++) {
      const r = await aws(sim.server, ["logs", "filter-log-events", "--log-group-name", "/aws/lambda/tut-log-processor", "--query", "events[].message"]);
      invoked = r.code === 0 ? JSON.stringify(r.json) : "";
      if (!invoked.includes("START RequestId")) await new Promise((res) => setTimeout(res, 300));
    }
    expect(invoked).toContain("START RequestId");
  });

  it("Cloud Map: private DNS namespace, a MULTIVALUE service, instances discovered by health, cleanup order", async () => {
    const vpc = await text(["ec2", "create-vpc", "--cidr-block", "10.20.0.0/16", "--query", "Vpc.VpcId"]);
    const op = await text(["servicediscovery", "create-private-dns-namespace", "--name", "tutorial.local", "--vpc", vpc, "--query", "OperationId"]);
    const operation = await aws(sim.server, ["servicediscovery", "get-operation", "--operation-id", op]);
    expect(operation.json.Operation).toMatchObject({ Type: "CREATE_NAMESPACE", Status: "SUCCESS" });
    const ns = operation.json.Operation.Targets.NAMESPACE as string;
    expect(await text(["servicediscovery", "get-namespace", "--id", ns, "--query", "Namespace.[Name,Type]"])).toBe("tutorial.local\tDNS_PRIVATE");
    const svc = await text([
      "servicediscovery",
      "create-service",
      "--name",
      "web",
      "--namespace-id",
      ns,
      "--dns-config",
      "RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}]",
      "--health-check-custom-config",
      "FailureThreshold=1",
      "--query",
      "Service.Id",
    ]);
    for (const [id, ip] of [
      ["web-1", "10.20.0.11"],
      ["web-2", "10.20.0.12"],
    ]) {
      await text([
        "servicediscovery",
        "register-instance",
        "--service-id",
        svc,
        "--instance-id",
        id!,
        "--attributes",
        `AWS_INSTANCE_IPV4=${ip},AWS_INSTANCE_PORT=80`,
      ]);
    }
    await text(["servicediscovery", "update-instance-custom-health-status", "--service-id", svc, "--instance-id", "web-2", "--status", "UNHEALTHY"]);
    const noPrefix = { AWS_DISABLE_HOST_PREFIX_INJECTION: "true" };
    const discover = ["servicediscovery", "discover-instances", "--namespace-name", "tutorial.local", "--service-name", "web"];
    expect(await text([...discover, "--health-status", "HEALTHY", "--query", "Instances[].[InstanceId,Attributes.AWS_INSTANCE_IPV4]"], noPrefix)).toBe(
      "web-1\t10.20.0.11",
    );
    expect(await text([...discover, "--health-status", "UNHEALTHY", "--query", "Instances[].InstanceId"], noPrefix)).toBe("web-2");
    const health = await aws(sim.server, ["servicediscovery", "get-instances-health-status", "--service-id", svc]);
    expect(health.json.Status).toEqual({ "web-1": "HEALTHY", "web-2": "UNHEALTHY" });

    const busy = await aws(sim.server, ["servicediscovery", "delete-service", "--id", svc]);
    expect(busy.stderr).toContain("An error occurred (ResourceInUse) when calling the DeleteService operation");
    for (const id of ["web-1", "web-2"]) await text(["servicediscovery", "deregister-instance", "--service-id", svc, "--instance-id", id]);
    await text(["servicediscovery", "delete-service", "--id", svc]);
    const delOp = await text(["servicediscovery", "delete-namespace", "--id", ns, "--query", "OperationId"]);
    // The AWS managed policies Cloud Map's guides attach to the roles of registering and discovering clients.
    const cloudMapPolicies = await aws(sim.server, [
      "iam",
      "list-policies",
      "--scope",
      "AWS",
      "--query",
      "Policies[?starts_with(PolicyName, 'AWSCloudMap')].[PolicyName,DefaultVersionId]",
    ]);
    expect(cloudMapPolicies.json).toEqual(
      expect.arrayContaining([
        ["AWSCloudMapDiscoverInstanceAccess", "v2"],
        ["AWSCloudMapRegisterInstanceAccess", "v3"],
        ["AWSCloudMapFullAccess", "v2"],
        ["AWSCloudMapReadOnlyAccess", "v2"],
      ]),
    );
    expect(await text(["servicediscovery", "get-operation", "--operation-id", delOp, "--query", "Operation.[Type,Status]"])).toBe("DELETE_NAMESPACE\tSUCCESS");
  });
});
