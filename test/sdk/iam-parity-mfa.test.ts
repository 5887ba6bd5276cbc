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
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

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
