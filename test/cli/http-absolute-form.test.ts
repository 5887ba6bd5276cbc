/**
 * Requests whose target is in absolute form (`PUT http://bucket.localhost:4566/key HTTP/1.1`), as a client sends them
 * through an HTTP proxy: a server must accept that form (RFC 9112 section 3.2.2) and take the target's authority as
 * the host. A client pointed at awsim as its proxy (aws-sdk-go v1 tools such as aws-nuke, which cannot use path-style
 * addressing, reach virtual-hosted buckets that way) is served as if it had sent origin form: boto3 with
 * proxies={"http": awsim} and virtual-hosted addressing on a host that does not resolve, and a raw request.
 */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" });

const SCRIPT = `
import boto3, json, sys
from botocore.config import Config
port = sys.argv[1]
proxied = Config(proxies={"http": f"http://127.0.0.1:{port}"}, s3={"addressing_style": "virtual"}, retries={"max_attempts": 1})
# <bucket>.localhost resolves nowhere here (and awsim.invalid nowhere at all): only the proxy, awsim itself, answers.
s3 = boto3.client("s3", endpoint_url=f"http://localhost:{port}", region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test", config=proxied)
s3.create_bucket(Bucket="proxied-bkt")
s3.put_object(Bucket="proxied-bkt", Key="dir/a.txt", Body=b"through the proxy")
out = {
    "body": s3.get_object(Bucket="proxied-bkt", Key="dir/a.txt")["Body"].read().decode(),
    "keys": [o["Key"] for o in s3.list_objects_v2(Bucket="proxied-bkt", Prefix="dir/")["Contents"]],
    "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]],
}
sts = boto3.client("sts", endpoint_url=f"http://sts.awsim.invalid:{port}", region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test", config=Config(proxies={"http": f"http://127.0.0.1:{port}"}))
out["account"] = sts.get_caller_identity()["Account"]
print(json.dumps(out))
`;

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Connection: close in every request: the answer ends the connection.
    const s = connect(port, "127.0.0.1", () => s.write(request));
    let out = "";
    s.on("data", (d) => (out += d.toString("latin1")));
    s.on("end", () => resolve(out));
    s.on("error", reject);
  });
}

describe("requests in absolute form (clients behind a proxy)", () => {
  it.skipIf(!hasBoto3())("boto3 with awsim as its HTTP proxy: virtual-hosted buckets on an unresolvable host, and STS", async () => {
    const out = JSON.parse(await python(SCRIPT, [String(sim.server.port)], { timeout: 60_000 }));
    expect(out).toEqual({ body: "through the proxy", keys: ["dir/a.txt"], buckets: ["proxied-bkt"], account: "000000000000" });
  });

  it("the target's authority is the host: a raw PUT and GET name the bucket in it, whatever Host says", async () => {
    const port = sim.server.port;
    const auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";
    const put = await raw(
      port,
      `PUT http://rawbkt.localhost:${port}/ HTTP/1.1\r\nHost: elsewhere.example\r\nAuthorization: ${auth}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect(put.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    const body = "hello";
    await raw(
      port,
      `PUT http://rawbkt.localhost:${port}/k?x-id=PutObject HTTP/1.1\r\nHost: elsewhere.example\r\nAuthorization: ${auth}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    const got = await raw(
      port,
      `GET http://rawbkt.localhost:${port}/k HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`,
    );
    expect(got.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    expect(got.endsWith("\r\n\r\nhello")).toBe(true);
    // awsim's own endpoints too.
    const health = await raw(port, `GET http://127.0.0.1:${port}/_awsim/health HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n`);
    expect(health.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
  });
});
