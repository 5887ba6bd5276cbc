/** Multipart uploads: create, upload part (and part copy), complete (ETag md5-of-md5s-N, composite or full-object checksums), abort, list parts and uploads. */
import { createHash, randomBytes } from "node:crypto";
import { header, readBody } from "../../protocols/http.js";
import { asArray } from "../../protocols/xml.js";
import type { Ctx } from "../core/types.js";
import { concatBlobs, discard, setBlobSize } from "./blobs.js";
import { receiveBody, requestedChecksum, wellFormedChecksum } from "./body.js";
import { ALGORITHMS, base64ToCrc, combineCrc, compositeChecksum, crcToBase64, hasher, headerOf, isCrc, type ChecksumAlgorithm } from "./checksums.js";
import { isPublicAcl, requestAcl } from "./acl.js";
import { empty, getBucket, owner, parseTagging, readXml, s3now, s3state, storageClass, storedHeaders, userMetadata, wholeSecond, xmlReply } from "./common.js";
import { S3Errors } from "./errors.js";
import { abortHeaders } from "./lifecycle.js";
import { listEncoder, resumedPrefix } from "./list.js";
import { lockFromRequest } from "./lock.js";
import { checkKey, checkWriteConditions, commitVersion, copySource, objectOwner, writtenVersionHeaders } from "./objects.js";
import { checkPartKey, sseHeaders, writeSse } from "./sse.js";
import { needsReseal, openPart, requestKey, resealPart, sealer } from "./ssec.js";
import { notify } from "./notify.js";
import { queueReplication } from "./subresources.js";
import type { S3Input } from "./route.js";
import type { Bucket, ObjectVersion, Upload } from "./state.js";

/** Every part but the last must be at least 5 MiB. */
const MIN_PART_SIZE = 5 * 1024 * 1024;

function findUpload(b: Bucket, input: S3Input): Upload {
  const id = input.query.uploadId ?? "";
  const u = b.uploads.get(id);
  if (!u || u.key !== input.key) throw S3Errors.noSuchUpload(id);
  return u;
}

function partNumber(input: S3Input): number {
  const raw = input.query.partNumber ?? "";
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10000)
    throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", raw);
  return n;
}

