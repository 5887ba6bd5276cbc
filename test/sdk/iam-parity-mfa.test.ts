/** IAM MFA devices, pagination markers and validation messages: answers recorded against real AWS. */
import {
  CreateOpenIDConnectProviderCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  IAMClient,
  ListRolesCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  UntagRoleCommand,
  CreateRoleCommand,
} from "@aws-sdk/client-iam";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const hasZbar = spawnSync("zbarimg", ["--version"], { stdio: "ignore" }).status === 0;

/** The grayscale pixels of an 8-bit grayscale PNG with filter 0 rows (what QRCodePNG is). */
function pixels(png: Buffer): { width: number; at: (x: number, y: number) => number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString("ascii", at + 4, at + 8) === "IDAT") idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, at: (x, y) => raw[y * (width + 1) + 1 + x]! };
}

const PATH_MESSAGE = "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.";

describe("IAM MFA, marker and validation parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("virtual MFA devices: duplicate, path and not-found errors", async () => {
    const serial = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-dup" }))).VirtualMFADevice!.SerialNumber!;
    expect(serial).toBe("arn:aws:iam::000000000000:mfa/mfa-dup");
    await expectAwsError(sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-dup" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "MFA device already exists.",
    });
    for (const Path of ["invalid-path/", "/invalid-path"])
      await expectAwsError(sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-path", Path })), {
        name: "ValidationError",
        status: 400,
        message: PATH_MESSAGE,
      });
    await expectAwsError(sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-path", Path: `/${"a".repeat(512)}/` })), {
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512",
    });
    const double = await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-double", Path: "/test//double/" }));
    expect(double.VirtualMFADevice!.SerialNumber).toBe("arn:aws:iam::000000000000:mfa/test//double/mfa-double");
    const missing = "arn:aws:iam::000000000000:mfa/nonexistent-device";
    await expectAwsError(sim.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: missing })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `MFA Device with serial number ${missing} does not exist.`,
    });
    await sim.iam.send(new CreateUserCommand({ UserName: "mfa-user" }));
    await expectAwsError(sim.iam.send(new DeactivateMFADeviceCommand({ UserName: "mfa-user", SerialNumber: missing })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `MFA Device with serial number ${missing} does not exist.`,
    });
    await expectAwsError(sim.iam.send(new DeactivateMFADeviceCommand({ UserName: "nonexistent-user", SerialNumber: serial })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name nonexistent-user cannot be found.",
    });
  });

  it("CreateVirtualMFADevice answers a QR code PNG of the otpauth URI", async () => {
    const d = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-qr" }))).VirtualMFADevice!;
    const png = Buffer.from(d.QRCodePNG!);
    const img = pixels(png);
    // A 4-pixel module grid with a 4-module quiet zone; the top-left finder pattern: dark ring, light ring, dark core.
    const module = (r: number, c: number) => img.at((c + 4) * 4 + 1, (r + 4) * 4 + 1) === 0;
    expect(img.width % 4).toBe(0);
    expect([0, 1, 2, 3, 4, 5, 6].map((c) => module(0, c))).toEqual([true, true, true, true, true, true, true]);
    expect([0, 1, 2, 3, 4, 5, 6].map((c) => module(1, c))).toEqual([true, false, false, false, false, false, true]);
    expect([0, 1, 2, 3, 4, 5, 6].map((c) => module(3, c))).toEqual([true, false, true, true, true, false, true]);
    expect(module(0, 7)).toBe(false);
    if (hasZbar) {
      const dir = mkdtempSync(join(tmpdir(), "qr-"));
      try {
        writeFileSync(join(dir, "qr.png"), png);
        const out = spawnSync("zbarimg", ["-q", "--raw", join(dir, "qr.png")], { encoding: "utf8" }).stdout.trim();
        expect(out).toBe(`otpauth://totp/mfa-qr@000000000000?secret=${Buffer.from(d.Base32StringSeed!).toString()}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("a Marker this server did not hand out is 'Invalid Marker.'; its own markers page on", async () => {
    for (const p of [
      sim.iam.send(new ListVirtualMFADevicesCommand({ Marker: "invalid-marker-value" })),
      sim.iam.send(new ListUsersCommand({ Marker: "invalid-marker-value" })),
      sim.iam.send(new ListRolesCommand({ Marker: "garbage" })),
    ])
      await expectAwsError(p, { name: "ValidationError", status: 400, message: "Invalid Marker." });
    for (const n of ["m-a", "m-b", "m-c"]) await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: n, Path: "/paged/" }));
    const first = await sim.iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1 }));
    expect(first.IsTruncated).toBe(true);
    const next = await sim.iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1, Marker: first.Marker }));
    expect(next.VirtualMFADevices![0]!.SerialNumber).not.toBe(first.VirtualMFADevices![0]!.SerialNumber);
  });

  it("validation messages name no value, come in path order and list a tag-key list's constraints whole", async () => {
    await expectAwsError(
      sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "b".repeat(256), ThumbprintList: ["b".repeat(41)], ClientIDList: ["b".repeat(256)] })),
      {
        name: "ValidationError",
        status: 400,
        message:
          "3 validation errors detected: Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]; Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255",
      },
    );
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "untagged",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await expectAwsError(sim.iam.send(new UntagRoleCommand({ RoleName: "untagged", TagKeys: ["invalid!key"] })), {
      name: "ValidationError",
      status: 400,
      message:
        "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]",
    });
  });
});
