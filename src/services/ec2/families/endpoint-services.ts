/**
 * VPC endpoint services (PrivateLink provider side): service configurations in front of load balancers,
 * allowed principals, endpoint connections (a CreateVpcEndpoint to `com.amazonaws.vpce.<region>.vpce-svc-…`
 * from this or another account lands here, pendingAcceptance when acceptance is required), accept/reject,
 * connection notifications, private DNS names and their verification, payer responsibility.
 */
import { paginate } from "../../core/paginate.js";
import type { Ctx } from "../../core/types.js";
import { ec2Id, hex } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, select, st, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet, getVpc, newEni } from "../network.js";
import type { Ec2State, VpceRec } from "../state.js";
import { fam, famOf, type ConnectionNotificationRec, type EndpointConnectionRec, type EndpointServiceRec } from "./state.js";

const e = Ec2Errors.custom;
const svcNotFound = (id: string) => e("InvalidVpcEndpointServiceId.NotFound", `The VpcEndpointService Id '${id}' does not exist`);
const nfnNotFound = (id: string) => e("InvalidConnectionNotification", `The connection notification Id '${id}' does not exist`);

function getService(ctx: Ctx, id: string): EndpointServiceRec {
  const svc = fam(ctx).f.endpointServices.get(id);
  if (!svc) throw svcNotFound(id);
  return svc;
}

const svcType = (v: EndpointServiceRec) => (v.gwlbArns.length ? "GatewayLoadBalancer" : "Interface");

const serviceView = (s: Ec2State, v: EndpointServiceRec) => {
  const zones = zonesOf(s.region);
  return {
    ServiceType: [{ ServiceType: svcType(v) }],
    ServiceId: v.id,
    ServiceName: v.name,
    ServiceState: v.state,
    AvailabilityZoneIds: zones.map((z) => z.id),
    AvailabilityZones: zones.map((z) => z.name),
    AcceptanceRequired: v.acceptanceRequired,
    ManagesVpcEndpoints: false,
    NetworkLoadBalancerArns: v.nlbArns.length ? v.nlbArns : undefined,
    GatewayLoadBalancerArns: v.gwlbArns.length ? v.gwlbArns : undefined,
    SupportedIpAddressTypes: v.ipTypes,
    BaseEndpointDnsNames: [`${v.id}.${s.region}.vpce.amazonaws.com`],
    PrivateDnsName: v.privateDns?.name,
    PrivateDnsNameConfiguration: v.privateDns
      ? { State: v.privateDns.state, Type: v.privateDns.type, Value: v.privateDns.value, Name: v.privateDns.recordName }
      : {},
    PayerResponsibility: v.payer,
    Tags: tagsOf(v),
    SupportedRegions: v.regions.map((Region) => ({ Region, ServiceState: "Available" })),
    RemoteAccessEnabled: false,
  };
};

const ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(net|gwy)\/[^/]+\/[0-9a-f]+$/;

function checkArns(arns: string[], kind: "net" | "gwy") {
  for (const a of arns) {
    const m = ARN.exec(a);
    if (!m || m[1] !== kind) throw Ec2Errors.invalidValue(`Invalid ${kind === "net" ? "Network" : "Gateway"} Load Balancer ARN: ${a}`);
  }
}

function privateDns(name: string) {
  return { name, state: "pendingVerification", type: "TXT", value: `vpce:${hex(20)}`, recordName: `_${hex(20)}` };
}

