/**
 * A container's `imageDigest`, as ECS reports it once the image is pulled: the digest an image reference pins
 * (`name@sha256:...`), or, for an image in awsim's own ECR (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag]`),
 * the digest its tag points at (copilot's `svc status` shows it). Other images are not pulled, so they have none.
 */
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import type { EcsEnv } from "./runtime-bridge.js";

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
