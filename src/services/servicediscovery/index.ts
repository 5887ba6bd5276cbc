/**
 * Cloud Map (AWS JSON 1.1, Route53AutoNaming_v20170314): HTTP, private DNS and public DNS namespaces
 * (asynchronous: an OperationId whose GetOperation is SUCCESS at once; updates of descriptions and SOA TTL),
 * services (DNS config, health check configs, service attributes), instances with their attribute rules,
 * DiscoverInstances (query and optional parameters; the HealthStatus filter applies to services with a health
 * check and is ignored otherwise; the SDKs call it on a `data-` host prefix, which awsim accepts as any host),
 * DiscoverInstancesRevision (increases on every registration, deregistration and health change), custom
 * health status (AWS_INIT_HEALTH_STATUS honoured), operations with their filters (UPDATE_DATE bounds in epoch seconds
 * or milliseconds), tags. Ids may be ARNs.
 * Gaps: no DNS records are served; Route 53 health checks are not performed (instances of services with a
 * HealthCheckConfig are reported HEALTHY); namespaces are not shared across accounts.
 */
import type { ServiceDefinition } from "../core/types.js";
import { instanceOps } from "./instances.js";
import { namespaceOps } from "./namespaces.js";
import { serviceOps } from "./services.js";
import { createSdState, type SdState } from "./state.js";

export { putInstance, removeInstance, type SdState } from "./state.js";

const sd: ServiceDefinition<SdState> = {
  name: "servicediscovery",
  protocol: "json",
  targetPrefix: "Route53AutoNaming_v20170314",
  jsonVersion: "1.1",
  createState: createSdState,
  counts: (s) => ({ namespaces: s.ns.size, services: s.svcs.size }),
  operations: { ...namespaceOps, ...serviceOps, ...instanceOps },
};

export default sd;
