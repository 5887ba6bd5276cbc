/** EC2 (the EC2 Query protocol, 2016-11-15). Placeholder until the EC2 service lands. */
import type { ServiceDefinition } from "../core/types.js";

const ec2: ServiceDefinition<Record<string, never>> = {
  name: "ec2",
  protocol: "ec2",
  apiVersion: "2016-11-15",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  createState: () => ({}),
  operations: {},
};
export default ec2;
