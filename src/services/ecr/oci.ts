/**
 * The OCI distribution API (registry v2) on the awsim port, for `docker push/pull` and any OCI client:
 * `/v2/` (auth check), manifests by tag and digest (GET/HEAD/PUT/DELETE), blobs (GET/HEAD with ranges),
 * uploads (monolithic POST, chunked PATCH, PUT to finish, status, cancel, cross-repository mount when the
 * BLOB_MOUNTING account setting is ENABLED), tag lists with `n`/`last` and Link pagination, referrers.
 * The registry is named by the Host (`<account>.dkr.ecr.<region>.localhost[:port]`), else by the registry
 * that issued the credentials, else the defaults. Credentials: Basic `AWS:<password>` or Bearer
 * `<authorizationToken>` from GetAuthorizationToken (as ECR, a 401 with a Basic challenge otherwise). Another
 * account's token (same Region) reaches a repository whose policy grants that account the action (403 DENIED
 * with AWS's text otherwise).
 * Images pushed here are the ones the ECR API describes (same digests, tag mutability, scans, replication,
 * creation templates for CREATE_ON_PUSH); PutImage'd images pull. Blobs stream to and from files.
 */
import { safeDecode } from "../../protocols/http.js";
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { AwsError } from "../../protocols/aws-error.js";
import { readBody, type HttpResponse, type RawRequest } from "../../protocols/http.js";
import type { Ctx, SimHandle } from "../core/types.js";
import { replicate, sha256, storeImage } from "./images.js";
import { appendStream, commitUpload, dropUpload, newUpload, uploadDigest } from "./blobs.js";
import { addLayer } from "./layers.js";
import { denied, repositoryPolicyAllows } from "./policy.js";
import { createFromTemplate, templateFor } from "./repositories.js";
import { type EcrState, findImage, type Image, type Repo, removeImage, untag, type Upload } from "./state.js";

