import {
  AttachVerifiedAccessTrustProviderCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVerifiedAccessEndpointCommand,
  CreateVerifiedAccessGroupCommand,
  CreateVerifiedAccessInstanceCommand,
  CreateVerifiedAccessTrustProviderCommand,
  CreateVpcCommand,
  DeleteVerifiedAccessEndpointCommand,
  DeleteVerifiedAccessGroupCommand,
  DeleteVerifiedAccessInstanceCommand,
  DeleteVerifiedAccessTrustProviderCommand,
  DescribeVerifiedAccessEndpointsCommand,
  DescribeVerifiedAccessGroupsCommand,
  DescribeVerifiedAccessInstanceLoggingConfigurationsCommand,
  DescribeVerifiedAccessInstancesCommand,
  DescribeVerifiedAccessTrustProvidersCommand,
  DetachVerifiedAccessTrustProviderCommand,
  EC2Client,
  GetVerifiedAccessEndpointPolicyCommand,
  GetVerifiedAccessGroupPolicyCommand,
  ModifyVerifiedAccessEndpointCommand,
  ModifyVerifiedAccessEndpointPolicyCommand,
  ModifyVerifiedAccessGroupPolicyCommand,
  ModifyVerifiedAccessInstanceLoggingConfigurationCommand,
  ModifyVerifiedAccessTrustProviderCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const CERT = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("Verified Access", () => {
  it("instances and trust providers attach and detach", async () => {
    const i = (await sim.ec2.send(new CreateVerifiedAccessInstanceCommand({ Description: "corp" }))).VerifiedAccessInstance!;
    expect(i.VerifiedAccessInstanceId).toMatch(/^vai-[0-9a-f]{17}$/);
    expect(i.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const oidc = (
      await sim.ec2.send(
        new CreateVerifiedAccessTrustProviderCommand({
          TrustProviderType: "user",
          UserTrustProviderType: "oidc",
          PolicyReferenceName: "idp",
          OidcOptions: { Issuer: "https://idp.example.com", ClientId: "abc", ClientSecret: "s3cret", Scope: "openid" },
        }),
      )
    ).VerifiedAccessTrustProvider!;
    expect(oidc.VerifiedAccessTrustProviderId).toMatch(/^vatp-[0-9a-f]{17}$/);
    expect(oidc.OidcOptions!.Issuer).toBe("https://idp.example.com");
    const sso = (
      await sim.ec2.send(
        new CreateVerifiedAccessTrustProviderCommand({ TrustProviderType: "user", UserTrustProviderType: "iam-identity-center", PolicyReferenceName: "sso" }),
      )
    ).VerifiedAccessTrustProvider!;
    const jamf = (
      await sim.ec2.send(
        new CreateVerifiedAccessTrustProviderCommand({
          TrustProviderType: "device",
          DeviceTrustProviderType: "jamf",
          PolicyReferenceName: "jamf",
          DeviceOptions: { TenantId: "t" },
        }),
      )
    ).VerifiedAccessTrustProvider!;
    await expectAwsError(sim.ec2.send(new CreateVerifiedAccessTrustProviderCommand({ TrustProviderType: "user", PolicyReferenceName: "x" })), {
      name: "MissingParameter",
      status: 400,
    });

    const att = await sim.ec2.send(
      new AttachVerifiedAccessTrustProviderCommand({
        VerifiedAccessInstanceId: i.VerifiedAccessInstanceId!,
        VerifiedAccessTrustProviderId: oidc.VerifiedAccessTrustProviderId!,
      }),
    );
    expect(att.VerifiedAccessInstance!.VerifiedAccessTrustProviders!.map((p) => p.VerifiedAccessTrustProviderId)).toEqual([oidc.VerifiedAccessTrustProviderId]);
    await sim.ec2.send(
      new AttachVerifiedAccessTrustProviderCommand({
        VerifiedAccessInstanceId: i.VerifiedAccessInstanceId!,
        VerifiedAccessTrustProviderId: jamf.VerifiedAccessTrustProviderId!,
      }),
    );
    await expectAwsError(
      sim.ec2.send(
        new AttachVerifiedAccessTrustProviderCommand({
          VerifiedAccessInstanceId: i.VerifiedAccessInstanceId!,
          VerifiedAccessTrustProviderId: sso.VerifiedAccessTrustProviderId!,
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new DeleteVerifiedAccessTrustProviderCommand({ VerifiedAccessTrustProviderId: oidc.VerifiedAccessTrustProviderId! })), {
      name: "IncorrectState",
      status: 400,
    });
    const d = (await sim.ec2.send(new DescribeVerifiedAccessInstancesCommand({ VerifiedAccessInstanceIds: [i.VerifiedAccessInstanceId!] })))
      .VerifiedAccessInstances![0]!;
    expect(d.VerifiedAccessTrustProviders!.map((p) => p.TrustProviderType)).toEqual(["user", "device"]);
    const devices = await sim.ec2.send(new DescribeVerifiedAccessTrustProvidersCommand({ Filters: [{ Name: "trust-provider-type", Values: ["device"] }] }));
    expect(devices.VerifiedAccessTrustProviders!.map((p) => p.VerifiedAccessTrustProviderId)).toEqual([jamf.VerifiedAccessTrustProviderId]);
    const mod = (
      await sim.ec2.send(
        new ModifyVerifiedAccessTrustProviderCommand({
          VerifiedAccessTrustProviderId: oidc.VerifiedAccessTrustProviderId!,
          OidcOptions: { Scope: "openid email" },
        }),
      )
    ).VerifiedAccessTrustProvider!;
    expect(mod.OidcOptions!.Scope).toBe("openid email");
    await sim.ec2.send(
      new DetachVerifiedAccessTrustProviderCommand({
        VerifiedAccessInstanceId: i.VerifiedAccessInstanceId!,
        VerifiedAccessTrustProviderId: oidc.VerifiedAccessTrustProviderId!,
      }),
    );
    await sim.ec2.send(new DeleteVerifiedAccessTrustProviderCommand({ VerifiedAccessTrustProviderId: oidc.VerifiedAccessTrustProviderId! }));
    await expectAwsError(
      sim.ec2.send(new DescribeVerifiedAccessTrustProvidersCommand({ VerifiedAccessTrustProviderIds: [oidc.VerifiedAccessTrustProviderId!] })),
      {
        name: "InvalidVerifiedAccessTrustProviderId.NotFound",
        status: 400,
      },
    );
  });

  it("access logging configuration", async () => {
    const i = (await sim.ec2.send(new CreateVerifiedAccessInstanceCommand({}))).VerifiedAccessInstance!.VerifiedAccessInstanceId!;
    const before = (await sim.ec2.send(new DescribeVerifiedAccessInstanceLoggingConfigurationsCommand({ VerifiedAccessInstanceIds: [i] })))
      .LoggingConfigurations![0]!;
    expect([before.AccessLogs!.S3!.Enabled, before.AccessLogs!.CloudWatchLogs!.Enabled, before.AccessLogs!.LogVersion]).toEqual([false, false, "ocsf-0.1"]);
    const mod = (
      await sim.ec2.send(
        new ModifyVerifiedAccessInstanceLoggingConfigurationCommand({
          VerifiedAccessInstanceId: i,
          AccessLogs: { CloudWatchLogs: { Enabled: true, LogGroup: "va-logs" } },
        }),
      )
    ).LoggingConfiguration!;
    expect(mod.AccessLogs!.CloudWatchLogs).toEqual({ Enabled: true, DeliveryStatus: { Code: "success" }, LogGroup: "va-logs" });
    await expectAwsError(
      sim.ec2.send(new ModifyVerifiedAccessInstanceLoggingConfigurationCommand({ VerifiedAccessInstanceId: i, AccessLogs: { S3: { Enabled: true } } })),
      { name: "MissingParameter", status: 400 },
    );
  });

  it("groups, endpoints and their policies", async () => {
    const i = (await sim.ec2.send(new CreateVerifiedAccessInstanceCommand({}))).VerifiedAccessInstance!.VerifiedAccessInstanceId!;
    const g = (await sim.ec2.send(new CreateVerifiedAccessGroupCommand({ VerifiedAccessInstanceId: i, Description: "apps" }))).VerifiedAccessGroup!;
    expect(g.VerifiedAccessGroupId).toMatch(/^vagr-[0-9a-f]{17}$/);
    expect(g.VerifiedAccessGroupArn).toBe(`arn:aws:ec2:us-east-1:000000000000:verified-access-group/${g.VerifiedAccessGroupId}`);
    expect(g.Owner).toBe("000000000000");
    const gid = g.VerifiedAccessGroupId!;
    expect(await sim.ec2.send(new GetVerifiedAccessGroupPolicyCommand({ VerifiedAccessGroupId: gid }))).toMatchObject({ PolicyEnabled: false });
    const policy = "permit(principal, action, resource) when { context.idp.email_verified == true };";
    await sim.ec2.send(new ModifyVerifiedAccessGroupPolicyCommand({ VerifiedAccessGroupId: gid, PolicyEnabled: true, PolicyDocument: policy }));
    const gp = await sim.ec2.send(new GetVerifiedAccessGroupPolicyCommand({ VerifiedAccessGroupId: gid }));
    expect([gp.PolicyEnabled, gp.PolicyDocument]).toEqual([true, policy]);

    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.30.1.0/24" }))).Subnet!.SubnetId!;
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub }))).NetworkInterface!.NetworkInterfaceId!;
    const e1 = (
      await sim.ec2.send(
        new CreateVerifiedAccessEndpointCommand({
          VerifiedAccessGroupId: gid,
          EndpointType: "network-interface",
          AttachmentType: "vpc",
          ApplicationDomain: "app.example.com",
          DomainCertificateArn: CERT,
          EndpointDomainPrefix: "app",
          NetworkInterfaceOptions: { NetworkInterfaceId: eni, Protocol: "https", Port: 443 },
        }),
      )
    ).VerifiedAccessEndpoint!;
    expect(e1.VerifiedAccessEndpointId).toMatch(/^vae-[0-9a-f]{17}$/);
    expect(e1.Status!.Code).toBe("pending");
    expect(e1.EndpointDomain).toMatch(new RegExp(`^app\\.edge-[0-9a-f]{17}\\.${i}\\.prod\\.verified-access\\.us-east-1\\.amazonaws\\.com$`));
    expect(e1.NetworkInterfaceOptions).toEqual({ NetworkInterfaceId: eni, Protocol: "https", Port: 443 });
    const lb = (
      await sim.ec2.send(
        new CreateVerifiedAccessEndpointCommand({
          VerifiedAccessGroupId: gid,
          EndpointType: "load-balancer",
          AttachmentType: "vpc",
          ApplicationDomain: "lb.example.com",
          DomainCertificateArn: CERT,
          EndpointDomainPrefix: "lb",
          LoadBalancerOptions: {
            LoadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0123456789abcdef",
            SubnetIds: [sub],
          },
        }),
      )
    ).VerifiedAccessEndpoint!;
    expect(lb.LoadBalancerOptions!.SubnetIds).toEqual([sub]);
    const list = await sim.ec2.send(
      new DescribeVerifiedAccessEndpointsCommand({ VerifiedAccessGroupId: gid, Filters: [{ Name: "endpoint-type", Values: ["load-balancer"] }] }),
    );
    expect(list.VerifiedAccessEndpoints!.map((x) => [x.VerifiedAccessEndpointId, x.Status!.Code])).toEqual([[lb.VerifiedAccessEndpointId, "active"]]);
    const m = (
      await sim.ec2.send(
        new ModifyVerifiedAccessEndpointCommand({ VerifiedAccessEndpointId: lb.VerifiedAccessEndpointId!, LoadBalancerOptions: { Port: 8443 } }),
      )
    ).VerifiedAccessEndpoint!;
    expect(m.LoadBalancerOptions!.Port).toBe(8443);
    await sim.ec2.send(
      new ModifyVerifiedAccessEndpointPolicyCommand({ VerifiedAccessEndpointId: e1.VerifiedAccessEndpointId!, PolicyEnabled: true, PolicyDocument: policy }),
    );
    expect((await sim.ec2.send(new GetVerifiedAccessEndpointPolicyCommand({ VerifiedAccessEndpointId: e1.VerifiedAccessEndpointId! }))).PolicyDocument).toBe(
      policy,
    );

    await expectAwsError(sim.ec2.send(new DeleteVerifiedAccessGroupCommand({ VerifiedAccessGroupId: gid })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new DeleteVerifiedAccessInstanceCommand({ VerifiedAccessInstanceId: i })), { name: "IncorrectState", status: 400 });
    for (const x of [e1, lb]) await sim.ec2.send(new DeleteVerifiedAccessEndpointCommand({ VerifiedAccessEndpointId: x.VerifiedAccessEndpointId! }));
    await sim.ec2.send(new DeleteVerifiedAccessGroupCommand({ VerifiedAccessGroupId: gid }));
    expect((await sim.ec2.send(new DescribeVerifiedAccessGroupsCommand({ VerifiedAccessInstanceId: i }))).VerifiedAccessGroups).toEqual([]);
    await sim.ec2.send(new DeleteVerifiedAccessInstanceCommand({ VerifiedAccessInstanceId: i }));
    await expectAwsError(sim.ec2.send(new DescribeVerifiedAccessEndpointsCommand({ VerifiedAccessEndpointIds: [e1.VerifiedAccessEndpointId!] })), {
      name: "InvalidVerifiedAccessEndpointId.NotFound",
      status: 400,
    });
  });
});