export function CreateVpcEndpointServiceConfiguration(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const nlb = list(input.NetworkLoadBalancerArns);
  const gwlb = list(input.GatewayLoadBalancerArns);
  if (!nlb.length && !gwlb.length) throw Ec2Errors.invalidCombination("Either NetworkLoadBalancerArns or GatewayLoadBalancerArns should be specified.");
  if (nlb.length && gwlb.length) throw Ec2Errors.invalidCombination("NetworkLoadBalancerArns and GatewayLoadBalancerArns cannot be specified together.");
  checkArns(nlb, "net");
  checkArns(gwlb, "gwy");
  if (gwlb.length && input.PrivateDnsName)
    throw Ec2Errors.invalidCombination("Private DNS names are not supported for Gateway Load Balancer endpoint services.");
  const ipTypes = list(input.SupportedIpAddressTypes);
  dryRun(input);
  const id = ec2Id("vpce-svc");
  const v: EndpointServiceRec = {
    id,
    name: `com.amazonaws.vpce.${s.region}.${id}`,
    state: "Available",
    acceptanceRequired: input.AcceptanceRequired !== false,
    nlbArns: nlb,
    gwlbArns: gwlb,
    ipTypes: ipTypes.length ? ipTypes : ["ipv4"],
    regions: [...new Set([s.region, ...list(input.SupportedRegions)])],
    privateDns: input.PrivateDnsName ? privateDns(String(input.PrivateDnsName)) : undefined,
    payer: "ServiceOwner",
    principals: new Map(),
    createTime: ctx.now(),
    tags: new Map(),
  };
  f.endpointServices.set(id, v);
  applyTagSpec(s, input, "vpc-endpoint-service", id, v);
  return { ServiceConfiguration: serviceView(s, v), ClientToken: input.ClientToken };
}

export function DescribeVpcEndpointServiceConfigurations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.ServiceIds);
  for (const id of ids) getService(ctx, id);
  const items = ids.length ? ids.map((id) => f.endpointServices.get(id)!) : [...f.endpointServices.values()];
  const r = select(
    items,
    input,
    {
      "service-name": (v) => v.name,
      "service-id": (v) => v.id,
      "service-state": (v) => v.state,
      "supported-ip-address-types": (v) => v.ipTypes,
    },
    (v) => v.id,
    { paginate: true, clampMax: true },
  );
  return { ServiceConfigurations: r.items.map((v) => serviceView(s, v)), NextToken: r.nextToken };
}

export function ModifyVpcEndpointServiceConfiguration(ctx: Ctx, input: Input) {
  const v = getService(ctx, String(input.ServiceId));
  const addNlb = list(input.AddNetworkLoadBalancerArns);
  const addGwlb = list(input.AddGatewayLoadBalancerArns);
  checkArns(addNlb, "net");
  checkArns(addGwlb, "gwy");
  if ((addNlb.length && v.gwlbArns.length) || (addGwlb.length && v.nlbArns.length))
    throw Ec2Errors.invalidCombination("A service cannot have both Network Load Balancers and Gateway Load Balancers.");
  const nlb = [...new Set([...v.nlbArns, ...addNlb])].filter((a) => !list(input.RemoveNetworkLoadBalancerArns).includes(a));
  const gwlb = [...new Set([...v.gwlbArns, ...addGwlb])].filter((a) => !list(input.RemoveGatewayLoadBalancerArns).includes(a));
  if (!nlb.length && !gwlb.length) throw Ec2Errors.invalidValue("A service must have at least one load balancer.");
  const ipTypes = [...new Set([...v.ipTypes, ...list(input.AddSupportedIpAddressTypes)])].filter((t) => !list(input.RemoveSupportedIpAddressTypes).includes(t));
  if (!ipTypes.length) throw Ec2Errors.invalidValue("A service must support at least one IP address type.");
  if (input.PrivateDnsName && input.RemovePrivateDnsName === true)
    throw Ec2Errors.invalidCombination("PrivateDnsName and RemovePrivateDnsName cannot be specified together.");
  const region = st(ctx).region;
  if (list(input.RemoveSupportedRegions).includes(region)) throw Ec2Errors.invalidValue(`The service region ${region} cannot be removed.`);
  dryRun(input);
  v.nlbArns = nlb;
  v.gwlbArns = gwlb;
  v.ipTypes = ipTypes;
  if (input.AcceptanceRequired !== undefined) v.acceptanceRequired = input.AcceptanceRequired === true;
  if (input.PrivateDnsName) v.privateDns = privateDns(String(input.PrivateDnsName));
  if (input.RemovePrivateDnsName === true) v.privateDns = undefined;
  v.regions = [...new Set([...v.regions, ...list(input.AddSupportedRegions)])].filter((r) => !list(input.RemoveSupportedRegions).includes(r));
  return { Return: true };
}

