/** IAM managed policy listings in AWS's order (LocalStack's AWS-validated IAM snapshots): policies come in creation order. */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const DOC = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket" } });
const EMR = "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole";
const CT = "arn:aws:iam::aws:policy/service-role/AWSControlTowerServiceRolePolicy";

describe("IAM policy listings as recorded", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("ListPolicies Scope=AWS starts with the oldest AWS managed policies, in creation order", async () => {
    const r = await sim.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 5 }));
    expect(r.IsTruncated).toBe(true);
    expect(r.Marker).toBeTruthy();
    expect(r.Policies).toHaveLength(5);
    expect(r.Policies!.slice(0, 4).map((p) => [p.PolicyName, p.DefaultVersionId])).toEqual([
      ["AdministratorAccess", "v1"],
      ["PowerUserAccess", "v12"],
      ["ReadOnlyAccess", expect.stringMatching(/^v1\d\d$/)],
      ["AWSCloudFormationReadOnlyAccess", "v7"],
    ]);
    for (const p of r.Policies!) expect(p).toMatchObject({ AttachmentCount: 0, IsAttachable: true, PermissionsBoundaryUsageCount: 0 });
    // The next page goes on from there without repeating.
    const next = await sim.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 5, Marker: r.Marker }));
    expect(next.Policies!.map((p) => p.Arn)).not.toContain(r.Policies![4].Arn);
    expect(next.Policies![0].CreateDate!.getTime()).toBeGreaterThanOrEqual(r.Policies![4].CreateDate!.getTime());
  });

  it("a role's attached AWS managed policies: AmazonElasticMapReduceRole before AWSControlTowerServiceRolePolicy", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "rec-attached", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "rec-attached", PolicyArn: EMR }));
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "rec-attached", PolicyArn: CT }));
    const listed = await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "rec-attached" }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyArn: EMR, PolicyName: "AmazonElasticMapReduceRole" },
      { PolicyArn: CT, PolicyName: "AWSControlTowerServiceRolePolicy" },
    ]);
    expect(listed.IsTruncated).toBe(false);
    const details = await sim.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["Role"] }));
    expect(details.RoleDetailList!.find((r) => r.RoleName === "rec-attached")!.AttachedManagedPolicies!.map((p) => p.PolicyName)).toEqual([
      "AmazonElasticMapReduceRole",
      "AWSControlTowerServiceRolePolicy",
    ]);
    await sim.iam.send(new DetachRolePolicyCommand({ RoleName: "rec-attached", PolicyArn: EMR }));
    expect((await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "rec-attached" }))).AttachedPolicies).toEqual([
      { PolicyArn: CT, PolicyName: "AWSControlTowerServiceRolePolicy" },
    ]);
    await expectAwsError(sim.iam.send(new DetachRolePolicyCommand({ RoleName: "rec-attached", PolicyArn: EMR })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `Policy ${EMR} was not found.`,
    });
  });

  it("customer managed policies created in the same second page in creation order without gaps or repeats", async () => {
    const names = ["zeta", "alpha", "mid", "Beta", "omega"].map((n) => `rec-order-${n}`);
    for (const PolicyName of names) await sim.iam.send(new CreatePolicyCommand({ PolicyName, PolicyDocument: DOC, Path: "/rec-order/" }));
    const seen: string[] = [];
    let Marker: string | undefined;
    do {
      const r = await sim.iam.send(new ListPoliciesCommand({ Scope: "Local", PathPrefix: "/rec-order/", MaxItems: 2, Marker }));
      seen.push(...r.Policies!.map((p) => p.PolicyName!));
      Marker = r.IsTruncated ? r.Marker : undefined;
    } while (Marker);
    expect(seen).toEqual(names);
  });
});
