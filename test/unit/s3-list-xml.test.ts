import { describe, expect, it } from "vitest";
import { buildXml, XmlFragment } from "../../src/protocols/xml.js";
import { PAGE_HERE, pageWriter, xmlReply, xmlReplyAround } from "../../src/services/s3/common.js";
import { contentsOf, contentsXml, urlEncode, versionOf, versionXml } from "../../src/services/s3/list.js";
import type { ObjectVersion } from "../../src/services/s3/state.js";

/** The listing entries rendered straight to XML must be exactly what buildXml writes for the object form. */
const base = (over: Partial<ObjectVersion>): ObjectVersion => ({
  key: "a/b.txt",
  versionId: "null",
  isDeleteMarker: false,
  etag: '"3e8f5b52a0b4c6d7e8f90a1b2c3d4e5f"',
  size: 16,
  lastModified: new Date("2026-11-29T12:34:56.789Z"),
  headers: {},
  metadata: {},
  tags: [],
  storageClass: "STANDARD",
  owner: "000000000000",
  ...over,
});

const cases: ObjectVersion[] = [
  base({}),
  base({ key: `x<&>"'\u0001 é/ü+ key`, checksum: { algorithm: "CRC64NVME", value: "", type: "FULL_OBJECT" } }),
  base({ checksum: { algorithm: "CRC32", value: "AAAAAA==", type: "COMPOSITE" }, storageClass: "GLACIER", size: 0 }),
  base({ storageClass: "GLACIER", restore: { readyAt: new Date("2026-11-30T00:00:00Z"), expiry: new Date("2026-12-05T00:00:00Z") } }),
  base({ isDeleteMarker: true, versionId: "ezDKgQJ3dKJQlAdQCkCM1to8oH-S5Kuu", owner: "123456789012" }),
];

describe("S3 listing entries rendered directly", () => {
  for (const [i, v] of cases.entries()) {
    it(`case ${i}: Contents equal buildXml's (owner / no owner, url encoding, restore states)`, () => {
      for (const enc of [(s: string) => s, urlEncode])
        for (const withOwner of [false, true])
          for (const now of [undefined, new Date("2026-11-29T23:00:00Z"), new Date("2026-12-01T00:00:00Z")]) {
            expect(contentsXml(v, enc, withOwner, now)).toBe(buildXml({ Contents: contentsOf(v, enc, withOwner, now) }, false));
          }
    });
    it(`case ${i}: Version / DeleteMarker equal buildXml's`, () => {
      for (const latest of [true, false]) {
        const name = v.isDeleteMarker ? "DeleteMarker" : "Version";
        expect(versionXml(v, urlEncode(v.key), latest)).toBe(buildXml({ [name]: versionOf(v, urlEncode(v.key), latest) }, false));
      }
    });
  }
});

describe("a listing written around its page in place (xmlReplyAround)", () => {
  const body = (r: unknown) => Buffer.from((r as { body: Buffer | string }).body);
  const page = "<Version><Key>é &amp; k</Key></Version>".repeat(50);
  const fields = (version: unknown, marker: string) => ({
    Name: "bucket",
    Prefix: "p <&> é \u0000",
    KeyMarker: marker,
    MaxKeys: 1000,
    IsTruncated: true,
    Version: version,
    CommonPrefixes: [{ Prefix: "a/" }, { Prefix: "b/" }],
  });
  it("gives xmlReply's bytes, in the room left before the page or (a start larger than it) by concatenation", () => {
    for (const marker of ["k".repeat(2000), "é".repeat(3000)]) {
      const want = body(xmlReply("ListVersionsResult", fields(new XmlFragment(page), marker), { "x-a": "1" }));
      const w = pageWriter(16);
      w.write(page);
      const got = xmlReplyAround("ListVersionsResult", fields(PAGE_HERE, marker), w, { "x-a": "1" }) as { headers: Record<string, string>; body: Buffer };
      expect(body(got).equals(want)).toBe(true);
      expect(got.headers["x-a"]).toBe("1");
    }
  });
});
