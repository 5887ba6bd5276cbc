/**
 * S3 as AWS's own code examples (awsdocs/aws-doc-sdk-examples: javascriptv3/example_code/s3,
 * python/example_code/s3, gov2/s3) expect it to answer, step by step, through the real SDK.
 */
import { CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }), iam: new IAMClient(cfg) }));
let n = 0;
let bucket = "";
beforeEach(async () => {
  bucket = `docex-${++n}`;
  await sim.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

const readPolicy = (b: string, principal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: principal }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::${b}/*`, `arn:aws:s3:::${b}`] },
    ],
  });

describe("PutBucketPolicy principals (python s3_basics/bucket_wrapper.py, javascriptv3 actions/put-bucket-policy.js)", () => {
  it("refuses an IAM user or role of the account that does not exist: MalformedPolicy 'Invalid principal in policy'", async () => {
    for (const principal of ["arn:aws:iam::000000000000:user/Martha", "arn:aws:iam::000000000000:role/demo-role"]) {
      const err = await expectAwsError(sim.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, principal) })), {
        name: "MalformedPolicy",
        status: 400,
      });
      expect(err.message).toBe("Invalid principal in policy");
    }
    await expectAwsError(sim.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), { name: "NoSuchBucketPolicy", status: 404 });
  });

  it("takes the policy once the user or role exists (a path in the ARN names the same user), and reads it back", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "Martha", Path: "/staff/" }));
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "demo-role",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    for (const principal of ["arn:aws:iam::000000000000:user/staff/Martha", "arn:aws:iam::000000000000:role/demo-role"]) {
      const put = await sim.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, principal) }));
      expect(put.$metadata.httpStatusCode).toBe(204);
      const got = await sim.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(JSON.parse(got.Policy!).Statement[0].Principal).toEqual({ AWS: principal });
      await sim.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }
  });

  it("takes the account root, '*', a service and another account's principals as given", async () => {
    for (const principal of ["arn:aws:iam::000000000000:root", "*", "111122223333", "arn:aws:iam::111122223333:user/Martha"]) {
      const put = await sim.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, principal) }));
      expect(put.$metadata.httpStatusCode).toBe(204);
    }
  });
});
