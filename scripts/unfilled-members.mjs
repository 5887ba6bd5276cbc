#!/usr/bin/env node
/**
 * The output members AWS's model declares that no answer of a test run filled, for the operations that run answered:
 *   AWSIM_FILLED_REPORT=/tmp/filled.txt npm test; node scripts/unfilled-members.mjs /tmp/filled.txt [service] [--enums]
 * A member is listed only when its parent was filled (an optional structure never returned is one line, not one per
 * member). Each is either something awsim never returns or something no test reached: read them against AWS's docs.
 * With --enums: for each enum member answers filled, the values of its enum no answer took (a state never reached).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const enums = args.includes("--enums");
const [file, only] = args.filter((a) => a !== "--enums");
if (!file) {
  console.error("usage: node scripts/unfilled-members.mjs <AWSIM_FILLED_REPORT file> [service]");
  process.exit(2);
}
const byOp = new Map();
/** "service Operation" -> path -> the enum values answers took there. */
const values = new Map();
for (const line of readFileSync(file, "utf8").split("\n")) {
  const [service, operation, ...rest] = line.split(" ");
  const path = rest.join(" ");
  if (!path || (only && service !== only)) continue;
  const key = `${service} ${operation}`;
  if (!byOp.has(key)) byOp.set(key, new Set());
  const eq = path.indexOf("=");
  if (eq < 0) byOp.get(key).add(path);
  else {
    if (!values.has(key)) values.set(key, new Map());
    const at = values.get(key);
    if (!at.has(path.slice(0, eq))) at.set(path.slice(0, eq), new Set());
    at.get(path.slice(0, eq)).add(path.slice(eq + 1));
  }
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

/** The shape a member path leads to from `shapeName`. */
function shapeAt(m, shapeName, path) {
  let shape = m.shapes[shapeName];
  for (const part of path.match(/\.[^.[{]+|\[\]|\{\}/g) ?? []) {
    if (!shape) return undefined;
    if (part === "[]") shape = m.shapes[shape.member?.shape];
    else if (part === "{}") shape = m.shapes[shape.value?.shape];
    else shape = m.shapes[shape.members?.[part.slice(1)]?.shape];
  }
  return shape;
}

if (enums) {
  let total = 0;
  for (const [key, at] of [...values].sort()) {
    const [service, operation] = key.split(" ");
    const m = model(service);
    const out = [];
    for (const [path, seen] of [...at].sort()) {
      const missing = (shapeAt(m, m.operations[operation].output.shape, path)?.enum ?? []).filter((v) => !seen.has(v));
      if (missing.length) out.push(`${path}: ${missing.join(" ")} (answered: ${[...seen].join(" ")})`);
      total += missing.length;
    }
    if (out.length) console.log(`${key}\n  ${out.join("\n  ")}`);
  }
  console.error(`${total} enum values no answer took`);
  process.exit(0);
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
