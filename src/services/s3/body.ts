/**
 * Receiving an upload body: aws-chunked decoding, MD5 (ETag), the flexible checksum the client named
 * (header or trailer; CRC64NVME when none, as S3 does), x-amz-content-sha256
 * and Content-MD5 verification, and storage in memory or a file. Nothing half-written survives an error.
 */
import { createHash, hash } from "node:crypto";
import { unlink } from "node:fs";
import { header, type RawRequest } from "../../protocols/http.js";
import { newFile, setBlobSize } from "./blobs.js";
import { ALGORITHMS, hasher, headerOf, md5, type ChecksumAlgorithm, type Hasher } from "./checksums.js";
import { ChunkedDecoder } from "./chunked.js";
import { OFFLOAD_BYTES, OffloadedMd5 } from "./md5-worker.js";
import { S3Errors } from "./errors.js";
import { MEMORY_THRESHOLD, type Blob, type S3State } from "./state.js";

export interface Received {
  blob: Blob;
  size: number;
  md5Hex: string;
  /** The checksum the client named (verified), or the algorithm asked for by the caller; undefined when neither. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** CRC of the body for multipart full-object combination (CRC algorithms). */
  crc?: bigint;
}

/** Which checksum algorithm the request uses, and the value it claims (when sent up front). */
export function requestedChecksum(req: RawRequest): { algorithm?: ChecksumAlgorithm; value?: string; trailer?: string } {
  for (const a of ALGORITHMS) {
    const v = header(req, headerOf(a));
    if (v) return { algorithm: a, value: v };
  }
  const [trailer] = trailerNames(req);
  if (trailer) {
    const a = ALGORITHMS.find((x) => headerOf(x) === trailer);
    if (a) return { algorithm: a, trailer };
  }
  // x-amz-sdk-checksum-algorithm alone names no checksum: S3 computes nothing from it (AWS's recording of
  // test_s3_checksum_no_automatic_sdk_calculation stores no SHA256 for it), so the object takes the default.
  return {};
}

/**
 * The names x-amz-trailer declares: the value trimmed, its trailing commas dropped, then every entry counts,
 * empty or not ('x-amz-checksum-crc32,,' is one name, 'x-amz-checksum-crc32, ,' has an empty second one).
 */
function trailerNames(req: RawRequest): string[] {
  const v = header(req, "x-amz-trailer")?.trim().replace(/,+$/, "");
  return v ? v.split(",").map((x) => x.trim().toLowerCase()) : [];
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
  SHA512: 64,
  MD5: 16,
  XXHASH64: 8,
  XXHASH3: 8,
  XXHASH128: 16,
};
/** A checksum header must be the base64 of a digest of the algorithm's size; anything else is InvalidRequest, not BadDigest. */
export function wellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  const raw = Buffer.from(value, "base64");
  return raw.length === DIGEST_BYTES[algorithm] && raw.toString("base64") === value;
}

const EMPTY = Buffer.alloc(0);
const oneShot = (algorithm: "md5" | "sha256", b: Buffer | undefined): string => hash(algorithm, b ?? EMPTY, "hex");
/** As a stream iterator reports a client that went away mid-body. */
const premature = () => Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });

/**
 * Whether the body is aws-chunked: a STREAMING-* payload is; a payload declared otherwise (a digest or
 * UNSIGNED-PAYLOAD) is not, whatever Content-Encoding says (S3 then stores that coding, as OpenStack Swift's
 * AWS-run s3api tests record); without a declaration Content-Encoding decides.
 */
export function isChunked(req: RawRequest): boolean {
  const sha = header(req, "x-amz-content-sha256");
  if (sha !== undefined) return sha.startsWith("STREAMING-");
  return (
    header(req, "content-encoding")
      ?.split(",")
      .some((x) => x.trim() === "aws-chunked") === true
  );
}

/** The x-amz-checksum-* names S3 takes (algorithms, and the mode/type/algorithm companions); any other is refused. */
const KNOWN_CHECKSUM_NAMES = new Set([
  "crc32",
  "crc32c",
  "crc64nvme",
  "sha1",
  "sha256",
  "md5",
  "sha512",
  "xxhash3",
  "xxhash64",
  "xxhash128",
  "mode",
  "type",
  "algorithm",
]);

