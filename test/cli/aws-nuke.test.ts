/**
 * aws-nuke (Debian's 2.16, rebuy-de/aws-nuke on aws-sdk-go v1) against awsim: resources of the aws-nuke types awsim
 * serves are created with the JS SDK, a dry run must list them (type and id), and `--no-dry-run --force` must
 * delete them all in its dependency order (retrying what cannot go yet) and exit 0; everything is then read back
 * with the JS SDK. aws-nuke's custom endpoints: every service of region us-east-1 at awsim, plus a service named ""
 * because aws-nuke creates its STS and IAM account-check sessions with an empty service type, and only resolves
 * those against the region's services by that name. Skips where aws-nuke is missing. To look into a failure:
 * AWSIM_NUKE_LOG=<file> keeps both runs' output (<file>, <file>.run), AWSIM_NUKE_VERBOSE=1 adds every request.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeResourcePoliciesCommand,
  DescribeDestinationsCommand,
  PutDestinationCommand,
  PutResourcePolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import * as ec2sdk from "@aws-sdk/client-ec2";
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import * as ecssdk from "@aws-sdk/client-ecs";
import * as efssdk from "@aws-sdk/client-efs";
import * as iamsdk from "@aws-sdk/client-iam";
import * as lambdasdk from "@aws-sdk/client-lambda";
import * as s3sdk from "@aws-sdk/client-s3";
import * as sdsdk from "@aws-sdk/client-servicediscovery";
import { afterAll, describe, expect, it } from "vitest";
import { sshRsaKey, totp, useServer } from "../helpers.js";
import { zip } from "../sdk/lambda-helpers.js";
import { CERT, KEY } from "../iam-cert-fixture.js";

// rebuy-de's 2.x (Debian's package) takes --no-dry-run on its root command; ekristen's 3.x has a `run` command and
// another config format.
const help = spawnSync("aws-nuke", ["--help"], { encoding: "utf8" });
const hasNuke = help.status === 0 && /--no-dry-run/.test(help.stdout) && /--force-sleep/.test(help.stdout);
if (!hasNuke) console.warn("skipping aws-nuke tests: aws-nuke 2.x is not installed (Debian package aws-nuke)");

/** The aws-nuke resource types of awsim's ten services (`aws-nuke resource-types`: 71), less the excluded ones. */
const TYPES_PREFIX = /^(EC2|ECS|ECR|S3|CloudWatchLogs|ServiceDiscovery|IAM|EFS|Lambda)/;
/** Type → why aws-nuke cannot nuke it against awsim. None: all 71 are created, listed and deleted. */
const EXCLUDED: Record<string, string> = {};
const KEEP_TYPES = ["EC2Volume", "IAMRole", "IAMPolicy", "LambdaFunction", "S3Bucket"];

