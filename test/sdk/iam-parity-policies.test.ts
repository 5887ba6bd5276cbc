/** IAM managed policies: document validation in IAM's order, tags and version errors, as recorded against real AWS. */
import {
  CreatePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListPolicyVersionsCommand,
  ListPolicyTagsCommand,
  PutUserPolicyCommand,
  CreateUserCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const BUCKET = "arn:aws:s3:::example_bucket";
const ok = { Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET };
const v12 = (Statement: unknown, extra: object = {}) => JSON.stringify({ Version: "2012-10-17", Statement, ...extra });
const SYNTAX = "Syntax errors in policy.";
const VERSION = "Policy document must be version 2012-10-17 or greater.";
const LEGACY = "The policy failed legacy parsing";

describe("IAM policy parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
  let n = 0;
  const create = (PolicyDocument: string, extra: object = {}) => sim.iam.send(new CreatePolicyCommand({ PolicyName: `doc-${n++}`, PolicyDocument, ...extra }));

  it("rejects documents with the message IAM's checks give, in IAM's order", async () => {
    const cases: Array<[string, string]> = [
      ["not json", SYNTAX],
      [JSON.stringify({ Statement: ok }), VERSION],
      [JSON.stringify({ Version: "2008-10-17", Statement: ok }), VERSION],
      [JSON.stringify({ Version: "2013-10-17", Statement: ok }), SYNTAX],
      [v12([]), SYNTAX],
      [v12(ok, { Id: {} }), SYNTAX],
      [v12({ ...ok, Effect: "invalid" }), SYNTAX],
      [v12({ ...ok, Resource: { a: BUCKET } }), SYNTAX],
      [v12({ ...ok, Action: [[]] }), SYNTAX],
      [v12({ ...ok, Condition: { DateGreaterThan: { a: {} } } }), SYNTAX],
      // An operator IAM does not know is a syntax error unless its body is empty.
      [v12({ ...ok, Condition: { x: { a: "1" } } }), SYNTAX],
      [v12({ ...ok, Condition: { "ForAnyValue::StringEqualsIfExists": { a: "asf" } } }), SYNTAX],
      // Version comes before the legacy checks, which come before Sids and missing actions.
      [JSON.stringify({ Statement: { ...ok, Effect: "denY" } }), VERSION],
      [v12({ ...ok, Effect: "denY" }), LEGACY],
      [
        v12([
          { ...ok, Sid: "sdf", Effect: "aLLow" },
          { Sid: "sdf", Effect: "Allow" },
        ]),
        LEGACY,
      ],
      [v12({ Effect: "Allow", Condition: { DateGreaterThan: { a: "sdfdsf" } } }), LEGACY],
      [v12({ ...ok, Condition: { DateLessThanEquals: { a: "234-13" } } }), LEGACY],
      [v12({ ...ok, Condition: { DateLessThan: { a: "9223372036854775808" } } }), LEGACY],
      [v12({ ...ok, Resource: "arn:aws:s3::example_bucket" }), LEGACY],
      [v12({ ...ok, Resource: "arn:aws::fdsasf" }), LEGACY],
      [
        v12([
          { ...ok, Sid: "sdf" },
          { Sid: "sdf", Effect: "Allow" },
        ]),
        "Statement IDs (SID) in a single policy must be unique.",
      ],
      [v12([{ Effect: "Deny" }, ok]), "Policy statement must contain actions."],
      [v12({ Effect: "Allow", Action: "invalid" }), "Policy statement must contain resources."],
      // Resource formats come before action vendors.
      [v12({ ...ok, Action: "s:3:ListBucket", Resource: "sdfsadf" }), 'Resource sdfsadf must be in ARN format or "*".'],
      [v12({ ...ok, Resource: "" }), 'Resource  must be in ARN format or "*".'],
      [
        v12({ Effect: "Allow", NotAction: "s3s:ListBucket", Resource: "a:bsdfdsafsad" }),
        'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".',
      ],
      [v12({ ...ok, Resource: "aws:s3:::example_bucket" }), 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
      [
        v12({ ...ok, Resource: ["arn:error:s3:::example_bucket", "arn:error:s3::example_bucket"] }),
        'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
      ],
      [v12({ ...ok, Resource: "arn:aws" }), "Resource vendor must be fully qualified and cannot contain regexes."],
      [
        v12({ ...ok, Resource: "arn:aws:iam:::example_bucket" }),
        'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
      ],
      [
        v12({ ...ok, Resource: "arn:aws:iam:us-east-1::example_bucket" }),
        "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.",
      ],
      [v12({ ...ok, Resource: "arn:aws:s3:us-east-1::example_bucket" }), "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."],
      [v12({ ...ok, Action: "invalid" }), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
      [v12({ ...ok, Action: "a a:ListBucket" }), "Vendor a a is not valid"],
      [
        v12([
          { ...ok, Action: "s3s:ListBucket" },
          { ...ok, Action: "s:3s:ListBucket" },
        ]),
        "Actions/Condition can contain only one colon.",
      ],
    ];
    for (const [doc, message] of cases) await expectAwsError(create(doc), { name: "MalformedPolicyDocumentException", status: 400, message });
  });

  it("accepts what AWS accepts", async () => {
    const good = [
      v12({ ...ok, Action: "iam: asdf safdsf af " }),
      v12({ ...ok, Resource: "arn:aws:fdsasf" }),
      v12({ ...ok, Resource: "arn:aws:ec2:us-east-1::example_bucket" }),
      v12({ ...ok, Resource: "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point" }),
      v12({ ...ok, Condition: { a: {} } }),
      v12({ ...ok, Condition: { DateGreaterThan: { a: "01T" } } }),
      v12({ ...ok, Condition: { DateLessThanEquals: { a: "2016-12-13t2:00:00.593194+23" } } }),
      v12({ ...ok, Condition: { DateLessThan: { a: "-292275054" } } }),
      v12([
        { Sid: "", ...ok },
        { Sid: "", ...ok },
      ]),
    ];
    for (const doc of good) expect((await create(doc)).Policy!.DefaultVersionId).toBe("v1");
    // Inline policies need no Version.
    await sim.iam.send(new CreateUserCommand({ UserName: "inline-user" }));
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "inline-user", PolicyName: "p", PolicyDocument: JSON.stringify({ Statement: ok }) }));
  });

  it("GetPolicy shows Tags even when empty; policy tag keys are case-sensitive and listed shortest first", async () => {
    const created = await create(v12(ok));
    expect(created.Policy!.Tags).toBeUndefined();
    const arn = created.Policy!.Arn!;
    expect((await sim.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.Tags).toEqual([]);
    const tagged = await create(v12(ok), {
      Tags: [
        { Key: "abc", Value: "first" },
        { Key: "b", Value: "second" },
        { Key: "z", Value: "third" },
        { Key: "a", Value: "fourth" },
        { Key: "A", Value: "upper" },
      ],
    });
    expect(tagged.Policy!.Tags!.map((t) => t.Key)).toEqual(["abc", "b", "z", "a", "A"]);
    const list = async () => (await sim.iam.send(new ListPolicyTagsCommand({ PolicyArn: tagged.Policy!.Arn! }))).Tags!.map((t) => t.Key);
    expect(await list()).toEqual(["A", "a", "b", "z", "abc"]);
    await sim.iam.send(new UntagPolicyCommand({ PolicyArn: tagged.Policy!.Arn!, TagKeys: ["a"] }));
    expect(await list()).toEqual(["A", "b", "z", "abc"]);
    const dup = [
      { Key: "a", Value: "1" },
      { Key: "a", Value: "2" },
    ];
    await expectAwsError(create(v12(ok), { Tags: dup }), { name: "InvalidInputException", status: 400, message: "Duplicate tag keys found." });
    await expectAwsError(sim.iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: dup })), {
      name: "InvalidInputException",
      status: 400,
      message: "Duplicate tag keys found.",
    });
    const missing = "arn:aws:iam::000000000000:policy/NotAPolicy";
    for (const p of [
      sim.iam.send(new TagPolicyCommand({ PolicyArn: missing, Tags: [{ Key: "k", Value: "v" }] })),
      sim.iam.send(new UntagPolicyCommand({ PolicyArn: missing, TagKeys: ["k"] })),
    ])
      await expectAwsError(p, { name: "NoSuchEntityException", status: 404, message: `Policy ${missing} was not found.` });
  });

  it("AWS managed policies as recorded: IAMUserChangePassword (v5, description), AmazonS3FullAccess (v1 then v2)", async () => {
    const p = (await sim.iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/IAMUserChangePassword" }))).Policy!;
    expect(p.DefaultVersionId).toBe("v5");
    expect(p.Description).toBe("Provides the ability for an IAM user to change their own password.");
    expect(p.Tags).toEqual([]);
    const s3 = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
    expect((await sim.iam.send(new ListPolicyVersionsCommand({ PolicyArn: s3 }))).Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ["v2", true],
      ["v1", false],
    ]);
    const v1 = (await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: s3, VersionId: "v1" }))).PolicyVersion!;
    expect(JSON.parse(decodeURIComponent(v1.Document!))).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
  });

  it("a missing policy's version is named in GetPolicyVersion and SetDefaultPolicyVersion", async () => {
    const missing = "arn:aws:iam::000000000000:policy/TestNonExistingPolicy";
    for (const p of [
      sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: missing, VersionId: "v1" })),
      sim.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: missing, VersionId: "v1" })),
    ])
      await expectAwsError(p, { name: "NoSuchEntityException", status: 404, message: `Policy ${missing} version v1 does not exist or is not attachable.` });
  });
});
