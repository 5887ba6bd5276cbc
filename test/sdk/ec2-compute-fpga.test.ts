import {
  CopyFpgaImageCommand,
  CreateFpgaImageCommand,
  CreateTagsCommand,
  DeleteFpgaImageCommand,
  DescribeFpgaImageAttributeCommand,
  DescribeFpgaImagesCommand,
  EC2Client,
  ModifyFpgaImageAttributeCommand,
  ResetFpgaImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer } from "../helpers.js";

let server: AwsimServer;
let ec2: EC2Client;
let s3: S3Client;
const BUCKET = "fpga-designs";

beforeAll(async () => {
  server = await startServer();
  ec2 = new EC2Client(clientConfig(server));
  s3 = new S3Client(clientConfig(server, { forcePathStyle: true }));
});
afterAll(() => server.stop());
beforeEach(async () => {
  await server.reset();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "dcp/design.tar", Body: Buffer.alloc(1024) }));
});

const create = async (Name = "accel") =>
  ec2.send(
    new CreateFpgaImageCommand({
      InputStorageLocation: { Bucket: BUCKET, Key: "dcp/design.tar" },
      LogsStorageLocation: { Bucket: BUCKET, Key: "logs/" },
      Name,
      Description: "my accelerator",
      TagSpecifications: [{ ResourceType: "fpga-image", Tags: [{ Key: "team", Value: "hw" }] }],
    }),
  );

describe("FPGA images", () => {
  it("create from an S3 design checkpoint, describe with owners and filters, copy, delete", async () => {
    const r = await create();
    expect(r.FpgaImageId).toMatch(/^afi-[0-9a-f]{17}$/);
    expect(r.FpgaImageGlobalId).toMatch(/^agfi-[0-9a-f]{17}$/);
    const d = (await ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: [r.FpgaImageId!] }))).FpgaImages![0]!;
    expect(d).toMatchObject({
      FpgaImageId: r.FpgaImageId,
      FpgaImageGlobalId: r.FpgaImageGlobalId,
      Name: "accel",
      Description: "my accelerator",
      State: { Code: "available" },
      OwnerId: "000000000000",
      Public: false,
      Tags: [{ Key: "team", Value: "hw" }],
    });
    const copy = await ec2.send(new CopyFpgaImageCommand({ SourceFpgaImageId: r.FpgaImageId!, SourceRegion: "us-east-1", Name: "accel-copy" }));
    expect(copy.FpgaImageId).not.toBe(r.FpgaImageId);
    const byName = await ec2.send(new DescribeFpgaImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: ["accel-copy"] }] }));
    expect(byName.FpgaImages!.map((x) => x.FpgaImageId)).toEqual([copy.FpgaImageId]);
    const byTag = await ec2.send(new DescribeFpgaImagesCommand({ Filters: [{ Name: "tag:team", Values: ["hw"] }] }));
    expect(byTag.FpgaImages!.map((x) => x.FpgaImageId)).toEqual([r.FpgaImageId]);
    await ec2.send(new CreateTagsCommand({ Resources: [copy.FpgaImageId!], Tags: [{ Key: "team", Value: "hw" }] }));
    expect((await ec2.send(new DescribeFpgaImagesCommand({ Filters: [{ Name: "tag:team", Values: ["hw"] }] }))).FpgaImages).toHaveLength(2);

    await ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: r.FpgaImageId! }));
    await expectAwsError(ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: [r.FpgaImageId!] })), {
      name: "InvalidFpgaImageID.NotFound",
      status: 400,
      message: `Image ID '${r.FpgaImageId}' not found`,
    });
    await expectAwsError(ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: ["afi-06d0ffc989feeeXXX"] })), {
      name: "InvalidFpgaImageID.Malformed",
      status: 400,
      message: "Image ID 'afi-06d0ffc989feeeXXX' is invalid",
    });
    await expectAwsError(ec2.send(new DescribeFpgaImagesCommand({ Owners: ["12345"] })), {
      name: "InvalidUserID.Malformed",
      status: 400,
      message: "User ID '12345' is invalid",
    });
    await expectAwsError(ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: r.FpgaImageId! })), { name: "InvalidFpgaImageID.NotFound", status: 400 });
    await expectAwsError(ec2.send(new CreateFpgaImageCommand({ InputStorageLocation: { Bucket: BUCKET, Key: "missing.tar" } })), {
      name: "InvalidParameter",
      status: 400,
    });
  });

  it("attributes: name, description, load permissions (shared AFIs show up for the other account), product codes", async () => {
    const r = await create();
    const id = r.FpgaImageId!;
    await ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "name", Name: "renamed" }));
    const name = await ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "name" }));
    expect(name.FpgaImageAttribute).toEqual({ FpgaImageId: id, Name: "renamed" });
    const perm = await ec2.send(
      new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission", OperationType: "add", UserIds: ["111122223333"] }),
    );
    expect(perm.FpgaImageAttribute!.LoadPermissions).toEqual([{ UserId: "111122223333" }]);

    const other = new EC2Client(clientConfig(server, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    const shared = await other.send(new DescribeFpgaImagesCommand({}));
    expect(shared.FpgaImages!.map((x) => [x.FpgaImageId, x.OwnerId, x.Tags])).toEqual([[id, "000000000000", []]]);
    await expectAwsError(other.send(new DeleteFpgaImageCommand({ FpgaImageId: id })), { name: "InvalidFpgaImageID.NotFound", status: 400 });
    await expectAwsError(ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: id })), {
      name: "OperationNotPermitted",
      status: 400,
      message: "Operation not permitted for shared AFI",
    });

    await ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, LoadPermission: { Add: [{ Group: "all" }] } }));
    expect((await ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: [id] }))).FpgaImages![0]!.Public).toBe(true);
    await ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, LoadPermission: { Remove: [{ UserId: "111122223333" }] } }));
    await expectAwsError(ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: id })), {
      name: "OperationNotPermitted",
      status: 400,
      message: "Operation not permitted for public AFI",
    });
    await ec2.send(new ResetFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission" }));
    expect(
      (await ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission" }))).FpgaImageAttribute!.LoadPermissions,
    ).toEqual([]);
    expect((await other.send(new DescribeFpgaImagesCommand({}))).FpgaImages).toEqual([]);

    await ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "productCodes", ProductCodes: ["abcdefgh12345678"] }));
    const codes = await ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "productCodes" }));
    expect(codes.FpgaImageAttribute!.ProductCodes).toEqual([{ ProductCodeId: "abcdefgh12345678", ProductCodeType: "marketplace" }]);
    await expectAwsError(ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission" })), {
      name: "MissingParameter",
      status: 400,
    });
    await expectAwsError(ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: "afi-0123456789abcdef0", Attribute: "name" })), {
      name: "InvalidFpgaImageID.NotFound",
      status: 400,
    });
  });
});
