// Command v1services drives awsim's services with the Go SDK v1 (github.com/aws/aws-sdk-go) and checks the
// answers.
//
//	v1services <endpoint-url> [service...]
//
// Without service names it runs sts iam ecs ec2 ecr logs servicediscovery efs lambda s3, prints "ok <service>"
// for each flow that passes and "FAIL <service>: <reason>" for each that does not, and exits 1 when any
// failed. It builds offline in GOPATH mode against Debian's golang-github-aws-aws-sdk-go-dev (1.44.133). The v1
// SDK parses and retries differently from v2: its own XML/JSON unmarshalers, the query serializer, `*Pages`
// paginators, `WaitUntil*` waiters (request.Waiter over JMESPath) and errors as awserr.Error and
// awserr.RequestFailure. Those are what the flows exercise.
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go/aws/credentials/stscreds"
	"github.com/aws/aws-sdk-go/aws/request"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go/service/ec2"
	"github.com/aws/aws-sdk-go/service/ecr"
	"github.com/aws/aws-sdk-go/service/ecs"
	"github.com/aws/aws-sdk-go/service/efs"
	"github.com/aws/aws-sdk-go/service/iam"
	"github.com/aws/aws-sdk-go/service/lambda"
	"github.com/aws/aws-sdk-go/service/s3"
	"github.com/aws/aws-sdk-go/service/s3/s3manager"
	"github.com/aws/aws-sdk-go/service/servicediscovery"
	"github.com/aws/aws-sdk-go/service/sts"
)

const account = "000000000000"

var (
	// execute: the server runs with --execute (AWSIM_GO_EXECUTE=1), so Lambda handlers really run.
	execute = os.Getenv("AWSIM_GO_EXECUTE") != ""
	ctx     = context.Background()
	sess    *session.Session
	// fast makes the v1 waiters poll every 100 ms (their defaults are 6 to 15 s) for up to a minute.
	fast = []request.WaiterOption{request.WithWaiterDelay(request.ConstantWaiterDelay(100 * time.Millisecond)), request.WithWaiterMaxAttempts(600)}
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

// expectErr asserts err is an awserr.Error with code (and a message unless S3 sent none) and an
// awserr.RequestFailure with the HTTP status and a request id: what v1 callers switch on.
func expectErr(err error, what string, code string, status int) awserr.Error {
	return expectErrMsg(err, what, code, status, true)
}

// expectUnmodelled is expectErr for a REST-JSON error the service's model does not list: this SDK (1.44.133)
// reads its message from an X-Amzn-ErrorMessage header only, so it is empty against AWS too
// (aws/aws-sdk-go#4733, fixed in later releases by aws/aws-sdk-go#4740).
func expectUnmodelled(err error, what string, code string, status int) awserr.Error {
	return expectErrMsg(err, what, code, status, false)
}

func expectErrMsg(err error, what string, code string, status int, withMessage bool) awserr.Error {
	if err == nil {
		failf("%s: succeeded, want %s", what, code)
	}
	ae, ok := err.(awserr.Error)
	if !ok {
		failf("%s: error %T (%v) is not an awserr.Error", what, err, err)
	}
	eq(what+" error code", ae.Code(), code)
	if withMessage && ae.Message() == "" && status != 404 && status != 304 {
		failf("%s: %s without a message", what, code)
	}
	rf, ok := err.(awserr.RequestFailure)
	if !ok {
		failf("%s: error %T is not an awserr.RequestFailure", what, err)
	}
	eq(what+" HTTP status", rf.StatusCode(), status)
	if rf.RequestID() == "" {
		failf("%s: %s without a request id", what, code)
	}
	return ae
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

func recent(what string, t *time.Time) {
	expect(t != nil && !t.IsZero() && time.Since(*t) < time.Hour && time.Until(*t) < time.Minute, "%s %v is not now", what, t)
}

var flows = []struct {
	name     string
	run      func()
	optional bool // run only when named (it needs a server started a particular way)
}{
	{"sts", runSTS, false},
	{"iam", runIAM, false},
	{"ecs", runECS, false},
	{"ec2", runEC2, false},
	{"ecr", runECR, false},
	{"logs", runLogs, false},
	{"servicediscovery", runServiceDiscovery, false},
	{"efs", runEFS, false},
	{"lambda", runLambda, false},
	{"s3", runS3, false},
	{"authz", runAuthz, true}, // needs --enforce-iam
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: v1services <endpoint-url> [service...]")
		os.Exit(2)
	}
	cfg := &aws.Config{
		Region:      aws.String("us-east-1"),
		Endpoint:    aws.String(strings.TrimRight(os.Args[1], "/")),
		Credentials: credentials.NewStaticCredentials("test", "test", ""),
		// The v1 default retries 3 times with back-off; a difference must show, not be retried away.
		MaxRetries:       aws.Int(0),
		S3ForcePathStyle: aws.Bool(true),
		// v1's default logger writes to stdout (deprecation notices among them); keep stdout for the results.
		Logger: aws.LoggerFunc(func(args ...interface{}) { fmt.Fprintln(os.Stderr, args...) }),
	}
	if os.Getenv("AWSIM_GO_DUMP") != "" {
		cfg.LogLevel = aws.LogLevel(aws.LogDebugWithHTTPBody)
	}
	sess = session.Must(session.NewSession(cfg))
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

func suffix() string { return fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000) }

const trustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`

// ---------------------------------------------------------------------------------------------------- STS

func runSTS() {
	c := sts.New(sess)
	who, err := c.GetCallerIdentity(&sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity")
	eq("Account", aws.StringValue(who.Account), account)
	eq("Arn", aws.StringValue(who.Arn), "arn:aws:iam::"+account+":root")

	st, err := c.GetSessionToken(&sts.GetSessionTokenInput{DurationSeconds: aws.Int64(900)})
	check(err, "GetSessionToken")
	expect(strings.HasPrefix(aws.StringValue(st.Credentials.AccessKeyId), "ASIA"), "session key %q", aws.StringValue(st.Credentials.AccessKeyId))
	exp := aws.TimeValue(st.Credentials.Expiration)
	expect(exp.After(time.Now().Add(14*time.Minute)) && exp.Before(time.Now().Add(16*time.Minute)), "session expires at %v", exp)

	// The v1 idiom: stscreds.NewCredentials over a session, its credentials signing the next clients.
	role, err := iam.New(sess).CreateRole(&iam.CreateRoleInput{RoleName: aws.String("gov1-assumed-" + suffix()), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	check(err, "CreateRole to assume")
	creds := stscreds.NewCredentials(sess, aws.StringValue(role.Role.Arn), func(p *stscreds.AssumeRoleProvider) {
		p.RoleSessionName = "gov1-session"
		p.Duration = 15 * time.Minute
	})
	v, err := creds.Get()
	check(err, "AssumeRole credentials")
	expect(strings.HasPrefix(v.AccessKeyID, "ASIA") && v.SessionToken != "", "assumed credentials %+v", v)
	ea, err := creds.ExpiresAt()
	check(err, "credentials ExpiresAt")
	expect(ea.After(time.Now().Add(10*time.Minute)) && ea.Before(time.Now().Add(16*time.Minute)), "assumed credentials expire at %v", ea)
	as := sts.New(sess, &aws.Config{Credentials: creds})
	who, err = as.GetCallerIdentity(&sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity as the role")
	eq("assumed Arn", aws.StringValue(who.Arn), "arn:aws:sts::"+account+":assumed-role/"+aws.StringValue(role.Role.RoleName)+"/gov1-session")
	expect(strings.HasPrefix(aws.StringValue(who.UserId), aws.StringValue(role.Role.RoleId)+":"), "assumed UserId %q", aws.StringValue(who.UserId))

	// IRSA, as kube controllers on v1 do it: an OIDC provider in IAM, a role trusting it, the service account's
	// token in a file, stscreds.NewWebIdentityCredentials (AssumeRoleWithWebIdentity goes unsigned).
	issuer := "oidc.eks.us-east-1.amazonaws.com/id/GOV1" + suffix()
	_, err = iam.New(sess).CreateOpenIDConnectProvider(&iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://" + issuer), ClientIDList: aws.StringSlice([]string{"sts.amazonaws.com"}),
		ThumbprintList: aws.StringSlice([]string{strings.Repeat("9", 40)})})
	check(err, "CreateOpenIDConnectProvider")
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::%s:oidc-provider/%s"},"Action":"sts:AssumeRoleWithWebIdentity",`+
		`"Condition":{"StringEquals":{"%s:sub":"system:serviceaccount:kube-system:gov1"}}}]}`, account, issuer, issuer)
	irsa, err := iam.New(sess).CreateRole(&iam.CreateRoleInput{RoleName: aws.String("gov1-irsa-" + suffix()), AssumeRolePolicyDocument: aws.String(trust)})
	check(err, "CreateRole for IRSA")
	b64 := base64.RawURLEncoding.EncodeToString
	jwt := b64([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + b64([]byte(fmt.Sprintf(`{"iss":"https://%s","sub":"system:serviceaccount:kube-system:gov1","aud":["sts.amazonaws.com"],"exp":%d,"iat":%d}`,
		issuer, time.Now().Add(time.Hour).Unix(), time.Now().Unix()))) + "." + b64([]byte("signature"))
	tokenFile := fmt.Sprintf("%s/gov1-token-%s", os.TempDir(), suffix())
	check(os.WriteFile(tokenFile, []byte(jwt), 0o600), "write token file")
	defer os.Remove(tokenFile)
	wi := stscreds.NewWebIdentityCredentials(sess, aws.StringValue(irsa.Role.Arn), "gov1-irsa", tokenFile)
	wv, err := wi.Get()
	check(err, "web identity credentials")
	expect(strings.HasPrefix(wv.AccessKeyID, "ASIA") && wv.SessionToken != "", "web identity credentials %+v", wv)
	who, err = sts.New(sess, &aws.Config{Credentials: wi}).GetCallerIdentity(&sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity as the IRSA role")
	eq("IRSA Arn", aws.StringValue(who.Arn), "arn:aws:sts::"+account+":assumed-role/"+aws.StringValue(irsa.Role.RoleName)+"/gov1-irsa")
	wr, err := c.AssumeRoleWithWebIdentity(&sts.AssumeRoleWithWebIdentityInput{RoleArn: irsa.Role.Arn, RoleSessionName: aws.String("direct"), WebIdentityToken: aws.String(jwt)})
	check(err, "AssumeRoleWithWebIdentity")
	eq("SubjectFromWebIdentityToken", aws.StringValue(wr.SubjectFromWebIdentityToken), "system:serviceaccount:kube-system:gov1")
	eq("Audience", aws.StringValue(wr.Audience), "sts.amazonaws.com")
	eq("Provider", aws.StringValue(wr.Provider), "arn:aws:iam::"+account+":oidc-provider/"+issuer)
	// aws-iam-authenticator's EKS token (a v1 user): a presigned GetCallerIdentity with the signed x-k8s-aws-id
	// header, which the authenticator's server GETs with Accept: application/json.
	eq("presigned GetCallerIdentity Arn", presignedCallerIdentity(c, "gov1-cluster", true).Arn, "arn:aws:iam::"+account+":root")
	ft, err := c.GetFederationToken(&sts.GetFederationTokenInput{Name: aws.String("gov1-fed"), DurationSeconds: aws.Int64(900)})
	check(err, "GetFederationToken")
	eq("federated user", aws.StringValue(ft.FederatedUser.Arn), "arn:aws:sts::"+account+":federated-user/gov1-fed")

	_, err = c.AssumeRole(&sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("gov1-session"), DurationSeconds: aws.Int64(5 * 3600)})
	expectErr(err, "AssumeRole beyond MaxSessionDuration", "ValidationError", 400)
	// v1 checks the model's minimums itself (DurationSeconds >= 900) before sending anything.
	_, err = c.AssumeRole(&sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("gov1-session"), DurationSeconds: aws.Int64(600)})
	expect(err != nil && err.(awserr.Error).Code() == request.InvalidParameterErrCode, "AssumeRole 600 s: %v", err)
}

type callerJSON struct{ Arn, Account, UserId string }

// presignedCallerIdentity presigns GetCallerIdentity with the x-k8s-aws-id header (as aws-iam-authenticator's
// token generator does) and GETs it as the authenticator's server does; withHeader false leaves the signed
// header off, and the answer's status is checked by the caller through the returned Arn ("" on failure).
func presignedCallerIdentity(c *sts.STS, cluster string, withHeader bool) callerJSON {
	req, _ := c.GetCallerIdentityRequest(&sts.GetCallerIdentityInput{})
	req.HTTPRequest.Header.Add("x-k8s-aws-id", cluster)
	u, err := req.Presign(time.Minute)
	check(err, "Presign GetCallerIdentity")
	expect(strings.Contains(u, "X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"), "presigned URL %s", u)
	hr, err := http.NewRequest("GET", u, nil)
	check(err, "presigned request")
	if withHeader {
		hr.Header.Set("x-k8s-aws-id", cluster)
	}
	hr.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(hr)
	check(err, "GET presigned GetCallerIdentity")
	defer resp.Body.Close()
	var out struct {
		GetCallerIdentityResponse struct{ GetCallerIdentityResult callerJSON }
	}
	if resp.StatusCode != 200 {
		return callerJSON{}
	}
	eq("presigned answer type", resp.Header.Get("Content-Type"), "application/json")
	check(json.NewDecoder(resp.Body).Decode(&out), "decode GetCallerIdentity JSON")
	return out.GetCallerIdentityResponse.GetCallerIdentityResult
}

// ---------------------------------------------------------------------------------------------------- IAM