/**
 * The order S3 checks a body's digests in, for streamed uploads and small documents alike: a Content-MD5 that is no
 * base64 MD5 is InvalidDigest; then an x-amz-content-sha256 digest mismatch trumps the rest (OpenStack Swift's s3api
 * tests, run against AWS); then the Content-MD5 (BadDigest naming both: an upload's ExpectedDigest in hex, a
 * configuration document's as sent, in base64, as versitygw#1526 quotes AWS). Flexible checksums come after.
 */
export function checkDigests(req: RawRequest, md5Hex: string, sha256Hex: () => string, expectedAs: "hex" | "base64" = "hex"): void {
  const contentMd5 = header(req, "content-md5");
  if (contentMd5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(contentMd5)) throw S3Errors.invalidDigest(contentMd5);
  const sha = header(req, "x-amz-content-sha256");
  // Any value but a payload mode is a digest to compare (one that is no SHA-256 hex simply mismatches).
  if (sha !== undefined && sha !== "UNSIGNED-PAYLOAD" && !sha.startsWith("STREAMING-")) {
    const got = sha256Hex();
    if (got !== sha.toLowerCase()) throw S3Errors.contentSha256Mismatch(sha, got);
  }
  if (contentMd5 !== undefined) {
    const expected = Buffer.from(contentMd5, "base64").toString("hex");
    if (expected !== md5Hex) throw S3Errors.badDigest(Buffer.from(md5Hex, "hex").toString("base64"), expectedAs === "hex" ? expected : contentMd5);
  }
}

/** The checksum a request names, after S3's checks of its x-amz-checksum-* and x-amz-trailer headers. */
function checkChecksumHeaders(req: RawRequest): ReturnType<typeof requestedChecksum> {
  const want = requestedChecksum(req);
  // Two checksum headers are refused even when empty; a lone empty one is an invalid value.
  const present = ALGORITHMS.filter((a) => header(req, headerOf(a)) !== undefined);
  if (present.length > 1) throw S3Errors.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  if (present.length === 1 && header(req, headerOf(present[0]!)) === "") throw S3Errors.invalidRequest(`Value for ${headerOf(present[0]!)} header is invalid.`);
  // x-amz-trailer names one checksum, sent instead of a header one, and only with a streaming payload
  // (OpenStack Swift's s3api tests, run against AWS).
  const trailers = trailerNames(req);
  if (trailers.some((t) => !ALGORITHMS.some((a) => headerOf(a) === t)))
    throw S3Errors.invalidRequest("The value specified in the x-amz-trailer header is not supported");
  if (trailers.length > 1) throw S3Errors.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  if (trailers.length && present.length) throw S3Errors.invalidRequest("Expecting a single x-amz-checksum- header");
  if (trailers.length && !header(req, "x-amz-content-sha256")?.startsWith("STREAMING-")) throw S3Errors.malformedTrailer();
  if (want.value !== undefined && !wellFormedChecksum(want.algorithm!, want.value))
    throw S3Errors.invalidRequest(`Value for ${headerOf(want.algorithm!)} header is invalid.`);
  return want;
}

