/**
 * AMI boot settings and the instance firmware they give: RegisterImage keeps BootMode, TpmSupport and UefiData
 * (DescribeImages and DescribeImageAttribute show them; CopyImage copies them; CreateImage takes the instance's),
 * and each instance launched from the AMI keeps its own copy. GetInstanceUefiData returns that variable store
 * (an instance whose AMI carried none answers without UefiData: awsim runs no firmware that would write one).
 * GetInstanceTpmEkPub answers for instances of a TpmSupport v2.0 AMI: each instance gets its own real
 * endorsement key pair per key type (RSA 2048, ECC NIST P-384), made on first request, returned base64 as a DER
 * SubjectPublicKeyInfo or as a TPMT_PUBLIC in the layout of the TCG EK templates (restricted decryption key,
 * AES-CFB, PolicySecret(TPM_RH_ENDORSEMENT) auth policy).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { dryRun, required, st, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import * as base from "../images.js";
import { stateOf } from "../instances.js";
import type { Ec2State } from "../state.js";
import * as extra from "../extra/images.js";
import { instancesNamed } from "./instances.js";
import { computeOf, type ComputeState, type FirmwareRec } from "./state.js";

const e = Ec2Errors.custom;
type WithCompute = Ec2State & { computeState?: ComputeState };
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function settingsOf(input: Input): FirmwareRec | undefined {
  const f: FirmwareRec = { bootMode: input.BootMode, tpmSupport: input.TpmSupport, uefiData: input.UefiData };
  return f.bootMode || f.tpmSupport || f.uefiData ? f : undefined;
}

/** RegisterImage keeping BootMode, TpmSupport and UefiData. */
export function RegisterImage(ctx: Ctx, input: Input) {
  const f = settingsOf(input);
  if (f?.tpmSupport && f.bootMode === "legacy-bios")
    throw Ec2Errors.invalidCombination("NitroTPM (TpmSupport v2.0) requires the uefi or uefi-preferred boot mode.");
  if (f?.uefiData !== undefined && (f.uefiData.length % 4 !== 0 || !B64.test(f.uefiData))) throw Ec2Errors.invalidValue("The UEFI data is not valid base64.");
  const out = base.RegisterImage(ctx, input) as { imageId: string };
  // Kept even without settings: AWS describes a registered AMI without bootMode or imdsSupport unless given.
  computeOf(st(ctx)).imageFirmware.set(out.imageId, {
    bootMode: f?.bootMode,
    tpmSupport: f?.tpmSupport,
    uefiData: f?.uefiData,
    registered: true,
    imdsSupport: input.ImdsSupport,
  });
  return out;
}

/** CopyImage: the copy has the source AMI's boot settings. */
export async function CopyImage(ctx: Ctx, input: Input) {
  const out = (await base.CopyImage(ctx, input)) as { imageId: string };
  const s = st(ctx);
  const region = String(input.SourceRegion);
  const src = region === s.region ? s : await ctx.stateOf<Ec2State>("ec2", region);
  const f = (src as WithCompute).computeState?.imageFirmware?.get(String(input.SourceImageId));
  if (f)
    computeOf(s).imageFirmware.set(out.imageId, {
      bootMode: f.bootMode,
      tpmSupport: f.tpmSupport,
      uefiData: f.uefiData,
      registered: f.registered,
      imdsSupport: f.imdsSupport,
    });
  return out;
}

/** CreateImage: the AMI takes the instance's boot settings and its current UEFI variable store. */
export function CreateImage(ctx: Ctx, input: Input) {
  const out = base.CreateImage(ctx, input) as { imageId: string };
  const s = st(ctx);
  const f = (s as WithCompute).computeState?.instanceFirmware?.get(String(input.InstanceId));
  if (f) computeOf(s).imageFirmware.set(out.imageId, { bootMode: f.bootMode, tpmSupport: f.tpmSupport, uefiData: f.uefiData });
  return out;
}

/** DescribeImages showing the registered boot mode and NitroTPM support. */
export async function DescribeImages(ctx: Ctx, input: Input) {
  const out = (await extra.DescribeImages(ctx, input)) as { imagesSet: Array<Record<string, unknown>> };
  const fw = (st(ctx) as WithCompute).computeState?.imageFirmware;
  if (!fw?.size) return out;
  for (const v of out.imagesSet) {
    const f = fw.get(String(v.imageId));
    if (!f) continue;
    if (f.registered) {
      v.bootMode = undefined;
      v.imdsSupport = f.imdsSupport;
    }
    if (f.bootMode) v.bootMode = f.bootMode;
    if (f.tpmSupport) v.tpmSupport = f.tpmSupport;
  }
  return out;
}

