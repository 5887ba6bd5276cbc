/** ECS errors with AWS's messages. */
import { AwsError } from "../../protocols/aws-error.js";

export const EcsErrors = {
  clusterNotFound: () => new AwsError("ClusterNotFoundException", "Cluster not found.", 400),
  serviceNotFound: () => new AwsError("ServiceNotFoundException", "Service not found.", 400),
  serviceNotActive: () => new AwsError("ServiceNotActiveException", "Service was not ACTIVE.", 400),
  clusterContainsServices: () => new AwsError("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.", 400),
  clusterContainsTasks: () => new AwsError("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.", 400),
  invalidParameter: (message: string) => new AwsError("InvalidParameterException", message, 400),
  client: (message: string) => new AwsError("ClientException", message, 400),
  resourceNotFound: (message = "The specified resource could not be found.") => new AwsError("ResourceNotFoundException", message, 400),
  taskDefinitionNotFound: () => new AwsError("InvalidParameterException", "TaskDefinition not found.", 400),
  taskNotFound: () => new AwsError("InvalidParameterException", "The referenced task was not found.", 400),
  invalidToken: () => new AwsError("InvalidParameterException", "Invalid nextToken.", 400),
};
