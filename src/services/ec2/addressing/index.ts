/** Operations of the EC2 "addressing" area, spread into the EC2 operations table (ec2/index.ts). */
import type { Handler } from "../../core/types.js";
import type { TagHandlers } from "../tag-kinds.js";

export const operations: Record<string, Handler> = {};

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers => base;
