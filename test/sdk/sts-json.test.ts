/**
 * STS answers GetCallerIdentity in JSON when asked (Accept: application/json): the envelope EKS token verifiers
 * (aws-iam-authenticator) read after calling the presigned URL a "k8s-aws-v1." token carries. Without the header, XML.
 */
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { TEST_CREDENTIALS, useServer, Sha256 } from "../helpers.js";

describe("STS GetCallerIdentity in JSON", () => {
  const t = useServer();

  it("a presigned GetCallerIdentity with Accept: application/json answers the JSON envelope; without it, XML", async () => {
    const url = new URL(t.server.url);
    const signer = new SignatureV4({ service: "sts", region: "us-east-1", credentials: TEST_CREDENTIALS, sha256: Sha256 });
    const req = await signer.presign(
      {
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: url.host, "x-k8s-aws-id": "my-cluster" },
      },
      { expiresIn: 60 },
    );
    const presigned = `${t.server.url}/?${new URLSearchParams(req.query as Record<string, string>)}`;
    const json = await fetch(presigned, { headers: { "x-k8s-aws-id": "my-cluster", accept: "application/json" } });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json");
    const body = (await json.json()) as {
      GetCallerIdentityResponse: { GetCallerIdentityResult: Record<string, string>; ResponseMetadata: { RequestId: string } };
    };
    expect(body.GetCallerIdentityResponse.GetCallerIdentityResult).toEqual({
      UserId: "000000000000",
      Account: "000000000000",
      Arn: "arn:aws:iam::000000000000:root",
    });
    expect(body.GetCallerIdentityResponse.ResponseMetadata.RequestId).toBe(json.headers.get("x-amzn-requestid"));

    const xml = await fetch(presigned, { headers: { "x-k8s-aws-id": "my-cluster" } });
    expect(xml.headers.get("content-type")).toBe("text/xml");
    expect(await xml.text()).toContain("<Arn>arn:aws:iam::000000000000:root</Arn>");
  });
});
