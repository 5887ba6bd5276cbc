// Command services drives every awsim service with the real Go SDK v2 clients and checks the answers.
//
//	services <endpoint-url> [service...]
//
// Without service names it runs sts iam s3 ecs ec2 ecr logs servicediscovery efs lambda, prints
// "ok <service>" for each flow that passes and "FAIL <service>: <reason>" for each that does not, and exits 1
// when any failed. It builds offline in GOPATH mode against Debian's golang-github-aws-aws-sdk-go-v2-dev
// (SDK 1.17.1): that release predates aws.Config.BaseEndpoint, so the endpoint comes from
// EndpointResolverWithOptions, which is what users of that SDK write.
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const account = "000000000000"

var (
	// execute: the server runs with --execute (AWSIM_GO_EXECUTE=1), so Lambda handlers really run.
	execute  = os.Getenv("AWSIM_GO_EXECUTE") != ""
	endpoint string
	ctx      = context.Background()
	cfg      aws.Config
)

// failure is raised (as a panic) by the check helpers and recovered per service.
type failure struct{ msg string }

func failf(format string, args ...interface{}) { panic(failure{fmt.Sprintf(format, args...)}) }

func check(err error, what string) {
	if err != nil {
		failf("%s: %v", what, err)
	}
}

func expect(cond bool, format string, args ...interface{}) {
	if !cond {
		failf(format, args...)
	}
}

func eq(what string, got, want interface{}) {
	if fmt.Sprint(got) != fmt.Sprint(want) {
		failf("%s: got %v, want %v", what, got, want)
	}
}

// expectErr asserts err decodes as T (errors.As), carries the HTTP status and a request id, and that the
// smithy APIError code is code. It returns the typed error.
func expectErr[T error](err error, what string, code string, status int) T {
	var typed T
	if err == nil {
		failf("%s: succeeded, want %s", what, code)
	}
	if !errors.As(err, &typed) {
		failf("%s: error %T (%v) does not decode as %T", what, err, err, typed)
	}
	// The SDK decodes S3's modelled errors without their message (its deserializers read no members).
	expectStatus(err, what, code, status, !strings.HasSuffix(reflect.TypeOf(typed).Elem().PkgPath(), "/service/s3/types"))
	return typed
}

// expectAPIError asserts a modelled or unmodelled error's code, HTTP status and request id.
func expectAPIError(err error, what string, code string, status int) {
	expectStatus(err, what, code, status, true)
}

func expectStatus(err error, what string, code string, status int, withMessage bool) {
	if err == nil {
		failf("%s: succeeded, want %s", what, code)
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		failf("%s: error %T (%v) is not a smithy.APIError", what, err, err)
	}
	eq(what+" error code", api.ErrorCode(), code)
	if withMessage && api.ErrorMessage() == "" {
		failf("%s: %s without a message", what, code)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		failf("%s: error %T is not an *awshttp.ResponseError", what, err)
	}
	eq(what+" HTTP status", re.HTTPStatusCode(), status)
	if re.ServiceRequestID() == "" {
		failf("%s: %s without a request id", what, code)
	}
}

// poll calls f every 50 ms until it returns true, failing after a timeout.
func poll(what string, timeout time.Duration, f func() bool) {
	deadline := time.Now().Add(timeout)
	for !f() {
		if time.Now().After(deadline) {
			failf("%s: timed out after %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var flows = []struct {
	name     string
	run      func()
	optional bool // run only when named (it needs a server started a particular way)
}{
	{"sts", runSTS, false},
	{"iam", runIAM, false},
	{"s3", runS3, false},
	{"ecs", runECS, false},
	{"ec2", runEC2, false},
	{"ecr", runECR, false},
	{"logs", runLogs, false},
	{"servicediscovery", runServiceDiscovery, false},
	{"efs", runEFS, false},
	{"lambda", runLambda, false},
	{"authz", runAuthz, true}, // needs --enforce-iam
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: services <endpoint-url> [service...]")
		os.Exit(2)
	}
	endpoint = strings.TrimRight(os.Args[1], "/")
	cfg = aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(func(service, region string, options ...interface{}) (aws.Endpoint, error) {
			return aws.Endpoint{URL: endpoint, HostnameImmutable: true, SigningRegion: region}, nil
		}),
		RetryMaxAttempts: 1,
	}
	if os.Getenv("AWSIM_GO_DUMP") != "" {
		cfg.HTTPClient = &http.Client{Transport: dumper{http.DefaultTransport}}
	}
	want := map[string]bool{}
	for _, s := range os.Args[2:] {
		want[s] = true
	}
	failed := 0
	for _, f := range flows {
		if (len(want) > 0 || f.optional) && !want[f.name] {
			continue
		}
		if msg := runOne(f.run); msg != "" {
			fmt.Printf("FAIL %s: %s\n", f.name, msg)
			failed++
		} else {
			fmt.Printf("ok %s\n", f.name)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}

func runOne(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			if fl, ok := r.(failure); ok {
				msg = fl.msg
				return
			}
			msg = fmt.Sprintf("panic: %v", r)
		}
	}()
	f()
	return ""
}

// dumper prints each request line and response status to stderr (AWSIM_GO_DUMP=1), for diagnosing.
type dumper struct{ next http.RoundTripper }

func (d dumper) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(r)
	if err != nil {
		fmt.Fprintf(os.Stderr, "> %s %s (host %s): %v\n", r.Method, r.URL, r.Host, err)
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	shown := string(body)
	if len(shown) > 600 {
		shown = shown[:600] + "..."
	}
	fmt.Fprintf(os.Stderr, "> %s %s (host %s) target=%s\n< %d %s\n", r.Method, r.URL, r.Host, r.Header.Get("X-Amz-Target"), resp.StatusCode, shown)
	return resp, err
}

func suffix() string { return fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000) }

// ---------------------------------------------------------------------------------------------------- STS

func runSTS() {
	c := sts.NewFromConfig(cfg)
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity")
	eq("Account", aws.ToString(out.Account), account)
	eq("Arn", aws.ToString(out.Arn), "arn:aws:iam::"+account+":root")
	expect(aws.ToString(out.UserId) != "", "UserId empty")

	st, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	check(err, "GetSessionToken")
	expect(strings.HasPrefix(aws.ToString(st.Credentials.AccessKeyId), "ASIA"), "session key %q", aws.ToString(st.Credentials.AccessKeyId))
	ak, err := c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: st.Credentials.AccessKeyId})
	check(err, "GetAccessKeyInfo")
	eq("key account", aws.ToString(ak.Account), account)

	// The usual Go pattern: an AssumeRoleProvider whose session credentials sign the next clients' calls.
	role, err := iam.NewFromConfig(cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("go-assumed-" + suffix()), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	check(err, "CreateRole to assume")
	assumed := cfg.Copy()
	assumed.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(c, aws.ToString(role.Role.Arn), func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "go-session"
		o.Duration = 15 * time.Minute
	}))
	creds, err := assumed.Credentials.Retrieve(ctx)
	check(err, "AssumeRole credentials")
	expect(strings.HasPrefix(creds.AccessKeyID, "ASIA") && creds.SessionToken != "" && creds.CanExpire, "session credentials %+v", creds)
	expect(creds.Expires.After(time.Now().Add(10*time.Minute)) && creds.Expires.Before(time.Now().Add(16*time.Minute)), "credentials expire at %v", creds.Expires)
	who, err := sts.NewFromConfig(assumed).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity as the role")
	eq("assumed Arn", aws.ToString(who.Arn), "arn:aws:sts::"+account+":assumed-role/"+aws.ToString(role.Role.RoleName)+"/go-session")
	expect(strings.HasSuffix(aws.ToString(who.UserId), ":go-session") && strings.HasPrefix(aws.ToString(who.UserId), aws.ToString(role.Role.RoleId)), "assumed UserId %q", aws.ToString(who.UserId))
	_, err = s3.NewFromConfig(assumed, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
	check(err, "ListBuckets with session credentials")

	_, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("go-session"), DurationSeconds: aws.Int32(5 * 3600)})
	expectAPIError(err, "AssumeRole beyond MaxSessionDuration", "ValidationError", 400)
}

// ---------------------------------------------------------------------------------------------------- IAM

const trustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`

func runIAM() {
	c := iam.NewFromConfig(cfg)
	s := suffix()
	name := "go-role-" + s
	cr, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustPolicy), Path: aws.String("/go/"), Description: aws.String("from Go")})
	check(err, "CreateRole")
	eq("CreateRole Arn", aws.ToString(cr.Role.Arn), "arn:aws:iam::"+account+":role/go/"+name)
	expect(cr.Role.CreateDate != nil && time.Since(*cr.Role.CreateDate) < time.Hour, "CreateRole CreateDate %v", cr.Role.CreateDate)

	gr, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	check(err, "GetRole")
	eq("GetRole RoleId", aws.ToString(gr.Role.RoleId), aws.ToString(cr.Role.RoleId))
	eq("GetRole Description", aws.ToString(gr.Role.Description), "from Go")
	// IAM answers policy documents URL-encoded; the Go SDK hands them over as sent.
	doc, err := url.QueryUnescape(aws.ToString(gr.Role.AssumeRolePolicyDocument))
	check(err, "unescape AssumeRolePolicyDocument")
	eq("AssumeRolePolicyDocument", doc, trustPolicy)

	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	expectErr[*iamtypes.EntityAlreadyExistsException](err, "CreateRole again", "EntityAlreadyExists", 409)
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("go-missing-" + s)})
	expectErr[*iamtypes.NoSuchEntityException](err, "GetRole missing", "NoSuchEntity", 404)

	for i := 0; i < 4; i++ {
		_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("go-page-%s-%d", s, i)), AssumeRolePolicyDocument: aws.String(trustPolicy), Path: aws.String("/gopage" + s + "/")})
		check(err, "CreateRole page")
	}
	var names []string
	pages := 0
	p := iam.NewListRolesPaginator(c, &iam.ListRolesInput{PathPrefix: aws.String("/gopage" + s + "/"), MaxItems: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		check(err, "ListRoles page")
		pages++
		expect(len(page.Roles) <= 3, "ListRoles page of %d > MaxItems 3", len(page.Roles))
		for _, r := range page.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
	}
	eq("ListRoles pages", pages, 2)
	eq("ListRoles names", names, []string{"go-page-" + s + "-0", "go-page-" + s + "-1", "go-page-" + s + "-2", "go-page-" + s + "-3"})

	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("inline"), PolicyDocument: aws.String(inline)})
	check(err, "PutRolePolicy")
	rp, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("inline")})
	check(err, "GetRolePolicy")
	doc, _ = url.QueryUnescape(aws.ToString(rp.PolicyDocument))
	eq("GetRolePolicy document", doc, inline)

	cp, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("go-policy-" + s), PolicyDocument: aws.String(inline)})
	check(err, "CreatePolicy")
	eq("CreatePolicy Arn", aws.ToString(cp.Policy.Arn), "arn:aws:iam::"+account+":policy/go-policy-"+s)
	eq("CreatePolicy DefaultVersionId", aws.ToString(cp.Policy.DefaultVersionId), "v1")
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: cp.Policy.Arn})
	check(err, "AttachRolePolicy")
	la, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	check(err, "ListAttachedRolePolicies")
	eq("attached policies", len(la.AttachedPolicies), 1)
	eq("attached policy", aws.ToString(la.AttachedPolicies[0].PolicyArn), aws.ToString(cp.Policy.Arn))

	gp, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: cp.Policy.Arn})
	check(err, "GetPolicy")
	eq("policy attachments", aws.ToInt32(gp.Policy.AttachmentCount), 1)
	gpv, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: cp.Policy.Arn, VersionId: aws.String("v1")})
	check(err, "GetPolicyVersion")
	doc, _ = url.QueryUnescape(aws.ToString(gpv.PolicyVersion.Document))
	eq("policy version document", doc, inline)
	lrp, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	check(err, "ListRolePolicies")
	eq("inline policies", lrp.PolicyNames, []string{"inline"})
	_, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
	check(err, "ListPolicies")
	sum, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	check(err, "GetAccountSummary")
	expect(sum.SummaryMap["Roles"] >= 5, "SummaryMap Roles %d", sum.SummaryMap["Roles"])
	_, err = c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(5)})
	check(err, "GetAccountAuthorizationDetails")
	_, err = c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})
	check(err, "ListInstanceProfiles")
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
	check(err, "ListUsers")
	_, err = c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
	check(err, "ListRoleTags")

	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	expectErr[*iamtypes.DeleteConflictException](err, "DeleteRole with policies", "DeleteConflict", 409)
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: cp.Policy.Arn})
	expectErr[*iamtypes.DeleteConflictException](err, "DeletePolicy attached", "DeleteConflict", 409)
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: cp.Policy.Arn})
	check(err, "DetachRolePolicy")
	_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("inline")})
	check(err, "DeleteRolePolicy")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	check(err, "DeleteRole")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	expectErr[*iamtypes.NoSuchEntityException](err, "DeleteRole again", "NoSuchEntity", 404)
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad name!"), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	expectAPIError(err, "CreateRole invalid name", "ValidationError", 400)
}

// ---------------------------------------------------------------------------------------------------- S3

func runS3() {
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := "go-svc-" + suffix()
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	check(err, "CreateBucket")
	// us-east-1 answers 200 to re-creating a bucket you own (legacy); every other region BucketAlreadyOwnedByYou.
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	check(err, "CreateBucket again in us-east-1")
	west := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true; o.Region = "us-west-2" })
	westIn := &s3.CreateBucketInput{Bucket: aws.String(bucket + "-west"), CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintUsWest2}}
	_, err = west.CreateBucket(ctx, westIn)
	check(err, "CreateBucket us-west-2")
	_, err = west.CreateBucket(ctx, westIn)
	expectErr[*s3types.BucketAlreadyOwnedByYou](err, "CreateBucket again in us-west-2", "BucketAlreadyOwnedByYou", 409)
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket + "-west")})
	check(err, "GetBucketLocation")
	eq("bucket location", loc.LocationConstraint, s3types.BucketLocationConstraintUsWest2)

	body := "hello from go\n"
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"), Body: strings.NewReader(body),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"who": "gopher"}})
	check(err, "PutObject")
	eq("PutObject ETag", aws.ToString(put.ETag), `"137a6620a42b2913ef60a9cd0a6f48e3"`)

	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt")})
	check(err, "GetObject")
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	eq("GetObject body", string(got), body)
	eq("GetObject ContentType", aws.ToString(get.ContentType), "text/plain")
	eq("GetObject metadata", get.Metadata["who"], "gopher")
	eq("GetObject ContentLength", get.ContentLength, len(body))

	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"), Range: aws.String("bytes=0-4")})
	check(err, "GetObject range")
	got, _ = io.ReadAll(rng.Body)
	rng.Body.Close()
	eq("ranged body", string(got), "hello")
	eq("ContentRange", aws.ToString(rng.ContentRange), fmt.Sprintf("bytes 0-4/%d", len(body)))

	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt")})
	check(err, "HeadObject")
	eq("HeadObject ContentLength", head.ContentLength, len(body))
	eq("HeadObject ETag", aws.ToString(head.ETag), aws.ToString(put.ETag))
	expect(head.LastModified != nil && time.Since(*head.LastModified) < time.Hour, "HeadObject LastModified %v", head.LastModified)

	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
	expectErr[*s3types.NoSuchKey](err, "GetObject missing", "NoSuchKey", 404)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
	// A HEAD answer has no body: the code comes from the status (SDK 1.17 models no HeadObject errors, so it
	// is a smithy.GenericAPIError; later releases decode *types.NotFound).
	expectStatus(err, "HeadObject missing", "NotFound", 404, false)
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket + "-missing")})
	expectErr[*s3types.NoSuchBucket](err, "ListObjectsV2 missing bucket", "NoSuchBucket", 404)

	for i := 0; i < 4; i++ {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(fmt.Sprintf("dir/k%d", i)), Body: strings.NewReader("x")})
		check(err, "PutObject k")
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.txt"), CopySource: aws.String(bucket + "/dir/a.txt")})
	check(err, "CopyObject")
	cg, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.txt")})
	check(err, "GetObject copy")
	got, _ = io.ReadAll(cg.Body)
	cg.Body.Close()
	eq("copied body", string(got), body)
	eq("copied metadata", cg.Metadata["who"], "gopher")

	var keys []string
	pages := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("dir/"), MaxKeys: 2})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		check(err, "ListObjectsV2 page")
		pages++
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	eq("ListObjectsV2 pages", pages, 3)
	eq("ListObjectsV2 keys", keys, []string{"dir/a.txt", "dir/k0", "dir/k1", "dir/k2", "dir/k3"})
	dl, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Delimiter: aws.String("/")})
	check(err, "ListObjectsV2 delimiter")
	eq("CommonPrefixes", len(dl.CommonPrefixes), 1)
	eq("CommonPrefix", aws.ToString(dl.CommonPrefixes[0].Prefix), "dir/")

	// Presigned GET, fetched with plain net/http.
	ps, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt")}, s3.WithPresignExpires(5*time.Minute))
	check(err, "PresignGetObject")
	expect(strings.Contains(ps.URL, "X-Amz-Signature="), "presigned URL %s", ps.URL)
	resp, err := http.Get(ps.URL)
	check(err, "GET presigned URL")
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	eq("presigned GET status", resp.StatusCode, 200)
	eq("presigned GET body", string(got), body)

	// A presigned PUT with net/http, then the ObjectExists waiter.
	pp, err := s3.NewPresignClient(c).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("up/é ü+x.txt")})
	check(err, "PresignPutObject")
	req, err := http.NewRequest(pp.Method, pp.URL, strings.NewReader("put by URL"))
	check(err, "presigned PUT request")
	for k, v := range pp.SignedHeader {
		if !strings.EqualFold(k, "host") {
			req.Header[k] = v
		}
	}
	resp, err = http.DefaultClient.Do(req)
	check(err, "presigned PUT")
	resp.Body.Close()
	eq("presigned PUT status", resp.StatusCode, 200)
	check(s3.NewObjectExistsWaiter(c).Wait(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("up/é ü+x.txt")}, 30*time.Second, func(o *s3.ObjectExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "ObjectExists waiter")
	uk, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("up/")})
	check(err, "ListObjectsV2 unicode key")
	eq("unicode key", aws.ToString(uk.Contents[0].Key), "up/é ü+x.txt")

	// The s3 manager's Downloader: concurrent ranged GETs sized from Content-Range.
	big := bytes.Repeat([]byte("0123456789abcdef"), 6*1024*1024/16+3)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("big.bin"), Body: bytes.NewReader(big)})
	check(err, "PutObject big")
	buf := manager.NewWriteAtBuffer(nil)
	n, err := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 5 * 1024 * 1024; d.Concurrency = 2 }).
		Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("big.bin")})
	check(err, "manager Download")
	eq("downloaded size", n, len(big))
	expect(bytes.Equal(buf.Bytes(), big), "downloaded bytes differ")

	// Flexible checksums: the SDK computes CRC32 itself; GetObject with ChecksumMode gets it back and validates.
	ck, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("sum.txt"), Body: strings.NewReader(body), ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32})
	check(err, "PutObject CRC32")
	eq("PutObject ChecksumCRC32", aws.ToString(ck.ChecksumCRC32), "sgHzHQ==")
	cgo, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("sum.txt"), ChecksumMode: s3types.ChecksumModeEnabled})
	check(err, "GetObject ChecksumMode")
	got, err = io.ReadAll(cgo.Body)
	check(err, "read checksummed body")
	cgo.Body.Close()
	eq("checksummed body", string(got), body)
	eq("GetObject ChecksumCRC32", aws.ToString(cgo.ChecksumCRC32), "sgHzHQ==")
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("badsum.txt"), Body: strings.NewReader(body), ChecksumCRC32: aws.String("AAAAAA==")})
	expectStatus(err, "PutObject wrong CRC32", "BadDigest", 400, true)

	_, err = c.ListBuckets(ctx, &s3.ListBucketsInput{})
	check(err, "ListBuckets")
	_, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	check(err, "GetBucketVersioning")
	acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String(bucket)})
	check(err, "GetBucketAcl")
	expect(len(acl.Grants) == 1 && acl.Grants[0].Permission == s3types.PermissionFullControl, "bucket ACL grants %+v", acl.Grants)
	_, err = c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt")})
	check(err, "GetObjectAcl")
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"), Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}})
	check(err, "PutObjectTagging")
	tg, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt")})
	check(err, "GetObjectTagging")
	eq("object tags", len(tg.TagSet), 1)
	_, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	check(err, "ListObjectVersions")
	_, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	check(err, "ListMultipartUploads")
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	expectStatus(err, "GetBucketPolicy none", "NoSuchBucketPolicy", 404, true)
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(bucket)})
	expectStatus(err, "GetBucketTagging none", "NoSuchTagSet", 404, true)
	attrs, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"),
		ObjectAttributes: []s3types.ObjectAttributes{s3types.ObjectAttributesEtag, s3types.ObjectAttributesObjectSize}})
	check(err, "GetObjectAttributes")
	eq("ObjectSize", attrs.ObjectSize, len(body))

	// Conditional requests, overrides, odd keys, tagging headers, versioning, lifecycle.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"), IfNoneMatch: put.ETag})
	expectStatus(err, "GetObject If-None-Match", "NotModified", 304, false)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"), IfMatch: aws.String(`"0000"`)})
	expectStatus(err, "GetObject If-Match", "PreconditionFailed", 412, true)
	ov, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.txt"), ResponseContentDisposition: aws.String(`attachment; filename="a b.txt"`), ResponseContentType: aws.String("application/x-go")})
	check(err, "GetObject response overrides")
	ov.Body.Close()
	eq("ContentDisposition override", aws.ToString(ov.ContentDisposition), `attachment; filename="a b.txt"`)
	eq("ContentType override", aws.ToString(ov.ContentType), "application/x-go")
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	check(err, "HeadBucket")
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket + "-missing")})
	expectStatus(err, "HeadBucket missing", "NotFound", 404, false)
	usLoc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
	check(err, "GetBucketLocation us-east-1")
	eq("us-east-1 LocationConstraint", usLoc.LocationConstraint, "")
	odd := "odd/a%2Fb?x=1&y=#z ~!*'()[]{};:@$,"
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(odd), Body: strings.NewReader(""), Tagging: aws.String("team=go&tier=free")})
	check(err, "PutObject odd key, empty body, Tagging header")
	oh, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(odd)})
	check(err, "HeadObject odd key")
	eq("empty ContentLength", oh.ContentLength, 0)
	otg, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(odd)})
	check(err, "GetObjectTagging odd key")
	eq("Tagging header tags", len(otg.TagSet), 2)
	ol, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("odd/"), FetchOwner: true})
	check(err, "ListObjectsV2 odd")
	eq("odd key listed", aws.ToString(ol.Contents[0].Key), odd)
	expect(ol.Contents[0].Owner != nil && aws.ToString(ol.Contents[0].Owner.ID) != "", "FetchOwner owner %+v", ol.Contents[0].Owner)
	sa, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("dir/"), StartAfter: aws.String("dir/k1")})
	check(err, "ListObjectsV2 StartAfter")
	eq("StartAfter first", aws.ToString(sa.Contents[0].Key), "dir/k2")
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("md5.txt"), Body: strings.NewReader(body), ContentMD5: aws.String("AAAAAAAAAAAAAAAAAAAAAA==")})
	expectStatus(err, "PutObject wrong Content-MD5", "BadDigest", 400, true)

	vb := bucket + "-ver"
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(vb)})
	check(err, "CreateBucket versioned")
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(vb), VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	check(err, "PutBucketVersioning")
	v1, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(vb), Key: aws.String("k"), Body: strings.NewReader("one")})
	check(err, "PutObject v1")
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(vb), Key: aws.String("k"), Body: strings.NewReader("two")})
	check(err, "PutObject v2")
	dm, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(vb), Key: aws.String("k")})
	check(err, "DeleteObject versioned")
	expect(dm.DeleteMarker, "DeleteObject DeleteMarker false")
	lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(vb)})
	check(err, "ListObjectVersions")
	eq("versions", len(lv.Versions), 2)
	eq("delete markers", len(lv.DeleteMarkers), 1)
	expect(lv.DeleteMarkers[0].IsLatest, "delete marker not latest")
	old1, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(vb), Key: aws.String("k"), VersionId: v1.VersionId})
	check(err, "GetObject VersionId")
	got, _ = io.ReadAll(old1.Body)
	old1.Body.Close()
	eq("old version body", string(got), "one")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(vb), Key: aws.String("k")})
	expectErr[*s3types.NoSuchKey](err, "GetObject behind a delete marker", "NoSuchKey", 404)

	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(vb), LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
		ID: aws.String("expire-logs"), Status: s3types.ExpirationStatusEnabled, Filter: &s3types.LifecycleRuleFilterMemberPrefix{Value: "logs/"},
		Expiration: &s3types.LifecycleExpiration{Days: 30}, NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: 7},
	}}}})
	check(err, "PutBucketLifecycleConfiguration")
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(vb)})
	check(err, "GetBucketLifecycleConfiguration")
	eq("lifecycle rules", len(lc.Rules), 1)
	pf, ok := lc.Rules[0].Filter.(*s3types.LifecycleRuleFilterMemberPrefix)
	expect(ok && pf.Value == "logs/", "lifecycle filter %#v", lc.Rules[0].Filter)
	eq("expiration days", lc.Rules[0].Expiration.Days, 30)

	del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{
		{Key: aws.String("dir/k0")}, {Key: aws.String("dir/k1")}, {Key: aws.String("never-existed")},
	}}})
	check(err, "DeleteObjects")
	var deleted []string
	for _, d := range del.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	sort.Strings(deleted)
	eq("DeleteObjects Deleted", deleted, []string{"dir/k0", "dir/k1", "never-existed"})
	eq("DeleteObjects Errors", len(del.Errors), 0)
	after, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	check(err, "ListObjectsV2 after delete")
	eq("KeyCount after delete", after.KeyCount, 8)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	expectAPIError(err, "DeleteBucket not empty", "BucketNotEmpty", 409)

	// Teardown: empty the bucket through the paginator and DeleteObjects, then delete it.
	lp := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		check(err, "ListObjectsV2 teardown")
		var ids []s3types.ObjectIdentifier
		for _, o := range page.Contents {
			ids = append(ids, s3types.ObjectIdentifier{Key: o.Key})
		}
		if len(ids) > 0 {
			_, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: ids, Quiet: true}})
			check(err, "DeleteObjects teardown")
		}
	}
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	check(err, "DeleteBucket")
	check(s3.NewBucketNotExistsWaiter(c).Wait(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}, 30*time.Second, func(o *s3.BucketNotExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "BucketNotExists waiter")
}

// ---------------------------------------------------------------------------------------------------- EC2

// defaultSubnet returns a subnet of the default VPC (ECS awsvpc tasks and EFS mount targets need one).
func defaultSubnet() (subnet, vpc string) {
	c := ec2.NewFromConfig(cfg)
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	check(err, "DescribeSubnets default-for-az")
	expect(len(out.Subnets) > 0, "no default subnets")
	return aws.ToString(out.Subnets[0].SubnetId), aws.ToString(out.Subnets[0].VpcId)
}

func runEC2() {
	c := ec2.NewFromConfig(cfg)
	dv, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	check(err, "DescribeVpcs")
	eq("default VPCs", len(dv.Vpcs), 1)
	eq("default VPC CIDR", aws.ToString(dv.Vpcs[0].CidrBlock), "172.31.0.0/16")
	expect(dv.Vpcs[0].IsDefault != nil && *dv.Vpcs[0].IsDefault, "default VPC IsDefault")

	cv, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.42.0.0/16"), TagSpecifications: []ec2types.TagSpecification{
		{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("go-vpc")}}},
	}})
	check(err, "CreateVpc")
	vpcID := aws.ToString(cv.Vpc.VpcId)
	expect(strings.HasPrefix(vpcID, "vpc-"), "VpcId %q", vpcID)
	cs, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.42.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	check(err, "CreateSubnet")
	subnetID := aws.ToString(cs.Subnet.SubnetId)
	eq("subnet AZ", aws.ToString(cs.Subnet.AvailabilityZone), "us-east-1a")
	eq("subnet free addresses", aws.ToInt32(cs.Subnet.AvailableIpAddressCount), 251)
	_, err = c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.42.1.0/24")})
	expectAPIError(err, "CreateSubnet overlapping", "InvalidSubnet.Conflict", 400)

	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("go-sg"), Description: aws.String("from Go"), VpcId: aws.String(vpcID)})
	check(err, "CreateSecurityGroup")
	sgID := aws.ToString(sg.GroupId)
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sgID), IpPermissions: []ec2types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
	}})
	check(err, "AuthorizeSecurityGroupIngress")
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sgID), IpPermissions: []ec2types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
	}})
	expectAPIError(err, "AuthorizeSecurityGroupIngress duplicate", "InvalidPermission.Duplicate", 400)
	dsg, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{sgID}})
	check(err, "DescribeSecurityGroups")
	eq("ingress rules", len(dsg.SecurityGroups[0].IpPermissions), 1)
	eq("ingress port", aws.ToInt32(dsg.SecurityGroups[0].IpPermissions[0].FromPort), 443)

	ri, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(2), MaxCount: aws.Int32(2), SubnetId: aws.String(subnetID), SecurityGroupIds: []string{sgID}})
	check(err, "RunInstances")
	eq("instances launched", len(ri.Instances), 2)
	ids := []string{aws.ToString(ri.Instances[0].InstanceId), aws.ToString(ri.Instances[1].InstanceId)}
	expect(strings.HasPrefix(aws.ToString(ri.Instances[0].PrivateIpAddress), "10.42.1."), "PrivateIpAddress %v", aws.ToString(ri.Instances[0].PrivateIpAddress))
	check(ec2.NewInstanceRunningWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}, 2*time.Minute, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "InstanceRunning waiter")

	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: ids[:1], Tags: []ec2types.Tag{{Key: aws.String("role"), Value: aws.String("web")}}})
	check(err, "CreateTags")
	di, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:role"), Values: []string{"web"}},
		{Name: aws.String("instance-state-name"), Values: []string{"running"}},
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
	}})
	check(err, "DescribeInstances filtered")
	var found []string
	for _, r := range di.Reservations {
		for _, i := range r.Instances {
			found = append(found, aws.ToString(i.InstanceId))
			eq("instance state", i.State.Name, ec2types.InstanceStateNameRunning)
		}
	}
	eq("filtered instances", found, ids[:1])
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	expectAPIError(err, "DescribeInstances unknown id", "InvalidInstanceID.NotFound", 400)

	// Stop/start with their waiters, user data and attributes, a key pair, a volume attached and detached.
	_, err = c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[1:]})
	check(err, "StopInstances")
	check(ec2.NewInstanceStoppedWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids[1:]}, 2*time.Minute, func(o *ec2.InstanceStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "InstanceStopped waiter")
	_, err = c.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(ids[1]), InstanceType: &ec2types.AttributeValue{Value: aws.String("t3.small")}})
	check(err, "ModifyInstanceAttribute")
	it, err := c.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(ids[1]), Attribute: ec2types.InstanceAttributeNameInstanceType})
	check(err, "DescribeInstanceAttribute instanceType")
	eq("modified type", aws.ToString(it.InstanceType.Value), "t3.small")
	_, err = c.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: ids[1:]})
	check(err, "StartInstances")
	check(ec2.NewInstanceStatusOkWaiter(c).Wait(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: ids[1:]}, 2*time.Minute, func(o *ec2.InstanceStatusOkWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "InstanceStatusOk waiter")

	kp, err := c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("go-key-" + vpcID)})
	check(err, "CreateKeyPair")
	expect(strings.Contains(aws.ToString(kp.KeyMaterial), "PRIVATE KEY"), "KeyMaterial %.40q", aws.ToString(kp.KeyMaterial))
	_, err = c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: kp.KeyName})
	expectAPIError(err, "CreateKeyPair again", "InvalidKeyPair.Duplicate", 400)
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho go\n"))
	ud, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: aws.String(subnetID), KeyName: kp.KeyName, UserData: aws.String(userData),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("go-ud")}}}}})
	check(err, "RunInstances with user data")
	udID := aws.ToString(ud.Instances[0].InstanceId)
	ids = append(ids, udID)
	eq("key name", aws.ToString(ud.Instances[0].KeyName), aws.ToString(kp.KeyName))
	ua, err := c.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(udID), Attribute: ec2types.InstanceAttributeNameUserData})
	check(err, "DescribeInstanceAttribute userData")
	eq("user data", aws.ToString(ua.UserData.Value), userData)

	vol, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(8), VolumeType: ec2types.VolumeTypeGp3})
	check(err, "CreateVolume")
	check(ec2.NewVolumeAvailableWaiter(c).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{aws.ToString(vol.VolumeId)}}, time.Minute, func(o *ec2.VolumeAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "VolumeAvailable waiter")
	check(ec2.NewInstanceRunningWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{udID}}, 2*time.Minute, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "InstanceRunning waiter (user data)")
	_, err = c.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: vol.VolumeId, InstanceId: aws.String(udID), Device: aws.String("/dev/sdf")})
	check(err, "AttachVolume")
	check(ec2.NewVolumeInUseWaiter(c).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{aws.ToString(vol.VolumeId)}}, time.Minute, func(o *ec2.VolumeInUseWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "VolumeInUse waiter")
	_, err = c.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: vol.VolumeId})
	expectAPIError(err, "DeleteVolume attached", "VolumeInUse", 400)

	// DescribeInstances paginated (MaxResults 5 is EC2's minimum).
	var pagedIDs []string
	dp := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5), Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}})
	for dp.HasMorePages() {
		page, err := dp.NextPage(ctx)
		check(err, "DescribeInstances page")
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				pagedIDs = append(pagedIDs, aws.ToString(i.InstanceId))
			}
		}
	}
	sort.Strings(pagedIDs)
	want := append([]string(nil), ids...)
	sort.Strings(want)
	eq("paged instances", pagedIDs, want)

	ti, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids})
	check(err, "TerminateInstances")
	eq("terminating", len(ti.TerminatingInstances), 3)
	eq("previous state", ti.TerminatingInstances[0].PreviousState.Name, ec2types.InstanceStateNameRunning)
	check(ec2.NewInstanceTerminatedWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}, 2*time.Minute, func(o *ec2.InstanceTerminatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "InstanceTerminated waiter")
	// Read operations the Go decoders must accept.
	for what, call := range map[string]func() error{
		"DescribeInstances": func() error { _, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); return err },
		"DescribeInstanceStatus": func() error {
			_, err := c.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true)})
			return err
		},
		"DescribeSecurityGroups": func() error { _, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{}); return err },
		"DescribeSecurityGroupRules": func() error {
			_, err := c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{})
			return err
		},
		"DescribeRouteTables": func() error { _, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{}); return err },
		"DescribeNetworkInterfaces": func() error {
			_, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
			return err
		},
		"DescribeInternetGateways": func() error {
			_, err := c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{})
			return err
		},
		"DescribeNetworkAcls": func() error { _, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{}); return err },
		"DescribeAvailabilityZones": func() error {
			_, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
			return err
		},
		"DescribeRegions":  func() error { _, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); return err },
		"DescribeVolumes":  func() error { _, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{}); return err },
		"DescribeKeyPairs": func() error { _, err := c.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}); return err },
		"DescribeTags":     func() error { _, err := c.DescribeTags(ctx, &ec2.DescribeTagsInput{}); return err },
		"DescribeAccountAttributes": func() error {
			_, err := c.DescribeAccountAttributes(ctx, &ec2.DescribeAccountAttributesInput{})
			return err
		},
		"DescribeDhcpOptions": func() error { _, err := c.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{}); return err },
		"DescribeAddresses":   func() error { _, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}); return err },
		"DescribeImages": func() error {
			_, err := c.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-0123456789abcdef0"}})
			return err
		},
		"DescribeInstanceTypes": func() error {
			_, err := c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{ec2types.InstanceTypeT3Micro, ec2types.InstanceTypeM5Large}})
			return err
		},
		"DescribeInstanceAttribute": func() error {
			_, err := c.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(ids[0]), Attribute: ec2types.InstanceAttributeNameInstanceType})
			return err
		},
	} {
		check(call(), what)
	}

	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)})
	expectAPIError(err, "DeleteVpc with subnet", "DependencyViolation", 400)
}

// ---------------------------------------------------------------------------------------------------- ECS

func runECS() {
	c := ecs.NewFromConfig(cfg)
	subnet, _ := defaultSubnet()
	cluster := "go-cluster-" + suffix()
	cc, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(cluster)})
	check(err, "CreateCluster")
	eq("cluster status", aws.ToString(cc.Cluster.Status), "ACTIVE")
	eq("cluster arn", aws.ToString(cc.Cluster.ClusterArn), "arn:aws:ecs:us-east-1:"+account+":cluster/"+cluster)

	td, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("go-web"), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx:latest"), Essential: aws.Bool(true),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}}},
	})
	check(err, "RegisterTaskDefinition")
	tdArn := aws.ToString(td.TaskDefinition.TaskDefinitionArn)
	expect(strings.HasPrefix(tdArn, "arn:aws:ecs:us-east-1:"+account+":task-definition/go-web:"), "task definition arn %s", tdArn)

	rt, err := c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: aws.String(tdArn), LaunchType: ecstypes.LaunchTypeFargate, Count: aws.Int32(2),
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
	check(err, "RunTask")
	eq("RunTask failures", len(rt.Failures), 0)
	eq("RunTask tasks", len(rt.Tasks), 2)
	arns := []string{aws.ToString(rt.Tasks[0].TaskArn), aws.ToString(rt.Tasks[1].TaskArn)}
	check(ecs.NewTasksRunningWaiter(c).Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: arns}, 2*time.Minute, func(o *ecs.TasksRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "TasksRunning waiter")
	dt, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: arns})
	check(err, "DescribeTasks")
	for _, t := range dt.Tasks {
		eq("task status", aws.ToString(t.LastStatus), "RUNNING")
		eq("task launch type", t.LaunchType, ecstypes.LaunchTypeFargate)
		expect(len(t.Attachments) == 1 && aws.ToString(t.Attachments[0].Type) == "ElasticNetworkInterface", "task ENI attachment %+v", t.Attachments)
		var subnetSeen bool
		for _, d := range t.Attachments[0].Details {
			if aws.ToString(d.Name) == "subnetId" {
				subnetSeen = aws.ToString(d.Value) == subnet
			}
		}
		expect(subnetSeen, "task ENI not in subnet %s", subnet)
	}
	_, err = c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(cluster), Task: aws.String(arns[0]), Reason: aws.String("go says stop")})
	check(err, "StopTask")
	check(ecs.NewTasksStoppedWaiter(c).Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: arns[:1]}, 2*time.Minute, func(o *ecs.TasksStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "TasksStopped waiter")
	st, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: arns[:1]})
	check(err, "DescribeTasks stopped")
	eq("stopped reason", aws.ToString(st.Tasks[0].StoppedReason), "go says stop")
	eq("stop code", st.Tasks[0].StopCode, ecstypes.TaskStopCodeUserInitiated)

	var listed []string
	p := ecs.NewListTasksPaginator(c, &ecs.ListTasksInput{Cluster: aws.String(cluster), MaxResults: aws.Int32(1)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		check(err, "ListTasks page")
		pages++
		listed = append(listed, page.TaskArns...)
	}
	eq("ListTasks running", listed, arns[1:])
	expect(pages >= 1, "ListTasks pages %d", pages)
	stopped, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(cluster), DesiredStatus: ecstypes.DesiredStatusStopped})
	check(err, "ListTasks STOPPED")
	eq("ListTasks stopped", stopped.TaskArns, arns[:1])

	// A service: the ServicesStable waiter, a scale-down, the ServicesInactive waiter after DeleteService.
	svc, err := c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(cluster), ServiceName: aws.String("go-svc"), TaskDefinition: aws.String(tdArn),
		DesiredCount: aws.Int32(2), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}}}})
	check(err, "CreateService")
	eq("service status", aws.ToString(svc.Service.Status), "ACTIVE")
	stable := func(what string) {
		check(ecs.NewServicesStableWaiter(c).Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"go-svc"}}, 2*time.Minute, func(o *ecs.ServicesStableWaiterOptions) {
			o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
		}), what)
	}
	stable("ServicesStable waiter")
	ds, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"go-svc", "go-no-such-svc"}})
	check(err, "DescribeServices")
	eq("running count", ds.Services[0].RunningCount, 2)
	eq("deployments", len(ds.Services[0].Deployments), 1)
	eq("DescribeServices failures", len(ds.Failures), 1)
	eq("failure reason", aws.ToString(ds.Failures[0].Reason), "MISSING")
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String("go-svc"), DesiredCount: aws.Int32(0)})
	check(err, "UpdateService")
	stable("ServicesStable waiter after scale-down")
	_, err = c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String(cluster), Service: aws.String("go-svc")})
	check(err, "DeleteService")
	check(ecs.NewServicesInactiveWaiter(c).Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"go-svc"}}, 2*time.Minute, func(o *ecs.ServicesInactiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "ServicesInactive waiter")
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String("go-no-such-svc"), DesiredCount: aws.Int32(1)})
	expectErr[*ecstypes.ServiceNotFoundException](err, "UpdateService missing", "ServiceNotFoundException", 400)

	_, err = c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("go-no-such-cluster")})
	expectErr[*ecstypes.ClusterNotFoundException](err, "ListTasks missing cluster", "ClusterNotFoundException", 400)
	_, err = c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: aws.String("go-no-such-family")})
	expectErr[*ecstypes.ClientException](err, "RunTask missing task definition", "ClientException", 400)
	// Read operations the Go decoders must accept (strict types: an integer sent as a float fails them).
	dc, err := c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{cluster}, Include: []ecstypes.ClusterField{ecstypes.ClusterFieldSettings, ecstypes.ClusterFieldStatistics, ecstypes.ClusterFieldTags}})
	check(err, "DescribeClusters")
	eq("cluster running tasks", dc.Clusters[0].RunningTasksCount, 1)
	dtd, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(tdArn), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
	check(err, "DescribeTaskDefinition")
	eq("container port", aws.ToInt32(dtd.TaskDefinition.ContainerDefinitions[0].PortMappings[0].ContainerPort), 80)
	_, err = c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("go-web")})
	check(err, "ListTaskDefinitions")
	_, err = c.ListClusters(ctx, &ecs.ListClustersInput{})
	check(err, "ListClusters")
	_, err = c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String(cluster)})
	check(err, "ListServices")
	_, err = c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{EffectiveSettings: true})
	check(err, "ListAccountSettings")
	_, err = c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{})
	check(err, "DescribeCapacityProviders")
	_, err = c.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String(cluster)})
	check(err, "ListContainerInstances")
	_, err = c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: cc.Cluster.ClusterArn})
	check(err, "ECS ListTagsForResource")

	_, err = c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(cluster)})
	expectErr[*ecstypes.ClusterContainsTasksException](err, "DeleteCluster with tasks", "ClusterContainsTasksException", 400)
	_, err = c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(cluster), Task: aws.String(arns[1])})
	check(err, "StopTask second")
	check(ecs.NewTasksStoppedWaiter(c).Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: arns}, 2*time.Minute, func(o *ecs.TasksStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "TasksStopped waiter (all)")
	_, err = c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(tdArn)})
	check(err, "DeregisterTaskDefinition")
	dcl, err := c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(cluster)})
	check(err, "DeleteCluster")
	eq("deleted cluster status", aws.ToString(dcl.Cluster.Status), "INACTIVE")
}

// ---------------------------------------------------------------------------------------------------- ECR

func runECR() {
	c := ecr.NewFromConfig(cfg)
	repo := "go/app-" + suffix()
	cr, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(repo)})
	check(err, "CreateRepository")
	eq("repository arn", aws.ToString(cr.Repository.RepositoryArn), "arn:aws:ecr:us-east-1:"+account+":repository/"+repo)
	expect(strings.HasSuffix(aws.ToString(cr.Repository.RepositoryUri), "/"+repo), "RepositoryUri %s", aws.ToString(cr.Repository.RepositoryUri))
	_, err = c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(repo)})
	expectErr[*ecrtypes.RepositoryAlreadyExistsException](err, "CreateRepository again", "RepositoryAlreadyExistsException", 400)

	manifest := `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",` +
		`"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"sha256:` + strings.Repeat("a", 64) + `"},` +
		`"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":100,"digest":"sha256:` + strings.Repeat("b", 64) + `"}]}`
	pi, err := c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest), ImageTag: aws.String("v1")})
	check(err, "PutImage")
	digest := aws.ToString(pi.Image.ImageId.ImageDigest)
	expect(strings.HasPrefix(digest, "sha256:") && len(digest) == 71, "image digest %q", digest)
	_, err = c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest), ImageTag: aws.String("v1")})
	expectErr[*ecrtypes.ImageAlreadyExistsException](err, "PutImage same tag and manifest", "ImageAlreadyExistsException", 400)

	di, err := c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String(repo)})
	check(err, "DescribeImages")
	eq("images", len(di.ImageDetails), 1)
	eq("image digest", aws.ToString(di.ImageDetails[0].ImageDigest), digest)
	eq("image tags", di.ImageDetails[0].ImageTags, []string{"v1"})
	eq("image size", aws.ToInt64(di.ImageDetails[0].ImageSizeInBytes), 107)
	expect(di.ImageDetails[0].ImagePushedAt != nil && time.Since(*di.ImageDetails[0].ImagePushedAt) < time.Hour, "ImagePushedAt %v", di.ImageDetails[0].ImagePushedAt)
	bg, err := c.BatchGetImage(ctx, &ecr.BatchGetImageInput{RepositoryName: aws.String(repo), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("v1")}}})
	check(err, "BatchGetImage")
	eq("BatchGetImage manifest", aws.ToString(bg.Images[0].ImageManifest), manifest)

	_, err = c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String(repo), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("nope")}}})
	expectErr[*ecrtypes.ImageNotFoundException](err, "DescribeImages missing tag", "ImageNotFoundException", 400)
	_, err = c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("go/no-such-repo")})
	expectErr[*ecrtypes.RepositoryNotFoundException](err, "DescribeImages missing repository", "RepositoryNotFoundException", 400)

	_, err = c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{repo}})
	check(err, "DescribeRepositories")
	li, err := c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String(repo)})
	check(err, "ListImages")
	eq("ListImages", len(li.ImageIds), 1)
	_, err = c.DescribeRegistry(ctx, &ecr.DescribeRegistryInput{})
	check(err, "DescribeRegistry")
	_, err = c.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String(repo)})
	expectErr[*ecrtypes.LifecyclePolicyNotFoundException](err, "GetLifecyclePolicy none", "LifecyclePolicyNotFoundException", 400)
	_, err = c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String(repo)})
	expectErr[*ecrtypes.RepositoryPolicyNotFoundException](err, "GetRepositoryPolicy none", "RepositoryPolicyNotFoundException", 400)
	_, err = c.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: cr.Repository.RepositoryArn})
	check(err, "ECR ListTagsForResource")

	// A layer pushed through the API (blobs travel base64 in JSON), found by digest, downloaded by its URL.
	layer := bytes.Repeat([]byte("go layer "), 1000)
	layerDigest := fmt.Sprintf("sha256:%x", sha256.Sum256(layer))
	bc, err := c.BatchCheckLayerAvailability(ctx, &ecr.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String(repo), LayerDigests: []string{layerDigest}})
	check(err, "BatchCheckLayerAvailability before")
	eq("layer failures before", len(bc.Failures), 1)
	eq("failure code", bc.Failures[0].FailureCode, ecrtypes.LayerFailureCodeMissingLayerDigest)
	iu, err := c.InitiateLayerUpload(ctx, &ecr.InitiateLayerUploadInput{RepositoryName: aws.String(repo)})
	check(err, "InitiateLayerUpload")
	// Parts but the last must be at least 5 MiB: a small layer goes up as one part.
	for _, part := range [][2]int64{{0, int64(len(layer)) - 1}} {
		_, err = c.UploadLayerPart(ctx, &ecr.UploadLayerPartInput{RepositoryName: aws.String(repo), UploadId: iu.UploadId, PartFirstByte: aws.Int64(part[0]), PartLastByte: aws.Int64(part[1]),
			LayerPartBlob: layer[part[0] : part[1]+1]})
		check(err, "UploadLayerPart")
	}
	cl, err := c.CompleteLayerUpload(ctx, &ecr.CompleteLayerUploadInput{RepositoryName: aws.String(repo), UploadId: iu.UploadId, LayerDigests: []string{layerDigest}})
	check(err, "CompleteLayerUpload")
	eq("completed digest", aws.ToString(cl.LayerDigest), layerDigest)
	bc, err = c.BatchCheckLayerAvailability(ctx, &ecr.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String(repo), LayerDigests: []string{layerDigest}})
	check(err, "BatchCheckLayerAvailability after")
	expect(len(bc.Layers) == 1 && bc.Layers[0].LayerAvailability == ecrtypes.LayerAvailabilityAvailable && aws.ToInt64(bc.Layers[0].LayerSize) == int64(len(layer)), "layers %+v failures %+v", bc.Layers, bc.Failures)
	dl, err := c.GetDownloadUrlForLayer(ctx, &ecr.GetDownloadUrlForLayerInput{RepositoryName: aws.String(repo), LayerDigest: aws.String(layerDigest)})
	check(err, "GetDownloadUrlForLayer")
	lr, err := http.Get(aws.ToString(dl.DownloadUrl))
	check(err, "download layer")
	got, _ := io.ReadAll(lr.Body)
	lr.Body.Close()
	eq("layer download status", lr.StatusCode, 200)
	expect(bytes.Equal(got, layer), "downloaded layer differs (%d bytes)", len(got))
	_, err = c.GetDownloadUrlForLayer(ctx, &ecr.GetDownloadUrlForLayerInput{RepositoryName: aws.String(repo), LayerDigest: aws.String("sha256:" + strings.Repeat("0", 64))})
	expectErr[*ecrtypes.LayersNotFoundException](err, "GetDownloadUrlForLayer missing", "LayersNotFoundException", 400)
	_, err = c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String(repo)})
	expectErr[*ecrtypes.RepositoryNotEmptyException](err, "DeleteRepository with images", "RepositoryNotEmptyException", 400)

	tok, err := c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	check(err, "GetAuthorizationToken")
	eq("authorization data", len(tok.AuthorizationData), 1)
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(tok.AuthorizationData[0].AuthorizationToken))
	check(err, "decode authorization token")
	expect(strings.HasPrefix(string(raw), "AWS:") && len(raw) > 4, "authorization token %q", raw)
	expect(tok.AuthorizationData[0].ExpiresAt != nil && tok.AuthorizationData[0].ExpiresAt.After(time.Now().Add(11*time.Hour)), "ExpiresAt %v", tok.AuthorizationData[0].ExpiresAt)
	expect(strings.HasPrefix(aws.ToString(tok.AuthorizationData[0].ProxyEndpoint), "http"), "ProxyEndpoint %q", aws.ToString(tok.AuthorizationData[0].ProxyEndpoint))
	// The registry API with that token (what docker login and registry clients do), on awsim's own port.
	req, err := http.NewRequest("GET", endpoint+"/v2/"+repo+"/manifests/v1", nil)
	check(err, "registry request")
	req.Header.Set("Authorization", "Basic "+aws.ToString(tok.AuthorizationData[0].AuthorizationToken))
	req.Header.Set("Accept", "application/vnd.docker.distribution.manifest.v2+json")
	rr, err := http.DefaultClient.Do(req)
	check(err, "registry GET manifest")
	got, _ = io.ReadAll(rr.Body)
	rr.Body.Close()
	eq("registry status", rr.StatusCode, 200)
	eq("registry manifest", string(got), manifest)
	eq("registry digest", rr.Header.Get("Docker-Content-Digest"), digest)
	_, err = c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String(repo), Force: true})
	check(err, "DeleteRepository force")
	_, err = c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{repo}})
	expectErr[*ecrtypes.RepositoryNotFoundException](err, "DescribeRepositories deleted", "RepositoryNotFoundException", 400)
}

