/**
 * Appends (PutObject with x-amz-write-offset-bytes), a feature of S3 Express One Zone directory buckets:
 * the offset must be the object's size (0 creates a new object); each append adds a part, up to 10,000 in all
 * (a copy starts the count again). A general purpose bucket answers 501 NotImplemented. The appended object
 * keeps its metadata, content type and encryption; its ETag changes; a CRC checksum stays a full-object one
 * (combined), another algorithm becomes COMPOSITE over the parts. The errors are those mountpoint-s3's client
 * tests meet on S3 Express (mountpoint-s3-client/tests/put_object_single.rs) and the model documents:
 * InvalidWriteOffset, NoSuchKey for an offset into a missing object, an empty body to an existing object,
 * "Checksum Type mismatch", user metadata on an existing object, EncryptionTypeMismatch, TooManyParts.
 */
import { header } from "../../protocols/http.js";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { blobSize, discard } from "./blobs.js";
import { receiveBody, requestedChecksum } from "./body.js";
import { base64ToCrc, checksumOf, combineCrc, compositeChecksum, crcToBase64, isCrc } from "./checksums.js";
import { empty, getBucket, latest, s3state, s3stamp, userMetadata } from "./common.js";
import { S3Errors } from "./errors.js";
import { checkKey, checksumHeaders, checkWriteConditions, ensureChecksum, PutObject } from "./objects.js";
import type { S3Input } from "./route.js";
import { randomEtag, sseHeaders, writeSse } from "./sse.js";
import type { Blob, ObjectVersion } from "./state.js";

const OFFSET = "x-amz-write-offset-bytes";
const MAX_PARTS = 10000;

const invalidWriteOffset = () => new AwsError("InvalidWriteOffset", "The write offset value that you specified does not match the current object size.", 400);
const tooManyParts = () =>
  new AwsError(
    "TooManyParts",
    "You have attempted to add more parts than the maximum of 10000 that are allowed for this object. You can use the CopyObject operation to copy this object to another and then add more data to the newly copied object.",
    400,
  );
const encryptionTypeMismatch = () =>
  new AwsError(
    "EncryptionTypeMismatch",
    "The existing object was created with a different encryption type. Subsequent write requests must include the appropriate encryption parameters in the request or while creating the session.",
    400,
  );

/** PUT /bucket/key: an append when x-amz-write-offset-bytes is sent, else a plain PutObject. */
export function PutOrAppendObject(ctx: Ctx, input: S3Input) {
  return input.req.headers[OFFSET] === undefined ? PutObject(ctx, input) : appendObject(ctx, input);
}

