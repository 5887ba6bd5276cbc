/**
 * The service models as data: models/<name>.json, generated from botocore by scripts/update-models and
 * committed. Each is read and parsed on its service's first use, once per process (models are immutable
 * and shared by every server in the process).
 */
import { readFileSync } from "node:fs";
import type { ServiceModel } from "./types.js";

const cache = new Map<string, ServiceModel>();
const dir = new URL("../../../models/", import.meta.url);

export function loadModel(name: string): ServiceModel {
  let m = cache.get(name);
  if (!m) {
    m = JSON.parse(readFileSync(new URL(`${name}.json`, dir), "utf8")) as ServiceModel;
    cache.set(name, m);
  }
  return m;
}

/** Model files by awsim service name (the registry's names). */
export const MODEL_NAMES = ["ecs", "ec2", "s3", "ecr", "logs", "servicediscovery", "iam", "sts", "efs", "lambda"] as const;
