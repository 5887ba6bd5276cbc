/**
 * The two Verified Access reads over ../families/verified-access.ts's records. Endpoint targets exist only
 * for network CIDR endpoints, which awsim does not create (its endpoints are load-balancer and
 * network-interface ones). The client configuration of an instance is made of its attached trust providers:
 * device provider types, and the user provider's OIDC settings; with no network CIDR endpoint there is no
 * OpenVPN configuration to export. Version is left out (AWS's value is not known here).
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { fam } from "../families/state.js";

const e = Ec2Errors.custom;

export function GetVerifiedAccessEndpointTargets(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const id = String(input.VerifiedAccessEndpointId);
  const x = f.vaEndpoints.get(id);
  if (!x) throw e("InvalidVerifiedAccessEndpointId.NotFound", `The Verified Access endpoint ID '${id}' does not exist`);
  if (x.type !== "cidr") throw Ec2Errors.invalidValue(`Verified Access endpoint ${id} is not a network CIDR endpoint; targets exist only for CIDR endpoints.`);
  dryRun(input);
  return { VerifiedAccessEndpointTargets: [] };
}

export function ExportVerifiedAccessInstanceClientConfiguration(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const id = String(input.VerifiedAccessInstanceId);
  const i = f.vaInstances.get(id);
  if (!i) throw e("InvalidVerifiedAccessInstanceId.NotFound", `The Verified Access instance ID '${id}' does not exist`);
  dryRun(input);
  const providers = i.providers.map((p) => f.vaProviders.get(p)).filter((p) => p !== undefined);
  const user = providers.find((p) => p.type === "user");
  const o = user?.oidc ?? {};
  return {
    VerifiedAccessInstanceId: i.id,
    Region: s.region,
    DeviceTrustProviders: providers.filter((p) => p.type === "device" && p.deviceType).map((p) => p.deviceType!),
    UserTrustProvider: user
      ? {
          Type: user.userType,
          Scopes: o.Scope,
          Issuer: o.Issuer,
          AuthorizationEndpoint: o.AuthorizationEndpoint,
          TokenEndpoint: o.TokenEndpoint,
          UserInfoEndpoint: o.UserInfoEndpoint,
          ClientId: o.ClientId,
          ClientSecret: o.ClientSecret,
        }
      : undefined,
    OpenVpnConfigurations: [],
  };
}
