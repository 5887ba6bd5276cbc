/** ECR UpdatePullThroughCacheRule: the new credential shows up in DescribePullThroughCacheRules; unknown prefixes and bad ARNs. */
import { CreatePullThroughCacheRuleCommand, DescribePullThroughCacheRulesCommand, ECRClient, UpdatePullThroughCacheRuleCommand } from "@aws-sdk/client-ecr";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const SECRET = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/${name}`;

describe("ECR UpdatePullThroughCacheRule", () => {
  const sim = useServer({ reset: "ecr" }, (cfg) => ({ ecr: new ECRClient(cfg) }));

  it("replaces the rule's credential: the answer and DescribePullThroughCacheRules show it with a later updatedAt", async () => {
    const created = await sim.ecr.send(
      new CreatePullThroughCacheRuleCommand({
        ecrRepositoryPrefix: "docker-hub",
        upstreamRegistryUrl: "registry-1.docker.io",
        credentialArn: SECRET("old-AbCdEf"),
      }),
    );
    expect(created.credentialArn).toBe(SECRET("old-AbCdEf"));
    const before = (await sim.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ["docker-hub"] }))).pullThroughCacheRules![0]!;
    await new Promise((r) => setTimeout(r, 10));
    const out = await sim.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "docker-hub", credentialArn: SECRET("new-GhIjKl") }));
    expect(out).toMatchObject({ ecrRepositoryPrefix: "docker-hub", registryId: "000000000000", credentialArn: SECRET("new-GhIjKl") });
    expect(out.updatedAt).toBeInstanceOf(Date);
    expect(out.updatedAt!.getTime()).toBeGreaterThanOrEqual(before.updatedAt!.getTime());
    const after = (await sim.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ["docker-hub"] }))).pullThroughCacheRules![0]!;
    expect(after).toMatchObject({
      ecrRepositoryPrefix: "docker-hub",
      upstreamRegistryUrl: "registry-1.docker.io",
      upstreamRegistry: "docker-hub",
      credentialArn: SECRET("new-GhIjKl"),
      registryId: "000000000000",
    });
    expect(after.createdAt!.getTime()).toBe(before.createdAt!.getTime());
    expect(after.updatedAt!.getTime()).toBe(out.updatedAt!.getTime());
  });

  it("an ECR upstream's custom role ARN is updated", async () => {
    await sim.ecr.send(
      new CreatePullThroughCacheRuleCommand({
        ecrRepositoryPrefix: "upstream-ecr",
        upstreamRegistryUrl: "111122223333.dkr.ecr.us-west-2.amazonaws.com",
        customRoleArn: "arn:aws:iam::000000000000:role/ptc-old",
      }),
    );
    const out = await sim.ecr.send(
      new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "upstream-ecr", customRoleArn: "arn:aws:iam::000000000000:role/ptc-new" }),
    );
    expect(out.customRoleArn).toBe("arn:aws:iam::000000000000:role/ptc-new");
    const rule = (await sim.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ["upstream-ecr"] }))).pullThroughCacheRules![0]!;
    expect(rule.customRoleArn).toBe("arn:aws:iam::000000000000:role/ptc-new");
    expect(rule.upstreamRegistry).toBe("ecr");
  });

  it("errors: an unknown prefix is PullThroughCacheRuleNotFoundException; a credential ARN outside the ecr-pullthroughcache/ secrets fails validation", async () => {
    await expectAwsError(sim.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "missing", credentialArn: SECRET("x-123456") })), {
      name: "PullThroughCacheRuleNotFoundException",
      status: 400,
      message: "The pull through cache rule with prefix 'missing' does not exist in the registry with id '000000000000'",
    });
    await sim.ecr.send(
      new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: "ghcr", upstreamRegistryUrl: "ghcr.io", credentialArn: SECRET("gh-AbCdEf") }),
    );
    await expectAwsError(
      sim.ecr.send(
        new UpdatePullThroughCacheRuleCommand({
          ecrRepositoryPrefix: "ghcr",
          credentialArn: "arn:aws:secretsmanager:us-east-1:000000000000:secret:other/name-AbCdEf",
        }),
      ),
      // ECR words a model constraint as InvalidParameterException "Invalid parameter at '<member>' ..." (as for repositoryName).
      {
        name: "InvalidParameterException",
        status: 400,
        message: /^Invalid parameter at 'credentialArn' failed to satisfy constraint: 'must satisfy regular expression/,
      },
    );
    // The rule kept its credential.
    expect((await sim.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ["ghcr"] }))).pullThroughCacheRules![0]!.credentialArn).toBe(
      SECRET("gh-AbCdEf"),
    );
  });
});
