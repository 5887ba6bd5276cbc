/**
 * A development check of handler outputs against the model (AWSIM_CHECK_OUTPUT=1): members the model
 * does not declare (a misspelt name is silently dropped by the encoder and by every SDK) and values of
 * the wrong type. Problems are printed, one line each; the request is answered as usual.
 */
import type { ServiceModel } from "./types.js";

export function checkOutput(model: ServiceModel, shapeName: string, value: unknown, path = "", out: string[] = [], depth = 0): string[] {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null || depth > 30 || shape.document) return out;
  const bad = (what: string) => out.push(`${path || "."}: ${what}`);
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) return (bad(`expected a structure (${shapeName}), got ${typeof value}`), out);
      const members = shape.members ?? {};
      const byWire = new Map(Object.entries(members).map(([n, r]) => [r.locationName ?? n, n]));
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k.startsWith("$") || v === undefined) continue;
        const name = Object.hasOwn(members, k) ? k : byWire.get(k);
        if (!name) {
          bad(`member ${k} is not in ${shapeName}`);
          continue;
        }
        checkOutput(model, members[name]!.shape, v, `${path}.${k}`, out, depth + 1);
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) return (bad(`expected a list (${shapeName}), got ${typeof value}`), out);
      value.forEach((v, i) => checkOutput(model, shape.member!.shape, v, `${path}[${i}]`, out, depth + 1));
      return out;
    case "map":
      if (typeof value !== "object") return (bad(`expected a map (${shapeName})`), out);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkOutput(model, shape.value!.shape, v, `${path}{${k}}`, out, depth + 1);
      return out;
    case "string":
      if (typeof value !== "string") bad(`expected a string, got ${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`);
      else if (shape.enum && !shape.enum.includes(value)) bad(`'${value}' is not in the enum of ${shapeName}`);
      return out;
    case "integer":
    case "long":
    case "double":
    case "float":
      if (typeof value !== "number") bad(`expected a number, got ${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`);
      return out;
    case "boolean":
      if (typeof value !== "boolean") bad(`expected a boolean, got ${typeof value}`);
      return out;
    case "timestamp":
      if (!(value instanceof Date) && typeof value !== "number" && typeof value !== "string") bad("expected a timestamp");
      return out;
    default:
      return out;
  }
}

/**
 * The member paths `value` fills in `shapeName` (member names, `[]` for a list's items, `{}` for a map's values), for
 * AWSIM_FILLED_REPORT: the suite lists the output members no answer of any test carried.
 */
export function filledPaths(model: ServiceModel, shapeName: string, value: unknown, into: Set<string>, path = "", depth = 0): Set<string> {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null || depth > 40 || shape.document) return into;
  if (shape.type === "structure" && typeof value === "object" && !Array.isArray(value)) {
    const members = shape.members ?? {};
    const byWire = new Map(Object.entries(members).map(([n, r]) => [r.locationName ?? n, n]));
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.startsWith("$") || v === undefined || v === null) continue;
      const name = Object.hasOwn(members, k) ? k : byWire.get(k);
      if (!name) continue;
      into.add(`${path}.${name}`);
      filledPaths(model, members[name]!.shape, v, into, `${path}.${name}`, depth + 1);
    }
  } else if (shape.type === "list" && Array.isArray(value)) {
    for (const v of value) filledPaths(model, shape.member!.shape, v, into, `${path}[]`, depth + 1);
  } else if (shape.type === "map" && typeof value === "object") {
    for (const v of Object.values(value as Record<string, unknown>)) filledPaths(model, shape.value!.shape, v, into, `${path}{}`, depth + 1);
  }
  return into;
}