export async function DeleteVpcEndpointServiceConfigurations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const unsuccessful: unknown[] = [];
  for (const id of list(input.ServiceIds)) {
    const v = f.endpointServices.get(id);
    if (!v) {
      unsuccessful.push({
        ResourceId: id,
        Error: { Code: "InvalidVpcEndpointServiceId.NotFound", Message: `The VpcEndpointService Id '${id}' does not exist` },
      });
      continue;
    }
    const live = [];
    for (const c of f.connections.values()) {
      if (c.serviceId !== id) continue;
      const st = await connectionState(ctx, c);
      if (st === "available" || st === "pendingAcceptance" || st === "pending") live.push(c);
    }
    if (live.length) {
      unsuccessful.push({
        ResourceId: id,
        Error: { Code: "ExistingVpcEndpointConnections", Message: "Service has existing active VPC Endpoint connections!" },
      });
      continue;
    }
    for (const [k, c] of f.connections) if (c.serviceId === id) f.connections.delete(k);
    for (const [k, n] of f.notifications) if (n.serviceId === id) f.notifications.delete(k);
    dropTags(s, id, v);
    f.endpointServices.delete(id);
  }
  return { Unsuccessful: unsuccessful };
}

// ---------------------------------------------------------------- permissions

function principalType(p: string): string {
  if (p === "*") return "All";
  if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p)) return "Account";
  if (/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(p)) return "Role";
  if (/^arn:aws[a-z-]*:iam::\d{12}:user\//.test(p)) return "User";
  if (/\.amazonaws\.com$/.test(p)) return "Service";
  if (/^arn:aws[a-z-]*:organizations::/.test(p)) return p.includes(":ou/") ? "OrganizationUnit" : "Organization";
  throw Ec2Errors.invalidValue(`Invalid principal ${p}`);
}

export function ModifyVpcEndpointServicePermissions(ctx: Ctx, input: Input) {
  const v = getService(ctx, String(input.ServiceId));
  const add = list(input.AddAllowedPrincipals);
  const remove = list(input.RemoveAllowedPrincipals);
  for (const p of add) principalType(p);
  for (const p of remove) if (!v.principals.has(p)) throw Ec2Errors.invalidValue(`Principal ${p} is not in the list of allowed principals for ${v.id}`);
  dryRun(input);
  for (const p of remove) v.principals.delete(p);
  const added = [];
  for (const p of add) {
    if (!v.principals.has(p)) v.principals.set(p, ec2Id("vpce-svc-perm"));
    added.push({ PrincipalType: principalType(p), Principal: p, ServicePermissionId: v.principals.get(p), ServiceId: v.id });
  }
  return { AddedPrincipals: add.length ? added : undefined, ReturnValue: true };
}

export function DescribeVpcEndpointServicePermissions(ctx: Ctx, input: Input) {
  dryRun(input);
  const v = getService(ctx, String(input.ServiceId));
  const rows = [...v.principals].map(([p, id]) => ({ p, id, type: principalType(p), tags: new Map<string, string>() }));
  const r = select(rows, input, { principal: (x) => x.p, "principal-type": (x) => x.type }, (x) => x.id, { paginate: true, clampMax: true });
  return {
    AllowedPrincipals: r.items.map((x) => ({ PrincipalType: x.type, Principal: x.p, ServicePermissionId: x.id, ServiceId: v.id, Tags: [] })),
    NextToken: r.nextToken,
  };
}

export function ModifyVpcEndpointServicePayerResponsibility(ctx: Ctx, input: Input) {
  const v = getService(ctx, String(input.ServiceId));
  dryRun(input);
  v.payer = String(input.PayerResponsibility);
  return { ReturnValue: true };
}

export function StartVpcEndpointServicePrivateDnsVerification(ctx: Ctx, input: Input) {
  const v = getService(ctx, String(input.ServiceId));
  if (!v.privateDns) throw Ec2Errors.invalidValue(`No private DNS name is configured for service ${v.id}.`);
  dryRun(input);
  // awsim has no public DNS to query: the TXT record is taken as present.
  v.privateDns.state = "verified";
  return { ReturnValue: true };
}

// ---------------------------------------------------------------- connections

async function consumerVpce(ctx: Ctx, c: EndpointConnectionRec): Promise<VpceRec | undefined> {
  const s = c.owner === ctx.accountId && c.region === ctx.region ? st(ctx) : await ctx.stateOf<Ec2State>("ec2", c.region, c.owner);
  return s.vpces.get(c.vpceId);
}

