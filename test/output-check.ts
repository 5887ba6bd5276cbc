/**
 * vitest globalSetup: every answer any test gets is checked against AWS's model (AWSIM_CHECK_OUTPUT: members
 * the model does not declare, values of the wrong type or outside an enum), and the run fails at its end when
 * one was found that is not below. A member the model does not have is a guess: every SDK drops it.
 *
 * The exceptions are answers AWS itself gives outside its published enums, each with its source.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const AWS_ANSWERS: Array<[RegExp, string]> = [
  [
    /^ec2 (CreateVpcEndpoint|DescribeVpcEndpoints|DescribeVpcEndpointConnections) \S*(state|State): '(pendingAcceptance|pending|available|rejected|deleting|deleted|failed|expired)' is not in the enum of State$/,
    "CLI examples create-vpc-endpoint, describe-vpc-endpoints, describe-vpc-endpoint-connections (lower camel case)",
  ],
  // AWS's instance type list is newer than the model's InstanceType enum (models/ec2-instance-types.json.gz).
  [/^ec2 \w+ \S*instanceType: '[^']+' is not in the enum of InstanceType$/, "AWS's DescribeInstanceTypes data"],
  [
    /^ec2 DescribeInternetGateways \S+attachmentSet\[\d+\]\.state: 'available' is not in the enum of AttachmentStatus$/,
    "CLI example describe-internet-gateways",
  ],
  [
    /^ec2 (CreateNetworkInterfacePermission|DescribeNetworkInterfacePermissions) \S*PermissionState\.State: 'GRANTED' is not in the enum of NetworkInterfacePermissionStateCode$/,
    "CLI example create-network-interface-permission; Terraform's aws_network_interface_permission waits for GRANTED",
  ],
  [/^ec2 CreateNetworkInterface \.networkInterface\.status: 'pending' is not in the enum of NetworkInterfaceStatus$/, "CLI example create-network-interface"],
  [/^ec2 DescribeFleets \S+AllocationStrategy: 'lowestPrice' is not in the enum of \w+$/, "CLI example describe-fleets"],
  [
    /^ec2 DescribeSpotFleetRequests \S+ExcessCapacityTerminationPolicy: 'Default' is not in the enum of ExcessCapacityTerminationPolicy$/,
    "EC2 API reference example",
  ],
  [
    /^ec2 (DescribeImages|RunInstances|DescribeInstances) \S+\.platform: 'windows' is not in the enum of PlatformValues$/,
    "EC2 answers lower-case windows (CLI examples; Instance.Platform: 'This value is windows for Windows instances')",
  ],
  [
    /^ec2 DescribeNetworkInterfaces \S+\.interfaceType: '(nat_gateway|ec2_instance_connect_endpoint|efs)' is not in the enum of NetworkInterfaceType$/,
    "API reference NetworkInterface.InterfaceType's valid values",
  ],
  [/^ec2 \w+ \.VpnConnection\.State: 'modifying' is not in the enum of VpnState$/, "CLI examples modify-vpn-connection, modify-vpn-tunnel-certificate"],
  [
    /^ec2 DeleteLaunchTemplateVersions \S+\.responseError\.code: 'launchTemplateVersionIsDefaultVersion' is not in the enum of LaunchTemplateErrorCode$/,
    "unverified: AWS's code for refusing the default version is undocumented (the API reference says it is refused)",
  ],
  [
    /^iam \w+ \S*PermissionsBoundary\.PermissionsBoundaryType: 'Policy' is not in the enum of PermissionsBoundaryAttachmentType$/,
    "CLI example create-user; LocalStack's AWS-validated IAM snapshots",
  ],
  [
    /^iam Simulate(Principal|Custom)Policy \S+\.SourcePolicyType: '(IAM Policy|Resource Policy)' is not in the enum of PolicySourceType$/,
    "the policy simulator's documented examples",
  ],
  // S3 (its hand-written XML answers are checked against the model too, src/protocols/model/check.ts checkXmlAnswer).
  [
    /^s3 GetBucketLocation \.LocationConstraint: '' is not in the enum of BucketLocationConstraint$/,
    "GetBucketLocation: us-east-1 buckets answer an empty LocationConstraint",
  ],
  [
    /^s3 ListObjectVersions \S+\.StorageClass: '\w+' is not in the enum of ObjectVersionStorageClass$/,
    "AWS lists each version's storage class; the model's enum has STANDARD only (aws/aws-sdk-java-v2#6822)",
  ],
  [
    /^s3 GetBucketNotificationConfiguration \S+\.FilterRules\[\]\.Name: '(Prefix|Suffix)' is not in the enum of FilterRuleName$/,
    "S3 answers filter rule names capitalized whatever case was put (src/services/s3/buckets.ts nameNotifications)",
  ],
  [
    /^s3 GetBucketNotificationConfiguration \.LambdaFunctionConfigurations\[\]: element InvocationRole is not in LambdaFunctionConfiguration$/,
    "the deprecated GetBucketNotification shares this wire and answers the InvocationRole PutBucketNotification stored",
  ],
  // Not AWS's answers: minio-go puts MinIO's replication extensions (a DeleteReplication element, an empty Status in
  // ExistingObjectReplication and ReplicaModifications), and S3 configurations read back as they were put.
  [/^s3 GetBucketReplication \S+\.Rules\[\]: element DeleteReplication is not in ReplicationRule$/, "minio-go's replication.Rule (test/go/minio)"],
  [
    /^s3 GetBucketReplication \S+\.Rules\[\]\.(SourceSelectionCriteria\.ReplicaModifications|ExistingObjectReplication)\.Status: '' is not in the enum of \w+$/,
    "minio-go's replication.Rule (test/go/minio)",
  ],
  [
    /^s3 GetBucketLogging \S+\.Permission: 'READ_ACP' is not in the enum of BucketLogsPermission$/,
    "AWS's recorded answer keeps a READ_ACP target grant (test/sdk/s3-moto.test.ts PutBucketLogging)",
  ],
  [
    /^lambda \w+ (\.Configuration)?\.LastUpdateStatusReasonCode: 'Creating' is not in the enum of LastUpdateStatusReasonCode$/,
    "recorded: an update in progress gives the creation's reason",
  ],
];

const normalize = (line: string) => line.replace(/^AWSIM_CHECK_OUTPUT /, "").replace(/\[\d+\]/g, "[0]");

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "awsim-output-check-"));
  const file = join(dir, "findings.txt");
  process.env.AWSIM_CHECK_OUTPUT = "1";
  process.env.AWSIM_CHECK_OUTPUT_FILE = file;
  if (process.env.AWSIM_FILLED_REPORT) process.env.AWSIM_FILLED = "1";
  return () => {
    const all = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    rmSync(dir, { recursive: true, force: true });
    // AWSIM_ANSWERED_REPORT=<file>: the operations some test got a successful answer from, one "service Operation" a line.
    const answered = [...new Set(all.filter((l) => l.startsWith("AWSIM_ANSWERED ")).map((l) => l.slice(15)))].sort();
    if (process.env.AWSIM_ANSWERED_REPORT) writeFileSync(process.env.AWSIM_ANSWERED_REPORT, `${answered.join("\n")}\n`);
    // AWSIM_FILLED_REPORT=<file>: the output member paths some answer filled, "service Operation .Member[].Sub" a line
    // (scripts/unfilled-members.mjs lists the model's paths none filled).
    const filled = [...new Set(all.filter((l) => l.startsWith("AWSIM_FILLED ")).map((l) => l.slice(13)))].sort();
    if (process.env.AWSIM_FILLED_REPORT) writeFileSync(process.env.AWSIM_FILLED_REPORT, `${filled.join("\n")}\n`);
    const lines = all.filter((l) => !l.startsWith("AWSIM_ANSWERED ") && !l.startsWith("AWSIM_FILLED "));
    const unexpected = [...new Set(lines.map(normalize))].filter((l) => !AWS_ANSWERS.some(([re]) => re.test(l)));
    if (!unexpected.length) return;
    // A teardown's exception does not fail vitest's run; the exit code does.
    process.stderr.write(`\nFAIL answers outside AWS's model (src/protocols/model/check.ts; exceptions in test/output-check.ts):\n${unexpected.join("\n")}\n`);
    process.exitCode = 1;
  };
}
