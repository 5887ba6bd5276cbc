/** Network ACLs (a default ACL per VPC that every new subnet joins), their entries and associations; DHCP options sets; egress-only internet gateways. */
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, parseCidr, required, select, st, tagList, type Input, onlyTagTypes } from "./common.js";
import { Ec2Errors } from "./errors.js";
import type { DhcpRec, Ec2State, EigwRec, NaclEntry, NaclRec, VpcRec } from "./state.js";

const e = Ec2Errors.custom;

// ---------------------------------------------------------------- network ACLs

const denyAll = (egress: boolean): NaclEntry => ({ ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress, cidrBlock: "0.0.0.0/0" });
const denyAllIpv6 = (egress: boolean): NaclEntry => ({ ruleNumber: 32768, protocol: "-1", ruleAction: "deny", egress, ipv6CidrBlock: "::/0" });

/**
 * A VPC with an IPv6 block: each of its ACLs ends with the catch-all `*` rule for IPv6 (rule 32768, deny ::/0) in each
 * direction, and its default ACL allows all IPv6 traffic (rule 101) in each direction whose rules were not modified
 * ("IPv6 rules are added only if you create a VPC with an associated IPv6 CIDR block or if you associate an IPv6 CIDR
 * block with your VPC. However, if you've modified the ... rules of your default network ACL, we do not add the rule
 * that allows all ... IPv6 traffic": the VPC User Guide's "Default network ACL").
 */
export function addIpv6NaclEntries(s: Ec2State, vpcId: string): void {
  for (const n of s.nacls.values()) {
    if (n.vpcId !== vpcId) continue;
    for (const egress of [false, true]) {
      const dir = n.entries.filter((x) => x.egress === egress);
      if (dir.some((x) => x.ruleNumber === 32768)) continue;
      const untouched =
        dir.length === 2 && dir.some((x) => x.ruleNumber === 100 && x.ruleAction === "allow" && x.protocol === "-1" && x.cidrBlock === "0.0.0.0/0" && !x.ports);
      if (n.isDefault && untouched) n.entries.push({ ruleNumber: 101, protocol: "-1", ruleAction: "allow", egress, ipv6CidrBlock: "::/0" });
      n.entries.push(denyAllIpv6(egress));
    }
  }
}

export function newNacl(s: Ec2State, vpcId: string, isDefault: boolean): NaclRec {
  const n: NaclRec = {
    id: ec2Id("acl"),
    vpcId,
    isDefault,
    entries: isDefault
      ? [
          { ruleNumber: 100, protocol: "-1", ruleAction: "allow", egress: false, cidrBlock: "0.0.0.0/0" },
          { ruleNumber: 100, protocol: "-1", ruleAction: "allow", egress: true, cidrBlock: "0.0.0.0/0" },
          denyAll(false),
          denyAll(true),
        ]
      : [denyAll(false), denyAll(true)],
    associations: new Map(),
    tags: new Map(),
  };
  // A new ACL of a VPC with an IPv6 block also denies all IPv6 traffic it does not allow.
  if (s.vpcs.get(vpcId)?.ipv6.length) n.entries.push(denyAllIpv6(false), denyAllIpv6(true));
  s.nacls.set(n.id, n);
  return n;
}

export const defaultNacl = (s: Ec2State, vpcId: string) => [...s.nacls.values()].find((n) => n.vpcId === vpcId && n.isDefault);

/** A new subnet joins its VPC's default ACL. */
export function associateDefaultNacl(s: Ec2State, vpcId: string, subnetId: string): void {
  defaultNacl(s, vpcId)?.associations.set(ec2Id("aclassoc"), subnetId);
}

export function dropSubnetFromNacls(s: Ec2State, subnetId: string): void {
  for (const n of s.nacls.values()) for (const [a, sid] of n.associations) if (sid === subnetId) n.associations.delete(a);
}

export function dropVpcNacls(s: Ec2State, vpcId: string): void {
  for (const [id, n] of s.nacls)
    if (n.vpcId === vpcId) {
      dropTags(s, id, n);
      s.nacls.delete(id);
    }
}

const entryView = (x: NaclEntry) => ({
  ruleNumber: x.ruleNumber,
  protocol: x.protocol,
  ruleAction: x.ruleAction,
  egress: x.egress,
  cidrBlock: x.cidrBlock,
  ipv6CidrBlock: x.ipv6CidrBlock,
  icmpTypeCode: x.icmp,
  portRange: x.ports,
});

const naclView = (s: Ec2State, n: NaclRec) => ({
  networkAclId: n.id,
  vpcId: n.vpcId,
  default: n.isDefault,
  ownerId: s.accountId,
  entrySet: [...n.entries].sort((a, b) => Number(b.egress) - Number(a.egress) || a.ruleNumber - b.ruleNumber).map(entryView),
  associationSet: [...n.associations].map(([networkAclAssociationId, subnetId]) => ({ networkAclAssociationId, networkAclId: n.id, subnetId })),
  tagSet: tagList(n),
});

