/**
 * A sweep over botocore's paginators for every service: each operation awsim answers that needs no input walks
 * to its end with botocore's paginator (no item twice, no endless token), and a NextToken the server did not
 * issue gets the service's error. Operations with required input are walked over real resources by the
 * paginators-<service> files.
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";
import { model } from "../models/gen.js";

const SCRIPT = `
import boto3, botocore, botocore.session, json, sys
from botocore.config import Config
url, svc = sys.argv[1], sys.argv[2]
c = boto3.client(svc, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
                 config=Config(retries={"max_attempts": 1}))
model = c.meta.service_model
pages_cfg = botocore.session.get_session().get_paginator_model(svc)._paginator_config
out = {}
for op, cfg in pages_cfg.items():
    inp = model.operation_model(op).input_shape
    if inp is not None and inp.required_members:
        continue
    lk = cfg.get("limit_key")
    lo = inp.members[lk].metadata.get("min") if lk and inp is not None and lk in inp.members else None
    r = {}
    for size in (max(lo or 5, 5), 100):
        try:
            n, seen, items = 0, set(), 0
            keys = cfg["result_key"] if isinstance(cfg["result_key"], list) else [cfg["result_key"]]
            for page in c.get_paginator(botocore.xform_name(op)).paginate(PaginationConfig={"PageSize": size} if lk else {}):
                n += 1
                for k in keys:
                    # AWS lists a service offered both as Gateway and Interface (S3, DynamoDB) twice by name.
                    if op == "DescribeVpcEndpointServices" and k == "ServiceNames":
                        continue
                    for x in (page.get(k) or []):
                        items += 1
                        seen.add(json.dumps(x, sort_keys=True, default=str))
                if n > 60:
                    break
            r = {"pages": n, "items": items, "unique": len(seen)}
            if n <= 60:
                break
        except botocore.exceptions.ClientError as e:
            r = {"error": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
            break
    token = cfg["input_token"] if isinstance(cfg["input_token"], str) else cfg["input_token"][0]
    if "error" not in r:
        try:
            getattr(c, botocore.xform_name(op))(**{token: "garbage-token"})
            r["badToken"] = "accepted"
        except botocore.exceptions.ClientError as e:
            r["badToken"] = e.response["Error"]["Code"]
            r["badTokenStatus"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
    out[op] = r
print(json.dumps(out))
`;

interface Walk {
  pages?: number;
  items?: number;
  unique?: number;
  error?: string;
  status?: number;
  badToken?: string;
  badTokenStatus?: number;
}

/** The error each service gives a NextToken it did not issue (IAM, EFS and S3 ListBuckets: not checked, see the report). */
const BAD_TOKEN: Record<string, string | undefined> = {
  ec2: "InvalidParameterValue",
  logs: "InvalidParameterException",
  lambda: "InvalidParameterValueException",
  ecs: "InvalidParameterException",
  ecr: "InvalidParameterException",
  servicediscovery: "InvalidInput",
};
/** Newer operations (Logs deliveries, scheduled queries) declare ValidationException and not the service's usual error. */
function badTokenError(svc: string, op: string): string | undefined {
  const errs = (model(svc).operations[op]?.errors ?? []).map((e) => e.shape);
  const want = BAD_TOKEN[svc];
  return want && !errs.includes(want) && errs.includes("ValidationException") ? "ValidationException" : want;
}
const sim = useServer();

describe.skipIf(!hasBoto3())("every botocore paginator with no required input", () => {
  it.each(["ec2", "iam", "logs", "lambda", "ecs", "ecr", "efs", "servicediscovery", "s3"])(
    "%s",
    async (svc) => {
      const out = JSON.parse(await python(SCRIPT, [sim.server.url, svc], { timeout: 120_000 })) as Record<string, Walk>;
      expect(Object.keys(out).length).toBeGreaterThan(0);
      for (const [op, w] of Object.entries(out)) {
        if (w.error !== undefined) {
          // An operation that needs input its model does not require answers AWS's 4xx; 501 is NotImplemented.
          if (w.status === 501) expect(w.error, op).toBe("NotImplemented");
          else expect(w.status, `${op}: ${w.error}`).toBeLessThan(500);
          continue;
        }
        expect(w.pages, `${op} ends`).toBeLessThanOrEqual(60);
        expect(w.unique, `${op}: no item twice`).toBe(w.items);
        const want = badTokenError(svc, op);
        if (want) {
          expect(w.badToken, `${op} refuses a token it did not issue`).toBe(want);
          expect(w.badTokenStatus, op).toBe(400);
        }
      }
    },
    150_000,
  );
});
