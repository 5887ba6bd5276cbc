/**
 * Export tasks: CreateExportTask writes the group's events of [from, to] (epoch ms) into an S3 bucket of
 * this server, through its own S3 API, laid out as AWS does: `<prefix>/aws-logs-write-test` (the
 * permission check marker; at the bucket's root when no prefix was given), then
 * `<prefix>/<taskId>/<logStream>/000000.gz`, gzip'd lines "<ISO-8601 timestamp> <message>". The default
 * prefix is "exportedlogs". DescribeExportTasks reports
 * PENDING → RUNNING → COMPLETED (each step config.transitionDelayMs; 0: COMPLETED at once);
 * CancelExportTask cancels one that has not finished. One active export task per account, as AWS.
 * Bucket policies are not evaluated.
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { findGroup, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { expireGroup } from "./retention.js";
import type { ExportRec, LogsState } from "./state.js";

/** A PENDING task's status has no message (recorded against AWS, 2026: {"code": "PENDING"}). */
function statusOf(ctx: Ctx, t: ExportRec): { code: string; message?: string } {
  if (t.cancelled) return { code: "CANCELLED", message: "Cancelled by user" };
  if (t.failed) return { code: "FAILED", message: t.failed };
  const d = ctx.config.transitionDelayMs;
  const elapsed = ctx.now().getTime() - t.creationTime;
  if (d && elapsed < d) return { code: "PENDING" };
  if (d && elapsed < 2 * d) return { code: "RUNNING", message: "Started successfully" };
  return { code: "COMPLETED", message: "Completed successfully" };
}

export function putObject(st: LogsState, bucket: string, key: string, body: Buffer, encoding?: string): Promise<number> {
  const url = new URL(`${st.sim!.url()}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "PUT",
        agent: false,
        headers: {
          connection: "close",
          "content-length": String(body.length),
          "content-type": encoding ? "application/octet-stream" : "text/plain",
          ...(encoding ? { "content-encoding": encoding } : {}),
          authorization: `AWS4-HMAC-SHA256 Credential=${st.accountId}/20260101/${st.region}/s3/aws4_request, SignedHeaders=host, Signature=0`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

export async function CreateExportTask(
  ctx: Ctx,
  v: { taskName?: string; logGroupName: string; logStreamNamePrefix?: string; from: number; to: number; destination: string; destinationPrefix?: string },
) {
  const st = state(ctx);
  const g = findGroup(st, { logGroupName: v.logGroupName });
  if (typeof v.from !== "number" || typeof v.to !== "number" || v.from > v.to) {
    throw LogsErrors.invalidParameter(
      `Specified time range of '${v.from}' and '${v.to}' is not valid. Please make sure the values are within the retention period of the log group and from value is lesser than the to values`,
    );
  }
  const s3 = await ctx.stateOf<{ buckets: Map<string, { region: string }> }>("s3");
  const bucket = s3.buckets.get(String(v.destination));
  if (!bucket) throw LogsErrors.invalidParameter("The given bucket does not exist. Please make sure the bucket is valid.");
  if (bucket.region !== st.region)
    throw LogsErrors.invalidParameter("The given bucket is not in the same region as the log group. Please specify a bucket in the same region.");
  const active = [...st.exportTasks.values()].filter((t) => ["PENDING", "RUNNING"].includes(statusOf(ctx, t).code));
  if (active.length > 0) throw LogsErrors.limitExceeded("Resource limit exceeded.");
  const taskId = randomUUID();
  const prefix = (v.destinationPrefix ?? "exportedlogs").replace(/\/+$/, "");
  const rec: ExportRec = {
    taskId,
    taskName: v.taskName,
    logGroupName: g.name,
    from: v.from,
    to: v.to,
    destination: v.destination,
    destinationPrefix: prefix,
    creationTime: ctx.now().getTime(),
  };
  st.exportTasks.set(taskId, rec);
  expireGroup(g, ctx.now().getTime());
  const base = prefix ? `${prefix}/` : "";
  // Without a destinationPrefix AWS writes its marker at the bucket's root (aws_verified in moto's suite).
  const marker = v.destinationPrefix === undefined ? "" : base;
  const ok = (await putObject(st, v.destination, `${marker}aws-logs-write-test`, Buffer.from("Permission Check Successful"))) === 200;
  if (!ok) rec.failed = "Failed to write to the destination bucket";
  for (const s of g.streams.values()) {
    if (rec.failed) break;
    if (v.logStreamNamePrefix !== undefined && !s.name.startsWith(v.logStreamNamePrefix)) continue;
    const lines = s.events.filter((e) => e.timestamp >= v.from && e.timestamp <= v.to).map((e) => `${new Date(e.timestamp).toISOString()} ${e.message}\n`);
    if (lines.length === 0) continue;
    const status = await putObject(st, v.destination, `${base}${taskId}/${s.name}/000000.gz`, gzipSync(Buffer.from(lines.join(""))));
    if (status !== 200) rec.failed = "Failed to write to the destination bucket";
  }
  return { taskId };
}

export function DescribeExportTasks(ctx: Ctx, v: { taskId?: string; statusCode?: string; nextToken?: string; limit?: number }) {
  const st = state(ctx);
  const all = [...st.exportTasks.values()]
    .map((t) => t)
    .map((t) => ({ t, status: statusOf(ctx, t) }))
    .filter(({ t, status }) => (v.taskId === undefined || t.taskId === v.taskId) && (v.statusCode === undefined || status.code === v.statusCode))
    .sort((a, b) => b.t.creationTime - a.t.creationTime || (a.t.taskId < b.t.taskId ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.limit,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: ({ t }) => `${String(1e15 - t.creationTime).padStart(16, "0")}/${t.taskId}`,
    invalidToken: LogsErrors.invalidToken,
  });
  return {
    exportTasks: page.items.map(({ t, status }) => ({
      taskId: t.taskId,
      taskName: t.taskName,
      logGroupName: t.logGroupName,
      from: t.from,
      to: t.to,
      destination: t.destination,
      destinationPrefix: t.destinationPrefix,
      status,
      executionInfo: {
        creationTime: t.creationTime,
        completionTime: status.code === "COMPLETED" ? t.creationTime + 2 * ctx.config.transitionDelayMs : undefined,
      },
    })),
    nextToken: page.nextToken,
  };
}

export function CancelExportTask(ctx: Ctx, v: { taskId: string }) {
  const t = state(ctx).exportTasks.get(String(v.taskId));
  if (!t) throw LogsErrors.resourceNotFound("The specified export task does not exist.");
  const code = statusOf(ctx, t).code;
  if (code !== "PENDING" && code !== "RUNNING") throw LogsErrors.invalidOperation(`The specified export task has already finished. Current status: ${code}`);
  t.cancelled = true;
  return {};
}
