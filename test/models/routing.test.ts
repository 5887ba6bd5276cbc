/**
 * Every operation of the ten models is routed, through a real server and the real SDK: each answers with
 * its behaviour or AWS's error, or 501 NotImplemented when it has no handler yet; never
 * UnknownOperation/InvalidAction, never another 5xx, never a stack trace. Inputs are generated from the
 * model (every member set), so this is also a sweep of every handler with unusual but well-typed input.
 */
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { generate, model, SDK, skipReason } from "./gen.js";

const sim = useServer();

const SERVICES = ["ecs", "ec2", "s3", "ecr", "logs", "servicediscovery", "iam", "sts", "efs", "lambda"];

describe.each(SERVICES)("%s: every operation is routed", (svc) => {
  it("answers each with behaviour, an AWS error, or 501 NotImplemented", async () => {
    const m = model(svc);
    const mod = (await import(SDK[svc]!.pkg)) as Record<string, any>;
    const client = new mod[SDK[svc]!.client]({
      region: "us-east-1",
      endpoint: sim.server.url,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
      forcePathStyle: true,
      disableHostPrefix: true,
    });
    const failures: string[] = [];
    let notImplemented = 0;
    for (const op of Object.keys(m.operations)) {
      if (skipReason(m, op) || op === "WriteGetObjectResponse") continue;
      const om = m.operations[op]!;
      const input = om.input ? generate(m, om.input.shape, "r", 0, { plain: true }) : {};
      try {
        await client.send(new mod[`${op}Command`](input));
      } catch (e) {
        const err = e as Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown };
        const status = err.$metadata?.httpStatusCode;
        if (status === undefined) continue; // the SDK refused the input before sending it
        if (err.name === "NotImplemented") {
          if (status !== 501) failures.push(`${op}: NotImplemented with status ${status}`);
          else if (!err.message.includes(op)) failures.push(`${op}: NotImplemented message does not name it: ${err.message}`);
          notImplemented++;
          continue;
        }
        if (/UnknownOperation|InvalidAction/.test(err.name)) failures.push(`${op}: ${err.name} ${err.message}`);
        else if (status >= 500) failures.push(`${op}: ${status} ${err.name} ${err.message}`);
        else if (/\bat .+\.(ts|js):\d+/.test(err.message)) failures.push(`${op}: stack trace in message`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
    expect(notImplemented).toBeLessThan(Object.keys(m.operations).length);
  });
});
