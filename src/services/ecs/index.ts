/** ECS (AWS JSON 1.1). Placeholder until the ECS control plane lands. */
import type { ServiceDefinition } from "../core/types.js";

const ecs: ServiceDefinition<Record<string, never>> = {
  name: "ecs",
  protocol: "json",
  targetPrefix: "AmazonEC2ContainerServiceV20141113",
  jsonVersion: "1.1",
  createState: () => ({}),
  operations: {},
};
export default ecs;