// ---------------------------------------------------------------------------------------------------- Logs

func runLogs() {
	c := cloudwatchlogs.NewFromConfig(cfg)
	group := "/go/app-" + suffix()
	_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	check(err, "CreateLogGroup")
	_, err = c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	expectErr[*logstypes.ResourceAlreadyExistsException](err, "CreateLogGroup again", "ResourceAlreadyExistsException", 400)
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1")})
	check(err, "CreateLogStream")
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group + "-missing"), LogStreamName: aws.String("s1")})
	expectErr[*logstypes.ResourceNotFoundException](err, "CreateLogStream missing group", "ResourceNotFoundException", 400)

	now := time.Now().UnixMilli()
	var events []logstypes.InputLogEvent
	for i := 0; i < 6; i++ {
		level := "INFO"
		if i%2 == 1 {
			level = "ERROR"
		}
		events = append(events, logstypes.InputLogEvent{Timestamp: aws.Int64(now - int64(6-i)*1000), Message: aws.String(fmt.Sprintf("%s event %d", level, i))})
	}
	_, err = c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1"), LogEvents: events})
	check(err, "PutLogEvents")

	ge, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1"), StartFromHead: aws.Bool(true)})
	check(err, "GetLogEvents")
	eq("GetLogEvents count", len(ge.Events), 6)
	eq("first event", aws.ToString(ge.Events[0].Message), "INFO event 0")
	eq("first timestamp", aws.ToInt64(ge.Events[0].Timestamp), now-6000)
	expect(strings.HasPrefix(aws.ToString(ge.NextForwardToken), "f/"), "NextForwardToken %q", aws.ToString(ge.NextForwardToken))

	// The Go idiom for GetLogEvents: follow NextForwardToken until it comes back unchanged.
	var paged []string
	token := (*string)(nil)
	for i := 0; ; i++ {
		expect(i < 20, "GetLogEvents forward tokens never repeat")
		page, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1"), StartFromHead: aws.Bool(true), Limit: aws.Int32(4), NextToken: token})
		check(err, "GetLogEvents page")
		for _, e := range page.Events {
			paged = append(paged, aws.ToString(e.Message))
		}
		if token != nil && aws.ToString(page.NextForwardToken) == aws.ToString(token) {
			break
		}
		token = page.NextForwardToken
	}
	eq("GetLogEvents paged", len(paged), 6)
	eq("GetLogEvents paged last", paged[5], "ERROR event 5")
	old, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1"),
		LogEvents: []logstypes.InputLogEvent{{Timestamp: aws.Int64(now - 15*24*3600*1000), Message: aws.String("too old")}}})
	check(err, "PutLogEvents too old")
	// An exclusive end: AWS answers one too-old event with {"tooOldLogEventEndIndex":1} (aws/aws-for-fluent-bit#523).
	expect(old.RejectedLogEventsInfo != nil && old.RejectedLogEventsInfo.TooOldLogEventEndIndex != nil && *old.RejectedLogEventsInfo.TooOldLogEventEndIndex == 1, "RejectedLogEventsInfo %+v", old.RejectedLogEventsInfo)

	var msgs []string
	p := cloudwatchlogs.NewFilterLogEventsPaginator(c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), FilterPattern: aws.String("ERROR"), Limit: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		check(err, "FilterLogEvents page")
		pages++
		for _, e := range page.Events {
			msgs = append(msgs, aws.ToString(e.Message))
		}
		expect(pages < 20, "FilterLogEvents does not end")
	}
	eq("FilterLogEvents ERROR", msgs, []string{"ERROR event 1", "ERROR event 3", "ERROR event 5"})
	expect(pages >= 2, "FilterLogEvents Limit 2 gave %d page(s)", pages)

	sq, err := c.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String(group), StartTime: aws.Int64(now/1000 - 60), EndTime: aws.Int64(now/1000 + 60),
		QueryString: aws.String("fields @message | filter @message like /ERROR/ | stats count(*) as n")})
	check(err, "StartQuery")
	var res *cloudwatchlogs.GetQueryResultsOutput
	poll("GetQueryResults Complete", 30*time.Second, func() bool {
		res, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
		check(err, "GetQueryResults")
		expect(res.Status != logstypes.QueryStatusFailed, "query failed")
		return res.Status == logstypes.QueryStatusComplete
	})
	eq("query rows", len(res.Results), 1)
	var n string
	for _, f := range res.Results[0] {
		if aws.ToString(f.Field) == "n" {
			n = aws.ToString(f.Value)
		}
	}
	eq("query count", n, "3")
	dg, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(group)})
	check(err, "DescribeLogGroups")
	eq("log groups", len(dg.LogGroups), 1)
	eq("stored bytes", dg.LogGroups[0].StoredBytes != nil, true)
	dls, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group)})
	check(err, "DescribeLogStreams")
	eq("last event", aws.ToInt64(dls.LogStreams[0].LastEventTimestamp), now-1000)
	_, err = c.DescribeQueries(ctx, &cloudwatchlogs.DescribeQueriesInput{LogGroupName: aws.String(group)})
	check(err, "DescribeQueries")
	_, err = c.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String("errors"), FilterPattern: aws.String("ERROR"),
		MetricTransformations: []logstypes.MetricTransformation{{MetricName: aws.String("Errors"), MetricNamespace: aws.String("Go"), MetricValue: aws.String("1"), DefaultValue: aws.Float64(0)}}})
	check(err, "PutMetricFilter")
	mf, err := c.DescribeMetricFilters(ctx, &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(group)})
	check(err, "DescribeMetricFilters")
	eq("metric filter default", aws.ToFloat64(mf.MetricFilters[0].MetricTransformations[0].DefaultValue), 0)
	_, err = c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(7)})
	check(err, "PutRetentionPolicy")
	_, err = c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(8)})
	expectErr[*logstypes.InvalidParameterException](err, "PutRetentionPolicy 8 days", "InvalidParameterException", 400)
	_, err = c.DescribeSubscriptionFilters(ctx, &cloudwatchlogs.DescribeSubscriptionFiltersInput{LogGroupName: aws.String(group)})
	check(err, "DescribeSubscriptionFilters")
	_, err = c.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String(group)})
	check(err, "ListTagsLogGroup")

	_, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: aws.String("00000000-0000-0000-0000-000000000000")})
	expectErr[*logstypes.ResourceNotFoundException](err, "GetQueryResults unknown id", "ResourceNotFoundException", 400)
	_, err = c.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s1")})
	check(err, "DeleteLogStream")
	_, err = c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
	check(err, "DeleteLogGroup")
	_, err = c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
	expectErr[*logstypes.ResourceNotFoundException](err, "DeleteLogGroup again", "ResourceNotFoundException", 400)
}