const HOST_RE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(?:localhost|amazonaws\.com)(?::\d+)?$/i;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Largest blob accepted (ECR's layer limit is 52,000 MiB). */
const MAX_BLOB = 52_000 * 1024 * 1024;
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

export interface RegistryResult {
  response: HttpResponse;
  service: "ecr";
  operation: string;
  error?: unknown;
}

/** Is this request for the registry API? (`/v2` paths: no AWS API or S3 bucket uses them.) */
export const isRegistryRequest = (req: { rawPath: string }) => req.rawPath === "/v2" || req.rawPath.startsWith("/v2/");

class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const BASE_HEADERS = { "docker-distribution-api-version": "registry/2.0" };

function reply(status: number, headers: Record<string, string | number> = {}, body?: string | Buffer): HttpResponse {
  return { status, headers: { ...BASE_HEADERS, "content-length": body === undefined ? 0 : Buffer.byteLength(body), ...headers }, body: body ?? "" };
}

function errorReply(e: RegistryError): HttpResponse {
  const body = JSON.stringify({ errors: [{ code: e.code, message: e.message }] });
  return reply(e.status, { "content-type": "application/json; charset=utf-8", ...e.headers }, body);
}

/** The ECR API's errors as registry errors. */
function fromAws(e: AwsError): RegistryError {
  switch (e.code) {
    case "RepositoryNotFoundException":
      return new RegistryError(404, "NAME_UNKNOWN", e.message);
    case "ImageTagAlreadyExistsException":
      return new RegistryError(400, "TAG_INVALID", e.message);
    case "ImageDigestDoesNotMatchException":
      return new RegistryError(400, "DIGEST_INVALID", e.message);
    case "LayersNotFoundException":
      return new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", e.message);
    case "ReferencedImagesNotFoundException":
      return new RegistryError(400, "MANIFEST_UNKNOWN", e.message);
    case "RequestEntityTooLarge":
      return new RegistryError(413, "SIZE_INVALID", e.message);
    default:
      return new RegistryError(e.status >= 500 ? e.status : 400, e.code === "InvalidParameterException" ? "MANIFEST_INVALID" : "UNSUPPORTED", e.message);
  }
}

function headerOf(req: RawRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The password the client presents (Basic AWS:<password>, Bearer <base64 AWS:password>, or a download-URL token). */
function presented(req: RawRequest, query: URLSearchParams): string | undefined {
  const q = query.get("X-Awsim-Token");
  if (q) return q;
  const auth = headerOf(req, "authorization") ?? "";
  const m = /^(Basic|Bearer)\s+(\S+)$/i.exec(auth);
  if (!m) return undefined;
  const decoded = Buffer.from(m[2]!, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i < 0 ? undefined : decoded.slice(i + 1);
}

interface Scope {
  s: EcrState;
  ctx: Ctx;
  /** The account whose token this is, when it is not the registry's own (cross-account access). */
  caller?: string;
  /** The identity that token was issued to (an IAM user or role session; the account's root when unknown). */
  callerArn?: string;
}

async function resolveScope(sim: SimHandle, req: RawRequest, query: URLSearchParams): Promise<Scope> {
  const host = headerOf(req, "host") ?? "";
  const password = presented(req, query);
  const challenge = {
    "www-authenticate": `Basic realm="https://${host || "localhost"}/",service="ecr.amazonaws.com"`,
  };
  let s: EcrState | undefined;
  const h = HOST_RE.exec(host);
  const issued = (st: EcrState) => password !== undefined && (st.tokens.get(password) ?? 0) > Date.now() + st.clockOffsetMs;
  if (h) s = await sim.stateOf<EcrState>("ecr", h[1]!, h[2]!.toLowerCase());
  else {
    await sim.stateOf<EcrState>("ecr", sim.config.defaultAccountId, sim.config.defaultRegion);
    s = sim.statesOf<EcrState>("ecr").find(issued) ?? (await sim.stateOf<EcrState>("ecr", sim.config.defaultAccountId, sim.config.defaultRegion));
  }
  if (password === undefined) throw new RegistryError(401, "DENIED", "Not Authorized", challenge);
  if (issued(s)) return { s, ctx: makeCtx(sim, s, req) };
  // Another account's token, of the same Region: that account may use what this registry's repository policies grant it.
  const region = s.region;
  const issuer = sim.statesOf<EcrState>("ecr").find((o) => o !== s && o.region === region && o.accountId !== s.accountId && issued(o));
  if (!issuer) throw new RegistryError(401, "DENIED", "Your authorization token has expired. Reauthenticate and try again.", challenge);
  const callerArn = issuer.tokenHolders?.get(password) ?? `arn:aws:iam::${issuer.accountId}:root`;
  return { s, ctx: makeCtx(sim, s, req), caller: issuer.accountId, callerArn };
}

/** The ECR action a registry request needs, for another account's repository policy. */
function actionOf(kind: "blob" | "manifest" | "upload" | "tags" | "referrers", method: string): string {
  if (kind === "blob") return method === "HEAD" ? "ecr:BatchCheckLayerAvailability" : "ecr:GetDownloadUrlForLayer";
  if (kind === "manifest") return method === "PUT" ? "ecr:PutImage" : method === "DELETE" ? "ecr:BatchDeleteImage" : "ecr:BatchGetImage";
  if (kind === "upload") return method === "POST" ? "ecr:InitiateLayerUpload" : method === "PUT" ? "ecr:CompleteLayerUpload" : "ecr:UploadLayerPart";
  return kind === "tags" ? "ecr:ListImages" : "ecr:BatchGetImage";
}

/** Whether the request's account may perform `action` on repository `name`: its own always, another as the policy says. */
function allowed(sc: Scope, name: string, action: string): boolean {
  if (!sc.caller) return true;
  const resource = `arn:aws:ecr:${sc.s.region}:${sc.s.accountId}:repository/${name}`;
  return repositoryPolicyAllows(sc.s.repos.get(name)?.policy, sc.callerArn ?? `arn:aws:iam::${sc.caller}:root`, sc.caller, action, resource);
}

/** Another account's request on a repository: its policy must allow that account the action (docker shows "denied: …"). */
function authorize(sc: Scope, name: string, kind: Parameters<typeof actionOf>[0], method: string): void {
  const action = actionOf(kind, method);
  if (!allowed(sc, name, action))
    throw new RegistryError(
      403,
      "DENIED",
      denied(sc.callerArn ?? `arn:aws:iam::${sc.caller}:root`, action, `arn:aws:ecr:${sc.s.region}:${sc.s.accountId}:repository/${name}`),
    );
}

function makeCtx(sim: SimHandle, s: EcrState, req: RawRequest): Ctx {
  return {
    requestId: randomUUID(),
    accountId: s.accountId,
    region: s.region,
    service: "ecr",
    operation: "Registry",
    headers: req.headers,
    now: () => new Date(Date.now() + s.clockOffsetMs),
    config: sim.config,
    sim,
    state: <S>() => s as unknown as S,
    stateOf: <S>(service: string, region = s.region, accountId = s.accountId) => sim.stateOf<S>(service, accountId, region),
  } as Ctx;
}

function repoOrCreate(sc: Scope, name: string, create: boolean): Repo {
  const r = sc.s.repos.get(name);
  if (r) return r;
  if (create && templateFor(sc.s, name, "CREATE_ON_PUSH")) return createFromTemplate(sc.ctx, sc.s, name, "CREATE_ON_PUSH");
  throw new RegistryError(404, "NAME_UNKNOWN", `The repository with name '${name}' does not exist in the registry with id '${sc.s.accountId}'`);
}

const isDigest = (ref: string) => DIGEST_RE.test(ref) && ref.includes(":");

function manifestHeaders(i: Image): Record<string, string | number> {
  return { "content-type": i.mediaType, "docker-content-digest": i.digest, etag: `"${i.digest}"` };
}

async function manifests(sc: Scope, req: RawRequest, name: string, ref: string): Promise<HttpResponse> {
  const method = req.method;
  if (method === "GET" || method === "HEAD") {
    const r = repoOrCreate(sc, name, false);
    const i = findImage(r, isDigest(ref) ? { imageDigest: ref } : { imageTag: ref });
    if (i?.status !== "ACTIVE") throw new RegistryError(404, "MANIFEST_UNKNOWN", `Requested image not found${i ? " (the image is archived)" : ""}`);
    if (method === "GET") i.lastPull = sc.ctx.now();
    const body = Buffer.from(i.manifest, "utf8");
    if (method === "HEAD") return { status: 200, headers: { ...BASE_HEADERS, ...manifestHeaders(i), "content-length": body.length }, body: "" };
    return reply(200, manifestHeaders(i), body);
  }
  if (method === "PUT") {
    const r = repoOrCreate(sc, name, true);
    const body = await readBody(req, 4 * 1024 * 1024);
    const text = body.toString("utf8");
    let parsed: { layers?: Array<{ digest: string }>; config?: { digest?: string }; manifests?: Array<{ digest: string }> };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RegistryError(400, "MANIFEST_INVALID", "The manifest is not valid JSON.");
    }
    const blobs = [...(parsed.config?.digest ? [parsed.config.digest] : []), ...(parsed.layers ?? []).map((l) => l.digest)];
    const missing = blobs.filter((d) => !(r.layers.has(d) && sc.s.blobs.has(d)));
    if (missing.length) throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", `The following layers were not found: [${missing.join(", ")}]`);
    const children = (parsed.manifests ?? []).map((m) => m.digest).filter((d) => !r.images.has(d));
    if (children.length) throw new RegistryError(400, "MANIFEST_UNKNOWN", `The following referenced images were not found: [${children.join(", ")}]`);
    const tag = isDigest(ref) ? undefined : ref;
    const contentType = headerOf(req, "content-type")?.split(";")[0]?.trim();
    let img: Image;
    try {
      img = storeImage(sc.ctx, sc.s, r, text, { tag, digest: tag ? undefined : ref, mediaType: contentType || undefined });
    } catch (e) {
      // Pushing what is already there (same digest and tag) succeeds, as docker expects.
      if (!(e instanceof AwsError && e.code === "ImageAlreadyExistsException")) throw e;
      img = r.images.get(sha256(text))!;
    }
    await replicate(sc.ctx, sc.s, r, img, tag);
    return reply(201, { location: `/v2/${name}/manifests/${img.digest}`, "docker-content-digest": img.digest });
  }
  if (method === "DELETE") {
    const r = repoOrCreate(sc, name, false);
    const i = findImage(r, isDigest(ref) ? { imageDigest: ref } : { imageTag: ref });
    if (!i) throw new RegistryError(404, "MANIFEST_UNKNOWN", "Requested image not found");
    if (isDigest(ref)) removeImage(r, i);
    else {
      untag(r, i, ref);
      if (i.tags.length === 0) removeImage(r, i);
    }
    return reply(202);
  }
  throw new RegistryError(405, "UNSUPPORTED", `The operation is unsupported: ${method} manifests`);
}

function blob(sc: Scope, req: RawRequest, name: string, digest: string): HttpResponse {
  const r = repoOrCreate(sc, name, false);
  const b = r.layers.has(digest) ? sc.s.blobs.get(digest) : undefined;
  if (!b) throw new RegistryError(404, "BLOB_UNKNOWN", `The blob ${digest} is not known to the repository ${name}.`);
  const size = b.size;
  const headers = { "content-type": "application/octet-stream", "docker-content-digest": digest, "accept-ranges": "bytes", etag: `"${digest}"` };
  if (req.method === "HEAD") return { status: 200, headers: { ...BASE_HEADERS, ...headers, "content-length": size }, body: "" };
  if (req.method !== "GET") throw new RegistryError(405, "UNSUPPORTED", `The operation is unsupported: ${req.method} blobs`);
  const range = /^bytes=(\d*)-(\d*)$/.exec(headerOf(req, "range") ?? "");
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) return reply(416, { "content-range": `bytes */${size}` });
    return {
      status: 206,
      headers: { ...BASE_HEADERS, ...headers, "content-range": `bytes ${start}-${end}/${size}`, "content-length": end - start + 1 },
      body: size === 0 ? "" : createReadStream(b.path, { start, end }),
    };
  }
  return { status: 200, headers: { ...BASE_HEADERS, ...headers, "content-length": size }, body: size === 0 ? "" : createReadStream(b.path) };
}

