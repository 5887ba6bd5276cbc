/** IAM OIDC and SAML providers: answers recorded against real AWS (errors, empty lists shown on Get). */
import {
  CreateOpenIDConnectProviderCommand,
  CreateSAMLProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  IAMClient,
  TagOpenIDConnectProviderCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const METADATA = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.parity.example.com/">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.parity.example.com/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>${"<!-- padding -->".repeat(60)}`;

describe("IAM identity provider parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("OIDC: URL and thumbprint errors, Get with empty Tags, Delete's own not-found wording, the tag limit", async () => {
    await expectAwsError(sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "example.org", ThumbprintList: ["a".repeat(40)] })), {
      name: "ValidationError",
      status: 400,
      message: "Invalid Open ID Connect Provider URL",
    });
    await expectAwsError(
      sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://thumbs.example.com", ThumbprintList: [..."abcdef"].map((c) => c.repeat(40)) })),
      { name: "InvalidInputException", status: 400, message: "Thumbprint list must contain fewer than 5 entries." },
    );
    const arn = (
      await sim.iam.send(
        new CreateOpenIDConnectProviderCommand({ Url: "https://oidc.example.com", ThumbprintList: ["b".repeat(40)], ClientIDList: ["client-id-1"] }),
      )
    ).OpenIDConnectProviderArn!;
    const got = await sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got.Url).toBe("oidc.example.com");
    expect(got.ClientIDList).toEqual(["client-id-1"]);
    expect(got.Tags).toEqual([]);
    await sim.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await expectAwsError(sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `OpenIDConnect Provider not found for arn ${arn}`,
    });
    await expectAwsError(sim.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `OpenId connect Provider ${arn} cannot be found.`,
    });
    const full = (
      await sim.iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: "https://tags.example.com",
          ThumbprintList: ["a".repeat(40)],
          Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${String(i).padStart(2, "0")}`, Value: `v${i}` })),
        }),
      )
    ).OpenIDConnectProviderArn!;
    await expectAwsError(sim.iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: full, Tags: [{ Key: "string", Value: "string" }] })), {
      name: "LimitExceededException",
      status: 409,
      message: "The number of tags has reached the maximum limit.",
    });
  });

  it("SAML: Get shows AssertionEncryptionMode Allowed, empty PrivateKeyList and Tags", async () => {
    const arn = (await sim.iam.send(new CreateSAMLProviderCommand({ Name: "parity-saml", SAMLMetadataDocument: METADATA }))).SAMLProviderArn!;
    const got = await sim.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(got.AssertionEncryptionMode).toBe("Allowed");
    expect(got.PrivateKeyList).toEqual([]);
    expect(got.Tags).toEqual([]);
    expect(got.SAMLProviderUUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.ValidUntil).toBeInstanceOf(Date);
  });
});
