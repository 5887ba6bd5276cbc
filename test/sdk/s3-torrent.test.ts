/** GetObjectTorrent: S3's bencoded metainfo (tracker, 256 KiB SHA-1 pieces, name = key), and its refusals. */
import { CreateBucketCommand, GetObjectTorrentCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

type Value = number | Buffer | Value[] | { [k: string]: Value };

/** A strict bencode decoder (BEP 3), independent of the server's encoder; checks key order too. */
function decode(buf: Buffer): Value {
  let i = 0;
  const next = (): Value => {
    const c = String.fromCharCode(buf[i]!);
    if (c === "i") {
      const end = buf.indexOf("e", i);
      const n = Number(buf.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === "l") {
      i++;
      const out: Value[] = [];
      while (buf[i] !== 0x65) out.push(next());
      i++;
      return out;
    }
    if (c === "d") {
      i++;
      const out: Record<string, Value> = {};
      let prev: Buffer | undefined;
      while (buf[i] !== 0x65) {
        const k = next() as Buffer;
        if (prev) expect(Buffer.compare(prev, k)).toBe(-1);
        prev = k;
        out[k.toString()] = next();
      }
      i++;
      return out;
    }
    const colon = buf.indexOf(":", i);
    const len = Number(buf.subarray(i, colon).toString());
    const s = buf.subarray(colon + 1, colon + 1 + len);
    i = colon + 1 + len;
    return s;
  };
  const v = next();
  expect(i).toBe(buf.length);
  return v;
}

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeAll(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "tor" }));
});

describe("GetObjectTorrent", () => {
  it("returns S3's metainfo: tracker, announce-list, info with length, name, 256 KiB SHA-1 pieces, bucket and key", async () => {
    const body = randomBytes(600_000);
    await sim.s3.send(new PutObjectCommand({ Bucket: "tor", Key: "dir/movie.bin", Body: body }));
    const res = await sim.s3.send(new GetObjectTorrentCommand({ Bucket: "tor", Key: "dir/movie.bin" }));
    const raw = Buffer.from(await res.Body!.transformToByteArray());
    const t = decode(raw) as Record<string, any>;
    expect(Object.keys(t)).toEqual(["announce", "announce-list", "info"]);
    expect(t.announce.toString()).toBe("http://tracker.amazonaws.com:6969/announce");
    expect(t["announce-list"].map((l: Buffer[]) => l.map(String))).toEqual([["http://tracker.amazonaws.com:6969/announce"]]);
    const info = t.info;
    expect(Object.keys(info)).toEqual(["length", "name", "piece length", "pieces", "x-amz-bucket", "x-amz-key"]);
    expect([info.length, info.name.toString(), info["piece length"], info["x-amz-bucket"].toString(), info["x-amz-key"].toString()]).toEqual([
      600_000,
      "dir/movie.bin",
      262_144,
      "tor",
      "dir/movie.bin",
    ]);
    const want = [0, 262_144, 524_288].map((o) =>
      createHash("sha1")
        .update(body.subarray(o, o + 262_144))
        .digest(),
    );
    expect((info.pieces as Buffer).equals(Buffer.concat(want))).toBe(true);
  });

  it("an empty object has no pieces; a missing key is NoSuchKey; an SSE-C object needs a key the request cannot carry", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "tor", Key: "empty", Body: "" }));
    const t = decode(Buffer.from(await (await sim.s3.send(new GetObjectTorrentCommand({ Bucket: "tor", Key: "empty" }))).Body!.transformToByteArray()));
    expect((t as any).info.length).toBe(0);
    expect((t as any).info.pieces.length).toBe(0);
    await expectAwsError(sim.s3.send(new GetObjectTorrentCommand({ Bucket: "tor", Key: "missing" })), { name: "NoSuchKey", status: 404 });
    const key = randomBytes(32);
    await sim.s3.send(
      new PutObjectCommand({
        Bucket: "tor",
        Key: "ssec",
        Body: "secret",
        SSECustomerAlgorithm: "AES256",
        SSECustomerKey: key.toString("base64"),
        SSECustomerKeyMD5: createHash("md5").update(key).digest("base64"),
      }),
    );
    await expectAwsError(sim.s3.send(new GetObjectTorrentCommand({ Bucket: "tor", Key: "ssec" })), { name: "InvalidRequest", status: 400 });
  });
});

describe("WriteGetObjectResponse", () => {
  it("answers 501 NotImplemented: there are no Object Lambda access points, so no pending GetObject to answer", async () => {
    const { WriteGetObjectResponseCommand } = await import("@aws-sdk/client-s3");
    // The SDK puts RequestRoute in front of the endpoint host (io-cell001.127.0.0.1): disableHostPrefix keeps the endpoint.
    const c = new S3Client(clientConfig(sim.server, { forcePathStyle: true, disableHostPrefix: true }));
    await expectAwsError(c.send(new WriteGetObjectResponseCommand({ RequestRoute: "io-cell001", RequestToken: "token", Body: "x", StatusCode: 200 })), {
      name: "NotImplemented",
      status: 501,
    });
  });
});
