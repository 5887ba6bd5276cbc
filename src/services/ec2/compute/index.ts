/** Operations of the EC2 "compute" area, spread into the EC2 operations table (ec2/index.ts). */
import type { Handler } from "../../core/types.js";
import { Ec2Errors } from "../errors.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as exp from "./exports.js";
import * as fw from "./firmware.js";
import * as fpga from "./fpga.js";
import * as img from "./images.js";
import * as ops from "./instance-ops.js";
import * as inst from "./instances.js";
import * as sec from "./secondary.js";
import * as snap from "./snapshots.js";
import { type ComputeState, cst, type TaskRec } from "./state.js";
import * as tasks from "./tasks.js";

export const operations: Record<string, Handler> = {
  MonitorInstances: inst.MonitorInstances,
  UnmonitorInstances: inst.UnmonitorInstances,
  ResetInstanceAttribute: inst.ResetInstanceAttribute,
  DescribeNetworkInterfaceAttribute: inst.DescribeNetworkInterfaceAttribute,
  ResetNetworkInterfaceAttribute: inst.ResetNetworkInterfaceAttribute,
  ...inst.classicLinkOperations,
  ModifyPrivateDnsNameOptions: ops.ModifyPrivateDnsNameOptions,
  ModifyInstanceNetworkPerformanceOptions: ops.ModifyInstanceNetworkPerformanceOptions,
  ModifyPublicIpDnsNameOptions: ops.ModifyPublicIpDnsNameOptions,
  ReportInstanceStatus: ops.ReportInstanceStatus,
  SendDiagnosticInterrupt: ops.SendDiagnosticInterrupt,
  CreateNetworkInterfacePermission: ops.CreateNetworkInterfacePermission,
  DeleteNetworkInterfacePermission: ops.DeleteNetworkInterfacePermission,
  DescribeNetworkInterfacePermissions: ops.DescribeNetworkInterfacePermissions,
  AssociateTrunkInterface: ops.AssociateTrunkInterface,
  DisassociateTrunkInterface: ops.DisassociateTrunkInterface,
  DescribeTrunkInterfaceAssociations: ops.DescribeTrunkInterfaceAssociations,
  ConfirmProductInstance: ops.ConfirmProductInstance,
  CreateMacSystemIntegrityProtectionModificationTask: ops.CreateMacSystemIntegrityProtectionModificationTask,
  CreateDelegateMacVolumeOwnershipTask: ops.CreateDelegateMacVolumeOwnershipTask,
  DescribeMacModificationTasks: ops.DescribeMacModificationTasks,
  DescribeInstanceTopology: ops.DescribeInstanceTopology,
  EnableVolumeIO: ops.EnableVolumeIO,
  GetInstanceTypesFromInstanceRequirements: ops.GetInstanceTypesFromInstanceRequirements,
  CopyVolumes: ops.CopyVolumes,
  CreateReplaceRootVolumeTask: ops.CreateReplaceRootVolumeTask,
  DescribeReplaceRootVolumeTasks: ops.DescribeReplaceRootVolumeTasks,
  LockSnapshot: snap.LockSnapshot,
  UnlockSnapshot: snap.UnlockSnapshot,
  DescribeLockedSnapshots: snap.DescribeLockedSnapshots,
  ModifySnapshotTier: snap.ModifySnapshotTier,
  RestoreSnapshotTier: snap.RestoreSnapshotTier,
  DescribeSnapshotTierStatus: snap.DescribeSnapshotTierStatus,
  EnableFastSnapshotRestores: snap.EnableFastSnapshotRestores,
  DisableFastSnapshotRestores: snap.DisableFastSnapshotRestores,
  DescribeFastSnapshotRestores: snap.DescribeFastSnapshotRestores,
  ImportImage: tasks.ImportImage,
  ImportSnapshot: tasks.ImportSnapshot,
  CancelImportTask: tasks.CancelImportTask,
  ExportImage: tasks.ExportImage,
  CreateStoreImageTask: tasks.CreateStoreImageTask,
  CreateRestoreImageTask: tasks.CreateRestoreImageTask,
  // These replace the always-empty lists of extra/tasks.ts now that the tasks exist.
  DescribeImportImageTasks: tasks.DescribeImportImageTasks,
  DescribeImportSnapshotTasks: tasks.DescribeImportSnapshotTasks,
  DescribeExportImageTasks: tasks.DescribeExportImageTasks,
  DescribeStoreImageTasks: tasks.DescribeStoreImageTasks,
  DescribeFastLaunchImages: img.DescribeFastLaunchImages,
  EnableFastLaunch: img.EnableFastLaunch,
  DisableFastLaunch: img.DisableFastLaunch,
  DescribeImageReferences: img.DescribeImageReferences,
  GetImageAncestry: img.GetImageAncestry,
  CreateImageUsageReport: img.CreateImageUsageReport,
  DescribeImageUsageReports: img.DescribeImageUsageReports,
  DescribeImageUsageReportEntries: img.DescribeImageUsageReportEntries,
  DeleteImageUsageReport: img.DeleteImageUsageReport,
  CreateInstanceExportTask: exp.CreateInstanceExportTask,
  DescribeExportTasks: exp.DescribeExportTasks,
  CancelExportTask: exp.CancelExportTask,
  ImportVolume: exp.ImportVolume,
  DescribeConversionTasks: exp.DescribeConversionTasks,
  CancelConversionTask: exp.CancelConversionTask,
  DescribeBundleTasks: exp.DescribeBundleTasks,
  CancelBundleTask: exp.CancelBundleTask,
  CreateFpgaImage: fpga.CreateFpgaImage,
  CopyFpgaImage: fpga.CopyFpgaImage,
  DeleteFpgaImage: fpga.DeleteFpgaImage,
  DescribeFpgaImages: fpga.DescribeFpgaImages,
  DescribeFpgaImageAttribute: fpga.DescribeFpgaImageAttribute,
  ModifyFpgaImageAttribute: fpga.ModifyFpgaImageAttribute,
  ResetFpgaImageAttribute: fpga.ResetFpgaImageAttribute,
  CreateSecondaryNetwork: sec.CreateSecondaryNetwork,
  DeleteSecondaryNetwork: sec.DeleteSecondaryNetwork,
  DescribeSecondaryNetworks: sec.DescribeSecondaryNetworks,
  CreateSecondarySubnet: sec.CreateSecondarySubnet,
  DeleteSecondarySubnet: sec.DeleteSecondarySubnet,
  DescribeSecondarySubnets: sec.DescribeSecondarySubnets,
  DescribeSecondaryInterfaces: sec.DescribeSecondaryInterfaces,
  GetInstanceUefiData: fw.GetInstanceUefiData,
  GetInstanceTpmEkPub: fw.GetInstanceTpmEkPub,
  // Wrappers that keep and show AMI boot settings (BootMode, TpmSupport, UefiData).
  RegisterImage: fw.RegisterImage,
  CopyImage: fw.CopyImage,
  CreateImage: fw.CreateImage,
  DescribeImages: fw.DescribeImages,
  DescribeImageAttribute: fw.DescribeImageAttribute,
};

