/**
 * Managed prefix lists: past versions (kept from the first modification on, by wrapping
 * ModifyManagedPrefixList), GetManagedPrefixListEntries at a TargetVersion, RestoreManagedPrefixListVersion
 * (a new version with a previous version's entries), and GetManagedPrefixListAssociations (the route tables
 * and security groups that reference the list).
 */
import type { Ctx, Handler } from "../../core/types.js";
import { dryRun, required, select, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State, PrefixListRec } from "../state.js";
import { DescribeManagedPrefixLists, getPrefixList } from "../vpc-links.js";
import { addr, type AddrState } from "./state.js";

const e = Ec2Errors.custom;
const mismatch = () => e("PrefixListVersionMismatch", "The prefix list has the incorrect version number.");

function history(s: Ec2State, a: AddrState, p: PrefixListRec) {
  for (const id of a.prefixListHistory.keys()) if (!s.prefixLists.has(id)) a.prefixListHistory.delete(id);
  let h = a.prefixListHistory.get(p.id);
  if (!h) a.prefixListHistory.set(p.id, (h = { versions: new Map() }));
  if (!h.versions.has(p.version)) h.versions.set(p.version, new Map(p.entries));
  return h;
}

/** Replace a prefix list's entries as a new version (kept in its history). */
export function setPrefixListEntries(s: Ec2State, a: AddrState, p: PrefixListRec, entries: Map<string, string>) {
  history(s, a, p);
  p.entries = new Map(entries);
  p.version++;
  history(s, a, p);
}

/** ModifyManagedPrefixList, keeping the version it replaces. */
export const modifyManagedPrefixListWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s, a } = addr(ctx);
    const p = s.prefixLists.get(String(input.PrefixListId));
    if (p && p.ownerId !== "AWS") history(s, a, p);
    const out = await base(ctx, input);
    if (p && p.ownerId !== "AWS") history(s, a, p);
    return out;
  };

/** GetManagedPrefixListEntries at an earlier TargetVersion; the current version goes to the EC2 handler. */
export const getManagedPrefixListEntriesWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s, a } = addr(ctx);
    const p = getPrefixList(s, required(input, "PrefixListId"));
    if (input.TargetVersion === undefined || input.TargetVersion === p.version) return base(ctx, input);
    const entries = a.prefixListHistory.get(p.id)?.versions.get(Number(input.TargetVersion));
    if (!entries || Number(input.TargetVersion) > p.version) throw mismatch();
    dryRun(input);
    const rows = [...entries].map(([cidr, description]) => ({ cidr, description: description || undefined, tags: new Map<string, string>() }));
    const r = select(rows, input, {}, (x) => x.cidr, { paginate: true, min: 1, max: 100 });
    return { entrySet: r.items.map(({ cidr, description }) => ({ cidr, description })), nextToken: r.nextToken };
  };

export async function RestoreManagedPrefixListVersion(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const p = getPrefixList(s, required(input, "PrefixListId"));
  if (p.ownerId === "AWS") throw e("UnauthorizedOperation", "You are not authorized to perform this operation.");
  if (Number(input.CurrentVersion) !== p.version) throw mismatch();
  const prev = Number(input.PreviousVersion);
  const h = history(s, a, p);
  const entries = h.versions.get(prev);
  if (!entries || prev >= p.version) throw Ec2Errors.invalidValue(`The prefix list version ${prev} does not exist for ${p.id}.`);
  if (entries.size > p.maxEntries) throw Ec2Errors.invalidValue(`The number of entries (${entries.size}) exceeds the maximum (${p.maxEntries}).`);
  dryRun(input);
  p.entries = new Map(entries);
  p.version++;
  history(s, a, p);
  const view = ((await DescribeManagedPrefixLists(ctx, { PrefixListIds: [p.id] })) as { prefixListSet: Array<Record<string, unknown>> }).prefixListSet[0];
  return { prefixList: { ...view, state: "restore-in-progress" } };
}

export function GetManagedPrefixListAssociations(ctx: Ctx, input: Input) {
  const { s } = addr(ctx);
  const p = getPrefixList(s, required(input, "PrefixListId"));
  dryRun(input);
  const ids: string[] = [];
  for (const r of s.rtbs.values()) if (r.routes.some((x) => x.destinationPrefixListId === p.id)) ids.push(r.id);
  for (const g of s.sgs.values()) if ([...g.ingress, ...g.egress].some((x) => x.prefixListId === p.id)) ids.push(g.id);
  const rows = ids.map((id) => ({ id, tags: new Map<string, string>() }));
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.id, { paginate: true, min: 5, max: 255 });
  return { prefixListAssociationSet: r.items.map((x) => ({ resourceId: x.id, resourceOwner: s.accountId })), nextToken: r.nextToken };
}
