/** IAM temporary delegation across accounts, STS GetDelegatedAccessToken, and the Organizations access report of a standalone account. */
import {
  AcceptDelegationRequestCommand,
  AssociateDelegationRequestCommand,
  CreateAccessKeyCommand,
  CreateDelegationRequestCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GenerateOrganizationsAccessReportCommand,
  GetDelegationRequestCommand,
  GetHumanReadableSummaryCommand,
  GetOrganizationsAccessReportCommand,
  IAMClient,
  ListDelegationRequestsCommand,
  PutUserPolicyCommand,
  RejectDelegationRequestCommand,
  SendDelegationTokenCommand,
  UpdateDelegationRequestCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, GetDelegatedAccessTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientConfig, expectAwsError, startServer, type AwsimServer, useServer } from "../helpers.js";

const PARTNER = "111111111111";
const CUSTOMER = "222222222222";
const STRANGER = "333333333333";
const TOPIC = `arn:aws:sns:us-east-1:${PARTNER}:delegation-updates`;

const iamAs = (accessKeyId: string, secretAccessKey = "x") => new IAMClient(clientConfig(sim.server, { credentials: { accessKeyId, secretAccessKey } }));
let partner: IAMClient;
let customerRoot: IAMClient;
let stranger: IAMClient;
let admin: IAMClient;
let weak: IAMClient;
let templateArn: string;
const POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:ListBucket", "s3:GetObject"], Resource: "*" }] };

async function userClient(name: string, policy?: object): Promise<{ client: IAMClient; arn: string }> {
  const u = await customerRoot.send(new CreateUserCommand({ UserName: name }));
  if (policy) await customerRoot.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "p", PolicyDocument: JSON.stringify(policy) }));
  const k = await customerRoot.send(new CreateAccessKeyCommand({ UserName: name }));
  return { client: iamAs(k.AccessKey!.AccessKeyId!, k.AccessKey!.SecretAccessKey!), arn: u.User!.Arn! };
}

let adminArn: string;
const sim = useServer();
beforeAll(async () => {
  partner = iamAs(PARTNER);
  customerRoot = iamAs(CUSTOMER);
  stranger = iamAs(STRANGER);
  const p = await partner.send(new CreatePolicyCommand({ PolicyName: "partner-template", PolicyDocument: JSON.stringify(POLICY) }));
  templateArn = p.Policy!.Arn!;
  const a = await userClient("admin", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
  admin = a.client;
  adminArn = a.arn;
  weak = (await userClient("weak", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] })).client;
});

async function create(workflow: string, extra: Partial<ConstructorParameters<typeof CreateDelegationRequestCommand>[0]> = {}) {
  const out = await partner.send(
    new CreateDelegationRequestCommand({
      OwnerAccountId: CUSTOMER,
      Description: "Set up log shipping",
      Permissions: { PolicyTemplateArn: templateArn },
      RequestorWorkflowId: workflow,
      NotificationChannel: TOPIC,
      SessionDuration: 1800,
      ...extra,
    }),
  );
  return out.DelegationRequestId!;
}