func runIAM() {
	c := iam.New(sess)
	s := suffix()
	name := "gov1-role-" + s
	cr, err := c.CreateRole(&iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustPolicy), Path: aws.String("/gov1/"),
		Description: aws.String("from Go v1"), MaxSessionDuration: aws.Int64(7200), Tags: []*iam.Tag{{Key: aws.String("team"), Value: aws.String("go")}}})
	check(err, "CreateRole")
	eq("Arn", aws.StringValue(cr.Role.Arn), "arn:aws:iam::"+account+":role/gov1/"+name)
	recent("CreateDate", cr.Role.CreateDate)
	check(c.WaitUntilRoleExistsWithContext(ctx, &iam.GetRoleInput{RoleName: aws.String(name)}, fast...), "WaitUntilRoleExists")
	gr, err := c.GetRole(&iam.GetRoleInput{RoleName: aws.String(name)})
	check(err, "GetRole")
	eq("RoleId", aws.StringValue(gr.Role.RoleId), aws.StringValue(cr.Role.RoleId))
	eq("MaxSessionDuration", aws.Int64Value(gr.Role.MaxSessionDuration), 7200)
	eq("tags", len(gr.Role.Tags), 1)
	doc, err := url.QueryUnescape(aws.StringValue(gr.Role.AssumeRolePolicyDocument))
	check(err, "unescape AssumeRolePolicyDocument")
	eq("AssumeRolePolicyDocument", doc, trustPolicy)
	_, err = c.CreateRole(&iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	expectErr(err, "CreateRole again", iam.ErrCodeEntityAlreadyExistsException, 409)
	_, err = c.GetRole(&iam.GetRoleInput{RoleName: aws.String("gov1-missing-" + s)})
	expectErr(err, "GetRole missing", iam.ErrCodeNoSuchEntityException, 404)
	_, err = c.UpdateRole(&iam.UpdateRoleInput{RoleName: aws.String(name), Description: aws.String("updated")})
	check(err, "UpdateRole")

	for i := 0; i < 5; i++ {
		_, err := c.CreateRole(&iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("gov1-page-%s-%d", s, i)), AssumeRolePolicyDocument: aws.String(trustPolicy), Path: aws.String("/gov1page" + s + "/")})
		check(err, "CreateRole page")
	}
	var names []string
	pages := 0
	check(c.ListRolesPages(&iam.ListRolesInput{PathPrefix: aws.String("/gov1page" + s + "/"), MaxItems: aws.Int64(2)}, func(page *iam.ListRolesOutput, last bool) bool {
		pages++
		expect(len(page.Roles) <= 2, "ListRoles page of %d", len(page.Roles))
		eq("IsTruncated vs last page", aws.BoolValue(page.IsTruncated), !last)
		for _, r := range page.Roles {
			names = append(names, aws.StringValue(r.RoleName))
		}
		return true
	}), "ListRolesPages")
	eq("ListRoles pages", pages, 3)
	eq("ListRoles names", len(names), 5)
	eq("ListRoles first", names[0], "gov1-page-"+s+"-0")

	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	cp, err := c.CreatePolicy(&iam.CreatePolicyInput{PolicyName: aws.String("gov1-policy-" + s), PolicyDocument: aws.String(inline), Description: aws.String("d")})
	check(err, "CreatePolicy")
	check(c.WaitUntilPolicyExistsWithContext(ctx, &iam.GetPolicyInput{PolicyArn: cp.Policy.Arn}, fast...), "WaitUntilPolicyExists")
	eq("DefaultVersionId", aws.StringValue(cp.Policy.DefaultVersionId), "v1")
	eq("IsAttachable", aws.BoolValue(cp.Policy.IsAttachable), true)
	_, err = c.CreatePolicyVersion(&iam.CreatePolicyVersionInput{PolicyArn: cp.Policy.Arn, PolicyDocument: aws.String(inline), SetAsDefault: aws.Bool(true)})
	check(err, "CreatePolicyVersion")
	lv, err := c.ListPolicyVersions(&iam.ListPolicyVersionsInput{PolicyArn: cp.Policy.Arn})
	check(err, "ListPolicyVersions")
	eq("policy versions", len(lv.Versions), 2)
	_, err = c.AttachRolePolicy(&iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: cp.Policy.Arn})
	check(err, "AttachRolePolicy")
	var attached []string
	check(c.ListAttachedRolePoliciesPages(&iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)}, func(p *iam.ListAttachedRolePoliciesOutput, _ bool) bool {
		for _, a := range p.AttachedPolicies {
			attached = append(attached, aws.StringValue(a.PolicyArn))
		}
		return true
	}), "ListAttachedRolePoliciesPages")
	eq("attached", attached, []string{aws.StringValue(cp.Policy.Arn)})
	gp, err := c.GetPolicy(&iam.GetPolicyInput{PolicyArn: cp.Policy.Arn})
	check(err, "GetPolicy")
	eq("AttachmentCount", aws.Int64Value(gp.Policy.AttachmentCount), 1)
	eq("DefaultVersionId after CreatePolicyVersion", aws.StringValue(gp.Policy.DefaultVersionId), "v2")

	_, err = c.PutRolePolicy(&iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("inline"), PolicyDocument: aws.String(inline)})
	check(err, "PutRolePolicy")
	rp, err := c.GetRolePolicy(&iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("inline")})
	check(err, "GetRolePolicy")
	doc, _ = url.QueryUnescape(aws.StringValue(rp.PolicyDocument))
	eq("inline document", doc, inline)

	// A user, its access key, a group, an instance profile with its waiter.
	user := "gov1-user-" + s
	_, err = c.CreateUser(&iam.CreateUserInput{UserName: aws.String(user)})
	check(err, "CreateUser")
	check(c.WaitUntilUserExistsWithContext(ctx, &iam.GetUserInput{UserName: aws.String(user)}, fast...), "WaitUntilUserExists")
	ak, err := c.CreateAccessKey(&iam.CreateAccessKeyInput{UserName: aws.String(user)})
	check(err, "CreateAccessKey")
	eq("access key status", aws.StringValue(ak.AccessKey.Status), iam.StatusTypeActive)
	expect(strings.HasPrefix(aws.StringValue(ak.AccessKey.AccessKeyId), "AKIA") && len(aws.StringValue(ak.AccessKey.SecretAccessKey)) == 40, "access key %+v", ak.AccessKey)
	lu, err := c.GetAccessKeyLastUsed(&iam.GetAccessKeyLastUsedInput{AccessKeyId: ak.AccessKey.AccessKeyId})
	check(err, "GetAccessKeyLastUsed")
	eq("last used user", aws.StringValue(lu.UserName), user)
	_, err = c.CreateGroup(&iam.CreateGroupInput{GroupName: aws.String("gov1-group-" + s)})
	check(err, "CreateGroup")
	_, err = c.AddUserToGroup(&iam.AddUserToGroupInput{GroupName: aws.String("gov1-group-" + s), UserName: aws.String(user)})
	check(err, "AddUserToGroup")
	gg, err := c.GetGroup(&iam.GetGroupInput{GroupName: aws.String("gov1-group-" + s)})
	check(err, "GetGroup")
	eq("group users", len(gg.Users), 1)
	lg, err := c.ListGroupsForUser(&iam.ListGroupsForUserInput{UserName: aws.String(user)})
	check(err, "ListGroupsForUser")
	eq("user's groups", len(lg.Groups), 1)
	ip := "gov1-profile-" + s
	_, err = c.CreateInstanceProfile(&iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(ip)})
	check(err, "CreateInstanceProfile")
	check(c.WaitUntilInstanceProfileExistsWithContext(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(ip)}, fast...), "WaitUntilInstanceProfileExists")
	_, err = c.AddRoleToInstanceProfile(&iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(ip), RoleName: aws.String(name)})
	check(err, "AddRoleToInstanceProfile")
	lip, err := c.ListInstanceProfilesForRole(&iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(name)})
	check(err, "ListInstanceProfilesForRole")
	eq("profiles for role", len(lip.InstanceProfiles), 1)
	eq("profile role", aws.StringValue(lip.InstanceProfiles[0].Roles[0].RoleName), name)

	sum, err := c.GetAccountSummary(&iam.GetAccountSummaryInput{})
	check(err, "GetAccountSummary")
	expect(aws.Int64Value(sum.SummaryMap["Roles"]) >= 6, "SummaryMap Roles %d", aws.Int64Value(sum.SummaryMap["Roles"]))
	details := 0
	check(c.GetAccountAuthorizationDetailsPages(&iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int64(5)}, func(p *iam.GetAccountAuthorizationDetailsOutput, _ bool) bool {
		details += len(p.RoleDetailList)
		return details < 20
	}), "GetAccountAuthorizationDetailsPages")
	expect(details >= 6, "authorization details roles %d", details)
	nPolicies := 0
	check(c.ListPoliciesPages(&iam.ListPoliciesInput{Scope: aws.String(iam.PolicyScopeTypeLocal), MaxItems: aws.Int64(100)}, func(p *iam.ListPoliciesOutput, _ bool) bool {
		nPolicies += len(p.Policies)
		return true
	}), "ListPoliciesPages")
	expect(nPolicies >= 1, "local policies %d", nPolicies)

	sim, err := c.SimulatePrincipalPolicy(&iam.SimulatePrincipalPolicyInput{PolicySourceArn: cr.Role.Arn, ActionNames: aws.StringSlice([]string{"s3:GetObject", "s3:PutObject"}),
		ResourceArns: aws.StringSlice([]string{"arn:aws:s3:::b/k"})})
	check(err, "SimulatePrincipalPolicy")
	eq("simulated results", len(sim.EvaluationResults), 2)
	eq("GetObject decision", aws.StringValue(sim.EvaluationResults[0].EvalDecision), iam.PolicyEvaluationDecisionTypeAllowed)
	eq("PutObject decision", aws.StringValue(sim.EvaluationResults[1].EvalDecision), iam.PolicyEvaluationDecisionTypeImplicitDeny)
	var roles []string
	check(c.ListEntitiesForPolicyPages(&iam.ListEntitiesForPolicyInput{PolicyArn: cp.Policy.Arn}, func(p *iam.ListEntitiesForPolicyOutput, _ bool) bool {
		for _, r := range p.PolicyRoles {
			roles = append(roles, aws.StringValue(r.RoleName))
		}
		return true
	}), "ListEntitiesForPolicyPages")
	eq("entities for policy", roles, []string{name})
	_, err = c.TagRole(&iam.TagRoleInput{RoleName: aws.String(name), Tags: []*iam.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	check(err, "TagRole")
	rt, err := c.ListRoleTags(&iam.ListRoleTagsInput{RoleName: aws.String(name)})
	check(err, "ListRoleTags")
	eq("role tags", len(rt.Tags), 2)
	_, err = c.UpdateAssumeRolePolicy(&iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name), PolicyDocument: aws.String(trustPolicy)})
	check(err, "UpdateAssumeRolePolicy")
	_, err = c.UpdateAssumeRolePolicy(&iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name), PolicyDocument: aws.String("{")})
	expectErr(err, "UpdateAssumeRolePolicy bad JSON", iam.ErrCodeMalformedPolicyDocumentException, 400)
	me, err := c.GetUser(&iam.GetUserInput{})
	check(err, "GetUser (the caller)")
	eq("caller arn", aws.StringValue(me.User.Arn), "arn:aws:iam::"+account+":root")
	slr, err := c.CreateServiceLinkedRole(&iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")})
	if err == nil {
		eq("service-linked role path", aws.StringValue(slr.Role.Path), "/aws-service-role/ecs.amazonaws.com/")
	} else {
		expectErr(err, "CreateServiceLinkedRole again", "InvalidInput", 400)
	}

	_, err = c.DeleteRole(&iam.DeleteRoleInput{RoleName: aws.String(name)})
	expectErr(err, "DeleteRole with policies", iam.ErrCodeDeleteConflictException, 409)
	_, err = c.DeletePolicy(&iam.DeletePolicyInput{PolicyArn: cp.Policy.Arn})
	expectErr(err, "DeletePolicy attached", iam.ErrCodeDeleteConflictException, 409)
	_, err = c.RemoveRoleFromInstanceProfile(&iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String(ip), RoleName: aws.String(name)})
	check(err, "RemoveRoleFromInstanceProfile")
	_, err = c.DeleteInstanceProfile(&iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String(ip)})
	check(err, "DeleteInstanceProfile")
	_, err = c.DetachRolePolicy(&iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: cp.Policy.Arn})
	check(err, "DetachRolePolicy")
	_, err = c.DeleteRolePolicy(&iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("inline")})
	check(err, "DeleteRolePolicy")
	_, err = c.DeleteRole(&iam.DeleteRoleInput{RoleName: aws.String(name)})
	check(err, "DeleteRole")
	_, err = c.DeleteRole(&iam.DeleteRoleInput{RoleName: aws.String(name)})
	expectErr(err, "DeleteRole again", iam.ErrCodeNoSuchEntityException, 404)
	_, err = c.CreateRole(&iam.CreateRoleInput{RoleName: aws.String("bad name!"), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	expectErr(err, "CreateRole invalid name", "ValidationError", 400)
}

// ---------------------------------------------------------------------------------------------------- ECS

func defaultSubnet() (subnet, vpc string) {
	out, err := ec2.New(sess).DescribeSubnets(&ec2.DescribeSubnetsInput{Filters: []*ec2.Filter{{Name: aws.String("default-for-az"), Values: aws.StringSlice([]string{"true"})}}})
	check(err, "DescribeSubnets default-for-az")
	expect(len(out.Subnets) > 0, "no default subnets")
	return aws.StringValue(out.Subnets[0].SubnetId), aws.StringValue(out.Subnets[0].VpcId)
}

func runECS() {
	c := ecs.New(sess)
	subnet, _ := defaultSubnet()
	cluster := "gov1-cluster-" + suffix()
	cc, err := c.CreateCluster(&ecs.CreateClusterInput{ClusterName: aws.String(cluster), Tags: []*ecs.Tag{{Key: aws.String("team"), Value: aws.String("go")}},
		Settings: []*ecs.ClusterSetting{{Name: aws.String(ecs.ClusterSettingNameContainerInsights), Value: aws.String("enabled")}}})
	check(err, "CreateCluster")
	eq("cluster status", aws.StringValue(cc.Cluster.Status), "ACTIVE")
	eq("cluster arn", aws.StringValue(cc.Cluster.ClusterArn), "arn:aws:ecs:us-east-1:"+account+":cluster/"+cluster)

	family := "gov1-web-" + suffix()
	var tdArns []string
	for i := 0; i < 3; i++ {
		td, err := c.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionInput{
			Family: aws.String(family), NetworkMode: aws.String(ecs.NetworkModeAwsvpc), RequiresCompatibilities: aws.StringSlice([]string{ecs.CompatibilityFargate}),
			Cpu: aws.String("256"), Memory: aws.String("512"),
			ContainerDefinitions: []*ecs.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx:latest"), Essential: aws.Bool(true),
				PortMappings: []*ecs.PortMapping{{ContainerPort: aws.Int64(80), Protocol: aws.String("tcp")}},
				Environment:  []*ecs.KeyValuePair{{Name: aws.String("N"), Value: aws.String(fmt.Sprint(i))}},
				HealthCheck:  &ecs.HealthCheck{Command: aws.StringSlice([]string{"CMD-SHELL", "true"}), Interval: aws.Int64(10)}}},
		})
		check(err, "RegisterTaskDefinition")
		eq("revision", aws.Int64Value(td.TaskDefinition.Revision), i+1)
		recent("RegisteredAt", td.TaskDefinition.RegisteredAt)
		tdArns = append(tdArns, aws.StringValue(td.TaskDefinition.TaskDefinitionArn))
	}
	var listedTDs []string
	check(c.ListTaskDefinitionsPages(&ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(family), MaxResults: aws.Int64(2)}, func(p *ecs.ListTaskDefinitionsOutput, _ bool) bool {
		expect(len(p.TaskDefinitionArns) <= 2, "ListTaskDefinitions page of %d", len(p.TaskDefinitionArns))
		listedTDs = append(listedTDs, aws.StringValueSlice(p.TaskDefinitionArns)...)
		return true
	}), "ListTaskDefinitionsPages")
	eq("task definitions", listedTDs, tdArns)
	tdArn := tdArns[2]
	dtd, err := c.DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(family), Include: aws.StringSlice([]string{ecs.TaskDefinitionFieldTags})})
	check(err, "DescribeTaskDefinition by family")
	eq("latest revision", aws.StringValue(dtd.TaskDefinition.TaskDefinitionArn), tdArn)
	eq("health check interval", aws.Int64Value(dtd.TaskDefinition.ContainerDefinitions[0].HealthCheck.Interval), 10)

	rt, err := c.RunTask(&ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: aws.String(tdArn), LaunchType: aws.String(ecs.LaunchTypeFargate), Count: aws.Int64(3),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: aws.StringSlice([]string{subnet}), AssignPublicIp: aws.String(ecs.AssignPublicIpEnabled)}},
		Overrides:            &ecs.TaskOverride{ContainerOverrides: []*ecs.ContainerOverride{{Name: aws.String("web"), Command: aws.StringSlice([]string{"echo", "hi"})}}},
		StartedBy:            aws.String("gov1")})
	check(err, "RunTask")
	eq("RunTask failures", len(rt.Failures), 0)
	eq("RunTask tasks", len(rt.Tasks), 3)
	var arns []string
	for _, t := range rt.Tasks {
		arns = append(arns, aws.StringValue(t.TaskArn))
	}
	check(c.WaitUntilTasksRunningWithContext(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: aws.StringSlice(arns)}, fast...), "WaitUntilTasksRunning")
	dt, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: aws.StringSlice(arns), Include: aws.StringSlice([]string{ecs.TaskFieldTags})})
	check(err, "DescribeTasks")
	for _, t := range dt.Tasks {
		eq("task status", aws.StringValue(t.LastStatus), "RUNNING")
		eq("task cpu", aws.StringValue(t.Cpu), "256")
		eq("started by", aws.StringValue(t.StartedBy), "gov1")
		recent("task CreatedAt", t.CreatedAt)
		recent("task StartedAt", t.StartedAt)
		eq("override command", aws.StringValueSlice(t.Overrides.ContainerOverrides[0].Command), []string{"echo", "hi"})
		expect(len(t.Attachments) == 1 && aws.StringValue(t.Attachments[0].Type) == "ElasticNetworkInterface", "ENI attachment %v", t.Attachments)
		expect(len(t.Containers) == 1 && len(t.Containers[0].NetworkInterfaces) == 1 && aws.StringValue(t.Containers[0].NetworkInterfaces[0].PrivateIpv4Address) != "", "container network %v", t.Containers)
	}
	var listed []string
	pages := 0
	check(c.ListTasksPages(&ecs.ListTasksInput{Cluster: aws.String(cluster), MaxResults: aws.Int64(2), StartedBy: aws.String("gov1")}, func(p *ecs.ListTasksOutput, _ bool) bool {
		pages++
		listed = append(listed, aws.StringValueSlice(p.TaskArns)...)
		return true
	}), "ListTasksPages")
	sort.Strings(listed)
	want := append([]string(nil), arns...)
	sort.Strings(want)
	eq("ListTasks", listed, want)
	eq("ListTasks pages", pages, 2)

	_, err = c.StopTask(&ecs.StopTaskInput{Cluster: aws.String(cluster), Task: aws.String(arns[0]), Reason: aws.String("v1 says stop")})
	check(err, "StopTask")
	check(c.WaitUntilTasksStoppedWithContext(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: aws.StringSlice(arns[:1])}, fast...), "WaitUntilTasksStopped")
	st, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: aws.StringSlice(append(arns[:1:1], "arn:aws:ecs:us-east-1:"+account+":task/"+cluster+"/0123456789abcdef0123456789abcdef"))})
	check(err, "DescribeTasks stopped")
	eq("stopped reason", aws.StringValue(st.Tasks[0].StoppedReason), "v1 says stop")
	eq("stop code", aws.StringValue(st.Tasks[0].StopCode), ecs.TaskStopCodeUserInitiated)
	recent("StoppedAt", st.Tasks[0].StoppedAt)
	eq("missing task failure", len(st.Failures), 1)
	eq("missing task reason", aws.StringValue(st.Failures[0].Reason), "MISSING")

	svc, err := c.CreateService(&ecs.CreateServiceInput{Cluster: aws.String(cluster), ServiceName: aws.String("gov1-svc"), TaskDefinition: aws.String(tdArn),
		DesiredCount: aws.Int64(2), LaunchType: aws.String(ecs.LaunchTypeFargate),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: aws.Int64(200), MinimumHealthyPercent: aws.Int64(50),
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: aws.Bool(true), Rollback: aws.Bool(true)}},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: aws.StringSlice([]string{subnet})}}})
	check(err, "CreateService")
	eq("service status", aws.StringValue(svc.Service.Status), "ACTIVE")
	eq("MinimumHealthyPercent", aws.Int64Value(svc.Service.DeploymentConfiguration.MinimumHealthyPercent), 50)
	_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: aws.String(cluster), ServiceName: aws.String("gov1-svc"), TaskDefinition: aws.String(tdArn), DesiredCount: aws.Int64(1)})
	expectErr(err, "CreateService again", ecs.ErrCodeInvalidParameterException, 400)
	check(c.WaitUntilServicesStableWithContext(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: aws.StringSlice([]string{"gov1-svc"})}, fast...), "WaitUntilServicesStable")
	ds, err := c.DescribeServices(&ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: aws.StringSlice([]string{"gov1-svc", "gov1-no-such-svc"})})
	check(err, "DescribeServices")
	eq("running count", aws.Int64Value(ds.Services[0].RunningCount), 2)
	eq("deployments", len(ds.Services[0].Deployments), 1)
	eq("rollout state", aws.StringValue(ds.Services[0].Deployments[0].RolloutState), ecs.DeploymentRolloutStateCompleted)
	recent("service CreatedAt", ds.Services[0].CreatedAt)
	expect(len(ds.Services[0].Events) >= 1, "service events %v", ds.Services[0].Events)
	eq("DescribeServices failures", len(ds.Failures), 1)
	// A new task definition revision rolls out a second deployment.
	_, err = c.UpdateService(&ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String("gov1-svc"), TaskDefinition: aws.String(tdArns[1]), DesiredCount: aws.Int64(1)})
	check(err, "UpdateService")
	check(c.WaitUntilServicesStableWithContext(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: aws.StringSlice([]string{"gov1-svc"})}, fast...), "WaitUntilServicesStable after update")
	ds, err = c.DescribeServices(&ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: aws.StringSlice([]string{"gov1-svc"})})
	check(err, "DescribeServices after update")
	eq("task definition after update", aws.StringValue(ds.Services[0].TaskDefinition), tdArns[1])
	eq("running after update", aws.Int64Value(ds.Services[0].RunningCount), 1)
	var services []string
	check(c.ListServicesPages(&ecs.ListServicesInput{Cluster: aws.String(cluster)}, func(p *ecs.ListServicesOutput, _ bool) bool {
		services = append(services, aws.StringValueSlice(p.ServiceArns)...)
		return true
	}), "ListServicesPages")
	eq("services", services, []string{"arn:aws:ecs:us-east-1:" + account + ":service/" + cluster + "/gov1-svc"})
	_, err = c.DeleteService(&ecs.DeleteServiceInput{Cluster: aws.String(cluster), Service: aws.String("gov1-svc"), Force: aws.Bool(true)})
	check(err, "DeleteService")
	check(c.WaitUntilServicesInactiveWithContext(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: aws.StringSlice([]string{"gov1-svc"})}, fast...), "WaitUntilServicesInactive")
	// A waiter's failure acceptor ends it at once: MISSING in Failures.
	start := time.Now()
	err = c.WaitUntilServicesStableWithContext(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: aws.StringSlice([]string{"gov1-no-such-svc"})}, fast...)
	expect(err != nil && err.(awserr.Error).Code() == request.WaiterResourceNotReadyErrorCode && time.Since(start) < 5*time.Second, "ServicesStable on a missing service: %v after %s", err, time.Since(start))
	_, err = c.UpdateService(&ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String("gov1-no-such-svc"), DesiredCount: aws.Int64(1)})
	expectErr(err, "UpdateService missing", ecs.ErrCodeServiceNotFoundException, 400)
	_, err = c.ListTasks(&ecs.ListTasksInput{Cluster: aws.String("gov1-no-such-cluster")})
	expectErr(err, "ListTasks missing cluster", ecs.ErrCodeClusterNotFoundException, 400)

	dc, err := c.DescribeClusters(&ecs.DescribeClustersInput{Clusters: aws.StringSlice([]string{cluster}), Include: aws.StringSlice([]string{ecs.ClusterFieldSettings, ecs.ClusterFieldTags, ecs.ClusterFieldStatistics})})
	check(err, "DescribeClusters")
	eq("cluster running tasks", aws.Int64Value(dc.Clusters[0].RunningTasksCount), 2)
	eq("cluster settings", aws.StringValue(dc.Clusters[0].Settings[0].Value), "enabled")
	eq("cluster tags", len(dc.Clusters[0].Tags), 1)
	clusters := 0
	check(c.ListClustersPages(&ecs.ListClustersInput{MaxResults: aws.Int64(1)}, func(p *ecs.ListClustersOutput, _ bool) bool {
		clusters += len(p.ClusterArns)
		return clusters < 50
	}), "ListClustersPages")
	expect(clusters >= 1, "clusters %d", clusters)
	_, err = c.TagResource(&ecs.TagResourceInput{ResourceArn: cc.Cluster.ClusterArn, Tags: []*ecs.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	check(err, "TagResource")
	tags, err := c.ListTagsForResource(&ecs.ListTagsForResourceInput{ResourceArn: cc.Cluster.ClusterArn})
	check(err, "ListTagsForResource")
	eq("tags", len(tags.Tags), 2)
	_, err = c.PutAccountSetting(&ecs.PutAccountSettingInput{Name: aws.String(ecs.SettingNameContainerInsights), Value: aws.String("enabled")})
	check(err, "PutAccountSetting")
	las, err := c.ListAccountSettings(&ecs.ListAccountSettingsInput{Name: aws.String(ecs.SettingNameContainerInsights), EffectiveSettings: aws.Bool(true)})
	check(err, "ListAccountSettings")
	eq("account setting", aws.StringValue(las.Settings[0].Value), "enabled")

	ecsAgent(c, cluster)
	taskRoleCredentials(c, cluster, subnet)

	_, err = c.DeleteCluster(&ecs.DeleteClusterInput{Cluster: aws.String(cluster)})
	expectErr(err, "DeleteCluster with tasks", ecs.ErrCodeClusterContainsTasksException, 400)
	for _, a := range arns[1:] {
		_, err = c.StopTask(&ecs.StopTaskInput{Cluster: aws.String(cluster), Task: aws.String(a)})
		check(err, "StopTask rest")
	}
	check(c.WaitUntilTasksStoppedWithContext(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: aws.StringSlice(arns)}, fast...), "WaitUntilTasksStopped all")
	for _, a := range tdArns {
		_, err = c.DeregisterTaskDefinition(&ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(a)})
		check(err, "DeregisterTaskDefinition")
	}
	gone, err := c.DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(tdArns[0])})
	check(err, "DescribeTaskDefinition deregistered")
	eq("deregistered status", aws.StringValue(gone.TaskDefinition.Status), ecs.TaskDefinitionStatusInactive)
	recent("DeregisteredAt", gone.TaskDefinition.DeregisteredAt)
	var families []string
	check(c.ListTaskDefinitionFamiliesPages(&ecs.ListTaskDefinitionFamiliesInput{FamilyPrefix: aws.String(family), Status: aws.String(ecs.TaskDefinitionFamilyStatusInactive)}, func(p *ecs.ListTaskDefinitionFamiliesOutput, _ bool) bool {
		families = append(families, aws.StringValueSlice(p.Families)...)
		return true
	}), "ListTaskDefinitionFamiliesPages")
	eq("inactive families", families, []string{family})
	_, err = c.DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(family)})
	expectErr(err, "DescribeTaskDefinition of a family with no active revision", ecs.ErrCodeClientException, 400)
	dcl, err := c.DeleteCluster(&ecs.DeleteClusterInput{Cluster: aws.String(cluster)})
	check(err, "DeleteCluster")
	eq("deleted cluster status", aws.StringValue(dcl.Cluster.Status), "INACTIVE")
}

