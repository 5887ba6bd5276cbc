import { constants, privateDecrypt } from "node:crypto";
import {
  AssociateInstanceEventWindowCommand,
  CreateInstanceEventWindowCommand,
  CreateKeyPairCommand,
  DeleteInstanceEventWindowCommand,
  DeregisterInstanceEventNotificationAttributesCommand,
  DescribeInstanceEventNotificationAttributesCommand,
  DescribeInstanceEventWindowsCommand,
  DisableSerialConsoleAccessCommand,
  DisassociateInstanceEventWindowCommand,
  EC2Client,
  EnableSerialConsoleAccessCommand,
  GetConsoleScreenshotCommand,
  GetDefaultCreditSpecificationCommand,
  GetInstanceMetadataDefaultsCommand,
  GetPasswordDataCommand,
  GetSerialConsoleAccessStatusCommand,
  ModifyDefaultCreditSpecificationCommand,
  ModifyInstanceCapacityReservationAttributesCommand,
  ModifyInstanceCpuOptionsCommand,
  ModifyInstanceEventWindowCommand,
  ModifyInstanceMaintenanceOptionsCommand,
  ModifyInstanceMetadataDefaultsCommand,
  RegisterInstanceEventNotificationAttributesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const WINDOWS = "ami-05b4ded3ceb71e470";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

/** PKCS#1 v1.5 decryption (Node refuses the padding mode for private decryption): raw RSA, then unpad. */
function decrypt(pem: string, b64: string): string {
  const raw = privateDecrypt({ key: pem, padding: constants.RSA_NO_PADDING }, Buffer.from(b64.trim(), "base64"));
  expect([raw[0], raw[1]]).toEqual([0, 2]);
  return raw.subarray(raw.indexOf(0, 2) + 1).toString();
}

const run = async (extra: Record<string, unknown> = {}) =>
  (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "m5.large", ...extra }))).Instances![0]!.InstanceId!;

