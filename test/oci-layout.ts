/** An OCI image layout on disk, built without a container tool: what skopeo copies from `oci:DIR:TAG` (ECR and registry tests). */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const sha256Hex = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** One file in a ustar archive (what an image layer is before gzip). */
export function tar(name: string, content: Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(`${content.length.toString(8).padStart(11, "0")}\0`, 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148);
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return Buffer.concat([h, content, Buffer.alloc((512 - (content.length % 512)) % 512), Buffer.alloc(1024)]);
}

/**
 * A layout in `dir` with one image tagged `tag`: one layer holding `file` with `content`. Returns the manifest, its
 * digest, the layer and the digests of all three blobs (sorted).
 */
export function ociLayout(dir: string, tag: string, content: Buffer, file = "data.bin") {
  const hex = sha256Hex;
  const raw = tar(file, content);
  const layer = gzipSync(raw, { level: 1 });
  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [`sha256:${hex(raw)}`] }, config: {} }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${hex(config)}`, size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${hex(layer)}`, size: layer.length }],
    }),
  );
  mkdirSync(join(dir, "blobs/sha256"), { recursive: true });
  for (const b of [layer, config, manifest]) writeFileSync(join(dir, "blobs/sha256", hex(b)), b);
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const ref = { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${hex(manifest)}`, size: manifest.length };
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({ schemaVersion: 2, manifests: [{ ...ref, annotations: { "org.opencontainers.image.ref.name": tag } }] }),
  );
  return { manifest, digest: ref.digest, layer, blobs: [layer, config, manifest].map(hex).sort() };
}
