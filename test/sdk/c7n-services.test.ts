// Replays of cloud-custodian's tests (tests/test_efs.py, test_ecr.py, test_lambda.py, test_ecs.py, test_cwl.py),
// whose placebo recordings (tests/data/placebo/<test>/<service>.<Operation>_<n>.json) are real AWS answers.
import { CreateFileSystemCommand, DescribeFileSystemPolicyCommand, EFSClient, PutFileSystemPolicyCommand } from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ efs: new EFSClient(cfg) }));

describe("cloud-custodian EFS", () => {
  // test_efs.py test_enable_secure_transport_with_no_policy: the recorded PutFileSystemPolicy answer holds the
  // policy re-serialized by EFS ("{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n ..."), not the text sent.
  it("PutFileSystemPolicy and DescribeFileSystemPolicy answer the policy in EFS's layout", async () => {
    const { FileSystemId } = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "c7n-secure-transport" }));
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "efs-disable-unencrpted-traffic-statement",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };
    const expected =
      '{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Sid" : "efs-disable-unencrpted-traffic-statement",\n' +
      '    "Effect" : "Deny",\n    "Principal" : {\n      "AWS" : "*"\n    },\n    "Action" : "*",\n    "Condition" : {\n' +
      '      "Bool" : {\n        "aws:SecureTransport" : "false"\n      }\n    }\n  } ]\n}';
    const put = await sim.efs.send(new PutFileSystemPolicyCommand({ FileSystemId, Policy: JSON.stringify(policy) }));
    expect(put).toMatchObject({ FileSystemId, Policy: expected });
    const got = await sim.efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId }));
    expect(got.Policy).toBe(expected);
    expect(JSON.parse(got.Policy!)).toEqual(policy);
  });
});
