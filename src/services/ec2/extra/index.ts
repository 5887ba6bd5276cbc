/** The extra EC2 families (AMI attributes and copies, instance settings, dedicated hosts, ID formats, reserved instances, Outposts lists). */
import type { Handler } from "../../core/types.js";
import { Ec2Errors } from "../errors.js";
import { st } from "../common.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import { type ExtraState, extraOf } from "./state.js";
import * as img from "./images.js";
import * as inst from "./instance-settings.js";
import * as hosts from "./hosts.js";
import * as idf from "./id-format.js";
import * as ri from "./reserved.js";
import * as op from "./outposts.js";
import { GetConsoleScreenshot } from "./screenshot.js";
import * as tasks from "./tasks.js";
import * as retired from "./retired.js";

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
  GetInstanceMetadataDefaults: inst.GetInstanceMetadataDefaults,
  ModifyInstanceMetadataDefaults: inst.ModifyInstanceMetadataDefaults,
  ModifyInstanceCpuOptions: inst.ModifyInstanceCpuOptions,
  ModifyInstanceMaintenanceOptions: inst.ModifyInstanceMaintenanceOptions,
  ModifyInstanceCapacityReservationAttributes: inst.ModifyInstanceCapacityReservationAttributes,
  ModifyDefaultCreditSpecification: inst.ModifyDefaultCreditSpecification,
  GetDefaultCreditSpecification: inst.GetDefaultCreditSpecification,
  CreateInstanceEventWindow: inst.CreateInstanceEventWindow,
  ModifyInstanceEventWindow: inst.ModifyInstanceEventWindow,
  DeleteInstanceEventWindow: inst.DeleteInstanceEventWindow,
  DescribeInstanceEventWindows: inst.DescribeInstanceEventWindows,
  AssociateInstanceEventWindow: inst.AssociateInstanceEventWindow,
  DisassociateInstanceEventWindow: inst.DisassociateInstanceEventWindow,
  RegisterInstanceEventNotificationAttributes: inst.RegisterInstanceEventNotificationAttributes,
  DeregisterInstanceEventNotificationAttributes: inst.DeregisterInstanceEventNotificationAttributes,
  DescribeInstanceEventNotificationAttributes: inst.DescribeInstanceEventNotificationAttributes,
  EnableSerialConsoleAccess: inst.EnableSerialConsoleAccess,
  DisableSerialConsoleAccess: inst.DisableSerialConsoleAccess,
  GetSerialConsoleAccessStatus: inst.GetSerialConsoleAccessStatus,
  GetPasswordData: inst.GetPasswordData,
  AllocateHosts: hosts.AllocateHosts,
  ReleaseHosts: hosts.ReleaseHosts,
  ModifyHosts: hosts.ModifyHosts,
  DescribeHosts: hosts.DescribeHosts,
  DescribeMacHosts: hosts.DescribeMacHosts,
  DescribeIdFormat: idf.DescribeIdFormat,
  ModifyIdFormat: idf.ModifyIdFormat,
  DescribeIdentityIdFormat: idf.DescribeIdentityIdFormat,
  ModifyIdentityIdFormat: idf.ModifyIdentityIdFormat,
  DescribePrincipalIdFormat: idf.DescribePrincipalIdFormat,
  DescribeAggregateIdFormat: idf.DescribeAggregateIdFormat,
  DescribeReservedInstancesOfferings: ri.DescribeReservedInstancesOfferings,
  PurchaseReservedInstancesOffering: ri.PurchaseReservedInstancesOffering,
  DescribeReservedInstances: ri.DescribeReservedInstances,
  DeleteQueuedReservedInstances: ri.DeleteQueuedReservedInstances,
  DescribeReservedInstancesListings: ri.DescribeReservedInstancesListings,
  DescribeScheduledInstanceAvailability: retired.DescribeScheduledInstanceAvailability,
  DescribeScheduledInstances: retired.DescribeScheduledInstances,
  PurchaseScheduledInstances: retired.PurchaseScheduledInstances,
  RunScheduledInstances: retired.RunScheduledInstances,
  DescribeElasticGpus: retired.DescribeElasticGpus,
  ModifyInstanceEventStartTime: retired.ModifyInstanceEventStartTime,
  GetGroupsForCapacityReservation: retired.GetGroupsForCapacityReservation,
  DescribeLocalGateways: op.DescribeLocalGateways,
  DescribeLocalGatewayRouteTables: op.DescribeLocalGatewayRouteTables,
  DescribeLocalGatewayVirtualInterfaces: op.DescribeLocalGatewayVirtualInterfaces,
  DescribeLocalGatewayVirtualInterfaceGroups: op.DescribeLocalGatewayVirtualInterfaceGroups,
  DescribeLocalGatewayRouteTableVpcAssociations: op.DescribeLocalGatewayRouteTableVpcAssociations,
  DescribeLocalGatewayRouteTableVirtualInterfaceGroupAssociations: op.DescribeLocalGatewayRouteTableVirtualInterfaceGroupAssociations,
  DescribeCoipPools: op.DescribeCoipPools,
  DescribeOutpostLags: op.DescribeOutpostLags,
  DescribeServiceLinkVirtualInterfaces: op.DescribeServiceLinkVirtualInterfaces,
  SearchLocalGatewayRoutes: op.SearchLocalGatewayRoutes,
  GetCoipPoolUsage: op.GetCoipPoolUsage,
  GetAllowedImagesSettings: img.GetAllowedImagesSettings,
  EnableAllowedImagesSettings: img.EnableAllowedImagesSettings,
  DisableAllowedImagesSettings: img.DisableAllowedImagesSettings,
  ReplaceImageCriteriaInAllowedImagesSettings: img.ReplaceImageCriteriaInAllowedImagesSettings,
  DescribeInstanceImageMetadata: img.DescribeInstanceImageMetadata,
  DescribeHostReservationOfferings: hosts.DescribeHostReservationOfferings,
  GetHostReservationPurchasePreview: hosts.GetHostReservationPurchasePreview,
  PurchaseHostReservation: hosts.PurchaseHostReservation,
  DescribeHostReservations: hosts.DescribeHostReservations,
  GetConsoleScreenshot,
  RestoreImageFromRecycleBin: tasks.RestoreImageFromRecycleBin,
  RestoreSnapshotFromRecycleBin: tasks.RestoreSnapshotFromRecycleBin,
  RestoreVolumeFromRecycleBin: tasks.RestoreVolumeFromRecycleBin,
  ModifyReservedInstances: ri.ModifyReservedInstances,
  DescribeReservedInstancesModifications: ri.DescribeReservedInstancesModifications,
  GetReservedInstancesExchangeQuote: ri.GetReservedInstancesExchangeQuote,
  AcceptReservedInstancesExchangeQuote: ri.AcceptReservedInstancesExchangeQuote,
};

const e = Ec2Errors.custom;
const KINDS: TagKind<ExtraState>[] = [
  {
    prefix: "iew-",
    type: "instance-event-window",
    map: (x) => x.eventWindows,
    missing: (id) => e("InvalidInstanceEventWindowID.NotFound", `The instance event window ID '${id}' does not exist`),
  },
  {
    prefix: "hr-",
    type: "host-reservation",
    map: (x) => x.hostReservations,
    missing: (id) => e("InvalidHostReservationId.NotFound", `The host reservation ID '${id}' does not exist`),
  },
  { prefix: "h-", type: "dedicated-host", map: (x) => x.hosts, missing: (id) => e("InvalidHostID.NotFound", `The host ID '${id}' does not exist`) },
];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (dedicated hosts, host reservations, event windows); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    base,
    (ctx) => {
      const s = st(ctx);
      return { s, x: extraOf(s) };
    },
    KINDS,
  );