// taskRoleCredentials: a v1 program inside a task gets its task role's credentials from the container
// credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI, v1's endpointcreds provider) and acts as the
// role's session named after the task.
func taskRoleCredentials(c *ecs.ECS, cluster, subnet string) {
	role, err := iam.New(sess).CreateRole(&iam.CreateRoleInput{RoleName: aws.String("gov1-task-" + suffix()), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	check(err, "CreateRole for the task")
	td, err := c.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionInput{Family: aws.String("gov1-role-" + suffix()), TaskRoleArn: role.Role.Arn,
		NetworkMode: aws.String(ecs.NetworkModeAwsvpc), RequiresCompatibilities: aws.StringSlice([]string{ecs.CompatibilityFargate}), Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []*ecs.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("busybox")}}})
	check(err, "RegisterTaskDefinition with a task role")
	rt, err := c.RunTask(&ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, LaunchType: aws.String(ecs.LaunchTypeFargate),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: aws.StringSlice([]string{subnet})}}})
	check(err, "RunTask with a task role")
	taskID := aws.StringValue(rt.Tasks[0].TaskArn)[strings.LastIndex(aws.StringValue(rt.Tasks[0].TaskArn), "/")+1:]
	creds := endpointcreds.NewCredentialsClient(*sess.Config, sess.Handlers, aws.StringValue(sess.Config.Endpoint)+"/_awsim/ecs/credentials/"+taskID)
	v, err := creds.Get()
	check(err, "container credentials")
	expect(strings.HasPrefix(v.AccessKeyID, "ASIA") && v.SessionToken != "", "container credentials %+v", v)
	ea, err := creds.ExpiresAt()
	check(err, "container credentials ExpiresAt")
	expect(ea.After(time.Now().Add(time.Hour)), "container credentials expire at %v", ea)
	who, err := sts.New(sess, &aws.Config{Credentials: creds}).GetCallerIdentity(&sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity with the task's credentials")
	eq("task role session", aws.StringValue(who.Arn), "arn:aws:sts::"+account+":assumed-role/"+aws.StringValue(role.Role.RoleName)+"/"+taskID)
	eq("task role UserId", aws.StringValue(who.UserId), aws.StringValue(role.Role.RoleId)+":"+taskID)
	_, err = c.StopTask(&ecs.StopTaskInput{Cluster: aws.String(cluster), Task: rt.Tasks[0].TaskArn})
	check(err, "StopTask (task role)")
	check(c.WaitUntilTasksStoppedWithContext(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: []*string{rt.Tasks[0].TaskArn}}, fast...), "WaitUntilTasksStopped (task role)")
	_, err = c.DeregisterTaskDefinition(&ecs.DeregisterTaskDefinitionInput{TaskDefinition: td.TaskDefinition.TaskDefinitionArn})
	check(err, "DeregisterTaskDefinition (task role)")
}

// ecsAgent is what the ECS container agent (a v1-era Go client) does on an EC2 instance: register with its
// identity document and resources, find its poll endpoint; then tasks of the EC2 launch type land on it and
// use its resources, and draining moves nothing new onto it.
func ecsAgent(c *ecs.ECS, cluster string) {
	doc := fmt.Sprintf(`{"instanceId":"i-0abc%013d","region":"us-east-1","availabilityZone":"us-east-1b","instanceType":"m5.large","imageId":"ami-0123456789abcdef0","architecture":"x86_64","accountId":"%s"}`,
		time.Now().UnixNano()%10_000_000_000_000, account)
	reg, err := c.RegisterContainerInstance(&ecs.RegisterContainerInstanceInput{Cluster: aws.String(cluster), InstanceIdentityDocument: aws.String(doc),
		InstanceIdentityDocumentSignature: aws.String("sig"),
		TotalResources: []*ecs.Resource{{Name: aws.String("CPU"), Type: aws.String("INTEGER"), IntegerValue: aws.Int64(2048)},
			{Name: aws.String("MEMORY"), Type: aws.String("INTEGER"), IntegerValue: aws.Int64(7680)},
			{Name: aws.String("PORTS"), Type: aws.String("STRINGSET"), StringSetValue: aws.StringSlice([]string{"22", "2375", "2376", "51678", "51679"})}},
		VersionInfo: &ecs.VersionInfo{AgentVersion: aws.String("1.80.0"), DockerVersion: aws.String("DockerVersion: 24.0.5")},
		Attributes:  []*ecs.Attribute{{Name: aws.String("stack"), Value: aws.String("gov1")}}})
	check(err, "RegisterContainerInstance")
	ci := reg.ContainerInstance
	eq("container instance status", aws.StringValue(ci.Status), "ACTIVE")
	eq("agent connected", aws.BoolValue(ci.AgentConnected), true)
	recent("RegisteredAt", ci.RegisteredAt)
	ciArn := aws.StringValue(ci.ContainerInstanceArn)
	pe, err := c.DiscoverPollEndpoint(&ecs.DiscoverPollEndpointInput{Cluster: aws.String(cluster), ContainerInstance: aws.String(ciArn)})
	check(err, "DiscoverPollEndpoint")
	expect(aws.StringValue(pe.Endpoint) != "" && aws.StringValue(pe.TelemetryEndpoint) != "", "poll endpoints %v", pe)

	td, err := c.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionInput{Family: aws.String("gov1-ec2-" + suffix()), NetworkMode: aws.String(ecs.NetworkModeBridge),
		ContainerDefinitions: []*ecs.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("busybox"), Cpu: aws.Int64(512), Memory: aws.Int64(1024), Essential: aws.Bool(true),
			PortMappings: []*ecs.PortMapping{{ContainerPort: aws.Int64(8080), HostPort: aws.Int64(8080)}}}}})
	check(err, "RegisterTaskDefinition bridge")
	rt, err := c.RunTask(&ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, LaunchType: aws.String(ecs.LaunchTypeEc2), Count: aws.Int64(1)})
	check(err, "RunTask EC2")
	eq("RunTask EC2 failures", len(rt.Failures), 0)
	task := rt.Tasks[0]
	eq("task container instance", aws.StringValue(task.ContainerInstanceArn), ciArn)
	check(c.WaitUntilTasksRunningWithContext(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: []*string{task.TaskArn}}, fast...), "WaitUntilTasksRunning EC2")
	// The host port is taken now: a second copy finds no room (RESOURCE:PORTS).
	again, err := c.RunTask(&ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, LaunchType: aws.String(ecs.LaunchTypeEc2)})
	check(err, "RunTask EC2 again")
	expect(len(again.Tasks) == 0 && len(again.Failures) == 1 && aws.StringValue(again.Failures[0].Reason) == "RESOURCE:PORTS", "second task tasks=%d failures=%v", len(again.Tasks), again.Failures)
	dci, err := c.DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: aws.String(cluster), ContainerInstances: aws.StringSlice([]string{ciArn})})
	check(err, "DescribeContainerInstances")
	got := dci.ContainerInstances[0]
	eq("running tasks on the instance", aws.Int64Value(got.RunningTasksCount), 1)
	for _, r := range got.RemainingResources {
		switch aws.StringValue(r.Name) {
		case "CPU":
			eq("remaining CPU", aws.Int64Value(r.IntegerValue), 2048-512)
		case "MEMORY":
			eq("remaining MEMORY", aws.Int64Value(r.IntegerValue), 7680-1024)
		}
	}
	var listed []string
	check(c.ListContainerInstancesPages(&ecs.ListContainerInstancesInput{Cluster: aws.String(cluster), Filter: aws.String("attribute:stack == gov1"), MaxResults: aws.Int64(1)},
		func(p *ecs.ListContainerInstancesOutput, _ bool) bool {
			listed = append(listed, aws.StringValueSlice(p.ContainerInstanceArns)...)
			return true
		}), "ListContainerInstancesPages")
	eq("container instances", listed, []string{ciArn})
	_, err = c.UpdateContainerInstancesState(&ecs.UpdateContainerInstancesStateInput{Cluster: aws.String(cluster), ContainerInstances: aws.StringSlice([]string{ciArn}), Status: aws.String(ecs.ContainerInstanceStatusDraining)})
	check(err, "UpdateContainerInstancesState DRAINING")
	_, err = c.StopTask(&ecs.StopTaskInput{Cluster: aws.String(cluster), Task: task.TaskArn})
	check(err, "StopTask EC2")
	check(c.WaitUntilTasksStoppedWithContext(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: []*string{task.TaskArn}}, fast...), "WaitUntilTasksStopped EC2")
	dr, err := c.RunTask(&ecs.RunTaskInput{Cluster: aws.String(cluster), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, LaunchType: aws.String(ecs.LaunchTypeEc2)})
	check(err, "RunTask EC2 while draining")
	eq("tasks placed on a draining instance", len(dr.Tasks), 0)
	_, err = c.DeregisterContainerInstance(&ecs.DeregisterContainerInstanceInput{Cluster: aws.String(cluster), ContainerInstance: aws.String(ciArn), Force: aws.Bool(true)})
	check(err, "DeregisterContainerInstance")
	_, err = c.DeregisterTaskDefinition(&ecs.DeregisterTaskDefinitionInput{TaskDefinition: td.TaskDefinition.TaskDefinitionArn})
	check(err, "DeregisterTaskDefinition bridge")
}

// ---------------------------------------------------------------------------------------------------- EC2

func runEC2() {
	c := ec2.New(sess)
	dv, err := c.DescribeVpcs(&ec2.DescribeVpcsInput{Filters: []*ec2.Filter{{Name: aws.String("is-default"), Values: aws.StringSlice([]string{"true"})}}})
	check(err, "DescribeVpcs")
	eq("default VPCs", len(dv.Vpcs), 1)
	eq("default VPC CIDR", aws.StringValue(dv.Vpcs[0].CidrBlock), "172.31.0.0/16")

	cv, err := c.CreateVpc(&ec2.CreateVpcInput{CidrBlock: aws.String("10.43.0.0/16"), TagSpecifications: []*ec2.TagSpecification{
		{ResourceType: aws.String(ec2.ResourceTypeVpc), Tags: []*ec2.Tag{{Key: aws.String("Name"), Value: aws.String("gov1-vpc")}}}}})
	check(err, "CreateVpc")
	vpcID := aws.StringValue(cv.Vpc.VpcId)
	check(c.WaitUntilVpcAvailableWithContext(ctx, &ec2.DescribeVpcsInput{VpcIds: aws.StringSlice([]string{vpcID})}, fast...), "WaitUntilVpcAvailable")
	check(c.WaitUntilVpcExistsWithContext(ctx, &ec2.DescribeVpcsInput{VpcIds: aws.StringSlice([]string{vpcID})}, fast...), "WaitUntilVpcExists")
	_, err = c.ModifyVpcAttribute(&ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpcID), EnableDnsHostnames: &ec2.AttributeBooleanValue{Value: aws.Bool(true)}})
	check(err, "ModifyVpcAttribute")
	va, err := c.DescribeVpcAttribute(&ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpcID), Attribute: aws.String(ec2.VpcAttributeNameEnableDnsHostnames)})
	check(err, "DescribeVpcAttribute")
	eq("EnableDnsHostnames", aws.BoolValue(va.EnableDnsHostnames.Value), true)
	cs, err := c.CreateSubnet(&ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.43.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	check(err, "CreateSubnet")
	subnetID := aws.StringValue(cs.Subnet.SubnetId)
	eq("subnet free addresses", aws.Int64Value(cs.Subnet.AvailableIpAddressCount), 251)
	check(c.WaitUntilSubnetAvailableWithContext(ctx, &ec2.DescribeSubnetsInput{SubnetIds: aws.StringSlice([]string{subnetID})}, fast...), "WaitUntilSubnetAvailable")
	_, err = c.CreateSubnet(&ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.43.1.0/24")})
	expectErr(err, "CreateSubnet overlapping", "InvalidSubnet.Conflict", 400)

	igw, err := c.CreateInternetGateway(&ec2.CreateInternetGatewayInput{})
	check(err, "CreateInternetGateway")
	igwID := aws.StringValue(igw.InternetGateway.InternetGatewayId)
	check(c.WaitUntilInternetGatewayExistsWithContext(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: aws.StringSlice([]string{igwID})}, fast...), "WaitUntilInternetGatewayExists")
	_, err = c.AttachInternetGateway(&ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(igwID), VpcId: aws.String(vpcID)})
	check(err, "AttachInternetGateway")
	rtb, err := c.CreateRouteTable(&ec2.CreateRouteTableInput{VpcId: aws.String(vpcID)})
	check(err, "CreateRouteTable")
	_, err = c.CreateRoute(&ec2.CreateRouteInput{RouteTableId: rtb.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igwID)})
	check(err, "CreateRoute")
	assoc, err := c.AssociateRouteTable(&ec2.AssociateRouteTableInput{RouteTableId: rtb.RouteTable.RouteTableId, SubnetId: aws.String(subnetID)})
	check(err, "AssociateRouteTable")
	expect(strings.HasPrefix(aws.StringValue(assoc.AssociationId), "rtbassoc-"), "AssociationId %q", aws.StringValue(assoc.AssociationId))
	drt, err := c.DescribeRouteTables(&ec2.DescribeRouteTablesInput{RouteTableIds: []*string{rtb.RouteTable.RouteTableId}})
	check(err, "DescribeRouteTables")
	eq("routes", len(drt.RouteTables[0].Routes), 2)

	sg, err := c.CreateSecurityGroup(&ec2.CreateSecurityGroupInput{GroupName: aws.String("gov1-sg"), Description: aws.String("from Go v1"), VpcId: aws.String(vpcID)})
	check(err, "CreateSecurityGroup")
	sgID := aws.StringValue(sg.GroupId)
	check(c.WaitUntilSecurityGroupExistsWithContext(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: aws.StringSlice([]string{sgID})}, fast...), "WaitUntilSecurityGroupExists")
	perm := []*ec2.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int64(443), ToPort: aws.Int64(443), IpRanges: []*ec2.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("https")}}}}
	_, err = c.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sgID), IpPermissions: perm})
	check(err, "AuthorizeSecurityGroupIngress")
	_, err = c.AuthorizeSecurityGroupIngress(&ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sgID), IpPermissions: perm})
	expectErr(err, "AuthorizeSecurityGroupIngress duplicate", "InvalidPermission.Duplicate", 400)
	dsg, err := c.DescribeSecurityGroups(&ec2.DescribeSecurityGroupsInput{GroupIds: aws.StringSlice([]string{sgID})})
	check(err, "DescribeSecurityGroups")
	eq("ingress port", aws.Int64Value(dsg.SecurityGroups[0].IpPermissions[0].FromPort), 443)
	eq("ingress description", aws.StringValue(dsg.SecurityGroups[0].IpPermissions[0].IpRanges[0].Description), "https")
	eq("default egress", len(dsg.SecurityGroups[0].IpPermissionsEgress), 1)
	_, err = c.DescribeSecurityGroups(&ec2.DescribeSecurityGroupsInput{GroupIds: aws.StringSlice([]string{"sg-0123456789abcdef0"})})
	expectErr(err, "DescribeSecurityGroups missing", "InvalidGroup.NotFound", 400)

	kp, err := c.CreateKeyPair(&ec2.CreateKeyPairInput{KeyName: aws.String("gov1-key-" + vpcID)})
	check(err, "CreateKeyPair")
	check(c.WaitUntilKeyPairExistsWithContext(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []*string{kp.KeyName}}, fast...), "WaitUntilKeyPairExists")
	expect(strings.Contains(aws.StringValue(kp.KeyMaterial), "PRIVATE KEY"), "KeyMaterial %.40q", aws.StringValue(kp.KeyMaterial))
	_, err = c.CreateKeyPair(&ec2.CreateKeyPairInput{KeyName: kp.KeyName})
	expectErr(err, "CreateKeyPair again", "InvalidKeyPair.Duplicate", 400)

	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho v1\n"))
	ri, err := c.RunInstances(&ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: aws.String(ec2.InstanceTypeT3Micro),
		MinCount: aws.Int64(3), MaxCount: aws.Int64(3), SubnetId: aws.String(subnetID), SecurityGroupIds: aws.StringSlice([]string{sgID}), KeyName: kp.KeyName, UserData: aws.String(userData),
		TagSpecifications: []*ec2.TagSpecification{{ResourceType: aws.String(ec2.ResourceTypeInstance), Tags: []*ec2.Tag{{Key: aws.String("Name"), Value: aws.String("gov1")}}}}})
	check(err, "RunInstances")
	eq("instances", len(ri.Instances), 3)
	expect(strings.HasPrefix(aws.StringValue(ri.ReservationId), "r-"), "ReservationId %q", aws.StringValue(ri.ReservationId))
	eq("owner", aws.StringValue(ri.OwnerId), account)
	var ids []string
	for _, i := range ri.Instances {
		ids = append(ids, aws.StringValue(i.InstanceId))
		eq("launch state", aws.StringValue(i.State.Name), ec2.InstanceStateNamePending)
		eq("launch state code", aws.Int64Value(i.State.Code), 0)
		recent("LaunchTime", i.LaunchTime)
		expect(strings.HasPrefix(aws.StringValue(i.PrivateIpAddress), "10.43.1."), "PrivateIpAddress %q", aws.StringValue(i.PrivateIpAddress))
		eq("instance AZ", aws.StringValue(i.Placement.AvailabilityZone), "us-east-1a")
	}
	check(c.WaitUntilInstanceExistsWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice(ids)}, fast...), "WaitUntilInstanceExists")
	check(c.WaitUntilInstanceRunningWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice(ids)}, fast...), "WaitUntilInstanceRunning")
	check(c.WaitUntilInstanceStatusOkWithContext(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: aws.StringSlice(ids)}, fast...), "WaitUntilInstanceStatusOk")
	check(c.WaitUntilSystemStatusOkWithContext(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: aws.StringSlice(ids)}, fast...), "WaitUntilSystemStatusOk")
	ua, err := c.DescribeInstanceAttribute(&ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(ids[0]), Attribute: aws.String(ec2.InstanceAttributeNameUserData)})
	check(err, "DescribeInstanceAttribute userData")
	eq("user data", aws.StringValue(ua.UserData.Value), userData)

	_, err = c.CreateTags(&ec2.CreateTagsInput{Resources: aws.StringSlice(ids[:1]), Tags: []*ec2.Tag{{Key: aws.String("role"), Value: aws.String("web")}}})
	check(err, "CreateTags")
	di, err := c.DescribeInstances(&ec2.DescribeInstancesInput{Filters: []*ec2.Filter{
		{Name: aws.String("tag:role"), Values: aws.StringSlice([]string{"web"})},
		{Name: aws.String("instance-state-name"), Values: aws.StringSlice([]string{"running"})},
		{Name: aws.String("vpc-id"), Values: aws.StringSlice([]string{vpcID})}}})
	check(err, "DescribeInstances filtered")
	eq("filtered reservations", len(di.Reservations), 1)
	eq("filtered instances", len(di.Reservations[0].Instances), 1)
	inst := di.Reservations[0].Instances[0]
	eq("filtered id", aws.StringValue(inst.InstanceId), ids[0])
	eq("running code", aws.Int64Value(inst.State.Code), 16)
	eq("tags", len(inst.Tags), 2)
	eq("security group", aws.StringValue(inst.SecurityGroups[0].GroupId), sgID)
	eq("ENIs", len(inst.NetworkInterfaces), 1)
	eq("EBS optimized present", inst.EbsOptimized != nil, true)
	// A kubenet-style route to an instance: it goes to the instance's interface and names both (and the owner).
	_, err = c.CreateRoute(&ec2.CreateRouteInput{RouteTableId: rtb.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("100.96.1.0/24"), InstanceId: aws.String(ids[0])})
	check(err, "CreateRoute to an instance")
	drt, err = c.DescribeRouteTables(&ec2.DescribeRouteTablesInput{RouteTableIds: []*string{rtb.RouteTable.RouteTableId}, Filters: []*ec2.Filter{{Name: aws.String("route.instance-id"), Values: aws.StringSlice(ids[:1])}}})
	check(err, "DescribeRouteTables by route.instance-id")
	eq("route tables routing to the instance", len(drt.RouteTables), 1)
	for _, r := range drt.RouteTables[0].Routes {
		if aws.StringValue(r.DestinationCidrBlock) == "100.96.1.0/24" {
			eq("instance route", fmt.Sprint(aws.StringValue(r.InstanceId), " ", aws.StringValue(r.InstanceOwnerId), " ", aws.StringValue(r.NetworkInterfaceId), " ", aws.StringValue(r.State)),
				fmt.Sprint(ids[0], " ", account, " ", aws.StringValue(inst.NetworkInterfaces[0].NetworkInterfaceId), " active"))
		}
	}
	_, err = c.DescribeInstances(&ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice([]string{"i-0123456789abcdef0"})})
	expectErr(err, "DescribeInstances unknown id", "InvalidInstanceID.NotFound", 400)
	// v1 sends a non-nil empty list as `Name=`: an empty Filter= is refused by EC2 (kubernetes#22788;
	// Terraform's v1-era data sources drop empty filter lists as "the EC2 API won't accept it").
	_, err = c.DescribeInstances(&ec2.DescribeInstancesInput{Filters: []*ec2.Filter{}})
	expectErr(err, "DescribeInstances with an empty filter list", "InvalidParameterValue", 400)

	// DescribeInstancesPages: MaxResults 5 is EC2's minimum; two of these pages hold our three.
	var paged []string
	pages := 0
	check(c.DescribeInstancesPages(&ec2.DescribeInstancesInput{MaxResults: aws.Int64(5), Filters: []*ec2.Filter{{Name: aws.String("vpc-id"), Values: aws.StringSlice([]string{vpcID})}}}, func(p *ec2.DescribeInstancesOutput, _ bool) bool {
		pages++
		for _, r := range p.Reservations {
			for _, i := range r.Instances {
				paged = append(paged, aws.StringValue(i.InstanceId))
			}
		}
		return pages < 10
	}), "DescribeInstancesPages")
	sort.Strings(paged)
	want := append([]string(nil), ids...)
	sort.Strings(want)
	eq("paged instances", paged, want)

	_, err = c.StopInstances(&ec2.StopInstancesInput{InstanceIds: aws.StringSlice(ids[1:2])})
	check(err, "StopInstances")
	check(c.WaitUntilInstanceStoppedWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice(ids[1:2])}, fast...), "WaitUntilInstanceStopped")
	_, err = c.ModifyInstanceAttribute(&ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(ids[1]), InstanceType: &ec2.AttributeValue{Value: aws.String("t3.small")}})
	check(err, "ModifyInstanceAttribute")
	_, err = c.StartInstances(&ec2.StartInstancesInput{InstanceIds: aws.StringSlice(ids[1:2])})
	check(err, "StartInstances")
	check(c.WaitUntilInstanceRunningWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice(ids[1:2])}, fast...), "WaitUntilInstanceRunning after start")
	ds, err := c.DescribeInstanceStatus(&ec2.DescribeInstanceStatusInput{InstanceIds: aws.StringSlice(ids), IncludeAllInstances: aws.Bool(true)})
	check(err, "DescribeInstanceStatus")
	eq("statuses", len(ds.InstanceStatuses), 3)

	vol, err := c.CreateVolume(&ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int64(8), VolumeType: aws.String(ec2.VolumeTypeGp3), Iops: aws.Int64(3000)})
	check(err, "CreateVolume")
	volID := aws.StringValue(vol.VolumeId)
	eq("volume size", aws.Int64Value(vol.Size), 8)
	recent("volume CreateTime", vol.CreateTime)
	check(c.WaitUntilVolumeAvailableWithContext(ctx, &ec2.DescribeVolumesInput{VolumeIds: aws.StringSlice([]string{volID})}, fast...), "WaitUntilVolumeAvailable")
	_, err = c.AttachVolume(&ec2.AttachVolumeInput{VolumeId: aws.String(volID), InstanceId: aws.String(ids[0]), Device: aws.String("/dev/sdf")})
	check(err, "AttachVolume")
	check(c.WaitUntilVolumeInUseWithContext(ctx, &ec2.DescribeVolumesInput{VolumeIds: aws.StringSlice([]string{volID})}, fast...), "WaitUntilVolumeInUse")
	_, err = c.DeleteVolume(&ec2.DeleteVolumeInput{VolumeId: aws.String(volID)})
	expectErr(err, "DeleteVolume attached", "VolumeInUse", 400)
	snap, err := c.CreateSnapshot(&ec2.CreateSnapshotInput{VolumeId: aws.String(volID), Description: aws.String("gov1")})
	check(err, "CreateSnapshot")
	check(c.WaitUntilSnapshotCompletedWithContext(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []*string{snap.SnapshotId}}, fast...), "WaitUntilSnapshotCompleted")
	_, err = c.DetachVolume(&ec2.DetachVolumeInput{VolumeId: aws.String(volID)})
	check(err, "DetachVolume")
	check(c.WaitUntilVolumeAvailableWithContext(ctx, &ec2.DescribeVolumesInput{VolumeIds: aws.StringSlice([]string{volID})}, fast...), "WaitUntilVolumeAvailable after detach")
	ebsCSI(c)
	_, err = c.DeleteVolume(&ec2.DeleteVolumeInput{VolumeId: aws.String(volID)})
	check(err, "DeleteVolume")
	check(c.WaitUntilVolumeDeletedWithContext(ctx, &ec2.DescribeVolumesInput{VolumeIds: aws.StringSlice([]string{volID})}, fast...), "WaitUntilVolumeDeleted")

	eni, err := c.CreateNetworkInterface(&ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(subnetID), Groups: aws.StringSlice([]string{sgID})})
	check(err, "CreateNetworkInterface")
	check(c.WaitUntilNetworkInterfaceAvailableWithContext(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []*string{eni.NetworkInterface.NetworkInterfaceId}}, fast...), "WaitUntilNetworkInterfaceAvailable")
	_, err = c.DeleteNetworkInterface(&ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId})
	check(err, "DeleteNetworkInterface")

	img, err := c.CreateImage(&ec2.CreateImageInput{InstanceId: aws.String(ids[0]), Name: aws.String("gov1-image-" + vpcID)})
	check(err, "CreateImage")
	check(c.WaitUntilImageExistsWithContext(ctx, &ec2.DescribeImagesInput{ImageIds: []*string{img.ImageId}}, fast...), "WaitUntilImageExists")
	check(c.WaitUntilImageAvailableWithContext(ctx, &ec2.DescribeImagesInput{ImageIds: []*string{img.ImageId}}, fast...), "WaitUntilImageAvailable")
	_, err = c.DeregisterImage(&ec2.DeregisterImageInput{ImageId: img.ImageId})
	check(err, "DeregisterImage")

	azs, err := c.DescribeAvailabilityZones(&ec2.DescribeAvailabilityZonesInput{})
	check(err, "DescribeAvailabilityZones")
	expect(len(azs.AvailabilityZones) >= 3, "AZs %d", len(azs.AvailabilityZones))
	eq("AZ state", aws.StringValue(azs.AvailabilityZones[0].State), "available")
	types, err := c.DescribeInstanceTypes(&ec2.DescribeInstanceTypesInput{InstanceTypes: aws.StringSlice([]string{"t3.micro"})})
	check(err, "DescribeInstanceTypes")
	eq("t3.micro vCPUs", aws.Int64Value(types.InstanceTypes[0].VCpuInfo.DefaultVCpus), 2)
	eq("t3.micro memory", aws.Int64Value(types.InstanceTypes[0].MemoryInfo.SizeInMiB), 1024)
	tagPages := 0
	check(c.DescribeTagsPages(&ec2.DescribeTagsInput{Filters: []*ec2.Filter{{Name: aws.String("resource-id"), Values: aws.StringSlice(ids)}}, MaxResults: aws.Int64(5)}, func(p *ec2.DescribeTagsOutput, _ bool) bool {
		tagPages++
		return tagPages < 10
	}), "DescribeTagsPages")

	ids = append(ids, ec2Networking(c, vpcID, subnetID)...)
	ids = append(ids, ec2Packer(c, subnetID, sgID, aws.StringValue(kp.KeyName))...)

	ti, err := c.TerminateInstances(&ec2.TerminateInstancesInput{InstanceIds: aws.StringSlice(ids)})
	check(err, "TerminateInstances")
	eq("terminating", len(ti.TerminatingInstances), len(ids))
	eq("current state", aws.StringValue(ti.TerminatingInstances[0].CurrentState.Name), ec2.InstanceStateNameShuttingDown)
	check(c.WaitUntilInstanceTerminatedWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice(ids)}, fast...), "WaitUntilInstanceTerminated")
	// InstanceRunning's failure acceptor (terminated) ends the wait at once.
	start := time.Now()
	err = c.WaitUntilInstanceRunningWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice(ids[:1])}, fast...)
	expect(err != nil && err.(awserr.Error).Code() == request.WaiterResourceNotReadyErrorCode && time.Since(start) < 5*time.Second, "InstanceRunning on a terminated instance: %v after %s", err, time.Since(start))
	_, err = c.DeleteVpc(&ec2.DeleteVpcInput{VpcId: aws.String(vpcID)})
	expectErr(err, "DeleteVpc with subnet", "DependencyViolation", 400)
	_, err = c.DeleteSecurityGroup(&ec2.DeleteSecurityGroupInput{GroupId: aws.String(sgID)})
	check(err, "DeleteSecurityGroup")
	_, err = c.DisassociateRouteTable(&ec2.DisassociateRouteTableInput{AssociationId: assoc.AssociationId})
	check(err, "DisassociateRouteTable")
	_, err = c.DeleteRouteTable(&ec2.DeleteRouteTableInput{RouteTableId: rtb.RouteTable.RouteTableId})
	check(err, "DeleteRouteTable")
	_, err = c.DetachInternetGateway(&ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(igwID), VpcId: aws.String(vpcID)})
	check(err, "DetachInternetGateway")
	_, err = c.DeleteInternetGateway(&ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(igwID)})
	check(err, "DeleteInternetGateway")
	_, err = c.DeleteSubnet(&ec2.DeleteSubnetInput{SubnetId: aws.String(subnetID)})
	check(err, "DeleteSubnet")
	_, err = c.DeleteVpc(&ec2.DeleteVpcInput{VpcId: aws.String(vpcID)})
	check(err, "DeleteVpc")
	// DryRun: the DryRunOperation error, status 412.
	_, err = c.DescribeVpcs(&ec2.DescribeVpcsInput{DryRun: aws.Bool(true)})
	expectErr(err, "DescribeVpcs DryRun", "DryRunOperation", 412)
}

