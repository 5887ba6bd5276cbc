import {
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DisableSnapshotBlockPublicAccessCommand,
  EC2Client,
  EnableSnapshotBlockPublicAccessCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifyTransitGatewayCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("snapshot block public access", () => {
  it("enables, reports and disables per region", async () => {
    expect((await sim.ec2.send(new GetSnapshotBlockPublicAccessStateCommand({}))).State).toBe("unblocked");
    await sim.ec2.send(new EnableSnapshotBlockPublicAccessCommand({ State: "block-all-sharing" }));
    expect((await sim.ec2.send(new GetSnapshotBlockPublicAccessStateCommand({}))).State).toBe("block-all-sharing");
    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    expect((await west.send(new GetSnapshotBlockPublicAccessStateCommand({}))).State).toBe("unblocked");
    await expectAwsError(sim.ec2.send(new EnableSnapshotBlockPublicAccessCommand({ State: "block-new-sharing", DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    expect((await sim.ec2.send(new DisableSnapshotBlockPublicAccessCommand({}))).State).toBe("unblocked");
    expect((await sim.ec2.send(new GetSnapshotBlockPublicAccessStateCommand({}))).State).toBe("unblocked");
  });
});

describe("ModifyTransitGateway", () => {
  it("changes options and the default route table", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({ Description: "a" }))).TransitGateway!;
    const id = tgw.TransitGatewayId!;
    const custom = (await sim.ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: id }))).TransitGatewayRouteTable!
      .TransitGatewayRouteTableId!;
    const r = await sim.ec2.send(
      new ModifyTransitGatewayCommand({
        TransitGatewayId: id,
        Description: "b",
        Options: {
          DnsSupport: "disable",
          AddTransitGatewayCidrBlocks: ["10.99.0.0/24"],
          AssociationDefaultRouteTableId: custom,
          PropagationDefaultRouteTableId: custom,
        },
      }),
    );
    expect(r.TransitGateway).toMatchObject({
      Description: "b",
      State: "modifying",
      Options: { DnsSupport: "disable", AssociationDefaultRouteTableId: custom },
    });
    const d = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }))).TransitGateways![0]!;
    expect(d.Description).toBe("b");
    expect(d.Options).toMatchObject({ DnsSupport: "disable", TransitGatewayCidrBlocks: ["10.99.0.0/24"], PropagationDefaultRouteTableId: custom });
    const rts = (await sim.ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: [{ Name: "default-association-route-table", Values: ["true"] }] })))
      .TransitGatewayRouteTables!;
    expect(rts.map((x) => x.TransitGatewayRouteTableId)).toEqual([custom]);
    await expectAwsError(
      sim.ec2.send(new ModifyTransitGatewayCommand({ TransitGatewayId: id, Options: { AssociationDefaultRouteTableId: "tgw-rtb-0123456789abcdef0" } })),
      {
        name: "InvalidRouteTableID.NotFound",
        status: 400,
      },
    );
    await expectAwsError(sim.ec2.send(new ModifyTransitGatewayCommand({ TransitGatewayId: "tgw-0123456789abcdef0" })), {
      name: "InvalidTransitGatewayID.NotFound",
      status: 400,
    });
  });
});
