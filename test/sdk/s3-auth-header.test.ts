/**
 * S3's SigV4 Authorization header shape (AuthorizationHeaderMalformed in AWS's words), and the Go SDK's legacy
 * custom endpoints, which sign for region "" when they name no SigningRegion (signatures are not verified
 * outside --enforce-iam, so the empty scope part is taken as the default region).
 */
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" });

const put = (path: string, credential: string) =>
  fetch(`${sim.server.url}${path}`, {
    method: "PUT",
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${"0".repeat(64)}`,
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      "x-amz-date": "20261130T000000Z",
    },
  });

describe("S3 Authorization header", () => {
  it("a Credential without its five parts is AuthorizationHeaderMalformed; an empty region part is accepted", async () => {
    const bad = await put("/auth-header-a", "test/20261130/us-east-1/aws4_request");
    expect(bad.status).toBe(400);
    const xml = await bad.text();
    expect(/<Code>(.*?)<\/Code>/.exec(xml)?.[1]).toBe("AuthorizationHeaderMalformed");
    expect(/<Message>(.*?)<\/Message>/.exec(xml)?.[1]).toBe(
      "The authorization header is malformed; the Credential is mal-formed; expecting &quot;&lt;YOUR-AKID&gt;/YYYYMMDD/REGION/SERVICE/aws4_request&quot;.",
    );
    const ok = await put("/auth-header-b", "test/20261130//s3/aws4_request");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("location")).toBe("/auth-header-b");
  });
});
