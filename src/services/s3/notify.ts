/**
 * Event notifications: a bucket's CloudFunctionConfiguration entries (Lambda destinations) are invoked
 * with the S3 event JSON (eventVersion 2.1; 2.3 for ObjectTagging and ObjectAcl) when objects change, filtered by event name
 * and the S3Key prefix/suffix rules (ObjectCreated, ObjectRemoved, ObjectTagging, ObjectAcl:Put, ObjectRestore:Post and
 * :Completed). The invocation is asynchronous (as S3's is) and goes through Lambda's
 * own Invoke path: in execute mode the function really runs, in fake mode its START/END lines are logged.
 * Topic (SNS) and queue (SQS) destinations are stored only: awsim has no SNS or SQS.
 */
import { createHash } from "node:crypto";
import { asArray } from "../../protocols/xml.js";
import type { Ctx } from "../core/types.js";
import { canonicalId } from "./common.js";
import type { Bucket, ObjectVersion } from "./state.js";

export interface LambdaTarget {
  id: string;
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

/** The Lambda destinations of a NotificationConfiguration document (parsed XML). */
export function lambdaTargets(c: Record<string, any>): LambdaTarget[] | undefined {
  const out: LambdaTarget[] = [];
  for (const t of asArray(c?.CloudFunctionConfiguration) as Array<Record<string, any>>) {
    const rules = asArray(t?.Filter?.S3Key?.FilterRule) as Array<Record<string, unknown>>;
    const rule = (n: string) => rules.find((r) => String(r?.Name ?? "").toLowerCase() === n)?.Value;
    out.push({
      id: t.Id === undefined ? createHash("md5").update(JSON.stringify(t)).digest("hex") : String(t.Id),
      arn: String(t.CloudFunction),
      events: asArray(t.Event as never).map(String),
      prefix: rule("prefix") === undefined ? undefined : String(rule("prefix")),
      suffix: rule("suffix") === undefined ? undefined : String(rule("suffix")),
    });
  }
  return out.length ? out : undefined;
}

const eventMatches = (configured: string, name: string) =>
  configured === `s3:${name}` || (configured.endsWith(":*") && `s3:${name}`.startsWith(configured.slice(0, -1)));

/** AWS's sequencers grow with each event of a key; a counter after the clock keeps two in one millisecond ordered. */
let lastSequencer = 0n;
function nextSequencer(): string {
  const now = BigInt(Date.now()) << 8n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, "0");
}

/** What the Restore Completed event adds (S3 itself sends it, when the restored copy is ready). */
export interface RestoreCompleted {
  expiry: Date;
  storageClass: string;
}

/**
 * Send `eventName` (e.g. "ObjectCreated:Put") for a version to every matching Lambda destination. The record is the
 * one AWS was recorded sending: ObjectCreated and ObjectRestore events name the object's key, size, eTag (and
 * versionId in a versioned bucket) and a sequencer; ObjectRemoved events the key (and versionId) and a sequencer;
 * ObjectTagging and ObjectAcl events are eventVersion 2.3 and name the key and eTag (and versionId) only.
 */
export function notify(
  ctx: Ctx,
  b: Bucket,
  eventName: string,
  v: Pick<ObjectVersion, "key" | "size" | "etag" | "versionId">,
  restored?: RestoreCompleted,
): void {
  const subresource = /^(ObjectTagging|ObjectAcl):/.test(eventName);
  const removed = eventName.startsWith("ObjectRemoved");
  for (const t of b.notifications ?? []) {
    if (!t.events.some((e) => eventMatches(e, eventName))) continue;
    if (t.prefix !== undefined && !v.key.startsWith(t.prefix)) continue;
    if (t.suffix !== undefined && !v.key.endsWith(t.suffix)) continue;
    const event = {
      Records: [
        {
          eventVersion: subresource ? "2.3" : "2.1",
          eventSource: "aws:s3",
          awsRegion: b.region,
          eventTime: new Date().toISOString(),
          eventName,
          userIdentity: { principalId: restored ? `AmazonCustomer:${canonicalId(b.owner)}` : `AWS:${ctx.accountId}` },
          requestParameters: { sourceIPAddress: "127.0.0.1" },
          responseElements: { "x-amz-request-id": ctx.requestId, "x-amz-id-2": createHash("sha256").update(ctx.requestId).digest("base64") },
          s3: {
            s3SchemaVersion: "1.0",
            configurationId: t.id,
            bucket: { name: b.name, ownerIdentity: { principalId: canonicalId(b.owner) }, arn: `arn:aws:s3:::${b.name}` },
            object: {
              key: encodeURIComponent(v.key).replace(/%2F/g, "/").replace(/%20/g, "+"),
              ...(removed ? {} : subresource ? { eTag: v.etag.replace(/"/g, "") } : { size: v.size, eTag: v.etag.replace(/"/g, "") }),
              ...(b.versioning ? { versionId: v.versionId } : {}),
              ...(subresource ? {} : { sequencer: nextSequencer() }),
            },
          },
          ...(restored
            ? {
                glacierEventData: {
                  restoreEventData: { lifecycleRestorationExpiryTime: restored.expiry.toISOString(), lifecycleRestoreStorageClass: restored.storageClass },
                },
              }
            : {}),
        },
      ],
    };
    invoke(ctx, t.arn, Buffer.from(JSON.stringify(event))).catch(() => undefined);
  }
}

async function invoke(ctx: Ctx, arn: string, payload: Buffer): Promise<void> {
  const { invokeByArn } = await import("../lambda/invoke.js");
  await invokeByArn(ctx.sim, arn, payload);
}