describe.skipIf(!hasNuke)("aws-nuke", () => {
  // Under --enforce-iam=strict with test/test as the account's root keys, so every aws-sdk-go v1 signature
  // (S3's virtual-hosted ones included) is verified.
  const t = useServer({ enforceIam: "strict", rootKeys: ["test:test"] }, (cfg) => ({
    ec2: new ec2sdk.EC2Client(cfg),
    ecs: new ecssdk.ECSClient(cfg),
    ecr: new ECRClient(cfg),
    logs: new CloudWatchLogsClient(cfg),
    sd: new sdsdk.ServiceDiscoveryClient(cfg),
    iam: new iamsdk.IAMClient(cfg),
    efs: new efssdk.EFSClient(cfg),
    lambda: new lambdasdk.LambdaClient(cfg),
    s3: new s3sdk.S3Client({ ...cfg, forcePathStyle: true }),
  }));
  const dir = mkdtempSync(join(tmpdir(), "awsim-nuke-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // aws-sdk-go v1 addresses S3 buckets virtual-hosted (http://<bucket>.localhost:<port>) and aws-nuke 2.16 has no
  // path-style setting; those names do not resolve here, so aws-nuke's HTTP_PROXY is awsim itself, which serves a
  // proxied request (absolute-form target) as the request its target names. localhost and 127.0.0.1 are never
  // proxied by Go, so only the bucket hosts go that way.

  function writeConfig(): { path: string; types: string[] } {
    const types = spawnSync("aws-nuke", ["resource-types"], { encoding: "utf8" })
      .stdout.split("\n")
      .filter((l) => TYPES_PREFIX.test(l) && !(l in EXCLUDED));
    const services = ["ec2", "ecs", "ecr", "s3", "cloudwatchlogs", "servicediscovery", "iam", "sts", "efs", "lambda", ""];
    const lines = [
      "regions: [us-east-1]",
      'account-blocklist: ["999999999999"]',
      "accounts:",
      '  "000000000000":',
      "    filters:",
      ...KEEP_TYPES.flatMap((ty) => [`      ${ty}:`, '        - property: "tag:keep"', '          value: "yes"']),
      "feature-flags:",
      "  disable-deletion-protection:",
      "    EC2Instance: true",
      "endpoints:",
      "  - region: us-east-1",
      "    services:",
      ...services.flatMap((s) => [`      - service: "${s}"`, `        url: ${s === "s3" ? `http://localhost:${t.server.port}` : t.server.url}`]),
      "resource-types:",
      "  targets:",
      ...types.map((ty) => `    - ${ty}`),
    ];
    const path = join(dir, "nuke.yaml");
    writeFileSync(path, `${lines.join("\n")}\n`);
    return { path, types };
  }

  function nuke(config: string, ...args: string[]) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "aws-nuke",
        [
          "-c",
          config,
          "--access-key-id",
          "test",
          "--secret-access-key",
          "test",
          "--force",
          "--force-sleep",
          "3",
          ...(process.env.AWSIM_NUKE_VERBOSE ? ["-v"] : []),
          ...args,
        ],
        {
          timeout: 120_000,
          maxBuffer: 32 * 1024 * 1024,
          env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", ...proxyEnv() },
        },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  function proxyEnv() {
    const url = `http://127.0.0.1:${t.server.port}`;
    return { HTTP_PROXY: url, http_proxy: url, NO_PROXY: "", no_proxy: "" };
  }

  /** aws-nuke's item lines: `us-east-1 - <Type> - <id> - [props] - <state>`; id or props may be missing (an ENI's id is a property). */
  function items(stdout: string) {
    const out: Array<{ type: string; id: string; state: string }> = [];
    for (const line of stdout.split("\n")) {
      const m = /^us-east-1 - (\w+) - (.*?)(?: - )?(\[.*\])? - ([^[\]]*)$/.exec(line);
      if (m) out.push({ type: m[1]!, id: m[2] || (/\b(?:UU)?ID: "([^"]+)"/.exec(m[3] ?? "")?.[1] ?? ""), state: m[4]! });
    }
    return out;
  }

  it("lists what awsim holds, then deletes all of it", { timeout: 150_000 }, async () => {
    const created = await populate();
    const kept = await populateKept();
    const { path: config, types } = writeConfig();

    const dry = await nuke(config);
    if (process.env.AWSIM_NUKE_LOG) writeFileSync(process.env.AWSIM_NUKE_LOG, `${dry.stdout}${dry.stderr}`);
    expect(dry.code, dry.stderr).toBe(0);
    const listed = items(dry.stdout);
    const missing = created.filter(([type, id]) => !listed.some((i) => i.type === type && i.id === id && i.state === "would remove"));
    expect(missing, dry.stdout).toEqual([]);
    expect(types.filter((ty) => !listed.some((i) => i.type === ty))).toEqual([]);
    // Beyond what was created: the default VPC's pieces, main route tables, root volumes and the interfaces of
    // instances, NAT gateways, endpoints, mount targets, tasks and functions.
    const implied = [
      "EC2VPC",
      "EC2Subnet",
      "EC2InternetGateway",
      "EC2InternetGatewayAttachment",
      "EC2DHCPOption",
      "EC2RouteTable",
      "EC2NetworkInterface",
      "EC2Volume",
    ];
    const extra = listed.filter((i) => i.state === "would remove" && !created.some(([type, id]) => i.type === type && i.id === id));
    expect(extra.filter((i) => !implied.includes(i.type))).toEqual([]);
    expect(listed.filter((i) => /nuke-elsewhere/.test(i.id))).toEqual([]);
    expect(listed.find((i) => i.type === "IAMRole" && i.id === "AWSServiceRoleForECS")?.state).toBe("cannot delete service roles");
    for (const [type, id] of kept) expect(listed.find((i) => i.type === type && i.id === id)?.state, `${type} ${id}`).toBe("filtered by config");
    expect(dry.stderr, "listing errors").not.toMatch(/level=error/);

    const run = await nuke(config, "--no-dry-run", "--max-wait-retries", "10");
    if (process.env.AWSIM_NUKE_LOG) writeFileSync(`${process.env.AWSIM_NUKE_LOG}.run`, `${run.stdout}${run.stderr}`);
    expect(run.code, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`).toBe(0);

    await expectAllGone(kept);

    // Again: what is left (terminated instances, deleted NAT gateways, VPN pieces and peerings AWS still shows for a
    // while, filtered resources) is nothing to delete.
    const again = await nuke(config);
    if (process.env.AWSIM_NUKE_LOG) writeFileSync(`${process.env.AWSIM_NUKE_LOG}.again`, `${again.stdout}${again.stderr}`);
    expect(again.code, again.stderr).toBe(0);
    expect(items(again.stdout).filter((i) => i.state === "would remove")).toEqual([]);
    expect(again.stdout).toMatch(/Scan complete: \d+ total, 0 nukeable/);
  });

  // ---- population --------------------------------------------------------------------------------------

  async function populate(): Promise<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    const add = (type: string, id: string | undefined) => {
      expect(id, type).toBeTruthy();
      out.push([type, id!]);
      return id!;
    };
    const { ec2, iam } = t;

    await iam.send(new iamsdk.CreateAccountAliasCommand({ AccountAlias: "awsim-nuke-sandbox" }));

    // EC2: a VPC with its pieces.
    const vpc = (await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: "10.20.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    add("EC2VPC", vpc.VpcId);
    const subnet = (await ec2.send(new ec2sdk.CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: "10.20.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!;
    add("EC2Subnet", subnet.SubnetId);
    const igw = (await ec2.send(new ec2sdk.CreateInternetGatewayCommand({}))).InternetGateway!;
    add("EC2InternetGateway", igw.InternetGatewayId);
    await ec2.send(new ec2sdk.AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: vpc.VpcId }));
    add("EC2InternetGatewayAttachment", `${igw.InternetGatewayId} -> ${vpc.VpcId}`);
    const eigw = (await ec2.send(new ec2sdk.CreateEgressOnlyInternetGatewayCommand({ VpcId: vpc.VpcId }))).EgressOnlyInternetGateway!;
    add("EC2EgressOnlyInternetGateway", eigw.EgressOnlyInternetGatewayId);
    const rtb = (await ec2.send(new ec2sdk.CreateRouteTableCommand({ VpcId: vpc.VpcId }))).RouteTable!;
    add("EC2RouteTable", rtb.RouteTableId);
    await ec2.send(new ec2sdk.CreateRouteCommand({ RouteTableId: rtb.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw.InternetGatewayId }));
    await ec2.send(new ec2sdk.AssociateRouteTableCommand({ RouteTableId: rtb.RouteTableId, SubnetId: subnet.SubnetId }));
    const acl = (await ec2.send(new ec2sdk.CreateNetworkAclCommand({ VpcId: vpc.VpcId }))).NetworkAcl!;
    add("EC2NetworkACL", acl.NetworkAclId);
    const subnetAssoc = (
      await ec2.send(new ec2sdk.DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnet.SubnetId!] }] }))
    ).NetworkAcls![0]!.Associations!.find((a) => a.SubnetId === subnet.SubnetId)!.NetworkAclAssociationId;
    await ec2.send(new ec2sdk.ReplaceNetworkAclAssociationCommand({ AssociationId: subnetAssoc, NetworkAclId: acl.NetworkAclId }));
    const sgA = (await ec2.send(new ec2sdk.CreateSecurityGroupCommand({ GroupName: "nuke-a", Description: "a", VpcId: vpc.VpcId }))).GroupId!;
    const sgB = (await ec2.send(new ec2sdk.CreateSecurityGroupCommand({ GroupName: "nuke-b", Description: "b", VpcId: vpc.VpcId }))).GroupId!;
    add("EC2SecurityGroup", sgA);
    add("EC2SecurityGroup", sgB);
    // Each group's rules name the other: neither can go before the rules do.
    await ec2.send(
      new ec2sdk.AuthorizeSecurityGroupIngressCommand({
        GroupId: sgA,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: sgB }] }],
      }),
    );
    await ec2.send(
      new ec2sdk.AuthorizeSecurityGroupIngressCommand({
        GroupId: sgB,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: sgA }] }],
      }),
    );
    const dhcp = (await ec2.send(new ec2sdk.CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: "domain-name", Values: ["nuke.internal"] }] })))
      .DhcpOptions!;
    add("EC2DHCPOption", dhcp.DhcpOptionsId);
    await ec2.send(new ec2sdk.AssociateDhcpOptionsCommand({ DhcpOptionsId: dhcp.DhcpOptionsId, VpcId: vpc.VpcId }));
    const natEip = (await ec2.send(new ec2sdk.AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const natIp = (await ec2.send(new ec2sdk.DescribeAddressesCommand({ AllocationIds: [natEip] }))).Addresses![0]!.PublicIp;
    add("EC2Address", natIp);
    const nat = (await ec2.send(new ec2sdk.CreateNatGatewayCommand({ SubnetId: subnet.SubnetId, AllocationId: natEip }))).NatGateway!;
    add("EC2NATGateway", nat.NatGatewayId);
    const eni = (await ec2.send(new ec2sdk.CreateNetworkInterfaceCommand({ SubnetId: subnet.SubnetId, Groups: [sgA] }))).NetworkInterface!;
    add("EC2NetworkInterface", eni.NetworkInterfaceId);
    // An address associated with a detached interface: deleting the interface lets the address go.
    const eni2 = (await ec2.send(new ec2sdk.CreateNetworkInterfaceCommand({ SubnetId: subnet.SubnetId }))).NetworkInterface!;
    add("EC2NetworkInterface", eni2.NetworkInterfaceId);
    const eniEip = (await ec2.send(new ec2sdk.AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    await ec2.send(new ec2sdk.AssociateAddressCommand({ AllocationId: eniEip, NetworkInterfaceId: eni2.NetworkInterfaceId }));
    add("EC2Address", (await ec2.send(new ec2sdk.DescribeAddressesCommand({ AllocationIds: [eniEip] }))).Addresses![0]!.PublicIp);
    const vpce = (
      await ec2.send(new ec2sdk.CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIds: [rtb.RouteTableId!] }))
    ).VpcEndpoint!;
    add("EC2VPCEndpoint", vpce.VpcEndpointId);
    const ifEndpoint = (
      await ec2.send(
        new ec2sdk.CreateVpcEndpointCommand({
          VpcId: vpc.VpcId,
          VpcEndpointType: "Interface",
          ServiceName: "com.amazonaws.us-east-1.logs",
          SubnetIds: [subnet.SubnetId!],
          SecurityGroupIds: [sgA],
        }),
      )
    ).VpcEndpoint!;
    add("EC2VPCEndpoint", ifEndpoint.VpcEndpointId);
    const peerVpc = (await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: "10.21.0.0/16" }))).Vpc!;
    add("EC2VPC", peerVpc.VpcId);
    const pcx = (await ec2.send(new ec2sdk.CreateVpcPeeringConnectionCommand({ VpcId: vpc.VpcId, PeerVpcId: peerVpc.VpcId }))).VpcPeeringConnection!;
    await ec2.send(new ec2sdk.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx.VpcPeeringConnectionId }));
    add("EC2VPCPeeringConnection", pcx.VpcPeeringConnectionId);

    // Instances, volumes, snapshots, images, key pairs, launch templates, placement groups.
    const key = (await ec2.send(new ec2sdk.CreateKeyPairCommand({ KeyName: "nuke-key" }))).KeyName!;
    add("EC2KeyPair", key);
    const lt = (await ec2.send(new ec2sdk.CreateLaunchTemplateCommand({ LaunchTemplateName: "nuke-lt", LaunchTemplateData: { InstanceType: "t3.micro" } })))
      .LaunchTemplate!;
    add("EC2LaunchTemplate", lt.LaunchTemplateName);
    const pg = (await ec2.send(new ec2sdk.CreatePlacementGroupCommand({ GroupName: "nuke-pg", Strategy: "spread" }))).PlacementGroup!;
    add("EC2PlacementGroup", pg.GroupName);
    const image = (await ec2.send(new ec2sdk.DescribeImagesCommand({ Owners: ["amazon"], MaxResults: 5 }))).Images![0]!.ImageId!;
    const inst = (
      await ec2.send(
        new ec2sdk.RunInstancesCommand({
          ImageId: image,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnet.SubnetId,
          SecurityGroupIds: [sgB],
          KeyName: key,
        }),
      )
    ).Instances![0]!;
    add("EC2Instance", inst.InstanceId);
    // Termination protection: aws-nuke turns it off (feature flag disable-deletion-protection.EC2Instance) when
    // TerminateInstances answers OperationNotPermitted, then terminates.
    const guarded = (
      await ec2.send(
        new ec2sdk.RunInstancesCommand({
          ImageId: image,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnet.SubnetId,
          DisableApiTermination: true,
        }),
      )
    ).Instances![0]!;
    add("EC2Instance", guarded.InstanceId);
    const instEip = (await ec2.send(new ec2sdk.AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    add("EC2Address", (await ec2.send(new ec2sdk.DescribeAddressesCommand({ AllocationIds: [instEip] }))).Addresses![0]!.PublicIp);
    await ec2.send(new ec2sdk.AssociateAddressCommand({ AllocationId: instEip, InstanceId: inst.InstanceId }));
    const vol = (await ec2.send(new ec2sdk.CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }))).VolumeId!;
    add("EC2Volume", vol);
    // Attached to the instance and kept at its termination. (Not so a second interface: aws-nuke 2.16 fails its
    // DetachNetworkInterface once the instance took the attachment along, and then, the interface's Status having
    // changed, takes it for deleted and leaves it, on AWS as here.)
    await ec2.send(new ec2sdk.AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: "/dev/sdf" }));
    const snap = (await ec2.send(new ec2sdk.CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    add("EC2Snapshot", snap);
    const ami = (await ec2.send(new ec2sdk.CreateImageCommand({ InstanceId: inst.InstanceId, Name: "nuke-ami" }))).ImageId!;
    add("EC2Image", ami);
    // The AMI's own snapshot is listed and deleted too (after the AMI is deregistered).
    const amiSnaps = (await ec2.send(new ec2sdk.DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!.BlockDeviceMappings!.flatMap((b) =>
      b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [],
    );
    for (const s of amiSnaps) add("EC2Snapshot", s);

    // VPN and transit gateway pieces.
    const cgw = (await ec2.send(new ec2sdk.CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65000, IpAddress: "198.51.100.7" }))).CustomerGateway!;
    add("EC2CustomerGateway", cgw.CustomerGatewayId);
    const vgw = (await ec2.send(new ec2sdk.CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!;
    add("EC2VPNGateway", vgw.VpnGatewayId);
    await ec2.send(new ec2sdk.AttachVpnGatewayCommand({ VpnGatewayId: vgw.VpnGatewayId, VpcId: peerVpc.VpcId }));
    add("EC2VPNGatewayAttachment", `${vgw.VpnGatewayId} -> ${peerVpc.VpcId}`);
    const vpn = (
      await ec2.send(new ec2sdk.CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw.CustomerGatewayId, VpnGatewayId: vgw.VpnGatewayId }))
    ).VpnConnection!;
    add("EC2VPNConnection", vpn.VpnConnectionId);
    const tgw = (await ec2.send(new ec2sdk.CreateTransitGatewayCommand({ Description: "nuke" }))).TransitGateway!;
    add("EC2TGW", tgw.TransitGatewayId);
    const tgwa = (
      await ec2.send(
        new ec2sdk.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc.VpcId, SubnetIds: [subnet.SubnetId!] }),
      )
    ).TransitGatewayVpcAttachment!;
    add("EC2TGWAttachment", `${tgwa.TransitGatewayAttachmentId}(vpc)`);
    // Routes through the NAT gateway, the peering and the transit gateway: those go anyway, their routes blackhole.
    for (const route of [
      { DestinationCidrBlock: "192.168.0.0/24", NatGatewayId: nat.NatGatewayId },
      { DestinationCidrBlock: "10.21.0.0/16", VpcPeeringConnectionId: pcx.VpcPeeringConnectionId },
      { DestinationCidrBlock: "172.20.0.0/16", TransitGatewayId: tgw.TransitGatewayId },
    ])
      await ec2.send(new ec2sdk.CreateRouteCommand({ RouteTableId: rtb.RouteTableId, ...route }));

    // A Spot Fleet (its instance too), a Client VPN endpoint with a target network, an endpoint service.
    const sfr = (
      await ec2.send(
        new ec2sdk.RequestSpotFleetCommand({
          SpotFleetRequestConfig: {
            IamFleetRole: "arn:aws:iam::000000000000:role/aws-ec2-spot-fleet-tagging-role",
            TargetCapacity: 1,
            LaunchSpecifications: [{ ImageId: image, InstanceType: "t3.small", SubnetId: subnet.SubnetId }],
          },
        }),
      )
    ).SpotFleetRequestId!;
    add("EC2SpotFleetRequest", sfr);
    for (const i of (await ec2.send(new ec2sdk.DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: sfr }))).ActiveInstances ?? [])
      add("EC2Instance", i.InstanceId);
    const cert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";
    const cvpn = (
      await ec2.send(
        new ec2sdk.CreateClientVpnEndpointCommand({
          ClientCidrBlock: "172.16.0.0/22",
          ServerCertificateArn: cert,
          AuthenticationOptions: [{ Type: "certificate-authentication", MutualAuthentication: { ClientRootCertificateChainArn: cert } }],
          ConnectionLogOptions: { Enabled: false },
        }),
      )
    ).ClientVpnEndpointId!;
    add("EC2ClientVpnEndpoint", cvpn);
    await ec2.send(new ec2sdk.AssociateClientVpnTargetNetworkCommand({ ClientVpnEndpointId: cvpn, SubnetId: subnet.SubnetId }));
    add("EC2ClientVpnEndpointAttachment", `${cvpn} -> ${vpc.VpcId}`);
    const svcConf = (
      await ec2.send(
        new ec2sdk.CreateVpcEndpointServiceConfigurationCommand({
          NetworkLoadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/nuke-nlb/0123456789abcdef"],
        }),
      )
    ).ServiceConfiguration!;
    add("EC2VPCEndpointServiceConfiguration", svcConf.ServiceId);

    await populateServices(add, { vpc: vpc.VpcId!, subnet: subnet.SubnetId!, sg: sgA });
    return out;
  }

  async function populateServices(add: (type: string, id: string | undefined) => string, net: { vpc: string; subnet: string; sg: string }) {
    const { ecs, ecr, logs, sd, iam, efs, lambda, s3 } = t;
    const acct = "000000000000";

    // ECS: a cluster with a registered container instance, a task definition and a service running it.
    const cluster = (await ecs.send(new ecssdk.CreateClusterCommand({ clusterName: "nuke-cluster" }))).cluster!;
    add("ECSCluster", cluster.clusterArn);
    const ci = (
      await ecs.send(
        new ecssdk.RegisterContainerInstanceCommand({
          cluster: "nuke-cluster",
          instanceIdentityDocument: JSON.stringify({ instanceId: "i-0123456789abcdef0", availabilityZone: "us-east-1a", instanceType: "t3.medium" }),
        }),
      )
    ).containerInstance!;
    add("ECSClusterInstance", `${ci.containerInstanceArn} -> ${cluster.clusterArn}`);
    const td = (
      await ecs.send(
        new ecssdk.RegisterTaskDefinitionCommand({
          family: "nuke-web",
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          containerDefinitions: [{ name: "web", image: "nginx", essential: true }],
        }),
      )
    ).taskDefinition!;
    add("ECSTaskDefinition", td.taskDefinitionArn);
    // The service registers its task in a Cloud Map service of a private DNS namespace: that service can only go
    // once the ECS service (and so its registration) has.
    const dnsOp = (await sd.send(new sdsdk.CreatePrivateDnsNamespaceCommand({ Name: "nuke.internal", Vpc: net.vpc }))).OperationId!;
    const dnsNs = (await sd.send(new sdsdk.GetOperationCommand({ OperationId: dnsOp }))).Operation!.Targets!.NAMESPACE!;
    add("ServiceDiscoveryNamespace", dnsNs);
    const registry = (
      await sd.send(
        new sdsdk.CreateServiceCommand({ Name: "web", NamespaceId: dnsNs, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }], RoutingPolicy: "MULTIVALUE" } }),
      )
    ).Service!;
    add("ServiceDiscoveryService", registry.Id);
    const svc = (
      await ecs.send(
        new ecssdk.CreateServiceCommand({
          cluster: "nuke-cluster",
          serviceName: "nuke-svc",
          taskDefinition: td.taskDefinitionArn,
          desiredCount: 1,
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [net.subnet], securityGroups: [net.sg] } },
          serviceRegistries: [{ registryArn: registry.Arn }],
        }),
      )
    ).service!;
    add("ECSService", `${svc.serviceArn} -> ${cluster.clusterArn}`);
    const registered = (await sd.send(new sdsdk.ListInstancesCommand({ ServiceId: registry.Id }))).Instances ?? [];
    expect(registered).toHaveLength(1);
    add("ServiceDiscoveryInstance", `${registered[0]!.Id} -> ${registry.Id}`);

    // ECR, CloudWatch Logs.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: "nuke/repo" }));
    add("ECRRepository", "Repository: nuke/repo");
    // An image in it: aws-nuke deletes repositories with force.
    const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 100, digest: sha(randomBytes(8)) },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 10, digest: sha(randomBytes(8)) }],
    });
    await ecr.send(new PutImageCommand({ repositoryName: "nuke/repo", imageManifest: manifest, imageTag: "v1" }));
    // More log groups than one DescribeLogGroups page (50) holds.
    for (let i = 0; i < 60; i++) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: `/nuke/app-${i}` }));
      add("CloudWatchLogsLogGroup", `/nuke/app-${i}`);
    }
    await logs.send(
      new PutResourcePolicyCommand({
        policyName: "nuke-policy",
        policyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "route53.amazonaws.com" }, Action: "logs:PutLogEvents", Resource: "*" }],
        }),
      }),
    );
    add("CloudWatchLogsResourcePolicy", "nuke-policy");
    const logsTrust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await iam.send(new iamsdk.CreateRoleCommand({ RoleName: "nuke-cwl-to-kinesis", AssumeRolePolicyDocument: JSON.stringify(logsTrust) }));
    add("IAMRole", "nuke-cwl-to-kinesis");
    await logs.send(
      new PutDestinationCommand({
        destinationName: "nuke-dest",
        targetArn: `arn:aws:kinesis:us-east-1:${acct}:stream/nuke-stream`,
        roleArn: `arn:aws:iam::${acct}:role/nuke-cwl-to-kinesis`,
      }),
    );
    add("CloudWatchLogsDestination", "nuke-dest");

    // Cloud Map: an HTTP namespace with a service.
    const op = (await sd.send(new sdsdk.CreateHttpNamespaceCommand({ Name: "nuke-ns" }))).OperationId!;
    const nsId = (await sd.send(new sdsdk.GetOperationCommand({ OperationId: op }))).Operation!.Targets!.NAMESPACE!;
    add("ServiceDiscoveryNamespace", nsId);
    const sdSvc = (await sd.send(new sdsdk.CreateServiceCommand({ Name: "nuke-sd", NamespaceId: nsId }))).Service!;
    add("ServiceDiscoveryService", sdSvc.Id);
    // No instance of its own: aws-nuke 2.16 lists the instances of the first service only (its loop over services
    // stops at the first ListInstances without a NextToken); the ECS service's registration above is the one.

    // IAM: users with every attachment, groups, roles, policies, instance profiles, providers, certificates.
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com", "lambda.amazonaws.com"] }, Action: "sts:AssumeRole" }],
    });
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] });
    const policyArn = (await iam.send(new iamsdk.CreatePolicyCommand({ PolicyName: "nuke-managed", PolicyDocument: doc }))).Policy!.Arn!;
    for (let i = 0; i < 2; i++) await iam.send(new iamsdk.CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: doc, SetAsDefault: i === 0 }));
    add("IAMPolicy", policyArn);
    await iam.send(new iamsdk.CreateUserCommand({ UserName: "nuke-user" }));
    add("IAMUser", "nuke-user");
    const key = (await iam.send(new iamsdk.CreateAccessKeyCommand({ UserName: "nuke-user" }))).AccessKey!;
    add("IAMUserAccessKey", `nuke-user -> ${key.AccessKeyId}`);
    await iam.send(new iamsdk.CreateLoginProfileCommand({ UserName: "nuke-user", Password: "Nuke-Passw0rd!" }));
    add("IAMLoginProfile", "nuke-user");
    await iam.send(new iamsdk.PutUserPolicyCommand({ UserName: "nuke-user", PolicyName: "inline-u", PolicyDocument: doc }));
    add("IAMUserPolicy", "nuke-user -> inline-u");
    await iam.send(new iamsdk.AttachUserPolicyCommand({ UserName: "nuke-user", PolicyArn: policyArn }));
    add("IAMUserPolicyAttachment", "nuke-user -> nuke-managed");
    await iam.send(new iamsdk.CreateGroupCommand({ GroupName: "nuke-group" }));
    add("IAMGroup", "nuke-group");
    await iam.send(new iamsdk.AddUserToGroupCommand({ GroupName: "nuke-group", UserName: "nuke-user" }));
    add("IAMUserGroupAttachment", "nuke-user -> nuke-group");
    await iam.send(new iamsdk.PutGroupPolicyCommand({ GroupName: "nuke-group", PolicyName: "inline-g", PolicyDocument: doc }));
    add("IAMGroupPolicy", "nuke-group -> inline-g");
    await iam.send(new iamsdk.AttachGroupPolicyCommand({ GroupName: "nuke-group", PolicyArn: policyArn }));
    add("IAMGroupPolicyAttachment", "nuke-group -> nuke-managed");
    const sshKey = (
      await iam.send(
        new iamsdk.UploadSSHPublicKeyCommand({
          UserName: "nuke-user",
          SSHPublicKeyBody: sshRsaKey("nuke@awsim").body,
        }),
      )
    ).SSHPublicKey!;
    add("IAMUserSSHPublicKey", `nuke-user -> ${sshKey.SSHPublicKeyId}`);
    const ssc = (await iam.send(new iamsdk.CreateServiceSpecificCredentialCommand({ UserName: "nuke-user", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    add("IAMServiceSpecificCredential", `nuke-user -> ${ssc.ServiceUserName}`);
    const mfa = (await iam.send(new iamsdk.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "nuke-mfa" }))).VirtualMFADevice!;
    add("IAMVirtualMFADevice", mfa.SerialNumber);
    const step = Math.floor(Date.now() / 30_000);
    const seed = Buffer.from(mfa.Base32StringSeed!).toString();
    await iam.send(
      new iamsdk.EnableMFADeviceCommand({
        UserName: "nuke-user",
        SerialNumber: mfa.SerialNumber,
        AuthenticationCode1: totp(seed, step - 1),
        AuthenticationCode2: totp(seed, step),
      }),
    );
    await iam.send(new iamsdk.CreateRoleCommand({ RoleName: "nuke-role", AssumeRolePolicyDocument: trust }));
    add("IAMRole", "nuke-role");
    await iam.send(new iamsdk.PutRolePolicyCommand({ RoleName: "nuke-role", PolicyName: "inline-r", PolicyDocument: doc }));
    add("IAMRolePolicy", "nuke-role -> inline-r");
    await iam.send(new iamsdk.AttachRolePolicyCommand({ RoleName: "nuke-role", PolicyArn: policyArn }));
    add("IAMRolePolicyAttachment", "nuke-role -> nuke-managed");
    await iam.send(new iamsdk.AttachRolePolicyCommand({ RoleName: "nuke-role", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    add("IAMRolePolicyAttachment", "nuke-role -> ReadOnlyAccess");
    // A service-linked role: aws-nuke leaves roles under /aws-service-role/ alone ("cannot delete service roles").
    await iam.send(new iamsdk.CreateServiceLinkedRoleCommand({ AWSServiceName: "ecs.amazonaws.com" }));
    await iam.send(new iamsdk.CreateInstanceProfileCommand({ InstanceProfileName: "nuke-profile" }));
    add("IAMInstanceProfile", "nuke-profile");
    await iam.send(new iamsdk.AddRoleToInstanceProfileCommand({ InstanceProfileName: "nuke-profile", RoleName: "nuke-role" }));
    add("IAMInstanceProfileRole", "nuke-profile -> nuke-role");
    const oidc = (
      await iam.send(
        new iamsdk.CreateOpenIDConnectProviderCommand({
          Url: "https://oidc.nuke.example",
          ThumbprintList: ["a".repeat(40)],
          ClientIDList: ["sts.amazonaws.com"],
        }),
      )
    ).OpenIDConnectProviderArn!;
    add("IAMOpenIDConnectProvider", oidc);
    const saml = (await iam.send(new iamsdk.CreateSAMLProviderCommand({ Name: "nuke-saml", SAMLMetadataDocument: SAML }))).SAMLProviderArn!;
    add("IAMSAMLProvider", saml);
    await iam.send(new iamsdk.UploadServerCertificateCommand({ ServerCertificateName: "nuke-cert", CertificateBody: CERT, PrivateKey: KEY }));
    add("IAMServerCertificate", "nuke-cert");

    // EFS: a file system with a mount target and an access point.
    const fs = (await efs.send(new efssdk.CreateFileSystemCommand({ CreationToken: "nuke-fs" }))).FileSystemId!;
    add("EFSFileSystem", "nuke-fs");
    const mt = (await efs.send(new efssdk.CreateMountTargetCommand({ FileSystemId: fs, SubnetId: net.subnet, SecurityGroups: [net.sg] }))).MountTargetId!;
    add("EFSMountTarget", `${fs}:${mt}`);
    await efs.send(new efssdk.CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "nuke-ap" }));

    // Lambda: a function with a version, an alias and an event source mapping; a layer with two versions.
    const fn = (
      await lambda.send(
        new lambdasdk.CreateFunctionCommand({
          FunctionName: "nuke-fn",
          Runtime: "nodejs20.x",
          Role: `arn:aws:iam::${acct}:role/nuke-role`,
          Handler: "index.handler",
          Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 'ok';" }) },
          Publish: true,
          VpcConfig: { SubnetIds: [net.subnet], SecurityGroupIds: [net.sg] },
        }),
      )
    ).FunctionName!;
    add("LambdaFunction", fn);
    await lambda.send(new lambdasdk.CreateAliasCommand({ FunctionName: fn, Name: "live", FunctionVersion: "1" }));
    const esm = (
      await lambda.send(
        new lambdasdk.CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: `arn:aws:sqs:us-east-1:${acct}:nuke-queue`, BatchSize: 5 }),
      )
    ).UUID!;
    add("LambdaEventSourceMapping", esm);
    for (let i = 0; i < 2; i++)
      await lambda.send(new lambdasdk.PublishLayerVersionCommand({ LayerName: "nuke-layer", Content: { ZipFile: zip({ "lib/x.js": `// ${i}` }) } }));
    add("LambdaLayer", "nuke-layer");
    add("LambdaLayer", "nuke-layer");

    // S3: a plain bucket with objects, a versioned one with versions and delete markers, an open multipart upload.
    await s3.send(new s3sdk.CreateBucketCommand({ Bucket: "nuke-plain" }));
    add("S3Bucket", "s3://nuke-plain");
    for (const k of ["a.txt", "dir/b.txt"]) {
      await s3.send(new s3sdk.PutObjectCommand({ Bucket: "nuke-plain", Key: k, Body: k }));
      add("S3Object", `s3://nuke-plain/${k}`);
    }
    await s3.send(new s3sdk.CreateBucketCommand({ Bucket: "nuke-versioned" }));
    add("S3Bucket", "s3://nuke-versioned");
    await s3.send(new s3sdk.PutBucketVersioningCommand({ Bucket: "nuke-versioned", VersioningConfiguration: { Status: "Enabled" } }));
    for (const body of ["v1", "v2"]) await s3.send(new s3sdk.PutObjectCommand({ Bucket: "nuke-versioned", Key: "k.txt", Body: body }));
    await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: "nuke-versioned", Key: "k.txt" }));
    // aws-nuke names the latest version (here the delete marker) s3://bucket/key, the others s3://bucket/key#version.
    const vs = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: "nuke-versioned" }));
    for (const v of [...(vs.Versions ?? []), ...(vs.DeleteMarkers ?? [])])
      add("S3Object", `s3://nuke-versioned/${v.Key}${v.IsLatest ? "" : `#${v.VersionId}`}`);
    expect(vs.Versions).toHaveLength(2);
    const up = (await s3.send(new s3sdk.CreateMultipartUploadCommand({ Bucket: "nuke-plain", Key: "big.bin" }))).UploadId!;
    // A bucket of another region: aws-nuke reads each bucket's location and only nukes those of its regions.
    await s3.send(new s3sdk.CreateBucketCommand({ Bucket: "nuke-elsewhere", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    add("S3MultipartUpload", `s3://nuke-plain/big.bin#${up}`);
  }

  /**
   * Resources tagged keep=yes, of the types whose aws-nuke 2.16 properties carry tags (read from DescribeVolumes,
   * GetRole, GetPolicy, Lambda ListTags and GetBucketTagging): the config's filters on tag:keep spare them.
   */
  async function populateKept(): Promise<Array<[string, string]>> {
    const { ec2, iam, lambda, s3 } = t;
    const tag = [{ Key: "keep", Value: "yes" }];
    const vol = (
      await ec2.send(new ec2sdk.CreateVolumeCommand({ AvailabilityZone: "us-east-1b", Size: 1, TagSpecifications: [{ ResourceType: "volume", Tags: tag }] }))
    ).VolumeId!;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await iam.send(new iamsdk.CreateRoleCommand({ RoleName: "nuke-keep-role", Tags: tag, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] };
    const pol = (await iam.send(new iamsdk.CreatePolicyCommand({ PolicyName: "nuke-keep-policy", Tags: tag, PolicyDocument: JSON.stringify(doc) }))).Policy!
      .Arn!;
    await lambda.send(
      new lambdasdk.CreateFunctionCommand({
        FunctionName: "nuke-keep-fn",
        Runtime: "nodejs20.x",
        Role: "arn:aws:iam::000000000000:role/nuke-keep-role",
        Handler: "index.handler",
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 'ok';" }) },
        Tags: { keep: "yes" },
      }),
    );
    await s3.send(new s3sdk.CreateBucketCommand({ Bucket: "nuke-keep" }));
    await s3.send(new s3sdk.PutBucketTaggingCommand({ Bucket: "nuke-keep", Tagging: { TagSet: tag } }));
    return [
      ["EC2Volume", vol],
      ["IAMRole", "nuke-keep-role"],
      ["IAMPolicy", pol],
      ["LambdaFunction", "nuke-keep-fn"],
      ["S3Bucket", "s3://nuke-keep"],
    ];
  }

  async function expectAllGone(kept: Array<[string, string]>) {
    const keptOf = (type: string) => kept.filter(([ty]) => ty === type).map(([, id]) => id);
    const { ec2 } = t;
    const vpcs = (await ec2.send(new ec2sdk.DescribeVpcsCommand({}))).Vpcs ?? [];
    expect(vpcs.map((v) => v.VpcId)).toEqual([]);
    const inst = ((await ec2.send(new ec2sdk.DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(inst.filter((i) => i.State?.Name !== "terminated").map((i) => i.InstanceId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeVolumesCommand({}))).Volumes ?? []).map((v) => v.VolumeId)).toEqual(keptOf("EC2Volume"));
    expect(((await ec2.send(new ec2sdk.DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots ?? []).map((v) => v.SnapshotId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeImagesCommand({ Owners: ["self"] }))).Images ?? []).map((v) => v.ImageId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeAddressesCommand({}))).Addresses ?? []).map((v) => v.AllocationId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeKeyPairsCommand({}))).KeyPairs ?? []).map((v) => v.KeyName)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? []).map((v) => v.LaunchTemplateId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribePlacementGroupsCommand({}))).PlacementGroups ?? []).map((v) => v.GroupName)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((v) => v.GroupId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeNetworkInterfacesCommand({}))).NetworkInterfaces ?? []).map((v) => v.NetworkInterfaceId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeInternetGatewaysCommand({}))).InternetGateways ?? []).map((v) => v.InternetGatewayId)).toEqual([]);
    const live = <T extends { State?: string }>(xs: T[] | undefined) => (xs ?? []).filter((x) => !/^delet/.test(String(x.State)));
    expect(live((await ec2.send(new ec2sdk.DescribeNatGatewaysCommand({}))).NatGateways)).toEqual([]);
    expect(live((await ec2.send(new ec2sdk.DescribeVpnGatewaysCommand({}))).VpnGateways)).toEqual([]);
    expect(live((await ec2.send(new ec2sdk.DescribeVpnConnectionsCommand({}))).VpnConnections)).toEqual([]);
    expect(live((await ec2.send(new ec2sdk.DescribeCustomerGatewaysCommand({}))).CustomerGateways)).toEqual([]);
    expect(live((await ec2.send(new ec2sdk.DescribeTransitGatewaysCommand({}))).TransitGateways)).toEqual([]);
    expect(live((await ec2.send(new ec2sdk.DescribeTransitGatewayAttachmentsCommand({}))).TransitGatewayAttachments)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeSubnetsCommand({}))).Subnets ?? []).map((v) => v.SubnetId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeRouteTablesCommand({}))).RouteTables ?? []).map((v) => v.RouteTableId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeNetworkAclsCommand({}))).NetworkAcls ?? []).map((v) => v.NetworkAclId)).toEqual([]);
    expect(((await ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({}))).DhcpOptions ?? []).map((v) => v.DhcpOptionsId)).toEqual([]);
    expect(
      ((await ec2.send(new ec2sdk.DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways ?? []).map((v) => v.EgressOnlyInternetGatewayId),
    ).toEqual([]);
    expect(live((await ec2.send(new ec2sdk.DescribeVpcEndpointsCommand({}))).VpcEndpoints)).toEqual([]);
    const pcx = (await ec2.send(new ec2sdk.DescribeVpcPeeringConnectionsCommand({}))).VpcPeeringConnections ?? [];
    expect(pcx.filter((p) => p.Status?.Code !== "deleted").map((p) => p.VpcPeeringConnectionId)).toEqual([]);
    const fleets = (await ec2.send(new ec2sdk.DescribeSpotFleetRequestsCommand({}))).SpotFleetRequestConfigs ?? [];
    expect(fleets.filter((f) => !/^cancelled/.test(String(f.SpotFleetRequestState))).map((f) => f.SpotFleetRequestId)).toEqual([]);
    const cvpns = (await ec2.send(new ec2sdk.DescribeClientVpnEndpointsCommand({}))).ClientVpnEndpoints ?? [];
    expect(cvpns.filter((c) => c.Status?.Code !== "deleted").map((c) => c.ClientVpnEndpointId)).toEqual([]);
    expect((await ec2.send(new ec2sdk.DescribeVpcEndpointServiceConfigurationsCommand({}))).ServiceConfigurations ?? []).toEqual([]);

    const { ecs, ecr, logs, sd, iam, efs, lambda, s3 } = t;
    expect((await ecs.send(new ecssdk.ListClustersCommand({}))).clusterArns).toEqual([]);
    expect((await ecs.send(new ecssdk.ListTaskDefinitionsCommand({ status: "ACTIVE" }))).taskDefinitionArns).toEqual([]);
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    expect((await logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies ?? []).toEqual([]);
    expect((await logs.send(new DescribeDestinationsCommand({}))).destinations).toEqual([]);
    expect((await sd.send(new sdsdk.ListNamespacesCommand({}))).Namespaces).toEqual([]);
    expect((await sd.send(new sdsdk.ListServicesCommand({}))).Services).toEqual([]);
    expect((await iam.send(new iamsdk.ListUsersCommand({}))).Users).toEqual([]);
    expect((await iam.send(new iamsdk.ListGroupsCommand({}))).Groups).toEqual([]);
    expect((await iam.send(new iamsdk.ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).toEqual(["AWSServiceRoleForECS", ...keptOf("IAMRole")]);
    expect((await iam.send(new iamsdk.ListPoliciesCommand({ Scope: "Local" }))).Policies!.map((p) => p.Arn)).toEqual(keptOf("IAMPolicy"));
    expect((await iam.send(new iamsdk.ListInstanceProfilesCommand({}))).InstanceProfiles).toEqual([]);
    expect((await iam.send(new iamsdk.ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([]);
    expect((await iam.send(new iamsdk.ListSAMLProvidersCommand({}))).SAMLProviderList).toEqual([]);
    expect((await iam.send(new iamsdk.ListServerCertificatesCommand({}))).ServerCertificateMetadataList).toEqual([]);
    expect((await iam.send(new iamsdk.ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toEqual([]);
    expect((await efs.send(new efssdk.DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
    expect((await lambda.send(new lambdasdk.ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionName)).toEqual(keptOf("LambdaFunction"));
    expect((await lambda.send(new lambdasdk.ListLayersCommand({}))).Layers).toEqual([]);
    expect((await lambda.send(new lambdasdk.ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual([]);
    expect(((await s3.send(new s3sdk.ListBucketsCommand({}))).Buckets ?? []).map((b) => `s3://${b.Name}`)).toEqual([
      "s3://nuke-elsewhere",
      ...keptOf("S3Bucket"),
    ]);
  }
});

// SAML metadata fixture (as test/sdk/paginators-iam.test.ts's; the certificate is test/iam-cert-fixture.ts).
const SAML = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.nuke.example.com/">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.nuke.example.com/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>${"<!-- padding -->".repeat(60)}`;
