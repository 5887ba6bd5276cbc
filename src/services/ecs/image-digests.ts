/**
 * A container's `imageDigest`, as ECS reports it once the image is pulled: the digest an image reference pins
 * (`name@sha256:...`), or, for an image in awsim's own ECR (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag]`),
 * the digest its tag points at (copilot's `svc status` shows it). Other images are not pulled, so they have none.
 * A service deployment resolves its digests once, when it is created (ECS's software version consistency): its
 * revision names them (DescribeServiceRevisions containerImages) and every task it starts runs them, even after the
 * tag moves; a new deployment (forceNewDeployment) resolves the tag again.
 */
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import type { EcsEnv } from "./runtime-bridge.js";
import { deploymentsOf } from "./service-deployments.js";
import type { EcsState } from "./state.js";

const PINNED = /@(sha256:[a-f0-9]{64})$/;
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^:@]+))?$/;

interface EcrView {
  repos?: Map<string, { tagIndex: Map<string, string>; images: Map<string, unknown> }>;
}

/** Container name → image digest, for the containers whose digest is known. */
export async function imageDigests(env: EcsEnv, td: TaskDefinition): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const d of td.containerDefinitions ?? []) {
    const image = d.image ?? "";
    const pinned = PINNED.exec(image);
    if (pinned) {
      out.set(d.name!, pinned[1]!);
      continue;
    }
    const m = ECR_IMAGE.exec(image);
    if (!m) continue;
    const [, account, region, repoName, tag] = m;
    const ecr = await env.sim.stateOf<EcrView>("ecr", account!, region!).catch(() => undefined);
    const repo = ecr?.repos?.get(repoName!);
    const digest = repo?.tagIndex.get(tag ?? "latest");
    if (digest && repo!.images.has(digest)) out.set(d.name!, digest);
  }
  return out;
}

/** Resolve a new service deployment's digests once: its revision names them, and its tasks run them. */
export async function pinDeploymentDigests(env: EcsEnv, deploymentId: string, td: TaskDefinition | undefined): Promise<void> {
  if (!td) return;
  const digests = await imageDigests(env, td);
  const rev = revisionOf(env.st, deploymentId);
  if (rev) rev.containerImages = rev.containerImages?.map((ci) => ({ ...ci, imageDigest: digests.get(ci.containerName!) }));
}

/** The digests a service deployment's revision names (undefined without a revision, e.g. CODE_DEPLOY task sets). */
export function deploymentDigests(st: EcsState, deploymentId: string | undefined): Map<string, string> | undefined {
  const rev = deploymentId ? revisionOf(st, deploymentId) : undefined;
  if (!rev) return undefined;
  return new Map((rev.containerImages ?? []).filter((ci) => ci.imageDigest !== undefined).map((ci) => [ci.containerName!, ci.imageDigest!]));
}

const revisionOf = (st: EcsState, deploymentId: string) => [...deploymentsOf(st).revisions.values()].find((r) => r.deploymentId === deploymentId);
