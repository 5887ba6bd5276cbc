/** Bad input never crashes the server: every operation of every service, fed empty and ill-typed input, answers 4xx (or 501), never 5xx. */
import { describe, expect, it } from "vitest";
import { SERVICES } from "../../src/services/index.js";
import { useServer } from "../helpers.js";

const sim = useServer();

const JSON_BODIES = [
  "{}",
  '{"x":1}',
  JSON.stringify({
    cluster: 5,
    tasks: "x",
    family: [],
    containerDefinitions: "x",
    logGroupName: 7,
    repositoryName: {},
    Id: [],
    serviceName: null,
    count: "a",
    logEvents: "x",
  }),
];
const QUERY_EXTRAS = ["", "&RoleName=&PolicyArn=x&InstanceId.1=i-1&GroupId=sg-1&VpcId=x&Filter.1.Name=&MaxResults=abc&MinCount=x"];

describe("robustness", () => {
  it("no operation answers 5xx to empty or ill-typed input", async () => {
    const bad: string[] = [];
    for (const d of SERVICES) {
      const def = await d.load();
      if (d.protocol === "json") {
        for (const op of Object.keys(def.operations)) {
          for (const body of JSON_BODIES) {
            const r = await fetch(sim.server.url, {
              method: "POST",
              headers: { "x-amz-target": `${d.targetPrefix}.${op}`, "content-type": "application/x-amz-json-1.1" },
              body,
            });
            if (r.status >= 500) bad.push(`${d.name} ${op} ${body} -> ${r.status}`);
          }
        }
      } else if (d.protocol === "query" || d.protocol === "ec2") {
        for (const op of Object.keys(def.operations)) {
          for (const extra of QUERY_EXTRAS) {
            const r = await fetch(sim.server.url, {
              method: "POST",
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${d.signingNames[0]}/aws4_request, SignedHeaders=host, Signature=0`,
              },
              body: `Action=${op}&Version=${d.apiVersion}${extra}`,
            });
            if (r.status >= 500) bad.push(`${d.name} ${op} ${extra} -> ${r.status}`);
          }
        }
      } else if (d.protocol === "rest-json") {
        for (const route of def.routes ?? []) {
          const path = route.path.replace(/\{[^}]+\}/g, "x");
          for (const body of ["{}", '{"Code":"x","Timeout":"y","Tags":5}']) {
            const r = await fetch(sim.server.url + path, {
              method: route.method,
              headers: { "content-type": "application/json" },
              body: route.method === "GET" || route.method === "DELETE" ? undefined : body,
            });
            if (r.status >= 500) bad.push(`${d.name} ${route.operation} -> ${r.status}`);
          }
        }
      }
    }
    await fetch(`${sim.server.url}/robust`, { method: "PUT" });
    const s3cases: Array<[string, string, Record<string, string>, string | undefined]> = [
      ["PUT", "/robust2", {}, "<bad"],
      ["POST", "/robust?delete", {}, "<x>"],
      ["PUT", "/robust?tagging", {}, "garbage"],
      ["GET", "/robust/k?partNumber=abc", {}, undefined],
      ["PUT", "/robust/k?partNumber=1&uploadId=zz", {}, "x"],
      ["POST", "/robust/k?uploadId=zz", {}, "<x/>"],
      ["PUT", "/robust/k", { "x-amz-copy-source": "%%%" }, undefined],
      ["GET", "/robust?list-type=2&max-keys=abc", {}, undefined],
      ["PUT", "/robust/k", { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "5" }, "zz\r\nbad"],
      ["POST", "/robust", { "content-type": "multipart/form-data; boundary=x" }, "--x\r\nbad"],
      ["PATCH", "/robust/k", {}, "x"],
    ];
    for (const [method, path, headers, body] of s3cases) {
      const r = await fetch(sim.server.url + path, { method, headers, body });
      const text = await r.text();
      if (r.status >= 500 && r.status !== 501) bad.push(`s3 ${method} ${path} -> ${r.status}`);
      if (text.includes("    at ")) bad.push(`s3 ${method} ${path} leaked a stack`);
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
