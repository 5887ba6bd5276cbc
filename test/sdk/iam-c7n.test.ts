/**
 * IAM and STS as cloud-custodian's tests recorded them against real AWS (tests/data/placebo/<test>/iam.*.json,
 * replayed by tests/test_iam.py and tests/test_account.py).
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetPolicyVersionCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  SimulatePrincipalPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

describe("IAM as cloud-custodian recorded it", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  // test_iam_user_delete: c7n's delete action removes the console password first and ignores NoSuchEntity.
  // c7n recorded "Cannot find Login Profile for User alice"; AWS answers as GetLoginProfile now (LocalStack's
  // AWS-validated test_login_profile_errors, 2026), and c7n only ignores the NoSuchEntity.
  it("DeleteLoginProfile of a user without a password answers AWS's own wording", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "alice", Path: "/test/" }));
    await expectAwsError(sim.iam.send(new DeleteLoginProfileCommand({ UserName: "alice" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "Login Profile for User alice cannot be found.",
    });
    await expectAwsError(sim.iam.send(new GetLoginProfileCommand({ UserName: "alice" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "Login Profile for User alice cannot be found.",
    });
    await sim.iam.send(new DeleteUserCommand({ UserName: "alice" }));
    expect((await sim.iam.send(new ListUsersCommand({ PathPrefix: "/test/" }))).Users).toEqual([]);
  });

  // test_iam_policy_allow_all: GetPolicyVersion of AdministratorAccess v1, AWS's text URL-encoded as recorded.
  it("AdministratorAccess v1 is AWS's exact two-space-indented document", async () => {
    const { PolicyVersion } = await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess", VersionId: "v1" }));
    expect(PolicyVersion?.Document).toBe(
      "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%7B%0A%20%20%20%20%20%20%22Effect%22%3A%20%22Allow%22%2C%0A%20%20%20%20%20%20%22Action%22%3A%20%22%2A%22%2C%0A%20%20%20%20%20%20%22Resource%22%3A%20%22%2A%22%0A%20%20%20%20%7D%0A%20%20%5D%0A%7D",
    );
    expect(PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(PolicyVersion?.CreateDate?.toISOString()).toBe("2015-02-06T18:39:46.000Z");
  });

  // test_iam_user_check_permissions: SimulatePrincipalPolicy of a user holding AdministratorAccess.
  it("SimulatePrincipalPolicy points at AdministratorAccess's statement where AWS does", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "kapil" }));
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "kapil", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    const r = await sim.iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: "arn:aws:iam::000000000000:user/kapil", ActionNames: ["sqs:CreateUser"] }),
    );
    expect(r.IsTruncated).toBe(false);
    expect(r.EvaluationResults).toEqual([
      {
        EvalActionName: "sqs:CreateUser",
        EvalResourceName: "*",
        EvalDecision: "allowed",
        MatchedStatements: [
          {
            SourcePolicyId: "AdministratorAccess",
            SourcePolicyType: "IAM Policy",
            StartPosition: { Line: 3, Column: 17 },
            EndPosition: { Line: 8, Column: 6 },
          },
        ],
        MissingContextValues: [],
      },
    ]);
  });

  // test_iam_user_usage: c7n's usage filter polls GetServiceLastAccessedDetails until COMPLETED and matches
  // ServiceNamespace/TotalAuthenticatedEntities; unused services carry no LastAuthenticated* members.
  it("GetServiceLastAccessedDetails names S3 'Amazon S3' and omits the dates of unused services, as recorded", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "usage" }));
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "usage", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "usage" }))).AccessKey!;
    const credentials = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await new S3Client(clientConfig(sim.server, { credentials, forcePathStyle: true })).send(new ListBucketsCommand({}));
    const { JobId } = await sim.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: "arn:aws:iam::000000000000:user/usage" }));
    const r = await sim.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    expect(r).toMatchObject({ JobStatus: "COMPLETED", IsTruncated: false });
    const byNs = Object.fromEntries((r.ServicesLastAccessed ?? []).map((x) => [x.ServiceNamespace, x]));
    expect(byNs.s3).toMatchObject({
      ServiceName: "Amazon S3",
      LastAuthenticatedEntity: "arn:aws:iam::000000000000:user/usage",
      TotalAuthenticatedEntities: 1,
    });
    expect(byNs.s3?.LastAuthenticated?.getUTCSeconds()).toBe(0);
    expect(byNs.ec2).toEqual({ ServiceName: "Amazon EC2", ServiceNamespace: "ec2", TotalAuthenticatedEntities: 0 });
    expect(byNs.sts?.ServiceName).toBe("AWS Security Token Service");
    expect(byNs.logs?.ServiceName).toBe("Amazon CloudWatch Logs");
    expect(byNs.servicediscovery?.ServiceName).toBe("AWS Cloud Map");
  });
});

describe("IAM credential report as cloud-custodian recorded it", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  // test_iam_user_unused_keys: c7n's credential filter asks for the report, generates one on ReportNotPresent,
  // then reads the CSV, whose user rows AWS orders by name ignoring case (charmworld, Hazmat, kaleb, kapilt ...).
  it("ReportNotPresent, then STARTED, then rows in case-insensitive name order", async () => {
    for (const UserName of ["kaleb", "Hazmat", "charmworld"]) await sim.iam.send(new CreateUserCommand({ UserName }));
    await expectAwsError(sim.iam.send(new GetCredentialReportCommand({})), { name: "CredentialReportNotPresentException", status: 410 });
    expect(await sim.iam.send(new GenerateCredentialReportCommand({}))).toMatchObject({
      State: "STARTED",
      Description: "No report exists. Starting a new report generation task",
    });
    const r = await sim.iam.send(new GetCredentialReportCommand({}));
    expect(r.ReportFormat).toBe("text/csv");
    const users = Buffer.from(r.Content!)
      .toString()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect(users).toEqual(["<root_account>", "charmworld", "Hazmat", "kaleb"]);
  });

  // test_iam_user_credential_reverse_filter_delete: ListAccessKeys answered a 2019 key before a 2018 one, and the
  // report showed the 2019 key as access_key_1: a new key takes the slot a deleted key freed (c7n's remove-keys
  // matches report columns to ListAccessKeys by last_rotated == CreateDate).
  it("a key created after deleting key 1 becomes key 1, in ListAccessKeys and in the report", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "zscholl" }));
    const make = async () => (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "zscholl" }))).AccessKey!.AccessKeyId!;
    const first = await make();
    const second = await make();
    await sim.iam.send(new UpdateAccessKeyCommand({ UserName: "zscholl", AccessKeyId: second, Status: "Inactive" }));
    await sim.iam.send(new DeleteAccessKeyCommand({ UserName: "zscholl", AccessKeyId: first }));
    const third = await make();
    const listed = (await sim.iam.send(new ListAccessKeysCommand({ UserName: "zscholl" }))).AccessKeyMetadata ?? [];
    expect(listed.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [third, "Active"],
      [second, "Inactive"],
    ]);
    expect((await sim.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("COMPLETE");
    const csv = Buffer.from((await sim.iam.send(new GetCredentialReportCommand({}))).Content!).toString();
    const [header, ...rows] = csv.split("\n").map((l) => l.split(","));
    const row = Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === "zscholl")![i]]));
    expect([row.access_key_1_active, row.access_key_2_active]).toEqual(["true", "false"]);

    await sim.iam.send(new DeleteAccessKeyCommand({ UserName: "zscholl", AccessKeyId: third }));
    const left = (await sim.iam.send(new ListAccessKeysCommand({ UserName: "zscholl" }))).AccessKeyMetadata ?? [];
    expect(left.map((k) => k.AccessKeyId)).toEqual([second]);
    expect(await make()).toBe((await sim.iam.send(new ListAccessKeysCommand({ UserName: "zscholl" }))).AccessKeyMetadata?.[0]?.AccessKeyId);
  });
});
