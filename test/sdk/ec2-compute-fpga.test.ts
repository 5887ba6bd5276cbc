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
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const BUCKET = "fpga-designs";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await sim.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "dcp/design.tar", Body: Buffer.alloc(1024) }));
});

const create = async (Name = "accel") =>
  sim.ec2.send(
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
    const d = (await sim.ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: [r.FpgaImageId!] }))).FpgaImages![0]!;
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
    const copy = await sim.ec2.send(new CopyFpgaImageCommand({ SourceFpgaImageId: r.FpgaImageId!, SourceRegion: "us-east-1", Name: "accel-copy" }));
    expect(copy.FpgaImageId).not.toBe(r.FpgaImageId);
    const byName = await sim.ec2.send(new DescribeFpgaImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: ["accel-copy"] }] }));
    expect(byName.FpgaImages!.map((x) => x.FpgaImageId)).toEqual([copy.FpgaImageId]);
    const byTag = await sim.ec2.send(new DescribeFpgaImagesCommand({ Filters: [{ Name: "tag:team", Values: ["hw"] }] }));
    expect(byTag.FpgaImages!.map((x) => x.FpgaImageId)).toEqual([r.FpgaImageId]);
    await sim.ec2.send(new CreateTagsCommand({ Resources: [copy.FpgaImageId!], Tags: [{ Key: "team", Value: "hw" }] }));
    expect((await sim.ec2.send(new DescribeFpgaImagesCommand({ Filters: [{ Name: "tag:team", Values: ["hw"] }] }))).FpgaImages).toHaveLength(2);

    await sim.ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: r.FpgaImageId! }));
    await expectAwsError(sim.ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: [r.FpgaImageId!] })), {
      name: "InvalidFpgaImageID.NotFound",
      status: 400,
      message: `Image ID '${r.FpgaImageId}' not found`,
    });
    await expectAwsError(sim.ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: ["afi-06d0ffc989feeeXXX"] })), {
      name: "InvalidFpgaImageID.Malformed",
      status: 400,
      message: "Image ID 'afi-06d0ffc989feeeXXX' is invalid",
    });
    await expectAwsError(sim.ec2.send(new DescribeFpgaImagesCommand({ Owners: ["12345"] })), {
      name: "InvalidUserID.Malformed",
      status: 400,
      message: "User ID '12345' is invalid",
    });
    await expectAwsError(sim.ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: r.FpgaImageId! })), { name: "InvalidFpgaImageID.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateFpgaImageCommand({ InputStorageLocation: { Bucket: BUCKET, Key: "missing.tar" } })), {
      name: "InvalidParameter",
      status: 400,
    });
  });

  it("attributes: name, description, load permissions (shared AFIs show up for the other account), product codes", async () => {
    const r = await create();
    const id = r.FpgaImageId!;
    await sim.ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "name", Name: "renamed" }));
    const name = await sim.ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "name" }));
    expect(name.FpgaImageAttribute).toEqual({ FpgaImageId: id, Name: "renamed" });
    const perm = await sim.ec2.send(
      new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission", OperationType: "add", UserIds: ["111122223333"] }),
    );
    expect(perm.FpgaImageAttribute!.LoadPermissions).toEqual([{ UserId: "111122223333" }]);

    const other = new EC2Client(clientConfig(sim.server, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    const shared = await other.send(new DescribeFpgaImagesCommand({}));
    expect(shared.FpgaImages!.map((x) => [x.FpgaImageId, x.OwnerId, x.Tags])).toEqual([[id, "000000000000", []]]);
    await expectAwsError(other.send(new DeleteFpgaImageCommand({ FpgaImageId: id })), { name: "InvalidFpgaImageID.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: id })), {
      name: "OperationNotPermitted",
      status: 400,
      message: "Operation not permitted for shared AFI",
    });

    await sim.ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, LoadPermission: { Add: [{ Group: "all" }] } }));
    expect((await sim.ec2.send(new DescribeFpgaImagesCommand({ FpgaImageIds: [id] }))).FpgaImages![0]!.Public).toBe(true);
    await sim.ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, LoadPermission: { Remove: [{ UserId: "111122223333" }] } }));
    await expectAwsError(sim.ec2.send(new DeleteFpgaImageCommand({ FpgaImageId: id })), {
      name: "OperationNotPermitted",
      status: 400,
      message: "Operation not permitted for public AFI",
    });
    await sim.ec2.send(new ResetFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission" }));
    expect(
      (await sim.ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission" }))).FpgaImageAttribute!.LoadPermissions,
    ).toEqual([]);
    expect((await other.send(new DescribeFpgaImagesCommand({}))).FpgaImages).toEqual([]);

    await sim.ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "productCodes", ProductCodes: ["abcdefgh12345678"] }));
    const codes = await sim.ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "productCodes" }));
    expect(codes.FpgaImageAttribute!.ProductCodes).toEqual([{ ProductCodeId: "abcdefgh12345678", ProductCodeType: "marketplace" }]);
    await expectAwsError(sim.ec2.send(new ModifyFpgaImageAttributeCommand({ FpgaImageId: id, Attribute: "loadPermission" })), {
      name: "MissingParameter",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeFpgaImageAttributeCommand({ FpgaImageId: "afi-0123456789abcdef0", Attribute: "name" })), {
      name: "InvalidFpgaImageID.NotFound",
      status: 400,
    });
  });
});
