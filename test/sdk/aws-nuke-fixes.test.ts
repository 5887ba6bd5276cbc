/**
 * Regressions found by running aws-nuke against awsim (test/cli/aws-nuke.test.ts), each with the JS SDK: what
 * aws-nuke's delete-then-list-again loop needs to see as AWS shows it.
 */
import * as ec2sdk from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg) => ({ ec2: new ec2sdk.EC2Client(cfg) }));

describe("EC2", () => {
  it("a deleted default DHCP options set stays deleted; CreateVpc makes a new one", async () => {
    const { ec2 } = t;
    const all = async () => ((await ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({}))).DhcpOptions ?? []).map((d) => d.DhcpOptionsId);
    const [dflt] = await all();
    expect(dflt).toMatch(/^dopt-/);
    const vpc = (await ec2.send(new ec2sdk.DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!;
    expect(vpc.DhcpOptionsId).toBe(dflt);
    await ec2.send(new ec2sdk.AssociateDhcpOptionsCommand({ VpcId: vpc.VpcId, DhcpOptionsId: "default" }));
    await ec2.send(new ec2sdk.DeleteDhcpOptionsCommand({ DhcpOptionsId: dflt }));
    expect(await all()).toEqual([]);
    expect(await all()).toEqual([]);
    await expect(ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({ DhcpOptionsIds: [dflt!] }))).rejects.toMatchObject({
      name: "InvalidDhcpOptionID.NotFound",
    });

    const created = (await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!;
    const [again, ...rest] = await all();
    expect(rest).toEqual([]);
    expect(again).not.toBe(dflt);
    expect(created.DhcpOptionsId).toBe(again);
    const set = (await ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({ DhcpOptionsIds: [again!] }))).DhcpOptions![0]!;
    expect(set.DhcpConfigurations?.map((c) => [c.Key, c.Values?.map((v) => v.Value)])).toEqual([
      ["domain-name", ["ec2.internal"]],
      ["domain-name-servers", ["AmazonProvidedDNS"]],
    ]);
  });
});
