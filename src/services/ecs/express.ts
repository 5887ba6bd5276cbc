/**
 * Express Mode services (Create/Describe/Update/DeleteExpressGatewayService), built from the real parts:
 * a Fargate task definition (family = service name, container "Main") from the primary container, and an
 * ECS service running scalingTarget.minTaskCount tasks of it (real task records; processes in execute
 * mode). Each update registers a new revision and rolls the service. Defaults are the model's documented
 * ones: cpu 256, memory 512, container port 80, health check path /ping, CPU target 60. The load balancer,
 * certificate and auto scaling policy AWS provisions are not simulated: the ingress endpoint is reported,
 * not served, and the task count stays at minTaskCount.
 */
import type {
  ECSExpressGatewayService,
  ExpressGatewayContainer,
  ExpressGatewayScalingTarget,
  ExpressGatewayServiceConfiguration,
  ExpressGatewayServiceNetworkConfiguration,
  Tag,
} from "@aws-sdk/client-ecs";
import { AwsError } from "../../protocols/aws-error.js";
import { hex } from "../core/ids.js";
import type { Ctx } from "../core/types.js";
import { CreateCluster } from "./clusters.js";
import { check, findCluster, nameOf, state, TAG_SPEC, tagsOut } from "./common.js";
import { EcsErrors } from "./errors.js";
import { deploymentsOf } from "./service-deployments.js";
import { CreateService, DeleteService, UpdateService } from "./services.js";
import type { EcsState, ServiceRec } from "./state.js";
import { RegisterTaskDefinition } from "./task-definitions.js";

export interface ExpressRec {
  serviceArn: string;
  cluster: string;
  serviceName: string;
  infrastructureRoleArn: string;
  endpoint: string;
  configs: ExpressGatewayServiceConfiguration[];
  createdAt: Date;
  updatedAt: Date;
}

/** The state's Express services (a top-level map of EcsState, so --persist and snapshots carry it). */
const store = (st: EcsState): Map<string, ExpressRec> => (st.expressServices ??= new Map());

const CONTAINER = {
  type: "structure",
  fields: {
    image: {},
    containerPort: { type: "integer" },
    awsLogsConfiguration: { type: "structure", fields: { logGroup: {}, logStreamPrefix: {} } },
    repositoryCredentials: { type: "structure", fields: { credentialsParameter: {} } },
    command: { type: "list", items: {} },
    environment: { type: "list", items: { type: "structure", fields: { name: {}, value: {} } } },
    secrets: { type: "list", items: { type: "structure", fields: { name: {}, valueFrom: {} } } },
  },
} as const;

const CONFIG_SPEC = {
  executionRoleArn: {},
  taskRoleArn: {},
  healthCheckPath: {},
  primaryContainer: CONTAINER,
  networkConfiguration: { type: "structure", fields: { securityGroups: { type: "list", items: {} }, subnets: { type: "list", items: {} } } },
  cpu: {},
  memory: {},
  scalingTarget: {
    type: "structure",
    fields: {
      minTaskCount: { type: "integer", min: 0 },
      maxTaskCount: { type: "integer", min: 0 },
      autoScalingMetric: { enum: ["AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET"] },
      autoScalingTargetValue: { type: "integer" },
    },
  },
} as const;

interface ConfigInput {
  executionRoleArn?: string;
  taskRoleArn?: string;
  healthCheckPath?: string;
  primaryContainer?: ExpressGatewayContainer;
  networkConfiguration?: ExpressGatewayServiceNetworkConfiguration;
  cpu?: string;
  memory?: string;
  scalingTarget?: ExpressGatewayScalingTarget;
}

