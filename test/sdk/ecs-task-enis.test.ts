/**
 * awsvpc tasks take their interface from the listed subnets EC2 knows, the first one with a free address; when
 * every listed subnet is full the task still runs (its address is outside EC2's bookkeeping).
 */
import { CreateSubnetCommand, CreateVpcCommand, DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg), ec2: new EC2Client(cfg) }));

describe("awsvpc task interfaces across subnets", () => {
  it("fill the first subnet with room, then the next, then run without an EC2 interface", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    // A /28 holds 11 addresses (AWS reserves five).
    const small = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.9.0.0/28" }))).Subnet!.SubnetId!;
    const next = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.9.1.0/28" }))).Subnet!.SubnetId!;
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "enis" }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "enis",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "a", image: "busybox" }],
      }),
    );
    const run = async (count: number) =>
      (
        await sim.ecs.send(
          new RunTaskCommand({
            cluster: "enis",
            taskDefinition: "enis",
            launchType: "FARGATE",
            count,
            networkConfiguration: { awsvpcConfiguration: { subnets: [small, next] } },
          }),
        )
      ).tasks!;
    const detail = (t: { attachments?: Array<{ details?: Array<{ name?: string; value?: string }> }> }, name: string) =>
      t.attachments?.[0]?.details?.find((d) => d.name === name)?.value;
    const tasks = [...(await run(10)), ...(await run(10)), ...(await run(5))];
    expect(tasks).toHaveLength(25);
    const subnets = tasks.map((t) => detail(t, "subnetId"));
    expect(subnets.slice(0, 11).every((s) => s === small)).toBe(true);
    expect(subnets.slice(11, 22).every((s) => s === next)).toBe(true);
    // Both subnets are full: the last three still run (named in the first listed subnet), outside EC2's bookkeeping.
    expect(subnets.slice(22).every((s) => s === small)).toBe(true);
    expect(tasks.slice(22).every((t) => t.lastStatus === "RUNNING" || t.lastStatus === "PROVISIONING")).toBe(true);
    const enis = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }));
    expect(enis.NetworkInterfaces).toHaveLength(22);
    const ips = new Set(enis.NetworkInterfaces!.map((e) => e.PrivateIpAddress));
    expect(ips.size).toBe(22);
    for (const t of tasks.slice(0, 22)) expect(ips.has(detail(t, "privateIPv4Address"))).toBe(true);
  });
});
