/**
 * A SigV4 presigned PUT whose x-amz-meta-* travel in the URL (the JS v3, Ruby and Go v2 presigners hoist x-amz-*
 * headers into the query string) stores that metadata, as S3 does; x-amz-tagging there is ignored, as S3 ignores it.
 */
import { CreateBucketCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

describe("S3 presigned URLs carrying x-amz-meta-*", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

  it("the URL's metadata is stored; a header sent with the request wins; tagging in the URL is ignored", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "pre" }));
    const url = await getSignedUrl(t.s3, new PutObjectCommand({ Bucket: "pre", Key: "m", Metadata: { owner: "ann", team: "x" } }));
    expect(new URL(url).searchParams.get("x-amz-meta-owner")).toBe("ann");
    expect((await fetch(url, { method: "PUT", body: "data" })).status).toBe(200);
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "pre", Key: "m" }))).Metadata).toEqual({ owner: "ann", team: "x" });

    const withHeader = await getSignedUrl(t.s3, new PutObjectCommand({ Bucket: "pre", Key: "h", Metadata: { owner: "ann" } }));
    expect((await fetch(withHeader, { method: "PUT", body: "data", headers: { "x-amz-meta-owner": "bob" } })).status).toBe(200);
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "pre", Key: "h" }))).Metadata).toEqual({ owner: "bob" });

    const tagged = new URL(await getSignedUrl(t.s3, new PutObjectCommand({ Bucket: "pre", Key: "t" })));
    tagged.searchParams.set("x-amz-tagging", "a=1");
    expect((await fetch(tagged, { method: "PUT", body: "data" })).status).toBe(200);
    expect((await t.s3.send(new GetObjectTaggingCommand({ Bucket: "pre", Key: "t" }))).TagSet).toEqual([]);
  });
});
