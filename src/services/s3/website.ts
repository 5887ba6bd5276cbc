/**
 * The static website endpoint: GET/HEAD on <bucket>.s3-website-<region>.amazonaws.com,
 * <bucket>.s3-website.<region>.amazonaws.com or <bucket>.s3-website.localhost serve the bucket as S3 website
 * hosting does: index documents for "folders", a 302 to "key/" when only the folder's index exists, the error
 * document with status 404, RedirectAllRequestsTo, routing rules (KeyPrefixEquals / HttpErrorCodeReturnedEquals
 * conditions), x-amz-website-redirect-location, and HTML error pages. Under --enforce-iam the endpoint's anonymous
 * reader gets what the bucket policy and ACLs give it (access.ts, as a GetObject): an object it may not read is
 * 403 AccessDenied, and so is a missing one unless it may list the bucket; the error document answers a 403 too.
 */
import { asArray, escapeXml, parseXml } from "../../protocols/xml.js";
import { hostId } from "../../protocols/rest-xml.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { AwsError } from "../../protocols/aws-error.js";
import { authorizeS3 } from "./access.js";
import { s3state } from "./common.js";
import { GetObject, HeadObject } from "./objects.js";
import type { S3Input } from "./route.js";
import type { Bucket } from "./state.js";

interface RoutingRule {
  prefix?: string;
  errorCode?: string;
  redirect: { host?: string; protocol?: string; code?: string; replacePrefix?: string; replaceKey?: string };
}

interface Site {
  suffix?: string;
  errorKey?: string;
  redirectAll?: { host: string; protocol?: string };
  rules: RoutingRule[];
}

const text = (v: unknown) => (v === undefined || v === null || typeof v === "object" ? undefined : String(v));

function siteOf(b: Bucket): Site | undefined {
  const raw = b.configs.get("website");
  if (!raw) return undefined;
  let c: Record<string, any>;
  try {
    c = parseXml(raw).WebsiteConfiguration ?? {};
  } catch {
    return undefined;
  }
  const all = c.RedirectAllRequestsTo;
  return {
    suffix: text(c.IndexDocument?.Suffix),
    errorKey: text(c.ErrorDocument?.Key),
    redirectAll: all && text(all.HostName) ? { host: text(all.HostName)!, protocol: text(all.Protocol) } : undefined,
    rules: (asArray(c.RoutingRules?.RoutingRule) as Array<Record<string, any>>).map((r) => ({
      prefix: text(r?.Condition?.KeyPrefixEquals),
      errorCode: text(r?.Condition?.HttpErrorCodeReturnedEquals),
      redirect: {
        host: text(r?.Redirect?.HostName),
        protocol: text(r?.Redirect?.Protocol),
        code: text(r?.Redirect?.HttpRedirectCode),
        replacePrefix: text(r?.Redirect?.ReplaceKeyPrefixWith),
        replaceKey: text(r?.Redirect?.ReplaceKeyWith),
      },
    })),
  };
}

const lis = (items: Array<[string, string]>) => items.map(([k, v]) => `<li>${k}: ${escapeXml(v)}</li>`).join("\n");

