/**
 * Operations of the EC2 "transit" area, spread into the EC2 operations table (ec2/index.ts): EC2 Instance
 * Connect Endpoints, transit gateway Connect attachments and peers, acceptance of attachments, policy
 * tables, prefix list references, route table announcements, multicast domains, metering policies, route
 * servers, VPN concentrators and tunnel operations, and the local gateway operations (no Outpost exists, so
 * every local gateway, route table, interface group and customer-owned pool named is not found).
 */
import type { Handler } from "../../core/types.js";
import { Ec2Errors } from "../errors.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as eice from "./instance-connect.js";
import { tr, type TransitState } from "./state.js";

export const operations: Record<string, Handler> = {
  CreateInstanceConnectEndpoint: eice.CreateInstanceConnectEndpoint,
  DeleteInstanceConnectEndpoint: eice.DeleteInstanceConnectEndpoint,
  ModifyInstanceConnectEndpoint: eice.ModifyInstanceConnectEndpoint,
  DescribeInstanceConnectEndpoints: eice.DescribeInstanceConnectEndpoints,
};

const e = Ec2Errors.custom;

/** Longest prefixes first. */
const KINDS: TagKind<TransitState>[] = [{ prefix: "eice-", type: "instance-connect-endpoint", map: (t) => t.eices, missing: eice.eiceNotFound }];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    base,
    (ctx) => {
      const { s, t } = tr(ctx);
      return { s, x: t };
    },
    KINDS,
  );
void e;
