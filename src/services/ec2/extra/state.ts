/** State of the extra EC2 families, attached lazily to each account+region's EC2 state object. */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, Tagged } from "../state.js";

export interface ImageExtra {
  deprecationTime?: Date;
  /** "enabled-with-cooldown" | "enabled-without-cooldown" | undefined (disabled) */
  protection?: string;
  /** Protection disabled with a cooldown: deregistration refused until then. */
  protectedUntil?: Date;
  disabled?: boolean;
  /** Launch permissions granted to organizations and organizational units (ARNs, in the order added). */
  launchOrgs?: string[];
  launchOus?: string[];
  /** Deregistered: DescribeImages by id answers nothing for it, deregistering again is InvalidAMIID.Unavailable. */
  deregistered?: boolean;
}

export interface AllowedImageCriterion {
  ImageProviders?: string[];
  MarketplaceProductCodes?: string[];
  ImageNames?: string[];
  DeprecationTimeCondition?: { MaximumDaysSinceDeprecated?: number };
  CreationDateCondition?: { MaximumDaysSinceCreated?: number };
}

export interface InstanceExtra {
  coreCount?: number;
  nestedVirtualization?: string;
  threadsPerCore?: number;
  autoRecovery?: string;
  rebootMigration?: string;
  capacityReservation?: { preference?: string; target?: { CapacityReservationId?: string; CapacityReservationResourceGroupArn?: string } };
  passwordDataTime?: Date;
  /** The Windows Administrator password GetPasswordData encrypts with the instance's key pair. */
  password?: string;
  /** Dedicated Host the instance runs on (Placement.HostId or auto-placement at launch). */
  hostId?: string;
  /** "default" | "host" */
  affinity?: string;
  /** HibernationOptions.Configured given at launch. */
  hibernation?: boolean;
  /** EnclaveOptions.Enabled given at launch (RunInstances or its launch template's data). */
  enclave?: boolean;
  /** The IAM instance profile's id (AIPA...), when IAM knows the profile the instance was launched with. */
  iamProfileId?: string;
  /** When the instance's current IAM instance profile association was made (absent: at launch). */
  iamAssociatedAt?: Date;
}

export interface EventWindowRec extends Tagged {
  id: string;
  name?: string;
  timeRanges: Array<{ StartWeekDay: string; StartHour: number; EndWeekDay: string; EndHour: number }>;
  cron?: string;
  instanceIds: Set<string>;
  instanceTags: Array<{ Key: string; Value: string }>;
  dedicatedHostIds: Set<string>;
  state: string;
}

export interface HostRec extends Tagged {
  id: string;
  seq: number;
  az: string;
  instanceType?: string;
  instanceFamily?: string;
  autoPlacement: string;
  hostRecovery: string;
  hostMaintenance: string;
  state: string;
  allocationTime: Date;
  releaseTime?: Date;
  clientToken?: string;
  assetIds?: string[];
  outpostArn?: string;
  reservationId?: string;
}

export interface HostReservationRec extends Tagged {
  id: string;
  seq: number;
  offeringId: string;
  family: string;
  paymentOption: string;
  duration: number;
  hourly: number;
  upfront: number;
  hostIds: string[];
  start: Date;
  end: Date;
  clientToken?: string;
}

export interface ReservedRec extends Tagged {
  id: string;
  seq: number;
  offeringId: string;
  instanceType: string;
  az?: string;
  scope: string;
  productDescription: string;
  instanceTenancy: string;
  offeringClass: string;
  offeringType: string;
  duration: number;
  fixedPrice: number;
  usagePrice: number;
  hourly: number;
  count: number;
  start: Date;
  end: Date;
  state: string;
  purchaseTime?: Date;
}

export interface RiModificationRec {
  id: string;
  clientToken?: string;
  createDate: Date;
  effectiveDate: Date;
  sourceIds: string[];
  results: Array<{ ReservedInstancesId: string; TargetConfiguration: Record<string, unknown> }>;
  status: string;
}

export interface ListingRec extends Tagged {
  id: string;
  reservedInstancesId: string;
  createDate: Date;
  updateDate: Date;
  status: string;
  statusMessage: string;
  count: number;
  priceSchedules: Array<{ Term: number; Price: number; CurrencyCode: string; Active: boolean }>;
  clientToken: string;
}

export interface ExtraState {
  images: Map<string, ImageExtra>;
  imageBpa: string;
  allowedImages: { state: string; criteria: AllowedImageCriterion[] };
  instances: Map<string, InstanceExtra>;
  metadataDefaults: { HttpTokens?: string; HttpPutResponseHopLimit?: number; HttpEndpoint?: string; InstanceMetadataTags?: string };
  defaultCredits: Map<string, string>;
  eventWindows: Map<string, EventWindowRec>;
  eventNotification: { includeAllTags: boolean; keys: Set<string> };
  serialConsole: boolean;
  hosts: Map<string, HostRec>;
  /** resource → longIds, per principal ARN ("" is the calling account's default). */
  idFormats: Map<string, Map<string, boolean>>;
  reserved: Map<string, ReservedRec>;
  hostReservations: Map<string, HostReservationRec>;
  listings: Map<string, ListingRec>;
  riModifications: Map<string, RiModificationRec>;
  seq: number;
}

type WithExtra = Ec2State & { extraFamilies?: ExtraState };

/**
 * The state of the EC2 families in extra/, kept on the region's EC2 state itself (as moreOf does) so that
 * --persist and snapshots carry it: dedicated hosts, reserved instances, event windows and the account
 * settings here were lost at every restart while they lived in a side map.
 */
export function extraOf(s: Ec2State): ExtraState {
  const w = s as WithExtra;
  w.extraFamilies ??= {
    images: new Map(),
    imageBpa: "unblocked",
    allowedImages: { state: "disabled", criteria: [] },
    instances: new Map(),
    metadataDefaults: {},
    defaultCredits: new Map(),
    eventWindows: new Map(),
    eventNotification: { includeAllTags: false, keys: new Set() },
    serialConsole: false,
    hosts: new Map(),
    idFormats: new Map(),
    reserved: new Map(),
    hostReservations: new Map(),
    listings: new Map(),
    riModifications: new Map(),
    seq: 0,
  };
  return w.extraFamilies;
}

export const xst = (ctx: Ctx) => extraOf(ctx.state<Ec2State>());

export function imageExtra(x: ExtraState, id: string): ImageExtra {
  let e = x.images.get(id);
  if (!e) x.images.set(id, (e = {}));
  return e;
}

export function instanceExtra(x: ExtraState, id: string): InstanceExtra {
  let e = x.instances.get(id);
  if (!e) x.instances.set(id, (e = {}));
  return e;
}
