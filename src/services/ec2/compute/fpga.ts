/**
 * Amazon FPGA Images (AFIs): CreateFpgaImage reads the design checkpoint tarball from awsim's S3 (a missing
 * object or bucket is InvalidParameter) and gives an AFI and its global AGFI id, available at once (after
 * config.transitionDelayMs when set, computed on read); copies across regions, deletion, the name,
 * description, load-permission and product-code attributes, DescribeFpgaImages with owners, filters and
 * pages. AFIs of other accounts appear when they granted a load permission to this one or to all.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, knownRegion, list, required, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { readObject } from "./s3.js";
import { computeOf, cst, type FpgaImageRec } from "./state.js";

const e = Ec2Errors.custom;
const AFI = /^afi-[0-9a-f]{17}$/;
// Codes and messages as AWS answers them (aws/aws-fpga hdk/docs: describe_fpga_images.md, delete_fpga_image.md).
const notFound = (id: string) => e("InvalidFpgaImageID.NotFound", `Image ID '${id}' not found`);
const malformed = (id: string) => e("InvalidFpgaImageID.Malformed", `Image ID '${id}' is invalid`);
const OWNER_ALIASES = new Set(["self", "amazon", "aws-marketplace"]);

function stateOf(f: FpgaImageRec, delay: number): string {
  return f.state === "available" && Date.now() - f.created.getTime() < delay ? "pending" : f.state;
}

function ownAfi(s: Ec2State, id: string): FpgaImageRec {
  if (!AFI.test(id)) throw malformed(id);
  const f = computeOf(s).fpgaImages.get(id);
  if (!f) throw notFound(id);
  return f;
}

const view = (s: Ec2State, owner: string, f: FpgaImageRec, delay: number) => {
  const state = stateOf(f, delay);
  return {
    FpgaImageId: f.id,
    FpgaImageGlobalId: f.globalId,
    Name: f.name,
    Description: f.description,
    State: { Code: state, Message: f.message },
    CreateTime: f.created,
    UpdateTime: f.updated,
    OwnerId: owner,
    ProductCodes: f.productCodes.map((ProductCodeId) => ({ ProductCodeId, ProductCodeType: "marketplace" })),
    Tags: owner === s.accountId ? tagsOf(f) : [],
    Public: f.loadAll,
    DataRetentionSupport: false,
  };
};

function newAfi(c: ReturnType<typeof computeOf>, s: Ec2State, now: Date, o: Partial<FpgaImageRec> & { input: FpgaImageRec["input"] }): FpgaImageRec {
  const f: FpgaImageRec = {
    id: ec2Id("afi"),
    globalId: ec2Id("agfi"),
    name: o.name,
    description: o.description,
    state: "available",
    created: now,
    updated: now,
    input: o.input,
    loadUsers: new Set(),
    loadAll: false,
    productCodes: [],
    seq: ++s.seq,
    tags: new Map(),
  };
  c.fpgaImages.set(f.id, f);
  return f;
}

export async function CreateFpgaImage(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const loc = input.InputStorageLocation ?? {};
  if (!loc.Bucket) throw Ec2Errors.missing("InputStorageLocation.Bucket");
  if (!loc.Key) throw Ec2Errors.missing("InputStorageLocation.Key");
  await readObject(ctx, String(loc.Bucket), String(loc.Key), s.region);
  dryRun(input);
  const f = newAfi(c, s, ctx.now(), { name: input.Name, description: input.Description, input: { Bucket: String(loc.Bucket), Key: String(loc.Key) } });
  applyTagSpec(s, input, "fpga-image", f.id, f);
  return { FpgaImageId: f.id, FpgaImageGlobalId: f.globalId };
}

export async function CopyFpgaImage(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const region = knownRegion(required(input, "SourceRegion"), "sourceRegion");
  const src = region === s.region ? s : await ctx.stateOf<Ec2State>("ec2", region);
  const from = ownAfi(src, required(input, "SourceFpgaImageId"));
  if (stateOf(from, ctx.config.transitionDelayMs) !== "available") throw e("IncorrectState", `The FPGA image '${from.id}' is not available.`);
  dryRun(input);
  const f = newAfi(c, s, ctx.now(), { name: input.Name ?? from.name, description: input.Description ?? from.description, input: { ...from.input } });
  return { FpgaImageId: f.id };
}

export function DeleteFpgaImage(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const f = ownAfi(s, required(input, "FpgaImageId"));
  if (f.loadAll) throw e("OperationNotPermitted", "Operation not permitted for public AFI");
  if (f.loadUsers.size) throw e("OperationNotPermitted", "Operation not permitted for shared AFI");
  dryRun(input);
  dropTags(s, f.id, f);
  c.fpgaImages.delete(f.id);
  return { Return: true };
}

export function DescribeFpgaImages(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = cst(ctx).s;
  const delay = ctx.config.transitionDelayMs;
  const visible: Array<{ f: FpgaImageRec; owner: string; tags: Map<string, string> }> = [];
  for (const other of ctx.sim.statesOf<Ec2State>("ec2")) {
    if (other.region !== s.region) continue;
    const fpga = (other as Ec2State & { computeState?: { fpgaImages?: Map<string, FpgaImageRec> } }).computeState?.fpgaImages;
    for (const f of fpga?.values() ?? [])
      if (other.accountId === s.accountId || f.loadAll || f.loadUsers.has(s.accountId))
        visible.push({ f, owner: other.accountId, tags: other.accountId === s.accountId ? f.tags : new Map() });
  }
  const ids = list(input.FpgaImageIds);
  for (const id of ids) if (!AFI.test(id)) throw malformed(id);
  const missing = ids.filter((id) => !visible.some((v) => v.f.id === id));
  if (missing.length) throw notFound(missing[0]!);
  const owners = list(input.Owners);
  for (const o of owners) if (!OWNER_ALIASES.has(o) && !/^\d{12}$/.test(o)) throw e("InvalidUserID.Malformed", `User ID '${o}' is invalid`);
  const items = visible
    .filter((v) => !ids.length || ids.includes(v.f.id))
    .filter((v) => !owners.length || owners.some((o) => (o === "self" ? v.owner === s.accountId : o === v.owner)))
    .sort((a, b) => (a.f.id < b.f.id ? -1 : 1));
  const r = select(
    items,
    input,
    {
      "create-time": (v) => v.f.created.toISOString(),
      "fpga-image-id": (v) => v.f.id,
      "fpga-image-global-id": (v) => v.f.globalId,
      name: (v) => v.f.name,
      "owner-id": (v) => v.owner,
      "product-code": (v) => v.f.productCodes,
      "shell-version": () => undefined,
      state: (v) => stateOf(v.f, delay),
      "update-time": (v) => v.f.updated.toISOString(),
    },
    (v) => v.f.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { FpgaImages: r.items.map((v) => view(s, v.owner, v.f, delay)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- attributes

const attributeView = (f: FpgaImageRec, attr: string) => ({
  FpgaImageId: f.id,
  Name: attr === "name" ? f.name : undefined,
  Description: attr === "description" ? f.description : undefined,
  LoadPermissions: attr === "loadPermission" ? [...(f.loadAll ? [{ Group: "all" }] : []), ...[...f.loadUsers].map((UserId) => ({ UserId }))] : undefined,
  ProductCodes: attr === "productCodes" ? f.productCodes.map((ProductCodeId) => ({ ProductCodeId, ProductCodeType: "marketplace" })) : undefined,
});

export function DescribeFpgaImageAttribute(ctx: Ctx, input: Input) {
  const { s } = cst(ctx);
  const f = ownAfi(s, required(input, "FpgaImageId"));
  const attr = required(input, "Attribute");
  dryRun(input);
  return { FpgaImageAttribute: attributeView(f, attr) };
}

export function ModifyFpgaImageAttribute(ctx: Ctx, input: Input) {
  const { s } = cst(ctx);
  const f = ownAfi(s, required(input, "FpgaImageId"));
  const attr =
    input.Attribute ??
    (input.LoadPermission || input.UserIds || input.UserGroups
      ? "loadPermission"
      : input.ProductCodes
        ? "productCodes"
        : input.Name !== undefined
          ? "name"
          : input.Description !== undefined
            ? "description"
            : undefined);
  if (!attr) throw Ec2Errors.missing("Attribute");
  const add: Input[] = [];
  const remove: Input[] = [];
  if (attr === "loadPermission") {
    add.push(...((input.LoadPermission?.Add ?? []) as Input[]));
    remove.push(...((input.LoadPermission?.Remove ?? []) as Input[]));
    const listed = [...list(input.UserIds).map((UserId) => ({ UserId })), ...list(input.UserGroups).map((Group) => ({ Group }))];
    if (listed.length) {
      if (input.OperationType !== "add" && input.OperationType !== "remove") throw Ec2Errors.missing("OperationType");
      (input.OperationType === "add" ? add : remove).push(...listed);
    }
    if (!add.length && !remove.length) throw Ec2Errors.missing("LoadPermission");
    for (const p of [...add, ...remove]) {
      if (p.Group !== undefined && p.Group !== "all") throw Ec2Errors.invalidValue(`Value (${p.Group}) for parameter Group is invalid. Valid values: all.`);
      if (p.UserId !== undefined && !/^\d{12}$/.test(String(p.UserId))) throw Ec2Errors.invalidValue(`Value (${p.UserId}) for parameter UserId is invalid.`);
    }
  } else if (attr === "productCodes") {
    const codes = list(input.ProductCodes);
    if (!codes.length) throw Ec2Errors.missing("ProductCode");
    if (input.OperationType === "remove") throw Ec2Errors.invalidValue("Product codes can't be removed from an FPGA image.");
  } else if (attr === "name" && input.Name === undefined) throw Ec2Errors.missing("Name");
  else if (attr === "description" && input.Description === undefined) throw Ec2Errors.missing("Description");
  dryRun(input);
  if (attr === "loadPermission") {
    for (const p of add) {
      if (p.Group === "all") f.loadAll = true;
      else f.loadUsers.add(String(p.UserId));
    }
    for (const p of remove) {
      if (p.Group === "all") f.loadAll = false;
      else f.loadUsers.delete(String(p.UserId));
    }
  } else if (attr === "productCodes") {
    for (const code of list(input.ProductCodes)) if (!f.productCodes.includes(code)) f.productCodes.push(code);
  } else if (attr === "name") f.name = String(input.Name);
  else f.description = String(input.Description);
  f.updated = ctx.now();
  return { FpgaImageAttribute: attributeView(f, attr) };
}

export function ResetFpgaImageAttribute(ctx: Ctx, input: Input) {
  const { s } = cst(ctx);
  const f = ownAfi(s, required(input, "FpgaImageId"));
  dryRun(input);
  f.loadAll = false;
  f.loadUsers.clear();
  f.updated = ctx.now();
  return { Return: true };
}
