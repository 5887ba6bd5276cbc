/** STS scenarios replayed from moto's test suite where awsim answered differently from AWS. */
import { AssumeRoleWithSAMLCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ sts: new STSClient(cfg) }));

const ROLE = "arn:aws:iam::000000000000:role/saml-role";
const PROVIDER = "arn:aws:iam::000000000000:saml-provider/corp";

/** A SAML response for jdoe; `authn` adds an AuthnStatement with those attributes. */
function assertion(authn?: string): string {
  const later = new Date(Date.now() + 300_000).toISOString();
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">` +
    `<saml:Issuer>https://idp.example.com</saml:Issuer><saml:Assertion><saml:Issuer>https://idp.example.com</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">jdoe</saml:NameID>` +
    `<saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="https://signin.aws.amazon.com/saml" NotOnOrAfter="${later}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>jdoe</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>` +
    (authn ? `<saml:AuthnStatement ${authn}><saml:AuthnContext/></saml:AuthnStatement>` : "") +
    `</saml:Assertion></samlp:Response>`;
  return Buffer.from(xml).toString("base64");
}

async function expiresIn(SAMLAssertion: string, DurationSeconds?: number): Promise<number> {
  const before = Date.now();
  const r = await sim.sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion, DurationSeconds }));
  return Math.round((r.Credentials!.Expiration!.getTime() - before) / 1000);
}

describe("AssumeRoleWithSAML session duration", () => {
  it("lasts DurationSeconds (an hour by default), or until the response's SessionNotOnOrAfter when that comes first", async () => {
    expect(Math.abs((await expiresIn(assertion(), 1800)) - 1800)).toBeLessThanOrEqual(2);
    expect(Math.abs((await expiresIn(assertion())) - 3600)).toBeLessThanOrEqual(2);
    const soon = new Date(Date.now() + 1200_000).toISOString();
    const capped = await expiresIn(assertion(`AuthnInstant="${new Date().toISOString()}" SessionNotOnOrAfter="${soon}"`), 3600);
    expect(Math.abs(capped - 1200)).toBeLessThanOrEqual(2);
    // The SessionDuration attribute is for console sessions: it neither sets the credentials' lifetime nor fails
    // against a role whose MaxSessionDuration is shorter.
    const console12h = `<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml:AttributeValue>43200</saml:AttributeValue></saml:Attribute>`;
    const withAttr = Buffer.from(Buffer.from(assertion(), "base64").toString("utf8").replace("<saml:AttributeStatement>", console12h)).toString("base64");
    expect(Math.abs((await expiresIn(withAttr)) - 3600)).toBeLessThanOrEqual(2);
    const late = new Date(Date.now() + 7200_000).toISOString();
    expect(Math.abs((await expiresIn(assertion(`SessionNotOnOrAfter="${late}"`), 1800)) - 1800)).toBeLessThanOrEqual(2);
  });
});
