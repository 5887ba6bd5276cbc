/** ECS errors with AWS's messages. */
import { AwsError } from "../../protocols/aws-error.js";

export const EcsErrors = {
  clusterNotFound: () => new AwsError("ClusterNotFoundException", "Cluster not found.", 400),
  clusterInactive: () => new AwsError("InvalidParameterException", "The specified cluster is inactive. Specify an active cluster and try again.", 400),
  serviceNotFound: () => new AwsError("ServiceNotFoundException", "Service not found.", 400),
  serviceNotActive: () => new AwsError("ServiceNotActiveException", "Service was not ACTIVE.", 400),
  clusterContainsServices: () => new AwsError("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.", 400),
  clusterContainsTasks: () => new AwsError("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.", 400),
  invalidParameter: (message: string) => new AwsError("InvalidParameterException", message, 400),
  client: (message: string) => new AwsError("ClientException", message, 400),
  resourceNotFound: (message = "The specified resource could not be found.") => new AwsError("ResourceNotFoundException", message, 400),
  taskDefinitionNotFound: () => new AwsError("ClientException", "TaskDefinition not found.", 400),
  // A deregistered revision named explicitly: RunTask answers InvalidParameterException (DefangLabs/defang#775),
  // UpdateService a ClientException (a rollback to a deregistered revision), both "TaskDefinition is inactive".
  taskDefinitionInactive: (code: "InvalidParameterException" | "ClientException") => new AwsError(code, "TaskDefinition is inactive", 400),
  unableToDescribeTaskDefinition: () => new AwsError("ClientException", "Unable to describe task definition.", 400),
  taskNotFound: () => new AwsError("InvalidParameterException", "The referenced task was not found.", 400),
  capacityProviderInUse: () => new AwsError("ResourceInUseException", "The specified capacity provider is in use and cannot be removed.", 400),
  clusterContainsInstances: () =>
    new AwsError("ClusterContainsContainerInstancesException", "The Cluster cannot be deleted while Container Instances are active or draining.", 400),
  containerInstanceNotFound: () => new AwsError("InvalidParameterException", "The referenced container instance was not found.", 400),
  targetNotFound: (arn: string) => new AwsError("TargetNotFoundException", `Could not find ${arn}.`, 400),
  taskSetNotFound: () => new AwsError("TaskSetNotFoundException", "The specified task set does not exist.", 400),
  unsupportedFeature: (message: string) => new AwsError("UnsupportedFeatureException", message, 400),
  noUpdateAvailable: () => new AwsError("NoUpdateAvailableException", "There is no update available for your container agent.", 400),
  attributeLimit: () => new AwsError("AttributeLimitExceededException", "You can apply up to 10 custom attributes per resource.", 400),
  platformVersionWithEc2: () => new AwsError("InvalidParameterException", "The platform version must be null when specifying an EC2 launch type.", 400),
  // Fargate platform versions (jenkinsci/amazon-ecs-plugin#218, ansible-collections/community.aws#136).
  platformUnknown: () => new AwsError("PlatformUnknownException", "The specified platform does not exist.", 400),
  platformIncompatible: () =>
    new AwsError("PlatformTaskDefinitionIncompatibilityException", "One or more of the requested capabilities are not supported.", 400),
  invalidToken: () => new AwsError("InvalidParameterException", "Invalid nextToken.", 400),
};