// ec2Networking runs the rest of EC2's v1 waiters (NAT gateway, peering, VPN, spot) and the Describe*Pages
// paginators, and returns the instances it launched.
func ec2Networking(c *ec2.EC2, vpcID, subnetID string) []string {
	_, defaultVpc := defaultSubnet()
	eip, err := c.AllocateAddress(&ec2.AllocateAddressInput{Domain: aws.String(ec2.DomainTypeVpc)})
	check(err, "AllocateAddress")
	expect(strings.HasPrefix(aws.StringValue(eip.AllocationId), "eipalloc-"), "AllocationId %q", aws.StringValue(eip.AllocationId))
	nat, err := c.CreateNatGateway(&ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: eip.AllocationId})
	check(err, "CreateNatGateway")
	natID := aws.StringValue(nat.NatGateway.NatGatewayId)
	recent("NAT CreateTime", nat.NatGateway.CreateTime)
	check(c.WaitUntilNatGatewayAvailableWithContext(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: aws.StringSlice([]string{natID})}, fast...), "WaitUntilNatGatewayAvailable")
	nats := 0
	check(c.DescribeNatGatewaysPages(&ec2.DescribeNatGatewaysInput{Filter: []*ec2.Filter{{Name: aws.String("vpc-id"), Values: aws.StringSlice([]string{vpcID})}}, MaxResults: aws.Int64(5)}, func(p *ec2.DescribeNatGatewaysOutput, _ bool) bool {
		for _, n := range p.NatGateways {
			nats++
			eq("NAT state", aws.StringValue(n.State), ec2.NatGatewayStateAvailable)
			eq("NAT public IP", aws.StringValue(n.NatGatewayAddresses[0].PublicIp), aws.StringValue(eip.PublicIp))
		}
		return true
	}), "DescribeNatGatewaysPages")
	eq("NAT gateways", nats, 1)
	_, err = c.DeleteNatGateway(&ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(natID)})
	check(err, "DeleteNatGateway")
	check(c.WaitUntilNatGatewayDeletedWithContext(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: aws.StringSlice([]string{natID})}, fast...), "WaitUntilNatGatewayDeleted")
	_, err = c.ReleaseAddress(&ec2.ReleaseAddressInput{AllocationId: eip.AllocationId})
	check(err, "ReleaseAddress")

	pcx, err := c.CreateVpcPeeringConnection(&ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(vpcID), PeerVpcId: aws.String(defaultVpc)})
	check(err, "CreateVpcPeeringConnection")
	pcxID := aws.StringValue(pcx.VpcPeeringConnection.VpcPeeringConnectionId)
	check(c.WaitUntilVpcPeeringConnectionExistsWithContext(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: aws.StringSlice([]string{pcxID})}, fast...), "WaitUntilVpcPeeringConnectionExists")
	acc, err := c.AcceptVpcPeeringConnection(&ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcxID)})
	check(err, "AcceptVpcPeeringConnection")
	eq("peering accepter", aws.StringValue(acc.VpcPeeringConnection.AccepterVpcInfo.VpcId), defaultVpc)
	poll("peering active", 30*time.Second, func() bool {
		out, err := c.DescribeVpcPeeringConnections(&ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: aws.StringSlice([]string{pcxID})})
		check(err, "DescribeVpcPeeringConnections")
		return aws.StringValue(out.VpcPeeringConnections[0].Status.Code) == ec2.VpcPeeringConnectionStateReasonCodeActive
	})
	_, err = c.DeleteVpcPeeringConnection(&ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcxID)})
	check(err, "DeleteVpcPeeringConnection")
	check(c.WaitUntilVpcPeeringConnectionDeletedWithContext(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: aws.StringSlice([]string{pcxID})}, fast...), "WaitUntilVpcPeeringConnectionDeleted")

	cgw, err := c.CreateCustomerGateway(&ec2.CreateCustomerGatewayInput{BgpAsn: aws.Int64(65000), PublicIp: aws.String("198.51.100.7"), Type: aws.String(ec2.GatewayTypeIpsec1)})
	check(err, "CreateCustomerGateway")
	cgwID := aws.StringValue(cgw.CustomerGateway.CustomerGatewayId)
	eq("customer gateway ASN", aws.StringValue(cgw.CustomerGateway.BgpAsn), "65000")
	check(c.WaitUntilCustomerGatewayAvailableWithContext(ctx, &ec2.DescribeCustomerGatewaysInput{CustomerGatewayIds: aws.StringSlice([]string{cgwID})}, fast...), "WaitUntilCustomerGatewayAvailable")
	vgw, err := c.CreateVpnGateway(&ec2.CreateVpnGatewayInput{Type: aws.String(ec2.GatewayTypeIpsec1)})
	check(err, "CreateVpnGateway")
	vpn, err := c.CreateVpnConnection(&ec2.CreateVpnConnectionInput{CustomerGatewayId: aws.String(cgwID), VpnGatewayId: vgw.VpnGateway.VpnGatewayId, Type: aws.String("ipsec.1"),
		Options: &ec2.VpnConnectionOptionsSpecification{StaticRoutesOnly: aws.Bool(true)}})
	check(err, "CreateVpnConnection")
	vpnID := aws.StringValue(vpn.VpnConnection.VpnConnectionId)
	check(c.WaitUntilVpnConnectionAvailableWithContext(ctx, &ec2.DescribeVpnConnectionsInput{VpnConnectionIds: aws.StringSlice([]string{vpnID})}, fast...), "WaitUntilVpnConnectionAvailable")
	_, err = c.DeleteVpnConnection(&ec2.DeleteVpnConnectionInput{VpnConnectionId: aws.String(vpnID)})
	check(err, "DeleteVpnConnection")
	check(c.WaitUntilVpnConnectionDeletedWithContext(ctx, &ec2.DescribeVpnConnectionsInput{VpnConnectionIds: aws.StringSlice([]string{vpnID})}, fast...), "WaitUntilVpnConnectionDeleted")
	_, err = c.DeleteVpnGateway(&ec2.DeleteVpnGatewayInput{VpnGatewayId: vgw.VpnGateway.VpnGatewayId})
	check(err, "DeleteVpnGateway")
	_, err = c.DeleteCustomerGateway(&ec2.DeleteCustomerGatewayInput{CustomerGatewayId: aws.String(cgwID)})
	check(err, "DeleteCustomerGateway")

	lt, err := c.CreateLaunchTemplate(&ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("gov1-lt-" + vpcID), LaunchTemplateData: &ec2.RequestLaunchTemplateData{
		ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: aws.String("t3.nano"),
		TagSpecifications: []*ec2.LaunchTemplateTagSpecificationRequest{{ResourceType: aws.String("instance"), Tags: []*ec2.Tag{{Key: aws.String("from"), Value: aws.String("lt")}}}}}})
	check(err, "CreateLaunchTemplate")
	eq("launch template version", aws.Int64Value(lt.LaunchTemplate.LatestVersionNumber), 1)
	_, err = c.CreateLaunchTemplateVersion(&ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, SourceVersion: aws.String("1"),
		LaunchTemplateData: &ec2.RequestLaunchTemplateData{InstanceType: aws.String("t3.micro")}})
	check(err, "CreateLaunchTemplateVersion")
	versions := 0
	check(c.DescribeLaunchTemplateVersionsPages(&ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}, func(p *ec2.DescribeLaunchTemplateVersionsOutput, _ bool) bool {
		versions += len(p.LaunchTemplateVersions)
		return true
	}), "DescribeLaunchTemplateVersionsPages")
	eq("launch template versions", versions, 2)
	fromLT, err := c.RunInstances(&ec2.RunInstancesInput{MinCount: aws.Int64(1), MaxCount: aws.Int64(1), SubnetId: aws.String(subnetID),
		LaunchTemplate: &ec2.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("$Latest")}})
	check(err, "RunInstances from a launch template")
	eq("type from template $Latest", aws.StringValue(fromLT.Instances[0].InstanceType), "t3.micro")
	eq("image from template", aws.StringValue(fromLT.Instances[0].ImageId), "ami-0123456789abcdef0")
	eq("template tags", len(fromLT.Instances[0].Tags) >= 1, true)

	spot, err := c.RequestSpotInstances(&ec2.RequestSpotInstancesInput{InstanceCount: aws.Int64(1), LaunchSpecification: &ec2.RequestSpotLaunchSpecification{
		ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: aws.String("t3.micro"), SubnetId: aws.String(subnetID)}})
	check(err, "RequestSpotInstances")
	sirID := aws.StringValue(spot.SpotInstanceRequests[0].SpotInstanceRequestId)
	check(c.WaitUntilSpotInstanceRequestFulfilledWithContext(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: aws.StringSlice([]string{sirID})}, fast...), "WaitUntilSpotInstanceRequestFulfilled")
	dsr, err := c.DescribeSpotInstanceRequests(&ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: aws.StringSlice([]string{sirID})})
	check(err, "DescribeSpotInstanceRequests")
	spotInstance := aws.StringValue(dsr.SpotInstanceRequests[0].InstanceId)
	expect(strings.HasPrefix(spotInstance, "i-"), "spot InstanceId %q", spotInstance)
	_, err = c.CancelSpotInstanceRequests(&ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: aws.StringSlice([]string{sirID})})
	check(err, "CancelSpotInstanceRequests")

	check(c.WaitUntilInstanceRunningWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice([]string{aws.StringValue(fromLT.Instances[0].InstanceId), spotInstance})}, fast...),
		"WaitUntilInstanceRunning (template and spot)")

	// The other Describe*Pages paginators over what this flow made.
	counts := map[string]int{}
	check(c.DescribeVpcsPages(&ec2.DescribeVpcsInput{MaxResults: aws.Int64(5)}, func(p *ec2.DescribeVpcsOutput, _ bool) bool {
		counts["vpcs"] += len(p.Vpcs)
		return true
	}), "DescribeVpcsPages")
	check(c.DescribeSubnetsPages(&ec2.DescribeSubnetsInput{MaxResults: aws.Int64(5)}, func(p *ec2.DescribeSubnetsOutput, _ bool) bool {
		counts["subnets"] += len(p.Subnets)
		return true
	}), "DescribeSubnetsPages")
	check(c.DescribeSecurityGroupsPages(&ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int64(5)}, func(p *ec2.DescribeSecurityGroupsOutput, _ bool) bool {
		counts["security groups"] += len(p.SecurityGroups)
		return true
	}), "DescribeSecurityGroupsPages")
	check(c.DescribeRouteTablesPages(&ec2.DescribeRouteTablesInput{MaxResults: aws.Int64(5)}, func(p *ec2.DescribeRouteTablesOutput, _ bool) bool {
		counts["route tables"] += len(p.RouteTables)
		return true
	}), "DescribeRouteTablesPages")
	check(c.DescribeNetworkInterfacesPages(&ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int64(5)}, func(p *ec2.DescribeNetworkInterfacesOutput, _ bool) bool {
		counts["network interfaces"] += len(p.NetworkInterfaces)
		return true
	}), "DescribeNetworkInterfacesPages")
	check(c.DescribeInstanceStatusPages(&ec2.DescribeInstanceStatusInput{MaxResults: aws.Int64(5)}, func(p *ec2.DescribeInstanceStatusOutput, _ bool) bool {
		counts["statuses"] += len(p.InstanceStatuses)
		return true
	}), "DescribeInstanceStatusPages")
	check(c.DescribeSnapshotsPages(&ec2.DescribeSnapshotsInput{OwnerIds: aws.StringSlice([]string{"self"}), MaxResults: aws.Int64(5)}, func(p *ec2.DescribeSnapshotsOutput, _ bool) bool {
		counts["snapshots"] += len(p.Snapshots)
		return true
	}), "DescribeSnapshotsPages")
	for what, min := range map[string]int{"vpcs": 2, "subnets": 7, "security groups": 2, "route tables": 3, "network interfaces": 4, "statuses": 5, "snapshots": 1} {
		expect(counts[what] >= min, "paged %s: %d < %d", what, counts[what], min)
	}
	return []string{aws.StringValue(fromLT.Instances[0].InstanceId), spotInstance}
}