const tasksOfKind = (c: ComputeState, kind: TaskRec["kind"]) => new Map([...c.tasks].filter(([, t]) => t.kind === kind));
const importMissing = (id: string) => Ec2Errors.custom("InvalidConversionTaskId.Malformed", `The import task ID '${id}' does not exist`);
const KINDS: TagKind<ComputeState>[] = [
  { prefix: "sn-", type: "secondary-network", map: (c) => c.secondaryNetworks, missing: sec.networkNotFound },
  { prefix: "ss-", type: "secondary-subnet", map: (c) => c.secondarySubnets, missing: sec.subnetNotFound },
  { prefix: "si-", type: "secondary-interface", map: (c) => c.secondaryInterfaces, missing: sec.interfaceNotFound },
  {
    prefix: "macmodification-",
    type: "mac-modification-task",
    map: (c) => c.macTasks,
    missing: (id) => Ec2Errors.custom("InvalidMacModificationTaskId.NotFound", `The Mac modification task ID '${id}' does not exist`),
  },
  {
    prefix: "amiur-",
    type: "image-usage-report",
    map: (c) => c.usageReports,
    missing: (id) => Ec2Errors.custom("InvalidImageUsageReportId.NotFound", `The image usage report ID '${id}' does not exist`),
  },
  {
    prefix: "afi-",
    type: "fpga-image",
    map: (c) => c.fpgaImages,
    missing: (id) => Ec2Errors.custom("InvalidFpgaImageID.NotFound", `Image ID '${id}' not found`),
  },
  {
    prefix: "replacevol-",
    type: "replace-root-volume-task",
    map: (c) => c.rootTasks,
    missing: (id) => Ec2Errors.custom("InvalidReplaceRootVolumeTaskId.NotFound", `The replace root volume task ID '${id}' does not exist`),
  },
  { prefix: "import-ami-", type: "import-image-task", map: (c) => tasksOfKind(c, "import-image"), missing: importMissing },
  { prefix: "import-snap-", type: "import-snapshot-task", map: (c) => tasksOfKind(c, "import-snapshot"), missing: importMissing },
  {
    prefix: "export-i-",
    type: "export-instance-task",
    map: (c) => tasksOfKind(c, "export-instance"),
    missing: (id) => Ec2Errors.custom("InvalidExportTaskID.NotFound", `The export task ID '${id}' does not exist`),
  },
  {
    prefix: "export-ami-",
    type: "export-image-task",
    map: (c) => tasksOfKind(c, "export-image"),
    missing: (id) => Ec2Errors.custom("InvalidExportTaskID.NotFound", `The export task ID '${id}' does not exist`),
  },
];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (import and export tasks); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    base,
    (ctx) => {
      const { s, c } = cst(ctx);
      return { s, x: c };
    },
    KINDS,
  );
