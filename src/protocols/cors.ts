/**
 * CORS for the API endpoints of every service but S3 (S3 applies each bucket's own configuration:
 * services/s3/cors.ts; Lambda function URLs theirs: services/lambda/url-server.ts), so that the SDKs in a
 * browser work against awsim as they do against AWS.
 *
 * What AWS answers, as recorded against the live endpoints (ECS, ECR, Logs, EFS, IAM, Lambda, EC2): a preflight
 * (OPTIONS with Origin and Access-Control-Request-Method) gets 200 with an empty body, `Access-Control-Allow-Origin:
 * *`, the requested method and headers echoed back, `Access-Control-Expose-Headers:
 * x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date` (Lambda adds x-amz-log-result and
 * x-amz-function-error, which Invoke answers in headers) and `Access-Control-Max-Age: 172800`. EC2's own front
 * end answers the same with a max age of 1800 and no expose list; a preflight does not say which query service
 * it is for (it carries no signature), so awsim answers them all the common way. Answers to requests that carry
 * an Origin get the same allow-origin and expose headers, so that the browser lets the SDK read them.
 *
 * A preflight is an API preflight when its path is one of the REST services' (Lambda, EFS) or when it asks
 * for a POST to `/` (every JSON and query API; S3 has no POST on its service root). Everything else stays S3's.
 */
import { randomUUID } from "node:crypto";
import type { HttpResponse, RawRequest } from "./http.js";
import { serviceByPath } from "../services/index.js";

const EXPOSE = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
const EXPOSE_LAMBDA = `${EXPOSE},x-amz-log-result,x-amz-function-error`;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The preflight answer for an API endpoint, or undefined when the request is not one (S3 answers it then). */
export function apiPreflight(req: RawRequest): { response: HttpResponse; service: string } | undefined {
  const method = one(req.headers["access-control-request-method"]);
  if (!method || !req.headers.origin) return undefined;
  const byPath = serviceByPath(req.rawPath);
  if (!byPath && !(req.rawPath === "/" && method.toUpperCase() === "POST" && !isS3Host(one(req.headers.host)))) return undefined;
  const headers: HttpResponse["headers"] = {
    "x-amzn-requestid": randomUUID(),
    "access-control-allow-origin": "*",
    "access-control-allow-methods": method,
    "access-control-expose-headers": byPath?.name === "lambda" ? EXPOSE_LAMBDA : EXPOSE,
    "access-control-max-age": "172800",
  };
  const requested = one(req.headers["access-control-request-headers"]);
  if (requested) headers["access-control-allow-headers"] = requested;
  return { response: { status: 200, headers }, service: byPath?.name ?? "unknown" };
}

/** Virtual-hosted S3 (bucket.localhost, bucket.s3.…): a POST to `/` there is a browser form upload. */
function isS3Host(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/:\d+$/, "");
  return h.endsWith(".localhost") || h.includes(".s3.") || h.includes(".s3-");
}

/** Adds the CORS headers to an API answer when the request came from a browser (it carries an Origin). */
export function withApiCors(response: HttpResponse, req: RawRequest, service: string): HttpResponse {
  if (req.headers.origin === undefined) return response;
  response.headers["access-control-allow-origin"] = "*";
  response.headers["access-control-expose-headers"] = service === "lambda" ? EXPOSE_LAMBDA : EXPOSE;
  return response;
}
