/**
 * S3 Table integrations, answered from what can exist in awsim. An integration is created through the
 * CloudWatch Observability Admin API (CreateS3TableIntegration), a service awsim does not have, so no
 * integration exists in any account here: associating a data source with one, listing its sources or
 * disassociating a source answer ResourceNotFoundException, as AWS answers for an integration or source
 * that does not exist.
 */
import type { Ctx } from "../core/types.js";
import { LogsErrors } from "./errors.js";

export function AssociateSourceToS3TableIntegration(_ctx: Ctx, v: { integrationArn: string; dataSource: { name: string; type?: string } }) {
  throw LogsErrors.resourceNotFound(`The specified S3 table integration does not exist: ${v.integrationArn}`);
}

export function ListSourcesForS3TableIntegration(_ctx: Ctx, v: { integrationArn: string; maxResults?: number; nextToken?: string }) {
  throw LogsErrors.resourceNotFound(`The specified S3 table integration does not exist: ${v.integrationArn}`);
}

export function DisassociateSourceFromS3TableIntegration(_ctx: Ctx, v: { identifier: string }) {
  throw LogsErrors.resourceNotFound(`The specified S3 table integration source does not exist: ${v.identifier}`);
}