async function connectionState(ctx: Ctx, c: EndpointConnectionRec): Promise<string> {
  return (await consumerVpce(ctx, c))?.state ?? "deleted";
}

export async function DescribeVpcEndpointConnections(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const rows = [];
  for (const c of f.connections.values()) {
    const v = await consumerVpce(ctx, c);
    rows.push({ c, v, state: v?.state ?? "deleted", tags: c.tags });
  }
  const r = select(
    rows,
    input,
    {
      "ip-address-type": () => "ipv4",
      "service-id": (x) => x.c.serviceId,
      "vpc-endpoint-owner": (x) => x.c.owner,
      "vpc-endpoint-region": (x) => x.c.region,
      "vpc-endpoint-state": (x) => x.state,
      "vpc-endpoint-id": (x) => x.c.vpceId,
    },
    (x) => x.c.id,
    { paginate: true, clampMax: true },
  );
  return {
    VpcEndpointConnections: r.items.map(({ c, state }) => {
      const svc = f.endpointServices.get(c.serviceId);
      return {
        ServiceId: c.serviceId,
        VpcEndpointId: c.vpceId,
        VpcEndpointOwner: c.owner,
        VpcEndpointState: state,
        CreationTimestamp: c.created,
        DnsEntries: [{ DnsName: `${c.vpceId}-${c.id.slice(-8)}.${c.serviceId}.${s.region}.vpce.amazonaws.com`, HostedZoneId: "Z7HUB22UULQXV" }],
        NetworkLoadBalancerArns: svc?.nlbArns.length ? svc.nlbArns : undefined,
        GatewayLoadBalancerArns: svc?.gwlbArns.length ? svc.gwlbArns : undefined,
        IpAddressType: "ipv4",
        VpcEndpointConnectionId: c.id,
        Tags: tagsOf(c),
        VpcEndpointRegion: c.region,
      };
    }),
    NextToken: r.nextToken,
  };
}

async function decide(ctx: Ctx, input: Input, to: "available" | "rejected") {
  const { f } = fam(ctx);
  const svc = getService(ctx, String(input.ServiceId));
  dryRun(input);
  const unsuccessful: unknown[] = [];
  for (const id of list(input.VpcEndpointIds)) {
    const c = f.connections.get(id);
    const v = c && c.serviceId === svc.id ? await consumerVpce(ctx, c) : undefined;
    if (!c || c.serviceId !== svc.id || !v) {
      unsuccessful.push({ ResourceId: id, Error: { Code: "InvalidVpcEndpoint.NotFound", Message: `The Vpc Endpoint Id '${id}' does not exist` } });
      continue;
    }
    const allowed = to === "available" ? ["pendingAcceptance", "rejected"] : ["pendingAcceptance", "available"];
    if (!allowed.includes(v.state)) {
      unsuccessful.push({
        ResourceId: id,
        Error: {
          Code: "InvalidVpcEndpointState",
          Message: `Endpoint ${id} is in state ${v.state} and cannot be ${to === "available" ? "accepted" : "rejected"}.`,
        },
      });
      continue;
    }
    v.state = to;
  }
  return { Unsuccessful: unsuccessful };
}

export const AcceptVpcEndpointConnections = (ctx: Ctx, input: Input) => decide(ctx, input, "available");
export const RejectVpcEndpointConnections = (ctx: Ctx, input: Input) => decide(ctx, input, "rejected");

const SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.(vpce-svc-[0-9a-f]+)$/;

/**
 * CreateVpcEndpoint to an endpoint service of this simulator (any account, the same region). Other service
 * names go to the EC2 handler given as `fallback`.
 */
