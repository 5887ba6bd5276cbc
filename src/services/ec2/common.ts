/** EC2 helpers: inputs (member names, typed), DryRun, tags and the tag index, filters, pagination, CIDR math, AZs. */
import type { Ctx } from "../core/types.js";
import { compileFilters, type Filter, type FilterTable } from "../core/filters.js";
import { paginate } from "../core/paginate.js";
import { Ec2Errors } from "./errors.js";
import type { Ec2State, Tagged } from "./state.js";

export type Input = Record<string, any>;

export const st = (ctx: Ctx) => ctx.state<Ec2State>();

/**
 * The EC2 states of the other accounts in this state's Region (for what they share: AMIs, snapshots). Empty for a
 * state restored from before states kept the server handle.
 */
export function otherAccountStates(s: Ec2State): Ec2State[] {
  return (s.sim?.statesOf<Ec2State>("ec2") ?? []).filter((o) => o !== s && o.region === s.region && o.accountId !== s.accountId);
}

export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === "") return [];
  if (!Array.isArray(v)) return [String(v)];
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) out.push(String(v[i]));
  return out;
}

export function bool(v: unknown, dflt = false): boolean {
  if (v === undefined) return dflt;
  return v === true || String(v).toLowerCase() === "true";
}

export function int(v: unknown, name: string): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw Ec2Errors.invalidValue(`Invalid value '${v}' for ${name}`);
  return n;
}

export function required(input: Input, name: string): string {
  const v = input[name];
  if (v === undefined || v === "") throw Ec2Errors.missing(name);
  return String(v);
}

export function dryRun(input: Input): void {
  if (input.DryRun === true) throw Ec2Errors.dryRun();
}

/** Filters (or the Filter member of the few operations that name it so). */
export function filters(input: Input): Filter[] {
  return (input.Filters ?? input.Filter ?? []).map((f: Filter) => ({ Name: f?.Name, Values: list(f?.Values) }));
}

export function tagList(r: Tagged): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const [key, value] of r.tags) out.push({ key, value });
  return out;
}

export const tagsOf = (r: Tagged) => [...r.tags].map(([Key, Value]) => ({ Key, Value }));

/** This account's tags on another account's resource it can see (AMI, snapshot): a new empty map when it has none. */
export const foreignTagsOf = (s: Ec2State, id: string): Map<string, string> => s.foreignTags?.get(id)?.tags ?? new Map();

/** The holder of this account's tags on another account's AMI or snapshot, created for a first tag. */
export function foreignTagHolder(s: Ec2State, id: string): Tagged {
  let t = s.foreignTags?.get(id);
  if (!t) (s.foreignTags ??= new Map()).set(id, (t = { tags: new Map() }));
  return t;
}

export function setTag(s: Ec2State, id: string, r: Tagged, key: string, value: string): void {
  const old = r.tags.get(key);
  if (old !== undefined) s.tagIndex.get(key)?.get(old)?.delete(id);
  r.tags.set(key, value);
  let byValue = s.tagIndex.get(key);
  if (!byValue) s.tagIndex.set(key, (byValue = new Map()));
  let ids = byValue.get(value);
  if (!ids) byValue.set(value, (ids = new Set()));
  ids.add(id);
}

export function removeTag(s: Ec2State, id: string, r: Tagged, key: string, value?: string): void {
  const old = r.tags.get(key);
  if (old === undefined || (value !== undefined && value !== old)) return;
  r.tags.delete(key);
  s.tagIndex.get(key)?.get(old)?.delete(id);
}

export function dropTags(s: Ec2State, id: string, r: Tagged): void {
  for (const k of [...r.tags.keys()]) removeTag(s, id, r, k);
}

/** TagSpecifications (ResourceType, Tags) → tags for one resource type. */
export function tagSpec(input: Input, resourceType: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const spec of input.TagSpecifications ?? []) {
    if (spec?.ResourceType && spec.ResourceType !== resourceType) continue;
    for (const t of spec?.Tags ?? []) if (t?.Key !== undefined) out.push([String(t.Key), String(t.Value ?? "")]);
  }
  return out;
}

/** An operation that creates one kind of resource takes TagSpecifications of that kind only: AWS refuses another
 * ResourceType with "'x' is not a valid taggable resource type for this operation." */
export function onlyTagTypes(input: Input, ...types: string[]): void {
  for (const spec of input.TagSpecifications ?? [])
    if (spec?.ResourceType !== undefined && !types.includes(String(spec.ResourceType)))
      throw Ec2Errors.invalidValue(`'${spec.ResourceType}' is not a valid taggable resource type for this operation.`);
}

export function applyTagSpec(s: Ec2State, input: Input, resourceType: string, id: string, r: Tagged): void {
  if (input.TagSpecifications === undefined) return;
  for (const [k, v] of tagSpec(input, resourceType)) setTag(s, id, r, k, v);
}

