/** Account settings: every name the model lists, per principal, with AWS's defaults. */
import type { Setting } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { callerArn, check, state } from "./common.js";
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
  // "On June 25, 2025, Amazon ECS changed the default log driver mode from blocking to non-blocking" (API reference).
  defaultLogDriverMode: "non-blocking",
  fargateEventWindows: "disabled",
};

/** The values each setting takes (the API reference); another is "Invalid setting 'value'". */
const ENABLED = ["enabled", "disabled"];
const VALUES: Record<string, string[]> = {
  serviceLongArnFormat: ENABLED,
  taskLongArnFormat: ENABLED,
  containerInstanceLongArnFormat: ENABLED,
  awsvpcTrunking: ENABLED,
  containerInsights: ["enhanced", ...ENABLED],
  fargateFIPSMode: ENABLED,
  tagResourceAuthorization: ["on", "off"],
  fargateTaskRetirementWaitPeriod: ["0", "7", "14"],
  guardDutyActivate: ["on", "off"],
  defaultLogDriverMode: ["blocking", "non-blocking"],
  fargateEventWindows: ENABLED,
};

const root = (st: EcsState) => `arn:aws:iam::${st.accountId}:root`;

function put(ctx: Ctx, input: unknown, defaultSetting: boolean) {
  const v = check<{ name: string; value: string; principalArn?: string }>(input, {
    name: { required: true, enum: NAMES },
    value: { required: true },
    principalArn: {},
  });
  // "Invalid setting 'value'": ENABLED for taskLongArnFormat (aws/aws-cli#3785), enabled for tagResourceAuthorization
  // (hashicorp/terraform-provider-aws#32114).
  if (!VALUES[v.name]?.includes(v.value)) throw EcsErrors.invalidParameter("Invalid setting 'value'");
  const st = state(ctx);
  // Without a principal, the setting is the caller's own (an IAM user's or role's), as AWS records.
  const principalArn = defaultSetting ? root(st) : (v.principalArn ?? callerArn(ctx, st.accountId));
  const setting: Setting = { name: v.name as Setting["name"], value: v.value, principalArn, type: "user" };
  st.accountSettings.set(`${principalArn}|${v.name}`, setting);
  return { setting };
}

export const PutAccountSetting = (ctx: Ctx, input: unknown) => put(ctx, input, false);
export const PutAccountSettingDefault = (ctx: Ctx, input: unknown) => put(ctx, input, true);

export function DeleteAccountSetting(ctx: Ctx, input: unknown) {
  const v = check<{ name: string; principalArn?: string }>(input, { name: { required: true, enum: NAMES } });
  const st = state(ctx);
  const principal = v.principalArn ?? callerArn(ctx, st.accountId);
  const key = `${principal}|${v.name}`;
  const setting = st.accountSettings.get(key) ?? {
    name: v.name as Setting["name"],
    value: DEFAULTS[v.name],
    principalArn: principal,
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
  const principal = v.principalArn ?? callerArn(ctx, st.accountId);
  // effectiveSettings: the principal's own, else the account default (root's), else AWS's default. Otherwise only
  // the settings set for the principal itself ("Otherwise, no account settings are returned").
  let settings: Setting[] = v.effectiveSettings
    ? NAMES.map((name) => {
        const own = st.accountSettings.get(`${principal}|${name}`) ?? st.accountSettings.get(`${root(st)}|${name}`);
        if (own) return own;
        return { name, value: DEFAULTS[name], principalArn: principal, type: "aws_managed" } as Setting;
      })
    : NAMES.flatMap((name) => st.accountSettings.get(`${principal}|${name}`) ?? []);
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
