/**
 * The registry: the only place a service is plugged in. Descriptors are tiny so start-up stays near
 * zero; each service's module is imported on its first request.
 */
import type { Protocol, ServiceDefinition } from "./core/types.js";

export interface ServiceDescriptor {
  name: string;
  /** SigV4 signing names (credential scope service) that select this service. */
  signingNames: string[];
  protocol: Protocol;
  targetPrefix?: string;
  /** REST path prefixes that select this service. */
  pathPrefixes?: string[];
  /** Query API version (for unsigned form posts that carry only Action and Version). */
  apiVersion?: string;
  load(): Promise<ServiceDefinition>;
}

export const SERVICES: ServiceDescriptor[] = [
  { name: "sts", signingNames: ["sts"], protocol: "query", apiVersion: "2011-06-15", load: async () => (await import("./sts/index.js")).default },
  { name: "iam", signingNames: ["iam"], protocol: "query", apiVersion: "2010-05-08", load: async () => (await import("./iam/index.js")).default },
  {
    name: "ecs",
    signingNames: ["ecs"],
    protocol: "json",
    targetPrefix: "AmazonEC2ContainerServiceV20141113",
    load: async () => (await import("./ecs/index.js")).default,
  },
  {
    name: "ecr",
    signingNames: ["ecr"],
    protocol: "json",
    targetPrefix: "AmazonEC2ContainerRegistry_V20150921",
    load: async () => (await import("./ecr/index.js")).default,
  },
  {
    name: "servicediscovery",
    signingNames: ["servicediscovery"],
    protocol: "json",
    targetPrefix: "Route53AutoNaming_v20170314",
    load: async () => (await import("./servicediscovery/index.js")).default,
  },
  { name: "logs", signingNames: ["logs"], protocol: "json", targetPrefix: "Logs_20140328", load: async () => (await import("./logs/index.js")).default },
  { name: "ec2", signingNames: ["ec2"], protocol: "ec2", apiVersion: "2016-11-15", load: async () => (await import("./ec2/index.js")).default },
  {
    name: "lambda",
    signingNames: ["lambda"],
    protocol: "rest-json",
    pathPrefixes: [
      "/2015-03-31/",
      "/2017-03-31/tags/",
      "/2017-10-31/functions/",
      "/2019-09-30/functions/",
      "/2016-08-19/account-settings",
      "/2014-11-13/functions/",
      "/2018-10-31/layers",
      "/2019-09-25/functions/",
      "/2020-04-22/code-signing-configs",
      "/2020-06-30/functions/",
      "/2021-07-20/functions/",
      "/2021-10-31/functions/",
      "/2021-11-15/functions/",
      "/2024-08-31/functions/",
      "/2025-11-30/capacity-providers",
      "/2025-11-30/functions/",
      "/2025-12-01/durable-execution",
      "/2025-12-01/functions/",
    ],
    load: async () => (await import("./lambda/index.js")).default,
  },
  {
    name: "efs",
    signingNames: ["elasticfilesystem"],
    protocol: "rest-json",
    pathPrefixes: ["/2015-02-01/"],
    load: async () => (await import("./efs/index.js")).default,
  },
  { name: "s3", signingNames: ["s3"], protocol: "rest-xml", load: async () => (await import("./s3/index.js")).default },
];

const byName = new Map(SERVICES.map((s) => [s.name, s]));
const byTarget = new Map(SERVICES.filter((s) => s.targetPrefix).map((s) => [s.targetPrefix!, s]));
const bySigningName = new Map(SERVICES.flatMap((s) => s.signingNames.map((n) => [n, s] as const)));
const byVersion = new Map(SERVICES.filter((s) => s.apiVersion).map((s) => [s.apiVersion!, s]));

export const serviceByName = (n: string) => byName.get(n);
export const serviceByTarget = (t: string) => byTarget.get(t);
export const serviceBySigningName = (n: string) => bySigningName.get(n);
export const serviceByApiVersion = (v: string) => byVersion.get(v);
export const serviceByPath = (path: string) => SERVICES.find((s) => s.pathPrefixes?.some((p) => path.startsWith(p)));
