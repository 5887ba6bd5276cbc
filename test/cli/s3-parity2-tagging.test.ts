/**
 * Tagging and default encryption as AWS answered them (recorded against S3): InvalidTag names the TagKey
 * (and TagValue), `aws:` keys are refused with the bucket or the object wording, a bad x-amz-tagging header
 * is InvalidArgument naming the header, tagging a delete marker is 405 for the call's own method, an SSE-S3
 * default does not echo BucketKeyEnabled, and a KMS key on an AES256 rule names no ArgumentValue.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { awsErr, PRELUDE } from "./s3-parity2-prelude.js";

const SCRIPT = `${PRELUDE}
nv = client(sys.argv[1], parameter_validation=False)
s3.create_bucket(Bucket="tags")
s3.put_object(Bucket="tags", Key="o", Body=b"")
bt = lambda *tags: call(nv.put_bucket_tagging, Bucket="tags", Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags]})
ot = lambda *tags: call(nv.put_object_tagging, Bucket="tags", Key="o", Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags]})
out["bucket"] = [bt(("Key1", "Val1"), ("Key1", "Val1")), bt(("Key1,Key2", "Val1")), bt(("Key1", "Val1,Val2")), bt(("aws:prefixed", "Val1"))]
out["object"] = [ot(("Key1", "Val1"), ("Key1", "Val1")), ot(("Key1,Key2", "Val1")), ot(("aws:prefixed", "Val1"))]
out["header"] = [call(s3.put_object, Bucket="tags", Key="h", Body=b"", Tagging=t) for t in ["key1=val1&key1=val2", "key1=val1,key2=val2"]]
s3.put_object(Bucket="tags", Key="h", Body=b"x", Tagging="tag1=tag1&tag2=tag2&tag=&eq=a=b")
out["header_ok"] = sorted([t["Key"], t["Value"]] for t in s3.get_object_tagging(Bucket="tags", Key="h")["TagSet"])
s3.put_object(Bucket="tags", Key="h", Body=b"", Tagging="key1&&&key2")
out["header_bare_keys"] = s3.get_object_tagging(Bucket="tags", Key="h")["TagSet"]

s3.create_bucket(Bucket="tags-v")
s3.put_bucket_versioning(Bucket="tags-v", VersioningConfiguration={"Status": "Enabled"})
s3.put_object(Bucket="tags-v", Key="k", Body=b"x", Tagging="test_tag=tagv1")
marker = s3.delete_object(Bucket="tags-v", Key="k")["VersionId"]
ops = [("put", lambda **a: s3.put_object_tagging(Tagging={"TagSet": []}, **a)), ("get", s3.get_object_tagging), ("delete", s3.delete_object_tagging)]
out["marker"] = [[call(fn, Bucket="tags-v", Key="k", VersionId=marker), call(fn, Bucket="tags-v", Key="k")] for _, fn in ops]

s3.create_bucket(Bucket="enc")
out["kms_on_aes"] = call(s3.put_bucket_encryption, Bucket="enc", ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "randomkeyid"}}]})
s3.put_bucket_encryption(Bucket="enc", ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]})
put = s3.put_object(Bucket="enc", Key="k", Body=b"test-encrypted")
head = s3.head_object(Bucket="enc", Key="k")
out["sse_s3_bucket_key"] = [put["ServerSideEncryption"], "BucketKeyEnabled" in put, head["ServerSideEncryption"], "BucketKeyEnabled" in head]
s3.put_bucket_encryption(Bucket="enc", ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]})
put = s3.put_object(Bucket="enc", Key="k2", Body=b"test-encrypted")
out["kms_bucket_key"] = [put["ServerSideEncryption"], put.get("BucketKeyEnabled")]
out["missing_key"] = [call(fn, Bucket="tags", Key="fake-key")["Error"]["Key"] for fn in (s3.get_object_tagging, s3.delete_object_tagging)]
out["missing_key"].append(call(s3.put_object_tagging, Bucket="tags", Key="fake-key", Tagging={"TagSet": []})["Error"]["Key"])
print(json.dumps(out, default=str))
`;

const tag = (message: string, extra: Record<string, string>) => awsErr("InvalidTag", message, 400, extra);
const header = (v: string) =>
  awsErr("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", 400, {
    ArgumentName: "x-amz-tagging",
    ArgumentValue: v,
  });
const on405 = (Method: string) =>
  awsErr("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, { Method, ResourceType: "DeleteMarker" });

describe.skipIf(!hasBoto3())("S3 parity: tagging and default encryption (boto3)", () => {
  const t = useServer();

  it("validates tags, tagging headers and delete markers with AWS's errors", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.bucket).toEqual([
      tag("Cannot provide multiple Tags with the same key", { TagKey: "Key1" }),
      tag("The TagKey you have provided is invalid", { TagKey: "Key1,Key2" }),
      tag("The TagValue you have provided is invalid", { TagKey: "Key1", TagValue: "Val1,Val2" }),
      tag("System tags cannot be added/updated by requester", { TagKey: "aws:prefixed" }),
    ]);
    expect(out.object).toEqual([
      tag("Cannot provide multiple Tags with the same key", { TagKey: "Key1" }),
      tag("The TagKey you have provided is invalid", { TagKey: "Key1,Key2" }),
      tag("Your TagKey cannot be prefixed with aws:", { TagKey: "aws:prefixed" }),
    ]);
    expect(out.header).toEqual([header("key1=val1&key1=val2"), header("key1=val1,key2=val2")]);
    expect(out.header_ok).toEqual([
      ["eq", "a=b"],
      ["tag", ""],
      ["tag1", "tag1"],
      ["tag2", "tag2"],
    ]);
    expect(out.header_bare_keys).toEqual([
      { Key: "key1", Value: "" },
      { Key: "key2", Value: "" },
    ]);
    expect(out.marker).toEqual([
      [on405("PUT"), on405("PUT")],
      [on405("GET"), on405("GET")],
      [on405("DELETE"), on405("DELETE")],
    ]);
    expect(out.kms_on_aes).toEqual(
      awsErr("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", 400, {
        ArgumentName: "ApplyServerSideEncryptionByDefault",
      }),
    );
    expect(out.sse_s3_bucket_key).toEqual(["AES256", false, "AES256", false]);
    expect(out.kms_bucket_key).toEqual(["aws:kms", true]);
    // GetObjectTagging names a missing key as bucket/key; Put and Delete name the key alone.
    expect(out.missing_key).toEqual(["tags/fake-key", "fake-key", "fake-key"]);
  });
});
