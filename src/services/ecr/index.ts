/**
 * ECR (AWS JSON 1.1, AmazonEC2ContainerRegistry_V20150921): repositories (tag mutability with exclusion
 * filters, encryption, policies, tags), images (PutImage, BatchGetImage/BatchDeleteImage by tag and digest,
 * DescribeImages/ListImages with tag and status filters, referrers, archive storage class), layer uploads
 * through the API (the bytes are kept and served by GetDownloadUrlForLayer), lifecycle policies evaluated
 * (previews, and applied once a day of simulated time has passed: POST /_awsim/clock/advance moves the clock), basic scans that complete at once with
 * no findings, registry policy, scanning and replication configuration (images really replicate to the
 * destination region's/account's registry in this server), pull-through cache rules, repository creation
 * templates (applied to repositories created by replication), account settings, signing configuration (a
 * signing job per matching profile on push, reported by DescribeImageSigningStatus) and pull-time update exclusions.
 * Gaps: upstream registries are never contacted (pull-through cache rules are stored and validated
 * offline); awsim has no AWS Signer, so signing jobs COMPLETE without a signature artifact; enhanced scanning has no
 * Inspector behind it. A registryId naming another account reaches that registry's repository when the repository's
 * policy allows the caller (its ARN or its account) the action, as AWS's cross-account access; otherwise
 * AccessDeniedException. The registry-level operations of another registry are not evaluated.
 */
import { AwsError } from "../../protocols/aws-error.js";
import type { Handler, ServiceDefinition } from "../core/types.js";
import { denied, repositoryPolicyAllows } from "./policy.js";
import { disposeBlobs } from "./blobs.js";
import { imageOps } from "./images.js";
import { layerOps } from "./layers.js";
import { lifecycleOps } from "./lifecycle.js";
import { registryOps } from "./registry.js";
import { repositoryOps } from "./repositories.js";
import { createEcrState, type EcrState } from "./state.js";

/**
 * Every handler acts on the registry its `registryId` names (another account's, in the same region, for a repository
 * whose policy grants the caller) and sees that registry's clock (real time plus what /_awsim/clock/advance added).
 */
const operations: Record<string, Handler> = {};
for (const [name, h] of Object.entries({ ...repositoryOps, ...imageOps, ...layerOps, ...lifecycleOps, ...registryOps }))
  operations[name] = async (ctx, v) => {
    let c = ctx;
    const rid = typeof v?.registryId === "string" ? v.registryId : undefined;
    if (rid && rid !== ctx.accountId) {
      const other = await ctx.stateOf<EcrState>("ecr", ctx.region, rid);
      if (typeof v.repositoryName === "string") {
        const action = `ecr:${name}`;
        const resource = `arn:aws:ecr:${ctx.region}:${rid}:repository/${v.repositoryName}`;
        const caller = ctx.caller?.arn ?? `arn:aws:iam::${ctx.accountId}:root`;
        if (!repositoryPolicyAllows(other.repos.get(v.repositoryName)?.policy, caller, ctx.accountId, action, resource))
          throw new AwsError("AccessDeniedException", denied(caller, action, resource), 400);
      }
      c = { ...ctx, accountId: rid, state: <S>() => other as unknown as S };
    }
    const off = c.state<EcrState>().clockOffsetMs;
    return h(off ? { ...c, now: () => new Date(Date.now() + off) } : c, v);
  };

const ecr: ServiceDefinition<EcrState> = {
  name: "ecr",
  protocol: "json",
  targetPrefix: "AmazonEC2ContainerRegistry_V20150921",
  jsonVersion: "1.1",
  createState: createEcrState,
  dispose: disposeBlobs,
  counts: (s) => ({ repositories: s.repos.size }),
  operations,
};

export default ecr;
