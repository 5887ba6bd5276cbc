/**
 * CORS as AWS answered it (recorded against S3): a preflight on a bucket without CORS (or a missing bucket)
 * is 403 naming the BUCKET and OPTIONS when no method was asked for; an actual request that carries
 * Access-Control-Request-Method/-Headers is matched as that preflight; an empty AllowedOrigin is kept.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { PRELUDE } from "./s3-parity2-prelude.js";

const SCRIPT = `${PRELUDE}
import urllib.request, urllib.error, re
def req(method, path, headers={}):
    r = urllib.request.Request(sys.argv[1] + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(r) as resp:
            return [resp.status, resp.headers.get("Access-Control-Allow-Origin"), resp.read().decode()]
    except urllib.error.HTTPError as e:
        body = e.read().decode()
        return [e.code] + [m.group(1) if (m := re.search(f"<{t}>([^<]*)</{t}>", body)) else None for t in ("Code", "Message", "Method", "ResourceType")]
s3.create_bucket(Bucket="cors")
s3.put_object(Bucket="cors", Key="k", Body=b"cors-test")
out["no_config"] = [req("OPTIONS", "/cors/k", {"Origin": "whatever", "Access-Control-Request-Method": "PUT"}), req("OPTIONS", "/cors/k", {"Origin": "whatever"})]
out["no_bucket"] = [req("OPTIONS", "/fake-bucket-cors-1/k"), req("OPTIONS", "/fake-bucket-cors-1/k", {"Origin": "whatever"})]
o = "https://localhost:4200"
s3.put_bucket_cors(Bucket="cors", CORSConfiguration={"CORSRules": [{"AllowedOrigins": [o], "AllowedMethods": ["GET"], "MaxAgeSeconds": 3000, "AllowedHeaders": ["x-amz-expected-bucket-owner"]}]})
out["get"] = [req("GET", "/cors/k", {"Origin": o}), req("GET", "/cors/k", {"Origin": o, "Access-Control-Request-Method": "PUT"}),
              req("GET", "/cors/k", {"Origin": o, "Access-Control-Request-Headers": "x-amz-request-payer"}), req("GET", "/cors/k", {"Origin": o, "x-amz-request-payer": "requester"})]
out["preflight_not_allowed"] = req("OPTIONS", "/cors/k", {"Origin": o, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-amz-request-payer"})
s3.put_bucket_cors(Bucket="cors", CORSConfiguration={"CORSRules": [{"AllowedOrigins": [""], "AllowedMethods": ["GET", "PUT", "HEAD"]}]})
out["empty_origin"] = s3.get_bucket_cors(Bucket="cors")["CORSRules"]
print(json.dumps(out, default=str))
`;

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource&apos;s CORS spec.";

describe.skipIf(!hasBoto3())("S3 parity: CORS (boto3 + raw HTTP)", () => {
  const t = useServer();

  it("answers preflights and actual requests as AWS does", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.no_config).toEqual([
      [403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", "PUT", "BUCKET"],
      [403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", "OPTIONS", "BUCKET"],
    ]);
    expect(out.no_bucket).toEqual([
      [400, "BadRequest", "Insufficient information. Origin request header needed.", null, null],
      [403, "AccessForbidden", "CORSResponse: Bucket not found", "OPTIONS", "BUCKET"],
    ]);
    const o = "https://localhost:4200";
    expect(out.get).toEqual([
      [200, o, "cors-test"],
      [200, null, "cors-test"],
      [200, null, "cors-test"],
      [200, o, "cors-test"],
    ]);
    expect(out.preflight_not_allowed).toEqual([403, "AccessForbidden", NOT_ALLOWED, "GET", "OBJECT"]);
    expect(out.empty_origin).toEqual([{ AllowedMethods: ["GET", "PUT", "HEAD"], AllowedOrigins: [""] }]);
  });
});