describe("account-level instance settings", () => {
  it("instance metadata defaults: set, read, clear with no-preference", async () => {
    expect((await sim.ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel).toEqual({ ManagedBy: "account" });
    expect((await sim.ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: "required", HttpPutResponseHopLimit: 2 }))).Return).toBe(true);
    expect((await sim.ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel).toEqual({
      HttpTokens: "required",
      HttpPutResponseHopLimit: 2,
      ManagedBy: "account",
    });
    await sim.ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: "no-preference", HttpPutResponseHopLimit: -1, HttpEndpoint: "enabled" }));
    expect((await sim.ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel).toEqual({ HttpEndpoint: "enabled", ManagedBy: "account" });
    await expectAwsError(sim.ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpPutResponseHopLimit: 65 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  it("default credit specification per family", async () => {
    expect((await sim.ec2.send(new GetDefaultCreditSpecificationCommand({ InstanceFamily: "t3" }))).InstanceFamilyCreditSpecification).toEqual({
      InstanceFamily: "t3",
      CpuCredits: "unlimited",
    });
    const out = await sim.ec2.send(new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: "t3", CpuCredits: "standard" }));
    expect(out.InstanceFamilyCreditSpecification).toEqual({ InstanceFamily: "t3", CpuCredits: "standard" });
    expect((await sim.ec2.send(new GetDefaultCreditSpecificationCommand({ InstanceFamily: "t3" }))).InstanceFamilyCreditSpecification?.CpuCredits).toBe(
      "standard",
    );
    expect((await sim.ec2.send(new GetDefaultCreditSpecificationCommand({ InstanceFamily: "t2" }))).InstanceFamilyCreditSpecification?.CpuCredits).toBe(
      "standard",
    );
    await expectAwsError(sim.ec2.send(new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: "t3", CpuCredits: "turbo" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  it("serial console access", async () => {
    expect(await sim.ec2.send(new GetSerialConsoleAccessStatusCommand({}))).toMatchObject({ SerialConsoleAccessEnabled: false, ManagedBy: "account" });
    expect((await sim.ec2.send(new EnableSerialConsoleAccessCommand({}))).SerialConsoleAccessEnabled).toBe(true);
    expect((await sim.ec2.send(new GetSerialConsoleAccessStatusCommand({}))).SerialConsoleAccessEnabled).toBe(true);
    expect((await sim.ec2.send(new DisableSerialConsoleAccessCommand({}))).SerialConsoleAccessEnabled).toBe(false);
    expect((await sim.ec2.send(new GetSerialConsoleAccessStatusCommand({}))).SerialConsoleAccessEnabled).toBe(false);
  });

  it("event notification attributes", async () => {
    let out = await sim.ec2.send(new RegisterInstanceEventNotificationAttributesCommand({ InstanceTagAttribute: { InstanceTagKeys: ["Owner", "Env"] } }));
    expect(out.InstanceTagAttribute).toEqual({ InstanceTagKeys: ["Owner", "Env"], IncludeAllTagsOfInstance: false });
    out = await sim.ec2.send(new DeregisterInstanceEventNotificationAttributesCommand({ InstanceTagAttribute: { InstanceTagKeys: ["Env"] } }));
    expect(out.InstanceTagAttribute?.InstanceTagKeys).toEqual(["Owner"]);
    await sim.ec2.send(new RegisterInstanceEventNotificationAttributesCommand({ InstanceTagAttribute: { IncludeAllTagsOfInstance: true } }));
    expect((await sim.ec2.send(new DescribeInstanceEventNotificationAttributesCommand({}))).InstanceTagAttribute).toEqual({
      InstanceTagKeys: ["Owner"],
      IncludeAllTagsOfInstance: true,
    });
    await expectAwsError(
      sim.ec2.send(
        new RegisterInstanceEventNotificationAttributesCommand({ InstanceTagAttribute: { IncludeAllTagsOfInstance: true, InstanceTagKeys: ["A"] } }),
      ),
      { name: "InvalidParameterCombination", status: 400 },
    );
  });
});

describe("per-instance settings", () => {
  it("CPU options and capacity reservation preference need a stopped instance; maintenance options", async () => {
    const id = await run();
    await expectAwsError(sim.ec2.send(new ModifyInstanceCpuOptionsCommand({ InstanceId: id, CoreCount: 1, ThreadsPerCore: 1 })), {
      name: "IncorrectInstanceState",
      status: 400,
    });
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    const cpu = await sim.ec2.send(new ModifyInstanceCpuOptionsCommand({ InstanceId: id, CoreCount: 1, ThreadsPerCore: 1 }));
    expect(cpu).toMatchObject({ InstanceId: id, CoreCount: 1, ThreadsPerCore: 1 });
    const cr = await sim.ec2.send(
      new ModifyInstanceCapacityReservationAttributesCommand({ InstanceId: id, CapacityReservationSpecification: { CapacityReservationPreference: "none" } }),
    );
    expect(cr.Return).toBe(true);
    const m = await sim.ec2.send(new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: id, AutoRecovery: "disabled" }));
    expect(m).toMatchObject({ InstanceId: id, AutoRecovery: "disabled", RebootMigration: "default" });
    await expectAwsError(sim.ec2.send(new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: "i-0123456789abcdef0", AutoRecovery: "default" })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
    });
  });

  it("GetPasswordData: empty for Linux, an RSA-encrypted password for Windows with a key pair", async () => {
    const linux = await run();
    expect(await sim.ec2.send(new GetPasswordDataCommand({ InstanceId: linux }))).toMatchObject({ InstanceId: linux, PasswordData: "" });
    const key = await sim.ec2.send(new CreateKeyPairCommand({ KeyName: "win" }));
    const win = await run({ ImageId: WINDOWS, KeyName: "win" });
    const out = await sim.ec2.send(new GetPasswordDataCommand({ InstanceId: win }));
    expect(out.Timestamp).toBeInstanceOf(Date);
    const password = decrypt(key.KeyMaterial!, out.PasswordData!);
    expect(password).toHaveLength(32);
    const again = await sim.ec2.send(new GetPasswordDataCommand({ InstanceId: win }));
    expect(decrypt(key.KeyMaterial!, again.PasswordData!)).toBe(password);
  });
});

