/**
 * --persist, format 2 (snapshot + append-only log): what a request writes is its records, not the whole
 * state; a torn last frame is dropped; compaction moves to a new generation; deletions persist; bodies of
 * files S3 removed before the deletion reached the log come back from the journal's links.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  TagUserCommand,
} from "@aws-sdk/client-iam";
import { CreateLogGroupCommand, CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { frame, framePieces, readFrames } from "../../src/persist/log.js";
import { decodeObj, JSON_TAG } from "../../src/persist/objcodec.js";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "awsim-plog-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.AWSIM_PERSIST_COMPACT_BYTES;
});

/** Every record of the state directory's files (snapshot, then log), with the file it came from. */
function records(dataDir: string): Array<{ file: string; t: string; s?: string; n?: string; k?: unknown; v?: unknown }> {
  const state = join(dataDir, "state");
  const out: Array<{ file: string; t: string }> = [];
  const files = readdirSync(state)
    .filter((f) => /^(snap|log)-\d+\.(v8|bin)$/.test(f))
    .sort((a, b) => (a.startsWith("snap") === b.startsWith("snap") ? a.localeCompare(b) : a.startsWith("snap") ? -1 : 1));
  for (const f of files)
    readFrames(readFileSync(join(state, f)), (r) => {
      const rec = r[0] === JSON_TAG ? decodeObj(r, true) : deserialize(r);
      out.push({ file: f, ...rec, t: rec.t ?? "header" });
    });
  return out;
}

const put = (s: AwsimServer, path: string, body?: string | NonSharedBuffer) => fetch(`${s.url}${path}`, { method: "PUT", body });
const text = async (s: AwsimServer, path: string) => {
  const r = await fetch(`${s.url}${path}`);
  return r.status === 200 ? await r.text() : r.status;
};