async function appendObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.directory)
    throw new AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501, { extra: { Header: OFFSET } });
  const key = input.key!;
  checkKey(key);
  const raw = header(input.req, OFFSET) ?? "";
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw S3Errors.invalidArgument(`Invalid value for ${OFFSET} header.`, OFFSET, raw);
  const offset = Number(raw);
  const cur = latest(b.objects.get(key));
  if (!cur || cur.isDeleteMarker) {
    // Offset 0 creates the object as a PUT would; any other offset names data that is not there.
    if (offset !== 0) throw S3Errors.noSuchKey(key);
    const out = await PutObject(ctx, input);
    const made = latest(b.objects.get(key));
    if (made) out.headers["x-amz-object-size"] = String(made.size);
    return out;
  }
  checkWriteConditions(b, key, input);
  if (Object.keys(userMetadata(input)).length)
    throw S3Errors.invalidRequest("Cannot specify both a write offset value and user-defined object metadata for existing objects.");
  // mountpoint-s3 (run against S3 Express) meets an empty append as InvalidArgument, whatever the object's size.
  const chunked = header(input.req, "x-amz-decoded-content-length") !== undefined;
  if (Number(header(input.req, chunked ? "x-amz-decoded-content-length" : "content-length") ?? NaN) === 0)
    throw S3Errors.invalidArgument("Request body cannot be empty when 'write offset' is specified.", OFFSET, raw);
  if (offset !== cur.size) throw invalidWriteOffset();
  const sse = writeSse(input, b, ctx.config.strict);
  if ((sse?.algorithm ?? "AES256") !== (cur.sse?.algorithm ?? "AES256")) throw encryptionTypeMismatch();
  await ensureChecksum(cur);
  // The parts so far: an appended object's, a multipart object's, or the one a PUT made.
  const parts = cur.appendParts ??
    cur.parts?.map((p) => ({ size: p.size, checksum: p.checksum })) ?? [
      { size: cur.size, checksum: cur.checksum?.type === "FULL_OBJECT" ? cur.checksum.value : undefined },
    ];
  if (parts.length + 1 > MAX_PARTS) throw tooManyParts();
  const alg = cur.checksum?.algorithm ?? "CRC64NVME";
  const sent = requestedChecksum(input.req).algorithm;
  if (sent !== undefined && sent !== alg)
    throw S3Errors.invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${alg.toLowerCase()}, actual checksum Type: ${sent.toLowerCase()}`);
  const got = await receiveBody(s3state(ctx), input.req, { maxSize: 5 * 1024 ** 3, algorithm: alg });
  try {
    if (got.size === 0) throw S3Errors.invalidArgument("Request body cannot be empty when 'write offset' is specified.", OFFSET, raw);
    // The object may have changed while the body arrived (another append, a PUT, a delete): judged again.
    const now = latest(b.objects.get(key));
    if (now !== cur) {
      if (!now || now.isDeleteMarker) throw S3Errors.noSuchKey(key);
      throw invalidWriteOffset();
    }
  } catch (e) {
    discard(got.blob);
    throw e;
  }
  const partSum = got.checksum?.value ?? checksumOf(alg, Buffer.alloc(0));
  const v: ObjectVersion = {
    ...cur,
    etag: randomEtag(),
    size: cur.size + got.size,
    lastModified: s3stamp(ctx),
    blob: { kind: "multi", parts: [...blobParts(cur.blob, cur.size), { blob: got.blob, size: got.size }] },
    checksum: appendedChecksum(ctx, cur, alg, got, partSum, parts),
    appendParts: [...parts, { size: got.size, checksum: partSum }],
    parts: undefined,
    completedUpload: undefined,
  };
  // Directory buckets are unversioned: the appended version takes the place of the one it extends, whose
  // stored data it reuses (so nothing is discarded).
  const entry = b.objects.get(key)!;
  entry.versions[entry.versions.indexOf(cur)] = v;
  for (const u of b.uploads.values()) if (u.key === key) u.conflict = true;
  return empty(200, { etag: v.etag, "x-amz-object-size": String(v.size), ...sseHeaders(v.sse, true), ...checksumHeaders(v) });
}

/** The stored pieces of an object's data, flattened (an appended object's are already a list). */
function blobParts(blob: Blob | undefined, size: number): Array<{ blob: Blob; size: number }> {
  if (!blob) return [];
  if (blob.kind === "multi") return blob.parts;
  return [{ blob, size: size || blobSize(blob) }];
}

/** A CRC object keeps a full-object CRC (combined with the new part's); other algorithms become COMPOSITE over the parts. */
function appendedChecksum(
  ctx: Ctx,
  cur: ObjectVersion,
  alg: NonNullable<ObjectVersion["checksum"]>["algorithm"],
  got: { size: number; crc?: bigint },
  partSum: string,
  parts: Array<{ size: number; checksum?: string }>,
): ObjectVersion["checksum"] {
  if (isCrc(alg) && cur.checksum?.type === "FULL_OBJECT" && cur.checksum.value) {
    const crc = combineCrc(alg, base64ToCrc(cur.checksum.value), got.crc ?? base64ToCrc(partSum), got.size, s3state(ctx).crcOps);
    return { algorithm: alg, value: crcToBase64(alg, crc), type: "FULL_OBJECT" };
  }
  const sums = [...parts.map((p) => p.checksum), partSum];
  if (sums.some((s) => !s)) return undefined;
  return { algorithm: alg, value: compositeChecksum(alg, sums as string[]), type: "COMPOSITE" };
}
