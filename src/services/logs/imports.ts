/**
 * Import tasks and large log objects, answered from what can exist in awsim.
 * CreateImportTask's only source is a CloudTrail Lake event data store (as AWS documents); awsim has no
 * CloudTrail, so no source exists and no import task can be created: CreateImportTask answers
 * ResourceNotFoundException for a well-formed event data store ARN, DescribeImportTasks lists none, and
 * DescribeImportTaskBatches / CancelImportTask answer ResourceNotFoundException for any import id.
 * GetLogObject reads a large log object (LLO) that CloudWatch Logs splits off events ingested through
 * PutOpenTelemetryLogs; awsim has no such ingestion, so no LLO exists and every pointer is unknown.
 */
import type { Ctx } from "../core/types.js";
import { LogsErrors } from "./errors.js";

const EVENT_DATA_STORE = /^arn:aws[\w-]*:cloudtrail:[\w-]+:\d{12}:eventdatastore\/[\w-]+$/;

export function CreateImportTask(
  _ctx: Ctx,
  v: { importSourceArn: string; importRoleArn: string; importFilter?: { startEventTime?: number; endEventTime?: number } },
) {
  if (!EVENT_DATA_STORE.test(String(v.importSourceArn)))
    throw LogsErrors.invalidParameter(`Invalid importSourceArn: ${v.importSourceArn}. Only CloudTrail Lake event data stores are supported as import sources.`);
  const f = v.importFilter;
  if (f?.startEventTime !== undefined && f.endEventTime !== undefined && f.startEventTime > f.endEventTime)
    throw LogsErrors.invalidParameter("startEventTime must be before endEventTime.");
  throw LogsErrors.resourceNotFound(`The specified event data store does not exist: ${v.importSourceArn}`);
}

export function DescribeImportTasks(_ctx: Ctx, v: { nextToken?: string }) {
  // No import task can exist, so no token this server issued can be valid either.
  if (v.nextToken !== undefined) throw LogsErrors.invalidToken();
  return { imports: [] };
}

export function DescribeImportTaskBatches(_ctx: Ctx, v: { importId: string }) {
  throw LogsErrors.resourceNotFound(`The specified import task does not exist: ${v.importId}`);
}

export function CancelImportTask(_ctx: Ctx, v: { importId: string }) {
  throw LogsErrors.resourceNotFound(`The specified import task does not exist: ${v.importId}`);
}

export function GetLogObject(_ctx: Ctx, _v: { logObjectPointer: string }) {
  throw LogsErrors.resourceNotFound("The specified log object does not exist.");
}
