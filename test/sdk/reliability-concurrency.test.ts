/** Concurrency: racing writers to one key and racing Complete/Abort of multipart uploads leave consistent state. */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { Agent } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, useServer } from "../helpers.js";

let s3: S3Client;
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

const sim = useServer();
beforeAll(async () => {
  const { NodeHttpHandler } = await import("@smithy/node-http-handler");
  s3 = new S3Client(
    clientConfig(sim.server, { forcePathStyle: true, requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 100 }) }) }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: "race" }));
});

describe("100 concurrent PUTs to one key", () => {
  it("leave exactly one complete body, matching the ETag of one of the PUTs", async () => {
    // Sizes on both sides of the in-memory threshold (256 KiB), so memory and file bodies race too.
    const bodies = Array.from({ length: 100 }, (_, i) => Buffer.alloc(i % 3 === 0 ? 300 * 1024 + i : 1000 + i * 37, 65 + (i % 26)));
    const puts = await Promise.all(bodies.map((Body) => s3.send(new PutObjectCommand({ Bucket: "race", Key: "one-key", Body }))));
    const etags = puts.map((p) => p.ETag);
    bodies.forEach((b, i) => expect(etags[i]).toBe(`"${md5(b)}"`));

    const got = await s3.send(new GetObjectCommand({ Bucket: "race", Key: "one-key" }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    const winner = etags.indexOf(got.ETag);
    expect(winner, "the stored ETag is one PUT's ETag").toBeGreaterThanOrEqual(0);
    expect(body.equals(bodies[winner]!), "the stored body is that PUT's body, whole").toBe(true);
    expect(got.ContentLength).toBe(bodies[winner]!.length);

    const list = await s3.send(new ListObjectsV2Command({ Bucket: "race" }));
    const listed = (list.Contents ?? []).filter((o) => o.Key === "one-key");
    expect(listed).toHaveLength(1);
    expect(listed[0]!.ETag).toBe(got.ETag);
    expect(listed[0]!.Size).toBe(bodies[winner]!.length);
  });
});

describe("racing CompleteMultipartUpload and AbortMultipartUpload", () => {
  const PART = 5 * 1024 * 1024;

  /** A multipart upload with its parts sent: a 5 MiB part and a small last one, or just a small (last) part. */
  async function upload(key: string, fill: number, big = true) {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "race", Key: key }));
    const parts = big ? [Buffer.alloc(PART, fill), Buffer.alloc(1000, fill + 1)] : [Buffer.alloc(3000 + fill, fill)];
    const done = await Promise.all(parts.map((Body, i) => s3.send(new UploadPartCommand({ Bucket: "race", Key: key, UploadId, PartNumber: i + 1, Body }))));
    return { key, UploadId: UploadId!, parts, Parts: done.map((d, i) => ({ ETag: d.ETag!, PartNumber: i + 1 })) };
  }

  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ ok: false as const, error }),
    );

  it("100 racing calls over 25 uploads: each upload ends completed (whole object) or aborted (no object), nothing in between", async () => {
    const uploads = await Promise.all(Array.from({ length: 25 }, (_, i) => upload(`mpu-${i}`, 97 + (i % 20), i % 5 === 0)));
    // Per upload: two completes and two aborts. Most uploads race them head to head; a few give one side a
    // head start (so both outcomes surely occur and are checked).
    const later =
      <T>(ms: number, f: () => Promise<T>) =>
      () =>
        new Promise<void>((r) => setTimeout(r, ms)).then(f);
    const calls = uploads.flatMap((u, i) => {
      const complete = () =>
        settle(s3.send(new CompleteMultipartUploadCommand({ Bucket: "race", Key: u.key, UploadId: u.UploadId, MultipartUpload: { Parts: u.Parts } })));
      const abort = () => settle(s3.send(new AbortMultipartUploadCommand({ Bucket: "race", Key: u.key, UploadId: u.UploadId })));
      const delayAbort = i % 5 === 3 ? 300 : i % 5 === 4 ? (i % 3) * 2 : 0;
      const delayComplete = i % 5 === 2 ? 300 : i % 5 === 1 ? (i % 3) * 2 : 0;
      return [
        { u, kind: "complete", run: later(delayComplete, complete) },
        { u, kind: "abort", run: later(delayAbort, abort) },
        { u, kind: "complete", run: later(delayComplete, complete) },
        { u, kind: "abort", run: later(delayAbort, abort) },
      ];
    });
    const results = await Promise.all(calls.map((c) => c.run().then((r) => ({ ...c, r }))));
    expect(results).toHaveLength(100);

    for (const res of results) {
      if (!res.r.ok) {
        // The only acceptable failure: the upload is gone (completed or aborted by the other racer).
        expect(res.r.error.name, `${res.kind} ${res.u.key}: ${res.r.error.message}`).toBe("NoSuchUpload");
        expect(res.r.error.$metadata?.httpStatusCode).toBe(404);
      }
    }
    for (const u of uploads) {
      const mine = results.filter((x) => x.u === u);
      const completed = mine.filter((x) => x.kind === "complete" && x.r.ok);
      // A completed upload completes again with the same answer (as S3 does), so both completes may succeed;
      // an abort after the completion answers 204 as S3 does, without undoing it (checked below: the object exists).
      const head = await settle(s3.send(new HeadObjectCommand({ Bucket: "race", Key: u.key })));
      if (completed.length > 0) {
        expect(head.ok, `${u.key} completed, so it exists`).toBe(true);
        const got = await s3.send(new GetObjectCommand({ Bucket: "race", Key: u.key }));
        for (const c of completed) expect(got.ETag).toBe((c.r as { ok: true; value: { ETag?: string } }).value.ETag);
        expect(got.ETag).toBe(`"${md5(Buffer.concat(u.parts.map((p) => createHash("md5").update(p).digest())))}-${u.parts.length}"`);
        const body = Buffer.from(await got.Body!.transformToByteArray());
        expect(body.equals(Buffer.concat(u.parts))).toBe(true);
      } else {
        expect(head.ok, `${u.key} was never completed, so no object`).toBe(false);
        expect(
          mine.some((x) => x.kind === "abort" && x.r.ok),
          `${u.key}: aborted`,
        ).toBe(true);
      }
    }
    // Both outcomes happened (the orders differ per upload), so the race was real.
    const completedKeys = new Set(results.filter((x) => x.kind === "complete" && x.r.ok).map((x) => x.u.key));
    expect(completedKeys.size).toBeGreaterThan(0);
    expect(completedKeys.size).toBeLessThan(uploads.length);
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: "race" }));
    expect(open.Uploads ?? []).toEqual([]);
  });

  it("two uploads to one key completing at once leave one of them, whole", async () => {
    const a = await upload("same-key", 120);
    const b = await upload("same-key", 60);
    const done = await Promise.all(
      [a, b].map((u) => s3.send(new CompleteMultipartUploadCommand({ Bucket: "race", Key: u.key, UploadId: u.UploadId, MultipartUpload: { Parts: u.Parts } }))),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: "race", Key: "same-key" }));
    const i = done.findIndex((d) => d.ETag === got.ETag);
    expect(i).toBeGreaterThanOrEqual(0);
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(body.equals(Buffer.concat([a, b][i]!.parts))).toBe(true);
  });
});
