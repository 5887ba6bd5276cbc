import {
  AttachVerifiedAccessTrustProviderCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVerifiedAccessInstanceCommand,
  CreateVerifiedAccessTrustProviderCommand,
  CreateVpcCommand,
  DescribeTransitGatewaysCommand,
  EC2Client,
  ExportTransitGatewayRoutesCommand,
  ExportVerifiedAccessInstanceClientConfigurationCommand,
  GetVerifiedAccessEndpointTargetsCommand,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

describe("ExportTransitGatewayRoutes", () => {
  it("writes the route table's routes as JSON to awsim's S3", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const sn = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.1.0/24" }))).Subnet!.SubnetId!;
    const att = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: vpc, SubnetIds: [sn] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const rtb = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw] }))).TransitGateways![0]!.Options!
      .AssociationDefaultRouteTableId!;
    await sim.ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rtb, DestinationCidrBlock: "192.168.0.0/16", Blackhole: true }));

    await expectAwsError(sim.ec2.send(new ExportTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, S3Bucket: "no-such-bucket" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await sim.s3.send(new CreateBucketCommand({ Bucket: "tgw-exports" }));
    const out = await sim.ec2.send(new ExportTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, S3Bucket: "tgw-exports" }));
    const m = /^s3:\/\/tgw-exports\/(VPCTransitGateway\/TransitGatewayRouteTables\/.+\.json)$/.exec(out.S3Location!);
    expect(m).not.toBeNull();
    const body = JSON.parse(await (await sim.s3.send(new GetObjectCommand({ Bucket: "tgw-exports", Key: m![1] }))).Body!.transformToString());
    expect(body.filter).toEqual([]);
    expect(body.routes).toEqual([
      {
        destinationCidrBlock: "10.0.0.0/16",
        transitGatewayAttachments: [{ resourceId: vpc, transitGatewayAttachmentId: att, resourceType: "vpc" }],
        type: "propagated",
        state: "active",
      },
      { destinationCidrBlock: "192.168.0.0/16", type: "static", state: "blackhole" },
    ]);
    const filtered = await sim.ec2.send(
      new ExportTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, S3Bucket: "tgw-exports", Filters: [{ Name: "type", Values: ["static"] }] }),
    );
    const key = filtered.S3Location!.replace("s3://tgw-exports/", "");
    const doc = JSON.parse(await (await sim.s3.send(new GetObjectCommand({ Bucket: "tgw-exports", Key: key }))).Body!.transformToString());
    expect(doc.filter).toEqual([{ name: "type", values: ["static"] }]);
    expect(doc.routes.map((r: { destinationCidrBlock: string }) => r.destinationCidrBlock)).toEqual(["192.168.0.0/16"]);
    await expectAwsError(
      sim.ec2.send(new ExportTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: "tgw-rtb-0123456789abcdef0", S3Bucket: "tgw-exports" })),
      {
        name: "InvalidRouteTableID.NotFound",
        status: 400,
      },
    );
  });
});

describe("Verified Access leftovers", () => {
  it("exports an instance's client configuration from its trust providers; endpoint targets need a CIDR endpoint", async () => {
    const i = (await sim.ec2.send(new CreateVerifiedAccessInstanceCommand({}))).VerifiedAccessInstance!.VerifiedAccessInstanceId!;
    const user = (
      await sim.ec2.send(
        new CreateVerifiedAccessTrustProviderCommand({
          TrustProviderType: "user",
          UserTrustProviderType: "oidc",
          PolicyReferenceName: "idp",
          OidcOptions: {
            Issuer: "https://idp.example.com",
            AuthorizationEndpoint: "https://idp.example.com/authorize",
            TokenEndpoint: "https://idp.example.com/token",
            UserInfoEndpoint: "https://idp.example.com/userinfo",
            ClientId: "client-1",
            ClientSecret: "secret-1",
            Scope: "openid email",
          },
        }),
      )
    ).VerifiedAccessTrustProvider!.VerifiedAccessTrustProviderId!;
    const device = (
      await sim.ec2.send(
        new CreateVerifiedAccessTrustProviderCommand({
          TrustProviderType: "device",
          DeviceTrustProviderType: "jamf",
          PolicyReferenceName: "dev",
          DeviceOptions: { TenantId: "t1" },
        }),
      )
    ).VerifiedAccessTrustProvider!.VerifiedAccessTrustProviderId!;
    await sim.ec2.send(new AttachVerifiedAccessTrustProviderCommand({ VerifiedAccessInstanceId: i, VerifiedAccessTrustProviderId: user }));
    await sim.ec2.send(new AttachVerifiedAccessTrustProviderCommand({ VerifiedAccessInstanceId: i, VerifiedAccessTrustProviderId: device }));
    const cfg = await sim.ec2.send(new ExportVerifiedAccessInstanceClientConfigurationCommand({ VerifiedAccessInstanceId: i }));
    expect(cfg.VerifiedAccessInstanceId).toBe(i);
    expect(cfg.Region).toBe("us-east-1");
    expect(cfg.DeviceTrustProviders).toEqual(["jamf"]);
    expect(cfg.UserTrustProvider).toEqual({
      Type: "oidc",
      Scopes: "openid email",
      Issuer: "https://idp.example.com",
      AuthorizationEndpoint: "https://idp.example.com/authorize",
      TokenEndpoint: "https://idp.example.com/token",
      UserInfoEndpoint: "https://idp.example.com/userinfo",
      ClientId: "client-1",
      ClientSecret: "secret-1",
    });
    expect(cfg.OpenVpnConfigurations).toEqual([]);
    await expectAwsError(sim.ec2.send(new ExportVerifiedAccessInstanceClientConfigurationCommand({ VerifiedAccessInstanceId: "vai-0123456789abcdef0" })), {
      name: "InvalidVerifiedAccessInstanceId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new GetVerifiedAccessEndpointTargetsCommand({ VerifiedAccessEndpointId: "vae-0123456789abcdef0" })), {
      name: "InvalidVerifiedAccessEndpointId.NotFound",
      status: 400,
    });
  });
});
