/**
 * CopyObject's x-amz-copy-source-if-* conditions as AWS answered them (recorded against S3 in 2025):
 * checked If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since in that order, an
 * If-Modified-Since in the future ignored, ETags matched with or without quotes.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { awsErr, PRELUDE } from "./s3-parity2-prelude.js";

const SCRIPT = `${PRELUDE}
day = datetime.timedelta(days=1)
s3.create_bucket(Bucket="pre")
put = s3.put_object(Bucket="pre", Key="src", Body=b"data")
now = datetime.datetime.now(datetime.timezone.utc)
cp = lambda **a: call(s3.copy_object, Bucket="pre", CopySource="pre/src", Key="dest", **a)
out["if_match"] = cp(CopySourceIfModifiedSince=now, CopySourceIfUnmodifiedSince=now - day, CopySourceIfMatch="etag123", CopySourceIfNoneMatch=put["ETag"])
out["if_unmodified"] = cp(CopySourceIfModifiedSince=now, CopySourceIfUnmodifiedSince=now - day, CopySourceIfNoneMatch=put["ETag"])
out["if_none_match"] = cp(CopySourceIfModifiedSince=now, CopySourceIfNoneMatch=put["ETag"])
out["if_modified"] = cp(CopySourceIfModifiedSince=now)
out["future_modified"] = cp(CopySourceIfModifiedSince=now + day)["Status"]
out["unquoted"] = cp(CopySourceIfNoneMatch=put["ETag"].strip('"'))
ok = cp(CopySourceIfMatch=put["ETag"].strip('"'), CopySourceIfNoneMatch="etag123", CopySourceIfModifiedSince=now - day, CopySourceIfUnmodifiedSince=now + day)
out["all_hold"] = [ok["Status"], ok["CopyObjectResult"]["ETag"]]

s3.create_bucket(Bucket="pre-v")
s3.put_bucket_versioning(Bucket="pre-v", VersioningConfiguration={"Status": "Enabled"})
s3.put_object(Bucket="pre-v", Key="src", Body=b"data")
head = s3.head_object(Bucket="pre-v", Key="src")
lm = head["LastModified"]
cpv = lambda **a: call(s3.copy_object, Bucket="pre-v", CopySource="pre-v/src", Key="dest", **a)
r = cpv(CopySourceIfModifiedSince=lm - datetime.timedelta(minutes=1))
out["v_modified"] = [r["Status"], r["CopySourceVersionId"] == head["VersionId"], r["VersionId"] != head["VersionId"]]
out["v_modified_at_lm"] = cpv(CopySourceIfModifiedSince=lm)
out["v_unmodified_at_lm"] = cpv(CopySourceIfUnmodifiedSince=lm)["Status"]
out["v_unmodified_past"] = cpv(CopySourceIfUnmodifiedSince=now - day)
print(json.dumps(out, default=str))
`;

const failed = (condition: string) =>
  awsErr("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, { Condition: `x-amz-copy-source-${condition}` });

describe.skipIf(!hasBoto3())("S3 parity: CopyObject source preconditions (boto3)", () => {
  const t = useServer();

  it("checks the copy-source conditions in AWS's order and names the one that failed", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.if_match).toEqual(failed("If-Match"));
    expect(out.if_unmodified).toEqual(failed("If-Unmodified-Since"));
    expect(out.if_none_match).toEqual(failed("If-None-Match"));
    expect(out.if_modified).toEqual(failed("If-Modified-Since"));
    expect(out.future_modified).toBe(200);
    expect(out.unquoted).toEqual(failed("If-None-Match"));
    expect(out.all_hold).toEqual([200, '"8d777f385d3dfec8815d20f7496026dc"']);
    expect(out.v_modified).toEqual([200, true, true]);
    expect(out.v_modified_at_lm).toEqual(failed("If-Modified-Since"));
    expect(out.v_unmodified_at_lm).toBe(200);
    expect(out.v_unmodified_past).toEqual(failed("If-Unmodified-Since"));
  });
});