export async function receiveBody(
  st: S3State,
  req: RawRequest,
  opts: { algorithm?: ChecksumAlgorithm; maxSize?: number; cipher?: { update(b: Buffer): Buffer } } = {},
): Promise<Received> {
  // One pass over the header names: most uploads carry no checksum header and no trailer, and then the checks
  // below (twenty-odd lookups by name) have nothing to find.
  let checksummed = false;
  for (const name in req.headers) {
    if (name.length < 13 || name.charCodeAt(0) !== 120 /* x */) continue;
    if (name === "x-amz-trailer") checksummed = true;
    if (name.length <= 15 || !name.startsWith("x-amz-checksum-")) continue;
    checksummed = true;
    if (!KNOWN_CHECKSUM_NAMES.has(name.slice(15))) throw S3Errors.invalidRequest("The algorithm type you specified in x-amz-checksum- header is invalid.");
  }
  const want = checksummed ? checkChecksumHeaders(req) : {};
  // Without a client checksum, S3's default CRC64NVME is computed lazily on first read (see objects.ts).
  const algorithm = want.algorithm ?? opts.algorithm;
  const chunked = isChunked(req);
  // S3 takes no body of unknown length: plain bodies declare Content-Length (aws-chunked ones their decoded length).
  if (!chunked && header(req, "content-length") === undefined) throw S3Errors.missingContentLength();
  // A chunked body must declare its decoded length as a number (OpenStack Swift's s3api tests, run against AWS).
  const streaming = header(req, "x-amz-content-sha256")?.startsWith("STREAMING-");
  if (streaming && !/^\d+$/.test(header(req, "x-amz-decoded-content-length") ?? "")) throw S3Errors.missingContentLength();
  const declared = Number(header(req, chunked ? "x-amz-decoded-content-length" : "content-length") ?? NaN);
  const shaHeader = header(req, "x-amz-content-sha256");
  // A declared payload digest is compared case-insensitively; any other value that names no payload mode (only
  // reachable without SigV4, which refuses it up front) mismatches as it stands (OpenStack Swift's s3api tests, run against AWS).
  const verifySha = shaHeader !== undefined && shaHeader !== "UNSIGNED-PAYLOAD" && !shaHeader.startsWith("STREAMING-");
  // Digests: a body that arrives as one chunk (most small uploads) is hashed with one-shot calls; hashers
  // are created only when a second chunk comes.
  let first: Buffer | undefined;
  let hMd5: ReturnType<typeof md5> | undefined;
  let hSum: Hasher | undefined;
  let hSha: ReturnType<typeof createHash> | undefined;
  // Large bodies: MD5 on the worker thread (md5-worker.ts), the other digests here.
  const offload = Number.isFinite(declared) && declared >= OFFLOAD_BYTES ? new OffloadedMd5() : undefined;
  if (offload) {
    hSum = algorithm ? hasher(algorithm) : undefined;
    hSha = verifySha ? createHash("sha256") : undefined;
  }
  const digest = (b: Buffer) => {
    if (offload) {
      // MD5 of an offloaded body: in sink(), once the chunk is on disk (or encrypted), without a copy.
      hSum?.update(b);
      hSha?.update(b);
      return;
    }
    if (hMd5 === undefined) {
      if (first === undefined) {
        first = b;
        return;
      }
      hMd5 = md5();
      hSum = algorithm ? hasher(algorithm) : undefined;
      hSha = verifySha ? createHash("sha256") : undefined;
      digest(first);
    }
    hMd5.update(b);
    hSum?.update(b);
    hSha?.update(b);
  };
  // Signed streams refuse a data chunk below 8 KiB that is not the last (OpenStack Swift's s3api tests, run against AWS).
  const signedStream = /^STREAMING-AWS4-(HMAC|ECDSA)/.test(shaHeader ?? "");
  const decoder = chunked ? new ChunkedDecoder(signedStream ? 8192 : 0) : undefined;
  let size = 0;
  const mem: Buffer[] = [];
  let file: ReturnType<typeof newFile> | undefined;
  const toFile = Number.isFinite(declared) && declared > MEMORY_THRESHOLD;
  if (toFile) file = newFile(st);

  /** Takes a chunk of the (decoded) body; returns false when the file stream wants the source paused. */
  const sink = (b: Buffer): boolean => {
    if (b.length === 0) return true;
    size += b.length;
    if (opts.maxSize !== undefined && size > opts.maxSize) throw S3Errors.entityTooLarge();
    digest(b);
    if (offload) {
      // The chunk goes to the MD5 worker when nothing here needs it any more: once encrypted, or once written.
      // A socket chunk is the caller's alone; a decoded aws-chunked piece is a view that the decoder may share.
      const owned = decoder === undefined;
      if (opts.cipher) {
        const c = opts.cipher.update(b);
        offload.update(b, owned);
        return file!.stream.write(c);
      }
      const plain = b;
      return file!.stream.write(b, (err) => {
        if (!err) offload.update(plain, owned);
      });
    }
    // SSE-C: what is stored is the ciphertext (ssec.ts); hashes above are of the plaintext.
    if (opts.cipher) b = opts.cipher.update(b);
    if (!file && size > MEMORY_THRESHOLD) {
      file = newFile(st);
      for (const m of mem.splice(0)) file.stream.write(m);
    }
    if (file) return file.stream.write(b);
    mem.push(b);
    return true;
  };

  let ended: Promise<void> | undefined;
  const endFile = (): Promise<void> => {
    const f = file!;
    ended ??= new Promise<void>((resolve, reject) => f.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return ended;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const s = req.stream;
      if (s.readableEnded) return resolve();
      if (s.destroyed) return reject(premature());
      const done = (err?: unknown) => {
        s.off("data", onData);
        s.off("end", onEnd);
        s.off("error", onError);
        s.off("close", onClose);
        if (err) reject(err);
        else resolve();
      };
      const onData = (chunk: Buffer) => {
        try {
          let more = true;
          if (decoder) {
            let parts: Buffer[];
            try {
              parts = decoder.push(chunk);
            } catch (e) {
              const small = (e as { tooSmall?: { chunk: number; size: number } }).tooSmall;
              throw small ? S3Errors.invalidChunkSize(small.chunk, small.size) : S3Errors.incompleteBody();
            }
            for (const p of parts) more = sink(p) && more;
          } else more = sink(chunk);
          const wait = offload?.ready();
          if (!more || wait) {
            s.pause();
            const drained = more ? undefined : new Promise<void>((r) => file!.stream.once("drain", r));
            void Promise.all([drained, wait]).then(() => s.resume());
          }
        } catch (e) {
          // The request stays drainable (not destroyed): the server answers and keeps or closes the connection.
          done(e);
        }
      };
      const onEnd = () => done();
      const onError = (e: Error) => done(e);
      const onClose = () => {
        if (!s.readableEnded) done(premature());
      };
      s.on("data", onData);
      s.on("end", onEnd);
      s.on("error", onError);
      s.on("close", onClose);
    });
    if (decoder && !decoder.finished()) throw S3Errors.incompleteBody();
    if (Number.isFinite(declared) && declared !== size) throw S3Errors.incompleteBody(declared, size);
    // An offloaded MD5 has every chunk once the file holds them all.
    if (offload) await endFile();
    const md5Hex = offload ? await offload.digest() : hMd5 ? hMd5.digest("hex") : oneShot("md5", first);
    checkDigests(req, md5Hex, () => (hSha ? hSha.digest("hex") : oneShot("sha256", first)));
    if (!hMd5 && !offload && algorithm) {
      hSum = hasher(algorithm);
      if (first) hSum.update(first);
    }
    const value = hSum?.digest();
    // A declared trailer must arrive, alone (besides its signature), and well-formed (OpenStack Swift's s3api tests, run against AWS).
    if (want.trailer && decoder) {
      const sent = decoder.trailers[want.trailer];
      if (sent === undefined || Object.keys(decoder.trailers).some((k) => k !== want.trailer && k !== "x-amz-trailer-signature"))
        throw S3Errors.malformedTrailer();
      if (!wellFormedChecksum(algorithm!, sent)) throw S3Errors.invalidRequest(`Value for ${want.trailer} trailing header is invalid.`);
    }
    const claimed = want.value ?? (want.trailer ? decoder?.trailers[want.trailer] : undefined);
    if (claimed !== undefined && claimed !== value) throw S3Errors.checksumMismatch(algorithm!);
    let blob: Blob;
    if (file) {
      const f = file;
      await endFile();
      blob = { kind: "file", path: f.path, refs: 0, dead: false };
    } else blob = { kind: "mem", data: mem.length === 1 ? mem[0]! : Buffer.concat(mem) };
    setBlobSize(blob, size);
    return { blob, size, md5Hex, checksum: algorithm && value !== undefined ? { algorithm, value } : undefined, crc: hSum?.raw?.() };
  } catch (e) {
    offload?.abandon();
    if (file) {
      const f = file;
      // A write still in flight fails once the stream is destroyed: that error is expected, not a crash.
      f.stream.on("error", () => undefined);
      f.stream.destroy();
      unlink(f.path, () => undefined);
    }
    req.stream.resume();
    throw e;
  }
}
