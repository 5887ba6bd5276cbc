/**
 * Bucket configurations as AWS answered them (recorded against S3): Object Lock configuration errors
 * (MalformedXML without ObjectLockEnabled or without Days/Years, BucketName on the not-found error),
 * x-amz-bypass-governance-retention refused on buckets without Object Lock, the dotted-name check of
 * PutBucketAccelerateConfiguration before the status, an invalid x-amz-object-ownership, and metrics configurations (204 on put, no
 * BucketName on NoSuchConfiguration, 100 per page).
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { awsErr, PRELUDE } from "./s3-parity2-prelude.js";

const SCRIPT = `${PRELUDE}
s3.create_bucket(Bucket="plain")
out["lock_missing"] = call(s3.get_object_lock_configuration, Bucket="plain")
s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
lock = lambda cfg: call(s3.put_object_lock_configuration, Bucket="locked", ObjectLockConfiguration=cfg)
out["lock_bad"] = [lock(c)["Error"]["Code"] for c in [
    {"Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}},
    {"ObjectLockEnabled": "Enabled", "Rule": {}},
    {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {}}},
    {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE"}}},
    {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}},
]]
out["lock_ok"] = [lock({"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})["Status"],
                  s3.get_object_lock_configuration(Bucket="locked")["ObjectLockConfiguration"]]

s3.put_object(Bucket="plain", Key="k", Body=b"test")
out["bypass"] = [call(s3.delete_object, Bucket="plain", Key="k", BypassGovernanceRetention=True),
                 call(s3.delete_object, Bucket="plain", Key="k", BypassGovernanceRetention=False),
                 call(s3.delete_objects, Bucket="plain", Delete={"Objects": [{"Key": "k"}]}, BypassGovernanceRetention=True)]
out["still_there"] = s3.head_object(Bucket="plain", Key="k")["ContentLength"]

s3.create_bucket(Bucket="test.bucket.dotted")
out["accelerate_dotted"] = call(s3.put_bucket_accelerate_configuration, Bucket="test.bucket.dotted", AccelerateConfiguration={"Status": "random"})
out["accelerate_lower"] = call(s3.put_bucket_accelerate_configuration, Bucket="plain", AccelerateConfiguration={"Status": "enabled"})["Error"]["Code"]

put = lambda i, prefix="logs/": call(s3.put_bucket_metrics_configuration, Bucket="plain", Id=i, MetricsConfiguration={"Id": i, "Filter": {"Prefix": prefix}})
out["metrics_put"] = put("m1")
out["metrics_missing"] = [call(s3.get_bucket_metrics_configuration, Bucket="plain", Id="does-not-exist"),
                          call(s3.delete_bucket_metrics_configuration, Bucket="plain", Id="does-not-exist")]
out["metrics_delete"] = call(s3.delete_bucket_metrics_configuration, Bucket="plain", Id="m1")["Status"]
for i in range(102):
    put(f"{100 + i}-x", "logs/prefix")
p1 = s3.list_bucket_metrics_configurations(Bucket="plain")
p2 = s3.list_bucket_metrics_configurations(Bucket="plain", ContinuationToken=p1["NextContinuationToken"])
out["metrics_pages"] = [len(p1["MetricsConfigurationList"]), p1["IsTruncated"], len(p2["MetricsConfigurationList"]), p2["IsTruncated"],
                        p2["ContinuationToken"] == p1["NextContinuationToken"], "NextContinuationToken" in p2]
out["ownership"] = [call(s3.create_bucket, Bucket="own-bad", ObjectOwnership=o) for o in ["RandomValue", ""]]
print(json.dumps(out, default=str))
`;

const bypass = awsErr("InvalidArgument", "x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.", 400, {
  ArgumentName: "x-amz-bypass-governance-retention",
});
const noConfig = awsErr("NoSuchConfiguration", "The specified configuration does not exist.", 404);

describe.skipIf(!hasBoto3())("S3 parity: lock, bypass, accelerate, metrics (boto3)", () => {
  const t = useServer();

  it("answers bucket configuration calls as AWS does", async () => {
    const out = JSON.parse(await python(SCRIPT, [t.server.url], { timeout: 25_000 }));
    expect(out.lock_missing).toEqual(
      awsErr("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404, { BucketName: "plain" }),
    );
    expect(out.lock_bad).toEqual(["MalformedXML", "MalformedXML", "MalformedXML", "MalformedXML", "MalformedXML"]);
    expect(out.lock_ok).toEqual([200, { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } } }]);
    expect(out.bypass).toEqual([bypass, bypass, bypass]);
    expect(out.still_there).toBe(4);
    expect(out.accelerate_dotted).toEqual(
      awsErr("InvalidRequest", "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names", 400),
    );
    expect(out.accelerate_lower).toBe("MalformedXML");
    expect(out.metrics_put).toEqual({ Status: 204 });
    expect(out.metrics_missing).toEqual([noConfig, noConfig]);
    expect(out.metrics_delete).toBe(204);
    expect(out.metrics_pages).toEqual([100, true, 2, false, true, false]);
    expect(out.ownership).toEqual(
      ["RandomValue", ""].map((v) => awsErr("InvalidArgument", `Invalid x-amz-object-ownership header: ${v}`, 400, { ArgumentName: "x-amz-object-ownership" })),
    );
  });
});