describe("delegation requests", () => {
  it("go UNASSIGNED → ASSIGNED → PENDING_APPROVAL → ACCEPTED → FINALIZED, and the token becomes the approver's credentials", async () => {
    const t0 = Date.now();
    const made = await partner.send(
      new CreateDelegationRequestCommand({
        OwnerAccountId: CUSTOMER,
        Description: "Set up log shipping",
        Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: "BucketName", Values: ["logs-bucket"], Type: "string" }] },
        RequestMessage: "please",
        RequestorWorkflowId: "wf-main",
        RedirectUrl: "https://partner.example.com/return",
        NotificationChannel: TOPIC,
        SessionDuration: 1800,
      }),
    );
    const id = made.DelegationRequestId!;
    expect(id.length).toBeGreaterThanOrEqual(16);
    expect(made.ConsoleDeepLink).toContain(id);
    const fresh = (await partner.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    expect(fresh).toMatchObject({
      DelegationRequestId: id,
      OwnerAccountId: CUSTOMER,
      State: "UNASSIGNED",
      RequestorId: PARTNER,
      SessionDuration: 1800,
      RequestMessage: "please",
      RedirectUrl: "https://partner.example.com/return",
      Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: "BucketName", Values: ["logs-bucket"], Type: "string" }] },
    });
    expect(JSON.parse(fresh.PermissionPolicy!)).toEqual(POLICY);
    expect(fresh.ExpirationTime!.getTime() - fresh.CreateDate!.getTime()).toBe(86_400_000);
    expect(fresh.CreateDate!.getTime()).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000);

    // Another account can neither see nor claim it.
    await expectAwsError(stranger.send(new GetDelegationRequestCommand({ DelegationRequestId: id })), { name: "AccessDenied", status: 403 });
    await expectAwsError(stranger.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id })), { name: "AccessDenied", status: 403 });
    // Nobody owns it yet: the customer account cannot accept it.
    await expectAwsError(admin.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id })), { name: "AccessDenied", status: 403 });
    expect((await customerRoot.send(new ListDelegationRequestsCommand({}))).DelegationRequests ?? []).toEqual([]);

    await admin.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    const assigned = await admin.send(new GetDelegationRequestCommand({ DelegationRequestId: id, DelegationPermissionCheck: true }));
    expect(assigned.DelegationRequest).toMatchObject({ State: "ASSIGNED", OwnerId: adminArn, OwnerAccountId: CUSTOMER });
    expect(assigned.DelegationRequest!.ExpirationTime!.getTime() - assigned.DelegationRequest!.UpdatedTime!.getTime()).toBe(7 * 86_400_000);
    expect(assigned.PermissionCheckStatus).toBe("COMPLETE");
    expect(assigned.PermissionCheckResult).toBe("ALLOWED");
    const weakCheck = await weak.send(new GetDelegationRequestCommand({ DelegationRequestId: id, DelegationPermissionCheck: true }));
    expect(weakCheck.PermissionCheckResult).toBe("DENIED");
    await expectAwsError(admin.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id })), { name: "InvalidInputException", status: 400 });
    await expectAwsError(admin.send(new SendDelegationTokenCommand({ DelegationRequestId: id })), { name: "InvalidInputException", status: 400 });

    await admin.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: "needs security review" }));
    const pending = (await admin.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    expect(pending).toMatchObject({ State: "PENDING_APPROVAL", Notes: "needs security review" });

    await admin.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
    const accepted = (await partner.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    expect(accepted).toMatchObject({ State: "ACCEPTED", ApproverId: adminArn });

    await admin.send(new SendDelegationTokenCommand({ DelegationRequestId: id }));
    expect((await admin.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!.State).toBe("FINALIZED");

    // What IAM published to the partner's topic: each state, and the exchange token with FINALIZED.
    const notes = (await (await fetch(`${sim.server.url}/_awsim/iam/delegation-notifications?topicArn=${encodeURIComponent(TOPIC)}`)).json()) as {
      notifications: Array<{ delegationRequestId: string; state: string; exchangeToken?: string }>;
    };
    const mine = notes.notifications.filter((n) => n.delegationRequestId === id);
    expect(mine.map((n) => n.state)).toEqual(["ASSIGNED", "PENDING_APPROVAL", "ACCEPTED", "FINALIZED"]);
    const token = mine.at(-1)!.exchangeToken!;
    expect(token).toBeTruthy();

    const sts = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: PARTNER, secretAccessKey: "x" } }));
    const traded = await sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
    expect(traded.AssumedPrincipal).toBe(adminArn);
    const c = traded.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    const ttl = c.Expiration!.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(1790_000);
    expect(ttl).toBeLessThanOrEqual(1800_000);
    const delegated = new STSClient(
      clientConfig(sim.server, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }),
    );
    const me = await delegated.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(adminArn);
    expect(me.Account).toBe(CUSTOMER);

    // Lists: the owner account and the requestor see it; a stranger does not; OwnerId filters.
    const ownerList = await customerRoot.send(new ListDelegationRequestsCommand({}));
    expect(ownerList.DelegationRequests?.map((r) => r.DelegationRequestId)).toContain(id);
    expect((await partner.send(new ListDelegationRequestsCommand({}))).DelegationRequests?.map((r) => r.DelegationRequestId)).toContain(id);
    expect((await stranger.send(new ListDelegationRequestsCommand({}))).DelegationRequests ?? []).toEqual([]);
    expect((await customerRoot.send(new ListDelegationRequestsCommand({ OwnerId: `arn:aws:iam::${CUSTOMER}:user/weak` }))).DelegationRequests ?? []).toEqual(
      [],
    );

    // The summary is written from the request.
    const summary = await admin.send(new GetHumanReadableSummaryCommand({ EntityArn: `arn:aws:iam::${PARTNER}:delegation-request/${id}`, Locale: "en-US" }));
    expect(summary.SummaryState).toBe("AVAILABLE");
    expect(summary.Locale).toBe("en-US");
    expect(summary.SummaryContent).toContain("s3:GetObject");
    expect(summary.SummaryContent).toContain("30 minutes");
    await expectAwsError(admin.send(new GetHumanReadableSummaryCommand({ EntityArn: `arn:aws:iam::${CUSTOMER}:user/admin` })), {
      name: "InvalidInputException",
      status: 400,
    });
    await expectAwsError(admin.send(new GetHumanReadableSummaryCommand({ EntityArn: `arn:aws:iam::${PARTNER}:delegation-request/0000000000000000` })), {
      name: "NoSuchEntityException",
      status: 404,
    });
  });

  it("rejection, AWS's errors for bad input, and an unknown trade-in token", async () => {
    const id = await create("wf-reject");
    await admin.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    await admin.send(new RejectDelegationRequestCommand({ DelegationRequestId: id, Notes: "too broad" }));
    const r = (await partner.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    expect(r).toMatchObject({ State: "REJECTED", RejectionReason: "too broad" });
    await expectAwsError(admin.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id })), { name: "ConcurrentModificationException", status: 409 });
    await expectAwsError(create("wf-reject"), { name: "EntityAlreadyExistsException", status: 409 });
    await expectAwsError(create("wf-bad-topic", { NotificationChannel: "not-a-topic" }), { name: "InvalidInputException", status: 400 });
    await expectAwsError(partner.send(new GetDelegationRequestCommand({ DelegationRequestId: "0000000000000000" })), {
      name: "NoSuchEntityException",
      status: 404,
    });
    const sts = new STSClient(clientConfig(sim.server));
    await expectAwsError(sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: "nope" })), { name: "ExpiredTradeInTokenException", status: 400 });
  });

  it("a request with no owner account can be claimed by any account; requests and tokens expire on AWS's schedule", async () => {
    const open = await create("wf-open", { OwnerAccountId: undefined });
    const stale = await create("wf-stale");
    const traded = await create("wf-traded");
    await admin.send(new AssociateDelegationRequestCommand({ DelegationRequestId: traded }));
    await admin.send(new AcceptDelegationRequestCommand({ DelegationRequestId: traded }));
    await admin.send(new SendDelegationTokenCommand({ DelegationRequestId: traded }));
    const notes = (await (await fetch(`${sim.server.url}/_awsim/iam/delegation-notifications`)).json()) as {
      notifications: Array<{ delegationRequestId: string; exchangeToken?: string }>;
    };
    const token = notes.notifications.find((n) => n.delegationRequestId === traded && n.exchangeToken)!.exchangeToken!;
    // Any account sees an unowned request and may claim it; it then belongs to that account.
    expect((await stranger.send(new GetDelegationRequestCommand({ DelegationRequestId: open }))).DelegationRequest?.State).toBe("UNASSIGNED");
    await stranger.send(new AssociateDelegationRequestCommand({ DelegationRequestId: open }));
    const claimed = (await partner.send(new GetDelegationRequestCommand({ DelegationRequestId: open }))).DelegationRequest!;
    expect(claimed).toMatchObject({ State: "ASSIGNED", OwnerAccountId: STRANGER, OwnerId: `arn:aws:iam::${STRANGER}:root` });
    await expectAwsError(admin.send(new GetDelegationRequestCommand({ DelegationRequestId: open })), { name: "AccessDenied", status: 403 });

    const sts = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: PARTNER, secretAccessKey: "x" } }));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 86_400_000 });
    try {
      const s = (await partner.send(new GetDelegationRequestCommand({ DelegationRequestId: stale }))).DelegationRequest!;
      expect(s.State).toBe("EXPIRED");
      expect(s.ExpirationTime).toBeUndefined();
      // Two days after finalization the token still trades; eight days after, it has expired.
      expect((await sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }))).AssumedPrincipal).toBe(adminArn);
      vi.setSystemTime(Date.now() + 6 * 86_400_000);
      await expectAwsError(sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token })), { name: "ExpiredTradeInTokenException", status: 400 });
      expect((await partner.send(new GetDelegationRequestCommand({ DelegationRequestId: traded }))).DelegationRequest!.State).toBe("EXPIRED");
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("Organizations access report (standalone account)", () => {
  it("answers as IAM does for an account outside an organization", async () => {
    await expectAwsError(customerRoot.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: "o-a1b2c3d4e5/r-f6g7h8i9j0example" })), {
      name: "OrganizationNotFoundException",
      status: 400,
      message: "The request was rejected because no organization is associated with your account.",
    });
    await expectAwsError(customerRoot.send(new GetOrganizationsAccessReportCommand({ JobId: "examplea-1234-b567-cde8-90fg123abcd4" })), {
      name: "NoSuchEntityException",
      status: 404,
    });
  });
});

