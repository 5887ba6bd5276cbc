/** S3 test fixtures shared by the test/sdk/s3-* files. */
import { createHash } from "node:crypto";

/** The SSE-C request members for customer key `k` (AES256, the key and its MD5 in base64). */
export const ssec = (k: Buffer) => ({
  SSECustomerAlgorithm: "AES256",
  SSECustomerKey: k.toString("base64"),
  SSECustomerKeyMD5: createHash("md5").update(k).digest("base64"),
});
