/**
 * What awsim knows of AWS managed policies beyond models/iam-managed-policies.json.gz (every AWS managed policy:
 * path, default version id, dates and the default version's document; see scripts/update-managed-policies):
 * the descriptions of the commonly attached ones, as AWS's managed policy reference shows them (the data holds
 * none, and awsim does not invent AWS's wording), earlier versions AWS still lists, and documents whose exact text
 * AWS serves differently from the data's compact form.
 */

/** AWS's description of a managed policy, by name (policies not listed here have none in awsim). */
export const MANAGED_POLICY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  AdministratorAccess: "Provides full access to AWS services and resources.",
  AmazonAPIGatewayPushToCloudWatchLogs: "Allows API Gateway to push logs to user's account.",
  AmazonDynamoDBFullAccess: "Provides full access to Amazon DynamoDB via the AWS Management Console.",
  AmazonDynamoDBReadOnlyAccess: "Provides read only access to Amazon DynamoDB via the AWS Management Console.",
  AmazonEC2ContainerRegistryFullAccess: "Provides administrative access to Amazon ECR resources",
  AmazonEC2ContainerRegistryPowerUser:
    "Provides full access to Amazon EC2 Container Registry repositories, but does not allow repository deletion or policy changes.",
  AmazonEC2ContainerRegistryReadOnly: "Provides read-only access to Amazon EC2 Container Registry repositories.",
  AmazonEC2ContainerServiceforEC2Role: "Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.",
  AmazonEC2ContainerServiceRole: "Default policy for Amazon ECS service role.",
  AmazonEC2FullAccess: "Provides full access to Amazon EC2 via the AWS Management Console.",
  AmazonEC2ReadOnlyAccess: "Provides read only access to Amazon EC2 via the AWS Management Console.",
  AmazonECS_FullAccess:
    "Provides administrative access to Amazon ECS resources and enables ECS features through access to other AWS service resources, including VPCs, Auto Scaling groups, and CloudFormation stacks.",
  AmazonECSServiceRolePolicy: "Policy to enable Amazon ECS to manage your cluster.",
  AmazonECSTaskExecutionRolePolicy: "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
  AmazonEKS_CNI_Policy:
    "This policy provides the Amazon VPC CNI Plugin (amazon-vpc-cni-k8s) the permissions it requires to modify the IP address configuration on your EKS worker nodes. This permission set allows the CNI to list, describe, and modify Elastic Network Interfaces on your behalf. More information on the AWS VPC CNI Plugin is available here: https://github.com/aws/amazon-vpc-cni-k8s",
  AmazonEKSClusterPolicy:
    "This policy provides Kubernetes the permissions it requires to manage resources on your behalf. Kubernetes requires Ec2:CreateTags permissions to place identifying information on EC2 resources including but not limited to Instances, Security Groups, and Elastic Network Interfaces.",
  AmazonEKSServiceRolePolicy: "A Service-Linked Role required for Amazon EKS to call AWS services on your behalf.",
  AmazonEKSWorkerNodePolicy: "This policy allows Amazon EKS worker nodes to connect to Amazon EKS Clusters.",
  AmazonElasticFileSystemClientReadWriteAccess: "Provides read and write client access to an Amazon EFS file system",
  AmazonElasticFileSystemFullAccess: "Provides full access to Amazon EFS via the AWS Management Console.",
  AmazonElasticFileSystemReadOnlyAccess: "Provides read only access to Amazon EFS via the AWS Management Console.",
  AmazonElasticFileSystemServiceRolePolicy: "Allows Amazon Elastic File System to manage AWS resources on your behalf",
  AmazonElasticMapReduceforEC2Role: "Default policy for the Amazon Elastic MapReduce for EC2 service role.",
  AmazonElasticMapReduceRole:
    "This policy is on a deprecation path. See documentation for guidance: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html. Default policy for the Amazon Elastic MapReduce service role.",
  AmazonKinesisFullAccess: "Provides full access to all streams via the AWS Management Console.",
  AmazonS3FullAccess: "Provides full access to all buckets via the AWS Management Console.",
  AmazonS3ReadOnlyAccess: "Provides read only access to all buckets via the AWS Management Console.",
  AmazonSNSFullAccess: "Provides full access to Amazon SNS via the AWS Management Console.",
  AmazonSQSFullAccess: "Provides full access to Amazon SQS via the AWS Management Console.",
  AmazonSQSReadOnlyAccess: "Provides read only access to Amazon SQS via the AWS Management Console.",
  AmazonSSMManagedInstanceCore: "The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.",
  AmazonSSMReadOnlyAccess: "Provides read only access to Amazon SSM.",
  AmazonVPCFullAccess: "Provides full access to Amazon VPC via the AWS Management Console.",
  AutoScalingServiceRolePolicy: "Enables access to AWS Services and Resources used or managed by Auto Scaling",
  AWSApplicationAutoscalingECSServicePolicy: "Policy granting permissions to Application Auto Scaling to access EC2 Container Service and CloudWatch.",
  AWSCloudFormationReadOnlyAccess: "Provides access to AWS CloudFormation via the AWS Management Console.",
  AWSCloudMapFullAccess: "Provides full access to all AWS Cloud Map actions.",
  AWSCloudMapReadOnlyAccess: "Provides read-only access to all AWS Cloud Map actions.",
  AWSControlTowerServiceRolePolicy: "Provides access to AWS Resources managed or used by AWS Control Tower",
  AWSElasticBeanstalkServiceRolePolicy:
    "AWS Elastic Beanstalk Service Linked Role policy which grants permissions to create & manage resources (i.e.: AutoScaling, EC2, S3, CloudFormation, ELB, etc.) on your behalf.",
  AWSLambda_FullAccess: "Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
  AWSLambda_ReadOnlyAccess: "Grants read-only access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
  AWSLambdaBasicExecutionRole: "Provides write permissions to CloudWatch Logs.",
  AWSLambdaDynamoDBExecutionRole: "Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.",
  AWSLambdaKinesisExecutionRole: "Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.",
  AWSLambdaRole: "Default policy for AWS Lambda service role.",
  AWSLambdaSQSQueueExecutionRole:
    "Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.",
  AWSLambdaVPCAccessExecutionRole:
    "Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs. ",
  AWSXRayDaemonWriteAccess:
    "Allow the AWS X-Ray Daemon to relay raw trace segments data to the service's API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.",
  AWSXrayWriteOnlyAccess: "AWS X-Ray write only managed policy",
  BatchServiceRolePolicy: "Provides access for the AWS Batch service to manage the required resources, including Amazon EC2 and Amazon ECS resources.",
  CloudWatchAgentServerPolicy: "Permissions required to use AmazonCloudWatchAgent on servers",
  CloudWatchLogsFullAccess: "Provides full access to CloudWatch Logs",
  CloudWatchLogsReadOnlyAccess: "Provides read only access to CloudWatch Logs",
  IAMFullAccess: "Provides full access to IAM via the AWS Management Console.",
  IAMReadOnlyAccess: "Provides read only access to IAM via the AWS Management Console.",
  IAMUserChangePassword: "Provides the ability for an IAM user to change their own password.",
  PowerUserAccess: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
  ReadOnlyAccess: "Provides read-only access to AWS services and resources.",
  SecurityAudit:
    "The security audit template grants access to read security configuration metadata. It is useful for software that audits the configuration of an AWS account.",
  SystemAdministrator: "Grants full access permissions necessary for resources required for application and development operations.",
  ViewOnlyAccess: "This policy grants permissions to view resources and basic metadata across all AWS services.",
};

/**
 * AdministratorAccess keeps the exact text AWS serves (two-space indents, as cloud-custodian's recorded
 * GetPolicyVersion in tests/data/placebo/test_iam_policy_allow_all shows), so Simulate* spans match AWS's.
 */
export const MANAGED_POLICY_TEXT: Readonly<Record<string, string>> = {
  AdministratorAccess:
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}',
};

/** Earlier versions AWS still lists (only v1, created with the policy, is recorded). */
export const MANAGED_POLICY_EARLIER: Readonly<Record<string, ReadonlyArray<{ version: string; document: string }>>> = {
  AmazonS3FullAccess: [{ version: "v1", document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' }],
};
