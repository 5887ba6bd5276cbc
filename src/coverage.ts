/**
 * README's coverage, generated from the models against the handlers: per service, the operations that
 * answer with behaviour, the model's total, and the list of those that answer 501 NotImplemented.
 * `npm run coverage` rewrites the block in README.md; a test keeps it in sync.
 */
import { loadModel } from "./protocols/model/load.js";
import { SERVICES } from "./services/index.js";

export const COVERAGE_BEGIN = "<!-- generated-coverage:begin -->";
export const COVERAGE_END = "<!-- generated-coverage:end -->";

const TITLES: Record<string, string> = {
  ecs: "ECS",
  ec2: "EC2",
  s3: "S3",
  ecr: "ECR",
  logs: "CloudWatch Logs",
  servicediscovery: "Cloud Map",
  iam: "IAM",
  sts: "STS",
  efs: "EFS",
  lambda: "Lambda",
};

export interface ServiceCoverage {
  name: string;
  title: string;
  protocol: string;
  implemented: string[];
  missing: string[];
}

export async function coverage(): Promise<ServiceCoverage[]> {
  const out: ServiceCoverage[] = [];
  for (const desc of SERVICES) {
    const def = await desc.load();
    const model = loadModel(desc.name);
    const ops = Object.keys(model.operations).sort();
    out.push({
      name: desc.name,
      title: TITLES[desc.name] ?? desc.name,
      protocol: model.metadata.protocol,
      implemented: ops.filter((op) => Object.hasOwn(def.operations, op) && op !== "NotImplemented"),
      missing: ops.filter((op) => !Object.hasOwn(def.operations, op)),
    });
  }
  return out;
}

export function renderCoverage(cov: ServiceCoverage[]): string {
  const lines = [
    COVERAGE_BEGIN,
    "Generated from the models against the handlers by `npm run coverage` (a test keeps it in sync). Every",
    "operation of the ten models is routed: one without behaviour yet answers HTTP 501 `NotImplemented`",
    'with the message "<Service> <Operation> is not implemented in awsim yet", in its protocol\'s envelope.',
    "",
    "| Service | Protocol | Operations with behaviour | In the model |",
    "|---|---|---:|---:|",
  ];
  let impl = 0;
  let total = 0;
  for (const c of cov) {
    const n = c.implemented.length + c.missing.length;
    impl += c.implemented.length;
    total += n;
    lines.push(`| ${c.title} | ${c.protocol} | ${c.implemented.length} | ${n} |`);
  }
  lines.push(`| **All ten** | | **${impl}** | **${total}** |`, "");
  for (const c of cov) {
    if (c.missing.length === 0) continue;
    lines.push(
      `<details><summary>${c.title}: ${c.missing.length} ${c.missing.length === 1 ? "operation answers" : "operations answer"} NotImplemented</summary>`,
      "",
      c.missing.join(", "),
      "",
      "</details>",
      "",
    );
  }
  lines.push(COVERAGE_END);
  return lines.join("\n");
}

/** Replace the generated block in README text (or insert it before the coverage section's end). */
export function withCoverage(readme: string, block: string): string {
  const b = readme.indexOf(COVERAGE_BEGIN);
  const e = readme.indexOf(COVERAGE_END);
  if (b >= 0 && e > b) return readme.slice(0, b) + block + readme.slice(e + COVERAGE_END.length);
  const anchor = readme.indexOf("<!-- coverage:end -->");
  if (anchor < 0) return `${readme}\n${block}\n`;
  return `${readme.slice(0, anchor)}${block}\n\n${readme.slice(anchor)}`;
}
