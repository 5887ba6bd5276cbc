/** boto3 against ECR, EFS and Cloud Map: blobs, paginators, waiters, querystring members, the data- host prefix. */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { hasBoto3, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, hashlib, json, sys
from botocore.config import Config
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
ecr = boto3.client("ecr", **kw)
ecr.create_repository(repositoryName="boto")
data = b"layer bytes from boto3"
up = ecr.initiate_layer_upload(repositoryName="boto")
ecr.upload_layer_part(repositoryName="boto", uploadId=up["uploadId"], partFirstByte=0, partLastByte=len(data) - 1, layerPartBlob=data)
digest = "sha256:" + hashlib.sha256(data).hexdigest()
out["layer"] = ecr.complete_layer_upload(repositoryName="boto", uploadId=up["uploadId"], layerDigests=[digest])["layerDigest"] == digest
for i in range(3):
    m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": len(data), "digest": digest},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": len(data), "digest": digest}], "annotations": {"i": str(i)}})
    ecr.put_image(repositoryName="boto", imageManifest=m, imageTag=f"v{i}")
ecr.start_lifecycle_policy_preview(repositoryName="boto", lifecyclePolicyText=json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}))
ecr.get_waiter("lifecycle_policy_preview_complete").wait(repositoryName="boto", WaiterConfig={"Delay": 1, "MaxAttempts": 3})
out["preview"] = sum(len(p["previewResults"]) for p in ecr.get_paginator("get_lifecycle_policy_preview").paginate(repositoryName="boto", PaginationConfig={"PageSize": 1}))
ecr.start_image_scan(repositoryName="boto", imageId={"imageTag": "v0"})
ecr.get_waiter("image_scan_complete").wait(repositoryName="boto", imageId={"imageTag": "v0"}, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
out["scan"] = ecr.describe_image_scan_findings(repositoryName="boto", imageId={"imageTag": "v0"})["imageScanStatus"]["status"]
efs = boto3.client("efs", **kw)
fid = efs.create_file_system(CreationToken="boto")["FileSystemId"]
efs.tag_resource(ResourceId=fid, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
efs.untag_resource(ResourceId=fid, TagKeys=["a"])
out["tags"] = efs.list_tags_for_resource(ResourceId=fid)["Tags"]
efs.create_replication_configuration(SourceFileSystemId=fid, Destinations=[{"Region": "us-west-2"}])
efs.delete_replication_configuration(SourceFileSystemId=fid, DeletionMode="ALL_CONFIGURATIONS")
out["repl"] = len(efs.describe_replication_configurations()["Replications"])
for i in range(3): efs.create_file_system(CreationToken=f"p{i}")
out["fs"] = sum(len(p["FileSystems"]) for p in efs.get_paginator("describe_file_systems").paginate(PaginationConfig={"PageSize": 2}))
sd = boto3.client("servicediscovery", config=Config(inject_host_prefix=False), **kw)
op = sd.create_http_namespace(Name="boto-ns")["OperationId"]
sd.get_operation(OperationId=op)
ns = sd.list_namespaces()["Namespaces"][0]["Id"]
svc = sd.create_service(Name="api", NamespaceId=ns, HealthCheckCustomConfig={})["Service"]["Id"]
sd.register_instance(ServiceId=svc, InstanceId="i1", Attributes={"color": "blue"})
sd.register_instance(ServiceId=svc, InstanceId="i2", Attributes={"color": "red", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"})
found = sd.discover_instances(NamespaceName="boto-ns", ServiceName="api", HealthStatus="HEALTHY")["Instances"]
out["discover"] = [i["InstanceId"] for i in found]
out["revision"] = sd.discover_instances_revision(NamespaceName="boto-ns", ServiceName="api")["InstancesRevision"]
print(json.dumps(out))
`;

const sim = useServer();

describe.skipIf(!hasBoto3())("boto3: ECR, EFS, Cloud Map", () => {
  it("layer uploads, previews, scans, waiters, EFS querystring members and replication, DiscoverInstances", async () => {
    // Asynchronously: the server answers from this process.
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile("python3", ["-c", SCRIPT, sim.server.url], { encoding: "utf8", timeout: 60_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
    );
    expect(r.stderr.slice(-2000)).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({
      layer: true,
      preview: 2,
      scan: "COMPLETE",
      tags: [{ Key: "b", Value: "2" }],
      repl: 0,
      fs: 4,
      discover: ["i1"],
      revision: 3,
    });
  });
});
