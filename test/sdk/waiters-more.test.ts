/**
 * SDK waiter acceptors the other waiter tests leave open: the exact error codes the error matchers name,
 * the empty-list success of SecurityGroupVpcAssociationDisassociated, and (against a server with a
 * transition delay) the retry / failure states only a resource on its way can show: instance status
 * checks while pending, daemon deployments IN_PROGRESS and STOPPED, a daemon DELETE_IN_PROGRESS, and a
 * cancelled conversion task.
 */
import {
  AssociateSecurityGroupVpcCommand,
  CancelConversionTaskCommand,
  CreateKeyPairCommand,
  DeleteCustomerGatewayCommand,
  DescribeCustomerGatewaysCommand,
  DescribeSecurityGroupVpcAssociationsCommand,
  DisassociateSecurityGroupVpcCommand,
  GetPasswordDataCommand,
  CreateCustomerGatewayCommand,
  CreateTransitGatewayCommand,
  CreateVpnConnectionCommand,
  DeleteVpnConnectionCommand,
  DescribeVpnConnectionsCommand,
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeKeyPairsCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeVolumesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ImportVolumeCommand,
  RunInstancesCommand,
  waitForConversionTaskCancelled,
  waitForCustomerGatewayAvailable,
  waitForConversionTaskCompleted,
  waitForConversionTaskDeleted,
  waitForInstanceStatusOk,
  waitForPasswordDataAvailable,
  waitForSecurityGroupVpcAssociationAssociated,
  waitForSecurityGroupVpcAssociationDisassociated,
  waitForSystemStatusOk,
  waitForVpnConnectionAvailable,
  waitForVpnConnectionDeleted,
} from "@aws-sdk/client-ec2";
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateDaemonCommand,
  DeleteDaemonCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  ECSClient,
  ListDaemonDeploymentsCommand,
  RegisterDaemonTaskDefinitionCommand,
  UpdateDaemonCommand,
  waitForDaemonActive,
  waitForDaemonDeploymentStopped,
  waitForDaemonDeploymentSuccessful,
} from "@aws-sdk/client-ecs";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI, vpcWithSubnet } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));
// Long enough that a loaded machine (three test workers on two cores) still sees the transitional state first.
// Long enough that a Describe right after a launch still sees it pending on a loaded machine (1.5 s was not, once).
const DELAY_MS = 3000;
const slow = useServer({ transitionDelayMs: DELAY_MS }, (cfg) => ({
  ec2: new EC2Client(cfg),
  ecs: new ECSClient(cfg),
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
}));

/** Poll fast; a waiter that keeps retrying times out in half a second. */
const fast = <C>(client: C) => ({ client, minDelay: 0.15, maxDelay: 0.15, maxWaitTime: 0.5 });
/**
 * Poll every 0.2 s for up to 15 s: retries while the delay runs, success after (generous: a loaded machine can stretch
 * two transition delays, pending then initializing status checks, well past their 3 s).
 */
const poll = <C>(client: C) => ({ client, minDelay: 0.2, maxDelay: 0.2, maxWaitTime: 15 });