function getNacl(s: Ec2State, id: string): NaclRec {
  const n = s.nacls.get(id);
  if (!n) {
    if (!/^acl-[0-9a-f]{8,17}$/.test(id)) throw e("InvalidNetworkAclID.Malformed", `Invalid id: "${id}" (expecting "acl-...")`);
    throw e("InvalidNetworkAclID.NotFound", `The networkAcl ID '${id}' does not exist`);
  }
  return n;
}

function getVpcOf(s: Ec2State, id: string): VpcRec {
  const v = s.vpcs.get(id);
  if (!v) throw Ec2Errors.notFound("Vpc", "vpc", [id]);
  return v;
}

export function CreateNetworkAcl(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "network-acl");
  const s = st(ctx);
  const v = getVpcOf(s, required(input, "VpcId"));
  dryRun(input);
  const n = newNacl(s, v.id, false);
  applyTagSpec(s, input, "network-acl", n.id, n);
  return { networkAcl: naclView(s, n), clientToken: input.ClientToken };
}

export function DeleteNetworkAcl(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const n = getNacl(s, required(input, "NetworkAclId"));
  if (n.isDefault) throw Ec2Errors.invalidValue(`cannot delete default network ACL ${n.id}`);
  if (n.associations.size) throw Ec2Errors.dependency(`The networkAcl '${n.id}' has dependencies and cannot be deleted.`);
  dryRun(input);
  dropTags(s, n.id, n);
  s.nacls.delete(n.id);
  return { return: true };
}

export function DescribeNetworkAcls(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.NetworkAclIds);
  const missing = ids.filter((id) => !s.nacls.has(id));
  if (missing.length)
    throw e(
      "InvalidNetworkAclID.NotFound",
      missing.length > 1 ? `The networkAcl IDs '${missing.join(", ")}' do not exist` : `The networkAcl ID '${missing[0]}' does not exist`,
    );
  const each = (f: (x: NaclEntry) => unknown) => (n: NaclRec) => n.entries.map((x) => f(x) as string);
  const r = select(
    ids.length ? ids.map((id) => s.nacls.get(id)!) : [...s.nacls.values()],
    input,
    {
      "association.association-id": (n) => [...n.associations.keys()],
      "association.network-acl-id": (n) => (n.associations.size ? n.id : undefined),
      "association.subnet-id": (n) => [...n.associations.values()],
      default: (n) => String(n.isDefault),
      "entry.cidr": each((x) => x.cidrBlock),
      "entry.icmp.code": each((x) => x.icmp?.code),
      "entry.icmp.type": each((x) => x.icmp?.type),
      "entry.ipv6-cidr": each((x) => x.ipv6CidrBlock),
      "entry.port-range.from": each((x) => x.ports?.from),
      "entry.port-range.to": each((x) => x.ports?.to),
      "entry.protocol": each((x) => x.protocol),
      "entry.rule-action": each((x) => x.ruleAction),
      "entry.egress": each((x) => String(x.egress)),
      "entry.rule-number": each((x) => x.ruleNumber),
      "network-acl-id": (n) => n.id,
      "owner-id": () => s.accountId,
      "vpc-id": (n) => n.vpcId,
    },
    (n) => n.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { networkAclSet: r.items.map((n) => naclView(s, n)), nextToken: r.nextToken };
}

const PROTOCOLS: Record<string, string> = { all: "-1", tcp: "6", udp: "17", icmp: "1", icmpv6: "58" };

