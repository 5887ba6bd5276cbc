/**
 * For every operation of the ten models, a full input generated from the model is serialized by the real
 * @aws-sdk client and must decode on the server side to the same values: JSON, Query, EC2, REST-JSON and
 * REST-XML decoding by shape (S3's hot paths keep a hand-written router, covered by the S3 tests).
 */
import { describe, expect, it } from "vitest";
import { parseQueryPairs } from "../../src/protocols/http.js";
import { decodeJsonShape, decodeQueryShape, pairsToTree } from "../../src/protocols/model/decode.js";
import { decodeRestJsonInput, queryMap } from "../../src/protocols/model/rest.js";
import { decodeRestXmlInput } from "../../src/protocols/model/rest-xml.js";
import { RestRouter } from "../../src/protocols/model/rest.js";
import { firstDiff, generate, model, normal, SDK, skipReason } from "./gen.js";

interface Captured {
  method: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

class Captures extends Error {
  constructor(readonly request: Captured) {
    super("captured");
  }
}

async function capture(svc: string, op: string, input: unknown): Promise<Captured | undefined> {
  const mod = (await import(SDK[svc]!.pkg)) as Record<string, any>;
  const Client = mod[SDK[svc]!.client];
  const Command = mod[`${op}Command`];
  if (!Command) return undefined; // deprecated operations the JS SDK no longer has (S3 GetBucketLifecycle, ...)
  const client = new Client({
    region: "us-east-1",
    endpoint: "http://localhost:4566",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    forcePathStyle: true,
    requestHandler: {
      handle: async (request: Captured) => {
        throw new Captures(request);
      },
    },
  });
  try {
    await client.send(new Command(input));
  } catch (e) {
    if (e instanceof Captures) return e.request;
    throw e;
  }
  throw new Error("request not captured");
}

function bodyBuffer(b: unknown): Buffer {
  if (b === undefined || b === null) return Buffer.alloc(0);
  if (typeof b === "string") return Buffer.from(b);
  if (b instanceof Uint8Array) return Buffer.from(b);
  throw new Error(`unexpected body ${typeof b}`);
}

function rawQuery(q: Captured["query"]): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q ?? {})) {
    if (v === null || v === undefined) parts.push(encodeURIComponent(k));
    else for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(x)}`);
  }
  return parts.join("&");
}

const SERVICES = ["ecs", "ec2", "ecr", "logs", "servicediscovery", "iam", "sts", "efs", "lambda", "s3"];

describe.each(SERVICES)("%s: every operation's input decodes to what the SDK sent", (svc) => {
  const m = model(svc);
  const router = m.metadata.protocol.startsWith("rest") ? new RestRouter(m) : undefined;
  it("round-trips a full generated input for each operation", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of Object.keys(m.operations)) {
      // S3 Express's ListDirectoryBuckets is GET / on its own endpoint (ListBuckets on the regular one).
      if (skipReason(m, op) || op === "ListDirectoryBuckets") continue;
      const om = m.operations[op]!;
      const input = om.input ? (generate(m, om.input.shape, "x", 0, { plain: svc === "s3" }) as Record<string, unknown>) : {};
      const req = await capture(svc, op, input);
      if (!req) continue;
      const body = bodyBuffer(req.body);
      let decoded: unknown;
      const proto = m.metadata.protocol;
      if (proto === "json") decoded = om.input ? decodeJsonShape(m, body.length ? JSON.parse(body.toString()) : {}, om.input.shape) : {};
      else if (proto === "query" || proto === "ec2") {
        const pairs = parseQueryPairs(body.toString()).filter(([k]) => k !== "Action" && k !== "Version");
        decoded = om.input ? decodeQueryShape(m, pairsToTree(pairs), om.input.shape, proto === "ec2") : {};
      } else {
        const q = queryMap(rawQuery(req.query));
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
        const hit = router!.match(req.method, req.path, q, headers);
        if (hit?.op.name !== op) {
          failures.push(`${op}: routed to ${hit?.op.name ?? "nothing"} (${req.method} ${req.path})`);
          continue;
        }
        decoded = (proto === "rest-xml" ? decodeRestXmlInput : decodeRestJsonInput)(m, hit.op, hit.labels, q, headers, body);
      }
      checked++;
      // The S3 SDK sends SSE-C keys base64-encoded (with their MD5): a client customization, not the model's.
      if (svc === "s3")
        for (const o of [input, decoded] as Array<Record<string, unknown>>) for (const k of Object.keys(o)) if (k.includes("SSECustomerKey")) delete o[k];
      const diff = firstDiff(normal(input), normal(decoded));
      if (diff) failures.push(`${op} ${diff}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
    expect(checked).toBeGreaterThan(Object.keys(m.operations).length * 0.9);
  });
});
