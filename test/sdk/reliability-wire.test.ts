/** Reliability at the wire: kept-alive sockets survive early answers, framework errors keep AWS's shapes. */
import net from "node:net";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { startServer, useServer } from "../helpers.js";

const sim = useServer();
beforeAll(async () => {
  await fetch(`${sim.server.url}/bkt`, { method: "PUT" });
});

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Send raw bytes on one socket and collect `count` HTTP responses (Content-Length framed or no body). */
function exchange(port: number, parts: Array<string | Buffer>, count: number, timeoutMs = 5000): Promise<{ responses: Parsed[]; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    const responses: Parsed[] = [];
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ responses, closed });
    };
    const timer = setTimeout(done, timeoutMs);
    const parse = () => {
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1").split("\r\n");
        const status = Number(head[0]!.split(" ")[1]);
        const headers: Record<string, string> = {};
        for (const l of head.slice(1)) {
          const c = l.indexOf(":");
          headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
        }
        const len = Number(headers["content-length"] ?? 0);
        if (buf.length < end + 4 + len) return;
        responses.push({ status, headers, body: buf.subarray(end + 4, end + 4 + len).toString("utf8") });
        buf = buf.subarray(end + 4 + len);
        if (responses.length >= count) return done();
      }
    };
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      parse();
    });
    sock.on("error", () => undefined);
    sock.on("close", () => {
      closed = true;
      done();
    });
    for (const p of parts) sock.write(p);
  });
}

describe("kept-alive sockets", () => {
  it("an aws-chunked PUT with a non-numeric decoded length does not stall the next request", async () => {
    const body = Buffer.alloc(300 * 1024, 97);
    const { responses } = await exchange(
      sim.server.port,
      [
        `PUT /bkt/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: abc\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        `GET /bkt?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      ],
      2,
    );
    expect(responses.length).toBe(2);
    expect(responses[0]!.status).toBe(400);
    expect(responses[1]!.status).toBe(200);
  });

  it("stay open longer than the SDKs keep idle ones (Go's transport: 90 s), so none is reused as it closes", async () => {
    const { responses, closed } = await exchange(sim.server.port, [`GET /bkt?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`], 1);
    expect(responses[0]!.status).toBe(200);
    expect(closed).toBe(false);
    // Node advertises the server's keepAliveTimeout in seconds.
    expect(responses[0]!.headers["keep-alive"]).toBe("timeout=120");
  });
});

