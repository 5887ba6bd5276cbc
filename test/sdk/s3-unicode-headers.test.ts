/**
 * Header values beyond US-ASCII on GetObject/HeadObject: user metadata comes back RFC 2047-encoded
 * ("=?UTF-8?B?...?=", S3's user guide, UsingMetadata), header bytes read as ISO-8859-1 (so raw UTF-8 bytes come back
 * encoded twice over, as S3 answers); a response-* override S3 cannot write in ISO-8859-1 is InvalidArgument
 * "Header value cannot be represented using ISO-8859-1." naming the parameter. Both used to end in a 500.
 */
import { connect } from "node:net";
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** A PUT over a raw socket, its header value exactly the bytes given (as the Ruby SDK sends UTF-8 metadata). */
function rawPut(url: string, name: string, value: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const sock = connect(Number(u.port), u.hostname, () => {
      const head = `PUT ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Length: 1\r\nConnection: close\r\n${name}: `;
      sock.end(Buffer.concat([Buffer.from(head), value, Buffer.from("\r\n\r\nx")]));
    });
    let out = "";
    sock.on("data", (d) => (out += d.toString("latin1")));
    sock.on("end", () => resolve(out.split("\r\n")[0]!));
    sock.on("error", reject);
  });
}

describe("S3 header values beyond US-ASCII", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

  it("user metadata beyond US-ASCII comes back RFC 2047-encoded; ASCII as is", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "uni" }));
    // One ISO-8859-1 byte (F6) is that character: its UTF-8, base64.
    expect(await rawPut(`${t.server.url}/uni/latin1`, "x-amz-meta-name", Buffer.from("Jöhn", "latin1"))).toBe("HTTP/1.1 200 OK");
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "uni", Key: "latin1" }));
    expect(head.Metadata).toEqual({ name: `=?UTF-8?B?${b64("Jöhn")}?=` });
    expect(head.Metadata!.name).toBe("=?UTF-8?B?SsO2aG4=?=");
    // Raw UTF-8 bytes (C3 B6), as the SDKs send "ö": two ISO-8859-1 characters, each UTF-8-encoded ("w4PCtg==", as S3 answers).
    expect(await rawPut(`${t.server.url}/uni/utf8`, "x-amz-meta-name", Buffer.from("ö", "utf8"))).toBe("HTTP/1.1 200 OK");
    const get = await t.s3.send(new GetObjectCommand({ Bucket: "uni", Key: "utf8" }));
    expect(get.Metadata).toEqual({ name: "=?UTF-8?B?w4PCtg==?=" });
    await get.Body!.transformToString();
    // The JS SDK sends "ö" as its UTF-8 bytes too.
    await t.s3.send(new PutObjectCommand({ Bucket: "uni", Key: "sdk", Body: "x", Metadata: { name: "Jöhn", plain: "ok =?x?=" } }));
    const sdk = await t.s3.send(new HeadObjectCommand({ Bucket: "uni", Key: "sdk" }));
    expect(sdk.Metadata).toEqual({ name: "=?UTF-8?B?SsODwrZobg==?=", plain: "ok =?x?=" });
  });

  it("a presigned POST's Content-Disposition beyond ISO-8859-1 is served RFC 2047-encoded, not a 500", async () => {
    const form = new FormData();
    form.set("key", "posted");
    form.set("Content-Disposition", 'attachment; filename="日本.txt"');
    form.set("Content-Type", "text/日本");
    form.set("file", new Blob(["p"]), "p.txt");
    expect((await fetch(`${t.server.url}/uni`, { method: "POST", body: form })).status).toBe(204);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "uni", Key: "posted" }));
    expect(head.ContentDisposition).toBe(`=?UTF-8?B?${b64('attachment; filename="日本.txt"')}?=`);
    expect(head.ContentType).toBe(`=?UTF-8?B?${b64("text/日本")}?=`);
  });

  it("metadata whose name or value no header can carry is left out and counted in x-amz-missing-meta (the API reference)", async () => {
    const form = new FormData();
    form.set("key", "names");
    form.set("x-amz-meta-ключ", "v");
    form.set("x-amz-meta-a b", "space");
    form.set("x-amz-meta-ok", "1");
    form.set("x-amz-meta-lines", "one\ntwo");
    form.set("Cache-Control", "no-cache\nX-Injected: 1");
    form.set("file", new Blob(["n"]), "n.txt");
    expect((await fetch(`${t.server.url}/uni`, { method: "POST", body: form })).status).toBe(204);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "uni", Key: "names" }));
    expect(head.Metadata).toEqual({ ok: "1" });
    expect(head.MissingMeta).toBe(3);
    // A stored header holding a newline (FormData sends it as CRLF) cannot be written either: RFC 2047-encoded, no header injected.
    expect(head.CacheControl).toBe(`=?UTF-8?B?${b64("no-cache\r\nX-Injected: 1")}?=`);
  });

  it("a presigned POST's success_action_redirect: a URL S3 cannot interpret is as if absent; one a header cannot carry is percent-encoded", async () => {
    const post = async (redirect: string) => {
      const form = new FormData();
      form.set("key", "redir");
      form.set("success_action_redirect", redirect);
      form.set("file", new Blob(["r"]), "r.txt");
      const res = await fetch(`${t.server.url}/uni`, { method: "POST", body: form, redirect: "manual" });
      return { status: res.status, location: res.headers.get("location") };
    };
    expect(await post("not a url")).toEqual({ status: 204, location: `${t.server.url}/uni/redir` });
    const lines = await post("http://example.com/ok\nX-Injected: 1");
    expect(lines.status).toBe(303);
    expect(lines.location).toMatch(/^http:\/\/example\.com\/okX-Injected:%201\?bucket=uni&key=redir&etag=/);
    const idn = await post("http://例え.jp/ok");
    expect(idn.location).toMatch(/^http:\/\/xn--r8jz45g\.jp\/ok\?bucket=uni&key=redir&etag=/);
    const plain = await post("http://example.com/done");
    expect(plain.location).toMatch(/^http:\/\/example\.com\/done\?bucket=uni&key=redir&etag=%22/);
  });

  it("a response-* override beyond ISO-8859-1 is InvalidArgument; one within it is served", async () => {
    const e = await expectAwsError(
      t.s3.send(new GetObjectCommand({ Bucket: "uni", Key: "latin1", ResponseContentDisposition: 'attachment; filename="a–b.txt"' })),
      { name: "InvalidArgument", status: 400, message: "Header value cannot be represented using ISO-8859-1." },
    );
    expect((e as unknown as { ArgumentName?: string }).ArgumentName).toBe("response-content-disposition");
    expect((e as unknown as { ArgumentValue?: string }).ArgumentValue).toBe('attachment; filename="a–b.txt"');
    // HEAD: the status alone (no body).
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: "uni", Key: "latin1", ResponseContentType: "text/日本" })).catch((x) => x);
    expect(head.$metadata?.httpStatusCode).toBe(400);
    const ok = await t.s3.send(new GetObjectCommand({ Bucket: "uni", Key: "latin1", ResponseContentDisposition: 'attachment; filename="ö.txt"' }));
    expect(ok.ContentDisposition).toBe('attachment; filename="ö.txt"');
    await ok.Body!.transformToString();
    // Through a presigned URL, as browsers download.
    const url = await getSignedUrl(t.s3, new GetObjectCommand({ Bucket: "uni", Key: "latin1", ResponseContentDisposition: "attachment; filename=”q”" }));
    const res = await fetch(url);
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain("<Code>InvalidArgument</Code>");
    expect(body).toContain("<ArgumentName>response-content-disposition</ArgumentName>");
  });

  it("a lifecycle rule ID beyond US-ASCII: x-amz-expiration's rule-id is URL-encoded (the API reference), not a 500", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "uni-lc" }));
    const id = 'règle "日本"';
    await t.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "uni-lc",
        LifecycleConfiguration: {
          Rules: [{ ID: id, Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 3 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }],
        },
      }),
    );
    const put = await t.s3.send(new PutObjectCommand({ Bucket: "uni-lc", Key: "k", Body: "x" }));
    expect(put.Expiration).toMatch(/^expiry-date="[^"]+ GMT", rule-id="r%C3%A8gle%20%22%E6%97%A5%E6%9C%AC%22"$/);
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "uni-lc", Key: "k" }))).Expiration).toBe(put.Expiration);
    const mp = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: "uni-lc", Key: "m" }));
    expect(mp.AbortRuleId).toBe(encodeURIComponent(id));
  });

  it("a CORS ExposeHeader no header can carry is left out of Access-Control-Expose-Headers, not a 500", async () => {
    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: "uni",
        CORSConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["*"], ExposeHeaders: ["ETag", "x-日本"] }] },
      }),
    );
    const get = await fetch(`${t.server.url}/uni/latin1`, { headers: { origin: "https://ex.com" } });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-expose-headers")).toBe("ETag");
    const pre = await fetch(`${t.server.url}/uni/latin1`, { method: "OPTIONS", headers: { origin: "https://ex.com", "access-control-request-method": "GET" } });
    expect(pre.status).toBe(200);
    expect(pre.headers.get("access-control-expose-headers")).toBe("ETag");
  });
});
