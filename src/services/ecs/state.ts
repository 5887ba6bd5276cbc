/** ECS state for one account and region, with the indexes Describe/List use. */
import type { Cluster, Deployment, Service, Setting, Task, TaskDefinition, Tag } from "@aws-sdk/client-ecs";

export interface ClusterRec {
  cluster: Cluster & { clusterArn: string; clusterName: string };
  /** Tasks of this cluster by task id, in creation order. */
  tasks: Map<string, TaskRec>;
  services: Map<string, ServiceRec>;
  /** Secondary indexes for ListTasks: family / startedBy / service name → task ids. */
  byFamily: Map<string, Set<string>>;
  byStartedBy: Map<string, Set<string>>;
  byService: Map<string, Set<string>>;
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
}

export interface ServiceRec {
  service: Service & { serviceArn: string; serviceName: string; status: string; deployments: Deployment[] };
  cluster: string;
  /** Consecutive task failures, for the scheduler's back-off. */
  failures: number;
  retryTimer?: NodeJS.Timeout;
  inactiveAtMs?: number;
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
    seq: 0,
  };
}

export const secs = (d: Date | number = Date.now()) => (typeof d === "number" ? d : d.getTime()) / 1000;