const ecs = (ct: string | undefined, body = "{}") =>
  `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n` +
  `${ct === undefined ? "" : `Content-Type: ${ct}\r\n`}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe("framework errors never reach a client", () => {
  it("a JSON request with an empty or unknown Content-Type is answered by the service", async () => {
    const { responses } = await exchange(sim.server.port, [ecs(""), ecs("nonsense"), ecs('a/b; charset="x'), ecs(undefined)], 4);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const r of responses) expect(JSON.parse(r.body)).toEqual({ clusterArns: [] });
  });

  it("a malformed JSON body gets SerializationException in the JSON envelope", async () => {
    const { responses } = await exchange(sim.server.port, [ecs("application/x-amz-json-1.1", "{not json")], 1);
    expect(responses[0]!.status).toBe(400);
    expect(responses[0]!.headers["x-amzn-errortype"]).toBe("SerializationException");
    expect(JSON.parse(responses[0]!.body).__type).toBe("SerializationException");
  });

  it("an unknown HTTP method and a long path parameter get AWS errors, not Fastify's", async () => {
    const { responses } = await exchange(
      sim.server.port,
      [`PROPFIND /bkt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, `GET /bkt/${"k".repeat(2000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`],
      2,
    );
    expect(responses.map((r) => r.status)).toEqual([405, 404]);
    for (const r of responses) {
      expect(r.body).not.toMatch(/FST_ERR|statusCode/);
      expect(r.body).toMatch(/^<\?xml .*<Error><Code>\w+<\/Code>/s);
    }
  });

  it("headers over the size limit get an XML error and a closed connection", async () => {
    const big = "x".repeat(40 * 1024);
    const { responses, closed } = await exchange(sim.server.port, [`GET /bkt HTTP/1.1\r\nHost: 127.0.0.1\r\nx-amz-meta-big: ${big}\r\n\r\n`], 1);
    expect(responses[0]!.status).toBe(400);
    expect(responses[0]!.body).toContain("<Code>RequestHeaderSectionTooLarge</Code>");
    expect(responses[0]!.headers.connection).toBe("close");
    void closed;
  });

  it("a malformed request line gets a 400 in an AWS shape", async () => {
    const { responses } = await exchange(sim.server.port, [`GARBAGE\r\n\r\n`], 1);
    expect(responses[0]!.status).toBe(400);
    expect(responses[0]!.body).toContain("<Code>BadRequest</Code>");
  });

  it("an X-Amz-Target request with oversized headers gets the JSON envelope", async () => {
    const big = "x".repeat(40 * 1024);
    const { responses } = await exchange(
      sim.server.port,
      [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: Logs_20140328.DescribeLogGroups\r\nx-big: ${big}\r\n\r\n`],
      1,
    );
    expect(responses[0]!.status).toBe(400);
    expect(JSON.parse(responses[0]!.body).__type).toBe("RequestHeaderSectionTooLarge");
  });
});

describe("early answers on kept-alive sockets", () => {
  it("an unread body of unknown length (chunked transfer) is answered with Connection: close", async () => {
    const chunk = Buffer.alloc(100 * 1024, 98);
    const { responses, closed } = await exchange(
      sim.server.port,
      [`PUT /no-such-bucket-here/k HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n`, `${chunk.length.toString(16)}\r\n`, chunk, "\r\n"],
      2,
      1500,
    );
    expect(responses[0]!.status).toBe(404);
    expect(responses[0]!.headers.connection).toBe("close");
    expect(closed).toBe(true);
  });

  it("an early answer to a body of declared, moderate size drains it and keeps the connection", async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 99);
    const { responses } = await exchange(
      sim.server.port,
      [
        `PUT /no-such-bucket-here/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        `GET /bkt?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      ],
      2,
    );
    expect(responses.map((r) => r.status)).toEqual([404, 200]);
    expect(responses[0]!.headers.connection).toBe("keep-alive");
  });

  it("an x-amz-content-sha256 naming no payload mode does not stall the socket", async () => {
    const body = Buffer.alloc(300 * 1024, 97);
    const { responses } = await exchange(
      sim.server.port,
      [
        `PUT /bkt/k2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-NONSENSE\r\nx-amz-decoded-content-length: 5\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        `GET /bkt?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      ],
      2,
    );
    expect(responses.length).toBe(2);
    expect(responses[0]!.status).toBeGreaterThanOrEqual(400);
    expect(responses[0]!.status).toBeLessThan(500);
    expect(responses[1]!.status).toBe(200);
  });
});

describe("a client that disconnects mid-request", () => {
  it("is logged at debug, one line, no stack", async () => {
    const dbg = await startServer({ logLevel: "debug" });
    // Load the services first, so each disconnect below is seen within the test's window.
    await fetch(dbg.url, { method: "POST", headers: { "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListClusters" }, body: "{}" });
    await fetch(`${dbg.url}/2015-03-31/functions/f/invocations`, { method: "POST", body: "{}" });
    await fetch(`${dbg.url}/dl-bucket`, { method: "PUT" });
    await fetch(`${dbg.url}/dl-bucket/big`, { method: "PUT", body: Buffer.alloc(8 * 1024 * 1024, 1) });
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      for (const head of [
        `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\nContent-Length: 1000\r\n\r\n{"a":`,
        `PUT /bkt/gone HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nabc`,
        `POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{`,
      ]) {
        const sock = net.connect(dbg.port, "127.0.0.1");
        await new Promise<void>((r) => sock.once("connect", () => r()));
        sock.write(head);
        await new Promise((r) => setTimeout(r, 50));
        sock.destroy();
      }
      // A download the client abandons after its first bytes.
      const sock = net.connect(dbg.port, "127.0.0.1");
      await new Promise<void>((r) => sock.once("connect", () => r()));
      sock.write(`GET /dl-bucket/big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await new Promise<void>((r) => sock.once("data", () => r()));
      sock.destroy();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      spy.mockRestore();
      await dbg.stop();
    }
    const text = lines.join("");
    expect(text).not.toMatch(/ERROR/);
    expect(text).not.toMatch(/\n\s+at /);
    const gone = text.split("\n").filter((l) => l.includes("client disconnected"));
    expect(gone.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain("ecs ListClusters: client disconnected before the request was complete");
    expect(text).toContain("GetObject: client disconnected during the response");
    for (const l of gone) expect(l).toMatch(/^\S+ DEBUG /);
  });
});

describe("--also-listen ports", () => {
  it("answer like the main port: AWS errors for parser failures, no content-type rules, admin paths", async () => {
    const multi = await startServer({ alsoListen: [0] });
    try {
      const port = multi.ports[0]!;
      const big = "x".repeat(40 * 1024);
      const over = await exchange(port, [`GET /bkt HTTP/1.1\r\nHost: 127.0.0.1\r\nx-big: ${big}\r\n\r\n`], 1);
      expect(over.responses[0]!.status).toBe(400);
      expect(over.responses[0]!.body).toContain("<Code>RequestHeaderSectionTooLarge</Code>");
      const { responses } = await exchange(port, [ecs(""), `GET /_awsim/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`], 2);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(JSON.parse(responses[1]!.body).status).toBe("ok");
    } finally {
      await multi.stop();
    }
  });
});

describe("awsim's own endpoints", () => {
  it("answer unknown paths and bad content types in the admin shape, not Fastify's", async () => {
    const { responses } = await exchange(
      sim.server.port,
      [
        `GET /_awsim/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
        `POST /_awsim/reset?service=nope HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \r\nContent-Length: 2\r\n\r\n{}`,
      ],
      2,
    );
    expect(responses.map((r) => r.status)).toEqual([404, 400]);
    for (const r of responses) {
      expect(r.body).not.toMatch(/FST_|statusCode/);
      expect(typeof JSON.parse(r.body).error).toBe("string");
    }
  });
});