export function createVpcEndpointWith(fallback: (ctx: Ctx, input: Input) => unknown) {
  return async (ctx: Ctx, input: Input) => {
    const m = SERVICE_NAME.exec(String(input.ServiceName ?? ""));
    if (!m || m[1] !== ctx.region) return fallback(ctx, input);
    const s = st(ctx);
    let owner: Ec2State | undefined;
    for (const o of ctx.sim.statesOf<Ec2State>("ec2")) if (o.region === ctx.region && famOf(o).endpointServices.has(m[2]!)) owner = o;
    const svc = owner && famOf(owner).endpointServices.get(m[2]!);
    if (!owner || !svc) throw e("InvalidServiceName", `The Vpc Endpoint Service '${input.ServiceName}' does not exist`);
    if (owner.accountId !== s.accountId) {
      const ok = [...svc.principals.keys()].some((p) => p === "*" || p.split(":")[4] === s.accountId);
      if (!ok) throw e("InvalidServiceName", `The Vpc Endpoint Service '${input.ServiceName}' does not exist`);
    }
    const type = String(input.VpcEndpointType ?? "Gateway");
    if (type !== svcType(svc)) throw Ec2Errors.invalidValue(`The Vpc Endpoint Service '${input.ServiceName}' does not support endpoint type ${type}.`);
    const vpc = getVpc(s, String(input.VpcId));
    const subnets = list(input.SubnetIds);
    if (!subnets.length) throw Ec2Errors.missing("SubnetIds");
    const subs = subnets.map((id) => getSubnet(s, id));
    for (const sub of subs) if (sub.vpcId !== vpc.id) throw Ec2Errors.invalidValue(`Subnet ${sub.id} does not belong to vpc ${vpc.id}`);
    if (new Set(subs.map((x) => x.az)).size !== subs.length)
      throw Ec2Errors.invalidValue(
        "Found another VPC endpoint subnet in the availability zone. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.",
      );
    const groups = list(input.SecurityGroupIds);
    for (const g of groups) if (!s.sgs.has(g)) throw Ec2Errors.groupNotFound(g);
    if (input.PrivateDnsEnabled === true && !svc.privateDns)
      throw Ec2Errors.invalidValue("Private DNS can't be enabled because the service does not provide a private DNS name.");
    dryRun(input);
    const def = [...s.sgs.values()].find((g) => g.vpcId === vpc.id && g.name === "default");
    const v: VpceRec = {
      id: ec2Id("vpce"),
      type,
      vpcId: vpc.id,
      serviceName: svc.name,
      state: svc.acceptanceRequired ? "pendingAcceptance" : "available",
      policy: "",
      routeTableIds: [],
      subnetIds: [],
      groupIds: type === "Interface" ? (groups.length ? groups : def ? [def.id] : []) : [],
      eniIds: [],
      privateDns: input.PrivateDnsEnabled === true,
      createTime: ctx.now(),
      tags: new Map(),
    };
    for (const sub of subs) {
      const eni = newEni(
        s,
        sub,
        v.groupIds,
        `VPC Endpoint Interface ${v.id}`,
        undefined,
        type === "Interface" ? "vpc_endpoint" : "gateway_load_balancer_endpoint",
      );
      eni.requesterManaged = true;
      v.subnetIds.push(sub.id);
      v.eniIds.push(eni.id);
    }
    s.vpces.set(v.id, v);
    applyTagSpec(s, input, "vpc-endpoint", v.id, v);
    famOf(owner).connections.set(v.id, {
      id: ec2Id("vpce-con"),
      serviceId: svc.id,
      vpceId: v.id,
      owner: s.accountId,
      region: s.region,
      created: v.createTime,
      tags: new Map(),
    });
    return {
      VpcEndpoint: {
        VpcEndpointId: v.id,
        VpcEndpointType: v.type,
        VpcId: v.vpcId,
        ServiceName: v.serviceName,
        State: v.state === "available" ? "pending" : v.state,
        RouteTableIds: [],
        SubnetIds: v.subnetIds,
        Groups: v.groupIds.map((GroupId) => ({ GroupId, GroupName: s.sgs.get(GroupId)?.name })),
        IpAddressType: "ipv4",
        DnsOptions: { DnsRecordIpType: "ipv4" },
        PrivateDnsEnabled: v.privateDns,
        RequesterManaged: false,
        NetworkInterfaceIds: v.eniIds,
        DnsEntries: [{ DnsName: `${v.id}-${hex(8)}.${svc.id}.${s.region}.vpce.amazonaws.com`, HostedZoneId: "Z7HUB22UULQXV" }],
        CreationTimestamp: v.createTime,
        Tags: tagsOf(v),
        OwnerId: s.accountId,
      },
      ClientToken: input.ClientToken,
    };
  };
}

