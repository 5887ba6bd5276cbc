/** boto3's managed transfers and presigned requests against awsim, as scripts use them. */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = String.raw`
import boto3, io, json, os, sys, tempfile, urllib.request, uuid
from boto3.s3.transfer import TransferConfig
url = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
seen = []
s3.meta.events.register("before-call.s3.*", lambda model, params, **kw: seen.append((model.name, params.get("headers", {}).get("Range"))))
s3.create_bucket(Bucket="b3-flows")
d = tempfile.mkdtemp()
data = bytes((i * 7) & 0xFF for i in range(13 * 1024 * 1024))
src = os.path.join(d, "src.bin"); open(src, "wb").write(data)
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
seen.clear()
s3.upload_file(src, "b3-flows", "big.bin", Config=cfg, ExtraArgs={"Metadata": {"x": "y"}, "ContentType": "application/x-big"})
out["upload_calls"] = sorted(set(n for n, _ in seen))
h = s3.head_object(Bucket="b3-flows", Key="big.bin")
out["upload"] = [h["ETag"], h["ContentLength"], h["Metadata"], h["ContentType"], h.get("PartsCount")]
seen.clear()
dst = os.path.join(d, "dst.bin")
s3.download_file("b3-flows", "big.bin", dst, Config=cfg)
out["download_same"] = open(dst, "rb").read() == data
out["download_ranges"] = sorted(r for n, r in seen if n == "GetObject")
s3.upload_fileobj(io.BytesIO(b"from a file object"), "b3-flows", "fo.txt")
buf = io.BytesIO(); s3.download_fileobj("b3-flows", "fo.txt", buf)
out["fileobj"] = buf.getvalue().decode()
seen.clear()
s3.copy({"Bucket": "b3-flows", "Key": "big.bin"}, "b3-flows", "copy.bin", Config=cfg)
out["copy_calls"] = sorted(set(n for n, _ in seen))
c = s3.get_object(Bucket="b3-flows", Key="copy.bin")
out["copy"] = [c["ETag"], c["Body"].read() == data]
post = s3.generate_presigned_post("b3-flows", "up/$" "{filename}", Fields={"acl": "private", "x-amz-meta-k": "v"},
    Conditions=[{"acl": "private"}, {"x-amz-meta-k": "v"}, ["content-length-range", 1, 100], ["starts-with", "$key", "up/"]], ExpiresIn=300)
def form(fields, name, body):
    b = uuid.uuid4().hex
    parts = [f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'.encode() + body + f"\r\n--{b}--\r\n".encode())
    req = urllib.request.Request(post["url"], data=b"".join(parts), method="POST", headers={"Content-Type": f"multipart/form-data; boundary={b}"})
    try:
        with urllib.request.urlopen(req) as r: return [r.status, r.read().decode(), r.headers.get("ETag"), r.headers.get("Location")]
    except urllib.error.HTTPError as e: return [e.code, e.read().decode(), None, None]
out["post_ok"] = form(post["fields"], "hello.txt", b"hello post")
o = s3.get_object(Bucket="b3-flows", Key="up/hello.txt")
out["posted"] = [o["Body"].read().decode(), o["Metadata"], o["ETag"]]
out["post_too_big"] = form(post["fields"], "big.txt", b"x" * 200)[:2]
out["post_bad_meta"] = form({**post["fields"], "x-amz-meta-k": "other"}, "a.txt", b"abc")[:2]
put = s3.generate_presigned_url("put_object", Params={"Bucket": "b3-flows", "Key": "pp.txt", "ContentType": "text/plain"}, ExpiresIn=60)
req = urllib.request.Request(put, data=b"presigned put", method="PUT", headers={"Content-Type": "text/plain"})
with urllib.request.urlopen(req) as r: out["put_status"] = r.status
o = s3.get_object(Bucket="b3-flows", Key="pp.txt")
out["put"] = [o["ContentType"], o["Body"].read().decode()]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("boto3 S3 managed transfers and presigned requests", () => {
  const sim = useServer();

  it("upload_file/download_file multipart both ways, upload_fileobj, managed copy, presigned POST and PUT", async () => {
    const out = JSON.parse(await python(SCRIPT, [sim.server.url], { timeout: 60_000 }));
    expect(out.upload[0]).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(out.upload.slice(1)).toEqual([13 * 1024 * 1024, { x: "y" }, "application/x-big", null]);
    expect(out.upload_calls).toEqual(["CompleteMultipartUpload", "CreateMultipartUpload", "UploadPart"]);
    expect(out.download_same).toBe(true);
    // A HEAD for the size, then concurrent ranged GETs of 5 MB.
    expect(out.download_ranges).toEqual(["bytes=0-5242879", "bytes=10485760-", "bytes=5242880-10485759"]);
    expect(out.fileobj).toBe("from a file object");
    expect(out.copy_calls).toEqual(["CompleteMultipartUpload", "CreateMultipartUpload", "HeadObject", "UploadPartCopy"]);
    // Same part boundaries, same part MD5s: the multipart copy's ETag equals the source's.
    expect(out.copy).toEqual([out.upload[0], true]);
    const [status, body, etag, location] = out.post_ok;
    expect([status, body]).toEqual([204, ""]);
    expect(etag).toBe('"c681b0b7a998ecfceaf7025e2e7f9572"');
    expect(location).toMatch(/\/b3-flows\/up\/hello\.txt$|b3-flows\.s3\.amazonaws\.com\/up\/hello\.txt$/);
    expect(out.posted).toEqual(["hello post", { k: "v" }, etag]);
    expect(out.post_too_big[0]).toBe(400);
    expect(out.post_too_big[1]).toContain("<Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message>");
    expect(out.post_bad_meta[0]).toBe(403);
    expect(out.post_bad_meta[1]).toContain(
      "<Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$x-amz-meta-k&quot;, &quot;v&quot;]</Message>",
    );
    expect(out.put_status).toBe(200);
    expect(out.put).toEqual(["text/plain", "presigned put"]);
  });
});