describe("--persist log", () => {
  it("a frame written as pieces (records not copied) is byte for byte the frame of the whole records", () => {
    const recs = [Buffer.from("first"), Buffer.alloc(0), Buffer.alloc(5000, 7), Buffer.from("x")];
    const asPieces = [recs[0]!, [Buffer.alloc(0)], [recs[2]!.subarray(0, 1), Buffer.alloc(0), recs[2]!.subarray(1)], [Buffer.from("x")]];
    const whole = frame(recs);
    expect(Buffer.concat(framePieces(asPieces)).equals(whole)).toBe(true);
    const back: string[] = [];
    readFrames(Buffer.concat(framePieces(asPieces)), (r) => back.push(r.toString("hex")));
    expect(back).toEqual(recs.map((r) => r.toString("hex")));
  });

  it("a PUT appends its object's record, not the bucket's objects", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await put(a, "/logb");
    for (let i = 0; i < 50; i++) expect((await put(a, `/logb/k${i}`, `v${i}`)).status).toBe(200);
    const before = records(dataDir).filter((r) => r.t === "obj").length;
    expect(before).toBe(50);
    const size = statSync(join(dataDir, "state", "log-0.bin")).size;
    expect((await put(a, "/logb/k7", "seven")).status).toBe(200);
    const recs = records(dataDir).filter((r) => r.t === "obj");
    // One more object record (k7's), and the log grew by about one record, not by 50.
    expect(recs.length).toBe(51);
    expect(recs.at(-1)).toMatchObject({ n: "logb", k: "k7" });
    expect(statSync(join(dataDir, "state", "log-0.bin")).size - size).toBeLessThan(2000);
    // Reads touch records but write nothing new.
    for (let i = 0; i < 10; i++) expect(await text(a, `/logb/k${i}`)).toBe(i === 7 ? "seven" : `v${i}`);
    expect((await put(a, "/logb/k8", "eight")).status).toBe(200);
    expect(records(dataDir).filter((r) => r.t === "obj").length).toBe(52);
    await a.stop();
  });

  it("--fsync always: each commit synced; state back after a restart", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir, fsync: "always" });
    await put(a, "/alw");
    await Promise.all(Array.from({ length: 20 }, (_, i) => put(a, `/alw/k${i}`, `v${i}`)));
    await a.stop();
    const b = await startServer({ persist: true, dataDir, fsync: "always" });
    for (let i = 0; i < 20; i++) expect(await text(b, `/alw/k${i}`)).toBe(`v${i}`);
    await b.stop();
  });

  it("a torn last frame (a crash mid-write) is dropped, the log is cut there and appended to again", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await put(a, "/torn");
    await put(a, "/torn/a", "alpha");
    await put(a, "/torn/b", "beta");
    await a.stop();
    const log = join(dataDir, "state", "log-0.bin");
    const good = statSync(log).size;
    // A frame whose header promises more bytes than were written, as a crash mid-append leaves it.
    const { serialize } = await import("node:v8");
    const whole = frame([serialize({ t: "obj", n: "torn", k: "c", v: { versions: [] } })]);
    appendFileSync(log, whole.subarray(0, whole.length - 7));
    const b = await startServer({ persist: true, dataDir });
    expect(statSync(log).size).toBe(good);
    expect(await text(b, "/torn/a")).toBe("alpha");
    expect(await text(b, "/torn/b")).toBe("beta");
    expect(await text(b, "/torn/c")).toBe(404);
    await put(b, "/torn/d", "delta");
    await b.stop();
    // A frame with a wrong checksum is dropped the same way.
    const bad = Buffer.from(frame([serialize({ t: "obj", n: "torn", k: "e", v: { versions: [] } })]));
    bad[bad.length - 1] ^= 0xff;
    appendFileSync(log, bad);
    const c = await startServer({ persist: true, dataDir });
    expect(await text(c, "/torn/d")).toBe("delta");
    expect(await text(c, "/torn/a")).toBe("alpha");
    expect(await text(c, "/torn/e")).toBe(404);
    await c.stop();
  });

  it("objects a compaction wrote are not written again by the next full write (graceful stop) while unchanged", async () => {
    process.env.AWSIM_PERSIST_COMPACT_BYTES = "20000";
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await put(a, "/same");
    const body = Buffer.alloc(1000, 2);
    for (let i = 0; i < 40; i++) expect((await put(a, `/same/k${i}`, body)).status).toBe(200);
    const inLog = () => records(dataDir).filter((r) => r.file.startsWith("log-") && r.t === "obj");
    const before = inLog().map((r) => r.k);
    await a.stop(); // a full write of every record touched since the last periodic one
    const after = inLog().map((r) => r.k);
    expect(records(dataDir).some((r) => r.file.startsWith("snap-"))).toBe(true);
    expect(after).toEqual(before);
    const b = await startServer({ persist: true, dataDir });
    for (let i = 0; i < 40; i++) expect(Buffer.from(await (await fetch(`${b.url}/same/k${i}`)).arrayBuffer()).equals(body)).toBe(true);
    await b.stop();
  });

  it("compaction starts a new generation; deletions, versions and buckets survive it and a restart", async () => {
    process.env.AWSIM_PERSIST_COMPACT_BYTES = "20000";
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await put(a, "/gen");
    await put(a, "/gone");
    await put(a, "/ver");
    await put(
      a,
      "/ver?versioning",
      '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>',
    );
    const body = Buffer.alloc(1000, 1);
    for (let i = 0; i < 100; i++) expect((await put(a, `/gen/k${i}`, body)).status).toBe(200);
    for (let i = 0; i < 100; i += 3) expect((await fetch(`${a.url}/gen/k${i}`, { method: "DELETE" })).status).toBe(204);
    await put(a, "/ver/x", "one");
    await put(a, "/ver/x", "two");
    expect((await fetch(`${a.url}/gone`, { method: "DELETE" })).status).toBe(204);
    const files = readdirSync(join(dataDir, "state"));
    const gens = files.filter((f) => f.startsWith("snap-")).map((f) => Number(/\d+/.exec(f)![0]));
    expect(gens.length).toBe(1); // older generations removed
    expect(gens[0]).toBeGreaterThan(0);
    expect(files).toContain(`log-${gens[0]}.bin`);
    await a.stop();

    const b = await startServer({ persist: true, dataDir });
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${b.url}/gen/k${i}`);
      expect(r.status, `k${i}`).toBe(i % 3 === 0 ? 404 : 200);
      if (r.status === 200) expect(Buffer.from(await r.arrayBuffer()).equals(body)).toBe(true);
    }
    expect((await fetch(`${b.url}/gone`, { method: "HEAD" })).status).toBe(404);
    const versions = await text(b, "/ver?versions");
    expect(String(versions).match(/<Version>/g)?.length).toBe(2);
    expect(await text(b, "/ver/x")).toBe("two");
    const list = String(await text(b, "/gen?list-type=2"));
    expect(list).toContain("<KeyCount>66</KeyCount>");
    await b.stop();
  });

  it("other services: entries of top-level maps as records; deletions and in-place changes persist", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    const iam = new IAMClient(clientConfig(a));
    for (let i = 0; i < 20; i++) await iam.send(new CreateUserCommand({ UserName: `u${i}` }));
    await iam.send(new DeleteUserCommand({ UserName: "u3" }));
    await iam.send(new TagUserCommand({ UserName: "u5", Tags: [{ Key: "team", Value: "blue" }] }));
    const logs = new CloudWatchLogsClient(clientConfig(a));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/plog" }));
    const iamRecs = records(dataDir).filter((r) => r.s === "iam");
    // IAM writes record by record: far fewer bytes than 21 whole-scope copies would take.
    expect(iamRecs.some((r) => r.t === "ent")).toBe(true);
    expect(iamRecs.filter((r) => r.t === "scope").length).toBe(0);
    const before = (await iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName).sort();
    await a.stop();

    const b = await startServer({ persist: true, dataDir });
    const iam2 = new IAMClient(clientConfig(b));
    expect((await iam2.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName).sort()).toEqual(before);
    expect(before).not.toContain("u3");
    expect((await iam2.send(new GetUserCommand({ UserName: "u5" }))).User!.Tags).toEqual([{ Key: "team", Value: "blue" }]);
    expect((await new CloudWatchLogsClient(clientConfig(b)).send(new DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName)).toEqual(["/plog"]);
    // Changes after a restart (tracking resumes on the loaded state) persist too.
    await iam2.send(new DeleteUserCommand({ UserName: "u7" }));
    await b.stop();
    const c = await startServer({ persist: true, dataDir });
    expect((await new IAMClient(clientConfig(c)).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).not.toContain("u7");
    await c.stop();
  });

  it("IAM: AWS managed policies are written only once an account uses one; an attached one survives a restart", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    const iam = new IAMClient(clientConfig(a));
    const awsPolicyRecs = () =>
      records(dataDir).filter((r) => r.s === "iam" && r.t === "ent" && String((r as { mk?: unknown }).mk).startsWith("arn:aws:iam::aws:policy/"));
    // Listing every AWS managed policy (well over a thousand) writes none of them.
    let marker: string | undefined;
    do {
      const r = await iam.send(new ListPoliciesCommand({ Scope: "AWS", Marker: marker }));
      marker = r.IsTruncated ? r.Marker : undefined;
    } while (marker);
    await iam.send(new CreateRoleCommand({ RoleName: "ssm", AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    const arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
    await iam.send(new AttachRolePolicyCommand({ RoleName: "ssm", PolicyArn: arn }));
    await a.stop();
    expect(awsPolicyRecs().map((r) => (r as { mk?: unknown }).mk)).toEqual([arn]);
    expect(statSync(join(dataDir, "state", "log-0.bin")).size).toBeLessThan(64 * 1024);

    const b = await startServer({ persist: true, dataDir });
    const iam2 = new IAMClient(clientConfig(b));
    expect((await iam2.send(new ListAttachedRolePoliciesCommand({ RoleName: "ssm" }))).AttachedPolicies).toEqual([
      { PolicyName: "AmazonSSMManagedInstanceCore", PolicyArn: arn },
    ]);
    expect((await iam2.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(1);
    await b.stop();
  });

  it("a body S3 removed before its object's deletion reached the log comes back from the journal's link", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await put(a, "/links");
    const big = Buffer.alloc(300 * 1024, 9);
    await put(a, "/links/big", big);
    await a.stop();
    // As if S3 had discarded the file of an overwrite whose record never reached the log (crash in between).
    const bodyFiles = readdirSync(dataDir).filter((f) => f.startsWith("obj-"));
    expect(bodyFiles.length).toBe(1);
    expect(readdirSync(join(dataDir, "state", "bodies"))).toEqual(bodyFiles);
    unlinkSync(join(dataDir, bodyFiles[0]!));
    const b = await startServer({ persist: true, dataDir });
    const r = await fetch(`${b.url}/links/big`);
    expect(Buffer.from(await r.arrayBuffer()).equals(big)).toBe(true);
    // Deleted for real: its link goes at the next compaction (here: the restart after a stop compacts nothing, so force one).
    expect((await fetch(`${b.url}/links/big`, { method: "DELETE" })).status).toBe(204);
    await b.snapshot("x"); // unrelated to the journal: must not disturb it
    await b.stop();
    const c = await startServer({ persist: true, dataDir });
    expect((await fetch(`${c.url}/links/big`)).status).toBe(404);
    await c.stop();
  });
});
