/** IAM's errors with AWS's codes, statuses and messages. */
import { AwsError } from "../../protocols/aws-error.js";

const err = (code: string, message: string, status: number) => new AwsError(code, message, status);

export const E = {
  noSuch: (m: string) => err("NoSuchEntity", m, 404),
  exists: (m: string) => err("EntityAlreadyExists", m, 409),
  concurrent: (m: string) => err("ConcurrentModification", m, 409),
  conflict: (m: string) => err("DeleteConflict", m, 409),
  malformed: (m: string) => err("MalformedPolicyDocument", m, 400),
  limit: (m: string) => err("LimitExceeded", m, 409),
  validation: (m: string) => err("ValidationError", m, 400),
  invalidInput: (m: string) => err("InvalidInput", m, 400),
  unmodifiable: (m: string) => err("UnmodifiableEntity", m, 400),
  notAttachable: (m: string) => err("PolicyNotAttachable", m, 400),
  accessDenied: (m: string) => err("AccessDenied", m, 403),
  invalidUserType: (m: string) => err("InvalidUserType", m, 400),
  invalidCode: (m: string) => err("InvalidAuthenticationCode", m, 403),
  passwordPolicy: (m: string) => err("PasswordPolicyViolation", m, 400),
  invalidPublicKey: (m: string) => err("InvalidPublicKey", m, 400),
  unrecognizedKeyEncoding: (m: string) => err("UnrecognizedPublicKeyEncoding", m, 400),
  duplicateSsh: (m: string) => err("DuplicateSSHPublicKey", m, 400),
  malformedCert: (m: string) => err("MalformedCertificate", m, 400),
  duplicateCert: (m: string) => err("DuplicateCertificate", m, 409),
  keyPairMismatch: (m: string) => err("KeyPairMismatch", m, 400),
  // AWS answers ReportNotPresent without a message (recorded).
  reportNotPresent: () => err("ReportNotPresent", "", 410),
  notSupportedService: (m: string) => err("NotSupportedService", m, 404),
  policyEvaluation: (m: string) => err("PolicyEvaluation", m, 500),
};
