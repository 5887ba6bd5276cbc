/**
 * request → {service, accountId, region}. One pure function; the order of the rules is AWS's reality:
 *  1. X-Amz-Target prefix (AWS JSON services)
 *  2. the service in the SigV4 credential scope (Authorization header, then presigned X-Amz-Credential)
 *  3. known REST path prefixes (Lambda /2015-03-31/, EFS /2015-02-01/)
 *  4. an unsigned form POST names its API by Action+Version (decided after the body is read)
 *  5. S3, the fallback (path-style, virtual-hosted, bucket.localhost, the /s3/ prefix)
 */
import type { IncomingHttpHeaders } from "node:http";
import { parseAuthorizationHeader, parsePresignedCredential, parseV2QueryKey, type CredentialScope } from "./sigv4.js";
import { serviceBySigningName, serviceByTarget, serviceByPath, type ServiceDescriptor, serviceByName } from "../services/index.js";

export interface Resolved {
  /** The service, or undefined when an X-Amz-Target names no known service. */
  service?: ServiceDescriptor;
  /** Set for rule 4: the body must be read to know the service. */
  byFormAction?: boolean;
  /** The operation named by X-Amz-Target, when present. */
  target?: string;
  accountId: string;
  region: string;
  accessKeyId?: string;
  presigned: boolean;
}

export interface ResolveDefaults {
  accountId: string;
  region: string;
}

const ACCOUNT_RE = /^\d{12}$/;

export function resolveRequest(req: { method: string; rawPath: string; rawQuery: string; headers: IncomingHttpHeaders }, defaults: ResolveDefaults): Resolved {
  const auth = req.headers["authorization"];
  let scope: CredentialScope | undefined = parseAuthorizationHeader(Array.isArray(auth) ? auth[0] : auth);
  let presigned = false;
  if (!scope && req.rawQuery) {
    // SigV4 (X-Amz-Credential), else S3's SigV2 query authentication (AWSAccessKeyId): the key names the caller.
    scope = parsePresignedCredential(req.rawQuery) ?? parseV2QueryKey(req.rawQuery);
    presigned = scope !== undefined;
  }
  const accountId = scope && ACCOUNT_RE.test(scope.accessKeyId) ? scope.accessKeyId : defaults.accountId;
  const region = scope?.region || defaults.region;
  // One object literal per outcome (no spreads: this runs for every request).
  const out = (service: ServiceDescriptor | undefined, target?: string, byFormAction?: boolean): Resolved => ({
    service,
    byFormAction,
    target,
    accountId,
    region,
    accessKeyId: scope?.accessKeyId,
    presigned,
  });

  const targetHeader = req.headers["x-amz-target"];
  const target = Array.isArray(targetHeader) ? targetHeader[0] : targetHeader;
  if (target) {
    const dot = target.lastIndexOf(".");
    const prefix = dot < 0 ? target : target.slice(0, dot);
    const op = dot < 0 ? "" : target.slice(dot + 1);
    return out(serviceByTarget(prefix), op);
  }
  if (scope?.service) {
    const svc = serviceBySigningName(scope.service);
    if (svc) return out(svc);
  }
  const byPath = serviceByPath(req.rawPath);
  if (byPath) return out(byPath);
  const ct = req.headers["content-type"];
  if (req.method === "POST" && req.rawPath === "/" && typeof ct === "string" && ct.startsWith("application/x-www-form-urlencoded")) {
    return out(undefined, undefined, true);
  }
  return out(serviceByName("s3"));
}