/** S3's HTML error page: the error's items, RequestId and HostId (the x-amz-id-2 sent), then any section after. */
function htmlError(ctx: Ctx, status: number, title: string, items: Array<[string, string]>, head: boolean, after = "") {
  const hid = hostId();
  const li = lis([...items, ["RequestId", ctx.requestId], ["HostId", hid]]);
  const body = `<html>\n<head><title>${status} ${title}</title></head>\n<body>\n<h1>${status} ${title}</h1>\n<ul>\n${li}\n</ul>\n${after}<hr/>\n</body>\n</html>\n`;
  return rawResponse({
    status,
    headers: { "content-type": "text/html; charset=utf-8", "x-amz-id-2": hid, ...(head ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
    body: head ? undefined : body,
  });
}

function redirect(rule: RoutingRule, key: string, hostHeader: string | undefined) {
  const r = rule.redirect;
  let target = key;
  if (r.replaceKey !== undefined) target = r.replaceKey;
  else if (r.replacePrefix !== undefined) target = r.replacePrefix + key.slice(rule.prefix?.length ?? 0);
  const host = r.host ?? hostHeader ?? "localhost";
  return rawResponse({ status: Number(r.code ?? 301), headers: { location: `${r.protocol ?? "http"}://${host}/${target}`, "content-length": "0" } });
}

function exists(b: Bucket, key: string): boolean {
  const v = b.objects.get(key)?.versions[0];
  return v !== undefined && !v.isDeleteMarker;
}

export async function WebsiteGet(ctx: Ctx, input: S3Input) {
  const head = input.method === "HEAD";
  if (input.method !== "GET" && !head)
    return htmlError(
      ctx,
      405,
      "Method Not Allowed",
      [
        ["Code", "MethodNotAllowed"],
        ["Message", "The specified method is not allowed against this resource."],
        ["Method", input.method],
        ["ResourceType", input.key ? "OBJECT" : "BUCKET"],
      ],
      false,
    );
  const b = s3state(ctx).buckets.get(input.bucket!);
  if (!b)
    return htmlError(
      ctx,
      404,
      "Not Found",
      [
        ["Code", "NoSuchBucket"],
        ["Message", "The specified bucket does not exist"],
        ["BucketName", input.bucket!],
      ],
      head,
    );
  const site = siteOf(b);
  if (!site)
    return htmlError(
      ctx,
      404,
      "Not Found",
      [
        ["Code", "NoSuchWebsiteConfiguration"],
        ["Message", "The specified bucket does not have a website configuration"],
        ["BucketName", b.name],
      ],
      head,
    );
  const hostHeader = input.req.headers.host;
  const original = input.key ?? "";
  if (site.redirectAll) {
    return rawResponse({
      status: 301,
      headers: { location: `${site.redirectAll.protocol ?? "http"}://${site.redirectAll.host}/${original}`, "content-length": "0" },
    });
  }
  const before = site.rules.find((r) => r.errorCode === undefined && r.prefix !== undefined && original.startsWith(r.prefix));
  if (before) return redirect(before, original, hostHeader);
  const key = original === "" || original.endsWith("/") ? original + (site.suffix ?? "") : original;
  const v = b.objects.get(key)?.versions[0];
  const found = v !== undefined && !v.isDeleteMarker;
  if (found && readable(ctx, input, key)) {
    const to = v.headers["x-amz-website-redirect-location"];
    if (to) return rawResponse({ status: 301, headers: { location: to, "content-length": "0" } });
    const plain = { ...input, key, query: {} };
    return head ? HeadObject(ctx, plain) : GetObject(ctx, plain);
  }
  if (!found && site.suffix && !original.endsWith("/") && exists(b, `${original}/${site.suffix}`))
    return rawResponse({ status: 302, headers: { location: `/${original}/`, "content-length": "0" } });
  // Not readable, or missing to a reader that may not list the bucket: 403 AccessDenied; else 404 NoSuchKey.
  const status = found || !readable(ctx, input, key) ? 403 : 404;
  const onError = site.rules.find((r) => r.errorCode === String(status) && (r.prefix === undefined || original.startsWith(r.prefix)));
  if (onError) return redirect(onError, original, hostHeader);
  let docError: Array<[string, string]> | undefined;
  if (site.errorKey) {
    if (!exists(b, site.errorKey))
      docError = [
        ["Code", "NoSuchKey"],
        ["Message", "The specified key does not exist."],
        ["Key", site.errorKey],
      ];
    else if (!readable(ctx, input, site.errorKey))
      docError = [
        ["Code", "AccessDenied"],
        ["Message", "Access Denied"],
      ];
    else {
      const plain = { ...input, key: site.errorKey, query: {} };
      const res = await (head ? HeadObject(ctx, plain) : GetObject(ctx, plain));
      return { ...res, status };
    }
  }
  // A configured error document that cannot be served is reported under the page's own error.
  const docSection = docError ? `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n${lis(docError)}\n</ul>\n` : "";
  if (status === 403)
    return htmlError(
      ctx,
      403,
      "Forbidden",
      [
        ["Code", "AccessDenied"],
        ["Message", "Access Denied"],
      ],
      head,
      docSection,
    );
  return htmlError(
    ctx,
    404,
    "Not Found",
    [
      ["Code", "NoSuchKey"],
      ["Message", "The specified key does not exist."],
      ["Key", key],
    ],
    head,
    docSection,
  );
}

/** May the website's (anonymous) reader GET this key? Always outside --enforce-iam (authorizeS3 checks nothing then). */
function readable(ctx: Ctx, input: S3Input, key: string): boolean {
  try {
    authorizeS3(ctx, { ...input, key, query: {}, method: "GET", resource: `/${input.bucket}/${key}` }, "GetObject");
    return true;
  } catch (e) {
    if (e instanceof AwsError && e.code === "AccessDenied") return false;
    throw e;
  }
}
