/**
 * Per service, compiled once on first use: the model, its validator and (REST protocols) its router.
 * Shared by every server in the process (models are immutable).
 */
import { AwsError } from "../aws-error.js";
import { loadModel } from "./load.js";
import { RestRouter } from "./rest.js";
import type { ServiceModel } from "./types.js";
import { ModelValidator, VALIDATION_STYLE } from "./validate.js";

export interface ModelRuntime {
  name: string;
  model: ServiceModel;
  validator: ModelValidator;
  router(): RestRouter;
}

const runtimes = new Map<string, ModelRuntime>();

export function modelRuntime(name: string): ModelRuntime {
  let rt = runtimes.get(name);
  if (!rt) {
    const model = loadModel(name);
    let router: RestRouter | undefined;
    rt = {
      name,
      model,
      validator: new ModelValidator(model, VALIDATION_STYLE[name] ?? { code: "ValidationException", status: 400 }),
      router: () => (router ??= new RestRouter(model)),
    };
    runtimes.set(name, rt);
  }
  return rt;
}

/** The one answer for an operation that is in the model but has no behaviour in awsim yet. */
export function notImplemented(model: ServiceModel, operation: string): AwsError {
  return new AwsError("NotImplemented", `${model.metadata.serviceId} ${operation} is not implemented in awsim yet`, 501);
}

/** The validation error a service answers for a value that cannot be read as its declared type. */
export function typeError(name: string, member: string, value: string, expected: string): AwsError {
  const style = VALIDATION_STYLE[name] ?? { code: "ValidationException", status: 400 };
  const at = member.charAt(0).toLowerCase() + member.slice(1);
  if (name === "ec2") return new AwsError("InvalidParameterValue", `Invalid value '${value}' for ${member}: must be ${expected}`, 400);
  return new AwsError(
    style.code,
    `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must be ${expected}`,
    style.status,
  );
}
