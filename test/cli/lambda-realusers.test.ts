/**
 * SAM CLI's remote invoke replayed through boto3 as its executors call Lambda (samcli/lib/remote_invoke/
 * lambda_invoke_executors.py: invoke and invoke_with_response_stream with InvocationType RequestResponse and LogType
 * Tail unless overridden), with the functions and assertions of tests/integration/remote/invoke (test_lambda_invoke.py,
 * test_remote_invoke.py, test_lambda_invoke_response_stream.py), which SAM runs against AWS.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import base64, io, json, sys, zipfile
import boto3
from botocore.config import Config
url = sys.argv[1]
lam = boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
                   config=Config(retries={"max_attempts": 1}))
role = "arn:aws:iam::000000000000:role/sam-remote-invoke"
def pkg(files):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for k, v in files.items():
            z.writestr(k, v)
    return b.getvalue()
MAIN = """import logging
LOG = logging.getLogger(__name__)
def default_handler(event, context):
    print("value1 = " + event["key1"])
    return {"message": f'{event["key1"]} {event["key3"]}'}
def echo_client_context_data(event, context):
    return context.client_context.custom
def write_to_stderr(event, context):
    LOG.error("Lambda Function is writing to stderr")
    return "wrote to stderr"
def raise_exception(event, context):
    raise Exception("Lambda is raising an exception")
"""
STREAM = """exports.stream_event_values = awslambda.streamifyResponse(async (event, responseStream) => {
  for (const k in event) { responseStream.write(event[k]); await new Promise((r) => setTimeout(r, 20)); }
  responseStream.end();
});
"""
for name, handler in [("hello", "default_handler"), ("ctx", "echo_client_context_data"), ("stderr", "write_to_stderr"), ("raise", "raise_exception")]:
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="main." + handler, Code={"ZipFile": pkg({"main.py": MAIN})})
lam.create_function(FunctionName="values", Runtime="nodejs20.x", Role=role, Handler="index.stream_event_values", Code={"ZipFile": pkg({"index.js": STREAM})})
event = json.dumps({"key1": "Hello", "key2": "serverless", "key3": "world"})
def invoke(name, **kw):
    p = {"InvocationType": "RequestResponse", "LogType": "Tail", "FunctionName": name, "Payload": event}
    p.update(kw)
    r = lam.invoke(**p)
    out = {k: v for k, v in r.items() if k not in ("ResponseMetadata", "Payload")}
    out["Payload"] = r["Payload"].read().decode("utf-8")
    if "LogResult" in out:
        out["LogResult"] = base64.b64decode(out["LogResult"]).decode("utf-8")
    return out
def stream(name, **kw):
    p = {"InvocationType": "RequestResponse", "LogType": "Tail", "FunctionName": name, "Payload": event}
    p.update(kw)
    r = lam.invoke_with_response_stream(**p)
    events = []
    for e in r["EventStream"]:
        if "PayloadChunk" in e:
            events.append({"PayloadChunk": {"Payload": e["PayloadChunk"]["Payload"].decode("utf-8")}})
        if "InvokeComplete" in e:
            events.append(e)
    return {"StatusCode": r["StatusCode"], "EventStream": events}
custom = base64.b64encode(json.dumps({"custom": {"foo": "bar", "baz": "quzz"}}).encode()).decode("utf-8")
print(json.dumps({
    "hello": invoke("hello"),
    "arn": invoke(lam.get_function(FunctionName="hello")["Configuration"]["FunctionArn"]),
    "empty": invoke("hello", Payload="{}"),
    "ctx": invoke("ctx", ClientContext=custom),
    "stderr": invoke("stderr"),
    "raise": invoke("raise"),
    "event": invoke("hello", InvocationType="Event", LogType="None"),
    "dryrun": invoke("hello", InvocationType="DryRun", Qualifier="$LATEST"),
    "stream": stream("values", LogType="None"),
    "stream_dryrun": stream("values", LogType="None", InvocationType="DryRun", Qualifier="$LATEST"),
}))
`;

describe.skipIf(!hasBoto3())("SAM CLI remote invoke through boto3", () => {
  const sim = useServer({ execute: true });

  it("answers as the remote invoke integration tests assert against AWS", async () => {
    const out = JSON.parse(
      await python(SCRIPT, [sim.server.url], { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } }),
    );
    expect(JSON.parse(out.hello.Payload)).toEqual({ message: "Hello world" });
    expect(out.hello).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(out.hello.LogResult).toMatch(/^START RequestId: \S+ Version: \$LATEST\n[\s\S]*value1 = Hello\n[\s\S]*REPORT RequestId: /);
    expect(JSON.parse(out.arn.Payload)).toEqual({ message: "Hello world" });
    // test_invoke_empty_event_provided: "{}" reaches the handler, whose KeyError is the answer.
    expect(out.empty.FunctionError).toBe("Unhandled");
    expect(JSON.parse(out.empty.Payload).errorType).toBe("KeyError");
    expect(JSON.parse(out.ctx.Payload)).toEqual({ foo: "bar", baz: "quzz" });
    expect(JSON.parse(out.stderr.Payload)).toBe("wrote to stderr");
    expect(out.stderr.LogResult).toContain("Lambda Function is writing to stderr");
    expect(out.raise.FunctionError).toBe("Unhandled");
    expect(JSON.parse(out.raise.Payload).errorMessage).toBe("Lambda is raising an exception");
    expect(out.raise.LogResult).toContain("Lambda is raising an exception");
    expect(out.event).toEqual({ StatusCode: 202, Payload: "" });
    expect(out.dryrun).toEqual({ StatusCode: 204, Payload: "" });
    const expected = [
      { PayloadChunk: { Payload: "Hello" } },
      { PayloadChunk: { Payload: "serverless" } },
      { PayloadChunk: { Payload: "world" } },
      { InvokeComplete: {} },
    ];
    expect(out.stream).toEqual({ StatusCode: 200, EventStream: expected });
    // test_invoke_different_boto_options: DryRun on InvokeWithResponseStream streams the same events.
    expect(out.stream_dryrun).toEqual({ StatusCode: 200, EventStream: expected });
  });
});
