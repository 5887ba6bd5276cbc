/**
 * The Spot Instance data feed: one subscription per account and region, into a bucket that must exist in
 * awsim's S3. No usage files are written to the bucket (awsim bills nothing).
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { fl } from "./state.js";

const notFound = () => Ec2Errors.custom("InvalidSpotDatafeed.NotFound", "The Spot Instance data feed subscription does not exist.");

const view = (accountId: string, d: { bucket: string; prefix?: string; state: string }) => ({
  Bucket: d.bucket,
  Prefix: d.prefix,
  OwnerId: accountId,
  State: d.state,
});

export async function CreateSpotDatafeedSubscription(ctx: Ctx, input: Input) {
  const { s, f } = fl(ctx);
  const bucket = String(input.Bucket);
  const s3 = await ctx.stateOf<{ buckets: Map<string, unknown> }>("s3");
  if (!s3?.buckets?.has(bucket)) throw Ec2Errors.invalidValue(`The specified bucket does not exist: ${bucket}`);
  dryRun(input);
  f.datafeed = { bucket, prefix: input.Prefix, state: "Active" };
  return { SpotDatafeedSubscription: view(s.accountId, f.datafeed) };
}

export function DescribeSpotDatafeedSubscription(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fl(ctx);
  if (!f.datafeed) throw notFound();
  return { SpotDatafeedSubscription: view(s.accountId, f.datafeed) };
}

export function DeleteSpotDatafeedSubscription(ctx: Ctx, input: Input) {
  const { f } = fl(ctx);
  if (!f.datafeed) throw notFound();
  dryRun(input);
  f.datafeed = undefined;
  return {};
}