describe("EC2 error acceptors", () => {
  it("each retry / success / failure error matcher names the code awsim answers for a missing resource", async () => {
    // [waiters whose acceptor names it, the request, the code in waiters-2.json]
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      [
        "InstanceExists, InstanceRunning",
        () => sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
        "InvalidInstanceID.NotFound",
      ],
      ["InstanceStatusOk", () => sim.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ["i-0123456789abcdef0"] })), "InvalidInstanceID.NotFound"],
      ["ImageExists", () => sim.ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] })), "InvalidAMIID.NotFound"],
      ["KeyPairExists", () => sim.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["missing"] })), "InvalidKeyPair.NotFound"],
      [
        "NatGatewayAvailable, NatGatewayDeleted",
        () => sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ["nat-0123456789abcdef0"] })),
        "NatGatewayNotFound",
      ],
      [
        "NetworkInterfaceAvailable",
        () => sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-0123456789abcdef0"] })),
        "InvalidNetworkInterfaceID.NotFound",
      ],
      ["SecurityGroupExists", () => sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0123456789abcdef0"] })), "InvalidGroup.NotFound"],
      [
        "SpotInstanceRequestFulfilled",
        () => sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ["sir-abcdefgh"] })),
        "InvalidSpotInstanceRequestID.NotFound",
      ],
      ["VolumeDeleted", () => sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: ["vol-0123456789abcdef0"] })), "InvalidVolume.NotFound"],
      ["VpcExists", () => sim.ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0123456789abcdef0"] })), "InvalidVpcID.NotFound"],
      [
        "VpcPeeringConnectionExists, VpcPeeringConnectionDeleted",
        () => sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: ["pcx-0123456789abcdef0"] })),
        "InvalidVpcPeeringConnectionID.NotFound",
      ],
    ];
    const errors = await Promise.all(cases.map(([, p, code]) => expectAwsError(p(), { name: code, status: 400 })));
    expect(
      errors.map((e) => e.name),
      cases.map(([waiters]) => waiters).join(" / "),
    ).toEqual(cases.map(([, , code]) => code));
  });

  it("SecurityGroupVpcAssociationDisassociated succeeds on no associations at all (its length == 0 acceptor)", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2);
    const g = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "lonely", Description: "lonely", VpcId: vpcId }))).GroupId!;
    const r = await waitForSecurityGroupVpcAssociationDisassociated(fast(sim.ec2), { Filters: [{ Name: "group-id", Values: [g] }] });
    expect(r.state).toBe("SUCCESS");
  });
});

