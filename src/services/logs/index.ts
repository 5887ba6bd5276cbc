/** CloudWatch Logs (AWS JSON 1.1). Placeholder until the Logs service lands. */
import type { ServiceDefinition } from "../core/types.js";

const logs: ServiceDefinition<Record<string, never>> = {
  name: "logs",
  protocol: "json",
  targetPrefix: "Logs_20140328",
  jsonVersion: "1.1",
  createState: () => ({}),
  operations: {},
};
export default logs;