describe("delegated credentials under --enforce-iam", () => {
  let enforced: AwsimServer;
  afterAll(async () => {
    await enforced?.stop();
  });

  it("act as the approver, limited by the request's permission policy", async () => {
    enforced = await startServer({ enforceIam: true });
    const as = (accessKeyId: string, secretAccessKey = "x", sessionToken?: string) =>
      clientConfig(enforced, { credentials: { accessKeyId, secretAccessKey, sessionToken }, forcePathStyle: true });
    const partnerIam = new IAMClient(as(PARTNER));
    const rootIam = new IAMClient(as(CUSTOMER));
    const tpl = await partnerIam.send(new CreatePolicyCommand({ PolicyName: "tpl", PolicyDocument: JSON.stringify(POLICY) }));
    await rootIam.send(new CreateUserCommand({ UserName: "owner" }));
    await rootIam.send(
      new PutUserPolicyCommand({
        UserName: "owner",
        PolicyName: "p",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "s3:*", Resource: "*" },
            {
              Effect: "Allow",
              Action: ["iam:AssociateDelegationRequest", "iam:AcceptDelegationRequest", "iam:SendDelegationToken", "iam:GetDelegationRequest"],
              Resource: "*",
            },
          ],
        }),
      }),
    );
    const k = (await rootIam.send(new CreateAccessKeyCommand({ UserName: "owner" }))).AccessKey!;
    const owner = new IAMClient(as(k.AccessKeyId!, k.SecretAccessKey!));
    const ownerS3 = new S3Client(as(k.AccessKeyId!, k.SecretAccessKey!));
    await ownerS3.send(new CreateBucketCommand({ Bucket: "customer-data" }));
    await ownerS3.send(new PutObjectCommand({ Bucket: "customer-data", Key: "a.txt", Body: "hello" }));

    const id = (
      await partnerIam.send(
        new CreateDelegationRequestCommand({
          OwnerAccountId: CUSTOMER,
          Description: "read the data",
          Permissions: { PolicyTemplateArn: tpl.Policy!.Arn! },
          RequestorWorkflowId: "wf-enforced",
          NotificationChannel: TOPIC,
          SessionDuration: 900,
        }),
      )
    ).DelegationRequestId!;
    await owner.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    await owner.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
    await owner.send(new SendDelegationTokenCommand({ DelegationRequestId: id }));
    const notes = (await (await fetch(`${enforced.url}/_awsim/iam/delegation-notifications`)).json()) as {
      notifications: Array<{ delegationRequestId: string; exchangeToken?: string }>;
    };
    const token = notes.notifications.find((n) => n.delegationRequestId === id && n.exchangeToken)!.exchangeToken!;
    const c = (await new STSClient(as(PARTNER)).send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }))).Credentials!;
    const delegatedS3 = new S3Client(as(c.AccessKeyId!, c.SecretAccessKey!, c.SessionToken!));
    expect(await (await delegatedS3.send(new GetObjectCommand({ Bucket: "customer-data", Key: "a.txt" }))).Body!.transformToString()).toBe("hello");
    // The approver may write, but the delegated session's permission policy does not allow it.
    await expectAwsError(delegatedS3.send(new PutObjectCommand({ Bucket: "customer-data", Key: "b.txt", Body: "x" })), { name: "AccessDenied", status: 403 });
    await expectAwsError(delegatedS3.send(new DeleteBucketCommand({ Bucket: "customer-data" })), { name: "AccessDenied", status: 403 });
  });
});
