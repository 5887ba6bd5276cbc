/** Parsing what federation hands STS: OIDC JWTs and SAML 2.0 assertions (signatures are not verified). */
import { AwsError } from "../../protocols/aws-error.js";

export interface Jwt {
  iss: string;
  sub: string;
  aud: string;
  exp?: number;
  claims: Record<string, unknown>;
}

const invalidToken = (m: string) => new AwsError("InvalidIdentityToken", m, 400);

export function parseJwt(token: string): Jwt {
  const parts = token.split(".");
  let claims: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error();
    JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    if (typeof claims !== "object" || claims === null) throw new Error();
  } catch {
    throw invalidToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  }
  const aud = Array.isArray(claims.aud) ? String(claims.aud[0] ?? "") : String(claims.aud ?? "");
  if (typeof claims.iss !== "string" || !claims.iss) throw invalidToken("The ID Token provided is missing the 'iss' claim.");
  if (claims.sub === undefined) throw invalidToken("The ID Token provided is missing the 'sub' claim.");
  return { iss: claims.iss, sub: String(claims.sub), aud, exp: typeof claims.exp === "number" ? claims.exp : undefined, claims };
}

export interface SamlAssertion {
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  audience?: string;
  recipient?: string;
  notOnOrAfter?: Date;
  /** The AuthnStatement's SessionNotOnOrAfter: when the IdP ends the session. */
  sessionNotOnOrAfter?: Date;
  attributes: Map<string, string[]>;
}

const tag = (xml: string, name: string) => new RegExp(`<(?:[\\w-]+:)?${name}\\b([^>]*)>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(xml);
const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
const text = (s: string) => s.replace(/<[^>]+>/g, "").trim();

export function parseSaml(b64: string): SamlAssertion {
  const xml = Buffer.from(b64, "base64").toString("utf8");
  const assertion = tag(xml, "Assertion")?.[2] ?? (xml.includes("Assertion") ? xml : undefined);
  if (!assertion || !/<(?:[\w-]+:)?(Response|Assertion)\b/.test(xml)) throw invalidToken("Invalid SAML Response");
  const issuer = tag(assertion, "Issuer") ?? tag(xml, "Issuer");
  const nameId = tag(assertion, "NameID");
  if (!issuer || !nameId) throw invalidToken("Invalid SAML Response");
  const conf = /<(?:[\w-]+:)?SubjectConfirmationData\b([^>]*)\/?>/.exec(assertion);
  const notOnOrAfter = conf ? attr(conf[1]!, "NotOnOrAfter") : undefined;
  const authn = /<(?:[\w-]+:)?AuthnStatement\b([^>]*)>/.exec(assertion);
  const sessionEnd = authn ? attr(authn[1]!, "SessionNotOnOrAfter") : undefined;
  const attributes = new Map<string, string[]>();
  for (const m of assertion.matchAll(/<(?:[\w-]+:)?Attribute\b([^>]*)>([\s\S]*?)<\/(?:[\w-]+:)?Attribute>/g)) {
    const name = attr(m[1]!, "Name");
    if (!name) continue;
    const values = [...m[2]!.matchAll(/<(?:[\w-]+:)?AttributeValue\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?AttributeValue>/g)].map((v) => text(v[1]!));
    attributes.set(name, values);
  }
  return {
    issuer: text(issuer[2]!),
    nameId: text(nameId[2]!),
    nameIdFormat: attr(nameId[1]!, "Format"),
    audience: text(tag(assertion, "Audience")?.[2] ?? "") || undefined,
    recipient: conf ? attr(conf[1]!, "Recipient") : undefined,
    notOnOrAfter: notOnOrAfter ? new Date(notOnOrAfter) : undefined,
    sessionNotOnOrAfter: sessionEnd && !Number.isNaN(Date.parse(sessionEnd)) ? new Date(sessionEnd) : undefined,
    attributes,
  };
}

/** What an identity provider sets on the session: a source identity and session tags (as AssumeRole's members). */
export interface FederatedSession {
  SourceIdentity?: string;
  Tags?: Array<{ Key: string; Value: string }>;
  TransitiveTagKeys?: string[];
}

const firstString = (v: unknown): string | undefined => (Array.isArray(v) ? firstString(v[0]) : typeof v === "string" ? v : undefined);

/**
 * A JWT's claims for the session (IAM User Guide, "Passing session tags using AssumeRoleWithWebIdentity" and
 * "Monitor and control actions taken with assumed roles"): `https://aws.amazon.com/source_identity`, and
 * `https://aws.amazon.com/tags` with principal_tags (each value a list, its first member the tag value) and
 * transitive_tag_keys.
 */
export function jwtSession(claims: Record<string, unknown>): FederatedSession {
  const out: FederatedSession = {};
  const src = firstString(claims["https://aws.amazon.com/source_identity"]);
  if (src !== undefined) out.SourceIdentity = src;
  const raw = claims["https://aws.amazon.com/tags"];
  const tags = (Array.isArray(raw) ? raw[0] : raw) as { principal_tags?: Record<string, unknown>; transitive_tag_keys?: unknown } | undefined;
  if (tags && typeof tags === "object") {
    const list = Object.entries(tags.principal_tags ?? {}).map(([Key, v]) => ({ Key, Value: firstString(v) ?? "" }));
    if (list.length) out.Tags = list;
    if (Array.isArray(tags.transitive_tag_keys)) out.TransitiveTagKeys = tags.transitive_tag_keys.map(String);
  }
  return out;
}

/**
 * A SAML assertion's attributes for the session (IAM User Guide, "Configure SAML assertions for the authentication
 * response"): SourceIdentity, PrincipalTag:<key> and TransitiveTagKeys under https://aws.amazon.com/SAML/Attributes/.
 */
export function samlSession(attributes: Map<string, string[]>): FederatedSession {
  const base = "https://aws.amazon.com/SAML/Attributes/";
  const out: FederatedSession = {};
  const src = attributes.get(`${base}SourceIdentity`)?.[0];
  if (src !== undefined) out.SourceIdentity = src;
  const tags = [...attributes]
    .filter(([k]) => k.startsWith(`${base}PrincipalTag:`))
    .map(([k, v]) => ({ Key: k.slice(`${base}PrincipalTag:`.length), Value: v[0] ?? "" }));
  if (tags.length) out.Tags = tags;
  const transitive = attributes.get(`${base}TransitiveTagKeys`);
  if (transitive?.length) out.TransitiveTagKeys = transitive;
  return out;
}
