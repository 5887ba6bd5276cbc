/**
 * ECS (AWS JSON 1.1, AmazonEC2ContainerServiceV20141113), all 77 operations of the model: clusters, task
 * definitions, tasks, services, tags and account settings; capacity providers (FARGATE/FARGATE_SPOT built
 * in, Auto Scaling and managed instances providers, cluster association and default strategies spread by
 * base and weight); container instances with EC2 placement (CPU/MEMORY/PORTS reservations, memberOf with
 * the cluster query language, distinctInstance, binpack/spread/random, AWS's failure reasons, draining);
 * attributes; task sets for EXTERNAL/CODE_DEPLOY services; service deployments and revisions with the
 * circuit breaker and StopServiceDeployment rollback; task scale-in protection; Cloud Map registration of
 * service tasks (serviceRegistries); clusters' Service Connect default namespaces (Cloud Map namespaces, an HTTP
 * one created for a new name); managed daemons; Express Mode services. Tasks run through the runtime
 * interface: in fake mode they are RUNNING when RunTask returns and STOPPED when StopTask returns; in
 * --execute mode their containers are real processes (exit codes, essential containers, dependsOn, health
 * checks, awslogs into CloudWatch Logs, the task metadata endpoint, EFS/host/task volumes bound at each
 * container's containerPath in a private mount namespace when root on Linux). Counts and remaining resources are
 * derived from task records, never stored apart from them. EC2 instances launched with ECS_CLUSTER in their user
 * data register as that cluster's container instances once running, as the ECS agent does (ec2-agent.ts), and
 * their tasks stop with AWS's "Host EC2 (instance ...) stopped./terminated." when the instance goes down. Managed
 * EBS volumes (volumeConfigurations) are EC2 volumes in the task's zone (task-volumes.ts); containers report the
 * image digest of awsim's ECR images, pinned per service deployment (image-digests.ts).
 * Gaps: without registered container instances EC2 tasks run on virtual capacity (under --strict RunTask
 * answers "No Container Instances were found in your cluster."); Auto Scaling, load balancers and managed
 * instances are not launched (daemons therefore run nowhere; Express Mode endpoints are reported, not
 * served); ExecuteCommand answers as AWS does without a Session Manager agent; lifecycle hooks never wait.
 */
import type { ServiceDefinition } from "../core/types.js";
import { withAgentHosts, withAgents } from "./ec2-agent.js";
import {
  CreateDaemon,
  DeleteDaemon,
  DeleteDaemonTaskDefinition,
  DescribeDaemon,
  DescribeDaemonDeployments,
  DescribeDaemonRevisions,
  DescribeDaemonTaskDefinition,
  ListDaemonDeployments,
  ListDaemons,
  ListDaemonTaskDefinitions,
  RegisterDaemonTaskDefinition,
  UpdateDaemon,
} from "./daemons.js";
import { CreateExpressGatewayService, DeleteExpressGatewayService, DescribeExpressGatewayService, UpdateExpressGatewayService } from "./express.js";
import { DeleteAccountSetting, ListAccountSettings, PutAccountSetting, PutAccountSettingDefault } from "./account.js";
import {
  CreateCapacityProvider,
  DeleteCapacityProvider,
  DescribeCapacityProviders,
  PutClusterCapacityProviders,
  UpdateCapacityProvider,
} from "./capacity-providers.js";
import { CreateCluster, DeleteCluster, DescribeClusters, ListClusters, UpdateCluster, UpdateClusterSettings } from "./clusters.js";
import {
  DeleteAttributes,
  DeregisterContainerInstance,
  DescribeContainerInstances,
  DiscoverPollEndpoint,
  ListAttributes,
  ListContainerInstances,
  PutAttributes,
  RegisterContainerInstance,
  SubmitAttachmentStateChanges,
  SubmitContainerStateChange,
  SubmitTaskStateChange,
  UpdateContainerAgent,
  UpdateContainerInstancesState,
} from "./container-instances.js";
import { disposeServices, CreateService, DeleteService, DescribeServices, ListServices, UpdateService } from "./services.js";
import { createEcsState, type EcsState } from "./state.js";
import { ListTagsForResource, TagResource, UntagResource } from "./tags.js";
import {
  DeleteTaskDefinitions,
  DeregisterTaskDefinition,
  DescribeTaskDefinition,
  ListTaskDefinitionFamilies,
  ListTaskDefinitions,
  RegisterTaskDefinition,
} from "./task-definitions.js";
import {
  ContinueServiceDeployment,
  DescribeServiceDeployments,
  DescribeServiceRevisions,
  ListServiceDeployments,
  StopServiceDeployment,
} from "./service-deployments.js";
import { ExecuteCommand, GetTaskProtection, ListServicesByNamespace, UpdateTaskProtection } from "./task-extras.js";
import { CreateTaskSet, DeleteTaskSet, DescribeTaskSets, UpdateServicePrimaryTaskSet, UpdateTaskSet } from "./task-sets.js";
import { DescribeTasks, ListTasks, RunTask, StartTask, StopTask } from "./tasks.js";

