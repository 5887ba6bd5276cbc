/** ECS answers hold only the members AWS's model declares (raw JSON, since the SDK drops unknown members). */
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "ecs" });

async function ecs(target: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(sim.server.url, {
    method: "POST",
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AmazonEC2ContainerServiceV20141113.${target}`,
    },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

describe("ECS output shapes", () => {
  it("DiscoverPollEndpoint answers the model's three endpoints and nothing else", async () => {
    const out = await ecs("DiscoverPollEndpoint", {});
    expect(Object.keys(out).sort()).toEqual(["endpoint", "serviceConnectEndpoint", "telemetryEndpoint"]);
    expect(out.endpoint).toMatch(/^https:\/\/ecs-a-\d+\.us-east-1\.amazonaws\.com\/$/);
  });
});
