// minio-go (v7) against awsim's S3, the APIs minio-go's own mint suite leaves out: bucket configurations
// (encryption, lifecycle, tagging, object lock, replication, policy), retention and legal holds, S3 Select,
// Core's low-level multipart calls, listings (V1, V2, StartAfter, MaxKeys pages, incomplete uploads),
// conditional reads and the typed errors (minio.ToErrorResponse). Usage: minio <host:port> [flow...];
// prints "ok <flow>" or "FAIL <flow>: <reason>" per flow.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/lifecycle"
	"github.com/minio/minio-go/v7/pkg/replication"
	"github.com/minio/minio-go/v7/pkg/sse"
	"github.com/minio/minio-go/v7/pkg/tags"
)

var ctx = context.Background()

// The credentials: ACCESS_KEY / SECRET_KEY (as mint), else test/test.
var creds *credentials.Credentials

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type flow struct {
	name string
	run  func(c *minio.Client, core *minio.Core) error
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: minio <host:port> [flow...]")
		os.Exit(2)
	}
	creds = credentials.NewStaticV4(env("ACCESS_KEY", "test"), env("SECRET_KEY", "test"), "")
	opts := &minio.Options{Creds: creds, Region: "us-east-1"}
	c, err := minio.New(os.Args[1], opts)
	if err != nil {
		fmt.Println("FAIL client:", err)
		os.Exit(1)
	}
	core, _ := minio.NewCore(os.Args[1], opts)
	flows := []flow{
		{"errors", errorsFlow},
		{"bucket-config", bucketConfigFlow},
		{"object-lock", objectLockFlow},
		{"replication", replicationFlow},
		{"select", selectFlow},
		{"core-multipart", coreMultipartFlow},
		{"listing", listingFlow},
		{"conditional", conditionalFlow},
		{"put-options", putOptionsFlow},
		{"restore", restoreFlow},
	}
	want := map[string]bool{}
	for _, a := range os.Args[2:] {
		want[a] = true
	}
	for _, f := range flows {
		if len(want) > 0 && !want[f.name] {
			continue
		}
		if err := f.run(c, core); err != nil {
			fmt.Printf("FAIL %s: %v\n", f.name, err)
		} else {
			fmt.Printf("ok %s\n", f.name)
		}
	}
}

// code checks that err is an S3 error with that code and HTTP status.
func code(err error, want string, status int) error {
	if err == nil {
		return fmt.Errorf("expected %s, got success", want)
	}
	r := minio.ToErrorResponse(err)
	if r.Code != want || r.StatusCode != status {
		return fmt.Errorf("expected %s %d, got %s %d (%v)", want, status, r.Code, r.StatusCode, err)
	}
	return nil
}

func put(c *minio.Client, bucket, key, body string, o minio.PutObjectOptions) (minio.UploadInfo, error) {
	return c.PutObject(ctx, bucket, key, strings.NewReader(body), int64(len(body)), o)
}

