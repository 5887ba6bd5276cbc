/** IAM account-wide answers recorded against real AWS (LocalStack's AWS-validated IAM snapshots). */
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, paginateGetAccountAuthorizationDetails } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

describe("IAM GetAccountAuthorizationDetails as recorded", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("lists an attached AWS managed policy with its version history but without its Description", async () => {
    const s3Full = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
    await sim.iam.send(new CreateUserCommand({ UserName: "details-user" }));
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "details-user", PolicyArn: s3Full }));
    const policies = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: sim.iam }, { Filter: ["AWSManagedPolicy"] }))
      policies.push(...(page.Policies ?? []));
    const p = policies.find((x) => x.Arn === s3Full);
    expect(p).toBeDefined();
    expect(p).not.toHaveProperty("Description");
    expect(p).toMatchObject({ PolicyName: "AmazonS3FullAccess", DefaultVersionId: "v2", AttachmentCount: 1, IsAttachable: true, Path: "/" });
    expect(p?.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ["v2", true],
      ["v1", false],
    ]);
    expect(JSON.parse(decodeURIComponent(p?.PolicyVersionList?.[0].Document ?? "")).Statement[0].Action).toEqual(["s3:*", "s3-object-lambda:*"]);
  });

  it("lists a customer managed policy without its Description as well", async () => {
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] });
    await sim.iam.send(new CreatePolicyCommand({ PolicyName: "details-local", PolicyDocument: doc, Description: "described" }));
    const policies = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: sim.iam }, { Filter: ["LocalManagedPolicy"] }))
      policies.push(...(page.Policies ?? []));
    const p = policies.find((x) => x.PolicyName === "details-local");
    expect(p).toMatchObject({ DefaultVersionId: "v1", AttachmentCount: 0 });
    expect(p).not.toHaveProperty("Description");
  });
});