export function CreateMultipartUpload(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const key = input.key!;
  checkKey(key);
  const alg = header(input.req, "x-amz-checksum-algorithm")?.toUpperCase();
  // A list of algorithms is its own refusal (OpenStack Swift's s3api tests, run against AWS).
  if (alg?.includes(",")) throw S3Errors.invalidRequest("Invalid types are specified in x-amz-checksum-algorithm header.");
  if (alg !== undefined && !(ALGORITHMS as string[]).includes(alg))
    throw S3Errors.invalidRequest(
      "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5, XXHASH64, XXHASH3, XXHASH128]",
    );
  let type = header(input.req, "x-amz-checksum-type")?.toUpperCase() as Upload["checksumType"];
  // A type needs an algorithm and must be one S3 has; each pairing S3 refuses is worded type first, algorithm lower-cased.
  if (type !== undefined && alg === undefined)
    throw S3Errors.invalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
  if (type !== undefined && type !== "FULL_OBJECT" && type !== "COMPOSITE") throw S3Errors.invalidRequest("Value for x-amz-checksum-type header is invalid.");
  if (alg === "CRC64NVME") type ??= "FULL_OBJECT";
  if (alg && !type) type = "COMPOSITE";
  if (type === "FULL_OBJECT" && alg && !isCrc(alg as ChecksumAlgorithm))
    throw S3Errors.invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${alg.toLowerCase()} checksum algorithm.`);
  if (type === "COMPOSITE" && alg === "CRC64NVME")
    throw S3Errors.invalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
  const sse = writeSse(input, b, ctx.config.strict);
  const uploadOwner = objectOwner(ctx, b, input);
  const acl = requestAcl(ctx, input, b, true, uploadOwner);
  if (acl && b.pab?.BlockPublicAcls && isPublicAcl(acl)) throw S3Errors.accessDenied();
  const lock = lockFromRequest(ctx, b, input);
  const u: Upload = {
    uploadId: randomBytes(48).toString("base64url"),
    key,
    initiated: s3now(ctx),
    contentType: header(input.req, "content-type") ?? "binary/octet-stream",
    headers: storedHeaders(input),
    metadata: userMetadata(input),
    tags: parseTagging(header(input.req, "x-amz-tagging")),
    storageClass: storageClass(input),
    checksumAlgorithm: alg as ChecksumAlgorithm | undefined,
    checksumType: type,
    parts: new Map(),
    acl,
    owner: uploadOwner,
    // An IAM user's upload names the user: ID is the user's ARN, DisplayName its name (the account: canonical id).
    initiator: ctx.caller?.kind === "user" ? { ID: ctx.caller.arn, DisplayName: ctx.caller.arn.slice(ctx.caller.arn.lastIndexOf("/") + 1) } : undefined,
    sse,
    retention: lock.retention,
    legalHold: lock.legalHold,
  };
  b.uploads.set(u.uploadId, u);
  const h: Record<string, string> = sseHeaders(sse, true);
  if (alg) Object.assign(h, { "x-amz-checksum-algorithm": alg, "x-amz-checksum-type": type! });
  Object.assign(h, abortHeaders(b, u, s3state(ctx).dayMs));
  return xmlReply("InitiateMultipartUploadResult", { Bucket: b.name, Key: key, UploadId: u.uploadId }, h);
}

export async function UploadPart(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const u = findUpload(b, input);
  const n = partNumber(input);
  checkPartKey(u.sse, input);
  const alg = u.checksumAlgorithm ?? "CRC64NVME";
  // An upload created with a checksum algorithm takes parts checksummed with that algorithm only.
  if (u.checksumAlgorithm) {
    const sent = requestedChecksum(input.req).algorithm;
    if (sent !== u.checksumAlgorithm)
      throw S3Errors.invalidRequest(
        `Checksum Type mismatch occurred, expected checksum Type: ${u.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${sent?.toLowerCase() ?? "null"}`,
      );
  }
  const seal = u.sse?.customerMd5 ? sealer(input) : undefined;
  const got = await receiveBody(s3state(ctx), input.req, { algorithm: alg, maxSize: 5 * 1024 ** 3, cipher: seal?.cipher });
  if (!b.uploads.has(u.uploadId)) {
    discard(got.blob);
    throw S3Errors.noSuchUpload(u.uploadId);
  }
  // The part's checksum in the upload's algorithm (computed again if the client used another one).
  let value = got.checksum?.value ?? "";
  let crc = got.crc;
  if (got.checksum?.algorithm !== alg) {
    const { toBuffer } = await import("./blobs.js");
    const h = hasher(alg);
    h.update(seal ? openPart(await toBuffer(got.blob), requestKey(input), seal.iv) : await toBuffer(got.blob));
    value = h.digest();
    crc = h.raw?.();
  }
  discard(u.parts.get(n)?.blob);
  const etag = `"${got.md5Hex}"`;
  u.parts.set(n, { info: { partNumber: n, size: got.size, etag, checksum: value, iv: seal?.iv }, blob: got.blob, crc, lastModified: s3now(ctx) });
  const h: Record<string, string> = { etag, ...sseHeaders(u.sse) };
  if (u.checksumAlgorithm) h[headerOf(u.checksumAlgorithm)] = value;
  return empty(200, h);
}

export async function UploadPartCopy(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const u = findUpload(b, input);
  const n = partNumber(input);
  checkPartKey(u.sse, input);
  const { bucket: srcBucket, v: src } = copySource(ctx, input);
  // "The version of the source object that was copied, if you have enabled versioning on the source bucket."
  const srcVersion: Record<string, string> = srcBucket.versioning && src.versionId !== "null" ? { "x-amz-copy-source-version-id": src.versionId } : {};
  let start = 0;
  let end = src.size - 1;
  const range = header(input.req, "x-amz-copy-source-range");
  if (range) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    // A well-formed range that starts past the source's end is InvalidRequest; one that only ends past it has its
    // own InvalidArgument message (both AWS's).
    if (m && Number(m[1]) <= Number(m[2]) && Number(m[1]) >= src.size)
      throw S3Errors.invalidRequest("The specified copy range is invalid for the source object size");
    if (m && Number(m[1]) <= Number(m[2]) && Number(m[2]) >= src.size)
      throw S3Errors.invalidArgument(`Range specified is not valid for source object of size: ${src.size}`, "x-amz-copy-source-range", range);
    if (!m || Number(m[1]) > Number(m[2])) {
      throw S3Errors.invalidArgument(
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
        "x-amz-copy-source-range",
        range,
      );
    }
    start = Number(m[1]);
    end = Number(m[2]);
  }
  const size = end - start + 1;
  if (needsReseal(src, u.sse)) return resealedPartCopy(ctx, input, u, n, src, start, end, srcVersion);
  const blob = src.blob ? await concatBlobs(s3state(ctx), [{ blob: src.blob, start, end }], size) : { kind: "mem" as const, data: Buffer.alloc(0) };
  setBlobSize(blob, size);
  const { toBuffer } = await import("./blobs.js");
  const data = size <= 64 * 1024 * 1024 ? await toBuffer(blob) : undefined;
  const md5 = createHash("md5");
  const alg = u.checksumAlgorithm ?? "CRC64NVME";
  const h = hasher(alg);
  if (data) {
    md5.update(data);
    h.update(data);
  } else {
    const { readBlob } = await import("./blobs.js");
    const s = readBlob(blob, 0, size - 1);
    if (Buffer.isBuffer(s)) md5.update(s), h.update(s);
    else for await (const c of s) md5.update(c as Buffer), h.update(c as Buffer);
  }
  const etag = `"${md5.digest("hex")}"`;
  discard(u.parts.get(n)?.blob);
  const now = s3now(ctx);
  const value = h.digest();
  u.parts.set(n, { info: { partNumber: n, size, etag, checksum: value }, blob, crc: h.raw?.(), lastModified: now });
  const cs = u.checksumAlgorithm ? { [`Checksum${u.checksumAlgorithm}`]: value } : {};
  return xmlReply("CopyPartResult", { ETag: etag, LastModified: wholeSecond(now), ...cs }, { ...sseHeaders(u.sse), ...srcVersion });
}

/** UploadPartCopy with a customer key on either side: the plaintext hashed, the part stored under the upload's key. */
async function resealedPartCopy(
  ctx: Ctx,
  input: S3Input,
  u: Upload,
  n: number,
  src: ObjectVersion,
  start: number,
  end: number,
  srcVersion: Record<string, string>,
) {
  const md5 = createHash("md5");
  const h = hasher(u.checksumAlgorithm ?? "CRC64NVME");
  const { blob, iv } = await resealPart(s3state(ctx), input, src, u.sse, start, end, [md5, h]);
  const etag = `"${md5.digest("hex")}"`;
  discard(u.parts.get(n)?.blob);
  const now = s3now(ctx);
  const value = h.digest();
  u.parts.set(n, { info: { partNumber: n, size: end - start + 1, etag, checksum: value, iv }, blob, crc: h.raw?.(), lastModified: now });
  const cs = u.checksumAlgorithm ? { [`Checksum${u.checksumAlgorithm}`]: value } : {};
  return xmlReply("CopyPartResult", { ETag: etag, LastModified: wholeSecond(now), ...cs }, { ...sseHeaders(u.sse), ...srcVersion });
}

/** The object's virtual-hosted https URL as S3 writes it in Location: the key percent-encoded, "/" included. */
function objectUrl(b: Bucket, key: string): string {
  const host = b.region === "us-east-1" ? "s3.amazonaws.com" : `s3.${b.region}.amazonaws.com`;
  return `https://${b.name}.${host}/${encodeURIComponent(key).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The answer of a completion, given again when the same upload is completed a second time. */
function completedReply(b: Bucket, v: ObjectVersion) {
  const c = v.checksum;
  const cs = c && v.completedUpload?.reportChecksum ? { [`Checksum${c.algorithm}`]: c.value, ChecksumType: c.type } : {};
  return xmlReply(
    "CompleteMultipartUploadResult",
    { Location: objectUrl(b, v.key), Bucket: b.name, Key: v.key, ETag: v.etag, ...cs },
    // CompleteMultipartUploadOutput declares no SSE-C headers (UploadPart's answers carry them).
    { ...(v.sse?.customerMd5 ? {} : sseHeaders(v.sse)), ...writtenVersionHeaders(b, v) },
  );
}

async function sameParts(input: S3Input, done: ObjectVersion): Promise<boolean> {
  const { doc } = await readXml(input, undefined, { bodyChecksum: false });
  const listed = asArray(doc.CompleteMultipartUpload?.Part) as Array<Record<string, unknown>>;
  const unquote = (e: unknown) => String(e ?? "").replace(/"/g, "");
  return (
    listed.length === (done.parts?.length ?? 0) &&
    listed.every((p, i) => Number(p.PartNumber) === done.parts![i]!.partNumber && unquote(p.ETag) === unquote(done.parts![i]!.etag))
  );
}

export async function CompleteMultipartUpload(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  // Completing an upload that already completed succeeds again with the same answer while its object
  // version exists (conditional headers included), as S3 does.
  const id = input.query.uploadId ?? "";
  if (!b.uploads.has(id)) {
    const done = b.objects.get(input.key ?? "")?.versions.find((v) => v.completedUpload?.id === id);
    // Only the same parts complete it again; another list finds no upload (OpenStack Swift's s3api tests, run against AWS).
    if (done && (await sameParts(input, done))) return completedReply(b, done);
  }
  const u = findUpload(b, input);
  const sizeHeader = header(input.req, "x-amz-mp-object-size");
  if (sizeHeader !== undefined && !/^-?\d+$/.test(sizeHeader))
    throw S3Errors.invalidRequest(`Value for x-amz-mp-object-size header is invalid: '${sizeHeader}'`);
  // A whole-object checksum header must be a digest's base64, optionally with its '-N' part count
  // (OpenStack Swift's s3api tests, run against AWS).
  for (const alg of ALGORITHMS) {
    const claimed = header(input.req, headerOf(alg));
    if (claimed !== undefined && !wellFormedChecksum(alg, claimed.replace(/-\d+$/, "")))
      throw S3Errors.invalidRequest(`Value for ${headerOf(alg)} header is invalid.`);
  }
  // No body at all names no part (an empty document is only malformed).
  if (!(await readBody(input.req, 1024 * 1024)).length) throw S3Errors.invalidRequest("You must specify at least one part");
  const { doc } = await readXml(input, undefined, { bodyChecksum: false });
  const listed = asArray(doc.CompleteMultipartUpload?.Part) as Array<Record<string, unknown>>;
  if (!doc.CompleteMultipartUpload || listed.length === 0) throw S3Errors.malformedXml();
  // The list's order is checked before any part is looked up.
  let prev = 0;
  for (const p of listed) {
    const n = Number(p.PartNumber);
    // Each part names its number and ETag; a number below 1 is InvalidArgument, as AWS answers.
    if (p.PartNumber === undefined || p.ETag === undefined || !Number.isInteger(n)) throw S3Errors.malformedXml();
    if (n < 1) throw S3Errors.invalidArgument("PartNumber must be >= 1", "PartNumber", String(n));
    // A part checksum that is no digest's base64, or several for one part, is InvalidArgument naming every checksum of the part
    // (ArgumentValue 'CRC32:<value>;'), as AWS answers (OpenStack Swift's s3api tests, run against AWS).
    const sums = ALGORITHMS.filter((a) => p[`Checksum${a}`] !== undefined).map((a) => [a, String(p[`Checksum${a}`])] as const);
    if (sums.length > 1 || sums.some(([a, v]) => !wellFormedChecksum(a, v)))
      throw S3Errors.invalidArgument("Invalid Base64 or multiple checksums present in request", "Checksum", sums.map(([a, v]) => `${a}:${v};`).join(""));
    if (n <= prev) throw Object.assign(S3Errors.invalidPartOrder(), { extra: { UploadId: u.uploadId } });
    prev = n;
  }
  const chosen = listed.map((p) => {
    const n = Number(p.PartNumber);
    const part = u.parts.get(n);
    const etag = String(p.ETag ?? "").replace(/"/g, "");
    const invalid = () => Object.assign(S3Errors.invalidPart(), { extra: { UploadId: u.uploadId, PartNumber: n, ETag: etag } });
    // An empty ETag matches no part (OpenStack Swift's s3api tests, run against AWS).
    if (!part || part.info.etag.replace(/"/g, "") !== etag) throw invalid();
    if (u.checksumAlgorithm) {
      const claimed = p[`Checksum${u.checksumAlgorithm}`];
      // Another algorithm's checksum for a part is BadDigest naming it (OpenStack Swift's s3api tests, run against AWS).
      const other = ALGORITHMS.find((a) => a !== u.checksumAlgorithm && p[`Checksum${a}`] !== undefined);
      if (other) throw S3Errors.badDigestMessage(`The ${other.toLowerCase()} you specified for part ${n} did not match what we received.`);
      // A composite (per-part) checksum upload needs every part's checksum in the request.
      if (claimed === undefined && u.checksumType === "COMPOSITE")
        throw S3Errors.invalidRequest(
          `The upload was created using a ${u.checksumAlgorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${n} in the request.`,
        );
      if (claimed !== undefined && String(claimed) !== part.info.checksum) throw invalid();
    } else if (Object.keys(p).some((k) => k.startsWith("Checksum"))) throw invalid();
    return part;
  });
  // AWS's minimum part size applies under --strict; by default tiny parts work (the seed's documented choice).
  for (let i = 0; ctx.config.strict && i < chosen.length - 1; i++) {
    const p = chosen[i]!.info;
    if (p.size < MIN_PART_SIZE)
      throw Object.assign(S3Errors.entityTooSmall(), {
        extra: { ProposedSize: p.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: p.partNumber, ETag: p.etag.replace(/"/g, "") },
      });
  }
  checkWriteConditions(b, u.key, input, u);
  const md5 = createHash("md5");
  for (const p of chosen) md5.update(Buffer.from(p.info.etag.replace(/"/g, ""), "hex"));
  const etag = `"${md5.digest("hex")}-${chosen.length}"`;
  const size = chosen.reduce((n, p) => n + p.info.size, 0);
  if (sizeHeader !== undefined && Number(sizeHeader) !== size)
    throw S3Errors.invalidRequest(`The provided 'x-amz-mp-object-size' header value ${sizeHeader} does not match what was computed: ${size}`);
  const checksum = completeChecksum(s3state(ctx).crcOps, u, chosen);
  checkCompleteChecksum(input, u, checksum);
  const unused = [...u.parts.values()].filter((p) => !chosen.includes(p));
  for (const p of unused) discard(p.blob);
  b.uploads.delete(u.uploadId);
  const v: ObjectVersion = {
    key: u.key,
    versionId: "null",
    isDeleteMarker: false,
    etag,
    size,
    // The object dates from the upload's initiation, not its completion (OpenStack Swift's s3api tests, run against AWS).
    lastModified: wholeSecond(u.initiated),
    blob: { kind: "multi", parts: chosen.map((p) => ({ blob: p.blob, size: p.info.size })) },
    contentType: u.contentType,
    headers: u.headers,
    metadata: u.metadata,
    tags: u.tags,
    storageClass: u.storageClass,
    checksum,
    parts: chosen.map((p) => p.info),
    acl: u.acl,
    owner: u.owner,
    sse: u.sse,
    retention: u.retention,
    legalHold: u.legalHold,
    // Without a requested algorithm S3 still computes its default CRC64NVME; it reports it only since 2025 (--strict).
    completedUpload: { id: u.uploadId, reportChecksum: !!(u.checksumAlgorithm || ctx.config.strict) },
  };
  commitVersion(b, v);
  if (b.replication) queueReplication(ctx, b, v);
  if (b.notifications) notify(ctx, b, "ObjectCreated:CompleteMultipartUpload", v);
  return completedReply(b, v);
}

/**
 * The whole-object checksum and checksum type a CompleteMultipartUpload may assert (headers): a type other
 * than the upload's, or a value other than the one computed, is BadDigest, as S3 documents. The value's
 * message is AWS's as recorded for a completion (algorithm in lower case); the type's wording is awsim's.
 */
function checkCompleteChecksum(input: S3Input, u: Upload, checksum: ObjectVersion["checksum"]): void {
  const type = header(input.req, "x-amz-checksum-type")?.toUpperCase();
  const uploadType = u.checksumType ?? "FULL_OBJECT";
  if (type !== undefined && type !== uploadType)
    throw S3Errors.badDigestMessage(
      `The upload was created using the ${uploadType} checksum type. The checksum type you specified (${type}) did not match it.`,
    );
  for (const alg of ALGORITHMS) {
    const claimed = header(input.req, headerOf(alg));
    if (claimed === undefined || !checksum || checksum.algorithm !== alg || !checksum.value) continue;
    const whole = checksum.value.replace(/-\d+$/, "");
    if (claimed !== checksum.value && claimed !== whole)
      throw S3Errors.badDigestMessage(`The ${alg.toLowerCase()} you specified did not match the calculated checksum.`);
  }
}

function completeChecksum(
  cache: Map<string, bigint[]>,
  u: Upload,
  parts: Array<Upload["parts"] extends Map<number, infer P> ? P : never>,
): ObjectVersion["checksum"] {
  const alg = u.checksumAlgorithm ?? "CRC64NVME";
  const type = u.checksumType ?? "FULL_OBJECT";
  if (type === "COMPOSITE") {
    return {
      algorithm: alg,
      value: compositeChecksum(
        alg,
        parts.map((p) => p.info.checksum ?? ""),
      ),
      type,
    };
  }
  if (!isCrc(alg) || parts.some((p) => p.crc === undefined && p.info.checksum === undefined)) return undefined;
  let crc = parts[0]!.crc ?? base64ToCrc(parts[0]!.info.checksum!);
  for (const p of parts.slice(1)) crc = combineCrc(alg, crc, p.crc ?? base64ToCrc(p.info.checksum!), p.info.size, cache);
  return { algorithm: alg, value: crcToBase64(alg, crc), type: "FULL_OBJECT" };
}

export function AbortMultipartUpload(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  // Aborting an upload that has completed answers 204, as for an open one, while the object version it made
  // exists; the object stays (the JS SDK's client-s3 e2e, run against AWS, aborts its completed upload in afterEach).
  const id = input.query.uploadId ?? "";
  if (!b.uploads.has(id) && b.objects.get(input.key ?? "")?.versions.some((v) => v.completedUpload?.id === id)) return empty(204);
  const u = findUpload(b, input);
  for (const p of u.parts.values()) discard(p.blob);
  b.uploads.delete(u.uploadId);
  return empty(204);
}

/**
 * ListParts' max-parts and part-number-marker (an empty one is absent): a negative number is outside
 * 0..2147483647, anything else that is not a 32-bit integer is refused as not an integer.
 */
function intArgument(input: S3Input, name: string, absent: number): number {
  const raw = input.query[name];
  if (!raw) return absent;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n > 2147483647 || n < -2147483648)
    throw S3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  if (n < 0) throw S3Errors.invalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, raw);
  return n;
}

export function ListParts(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const u = findUpload(b, input);
  const max = Math.min(intArgument(input, "max-parts", 1000), 1000);
  const marker = intArgument(input, "part-number-marker", 0);
  const all = [...u.parts.values()].filter((p) => p.info.partNumber > marker).sort((a, b2) => a.info.partNumber - b2.info.partNumber);
  const page = all.slice(0, max);
  const truncated = all.length > max;
  return xmlReply(
    "ListPartsResult",
    {
      Bucket: b.name,
      Key: u.key,
      UploadId: u.uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1]!.info.partNumber : 0,
      MaxParts: max,
      IsTruncated: truncated,
      Part: page.map((p) => ({
        PartNumber: p.info.partNumber,
        LastModified: wholeSecond(p.lastModified),
        ETag: p.info.etag,
        Size: p.info.size,
        ...(u.checksumAlgorithm ? { [`Checksum${u.checksumAlgorithm}`]: p.info.checksum } : {}),
      })),
      Initiator: u.initiator ?? owner(u.owner),
      Owner: owner(u.owner),
      StorageClass: u.storageClass,
      ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.checksumType,
    },
    abortHeaders(b, u, s3state(ctx).dayMs),
  );
}

export function ListMultipartUploads(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const q = input.query;
  const raw = q["max-uploads"];
  if (raw !== undefined && (!/^\d+$/.test(raw) || Number(raw) > 2147483647))
    throw S3Errors.invalidArgument("Argument max-uploads must be an integer between 0 and 2147483647", "max-uploads", raw);
  const max = Math.min(Number(raw ?? 1000), 1000);
  const enc = listEncoder(input);
  const prefix = q.prefix ?? "";
  const delimiter = q.delimiter ?? "";
  const keyMarker = q["key-marker"] ?? "";
  // upload-id-marker means nothing without key-marker: AWS ignores it and echoes no UploadIdMarker.
  const idMarker = keyMarker ? (q["upload-id-marker"] ?? "") : "";
  if (idMarker && [...b.uploads.values()].some((u) => u.uploadId === idMarker && u.key !== keyMarker))
    throw S3Errors.invalidArgument("Invalid uploadId marker", "upload-id-marker", idMarker);
  // A page that ended on a common prefix continues after every key under it.
  const resumeCp = resumedPrefix(keyMarker, prefix, delimiter);
  const inOrder = [...b.uploads.values()]
    .filter((u) => u.key.startsWith(prefix) && !(resumeCp !== undefined && u.key.startsWith(resumeCp)))
    .sort((a, c) => (a.key < c.key ? -1 : a.key > c.key ? 1 : a.initiated.getTime() - c.initiated.getTime() || (a.uploadId < c.uploadId ? -1 : 1)));
  // Uploads of one key are listed by initiation time, so a page resumes after the marker upload's
  // place in that order (by upload id only when the marker upload is gone).
  const at = idMarker === "" ? -1 : inOrder.findIndex((u) => u.key === keyMarker && u.uploadId === idMarker);
  const sorted = inOrder.filter((u, i) => u.key > keyMarker || (u.key === keyMarker && idMarker !== "" && (at >= 0 ? i > at : u.uploadId > idMarker)));
  const prefixes: string[] = [];
  const uploads: Upload[] = [];
  let truncated = false;
  let nextKey: string | undefined;
  let nextId: string | undefined;
  for (const u of sorted) {
    const d = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    const cp = d >= 0 ? u.key.slice(0, d + delimiter.length) : undefined;
    if (cp !== undefined && prefixes[prefixes.length - 1] === cp) continue;
    if (uploads.length + prefixes.length >= max) {
      truncated = max > 0;
      break;
    }
    if (cp !== undefined) {
      prefixes.push(cp);
      continue;
    }
    uploads.push(u);
    nextKey = u.key;
    nextId = u.uploadId;
  }
  return xmlReply("ListMultipartUploadsResult", {
    Bucket: b.name,
    KeyMarker: enc(keyMarker),
    UploadIdMarker: idMarker,
    // AWS names the page's last upload (even on the last page), or "" when the page holds no upload.
    NextKeyMarker: nextKey !== undefined ? enc(nextKey) : "",
    NextUploadIdMarker: nextId ?? "",
    Delimiter: delimiter ? enc(delimiter) : undefined,
    // Unlike the object listings, AWS names a Prefix only when the request gave one (recorded 2025).
    Prefix: q.prefix !== undefined ? enc(prefix) : undefined,
    MaxUploads: max,
    EncodingType: q["encoding-type"],
    IsTruncated: truncated,
    Upload: uploads.map((u) => ({
      Key: enc(u.key),
      UploadId: u.uploadId,
      Initiator: u.initiator ?? owner(u.owner),
      Owner: owner(u.owner),
      StorageClass: u.storageClass,
      Initiated: wholeSecond(u.initiated),
      ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.checksumType,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}