// Independent resources on the delayed server: the tests run side by side.
describe.concurrent("with a transition delay", () => {
  it("InstanceStatusOk and SystemStatusOk retry while the instance is pending (no status yet), then succeed", async () => {
    const id = (await slow.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    expect((await slow.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses).toEqual([]);
    const [inst, sys] = await Promise.all([
      waitForInstanceStatusOk(poll(slow.ec2), { InstanceIds: [id] }),
      waitForSystemStatusOk(poll(slow.ec2), { InstanceIds: [id] }),
    ]);
    expect([inst.state, sys.state]).toEqual(["SUCCESS", "SUCCESS"]);
    const st = (await slow.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses![0]!;
    expect([st.InstanceStatus!.Status, st.SystemStatus!.Status]).toEqual(["ok", "ok"]);
  });

  it("PasswordDataAvailable retries while the Windows instance is pending (empty PasswordData), then succeeds", async () => {
    await slow.ec2.send(new CreateKeyPairCommand({ KeyName: "win-admin", KeyType: "rsa" }));
    const id = (await slow.ec2.send(new RunInstancesCommand({ ImageId: "ami-05b4ded3ceb71e470", KeyName: "win-admin", MinCount: 1, MaxCount: 1 })))
      .Instances![0]!.InstanceId!;
    expect((await slow.ec2.send(new GetPasswordDataCommand({ InstanceId: id }))).PasswordData).toBe("");
    expect((await waitForPasswordDataAvailable(poll(slow.ec2), { InstanceId: id })).state).toBe("SUCCESS");
    expect((await slow.ec2.send(new GetPasswordDataCommand({ InstanceId: id }))).PasswordData!.length).toBeGreaterThan(0);
  });

  it("SecurityGroupVpcAssociationAssociated retries while associating, ...Disassociated while disassociating; each then succeeds", async () => {
    const a = await vpcWithSubnet(slow.ec2, "10.20.0.0/16");
    const b = await vpcWithSubnet(slow.ec2, "10.21.0.0/16");
    const g = (await slow.ec2.send(new CreateSecurityGroupCommand({ GroupName: "shared", Description: "shared", VpcId: a.vpcId }))).GroupId!;
    const filter = { Filters: [{ Name: "group-id", Values: [g] }] };
    const states = async () => (await slow.ec2.send(new DescribeSecurityGroupVpcAssociationsCommand(filter))).SecurityGroupVpcAssociations!.map((x) => x.State);
    expect((await slow.ec2.send(new AssociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId }))).State).toBe("associating");
    expect(await states()).toEqual(["associating"]);
    expect((await waitForSecurityGroupVpcAssociationDisassociated(fast(slow.ec2), filter)).state).toBe("TIMEOUT");
    expect((await waitForSecurityGroupVpcAssociationAssociated(poll(slow.ec2), filter)).state).toBe("SUCCESS");
    expect(await states()).toEqual(["associated"]);
    expect((await slow.ec2.send(new DisassociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId }))).State).toBe("disassociating");
    expect(await states()).toEqual(["disassociating"]);
    await expectAwsError(slow.ec2.send(new DisassociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId })), {
      name: "InvalidSecurityGroupVpcAssociation.NotFound",
      status: 400,
    });
    expect((await waitForSecurityGroupVpcAssociationDisassociated(poll(slow.ec2), filter)).state).toBe("SUCCESS");
    expect(await states()).toEqual([]);
  });

  it("VPN connections: VpnConnectionDeleted fails while one is pending, VpnConnectionAvailable retries then succeeds; after the delete Available fails while it is deleting, Deleted retries then succeeds", async () => {
    const tgw = (await slow.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const cgw = (await slow.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65010, IpAddress: "203.0.113.10" }))).CustomerGateway!
      .CustomerGatewayId!;
    const v = (await slow.ec2.send(new CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw, TransitGatewayId: tgw }))).VpnConnection!;
    const ids = { VpnConnectionIds: [v.VpnConnectionId!] };
    const state = async () => (await slow.ec2.send(new DescribeVpnConnectionsCommand(ids))).VpnConnections![0]!.State;
    expect(await state()).toBe("pending");
    const pending = await slow.ec2.send(new DescribeVpnConnectionsCommand({ Filters: [{ Name: "state", Values: ["pending"] }] }));
    expect(pending.VpnConnections!.map((x) => x.VpnConnectionId)).toEqual([v.VpnConnectionId]);
    expect((await waitForVpnConnectionDeleted(fast(slow.ec2), ids)).state).toBe("FAILURE");
    expect((await waitForVpnConnectionAvailable(poll(slow.ec2), ids)).state).toBe("SUCCESS");
    expect(await state()).toBe("available");
    await slow.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: v.VpnConnectionId! }));
    expect(await state()).toBe("deleting");
    expect((await waitForVpnConnectionAvailable(fast(slow.ec2), ids)).state).toBe("FAILURE");
    expect((await waitForVpnConnectionDeleted(poll(slow.ec2), ids)).state).toBe("SUCCESS");
    expect(await state()).toBe("deleted");
    // Its customer gateway, deleted in turn, is deleting: CustomerGatewayAvailable fails on that state too.
    await slow.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw }));
    const cgws = { CustomerGatewayIds: [cgw] };
    expect((await slow.ec2.send(new DescribeCustomerGatewaysCommand(cgws))).CustomerGateways![0]!.State).toBe("deleting");
    expect((await waitForCustomerGatewayAvailable(fast(slow.ec2), cgws)).state).toBe("FAILURE");
    await new Promise((r) => setTimeout(r, DELAY_MS + 50));
    expect((await slow.ec2.send(new DescribeCustomerGatewaysCommand(cgws))).CustomerGateways![0]!.State).toBe("deleted");
  });

  it("a cancelled conversion task: ConversionTaskCancelled succeeds, ConversionTaskCompleted fails, ConversionTaskDeleted never matches", async () => {
    await slow.s3.send(new CreateBucketCommand({ Bucket: "waiters-more" }));
    await slow.s3.send(new PutObjectCommand({ Bucket: "waiters-more", Key: "m.xml", Body: "<manifest/>" }));
    const cv = await slow.ec2.send(
      new ImportVolumeCommand({
        AvailabilityZone: "us-east-1a",
        Image: { Format: "VMDK", Bytes: 5, ImportManifestUrl: "s3://waiters-more/m.xml" },
        Volume: { Size: 1 },
      }),
    );
    const ids = { ConversionTaskIds: [cv.ConversionTask!.ConversionTaskId!] };
    await slow.ec2.send(new CancelConversionTaskCommand({ ConversionTaskId: ids.ConversionTaskIds[0] }));
    expect((await waitForConversionTaskCancelled(fast(slow.ec2), ids)).state).toBe("SUCCESS");
    expect((await waitForConversionTaskCompleted(fast(slow.ec2), ids)).state).toBe("FAILURE");
    // ConversionTaskState is active | cancelling | cancelled | completed: the waiter's "deleted" is no state
    // AWS shows, so ConversionTaskDeleted polls until it times out (as against AWS).
    expect((await waitForConversionTaskDeleted(fast(slow.ec2), ids)).state).toBe("TIMEOUT");
  });

  it("daemon deployments: DaemonDeploymentSuccessful retries while IN_PROGRESS; a newer deployment STOPs the running one; DaemonActive fails while DELETE_IN_PROGRESS", async () => {
    await slow.ecs.send(new CreateClusterCommand({ clusterName: "dd" }));
    const cp = (
      await slow.ecs.send(
        new CreateCapacityProviderCommand({
          name: "dd-cp",
          cluster: "dd",
          managedInstancesProvider: {
            infrastructureRoleArn: "arn:aws:iam::000000000000:role/infra",
            instanceLaunchTemplate: { ec2InstanceProfileArn: "arn:aws:iam::000000000000:instance-profile/p", networkConfiguration: { subnets: ["subnet-1"] } },
          },
        }),
      )
    ).capacityProvider!.capacityProviderArn!;
    const register = async (image: string) =>
      (await slow.ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image }] })))
        .daemonTaskDefinitionArn!;
    const td1 = await register("agent:1");
    const d = await slow.ecs.send(new CreateDaemonCommand({ daemonName: "agent", clusterArn: "dd", daemonTaskDefinitionArn: td1, capacityProviderArns: [cp] }));
    const first = { daemonDeploymentArns: [d.deploymentArn!] };
    const dep1 = (await slow.ecs.send(new DescribeDaemonDeploymentsCommand(first))).daemonDeployments![0]!;
    expect(dep1.status).toBe("IN_PROGRESS");
    expect(dep1.finishedAt).toBeUndefined();
    expect((await waitForDaemonDeploymentSuccessful(poll(slow.ecs), first)).state).toBe("SUCCESS");
    const done = (await slow.ecs.send(new DescribeDaemonDeploymentsCommand(first))).daemonDeployments![0]!;
    expect(done.status).toBe("SUCCESSFUL");
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    // The finished deployment is not stopped by the next one.
    expect((await waitForDaemonDeploymentStopped(fast(slow.ecs), first)).state).toBe("TIMEOUT");

    const td2 = await register("agent:2");
    const u2 = await slow.ecs.send(new UpdateDaemonCommand({ daemonArn: d.daemonArn, daemonTaskDefinitionArn: td2, capacityProviderArns: [cp] }));
    const td3 = await register("agent:3");
    const u3 = await slow.ecs.send(new UpdateDaemonCommand({ daemonArn: d.daemonArn, daemonTaskDefinitionArn: td3, capacityProviderArns: [cp] }));
    const second = { daemonDeploymentArns: [u2.deploymentArn!] };
    // u3 replaced u2 while it was in progress: STOPPED at once.
    expect((await waitForDaemonDeploymentStopped(fast(slow.ecs), second)).state).toBe("SUCCESS");
    expect((await waitForDaemonDeploymentSuccessful(fast(slow.ecs), second)).state).toBe("FAILURE");
    const stopped = (await slow.ecs.send(new DescribeDaemonDeploymentsCommand(second))).daemonDeployments![0]!;
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    const listed = await slow.ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: d.daemonArn, status: ["STOPPED"] }));
    expect(listed.daemonDeployments!.map((x) => x.daemonDeploymentArn)).toEqual([u2.deploymentArn]);
    expect((await waitForDaemonDeploymentSuccessful(poll(slow.ecs), { daemonDeploymentArns: [u3.deploymentArn!] })).state).toBe("SUCCESS");

    expect((await waitForDaemonActive(fast(slow.ecs), { daemonArn: d.daemonArn })).state).toBe("SUCCESS");
    expect((await slow.ecs.send(new DeleteDaemonCommand({ daemonArn: d.daemonArn }))).status).toBe("DELETE_IN_PROGRESS");
    expect((await slow.ecs.send(new DescribeDaemonCommand({ daemonArn: d.daemonArn }))).daemon!.status).toBe("DELETE_IN_PROGRESS");
    expect((await waitForDaemonActive(fast(slow.ecs), { daemonArn: d.daemonArn })).state).toBe("FAILURE");
    await new Promise((r) => setTimeout(r, DELAY_MS + 50));
    await expectAwsError(slow.ecs.send(new DescribeDaemonCommand({ daemonArn: d.daemonArn })), { name: "DaemonNotFoundException", status: 400 });
  });
});
