/**
 * REST-XML (S3). The service routes the raw request itself (bucket from Host or path, key, sub-resource
 * query parameters) and its handlers return full HTTP responses. Every reply carries x-amz-request-id and
 * x-amz-id-2; errors are `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with the same ids, and
 * HEAD errors have no body.
 */
import { randomBytes } from "node:crypto";
import { AwsError } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { isModelOutput, isRawOutput } from "../services/core/types.js";
import type { HttpResponse } from "./http.js";
import { restXmlBody, restXmlHeaders } from "./model/rest-xml.js";
import { modelRuntime } from "./model/runtime.js";
import { buildXml, toXmlTree, XML_DECL } from "./xml.js";

/**
 * x-amz-id-2 values: 48 random per-process bytes with a counter folded into the last four, in base64 (64
 * characters). The first 42 bytes encode to a fixed 56-character prefix, so only the last 6 are encoded per
 * request (no entropy call, no 48-byte encode).
 */
const hostBase = randomBytes(48);
const hostPrefix = hostBase.subarray(0, 42).toString("base64");
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Four base64 characters of a 24-bit group. */
const b64group = (n: number) => B64[(n >>> 18) & 63]! + B64[(n >>> 12) & 63]! + B64[(n >>> 6) & 63]! + B64[n & 63]!;
const hostHigh = (hostBase[42]! << 16) | (hostBase[43]! << 8);
let hostSeq = 0;
export function hostId(): string {
  const n = (hostSeq = (hostSeq + 1) >>> 0);
  // The last six bytes: two random ones, then the counter (big-endian), encoded without a Buffer.
  return hostPrefix + b64group(hostHigh | (n >>> 24)) + b64group(n & 0xffffff);
}

export const restXmlCodec: Codec = {
  decode(req, def, dc) {
    if (!def.route) throw new AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501);
    return def.route(req, { accountId: dc.accountId, region: dc.region });
  },

  encode(output, op, def, requestId) {
    // Every S3 answer names its server, as AWS's do (Server: AmazonS3).
    const ids = { "x-amz-request-id": requestId, "x-amz-id-2": hostId(), server: "AmazonS3" };
    if (isRawOutput(output)) {
      // The hot path (every object operation): no object rest/spread, which V8 runs on a slow path.
      const headers: HttpResponse["headers"] = ids;
      const h = output.headers;
      for (const k in h) headers[k] = h[k]!;
      return { status: output.status, headers, body: output.body };
    }
    if (isModelOutput(output)) {
      const r = encodeByModel(def.name, op, output, ids);
      // Headers a wrapper added around the handler (S3's CORS answer headers); model members are PascalCase.
      const extra = (output as { headers?: Record<string, string> }).headers;
      if (extra && typeof extra === "object") Object.assign(r.headers, extra);
      return r;
    }
    return {
      status: 200,
      headers: { ...ids, "content-type": "application/xml" },
      body: `${XML_DECL}\n${buildXml(toXmlTree(output ?? {}, "member") as Record<string, unknown>, false)}`,
    };
  },

  encodeError(err, _def, requestId, req) {
    const hid = hostId();
    const headers = { "x-amz-request-id": requestId, "x-amz-id-2": hid, server: "AmazonS3", ...err.headers };
    if (req.method === "HEAD" || err.status === 304) return { status: err.status, headers };
    const tree = { Error: { Code: err.code, Message: err.message, ...(err.extra ?? {}), RequestId: requestId, HostId: hid } };
    return {
      status: err.status,
      headers: { ...headers, "content-type": "application/xml" },
      body: `${XML_DECL}\n${buildXml(toXmlTree(tree, "member") as Record<string, unknown>, false)}`,
    };
  },
};

/** S3's root elements for outputs without a payload member (the model does not name them). */
const S3_ROOTS: Record<string, string> = {
  ListBuckets: "ListAllMyBucketsResult",
  ListDirectoryBuckets: "ListAllMyDirectoryBucketsResult",
  ListObjects: "ListBucketResult",
  ListObjectsV2: "ListBucketResult",
  ListObjectVersions: "ListVersionsResult",
  ListMultipartUploads: "ListMultipartUploadsResult",
  ListParts: "ListPartsResult",
  CreateMultipartUpload: "InitiateMultipartUploadResult",
  CompleteMultipartUpload: "CompleteMultipartUploadResult",
  DeleteObjects: "DeleteResult",
  GetBucketLocation: "LocationConstraint",
  GetBucketAcl: "AccessControlPolicy",
  GetObjectAcl: "AccessControlPolicy",
  GetBucketTagging: "Tagging",
  GetObjectTagging: "Tagging",
  GetBucketVersioning: "VersioningConfiguration",
  GetBucketCors: "CORSConfiguration",
  GetBucketLifecycleConfiguration: "LifecycleConfiguration",
  GetBucketLogging: "BucketLoggingStatus",
  GetBucketNotificationConfiguration: "NotificationConfiguration",
  GetBucketRequestPayment: "RequestPaymentConfiguration",
  GetBucketWebsite: "WebsiteConfiguration",
  GetBucketAccelerateConfiguration: "AccelerateConfiguration",
  GetObjectAttributes: "GetObjectAttributesResponse",
  ListBucketAnalyticsConfigurations: "ListBucketAnalyticsConfigurationResult",
  ListBucketMetricsConfigurations: "ListMetricsConfigurationsResult",
  ListBucketInventoryConfigurations: "ListInventoryConfigurationsResult",
  ListBucketIntelligentTieringConfigurations: "ListBucketIntelligentTieringConfigurationsOutput",
  GetBucketMetadataTableConfiguration: "GetBucketMetadataTableConfigurationResult",
};
const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** Status, header members and the XML (or blob) body of a byModel() output, from the model. */
export function encodeByModel(service: string, op: string, output: Record<string, unknown>, ids: Record<string, string>): HttpResponse {
  const rt = modelRuntime(service);
  const om = rt.model.operations[op];
  const shape = om?.output ? rt.model.shapes[om.output.shape] : undefined;
  const status = om?.http.responseCode ?? 200;
  if (!shape) return { status, headers: ids, body: "" };
  const headers: HttpResponse["headers"] = { ...ids, ...restXmlHeaders(rt.model, shape, output) };
  const body = restXmlBody(rt.model, shape, output, S3_ROOTS[op] ?? `${op}Result`, S3_NS);
  if (body !== undefined) headers["content-type"] = typeof body === "string" ? "application/xml" : "application/octet-stream";
  return { status, headers, body: body ?? "" };
}
