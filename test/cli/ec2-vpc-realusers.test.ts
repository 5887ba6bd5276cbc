/**
 * amazon-vpc-cni-k8s's prefix-delegation calls (pkg/awsutils/awsutils.go) through the aws CLI (botocore's EC2 query
 * serializer: Ipv4Prefix.N structures on CreateNetworkInterface, plain Ipv4Prefix.N strings on the assign/unassign
 * calls), and the leaked-ENI sweep (getLeakedENIs: tag-key, status, vpc-id and tag: filters, MaxResults 1000).
 */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("amazon-vpc-cni-k8s prefix delegation (aws CLI)", () => {
  const sim = useServer();
  const run = async (args: string[]) => {
    const r = await aws(sim.server, ["ec2", ...args]);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    return r.json;
  };

  it("prefixes by count and by name, unassigned by name, and the leaked-ENI sweep's filters", async () => {
    const vpc = await run(["create-vpc", "--cidr-block", "10.8.0.0/16", "--query", "Vpc.VpcId"]);
    const subnet = await run(["create-subnet", "--vpc-id", vpc, "--cidr-block", "10.8.0.0/24", "--query", "Subnet.SubnetId"]);
    const created = await run([
      "create-network-interface",
      "--subnet-id",
      subnet,
      "--description",
      "aws-K8S-i-0123456789abcdef0",
      "--ipv4-prefixes",
      "Ipv4Prefix=10.8.0.48/28",
      "--tag-specifications",
      "ResourceType=network-interface,Tags=[{Key=node.k8s.amazonaws.com/instance_id,Value=i-0123456789abcdef0},{Key=cluster.k8s.amazonaws.com/name,Value=c1}]",
    ]);
    const eni = created.NetworkInterface.NetworkInterfaceId as string;
    expect(created.NetworkInterface.Ipv4Prefixes).toEqual([{ Ipv4Prefix: "10.8.0.48/28" }]);

    const byCount = await run(["assign-private-ip-addresses", "--network-interface-id", eni, "--ipv4-prefix-count", "1"]);
    expect(byCount.AssignedIpv4Prefixes).toHaveLength(1);
    const byName = await run(["assign-private-ip-addresses", "--network-interface-id", eni, "--ipv4-prefixes", "10.8.0.224/28"]);
    expect(byName.AssignedIpv4Prefixes).toEqual([{ Ipv4Prefix: "10.8.0.224/28" }]);
    await run(["unassign-private-ip-addresses", "--network-interface-id", eni, "--ipv4-prefixes", "10.8.0.48/28", "10.8.0.224/28"]);
    const left = await run(["describe-network-interfaces", "--network-interface-ids", eni, "--query", "NetworkInterfaces[0].Ipv4Prefixes[].Ipv4Prefix"]);
    expect(left).toEqual([byCount.AssignedIpv4Prefixes[0].Ipv4Prefix]);

    const leaked = await run([
      "describe-network-interfaces",
      "--filters",
      "Name=tag-key,Values=node.k8s.amazonaws.com/instance_id",
      "Name=status,Values=available",
      `Name=vpc-id,Values=${vpc}`,
      "Name=tag:cluster.k8s.amazonaws.com/name,Values=c1",
      "--max-results",
      "1000",
      "--query",
      "NetworkInterfaces[].[NetworkInterfaceId,Description]",
    ]);
    expect(leaked).toEqual([[eni, "aws-K8S-i-0123456789abcdef0"]]);
  });
});