// ebsCSI is what the EBS CSI driver (a v1 user) does to provision: CreateVolume with a ClientToken made from
// the PV name (a retry gets the same volume, other parameters IdempotentParameterMismatch), resize with
// ModifyVolume and follow DescribeVolumesModifications, snapshot with tags, delete.
func ebsCSI(c *ec2.EC2) {
	token := "pvc-gov1-" + suffix()
	in := &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int64(10), VolumeType: aws.String("gp3"), Encrypted: aws.Bool(true), ClientToken: aws.String(token),
		TagSpecifications: []*ec2.TagSpecification{{ResourceType: aws.String("volume"), Tags: []*ec2.Tag{{Key: aws.String("CSIVolumeName"), Value: aws.String(token)}}}}}
	v1, err := c.CreateVolume(in)
	check(err, "CreateVolume with ClientToken")
	v2, err := c.CreateVolume(in)
	check(err, "CreateVolume retried")
	eq("idempotent volume", aws.StringValue(v2.VolumeId), aws.StringValue(v1.VolumeId))
	in.Size = aws.Int64(20)
	_, err = c.CreateVolume(in)
	expectErr(err, "CreateVolume same ClientToken other size", "IdempotentParameterMismatch", 400)
	id := v1.VolumeId
	check(c.WaitUntilVolumeAvailableWithContext(ctx, &ec2.DescribeVolumesInput{VolumeIds: []*string{id}}, fast...), "WaitUntilVolumeAvailable (csi)")
	byTag, err := c.DescribeVolumes(&ec2.DescribeVolumesInput{Filters: []*ec2.Filter{{Name: aws.String("tag:CSIVolumeName"), Values: aws.StringSlice([]string{token})}}})
	check(err, "DescribeVolumes by tag")
	eq("volumes by tag", len(byTag.Volumes), 1)
	eq("encrypted", aws.BoolValue(byTag.Volumes[0].Encrypted), true)
	eq("gp3 baseline iops", aws.Int64Value(byTag.Volumes[0].Iops), 3000)
	eq("gp3 baseline throughput", aws.Int64Value(byTag.Volumes[0].Throughput), 125)
	mv, err := c.ModifyVolume(&ec2.ModifyVolumeInput{VolumeId: id, Size: aws.Int64(20)})
	check(err, "ModifyVolume")
	eq("modification target size", aws.Int64Value(mv.VolumeModification.TargetSize), 20)
	eq("modification original size", aws.Int64Value(mv.VolumeModification.OriginalSize), 10)
	recent("modification StartTime", mv.VolumeModification.StartTime)
	poll("modification optimizing or completed", 30*time.Second, func() bool {
		out, err := c.DescribeVolumesModifications(&ec2.DescribeVolumesModificationsInput{VolumeIds: []*string{id}})
		check(err, "DescribeVolumesModifications")
		st := aws.StringValue(out.VolumesModifications[0].ModificationState)
		return st == ec2.VolumeModificationStateOptimizing || st == ec2.VolumeModificationStateCompleted
	})
	dv, err := c.DescribeVolumes(&ec2.DescribeVolumesInput{VolumeIds: []*string{id}})
	check(err, "DescribeVolumes after resize")
	eq("resized", aws.Int64Value(dv.Volumes[0].Size), 20)
	snap, err := c.CreateSnapshot(&ec2.CreateSnapshotInput{VolumeId: id, TagSpecifications: []*ec2.TagSpecification{{ResourceType: aws.String("snapshot"),
		Tags: []*ec2.Tag{{Key: aws.String("CSIVolumeSnapshotName"), Value: aws.String("snap-" + token)}}}}})
	check(err, "CreateSnapshot (csi)")
	eq("snapshot volume size", aws.Int64Value(snap.VolumeSize), 20)
	recent("snapshot StartTime", snap.StartTime)
	check(c.WaitUntilSnapshotCompletedWithContext(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []*string{snap.SnapshotId}}, fast...), "WaitUntilSnapshotCompleted (csi)")
	fromSnap, err := c.CreateVolume(&ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), SnapshotId: snap.SnapshotId, VolumeType: aws.String("gp3")})
	check(err, "CreateVolume from snapshot")
	eq("restored size", aws.Int64Value(fromSnap.Size), 20)
	check(c.WaitUntilVolumeAvailableWithContext(ctx, &ec2.DescribeVolumesInput{VolumeIds: []*string{fromSnap.VolumeId}}, fast...), "WaitUntilVolumeAvailable (restored)")
	for _, v := range []*string{id, fromSnap.VolumeId} {
		_, err = c.DeleteVolume(&ec2.DeleteVolumeInput{VolumeId: v})
		check(err, "DeleteVolume (csi)")
	}
	_, err = c.DeleteSnapshot(&ec2.DeleteSnapshotInput{SnapshotId: snap.SnapshotId})
	check(err, "DeleteSnapshot (csi)")
	_, err = c.DescribeVolumes(&ec2.DescribeVolumesInput{VolumeIds: []*string{id}})
	expectErr(err, "DescribeVolumes deleted", "InvalidVolume.NotFound", 400)
}

// ec2Packer is what Packer's amazon-ebs builder (a v1 user) does: run a source instance with an idempotency
// token, read its console, stop it, make an image, tag the image's snapshot, share and copy the image, clean up.
func ec2Packer(c *ec2.EC2, subnetID, sgID, key string) []string {
	src, err := c.DescribeImages(&ec2.DescribeImagesInput{Owners: aws.StringSlice([]string{"amazon"}), Filters: []*ec2.Filter{
		{Name: aws.String("name"), Values: aws.StringSlice([]string{"al2023-ami-*"})}, {Name: aws.String("architecture"), Values: aws.StringSlice([]string{"x86_64"})}}})
	check(err, "DescribeImages source AMI")
	ami := "ami-0123456789abcdef0"
	if len(src.Images) > 0 {
		ami = aws.StringValue(src.Images[0].ImageId)
	}
	token := "gov1-packer-" + suffix()
	in := &ec2.RunInstancesInput{ImageId: aws.String(ami), InstanceType: aws.String("t3.micro"), MinCount: aws.Int64(1), MaxCount: aws.Int64(1), SubnetId: aws.String(subnetID),
		SecurityGroupIds: aws.StringSlice([]string{sgID}), KeyName: aws.String(key), ClientToken: aws.String(token)}
	first, err := c.RunInstances(in)
	check(err, "RunInstances with ClientToken")
	again, err := c.RunInstances(in)
	check(err, "RunInstances retried with the same ClientToken")
	eq("idempotent reservation", aws.StringValue(again.ReservationId), aws.StringValue(first.ReservationId))
	eq("idempotent instance", aws.StringValue(again.Instances[0].InstanceId), aws.StringValue(first.Instances[0].InstanceId))
	in.InstanceType = aws.String("t3.small")
	_, err = c.RunInstances(in)
	expectErr(err, "RunInstances same ClientToken other parameters", "IdempotentParameterMismatch", 400)
	id := aws.StringValue(first.Instances[0].InstanceId)
	check(c.WaitUntilInstanceRunningWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice([]string{id})}, fast...), "WaitUntilInstanceRunning (packer)")
	_, err = c.GetConsoleOutput(&ec2.GetConsoleOutputInput{InstanceId: aws.String(id)})
	check(err, "GetConsoleOutput")
	_, err = c.ModifyInstanceAttribute(&ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(id), DisableApiTermination: &ec2.AttributeBooleanValue{Value: aws.Bool(true)}})
	check(err, "ModifyInstanceAttribute DisableApiTermination")
	_, err = c.TerminateInstances(&ec2.TerminateInstancesInput{InstanceIds: aws.StringSlice([]string{id})})
	expectErr(err, "TerminateInstances protected", "OperationNotPermitted", 400)
	_, err = c.ModifyInstanceAttribute(&ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(id), DisableApiTermination: &ec2.AttributeBooleanValue{Value: aws.Bool(false)}})
	check(err, "ModifyInstanceAttribute DisableApiTermination off")
	_, err = c.StopInstances(&ec2.StopInstancesInput{InstanceIds: aws.StringSlice([]string{id})})
	check(err, "StopInstances (packer)")
	check(c.WaitUntilInstanceStoppedWithContext(ctx, &ec2.DescribeInstancesInput{InstanceIds: aws.StringSlice([]string{id})}, fast...), "WaitUntilInstanceStopped (packer)")
	img, err := c.CreateImage(&ec2.CreateImageInput{InstanceId: aws.String(id), Name: aws.String("gov1-packer-" + suffix()), Description: aws.String("packer")})
	check(err, "CreateImage (packer)")
	check(c.WaitUntilImageAvailableWithContext(ctx, &ec2.DescribeImagesInput{ImageIds: []*string{img.ImageId}}, fast...), "WaitUntilImageAvailable (packer)")
	di, err := c.DescribeImages(&ec2.DescribeImagesInput{ImageIds: []*string{img.ImageId}})
	check(err, "DescribeImages (packer)")
	im := di.Images[0]
	eq("image owner", aws.StringValue(im.OwnerId), account)
	eq("image state", aws.StringValue(im.State), ec2.ImageStateAvailable)
	_, err = time.Parse(time.RFC3339, aws.StringValue(im.CreationDate))
	check(err, "image CreationDate is RFC 3339")
	expect(len(im.BlockDeviceMappings) >= 1 && im.BlockDeviceMappings[0].Ebs != nil, "image block devices %v", im.BlockDeviceMappings)
	snap := aws.StringValue(im.BlockDeviceMappings[0].Ebs.SnapshotId)
	expect(strings.HasPrefix(snap, "snap-"), "image snapshot %q", snap)
	_, err = c.CreateTags(&ec2.CreateTagsInput{Resources: aws.StringSlice([]string{aws.StringValue(img.ImageId), snap}), Tags: []*ec2.Tag{{Key: aws.String("packer"), Value: aws.String("yes")}}})
	check(err, "CreateTags image and snapshot")
	_, err = c.ModifyImageAttribute(&ec2.ModifyImageAttributeInput{ImageId: img.ImageId, LaunchPermission: &ec2.LaunchPermissionModifications{Add: []*ec2.LaunchPermission{{UserId: aws.String("111122223333")}}}})
	check(err, "ModifyImageAttribute launchPermission")
	lp, err := c.DescribeImageAttribute(&ec2.DescribeImageAttributeInput{ImageId: img.ImageId, Attribute: aws.String(ec2.ImageAttributeNameLaunchPermission)})
	check(err, "DescribeImageAttribute launchPermission")
	expect(len(lp.LaunchPermissions) == 1 && aws.StringValue(lp.LaunchPermissions[0].UserId) == "111122223333", "launch permissions %v", lp.LaunchPermissions)
	cp, err := c.CopyImage(&ec2.CopyImageInput{SourceImageId: img.ImageId, SourceRegion: aws.String("us-east-1"), Name: aws.String("gov1-copy-" + suffix())})
	check(err, "CopyImage")
	check(c.WaitUntilImageAvailableWithContext(ctx, &ec2.DescribeImagesInput{ImageIds: []*string{cp.ImageId}}, fast...), "WaitUntilImageAvailable (copy)")
	for _, i := range []*string{img.ImageId, cp.ImageId} {
		_, err = c.DeregisterImage(&ec2.DeregisterImageInput{ImageId: i})
		check(err, "DeregisterImage")
	}
	_, err = c.DeleteSnapshot(&ec2.DeleteSnapshotInput{SnapshotId: aws.String(snap)})
	check(err, "DeleteSnapshot")

	// A Windows instance with an RSA key: WaitUntilPasswordDataAvailable, then the password decrypts with the key.
	win, err := c.DescribeImages(&ec2.DescribeImagesInput{Owners: aws.StringSlice([]string{"amazon"}), Filters: []*ec2.Filter{{Name: aws.String("platform"), Values: aws.StringSlice([]string{"windows"})}}})
	check(err, "DescribeImages windows")
	expect(len(win.Images) > 0, "no Windows images")
	wkey, err := c.CreateKeyPair(&ec2.CreateKeyPairInput{KeyName: aws.String("gov1-win-" + suffix()), KeyType: aws.String(ec2.KeyTypeRsa)})
	check(err, "CreateKeyPair rsa")
	wr, err := c.RunInstances(&ec2.RunInstancesInput{ImageId: win.Images[0].ImageId, InstanceType: aws.String("t3.medium"), MinCount: aws.Int64(1), MaxCount: aws.Int64(1),
		SubnetId: aws.String(subnetID), KeyName: wkey.KeyName})
	check(err, "RunInstances windows")
	wid := aws.StringValue(wr.Instances[0].InstanceId)
	eq("platform", aws.StringValue(wr.Instances[0].Platform), "windows")
	// Not v1's WaitUntilPasswordDataAvailable: its length(PasswordData) meets a *string, which go-jmespath refuses
	// ("Invalid type"), so that waiter never succeeds against any endpoint. Polled by hand instead.
	var pd *ec2.GetPasswordDataOutput
	poll("password data", 30*time.Second, func() bool {
		pd, err = c.GetPasswordData(&ec2.GetPasswordDataInput{InstanceId: aws.String(wid)})
		check(err, "GetPasswordData")
		return aws.StringValue(pd.PasswordData) != ""
	})
	eq("password instance", aws.StringValue(pd.InstanceId), wid)
	recent("password Timestamp", pd.Timestamp)
	block, _ := pem.Decode([]byte(aws.StringValue(wkey.KeyMaterial)))
	expect(block != nil, "key material is not PEM")
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	check(err, "parse RSA key")
	enc, err := base64.StdEncoding.DecodeString(strings.TrimSpace(aws.StringValue(pd.PasswordData)))
	check(err, "decode PasswordData")
	pw, err := rsa.DecryptPKCS1v15(rand.Reader, priv, enc)
	check(err, "decrypt PasswordData")
	expect(len(pw) >= 8, "password %q", pw)
	return []string{id, wid}
}

// ---------------------------------------------------------------------------------------------------- ECR

func runECR() {
	c := ecr.New(sess)
	repo := "gov1/app-" + suffix()
	cr, err := c.CreateRepository(&ecr.CreateRepositoryInput{RepositoryName: aws.String(repo), ImageTagMutability: aws.String(ecr.ImageTagMutabilityImmutable),
		ImageScanningConfiguration: &ecr.ImageScanningConfiguration{ScanOnPush: aws.Bool(true)}})
	check(err, "CreateRepository")
	eq("repository arn", aws.StringValue(cr.Repository.RepositoryArn), "arn:aws:ecr:us-east-1:"+account+":repository/"+repo)
	recent("repository CreatedAt", cr.Repository.CreatedAt)
	_, err = c.CreateRepository(&ecr.CreateRepositoryInput{RepositoryName: aws.String(repo)})
	expectErr(err, "CreateRepository again", ecr.ErrCodeRepositoryAlreadyExistsException, 400)

	var digests []string
	for i := 0; i < 3; i++ {
		manifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",`+
			`"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"sha256:%064d"},`+
			`"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":100,"digest":"sha256:%s"}]}`, i, strings.Repeat("b", 64))
		pi, err := c.PutImage(&ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest), ImageTag: aws.String(fmt.Sprintf("v%d", i))})
		check(err, "PutImage")
		digests = append(digests, aws.StringValue(pi.Image.ImageId.ImageDigest))
		if i == 0 {
			_, err = c.PutImage(&ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest + " "), ImageTag: aws.String("v0")})
			expectErr(err, "PutImage immutable tag", ecr.ErrCodeImageTagAlreadyExistsException, 400)
		}
	}
	check(c.WaitUntilImageScanCompleteWithContext(ctx, &ecr.DescribeImageScanFindingsInput{RepositoryName: aws.String(repo), ImageId: &ecr.ImageIdentifier{ImageTag: aws.String("v0")}}, fast...), "WaitUntilImageScanComplete")
	var details []*ecr.ImageDetail
	pages := 0
	check(c.DescribeImagesPages(&ecr.DescribeImagesInput{RepositoryName: aws.String(repo), MaxResults: aws.Int64(2)}, func(p *ecr.DescribeImagesOutput, _ bool) bool {
		pages++
		details = append(details, p.ImageDetails...)
		return true
	}), "DescribeImagesPages")
	eq("images", len(details), 3)
	eq("image pages", pages, 2)
	for _, d := range details {
		recent("ImagePushedAt", d.ImagePushedAt)
		eq("image size", aws.Int64Value(d.ImageSizeInBytes), 107)
		eq("image tags", len(d.ImageTags), 1)
	}
	var ids []*ecr.ImageIdentifier
	check(c.ListImagesPages(&ecr.ListImagesInput{RepositoryName: aws.String(repo), MaxResults: aws.Int64(1)}, func(p *ecr.ListImagesOutput, _ bool) bool {
		ids = append(ids, p.ImageIds...)
		return true
	}), "ListImagesPages")
	eq("ListImages", len(ids), 3)
	bg, err := c.BatchGetImage(&ecr.BatchGetImageInput{RepositoryName: aws.String(repo), ImageIds: []*ecr.ImageIdentifier{{ImageTag: aws.String("v1")}, {ImageTag: aws.String("nope")}}})
	check(err, "BatchGetImage")
	eq("BatchGetImage images", len(bg.Images), 1)
	eq("BatchGetImage digest", aws.StringValue(bg.Images[0].ImageId.ImageDigest), digests[1])
	eq("BatchGetImage failures", len(bg.Failures), 1)
	eq("failure code", aws.StringValue(bg.Failures[0].FailureCode), ecr.ImageFailureCodeImageNotFound)
	_, err = c.DescribeImages(&ecr.DescribeImagesInput{RepositoryName: aws.String(repo), ImageIds: []*ecr.ImageIdentifier{{ImageTag: aws.String("nope")}}})
	expectErr(err, "DescribeImages missing tag", ecr.ErrCodeImageNotFoundException, 400)
	_, err = c.DescribeImages(&ecr.DescribeImagesInput{RepositoryName: aws.String("gov1/no-such-repo")})
	expectErr(err, "DescribeImages missing repository", ecr.ErrCodeRepositoryNotFoundException, 400)

	policy := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`
	_, err = c.StartLifecyclePolicyPreview(&ecr.StartLifecyclePolicyPreviewInput{RepositoryName: aws.String(repo), LifecyclePolicyText: aws.String(policy)})
	check(err, "StartLifecyclePolicyPreview")
	check(c.WaitUntilLifecyclePolicyPreviewCompleteWithContext(ctx, &ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String(repo)}, fast...), "WaitUntilLifecyclePolicyPreviewComplete")
	pv, err := c.GetLifecyclePolicyPreview(&ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String(repo)})
	check(err, "GetLifecyclePolicyPreview")
	eq("preview status", aws.StringValue(pv.Status), ecr.LifecyclePolicyPreviewStatusComplete)
	eq("preview expiring", len(pv.PreviewResults), 2)
	_, err = c.PutLifecyclePolicy(&ecr.PutLifecyclePolicyInput{RepositoryName: aws.String(repo), LifecyclePolicyText: aws.String(policy)})
	check(err, "PutLifecyclePolicy")
	glp, err := c.GetLifecyclePolicy(&ecr.GetLifecyclePolicyInput{RepositoryName: aws.String(repo)})
	check(err, "GetLifecyclePolicy")
	eq("LastEvaluatedAt never evaluated (the epoch, as AWS answers)", aws.TimeValue(glp.LastEvaluatedAt).Unix(), 0)

	_, err = c.SetRepositoryPolicy(&ecr.SetRepositoryPolicyInput{RepositoryName: aws.String(repo), PolicyText: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`)})
	check(err, "SetRepositoryPolicy")
	rp, err := c.GetRepositoryPolicy(&ecr.GetRepositoryPolicyInput{RepositoryName: aws.String(repo)})
	check(err, "GetRepositoryPolicy")
	expect(strings.Contains(aws.StringValue(rp.PolicyText), `"pull"`), "policy %q", aws.StringValue(rp.PolicyText))
	_, err = c.PutImageTagMutability(&ecr.PutImageTagMutabilityInput{RepositoryName: aws.String(repo), ImageTagMutability: aws.String(ecr.ImageTagMutabilityMutable)})
	check(err, "PutImageTagMutability")
	findings := 0
	check(c.DescribeImageScanFindingsPages(&ecr.DescribeImageScanFindingsInput{RepositoryName: aws.String(repo), ImageId: &ecr.ImageIdentifier{ImageTag: aws.String("v0")}}, func(p *ecr.DescribeImageScanFindingsOutput, _ bool) bool {
		eq("scan status", aws.StringValue(p.ImageScanStatus.Status), ecr.ScanStatusComplete)
		expect(p.ImageScanFindings != nil, "no ImageScanFindings")
		recent("ImageScanCompletedAt", p.ImageScanFindings.ImageScanCompletedAt)
		findings++
		return true
	}), "DescribeImageScanFindingsPages")
	eq("scan finding pages", findings, 1)
	var tagged []*ecr.ImageIdentifier
	check(c.ListImagesPages(&ecr.ListImagesInput{RepositoryName: aws.String(repo), Filter: &ecr.ListImagesFilter{TagStatus: aws.String(ecr.TagStatusTagged)}}, func(p *ecr.ListImagesOutput, _ bool) bool {
		tagged = append(tagged, p.ImageIds...)
		return true
	}), "ListImagesPages tagged")
	eq("tagged images", len(tagged), 3)

	repos := 0
	check(c.DescribeRepositoriesPages(&ecr.DescribeRepositoriesInput{MaxResults: aws.Int64(1)}, func(p *ecr.DescribeRepositoriesOutput, _ bool) bool {
		repos += len(p.Repositories)
		return repos < 50
	}), "DescribeRepositoriesPages")
	expect(repos >= 1, "repositories %d", repos)
	tok, err := c.GetAuthorizationToken(&ecr.GetAuthorizationTokenInput{})
	check(err, "GetAuthorizationToken")
	raw, err := base64.StdEncoding.DecodeString(aws.StringValue(tok.AuthorizationData[0].AuthorizationToken))
	check(err, "decode token")
	expect(strings.HasPrefix(string(raw), "AWS:"), "token %q", raw)
	expect(aws.TimeValue(tok.AuthorizationData[0].ExpiresAt).After(time.Now().Add(11*time.Hour)), "ExpiresAt %v", tok.AuthorizationData[0].ExpiresAt)

	_, err = c.DeleteRepository(&ecr.DeleteRepositoryInput{RepositoryName: aws.String(repo)})
	expectErr(err, "DeleteRepository with images", ecr.ErrCodeRepositoryNotEmptyException, 400)
	bd, err := c.BatchDeleteImage(&ecr.BatchDeleteImageInput{RepositoryName: aws.String(repo), ImageIds: []*ecr.ImageIdentifier{{ImageDigest: aws.String(digests[0])}}})
	check(err, "BatchDeleteImage")
	eq("deleted", len(bd.ImageIds), 1)
	_, err = c.DeleteRepository(&ecr.DeleteRepositoryInput{RepositoryName: aws.String(repo), Force: aws.Bool(true)})
	check(err, "DeleteRepository force")
	_, err = c.DescribeRepositories(&ecr.DescribeRepositoriesInput{RepositoryNames: aws.StringSlice([]string{repo})})
	expectErr(err, "DescribeRepositories deleted", ecr.ErrCodeRepositoryNotFoundException, 400)
}