func read(c *minio.Client, bucket, key string, o minio.GetObjectOptions) (string, error) {
	obj, err := c.GetObject(ctx, bucket, key, o)
	if err != nil {
		return "", err
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	return string(b), err
}

func errorsFlow(c *minio.Client, _ *minio.Core) error {
	if err := c.MakeBucket(ctx, "mgo-errors", minio.MakeBucketOptions{}); err != nil {
		return err
	}
	// In us-east-1 S3 takes its owner's re-create (200); elsewhere it is BucketAlreadyOwnedByYou.
	if err := c.MakeBucket(ctx, "mgo-errors", minio.MakeBucketOptions{}); err != nil {
		return fmt.Errorf("re-create in us-east-1: %v", err)
	}
	if err := c.MakeBucket(ctx, "mgo-errors-eu", minio.MakeBucketOptions{Region: "eu-west-1"}); err != nil {
		return err
	}
	eu, _ := minio.New(os.Args[1], &minio.Options{Creds: creds, Region: "eu-west-1"})
	if err := code(eu.MakeBucket(ctx, "mgo-errors-eu", minio.MakeBucketOptions{Region: "eu-west-1"}), "BucketAlreadyOwnedByYou", 409); err != nil {
		return err
	}
	// (A client given a region answers GetBucketLocation from it: ask one without.)
	any, _ := minio.New(os.Args[1], &minio.Options{Creds: creds})
	if loc, err := any.GetBucketLocation(ctx, "mgo-errors-eu"); err != nil || loc != "eu-west-1" {
		return fmt.Errorf("GetBucketLocation eu-west-1: %q %v", loc, err)
	}
	if ok, err := c.BucketExists(ctx, "mgo-no-such-bucket"); err != nil || ok {
		return fmt.Errorf("BucketExists of a missing bucket: %v %v", ok, err)
	}
	if _, err := c.StatObject(ctx, "mgo-errors", "missing", minio.StatObjectOptions{}); code(err, "NoSuchKey", 404) != nil {
		return fmt.Errorf("StatObject missing: %v", err)
	}
	if _, err := read(c, "mgo-errors", "missing", minio.GetObjectOptions{}); code(err, "NoSuchKey", 404) != nil {
		return fmt.Errorf("GetObject missing: %v", err)
	}
	if _, err := read(c, "mgo-no-such-bucket", "k", minio.GetObjectOptions{}); code(err, "NoSuchBucket", 404) != nil {
		return fmt.Errorf("GetObject in a missing bucket: %v", err)
	}
	if _, err := c.GetBucketPolicy(ctx, "mgo-errors"); err != nil {
		// minio-go maps NoSuchBucketPolicy to an empty policy.
		return fmt.Errorf("GetBucketPolicy without one: %v", err)
	}
	if _, err := c.GetBucketEncryption(ctx, "mgo-errors"); err != nil && code(err, "ServerSideEncryptionConfigurationNotFoundError", 404) != nil {
		return fmt.Errorf("GetBucketEncryption without one: %v", err)
	}
	if _, err := c.GetBucketTagging(ctx, "mgo-errors"); code(err, "NoSuchTagSet", 404) != nil {
		return fmt.Errorf("GetBucketTagging without tags: %v", err)
	}
	if _, _, _, err := c.GetBucketObjectLockConfig(ctx, "mgo-errors"); code(err, "ObjectLockConfigurationNotFoundError", 404) != nil {
		return fmt.Errorf("GetBucketObjectLockConfig without lock: %v", err)
	}
	if _, err := put(c, "mgo-errors", "k", "v", minio.PutObjectOptions{}); err != nil {
		return err
	}
	if err := code(c.RemoveBucket(ctx, "mgo-errors"), "BucketNotEmpty", 409); err != nil {
		return err
	}
	if err := c.RemoveObject(ctx, "mgo-errors", "k", minio.RemoveObjectOptions{}); err != nil {
		return err
	}
	// Deleting a missing key succeeds, as S3 does.
	if err := c.RemoveObject(ctx, "mgo-errors", "k", minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("RemoveObject of a missing key: %v", err)
	}
	return c.RemoveBucket(ctx, "mgo-errors")
}

func bucketConfigFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-config"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		return err
	}
	if loc, err := c.GetBucketLocation(ctx, b); err != nil || loc != "us-east-1" {
		return fmt.Errorf("GetBucketLocation: %q %v", loc, err)
	}
	// Encryption.
	if err := c.SetBucketEncryption(ctx, b, sse.NewConfigurationSSES3()); err != nil {
		return fmt.Errorf("SetBucketEncryption: %v", err)
	}
	enc, err := c.GetBucketEncryption(ctx, b)
	if err != nil || len(enc.Rules) != 1 || enc.Rules[0].Apply.SSEAlgorithm != "AES256" {
		return fmt.Errorf("GetBucketEncryption: %+v %v", enc, err)
	}
	if info, err := put(c, b, "enc", "x", minio.PutObjectOptions{}); err != nil {
		return err
	} else if st, err := c.StatObject(ctx, b, info.Key, minio.StatObjectOptions{}); err != nil || st.Metadata.Get("X-Amz-Server-Side-Encryption") != "AES256" {
		return fmt.Errorf("default encryption on a put object: %v %v", st.Metadata, err)
	}
	if err := c.SetBucketEncryption(ctx, b, sse.NewConfigurationSSEKMS("arn:aws:kms:us-east-1:000000000000:key/mgo")); err != nil {
		return fmt.Errorf("SetBucketEncryption KMS: %v", err)
	}
	if enc, err = c.GetBucketEncryption(ctx, b); err != nil || enc.Rules[0].Apply.SSEAlgorithm != "aws:kms" || enc.Rules[0].Apply.KmsMasterKeyID != "arn:aws:kms:us-east-1:000000000000:key/mgo" {
		return fmt.Errorf("GetBucketEncryption KMS: %+v %v", enc, err)
	}
	if err := c.RemoveBucketEncryption(ctx, b); err != nil {
		return fmt.Errorf("RemoveBucketEncryption: %v", err)
	}
	// Lifecycle.
	lc := lifecycle.NewConfiguration()
	lc.Rules = []lifecycle.Rule{
		{
			ID: "expire-logs", Status: "Enabled", RuleFilter: lifecycle.Filter{Prefix: "logs/"}, Expiration: lifecycle.Expiration{Days: 30},
			AbortIncompleteMultipartUpload: lifecycle.AbortIncompleteMultipartUpload{DaysAfterInitiation: 7},
		},
		// (S3 refuses AbortIncompleteMultipartUpload in a rule filtered by tags.)
		{ID: "archive", Status: "Enabled", RuleFilter: lifecycle.Filter{Tag: lifecycle.Tag{Key: "class", Value: "cold"}}, Transition: lifecycle.Transition{Days: 60, StorageClass: "GLACIER"}},
	}
	if err := c.SetBucketLifecycle(ctx, b, lc); err != nil {
		return fmt.Errorf("SetBucketLifecycle: %v", err)
	}
	got, err := c.GetBucketLifecycle(ctx, b)
	if err != nil || len(got.Rules) != 2 {
		return fmt.Errorf("GetBucketLifecycle: %+v %v", got, err)
	}
	sort.Slice(got.Rules, func(i, j int) bool { return got.Rules[i].ID > got.Rules[j].ID })
	r0, r1 := got.Rules[0], got.Rules[1]
	if r0.ID != "expire-logs" || r0.RuleFilter.Prefix != "logs/" || r0.Expiration.Days != 30 || r0.AbortIncompleteMultipartUpload.DaysAfterInitiation != 7 {
		return fmt.Errorf("lifecycle rule 1: %+v", r0)
	}
	if r1.ID != "archive" || r1.RuleFilter.Tag.Key != "class" || r1.Transition.Days != 60 || r1.Transition.StorageClass != "GLACIER" {
		return fmt.Errorf("lifecycle rule 2: %+v", r1)
	}
	// An object the expiration rule covers says when it expires (x-amz-expiration, parsed by minio-go).
	if _, err := put(c, b, "logs/today", "x", minio.PutObjectOptions{}); err != nil {
		return err
	}
	st, err := c.StatObject(ctx, b, "logs/today", minio.StatObjectOptions{})
	if err != nil || st.ExpirationRuleID != "expire-logs" || st.Expiration.Before(time.Now().Add(29*24*time.Hour)) || st.Expiration.After(time.Now().Add(32*24*time.Hour)) {
		return fmt.Errorf("x-amz-expiration: %v %q %v", st.Expiration, st.ExpirationRuleID, err)
	}
	// An empty configuration deletes it.
	if err := c.SetBucketLifecycle(ctx, b, lifecycle.NewConfiguration()); err != nil {
		return fmt.Errorf("SetBucketLifecycle empty: %v", err)
	}
	if _, err := c.GetBucketLifecycle(ctx, b); code(err, "NoSuchLifecycleConfiguration", 404) != nil {
		return fmt.Errorf("GetBucketLifecycle after removal: %v", err)
	}
	// Tagging.
	t, _ := tags.NewTags(map[string]string{"team": "storage", "env": "test"}, false)
	if err := c.SetBucketTagging(ctx, b, t); err != nil {
		return fmt.Errorf("SetBucketTagging: %v", err)
	}
	gt, err := c.GetBucketTagging(ctx, b)
	if err != nil || gt.ToMap()["team"] != "storage" || len(gt.ToMap()) != 2 {
		return fmt.Errorf("GetBucketTagging: %v %v", gt, err)
	}
	if err := c.RemoveBucketTagging(ctx, b); err != nil {
		return fmt.Errorf("RemoveBucketTagging: %v", err)
	}
	// Versioning: enable, suspend.
	if err := c.EnableVersioning(ctx, b); err != nil {
		return err
	}
	if v, err := c.GetBucketVersioning(ctx, b); err != nil || !v.Enabled() {
		return fmt.Errorf("versioning enabled: %+v %v", v, err)
	}
	if err := c.SuspendVersioning(ctx, b); err != nil {
		return err
	}
	if v, err := c.GetBucketVersioning(ctx, b); err != nil || !v.Suspended() {
		return fmt.Errorf("versioning suspended: %+v %v", v, err)
	}
	// Policy round trip (as JSON text).
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::mgo-config/public/*"]}]}`
	if err := c.SetBucketPolicy(ctx, b, pol); err != nil {
		return fmt.Errorf("SetBucketPolicy: %v", err)
	}
	if p, err := c.GetBucketPolicy(ctx, b); err != nil || !strings.Contains(p, "public/*") {
		return fmt.Errorf("GetBucketPolicy: %q %v", p, err)
	}
	if err := c.SetBucketPolicy(ctx, b, ""); err != nil {
		return fmt.Errorf("SetBucketPolicy empty (delete): %v", err)
	}
	if p, err := c.GetBucketPolicy(ctx, b); err != nil || p != "" {
		return fmt.Errorf("GetBucketPolicy after delete: %q %v", p, err)
	}
	return nil
}

func objectLockFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-lock"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{ObjectLocking: true}); err != nil {
		return err
	}
	if v, err := c.GetBucketVersioning(ctx, b); err != nil || !v.Enabled() {
		return fmt.Errorf("an object-lock bucket is versioned: %+v %v", v, err)
	}
	enabled, mode, validity, unit, err := c.GetObjectLockConfig(ctx, b)
	if err != nil || enabled != "Enabled" || mode != nil || validity != nil || unit != nil {
		return fmt.Errorf("GetObjectLockConfig (no default retention): %q %v %v %v %v", enabled, mode, validity, unit, err)
	}
	gov := minio.Governance
	days := uint(1)
	du := minio.Days
	if err := c.SetObjectLockConfig(ctx, b, &gov, &days, &du); err != nil {
		return fmt.Errorf("SetObjectLockConfig: %v", err)
	}
	_, mode, validity, unit, err = c.GetObjectLockConfig(ctx, b)
	if err != nil || mode == nil || *mode != minio.Governance || *validity != 1 || *unit != minio.Days {
		return fmt.Errorf("GetObjectLockConfig: %v %v %v %v", mode, validity, unit, err)
	}
	// A write that gets a retention period must carry Content-MD5 or a checksum: S3 refuses a bare (even signed) body.
	_, err = put(c, b, "held", "data", minio.PutObjectOptions{})
	if e := code(err, "InvalidRequest", 400); e != nil {
		return fmt.Errorf("PutObject under default retention without Content-MD5: %v", e)
	}
	info, err := put(c, b, "held", "data", minio.PutObjectOptions{SendContentMd5: true})
	if err != nil {
		return err
	}
	// The default retention applies to new objects.
	m, until, err := c.GetObjectRetention(ctx, b, "held", info.VersionID)
	if err != nil || m == nil || *m != minio.Governance || until == nil || until.Before(time.Now().Add(23*time.Hour)) {
		return fmt.Errorf("GetObjectRetention (default): %v %v %v", m, until, err)
	}
	// Deleting the version under governance retention is refused without the bypass header.
	err = c.RemoveObject(ctx, b, "held", minio.RemoveObjectOptions{VersionID: info.VersionID})
	if e := code(err, "AccessDenied", 403); e != nil {
		return fmt.Errorf("RemoveObject under retention: %v", e)
	}
	// Extend the retention in compliance mode? No: shorten under governance with the bypass.
	soon := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	if err := c.PutObjectRetention(ctx, b, "held", minio.PutObjectRetentionOptions{GovernanceBypass: true, Mode: &gov, RetainUntilDate: &soon, VersionID: info.VersionID}); err != nil {
		return fmt.Errorf("PutObjectRetention: %v", err)
	}
	if _, until, err = c.GetObjectRetention(ctx, b, "held", info.VersionID); err != nil || !until.Equal(soon) {
		return fmt.Errorf("GetObjectRetention after put: %v %v (want %v)", until, err, soon)
	}
	// Legal hold.
	on := minio.LegalHoldEnabled
	if err := c.PutObjectLegalHold(ctx, b, "held", minio.PutObjectLegalHoldOptions{VersionID: info.VersionID, Status: &on}); err != nil {
		return fmt.Errorf("PutObjectLegalHold: %v", err)
	}
	if s, err := c.GetObjectLegalHold(ctx, b, "held", minio.GetObjectLegalHoldOptions{VersionID: info.VersionID}); err != nil || *s != minio.LegalHoldEnabled {
		return fmt.Errorf("GetObjectLegalHold: %v %v", s, err)
	}
	st, err := c.StatObject(ctx, b, "held", minio.StatObjectOptions{})
	if err != nil || st.Metadata.Get("X-Amz-Object-Lock-Legal-Hold") != "ON" || st.Metadata.Get("X-Amz-Object-Lock-Mode") != "GOVERNANCE" {
		return fmt.Errorf("StatObject lock headers: %v %v", st.Metadata, err)
	}
	err = c.RemoveObject(ctx, b, "held", minio.RemoveObjectOptions{VersionID: info.VersionID, GovernanceBypass: true})
	if e := code(err, "AccessDenied", 403); e != nil {
		return fmt.Errorf("RemoveObject under legal hold: %v", e)
	}
	off := minio.LegalHoldDisabled
	if err := c.PutObjectLegalHold(ctx, b, "held", minio.PutObjectLegalHoldOptions{VersionID: info.VersionID, Status: &off}); err != nil {
		return err
	}
	// A put with its own lock settings (compliance would keep the object past the test: governance).
	later := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	info2, err := put(c, b, "own", "x", minio.PutObjectOptions{Mode: minio.Governance, RetainUntilDate: later, LegalHold: minio.LegalHoldEnabled, SendContentMd5: true})
	if err != nil {
		return fmt.Errorf("PutObject with lock options: %v", err)
	}
	if _, until, err = c.GetObjectRetention(ctx, b, "own", info2.VersionID); err != nil || !until.Equal(later) {
		return fmt.Errorf("retention from PutObject: %v %v", until, err)
	}
	if s, err := c.GetObjectLegalHold(ctx, b, "own", minio.GetObjectLegalHoldOptions{}); err != nil || *s != minio.LegalHoldEnabled {
		return fmt.Errorf("legal hold from PutObject: %v %v", s, err)
	}
	if err := c.PutObjectLegalHold(ctx, b, "own", minio.PutObjectLegalHoldOptions{VersionID: info2.VersionID, Status: &off}); err != nil {
		return err
	}
	// With the bypass, governance-retained versions go.
	for _, v := range []minio.UploadInfo{info, info2} {
		if err := c.RemoveObject(ctx, b, v.Key, minio.RemoveObjectOptions{VersionID: v.VersionID, GovernanceBypass: true}); err != nil {
			return fmt.Errorf("RemoveObject with bypass: %v", err)
		}
	}
	return nil
}

func replicationFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-repl"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	if err := c.MakeBucket(ctx, "mgo-repl-dst", minio.MakeBucketOptions{}); err != nil {
		return err
	}
	if _, err := c.GetBucketReplication(ctx, b); err != nil {
		// minio-go maps ReplicationConfigurationNotFoundError to an empty configuration.
		return fmt.Errorf("GetBucketReplication without one: %v", err)
	}
	cfg := replication.Config{
		Role: "arn:aws:iam::000000000000:role/replication",
		Rules: []replication.Rule{{
			ID: "all", Status: replication.Enabled, Priority: 1,
			DeleteMarkerReplication: replication.DeleteMarkerReplication{Status: replication.Disabled},
			Destination:             replication.Destination{Bucket: "arn:aws:s3:::mgo-repl-dst", StorageClass: "STANDARD"},
			Filter:                  replication.Filter{Prefix: "docs/"},
		}},
	}
	// Replication needs versioning on the source, as S3 requires.
	err := c.SetBucketReplication(ctx, b, cfg)
	if e := code(err, "InvalidRequest", 400); e != nil {
		return fmt.Errorf("SetBucketReplication on an unversioned bucket: %v", e)
	}
	if err := c.EnableVersioning(ctx, b); err != nil {
		return err
	}
	if err := c.EnableVersioning(ctx, "mgo-repl-dst"); err != nil {
		return err
	}
	if err := c.SetBucketReplication(ctx, b, cfg); err != nil {
		return fmt.Errorf("SetBucketReplication: %v", err)
	}
	got, err := c.GetBucketReplication(ctx, b)
	if err != nil || got.Role != cfg.Role || len(got.Rules) != 1 || got.Rules[0].Destination.Bucket != "arn:aws:s3:::mgo-repl-dst" || got.Rules[0].Filter.Prefix != "docs/" {
		return fmt.Errorf("GetBucketReplication: %+v %v", got, err)
	}
	// S3 answers DeleteBucketReplication 204; minio-go 7.0.46 takes only MinIO's 200 and reports the 204 as an error.
	if err := c.RemoveBucketReplication(ctx, b); err != nil && minio.ToErrorResponse(err).StatusCode != http.StatusNoContent {
		return fmt.Errorf("RemoveBucketReplication: %v", err)
	}
	if got, err = c.GetBucketReplication(ctx, b); err != nil || !got.Empty() {
		return fmt.Errorf("GetBucketReplication after removal: %+v %v", got, err)
	}
	return nil
}

func selectFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-select"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	csv := "name,qty\napple,3\npear,7\nplum,12\n"
	if _, err := put(c, b, "fruit.csv", csv, minio.PutObjectOptions{ContentType: "text/csv"}); err != nil {
		return err
	}
	res, err := c.SelectObjectContent(ctx, b, "fruit.csv", minio.SelectObjectOptions{
		Expression:     "SELECT s.name FROM S3Object s WHERE CAST(s.qty AS INT) > 5",
		ExpressionType: minio.QueryExpressionTypeSQL,
		InputSerialization: minio.SelectObjectInputSerialization{
			CompressionType: minio.SelectCompressionNONE,
			CSV:             &minio.CSVInputOptions{FileHeaderInfo: minio.CSVFileHeaderInfoUse, RecordDelimiter: "\n", FieldDelimiter: ","},
		},
		OutputSerialization: minio.SelectObjectOutputSerialization{CSV: &minio.CSVOutputOptions{RecordDelimiter: "\n", FieldDelimiter: ","}},
	})
	if err != nil {
		return fmt.Errorf("SelectObjectContent: %v", err)
	}
	defer res.Close()
	out, err := io.ReadAll(res)
	if err != nil || string(out) != "pear\nplum\n" {
		return fmt.Errorf("select output %q %v", out, err)
	}
	if st := res.Stats(); st == nil || st.BytesScanned != int64(len(csv)) || st.BytesReturned != int64(len(out)) {
		return fmt.Errorf("select stats %+v", st)
	}
	return nil
}

func coreMultipartFlow(_ *minio.Client, core *minio.Core) error {
	b := "mgo-core"
	if err := core.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	id, err := core.NewMultipartUpload(ctx, b, "big", minio.PutObjectOptions{ContentType: "application/x-test", UserMetadata: map[string]string{"origin": "core"}})
	if err != nil {
		return fmt.Errorf("NewMultipartUpload: %v", err)
	}
	part1 := bytes.Repeat([]byte("a"), 5*1024*1024)
	part2 := []byte("tail")
	p1, err := core.PutObjectPart(ctx, b, "big", id, 1, bytes.NewReader(part1), int64(len(part1)), "", "", nil)
	if err != nil {
		return fmt.Errorf("PutObjectPart 1: %v", err)
	}
	p2, err := core.PutObjectPart(ctx, b, "big", id, 2, bytes.NewReader(part2), int64(len(part2)), "", "", nil)
	if err != nil {
		return fmt.Errorf("PutObjectPart 2: %v", err)
	}
	lp, err := core.ListObjectParts(ctx, b, "big", id, 0, 1)
	if err != nil || len(lp.ObjectParts) != 1 || !lp.IsTruncated || lp.NextPartNumberMarker != 1 || strings.Trim(lp.ObjectParts[0].ETag, `"`) != strings.Trim(p1.ETag, `"`) {
		return fmt.Errorf("ListObjectParts page 1: %+v %v", lp, err)
	}
	lp, err = core.ListObjectParts(ctx, b, "big", id, 1, 1)
	if err != nil || len(lp.ObjectParts) != 1 || lp.IsTruncated || lp.ObjectParts[0].PartNumber != 2 || lp.ObjectParts[0].Size != 4 {
		return fmt.Errorf("ListObjectParts page 2: %+v %v", lp, err)
	}
	mu, err := core.ListMultipartUploads(ctx, b, "", "", "", "", 10)
	if err != nil || len(mu.Uploads) != 1 || mu.Uploads[0].UploadID != id || mu.Uploads[0].Key != "big" {
		return fmt.Errorf("ListMultipartUploads: %+v %v", mu, err)
	}
	// A part below 5 MiB that is not the last is refused at completion.
	_, err = core.CompleteMultipartUpload(ctx, b, "big", id, []minio.CompletePart{{PartNumber: 2, ETag: p2.ETag}, {PartNumber: 1, ETag: p1.ETag}}, minio.PutObjectOptions{})
	if e := code(err, "InvalidPartOrder", 400); e != nil {
		return fmt.Errorf("CompleteMultipartUpload out of order: %v", e)
	}
	_, err = core.CompleteMultipartUpload(ctx, b, "big", id, []minio.CompletePart{{PartNumber: 1, ETag: `"00000000000000000000000000000000"`}, {PartNumber: 2, ETag: p2.ETag}}, minio.PutObjectOptions{})
	if e := code(err, "InvalidPart", 400); e != nil {
		return fmt.Errorf("CompleteMultipartUpload wrong etag: %v", e)
	}
	etag, err := core.CompleteMultipartUpload(ctx, b, "big", id, []minio.CompletePart{{PartNumber: 1, ETag: p1.ETag}, {PartNumber: 2, ETag: p2.ETag}}, minio.PutObjectOptions{})
	if err != nil || !strings.HasSuffix(strings.Trim(etag, `"`), "-2") {
		return fmt.Errorf("CompleteMultipartUpload: %q %v", etag, err)
	}
	rc, info, hdr, err := core.GetObject(ctx, b, "big", minio.GetObjectOptions{})
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	if len(body) != len(part1)+4 || string(body[len(body)-4:]) != "tail" || info.ContentType != "application/x-test" || hdr.Get("X-Amz-Meta-Origin") != "core" {
		return fmt.Errorf("completed object: %d bytes, %q, %v", len(body), info.ContentType, hdr)
	}
	// A part read back by number.
	gopt := minio.GetObjectOptions{PartNumber: 2}
	rc, info, hdr, err = core.GetObject(ctx, b, "big", gopt)
	if err != nil {
		return fmt.Errorf("GetObject partNumber=2: %v", err)
	}
	body, _ = io.ReadAll(rc)
	rc.Close()
	if string(body) != "tail" || hdr.Get("X-Amz-Mp-Parts-Count") != "2" {
		return fmt.Errorf("part 2: %q %v", body, hdr)
	}
	// Abort: the upload and its parts are gone.
	id2, err := core.NewMultipartUpload(ctx, b, "gone", minio.PutObjectOptions{})
	if err != nil {
		return err
	}
	if err := core.AbortMultipartUpload(ctx, b, "gone", id2); err != nil {
		return fmt.Errorf("AbortMultipartUpload: %v", err)
	}
	_, err = core.ListObjectParts(ctx, b, "gone", id2, 0, 10)
	if e := code(err, "NoSuchUpload", 404); e != nil {
		return fmt.Errorf("ListObjectParts after abort: %v", e)
	}
	return nil
}

func listingFlow(c *minio.Client, core *minio.Core) error {
	b := "mgo-list"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	keys := []string{"a/1", "a/2", "a/b/3", "c", "d e+f", "ü/x"}
	for _, k := range keys {
		if _, err := put(c, b, k, k, minio.PutObjectOptions{}); err != nil {
			return err
		}
	}
	// minio-go hands each page's keys, then its common prefixes: sorted here.
	collect := func(o minio.ListObjectsOptions) ([]string, error) {
		var out []string
		for info := range c.ListObjects(ctx, b, o) {
			if info.Err != nil {
				return nil, info.Err
			}
			out = append(out, info.Key)
		}
		sort.Strings(out)
		return out, nil
	}
	for _, v1 := range []bool{false, true} {
		all, err := collect(minio.ListObjectsOptions{Recursive: true, MaxKeys: 2, UseV1: v1})
		if err != nil || strings.Join(all, ",") != strings.Join(keys, ",") {
			return fmt.Errorf("recursive listing in pages of 2 (v1=%v): %v %v", v1, all, err)
		}
		top, err := collect(minio.ListObjectsOptions{UseV1: v1})
		if err != nil || strings.Join(top, ",") != "a/,c,d e+f,ü/" {
			return fmt.Errorf("delimited listing (v1=%v): %v %v", v1, top, err)
		}
		after, err := collect(minio.ListObjectsOptions{Recursive: true, StartAfter: "a/b/3", UseV1: v1})
		if err != nil || strings.Join(after, ",") != "c,d e+f,ü/x" {
			return fmt.Errorf("StartAfter (v1=%v): %v %v", v1, after, err)
		}
		pre, err := collect(minio.ListObjectsOptions{Prefix: "a/", UseV1: v1})
		if err != nil || strings.Join(pre, ",") != "a/1,a/2,a/b/" {
			return fmt.Errorf("prefix a/ (v1=%v): %v %v", v1, pre, err)
		}
	}
	// Core's V2 listing: continuation token pages and the key count.
	r, err := core.ListObjectsV2(b, "", "", "", "", 4)
	if err != nil || len(r.Contents) != 4 || !r.IsTruncated || r.NextContinuationToken == "" {
		return fmt.Errorf("ListObjectsV2 page 1: %+v %v", r, err)
	}
	r2, err := core.ListObjectsV2(b, "", "", r.NextContinuationToken, "", 4)
	if err != nil || len(r2.Contents) != 2 || r2.IsTruncated || r2.Contents[1].Key != "ü/x" {
		return fmt.Errorf("ListObjectsV2 page 2: %+v %v", r2, err)
	}
	// Incomplete uploads: listed, then removed.
	for _, k := range []string{"up/1", "up/2"} {
		if _, err := core.NewMultipartUpload(ctx, b, k, minio.PutObjectOptions{}); err != nil {
			return err
		}
	}
	var ups []string
	for u := range c.ListIncompleteUploads(ctx, b, "up/", true) {
		if u.Err != nil {
			return u.Err
		}
		ups = append(ups, u.Key)
	}
	if strings.Join(ups, ",") != "up/1,up/2" {
		return fmt.Errorf("ListIncompleteUploads: %v", ups)
	}
	if err := c.RemoveIncompleteUpload(ctx, b, "up/1"); err != nil {
		return fmt.Errorf("RemoveIncompleteUpload: %v", err)
	}
	ups = nil
	for u := range c.ListIncompleteUploads(ctx, b, "up/", true) {
		ups = append(ups, u.Key)
	}
	if strings.Join(ups, ",") != "up/2" {
		return fmt.Errorf("ListIncompleteUploads after removal: %v", ups)
	}
	return nil
}

func conditionalFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-cond"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	info, err := put(c, b, "k", "0123456789", minio.PutObjectOptions{})
	if err != nil {
		return err
	}
	o := minio.GetObjectOptions{}
	_ = o.SetMatchETag(info.ETag)
	if s, err := read(c, b, "k", o); err != nil || s != "0123456789" {
		return fmt.Errorf("If-Match right etag: %q %v", s, err)
	}
	o = minio.GetObjectOptions{}
	_ = o.SetMatchETag("deadbeef")
	if _, err := read(c, b, "k", o); code(err, "PreconditionFailed", 412) != nil {
		return fmt.Errorf("If-Match wrong etag: %v", err)
	}
	o = minio.GetObjectOptions{}
	_ = o.SetMatchETagExcept(info.ETag)
	if _, err := read(c, b, "k", o); err == nil || minio.ToErrorResponse(err).StatusCode != http.StatusNotModified {
		return fmt.Errorf("If-None-Match same etag: %v", err)
	}
	o = minio.GetObjectOptions{}
	_ = o.SetUnmodified(time.Now().Add(-time.Hour))
	if _, err := read(c, b, "k", o); code(err, "PreconditionFailed", 412) != nil {
		return fmt.Errorf("If-Unmodified-Since an hour ago: %v", err)
	}
	o = minio.GetObjectOptions{}
	_ = o.SetRange(2, 4)
	if s, err := read(c, b, "k", o); err != nil || s != "234" {
		return fmt.Errorf("range 2-4: %q %v", s, err)
	}
	o = minio.GetObjectOptions{}
	_ = o.SetRange(0, -3)
	if s, err := read(c, b, "k", o); err != nil || s != "789" {
		return fmt.Errorf("suffix range -3: %q %v", s, err)
	}
	// Response header overrides in a presigned link.
	params := url.Values{}
	params.Set("response-content-type", "text/x-override")
	params.Set("response-content-disposition", `attachment; filename="k.txt"`)
	link, err := c.PresignedGetObject(ctx, b, "k", time.Minute, params)
	if err != nil {
		return err
	}
	resp, err := http.Get(link.String())
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/x-override" || resp.Header.Get("Content-Disposition") != `attachment; filename="k.txt"` {
		return fmt.Errorf("response-* overrides: %d %v", resp.StatusCode, resp.Header)
	}
	// CopyObject with a source condition.
	src := minio.CopySrcOptions{Bucket: b, Object: "k", MatchETag: "deadbeef"}
	_, err = c.CopyObject(ctx, minio.CopyDestOptions{Bucket: b, Object: "k2"}, src)
	if e := code(err, "PreconditionFailed", 412); e != nil {
		return fmt.Errorf("CopyObject x-amz-copy-source-if-match: %v", e)
	}
	src.MatchETag = info.ETag
	dst := minio.CopyDestOptions{Bucket: b, Object: "k2", ReplaceMetadata: true, UserMetadata: map[string]string{"copied": "yes"}, UserTags: map[string]string{"t": "1"}, ReplaceTags: true}
	if _, err := c.CopyObject(ctx, dst, src); err != nil {
		return fmt.Errorf("CopyObject replacing metadata and tags: %v", err)
	}
	st, err := c.StatObject(ctx, b, "k2", minio.StatObjectOptions{})
	if err != nil || st.UserMetadata["Copied"] != "yes" || st.UserTagCount != 1 {
		return fmt.Errorf("copy's metadata: %+v %v %v", st.UserMetadata, st.UserTagCount, err)
	}
	return nil
}

func putOptionsFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-put"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	o := minio.PutObjectOptions{
		ContentType:             "text/plain",
		ContentEncoding:         "identity",
		ContentDisposition:      "inline",
		ContentLanguage:         "en",
		CacheControl:            "max-age=60",
		WebsiteRedirectLocation: "/other",
		StorageClass:            "STANDARD_IA",
		UserMetadata:            map[string]string{"a-b": "c d"},
		UserTags:                map[string]string{"k1": "v 1", "k2": "v2"},
		SendContentMd5:          true,
	}
	if _, err := put(c, b, "opts", "hello", o); err != nil {
		return fmt.Errorf("PutObject with options: %v", err)
	}
	st, err := c.StatObject(ctx, b, "opts", minio.StatObjectOptions{})
	if err != nil {
		return err
	}
	h := st.Metadata
	if st.ContentType != "text/plain" || h.Get("Content-Encoding") != "identity" || h.Get("Content-Disposition") != "inline" || h.Get("Content-Language") != "en" ||
		h.Get("Cache-Control") != "max-age=60" || h.Get("X-Amz-Website-Redirect-Location") != "/other" || h.Get("X-Amz-Storage-Class") != "STANDARD_IA" ||
		st.UserMetadata["A-B"] != "c d" || st.UserTagCount != 2 {
		return fmt.Errorf("stat: %+v", st)
	}
	tg, err := c.GetObjectTagging(ctx, b, "opts", minio.GetObjectTaggingOptions{})
	if err != nil || tg.ToMap()["k1"] != "v 1" {
		return fmt.Errorf("tags: %v %v", tg, err)
	}
	// Unsigned payload (DisableContentSha256) and a forced single PUT of an unknown-length stream.
	if _, err := c.PutObject(ctx, b, "unsigned", strings.NewReader("xyz"), 3, minio.PutObjectOptions{DisableContentSha256: true}); err != nil {
		return fmt.Errorf("unsigned payload: %v", err)
	}
	// Unknown length: minio-go buffers and uploads multipart (one part).
	if _, err := c.PutObject(ctx, b, "stream", io.MultiReader(strings.NewReader("ab"), strings.NewReader("cd")), -1, minio.PutObjectOptions{PartSize: 5 * 1024 * 1024}); err != nil {
		return fmt.Errorf("unknown length: %v", err)
	}
	if s, err := read(c, b, "stream", minio.GetObjectOptions{}); err != nil || s != "abcd" {
		return fmt.Errorf("stream back: %q %v", s, err)
	}
	// A wrong Content-MD5 is refused (given through Core).
	core := minio.Core{Client: c}
	_, err = core.PutObject(ctx, b, "badmd5", strings.NewReader("abc"), 3, "AAAAAAAAAAAAAAAAAAAAAA==", "", minio.PutObjectOptions{})
	if e := code(err, "BadDigest", 400); e != nil {
		return fmt.Errorf("wrong Content-MD5: %v", e)
	}
	// Presigned PUT then GET through plain HTTP.
	u, err := c.PresignedPutObject(ctx, b, "presigned", time.Minute)
	if err != nil {
		return err
	}
	req, _ := http.NewRequest(http.MethodPut, u.String(), strings.NewReader("via url"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		return fmt.Errorf("presigned PUT: %v %v", resp, err)
	}
	resp.Body.Close()
	g, err := c.PresignedGetObject(ctx, b, "presigned", time.Minute, nil)
	if err != nil {
		return err
	}
	resp, err = http.Get(g.String())
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "via url" {
		return fmt.Errorf("presigned GET: %d %q", resp.StatusCode, body)
	}
	// RemoveObjects: a batch, the results' errors empty.
	ch := make(chan minio.ObjectInfo, 3)
	for _, k := range []string{"opts", "unsigned", "stream"} {
		ch <- minio.ObjectInfo{Key: k}
	}
	close(ch)
	for e := range c.RemoveObjects(ctx, b, ch, minio.RemoveObjectsOptions{}) {
		return fmt.Errorf("RemoveObjects: %v", e.Err)
	}
	return nil
}

func restoreFlow(c *minio.Client, _ *minio.Core) error {
	b := "mgo-restore"
	if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
		return err
	}
	if _, err := put(c, b, "cold", "frozen", minio.PutObjectOptions{StorageClass: "GLACIER"}); err != nil {
		return err
	}
	if _, err := read(c, b, "cold", minio.GetObjectOptions{}); code(err, "InvalidObjectState", 403) != nil {
		return fmt.Errorf("GetObject of an archived object: %v", err)
	}
	req := minio.RestoreRequest{}
	req.SetDays(1)
	req.SetGlacierJobParameters(minio.GlacierJobParameters{Tier: minio.TierExpedited})
	if err := c.RestoreObject(ctx, b, "cold", "", req); err != nil {
		return fmt.Errorf("RestoreObject: %v", err)
	}
	// The restore is reported (x-amz-restore, parsed by minio-go): an expedited one takes S3's minutes, so it is
	// still going, the object still unreadable, and a second request is RestoreAlreadyInProgress.
	st, err := c.StatObject(ctx, b, "cold", minio.StatObjectOptions{})
	if err != nil || st.Restore == nil || !st.Restore.OngoingRestore {
		return fmt.Errorf("x-amz-restore after RestoreObject: %+v %v %v", st.Restore, st.Metadata, err)
	}
	if _, err := read(c, b, "cold", minio.GetObjectOptions{}); code(err, "InvalidObjectState", 403) != nil {
		return fmt.Errorf("GetObject during the restore: %v", err)
	}
	if err := code(c.RestoreObject(ctx, b, "cold", "", req), "RestoreAlreadyInProgress", 409); err != nil {
		return err
	}
	// A STANDARD object cannot be restored.
	if _, err := put(c, b, "warm", "x", minio.PutObjectOptions{}); err != nil {
		return err
	}
	if err := code(c.RestoreObject(ctx, b, "warm", "", req), "InvalidObjectState", 403); err != nil {
		return err
	}
	return nil
}
