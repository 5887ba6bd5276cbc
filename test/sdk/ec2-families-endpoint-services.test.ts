import {
  AcceptVpcEndpointConnectionsCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointConnectionNotificationCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointConnectionNotificationsCommand,
  DeleteVpcEndpointsCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointConnectionNotificationsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const NLB = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/my-nlb/0123456789abcdef";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const createService = async (extra: Record<string, unknown> = {}) =>
  (await sim.ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB], ...extra }))).ServiceConfiguration!;

describe("VPC endpoint services", () => {
  it("creates, describes with filters and pages, modifies and deletes service configurations", async () => {
    const svc = await createService({
      PrivateDnsName: "api.example.com",
      TagSpecifications: [{ ResourceType: "vpc-endpoint-service", Tags: [{ Key: "team", Value: "core" }] }],
    });
    expect(svc.ServiceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(svc.ServiceName).toBe(`com.amazonaws.vpce.us-east-1.${svc.ServiceId}`);
    expect(svc.ServiceState).toBe("Available");
    expect(svc.AcceptanceRequired).toBe(true);
    expect(svc.ServiceType).toEqual([{ ServiceType: "Interface" }]);
    expect(svc.NetworkLoadBalancerArns).toEqual([NLB]);
    expect(svc.BaseEndpointDnsNames).toEqual([`${svc.ServiceId}.us-east-1.vpce.amazonaws.com`]);
    expect(svc.PrivateDnsNameConfiguration!.State).toBe("pendingVerification");
    expect(svc.PrivateDnsNameConfiguration!.Type).toBe("TXT");
    expect(svc.PrivateDnsNameConfiguration!.Value).toMatch(/^vpce:/);
    expect(svc.Tags).toEqual([{ Key: "team", Value: "core" }]);
    await createService();
    await createService();

    const tagged = await sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: "tag:team", Values: ["core"] }] }));
    expect(tagged.ServiceConfigurations!.map((x) => x.ServiceId)).toEqual([svc.ServiceId]);
    const p1 = await sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ MaxResults: 5 }));
    expect(p1.ServiceConfigurations).toHaveLength(3);
    await expectAwsError(sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: ["vpce-svc-0123456789abcdef0"] })), {
      name: "InvalidVpcEndpointServiceId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    await sim.ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: svc.ServiceId!, AcceptanceRequired: false, RemovePrivateDnsName: true }));
    const after = (await sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.ServiceId!] }))).ServiceConfigurations![0]!;
    expect(after.AcceptanceRequired).toBe(false);
    expect(after.PrivateDnsName).toBeUndefined();

    await expectAwsError(sim.ec2.send(new CreateVpcEndpointServiceConfigurationCommand({})), { name: "InvalidParameterCombination", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB], DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });

    const del = await sim.ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.ServiceId!, "vpce-svc-0123456789abcdef0"] }));
    expect(del.Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code])).toEqual([["vpce-svc-0123456789abcdef0", "InvalidVpcEndpointServiceId.NotFound"]]);
    const left = await sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
    expect(left.ServiceConfigurations).toHaveLength(2);
  });

  it("DescribeVpcEndpointServices lists the service next to AWS's", async () => {
    const svc = await createService({ PrivateDnsName: "api.example.com" });
    const one = await sim.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.ServiceName!, "com.amazonaws.us-east-1.s3"] }));
    expect(one.ServiceNames).toEqual(["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.s3", svc.ServiceName]);
    const d = one.ServiceDetails!.find((x) => x.ServiceId === svc.ServiceId)!;
    expect([d.Owner, d.AcceptanceRequired, d.PrivateDnsName, d.PrivateDnsNameVerificationState]).toEqual([
      "000000000000",
      true,
      "api.example.com",
      "pendingVerification",
    ]);
    expect(d.ServiceType).toEqual([{ ServiceType: "Interface" }]);
    const all = await sim.ec2.send(new DescribeVpcEndpointServicesCommand({}));
    expect(all.ServiceNames).toContain(svc.ServiceName);
    expect(all.ServiceNames).toContain("com.amazonaws.us-east-1.dynamodb");
    const owned = await sim.ec2.send(new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: "owner", Values: ["000000000000"] }] }));
    expect(owned.ServiceNames).toEqual([svc.ServiceName]);
    await expectAwsError(sim.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ["com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"] })), {
      name: "InvalidServiceName",
      status: 400,
    });
  });

  it("private DNS verification moves to verified", async () => {
    const svc = await createService({ PrivateDnsName: "api.example.com" });
    await sim.ec2.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: svc.ServiceId! }));
    const d = (await sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.ServiceId!] }))).ServiceConfigurations![0]!;
    expect(d.PrivateDnsNameConfiguration!.State).toBe("verified");
  });

  it("permissions: add, describe, filter, remove", async () => {
    const svc = await createService();
    const added = await sim.ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: svc.ServiceId!,
        AddAllowedPrincipals: ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app"],
      }),
    );
    expect(added.ReturnValue).toBe(true);
    expect(added.AddedPrincipals!.map((p) => p.PrincipalType)).toEqual(["Account", "Role"]);
    expect(added.AddedPrincipals![0]!.ServicePermissionId).toMatch(/^vpce-svc-perm-/);
    const all = await sim.ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId! }));
    expect(all.AllowedPrincipals!.map((p) => p.Principal)).toEqual(["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app"]);
    const roles = await sim.ec2.send(
      new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId!, Filters: [{ Name: "principal-type", Values: ["Role"] }] }),
    );
    expect(roles.AllowedPrincipals!.map((p) => p.Principal)).toEqual(["arn:aws:iam::111122223333:role/app"]);
    await sim.ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId!, RemoveAllowedPrincipals: ["arn:aws:iam::111122223333:root"] }),
    );
    const now = await sim.ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId! }));
    expect(now.AllowedPrincipals).toHaveLength(1);
    await expectAwsError(sim.ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: "vpce-svc-0123456789abcdef0" })), {
      name: "InvalidVpcEndpointServiceId.NotFound",
      status: 400,
    });
  });

  it("endpoints to the service are connections the owner accepts or rejects", async () => {
    const svc = await createService();
    const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.5.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.5.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const mk = async () =>
      (await sim.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: svc.ServiceName!, VpcEndpointType: "Interface", SubnetIds: [sub] })))
        .VpcEndpoint!;
    const ep = await mk();
    const ep2 = await mk();
    expect(ep.State).toBe("pendingAcceptance");
    expect(ep.NetworkInterfaceIds).toHaveLength(1);
    const conns = await sim.ec2.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: "service-id", Values: [svc.ServiceId!] }] }));
    expect(conns.VpcEndpointConnections!.map((c) => [c.VpcEndpointId, c.VpcEndpointState, c.VpcEndpointOwner])).toEqual([
      [ep.VpcEndpointId, "pendingAcceptance", "000000000000"],
      [ep2.VpcEndpointId, "pendingAcceptance", "000000000000"],
    ]);

    const acc = await sim.ec2.send(
      new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.ServiceId!, VpcEndpointIds: [ep.VpcEndpointId!, "vpce-0123456789abcdef0"] }),
    );
    expect(acc.Unsuccessful!.map((u) => u.Error!.Code)).toEqual(["InvalidVpcEndpoint.NotFound"]);
    await sim.ec2.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: svc.ServiceId!, VpcEndpointIds: [ep2.VpcEndpointId!] }));
    const eps = await sim.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!, ep2.VpcEndpointId!] }));
    expect(Object.fromEntries(eps.VpcEndpoints!.map((v) => [v.VpcEndpointId, v.State]))).toEqual({
      [ep.VpcEndpointId!]: "available",
      [ep2.VpcEndpointId!]: "rejected",
    });
    const avail = await sim.ec2.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: "vpc-endpoint-state", Values: ["available"] }] }));
    expect(avail.VpcEndpointConnections!.map((c) => c.VpcEndpointId)).toEqual([ep.VpcEndpointId]);

    const blocked = await sim.ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.ServiceId!] }));
    expect(blocked.Unsuccessful![0]!.Error!.Code).toBe("ExistingVpcEndpointConnections");
    await sim.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!, ep2.VpcEndpointId!] }));
    const gone = await sim.ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.ServiceId!] }));
    expect(gone.Unsuccessful).toEqual([]);

    await expectAwsError(
      sim.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: svc.ServiceName!, VpcEndpointType: "Interface", SubnetIds: [sub] })),
      { name: "InvalidServiceName", status: 400, message: `The Vpc Endpoint Service '${svc.ServiceName}' does not exist` },
    );
  });

  it("another account needs to be an allowed principal", async () => {
    const svc = await createService({ AcceptanceRequired: false });
    const other = new EC2Client(clientConfig(sim.server, { credentials: { accessKeyId: "222233334444", secretAccessKey: "x" } }));
    const vpcs = await other.send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
    expect(vpcs.ServiceConfigurations).toEqual([]);
    const vpcId = (await other.send(new CreateVpcCommand({ CidrBlock: "10.6.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await other.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.6.1.0/24" }))).Subnet!.SubnetId!;
    const req = () => other.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: svc.ServiceName!, VpcEndpointType: "Interface", SubnetIds: [sub] }));
    await expectAwsError(req(), { name: "InvalidServiceName", status: 400 });
    await sim.ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId!, AddAllowedPrincipals: ["*"] }));
    const ep = (await req()).VpcEndpoint!;
    const conns = await sim.ec2.send(new DescribeVpcEndpointConnectionsCommand({}));
    expect(conns.VpcEndpointConnections!.map((c) => [c.VpcEndpointId, c.VpcEndpointState])).toEqual([[ep.VpcEndpointId, "available"]]);
    expect(conns.VpcEndpointConnections![0]!.VpcEndpointOwner).not.toBe("000000000000");
  });

  it("connection notifications", async () => {
    const svc = await createService();
    const topic = "arn:aws:sns:us-east-1:000000000000:endpoint-events";
    const n = (
      await sim.ec2.send(
        new CreateVpcEndpointConnectionNotificationCommand({
          ServiceId: svc.ServiceId!,
          ConnectionNotificationArn: topic,
          ConnectionEvents: ["Accept", "Connect"],
        }),
      )
    ).ConnectionNotification!;
    expect(n.ConnectionNotificationId).toMatch(/^vpce-nfn-[0-9a-f]{17}$/);
    expect(n.ConnectionNotificationState).toBe("Enabled");
    expect(n.ConnectionNotificationType).toBe("Topic");
    const d = await sim.ec2.send(new DescribeVpcEndpointConnectionNotificationsCommand({ Filters: [{ Name: "service-id", Values: [svc.ServiceId!] }] }));
    expect(d.ConnectionNotificationSet!.map((x) => [x.ConnectionNotificationId, x.ConnectionEvents])).toEqual([
      [n.ConnectionNotificationId, ["Accept", "Connect"]],
    ]);
    await expectAwsError(
      sim.ec2.send(
        new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: svc.ServiceId!, ConnectionNotificationArn: topic, ConnectionEvents: ["Explode"] }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const del = await sim.ec2.send(
      new DeleteVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationIds: [n.ConnectionNotificationId!, "vpce-nfn-0123456789abcdef0"] }),
    );
    expect(del.Unsuccessful!.map((u) => u.ResourceId)).toEqual(["vpce-nfn-0123456789abcdef0"]);
    expect((await sim.ec2.send(new DescribeVpcEndpointConnectionNotificationsCommand({}))).ConnectionNotificationSet).toEqual([]);
  });
});
