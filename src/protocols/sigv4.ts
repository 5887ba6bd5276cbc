/**
 * SigV4 parsing (not verification): the credential scope names access key, date, region and service.
 * Header form:  Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ecs/aws4_request, SignedHeaders=..., Signature=...
 * Presigned:    ?X-Amz-Credential=AKID%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=...&X-Amz-Expires=...
 */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split("/");
  if (parts.length < 5) return undefined;
  // Access key ids never contain "/", but tolerate it by counting from the end.
  const n = parts.length;
  return { accessKeyId: parts.slice(0, n - 4).join("/"), date: parts[n - 4]!, region: parts[n - 3]!, service: parts[n - 2]! };
}

/** The form every SDK signs with: the three components, each key=value. */
const SIGV4_USUAL = /^AWS4-HMAC-SHA256 Credential=[^\s,]+, ?SignedHeaders=[^\s,]+, ?Signature=[^\s,]+$/;

/**
 * Outside S3, AWS first splits a SigV4 Authorization header after its algorithm on spaces and commas and refuses a
 * part without "=" (an access key with a space or a newline in it): IncompleteSignature "'<part>' not a valid
 * key=value pair (missing equal-sign) in Authorization header: '<header>'." (answers quoted in boto3#2280,
 * aws-sdk-go#289, aws-cli#4385; Hadoop S3A's ITestAssumeRole expects it of STS). Returns that message, if any.
 */
export function missingEqualSign(header: string): string | undefined {
  if (!header.startsWith("AWS4-HMAC-SHA256 ") || SIGV4_USUAL.test(header)) return undefined;
  for (const part of header.slice(17).split(/[\s,]+/))
    if (part !== "" && !part.includes("=")) return `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`;
  return undefined;
}

export function parseAuthorizationHeader(header: string | undefined): CredentialScope | undefined {
  if (!header?.startsWith("AWS4-")) {
    // SigV2-style "AWS AKID:sig" still names the access key; that header form is S3's (other services signed V2
    // in the query), so it names S3 too (a bucket called "v2" is not the OCI registry's /v2/).
    if (header?.startsWith("AWS ")) {
      const akid = header.slice(4).split(":")[0] ?? "";
      return { accessKeyId: akid, date: "", region: "", service: "s3" };
    }
    return undefined;
  }
  const i = header.indexOf("Credential=");
  if (i < 0) return undefined;
  let end = i + 11;
  while (end < header.length && header.charCodeAt(end) !== 44 /* , */ && header.charCodeAt(end) !== 32) end++;
  const credential = header.slice(i + 11, end);
  // Every request of a client names the same scope (the signature changes, the credential does not).
  const cached = scopes.get(credential);
  if (cached) return cached;
  const scope = parseCredential(credential);
  if (scope) {
    if (scopes.size >= 1024) scopes.clear();
    scopes.set(credential, Object.freeze(scope));
  }
  return scope;
}

const scopes = new Map<string, CredentialScope>();

/**
 * S3's SigV2 query-string authentication (AWSAccessKeyId, Expires, Signature: the REST authentication reference's
 * "query string request authentication alternative") names the access key; no Region or service (S3 is where such a
 * URL goes, but the routing rules decide that as for any unsigned request).
 */
export function parseV2QueryKey(rawQuery: string): CredentialScope | undefined {
  const i = rawQuery.indexOf("AWSAccessKeyId=");
  if (i < 0 || (i > 0 && rawQuery[i - 1] !== "&")) return undefined;
  const rest = rawQuery.slice(i + 15);
  const end = rest.indexOf("&");
  try {
    const accessKeyId = decodeURIComponent((end < 0 ? rest : rest.slice(0, end)).replace(/\+/g, "%20"));
    return accessKeyId ? { accessKeyId, date: "", region: "", service: "" } : undefined;
  } catch {
    return undefined;
  }
}

/** Presigned query parameters, from the raw query string (still percent-encoded). */
export function parsePresignedCredential(rawQuery: string): CredentialScope | undefined {
  const i = rawQuery.indexOf("X-Amz-Credential=");
  if (i < 0) return undefined;
  if (i > 0 && rawQuery[i - 1] !== "&" && rawQuery[i - 1] !== "?") return undefined;
  const rest = rawQuery.slice(i + 17);
  const end = rest.indexOf("&");
  try {
    return parseCredential(decodeURIComponent(end < 0 ? rest : rest.slice(0, end)));
  } catch {
    return undefined;
  }
}
