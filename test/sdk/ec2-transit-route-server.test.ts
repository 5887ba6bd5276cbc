import {
  AssociateRouteServerCommand,
  CreateRouteServerCommand,
  CreateRouteServerEndpointCommand,
  CreateRouteServerPeerCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteRouteServerCommand,
  DeleteRouteServerEndpointCommand,
  DeleteRouteServerPeerCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteServerEndpointsCommand,
  DescribeRouteServerPeersCommand,
  DescribeRouteServersCommand,
  DisableRouteServerPropagationCommand,
  DisassociateRouteServerCommand,
  EC2Client,
  EnableRouteServerPropagationCommand,
  GetRouteServerAssociationsCommand,
  GetRouteServerPropagationsCommand,
  GetRouteServerRoutingDatabaseCommand,
  ModifyRouteServerCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("VPC Route Server", () => {
  it("route server → association → endpoint → peer → propagation, torn down in AWS's order", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const sn = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.1.0/24" }))).Subnet!.SubnetId!;
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    await expectAwsError(sim.ec2.send(new CreateRouteServerCommand({ AmazonSideAsn: 65000, PersistRoutes: "enable" })), {
      name: "MissingParameter",
      status: 400,
    });
    const created = (
      await sim.ec2.send(
        new CreateRouteServerCommand({
          AmazonSideAsn: 65000,
          PersistRoutes: "enable",
          PersistRoutesDuration: 2,
          TagSpecifications: [{ ResourceType: "route-server", Tags: [{ Key: "Name", Value: "rs1" }] }],
        }),
      )
    ).RouteServer!;
    expect(created.RouteServerId).toMatch(/^rs-[0-9a-f]{17}$/);
    expect(created.State).toBe("pending");
    expect(created.PersistRoutesState).toBe("enabled");
    expect(created.PersistRoutesDuration).toBe(2);
    const id = created.RouteServerId!;
    expect((await sim.ec2.send(new DescribeRouteServersCommand({ RouteServerIds: [id] }))).RouteServers![0]!.State).toBe("available");

    await expectAwsError(sim.ec2.send(new CreateRouteServerEndpointCommand({ RouteServerId: id, SubnetId: sn })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const assoc = (await sim.ec2.send(new AssociateRouteServerCommand({ RouteServerId: id, VpcId: vpc }))).RouteServerAssociation!;
    expect(assoc).toEqual({ RouteServerId: id, VpcId: vpc, State: "associating" });
    expect((await sim.ec2.send(new GetRouteServerAssociationsCommand({ RouteServerId: id }))).RouteServerAssociations).toEqual([
      { RouteServerId: id, VpcId: vpc, State: "associated" },
    ]);

    const ep = (await sim.ec2.send(new CreateRouteServerEndpointCommand({ RouteServerId: id, SubnetId: sn }))).RouteServerEndpoint!;
    expect(ep.RouteServerEndpointId).toMatch(/^rse-[0-9a-f]{17}$/);
    expect(ep.EniAddress).toMatch(/^10\.0\.1\.\d+$/);
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [ep.EniId!] }))).NetworkInterfaces![0]!;
    expect(eni.PrivateIpAddress).toBe(ep.EniAddress);
    expect(
      (await sim.ec2.send(new DescribeRouteServerEndpointsCommand({ Filters: [{ Name: "route-server-id", Values: [id] }] }))).RouteServerEndpoints!.map(
        (x) => x.State,
      ),
    ).toEqual(["available"]);

    await expectAwsError(
      sim.ec2.send(
        new CreateRouteServerPeerCommand({ RouteServerEndpointId: ep.RouteServerEndpointId, PeerAddress: "192.168.0.1", BgpOptions: { PeerAsn: 65001 } }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateRouteServerPeerCommand({ RouteServerEndpointId: ep.RouteServerEndpointId, PeerAddress: "10.0.1.50", BgpOptions: { PeerAsn: 65000 } }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const peer = (
      await sim.ec2.send(
        new CreateRouteServerPeerCommand({
          RouteServerEndpointId: ep.RouteServerEndpointId,
          PeerAddress: "10.0.1.50",
          BgpOptions: { PeerAsn: 65001, PeerLivenessDetection: "bfd" },
        }),
      )
    ).RouteServerPeer!;
    expect(peer.RouteServerPeerId).toMatch(/^rsp-[0-9a-f]{17}$/);
    expect(peer.EndpointEniAddress).toBe(ep.EniAddress);
    expect(peer.BgpStatus).toEqual({ Status: "down" });
    expect(peer.BfdStatus).toEqual({ Status: "down" });
    const peers = await sim.ec2.send(new DescribeRouteServerPeersCommand({ Filters: [{ Name: "peer-address", Values: ["10.0.1.50"] }] }));
    expect(peers.RouteServerPeers!.map((x) => [x.RouteServerPeerId, x.State, x.VpcId])).toEqual([[peer.RouteServerPeerId, "available", vpc]]);

    const prop = (await sim.ec2.send(new EnableRouteServerPropagationCommand({ RouteServerId: id, RouteTableId: rtb }))).RouteServerPropagation!;
    expect(prop.State).toBe("pending");
    expect((await sim.ec2.send(new GetRouteServerPropagationsCommand({ RouteServerId: id }))).RouteServerPropagations).toEqual([
      { RouteServerId: id, RouteTableId: rtb, State: "available" },
    ]);
    const db = await sim.ec2.send(new GetRouteServerRoutingDatabaseCommand({ RouteServerId: id }));
    expect(db.AreRoutesPersisted).toBe(true);
    expect(db.Routes).toEqual([]);

    await sim.ec2.send(new ModifyRouteServerCommand({ RouteServerId: id, PersistRoutes: "disable" }));
    const after = (await sim.ec2.send(new DescribeRouteServersCommand({ Filters: [{ Name: "tag:Name", Values: ["rs1"] }] }))).RouteServers![0]!;
    expect(after.PersistRoutesState).toBe("disabled");

    await expectAwsError(sim.ec2.send(new DisassociateRouteServerCommand({ RouteServerId: id, VpcId: vpc })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new DeleteRouteServerEndpointCommand({ RouteServerEndpointId: ep.RouteServerEndpointId })), {
      name: "IncorrectState",
      status: 400,
    });
    await sim.ec2.send(new DeleteRouteServerPeerCommand({ RouteServerPeerId: peer.RouteServerPeerId }));
    await sim.ec2.send(new DeleteRouteServerEndpointCommand({ RouteServerEndpointId: ep.RouteServerEndpointId }));
    await sim.ec2.send(new DisableRouteServerPropagationCommand({ RouteServerId: id, RouteTableId: rtb }));
    await expectAwsError(sim.ec2.send(new DeleteRouteServerCommand({ RouteServerId: id })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new DisassociateRouteServerCommand({ RouteServerId: id, VpcId: vpc }));
    expect((await sim.ec2.send(new DeleteRouteServerCommand({ RouteServerId: id }))).RouteServer!.State).toBe("deleting");
    await expectAwsError(sim.ec2.send(new DescribeRouteServersCommand({ RouteServerIds: [id] })), { name: "InvalidRouteServerId.NotFound", status: 400 });
  });
});
