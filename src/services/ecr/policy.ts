/** Repository policies as ECR evaluates them for another account (the API's registryId, the registry API's hosts). */
import { parsePolicy, type Request, statementApplies } from "../iam/policy.js";

/**
 * Whether another account's repository policy lets the caller perform `action`: a statement that applies (its
 * principal naming the caller or the caller's account, the action matching) allows, and none denies. An account-wide
 * grant hands the decision to the caller's identity policies, which only --enforce-iam evaluates.
 */
export function repositoryPolicyAllows(policy: string | undefined, principalArn: string, principalAccount: string, action: string, resource: string): boolean {
  if (!policy) return false;
  let statements: ReturnType<typeof parsePolicy>;
  try {
    statements = parsePolicy(policy, "resource");
  } catch {
    return false;
  }
  const req: Request = {
    action,
    resource,
    context: new Map(),
    principalArn,
    principalAccount,
  };
  const hits = statements.filter((st) => statementApplies(st, req, new Set(), true));
  return hits.length > 0 && !hits.some((st) => st.effect === "Deny");
}

/** AWS's text when no statement of a resource policy allows the action. */
export const denied = (caller: string, action: string, resource: string) =>
  `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`;
