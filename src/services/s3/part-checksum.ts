/**
 * GetObject and HeadObject of one part (?partNumber=N) of a multipart object, with x-amz-checksum-mode: ENABLED:
 * S3 answers the part's own checksum, as LocalStack's AWS-validated snapshots record it (localstack#12840/#12842):
 * an upload with a COMPOSITE checksum gives part N's checksum (also when the object has one part, where the
 * object's `…-1` composite is not it); a FULL_OBJECT upload of one part gives that part's checksum, which is the
 * object's; a FULL_OBJECT upload of several parts gives none. The SDKs validate a checksum without the `-N`
 * suffix against the bytes they receive (the part), so it must be the part's.
 * objects.ts serves the part; this adds its checksum to the answer.
 */
import type { Ctx } from "../core/types.js";
import { isRawOutput } from "../core/types.js";
import { headerOf } from "./checksums.js";
import type { S3Input } from "./route.js";
import type { S3State } from "./state.js";

type S3Handler = (ctx: Ctx, input: S3Input) => unknown;

/** Wraps GetObject / HeadObject: a part read with checksum mode enabled gets the part's checksum headers. */
export function withPartChecksum(h: S3Handler): S3Handler {
  return (ctx, input) => {
    const out = h(ctx, input);
    if (input.query.partNumber === undefined || input.req.headers["x-amz-checksum-mode"] === undefined) return out;
    return out instanceof Promise ? out.then((o) => addPartChecksum(ctx, input, o)) : addPartChecksum(ctx, input, out);
  };
}

function addPartChecksum(ctx: Ctx, input: S3Input, out: unknown): unknown {
  if (!isRawOutput(out) || out.status !== 206) return out;
  const entry = ctx.state<S3State>().buckets.get(input.bucket!)?.objects.get(input.key!);
  const versionId = input.query.versionId;
  const v = versionId === undefined ? entry?.versions[0] : entry?.versions.find((x) => x.versionId === versionId);
  const sum = v?.checksum;
  if (!v?.parts || !sum) return out;
  const n = Number(input.query.partNumber);
  const part = v.parts[n - 1];
  if (!part) return out;
  let value: string | undefined;
  if (sum.type === "COMPOSITE") value = part.checksum;
  else if (v.parts.length === 1) value = part.checksum ?? sum.value;
  if (!value) return out;
  out.headers = { ...out.headers, [headerOf(sum.algorithm)]: value, "x-amz-checksum-type": sum.type };
  return out;
}