function entryFrom(input: Input): NaclEntry {
  const ruleNumber = Number(input.RuleNumber);
  if (!Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766)
    throw Ec2Errors.invalidValue(`Value (${input.RuleNumber}) for parameter ruleNumber is invalid. Expecting a value between 1 and 32766.`);
  const raw = String(required(input, "Protocol")).toLowerCase();
  const protocol = PROTOCOLS[raw] ?? raw;
  if (!/^-1$|^\d{1,3}$/.test(protocol) || Number(protocol) > 255) throw Ec2Errors.invalidValue(`Invalid value '${input.Protocol}' for protocol.`);
  if (input.CidrBlock === undefined && input.Ipv6CidrBlock === undefined) throw Ec2Errors.missing("cidrBlock or ipv6CidrBlock");
  if (input.CidrBlock !== undefined && !parseCidr(input.CidrBlock))
    throw Ec2Errors.invalidValue(`Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if ((protocol === "6" || protocol === "17") && !input.PortRange) throw Ec2Errors.missing("portRange");
  if ((protocol === "1" || protocol === "58") && !input.IcmpTypeCode) throw Ec2Errors.missing("icmpTypeCode");
  return {
    ruleNumber,
    protocol,
    ruleAction: String(required(input, "RuleAction")),
    egress: input.Egress === true,
    cidrBlock: input.CidrBlock,
    ipv6CidrBlock: input.Ipv6CidrBlock,
    ports: protocol === "6" || protocol === "17" ? { from: input.PortRange.From, to: input.PortRange.To } : undefined,
    icmp: protocol === "1" || protocol === "58" ? { code: input.IcmpTypeCode.Code, type: input.IcmpTypeCode.Type } : undefined,
  };
}

export function CreateNetworkAclEntry(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const n = getNacl(s, required(input, "NetworkAclId"));
  const x = entryFrom(input);
  if (n.entries.some((y) => y.egress === x.egress && y.ruleNumber === x.ruleNumber))
    throw e("NetworkAclEntryAlreadyExists", `The network acl entry identified by ${x.ruleNumber} already exists.`);
  dryRun(input);
  n.entries.push(x);
  return { return: true };
}

export function ReplaceNetworkAclEntry(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const n = getNacl(s, required(input, "NetworkAclId"));
  const x = entryFrom(input);
  const i = n.entries.findIndex((y) => y.egress === x.egress && y.ruleNumber === x.ruleNumber);
  if (i < 0) throw e("InvalidNetworkAclEntry.NotFound", `The specified rule does not exist in this network acl`);
  dryRun(input);
  n.entries[i] = x;
  return { return: true };
}

export function DeleteNetworkAclEntry(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const n = getNacl(s, required(input, "NetworkAclId"));
  const rule = Number(input.RuleNumber);
  const egress = input.Egress === true;
  const i = n.entries.findIndex((y) => y.egress === egress && y.ruleNumber === rule);
  if (i < 0 || rule >= 32767) throw e("InvalidNetworkAclEntry.NotFound", `The specified rule does not exist in this network acl`);
  dryRun(input);
  n.entries.splice(i, 1);
  return { return: true };
}

export function ReplaceNetworkAclAssociation(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const assoc = required(input, "AssociationId");
  const target = getNacl(s, required(input, "NetworkAclId"));
  const from = [...s.nacls.values()].find((n) => n.associations.has(assoc));
  if (!from) throw e("InvalidAssociationID.NotFound", `The association ID '${assoc}' does not exist`);
  const subnetId = from.associations.get(assoc)!;
  if (s.subnets.get(subnetId)?.vpcId !== target.vpcId)
    throw Ec2Errors.invalidValue(`Network acl ${target.id} and subnet ${subnetId} belong to different networks`);
  dryRun(input);
  from.associations.delete(assoc);
  const id = ec2Id("aclassoc");
  target.associations.set(id, subnetId);
  return { newAssociationId: id };
}

// ---------------------------------------------------------------- DHCP options

/**
 * The region's default options set: made with the default VPC, and again by a CreateVpc after it was deleted ("When
 * you create a VPC, we automatically create a set of DHCP options and associate them with the VPC", VPC user guide).
 * Reads never bring a deleted one back: aws-nuke deletes it and reads the list again to see it gone.
 */
export function defaultDhcp(s: Ec2State): DhcpRec {
  let d = [...s.dhcpOptions.values()].find((x) => x.isDefault);
  if (!d) {
    d = {
      id: ec2Id("dopt"),
      isDefault: true,
      config: [
        ["domain-name", [s.region === "us-east-1" ? "ec2.internal" : `${s.region}.compute.internal`]],
        ["domain-name-servers", ["AmazonProvidedDNS"]],
      ],
      tags: new Map(),
    };
    s.dhcpOptions.set(d.id, d);
  }
  return d;
}

const dhcpView = (s: Ec2State, d: DhcpRec) => ({
  dhcpOptionsId: d.id,
  ownerId: s.accountId,
  // AWS lists the options by key name (domain-name, domain-name-servers, netbios-node-type, ...).
  dhcpConfigurationSet: [...d.config]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => ({ key, valueSet: values.map((value) => ({ value })) })),
  // AWS leaves out an empty tag set (its create-dhcp-options and describe-dhcp-options examples).
  tagSet: d.tags.size ? tagList(d) : undefined,
});

const DHCP_KEYS = ["domain-name", "domain-name-servers", "ntp-servers", "netbios-name-servers", "netbios-node-type", "ipv6-address-preferred-lease-time"];

export function CreateDhcpOptions(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "dhcp-options");
  const s = st(ctx);
  const config: Array<[string, string[]]> = [];
  for (const c of (input.DhcpConfigurations ?? []) as Input[]) {
    const key = String(c.Key ?? "");
    if (!DHCP_KEYS.includes(key)) throw Ec2Errors.invalidValue(`Value (${key}) for parameter key is invalid. Unknown DHCP option`);
    const values = list(c.Values);
    if (key === "domain-name-servers" && values.length > 4) throw Ec2Errors.invalidValue("The maximum number of domain name servers is 4");
    // The documented values: up to four IPv4 addresses of NTP or NetBIOS servers; a NetBIOS node type of 1, 2, 4 or 8.
    if (key === "ntp-servers" || key === "netbios-name-servers") {
      if (values.length > 4) throw Ec2Errors.invalidValue(`The maximum number of ${key} is 4`);
      for (const v of values)
        if (!parseCidr(`${v}/32`)) throw Ec2Errors.invalidValue(`Value (${v}) for parameter ${key} is invalid. Expected a valid IPv4 address.`);
    }
    if (key === "netbios-node-type")
      for (const v of values) if (!["1", "2", "4", "8"].includes(v)) throw Ec2Errors.invalidValue(`Value (${v}) for parameter netbios-node-type is invalid.`);
    config.push([key, values]);
  }
  if (!config.length) throw Ec2Errors.missing("DhcpConfiguration");
  dryRun(input);
  const d: DhcpRec = { id: ec2Id("dopt"), isDefault: false, config, tags: new Map() };
  s.dhcpOptions.set(d.id, d);
  applyTagSpec(s, input, "dhcp-options", d.id, d);
  return { dhcpOptions: dhcpView(s, d) };
}

function getDhcp(s: Ec2State, id: string): DhcpRec {
  const d = s.dhcpOptions.get(id);
  if (!d) throw e("InvalidDhcpOptionID.NotFound", `The dhcpOption ID '${id}' does not exist`);
  return d;
}

export function AssociateDhcpOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "DhcpOptionsId");
  const v = getVpcOf(s, required(input, "VpcId"));
  if (id !== "default") getDhcp(s, id);
  dryRun(input);
  v.dhcpOptionsId = id === "default" ? "default" : id;
  return { return: true };
}

export function DeleteDhcpOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const d = getDhcp(s, required(input, "DhcpOptionsId"));
  if ([...s.vpcs.values()].some((v) => v.dhcpOptionsId === d.id))
    throw Ec2Errors.dependency(`The dhcpOptions '${d.id}' has dependencies and cannot be deleted.`);
  dryRun(input);
  dropTags(s, d.id, d);
  s.dhcpOptions.delete(d.id);
  return { return: true };
}

export function DescribeDhcpOptions(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.DhcpOptionsIds);
  for (const id of ids) getDhcp(s, id);
  const r = select(
    ids.length ? ids.map((id) => s.dhcpOptions.get(id)!) : [...s.dhcpOptions.values()],
    input,
    {
      "dhcp-options-id": (d) => d.id,
      key: (d) => d.config.map(([k]) => k),
      value: (d) => d.config.flatMap(([, v]) => v),
      "owner-id": () => s.accountId,
    },
    (d) => d.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { dhcpOptionsSet: r.items.map((d) => dhcpView(s, d)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- egress-only internet gateways

const eigwView = (g: EigwRec) => ({
  egressOnlyInternetGatewayId: g.id,
  attachmentSet: g.vpcId ? [{ state: "attached", vpcId: g.vpcId }] : [],
  tagSet: tagList(g),
});

export function CreateEgressOnlyInternetGateway(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "egress-only-internet-gateway");
  const s = st(ctx);
  const v = getVpcOf(s, required(input, "VpcId"));
  dryRun(input);
  const g: EigwRec = { id: ec2Id("eigw"), vpcId: v.id, tags: new Map() };
  s.eigws.set(g.id, g);
  applyTagSpec(s, input, "egress-only-internet-gateway", g.id, g);
  return { egressOnlyInternetGateway: eigwView(g), clientToken: input.ClientToken };
}

export function DeleteEgressOnlyInternetGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "EgressOnlyInternetGatewayId");
  const g = s.eigws.get(id);
  if (!g) throw e("InvalidGatewayID.NotFound", `The eigw ID '${id}' does not exist`);
  dryRun(input);
  dropTags(s, id, g);
  s.eigws.delete(id);
  return { returnCode: true };
}

export function DescribeEgressOnlyInternetGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.EgressOnlyInternetGatewayIds);
  for (const id of ids) if (!s.eigws.has(id)) throw e("InvalidGatewayID.NotFound", `The eigw ID '${id}' does not exist`);
  const r = select(
    ids.length ? ids.map((id) => s.eigws.get(id)!) : [...s.eigws.values()],
    input,
    { "egress-only-internet-gateway-id": (g) => g.id, "attachment.vpc-id": (g) => g.vpcId, "attachment.state": (g) => (g.vpcId ? "attached" : undefined) },
    (g) => g.id,
    { paginate: true, min: 5, max: 255 },
  );
  return { egressOnlyInternetGatewaySet: r.items.map(eigwView), nextToken: r.nextToken };
}
