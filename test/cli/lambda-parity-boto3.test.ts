/**
 * Lambda errors as boto3 parses them, compared with responses recorded against AWS: the code, the
 * message, the status and the members beside Error (Type, Message or message) that each error carries.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, io, json, sys, zipfile
from botocore.config import Config
url = sys.argv[1]
lam = boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
                   config=Config(retries={"max_attempts": 1}))
b = io.BytesIO()
with zipfile.ZipFile(b, "w") as z:
    z.writestr("index.py", "def handler(e, c):\\n    return e\\n")
role = "arn:aws:iam::000000000000:role/r"
def create(name, **kw):
    return lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": b.getvalue()}, **kw)
out = {}
def err(label, fn, **kw):
    try:
        fn(**kw)
        out[label] = "no error"
    except Exception as e:
        r = e.response
        out[label] = {k: v for k, v in r.items() if k != "ResponseMetadata"}
        out[label]["status"] = r["ResponseMetadata"]["HTTPStatusCode"]
created = create("b3", Publish=True)
out["create_version"] = created["Version"]
arn = "arn:aws:lambda:us-east-1:000000000000:function:"
err("mismatch", lam.get_function, FunctionName=arn + "b3:1", Qualifier="$LATEST")
err("missing", lam.get_function, FunctionName="nope")
err("latest_routing", lam.create_alias, FunctionName="b3", Name="a", FunctionVersion="$LATEST", RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})
err("other_account", create, name=arn.replace("000000000000", "123456789012") + "x")
err("other_region", lam.get_function_configuration, FunctionName=arn.replace("us-east-1", "eu-west-1") + "b3")
err("url_missing", lam.get_function_url_config, FunctionName="nope")
err("tags_on_version", lam.tag_resource, Resource=arn + "b3:1", Tags={"a": "b"})
versions = lam.list_versions_by_function(FunctionName="b3")["Versions"]
out["listed"] = [[v["FunctionArn"].split(":", 6)[6], "State" in v, "LastUpdateStatus" in v] for v in versions]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("Lambda parity through boto3", () => {
  const sim = useServer();

  it("error members and list shapes as AWS answers them", async () => {
    const out = JSON.parse(
      await python(SCRIPT, [sim.server.url], { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } }),
    );
    const ARN = "arn:aws:lambda:us-east-1:000000000000:function";
    const MISMATCH = "The derived qualifier from the function name does not match the specified qualifier.";
    expect(out.create_version).toBe("1");
    // InvalidParameterValueException: Type and lower-case message beside Error.
    expect(out.mismatch).toEqual({ Error: { Code: "InvalidParameterValueException", Message: MISMATCH }, Type: "User", message: MISMATCH, status: 400 });
    // ResourceNotFoundException: Type and Message.
    expect(out.missing).toEqual({
      Error: { Code: "ResourceNotFoundException", Message: `Function not found: ${ARN}:nope` },
      Message: `Function not found: ${ARN}:nope`,
      Type: "User",
      status: 404,
    });
    const latest = "$LATEST is not supported for an alias pointing to more than 1 version";
    expect(out.latest_routing).toEqual({ Error: { Code: "InvalidParameterValueException", Message: latest }, message: latest, status: 400 });
    expect(out.other_account.Error.Code).toBe("AccessDeniedException");
    expect(out.other_account.status).toBe(403);
    const region = "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')";
    expect(out.other_region).toEqual({ Error: { Code: "ResourceNotFoundException", Message: region }, Message: region, Type: "User", status: 404 });
    expect(out.url_missing.Error).toEqual({ Code: "ResourceNotFoundException", Message: "The resource you requested does not exist." });
    expect(out.tags_on_version.Error).toEqual({
      Code: "InvalidParameterValueException",
      Message: "Tags on function aliases and versions are not supported. Please specify a function ARN.",
    });
    expect(out.listed).toEqual([
      ["b3:$LATEST", false, false],
      ["b3:1", false, false],
    ]);
  });
});
