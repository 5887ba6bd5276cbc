/**
 * Listings as AWS answered them (recorded against S3 in 2025): a marker inside a common prefix skips that
 * prefix (ListObjects, ListObjectVersions, ListMultipartUploads), an empty continuation token is
 * InvalidArgument and a token hides StartAfter, ListObjectVersions resumes after a marker version deleted
 * between pages, ListMultipartUploads names its page's last upload in NextKeyMarker/NextUploadIdMarker
 * ("" when none) and refuses an upload-id marker of another key, ListParts answers NextPartNumberMarker 0
 * past the last part and takes empty numbers as absent, and timestamps are whole seconds.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { awsErr, PRELUDE } from "./s3-parity2-prelude.js";

const SCRIPT = `${PRELUDE}
import urllib.request, re
nv = client(sys.argv[1], parameter_validation=False)
FOLDER = ["folder/aSubfolder/subFile1", "folder/aSubfolder/subFile2", "folder/file1", "folder/file2"]
s3.create_bucket(Bucket="objs")
for k in FOLDER: s3.put_object(Bucket="objs", Key=k, Body=b"content 123")
r = s3.list_objects(Bucket="objs", Prefix="folder/", Delimiter="/", MaxKeys=1, Marker="folder/aSubfolder/subFile1")
out["v1_marker_in_prefix"] = [[c["Key"] for c in r.get("Contents", [])], "CommonPrefixes" in r, r["NextMarker"], r["IsTruncated"]]
for i in range(12): s3.put_object(Bucket="objs", Key=f"test_{i}", Body=b"x")
p1 = s3.list_objects_v2(Bucket="objs", Prefix="test_", MaxKeys=5)
p2 = s3.list_objects_v2(Bucket="objs", Prefix="test_", StartAfter="test_7", ContinuationToken=p1["NextContinuationToken"])
out["token_hides_start_after"] = ["StartAfter" in p2, p2["KeyCount"], p2["Contents"][0]["Key"]]
out["empty_token"] = call(s3.list_objects_v2, Bucket="objs", ContinuationToken="")

s3.create_bucket(Bucket="vers")
s3.put_bucket_versioning(Bucket="vers", VersioningConfiguration={"Status": "Enabled"})
for k in FOLDER: s3.put_object(Bucket="vers", Key=k, Body=b"content 123")
r = s3.list_object_versions(Bucket="vers", Prefix="folder/", Delimiter="/", MaxKeys=1, KeyMarker="folder/aSubfolder/subFile1")
out["versions_marker_in_prefix"] = [[v["Key"] for v in r.get("Versions", [])], "CommonPrefixes" in r, r["NextKeyMarker"]]
ids = [s3.put_object(Bucket="vers", Key="prefixed_key")["VersionId"] for _ in range(5)]
page1 = s3.list_object_versions(Bucket="vers", Prefix="prefix", MaxKeys=3)
s3.delete_objects(Bucket="vers", Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page1["Versions"]]})
page2 = s3.list_object_versions(Bucket="vers", Prefix="prefix", MaxKeys=5, KeyMarker=page1["NextKeyMarker"], VersionIdMarker=page1["NextVersionIdMarker"])
out["resume_after_deleted_marker"] = [page1["NextVersionIdMarker"] == ids[2], [v["VersionId"] for v in page2["Versions"]] == [ids[1], ids[0]], page2["Versions"][0]["IsLatest"]]
out["version_id_alphabet"] = all(re.fullmatch(r"[A-Za-z0-9._]{32}", i) for i in ids)

s3.create_bucket(Bucket="mpu")
def up(r): return {k: r.get(k) for k in ["IsTruncated", "KeyMarker", "UploadIdMarker", "NextKeyMarker", "NextUploadIdMarker"]} | {"Uploads": [(u["Key"], ids.index(u["UploadId"])) for u in r.get("Uploads", [])]}
out["mpu_empty"] = up(s3.list_multipart_uploads(Bucket="mpu"))
ids = []
for k in ["test_c", "test_b", "test_a", "test_a", "test_a"]: ids.append(s3.create_multipart_upload(Bucket="mpu", Key=k)["UploadId"])
out["mpu_all"] = up(s3.list_multipart_uploads(Bucket="mpu"))
out["mpu_id_without_key"] = up(s3.list_multipart_uploads(Bucket="mpu", MaxUploads=1, UploadIdMarker=ids[2]))
out["mpu_after_last"] = up(s3.list_multipart_uploads(Bucket="mpu", MaxUploads=1, KeyMarker="test_c"))
out["mpu_last_page"] = up(s3.list_multipart_uploads(Bucket="mpu", MaxUploads=1, KeyMarker="test_b", UploadIdMarker=ids[1]))
out["mpu_wrong_id"] = call(s3.list_multipart_uploads, Bucket="mpu", MaxUploads=1, KeyMarker="test_c", UploadIdMarker=ids[1])
out["mpu_wrong_id"]["Error"]["ArgumentValue"] = out["mpu_wrong_id"]["Error"]["ArgumentValue"] == ids[1]
s3.create_bucket(Bucket="mpu-cp")
for k in FOLDER: s3.create_multipart_upload(Bucket="mpu-cp", Key=k)
r = s3.list_multipart_uploads(Bucket="mpu-cp", Prefix="folder/", Delimiter="/", MaxUploads=1)
out["mpu_prefix_page"] = [r["IsTruncated"], [p["Prefix"] for p in r["CommonPrefixes"]], r["NextKeyMarker"], r["NextUploadIdMarker"]]
r = s3.list_multipart_uploads(Bucket="mpu-cp", Prefix="folder/", Delimiter="/", MaxUploads=1, KeyMarker="folder/aSubfolder/subFile1")
out["mpu_marker_in_prefix"] = [[u["Key"] for u in r["Uploads"]], "CommonPrefixes" in r, r["NextKeyMarker"]]
xml = urllib.request.urlopen(f"{sys.argv[1]}/mpu?uploads").read().decode()
out["initiated_whole_seconds"] = all(t.endswith(".000Z") for t in re.findall(r"<Initiated>([^<]+)</Initiated>", xml))

u = ids[0]
pl = lambda **a: {k: v for k, v in call(nv.list_parts, Bucket="mpu", Key="test_c", UploadId=u, **a).items() if k in ("PartNumberMarker", "NextPartNumberMarker", "MaxParts", "IsTruncated")}
out["parts_empty"] = pl()
for n in (1, 2): s3.upload_part(Bucket="mpu", Key="test_c", UploadId=u, PartNumber=n, Body=b"data")
out["parts_past_end"] = pl(MaxParts=1, PartNumberMarker=10)
out["parts_empty_numbers"] = [pl(PartNumberMarker=""), pl(MaxParts="")]
xml = urllib.request.urlopen(f"{sys.argv[1]}/mpu/test_c?uploadId={u}").read().decode()
out["part_times_whole_seconds"] = all(t.endswith(".000Z") for t in re.findall(r"<LastModified>([^<]+)</LastModified>", xml))
print(json.dumps(out, default=str))
`;

const marks = (IsTruncated: boolean, KeyMarker: string, UploadIdMarker: string, NextKeyMarker: string, NextUploadIdMarker: string) => ({
  IsTruncated,
  KeyMarker,
  UploadIdMarker,
  NextKeyMarker,
  NextUploadIdMarker,
});

describe.skipIf(!hasBoto3())("S3 parity: listings (boto3)", () => {
  const t = useServer();

  it("pages listings, versions, uploads and parts as AWS does", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.v1_marker_in_prefix).toEqual([["folder/file1"], false, "folder/file1", true]);
    expect(out.token_hides_start_after).toEqual([false, 7, "test_3"]);
    expect(out.empty_token).toEqual(awsErr("InvalidArgument", "The continuation token provided is incorrect", 400, { ArgumentName: "continuation-token" }));
    expect(out.versions_marker_in_prefix).toEqual([["folder/file1"], false, "folder/file1"]);
    expect(out.resume_after_deleted_marker).toEqual([true, true, true]);
    expect(out.version_id_alphabet).toBe(true);

    expect(out.mpu_empty).toEqual({ ...marks(false, "", "", "", ""), Uploads: [] });
    // By key, then by initiation; the last upload named even though nothing follows.
    const uploads = {
      ...marks(false, "", "", "test_c", expect.any(String)),
      Uploads: [
        ["test_a", 2],
        ["test_a", 3],
        ["test_a", 4],
        ["test_b", 1],
        ["test_c", 0],
      ],
    };
    expect(out.mpu_all).toEqual(uploads);
    expect(out.mpu_id_without_key).toEqual({ ...marks(true, "", "", "test_a", expect.any(String)), Uploads: [["test_a", 2]] });
    expect(out.mpu_after_last).toEqual({ ...marks(false, "test_c", "", "", ""), Uploads: [] });
    expect(out.mpu_last_page).toEqual({ ...marks(false, "test_b", expect.any(String), "test_c", expect.any(String)), Uploads: [["test_c", 0]] });
    expect(out.mpu_wrong_id).toEqual(awsErr("InvalidArgument", "Invalid uploadId marker", 400, { ArgumentName: "upload-id-marker", ArgumentValue: true }));
    expect(out.mpu_prefix_page).toEqual([true, ["folder/aSubfolder/"], "", ""]);
    expect(out.mpu_marker_in_prefix).toEqual([["folder/file1"], false, "folder/file1"]);
    expect(out.initiated_whole_seconds).toBe(true);

    expect(out.parts_empty).toEqual({ PartNumberMarker: 0, NextPartNumberMarker: 0, MaxParts: 1000, IsTruncated: false });
    expect(out.parts_past_end).toEqual({ PartNumberMarker: 10, NextPartNumberMarker: 0, MaxParts: 1, IsTruncated: false });
    expect(out.parts_empty_numbers).toEqual([
      { PartNumberMarker: 0, NextPartNumberMarker: 2, MaxParts: 1000, IsTruncated: false },
      { PartNumberMarker: 0, NextPartNumberMarker: 2, MaxParts: 1000, IsTruncated: false },
    ]);
    expect(out.part_times_whole_seconds).toBe(true);
  });
});
