/** Account settings, container instances (none: tasks are placed without instances) and capacity providers. */
import type { Setting } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, ecsArn, findCluster, state } from "./common.js";
import { EcsErrors } from "./errors.js";
import type { EcsState } from "./state.js";

const NAMES = [
  "serviceLongArnFormat",
  "taskLongArnFormat",
  "containerInstanceLongArnFormat",
  "awsvpcTrunking",
  "containerInsights",
  "fargateFIPSMode",
  "tagResourceAuthorization",
  "fargateTaskRetirementWaitPeriod",
  "guardDutyActivate",
  "defaultLogDriverMode",
  "fargateEventWindows",
] as const;

const DEFAULTS: Record<string, string> = {
  serviceLongArnFormat: "enabled",
  taskLongArnFormat: "enabled",
  containerInstanceLongArnFormat: "enabled",
  awsvpcTrunking: "disabled",
  containerInsights: "disabled",
  fargateFIPSMode: "disabled",
  tagResourceAuthorization: "on",
  fargateTaskRetirementWaitPeriod: "7",
  guardDutyActivate: "off",
  defaultLogDriverMode: "blocking",
  fargateEventWindows: "disabled",
};

const root = (st: EcsState) => `arn:aws:iam::${st.accountId}:root`;

function put(ctx: Ctx, input: unknown, defaultSetting: boolean) {
  const v = check<{ name: string; value: string; principalArn?: string }>(input, {
    name: { required: true, enum: NAMES },
    value: { required: true },
    principalArn: {},
  });
  const st = state(ctx);
  const principalArn = defaultSetting ? root(st) : (v.principalArn ?? root(st));
  const setting: Setting = { name: v.name as Setting["name"], value: v.value, principalArn, type: "user" };
  st.accountSettings.set(`${principalArn}|${v.name}`, setting);
  return { setting };
}

export const PutAccountSetting = (ctx: Ctx, input: unknown) => put(ctx, input, false);
export const PutAccountSettingDefault = (ctx: Ctx, input: unknown) => put(ctx, input, true);

export function DeleteAccountSetting(ctx: Ctx, input: unknown) {
  const v = check<{ name: string; principalArn?: string }>(input, { name: { required: true, enum: NAMES } });
  const st = state(ctx);
  const key = `${v.principalArn ?? root(st)}|${v.name}`;
  const setting = st.accountSettings.get(key) ?? {
    name: v.name as Setting["name"],
    value: DEFAULTS[v.name],
    principalArn: v.principalArn ?? root(st),
    type: "aws_managed",
  };
  st.accountSettings.delete(key);
  return { setting };
}

export function ListAccountSettings(ctx: Ctx, input: unknown) {
  const v = check<{ name?: string; value?: string; principalArn?: string; effectiveSettings?: boolean; maxResults?: number; nextToken?: string }>(input, {
    name: { enum: NAMES },
    effectiveSettings: { type: "boolean" },
    maxResults: { type: "integer", min: 1, max: 10 },
  });
  const st = state(ctx);
  const principal = v.principalArn ?? root(st);
  let settings: Setting[] = NAMES.map((name) => {
    const own = st.accountSettings.get(`${principal}|${name}`) ?? st.accountSettings.get(`${root(st)}|${name}`);
    if (own) return own;
    return { name, value: DEFAULTS[name], principalArn: principal, type: "aws_managed" } as Setting;
  });
  if (!v.effectiveSettings) settings = settings.filter((s) => s.type === "user" || v.name !== undefined);
  if (v.name) settings = settings.filter((s) => s.name === v.name);
  if (v.value) settings = settings.filter((s) => s.value === v.value);
  const page = paginate(settings, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 10,
    key: (s) => s.name!,
    invalidToken: EcsErrors.invalidToken,
  });
  return { settings: page.items, nextToken: page.nextToken };
}

export function ListContainerInstances(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string }>(input, { status: { enum: ["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"] } });
  findCluster(state(ctx), v.cluster);
  return { containerInstanceArns: [] };
}

export function DescribeContainerInstances(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; containerInstances: string[] }>(input, { containerInstances: { type: "list", required: true, maxLength: 100 } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  return {
    containerInstances: [],
    failures: v.containerInstances.map((ci) => ({
      arn: ci.startsWith("arn:") ? ci : ecsArn(st, `container-instance/${c.cluster.clusterName}/${ci}`),
      reason: "MISSING",
    })),
  };
}

export function DescribeCapacityProviders(ctx: Ctx, input: unknown) {
  const v = check<{ capacityProviders?: string[] }>(input, { capacityProviders: { type: "list" } });
  const all = ["FARGATE", "FARGATE_SPOT"].map((name) => ({
    capacityProviderArn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:capacity-provider/${name}`,
    name,
    status: "ACTIVE",
    tags: [],
  }));
  const wanted = v.capacityProviders;
  const out = wanted ? all.filter((p) => wanted.includes(p.name) || wanted.includes(p.capacityProviderArn)) : all;
  const failures = (wanted ?? []).filter((w) => !out.some((p) => p.name === w || p.capacityProviderArn === w)).map((arn) => ({ arn, reason: "MISSING" }));
  return { capacityProviders: out, failures };
}