// ---------------------------------------------------------------------------------------------------- Cloud Map

func waitOperation(c *servicediscovery.Client, id *string) *sdtypes.Operation {
	var op *sdtypes.Operation
	poll("GetOperation SUCCESS", 30*time.Second, func() bool {
		out, err := c.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: id})
		check(err, "GetOperation")
		op = out.Operation
		expect(op.Status != sdtypes.OperationStatusFail, "operation failed: %s", aws.ToString(op.ErrorMessage))
		return op.Status == sdtypes.OperationStatusSuccess
	})
	return op
}

func runServiceDiscovery() {
	_, vpc := defaultSubnet()
	c := servicediscovery.NewFromConfig(cfg)
	ns := "go" + suffix() + ".local"
	cn, err := c.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String(ns), Vpc: aws.String(vpc), CreatorRequestId: aws.String("go-" + ns)})
	check(err, "CreatePrivateDnsNamespace")
	op := waitOperation(c, cn.OperationId)
	eq("operation type", op.Type, sdtypes.OperationTypeCreateNamespace)
	nsID := op.Targets["NAMESPACE"]
	expect(strings.HasPrefix(nsID, "ns-"), "namespace target %q", nsID)
	gn, err := c.GetNamespace(ctx, &servicediscovery.GetNamespaceInput{Id: aws.String(nsID)})
	check(err, "GetNamespace")
	eq("namespace name", aws.ToString(gn.Namespace.Name), ns)
	eq("namespace type", gn.Namespace.Type, sdtypes.NamespaceTypeDnsPrivate)
	_, err = c.GetNamespace(ctx, &servicediscovery.GetNamespaceInput{Id: aws.String("ns-aaaaaaaaaaaaaaaa")})
	expectErr[*sdtypes.NamespaceNotFound](err, "GetNamespace missing", "NamespaceNotFound", 400)

	cs, err := c.CreateService(ctx, &servicediscovery.CreateServiceInput{Name: aws.String("api"), NamespaceId: aws.String(nsID),
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}, RoutingPolicy: sdtypes.RoutingPolicyMultivalue}})
	check(err, "CreateService")
	svcID := aws.ToString(cs.Service.Id)
	_, err = c.CreateService(ctx, &servicediscovery.CreateServiceInput{Name: aws.String("api"), NamespaceId: aws.String(nsID),
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}}})
	sae := expectErr[*sdtypes.ServiceAlreadyExists](err, "CreateService again", "ServiceAlreadyExists", 400)
	eq("ServiceAlreadyExists.ServiceId", aws.ToString(sae.ServiceId), svcID)
	// The same name again in the same VPC is accepted; its operation fails as Route 53 refuses the zone.
	again, err := c.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String(ns), Vpc: aws.String(vpc), CreatorRequestId: aws.String("go-other-" + ns)})
	check(err, "CreatePrivateDnsNamespace again")
	failed, err := c.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: again.OperationId})
	check(err, "GetOperation of the overlapping namespace")
	eq("overlapping namespace operation", failed.Operation.Status, sdtypes.OperationStatusFail)
	eq("overlapping namespace error code", aws.ToString(failed.Operation.ErrorCode), "CANNOT_CREATE_HOSTED_ZONE")
	expect(strings.Contains(aws.ToString(failed.Operation.ErrorMessage), "Error Code: ConflictingDomainExists"), "error message %q", aws.ToString(failed.Operation.ErrorMessage))

	for i, ip := range []string{"10.0.0.10", "10.0.0.11"} {
		ri, err := c.RegisterInstance(ctx, &servicediscovery.RegisterInstanceInput{ServiceId: aws.String(svcID), InstanceId: aws.String(fmt.Sprintf("i-%d", i)),
			Attributes: map[string]string{"AWS_INSTANCE_IPV4": ip, "color": []string{"blue", "green"}[i]}})
		check(err, "RegisterInstance")
		waitOperation(c, ri.OperationId)
	}

	// The Go SDK sends DiscoverInstances to a "data-" host prefix unless the endpoint is HostnameImmutable
	// (as cfg's is) or the prefix is disabled (smithyhttp.DisableEndpointHostPrefix in an initialize step).
	discover := func(client *servicediscovery.Client, what string) {
		out, err := client.DiscoverInstances(ctx, &servicediscovery.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String("api"),
			QueryParameters: map[string]string{"color": "green"}})
		check(err, what)
		eq(what+" instances", len(out.Instances), 1)
		eq(what+" instance", aws.ToString(out.Instances[0].InstanceId), "i-1")
		eq(what+" ipv4", out.Instances[0].Attributes["AWS_INSTANCE_IPV4"], "10.0.0.11")
	}
	discover(c, "DiscoverInstances")

	mutable := cfg.Copy()
	mutable.EndpointResolverWithOptions = aws.EndpointResolverWithOptionsFunc(func(service, region string, options ...interface{}) (aws.Endpoint, error) {
		return aws.Endpoint{URL: endpoint, SigningRegion: region}, nil
	})
	// 1) the prefix disabled with a middleware step
	noPrefix := servicediscovery.NewFromConfig(mutable, func(o *servicediscovery.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("DisableHostPrefix", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
		})
	})
	discover(noPrefix, "DiscoverInstances (host prefix disabled)")
	// 2) the prefix kept: the request goes to data-<host>, which we dial at the endpoint's address; awsim must
	// route it by its signature.
	u, err := url.Parse(endpoint)
	check(err, "parse endpoint")
	dial := &net.Dialer{}
	prefixed := servicediscovery.NewFromConfig(mutable, func(o *servicediscovery.Options) {
		o.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			expect(strings.HasPrefix(addr, "data-"), "DiscoverInstances dialled %s without the data- prefix", addr)
			return dial.DialContext(ctx, network, u.Host)
		}}}
	})
	discover(prefixed, "DiscoverInstances (data- host prefix)")

	_, err = c.ListNamespaces(ctx, &servicediscovery.ListNamespacesInput{})
	check(err, "ListNamespaces")
	_, err = c.ListServices(ctx, &servicediscovery.ListServicesInput{Filters: []sdtypes.ServiceFilter{{Name: sdtypes.ServiceFilterNameNamespaceId, Values: []string{nsID}}}})
	check(err, "ListServices")
	lis, err := c.ListInstances(ctx, &servicediscovery.ListInstancesInput{ServiceId: aws.String(svcID)})
	check(err, "ListInstances")
	eq("instances", len(lis.Instances), 2)
	gi, err := c.GetInstance(ctx, &servicediscovery.GetInstanceInput{ServiceId: aws.String(svcID), InstanceId: aws.String("i-0")})
	check(err, "GetInstance")
	eq("instance ip", gi.Instance.Attributes["AWS_INSTANCE_IPV4"], "10.0.0.10")
	_, err = c.GetInstance(ctx, &servicediscovery.GetInstanceInput{ServiceId: aws.String(svcID), InstanceId: aws.String("i-9")})
	expectErr[*sdtypes.InstanceNotFound](err, "GetInstance missing", "InstanceNotFound", 400)
	gs, err := c.GetService(ctx, &servicediscovery.GetServiceInput{Id: aws.String(svcID)})
	check(err, "GetService")
	eq("service TTL", aws.ToInt64(gs.Service.DnsConfig.DnsRecords[0].TTL), 10)
	_, err = c.ListOperations(ctx, &servicediscovery.ListOperationsInput{})
	check(err, "ListOperations")
	_, err = c.GetInstancesHealthStatus(ctx, &servicediscovery.GetInstancesHealthStatusInput{ServiceId: aws.String(svcID)})
	check(err, "GetInstancesHealthStatus")

	_, err = c.DiscoverInstances(ctx, &servicediscovery.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String("nope")})
	expectErr[*sdtypes.ServiceNotFound](err, "DiscoverInstances missing service", "ServiceNotFound", 400)
	_, err = c.DeleteService(ctx, &servicediscovery.DeleteServiceInput{Id: aws.String(svcID)})
	expectErr[*sdtypes.ResourceInUse](err, "DeleteService with instances", "ResourceInUse", 400)
	// An ECS service registers its tasks in a Cloud Map service; DiscoverInstances finds their ENI addresses.
	web, err := c.CreateService(ctx, &servicediscovery.CreateServiceInput{Name: aws.String("web"), NamespaceId: aws.String(nsID),
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}}})
	check(err, "CreateService web")
	ec := ecs.NewFromConfig(cfg)
	cluster := "go-sd-" + suffix()
	_, err = ec.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(cluster)})
	check(err, "CreateCluster for Cloud Map")
	td, err := ec.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("go-sd-web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx:latest"), Essential: aws.Bool(true)}}})
	check(err, "RegisterTaskDefinition for Cloud Map")
	subnet, _ := defaultSubnet()
	_, err = ec.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(cluster), ServiceName: aws.String("web"), TaskDefinition: td.TaskDefinition.TaskDefinitionArn,
		DesiredCount: aws.Int32(2), LaunchType: ecstypes.LaunchTypeFargate, ServiceRegistries: []ecstypes.ServiceRegistry{{RegistryArn: web.Service.Arn}},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}}}})
	check(err, "CreateService with serviceRegistries")
	check(ecs.NewServicesStableWaiter(ec).Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{"web"}}, 2*time.Minute, func(o *ecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "ServicesStable (Cloud Map)")
	tl, err := ec.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(cluster), ServiceName: aws.String("web")})
	check(err, "ListTasks web")
	dts, err := ec.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: tl.TaskArns})
	check(err, "DescribeTasks web")
	var taskIPs []string
	for _, t := range dts.Tasks {
		for _, d := range t.Attachments[0].Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				taskIPs = append(taskIPs, aws.ToString(d.Value))
			}
		}
	}
	var foundIPs []string
	poll("tasks registered in Cloud Map", 30*time.Second, func() bool {
		out, err := c.DiscoverInstances(ctx, &servicediscovery.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String("web")})
		check(err, "DiscoverInstances web")
		foundIPs = nil
		for _, i := range out.Instances {
			foundIPs = append(foundIPs, i.Attributes["AWS_INSTANCE_IPV4"])
		}
		return len(foundIPs) == 2
	})
	sort.Strings(taskIPs)
	sort.Strings(foundIPs)
	if execute {
		// --execute registers 127.0.0.1, where the task's process really listens.
		taskIPs = []string{"127.0.0.1", "127.0.0.1"}
	}
	eq("discovered task addresses", foundIPs, taskIPs)
	_, err = ec.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String("web"), DesiredCount: aws.Int32(0)})
	check(err, "UpdateService web to 0")
	poll("tasks deregistered from Cloud Map", 60*time.Second, func() bool {
		out, err := c.DiscoverInstances(ctx, &servicediscovery.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String("web")})
		check(err, "DiscoverInstances web after scale-in")
		return len(out.Instances) == 0
	})
	_, err = ec.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String(cluster), Service: aws.String("web")})
	check(err, "DeleteService web")
	_, err = c.DeleteService(ctx, &servicediscovery.DeleteServiceInput{Id: web.Service.Id})
	check(err, "DeleteService Cloud Map web")

	for _, id := range []string{"i-0", "i-1"} {
		dr, err := c.DeregisterInstance(ctx, &servicediscovery.DeregisterInstanceInput{ServiceId: aws.String(svcID), InstanceId: aws.String(id)})
		check(err, "DeregisterInstance")
		eq("deregister operation", waitOperation(c, dr.OperationId).Type, sdtypes.OperationTypeDeregisterInstance)
	}
	_, err = c.DeleteService(ctx, &servicediscovery.DeleteServiceInput{Id: aws.String(svcID)})
	check(err, "DeleteService")
	dn, err := c.DeleteNamespace(ctx, &servicediscovery.DeleteNamespaceInput{Id: aws.String(nsID)})
	check(err, "DeleteNamespace")
	eq("delete operation", waitOperation(c, dn.OperationId).Type, sdtypes.OperationTypeDeleteNamespace)
	_, err = c.GetNamespace(ctx, &servicediscovery.GetNamespaceInput{Id: aws.String(nsID)})
	expectErr[*sdtypes.NamespaceNotFound](err, "GetNamespace deleted", "NamespaceNotFound", 400)
}

