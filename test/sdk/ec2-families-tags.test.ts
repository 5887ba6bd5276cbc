import {
  CreateIpamCommand,
  CreateTagsCommand,
  CreateTrafficMirrorFilterCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DescribeIpamsCommand,
  DescribeTagsCommand,
  DescribeTrafficMirrorFiltersCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("tags on the families' resources", () => {
  it("CreateTags, DeleteTags and DescribeTags reach IPAMs and mirror filters next to VPCs", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!.IpamId!;
    const tmf = (await sim.ec2.send(new CreateTrafficMirrorFilterCommand({}))).TrafficMirrorFilter!.TrafficMirrorFilterId!;
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16" }))).Vpc!.VpcId!;
    await sim.ec2.send(new CreateTagsCommand({ Resources: [ipam, tmf, vpc], Tags: [{ Key: "team", Value: "net" }] }));
    expect((await sim.ec2.send(new DescribeIpamsCommand({ IpamIds: [ipam] }))).Ipams![0]!.Tags).toEqual([{ Key: "team", Value: "net" }]);
    const byFilter = await sim.ec2.send(new DescribeTrafficMirrorFiltersCommand({ Filters: [{ Name: "tag:team", Values: ["net"] }] }));
    expect(byFilter.TrafficMirrorFilters!.map((x) => x.TrafficMirrorFilterId)).toEqual([tmf]);
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["team"] }] }));
    expect(tags.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort()).toEqual(
      [
        [ipam, "ipam"],
        [tmf, "traffic-mirror-filter"],
        [vpc, "vpc"],
      ].sort(),
    );
    await sim.ec2.send(new DeleteTagsCommand({ Resources: [ipam], Tags: [{ Key: "team" }] }));
    expect((await sim.ec2.send(new DescribeIpamsCommand({ IpamIds: [ipam] }))).Ipams![0]!.Tags).toEqual([]);
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: ["ipam-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })), {
      name: "InvalidIpamId.NotFound",
      status: 400,
    });
  });
});
