/** S3 (REST-XML). Placeholder until the S3 service lands. */
import { AwsError } from "../../protocols/aws-error.js";
import type { ServiceDefinition } from "../core/types.js";

const s3: ServiceDefinition<Record<string, never>> = {
  name: "s3",
  protocol: "rest-xml",
  scope: "global",
  createState: () => ({}),
  route: () => {
    throw new AwsError("NotImplemented", "S3 is not implemented yet", 501);
  },
  operations: {},
};
export default s3;
