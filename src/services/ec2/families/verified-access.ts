/**
 * Verified Access: instances, user and device trust providers (attached to and detached from instances),
 * groups with their access policies, and load-balancer and network-interface endpoints with their policies
 * and domains. Policies are stored, not evaluated (no traffic flows through the simulator).
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id, hex } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet } from "../network.js";
import type { Ec2State } from "../state.js";
import { type FamState, fam, type VaEndpointRec, type VaGroupRec, type VaInstanceRec, type VaProviderRec } from "./state.js";

const e = Ec2Errors.custom;
const nf = (kind: string, noun: string, id: string) => e(`InvalidVerifiedAccess${kind}Id.NotFound`, `The Verified Access ${noun} ID '${id}' does not exist`);
const iso = (d: Date) => d.toISOString().slice(0, 19);

function get<T>(m: Map<string, T>, id: string, kind: string, noun: string): T {
  const x = m.get(id);
  if (!x) throw nf(kind, noun, id);
  return x;
}
const inst = (f: FamState, id: string) => get(f.vaInstances, id, "Instance", "instance");
const prov = (f: FamState, id: string) => get(f.vaProviders, id, "TrustProvider", "trust provider");
const grp = (f: FamState, id: string) => get(f.vaGroups, id, "Group", "group");
const ep = (f: FamState, id: string) => get(f.vaEndpoints, id, "Endpoint", "endpoint");

const sseOf = (x: { CustomerManagedKeyEnabled?: boolean; KmsKeyArn?: string } | undefined) => ({
  CustomerManagedKeyEnabled: x?.CustomerManagedKeyEnabled === true,
  KmsKeyArn: x?.KmsKeyArn,
});

const condensed = (p: VaProviderRec) => ({
  VerifiedAccessTrustProviderId: p.id,
  Description: p.description,
  TrustProviderType: p.type,
  UserTrustProviderType: p.userType,
  DeviceTrustProviderType: p.deviceType,
});

const instanceView = (f: FamState, i: VaInstanceRec) => ({
  VerifiedAccessInstanceId: i.id,
  Description: i.description,
  VerifiedAccessTrustProviders: i.providers
    .map((id) => f.vaProviders.get(id))
    .filter((p): p is VaProviderRec => !!p)
    .map(condensed),
  CreationTime: iso(i.created),
  LastUpdatedTime: iso(i.updated),
  Tags: tagsOf(i),
  FipsEnabled: i.fips,
  // The name servers AWS assigns to the subdomain are not known here.
  CidrEndpointsCustomSubDomain: i.subDomain === undefined ? undefined : { SubDomain: i.subDomain },
});

const providerView = (p: VaProviderRec) => ({
  ...condensed(p),
  OidcOptions: p.oidc ? { ...p.oidc, ClientSecret: undefined } : undefined,
  DeviceOptions: p.device,
  PolicyReferenceName: p.policyReferenceName,
  CreationTime: iso(p.created),
  LastUpdatedTime: iso(p.updated),
  Tags: tagsOf(p),
  SseSpecification: p.sse,
});

const groupView = (s: Ec2State, g: VaGroupRec) => ({
  VerifiedAccessGroupId: g.id,
  VerifiedAccessInstanceId: g.instanceId,
  Description: g.description,
  Owner: s.accountId,
  VerifiedAccessGroupArn: `arn:aws:ec2:${s.region}:${s.accountId}:verified-access-group/${g.id}`,
  CreationTime: iso(g.created),
  LastUpdatedTime: iso(g.updated),
  Tags: tagsOf(g),
  SseSpecification: g.sse,
});

const endpointView = (x: VaEndpointRec, code = "active") => ({
  VerifiedAccessInstanceId: x.instanceId,
  VerifiedAccessGroupId: x.groupId,
  VerifiedAccessEndpointId: x.id,
  ApplicationDomain: x.applicationDomain,
  EndpointType: x.type,
  AttachmentType: x.attachmentType,
  DomainCertificateArn: x.certificateArn,
  EndpointDomain: x.domain,
  DeviceValidationDomain: x.deviceDomain,
  SecurityGroupIds: x.groups,
  LoadBalancerOptions: x.lb,
  NetworkInterfaceOptions: x.eni,
  Status: { Code: code },
  Description: x.description,
  CreationTime: iso(x.created),
  LastUpdatedTime: iso(x.updated),
  Tags: tagsOf(x),
  SseSpecification: x.sse,
});

// ---------------------------------------------------------------- instances

export function CreateVerifiedAccessInstance(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  dryRun(input);
  const now = ctx.now();
  const i: VaInstanceRec = {
    id: ec2Id("vai"),
    description: input.Description,
    providers: [],
    fips: input.FIPSEnabled === true,
    subDomain: input.CidrEndpointsCustomSubDomain,
    created: now,
    updated: now,
    tags: new Map(),
  };
  f.vaInstances.set(i.id, i);
  applyTagSpec(s, input, "verified-access-instance", i.id, i);
  return { VerifiedAccessInstance: instanceView(f, i) };
}

export function DescribeVerifiedAccessInstances(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const ids = list(input.VerifiedAccessInstanceIds);
  for (const id of ids) inst(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.vaInstances.get(id)!) : [...f.vaInstances.values()],
    input,
    { "verified-access-instance-id": (i) => i.id, description: (i) => i.description, "fips-enabled": (i) => i.fips },
    (i) => i.id,
    { paginate: true, max: 200 },
  );
  return { VerifiedAccessInstances: r.items.map((i) => instanceView(f, i)), NextToken: r.nextToken };
}

export function ModifyVerifiedAccessInstance(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const i = inst(f, String(input.VerifiedAccessInstanceId));
  dryRun(input);
  if (input.Description !== undefined) i.description = input.Description;
  if (input.CidrEndpointsCustomSubDomain !== undefined) i.subDomain = input.CidrEndpointsCustomSubDomain;
  i.updated = ctx.now();
  return { VerifiedAccessInstance: instanceView(f, i) };
}

export function DeleteVerifiedAccessInstance(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const i = inst(f, String(input.VerifiedAccessInstanceId));
  if ([...f.vaGroups.values()].some((g) => g.instanceId === i.id))
    throw e("IncorrectState", `The Verified Access instance ${i.id} has Verified Access groups. Delete them first.`);
  dryRun(input);
  const view = instanceView(f, i);
  dropTags(s, i.id, i);
  f.vaInstances.delete(i.id);
  return { VerifiedAccessInstance: view };
}

// ---------------------------------------------------------------- trust providers

export function CreateVerifiedAccessTrustProvider(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const type = String(input.TrustProviderType);
  if (type === "user" && !input.UserTrustProviderType) throw Ec2Errors.missing("UserTrustProviderType");
  if (type === "device" && !input.DeviceTrustProviderType) throw Ec2Errors.missing("DeviceTrustProviderType");
  if (type === "user" && input.DeviceTrustProviderType)
    throw Ec2Errors.invalidCombination("DeviceTrustProviderType cannot be specified for a user trust provider.");
  if (type === "device" && input.UserTrustProviderType)
    throw Ec2Errors.invalidCombination("UserTrustProviderType cannot be specified for a device trust provider.");
  if (input.UserTrustProviderType === "oidc" && !input.OidcOptions) throw Ec2Errors.missing("OidcOptions");
  dryRun(input);
  const now = ctx.now();
  const p: VaProviderRec = {
    id: ec2Id("vatp"),
    description: input.Description,
    type,
    userType: input.UserTrustProviderType,
    deviceType: input.DeviceTrustProviderType,
    oidc: input.OidcOptions ? { ...input.OidcOptions } : undefined,
    device: input.DeviceOptions ? { TenantId: input.DeviceOptions.TenantId, PublicSigningKeyUrl: input.DeviceOptions.PublicSigningKeyUrl } : undefined,
    policyReferenceName: String(input.PolicyReferenceName),
    sse: sseOf(input.SseSpecification),
    created: now,
    updated: now,
    tags: new Map(),
  };
  f.vaProviders.set(p.id, p);
  applyTagSpec(s, input, "verified-access-trust-provider", p.id, p);
  return { VerifiedAccessTrustProvider: providerView(p) };
}

export function DescribeVerifiedAccessTrustProviders(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const ids = list(input.VerifiedAccessTrustProviderIds);
  for (const id of ids) prov(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.vaProviders.get(id)!) : [...f.vaProviders.values()],
    input,
    {
      "verified-access-trust-provider-id": (p) => p.id,
      "trust-provider-type": (p) => p.type,
      "user-trust-provider-type": (p) => p.userType,
      "device-trust-provider-type": (p) => p.deviceType,
      description: (p) => p.description,
    },
    (p) => p.id,
    { paginate: true, max: 200 },
  );
  return { VerifiedAccessTrustProviders: r.items.map(providerView), NextToken: r.nextToken };
}

export function ModifyVerifiedAccessTrustProvider(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const p = prov(f, String(input.VerifiedAccessTrustProviderId));
  if (input.OidcOptions && p.userType !== "oidc") throw Ec2Errors.invalidCombination("OidcOptions can only be modified for an OIDC trust provider.");
  if (input.DeviceOptions && p.type !== "device") throw Ec2Errors.invalidCombination("DeviceOptions can only be modified for a device trust provider.");
  dryRun(input);
  if (input.Description !== undefined) p.description = input.Description;
  if (input.OidcOptions) for (const [k, v] of Object.entries(input.OidcOptions)) if (v !== undefined) p.oidc = { ...p.oidc, [k]: v as string };
  if (input.DeviceOptions?.PublicSigningKeyUrl) p.device = { ...p.device, PublicSigningKeyUrl: input.DeviceOptions.PublicSigningKeyUrl };
  if (input.SseSpecification) p.sse = sseOf(input.SseSpecification);
  p.updated = ctx.now();
  return { VerifiedAccessTrustProvider: providerView(p) };
}

export function DeleteVerifiedAccessTrustProvider(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = prov(f, String(input.VerifiedAccessTrustProviderId));
  const user = [...f.vaInstances.values()].find((i) => i.providers.includes(p.id));
  if (user) throw e("IncorrectState", `The Verified Access trust provider ${p.id} is attached to ${user.id}. Detach it first.`);
  dryRun(input);
  dropTags(s, p.id, p);
  f.vaProviders.delete(p.id);
  return { VerifiedAccessTrustProvider: providerView(p) };
}

export function AttachVerifiedAccessTrustProvider(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const i = inst(f, String(input.VerifiedAccessInstanceId));
  const p = prov(f, String(input.VerifiedAccessTrustProviderId));
  if (i.providers.includes(p.id)) throw Ec2Errors.invalidValue(`The trust provider ${p.id} is already attached to ${i.id}.`);
  const attached = i.providers.map((id) => f.vaProviders.get(id)).filter((x): x is VaProviderRec => !!x);
  if (p.type === "user" && attached.some((x) => x.type === "user"))
    throw Ec2Errors.invalidValue(`The Verified Access instance ${i.id} already has a user trust provider.`);
  if (p.type === "device" && attached.some((x) => x.deviceType === p.deviceType))
    throw Ec2Errors.invalidValue(`The Verified Access instance ${i.id} already has a ${p.deviceType} device trust provider.`);
  dryRun(input);
  i.providers.push(p.id);
  i.updated = ctx.now();
  return { VerifiedAccessTrustProvider: providerView(p), VerifiedAccessInstance: instanceView(f, i) };
}

export function DetachVerifiedAccessTrustProvider(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const i = inst(f, String(input.VerifiedAccessInstanceId));
  const p = prov(f, String(input.VerifiedAccessTrustProviderId));
  if (!i.providers.includes(p.id)) throw Ec2Errors.invalidValue(`The trust provider ${p.id} is not attached to ${i.id}.`);
  dryRun(input);
  i.providers = i.providers.filter((x) => x !== p.id);
  i.updated = ctx.now();
  return { VerifiedAccessTrustProvider: providerView(p), VerifiedAccessInstance: instanceView(f, i) };
}

// ---------------------------------------------------------------- groups

export function CreateVerifiedAccessGroup(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const i = inst(f, String(input.VerifiedAccessInstanceId));
  dryRun(input);
  const now = ctx.now();
  const g: VaGroupRec = {
    id: ec2Id("vagr"),
    instanceId: i.id,
    description: input.Description,
    policy: input.PolicyDocument,
    policyEnabled: input.PolicyDocument !== undefined,
    sse: sseOf(input.SseSpecification),
    created: now,
    updated: now,
    tags: new Map(),
  };
  f.vaGroups.set(g.id, g);
  applyTagSpec(s, input, "verified-access-group", g.id, g);
  return { VerifiedAccessGroup: groupView(s, g) };
}

export function DescribeVerifiedAccessGroups(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.VerifiedAccessGroupIds);
  for (const id of ids) grp(f, id);
  if (input.VerifiedAccessInstanceId) inst(f, String(input.VerifiedAccessInstanceId));
  const items = (ids.length ? ids.map((id) => f.vaGroups.get(id)!) : [...f.vaGroups.values()]).filter(
    (g) => !input.VerifiedAccessInstanceId || g.instanceId === input.VerifiedAccessInstanceId,
  );
  const r = select(
    items,
    input,
    { "verified-access-group-id": (g) => g.id, "verified-access-instance-id": (g) => g.instanceId, description: (g) => g.description },
    (g) => g.id,
    { paginate: true },
  );
  return { VerifiedAccessGroups: r.items.map((g) => groupView(s, g)), NextToken: r.nextToken };
}

export function ModifyVerifiedAccessGroup(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const g = grp(f, String(input.VerifiedAccessGroupId));
  if (input.VerifiedAccessInstanceId !== undefined) inst(f, String(input.VerifiedAccessInstanceId));
  dryRun(input);
  if (input.VerifiedAccessInstanceId !== undefined) {
    g.instanceId = String(input.VerifiedAccessInstanceId);
    for (const x of f.vaEndpoints.values()) if (x.groupId === g.id) x.instanceId = g.instanceId;
  }
  if (input.Description !== undefined) g.description = input.Description;
  g.updated = ctx.now();
  return { VerifiedAccessGroup: groupView(s, g) };
}

export function DeleteVerifiedAccessGroup(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const g = grp(f, String(input.VerifiedAccessGroupId));
  if ([...f.vaEndpoints.values()].some((x) => x.groupId === g.id))
    throw e("IncorrectState", `The Verified Access group ${g.id} has Verified Access endpoints. Delete them first.`);
  dryRun(input);
  dropTags(s, g.id, g);
  f.vaGroups.delete(g.id);
  return { VerifiedAccessGroup: { ...groupView(s, g), DeletionTime: iso(ctx.now()) } };
}

function policy<T extends { policy?: string; policyEnabled: boolean; sse: VaGroupRec["sse"]; updated: Date }>(ctx: Ctx, x: T, input: Input) {
  if (input.PolicyEnabled === true && input.PolicyDocument === undefined && x.policy === undefined) throw Ec2Errors.missing("PolicyDocument");
  dryRun(input);
  if (input.PolicyEnabled !== undefined) x.policyEnabled = input.PolicyEnabled === true;
  if (input.PolicyDocument !== undefined) x.policy = input.PolicyDocument;
  if (input.SseSpecification) x.sse = sseOf(input.SseSpecification);
  x.updated = ctx.now();
  return { PolicyEnabled: x.policyEnabled, PolicyDocument: x.policy, SseSpecification: x.sse };
}

export function ModifyVerifiedAccessGroupPolicy(ctx: Ctx, input: Input) {
  return policy(ctx, grp(fam(ctx).f, String(input.VerifiedAccessGroupId)), input);
}

export function GetVerifiedAccessGroupPolicy(ctx: Ctx, input: Input) {
  const g = grp(fam(ctx).f, String(input.VerifiedAccessGroupId));
  dryRun(input);
  return { PolicyEnabled: g.policyEnabled, PolicyDocument: g.policy };
}

// ---------------------------------------------------------------- endpoints

const LB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(app|net)\/[^/]+\/[0-9a-f]+$/;

export function CreateVerifiedAccessEndpoint(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const g = grp(f, String(input.VerifiedAccessGroupId));
  const type = String(input.EndpointType);
  if (type !== "load-balancer" && type !== "network-interface")
    throw Ec2Errors.invalidValue(`Endpoint type ${type} is not supported by awsim; use load-balancer or network-interface.`);
  if (!input.ApplicationDomain) throw Ec2Errors.missing("ApplicationDomain");
  if (!input.DomainCertificateArn) throw Ec2Errors.missing("DomainCertificateArn");
  if (!input.EndpointDomainPrefix) throw Ec2Errors.missing("EndpointDomainPrefix");
  const groups = list(input.SecurityGroupIds);
  for (const id of groups) if (!s.sgs.has(id)) throw Ec2Errors.groupNotFound(id);
  let lb: Record<string, any> | undefined;
  let eni: Record<string, any> | undefined;
  if (type === "load-balancer") {
    const o = input.LoadBalancerOptions;
    if (!o?.LoadBalancerArn) throw Ec2Errors.missing("LoadBalancerOptions.LoadBalancerArn");
    if (!LB_ARN.test(String(o.LoadBalancerArn))) throw Ec2Errors.invalidValue(`Invalid load balancer ARN ${o.LoadBalancerArn}`);
    for (const id of list(o.SubnetIds)) getSubnet(s, id);
    lb = { Protocol: o.Protocol ?? "http", Port: o.Port ?? 80, LoadBalancerArn: o.LoadBalancerArn, SubnetIds: list(o.SubnetIds), PortRanges: o.PortRanges };
  } else {
    const o = input.NetworkInterfaceOptions;
    if (!o?.NetworkInterfaceId) throw Ec2Errors.missing("NetworkInterfaceOptions.NetworkInterfaceId");
    if (!s.enis.has(String(o.NetworkInterfaceId))) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [String(o.NetworkInterfaceId)]);
    eni = { NetworkInterfaceId: o.NetworkInterfaceId, Protocol: o.Protocol ?? "http", Port: o.Port ?? 80, PortRanges: o.PortRanges };
  }
  dryRun(input);
  const now = ctx.now();
  const id = ec2Id("vae");
  const instance = f.vaInstances.get(g.instanceId);
  const hasDevice = instance?.providers.some((p) => f.vaProviders.get(p)?.type === "device");
  const x: VaEndpointRec = {
    id,
    groupId: g.id,
    instanceId: g.instanceId,
    type,
    attachmentType: String(input.AttachmentType),
    applicationDomain: input.ApplicationDomain,
    certificateArn: input.DomainCertificateArn,
    domain: `${input.EndpointDomainPrefix}.edge-${hex(17)}.${g.instanceId}.prod.verified-access.${s.region}.amazonaws.com`,
    deviceDomain: hasDevice ? `${hex(17)}.prod.verified-access.${s.region}.amazonaws.com` : undefined,
    groups,
    lb,
    eni,
    description: input.Description,
    policy: input.PolicyDocument,
    policyEnabled: input.PolicyDocument !== undefined,
    sse: sseOf(input.SseSpecification),
    created: now,
    updated: now,
    tags: new Map(),
  };
  f.vaEndpoints.set(id, x);
  applyTagSpec(s, input, "verified-access-endpoint", id, x);
  return { VerifiedAccessEndpoint: endpointView(x, "pending") };
}

export function DescribeVerifiedAccessEndpoints(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const ids = list(input.VerifiedAccessEndpointIds);
  for (const id of ids) ep(f, id);
  const items = (ids.length ? ids.map((id) => f.vaEndpoints.get(id)!) : [...f.vaEndpoints.values()]).filter(
    (x) =>
      (!input.VerifiedAccessInstanceId || x.instanceId === input.VerifiedAccessInstanceId) &&
      (!input.VerifiedAccessGroupId || x.groupId === input.VerifiedAccessGroupId),
  );
  const r = select(
    items,
    input,
    {
      "verified-access-endpoint-id": (x) => x.id,
      "verified-access-group-id": (x) => x.groupId,
      "verified-access-instance-id": (x) => x.instanceId,
      "endpoint-type": (x) => x.type,
      "application-domain": (x) => x.applicationDomain,
      description: (x) => x.description,
    },
    (x) => x.id,
    { paginate: true },
  );
  return { VerifiedAccessEndpoints: r.items.map((x) => endpointView(x)), NextToken: r.nextToken };
}

export function ModifyVerifiedAccessEndpoint(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = ep(f, String(input.VerifiedAccessEndpointId));
  const g = input.VerifiedAccessGroupId !== undefined ? grp(f, String(input.VerifiedAccessGroupId)) : undefined;
  if (g && g.instanceId !== x.instanceId) throw Ec2Errors.invalidValue(`The Verified Access group ${g.id} belongs to a different Verified Access instance.`);
  if (input.LoadBalancerOptions && x.type !== "load-balancer")
    throw Ec2Errors.invalidCombination("LoadBalancerOptions can only be modified for a load-balancer endpoint.");
  if (input.NetworkInterfaceOptions && x.type !== "network-interface")
    throw Ec2Errors.invalidCombination("NetworkInterfaceOptions can only be modified for a network-interface endpoint.");
  for (const id of list(input.LoadBalancerOptions?.SubnetIds)) getSubnet(s, id);
  dryRun(input);
  if (g) x.groupId = g.id;
  const o = input.LoadBalancerOptions ?? input.NetworkInterfaceOptions;
  const target = x.lb ?? x.eni;
  if (o && target) {
    if (o.Protocol !== undefined) target.Protocol = o.Protocol;
    if (o.Port !== undefined) target.Port = o.Port;
    if (o.PortRanges !== undefined) target.PortRanges = o.PortRanges;
    if (o.SubnetIds !== undefined && x.lb) x.lb.SubnetIds = list(o.SubnetIds);
  }
  if (input.Description !== undefined) x.description = input.Description;
  x.updated = ctx.now();
  return { VerifiedAccessEndpoint: endpointView(x, "updating") };
}

export function DeleteVerifiedAccessEndpoint(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = ep(f, String(input.VerifiedAccessEndpointId));
  dryRun(input);
  dropTags(s, x.id, x);
  f.vaEndpoints.delete(x.id);
  return { VerifiedAccessEndpoint: { ...endpointView(x, "deleting"), DeletionTime: iso(ctx.now()) } };
}

export function ModifyVerifiedAccessEndpointPolicy(ctx: Ctx, input: Input) {
  return policy(ctx, ep(fam(ctx).f, String(input.VerifiedAccessEndpointId)), input);
}

export function GetVerifiedAccessEndpointPolicy(ctx: Ctx, input: Input) {
  const x = ep(fam(ctx).f, String(input.VerifiedAccessEndpointId));
  dryRun(input);
  return { PolicyEnabled: x.policyEnabled, PolicyDocument: x.policy };
}

// ---------------------------------------------------------------- logging

const ok = { Code: "success" };

function logsView(i: VaInstanceRec) {
  const l = i.logs ?? {};
  const s3 = l.S3 ?? { Enabled: false };
  const cw = l.CloudWatchLogs ?? { Enabled: false };
  const fh = l.KinesisDataFirehose ?? { Enabled: false };
  return {
    VerifiedAccessInstanceId: i.id,
    AccessLogs: {
      S3: {
        Enabled: s3.Enabled === true,
        DeliveryStatus: s3.Enabled ? ok : undefined,
        BucketName: s3.BucketName,
        Prefix: s3.Prefix,
        BucketOwner: s3.BucketOwner,
      },
      CloudWatchLogs: { Enabled: cw.Enabled === true, DeliveryStatus: cw.Enabled ? ok : undefined, LogGroup: cw.LogGroup },
      KinesisDataFirehose: { Enabled: fh.Enabled === true, DeliveryStatus: fh.Enabled ? ok : undefined, DeliveryStream: fh.DeliveryStream },
      LogVersion: l.LogVersion ?? "ocsf-0.1",
      IncludeTrustContext: l.IncludeTrustContext === true,
    },
  };
}

export function ModifyVerifiedAccessInstanceLoggingConfiguration(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const i = inst(f, String(input.VerifiedAccessInstanceId));
  const a = input.AccessLogs ?? {};
  if (a.S3?.Enabled === true && !a.S3.BucketName) throw Ec2Errors.missing("AccessLogs.S3.BucketName");
  if (a.CloudWatchLogs?.Enabled === true && !a.CloudWatchLogs.LogGroup) throw Ec2Errors.missing("AccessLogs.CloudWatchLogs.LogGroup");
  if (a.KinesisDataFirehose?.Enabled === true && !a.KinesisDataFirehose.DeliveryStream)
    throw Ec2Errors.missing("AccessLogs.KinesisDataFirehose.DeliveryStream");
  if (a.LogVersion !== undefined && !["ocsf-0.1", "ocsf-1.0.0-rc.2"].includes(a.LogVersion))
    throw Ec2Errors.invalidValue(`Invalid LogVersion ${a.LogVersion}. Valid values are ocsf-0.1 and ocsf-1.0.0-rc.2.`);
  dryRun(input);
  i.logs = { ...i.logs, ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) };
  i.updated = ctx.now();
  return { LoggingConfiguration: logsView(i) };
}

export function DescribeVerifiedAccessInstanceLoggingConfigurations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const ids = list(input.VerifiedAccessInstanceIds);
  for (const id of ids) inst(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.vaInstances.get(id)!) : [...f.vaInstances.values()],
    input,
    { "verified-access-instance-id": (i) => i.id },
    (i) => i.id,
    { paginate: true, min: 1, max: 10 },
  );
  return { LoggingConfigurations: r.items.map(logsView), NextToken: r.nextToken };
}