function finishBlob(sc: Scope, r: Repo, u: Upload, digest: string | null): HttpResponse {
  if (!digest || !isDigest(digest)) {
    dropUpload(sc.s, u);
    throw new RegistryError(400, "DIGEST_INVALID", "A digest parameter is required to complete an upload.");
  }
  const actual = uploadDigest(u);
  if (actual !== digest) {
    dropUpload(sc.s, u);
    throw new RegistryError(400, "DIGEST_INVALID", `The calculated digest ${actual} does not match the provided digest ${digest}.`);
  }
  addLayer(r, digest, commitUpload(sc.s, u, digest).size);
  return reply(201, { location: `/v2/${r.name}/blobs/${digest}`, "docker-content-digest": digest });
}

const uploadHeaders = (name: string, id: string, size: number) => ({
  location: `/v2/${name}/blobs/uploads/${id}`,
  "docker-upload-uuid": id,
  range: `0-${Math.max(size - 1, 0)}`,
});

/** Append the request body to an upload (streamed to its file); a client that goes away drops the upload. */
async function receive(sc: Scope, req: RawRequest, u: Upload): Promise<void> {
  try {
    await appendStream(u, req.stream, MAX_BLOB);
  } catch (e) {
    dropUpload(sc.s, u);
    throw new RegistryError(400, "BLOB_UPLOAD_INVALID", `The upload failed: ${(e as Error).message}`);
  }
}

