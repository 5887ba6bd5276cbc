/**
 * Versions and deletes as AWS answered them (recorded against S3): version ids S3 never issued are
 * InvalidArgument for GetObject/DeleteObject and NoSuchVersion inside DeleteObjects, deleting a delete
 * marker through DeleteObjects names it in DeleteMarkerVersionId, a versioned bucket that is not empty
 * says so with "You must delete all versions", and an empty VersioningConfiguration is
 * IllegalVersioningConfigurationException.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { awsErr, PRELUDE } from "./s3-parity2-prelude.js";

const FAKE = "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD";

const SCRIPT = `${PRELUDE}
FAKE = "${FAKE}"
s3.create_bucket(Bucket="plain")
s3.put_object(Bucket="plain", Key="k", Body=b"test-version")
out["get_fake"] = call(s3.get_object, Bucket="plain", Key="k", VersionId=FAKE)
out["get_null"] = call(s3.get_object, Bucket="plain", Key="k", VersionId="null")["Status"]
out["delete_fake"] = call(s3.delete_object, Bucket="plain", Key="k", VersionId=FAKE)
out["delete_objects_fake"] = call(s3.delete_objects, Bucket="plain", Delete={"Objects": [{"Key": "k", "VersionId": FAKE}]})
out["not_empty_plain"] = call(s3.delete_bucket, Bucket="plain")

s3.create_bucket(Bucket="ver")
s3.put_bucket_versioning(Bucket="ver", VersioningConfiguration={"Status": "Enabled"})
put = s3.put_object(Bucket="ver", Key="k", Body=b"test-delete")
vid = put["VersionId"]
out["vid_shape"] = [len(vid), vid.isascii()]
out["delete_bad"] = call(s3.delete_object, Bucket="ver", Key="k", VersionId=vid[:-4] + "ABCD")
d = s3.delete_objects(Bucket="ver", Delete={"Objects": [{"Key": "k"}]})
marker = d["Deleted"][0]["DeleteMarkerVersionId"]
out["not_empty_versioned"] = call(s3.delete_bucket, Bucket="ver")
r = call(s3.delete_objects, Bucket="ver", Delete={"Objects": [{"Key": "k", "VersionId": marker}]})
out["delete_marker_by_id"] = [r["Deleted"][0] == {"Key": "k", "VersionId": marker, "DeleteMarker": True, "DeleteMarkerVersionId": marker}]
out["delete_objects_fake_v"] = call(s3.delete_objects, Bucket="ver", Delete={"Objects": [{"Key": "k", "VersionId": FAKE}, {"Key": "wrong-key-2", "VersionId": FAKE}]})
out["delete_real"] = call(s3.delete_objects, Bucket="ver", Delete={"Objects": [{"Key": "k", "VersionId": vid}]})["Deleted"] == [{"Key": "k", "VersionId": vid}]
out["get_gone"] = call(s3.get_object, Bucket="ver", Key="k", VersionId=vid)["Error"]["Code"]
out["versioning_empty"] = call(s3.put_bucket_versioning, Bucket="ver", VersioningConfiguration={})
out["versioning_lower"] = call(s3.put_bucket_versioning, Bucket="ver", VersioningConfiguration={"Status": "enabled"})["Error"]["Code"]
print(json.dumps(out, default=str))
`;

const invalidVid = (v: string) => awsErr("InvalidArgument", "Invalid version id specified", 400, { ArgumentName: "versionId", ArgumentValue: v });
const noSuchVersion = (Key: string) => ({ Code: "NoSuchVersion", Key, Message: "The specified version does not exist.", VersionId: FAKE });

describe.skipIf(!hasBoto3())("S3 parity: versions and deletes (boto3)", () => {
  const t = useServer();

  it("answers unknown version ids, delete markers and non-empty buckets as AWS does", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.get_fake).toEqual(invalidVid(FAKE));
    expect(out.get_null).toBe(200);
    expect(out.delete_fake).toEqual(invalidVid(FAKE));
    expect(out.delete_objects_fake).toEqual({ Errors: [noSuchVersion("k")], Status: 200 });
    expect(out.not_empty_plain).toEqual(awsErr("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, { BucketName: "plain" }));
    expect(out.vid_shape).toEqual([32, true]);
    expect(out.delete_bad.Error).toMatchObject({ Code: "InvalidArgument", Message: "Invalid version id specified", ArgumentName: "versionId" });
    expect(out.not_empty_versioned).toEqual(
      awsErr("BucketNotEmpty", "The bucket you tried to delete is not empty. You must delete all versions in the bucket.", 409, { BucketName: "ver" }),
    );
    expect(out.delete_marker_by_id).toEqual([true]);
    expect(out.delete_objects_fake_v).toEqual({ Errors: [noSuchVersion("k"), noSuchVersion("wrong-key-2")], Status: 200 });
    expect(out.delete_real).toBe(true);
    expect(out.get_gone).toBe("NoSuchVersion");
    expect(out.versioning_empty).toEqual(awsErr("IllegalVersioningConfigurationException", "The Versioning element must be specified", 400));
    expect(out.versioning_lower).toBe("MalformedXML");
  });
});
