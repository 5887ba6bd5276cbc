/** The extra EC2 families (AMI attributes and copies, instance settings, dedicated hosts, ID formats, reserved instances, Outposts lists). */
import type { Handler } from "../../core/types.js";
import * as img from "./images.js";

export const extraOperations: Record<string, Handler> = {
  DescribeImages: img.DescribeImages,
  DeregisterImage: img.DeregisterImage,
  DescribeImageAttribute: img.DescribeImageAttribute,
  ModifyImageAttribute: img.ModifyImageAttribute,
  CancelImageLaunchPermission: img.CancelImageLaunchPermission,
  EnableImageDeprecation: img.EnableImageDeprecation,
  DisableImageDeprecation: img.DisableImageDeprecation,
  EnableImageDeregistrationProtection: img.EnableImageDeregistrationProtection,
  DisableImageDeregistrationProtection: img.DisableImageDeregistrationProtection,
  DisableImage: img.DisableImage,
  EnableImage: img.EnableImage,
  EnableImageBlockPublicAccess: img.EnableImageBlockPublicAccess,
  DisableImageBlockPublicAccess: img.DisableImageBlockPublicAccess,
  GetImageBlockPublicAccessState: img.GetImageBlockPublicAccessState,
  ListImagesInRecycleBin: img.ListImagesInRecycleBin,
  ListSnapshotsInRecycleBin: img.ListSnapshotsInRecycleBin,
  ListVolumesInRecycleBin: img.ListVolumesInRecycleBin,
};
