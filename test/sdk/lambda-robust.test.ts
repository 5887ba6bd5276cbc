/** Every Lambda operation of the model, fed empty, ill-typed and hostile input against existing and missing resources, answers 4xx (or 501), never 5xx, and always in the REST-JSON error shape. */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const model = JSON.parse(readFileSync(new URL("../../models/lambda.json", import.meta.url), "utf8")) as {
  operations: Record<string, { http: { method: string; requestUri: string } }>;
};

const BODIES = [
  "{}",
  '{"Code":"x","Timeout":"y","Tags":5,"Layers":{},"Environment":[],"FunctionName":7}',
  '{"Content":{"ZipFile":"%%%"},"AllowedPublishers":3,"RoutingConfig":{"AdditionalVersionWeights":{"x":"y"}},"FileSystemConfigs":"z","Cors":1}',
  "[1,2",
  "null",
];

describe("Lambda robustness", () => {
  const sim = useServer();
  beforeAll(async () => {
    await fetch(`${sim.server.url}/2015-03-31/functions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        FunctionName: "robust",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "" }).toString("base64") },
      }),
    });
  });

  it("no operation answers 5xx (other than 501) to bad input, for an existing and a missing function", async () => {
    const bad: string[] = [];
    for (const [name, op] of Object.entries(model.operations)) {
      const [path, q] = op.http.requestUri.split("?");
      for (const label of ["robust", "arn:aws:lambda:us-east-1:000000000000:function:nope", "%ZZ"]) {
        const url = `${sim.server.url}${path!.replace(/\{[^}]+\}/g, encodeURIComponent(label).replace(/%25ZZ/, "%ZZ"))}?${q ?? ""}&MaxItems=abc&Marker=%%%&Qualifier=$LATEST`;
        for (const body of op.http.method === "GET" || op.http.method === "DELETE" ? [""] : BODIES) {
          const r = await fetch(url, {
            method: op.http.method,
            headers: {
              "content-type": "application/json",
              "x-amz-invocation-type": "Bogus",
              "x-amz-log-type": "Tail",
              authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0",
            },
            body: op.http.method === "GET" || op.http.method === "DELETE" ? undefined : body,
          });
          const text = await r.text();
          if (r.status >= 500 && r.status !== 501) bad.push(`${name} ${label} ${body} -> ${r.status} ${text.slice(0, 200)}`);
          if (r.status >= 400 && !r.headers.get("x-amzn-errortype")) bad.push(`${name} ${label} -> ${r.status} without x-amzn-ErrorType`);
          if (/at .+\.(ts|js):\d+/.test(text)) bad.push(`${name} ${label} -> stack trace in body`);
        }
      }
    }
    expect([...new Set(bad.map((b) => b.slice(0, 300)))]).toEqual([]);
  }, 120_000);
});