// ---------------------------------------------------------------------------------------------------- Logs

func runLogs() {
	c := cloudwatchlogs.New(sess)
	group := "/gov1/app-" + suffix()
	_, err := c.CreateLogGroup(&cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group), Tags: map[string]*string{"team": aws.String("go")}})
	check(err, "CreateLogGroup")
	_, err = c.CreateLogGroup(&cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	expectErr(err, "CreateLogGroup again", cloudwatchlogs.ErrCodeResourceAlreadyExistsException, 400)
	for _, s := range []string{"a", "b", "c"} {
		_, err = c.CreateLogStream(&cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(s)})
		check(err, "CreateLogStream")
	}
	_, err = c.CreateLogStream(&cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group + "-missing"), LogStreamName: aws.String("a")})
	expectErr(err, "CreateLogStream missing group", cloudwatchlogs.ErrCodeResourceNotFoundException, 400)

	// What Docker's awslogs driver does: PutLogEvents batches, then reads back.
	now := time.Now().UnixMilli()
	var events []*cloudwatchlogs.InputLogEvent
	for i := 0; i < 7; i++ {
		level := "INFO"
		if i%2 == 1 {
			level = "ERROR"
		}
		events = append(events, &cloudwatchlogs.InputLogEvent{Timestamp: aws.Int64(now - int64(7-i)*1000), Message: aws.String(fmt.Sprintf("%s event %d", level, i))})
	}
	pe, err := c.PutLogEvents(&cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("a"), LogEvents: events})
	check(err, "PutLogEvents")
	expect(pe.RejectedLogEventsInfo == nil, "rejected %v", pe.RejectedLogEventsInfo)
	// Docker's awslogs driver: the stream may exist already, and it passes the last nextSequenceToken along.
	_, err = c.CreateLogStream(&cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("a")})
	expectErr(err, "CreateLogStream again", cloudwatchlogs.ErrCodeResourceAlreadyExistsException, 400)
	pe2, err := c.PutLogEvents(&cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("b"), SequenceToken: pe.NextSequenceToken,
		LogEvents: []*cloudwatchlogs.InputLogEvent{{Timestamp: aws.Int64(now - 500), Message: aws.String("docker line")}}})
	check(err, "PutLogEvents with a sequence token")
	expect(aws.StringValue(pe.NextSequenceToken) != "" && aws.StringValue(pe2.NextSequenceToken) != "", "NextSequenceToken %q %q", aws.StringValue(pe.NextSequenceToken), aws.StringValue(pe2.NextSequenceToken))
	_, err = c.PutLogEvents(&cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("missing"), LogEvents: events[:1]})
	expectErr(err, "PutLogEvents missing stream", cloudwatchlogs.ErrCodeResourceNotFoundException, 400)

	// GetLogEventsPages stops when the forward token repeats (the v1 paginator's own rule).
	var msgs []string
	pages := 0
	check(c.GetLogEventsPages(&cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("a"), StartFromHead: aws.Bool(true), Limit: aws.Int64(3)}, func(p *cloudwatchlogs.GetLogEventsOutput, _ bool) bool {
		pages++
		for _, e := range p.Events {
			msgs = append(msgs, aws.StringValue(e.Message))
		}
		return pages < 20
	}), "GetLogEventsPages")
	eq("GetLogEvents messages", len(msgs), 7)
	eq("GetLogEvents first", msgs[0], "INFO event 0")
	expect(pages >= 3 && pages < 20, "GetLogEvents pages %d", pages)
	ge, err := c.GetLogEvents(&cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("a"), StartFromHead: aws.Bool(true), Limit: aws.Int64(1)})
	check(err, "GetLogEvents")
	eq("event timestamp", aws.Int64Value(ge.Events[0].Timestamp), now-7000)
	expect(aws.Int64Value(ge.Events[0].IngestionTime) >= now-1000, "IngestionTime %d", aws.Int64Value(ge.Events[0].IngestionTime))

	var filtered []string
	pages = 0
	check(c.FilterLogEventsPages(&cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), FilterPattern: aws.String("ERROR"), Limit: aws.Int64(2)}, func(p *cloudwatchlogs.FilterLogEventsOutput, _ bool) bool {
		pages++
		for _, e := range p.Events {
			filtered = append(filtered, aws.StringValue(e.Message))
			eq("filtered stream", aws.StringValue(e.LogStreamName), "a")
		}
		return pages < 20
	}), "FilterLogEventsPages")
	eq("FilterLogEvents", filtered, []string{"ERROR event 1", "ERROR event 3", "ERROR event 5"})
	expect(pages >= 2, "FilterLogEvents pages %d", pages)

	var streams []string
	check(c.DescribeLogStreamsPages(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), Limit: aws.Int64(2)}, func(p *cloudwatchlogs.DescribeLogStreamsOutput, _ bool) bool {
		for _, s := range p.LogStreams {
			streams = append(streams, aws.StringValue(s.LogStreamName))
		}
		return len(streams) < 20
	}), "DescribeLogStreamsPages")
	eq("streams", streams, []string{"a", "b", "c"})
	dls, err := c.DescribeLogStreams(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), OrderBy: aws.String(cloudwatchlogs.OrderByLastEventTime), Descending: aws.Bool(true), Limit: aws.Int64(1)})
	check(err, "DescribeLogStreams by last event")
	eq("latest stream", aws.StringValue(dls.LogStreams[0].LogStreamName), "b")
	eq("last event", aws.Int64Value(dls.LogStreams[0].LastEventTimestamp), now-500)
	_, err = c.DescribeLogStreams(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), OrderBy: aws.String(cloudwatchlogs.OrderByLastEventTime), LogStreamNamePrefix: aws.String("a")})
	expectErr(err, "DescribeLogStreams LastEventTime with a prefix", cloudwatchlogs.ErrCodeInvalidParameterException, 400)

	// Without StartFromHead the first page is the newest events; its forward token then finds nothing newer.
	var tail []string
	pages = 0
	check(c.GetLogEventsPages(&cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("a"), Limit: aws.Int64(3)}, func(p *cloudwatchlogs.GetLogEventsOutput, _ bool) bool {
		pages++
		for _, e := range p.Events {
			tail = append(tail, aws.StringValue(e.Message))
		}
		return pages < 20
	}), "GetLogEventsPages from the tail")
	eq("tail events", tail, []string{"INFO event 4", "ERROR event 5", "INFO event 6"})
	expect(pages < 20, "tail pages never end")
	// What AWS refuses in a batch.
	_, err = c.PutLogEvents(&cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("c"), LogEvents: []*cloudwatchlogs.InputLogEvent{
		{Timestamp: aws.Int64(now), Message: aws.String("later")}, {Timestamp: aws.Int64(now - 1000), Message: aws.String("earlier")}}})
	expectErr(err, "PutLogEvents out of order", cloudwatchlogs.ErrCodeInvalidParameterException, 400)
	_, err = c.PutLogEvents(&cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("c"), LogEvents: []*cloudwatchlogs.InputLogEvent{
		{Timestamp: aws.Int64(now - 25*3600*1000), Message: aws.String("a day ago")}, {Timestamp: aws.Int64(now), Message: aws.String("now")}}})
	expectErr(err, "PutLogEvents spanning 25 hours", cloudwatchlogs.ErrCodeInvalidParameterException, 400)
	future, err := c.PutLogEvents(&cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("c"), LogEvents: []*cloudwatchlogs.InputLogEvent{
		{Timestamp: aws.Int64(now + 3*3600*1000), Message: aws.String("from the future")}}})
	check(err, "PutLogEvents too new")
	expect(future.RejectedLogEventsInfo != nil && aws.Int64Value(future.RejectedLogEventsInfo.TooNewLogEventStartIndex) == 0, "RejectedLogEventsInfo %v", future.RejectedLogEventsInfo)
	var pref []string
	check(c.FilterLogEventsPages(&cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), LogStreamNamePrefix: aws.String("b")}, func(p *cloudwatchlogs.FilterLogEventsOutput, _ bool) bool {
		for _, e := range p.Events {
			pref = append(pref, aws.StringValue(e.Message))
		}
		return true
	}), "FilterLogEventsPages by stream prefix")
	eq("stream prefix events", pref, []string{"docker line"})

	for i := 0; i < 3; i++ {
		_, err = c.CreateLogGroup(&cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(fmt.Sprintf("%s/page/%d", group, i))})
		check(err, "CreateLogGroup page")
	}
	var groups []string
	check(c.DescribeLogGroupsPages(&cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(group + "/page/"), Limit: aws.Int64(2)}, func(p *cloudwatchlogs.DescribeLogGroupsOutput, _ bool) bool {
		for _, g := range p.LogGroups {
			groups = append(groups, aws.StringValue(g.LogGroupName))
			expect(aws.Int64Value(g.CreationTime) >= now-60000, "CreationTime %d", aws.Int64Value(g.CreationTime))
		}
		return len(groups) < 20
	}), "DescribeLogGroupsPages")
	eq("groups", len(groups), 3)

	_, err = c.PutRetentionPolicy(&cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int64(14)})
	check(err, "PutRetentionPolicy")
	dg, err := c.DescribeLogGroups(&cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(group), Limit: aws.Int64(1)})
	check(err, "DescribeLogGroups")
	eq("retention", aws.Int64Value(dg.LogGroups[0].RetentionInDays), 14)
	eq("arn", aws.StringValue(dg.LogGroups[0].Arn), "arn:aws:logs:us-east-1:"+account+":log-group:"+group+":*")
	_, err = c.PutRetentionPolicy(&cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int64(8)})
	expectErr(err, "PutRetentionPolicy 8 days", cloudwatchlogs.ErrCodeInvalidParameterException, 400)
	tags, err := c.ListTagsLogGroup(&cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String(group)})
	check(err, "ListTagsLogGroup")
	eq("tags", aws.StringValue(tags.Tags["team"]), "go")
	_, err = c.PutMetricFilter(&cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String(group), FilterName: aws.String("errors"), FilterPattern: aws.String("ERROR"),
		MetricTransformations: []*cloudwatchlogs.MetricTransformation{{MetricName: aws.String("Errors"), MetricNamespace: aws.String("GoV1"), MetricValue: aws.String("1"), DefaultValue: aws.Float64(0)}}})
	check(err, "PutMetricFilter")
	mf := 0
	check(c.DescribeMetricFiltersPages(&cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(group)}, func(p *cloudwatchlogs.DescribeMetricFiltersOutput, _ bool) bool {
		mf += len(p.MetricFilters)
		return true
	}), "DescribeMetricFiltersPages")
	eq("metric filters", mf, 1)

	sq, err := c.StartQuery(&cloudwatchlogs.StartQueryInput{LogGroupName: aws.String(group), StartTime: aws.Int64(now/1000 - 60), EndTime: aws.Int64(now/1000 + 60),
		QueryString: aws.String("fields @message | filter @message like /ERROR/ | stats count(*) as n")})
	check(err, "StartQuery")
	var res *cloudwatchlogs.GetQueryResultsOutput
	poll("GetQueryResults Complete", 30*time.Second, func() bool {
		res, err = c.GetQueryResults(&cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
		check(err, "GetQueryResults")
		return aws.StringValue(res.Status) == cloudwatchlogs.QueryStatusComplete
	})
	eq("query rows", len(res.Results), 1)
	eq("query count", aws.StringValue(res.Results[0][0].Value), "3")
	expect(res.Statistics != nil && aws.Float64Value(res.Statistics.RecordsMatched) == 3, "query statistics %v", res.Statistics)

	_, err = c.DeleteLogGroup(&cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
	check(err, "DeleteLogGroup")
	_, err = c.DeleteLogGroup(&cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
	expectErr(err, "DeleteLogGroup again", cloudwatchlogs.ErrCodeResourceNotFoundException, 400)
}

// ---------------------------------------------------------------------------------------------------- Cloud Map

func waitOperation(c *servicediscovery.ServiceDiscovery, id *string) *servicediscovery.Operation {
	var op *servicediscovery.Operation
	poll("GetOperation SUCCESS", 30*time.Second, func() bool {
		out, err := c.GetOperation(&servicediscovery.GetOperationInput{OperationId: id})
		check(err, "GetOperation")
		op = out.Operation
		expect(aws.StringValue(op.Status) != servicediscovery.OperationStatusFail, "operation failed: %s", aws.StringValue(op.ErrorMessage))
		return aws.StringValue(op.Status) == servicediscovery.OperationStatusSuccess
	})
	return op
}

func runServiceDiscovery() {
	_, vpc := defaultSubnet()
	// The v1 SDK prefixes DiscoverInstances' host with "data-"; against a custom endpoint users turn that off.
	c := servicediscovery.New(sess, &aws.Config{DisableEndpointHostPrefix: aws.Bool(true)})
	ns := "gov1" + suffix() + ".local"
	cn, err := c.CreatePrivateDnsNamespace(&servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String(ns), Vpc: aws.String(vpc), CreatorRequestId: aws.String("gov1-" + ns)})
	check(err, "CreatePrivateDnsNamespace")
	op := waitOperation(c, cn.OperationId)
	eq("operation type", aws.StringValue(op.Type), servicediscovery.OperationTypeCreateNamespace)
	recent("operation CreateDate", op.CreateDate)
	nsID := aws.StringValue(op.Targets["NAMESPACE"])
	expect(strings.HasPrefix(nsID, "ns-"), "namespace target %q", nsID)
	gn, err := c.GetNamespace(&servicediscovery.GetNamespaceInput{Id: aws.String(nsID)})
	check(err, "GetNamespace")
	eq("namespace name", aws.StringValue(gn.Namespace.Name), ns)
	eq("namespace type", aws.StringValue(gn.Namespace.Type), servicediscovery.NamespaceTypeDnsPrivate)
	recent("namespace CreateDate", gn.Namespace.CreateDate)
	expect(aws.StringValue(gn.Namespace.Properties.DnsProperties.HostedZoneId) != "", "hosted zone id empty")
	_, err = c.GetNamespace(&servicediscovery.GetNamespaceInput{Id: aws.String("ns-aaaaaaaaaaaaaaaa")})
	expectErr(err, "GetNamespace missing", servicediscovery.ErrCodeNamespaceNotFound, 400)

	cs, err := c.CreateService(&servicediscovery.CreateServiceInput{Name: aws.String("api"), NamespaceId: aws.String(nsID),
		DnsConfig:               &servicediscovery.DnsConfig{DnsRecords: []*servicediscovery.DnsRecord{{Type: aws.String(servicediscovery.RecordTypeA), TTL: aws.Int64(10)}}, RoutingPolicy: aws.String(servicediscovery.RoutingPolicyMultivalue)},
		HealthCheckCustomConfig: &servicediscovery.HealthCheckCustomConfig{FailureThreshold: aws.Int64(1)}})
	check(err, "CreateService")
	svcID := aws.StringValue(cs.Service.Id)
	eq("service TTL", aws.Int64Value(cs.Service.DnsConfig.DnsRecords[0].TTL), 10)
	_, err = c.CreateService(&servicediscovery.CreateServiceInput{Name: aws.String("api"), NamespaceId: aws.String(nsID)})
	sae := expectErr(err, "CreateService again", servicediscovery.ErrCodeServiceAlreadyExists, 400)
	eq("ServiceAlreadyExists.ServiceId", aws.StringValue(sae.(*servicediscovery.ServiceAlreadyExists).ServiceId), svcID)

	for i := 0; i < 3; i++ {
		ri, err := c.RegisterInstance(&servicediscovery.RegisterInstanceInput{ServiceId: aws.String(svcID), InstanceId: aws.String(fmt.Sprintf("i-%d", i)),
			Attributes: map[string]*string{"AWS_INSTANCE_IPV4": aws.String(fmt.Sprintf("10.0.0.%d", 10+i)), "color": aws.String([]string{"blue", "green", "green"}[i])}})
		check(err, "RegisterInstance")
		waitOperation(c, ri.OperationId)
	}
	var instances []string
	pages := 0
	check(c.ListInstancesPages(&servicediscovery.ListInstancesInput{ServiceId: aws.String(svcID), MaxResults: aws.Int64(2)}, func(p *servicediscovery.ListInstancesOutput, _ bool) bool {
		pages++
		for _, i := range p.Instances {
			instances = append(instances, aws.StringValue(i.Id))
		}
		return pages < 10
	}), "ListInstancesPages")
	sort.Strings(instances)
	eq("instances", instances, []string{"i-0", "i-1", "i-2"})
	eq("instance pages", pages, 2)
	di, err := c.DiscoverInstances(&servicediscovery.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String("api"),
		QueryParameters: map[string]*string{"color": aws.String("green")}, HealthStatus: aws.String(servicediscovery.HealthStatusFilterAll)})
	check(err, "DiscoverInstances")
	eq("discovered", len(di.Instances), 2)
	eq("discovered health", aws.StringValue(di.Instances[0].HealthStatus), servicediscovery.HealthStatusHealthy)
	_, err = c.UpdateInstanceCustomHealthStatus(&servicediscovery.UpdateInstanceCustomHealthStatusInput{ServiceId: aws.String(svcID), InstanceId: aws.String("i-1"), Status: aws.String(servicediscovery.CustomHealthStatusUnhealthy)})
	check(err, "UpdateInstanceCustomHealthStatus")
	hs, err := c.GetInstancesHealthStatus(&servicediscovery.GetInstancesHealthStatusInput{ServiceId: aws.String(svcID)})
	check(err, "GetInstancesHealthStatus")
	eq("i-1 health", aws.StringValue(hs.Status["i-1"]), servicediscovery.HealthStatusUnhealthy)
	di, err = c.DiscoverInstances(&servicediscovery.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String("api"), QueryParameters: map[string]*string{"color": aws.String("green")},
		HealthStatus: aws.String(servicediscovery.HealthStatusFilterHealthy)})
	check(err, "DiscoverInstances healthy")
	eq("healthy green", len(di.Instances), 1)
	eq("healthy green id", aws.StringValue(di.Instances[0].InstanceId), "i-2")

	var nsNames []string
	check(c.ListNamespacesPages(&servicediscovery.ListNamespacesInput{Filters: []*servicediscovery.NamespaceFilter{{Name: aws.String("TYPE"), Values: aws.StringSlice([]string{"DNS_PRIVATE"})}}}, func(p *servicediscovery.ListNamespacesOutput, _ bool) bool {
		for _, n := range p.Namespaces {
			nsNames = append(nsNames, aws.StringValue(n.Name))
		}
		return true
	}), "ListNamespacesPages")
	expect(strings.Contains(strings.Join(nsNames, ","), ns), "namespaces %v", nsNames)
	services := 0
	check(c.ListServicesPages(&servicediscovery.ListServicesInput{Filters: []*servicediscovery.ServiceFilter{{Name: aws.String("NAMESPACE_ID"), Values: aws.StringSlice([]string{nsID})}}}, func(p *servicediscovery.ListServicesOutput, _ bool) bool {
		services += len(p.Services)
		return true
	}), "ListServicesPages")
	eq("services", services, 1)
	ops := 0
	check(c.ListOperationsPages(&servicediscovery.ListOperationsInput{MaxResults: aws.Int64(2)}, func(p *servicediscovery.ListOperationsOutput, _ bool) bool {
		ops += len(p.Operations)
		return ops < 100
	}), "ListOperationsPages")
	expect(ops >= 4, "operations %d", ops)

	_, err = c.DeleteNamespace(&servicediscovery.DeleteNamespaceInput{Id: aws.String(nsID)})
	expectErr(err, "DeleteNamespace with a service", servicediscovery.ErrCodeResourceInUse, 400)
	_, err = c.DeleteService(&servicediscovery.DeleteServiceInput{Id: aws.String(svcID)})
	expectErr(err, "DeleteService with instances", servicediscovery.ErrCodeResourceInUse, 400)
	for i := 0; i < 3; i++ {
		di, err := c.DeregisterInstance(&servicediscovery.DeregisterInstanceInput{ServiceId: aws.String(svcID), InstanceId: aws.String(fmt.Sprintf("i-%d", i))})
		check(err, "DeregisterInstance")
		waitOperation(c, di.OperationId)
	}
	_, err = c.DeleteService(&servicediscovery.DeleteServiceInput{Id: aws.String(svcID)})
	check(err, "DeleteService")
	dn, err := c.DeleteNamespace(&servicediscovery.DeleteNamespaceInput{Id: aws.String(nsID)})
	check(err, "DeleteNamespace")
	waitOperation(c, dn.OperationId)
}

