/**
 * Which requests are for a function URL (Host <url-id>.lambda-url.<region>.localhost or .on.aws, or a path under
 * /_lambda-url/<url-id>/) or a deployment package download (/_lambda-code/...): checked before every request is
 * dispatched, so it stays apart from the serving code (url-server.ts, loaded on the first such request).
 */
import type { RawRequest } from "../../protocols/http.js";

const HOST_RE = /^([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\.(?:localhost|on\.aws)(?::\d+)?$/i;
const PATH_RE = /^\/_lambda-url\/([a-z0-9]{32})(\/.*)?$/;
const CODE_RE = /^\/_lambda-code\/(\d{12})\/([a-z0-9-]+)\/(function|layer)\/([a-zA-Z0-9-_]+)\/([^/]+)\.zip$/;

export interface Target {
  urlId: string;
  path: string;
  /** A deployment package download (GetFunction's Code.Location, GetLayerVersion's Content.Location). */
  code?: { accountId: string; region: string; kind: "function" | "layer"; name: string; version: string };
}

/** Is this request for a function URL (or a code download)? */
export function functionUrlTarget(req: RawRequest): Target | undefined {
  // Cheap tests first: this runs before every request is dispatched.
  const c = req.method === "GET" && req.rawPath.startsWith("/_lambda-code/") ? CODE_RE.exec(req.rawPath) : null;
  if (c)
    return {
      urlId: "",
      path: req.rawPath,
      code: { accountId: c[1]!, region: c[2]!, kind: c[3] as "function" | "layer", name: c[4]!, version: safe(c[5]!) },
    };
  const host = req.headers.host;
  const h = host?.includes(".lambda-url.") ? HOST_RE.exec(host as string) : null;
  if (h) return { urlId: h[1]!.toLowerCase(), path: req.rawPath || "/" };
  const p = req.rawPath.startsWith("/_lambda-url/") ? PATH_RE.exec(req.rawPath) : null;
  if (p) return { urlId: p[1]!, path: p[2] || "/" };
  return undefined;
}

/** A percent-decoded path or query piece (`+` as a space); the text as given when it does not decode. */
export function safe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}
