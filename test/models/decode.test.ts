/**
 * For every operation of the ten models (S3 aside: its hand-written router is covered by its own tests),
 * a full input generated from the model is serialized by the real @aws-sdk client and must decode on the
 * server side to the same values: JSON, Query, EC2 and REST-JSON decoding by shape.
 */
import { describe, expect, it } from "vitest";
import { parseQueryPairs } from "../../src/protocols/http.js";
import { decodeJsonShape, decodeQueryShape, pairsToTree } from "../../src/protocols/model/decode.js";
import { decodeRestJsonInput, queryMap } from "../../src/protocols/model/rest.js";
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

async function capture(svc: string, op: string, input: unknown): Promise<Captured> {
  const mod = (await import(SDK[svc]!.pkg)) as Record<string, any>;
  const Client = mod[SDK[svc]!.client];
  const Command = mod[`${op}Command`];
  if (!Command) throw new Error(`no ${op}Command in ${SDK[svc]!.pkg}`);
  const client = new Client({
    region: "us-east-1",
    endpoint: "http://localhost:4566",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
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

const SERVICES = ["ecs", "ec2", "ecr", "logs", "servicediscovery", "iam", "sts", "efs", "lambda"];

describe.each(SERVICES)("%s: every operation's input decodes to what the SDK sent", (svc) => {
  const m = model(svc);
  const router = m.metadata.protocol === "rest-json" ? new RestRouter(m) : undefined;
  it("round-trips a full generated input for each operation", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of Object.keys(m.operations)) {
      if (skipReason(m, op)) continue;
      const om = m.operations[op]!;
      const input = om.input ? (generate(m, om.input.shape, "x") as Record<string, unknown>) : {};
      const req = await capture(svc, op, input);
      const body = bodyBuffer(req.body);
      let decoded: unknown;
      const proto = m.metadata.protocol;
      if (proto === "json") decoded = om.input ? decodeJsonShape(m, body.length ? JSON.parse(body.toString()) : {}, om.input.shape) : {};
      else if (proto === "query" || proto === "ec2") {
        const pairs = parseQueryPairs(body.toString()).filter(([k]) => k !== "Action" && k !== "Version");
        decoded = om.input ? decodeQueryShape(m, pairsToTree(pairs), om.input.shape, proto === "ec2") : {};
      } else {
        const q = queryMap(rawQuery(req.query));
        const hit = router!.match(req.method, req.path, q);
        if (hit?.op.name !== op) {
          failures.push(`${op}: routed to ${hit?.op.name ?? "nothing"} (${req.method} ${req.path})`);
          continue;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
        decoded = decodeRestJsonInput(m, hit.op, hit.labels, q, headers, body);
      }
      checked++;
      const diff = firstDiff(normal(input), normal(decoded));
      if (diff) failures.push(`${op} ${diff}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
    expect(checked).toBeGreaterThan(Object.keys(m.operations).length * 0.9);
  });
});