// ---------------------------------------------------------------------------------------------------- EFS

func runEFS() {
	subnet, _ := defaultSubnet()
	c := efs.New(sess)
	token := "gov1-" + suffix()
	fs, err := c.CreateFileSystem(&efs.CreateFileSystemInput{CreationToken: aws.String(token), PerformanceMode: aws.String(efs.PerformanceModeGeneralPurpose),
		ThroughputMode: aws.String(efs.ThroughputModeProvisioned), ProvisionedThroughputInMibps: aws.Float64(64),
		Encrypted: aws.Bool(true), Tags: []*efs.Tag{{Key: aws.String("Name"), Value: aws.String("gov1-fs")}}})
	check(err, "CreateFileSystem")
	fsID := aws.StringValue(fs.FileSystemId)
	eq("file system name", aws.StringValue(fs.Name), "gov1-fs")
	eq("provisioned throughput", aws.Float64Value(fs.ProvisionedThroughputInMibps), 64)
	recent("CreationTime", fs.CreationTime)
	_, err = c.CreateFileSystem(&efs.CreateFileSystemInput{CreationToken: aws.String(token)})
	dup := expectErr(err, "CreateFileSystem same token", efs.ErrCodeFileSystemAlreadyExists, 409)
	eq("FileSystemAlreadyExists FileSystemId", aws.StringValue(dup.(*efs.FileSystemAlreadyExists).FileSystemId), fsID)
	eq("FileSystemAlreadyExists ErrorCode", aws.StringValue(dup.(*efs.FileSystemAlreadyExists).ErrorCode), "FileSystemAlreadyExists")
	// Without a CreationToken: v1 fills the idempotency token in itself (a UUID).
	anon, err := c.CreateFileSystem(&efs.CreateFileSystemInput{})
	check(err, "CreateFileSystem without a token")
	expect(len(aws.StringValue(anon.CreationToken)) == 36, "generated CreationToken %q", aws.StringValue(anon.CreationToken))
	poll("anonymous file system available", 30*time.Second, func() bool {
		out, err := c.DescribeFileSystems(&efs.DescribeFileSystemsInput{FileSystemId: anon.FileSystemId})
		check(err, "DescribeFileSystems anonymous")
		return aws.StringValue(out.FileSystems[0].LifeCycleState) == efs.LifeCycleStateAvailable
	})
	_, err = c.DeleteFileSystem(&efs.DeleteFileSystemInput{FileSystemId: anon.FileSystemId})
	check(err, "DeleteFileSystem anonymous")
	poll("file system available", 30*time.Second, func() bool {
		out, err := c.DescribeFileSystems(&efs.DescribeFileSystemsInput{FileSystemId: aws.String(fsID)})
		check(err, "DescribeFileSystems")
		return aws.StringValue(out.FileSystems[0].LifeCycleState) == efs.LifeCycleStateAvailable
	})
	_, err = c.DescribeFileSystems(&efs.DescribeFileSystemsInput{FileSystemId: aws.String("fs-0123456789abcdef0")})
	expectErr(err, "DescribeFileSystems missing", efs.ErrCodeFileSystemNotFound, 404)
	_, err = c.UpdateFileSystem(&efs.UpdateFileSystemInput{FileSystemId: aws.String(fsID), ThroughputMode: aws.String(efs.ThroughputModeBursting)})
	check(err, "UpdateFileSystem")

	var all []string
	check(c.DescribeFileSystemsPages(&efs.DescribeFileSystemsInput{MaxItems: aws.Int64(1)}, func(p *efs.DescribeFileSystemsOutput, _ bool) bool {
		for _, f := range p.FileSystems {
			all = append(all, aws.StringValue(f.FileSystemId))
			expect(f.SizeInBytes != nil && f.SizeInBytes.Value != nil, "SizeInBytes %v", f.SizeInBytes)
		}
		return len(all) < 100
	}), "DescribeFileSystemsPages")
	expect(strings.Contains(strings.Join(all, ","), fsID), "paged file systems %v", all)

	mt, err := c.CreateMountTarget(&efs.CreateMountTargetInput{FileSystemId: aws.String(fsID), SubnetId: aws.String(subnet)})
	check(err, "CreateMountTarget")
	eq("mount target subnet", aws.StringValue(mt.SubnetId), subnet)
	_, err = c.CreateMountTarget(&efs.CreateMountTargetInput{FileSystemId: aws.String(fsID), SubnetId: aws.String(subnet)})
	expectErr(err, "CreateMountTarget same AZ", efs.ErrCodeMountTargetConflict, 409)
	poll("mount target available", 30*time.Second, func() bool {
		out, err := c.DescribeMountTargets(&efs.DescribeMountTargetsInput{MountTargetId: mt.MountTargetId})
		check(err, "DescribeMountTargets")
		return aws.StringValue(out.MountTargets[0].LifeCycleState) == efs.LifeCycleStateAvailable
	})
	sgs, err := c.DescribeMountTargetSecurityGroups(&efs.DescribeMountTargetSecurityGroupsInput{MountTargetId: mt.MountTargetId})
	check(err, "DescribeMountTargetSecurityGroups")
	eq("mount target security groups", len(sgs.SecurityGroups), 1)

	for i := 0; i < 3; i++ {
		_, err := c.CreateAccessPoint(&efs.CreateAccessPointInput{ClientToken: aws.String(fmt.Sprintf("%s-ap%d", token, i)), FileSystemId: aws.String(fsID),
			PosixUser:     &efs.PosixUser{Uid: aws.Int64(1000), Gid: aws.Int64(1000), SecondaryGids: aws.Int64Slice([]int64{2000})},
			RootDirectory: &efs.RootDirectory{Path: aws.String(fmt.Sprintf("/data%d", i)), CreationInfo: &efs.CreationInfo{OwnerUid: aws.Int64(1000), OwnerGid: aws.Int64(1000), Permissions: aws.String("755")}}})
		check(err, "CreateAccessPoint")
	}
	var aps []*efs.AccessPointDescription
	check(c.DescribeAccessPointsPages(&efs.DescribeAccessPointsInput{FileSystemId: aws.String(fsID), MaxResults: aws.Int64(2)}, func(p *efs.DescribeAccessPointsOutput, _ bool) bool {
		aps = append(aps, p.AccessPoints...)
		return len(aps) < 20
	}), "DescribeAccessPointsPages")
	eq("access points", len(aps), 3)
	eq("secondary gids", aws.Int64ValueSlice(aps[0].PosixUser.SecondaryGids), []int64{2000})

	_, err = c.PutLifecycleConfiguration(&efs.PutLifecycleConfigurationInput{FileSystemId: aws.String(fsID), LifecyclePolicies: []*efs.LifecyclePolicy{
		{TransitionToIA: aws.String(efs.TransitionToIARulesAfter30Days)}, {TransitionToPrimaryStorageClass: aws.String(efs.TransitionToPrimaryStorageClassRulesAfter1Access)}}})
	check(err, "PutLifecycleConfiguration")
	lc, err := c.DescribeLifecycleConfiguration(&efs.DescribeLifecycleConfigurationInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeLifecycleConfiguration")
	eq("lifecycle policies", len(lc.LifecyclePolicies), 2)
	_, err = c.PutFileSystemPolicy(&efs.PutFileSystemPolicyInput{FileSystemId: aws.String(fsID), Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Resource":"*"}]}`)})
	check(err, "PutFileSystemPolicy")
	_, err = c.DescribeBackupPolicy(&efs.DescribeBackupPolicyInput{FileSystemId: aws.String(fsID)})
	expectErr(err, "DescribeBackupPolicy none", efs.ErrCodePolicyNotFound, 404)
	_, err = c.PutBackupPolicy(&efs.PutBackupPolicyInput{FileSystemId: aws.String(fsID), BackupPolicy: &efs.BackupPolicy{Status: aws.String(efs.StatusEnabled)}})
	check(err, "PutBackupPolicy")
	bp, err := c.DescribeBackupPolicy(&efs.DescribeBackupPolicyInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeBackupPolicy")
	eq("backup policy", aws.StringValue(bp.BackupPolicy.Status), efs.StatusEnabled)
	fp, err := c.DescribeFileSystemPolicy(&efs.DescribeFileSystemPolicyInput{FileSystemId: aws.String(fsID)})
	check(err, "DescribeFileSystemPolicy")
	expect(strings.Contains(aws.StringValue(fp.Policy), "ClientMount"), "file system policy %q", aws.StringValue(fp.Policy))
	// The tag calls older Terraform providers (on v1) still make.
	_, err = c.CreateTags(&efs.CreateTagsInput{FileSystemId: aws.String(fsID), Tags: []*efs.Tag{{Key: aws.String("old"), Value: aws.String("api")}}})
	check(err, "CreateTags (deprecated)")
	oldTags := map[string]string{}
	check(c.DescribeTagsPages(&efs.DescribeTagsInput{FileSystemId: aws.String(fsID), MaxItems: aws.Int64(1)}, func(p *efs.DescribeTagsOutput, _ bool) bool {
		for _, t := range p.Tags {
			oldTags[aws.StringValue(t.Key)] = aws.StringValue(t.Value)
		}
		return len(oldTags) < 10
	}), "DescribeTagsPages (deprecated)")
	eq("deprecated tags", oldTags, map[string]string{"Name": "gov1-fs", "old": "api"})
	_, err = c.DeleteTags(&efs.DeleteTagsInput{FileSystemId: aws.String(fsID), TagKeys: aws.StringSlice([]string{"old"})})
	check(err, "DeleteTags (deprecated)")
	_, err = c.TagResource(&efs.TagResourceInput{ResourceId: aws.String(fsID), Tags: []*efs.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	check(err, "TagResource")
	tags, err := c.ListTagsForResource(&efs.ListTagsForResourceInput{ResourceId: aws.String(fsID)})
	check(err, "ListTagsForResource")
	eq("tags", len(tags.Tags), 2)

	_, err = c.DeleteFileSystem(&efs.DeleteFileSystemInput{FileSystemId: aws.String(fsID)})
	expectErr(err, "DeleteFileSystem with mount target", efs.ErrCodeFileSystemInUse, 409)
	for _, ap := range aps {
		_, err = c.DeleteAccessPoint(&efs.DeleteAccessPointInput{AccessPointId: ap.AccessPointId})
		check(err, "DeleteAccessPoint")
	}
	_, err = c.DeleteMountTarget(&efs.DeleteMountTargetInput{MountTargetId: mt.MountTargetId})
	check(err, "DeleteMountTarget")
	poll("mount target deleted", 30*time.Second, func() bool {
		out, err := c.DescribeMountTargets(&efs.DescribeMountTargetsInput{FileSystemId: aws.String(fsID)})
		check(err, "DescribeMountTargets after delete")
		return len(out.MountTargets) == 0
	})
	_, err = c.DeleteFileSystem(&efs.DeleteFileSystemInput{FileSystemId: aws.String(fsID)})
	check(err, "DeleteFileSystem")
}

// ---------------------------------------------------------------------------------------------------- Lambda

func handlerZip() []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create("index.js")
	check(err, "zip create")
	_, err = f.Write([]byte("exports.handler = async (event) => ({ ok: true, echo: event });\nexports.fail = async () => { throw new Error(\"v1 boom\"); };\n"))
	check(err, "zip write")
	check(w.Close(), "zip close")
	return buf.Bytes()
}

func runLambda() {
	role, err := iam.New(sess).CreateRole(&iam.CreateRoleInput{RoleName: aws.String("gov1-lambda-" + suffix()), AssumeRolePolicyDocument: aws.String(trustPolicy)})
	check(err, "CreateRole for Lambda")
	c := lambda.New(sess)
	name := "gov1-fn-" + suffix()
	fn, err := c.CreateFunction(&lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: aws.String("nodejs20.x"), Handler: aws.String("index.handler"),
		Role: role.Role.Arn, Code: &lambda.FunctionCode{ZipFile: handlerZip()}, Environment: &lambda.Environment{Variables: map[string]*string{"MODE": aws.String("v1")}},
		Timeout: aws.Int64(5), MemorySize: aws.Int64(256), Tags: map[string]*string{"team": aws.String("go")}, Architectures: aws.StringSlice([]string{lambda.ArchitectureArm64})})
	check(err, "CreateFunction")
	eq("function arn", aws.StringValue(fn.FunctionArn), "arn:aws:lambda:us-east-1:"+account+":function:"+name)
	eq("memory", aws.Int64Value(fn.MemorySize), 256)
	eq("architecture", aws.StringValueSlice(fn.Architectures), []string{"arm64"})
	expect(aws.Int64Value(fn.CodeSize) > 0 && aws.StringValue(fn.CodeSha256) != "", "CodeSize %d", aws.Int64Value(fn.CodeSize))
	// LastModified is a string in Lambda's model ("2006-01-02T15:04:05.000+0000").
	lm, err := time.Parse("2006-01-02T15:04:05.000-0700", aws.StringValue(fn.LastModified))
	check(err, "parse LastModified")
	recent("LastModified", &lm)
	_, err = c.CreateFunction(&lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: aws.String("nodejs20.x"), Handler: aws.String("index.handler"),
		Role: role.Role.Arn, Code: &lambda.FunctionCode{ZipFile: handlerZip()}})
	expectErr(err, "CreateFunction again", lambda.ErrCodeResourceConflictException, 409)
	check(c.WaitUntilFunctionExistsWithContext(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, fast...), "WaitUntilFunctionExists")
	check(c.WaitUntilFunctionActiveWithContext(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)}, fast...), "WaitUntilFunctionActive")

	gf, err := c.GetFunction(&lambda.GetFunctionInput{FunctionName: aws.String(name)})
	check(err, "GetFunction")
	eq("state", aws.StringValue(gf.Configuration.State), lambda.StateActive)
	eq("env", aws.StringValue(gf.Configuration.Environment.Variables["MODE"]), "v1")
	eq("tags", aws.StringValue(gf.Tags["team"]), "go")
	resp, err := http.Get(aws.StringValue(gf.Code.Location))
	check(err, "download Code.Location")
	code, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	eq("Code.Location zip", string(code), string(handlerZip()))

	inv, err := c.Invoke(&lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"hello":"v1"}`), LogType: aws.String(lambda.LogTypeTail)})
	check(err, "Invoke")
	eq("Invoke StatusCode", aws.Int64Value(inv.StatusCode), 200)
	eq("Invoke ExecutedVersion", aws.StringValue(inv.ExecutedVersion), "$LATEST")
	if execute {
		// --execute: the handler ran; the payload, the log tail (base64 header) and an Unhandled error come back.
		eq("Invoke payload", string(inv.Payload), `{"ok":true,"echo":{"hello":"v1"}}`)
		tail, err := base64.StdEncoding.DecodeString(aws.StringValue(inv.LogResult))
		check(err, "decode LogResult")
		expect(strings.Contains(string(tail), "START RequestId: ") && strings.Contains(string(tail), "REPORT RequestId: "), "LogResult %q", tail)
		_, err = c.CreateFunction(&lambda.CreateFunctionInput{FunctionName: aws.String(name + "-fail"), Runtime: aws.String("nodejs20.x"), Handler: aws.String("index.fail"),
			Role: role.Role.Arn, Code: &lambda.FunctionCode{ZipFile: handlerZip()}})
		check(err, "CreateFunction failing")
		check(c.WaitUntilFunctionActiveV2WithContext(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name + "-fail")}, fast...), "WaitUntilFunctionActiveV2")
		bad, err := c.Invoke(&lambda.InvokeInput{FunctionName: aws.String(name + "-fail")})
		check(err, "Invoke failing")
		eq("failing StatusCode", aws.Int64Value(bad.StatusCode), 200)
		eq("FunctionError", aws.StringValue(bad.FunctionError), "Unhandled")
		expect(strings.Contains(string(bad.Payload), `"errorMessage":"v1 boom"`), "error payload %s", bad.Payload)
		_, err = c.DeleteFunction(&lambda.DeleteFunctionInput{FunctionName: aws.String(name + "-fail")})
		check(err, "DeleteFunction failing")
	} else {
		// Fake mode runs nothing: the payload is null (README, Lambda).
		eq("Invoke payload", string(inv.Payload), "null")
	}
	ev, err := c.Invoke(&lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: aws.String(lambda.InvocationTypeEvent), Payload: []byte(`{}`)})
	check(err, "Invoke Event")
	eq("Invoke Event StatusCode", aws.Int64Value(ev.StatusCode), 202)
	_, err = c.Invoke(&lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: aws.String(lambda.InvocationTypeDryRun)})
	check(err, "Invoke DryRun")
	_, err = c.Invoke(&lambda.InvokeInput{FunctionName: aws.String(name + "-missing")})
	nf := expectErr(err, "Invoke missing", lambda.ErrCodeResourceNotFoundException, 404)
	// v1 decodes Lambda's error body into the typed exception: its Type is "User".
	eq("ResourceNotFoundException.Type", aws.StringValue(nf.(*lambda.ResourceNotFoundException).Type), "User")
	// Reserving all but 99 of the account's 1000: Lambda keeps 100 unreserved.
	_, err = c.PutFunctionConcurrency(&lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(name), ReservedConcurrentExecutions: aws.Int64(901)})
	bad := expectErr(err, "PutFunctionConcurrency leaving 99 unreserved", lambda.ErrCodeInvalidParameterValueException, 400)
	// Recorded against AWS: this answer carries no Type member.
	expect(strings.HasSuffix(bad.(*lambda.InvalidParameterValueException).Message(), "minimum value of [100].") && bad.(*lambda.InvalidParameterValueException).Type == nil,
		"InvalidParameterValueException %#v", bad)

	_, err = c.UpdateFunctionConfiguration(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), MemorySize: aws.Int64(512), Description: aws.String("v1 updated")})
	check(err, "UpdateFunctionConfiguration")
	check(c.WaitUntilFunctionUpdatedWithContext(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)}, fast...), "WaitUntilFunctionUpdated")
	uc, err := c.UpdateFunctionCode(&lambda.UpdateFunctionCodeInput{FunctionName: aws.String(name), ZipFile: handlerZip(), Publish: aws.Bool(true)})
	check(err, "UpdateFunctionCode publish")
	eq("published version", aws.StringValue(uc.Version), "1")
	check(c.WaitUntilFunctionUpdatedV2WithContext(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, fast...), "WaitUntilFunctionUpdatedV2 after code")
	pv, err := c.PublishVersion(&lambda.PublishVersionInput{FunctionName: aws.String(name), Description: aws.String("second")})
	check(err, "PublishVersion")
	// Nothing changed since version 1: Lambda answers version 1 again.
	eq("PublishVersion unchanged", aws.StringValue(pv.Version), "1")
	al, err := c.CreateAlias(&lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	check(err, "CreateAlias")
	eq("alias arn", aws.StringValue(al.AliasArn), "arn:aws:lambda:us-east-1:"+account+":function:"+name+":live")
	var versions []string
	check(c.ListVersionsByFunctionPages(&lambda.ListVersionsByFunctionInput{FunctionName: aws.String(name), MaxItems: aws.Int64(1)}, func(p *lambda.ListVersionsByFunctionOutput, _ bool) bool {
		for _, v := range p.Versions {
			versions = append(versions, aws.StringValue(v.Version))
		}
		return len(versions) < 10
	}), "ListVersionsByFunctionPages")
	eq("versions", versions, []string{"$LATEST", "1"})
	aliases := 0
	check(c.ListAliasesPages(&lambda.ListAliasesInput{FunctionName: aws.String(name)}, func(p *lambda.ListAliasesOutput, _ bool) bool {
		aliases += len(p.Aliases)
		return true
	}), "ListAliasesPages")
	eq("aliases", aliases, 1)

	_, err = c.AddPermission(&lambda.AddPermissionInput{FunctionName: aws.String(name), StatementId: aws.String("s3"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	check(err, "AddPermission")
	_, err = c.AddPermission(&lambda.AddPermissionInput{FunctionName: aws.String(name), StatementId: aws.String("s3"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	expectErr(err, "AddPermission again", lambda.ErrCodeResourceConflictException, 409)
	gp, err := c.GetPolicy(&lambda.GetPolicyInput{FunctionName: aws.String(name)})
	check(err, "GetPolicy")
	expect(strings.Contains(aws.StringValue(gp.Policy), `"Sid":"s3"`), "policy %s", aws.StringValue(gp.Policy))
	_, err = c.PutFunctionConcurrency(&lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(name), ReservedConcurrentExecutions: aws.Int64(5)})
	check(err, "PutFunctionConcurrency")
	gc, err := c.GetFunctionConcurrency(&lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	check(err, "GetFunctionConcurrency")
	eq("reserved concurrency", aws.Int64Value(gc.ReservedConcurrentExecutions), 5)
	as, err := c.GetAccountSettings(&lambda.GetAccountSettingsInput{})
	check(err, "GetAccountSettings")
	expect(aws.Int64Value(as.AccountLimit.ConcurrentExecutions) >= 5 && aws.Int64Value(as.AccountLimit.CodeSizeZipped) > 0, "account limit %v", as.AccountLimit)

	ia, err := c.InvokeAsync(&lambda.InvokeAsyncInput{FunctionName: aws.String(name), InvokeArgs: strings.NewReader(`{"async":true}`)})
	check(err, "InvokeAsync")
	eq("InvokeAsync Status", aws.Int64Value(ia.Status), 202)
	layer, err := c.PublishLayerVersion(&lambda.PublishLayerVersionInput{LayerName: aws.String("gov1-layer"), Content: &lambda.LayerVersionContentInput{ZipFile: handlerZip()},
		CompatibleRuntimes: aws.StringSlice([]string{"nodejs20.x"})})
	check(err, "PublishLayerVersion")
	expect(aws.Int64Value(layer.Version) >= 1, "layer version %d", aws.Int64Value(layer.Version))
	layers := 0
	check(c.ListLayerVersionsPages(&lambda.ListLayerVersionsInput{LayerName: aws.String("gov1-layer")}, func(p *lambda.ListLayerVersionsOutput, _ bool) bool {
		layers += len(p.LayerVersions)
		return true
	}), "ListLayerVersionsPages")
	expect(layers >= 1, "layer versions %d", layers)
	_, err = c.UpdateFunctionConfiguration(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), Layers: []*string{layer.LayerVersionArn}})
	check(err, "UpdateFunctionConfiguration layers")
	check(c.WaitUntilFunctionUpdatedWithContext(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)}, fast...), "WaitUntilFunctionUpdated (layers)")
	cfgAlias, err := c.GetFunctionConfiguration(&lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: aws.String("live")})
	check(err, "GetFunctionConfiguration alias")
	eq("alias version", aws.StringValue(cfgAlias.Version), "1")
	eq("alias memory", aws.Int64Value(cfgAlias.MemorySize), 512)
	fu, err := c.CreateFunctionUrlConfig(&lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String(name), AuthType: aws.String(lambda.FunctionUrlAuthTypeNone)})
	check(err, "CreateFunctionUrlConfig")
	expect(strings.HasPrefix(aws.StringValue(fu.FunctionUrl), "http"), "FunctionUrl %q", aws.StringValue(fu.FunctionUrl))
	esm := 0
	check(c.ListEventSourceMappingsPages(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String(name)}, func(p *lambda.ListEventSourceMappingsOutput, _ bool) bool {
		esm += len(p.EventSourceMappings)
		return true
	}), "ListEventSourceMappingsPages")
	eq("event source mappings", esm, 0)

	fns := 0
	check(c.ListFunctionsPages(&lambda.ListFunctionsInput{MaxItems: aws.Int64(1)}, func(p *lambda.ListFunctionsOutput, _ bool) bool {
		fns += len(p.Functions)
		return fns < 100
	}), "ListFunctionsPages")
	expect(fns >= 1, "functions %d", fns)
	_, err = c.GetFunction(&lambda.GetFunctionInput{FunctionName: aws.String(name + ":nope")})
	expectErr(err, "GetFunction missing alias", lambda.ErrCodeResourceNotFoundException, 404)
	_, err = c.DeleteFunction(&lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
	check(err, "DeleteFunction")
	_, err = c.GetFunctionConfiguration(&lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
	expectErr(err, "GetFunctionConfiguration deleted", lambda.ErrCodeResourceNotFoundException, 404)
}

// ---------------------------------------------------------------------------------------------------- S3 (smoke)

func runS3() {
	c := s3.New(sess)
	bucket := "gov1-" + suffix()
	_, err := c.CreateBucket(&s3.CreateBucketInput{Bucket: aws.String(bucket)})
	check(err, "CreateBucket")
	check(c.WaitUntilBucketExistsWithContext(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}, fast...), "WaitUntilBucketExists")
	for i := 0; i < 3; i++ {
		_, err = c.PutObject(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(fmt.Sprintf("k/%d", i)), Body: bytes.NewReader([]byte("hello v1"))})
		check(err, "PutObject")
	}
	var keys []string
	check(c.ListObjectsV2Pages(&s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int64(2)}, func(p *s3.ListObjectsV2Output, _ bool) bool {
		for _, o := range p.Contents {
			keys = append(keys, aws.StringValue(o.Key))
		}
		return true
	}), "ListObjectsV2Pages")
	eq("keys", keys, []string{"k/0", "k/1", "k/2"})
	g, err := c.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k/0")})
	check(err, "GetObject")
	body, _ := io.ReadAll(g.Body)
	g.Body.Close()
	eq("body", string(body), "hello v1")
	eq("content length", aws.Int64Value(g.ContentLength), 8)
	recent("LastModified", g.LastModified)
	_, err = c.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
	expectErr(err, "GetObject missing", s3.ErrCodeNoSuchKey, 404)
	_, err = c.HeadObject(&s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
	expectErr(err, "HeadObject missing", "NotFound", 404)
	// v1's ListObjectsPages (V1 listing: NextMarker, else the last key) and a presigned GET.
	var v1keys []string
	check(c.ListObjectsPages(&s3.ListObjectsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int64(1)}, func(p *s3.ListObjectsOutput, _ bool) bool {
		for _, o := range p.Contents {
			v1keys = append(v1keys, aws.StringValue(o.Key))
		}
		return len(v1keys) < 10
	}), "ListObjectsPages")
	eq("ListObjects keys", v1keys, keys)
	preq, _ := c.GetObjectRequest(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k/1")})
	signed, err := preq.Presign(time.Minute)
	check(err, "Presign")
	pr, err := http.Get(signed)
	check(err, "presigned GET")
	pb, _ := io.ReadAll(pr.Body)
	pr.Body.Close()
	eq("presigned GET", fmt.Sprint(pr.StatusCode, " ", string(pb)), "200 hello v1")
	region, err := s3manager.GetBucketRegion(ctx, sess, bucket, "us-west-2")
	check(err, "s3manager.GetBucketRegion")
	eq("bucket region", region, "us-east-1")
	big := bytes.Repeat([]byte("0123456789abcdef"), 6<<16) // 6 MiB: two parts of 5 MiB minimum
	up, err := s3manager.NewUploader(sess).Upload(&s3manager.UploadInput{Bucket: aws.String(bucket), Key: aws.String("big"), Body: bytes.NewReader(big)})
	check(err, "s3manager upload")
	expect(strings.HasSuffix(aws.StringValue(up.ETag), `-2"`), "multipart ETag %q", aws.StringValue(up.ETag))
	buf := aws.NewWriteAtBuffer(nil)
	n, err := s3manager.NewDownloader(sess, func(d *s3manager.Downloader) { d.PartSize = 1 << 20 }).Download(buf, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("big")})
	check(err, "s3manager download")
	eq("downloaded", n, len(big))
	expect(bytes.Equal(buf.Bytes(), big), "downloaded bytes differ")
	keys = append(keys, "big")

	_, err = c.DeleteBucket(&s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	expectErr(err, "DeleteBucket not empty", "BucketNotEmpty", 409)
	for _, k := range keys {
		_, err = c.DeleteObject(&s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		check(err, "DeleteObject")
	}
	_, err = c.DeleteBucket(&s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	check(err, "DeleteBucket")
	check(c.WaitUntilBucketNotExistsWithContext(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}, fast...), "WaitUntilBucketNotExists")
}

// ---------------------------------------------------------------------------------------------------- --enforce-iam

// runAuthz (under --enforce-iam): a user's keys, an assumed role, and each protocol's access and signature
// errors as v1 decodes them (query, EC2, JSON and REST-JSON error bodies differ).
func runAuthz() {
	c := iam.New(sess)
	user := "gov1-ci-" + suffix()
	_, err := c.CreateUser(&iam.CreateUserInput{UserName: aws.String(user)})
	check(err, "CreateUser")
	_, err = c.PutUserPolicy(&iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("read"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","ecs:ListClusters","logs:DescribeLogGroups","ec2:DescribeRegions"],"Resource":"*"}]}`)})
	check(err, "PutUserPolicy")
	key, err := c.CreateAccessKey(&iam.CreateAccessKeyInput{UserName: aws.String(user)})
	check(err, "CreateAccessKey")
	us := sess.Copy(&aws.Config{Credentials: credentials.NewStaticCredentials(aws.StringValue(key.AccessKey.AccessKeyId), aws.StringValue(key.AccessKey.SecretAccessKey), "")})

	who, err := sts.New(us).GetCallerIdentity(&sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity as the user")
	eq("user Arn", aws.StringValue(who.Arn), "arn:aws:iam::"+account+":user/"+user)
	eq("user's EKS token", presignedCallerIdentity(sts.New(us), "gov1-cluster", true).Arn, "arn:aws:iam::"+account+":user/"+user)
	eq("EKS token without its signed header", presignedCallerIdentity(sts.New(us), "gov1-cluster", false).Arn, "")
	_, err = s3.New(us).ListBuckets(&s3.ListBucketsInput{})
	check(err, "ListBuckets allowed")
	_, err = s3.New(us).CreateBucket(&s3.CreateBucketInput{Bucket: aws.String(user)})
	expectErr(err, "CreateBucket denied", "AccessDenied", 403)
	_, err = ecs.New(us).ListClusters(&ecs.ListClustersInput{})
	check(err, "ListClusters allowed")
	_, err = ecs.New(us).CreateCluster(&ecs.CreateClusterInput{ClusterName: aws.String(user)})
	expectErr(err, "CreateCluster denied", "AccessDeniedException", 400)
	_, err = cloudwatchlogs.New(us).DescribeLogGroups(&cloudwatchlogs.DescribeLogGroupsInput{})
	check(err, "DescribeLogGroups allowed")
	_, err = cloudwatchlogs.New(us).CreateLogGroup(&cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(user)})
	expectErr(err, "CreateLogGroup denied", "AccessDeniedException", 400)
	_, err = ec2.New(us).DescribeRegions(&ec2.DescribeRegionsInput{})
	check(err, "DescribeRegions allowed")
	_, err = ec2.New(us).DescribeVpcs(&ec2.DescribeVpcsInput{})
	denied := expectErr(err, "DescribeVpcs denied", "UnauthorizedOperation", 403)
	// What Terraform does with EC2's encoded message: sts:DecodeAuthorizationMessage (as the admin).
	const marker = "Encoded authorization failure message: "
	at := strings.Index(denied.Message(), marker)
	expect(at >= 0, "UnauthorizedOperation message %q", denied.Message())
	dm, err := sts.New(sess).DecodeAuthorizationMessage(&sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(denied.Message()[at+len(marker):])})
	check(err, "DecodeAuthorizationMessage")
	var decoded struct {
		Allowed bool `json:"allowed"`
		Context struct {
			Principal struct {
				Arn string `json:"arn"`
			} `json:"principal"`
			Action string `json:"action"`
		} `json:"context"`
	}
	check(json.Unmarshal([]byte(aws.StringValue(dm.DecodedMessage)), &decoded), "decoded message JSON")
	eq("decoded allowed", decoded.Allowed, false)
	eq("decoded action", decoded.Context.Action, "ec2:DescribeVpcs")
	eq("decoded principal", decoded.Context.Principal.Arn, "arn:aws:iam::"+account+":user/"+user)
	_, err = iam.New(us).ListRoles(&iam.ListRolesInput{})
	expectErr(err, "ListRoles denied", "AccessDenied", 403)
	_, err = lambda.New(us).ListFunctions(&lambda.ListFunctionsInput{})
	expectUnmodelled(err, "ListFunctions denied", "AccessDeniedException", 403)
	_, err = efs.New(us).DescribeFileSystems(&efs.DescribeFileSystemsInput{})
	expectUnmodelled(err, "DescribeFileSystems denied", "AccessDeniedException", 403)
	_, err = ecr.New(us).DescribeRepositories(&ecr.DescribeRepositoriesInput{})
	expectErr(err, "DescribeRepositories denied", "AccessDeniedException", 400)
	_, err = servicediscovery.New(us).ListNamespaces(&servicediscovery.ListNamespacesInput{})
	expectErr(err, "ListNamespaces denied", "AccessDeniedException", 400)

	// The user assumes a role that trusts it (stscreds), and the session is held to the role's policy.
	_, err = c.PutUserPolicy(&iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("assume"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)})
	check(err, "PutUserPolicy assume")
	role, err := c.CreateRole(&iam.CreateRoleInput{RoleName: aws.String(user + "-reader"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:user/` + user + `"},"Action":"sts:AssumeRole"}]}`)})
	check(err, "CreateRole trusting the user")
	_, err = c.PutRolePolicy(&iam.PutRolePolicyInput{RoleName: role.Role.RoleName, PolicyName: aws.String("logs"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`)})
	check(err, "PutRolePolicy")
	rs := sess.Copy(&aws.Config{Credentials: stscreds.NewCredentials(us, aws.StringValue(role.Role.Arn), func(p *stscreds.AssumeRoleProvider) { p.RoleSessionName = "gov1" })})
	_, err = cloudwatchlogs.New(rs).CreateLogGroup(&cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/gov1/" + user)})
	check(err, "CreateLogGroup as the role")
	_, err = cloudwatchlogs.New(rs).DescribeLogGroups(&cloudwatchlogs.DescribeLogGroupsInput{})
	expectErr(err, "DescribeLogGroups as the role", "AccessDeniedException", 400)
	_, err = sts.New(sess).AssumeRole(&sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("root")})
	expectErr(err, "AssumeRole as root", "AccessDenied", 403)

	// An ECS task's container credentials are held to its task role's policies.
	ec := ecs.New(sess)
	cl := "gov1-authz-" + suffix()
	_, err = ec.CreateCluster(&ecs.CreateClusterInput{ClusterName: aws.String(cl)})
	check(err, "CreateCluster (task role)")
	td, err := ec.RegisterTaskDefinition(&ecs.RegisterTaskDefinitionInput{Family: aws.String(cl), TaskRoleArn: role.Role.Arn, RequiresCompatibilities: aws.StringSlice([]string{"EC2"}),
		ContainerDefinitions: []*ecs.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("busybox"), Memory: aws.Int64(128)}}})
	check(err, "RegisterTaskDefinition (task role)")
	_, err = ec.RegisterContainerInstance(&ecs.RegisterContainerInstanceInput{Cluster: aws.String(cl), InstanceIdentityDocument: aws.String(`{"instanceId":"i-0abcdef0123456789","region":"us-east-1","availabilityZone":"us-east-1a","instanceType":"t3.medium"}`)})
	check(err, "RegisterContainerInstance (task role)")
	rt, err := ec.RunTask(&ecs.RunTaskInput{Cluster: aws.String(cl), TaskDefinition: td.TaskDefinition.TaskDefinitionArn})
	check(err, "RunTask (task role)")
	expect(len(rt.Tasks) == 1, "RunTask (task role) failures %v", rt.Failures)
	taskID := aws.StringValue(rt.Tasks[0].TaskArn)[strings.LastIndex(aws.StringValue(rt.Tasks[0].TaskArn), "/")+1:]
	tc := sess.Copy(&aws.Config{Credentials: endpointcreds.NewCredentialsClient(*sess.Config, sess.Handlers, aws.StringValue(sess.Config.Endpoint)+"/_awsim/ecs/credentials/"+taskID)})
	_, err = cloudwatchlogs.New(tc).CreateLogGroup(&cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/gov1/task/" + user)})
	check(err, "CreateLogGroup as the task")
	_, err = cloudwatchlogs.New(tc).DescribeLogGroups(&cloudwatchlogs.DescribeLogGroupsInput{})
	expectErr(err, "DescribeLogGroups as the task", "AccessDeniedException", 400)

	// A wrong secret: the signature does not match, in each protocol's words.
	bad := sess.Copy(&aws.Config{Credentials: credentials.NewStaticCredentials(aws.StringValue(key.AccessKey.AccessKeyId), "wrong-secret", "")})
	_, err = s3.New(bad).ListBuckets(&s3.ListBucketsInput{})
	expectErr(err, "S3 wrong secret", "SignatureDoesNotMatch", 403)
	_, err = sts.New(bad).GetCallerIdentity(&sts.GetCallerIdentityInput{})
	expectErr(err, "STS wrong secret", "SignatureDoesNotMatch", 403)
	_, err = ec2.New(bad).DescribeRegions(&ec2.DescribeRegionsInput{})
	expectErr(err, "EC2 wrong secret", "AuthFailure", 401)
	_, err = ecs.New(bad).ListClusters(&ecs.ListClustersInput{})
	expectErr(err, "ECS wrong secret", "InvalidSignatureException", 400)
	_, err = lambda.New(bad).ListFunctions(&lambda.ListFunctionsInput{})
	expectUnmodelled(err, "Lambda wrong secret", "InvalidSignatureException", 403)
}
