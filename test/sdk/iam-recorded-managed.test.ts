/** IAM AWS managed policies: answers recorded against real AWS (LocalStack's AWS-validated IAM snapshots). */
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("IAM managed policies as recorded", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
  const arn = "arn:aws:iam::aws:policy/job-function/SystemAdministrator";

  it("job-function/SystemAdministrator exists at v12 with AWS's description and document", async () => {
    const { Policy } = await sim.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(Policy).toMatchObject({
      PolicyName: "SystemAdministrator",
      Path: "/job-function/",
      DefaultVersionId: "v12",
      Description: "Grants full access permissions necessary for resources required for application and development operations.",
      AttachmentCount: 0,
      IsAttachable: true,
      Tags: [],
    });
    const { PolicyVersion } = await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v12" }));
    expect(PolicyVersion?.IsDefaultVersion).toBe(true);
    const doc = JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ""));
    expect(doc.Statement).toHaveLength(5);
    expect(doc.Statement[0].Action).toHaveLength(168);
    expect(doc.Statement[0].Action.slice(0, 3)).toEqual(["acm:Describe*", "acm:Get*", "acm:List*"]);
    expect(doc.Statement[2]).toEqual({ Effect: "Allow", Action: "s3:*", Resource: ["*"] });
    expect(doc.Statement[4].Resource).toEqual([
      "arn:aws:iam::*:role/rds-monitoring-role",
      "arn:aws:iam::*:role/ec2-sysadmin-*",
      "arn:aws:iam::*:role/ecr-sysadmin-*",
      "arn:aws:iam::*:role/lambda-sysadmin-*",
    ]);
  });

  it("a version id that is no version id is a validation error; a missing version is NoSuchEntity", async () => {
    await expectAwsError(sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2-does-not-exist" })), {
      name: "ValidationError",
      status: 400,
      message:
        "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
    });
    await expectAwsError(sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v13" })), {
      name: "NoSuchEntityException",
      status: 404,
    });
  });
});