/** Register the revision's task definition and return the configuration AWS describes. */
function configure(ctx: Ctx, name: string, cluster: string, endpoint: string, c: ConfigInput, prev?: ExpressGatewayServiceConfiguration) {
  const container = { ...(prev?.primaryContainer ?? {}), ...(c.primaryContainer ?? {}) } as ExpressGatewayContainer;
  container.containerPort ??= 80;
  const cfg: ExpressGatewayServiceConfiguration = {
    executionRoleArn: c.executionRoleArn ?? prev?.executionRoleArn,
    taskRoleArn: c.taskRoleArn ?? prev?.taskRoleArn,
    cpu: c.cpu ?? prev?.cpu ?? "256",
    memory: c.memory ?? prev?.memory ?? "512",
    networkConfiguration: c.networkConfiguration ?? prev?.networkConfiguration,
    healthCheckPath: c.healthCheckPath ?? prev?.healthCheckPath ?? "/ping",
    primaryContainer: container,
    scalingTarget: {
      minTaskCount: 1,
      autoScalingMetric: "AVERAGE_CPU",
      autoScalingTargetValue: 60,
      ...(prev?.scalingTarget ?? {}),
      ...(c.scalingTarget ?? {}),
    },
    ingressPaths: [{ accessType: "PUBLIC", endpoint }],
    createdAt: ctx.now(),
  };
  const logs = container.awsLogsConfiguration;
  const td = RegisterTaskDefinition(ctx, {
    family: name,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: cfg.cpu,
    memory: cfg.memory,
    executionRoleArn: cfg.executionRoleArn,
    taskRoleArn: cfg.taskRoleArn,
    containerDefinitions: [
      {
        name: "Main",
        image: container.image,
        essential: true,
        command: container.command,
        environment: container.environment,
        secrets: container.secrets,
        repositoryCredentials: container.repositoryCredentials,
        portMappings: [{ containerPort: container.containerPort, protocol: "tcp" }],
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": logs?.logGroup ?? `/aws/ecs/${cluster}/${name}`,
            "awslogs-stream-prefix": logs?.logStreamPrefix ?? "ecs",
            "awslogs-region": ctx.region,
            "awslogs-create-group": "true",
          },
        },
      },
    ],
  });
  return { cfg, taskDefinition: td.taskDefinition.taskDefinitionArn! };
}

function serviceRec(st: EcsState, r: ExpressRec): ServiceRec | undefined {
  return st.clusters.get(r.cluster)?.services.get(r.serviceName);
}