async function uploads(sc: Scope, req: RawRequest, query: URLSearchParams, name: string, id: string): Promise<HttpResponse> {
  const r = repoOrCreate(sc, name, true);
  if (!id) {
    if (req.method !== "POST") throw new RegistryError(405, "UNSUPPORTED", `The operation is unsupported: ${req.method} uploads`);
    const mount = query.get("mount");
    const from = query.get("from");
    if (mount && from && sc.s.settings.get("BLOB_MOUNTING") === "ENABLED") {
      const src = sc.s.repos.get(from);
      const l = src?.layers.get(mount);
      // Another account mounts only from a repository whose policy lets it read layers; otherwise, as for a blob
      // the source does not have, the client gets an upload session (202) and pushes the blob itself.
      if (l && allowed(sc, from, "ecr:GetDownloadUrlForLayer") && sc.s.blobs.has(mount)) {
        r.layers.set(mount, l);
        return reply(201, { location: `/v2/${name}/blobs/${mount}`, "docker-content-digest": mount });
      }
    }
    const u = newUpload(sc.s, randomUUID(), r.name);
    await receive(sc, req, u);
    if (query.get("digest")) return finishBlob(sc, r, u, query.get("digest"));
    return reply(202, uploadHeaders(name, u.id, u.size));
  }
  const u = sc.s.uploads.get(id);
  if (!u || u.repo !== r.name) throw new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", `The upload ${id} is not known to the repository ${name}.`);
  switch (req.method) {
    case "GET":
      return { status: 204, headers: { ...BASE_HEADERS, ...uploadHeaders(name, id, u.size), "content-length": 0 }, body: "" };
    case "DELETE":
      dropUpload(sc.s, u);
      return { status: 204, headers: { ...BASE_HEADERS, "content-length": 0 }, body: "" };
    case "PATCH":
    case "PUT": {
      const cr = /^(?:bytes )?(\d+)-(\d+)/.exec(headerOf(req, "content-range") ?? "");
      if (cr && Number(cr[1]) !== u.size)
        return reply(
          416,
          { ...uploadHeaders(name, id, u.size) },
          JSON.stringify({ errors: [{ code: "BLOB_UPLOAD_INVALID", message: "The chunk does not follow the bytes received." }] }),
        );
      await receive(sc, req, u);
      if (req.method === "PATCH") return reply(202, uploadHeaders(name, id, u.size));
      return finishBlob(sc, r, u, query.get("digest"));
    }
    default:
      throw new RegistryError(405, "UNSUPPORTED", `The operation is unsupported: ${req.method} uploads`);
  }
}

