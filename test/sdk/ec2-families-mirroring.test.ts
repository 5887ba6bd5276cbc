import {
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateTrafficMirrorFilterCommand,
  CreateTrafficMirrorFilterRuleCommand,
  CreateTrafficMirrorSessionCommand,
  CreateTrafficMirrorTargetCommand,
  CreateVpcCommand,
  DeleteTrafficMirrorFilterCommand,
  DeleteTrafficMirrorFilterRuleCommand,
  DeleteTrafficMirrorSessionCommand,
  DeleteTrafficMirrorTargetCommand,
  DescribeTrafficMirrorFilterRulesCommand,
  DescribeTrafficMirrorFiltersCommand,
  DescribeTrafficMirrorSessionsCommand,
  DescribeTrafficMirrorTargetsCommand,
  EC2Client,
  ModifyTrafficMirrorFilterNetworkServicesCommand,
  ModifyTrafficMirrorFilterRuleCommand,
  ModifyTrafficMirrorSessionCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("traffic mirroring", () => {
  it("filters and rules", async () => {
    const f = (
      await sim.ec2.send(
        new CreateTrafficMirrorFilterCommand({
          Description: "web",
          TagSpecifications: [{ ResourceType: "traffic-mirror-filter", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      )
    ).TrafficMirrorFilter!;
    expect(f.TrafficMirrorFilterId).toMatch(/^tmf-[0-9a-f]{17}$/);
    expect(f.Tags).toEqual([{ Key: "k", Value: "v" }]);
    const id = f.TrafficMirrorFilterId!;
    const rule = (n: number, dir: "ingress" | "egress", extra: Record<string, unknown> = {}) =>
      sim.ec2.send(
        new CreateTrafficMirrorFilterRuleCommand({
          TrafficMirrorFilterId: id,
          TrafficDirection: dir,
          RuleNumber: n,
          RuleAction: "accept",
          SourceCidrBlock: "0.0.0.0/0",
          DestinationCidrBlock: "10.0.0.0/8",
          ...extra,
        }),
      );
    const r1 = (await rule(200, "ingress", { Protocol: 6, DestinationPortRange: { FromPort: 443, ToPort: 443 } })).TrafficMirrorFilterRule!;
    expect(r1.TrafficMirrorFilterRuleId).toMatch(/^tmfr-[0-9a-f]{17}$/);
    expect(r1.DestinationPortRange).toEqual({ FromPort: 443, ToPort: 443 });
    await rule(100, "ingress");
    await rule(100, "egress", { RuleAction: "reject" });
    await expectAwsError(rule(100, "ingress"), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(rule(300, "ingress", { Protocol: 1, DestinationPortRange: { FromPort: 1, ToPort: 2 } }), {
      name: "InvalidParameterCombination",
      status: 400,
    });

    const d = (await sim.ec2.send(new DescribeTrafficMirrorFiltersCommand({ TrafficMirrorFilterIds: [id] }))).TrafficMirrorFilters![0]!;
    expect(d.IngressFilterRules!.map((r) => r.RuleNumber)).toEqual([100, 200]);
    expect(d.EgressFilterRules!.map((r) => r.RuleAction)).toEqual(["reject"]);
    const egress = await sim.ec2.send(
      new DescribeTrafficMirrorFilterRulesCommand({ TrafficMirrorFilterId: id, Filters: [{ Name: "traffic-direction", Values: ["egress"] }] }),
    );
    expect(egress.TrafficMirrorFilterRules).toHaveLength(1);

    const mod = (
      await sim.ec2.send(
        new ModifyTrafficMirrorFilterRuleCommand({
          TrafficMirrorFilterRuleId: r1.TrafficMirrorFilterRuleId!,
          RuleNumber: 150,
          RemoveFields: ["destination-port-range"],
        }),
      )
    ).TrafficMirrorFilterRule!;
    expect(mod.RuleNumber).toBe(150);
    expect(mod.DestinationPortRange).toBeUndefined();
    const svc = (await sim.ec2.send(new ModifyTrafficMirrorFilterNetworkServicesCommand({ TrafficMirrorFilterId: id, AddNetworkServices: ["amazon-dns"] })))
      .TrafficMirrorFilter!;
    expect(svc.NetworkServices).toEqual(["amazon-dns"]);
    await sim.ec2.send(new DeleteTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: r1.TrafficMirrorFilterRuleId! }));
    await expectAwsError(sim.ec2.send(new DeleteTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: r1.TrafficMirrorFilterRuleId! })), {
      name: "InvalidTrafficMirrorFilterRuleId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeTrafficMirrorFiltersCommand({ TrafficMirrorFilterIds: ["tmf-0123456789abcdef0"] })), {
      name: "InvalidTrafficMirrorFilterId.NotFound",
      status: 400,
    });
  });

  it("targets and sessions", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.9.1.0/24" }))).Subnet!.SubnetId!;
    const eni = async () => (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub }))).NetworkInterface!.NetworkInterfaceId!;
    const src = await eni();
    const dst = await eni();
    const filter = (await sim.ec2.send(new CreateTrafficMirrorFilterCommand({}))).TrafficMirrorFilter!.TrafficMirrorFilterId!;
    const t = (await sim.ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkInterfaceId: dst, Description: "collector" }))).TrafficMirrorTarget!;
    expect(t.TrafficMirrorTargetId).toMatch(/^tmt-[0-9a-f]{17}$/);
    expect(t.Type).toBe("network-interface");
    expect(t.OwnerId).toBe("000000000000");
    const nlb = (
      await sim.ec2.send(
        new CreateTrafficMirrorTargetCommand({
          NetworkLoadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/col/0123456789abcdef",
        }),
      )
    ).TrafficMirrorTarget!;
    expect(nlb.Type).toBe("network-load-balancer");
    await expectAwsError(sim.ec2.send(new CreateTrafficMirrorTargetCommand({})), { name: "InvalidParameterCombination", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkInterfaceId: "eni-0123456789abcdef0" })), {
      name: "InvalidNetworkInterfaceID.NotFound",
      status: 400,
    });
    const byEni = await sim.ec2.send(new DescribeTrafficMirrorTargetsCommand({ Filters: [{ Name: "network-interface-id", Values: [dst] }] }));
    expect(byEni.TrafficMirrorTargets!.map((x) => x.TrafficMirrorTargetId)).toEqual([t.TrafficMirrorTargetId]);

    const s = (
      await sim.ec2.send(
        new CreateTrafficMirrorSessionCommand({
          NetworkInterfaceId: src,
          TrafficMirrorTargetId: t.TrafficMirrorTargetId!,
          TrafficMirrorFilterId: filter,
          SessionNumber: 1,
          VirtualNetworkId: 4242,
          PacketLength: 128,
        }),
      )
    ).TrafficMirrorSession!;
    expect(s.TrafficMirrorSessionId).toMatch(/^tms-[0-9a-f]{17}$/);
    expect([s.SessionNumber, s.VirtualNetworkId, s.PacketLength]).toEqual([1, 4242, 128]);
    await expectAwsError(
      sim.ec2.send(
        new CreateTrafficMirrorSessionCommand({
          NetworkInterfaceId: src,
          TrafficMirrorTargetId: t.TrafficMirrorTargetId!,
          TrafficMirrorFilterId: filter,
          SessionNumber: 1,
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateTrafficMirrorSessionCommand({
          NetworkInterfaceId: src,
          TrafficMirrorTargetId: "tmt-0123456789abcdef0",
          TrafficMirrorFilterId: filter,
          SessionNumber: 2,
        }),
      ),
      { name: "InvalidTrafficMirrorTargetId.NotFound", status: 400 },
    );
    const mod = (
      await sim.ec2.send(
        new ModifyTrafficMirrorSessionCommand({
          TrafficMirrorSessionId: s.TrafficMirrorSessionId!,
          TrafficMirrorTargetId: nlb.TrafficMirrorTargetId!,
          RemoveFields: ["packet-length"],
        }),
      )
    ).TrafficMirrorSession!;
    expect(mod.TrafficMirrorTargetId).toBe(nlb.TrafficMirrorTargetId);
    expect(mod.PacketLength).toBeUndefined();
    const found = await sim.ec2.send(new DescribeTrafficMirrorSessionsCommand({ Filters: [{ Name: "session-number", Values: ["1"] }] }));
    expect(found.TrafficMirrorSessions!.map((x) => x.TrafficMirrorSessionId)).toEqual([s.TrafficMirrorSessionId]);

    await expectAwsError(sim.ec2.send(new DeleteTrafficMirrorFilterCommand({ TrafficMirrorFilterId: filter })), { name: "DependencyViolation", status: 400 });
    await expectAwsError(sim.ec2.send(new DeleteTrafficMirrorTargetCommand({ TrafficMirrorTargetId: nlb.TrafficMirrorTargetId! })), {
      name: "DependencyViolation",
      status: 400,
    });
    await sim.ec2.send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: s.TrafficMirrorSessionId! }));
    expect((await sim.ec2.send(new DeleteTrafficMirrorTargetCommand({ TrafficMirrorTargetId: nlb.TrafficMirrorTargetId! }))).TrafficMirrorTargetId).toBe(
      nlb.TrafficMirrorTargetId,
    );
    await sim.ec2.send(new DeleteTrafficMirrorFilterCommand({ TrafficMirrorFilterId: filter }));
    expect((await sim.ec2.send(new DescribeTrafficMirrorSessionsCommand({}))).TrafficMirrorSessions).toEqual([]);
  });
});