/** DescribeImageAttribute with the registered bootMode, tpmSupport and uefiData. */
export async function DescribeImageAttribute(ctx: Ctx, input: Input) {
  const out = (await extra.DescribeImageAttribute(ctx, input)) as Record<string, unknown>;
  const f = (st(ctx) as WithCompute).computeState?.imageFirmware?.get(String(input.ImageId));
  if (!f) return out;
  // A registered AMI without them has no boot mode or IMDS support (an empty attribute, as tpmSupport).
  if (f.registered && input.Attribute === "bootMode") out.bootMode = {};
  if (f.registered && input.Attribute === "imdsSupport") out.imdsSupport = f.imdsSupport ? { value: f.imdsSupport } : {};
  if (input.Attribute === "bootMode" && f.bootMode) out.bootMode = { value: f.bootMode };
  if (input.Attribute === "tpmSupport" && f.tpmSupport) out.tpmSupport = { value: f.tpmSupport };
  if (input.Attribute === "uefiData" && f.uefiData) out.uefiData = { value: f.uefiData };
  return out;
}

function liveInstance(ctx: Ctx, id: string) {
  const s = st(ctx);
  const [i] = instancesNamed(s, [id]);
  if (stateOf(i!, ctx.config.transitionDelayMs) === "terminated") throw Ec2Errors.notFound("Instance", "instance", [id]);
  return { s, i: i! };
}

export function GetInstanceUefiData(ctx: Ctx, input: Input) {
  const { s, i } = liveInstance(ctx, required(input, "InstanceId"));
  dryRun(input);
  return { InstanceId: i.id, UefiData: (s as WithCompute).computeState?.instanceFirmware?.get(i.id)?.uefiData };
}

// ---------------------------------------------------------------- NitroTPM endorsement keys

const u16 = (n: number) => Buffer.from([(n >> 8) & 255, n & 255]);
const u32 = (n: number) => Buffer.from([(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255]);
const tpm2b = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const fromB64url = (s: string) => Buffer.from(s, "base64url");
const ALG = { RSA: 0x0001, SHA256: 0x000b, SHA384: 0x000c, AES: 0x0006, CFB: 0x0043, NULL: 0x0010, ECC: 0x0023 };
/** fixedTPM | fixedParent | sensitiveDataOrigin | adminWithPolicy | restricted | decrypt */
const EK_ATTRIBUTES = 0x000300b2;
const ENDORSEMENT = Buffer.from("4000000b", "hex");
const POLICY_SECRET = Buffer.from("00000151", "hex");

/** PolicySecret(TPM_RH_ENDORSEMENT) computed with the name algorithm (its SHA-256 form is the TCG EK templates' 8371…69AA). */
function endorsementPolicy(alg: "sha256" | "sha384", size: number): Buffer {
  const d = createHash(alg)
    .update(Buffer.concat([Buffer.alloc(size), POLICY_SECRET, ENDORSEMENT]))
    .digest();
  return createHash(alg).update(d).digest();
}

function makeEk(type: string): { der: string; tpmt: string } {
  if (type === "rsa-2048") {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
    const n = fromB64url(publicKey.export({ format: "jwk" }).n!);
    const tpmt = Buffer.concat([
      u16(ALG.RSA),
      u16(ALG.SHA256),
      u32(EK_ATTRIBUTES),
      tpm2b(endorsementPolicy("sha256", 32)),
      u16(ALG.AES),
      u16(128),
      u16(ALG.CFB),
      u16(ALG.NULL),
      u16(2048),
      u32(0),
      tpm2b(n),
    ]);
    return { der: publicKey.export({ type: "spki", format: "der" }).toString("base64"), tpmt: tpmt.toString("base64") };
  }
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
  const jwk = publicKey.export({ format: "jwk" });
  const tpmt = Buffer.concat([
    u16(ALG.ECC),
    u16(ALG.SHA384),
    u32(EK_ATTRIBUTES),
    tpm2b(endorsementPolicy("sha384", 48)),
    u16(ALG.AES),
    u16(256),
    u16(ALG.CFB),
    u16(ALG.NULL),
    u16(0x0004), // TPM_ECC_NIST_P384
    u16(ALG.NULL),
    tpm2b(fromB64url(jwk.x!)),
    tpm2b(fromB64url(jwk.y!)),
  ]);
  return { der: publicKey.export({ type: "spki", format: "der" }).toString("base64"), tpmt: tpmt.toString("base64") };
}

export function GetInstanceTpmEkPub(ctx: Ctx, input: Input) {
  const { s, i } = liveInstance(ctx, required(input, "InstanceId"));
  const f = (s as WithCompute).computeState?.instanceFirmware?.get(i.id);
  if (f?.tpmSupport !== "v2.0") throw e("UnsupportedOperation", `The instance '${i.id}' does not have NitroTPM enabled.`);
  dryRun(input);
  const type = String(input.KeyType);
  const format = String(input.KeyFormat);
  f.ek ??= {};
  const key = (f.ek[type] ??= makeEk(type));
  return { InstanceId: i.id, KeyType: type, KeyFormat: format, KeyValue: format === "der" ? key.der : key.tpmt };
}