function tagsList(sc: Scope, query: URLSearchParams, name: string): HttpResponse {
  const r = repoOrCreate(sc, name, false);
  let tags = [...r.tagIndex.keys()].sort();
  const last = query.get("last");
  if (last) tags = tags.filter((t) => t > last);
  const n = query.get("n") === null ? undefined : Number(query.get("n"));
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (n !== undefined && n >= 0 && tags.length > n) {
    tags = tags.slice(0, n);
    headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(tags[tags.length - 1] ?? "")}>; rel="next"`;
  }
  return reply(200, headers, JSON.stringify({ name, tags }));
}

function referrers(sc: Scope, query: URLSearchParams, name: string, digest: string): HttpResponse {
  const r = repoOrCreate(sc, name, false);
  const type = query.get("artifactType");
  const list = [...r.images.values()].filter((i) => i.subject === digest && i.status === "ACTIVE" && (!type || i.artifactType === type));
  const headers: Record<string, string> = { "content-type": OCI_INDEX };
  if (type) headers["oci-filters-applied"] = "artifactType";
  const body = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: list.map((i) => ({
      mediaType: i.mediaType,
      digest: i.digest,
      size: Buffer.byteLength(i.manifest),
      artifactType: i.artifactType,
      annotations: i.annotations,
    })),
  };
  return reply(200, headers, JSON.stringify(body));
}

async function route(sim: SimHandle, req: RawRequest): Promise<{ op: string; res: HttpResponse }> {
  const query = new URLSearchParams(req.rawQuery);
  const sc = await resolveScope(sim, req, query);
  const path = req.rawPath;
  if (path === "/v2" || path === "/v2/") return { op: "Registry.Base", res: reply(200, { "content-type": "application/json; charset=utf-8" }, "{}") };
  let m = /^\/v2\/(.+)\/blobs\/uploads\/?([^/]*)$/.exec(path);
  if (m) {
    authorize(sc, m[1]!, "upload", req.method);
    return { op: "Registry.Upload", res: await uploads(sc, req, query, m[1]!, m[2]!) };
  }
  m = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path);
  if (m) {
    authorize(sc, m[1]!, "blob", req.method);
    return { op: "Registry.Blob", res: blob(sc, req, m[1]!, safeDecode(m[2]!)) };
  }
  m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  if (m) {
    authorize(sc, m[1]!, "manifest", req.method);
    return { op: "Registry.Manifest", res: await manifests(sc, req, m[1]!, safeDecode(m[2]!)) };
  }
  m = /^\/v2\/(.+)\/tags\/list$/.exec(path);
  if (m && req.method === "GET") {
    authorize(sc, m[1]!, "tags", req.method);
    return { op: "Registry.Tags", res: tagsList(sc, query, m[1]!) };
  }
  m = /^\/v2\/(.+)\/referrers\/([^/]+)$/.exec(path);
  if (m && req.method === "GET") {
    authorize(sc, m[1]!, "referrers", req.method);
    return { op: "Registry.Referrers", res: referrers(sc, query, m[1]!, safeDecode(m[2]!)) };
  }
  throw new RegistryError(404, "UNSUPPORTED", `The operation is unsupported: ${req.method} ${path}`);
}

/** Serve one registry request; the result has dispatch()'s shape. */
export async function serveRegistry(sim: SimHandle, req: RawRequest): Promise<RegistryResult> {
  try {
    const { op, res } = await route(sim, req);
    return { response: res, service: "ecr", operation: op };
  } catch (e) {
    if (e instanceof RegistryError) return { response: errorReply(e), service: "ecr", operation: "Registry" };
    if (e instanceof AwsError) return { response: errorReply(fromAws(e)), service: "ecr", operation: "Registry" };
    return { response: errorReply(new RegistryError(500, "UNKNOWN", "An internal error occurred.")), service: "ecr", operation: "Registry", error: e };
  }
}
