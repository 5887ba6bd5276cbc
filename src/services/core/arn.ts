/** ARNs built from the request's partition, account and region. */
export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partitionOf(region)}:${service}:${region}:${accountId}:${resource}`;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(s: string): ParsedArn | undefined {
  if (!s.startsWith("arn:")) return undefined;
  const parts = s.split(":");
  if (parts.length < 6) return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(":") };
}
