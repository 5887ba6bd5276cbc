/** Tag helpers shared by services: AWS's {Key, Value} lists (ECS uses {key, value}). */
export type TagList = Array<{ Key: string; Value: string }>;

export function mergeTags(existing: TagList, add: TagList): TagList {
  const m = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of add) m.set(t.Key, t.Value ?? "");
  return [...m].map(([Key, Value]) => ({ Key, Value }));
}

export function removeTags(existing: TagList, keys: string[]): TagList {
  const drop = new Set(keys);
  return existing.filter((t) => !drop.has(t.Key));
}
