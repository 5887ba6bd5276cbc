import { describe, expect, it } from "vitest";
import { parseXml } from "../../src/protocols/xml.js";

describe("XML parsing", () => {
  it("decodes numeric character references (Go's encoding/xml writes quotes as &#34;) and keeps markup escaped", () => {
    const doc = parseXml('<a x="&#34;q&#34;"><ETag>&#34;abc&#34;</ETag><b>&#60;x&#62; &amp; &#x41;&#39;</b></a>');
    expect(doc.a.ETag).toBe('"abc"');
    expect(doc.a.b).toBe("<x> & A'");
    expect(doc.a["@_x"]).toBe('"q"');
  });

  it("rejects DOCTYPE, external entities and references to characters XML cannot carry", () => {
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')).toThrow();
    expect(() => parseXml("<a>&#0;</a>")).toThrow();
    expect(() => parseXml("<a>&#xD800;</a>")).toThrow();
  });
});
