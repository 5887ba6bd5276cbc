/** ECS state for one account and region, with the indexes Describe/List use. */
import type {
  CapacityProvider,
  Cluster,
  ContainerInstance,
  DaemonRevision,
  DaemonTaskDefinition,
  Deployment,
  Service,
  Setting,
  Task,
  TaskDefinition,
  TaskSet,
  Tag,
} from "@aws-sdk/client-ecs";
import type { Principal } from "../core/types.js";
import type { DaemonDeploymentRec, DaemonRec } from "./daemons.js";
import type { ExpressRec } from "./express.js";
import type { ServiceDeploymentRec, ServiceRevisionRec } from "./service-deployments.js";

export interface ClusterRec {
  cluster: Cluster & { clusterArn: string; clusterName: string };
  /** Tasks of this cluster by task id, in creation order. */
  tasks: Map<string, TaskRec>;
  services: Map<string, ServiceRec>;
  /** Secondary indexes for ListTasks: family / startedBy / service name → task ids. */
  byFamily: Map<string, Set<string>>;
  byStartedBy: Map<string, Set<string>>;
  byService: Map<string, Set<string>>;
  /** Container instances by id, in registration order. */
  instances: Map<string, InstanceRec>;
  /**
   * The tasks in seq order, for ListTasks to seek to a page (tasks.ts, taskOrder): built on first use,
   * appended to at creation, forgotten tasks skipped and compacted away lazily.
   */
  order?: TaskRec[];
}

export interface InstanceRec {
  seq: number;
  id: string;
  cluster: string;
  ci: ContainerInstance & { containerInstanceArn: string; status: string; version: number };
  /** Ids of the tasks placed on this instance (until forgotten); resources and counts derive from them. */
  tasks: Set<string>;
  /** Registered by the agent of an EC2 instance (ec2-agent.ts): follows that instance's stop and termination. */
  agent?: boolean;
}

export interface Reserved {
  cpu: number;
  memory: number;
  ports: number[];
  udpPorts: number[];
}

export interface TaskSetRec {
  taskSet: TaskSet & { id: string; taskSetArn: string; status: string };
  service: string;
}

export interface TaskRec {
  seq: number;
  /** The wire object, kept current. */
  task: Task & { taskArn: string; lastStatus: string; desiredStatus: string; version: number };
  id: string;
  cluster: string;
  family: string;
  service?: string;
  /** Set once the runner reported every container gone. */
  stoppedAtMs?: number;
  /** Resolves when the task first reaches RUNNING or STOPPED (RunTask waits briefly for it in execute mode). */
  settled: Promise<void>;
  settle: () => void;
  /** Output kept when the container has no awslogs configuration (bounded). */
  output: string[];
  /** Container name → essential. */
  essential: Map<string, boolean>;
  /** The container instance id the task was placed on (EC2 launch type with registered instances). */
  instance?: string;
  /** What the task reserves on its container instance. */
  reserved: Reserved;
  /** Task scale-in protection, until this time (ms). */
  protectedUntilMs?: number;
}

export interface ServiceRec {
  service: Service & { serviceArn: string; serviceName: string; status: string; deployments: Deployment[] };
  cluster: string;
  /** Consecutive task failures, for the scheduler's back-off. */
  failures: number;
  retryTimer?: NodeJS.Timeout;
  /** Execute mode: re-check a deployment once its tasks have run long enough to count as stable. */
  settleTimer?: NodeJS.Timeout;
  inactiveAtMs?: number;
  /** Task sets (EXTERNAL / CODE_DEPLOY deployment controllers), by id. */
  taskSets: Map<string, TaskSetRec>;
  /** The clientToken of the CreateService request that created it: a retry with it answers this service. */
  clientToken?: string;
}

export interface EcsState {
  accountId: string;
  region: string;
  clusters: Map<string, ClusterRec>;
  /** family → revisions (index 0 = revision 1). */
  families: Map<string, TaskDefinition[]>;
  taskDefTags: Map<string, Tag[]>;
  /** Every task by task id (all clusters). */
  tasks: Map<string, TaskRec>;
  /** STOPPED tasks in stop order, for retention. */
  stopped: TaskRec[];
  accountSettings: Map<string, Setting>;
  /** Capacity providers by name (FARGATE and FARGATE_SPOT are built in and not stored). */
  capacityProviders: Map<string, CapacityProvider & { name: string; capacityProviderArn: string }>;
  /**
   * Service deployments and revisions, daemons and Express services (service-deployments.ts, daemons.ts,
   * express.ts): top-level maps like the others, so --persist writes them entry by entry.
   */
  serviceDeployments: Map<string, ServiceDeploymentRec>;
  serviceRevisions: Map<string, ServiceRevisionRec>;
  daemonTaskDefinitions: Map<string, DaemonTaskDefinition[]>;
  daemonTaskDefinitionTags: Map<string, Tag[]>;
  daemons: Map<string, DaemonRec>;
  daemonDeployments: Map<string, DaemonDeploymentRec>;
  daemonRevisions: Map<string, DaemonRevision>;
  expressServices: Map<string, ExpressRec>;
  /** Task role sessions the container credentials endpoint hands out: access key id → principal (metadata.ts). */
  sessions: Map<string, Principal>;
  /** Task id → its task role credentials (one session per task, as ECS gives it). */
  taskCredentials: Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date; roleArn: string }>;
  seq: number;
}

export const STOPPED_RETENTION_MS = 60 * 60 * 1000;
export const MAX_STOPPED_TASKS = 20_000;
export const MAX_TASK_OUTPUT_LINES = 1000;

export function createEcsState(accountId: string, region: string): EcsState {
  return {
    accountId,
    region,
    clusters: new Map(),
    families: new Map(),
    taskDefTags: new Map(),
    tasks: new Map(),
    stopped: [],
    accountSettings: new Map(),
    capacityProviders: new Map(),
    serviceDeployments: new Map(),
    serviceRevisions: new Map(),
    daemonTaskDefinitions: new Map(),
    daemonTaskDefinitionTags: new Map(),
    daemons: new Map(),
    daemonDeployments: new Map(),
    daemonRevisions: new Map(),
    expressServices: new Map(),
    sessions: new Map(),
    taskCredentials: new Map(),
    seq: 0,
  };
}

export const secs = (d: Date | number = Date.now()) => (typeof d === "number" ? d : d.getTime()) / 1000;