// ---------------------------------------------------------------------------------------------------- EFS

func runEFS() {
	subnet, _ := defaultSubnet()
	c := efs.NewFromConfig(cfg)
	token := "go-" + suffix()
	fs, err := c.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String(token), PerformanceMode: efstypes.PerformanceModeGeneralPurpose,
		Encrypted: aws.Bool(true), Tags: []efstypes.Tag{{Key: aws.String("Name"), Value: aws.String("go-fs")}}})
	check(err, "CreateFileSystem")
	fsID := aws.ToString(fs.FileSystemId)
	expect(strings.HasPrefix(fsID, "fs-"), "FileSystemId %q", fsID)
	eq("file system name", aws.ToString(fs.Name), "go-fs")
	_, err = c.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String(token)})
	dup := expectErr[*efstypes.FileSystemAlreadyExists](err, "CreateFileSystem same token", "FileSystemAlreadyExists", 409)
	eq("FileSystemAlreadyExists.FileSystemId", aws.ToString(dup.FileSystemId), fsID)

	poll("file system available", 30*time.Second, func() bool {
		out, err := c.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: aws.String(fsID)})
		check(err, "DescribeFileSystems")
		eq("file systems", len(out.FileSystems), 1)
		return out.FileSystems[0].LifeCycleState == efstypes.LifeCycleStateAvailable
	})
	byToken, err := c.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{CreationToken: aws.String(token)})
	check(err, "DescribeFileSystems by token")
	eq("by token", aws.ToString(byToken.FileSystems[0].FileSystemId), fsID)
	expect(byToken.FileSystems[0].Encrypted != nil && *byToken.FileSystems[0].Encrypted, "Encrypted")
	_, err = c.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: aws.String("fs-0123456789abcdef0")})
	expectErr[*efstypes.FileSystemNotFound](err, "DescribeFileSystems missing", "FileSystemNotFound", 404)

	mt, err := c.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: aws.String(fsID), SubnetId: aws.String(subnet)})
	check(err, "CreateMountTarget")
	expect(strings.HasPrefix(aws.ToString(mt.MountTargetId), "fsmt-"), "MountTargetId %q", aws.ToString(mt.MountTargetId))
	eq("mount target subnet", aws.ToString(mt.SubnetId), subnet)
	expect(net.ParseIP(aws.ToString(mt.IpAddress)) != nil, "mount target IpAddress %q", aws.ToString(mt.IpAddress))
	_, err = c.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: aws.String(fsID), SubnetId: aws.String(subnet)})
	expectErr[*efstypes.MountTargetConflict](err, "CreateMountTarget same AZ", "MountTargetConflict", 409)
	dm, err := c.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeMountTargets")
	eq("mount targets", len(dm.MountTargets), 1)

	ap, err := c.CreateAccessPoint(ctx, &efs.CreateAccessPointInput{ClientToken: aws.String(token + "-ap"), FileSystemId: aws.String(fsID),
		PosixUser:     &efstypes.PosixUser{Uid: aws.Int64(1000), Gid: aws.Int64(1000)},
		RootDirectory: &efstypes.RootDirectory{Path: aws.String("/data"), CreationInfo: &efstypes.CreationInfo{OwnerUid: aws.Int64(1000), OwnerGid: aws.Int64(1000), Permissions: aws.String("755")}}})
	check(err, "CreateAccessPoint")
	expect(strings.HasPrefix(aws.ToString(ap.AccessPointId), "fsap-"), "AccessPointId %q", aws.ToString(ap.AccessPointId))
	eq("access point root", aws.ToString(ap.RootDirectory.Path), "/data")
	eq("access point uid", aws.ToInt64(ap.PosixUser.Uid), 1000)
	da, err := c.DescribeAccessPoints(ctx, &efs.DescribeAccessPointsInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeAccessPoints")
	eq("access points", len(da.AccessPoints), 1)

	_, err = c.DescribeMountTargetSecurityGroups(ctx, &efs.DescribeMountTargetSecurityGroupsInput{MountTargetId: mt.MountTargetId})
	check(err, "DescribeMountTargetSecurityGroups")
	_, err = c.DescribeLifecycleConfiguration(ctx, &efs.DescribeLifecycleConfigurationInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeLifecycleConfiguration")
	_, err = c.PutBackupPolicy(ctx, &efs.PutBackupPolicyInput{FileSystemId: aws.String(fsID), BackupPolicy: &efstypes.BackupPolicy{Status: efstypes.StatusEnabled}})
	check(err, "PutBackupPolicy")
	bp, err := c.DescribeBackupPolicy(ctx, &efs.DescribeBackupPolicyInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeBackupPolicy")
	eq("backup policy", bp.BackupPolicy.Status, efstypes.StatusEnabled)
	_, err = c.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: aws.String(fsID)})
	expectErr[*efstypes.PolicyNotFound](err, "DescribeFileSystemPolicy none", "PolicyNotFound", 404)
	_, err = c.DescribeAccountPreferences(ctx, &efs.DescribeAccountPreferencesInput{})
	check(err, "DescribeAccountPreferences")
	tags, err := c.ListTagsForResource(ctx, &efs.ListTagsForResourceInput{ResourceId: aws.String(fsID)})
	check(err, "EFS ListTagsForResource")
	eq("EFS tags", len(tags.Tags), 1)
	all, err := c.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{})
	check(err, "DescribeFileSystems all")
	for _, f := range all.FileSystems {
		expect(f.SizeInBytes != nil && f.SizeInBytes.Value >= 0, "SizeInBytes %+v", f.SizeInBytes)
	}

	_, err = c.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: aws.String(fsID)})
	expectErr[*efstypes.FileSystemInUse](err, "DeleteFileSystem with mount target", "FileSystemInUse", 409)
	_, err = c.DeleteAccessPoint(ctx, &efs.DeleteAccessPointInput{AccessPointId: ap.AccessPointId})
	check(err, "DeleteAccessPoint")
	_, err = c.DeleteMountTarget(ctx, &efs.DeleteMountTargetInput{MountTargetId: mt.MountTargetId})
	check(err, "DeleteMountTarget")
	poll("mount target deleted", 30*time.Second, func() bool {
		out, err := c.DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{FileSystemId: aws.String(fsID)})
		check(err, "DescribeMountTargets after delete")
		return len(out.MountTargets) == 0
	})
	_, err = c.DeleteFileSystem(ctx, &efs.DeleteFileSystemInput{FileSystemId: aws.String(fsID)})
	check(err, "DeleteFileSystem")
	poll("file system deleted", 30*time.Second, func() bool {
		_, err := c.DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{FileSystemId: aws.String(fsID)})
		var nf *efstypes.FileSystemNotFound
		if errors.As(err, &nf) {
			return true
		}
		check(err, "DescribeFileSystems after delete")
		return false
	})
}

