/**
 * Under --strict a PUT sent without a checksum is answered with the CRC64NVME S3 computes for it, as AWS answers
 * (LocalStack's AWS-recorded test_cors_match_methods, "put-op"); in the default mode it is computed when first
 * read, and the PUT's answer names no checksum.
 */
import { describe, expect, it } from "vitest";
import { startServer } from "../helpers.js";

const AUTH = `AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${"0".repeat(64)}`;
const put = (url: string, path: string, body?: string) =>
  fetch(`${url}${path}`, {
    method: "PUT",
    body,
    headers: { authorization: AUTH, "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-date": "20261130T000000Z" },
  });

// CRC-64/NVME of "123456789" is 0xAE8B14860A799888 (the algorithm's check value).
const CHECK = Buffer.from("ae8b14860a799888", "hex").toString("base64");

describe("S3 PUT without a checksum", () => {
  it("--strict answers x-amz-checksum-crc64nvme and FULL_OBJECT; the default mode answers neither", async () => {
    for (const strict of [true, false]) {
      const server = await startServer({ strict });
      try {
        expect((await put(server.url, "/crc-default")).status).toBe(200);
        const r = await put(server.url, "/crc-default/k", "123456789");
        expect(r.status).toBe(200);
        expect([r.headers.get("x-amz-checksum-crc64nvme"), r.headers.get("x-amz-checksum-type")]).toEqual(strict ? [CHECK, "FULL_OBJECT"] : [null, null]);
      } finally {
        await server.stop();
      }
    }
  });
});