function view(st: EcsState, r: ExpressRec, withTags: boolean): ECSExpressGatewayService {
  const s = serviceRec(st, r);
  const primary = s?.service.deployments.find((d) => d.status === "PRIMARY");
  const sd = primary ? deploymentsOf(st).byDeploymentId.get(primary.id!) : undefined;
  const status = (s?.service.status ?? "INACTIVE") as "ACTIVE" | "DRAINING" | "INACTIVE";
  return {
    cluster: s?.service.clusterArn ?? r.cluster,
    serviceName: r.serviceName,
    serviceArn: r.serviceArn,
    infrastructureRoleArn: r.infrastructureRoleArn,
    status: { statusCode: status },
    currentDeployment: sd?.sd.serviceDeploymentArn,
    activeConfigurations: structuredClone(r.configs.slice(-1)),
    tags: withTags ? tagsOut(s?.service.tags) : undefined,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function subnetsOf(cfg: ExpressGatewayServiceConfiguration) {
  const n = cfg.networkConfiguration;
  return {
    awsvpcConfiguration: {
      subnets: n?.subnets?.length ? n.subnets : ["subnet-default"],
      securityGroups: n?.securityGroups,
      assignPublicIp: "ENABLED" as const,
    },
  };
}

/** Whether a service is an Express service (managed by ECS: ListServices resourceManagementType ECS). */
export const isExpressService = (st: EcsState, serviceArn: string): boolean => store(st).has(serviceArn);

export async function CreateExpressGatewayService(ctx: Ctx, input: unknown) {
  const v = check<ConfigInput & { infrastructureRoleArn: string; serviceName?: string; cluster?: string; tags?: Tag[] }>(input, {
    ...CONFIG_SPEC,
    executionRoleArn: { required: true },
    infrastructureRoleArn: { required: true },
    primaryContainer: { ...CONTAINER, required: true },
    serviceName: {},
    cluster: {},
    tags: TAG_SPEC,
  });
  const st = state(ctx);
  if (!v.primaryContainer?.image) throw EcsErrors.invalidParameter("The primary container must specify an image.");
  if (v.cluster === undefined && !st.clusters.get("default")) {
    await CreateCluster(ctx, { clusterName: "default" });
    st.clusters.get("default")!.cluster.capacityProviders = ["FARGATE", "FARGATE_SPOT"];
  }
  const c = findCluster(st, v.cluster);
  const name = v.serviceName ?? `express-${hex(12)}`;
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
    throw EcsErrors.invalidParameter("Service name can only contain alphanumeric characters, hyphens, and underscores and must be up to 255 characters long.");
  }
  const endpoint = `https://${name.toLowerCase().slice(0, 40)}-${hex(8)}.ecs.${ctx.region}.on.aws`;
  const { cfg, taskDefinition } = configure(ctx, name, c.cluster.clusterName, endpoint, v);
  const out = await CreateService(ctx, {
    cluster: c.cluster.clusterName,
    serviceName: name,
    taskDefinition,
    desiredCount: cfg.scalingTarget?.minTaskCount ?? 1,
    launchType: "FARGATE",
    networkConfiguration: subnetsOf(cfg),
    tags: v.tags,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
  });
  const now = ctx.now();
  const rec: ExpressRec = {
    serviceArn: out.service.serviceArn!,
    cluster: c.cluster.clusterName,
    serviceName: name,
    infrastructureRoleArn: v.infrastructureRoleArn,
    endpoint,
    configs: [cfg],
    createdAt: now,
    updatedAt: now,
  };
  store(st).set(rec.serviceArn, rec);
  linkRevision(st, rec);
  return { service: view(st, rec, true) };
}

/** The configuration's serviceRevisionArn is the revision of the deployment it started. */
function linkRevision(st: EcsState, r: ExpressRec): void {
  const s = serviceRec(st, r);
  const primary = s?.service.deployments.find((d) => d.status === "PRIMARY");
  const sd = primary ? deploymentsOf(st).byDeploymentId.get(primary.id!) : undefined;
  const cfg = r.configs[r.configs.length - 1];
  if (cfg && sd) cfg.serviceRevisionArn = sd.sd.targetServiceRevision?.arn;
}

function findExpress(ctx: Ctx, arn: string, notFound: () => Error): ExpressRec {
  const r = store(state(ctx)).get(arn) ?? [...store(state(ctx)).values()].find((x) => x.serviceName === nameOf(arn) && !arn.startsWith("arn:"));
  if (!r) throw notFound();
  return r;
}

export function DescribeExpressGatewayService(ctx: Ctx, input: unknown) {
  const v = check<{ serviceArn: string; include?: string[] }>(input, { serviceArn: { required: true }, include: { type: "list", items: { enum: ["TAGS"] } } });
  const r = findExpress(ctx, v.serviceArn, () => new AwsError("ResourceNotFoundException", "The specified Express service does not exist.", 400));
  return { service: view(state(ctx), r, v.include?.includes("TAGS") ?? false) };
}

export async function UpdateExpressGatewayService(ctx: Ctx, input: unknown) {
  const v = check<ConfigInput & { serviceArn: string }>(input, { ...CONFIG_SPEC, serviceArn: { required: true } });
  const st = state(ctx);
  const r = findExpress(ctx, v.serviceArn, EcsErrors.serviceNotFound);
  const s = serviceRec(st, r);
  if (s?.service.status !== "ACTIVE") throw EcsErrors.serviceNotActive();
  const { cfg, taskDefinition } = configure(ctx, r.serviceName, r.cluster, r.endpoint, v, r.configs[r.configs.length - 1]);
  await UpdateService(ctx, {
    cluster: r.cluster,
    service: r.serviceName,
    taskDefinition,
    desiredCount: Math.max(
      cfg.scalingTarget?.minTaskCount ?? 1,
      Math.min(s.service.desiredCount ?? 0, cfg.scalingTarget?.maxTaskCount ?? Number.MAX_SAFE_INTEGER),
    ),
    networkConfiguration: subnetsOf(cfg),
  });
  r.configs.push(cfg);
  r.updatedAt = ctx.now();
  linkRevision(st, r);
  const full = view(st, r, false);
  return {
    service: {
      serviceArn: full.serviceArn,
      cluster: full.cluster,
      serviceName: full.serviceName,
      status: full.status,
      targetConfiguration: structuredClone(cfg),
      createdAt: full.createdAt,
      updatedAt: full.updatedAt,
    },
  };
}

export async function DeleteExpressGatewayService(ctx: Ctx, input: unknown) {
  const v = check<{ serviceArn: string }>(input, { serviceArn: { required: true } });
  const st = state(ctx);
  const r = findExpress(ctx, v.serviceArn, EcsErrors.serviceNotFound);
  const s = serviceRec(st, r);
  if (s?.service.status !== "ACTIVE") throw EcsErrors.serviceNotActive();
  await DeleteService(ctx, { cluster: r.cluster, service: r.serviceName, force: true });
  r.updatedAt = ctx.now();
  const out = view(st, r, false);
  out.status = { statusCode: "DRAINING" };
  return { service: out };
}
