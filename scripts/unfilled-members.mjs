#!/usr/bin/env node
/**
 * The output members AWS's model declares that no answer of a test run filled, for the operations that run answered:
 *   AWSIM_FILLED_REPORT=/tmp/filled.txt npm test; node scripts/unfilled-members.mjs /tmp/filled.txt [service]
 * A member is listed only when its parent was filled (an optional structure never returned is one line, not one per
 * member). Each is either something awsim never returns or something no test reached: read them against AWS's docs.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [file, only] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/unfilled-members.mjs <AWSIM_FILLED_REPORT file> [service]");
  process.exit(2);
}
const byOp = new Map();
for (const line of readFileSync(file, "utf8").split("\n")) {
  const [service, operation, path] = line.split(" ");
  if (!path || (only && service !== only)) continue;
  const key = `${service} ${operation}`;
  if (!byOp.has(key)) byOp.set(key, new Set());
  byOp.get(key).add(path);
}
const models = new Map();
const model = (s) => {
  if (!models.has(s)) models.set(s, JSON.parse(readFileSync(join(root, "models", `${s}.json`), "utf8")));
  return models.get(s);
};

/** Every member path of `shapeName` whose parent path is in `seen` (or is the top). */
function unfilled(m, shapeName, path, seen, stack, out) {
  const shape = m.shapes[shapeName];
  if (!shape || stack.includes(shapeName)) return;
  const next = [...stack, shapeName];
  if (shape.type === "structure") {
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location === "statusCode") continue;
      const p = `${path}.${name}`;
      if (!seen.has(p)) out.push(p);
      else unfilled(m, ref.shape, p, seen, next, out);
    }
  } else if (shape.type === "list") unfilled(m, shape.member.shape, `${path}[]`, seen, next, out);
  else if (shape.type === "map") unfilled(m, shape.value.shape, `${path}{}`, seen, next, out);
}

let total = 0;
for (const [key, seen] of [...byOp].sort()) {
  const [service, operation] = key.split(" ");
  const m = model(service);
  const shape = m.operations[operation]?.output?.shape;
  if (!shape) continue;
  const out = [];
  unfilled(m, shape, "", seen, [], out);
  if (!out.length) continue;
  total += out.length;
  console.log(`${key}: ${out.join(" ")}`);
}
console.error(`${total} unfilled member paths in ${byOp.size} operations`);
