/**
 * Image and snapshot task lists and Recycle Bin restores. awsim has no VM import/export, S3 image
 * store or Windows fast launch, so no such task or setting can exist: the lists are AWS's empty
 * answers (filters, page sizes and tokens validated), named tasks are not found, and nothing can be
 * restored from the (always empty) Recycle Bin.
 */
import type { Ctx } from "../../core/types.js";
import { compileFilters } from "../../core/filters.js";
import { dryRun, filters, int, list, required, st, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { seedImages } from "../images.js";

function emptyTasks(out: string, filterNames: string[], range: [number, number], ids?: { member: string; code: string; noun: string }) {
  return (ctx: Ctx, input: Input) => {
    dryRun(input);
    compileFilters(filters(input), Object.fromEntries(filterNames.map((f) => [f, () => undefined])), {
      tags: tagsOf as never,
      unknownFilter: Ec2Errors.invalidFilter,
    });
    const max = int(input.MaxResults, "MaxResults");
    if (max !== undefined && (max < range[0] || max > range[1]))
      throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${range[0]} and ${range[1]}.`);
    if (input.NextToken) throw Ec2Errors.invalidToken();
    if (ids) {
      const named = list(input[ids.member]);
      if (ids.member === "ImageIds") {
        const s = st(ctx);
        seedImages(s);
        const missing = named.filter((id) => s.images.get(id)?.state !== "available");
        if (missing.length) throw Ec2Errors.amiNotFound(missing);
      } else if (named.length) throw Ec2Errors.custom(ids.code, `The ${ids.noun} '${named[0]}' does not exist`);
    }
    return { [out]: [] };
  };
}

export const DescribeImportImageTasks = emptyTasks("importImageTaskSet", ["task-state"], [1, 500], {
  member: "ImportTaskIds",
  code: "InvalidConversionTaskId.Malformed",
  noun: "import task ID",
});
export const DescribeImportSnapshotTasks = emptyTasks("importSnapshotTaskSet", ["task-state"], [1, 500], {
  member: "ImportTaskIds",
  code: "InvalidConversionTaskId.Malformed",
  noun: "import task ID",
});
export const DescribeExportImageTasks = emptyTasks("exportImageTaskSet", [], [1, 500], {
  member: "ExportImageTaskIds",
  code: "InvalidExportImageTaskId.NotFound",
  noun: "export image task ID",
});
export const DescribeStoreImageTasks = emptyTasks("storeImageTaskResultSet", ["task-state", "bucket", "tag-key"], [1, 200], {
  member: "ImageIds",
  code: "",
  noun: "",
});
export const DescribeFastLaunchImages = emptyTasks("fastLaunchImageSet", ["resource-type", "owner-id", "state"], [0, 200], {
  member: "ImageIds",
  code: "",
  noun: "",
});

export function RestoreImageFromRecycleBin(_ctx: Ctx, input: Input) {
  const id = required(input, "ImageId");
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  dryRun(input);
  throw Ec2Errors.amiNotFound([id]);
}

export function RestoreSnapshotFromRecycleBin(_ctx: Ctx, input: Input) {
  const id = required(input, "SnapshotId");
  if (!/^snap-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.custom("InvalidSnapshotID.Malformed", `Invalid id: "${id}" (expecting "snap-...")`);
  dryRun(input);
  throw Ec2Errors.custom("InvalidSnapshot.NotFound", `The snapshot '${id}' does not exist in the Recycle Bin.`);
}

export function RestoreVolumeFromRecycleBin(_ctx: Ctx, input: Input) {
  const id = required(input, "VolumeId");
  if (!/^vol-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.custom("InvalidVolumeID.Malformed", `Invalid id: "${id}" (expecting "vol-...")`);
  dryRun(input);
  throw Ec2Errors.custom("InvalidVolume.NotFound", `The volume '${id}' does not exist in the Recycle Bin.`);
}
