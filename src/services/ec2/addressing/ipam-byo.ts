/**
 * IPAM external resource verification tokens (an 8-digit name and a UUID value to publish as a DNS TXT
 * record; valid 72 hours; at most 100 per account) and BYOASN: ASNs provisioned to an IPAM (the
 * authorization message `1|aws|<account>|<asn>|<YYYYMMDD expiry>|SHA256|RSAPSS` is checked, the signature
 * only required) and associated with BYOIP CIDRs (those of ProvisionByoipCidr or provisioned to a public
 * IPAM pool); an associated ASN can be named when the CIDR is advertised.
 */
import { randomInt } from "node:crypto";
import { hex, uuid } from "../../core/ids.js";
import type { Ctx } from "../../core/types.js";
import { applyTagSpec, dropTags, dryRun, list, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { fam } from "../families/state.js";
import type { Ec2State } from "../state.js";
import { addr, type VerificationTokenRec } from "./state.js";

const e = Ec2Errors.custom;
const HOURS_72 = 72 * 3600 * 1000;
const tokenNotFound = (id: string) =>
  e("InvalidIpamExternalResourceVerificationTokenId.NotFound", `The ipam external resource verification token ID '${id}' does not exist`);

function getIpam(ctx: Ctx, id: string) {
  const { s, f } = fam(ctx);
  const i = f.ipams.get(id);
  if (!i) throw e("InvalidIpamId.NotFound", `The ipam ID '${id}' does not exist`);
  return { s, i };
}

const tokenView = (s: Ec2State, t: VerificationTokenRec, now: Date) => ({
  IpamExternalResourceVerificationTokenId: t.id,
  IpamExternalResourceVerificationTokenArn: t.arn,
  IpamId: t.ipamId,
  IpamArn: `arn:aws:ec2::${s.accountId}:ipam/${t.ipamId}`,
  IpamRegion: s.region,
  TokenValue: t.value,
  TokenName: t.name,
  NotAfter: t.notAfter,
  Status: t.notAfter < now ? "expired" : "valid",
  Tags: tagList(t).map(({ key, value }) => ({ Key: key, Value: value })),
  State: "create-complete",
});

export function CreateIpamExternalResourceVerificationToken(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const { s, i } = getIpam(ctx, required(input, "IpamId"));
  if (a.verificationTokens.size >= 100)
    throw e("IpamExternalResourceVerificationTokenLimitExceeded", "You have reached the limit of 100 verification tokens. Delete expired tokens.");
  dryRun(input);
  const id = `ipam-ext-res-ver-token-${hex(17)}`;
  const now = ctx.now();
  const t: VerificationTokenRec = {
    id,
    arn: `arn:aws:ec2::${s.accountId}:ipam-external-resource-verification-token/${id}`,
    ipamId: i.id,
    name: String(randomInt(10_000_000, 100_000_000)),
    value: uuid(),
    notAfter: new Date(now.getTime() + HOURS_72),
    tags: new Map(),
  };
  a.verificationTokens.set(id, t);
  applyTagSpec(s, input, "ipam-external-resource-verification-token", id, t);
  return { IpamExternalResourceVerificationToken: { ...tokenView(s, t, now), State: "create-in-progress" } };
}

export function DeleteIpamExternalResourceVerificationToken(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const id = required(input, "IpamExternalResourceVerificationTokenId");
  const t = a.verificationTokens.get(id);
  if (!t) throw tokenNotFound(id);
  dryRun(input);
  const v = tokenView(s, t, ctx.now());
  dropTags(s, t.id, t);
  a.verificationTokens.delete(id);
  return { IpamExternalResourceVerificationToken: { ...v, State: "delete-in-progress" } };
}

export function DescribeIpamExternalResourceVerificationTokens(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  const ids = list(input.IpamExternalResourceVerificationTokenIds);
  for (const id of ids) if (!a.verificationTokens.has(id)) throw tokenNotFound(id);
  const now = ctx.now();
  const r = select(
    ids.length ? ids.map((id) => a.verificationTokens.get(id)!) : [...a.verificationTokens.values()],
    input,
    {
      "ipam-arn": (t) => `arn:aws:ec2::${s.accountId}:ipam/${t.ipamId}`,
      "ipam-external-resource-verification-token-arn": (t) => t.arn,
      "ipam-external-resource-verification-token-id": (t) => t.id,
      "ipam-id": (t) => t.ipamId,
      "ipam-region": () => s.region,
      state: () => "create-complete",
      status: (t) => (t.notAfter < now ? "expired" : "valid"),
      "token-name": (t) => t.name,
      "token-value": (t) => t.value,
    },
    (t) => t.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { IpamExternalResourceVerificationTokens: r.items.map((t) => tokenView(s, t, now)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- BYOASN

function checkAsnMessage(s: Ec2State, asn: string, c: { Message?: string; Signature?: string } | undefined, now: Date) {
  const parts = String(c?.Message ?? "").split("|");
  const bad = (why: string) => Ec2Errors.invalidValue(`The ASN authorization context is invalid: ${why}`);
  if (parts.length !== 7 || parts[0] !== "1" || parts[1] !== "aws" || parts[5] !== "SHA256" || parts[6] !== "RSAPSS")
    throw bad("the message must be 1|aws|<account>|<asn>|<YYYYMMDD>|SHA256|RSAPSS.");
  if (parts[2] !== s.accountId) throw bad(`the message is for account ${parts[2]}, not ${s.accountId}.`);
  if (parts[3] !== asn && parts[3] !== `AS${asn}`) throw bad(`the message is for ASN ${parts[3]}, not ${asn}.`);
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(parts[4] ?? "");
  if (!m || new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59)) < now) throw bad("the message has expired.");
  if (!c?.Signature) throw bad("the signature is missing.");
}

const asnView = (x: { asn: string; ipamId: string; state: string }) => ({ Asn: x.asn, IpamId: x.ipamId, State: x.state });

export function ProvisionIpamByoasn(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const { s, i } = getIpam(ctx, required(input, "IpamId"));
  const asn = required(input, "Asn");
  const n = Number(asn);
  if (!/^\d+$/.test(asn) || n < 1 || n > 4294967295) throw Ec2Errors.invalidValue(`The ASN ${asn} is invalid.`);
  const old = a.byoasns.get(asn);
  if (old && old.state !== "deprovisioned") throw Ec2Errors.invalidValue(`The ASN ${asn} is already provisioned.`);
  checkAsnMessage(s, asn, input.AsnAuthorizationContext, ctx.now());
  dryRun(input);
  const x = { asn, ipamId: i.id, state: "provisioned" };
  a.byoasns.set(asn, x);
  return { Byoasn: { ...asnView(x), State: "pending-provision" } };
}

function getAsn(ctx: Ctx, asn: string) {
  const { a } = addr(ctx);
  const x = a.byoasns.get(asn);
  if (!x || x.state === "deprovisioned") throw e("InvalidAsn.NotFound", `The ASN ${asn} is not provisioned.`);
  return x;
}

export function DeprovisionIpamByoasn(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  getIpam(ctx, required(input, "IpamId"));
  const x = getAsn(ctx, required(input, "Asn"));
  if (x.ipamId !== input.IpamId) throw Ec2Errors.invalidValue(`The ASN ${x.asn} is not provisioned to ${input.IpamId}.`);
  if ([...a.asnAssociations.values()].some((y) => y.asn === x.asn))
    throw e("IncorrectState", `The ASN ${x.asn} is associated with CIDRs. Disassociate them first.`);
  dryRun(input);
  x.state = "deprovisioned";
  return { Byoasn: { ...asnView(x), State: "pending-deprovision" } };
}

export function DescribeIpamByoasn(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  dryRun(input);
  const rows = [...a.byoasns.values()].map((x) => ({ x, tags: new Map<string, string>() }));
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (y) => y.x.asn, { paginate: true, min: 1, max: 100 });
  return { Byoasns: r.items.map((y) => asnView(y.x)), NextToken: r.nextToken };
}

/** A BYOIP CIDR of this account: one of ProvisionByoipCidr, or one provisioned to a public-scope IPAM pool. */
function byoipCidrExists(ctx: Ctx, cidr: string): boolean {
  const { a } = addr(ctx);
  const b = a.byoipCidrs.get(cidr);
  if (b && b.state !== "deprovisioned") return true;
  const { f } = fam(ctx);
  for (const p of f.pools.values())
    if (f.scopes.get(p.scopeId)?.type === "public") for (const c of p.cidrs.values()) if (c.cidr === cidr && c.state === "provisioned") return true;
  return false;
}

export function AssociateIpamByoasn(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const x = getAsn(ctx, required(input, "Asn"));
  const cidr = required(input, "Cidr");
  if (!byoipCidrExists(ctx, cidr)) throw e("InvalidByoipCidr.NotFound", `The BYOIP CIDR ${cidr} does not exist.`);
  const key = `${x.asn} ${cidr}`;
  if (a.asnAssociations.has(key)) throw Ec2Errors.alreadyAssociated(`The ASN ${x.asn} is already associated with ${cidr}.`);
  dryRun(input);
  a.asnAssociations.set(key, { asn: x.asn, cidr, state: "associated" });
  return { AsnAssociation: { Asn: x.asn, Cidr: cidr, State: "pending-association" } };
}

export function DisassociateIpamByoasn(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const asn = required(input, "Asn");
  const cidr = required(input, "Cidr");
  const key = `${asn} ${cidr}`;
  if (!a.asnAssociations.has(key)) throw e("InvalidAsnAssociation.NotFound", `The ASN ${asn} is not associated with ${cidr}.`);
  const b = a.byoipCidrs.get(cidr);
  if (b?.state === "advertised") throw e("IncorrectState", `The CIDR ${cidr} is advertised. Withdraw it first.`);
  dryRun(input);
  a.asnAssociations.delete(key);
  return { AsnAssociation: { Asn: asn, Cidr: cidr, State: "pending-disassociation" } };
}
