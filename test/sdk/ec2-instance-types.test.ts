/**
 * DescribeInstanceTypes answers AWS's own records (models/ec2-instance-types.json.gz): every field of a type
 * read back exactly through the SDK, all 1,263 types paged, filters over fields only the real data has.
 */
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeInstanceTypes,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));
const OFFERS = JSON.parse(gunzipSync(readFileSync(new URL("../../models/ec2-instance-type-offerings.json.gz", import.meta.url))).toString()) as Record<
  string,
  Record<string, string[]>
>;
const AWS = JSON.parse(gunzipSync(readFileSync(new URL("../../models/ec2-instance-types.json.gz", import.meta.url))).toString()) as Record<
  string,
  Record<string, unknown>
>;

describe("DescribeInstanceTypes", () => {
  it("answers each type as AWS records it, field for field", async () => {
    const names = ["t2.micro", "c5.9xlarge", "i3.large", "m7g.medium", "p4d.24xlarge"] as const;
    const r = await sim.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [...names] }));
    expect(r.InstanceTypes?.map((t) => t.InstanceType).sort()).toEqual([...names].sort());
    for (const t of r.InstanceTypes!) expect(JSON.parse(JSON.stringify(t))).toEqual(AWS[t.InstanceType!]);
    const i3 = r.InstanceTypes!.find((t) => t.InstanceType === "i3.large")!;
    expect(i3.InstanceStorageInfo?.Disks?.[0]).toEqual({ SizeInGB: 475, Count: 1, Type: "ssd" });
    expect(r.InstanceTypes!.find((t) => t.InstanceType === "t2.micro")!.VCpuInfo?.DefaultVCpus).toBe(1);
  });

  it("pages through every type and filters on the records' fields", async () => {
    const seen: string[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: sim.ec2, pageSize: 100 }, {})) {
      expect(page.InstanceTypes!.length).toBeLessThanOrEqual(100);
      seen.push(...page.InstanceTypes!.map((t) => t.InstanceType!));
    }
    expect(seen).toHaveLength(Object.keys(AWS).length);
    expect(new Set(seen).size).toBe(seen.length);
    const ssd = await sim.ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: "instance-storage-info.disk.type", Values: ["ssd"] },
          { Name: "processor-info.supported-architecture", Values: ["arm64"] },
          { Name: "vcpu-info.default-vcpus", Values: ["2"] },
        ],
      }),
    );
    const expected = Object.values(AWS)
      .filter((t) => {
        const disks = (t.InstanceStorageInfo as { Disks?: Array<{ Type: string }> } | undefined)?.Disks ?? [];
        const p = t.ProcessorInfo as { SupportedArchitectures: string[] };
        return disks.some((d) => d.Type === "ssd") && p.SupportedArchitectures.includes("arm64") && (t.VCpuInfo as { DefaultVCpus: number }).DefaultVCpus === 2;
      })
      .map((t) => t.InstanceType)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(ssd.InstanceTypes?.map((t) => t.InstanceType).sort()).toEqual(expected);
  });

  it("refuses a type that does not exist", async () => {
    await expectAwsError(sim.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t2.micro", "zz9.huge" as never] })), {
      name: "InvalidInstanceType",
      status: 400,
      message: "The following supplied instance types do not exist: [zz9.huge]",
    });
  });

  it("an instance of a type outside awsim's sizing catalogue reports AWS's default CPU topology", async () => {
    const image = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images![0]!.ImageId!;
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: "c5.9xlarge", MinCount: 1, MaxCount: 1 }));
    const id = run.Instances![0]!.InstanceId!;
    const d = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const cpu = AWS["c5.9xlarge"]!.VCpuInfo as { DefaultCores: number; DefaultThreadsPerCore: number };
    expect(d.Reservations![0]!.Instances![0]!.CpuOptions).toEqual({ CoreCount: cpu.DefaultCores, ThreadsPerCore: cpu.DefaultThreadsPerCore });
    expect(cpu.DefaultCores).toBe(18);
  });

  it("DescribeInstanceTypeOfferings lists what AWS offers in the region and in each zone (by name or id)", async () => {
    const walk = async (LocationType: "region" | "availability-zone" | "availability-zone-id", type?: string) => {
      const out: Array<{ t: string; l: string }> = [];
      const Filters = type ? [{ Name: "instance-type", Values: [type] }] : undefined;
      for await (const page of paginateDescribeInstanceTypeOfferings({ client: sim.ec2, pageSize: 1000 }, { LocationType, Filters }))
        out.push(...page.InstanceTypeOfferings!.map((o) => ({ t: o.InstanceType!, l: o.Location! })));
      return out;
    };
    const region = await walk("region");
    expect(region.map((o) => o.t).sort()).toEqual(OFFERS["us-east-1"]![""]);
    expect(new Set(region.map((o) => o.l))).toEqual(new Set(["us-east-1"]));
    const p4d = Object.entries(OFFERS["us-east-1"]!)
      .filter(([zone, types]) => zone && types.includes("p4d.24xlarge"))
      .map(([zone]) => zone)
      .sort();
    expect(p4d.length).toBeGreaterThan(0);
    expect((await walk("availability-zone", "p4d.24xlarge")).map((o) => o.l).sort()).toEqual(p4d);
    expect((await walk("availability-zone-id", "p4d.24xlarge")).map((o) => o.l).every((l) => /^use1-az\d$/.test(l))).toBe(true);
    expect(await walk("availability-zone-id", "p4d.24xlarge")).toHaveLength(p4d.length);
  });

  it("RunInstances with a type EC2 does not have answers AWS's InvalidParameterValue text", async () => {
    const image = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images![0]!.ImageId!;
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: "t9.nano" as never, MinCount: 1, MaxCount: 1 })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid value 't9.nano' for InstanceType.",
    });
  });
});