// ---------------------------------------------------------------------------------------------------- Lambda

func handlerZip() []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create("index.js")
	check(err, "zip create")
	_, err = f.Write([]byte("exports.handler = async (event) => ({ ok: true, echo: event });\nexports.fail = async () => { throw new Error(\"go boom\"); };\n"))
	check(err, "zip write")
	check(w.Close(), "zip close")
	return buf.Bytes()
}

func runLambda() {
	roles := iam.NewFromConfig(cfg)
	s := suffix()
	role, err := roles.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("go-lambda-" + s), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	check(err, "CreateRole for Lambda")
	c := lambda.NewFromConfig(cfg)
	name := "go-fn-" + s
	fn, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: lambdatypes.Runtime("nodejs20.x"), Handler: aws.String("index.handler"),
		Role: role.Role.Arn, Code: &lambdatypes.FunctionCode{ZipFile: handlerZip()}, Environment: &lambdatypes.Environment{Variables: map[string]string{"MODE": "go"}},
		Timeout: aws.Int32(5), MemorySize: aws.Int32(256)})
	check(err, "CreateFunction")
	eq("function arn", aws.ToString(fn.FunctionArn), "arn:aws:lambda:us-east-1:"+account+":function:"+name)
	eq("function runtime", fn.Runtime, lambdatypes.Runtime("nodejs20.x"))
	eq("function memory", aws.ToInt32(fn.MemorySize), 256)
	expect(aws.ToString(fn.CodeSha256) != "" && fn.CodeSize > 0, "CodeSha256 %q CodeSize %d", aws.ToString(fn.CodeSha256), fn.CodeSize)
	_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: lambdatypes.Runtime("nodejs20.x"), Handler: aws.String("index.handler"),
		Role: role.Role.Arn, Code: &lambdatypes.FunctionCode{ZipFile: handlerZip()}})
	expectErr[*lambdatypes.ResourceConflictException](err, "CreateFunction again", "ResourceConflictException", 409)

	check(lambda.NewFunctionActiveWaiter(c).Wait(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)}, time.Minute, func(o *lambda.FunctionActiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "FunctionActive waiter")
	gf, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	check(err, "GetFunction")
	eq("state", gf.Configuration.State, lambdatypes.StateActive)
	eq("env", gf.Configuration.Environment.Variables["MODE"], "go")
	expect(aws.ToString(gf.Code.Location) != "", "Code.Location empty")
	resp, err := http.Get(aws.ToString(gf.Code.Location))
	check(err, "download Code.Location")
	code, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	eq("Code.Location status", resp.StatusCode, 200)
	eq("Code.Location zip", string(code), string(handlerZip()))

	inv, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"hello":"go"}`), LogType: lambdatypes.LogTypeTail})
	check(err, "Invoke")
	eq("Invoke StatusCode", inv.StatusCode, 200)
	eq("Invoke FunctionError", aws.ToString(inv.FunctionError), "")
	eq("Invoke ExecutedVersion", aws.ToString(inv.ExecutedVersion), "$LATEST")
	if !execute {
		// Fake mode runs nothing: a synchronous Invoke answers 200 with the payload null (README, Lambda).
		eq("Invoke payload", string(inv.Payload), "null")
	} else {
		// --execute: the node handler ran; its tail of logs comes back base64 in X-Amz-Log-Result.
		eq("Invoke payload", string(inv.Payload), `{"ok":true,"echo":{"hello":"go"}}`)
		tail, err := base64.StdEncoding.DecodeString(aws.ToString(inv.LogResult))
		check(err, "decode LogResult")
		expect(strings.Contains(string(tail), "START RequestId: ") && strings.Contains(string(tail), "REPORT RequestId: "), "LogResult %q", tail)
		_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name + "-fail"), Runtime: lambdatypes.Runtime("nodejs20.x"), Handler: aws.String("index.fail"),
			Role: role.Role.Arn, Code: &lambdatypes.FunctionCode{ZipFile: handlerZip()}})
		check(err, "CreateFunction failing")
		check(lambda.NewFunctionActiveWaiter(c).Wait(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name + "-fail")}, time.Minute, func(o *lambda.FunctionActiveWaiterOptions) {
			o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
		}), "FunctionActive waiter (failing)")
		bad, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name + "-fail")})
		check(err, "Invoke failing")
		eq("failing StatusCode", bad.StatusCode, 200)
		eq("FunctionError", aws.ToString(bad.FunctionError), "Unhandled")
		expect(strings.Contains(string(bad.Payload), `"errorMessage":"go boom"`) && strings.Contains(string(bad.Payload), `"errorType":"Error"`), "error payload %s", bad.Payload)
		_, err = c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name + "-fail")})
		check(err, "DeleteFunction failing")
	}
	ev, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{}`), InvocationType: lambdatypes.InvocationTypeEvent})
	check(err, "Invoke Event")
	eq("Invoke Event StatusCode", ev.StatusCode, 202)

	// A deploy: new code, the FunctionUpdated waiter, a version, an alias, an Invoke through the alias.
	up, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(name), ZipFile: handlerZip(), Publish: false})
	check(err, "UpdateFunctionCode")
	eq("updated CodeSha256", aws.ToString(up.CodeSha256), aws.ToString(fn.CodeSha256))
	check(lambda.NewFunctionUpdatedWaiter(c).Wait(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)}, time.Minute, func(o *lambda.FunctionUpdatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}), "FunctionUpdated waiter")
	pv, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name), Description: aws.String("v1 from Go")})
	check(err, "PublishVersion")
	eq("published version", aws.ToString(pv.Version), "1")
	al, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: pv.Version})
	check(err, "CreateAlias")
	eq("alias arn", aws.ToString(al.AliasArn), aws.ToString(fn.FunctionArn)+":live")
	ai, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("live"), Payload: []byte(`{}`)})
	check(err, "Invoke alias")
	eq("alias ExecutedVersion", aws.ToString(ai.ExecutedVersion), "1")
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("7")})
	expectErr[*lambdatypes.ResourceNotFoundException](err, "Invoke missing version", "ResourceNotFoundException", 404)

	for i := 0; i < 2; i++ {
		_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(fmt.Sprintf("%s-%d", name, i)), Runtime: lambdatypes.Runtime("nodejs20.x"),
			Handler: aws.String("index.handler"), Role: role.Role.Arn, Code: &lambdatypes.FunctionCode{ZipFile: handlerZip()}})
		check(err, "CreateFunction more")
	}
	var listed []string
	pages := 0
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		check(err, "ListFunctions page")
		pages++
		expect(len(page.Functions) <= 1, "ListFunctions page of %d > MaxItems 1", len(page.Functions))
		for _, f := range page.Functions {
			if strings.HasPrefix(aws.ToString(f.FunctionName), name) {
				listed = append(listed, aws.ToString(f.FunctionName))
			}
		}
	}
	sort.Strings(listed)
	eq("ListFunctions", listed, []string{name, name + "-0", name + "-1"})
	expect(pages >= 3, "ListFunctions MaxItems 1 gave %d pages", pages)

	_, err = c.GetAccountSettings(ctx, &lambda.GetAccountSettingsInput{})
	check(err, "GetAccountSettings")
	lv, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(name)})
	check(err, "ListVersionsByFunction")
	eq("versions", len(lv.Versions), 2)
	_, err = c.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String(name)})
	check(err, "ListAliases")
	_, err = c.ListTags(ctx, &lambda.ListTagsInput{Resource: fn.FunctionArn})
	check(err, "ListTags")
	_, err = c.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String(name)})
	check(err, "ListEventSourceMappings")
	_, err = c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(name)})
	expectErr[*lambdatypes.ResourceNotFoundException](err, "GetPolicy none", "ResourceNotFoundException", 404)
	_, err = c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String(name), StatementId: aws.String("s3"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	check(err, "AddPermission")
	pol, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(name)})
	check(err, "GetPolicy")
	expect(strings.Contains(aws.ToString(pol.Policy), `"Sid":"s3"`), "policy %s", aws.ToString(pol.Policy))
	_, err = c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(name), ReservedConcurrentExecutions: aws.Int32(5)})
	check(err, "PutFunctionConcurrency")
	fc, err := c.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	check(err, "GetFunctionConcurrency")
	eq("reserved concurrency", aws.ToInt32(fc.ReservedConcurrentExecutions), 5)

	_, err = c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("go-no-such-fn")})
	nf := expectErr[*lambdatypes.ResourceNotFoundException](err, "GetFunction missing", "ResourceNotFoundException", 404)
	eq("ResourceNotFoundException.Type", aws.ToString(nf.Type), "User")
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("go-no-such-fn")})
	expectErr[*lambdatypes.ResourceNotFoundException](err, "Invoke missing", "ResourceNotFoundException", 404)
	_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name + "-badrole"), Runtime: lambdatypes.Runtime("nodejs20.x"), Handler: aws.String("index.handler"),
		Role: aws.String("not-an-arn"), Code: &lambdatypes.FunctionCode{ZipFile: handlerZip()}})
	expectAPIError(err, "CreateFunction bad role", "ValidationException", 400)
	_, err = c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
	check(err, "DeleteFunction")
	_, err = c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	expectErr[*lambdatypes.ResourceNotFoundException](err, "GetFunction deleted", "ResourceNotFoundException", 404)
}

