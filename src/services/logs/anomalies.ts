/**
 * Log anomaly detectors: created over existing log groups, described, listed (by log group, paginated),
 * updated (enabled false → PAUSED) and deleted. Status INITIALIZING → TRAINING → ANALYZING, each step
 * config.transitionDelayMs (0: ANALYZING at once). awsim runs no anomaly detection: ListAnomalies of a
 * detector is empty, and UpdateAnomaly of an anomaly or pattern id answers ResourceNotFoundException.
 */
import { randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { findGroup, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { compileFilterPattern } from "./filter-pattern.js";
import type { LogsState, Named } from "./state.js";

const FREQUENCIES = ["ONE_MIN", "FIVE_MIN", "TEN_MIN", "FIFTEEN_MIN", "THIRTY_MIN", "ONE_HOUR"];

function status(ctx: Ctx, d: Named): string {
  if (d.enabled === false) return "PAUSED";
  const delay = ctx.config.transitionDelayMs;
  const elapsed = ctx.now().getTime() - (d.creationTimeStamp as number);
  if (delay && elapsed < delay) return "INITIALIZING";
  if (delay && elapsed < 2 * delay) return "TRAINING";
  return "ANALYZING";
}

function out(ctx: Ctx, d: Named) {
  return {
    anomalyDetectorArn: d.arn,
    detectorName: d.detectorName as string | undefined,
    logGroupArnList: d.logGroupArnList as string[],
    evaluationFrequency: d.evaluationFrequency as never,
    filterPattern: d.filterPattern as string | undefined,
    anomalyDetectorStatus: status(ctx, d) as never,
    kmsKeyId: d.kmsKeyId as string | undefined,
    creationTimeStamp: d.creationTimeStamp as number,
    lastModifiedTimeStamp: d.lastModifiedTimeStamp as number,
    anomalyVisibilityTime: d.anomalyVisibilityTime as number,
  };
}

function findDetector(st: LogsState, arn: unknown): Named {
  const d = st.anomalyDetectors.get(String(arn));
  if (!d) throw LogsErrors.resourceNotFound("The specified anomaly detector does not exist.");
  return d;
}

function checkVisibility(days: number | undefined) {
  if (days !== undefined && (days < 7 || days > 90)) throw LogsErrors.invalidParameter("anomalyVisibilityTime must be between 7 and 90 days.");
}

export function CreateLogAnomalyDetector(
  ctx: Ctx,
  v: {
    logGroupArnList: string[];
    detectorName?: string;
    evaluationFrequency?: string;
    filterPattern?: string;
    kmsKeyId?: string;
    anomalyVisibilityTime?: number;
    tags?: Record<string, string>;
  },
) {
  const st = state(ctx);
  const groups = (Array.isArray(v.logGroupArnList) ? v.logGroupArnList : []).map((a) => findGroup(st, { logGroupIdentifier: String(a) }));
  if (groups.length === 0) throw LogsErrors.invalidParameter("logGroupArnList must contain at least one log group ARN.");
  if (v.filterPattern !== undefined) compileFilterPattern(v.filterPattern);
  checkVisibility(v.anomalyVisibilityTime);
  const arn = `arn:aws:logs:${st.region}:${st.accountId}:anomaly-detector:${randomUUID()}`;
  const now = ctx.now().getTime();
  st.anomalyDetectors.set(arn, {
    name: arn,
    arn,
    tags: new Map(Object.entries(v.tags ?? {})),
    detectorName: v.detectorName,
    logGroupArnList: v.logGroupArnList.map((a) => a.replace(/:\*$/, "")),
    evaluationFrequency: v.evaluationFrequency ?? FREQUENCIES[1],
    filterPattern: v.filterPattern,
    kmsKeyId: v.kmsKeyId,
    anomalyVisibilityTime: v.anomalyVisibilityTime ?? 21,
    creationTimeStamp: now,
    lastModifiedTimeStamp: now,
    enabled: true,
  });
  return { anomalyDetectorArn: arn };
}

export function GetLogAnomalyDetector(ctx: Ctx, v: { anomalyDetectorArn: string }) {
  const { anomalyDetectorArn: _, ...rest } = out(ctx, findDetector(state(ctx), v.anomalyDetectorArn));
  return rest;
}

export function ListLogAnomalyDetectors(ctx: Ctx, v: { filterLogGroupArn?: string; limit?: number; nextToken?: string }) {
  const st = state(ctx);
  const want = v.filterLogGroupArn?.replace(/:\*$/, "");
  const all = [...st.anomalyDetectors.values()]
    .filter((d) => want === undefined || (d.logGroupArnList as string[]).includes(want))
    .sort((a, b) => (a.arn < b.arn ? -1 : 1));
  const page = paginate(all, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: (d) => d.arn, invalidToken: LogsErrors.invalidToken });
  return { anomalyDetectors: page.items.map((d) => out(ctx, d)), nextToken: page.nextToken };
}

export function UpdateLogAnomalyDetector(
  ctx: Ctx,
  v: { anomalyDetectorArn: string; enabled: boolean; evaluationFrequency?: string; filterPattern?: string; anomalyVisibilityTime?: number },
) {
  const d = findDetector(state(ctx), v.anomalyDetectorArn);
  if (v.filterPattern !== undefined) compileFilterPattern(v.filterPattern);
  checkVisibility(v.anomalyVisibilityTime);
  d.enabled = v.enabled !== false;
  if (v.evaluationFrequency !== undefined) d.evaluationFrequency = v.evaluationFrequency;
  if (v.filterPattern !== undefined) d.filterPattern = v.filterPattern;
  if (v.anomalyVisibilityTime !== undefined) d.anomalyVisibilityTime = v.anomalyVisibilityTime;
  d.lastModifiedTimeStamp = ctx.now().getTime();
  return {};
}

export function DeleteLogAnomalyDetector(ctx: Ctx, v: { anomalyDetectorArn: string }) {
  const st = state(ctx);
  findDetector(st, v.anomalyDetectorArn);
  st.anomalyDetectors.delete(String(v.anomalyDetectorArn));
  return {};
}

export function ListAnomalies(ctx: Ctx, v: { anomalyDetectorArn?: string; limit?: number; nextToken?: string }) {
  const st = state(ctx);
  if (v.anomalyDetectorArn !== undefined) findDetector(st, v.anomalyDetectorArn);
  if (v.nextToken !== undefined) throw LogsErrors.invalidToken();
  return { anomalies: [] };
}

export function UpdateAnomaly(
  ctx: Ctx,
  v: {
    anomalyDetectorArn: string;
    anomalyId?: string;
    patternId?: string;
    suppressionType?: string;
    suppressionPeriod?: { value?: number; suppressionUnit?: string };
  },
) {
  findDetector(state(ctx), v.anomalyDetectorArn);
  // "You must specify either anomalyId or patternId, but you can't specify both" and "If you specify LIMITED, you
  // must also specify a suppressionPeriod" (the API reference; the messages are awsim's).
  if (v.anomalyId === undefined && v.patternId === undefined) throw LogsErrors.invalidParameter("Either anomalyId or patternId must be specified.");
  if (v.anomalyId !== undefined && v.patternId !== undefined) throw LogsErrors.invalidParameter("Specify either anomalyId or patternId, not both.");
  if (v.suppressionType === "LIMITED" && v.suppressionPeriod === undefined)
    throw LogsErrors.invalidParameter("suppressionPeriod is required when suppressionType is LIMITED.");
  throw LogsErrors.resourceNotFound(v.anomalyId !== undefined ? `Anomaly ${v.anomalyId} does not exist.` : `Pattern ${v.patternId} does not exist.`);
}