// ---------------------------------------------------------------- connection notifications

const nfnView = (s: Ec2State, n: ConnectionNotificationRec) => ({
  ConnectionNotificationId: n.id,
  ServiceId: n.serviceId,
  VpcEndpointId: n.vpceId,
  ConnectionNotificationType: "Topic",
  ConnectionNotificationArn: n.arn,
  ConnectionEvents: n.events,
  ConnectionNotificationState: n.state,
  ServiceRegion: s.region,
});

const SERVICE_EVENTS = ["Accept", "Connect", "Delete", "Reject"];
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function checkNotification(ctx: Ctx, arn: string, events: string[]) {
  if (!SNS_ARN.test(arn)) throw Ec2Errors.invalidValue(`Invalid SNS topic ARN: ${arn}`);
  if (!events.length) throw Ec2Errors.missing("ConnectionEvents");
  for (const ev of events)
    if (!SERVICE_EVENTS.includes(ev)) throw Ec2Errors.invalidValue(`Invalid connection event ${ev}. Valid events are ${SERVICE_EVENTS.join(", ")}`);
  void ctx;
}

export function CreateVpcEndpointConnectionNotification(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  if (!input.ServiceId === !input.VpcEndpointId) throw Ec2Errors.invalidCombination("Exactly one of ServiceId or VpcEndpointId must be specified.");
  if (input.ServiceId) getService(ctx, String(input.ServiceId));
  if (input.VpcEndpointId && !s.vpces.has(String(input.VpcEndpointId)))
    throw e("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${input.VpcEndpointId}' does not exist`);
  const events = list(input.ConnectionEvents);
  checkNotification(ctx, String(input.ConnectionNotificationArn), events);
  dryRun(input);
  const n: ConnectionNotificationRec = {
    id: ec2Id("vpce-nfn"),
    serviceId: input.ServiceId,
    vpceId: input.VpcEndpointId,
    arn: String(input.ConnectionNotificationArn),
    events,
    state: "Enabled",
    tags: new Map(),
  };
  f.notifications.set(n.id, n);
  return { ConnectionNotification: nfnView(s, n), ClientToken: input.ClientToken };
}

export function ModifyVpcEndpointConnectionNotification(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const n = f.notifications.get(String(input.ConnectionNotificationId));
  if (!n) throw nfnNotFound(String(input.ConnectionNotificationId));
  const arn = input.ConnectionNotificationArn !== undefined ? String(input.ConnectionNotificationArn) : n.arn;
  const events = input.ConnectionEvents !== undefined ? list(input.ConnectionEvents) : n.events;
  checkNotification(ctx, arn, events);
  dryRun(input);
  n.arn = arn;
  n.events = events;
  return { ReturnValue: true };
}

export function DeleteVpcEndpointConnectionNotifications(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const unsuccessful: unknown[] = [];
  for (const id of list(input.ConnectionNotificationIds)) {
    if (!f.notifications.delete(id))
      unsuccessful.push({ ResourceId: id, Error: { Code: "InvalidConnectionNotification", Message: `The connection notification Id '${id}' does not exist` } });
  }
  return { Unsuccessful: unsuccessful };
}

export function DescribeVpcEndpointConnectionNotifications(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  let items = [...f.notifications.values()];
  if (input.ConnectionNotificationId) {
    const n = f.notifications.get(String(input.ConnectionNotificationId));
    if (!n) throw nfnNotFound(String(input.ConnectionNotificationId));
    items = [n];
  }
  const r = select(
    items,
    input,
    {
      "connection-notification-arn": (n) => n.arn,
      "connection-notification-id": (n) => n.id,
      "connection-notification-state": (n) => n.state,
      "connection-notification-type": () => "Topic",
      "service-id": (n) => n.serviceId,
      "vpc-endpoint-id": (n) => n.vpceId,
    },
    (n) => n.id,
    { paginate: true },
  );
  return { ConnectionNotificationSet: r.items.map((n) => nfnView(s, n)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- DescribeVpcEndpointServices

interface ServiceRow {
  serviceName: string;
  [k: string]: unknown;
}

/** Endpoint services of this simulator visible to the caller (its own, and others' that allow it), in this region. */
function visibleServices(ctx: Ctx): Array<{ owner: string; svc: EndpointServiceRec }> {
  const out: Array<{ owner: string; svc: EndpointServiceRec }> = [];
  for (const o of ctx.sim.statesOf<Ec2State>("ec2")) {
    if (o.region !== ctx.region) continue;
    for (const svc of famOf(o).endpointServices.values()) {
      const allowed = o.accountId === ctx.accountId || [...svc.principals.keys()].some((p) => p === "*" || p.split(":")[4] === ctx.accountId);
      if (allowed) out.push({ owner: o.accountId, svc });
    }
  }
  return out;
}

/** DescribeVpcEndpointServices with this simulator's endpoint services next to AWS's (answered by `fallback`). */
export function describeVpcEndpointServicesWith(fallback: (ctx: Ctx, input: Input) => unknown) {
  return async (ctx: Ctx, input: Input) => {
    const wanted = list(input.ServiceNames);
    const visible = visibleServices(ctx);
    const wantedMine = wanted.filter((n) => SERVICE_NAME.test(n));
    if (!visible.length && !wantedMine.length) return fallback(ctx, input);
    for (const n of wantedMine) if (!visible.some((v) => v.svc.name === n)) throw e("InvalidServiceName", `The Vpc Endpoint Service '${n}' does not exist`);
    const rest = wanted.filter((n) => !SERVICE_NAME.test(n));
    const mine = visible.filter((v) => !wanted.length || wantedMine.includes(v.svc.name));
    // "If the value is greater than 1,000, we return only 1,000 items" (the API reference).
    const max = input.MaxResults === undefined ? undefined : Math.min(input.MaxResults, 1000);
    if (max !== undefined && max < 5)
      throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    let base: ServiceRow[] = [];
    if (!wanted.length || rest.length) {
      const out = (await fallback(ctx, { ...input, ServiceNames: rest, MaxResults: undefined, NextToken: undefined })) as { serviceDetailSet?: ServiceRow[] };
      base = out.serviceDetailSet ?? [];
    } else dryRun(input);
    const zones = zonesOf(ctx.region);
    const own = select(
      mine.map((v) => ({ ...v, tags: v.svc.tags })),
      { Filters: input.Filters },
      {
        "service-name": (x) => x.svc.name,
        "service-type": (x) => svcType(x.svc),
        owner: (x) => x.owner,
        "supported-ip-address-types": (x) => x.svc.ipTypes,
        "service-region": () => ctx.region,
      },
      (x) => x.svc.id,
    ).items.map(
      ({ owner, svc }): ServiceRow => ({
        serviceName: svc.name,
        serviceId: svc.id,
        serviceType: [{ serviceType: svcType(svc) }],
        serviceRegion: ctx.region,
        availabilityZoneIdSet: zones.map((z) => z.id),
        availabilityZoneSet: zones.map((z) => z.name),
        owner,
        baseEndpointDnsNameSet: [`${svc.id}.${ctx.region}.vpce.amazonaws.com`],
        privateDnsName: svc.privateDns?.name,
        privateDnsNameSet: svc.privateDns ? [{ privateDnsName: svc.privateDns.name }] : undefined,
        privateDnsNameVerificationState: svc.privateDns?.state,
        vpcEndpointPolicySupported: false,
        acceptanceRequired: svc.acceptanceRequired,
        managesVpcEndpoints: false,
        payerResponsibility: svc.payer,
        supportedIpAddressTypeSet: svc.ipTypes,
        tagSet: owner === ctx.accountId ? tagsOf(svc).map(({ Key, Value }) => ({ key: Key, value: Value })) : [],
      }),
    );
    const rows = [...base, ...own].sort((a, b) => (a.serviceName < b.serviceName ? -1 : a.serviceName > b.serviceName ? 1 : 0));
    if (max === undefined && !input.NextToken) return { serviceNameSet: rows.map((x) => x.serviceName), serviceDetailSet: rows };
    const page = paginate(rows, {
      maxResults: max,
      nextToken: input.NextToken,
      defaultMax: 1000,
      key: (x) => `${x.serviceName} ${String(x.serviceId)}`,
      invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
    });
    return { serviceNameSet: page.items.map((x) => x.serviceName), serviceDetailSet: page.items, nextToken: page.nextToken };
  };
}
