/**
 * Conditional writes, ranges and part copies as AWS answered them (recorded against S3 in 2025):
 * NotImplemented naming the header for If-None-Match other than "*", If-Match "*" and both headers
 * together; ConditionalRequestConflict when the key was written or deleted after the multipart upload
 * began; a Range covering the whole object still carries the checksum; an UploadPartCopy range starting
 * past the source's end is InvalidRequest; under --strict CompleteMultipartUpload names S3's default CRC64NVME.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { awsErr, PRELUDE } from "./s3-parity2-prelude.js";

const SCRIPT = `${PRELUDE}
s3.create_bucket(Bucket="wbk")
etag = s3.put_object(Bucket="wbk", Key="v", Body=b"")["ETag"]
out["not_implemented"] = [call(s3.put_object, Bucket="wbk", Key="v", IfNoneMatch=etag),
                          call(s3.put_object, Bucket="wbk", Key="nokey", IfMatch="*"),
                          call(s3.put_object, Bucket="wbk", Key="nokey", IfNoneMatch="*", IfMatch="abcdef")]
out["if_match_absent"] = call(s3.put_object, Bucket="wbk", Key="nokey", IfMatch="abcdef")["Error"]["Code"]

def upload(key):
    u = s3.create_multipart_upload(Bucket="wbk", Key=key)["UploadId"]
    e = s3.upload_part(Bucket="wbk", Key=key, UploadId=u, Body=b"test", PartNumber=1)["ETag"]
    return lambda **cond: call(s3.complete_multipart_upload, Bucket="wbk", Key=key, UploadId=u, MultipartUpload={"Parts": [{"ETag": e, "PartNumber": 1}]}, **cond)

s3.put_object(Bucket="wbk", Key="a", IfNoneMatch="*")
done = upload("a")
first = done(IfNoneMatch="*")
s3.delete_object(Bucket="wbk", Key="a")
out["none_match"] = [first, done(IfNoneMatch="*"), upload("a")(IfNoneMatch="*")["Status"]]

e1 = s3.put_object(Bucket="wbk", Key="b", Body=b"test")["ETag"]
done = upload("b")
e2 = s3.put_object(Bucket="wbk", Key="b", Body=b"test2")["ETag"]
out["match_put_during"] = [done(IfMatch=e1), done(IfMatch=e2), upload("b")(IfMatch=e2)["Status"]]

e1 = s3.put_object(Bucket="wbk", Key="c", Body=b"test")["ETag"]
done = upload("c")
s3.put_object(Bucket="wbk", Key="c", Body=b"test")
out["match_identical"] = done(IfMatch=e1)

e1 = s3.put_object(Bucket="wbk", Key="d", Body=b"test")["ETag"]
done = upload("d")
s3.delete_object(Bucket="wbk", Key="d")
after_delete = done(IfMatch=e1)
e2 = s3.put_object(Bucket="wbk", Key="d", Body=b"test")["ETag"]
out["match_delete"] = [after_delete, done(IfMatch=e2)]
out["unconditional_after_put"] = done()["Status"]

s3.put_object(Bucket="wbk", Key="r", Body=b"0123456789")
def rng(r):
    g = s3.get_object(Bucket="wbk", Key="r", Range=r)
    return [g["ResponseMetadata"]["HTTPStatusCode"], g.get("ContentRange"), g.get("ChecksumCRC32"), g.get("ChecksumType")]
out["ranges"] = [rng(r) for r in ["bytes=0-8", "bytes=-15", "bytes=0-100", "bytes=0-9"]]

u = s3.create_multipart_upload(Bucket="wbk", Key="mp")["UploadId"]
upc = lambda r: call(s3.upload_part_copy, Bucket="wbk", Key="mp", UploadId=u, PartNumber=1, CopySource="wbk/r", CopySourceRange=r)
out["part_copy"] = [upc("bytes=100-200"), upc("bytes=0-100"), upc("bytes=-2")["Error"]["Code"], upc("bytes=1-1")["CopyPartResult"]["ETag"]]
print(json.dumps(out, default=str))
`;

const notImpl = (Header: string, additionalMessage: string) =>
  awsErr("NotImplemented", "A header you provided implies functionality that is not implemented", 501, { Header, additionalMessage });
const failed = (Condition: string) => awsErr("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, { Condition });
const conflict = (Condition: string, Key: string) =>
  awsErr("ConditionalRequestConflict", "The conditional request cannot succeed due to a conflicting operation against this resource.", 409, { Condition, Key });

describe.skipIf(!hasBoto3())("S3 parity: conditional writes, ranges, part copies (boto3)", () => {
  const t = useServer();

  it("answers conditional writes and ranges as AWS does", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.not_implemented).toEqual([
      notImpl("If-None-Match", "We don't accept the provided value of If-None-Match header for this API"),
      notImpl("If-Match", "We don't accept the provided value of If-Match header for this API"),
      notImpl("If-Match,If-None-Match", "Multiple conditional request headers present in the request"),
    ]);
    expect(out.if_match_absent).toBe("NoSuchKey");
    expect(out.none_match).toEqual([failed("If-None-Match"), conflict("If-None-Match", "a"), 200]);
    expect(out.match_put_during).toEqual([failed("If-Match"), conflict("If-Match", "b"), 200]);
    expect(out.match_identical).toEqual(conflict("If-Match", "c"));
    expect(out.match_delete).toEqual([awsErr("NoSuchKey", "The specified key does not exist.", 404, { Key: "d" }), conflict("If-Match", "d")]);
    expect(out.unconditional_after_put).toBe(200);
    expect(out.ranges).toEqual([
      [206, "bytes 0-8/10", null, null],
      [206, "bytes 0-9/10", "poTHxg==", "FULL_OBJECT"],
      [206, "bytes 0-9/10", "poTHxg==", "FULL_OBJECT"],
      [206, "bytes 0-9/10", "poTHxg==", "FULL_OBJECT"],
    ]);
    expect(out.part_copy).toEqual([
      awsErr("InvalidRequest", "The specified copy range is invalid for the source object size", 400),
      awsErr("InvalidArgument", "Range specified is not valid for source object of size: 10", 400, {
        ArgumentName: "x-amz-copy-source-range",
        ArgumentValue: "bytes=0-100",
      }),
      "InvalidArgument",
      '"c4ca4238a0b923820dcc509a6f75849b"',
    ]);
  });
});

const STRICT_SCRIPT = `${PRELUDE}
s3.create_bucket(Bucket="mpu-strict")
u = s3.create_multipart_upload(Bucket="mpu-strict", Key="k")["UploadId"]
p = s3.upload_part(Bucket="mpu-strict", Key="k", UploadId=u, PartNumber=1, Body=b"test")
r = s3.complete_multipart_upload(Bucket="mpu-strict", Key="k", UploadId=u, MultipartUpload={"Parts": [{"ETag": p["ETag"], "PartNumber": 1}]})
print(json.dumps([r.get("ChecksumCRC64NVME"), r.get("ChecksumType"), r["ETag"]]))
`;

describe.skipIf(!hasBoto3())("S3 parity: --strict CompleteMultipartUpload reports S3's default checksum (boto3)", () => {
  const t = useServer({ strict: true });

  it("names the CRC64NVME S3 computed when no algorithm was asked for", async () => {
    // AWS's recorded answer for one 4-byte part "test" (2025).
    expect(JSON.parse(await python(STRICT_SCRIPT, [t.server.url], { timeout: 25_000 }))).toEqual([
      "+bu+zv66sUM=",
      "FULL_OBJECT",
      '"60cd54a928cbbcbb6e7b5595bab46a9e-1"',
    ]);
  });
});
