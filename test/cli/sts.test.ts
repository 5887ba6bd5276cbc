import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws sts", () => {
  const sim = useServer();

  it("get-caller-identity", async () => {
    const r = await aws(sim.server, ["sts", "get-caller-identity"]);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ UserId: "000000000000", Account: "000000000000", Arn: "arn:aws:iam::000000000000:root" });
  });

  it("assume-role then an invalid role arn error", async () => {
    const ok = await aws(sim.server, ["sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/r", "--role-session-name", "me"]);
    expect(ok.code).toBe(0);
    expect(ok.json.AssumedRoleUser.Arn).toBe("arn:aws:sts::123456789012:assumed-role/r/me");
    const bad = await aws(sim.server, ["sts", "assume-role", "--role-arn", "not-an-arn-but-long-enough", "--role-session-name", "me"]);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain("(ValidationError)");
  });
});
