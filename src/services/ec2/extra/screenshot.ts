/**
 * GetConsoleScreenshot: a real JPEG of the instance's console. Simulated instances draw nothing, so the
 * picture is a black 640x480 screen, encoded here as a baseline grayscale JPEG (DC-only blocks).
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, required, st, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { stateOf } from "../instances.js";
import { liveInstance } from "./instance-settings.js";

const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];

/** A uniform grayscale JPEG (level 0-255) of width x height, both multiples of 8. */
export function uniformJpeg(width: number, height: number, level: number): Buffer {
  const q = 16;
  const dc = Math.round(((level - 128) * 8) / q);
  const cat = dc === 0 ? 0 : Math.floor(Math.log2(Math.abs(dc))) + 1;
  // Huffman tables with just the symbols used: DC {0 → "00", cat → "01"}, AC {EOB → "0"}.
  const dcCounts = new Array(16).fill(0);
  dcCounts[1] = cat === 0 ? 1 : 2;
  const dht = [0x00, ...dcCounts, ...(cat === 0 ? [0] : [0, cat]), 0x10, 1, ...new Array(15).fill(0), 0x00];
  const bits: number[] = [];
  const put = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >> i) & 1);
  };
  const blocks = (width / 8) * (height / 8);
  for (let b = 0; b < blocks; b++) {
    if (b === 0 && cat > 0) {
      put(0b01, 2);
      put(dc < 0 ? dc + (1 << cat) - 1 : dc, cat);
    } else put(0b00, 2);
    put(0, 1); // EOB
  }
  while (bits.length % 8) bits.push(1);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let byte = 0;
    for (let j = 0; j < 8; j++) byte = (byte << 1) | bits[i + j]!;
    data.push(byte);
    if (byte === 0xff) data.push(0);
  }
  return Buffer.from([
    0xff,
    0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...seg(0xdb, [0, ...new Array(64).fill(q)]),
    ...seg(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]),
    ...seg(0xc4, dht),
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...data,
    0xff,
    0xd9,
  ]);
}

export function GetConsoleScreenshot(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  if (stateOf(i, ctx.config.transitionDelayMs) !== "running")
    throw Ec2Errors.custom("IncorrectInstanceState", `The instance '${i.id}' is not in the 'running' state.`);
  dryRun(input);
  return { instanceId: i.id, imageData: uniformJpeg(640, 480, 0).toString("base64") };
}
