/**
 * IAM answers Terraform's hashicorp/aws provider compares verbatim (found applying the third Terraform stack).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, IAMClient, ListSigningCertificatesCommand, UploadSigningCertificateCommand } from "@aws-sdk/client-iam";
import { beforeAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

describe("IAM as Terraform reads it", () => {
  const t = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
  let pem = "";
  beforeAll(() => {
    // A self-signed certificate as a PEM file holds it: with its final newline.
    const dir = mkdtempSync(join(tmpdir(), "awsim-iam-cert-"));
    try {
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "2", "-subj", "/CN=tf.test"],
        {
          stdio: "ignore",
        },
      );
      pem = readFileSync(join(dir, "c.pem"), "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a signing certificate's body reads back exactly as uploaded, final newline included", async () => {
    expect(pem.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
    await t.iam.send(new CreateUserCommand({ UserName: "signer" }));
    const up = (await t.iam.send(new UploadSigningCertificateCommand({ UserName: "signer", CertificateBody: pem }))).Certificate!;
    expect(up.CertificateBody).toBe(pem);
    const listed = (await t.iam.send(new ListSigningCertificatesCommand({ UserName: "signer" }))).Certificates!;
    expect(listed.map((c) => [c.CertificateId, c.CertificateBody])).toEqual([[up.CertificateId, pem]]);
  });
});