describe("console screenshot", () => {
  it("a 640x480 JPEG of a running instance's console; stopped instances have none", async () => {
    const id = await run();
    const out = await sim.ec2.send(new GetConsoleScreenshotCommand({ InstanceId: id }));
    expect(out.InstanceId).toBe(id);
    const jpg = Buffer.from(out.ImageData!, "base64");
    expect([...jpg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...jpg.subarray(-2)]).toEqual([0xff, 0xd9]);
    const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(sof).toBeGreaterThan(0);
    expect([jpg.readUInt16BE(sof + 5), jpg.readUInt16BE(sof + 7)]).toEqual([480, 640]);
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await expectAwsError(sim.ec2.send(new GetConsoleScreenshotCommand({ InstanceId: id })), { name: "IncorrectInstanceState", status: 400 });
  });
});

describe("instance event windows", () => {
  it("create, associate, describe with filters, modify, delete", async () => {
    const id = await run();
    const w = (
      await sim.ec2.send(
        new CreateInstanceEventWindowCommand({
          Name: "weekend",
          TimeRanges: [{ StartWeekDay: "saturday", StartHour: 2, EndWeekDay: "saturday", EndHour: 8 }],
          TagSpecifications: [{ ResourceType: "instance-event-window", Tags: [{ Key: "team", Value: "ops" }] }],
        }),
      )
    ).InstanceEventWindow!;
    expect(w.InstanceEventWindowId).toMatch(/^iew-[0-9a-f]{17}$/);
    expect(w).toMatchObject({ Name: "weekend", State: "active", Tags: [{ Key: "team", Value: "ops" }] });
    const a = await sim.ec2.send(
      new AssociateInstanceEventWindowCommand({ InstanceEventWindowId: w.InstanceEventWindowId!, AssociationTarget: { InstanceIds: [id] } }),
    );
    expect(a.InstanceEventWindow?.AssociationTarget?.InstanceIds).toEqual([id]);
    await expectAwsError(
      sim.ec2.send(
        new AssociateInstanceEventWindowCommand({
          InstanceEventWindowId: w.InstanceEventWindowId!,
          AssociationTarget: { InstanceTags: [{ Key: "a", Value: "b" }] },
        }),
      ),
      { name: "InvalidParameterCombination", status: 400 },
    );
    const byInstance = await sim.ec2.send(new DescribeInstanceEventWindowsCommand({ Filters: [{ Name: "instance-id", Values: [id] }] }));
    expect(byInstance.InstanceEventWindows!.map((x) => x.InstanceEventWindowId)).toEqual([w.InstanceEventWindowId]);
    const byTag = await sim.ec2.send(new DescribeInstanceEventWindowsCommand({ Filters: [{ Name: "tag:team", Values: ["dev"] }] }));
    expect(byTag.InstanceEventWindows).toEqual([]);
    await expectAwsError(
      sim.ec2.send(
        new CreateInstanceEventWindowCommand({
          CronExpression: "* 21-23 * * 2,3",
          TimeRanges: [{ StartWeekDay: "monday", StartHour: 1, EndWeekDay: "monday", EndHour: 9 }],
        }),
      ),
      {
        name: "InvalidParameterCombination",
        status: 400,
      },
    );
    const m = await sim.ec2.send(new ModifyInstanceEventWindowCommand({ InstanceEventWindowId: w.InstanceEventWindowId!, CronExpression: "* 21-23 * * 2,3" }));
    expect(m.InstanceEventWindow).toMatchObject({ CronExpression: "* 21-23 * * 2,3" });
    expect(m.InstanceEventWindow?.TimeRanges).toBeUndefined();
    await expectAwsError(sim.ec2.send(new DeleteInstanceEventWindowCommand({ InstanceEventWindowId: w.InstanceEventWindowId! })), {
      name: "InvalidInstanceEventWindow.InUse",
      status: 400,
    });
    await sim.ec2.send(
      new DisassociateInstanceEventWindowCommand({ InstanceEventWindowId: w.InstanceEventWindowId!, AssociationTarget: { InstanceIds: [id] } }),
    );
    const d = await sim.ec2.send(new DeleteInstanceEventWindowCommand({ InstanceEventWindowId: w.InstanceEventWindowId! }));
    expect(d.InstanceEventWindowState).toEqual({ InstanceEventWindowId: w.InstanceEventWindowId, State: "deleting" });
    await expectAwsError(sim.ec2.send(new DescribeInstanceEventWindowsCommand({ InstanceEventWindowIds: [w.InstanceEventWindowId!] })), {
      name: "InvalidInstanceEventWindowID.NotFound",
      status: 400,
    });
  });
});
