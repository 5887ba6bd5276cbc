/**
 * CreateTags, DeleteTags and DescribeTags for resource kinds kept outside ec2/state.ts (the more/ and
 * families/ folders): ids with a kind's prefix are tagged here, every other id goes on to the handlers given,
 * and DescribeTags merges both answers, filtered, sorted and paged together.
 */
import { paginate } from "../core/paginate.js";
import type { Ctx, Handler } from "../core/types.js";
import { dryRun, int, list, removeTag, select, setTag, type Input } from "./common.js";
import { Ec2Errors } from "./errors.js";
import type { Ec2State, Tagged } from "./state.js";

const e = Ec2Errors.custom;

export interface TagKind<S> {
  /** Id prefix; list longer prefixes first. */
  prefix: string;
  type: string;
  map: (x: S) => Map<string, Tagged>;
  missing: (id: string) => Error;
}
export type TagHandlers = { CreateTags: Handler; DeleteTags: Handler; DescribeTags: Handler };
type Resolve<S> = (ctx: Ctx) => { s: Ec2State; x: S };

function split<S>(ctx: Ctx, input: Input, resolve: Resolve<S>, kinds: TagKind<S>[]) {
  const { s, x: f } = resolve(ctx);
  const mine: Array<{ id: string; r: Tagged }> = [];
  const rest: string[] = [];
  for (const id of list(input.Resources)) {
    const k = kinds.find((k) => id.startsWith(k.prefix));
    if (!k) {
      rest.push(id);
      continue;
    }
    const r = k.map(f).get(id);
    if (!r) throw k.missing(id);
    mine.push({ id, r });
  }
  return { s, mine, rest };
}

export function kindTagOperations<S>(base: TagHandlers, resolve: Resolve<S>, kinds: TagKind<S>[]): TagHandlers {
  async function CreateTags(ctx: Ctx, input: Input) {
    const { s, mine, rest } = split(ctx, input, resolve, kinds);
    if (!mine.length) return base.CreateTags(ctx, input);
    const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
    if (!tags.length) throw Ec2Errors.missing("Tag");
    for (const t of tags) {
      if (!t.Key || String(t.Key).length > 128) throw Ec2Errors.invalidValue(`Tag key '${t.Key ?? ""}' is invalid`);
      // AWS's text (CreateTags since 2018: aws-samples/AWS-Automated-Daily-Instance-AMI-Snapshots#7, cluster-api-provider-aws#5461).
      if (String(t.Key).toLowerCase().startsWith("aws:"))
        throw Ec2Errors.invalidValue(`Value ( ${t.Key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`);
      if (String(t.Value ?? "").length > 256) throw Ec2Errors.invalidValue(`Tag value for key '${t.Key}' is too long`);
    }
    for (const { r } of mine)
      if (new Set([...r.tags.keys(), ...tags.map((t) => String(t.Key))]).size > 50)
        throw e("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
    if (rest.length) await base.CreateTags(ctx, { ...input, Resources: rest });
    else dryRun(input);
    for (const { id, r } of mine) for (const t of tags) setTag(s, id, r, String(t.Key), String(t.Value ?? ""));
    return { return: true };
  }

  async function DeleteTags(ctx: Ctx, input: Input) {
    const { s, mine, rest } = split(ctx, input, resolve, kinds);
    if (!mine.length) return base.DeleteTags(ctx, input);
    if (rest.length) await base.DeleteTags(ctx, { ...input, Resources: rest });
    else dryRun(input);
    const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
    for (const { id, r } of mine) {
      const keys = tags.length ? tags : [...r.tags.keys()].map((Key) => ({ Key, Value: undefined }));
      for (const t of keys) removeTag(s, id, r, String(t.Key), t.Value === undefined ? undefined : String(t.Value));
    }
    return { return: true };
  }

  async function DescribeTags(ctx: Ctx, input: Input) {
    const { x: f } = resolve(ctx);
    const max = int(input.MaxResults, "MaxResults");
    if (max !== undefined && (max < 5 || max > 1000))
      throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    const baseOut = (await base.DescribeTags(ctx, { ...input, MaxResults: undefined, NextToken: undefined })) as {
      tagSet: Array<{ resourceId: string; resourceType: string; key: string; value: string }>;
    };
    const own: Array<{ resourceId: string; resourceType: string; key: string; value: string; tags: Map<string, string> }> = [];
    for (const k of kinds)
      for (const [id, r] of k.map(f)) for (const [key, value] of r.tags) own.push({ resourceId: id, resourceType: k.type, key, value, tags: new Map() });
    const matched = select(
      own,
      { Filters: input.Filters },
      { key: (x) => x.key, value: (x) => x.value, "resource-id": (x) => x.resourceId, "resource-type": (x) => x.resourceType },
      (x) => `${x.resourceId}\u0000${x.key}`,
    ).items.map(({ tags: _t, ...x }) => x);
    if (!matched.length && max === undefined && !input.NextToken) return baseOut;
    const rows = [...baseOut.tagSet, ...matched].sort((a, b) => (a.resourceId + a.key < b.resourceId + b.key ? -1 : 1));
    if (max === undefined && !input.NextToken) return { tagSet: rows };
    const page = paginate(rows, {
      maxResults: max,
      nextToken: input.NextToken,
      defaultMax: 1000,
      key: (x) => `${x.resourceId}\u0000${x.key}`,
      invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
    });
    return { tagSet: page.items, nextToken: page.nextToken };
  }

  return { CreateTags, DeleteTags, DescribeTags };
}
