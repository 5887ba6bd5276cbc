/** EC2 errors with AWS's codes and messages (all 400 unless noted). */
import { AwsError } from "../../protocols/aws-error.js";

const e = (code: string, message: string, status = 400) => new AwsError(code, message, status);
const list = (ids: string[]) => ids.join(", ");

export const Ec2Errors = {
  dryRun: () => e("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412),
  missing: (name: string) => e("MissingParameter", `The request must contain the parameter ${name}`),
  invalidValue: (message: string) => e("InvalidParameterValue", message),
  invalidCombination: (message: string) => e("InvalidParameterCombination", message),
  invalidFilter: (name: string) => e("InvalidParameterValue", `The filter '${name}' is invalid`),
  /** A NextToken this server did not issue (AWS answers InvalidParameterValue, naming the token). */
  invalidToken: (token?: unknown) => e("InvalidParameterValue", `Value ( ${token ?? ""} ) for parameter NextToken is invalid. The token is invalid.`),
  malformed: (kind: string, id: string) => e(`Invalid${kind}ID.Malformed`, `Invalid id: "${id}"`),
  notFound: (kind: string, noun: string, ids: string[]) =>
    e(`Invalid${kind}ID.NotFound`, ids.length > 1 ? `The ${noun} IDs '${list(ids)}' do not exist` : `The ${noun} ID '${ids[0]}' does not exist`),
  amiMalformed: (id: string) => e("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`),
  amiNotFound: (ids: string[]) => e("InvalidAMIID.NotFound", `The image id '[${list(ids)}]' does not exist`),
  groupNotFound: (id: string) => e("InvalidGroup.NotFound", `The security group '${id}' does not exist`),
  groupDuplicate: (name: string, vpc: string) => e("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC '${vpc}'`),
  permissionDuplicate: (desc: string) => e("InvalidPermission.Duplicate", `the specified rule "${desc}" already exists`),
  permissionNotFound: () => e("InvalidPermission.NotFound", "The specified rule does not exist in this security group."),
  dependency: (message: string) => e("DependencyViolation", message),
  incorrectState: (id: string, what: string) => e("IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be ${what}.`),
  subnetConflict: (cidr: string) => e("InvalidSubnet.Conflict", `The CIDR '${cidr}' conflicts with another subnet`),
  subnetRange: (cidr: string) => e("InvalidSubnet.Range", `The CIDR '${cidr}' is invalid.`),
  vpcRange: (cidr: string) => e("InvalidVpc.Range", `The CIDR '${cidr}' is invalid.`),
  gatewayNotAttached: (igw: string, vpc: string) => e("Gateway.NotAttached", `resource ${igw} is not attached to network ${vpc}`),
  alreadyAssociated: (message: string) => e("Resource.AlreadyAssociated", message),
  routeExists: (cidr: string) => e("RouteAlreadyExists", `The route identified by ${cidr} already exists.`),
  routeNotFound: (cidr: string, rtb: string) => e("InvalidRoute.NotFound", `no route with destination-cidr-block ${cidr} in route table ${rtb}`),
  keyPairNotFound: (name: string) => e("InvalidKeyPair.NotFound", `The key pair '${name}' does not exist`),
  keyPairDuplicate: (name: string) => e("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`),
  keyFormat: () => e("InvalidKey.Format", "Key is not in valid OpenSSH public key format"),
  amiNameDuplicate: (name: string, id: string) => e("InvalidAMIName.Duplicate", `AMI name ${name} is already in use by AMI ${id}`),
  cannotDelete: (id: string) => e("CannotDelete", `the specified group: "${id}" name: "default" cannot be deleted by a user`),
  invalidId: (id: string) => e("InvalidID", `The ID '${id}' is not valid`),
  eniInUse: (id: string) => e("InvalidNetworkInterface.InUse", `Interface: [${id}] in use.`),
  addressInUse: (id: string) => e("InvalidIPAddress.InUse", `Address ${id} is in use.`),
  custom: (code: string, message: string) => e(code, message),
  /** An instance named where one network interface is meant, on an instance with several (CreateRoute, AssociateAddress, ModifyInstanceAttribute groups). */
  multipleInterfaces: (instanceId: string) =>
    e("InvalidInstanceID", `There are multiple interfaces attached to instance '${instanceId}'. Please specify an interface ID for the operation instead.`),
  invalidInstanceType: (t: string) => e("InvalidParameterValue", `Invalid value '${t}' for InstanceType.`),
};