// ---------------------------------------------------------------------------------------------------- authz

// runAuthz (server under --enforce-iam): an IAM user's own keys sign the Go clients; what its policy allows
// works and the rest is refused with each protocol's own access error, which the Go decoders must read.
func runAuthz() {
	c := iam.NewFromConfig(cfg)
	user := "go-ci-" + suffix()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)})
	check(err, "CreateUser")
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("read"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","ecs:ListClusters","logs:DescribeLogGroups"],"Resource":"*"}]}`)})
	check(err, "PutUserPolicy")
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	check(err, "CreateAccessKey")
	uc := cfg.Copy()
	uc.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")

	who, err := sts.NewFromConfig(uc).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity as the user")
	eq("user Arn", aws.ToString(who.Arn), "arn:aws:iam::"+account+":user/"+user)

	us3 := s3.NewFromConfig(uc, func(o *s3.Options) { o.UsePathStyle = true })
	_, err = us3.ListBuckets(ctx, &s3.ListBucketsInput{})
	check(err, "ListBuckets allowed")
	_, err = us3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(user)})
	expectStatus(err, "CreateBucket denied", "AccessDenied", 403, true)

	uecs := ecs.NewFromConfig(uc)
	_, err = uecs.ListClusters(ctx, &ecs.ListClustersInput{})
	check(err, "ListClusters allowed")
	_, err = uecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(user)})
	expectAPIError(err, "CreateCluster denied", "AccessDeniedException", 400) // not one of CreateCluster's modelled errors: a generic APIError

	ulogs := cloudwatchlogs.NewFromConfig(uc)
	_, err = ulogs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	check(err, "DescribeLogGroups allowed")
	_, err = ulogs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(user)})
	expectAPIError(err, "CreateLogGroup denied", "AccessDeniedException", 400)

	_, err = ec2.NewFromConfig(uc).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	expectAPIError(err, "DescribeVpcs denied", "UnauthorizedOperation", 403)
	_, err = iam.NewFromConfig(uc).ListRoles(ctx, &iam.ListRolesInput{})
	expectAPIError(err, "ListRoles denied", "AccessDenied", 403)
	_, err = lambda.NewFromConfig(uc).ListFunctions(ctx, &lambda.ListFunctionsInput{})
	expectAPIError(err, "ListFunctions denied", "AccessDeniedException", 403)
	_, err = efs.NewFromConfig(uc).DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{})
	expectAPIError(err, "DescribeFileSystems denied", "AccessDeniedException", 403)
	_, err = ecr.NewFromConfig(uc).DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{})
	expectAPIError(err, "DescribeRepositories denied", "AccessDeniedException", 400)
	_, err = servicediscovery.NewFromConfig(uc).ListNamespaces(ctx, &servicediscovery.ListNamespacesInput{})
	expectAPIError(err, "ListNamespaces denied", "AccessDeniedException", 400)

	// The user assumes a role that trusts it (stscreds), and the session is held to the role's policy.
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("assume"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)})
	check(err, "PutUserPolicy assume")
	role, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(user + "-reader"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:user/` + user + `"},"Action":"sts:AssumeRole"}]}`)})
	check(err, "CreateRole trusting the user")
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: role.Role.RoleName, PolicyName: aws.String("logs"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`)})
	check(err, "PutRolePolicy")
	rc := uc.Copy()
	rc.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(uc), aws.ToString(role.Role.Arn), func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "go" }))
	rlogs := cloudwatchlogs.NewFromConfig(rc)
	_, err = rlogs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/go/" + user)})
	check(err, "CreateLogGroup as the role")
	_, err = rlogs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	expectAPIError(err, "DescribeLogGroups as the role", "AccessDeniedException", 400)
	_, err = sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("root")})
	expectAPIError(err, "AssumeRole as root", "AccessDenied", 403)

	// A wrong secret: the signature does not match.
	bad := cfg.Copy()
	bad.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(key.AccessKey.AccessKeyId), "wrong-secret", "")
	_, err = s3.NewFromConfig(bad, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
	expectStatus(err, "S3 wrong secret", "SignatureDoesNotMatch", 403, true)
	_, err = sts.NewFromConfig(bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	expectAPIError(err, "STS wrong secret", "SignatureDoesNotMatch", 403)
	_, err = ecs.NewFromConfig(bad).ListClusters(ctx, &ecs.ListClustersInput{})
	expectAPIError(err, "ECS wrong secret", "InvalidSignatureException", 400)
}
