/**
 * GetBucketPolicyStatus, which no other test got an answer from. "Public" is what the S3 User Guide's "The meaning of
 * public" says (docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html): S3 assumes a
 * bucket policy is public unless every statement that allows grants access only to fixed values (no wildcard, no
 * policy variable) of a principal or of aws:SourceIp (no broader than /8 for IPv4, /32 for IPv6), aws:SourceArn,
 * aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid, s3:DataAccessPointArn or
 * s3:DataAccessPointAccount; the guide's three example statements are used as they are. The deprecated lifecycle and
 * notification operations, which the JS SDK v3 has no commands for, are in test/cli/s3-untested.test.ts (boto3).
 */
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }), cfg }));
const ACCOUNT = "000000000000";

const policy = (bucket: string, ...statements: Array<Record<string, unknown>>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s, i) => ({ Sid: `S${i}`, Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*`, ...s })),
  });

async function statusOf(bucket: string, doc: string): Promise<boolean | undefined> {
  await t.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: doc }));
  const out = await t.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
  expect(out.$metadata.httpStatusCode).toBe(200);
  return out.PolicyStatus?.IsPublic;
}

describe("GetBucketPolicyStatus", () => {
  it("answers NoSuchBucketPolicy without a policy and NoSuchBucket for an unknown bucket", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "ps-none" }));
    await expectAwsError(t.s3.send(new GetBucketPolicyStatusCommand({ Bucket: "ps-none" })), {
      name: "NoSuchBucketPolicy",
      status: 404,
      message: "The bucket policy does not exist",
    });
    await expectAwsError(t.s3.send(new GetBucketPolicyStatusCommand({ Bucket: "ps-no-such-bucket" })), { name: "NoSuchBucket", status: 404 });
  });

  it("the guide's examples: Principal * is public, narrowed by a wildcard value too; a fixed aws:SourceVpc is not", async () => {
    const b = "ps-guide";
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    expect(await statusOf(b, policy(b, { Principal: "*", Action: "s3:PutObject" }))).toBe(true);
    expect(await statusOf(b, policy(b, { Principal: "*", Action: "s3:PutObject", Condition: { StringLike: { "aws:SourceVpc": "vpc-*" } } }))).toBe(true);
    expect(await statusOf(b, policy(b, { Principal: "*", Action: "s3:PutObject", Condition: { StringEquals: { "aws:SourceVpc": "vpc-91237329" } } }))).toBe(
      false,
    );
  });

  it("fixed principals are not public; wildcards, variables and conditions on other keys are", async () => {
    const b = "ps-principals";
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    expect(await statusOf(b, policy(b, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }))).toBe(false);
    expect(await statusOf(b, policy(b, { Principal: { AWS: ["111122223333", "444455556666"] } }))).toBe(false);
    expect(await statusOf(b, policy(b, { Principal: { Service: "cloudtrail.amazonaws.com" } }))).toBe(false);
    expect(await statusOf(b, policy(b, { Principal: { AWS: "*" } }))).toBe(true);
    expect(await statusOf(b, policy(b, { Principal: { AWS: ["111122223333", "*"] } }))).toBe(true);
    // A condition on a key that names nobody does not make a statement non-public.
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }))).toBe(true);
    // A policy variable is not a fixed value.
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": "${aws:PrincipalAccount}" } } }))).toBe(true);
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }))).toBe(false);
    expect(
      await statusOf(b, policy(b, { Principal: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } } })),
    ).toBe(false);
    // Only statements that allow count.
    expect(await statusOf(b, policy(b, { Effect: "Deny", Principal: "*", Action: "s3:DeleteObject" }))).toBe(false);
  });

  it("aws:SourceIp: a CIDR of /8 or narrower is fixed, a broader one is public", async () => {
    const b = "ps-ip";
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { IpAddress: { "aws:SourceIp": ["192.0.2.0/24", "10.0.0.0/8"] } } }))).toBe(false);
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/1" } } }))).toBe(true);
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { IpAddress: { "aws:SourceIp": "2001:db8::/32" } } }))).toBe(false);
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { IpAddress: { "aws:SourceIp": "2001::/16" } } }))).toBe(true);
    // Excluding addresses limits nothing.
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" } } }))).toBe(true);
  });

  it("one public statement makes the whole policy public (the guide's CloudTrail, Account-2 and Principal * example)", async () => {
    const b = "ps-mixed";
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    const fixed = [{ Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject" }, { Principal: { AWS: "arn:aws:iam::111122223333:root" } }];
    expect(await statusOf(b, policy(b, ...fixed))).toBe(false);
    expect(await statusOf(b, policy(b, ...fixed, { Principal: "*" }))).toBe(true);
  });

  it("BlockPublicPolicy refuses the policies GetBucketPolicyStatus calls public and takes the others", async () => {
    const b = "ps-blocked";
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.s3.send(new PutPublicAccessBlockCommand({ Bucket: b, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    const wildcardVpc = policy(b, { Principal: "*", Condition: { StringLike: { "aws:SourceVpc": "vpc-*" } } });
    await expectAwsError(t.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: wildcardVpc })), { name: "AccessDenied", status: 403 });
    await expectAwsError(t.s3.send(new GetBucketPolicyStatusCommand({ Bucket: b })), { name: "NoSuchBucketPolicy", status: 404 });
    expect(await statusOf(b, policy(b, { Principal: "*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-91237329" } } }))).toBe(false);
  });
});

describe("a bucket policy naming another account's role", () => {
  it("lets that role's sessions read (the role's path does not matter), not the account's root", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "role-shared" }));
    await t.s3.send(new PutObjectCommand({ Bucket: "role-shared", Key: "k", Body: "data" }));
    await t.s3.send(
      new PutBucketPolicyCommand({
        Bucket: "role-shared",
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::565656565656:role/etl/reader" },
              Action: "s3:GetObject",
              Resource: "arn:aws:s3:::role-shared/*",
            },
          ],
        }),
      }),
    );
    const as = (accessKeyId: string, secretAccessKey = "x", sessionToken?: string) => ({
      ...t.cfg,
      credentials: { accessKeyId, secretAccessKey, sessionToken },
    });
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::565656565656:root" }, Action: "sts:AssumeRole" }] };
    await new IAMClient(as("565656565656")).send(new CreateRoleCommand({ RoleName: "reader", Path: "/etl/", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const c = (
      await new STSClient(as("565656565656")).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::565656565656:role/etl/reader", RoleSessionName: "job" }))
    ).Credentials!;
    const session = new S3Client({ ...as(c.AccessKeyId!, c.SecretAccessKey!, c.SessionToken!), forcePathStyle: true });
    expect(await (await session.send(new GetObjectCommand({ Bucket: "role-shared", Key: "k" }))).Body!.transformToString()).toBe("data");
    const root = new S3Client({ ...as("565656565656"), forcePathStyle: true });
    await expectAwsError(root.send(new GetObjectCommand({ Bucket: "role-shared", Key: "k" })), { name: "AccessDenied", status: 403 });
  });
});