/** Filter, then paginate the EC2 way (MaxResults/NextToken). */
export function select<T extends Tagged>(
  items: Iterable<T>,
  input: Input,
  table: FilterTable<T>,
  key: (t: T) => string,
  o: { paginate?: boolean; min?: number; max?: number; clampMax?: boolean } = {},
): { items: T[]; nextToken?: string } {
  const pred = compileFilters(filters(input), table, { tags: tagsOf, unknownFilter: Ec2Errors.invalidFilter });
  let max = int(input.MaxResults, "MaxResults");
  const paged = o.paginate && (max !== undefined || !!input.NextToken);
  const lo = o.min ?? 5;
  const hi = o.max ?? 1000;
  // Some operations document "if MaxResults is greater than 1,000, we return only 1,000 items" instead of an error.
  if (o.clampMax && max !== undefined && max > hi) max = hi;
  if (paged && max !== undefined && (max < lo || max > hi))
    throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${lo} and ${hi}.`);
  // A first page needs only one match past its end (to know there is a next page): stop there, so its cost
  // does not grow with the number of resources.
  const limit = paged && !input.NextToken ? (max && max > 0 ? max : hi) + 1 : Number.POSITIVE_INFINITY;
  const matched: T[] = [];
  for (const it of items) {
    if (!pred(it)) continue;
    matched.push(it);
    if (matched.length >= limit) break;
  }
  if (!paged) return { items: matched };
  return paginate(matched, { maxResults: max, nextToken: input.NextToken, defaultMax: hi, key, invalidToken: () => Ec2Errors.invalidToken(input.NextToken) });
}

// ---------------------------------------------------------------- CIDR math

export function parseCidr(c: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(c ?? "");
  if (!m) return undefined;
  const oct = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (oct.some((o) => o > 255) || bits > 32) return undefined;
  const ip = ((oct[0]! << 24) | (oct[1]! << 16) | (oct[2]! << 8) | oct[3]!) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits };
}

export const ipToString = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || b.bits < a.bits) return false;
  const mask = a.bits === 0 ? 0 : (0xffffffff << (32 - a.bits)) >>> 0;
  return (b.base & mask) >>> 0 === a.base;
}

export function cidrOverlap(x: string, y: string): boolean {
  return cidrContains(x, y) || cidrContains(y, x);
}

export function randomPublicIp(): string {
  const firsts = [3, 18, 34, 35, 44, 52, 54];
  const r = () => 1 + Math.floor(Math.random() * 253);
  return `${firsts[Math.floor(Math.random() * firsts.length)]}.${r()}.${r()}.${r()}`;
}

const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const byte = () => HEX2[Math.floor(Math.random() * 256)]!;

export function macAddress(): string {
  return `02:${byte()}:${byte()}:${byte()}:${byte()}:${byte()}`;
}

export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replaceAll(".", "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replaceAll(".", "-")}`;
  return region === "us-east-1" ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

// ---------------------------------------------------------------- regions and zones

export const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "sa-east-1",
];

/** A region another request names (SourceRegion, PeerRegion): a known region, or InvalidParameterValue. */
export function knownRegion(region: string, param: string): string {
  if (!REGIONS.includes(region)) throw Ec2Errors.invalidValue(`Value (${region}) for parameter ${param} is invalid. Invalid region: ${region}`);
  return region;
}

/** zoneIdPrefix by region, computed once (a pure function of the name; zonesOf runs on hot paths). */
const zonePrefixes = new Map<string, string>();

export function zoneIdPrefix(region: string): string {
  let p = zonePrefixes.get(region);
  if (p === undefined) {
    p = computeZoneIdPrefix(region);
    if (zonePrefixes.size < 1000) zonePrefixes.set(region, p);
  }
  return p;
}

function computeZoneIdPrefix(region: string): string {
  // GovCloud names have four parts and keep the partition's initial: us-gov-west-1 → usgw1.
  const parts = region.split("-");
  const [geo, dir, n] = parts.length === 4 ? [`${parts[0]}${parts[1]!.charAt(0)}`, parts[2], parts[3]] : parts;
  const d: Record<string, string> = {
    east: "e",
    west: "w",
    north: "n",
    south: "s",
    central: "c",
    southeast: "se",
    northeast: "ne",
    northwest: "nw",
    southwest: "sw",
  };
  return `${geo}${d[dir ?? ""] ?? (dir ?? "").slice(0, 1)}${n ?? ""}`;
}

export function zonesOf(region: string): Array<{ name: string; id: string }> {
  const letters = region === "us-east-1" ? ["a", "b", "c", "d", "e", "f"] : ["a", "b", "c"];
  const prefix = zoneIdPrefix(region);
  return letters.map((l, i) => ({ name: `${region}${l}`, id: `${prefix}-az${i + 1}` }));
}

/** The zone id of zone `az` of `region` (what zonesOf(region).find(name)?.id gives), without building the list. */
/**
 * The zone a request names by AvailabilityZone or AvailabilityZoneId ("you can specify AvailabilityZone or
 * AvailabilityZoneId, but not both"); undefined when it names none (empty strings are unset, as Terraform sends
 * them). `badName` words the error for an unknown zone name where the operation has its own.
 */
export function requestedZone(region: string, az: unknown, azId: unknown, badName?: (az: string) => string): { name: string; id: string } | undefined {
  const zones = zonesOf(region);
  if (az && azId) throw Ec2Errors.invalidCombination("Only one of AvailabilityZone or AvailabilityZoneId can be specified.");
  if (azId) {
    const z = zones.find((x) => x.id === azId);
    if (!z) throw Ec2Errors.invalidValue(`Value (${azId}) for parameter availabilityZoneId is invalid.`);
    return z;
  }
  if (!az) return undefined;
  const z = zones.find((x) => x.name === az);
  if (!z) throw Ec2Errors.invalidValue(badName ? badName(String(az)) : `Invalid availability zone: [${az}]`);
  return z;
}

export function zoneIdOf(region: string, az: string | undefined): string | undefined {
  if (typeof az !== "string" || !az.startsWith(region) || az.length !== region.length + 1) return undefined;
  const i = (region === "us-east-1" ? "abcdef" : "abc").indexOf(az.charAt(region.length));
  return i < 0 ? undefined : `${zoneIdPrefix(region)}-az${i + 1}`;
}
