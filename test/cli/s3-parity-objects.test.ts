/**
 * S3 parity with answers recorded against real AWS (boto3-parsed, as LocalStack's test_s3 snapshots hold
 * them): error codes, messages, statuses and extra <Error> fields, and which response members are present.
 * One boto3 script, one server; each case writes its observations under a name the tests below check.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = String.raw`
import boto3, datetime, hashlib, html, json, re, sys, urllib.error, urllib.request, uuid
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
kw = dict(endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test")
cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
s3 = boto3.client("s3", region_name="us-east-1", config=cfg, **kw)
out = {}
def err(fn, **a):
    try:
        fn(**a)
        return None
    except ClientError as e:
        return dict(e.response["Error"], Status=e.response["ResponseMetadata"]["HTTPStatusCode"])
def keys(r):
    return sorted(k for k in r if k != "ResponseMetadata")
def bucket():
    name = "parity-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=name)
    return name

# A checksum header that is not the base64 of a digest of the algorithm's size is InvalidRequest, not BadDigest.
b = bucket()
out["checksum_malformed"] = {a: err(s3.put_object, Bucket=b, Key="k", Body=b"test data..", ChecksumAlgorithm=a, **{"Checksum" + a: "a1b2c3d4"}) for a in ["CRC32", "SHA1", "SHA256"]}
out["checksum_wrong"] = err(s3.put_object, Bucket=b, Key="k", Body=b"test data..", ChecksumCRC32="AAAAAA==")

# Content-MD5: not the base64 of 16 bytes is InvalidDigest naming the value; a wrong digest is BadDigest naming both.
out["md5_invalid"] = [err(s3.put_object, Bucket=b, Key="md5", Body=b"x", ContentMD5=m) for m in ["__invalid__", "000", "not base64 encoded checksum", "MTIz"]]
out["md5_wrong"] = err(s3.put_object, Bucket=b, Key="md5", Body=b"x", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")

# Listings name the bucket's region in x-amz-bucket-region, as HeadBucket does.
eu = boto3.client("s3", region_name="eu-west-1", config=cfg, **kw)
eub = "parity-eu-" + uuid.uuid4().hex[:8]
eu.create_bucket(Bucket=eub, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
region = lambda r: r["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region")
out["list_region"] = [region(eu.head_bucket(Bucket=eub)), region(eu.list_objects_v2(Bucket=eub)), region(eu.list_objects(Bucket=eub)), region(s3.list_objects_v2(Bucket=b))]

# ACL errors: grant headers name the key ("uri", "id"), documents name "Group/URI", "CanonicalUser/ID"; a document needs an Owner.
owner = s3.list_buckets()["Owner"]
acl = {}
acl["canned"] = err(s3.put_bucket_acl, Bucket=b, ACL="fake-acl")
acl["uri"] = err(s3.put_bucket_acl, Bucket=b, GrantWrite='uri="http://acs.amazonaws.com/groups/s3/FakeGroup"')
acl["key"] = err(s3.put_bucket_acl, Bucket=b, GrantWrite='fakekey="1234"')
acl["id"] = err(s3.put_bucket_acl, Bucket=b, GrantWrite='id="wrong-id"')
acp = {"Grants": [{"Grantee": {"URI": "http://acs.amazonaws.com/groups/s3/LogDelivery", "Type": "Group"}, "Permission": "WRITE"}]}
acl["no_owner"] = err(s3.put_bucket_acl, Bucket=b, AccessControlPolicy=acp)
acp["Owner"] = owner
acp["Grants"][0]["Grantee"]["URI"] = "http://acs.amazonaws.com/groups/s3/FakeGroup"
acl["doc_uri"] = err(s3.put_bucket_acl, Bucket=b, AccessControlPolicy=acp)
acp["Grants"][0]["Grantee"] = {"Type": "CanonicalUser", "ID": "wrong-id"}
acl["doc_id"] = err(s3.put_bucket_acl, Bucket=b, AccessControlPolicy=acp)
out["bucket_acl"] = acl

# A presigned URL missing one of its signature version's parameters is refused before anything else.
def status(u, method="PUT"):
    try:
        with urllib.request.urlopen(urllib.request.Request(u, data=b"x", method=method)) as r:
            return [r.status, ""]
    except urllib.error.HTTPError as e:
        body = e.read().decode()
        return [e.code, re.search("<Code>(.*)</Code>", body).group(1), re.search("<Message>(.*)</Message>", body).group(1)]
v4 = boto3.client("s3", region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"), **kw)
v2 = boto3.client("s3", region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, signature_version="s3"), **kw)
u4 = v4.generate_presigned_url("put_object", Params={"Bucket": b, "Key": "presigned"}, ExpiresIn=100)
u2 = v2.generate_presigned_url("put_object", Params={"Bucket": b, "Key": "presigned"}, ExpiresIn=100)
out["presign_params"] = [status(re.sub("&X-Amz-Signature=[0-9a-f]+", "", u4)), status(re.sub("[?&]Signature=[^&]+", "", u2)), status(u4), status(u2)]

# A browser POST form carrying some fields of a signature version must carry all of them.
def post_form(url, fields):
    boundary = "parityboundary"
    body = b""
    for k, v in list(fields.items()) + [("file", "abc")]:
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
    body += ("--%s--\r\n" % boundary).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status]
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        return [e.code] + [re.search("<%s>(.*)</%s>" % (t, t), text).group(1) for t in ["Code", "Message", "ArgumentName"]]
posts = []
for client, drop in [(v2, "AWSAccessKeyId"), (v2, "signature"), (v4, "x-amz-algorithm"), (v4, "x-amz-signature")]:
    form = client.generate_presigned_post(b, "posted", ExpiresIn=60)
    posts.append(post_form(form["url"], {k: v for k, v in form["fields"].items() if k != drop}))
form = v4.generate_presigned_post(b, "posted", ExpiresIn=60)
posts.append(post_form(form["url"], form["fields"]))
out["post_fields"] = posts

# PutBucketWebsite validation.
index = {"IndexDocument": {"Suffix": "index.html"}}
websites = [
    {"IndexDocument": {"Suffix": "/index.html"}},
    {"IndexDocument": {"Suffix": ""}},
    {"RedirectAllRequestsTo": {"HostName": "test"}, "IndexDocument": {"Suffix": "/index.html"}},
    {"ErrorDocument": {"Key": "/index.html"}},
    dict(index, RoutingRules=[{"Redirect": {"Protocol": "protocol"}}]),
    dict(index, RoutingRules=[{"Redirect": {"ReplaceKeyPrefixWith": "prefix", "ReplaceKeyWith": "key-name"}}]),
    dict(index, RoutingRules=[{"Redirect": {"ReplaceKeyPrefixWith": "prefix"}, "Condition": {}}]),
    dict(index, RoutingRules=[]),
]
out["website"] = [err(s3.put_bucket_website, Bucket=b, WebsiteConfiguration=w) for w in websites]

# The website endpoint's HTML error pages (the Host names the website endpoint).
def page(bucket_name, path, method="GET"):
    req = urllib.request.Request(url + path, method=method, headers={"Host": bucket_name + ".s3-website.localhost"})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status, r.read().decode()]
    except urllib.error.HTTPError as e:
        return [e.code, e.read().decode(), e.headers.get("x-amz-id-2")]
site = bucket()
s3.put_bucket_website(Bucket=site, WebsiteConfiguration=index)
pages = {"post": page(site, "/key", "POST"), "plain": page(site, "/")}
s3.put_bucket_website(Bucket=site, WebsiteConfiguration=dict(index, ErrorDocument={"Key": "error.html"}))
pages["no_error_doc"] = page(site, "/")
out["website_pages"] = pages

# OUTPOSTS is not a storage class a regional bucket takes.
out["outposts"] = [err(s3.put_object, Bucket=b, Key="o", Body=b"x", StorageClass="OUTPOSTS"), err(s3.create_multipart_upload, Bucket=b, Key="o", StorageClass="OUTPOSTS")]

# Bucket logging to another region names the target's region; lifecycle Expiration with ExpiredObjectDeleteMarker and Days.
west = boto3.client("s3", region_name="us-west-2", config=cfg, **kw)
wb = "parity-west-" + uuid.uuid4().hex[:8]
west.create_bucket(Bucket=wb, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
out["logging_cross_region"] = err(s3.put_bucket_logging, Bucket=b, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": wb, "TargetPrefix": "log"}})
out["logging_cross_from_west"] = err(west.put_bucket_logging, Bucket=wb, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": eub, "TargetPrefix": "log"}})
edm = [{"ID": "x", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1, "ExpiredObjectDeleteMarker": True}}]
out["lifecycle_edm_days"] = err(s3.put_bucket_lifecycle_configuration, Bucket=b, LifecycleConfiguration={"Rules": edm})

# Inventory, analytics and intelligent-tiering configurations: Put answers 204, a missing one names no bucket,
# a document whose Id differs from the id parameter is IdMismatch (inventory) or MalformedXML.
dest = bucket()
def inv():
    return {"Id": "test-inventory", "Destination": {"S3BucketDestination": {"Bucket": "arn:aws:s3:::" + dest, "Format": "CSV"}}, "IsEnabled": True, "IncludedObjectVersions": "All", "Schedule": {"Frequency": "Daily"}}
def put_inv(c):
    return err(s3.put_bucket_inventory_configuration, Bucket=b, Id="test-inventory", InventoryConfiguration=c)
ids = {}
wrong = dict(inv(), Id="test-inventorywrong")
ids["inv_wrong_id"] = put_inv(wrong)
c = inv(); c["Destination"]["S3BucketDestination"]["Bucket"] = dest
ids["inv_wrong_arn"] = put_inv(c)
c = inv(); c["Destination"]["S3BucketDestination"]["Format"] = "WRONG-FORMAT"
ids["inv_wrong_format"] = put_inv(c)
ids["inv_wrong_field"] = put_inv(dict(inv(), OptionalFields=["TestField"]))
ids["inv_put_status"] = s3.put_bucket_inventory_configuration(Bucket=b, Id="test-inventory", InventoryConfiguration=dict(inv(), OptionalFields=["Size", "ETag"]))["ResponseMetadata"]["HTTPStatusCode"]
ids["inv_get_fields"] = s3.get_bucket_inventory_configuration(Bucket=b, Id="test-inventory")["InventoryConfiguration"]["OptionalFields"]
ids["inv_missing"] = err(s3.get_bucket_inventory_configuration, Bucket=b, Id="nope")
sa = {"Id": "sa1", "Filter": {"Prefix": "p"}, "StorageClassAnalysis": {"DataExport": {"OutputSchemaVersion": "V_1", "Destination": {"S3BucketDestination": {"Format": "CSV", "Bucket": "arn:aws:s3:::" + dest}}}}}
ids["an_wrong_id"] = err(s3.put_bucket_analytics_configuration, Bucket=b, Id="different-id", AnalyticsConfiguration=sa)
ids["an_missing"] = [err(s3.get_bucket_analytics_configuration, Bucket=b, Id="sa1"), err(s3.delete_bucket_analytics_configuration, Bucket=b, Id="sa1")]
ids["an_put_status"] = s3.put_bucket_analytics_configuration(Bucket=b, Id="sa1", AnalyticsConfiguration=sa)["ResponseMetadata"]["HTTPStatusCode"]
it = {"Id": "test1", "Filter": {"Prefix": "test1"}, "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}
ids["it_wrong_id"] = err(s3.put_bucket_intelligent_tiering_configuration, Bucket=b, Id="incorrect_id", IntelligentTieringConfiguration=it)
ids["it_put_status"] = s3.put_bucket_intelligent_tiering_configuration(Bucket=b, Id="test1", IntelligentTieringConfiguration=it)["ResponseMetadata"]["HTTPStatusCode"]
ids["it_missing"] = err(s3.delete_bucket_intelligent_tiering_configuration, Bucket=b, Id="non-existing-id")
out["id_configs"] = ids

# Object Lock on objects: a missing retention or legal hold names no bucket, an empty Retention (with bypass)
# removes the retention, PUT on a delete marker version is 405 naming PUT.
lb = "parity-lock-" + uuid.uuid4().hex[:8]
s3.create_bucket(Bucket=lb, ObjectLockEnabledForBucket=True)
lv = s3.put_object(Bucket=lb, Key="k", Body=b"test")["VersionId"]
until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)
lock = {}
lock["no_retention"] = err(s3.get_object_retention, Bucket=lb, Key="k")
lock["no_legal_hold"] = err(s3.get_object_legal_hold, Bucket=lb, Key="k", VersionId=lv)
s3.put_object_retention(Bucket=lb, Key="k", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
lock["empty_retention"] = s3.put_object_retention(Bucket=lb, Key="k", Retention={}, BypassGovernanceRetention=True)["ResponseMetadata"]["HTTPStatusCode"]
lock["after_empty"] = err(s3.get_object_retention, Bucket=lb, Key="k")
dm = s3.delete_object(Bucket=lb, Key="k")["VersionId"]
lock["retention_on_marker"] = err(s3.put_object_retention, Bucket=lb, Key="k", VersionId=dm, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
lock["legal_hold_on_marker"] = err(s3.put_object_legal_hold, Bucket=lb, Key="k", VersionId=dm, LegalHold={"Status": "ON"})
lock["get_retention_on_marker"] = err(s3.get_object_retention, Bucket=lb, Key="k", VersionId=dm)
out["object_lock"] = lock

# GetObject by partNumber: one part past the count is InvalidPartNumber, with a Range it is InvalidRequest,
# and an object uploaded in one piece is one part (206 with its Content-Range).
mu = s3.create_multipart_upload(Bucket=b, Key="mp")["UploadId"]
mparts = [{"PartNumber": i, "ETag": s3.upload_part(Bucket=b, Key="mp", UploadId=mu, PartNumber=i, Body=body)["ETag"]} for i, body in [(1, b"a" * 20), (2, b"test content 123")]]
s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=mu, MultipartUpload={"Parts": mparts})
s3.put_object(Bucket=b, Key="single", Body=b"test-123")
g = s3.get_object(Bucket=b, Key="single", PartNumber=1)
p2 = s3.get_object(Bucket=b, Key="mp", PartNumber=2)
out["part_number"] = {
    "past_count": err(s3.get_object, Bucket=b, Key="mp", PartNumber=10),
    "with_range": err(s3.get_object, Bucket=b, Key="mp", PartNumber=2, Range="bytes=0-1"),
    "single_past": err(s3.get_object, Bucket=b, Key="single", PartNumber=2),
    "single_part1": [g["ResponseMetadata"]["HTTPStatusCode"], g.get("ContentRange"), "PartsCount" in g, g["Body"].read().decode()],
    "multi_part2": [p2["ResponseMetadata"]["HTTPStatusCode"], p2["ContentRange"], p2["PartsCount"], p2["Body"].read().decode()],
}

# CopyObject: the copy does not keep the source's storage class; an SSE-KMS object may be copied onto itself
# without naming anything (it becomes SSE-S3); PutObjectAcl on a delete marker is 405 naming PUT.
s3.put_object(Bucket=b, Key="ia", Body=b"test", StorageClass="STANDARD_IA")
s3.copy_object(Bucket=b, Key="ia-copy", CopySource=b + "/ia")
s3.put_object(Bucket=b, Key="kms", Body=b"test", ServerSideEncryption="aws:kms", SSEKMSKeyId="134f2428-cec1-4b25-a1ae-9048164dba47")
kms_copy = s3.copy_object(Bucket=b, Key="kms", CopySource=b + "/kms")
vb = bucket()
s3.put_bucket_versioning(Bucket=vb, VersioningConfiguration={"Status": "Enabled"})
s3.put_object(Bucket=vb, Key="k", Body=b"x")
marker = s3.delete_object(Bucket=vb, Key="k")["VersionId"]
# Onto itself with a checksum algorithm, or in a bucket with its own encryption configuration: a change.
s3.put_object(Bucket=b, Key="sum", Body=b"test")
eb = bucket()
s3.put_bucket_encryption(Bucket=eb, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]})
s3.put_object(Bucket=eb, Key="enc", Body=b"")
out["self_copy_changes"] = [
    s3.copy_object(Bucket=b, Key="sum", CopySource=b + "/sum", ChecksumAlgorithm="CRC32C")["CopyObjectResult"].get("ChecksumCRC32C"),
    s3.copy_object(Bucket=eb, Key="enc", CopySource=eb + "/enc")["ServerSideEncryption"],
]
out["copy_and_acl"] = {
    "copy_storage_class": s3.get_object_attributes(Bucket=b, Key="ia-copy", ObjectAttributes=["StorageClass"])["StorageClass"],
    "self_copy_from_kms": [kms_copy["ServerSideEncryption"], s3.head_object(Bucket=b, Key="kms")["ServerSideEncryption"]],
    "self_copy_ia_unchanged": err(s3.copy_object, Bucket=b, Key="ia", CopySource=b + "/ia"),
    "acl_on_current_marker": err(s3.put_object_acl, Bucket=vb, Key="k", ACL="private"),
    "acl_on_named_marker": err(s3.put_object_acl, Bucket=vb, Key="k", ACL="private", VersionId=marker),
    "get_acl_current_marker": err(s3.get_object_acl, Bucket=vb, Key="k"),
}

# A composite (multipart) checksum: GetObject shows "<checksum>-<parts>", GetObjectAttributes the checksum alone.
cu = s3.create_multipart_upload(Bucket=b, Key="composite", ChecksumAlgorithm="SHA256")["UploadId"]
cparts = []
for i in (1, 2, 3):
    r = s3.upload_part(Bucket=b, Key="composite", UploadId=cu, PartNumber=i, Body=b"a" * 100, ChecksumAlgorithm="SHA256")
    cparts.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumSHA256": r["ChecksumSHA256"]})
s3.complete_multipart_upload(Bucket=b, Key="composite", UploadId=cu, MultipartUpload={"Parts": cparts})
whole = s3.get_object(Bucket=b, Key="composite", ChecksumMode="ENABLED")["ChecksumSHA256"]
attrs = s3.get_object_attributes(Bucket=b, Key="composite", ObjectAttributes=["Checksum"])["Checksum"]["ChecksumSHA256"]
out["composite"] = [whole.endswith("-3"), attrs == whole[: -len("-3")]]

# CompleteMultipartUpload and UploadPart errors.
mk = "mp-errors"
mu = s3.create_multipart_upload(Bucket=b, Key=mk)["UploadId"]
e1 = s3.upload_part(Bucket=b, Key=mk, UploadId=mu, PartNumber=1, Body=b"data")["ETag"]
e2 = s3.upload_part(Bucket=b, Key=mk, UploadId=mu, PartNumber=2, Body=b"data")["ETag"]
complete = lambda parts, key=mk, upload=mu: err(s3.complete_multipart_upload, Bucket=b, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
mp = {"upload_id": mu}
mp["no_body"] = err(s3.complete_multipart_upload, Bucket=b, Key=mk, UploadId=mu)
mp["unordered"] = complete([{"ETag": e2, "PartNumber": 2}, {"ETag": e1, "PartNumber": 1}])
mp["wrong_number"] = complete([{"ETag": e1, "PartNumber": 3}])
mp["wrong_etag"] = complete([{"ETag": '"d41d8cd98f00b204e9800998ecf8427e"', "PartNumber": 1}])
mp["checksum_without_algorithm"] = complete([{"ETag": e1, "PartNumber": 1, "ChecksumSHA256": "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="}])
su = s3.create_multipart_upload(Bucket=b, Key="mp-sha", ChecksumAlgorithm="SHA256")["UploadId"]
sp = s3.upload_part(Bucket=b, Key="mp-sha", UploadId=su, PartNumber=1, Body=b"abc", ChecksumAlgorithm="SHA256")
mp["part_other_algorithm"] = err(s3.upload_part, Bucket=b, Key="mp-sha", UploadId=su, PartNumber=2, Body=b"abc", ChecksumAlgorithm="CRC32")
mp["missing_part_checksum"] = complete([{"ETag": sp["ETag"], "PartNumber": 1}], "mp-sha", su)
out["multipart"] = mp

# A copy of a multipart object is one part: its ETag is the MD5 of the bytes.
cu = s3.create_multipart_upload(Bucket=b, Key="mp-src")["UploadId"]
ce = s3.upload_part(Bucket=b, Key="mp-src", UploadId=cu, PartNumber=1, Body=b"test content 123")["ETag"]
src_etag = s3.complete_multipart_upload(Bucket=b, Key="mp-src", UploadId=cu, MultipartUpload={"Parts": [{"ETag": ce, "PartNumber": 1}]})["ETag"]
copy_etag = s3.copy_object(Bucket=b, Key="mp-copy", CopySource=b + "/mp-src")["CopyObjectResult"]["ETag"]
out["multipart_copy_etag"] = [src_etag.endswith('-1"'), copy_etag == '"%s"' % hashlib.md5(b"test content 123").hexdigest()]

# GetObjectAttributes of a multipart object uploaded without an additional checksum: only the part count.
out["parts_without_checksum"] = s3.get_object_attributes(Bucket=b, Key="mp-src", ObjectAttributes=["ObjectParts", "ObjectSize"])["ObjectParts"]

# CopyObject with ChecksumAlgorithm computes that checksum; logging TargetGrants come back with their Type.
s3.put_object(Bucket=b, Key="ck", Body=b'{"key": "value"}', ContentType="application/json")
ck = s3.copy_object(Bucket=b, Key="ck", CopySource=b + "/ck", ChecksumAlgorithm="SHA256", Metadata={"key1": "value1"}, MetadataDirective="REPLACE")
ck_attrs = s3.get_object_attributes(Bucket=b, Key="ck", ObjectAttributes=["Checksum"])["Checksum"]
ck_dest = s3.copy_object(Bucket=b, Key="ck-dest", CopySource=b + "/ck")["CopyObjectResult"]
out["copy_checksum"] = [ck["CopyObjectResult"].get("ChecksumSHA256"), ck_attrs.get("ChecksumSHA256"), ck_dest.get("ChecksumSHA256")]
log_target = bucket()
grants = [{"Grantee": {"URI": "http://acs.amazonaws.com/groups/s3/LogDelivery", "Type": "Group"}, "Permission": p} for p in ["WRITE", "READ_ACP"]]
s3.put_bucket_logging(Bucket=b, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": log_target, "TargetPrefix": "log", "TargetGrants": grants}})
out["logging_grants"] = s3.get_bucket_logging(Bucket=b)["LoggingEnabled"]["TargetGrants"]

hb = eu.head_bucket(Bucket=eub)["ResponseMetadata"]["HTTPHeaders"]
out["head_bucket_headers"] = {k: hb.get(k) for k in ["content-type", "x-amz-access-point-alias", "x-amz-bucket-region"]}
# PutObjectAcl validates x-amz-grant-write values as PutBucketAcl does; a copy source naming a delete marker's version.
s3.put_object(Bucket=b, Key="acl-obj", Body=b"")
oacl = {}
oacl["uri"] = err(s3.put_object_acl, Bucket=b, Key="acl-obj", GrantWrite='uri="http://acs.amazonaws.com/groups/s3/FakeGroup"')
oacl["key"] = err(s3.put_object_acl, Bucket=b, Key="acl-obj", GrantWrite='fakekey="1234"')
oacl["id"] = err(s3.put_object_acl, Bucket=b, Key="acl-obj", GrantWrite='id="wrong-id"')
out["object_acl_grant_write"] = oacl
vb2 = bucket()
s3.put_bucket_versioning(Bucket=vb2, VersioningConfiguration={"Status": "Enabled"})
s3.put_object(Bucket=vb2, Key="src", Body=b"")
dm2 = s3.delete_object(Bucket=vb2, Key="src")["VersionId"]
out["copy_from_marker"] = [
    err(s3.copy_object, Bucket=vb2, Key="d", CopySource={"Bucket": vb2, "Key": "src"}),
    err(s3.copy_object, Bucket=vb2, Key="d", CopySource={"Bucket": vb2, "Key": "src", "VersionId": dm2}),
]
# Two checksum headers; a doubly encoded X-Amz-Credential; a copy source without a key; browser POST errors.
def two_checksums(request, **kwargs):
    request.headers["x-amz-checksum-crc32"] = "cZWHwQ=="
s3.meta.events.register("before-sign.s3.PutObject", two_checksums)
out["two_checksums"] = err(s3.put_object, Bucket=b, Key="two", Body=b"test data..", ChecksumSHA256="2l26x0trnT0r2AvakoFk2MB7eKVKzYESLMxSAKAzoik=")
s3.meta.events.unregister("before-sign.s3.PutObject", two_checksums)
s3.put_object(Bucket=b, Key="cred", Body=b"x")
signed = v4.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "cred"}, ExpiresIn=100)
out["double_encoded_credential"] = status(signed.replace("%2F", "%252F"), "GET")
out["copy_source_no_key"] = err(s3.copy_object, Bucket=b, Key="dest", CopySource="x-amz-copy-source")
def raw_post(u, body, content_type):
    req = urllib.request.Request(u, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status]
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        return [e.code] + [re.search("<%s>(.*)</%s>" % (t, t), text).group(1) for t in ["Code", "Condition"]]
out["post_not_multipart"] = raw_post(url + "/" + b, b"key=x", "application/x-www-form-urlencoded")
def post_form(key, fields, conditions, content, override=None, tags="Code|Message"):
    """A browser POST of a presigned form (fields, then the file); [status] or [status, (tag, text)...] of the error."""
    form = v4.generate_presigned_post(b, key, Fields=fields, Conditions=conditions, ExpiresIn=60)
    boundary = "formboundary"
    body = b""
    for k, v in list(dict(form["fields"], **(override or {})).items()) + [("file", content)]:
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
    body += ("--%s--\r\n" % boundary).encode()
    req = urllib.request.Request(form["url"], data=body, method="POST", headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status]
    except urllib.error.HTTPError as e:
        return [e.code] + re.findall("<(" + tags + ")>([^<]*)<", e.read().decode())
def post_sizes(conditions, size):
    return post_form("sized", None, conditions, "a" * size, tags="Code|Message|ProposedSize|MinSizeAllowed|MaxSizeAllowed")
out["post_sizes"] = [
    post_sizes([["content-length-range", 5, 10]], 12),
    post_sizes([["content-length-range", 5, 10]], 1),
    post_sizes([["content-length-range", "test", 10]], 6),
]
# Browser POST form fields stand for PutObject's headers: storage class validated, Expires stored; a condition's field needs its "$".
def post_with(key, fields, conditions, override=None):
    return [x if isinstance(x, int) else [x[0], html.unescape(x[1])] for x in post_form(key, fields, conditions, "abc", override, "Code|Message|StorageClassRequested")]
expires = "Wed, 21 Oct 2015 07:28:00 GMT"
redirect = "http://localhost.test/random"
out["post_with"] = [
    post_with("pw1", {"x-amz-storage-class": "FakeClass"}, [{"x-amz-storage-class": "FakeClass"}]),
    post_with("pw2", {"Expires": expires}, [{"Expires": expires}]),
    post_with("pw3", {"success_action_redirect": redirect}, [["eq", "success_action_redirect", redirect]]),
    post_with("pw4", {"success_action_redirect": redirect}, [["eq", "$success_action_redirect", redirect]], {"success_action_redirect": "http://localhost.test/other"}),
]
out["post_expires"] = s3.head_object(Bucket=b, Key="pw2").get("ExpiresString")
# The file sent as a plain field (no filename): \${filename} stays in the key.
post_with("file-as-field-\${filename}", {}, [])
out["post_file_as_field"] = s3.head_object(Bucket=b, Key="file-as-field-\${filename}")["ContentLength"]
out["put_fake_class"] = err(s3.put_object, Bucket=b, Key="fake-class", Body=b"x", StorageClass="FAKE")
# A copy into a suspended bucket names the null version it wrote; copying from a null version names no source version.
cb = bucket()
s3.put_bucket_versioning(Bucket=cb, VersioningConfiguration={"Status": "Enabled"})
s3.put_object(Bucket=cb, Key="k", Body=b"x")
s3.put_bucket_versioning(Bucket=cb, VersioningConfiguration={"Status": "Suspended"})
suspended_copy = s3.copy_object(Bucket=cb, Key="k", CopySource=cb + "/k", MetadataDirective="REPLACE")
s3.put_bucket_versioning(Bucket=cb, VersioningConfiguration={"Status": "Enabled"})
reenabled_copy = s3.copy_object(Bucket=cb, Key="k", CopySource=cb + "/k", MetadataDirective="REPLACE")
out["copy_versions"] = [
    [suspended_copy.get("VersionId"), "CopySourceVersionId" in suspended_copy],
    ["VersionId" in reenabled_copy, reenabled_copy.get("CopySourceVersionId")],
]
# HeadObject naming a versionId (even the current one's) answers no Expiration; without one it does.
lb = bucket()
s3.put_bucket_versioning(Bucket=lb, VersioningConfiguration={"Status": "Enabled"})
s3.put_bucket_lifecycle_configuration(Bucket=lb, LifecycleConfiguration={"Rules": [{"ID": "rule2", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 7}, "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
lv1 = s3.put_object(Bucket=lb, Key="k", Body=b"test")["VersionId"]
lv2 = s3.put_object(Bucket=lb, Key="k", Body=b"test")["VersionId"]
out["expiration_by_version"] = [
    "Expiration" in s3.head_object(Bucket=lb, Key="k", VersionId=lv1),
    "Expiration" in s3.head_object(Bucket=lb, Key="k", VersionId=lv2),
    'rule-id="rule2"' in s3.head_object(Bucket=lb, Key="k").get("Expiration", ""),
]
# CreateBucket with LocationConstraint us-east-1 names the constraint it refuses.
out["lc_us_east_1"] = err(s3.create_bucket, Bucket="parity-lc-" + uuid.uuid4().hex[:8], CreateBucketConfiguration={"LocationConstraint": "us-east-1"})

print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("S3 parity with AWS's recorded answers (boto3)", () => {
  const sim = useServer();
  let out: Record<string, any>;
  beforeAll(async () => {
    out = JSON.parse(await python(SCRIPT, [sim.server.url]));
  }, 60_000);

  it("a malformed x-amz-checksum-* header is InvalidRequest naming the header; a well-formed wrong one is BadDigest", () => {
    for (const a of ["CRC32", "SHA1", "SHA256"])
      expect(out.checksum_malformed[a]).toEqual({
        Code: "InvalidRequest",
        Message: `Value for x-amz-checksum-${a.toLowerCase()} header is invalid.`,
        Status: 400,
      });
    expect(out.checksum_wrong).toEqual({ Code: "BadDigest", Message: "The CRC32 you specified did not match the calculated checksum.", Status: 400 });
  });

  it("Content-MD5 errors carry the digests as AWS's <Error> does", () => {
    expect(out.md5_invalid).toEqual(
      ["__invalid__", "000", "not base64 encoded checksum", "MTIz"].map((m) => ({
        Code: "InvalidDigest",
        Message: "The Content-MD5 you specified was invalid.",
        "Content-MD5": m,
        Status: 400,
      })),
    );
    expect(out.md5_wrong).toEqual({
      Code: "BadDigest",
      Message: "The Content-MD5 you specified did not match what we received.",
      CalculatedDigest: "ndTkYSaMgDT1yFZOFVxnpg==",
      ExpectedDigest: "d41d8cd98f00b204e9800998ecf8427e",
      Status: 400,
    });
  });

  it("ListObjects and ListObjectsV2 answer the bucket's region in x-amz-bucket-region", () => {
    expect(out.list_region).toEqual(["eu-west-1", "eu-west-1", "eu-west-1", "us-east-1"]);
  });

  it("PutBucketAcl errors name the argument as AWS does for headers and for documents", () => {
    const invalid = (Message: string | null, ArgumentName: string, ArgumentValue: string) => ({
      Code: "InvalidArgument",
      Message,
      ArgumentName,
      ArgumentValue,
      Status: 400,
    });
    const fake = "http://acs.amazonaws.com/groups/s3/FakeGroup";
    expect(out.bucket_acl).toEqual({
      canned: invalid(null, "x-amz-acl", "fake-acl"),
      uri: invalid("Invalid group uri", "uri", fake),
      key: invalid("Argument format not recognized", "x-amz-grant-write", 'fakekey="1234"'),
      id: invalid("Invalid id", "id", "wrong-id"),
      no_owner: {
        Code: "MalformedACLError",
        Message: "The XML you provided was not well-formed or did not validate against our published schema",
        Status: 400,
      },
      doc_uri: invalid("Invalid group uri", "Group/URI", fake),
      doc_id: invalid("Invalid id", "CanonicalUser/ID", "wrong-id"),
    });
  });

  it("a presigned URL without all of its version's query parameters is refused as AWS refuses it", () => {
    expect(out.presign_params).toEqual([
      [
        400,
        "AuthorizationQueryParametersError",
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      ],
      [403, "AccessDenied", "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"],
      [200, ""],
      [200, ""],
    ]);
  });

  it("a browser POST missing a field of its signature version names that field", () => {
    const missing = (name: string) => [
      400,
      "InvalidArgument",
      `Bucket POST must contain a field named &apos;${name}&apos;.  If it is specified, please check the order of the fields.`,
      name,
    ];
    expect(out.post_fields).toEqual([missing("AWSAccessKeyId"), missing("Signature"), missing("X-Amz-Algorithm"), missing("X-Amz-Signature"), [204]]);
  });

  it("PutBucketWebsite refuses invalid configurations with AWS's codes, messages and arguments", () => {
    const arg = (Message: string, ArgumentName: string, ArgumentValue: string | null) => ({
      Code: "InvalidArgument",
      Message,
      ArgumentName,
      ArgumentValue,
      Status: 400,
    });
    const req = (Message: string) => ({ Code: "InvalidRequest", Message, Status: 400 });
    expect(out.website).toEqual([
      arg("The IndexDocument Suffix is not well formed", "IndexDocument", "/index.html"),
      arg("The IndexDocument Suffix is not well formed", "IndexDocument", null),
      arg("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.", "RedirectAllRequestsTo", "not null"),
      arg("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", "IndexDocument", "null"),
      req("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically."),
      req("You can only define ReplaceKeyPrefix or ReplaceKey but not both."),
      req("Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present."),
      { Code: "MalformedXML", Message: "The XML you provided was not well-formed or did not validate against our published schema", Status: 400 },
    ]);
  });

  it("the website endpoint's HTML error pages carry AWS's items, the HostId, and the missing error document", () => {
    const html = (status: string, items: string[], after = "") =>
      `<html>\n<head><title>${status}</title></head>\n<body>\n<h1>${status}</h1>\n<ul>\n${items.map((i) => `<li>${i}</li>\n`).join("")}</ul>\n${after}<hr/>\n</body>\n</html>\n`;
    const ids = (p: [number, string, string]) => {
      const requestId = /<li>RequestId: ([^<]+)<\/li>/.exec(p[1])?.[1];
      expect(p[1]).toContain(`<li>HostId: ${p[2]}</li>`);
      return [`RequestId: ${requestId}`, `HostId: ${p[2]}`];
    };
    const { post, plain, no_error_doc } = out.website_pages;
    const noKey = ["Code: NoSuchKey", "Message: The specified key does not exist.", "Key: index.html"];
    expect(post.slice(0, 2)).toEqual([
      405,
      html("405 Method Not Allowed", [
        "Code: MethodNotAllowed",
        "Message: The specified method is not allowed against this resource.",
        "Method: POST",
        "ResourceType: OBJECT",
        ...ids(post),
      ]),
    ]);
    expect(plain.slice(0, 2)).toEqual([404, html("404 Not Found", [...noKey, ...ids(plain)])]);
    const missing =
      "<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: error.html</li>\n</ul>\n";
    expect(no_error_doc.slice(0, 2)).toEqual([404, html("404 Not Found", [...noKey, ...ids(no_error_doc)], missing)]);
  });

  it("PutObject and CreateMultipartUpload refuse the OUTPOSTS storage class with InvalidStorageClass", () => {
    const e = { Code: "InvalidStorageClass", Message: "The storage class you specified is not valid", StorageClassRequested: "OUTPOSTS", Status: 400 };
    expect(out.outposts).toEqual([e, e]);
  });

  it("cross-region logging names TargetBucketLocation (AWS's message ends in a space); ExpiredObjectDeleteMarker with Days is MalformedXML", () => {
    expect(out.logging_cross_region).toEqual({
      Code: "CrossLocationLoggingProhibitted",
      Message: "Cross S3 location logging not allowed. ",
      TargetBucketLocation: "us-west-2",
      Status: 403,
    });
    expect(out.logging_cross_from_west).toEqual({
      Code: "CrossLocationLoggingProhibitted",
      Message: "Cross S3 location logging not allowed. ",
      SourceBucketLocation: "us-west-2",
      TargetBucketLocation: "eu-west-1",
      Status: 403,
    });
    expect(out.lifecycle_edm_days).toEqual({
      Code: "MalformedXML",
      Message: "The XML you provided was not well-formed or did not validate against our published schema",
      Status: 400,
    });
  });

  it("inventory, analytics and intelligent-tiering configurations answer as AWS does", () => {
    const malformed = {
      Code: "MalformedXML",
      Message: "The XML you provided was not well-formed or did not validate against our published schema",
      Status: 400,
    };
    const missing = { Code: "NoSuchConfiguration", Message: "The specified configuration does not exist.", Status: 404 };
    expect(out.id_configs).toEqual({
      inv_wrong_id: { Code: "IdMismatch", Message: "Document ID does not match the specified configuration ID.", Status: 400 },
      inv_wrong_arn: { Code: "InvalidS3DestinationBucket", Message: "Invalid bucket ARN.", Status: 400 },
      inv_wrong_format: malformed,
      inv_wrong_field: malformed,
      inv_put_status: 204,
      inv_get_fields: ["Size", "ETag"],
      inv_missing: missing,
      an_wrong_id: malformed,
      an_missing: [missing, missing],
      an_put_status: 204,
      it_wrong_id: malformed,
      it_put_status: 204,
      it_missing: missing,
    });
  });

  it("object retention and legal hold answer as AWS does for missing settings, empty Retention and delete markers", () => {
    const none = { Code: "NoSuchObjectLockConfiguration", Message: "The specified object does not have a ObjectLock configuration", Status: 404 };
    const marker = (Method: string) => ({
      Code: "MethodNotAllowed",
      Message: "The specified method is not allowed against this resource.",
      Method,
      ResourceType: "DeleteMarker",
      Status: 405,
    });
    expect(out.object_lock).toEqual({
      no_retention: none,
      no_legal_hold: none,
      empty_retention: 200,
      after_empty: none,
      retention_on_marker: marker("PUT"),
      legal_hold_on_marker: marker("PUT"),
      get_retention_on_marker: marker("GET"),
    });
  });

  it("GetObject by partNumber answers InvalidPartNumber past the count and 206 for a whole single-part object", () => {
    const notSatisfiable = (requested: string, actual: string) => ({
      Code: "InvalidPartNumber",
      Message: "The requested partnumber is not satisfiable",
      PartNumberRequested: requested,
      ActualPartCount: actual,
      Status: 416,
    });
    expect(out.part_number).toEqual({
      past_count: notSatisfiable("10", "2"),
      with_range: { Code: "InvalidRequest", Message: "Cannot specify both Range header and partNumber query parameter", Status: 400 },
      single_past: notSatisfiable("2", "1"),
      single_part1: [206, "bytes 0-7/8", false, "test-123"],
      multi_part2: [206, "bytes 20-35/36", 2, "test content 123"],
    });
  });

  it("CopyObject storage class and in-place rules, and PutObjectAcl on delete markers, as AWS answers", () => {
    const put405 = {
      Code: "MethodNotAllowed",
      Message: "The specified method is not allowed against this resource.",
      Method: "PUT",
      ResourceType: "DeleteMarker",
      Status: 405,
    };
    expect(out.copy_and_acl).toEqual({
      copy_storage_class: "STANDARD",
      self_copy_from_kms: ["AES256", "AES256"],
      self_copy_ia_unchanged: {
        Code: "InvalidRequest",
        Message:
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        Status: 400,
      },
      acl_on_current_marker: put405,
      acl_on_named_marker: put405,
      get_acl_current_marker: { Code: "NoSuchKey", Message: "The specified key does not exist.", Key: "k", Status: 404 },
    });
    expect(out.self_copy_changes).toEqual(["hqBywA==", "AES256"]);
  });

  it("GetObjectAttributes shows a composite checksum without the parts suffix GetObject carries", () => {
    expect(out.composite).toEqual([true, true]);
  });

  it("CompleteMultipartUpload and UploadPart errors carry AWS's codes, messages and extra fields", () => {
    const mp = out.multipart;
    const invalidPart = (PartNumber: string, ETag: string) => ({
      Code: "InvalidPart",
      Message:
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      UploadId: mp.upload_id,
      PartNumber,
      ETag,
      Status: 400,
    });
    expect(mp.no_body).toEqual({ Code: "InvalidRequest", Message: "You must specify at least one part", Status: 400 });
    expect(mp.unordered).toEqual({
      Code: "InvalidPartOrder",
      Message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
      UploadId: mp.upload_id,
      Status: 400,
    });
    expect(mp.wrong_number).toEqual(invalidPart("3", "8d777f385d3dfec8815d20f7496026dc"));
    expect(mp.wrong_etag).toEqual(invalidPart("1", "d41d8cd98f00b204e9800998ecf8427e"));
    expect(mp.checksum_without_algorithm).toEqual(invalidPart("1", "8d777f385d3dfec8815d20f7496026dc"));
    expect(mp.part_other_algorithm).toEqual({
      Code: "InvalidRequest",
      Message: "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32",
      Status: 400,
    });
    expect(mp.missing_part_checksum).toEqual({
      Code: "InvalidRequest",
      Message:
        "The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.",
      Status: 400,
    });
  });

  it("CopyObject with ChecksumAlgorithm computes that checksum; logging TargetGrants keep their grantee Type", () => {
    const sha = "lyTB4g5uPk1/V+0l+dTvsAblCFkNUoyQ2ll/andcE+U=";
    expect(out.copy_checksum).toEqual([sha, sha, sha]);
    const grantee = { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" };
    expect(out.logging_grants).toEqual([
      { Grantee: grantee, Permission: "WRITE" },
      { Grantee: grantee, Permission: "READ_ACP" },
    ]);
  });

  it("PutObjectAcl validates x-amz-grant-write like PutBucketAcl; a copy source naming a delete marker version is InvalidRequest", () => {
    const invalid = (Message: string, ArgumentName: string, ArgumentValue: string) => ({
      Code: "InvalidArgument",
      Message,
      ArgumentName,
      ArgumentValue,
      Status: 400,
    });
    expect(out.object_acl_grant_write).toEqual({
      uri: invalid("Invalid group uri", "uri", "http://acs.amazonaws.com/groups/s3/FakeGroup"),
      key: invalid("Argument format not recognized", "x-amz-grant-write", 'fakekey="1234"'),
      id: invalid("Invalid id", "id", "wrong-id"),
    });
    expect(out.copy_from_marker).toEqual([
      { Code: "NoSuchKey", Message: "The specified key does not exist.", Key: "src", Status: 404 },
      { Code: "InvalidRequest", Message: "The source of a copy request may not specifically refer to a delete marker by version id.", Status: 400 },
    ]);
  });

  it("checksum headers, credential scope, copy source and browser POST errors as AWS records them", () => {
    expect(out.two_checksums).toEqual({
      Code: "InvalidRequest",
      Message: "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
      Status: 400,
    });
    expect(out.double_encoded_credential).toEqual([
      400,
      "AuthorizationQueryParametersError",
      "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting &quot;&lt;YOUR-AKID&gt;/YYYYMMDD/REGION/SERVICE/aws4_request&quot;.",
    ]);
    expect(out.copy_source_no_key).toEqual({
      Code: "InvalidArgument",
      Message: "Invalid copy source object key",
      ArgumentName: "x-amz-copy-source",
      ArgumentValue: "x-amz-copy-source",
      Status: 400,
    });
    expect(out.post_not_multipart).toEqual([412, "PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data"]);
    expect(out.post_sizes).toEqual([
      [400, ["Code", "EntityTooLarge"], ["Message", "Your proposed upload exceeds the maximum allowed size"], ["ProposedSize", "12"], ["MaxSizeAllowed", "10"]],
      [
        400,
        ["Code", "EntityTooSmall"],
        ["Message", "Your proposed upload is smaller than the minimum allowed size"],
        ["ProposedSize", "1"],
        ["MinSizeAllowed", "5"],
      ],
      [
        403,
        ["Code", "AccessDenied"],
        ["Message", "Invalid according to Policy: Policy Condition failed: [&quot;content-length-range&quot;, &quot;test&quot;, &quot;10&quot;]"],
      ],
    ]);
  });

  it("browser POST validates the storage class, stores Expires and needs the $ of a condition's field", () => {
    const policyFailed = (cond: string) => [403, ["Code", "AccessDenied"], ["Message", `Invalid according to Policy: Policy Condition failed: ${cond}`]];
    expect(out.post_with).toEqual([
      [400, ["Code", "InvalidStorageClass"], ["Message", "The storage class you specified is not valid"], ["StorageClassRequested", "FakeClass"]],
      [204],
      policyFailed('["eq", "success_action_redirect", "http://localhost.test/random"]'),
      policyFailed('["eq", "$success_action_redirect", "http://localhost.test/random"]'),
    ]);
    expect(out.post_expires).toBe("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(out.post_file_as_field).toBe(3);
    expect(out.put_fake_class).toMatchObject({ Code: "InvalidStorageClass", StorageClassRequested: "FAKE" });
  });

  it("CopyObject in a suspended bucket names the null version; a null source version goes unnamed", () => {
    expect(out.copy_versions).toEqual([
      ["null", true],
      [true, null],
    ]);
  });

  it("HeadObject naming a versionId answers no Expiration, as AWS records", () => {
    expect(out.expiration_by_version).toEqual([false, false, true]);
  });

  it("HeadBucket answers AWS's headers, Content-Type included", () => {
    expect(out.head_bucket_headers).toEqual({ "content-type": "application/xml", "x-amz-access-point-alias": "false", "x-amz-bucket-region": "eu-west-1" });
  });

  it("CreateBucket with LocationConstraint us-east-1 is InvalidLocationConstraint naming it", () => {
    expect(out.lc_us_east_1).toEqual({
      Code: "InvalidLocationConstraint",
      Message: "The specified location-constraint is not valid",
      LocationConstraint: "us-east-1",
      Status: 400,
    });
  });

  it("a copy of a multipart object has the MD5 of its bytes as ETag", () => {
    expect(out.multipart_copy_etag).toEqual([true, true]);
  });

  it("GetObjectAttributes of a multipart object without an additional checksum reports only TotalPartsCount", () => {
    expect(out.parts_without_checksum).toEqual({ TotalPartsCount: 1 });
  });
});

const STRICT_SCRIPT = `
import boto3, json, sys, uuid
from botocore.config import Config
from botocore.exceptions import ClientError
kw = dict(endpoint_url=sys.argv[1], aws_access_key_id="test", aws_secret_access_key="test")
cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
s3 = boto3.client("s3", region_name="us-east-1", config=cfg, **kw)
east2 = boto3.client("s3", region_name="us-east-2", config=cfg, **kw)
def err(fn, **a):
    try:
        fn(**a)
        return None
    except ClientError as e:
        return dict(e.response["Error"], Status=e.response["ResponseMetadata"]["HTTPStatusCode"])
b = "parity-strict-" + uuid.uuid4().hex[:8]
s3.create_bucket(Bucket=b)
kms = dict(Bucket=b, Key="k", ServerSideEncryption="aws:kms")
out = {
    "no_constraint_outside_us_east_1": err(east2.create_bucket, Bucket="parity-e2-" + uuid.uuid4().hex[:8]),
    "put_fake_key": err(s3.put_object, Body=b"x", SSEKMSKeyId="fake-key-id", **kms),
    "mpu_fake_key": err(s3.create_multipart_upload, SSEKMSKeyId="fake-key-id", **kms),
    "put_uuid_key": s3.put_object(Body=b"x", SSEKMSKeyId="134f2428-cec1-4b25-a1ae-9048164dba47", **kms)["SSEKMSKeyId"],
    "put_alias": s3.put_object(Body=b"x", SSEKMSKeyId="alias/aws/s3", **kms)["SSEKMSKeyId"],
    "put_other_region_arn": err(s3.put_object, Body=b"x", SSEKMSKeyId="arn:aws:kms:us-west-2:000000000000:key/134f2428-cec1-4b25-a1ae-9048164dba47", **kms),
}
s3.put_object(Bucket=b, Key="src", Body=b"x")
out["copy_fake_key"] = err(s3.copy_object, Bucket=b, Key="c", CopySource=b + "/src", ServerSideEncryption="aws:kms", SSEKMSKeyId="fake-key-id")
# New buckets enforce bucket ownership; PutBucketAcl with neither form, or with both, is refused as such first.
owner = s3.list_buckets()["Owner"]
acp = {"Owner": owner, "Grants": [{"Grantee": {"ID": owner["ID"], "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}]}
out["acl_nothing"] = err(s3.put_bucket_acl, Bucket=b)
out["acl_both"] = err(s3.put_bucket_acl, Bucket=b, ACL="private", AccessControlPolicy=acp)
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("S3 parity with AWS's recorded answers under --strict (boto3)", () => {
  const sim = useServer({ strict: true });

  it("a KMS key id that names no key (or a key ARN of another region) is KMS.NotFoundException; a bucket outside us-east-1 needs its constraint; ACL form errors come before ownership", async () => {
    const out = JSON.parse(await python(STRICT_SCRIPT, [sim.server.url]));
    const invalidKey = { Code: "KMS.NotFoundException", Message: "Invalid keyId 'fake-key-id'", Status: 400 };
    expect(out).toEqual({
      no_constraint_outside_us_east_1: {
        Code: "IllegalLocationConstraintException",
        Message: "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
        Status: 400,
      },
      put_fake_key: invalidKey,
      mpu_fake_key: invalidKey,
      put_uuid_key: "arn:aws:kms:us-east-1:000000000000:key/134f2428-cec1-4b25-a1ae-9048164dba47",
      put_alias: "arn:aws:kms:us-east-1:000000000000:alias/aws/s3",
      put_other_region_arn: { Code: "KMS.NotFoundException", Message: "Invalid arn us-west-2", Status: 400 },
      copy_fake_key: invalidKey,
      acl_nothing: { Code: "MissingSecurityHeader", Message: "Your request was missing a required header", MissingHeaderName: "x-amz-acl", Status: 400 },
      acl_both: { Code: "UnexpectedContent", Message: "This request does not support content", Status: 400 },
    });
  });
});
