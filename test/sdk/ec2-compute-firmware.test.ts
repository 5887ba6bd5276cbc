import { createPublicKey } from "node:crypto";
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  GetInstanceTpmEkPubCommand,
  GetInstanceUefiDataCommand,
  RegisterImageCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { describeInstance, runOne } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

/** A variable store as AWS hands it out: base64 of a binary blob (here any bytes; awsim keeps it as given). */
const UEFI = Buffer.from("AMZNUEFI\x00\x01\x02\x03awsim variable store").toString("base64");

async function register(extra: Record<string, unknown>, name: string) {
  const v = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }));
  const snap = (await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId! }))).SnapshotId!;
  return (
    await sim.ec2.send(
      new RegisterImageCommand({
        Name: name,
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snap } }],
        ...extra,
      }),
    )
  ).ImageId!;
}

describe("UEFI data and NitroTPM", () => {
  it("RegisterImage keeps BootMode, TpmSupport and UefiData; instances carry them; GetInstanceUefiData returns the store", async () => {
    const ami = await register({ BootMode: "uefi", TpmSupport: "v2.0", UefiData: UEFI }, "tpm-image");
    const img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!;
    expect(img.BootMode).toBe("uefi");
    expect(img.TpmSupport).toBe("v2.0");
    const byMode = await sim.ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "boot-mode", Values: ["uefi"] }] }));
    expect(byMode.Images!.map((x) => x.ImageId)).toEqual([ami]);
    const attr = (name: string) => sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: ami, Attribute: name as never }));
    expect((await attr("uefiData")).UefiData).toEqual({ Value: UEFI });
    expect((await attr("tpmSupport")).TpmSupport).toEqual({ Value: "v2.0" });
    expect((await attr("bootMode")).BootMode).toEqual({ Value: "uefi" });

    const i = await runOne(sim.ec2, { ImageId: ami, InstanceType: "m6i.large" });
    const d = await describeInstance(sim.ec2, i.InstanceId!);
    expect([d.BootMode, d.CurrentInstanceBootMode, d.TpmSupport]).toEqual(["uefi", "uefi", "v2.0"]);
    const byTpm = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tpm-support", Values: ["v2.0"] }] }));
    expect(byTpm.Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId))).toEqual([i.InstanceId]);
    const u = await sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: i.InstanceId! }));
    expect(u).toMatchObject({ InstanceId: i.InstanceId, UefiData: UEFI });

    // An AMI made from the instance, and a copy of it, keep the settings and the store.
    const made = (await sim.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId!, Name: "from-instance" }))).ImageId!;
    const copy = (await sim.ec2.send(new CopyImageCommand({ SourceImageId: made, SourceRegion: "us-east-1", Name: "copied" }))).ImageId!;
    for (const id of [made, copy]) {
      expect((await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "uefiData" }))).UefiData).toEqual({ Value: UEFI });
      expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.TpmSupport).toBe("v2.0");
    }
  });

  it("an instance whose AMI has no UEFI data answers without it; NitroTPM needs a TpmSupport AMI; unknown and terminated instances", async () => {
    const i = await runOne(sim.ec2);
    const d = await describeInstance(sim.ec2, i.InstanceId!);
    expect(d.TpmSupport).toBeUndefined();
    expect(d.CurrentInstanceBootMode).toBe("uefi"); // uefi-preferred on a Nitro type boots UEFI (recorded)
    const u = await sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: i.InstanceId! }));
    expect(u.InstanceId).toBe(i.InstanceId);
    expect(u.UefiData).toBeUndefined();
    await expectAwsError(sim.ec2.send(new GetInstanceTpmEkPubCommand({ InstanceId: i.InstanceId!, KeyType: "rsa-2048", KeyFormat: "der" })), {
      name: "UnsupportedOperation",
      status: 400,
      message: `The instance '${i.InstanceId}' does not have NitroTPM enabled.`,
    });
    // UEFI boot without NitroTPM: the store, but no endorsement key.
    const ami = await register({ BootMode: "uefi", UefiData: UEFI }, "uefi-only");
    const j = await runOne(sim.ec2, { ImageId: ami });
    expect((await sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: j.InstanceId! }))).UefiData).toBe(UEFI);
    await expectAwsError(sim.ec2.send(new GetInstanceTpmEkPubCommand({ InstanceId: j.InstanceId!, KeyType: "rsa-2048", KeyFormat: "tpmt" })), {
      name: "UnsupportedOperation",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: "i-0123456789abcdef0" })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: "i-xyz" })), { name: "InvalidInstanceID.Malformed", status: 400 });
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [j.InstanceId!] }));
    await expectAwsError(sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: j.InstanceId! })), { name: "InvalidInstanceID.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new GetInstanceUefiDataCommand({ InstanceId: i.InstanceId!, DryRun: true })), { name: "DryRunOperation", status: 412 });

    await expectAwsError(
      sim.ec2.send(new RegisterImageCommand({ Name: "bad-tpm", RootDeviceName: "/dev/xvda", BootMode: "legacy-bios", TpmSupport: "v2.0" })),
      {
        name: "InvalidParameterCombination",
        status: 400,
      },
    );
    await expectAwsError(register({ UefiData: "not base64!" }, "bad-uefi"), { name: "InvalidParameterValue", status: 400 });
  });

  it("GetInstanceTpmEkPub: a real key per instance and key type, as DER SubjectPublicKeyInfo or TPMT_PUBLIC", async () => {
    const ami = await register({ BootMode: "uefi", TpmSupport: "v2.0" }, "tpm-keys");
    const a = (await runOne(sim.ec2, { ImageId: ami })).InstanceId!;
    const b = (await runOne(sim.ec2, { ImageId: ami })).InstanceId!;
    const ek = async (InstanceId: string, KeyType: "rsa-2048" | "ecc-sec-p384", KeyFormat: "der" | "tpmt") => {
      const r = await sim.ec2.send(new GetInstanceTpmEkPubCommand({ InstanceId, KeyType, KeyFormat }));
      expect(r).toMatchObject({ InstanceId, KeyType, KeyFormat });
      return Buffer.from(r.KeyValue!, "base64");
    };

    const rsaDer = await ek(a, "rsa-2048", "der");
    const rsa = createPublicKey({ key: rsaDer, format: "der", type: "spki" });
    expect(rsa.asymmetricKeyType).toBe("rsa");
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect((await ek(a, "rsa-2048", "der")).equals(rsaDer)).toBe(true);
    expect((await ek(b, "rsa-2048", "der")).equals(rsaDer)).toBe(false);
    const rsaTpmt = await ek(a, "rsa-2048", "tpmt");
    // TPM_ALG_RSA, TPM_ALG_SHA256, EK attributes, 32-byte PolicySecret(TPM_RH_ENDORSEMENT), AES-128-CFB, NULL scheme, 2048 bits.
    expect(rsaTpmt.subarray(0, 10).toString("hex")).toBe("0001000b000300b20020");
    expect(rsaTpmt.subarray(10, 42).toString("hex")).toBe("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
    expect(rsaTpmt.subarray(42, 58).toString("hex")).toBe("00060080004300100800000000000100");
    expect(rsaTpmt.subarray(58).equals(Buffer.from(rsa.export({ format: "jwk" }).n!, "base64url"))).toBe(true);

    const ecDer = await ek(a, "ecc-sec-p384", "der");
    const ec = createPublicKey({ key: ecDer, format: "der", type: "spki" });
    expect(ec.asymmetricKeyType).toBe("ec");
    expect(ec.asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    const ecTpmt = await ek(a, "ecc-sec-p384", "tpmt");
    expect(ecTpmt.subarray(0, 10).toString("hex")).toBe("0023000c000300b20030");
    const jwk = ec.export({ format: "jwk" });
    const point = ecTpmt.subarray(10 + 48 + 12);
    expect(point.toString("hex")).toBe(`0030${Buffer.from(jwk.x!, "base64url").toString("hex")}0030${Buffer.from(jwk.y!, "base64url").toString("hex")}`);
  });
});
