/**
 * Stored member-named values (as a request carried them) → the EC2 reply's element names for an output
 * shape of the model: each member under its locationName (else its member name), lists as lists (the
 * encoder wraps them in <item>). Members the output shape does not declare are dropped.
 */
import { loadModel } from "../../protocols/model/load.js";
import type { MemberRef } from "../../protocols/model/types.js";

function convert(ref: MemberRef, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  const shape = loadModel("ec2").shapes[ref.shape];
  if (!shape) return v;
  if (shape.type === "structure") {
    if (typeof v !== "object" || Array.isArray(v)) return undefined;
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      const x = convert(m, src[name]);
      if (x !== undefined) out[m.locationName ?? name] = x;
    }
    return out;
  }
  if (shape.type === "list") return (Array.isArray(v) ? v : [v]).map((x) => convert(shape.member!, x));
  if (shape.type === "blob" && Buffer.isBuffer(v)) return v.toString("base64");
  return v;
}

/** A value of the named output shape in wire element names. */
export function toWire(shapeName: string, v: unknown): unknown {
  return convert({ shape: shapeName }, v);
}