const ecs: ServiceDefinition<EcsState> = {
  name: "ecs",
  protocol: "json",
  targetPrefix: "AmazonEC2ContainerServiceV20141113",
  jsonVersion: "1.1",
  createState: ({ accountId, region }) => createEcsState(accountId, region),
  counts: (st) => {
    let services = 0;
    let running = 0;
    for (const c of st.clusters.values()) {
      for (const s of c.services.values()) if (s.service.status === "ACTIVE") services++;
      for (const t of c.tasks.values()) if (t.task.lastStatus !== "STOPPED") running++;
    }
    return {
      clusters: [...st.clusters.values()].filter((c) => c.cluster.status === "ACTIVE").length,
      taskDefinitions: [...st.families.values()].reduce((n, r) => n + r.filter((t) => t.status === "ACTIVE").length, 0),
      tasks: running,
      services,
    };
  },
  identify: (st, accessKeyId) => st.sessions.get(accessKeyId),
  dispose: async (st) => {
    for (const c of st.clusters.values()) disposeServices(c);
  },
  operations: {
    CreateCluster,
    DescribeClusters: withAgents(DescribeClusters),
    ListClusters: withAgents(ListClusters),
    UpdateCluster,
    UpdateClusterSettings,
    PutClusterCapacityProviders,
    DeleteCluster,
    RegisterTaskDefinition,
    DescribeTaskDefinition,
    DeregisterTaskDefinition,
    DeleteTaskDefinitions,
    ListTaskDefinitions,
    ListTaskDefinitionFamilies,
    RunTask: withAgents(RunTask),
    StartTask: withAgents(StartTask),
    DescribeTasks: withAgentHosts(DescribeTasks),
    ListTasks: withAgentHosts(ListTasks),
    StopTask,
    CreateService: withAgents(CreateService),
    DescribeServices,
    ListServices,
    UpdateService: withAgents(UpdateService),
    DeleteService,
    TagResource,
    UntagResource,
    ListTagsForResource,
    PutAccountSetting,
    PutAccountSettingDefault,
    DeleteAccountSetting,
    ListAccountSettings,
    ListContainerInstances: withAgents(ListContainerInstances),
    DescribeContainerInstances: withAgents(DescribeContainerInstances),
    RegisterContainerInstance,
    DeregisterContainerInstance,
    UpdateContainerInstancesState,
    UpdateContainerAgent,
    DiscoverPollEndpoint,
    SubmitTaskStateChange,
    SubmitContainerStateChange,
    SubmitAttachmentStateChanges,
    PutAttributes,
    DeleteAttributes,
    ListAttributes,
    CreateCapacityProvider,
    UpdateCapacityProvider,
    DeleteCapacityProvider,
    DescribeCapacityProviders,
    CreateTaskSet,
    DescribeTaskSets,
    UpdateTaskSet,
    DeleteTaskSet,
    UpdateServicePrimaryTaskSet,
    UpdateTaskProtection,
    GetTaskProtection,
    ExecuteCommand,
    ListServicesByNamespace,
    ListServiceDeployments,
    DescribeServiceDeployments,
    DescribeServiceRevisions,
    StopServiceDeployment,
    ContinueServiceDeployment,
    RegisterDaemonTaskDefinition,
    DescribeDaemonTaskDefinition,
    DeleteDaemonTaskDefinition,
    ListDaemonTaskDefinitions,
    CreateDaemon,
    UpdateDaemon,
    DeleteDaemon,
    DescribeDaemon,
    ListDaemons,
    ListDaemonDeployments,
    DescribeDaemonDeployments,
    DescribeDaemonRevisions,
    CreateExpressGatewayService,
    DescribeExpressGatewayService,
    UpdateExpressGatewayService,
    DeleteExpressGatewayService,
  },
};

export default ecs;
