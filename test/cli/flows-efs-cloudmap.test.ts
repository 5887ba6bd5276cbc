/** EFS and Cloud Map with the aws CLI: describe-file-systems --query, discover-instances (host prefix injection off, as the CLI needs against a local endpoint). */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("EFS / Cloud Map CLI flows", () => {
  const sim = useServer();

  it("efs create-file-system then describe-file-systems with --query", async () => {
    const fs = await aws(sim.server, ["efs", "create-file-system", "--creation-token", "flows-1", "--tags", "Key=Name,Value=flows-fs", "--encrypted"]);
    expect(fs.code, fs.stderr).toBe(0);
    expect(fs.json).toMatchObject({ CreationToken: "flows-1", Name: "flows-fs", Encrypted: true, NumberOfMountTargets: 0 });
    expect(fs.json.FileSystemId).toMatch(/^fs-[0-9a-f]{8,40}$/);
    await aws(sim.server, ["efs", "create-file-system", "--creation-token", "flows-2"]);
    const q = await aws(sim.server, [
      "efs",
      "describe-file-systems",
      "--query",
      "FileSystems[?Name=='flows-fs'].[FileSystemId,LifeCycleState,NumberOfMountTargets]",
    ]);
    expect(q.json).toEqual([[fs.json.FileSystemId, "available", 0]]);
    // One page of one (AWS documents no order; awsim lists by file system id), then the other through NextToken.
    const page = await aws(sim.server, ["efs", "describe-file-systems", "--max-items", "1"]);
    expect(page.json.FileSystems).toHaveLength(1);
    const rest = await aws(sim.server, ["efs", "describe-file-systems", "--max-items", "1", "--starting-token", page.json.NextToken]);
    expect([page.json.FileSystems[0].CreationToken, rest.json.FileSystems[0].CreationToken].sort()).toEqual(["flows-1", "flows-2"]);
    const again = await aws(sim.server, ["efs", "create-file-system", "--creation-token", "flows-1"]);
    expect(again.code).toBe(255);
    expect(again.stderr).toContain("An error occurred (FileSystemAlreadyExists) when calling the CreateFileSystem operation: File system 'fs-");
    const missing = await aws(sim.server, ["efs", "describe-file-systems", "--file-system-id", "fs-00000000"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr.trim()).toBe(
      "An error occurred (FileSystemNotFound) when calling the DescribeFileSystems operation: File system 'fs-00000000' does not exist.",
    );
  });

  it("servicediscovery: HTTP namespace, register-instance, discover-instances with --query-parameters", async () => {
    const op = await aws(sim.server, ["servicediscovery", "create-http-namespace", "--name", "flows-ns"]);
    const got = await aws(sim.server, ["servicediscovery", "get-operation", "--operation-id", op.json.OperationId]);
    expect(got.json.Operation).toMatchObject({ Status: "SUCCESS", Type: "CREATE_NAMESPACE" });
    const nsId = got.json.Operation.Targets.NAMESPACE;
    const svc = await aws(sim.server, ["servicediscovery", "create-service", "--name", "api", "--namespace-id", nsId]);
    for (const [id, stage] of [
      ["i1", "prod"],
      ["i2", "dev"],
    ])
      await aws(sim.server, [
        "servicediscovery",
        "register-instance",
        "--service-id",
        svc.json.Service.Id,
        "--instance-id",
        id!,
        "--attributes",
        `AWS_INSTANCE_IPV4=10.0.0.${id!.slice(1)},stage=${stage}`,
      ]);
    // The CLI would call data-<endpoint host>, which does not resolve locally: botocore's switch turns the prefix off.
    const env = { AWS_DISABLE_HOST_PREFIX_INJECTION: "true" };
    const found = await aws(
      sim.server,
      ["servicediscovery", "discover-instances", "--namespace-name", "flows-ns", "--service-name", "api", "--query-parameters", "stage=prod"],
      { env },
    );
    expect(found.code, found.stderr).toBe(0);
    expect(found.json.Instances).toHaveLength(1);
    expect(found.json.Instances[0]).toMatchObject({
      InstanceId: "i1",
      NamespaceName: "flows-ns",
      ServiceName: "api",
      Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", stage: "prod" },
    });
    expect(typeof found.json.InstancesRevision).toBe("number");
    const all = await aws(
      sim.server,
      ["servicediscovery", "discover-instances", "--namespace-name", "flows-ns", "--service-name", "api", "--query", "Instances[].InstanceId"],
      { env },
    );
    expect(all.json.sort()).toEqual(["i1", "i2"]);
    const none = await aws(sim.server, ["servicediscovery", "discover-instances", "--namespace-name", "flows-ns", "--service-name", "nope"], { env });
    expect(none.code).toBe(255);
    expect(none.stderr).toContain("An error occurred (ServiceNotFound) when calling the DiscoverInstances operation");
  });
});
