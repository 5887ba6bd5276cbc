/**
 * The listing rule for an AMI another account shares and has deprecated (EC2's clock cannot be advanced from
 * outside, so this runs the handler with a context whose clock is past the deprecation time): left out of the other
 * account's listings unless IncludeDeprecated, still found by id; the owner keeps seeing it.
 */
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/services/core/types.js";
import { DescribeImages } from "../../src/services/ec2/images.js";
import { extraOf, imageExtra } from "../../src/services/ec2/extra/state.js";
import { createEc2State } from "../../src/services/ec2/network.js";
import type { Ec2State } from "../../src/services/ec2/state.js";

const DAY = 86_400_000;

function world() {
  const owner = createEc2State("111111111111", "us-east-1");
  const user = createEc2State("222222222222", "us-east-1");
  const sim = { statesOf: () => [owner, user] } as unknown as Ec2State["sim"];
  owner.sim = sim;
  user.sim = sim;
  owner.images.set("ami-0123456789abcdef0", {
    id: "ami-0123456789abcdef0",
    name: "shared-deprecated",
    description: "",
    ownerId: owner.accountId,
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    creationDate: "2026-01-01T00:00:00.000Z",
    isPublic: false,
    rootDeviceName: "/dev/xvda",
    state: "available",
    tags: new Map(),
    launchUsers: new Set([user.accountId]),
  });
  imageExtra(extraOf(owner), "ami-0123456789abcdef0").deprecationTime = new Date(Date.now() + DAY);
  return { owner, user };
}

const ctxOf = (s: Ec2State, at: number) => ({ state: () => s, now: () => new Date(at), region: s.region, accountId: s.accountId }) as unknown as Ctx;
const ids = (out: unknown) => (out as { imagesSet: Array<{ imageId: string }> }).imagesSet.map((i) => i.imageId);

describe("a shared AMI its owner deprecated", () => {
  it("is listed before its deprecation time, left out after it unless IncludeDeprecated, found by id", () => {
    const { owner, user } = world();
    const before = ctxOf(user, Date.now());
    const after = ctxOf(user, Date.now() + 2 * DAY);
    expect(ids(DescribeImages(before, { ExecutableUsers: ["self"] }))).toEqual(["ami-0123456789abcdef0"]);
    expect(ids(DescribeImages(after, { ExecutableUsers: ["self"] }))).toEqual([]);
    expect(ids(DescribeImages(after, { ExecutableUsers: ["self"], IncludeDeprecated: true }))).toEqual(["ami-0123456789abcdef0"]);
    expect(ids(DescribeImages(after, { ImageIds: ["ami-0123456789abcdef0"] }))).toEqual(["ami-0123456789abcdef0"]);
    expect(ids(DescribeImages(ctxOf(owner, Date.now() + 2 * DAY), { Owners: ["self"] }))).toContain("ami-0123456789abcdef0");
  });
});
