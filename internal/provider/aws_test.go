// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/awsauth"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

var testAWS = &esemulator.AWSAuth{AccessKeyID: "AKIAEMULATOR0000TEST", SecretAccessKey: "emulator/secret+key0", SessionToken: "emulator-session-token-0", Region: "eu-west-1"}

// awsEnv gives the AWS SDK the test credentials, with secret.
func awsEnv(t *testing.T, secret string) {
	t.Helper()
	acctest.AWSEnv(t, testAWS.AccessKeyID, secret, testAWS.SessionToken)
}

func awsProviderConfig(url string) string {
	return fmt.Sprintf(`
provider "optimize" {
  repository_name = %q
  elasticsearch {
    endpoints = [%q]
    aws {
      region = "eu-west-1"
    }
  }
}
`, acctest.Repository, url)
}

// signedRequest sends a request signed with the test credentials (the
// emulator refuses any other).
func signedRequest(t *testing.T, method, url, body string) int {
	t.Helper()
	signer, err := awsauth.New(context.Background(), awsauth.Config{Region: testAWS.Region})
	if err != nil {
		t.Fatal(err)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Transport: signer.Transport(http.DefaultTransport)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	return res.StatusCode
}

// Every operation against an Amazon OpenSearch Service domain with IAM
// access (the emulator checking every signature): create, refresh, both data
// sources, import, destroy; with Terraform 1.14 the list resource and the
// restore action; a wrong secret refused with what to check. No secret
// appears in any output, TRACE logs included.
func TestAccAWS_everyOperation(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0", func(c *esemulator.Config) {
		c.Engine, c.AWS = esemulator.OpenSearch2, testAWS
	})
	awsEnv(t, testAWS.SecretAccessKey)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logFile)
	var outputs []string
	run := func(cli *acctest.CLI, args ...string) string {
		t.Helper()
		out, code := cli.Run(args...)
		outputs = append(outputs, out)
		if code != 0 {
			t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	// A backup Optimize took, to import (the emulator takes signed requests only).
	for part, indices := range []string{"optimize-*import-index*", "optimize-*,-optimize-*import-index*"} {
		if status := signedRequest(t, http.MethodPut, fmt.Sprintf("%s/_snapshot/%s/camunda_optimize_7_8.8.0_part_%d_of_2?wait_for_completion=true", srv.URL, acctest.Repository, part+1),
			fmt.Sprintf(`{"indices":%q,"include_global_state":false}`, indices)); status != http.StatusOK {
			t.Fatalf("taking backup 7: %d", status)
		}
	}
	config := awsProviderConfig(srv.URL) + `
resource "optimize_backup" "b" {
  backup_id = "1764633600"
}

resource "optimize_backup" "adopted" {
  backup_id = "7"
}

import {
  to = optimize_backup.adopted
  id = "7"
}

data "optimize_backup_state" "b" {
  backup_id  = optimize_backup.b.backup_id
  depends_on = [optimize_backup.b]
}

data "optimize_backups" "all" {
  depends_on = [optimize_backup.b]
}

output "state" {
  value = data.optimize_backup_state.b.state
}

output "count" {
  value = length(data.optimize_backups.all.backups)
}
`
	cli := acctest.NewCLI(t, config)
	run(cli, "apply", "-auto-approve")
	if out := run(cli, "output", "-raw", "state"); out != "COMPLETED" {
		t.Fatalf("state %q", out)
	}
	if out := run(cli, "output", "-raw", "count"); out != "2" {
		t.Fatalf("optimize_backups lists %s backups, want 2", out)
	}
	if out := run(cli, "plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("refresh: %s", out)
	}
	if acctest.CLIVersion(t).Core().Segments()[1] >= 14 {
		cli.WriteFile("list.tfquery.hcl", "list \"optimize_backup\" \"all\" {\n  provider = optimize\n}\n")
		if out := run(cli, "query"); !strings.Contains(out, "1764633600 (Optimize 8.8.0, COMPLETED)") || !strings.Contains(out, "7 (Optimize 8.8.0, COMPLETED)") {
			t.Fatalf("query:\n%s", out)
		}
		if err := os.Remove(filepath.Join(cliDir(t, cli), "list.tfquery.hcl")); err != nil {
			t.Fatal(err)
		}
		cli.WriteFile("restore.tf", `
action "optimize_backup_restore" "seven" {
  config {
    backup_id               = "7"
    optimize_version        = "8.8.0"
    delete_existing_indices = true
  }
}
`)
		if out := run(cli, "apply", "-auto-approve", "-invoke=action.optimize_backup_restore.seven"); !strings.Contains(out, "backup 7 restored") {
			t.Fatalf("restore:\n%s", out)
		}
	}
	run(cli, "destroy", "-auto-approve")
	if n := len(srv.Snapshots(acctest.Repository)); n != 0 {
		t.Fatalf("destroy left %d snapshots", n)
	}
	for _, r := range srv.Requests() {
		if r.Status == http.StatusForbidden {
			t.Fatalf("a request was refused: %+v", r)
		}
	}

	// A wrong secret: AWS refuses, and the error says what to check.
	awsEnv(t, "a-wrong-secret-value")
	out, code := cli.Run("plan")
	outputs = append(outputs, out)
	if code == 0 || !regexp.MustCompile(wrapped("AWS refused the request: the provider signed it with AWS Signature Version 4 (service es) with access key id "+testAWS.AccessKeyID+" in region eu-west-1")).MatchString(out) ||
		!regexp.MustCompile(wrapped("The request signature we calculated does not match")).MatchString(out) {
		t.Fatalf("a wrong secret: exit %d:\n%s", code, out)
	}

	trace, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(trace), "InvokeAction") && acctest.CLIVersion(t).Core().Segments()[1] >= 14 {
		t.Error("the TRACE log holds no action call: the restore action was not invoked")
	}
	checkSignedRequestsLogged(t, string(trace))
	for _, secret := range []string{testAWS.SecretAccessKey, testAWS.SessionToken, "a-wrong-secret-value"} {
		if strings.Contains(string(trace), secret) {
			t.Errorf("the TRACE log holds the secret %q", secret)
		}
		for _, o := range outputs {
			if strings.Contains(o, secret) {
				t.Errorf("an output holds the secret %q", secret)
			}
		}
	}
}

// cliDir is the CLI's working directory (where WriteFile writes).
func cliDir(t *testing.T, cli *acctest.CLI) string {
	t.Helper()
	return filepath.Dir(cli.WriteFile(".probe", ""))
}

// checkSignedRequestsLogged asserts that the TRACE log holds the headers of
// the signed requests (so that scanning it for secrets means something):
// the SigV4 Authorization's credential scope and signed headers, the
// session token's header, each with what is secret in it redacted; and no
// signature anywhere.
func checkSignedRequestsLogged(t *testing.T, trace string) {
	t.Helper()
	lines := regexp.MustCompile(`(?m)^.*Elasticsearch request headers.*$`).FindAllString(trace, -1)
	signed := 0
	for _, l := range lines {
		if strings.Contains(l, "Credential="+testAWS.AccessKeyID+"/") {
			signed++
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`Credential=` + testAWS.AccessKeyID + `/\d{8}/eu-west-1/es/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token`),
				regexp.MustCompile(`Signature=\(redacted\)`),
				regexp.MustCompile(`X-Amz-Security-Token="?\(redacted\)`),
				regexp.MustCompile(`X-Amz-Date="?\d{8}T\d{6}Z`),
			} {
				if !want.MatchString(l) {
					t.Fatalf("a signed request's TRACE line lacks %s:\n%s", want, l)
				}
			}
		}
	}
	// Create, refresh, import, both data sources, destroy: a few dozen.
	if signed < 10 {
		t.Fatalf("the TRACE log holds %d signed requests' headers (of %d request lines), want every request's", signed, len(lines))
	}
	if sig := regexp.MustCompile(`Signature=[0-9a-f]{64}`).FindString(trace); sig != "" {
		t.Fatalf("the TRACE log holds a request signature: %s", sig)
	}
}

// aws {} in front of Elasticsearch, not OpenSearch: the plan refuses, for a
// backup and a policy alike, naming what answered and what to do; nothing
// but GET / reaches the cluster.
func TestAccAWS_elasticsearchRefusedAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0", acctest.WithEngine(esemulator.Elasticsearch8))
	awsEnv(t, testAWS.SecretAccessKey)
	out, code := acctest.NewCLI(t, awsProviderConfig(srv.URL)+planResources).Run("plan", "-detailed-exitcode")
	refusedToPlan(t, "plan with aws in front of Elasticsearch", out, code,
		"Elasticsearch 8.17.0 answered a request signed for Amazon OpenSearch Service (elasticsearch.aws)",
		"point elasticsearch.endpoints at an OpenSearch domain, or remove the aws block")
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet || r.Path != "/" {
			t.Fatalf("the plan sent %s %s to Elasticsearch behind aws", r.Method, r.Path)
		}
	}
}

// A plan saved, then the AWS credentials rotated (the old key deactivated)
// before the apply: the apply fails with AWS's refusal, its message and the
// key id that signed, for the backup and the policy, not with "Provider
// produced inconsistent final plan".
func TestAccAWS_savedPlanAfterCredentialsRotated(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0", func(c *esemulator.Config) {
		c.Engine, c.AWS = esemulator.OpenSearch2, testAWS
	})
	awsEnv(t, testAWS.SecretAccessKey)
	cli := acctest.NewCLI(t, awsProviderConfig(srv.URL)+planResources)
	if out, code := cli.Run("plan", "-out=tfplan"); code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, out)
	}
	const rotated = "AKIAROTATED00000TEST"
	acctest.AWSEnv(t, rotated, "rotated/secret+key", "rotated-session-token")
	out, code := cli.Run("apply", "tfplan")
	refusedToPlan(t, "apply of the saved plan after the credentials rotated", out, code,
		"The security token included in the request is invalid.",
		"AWS refused the request: the provider signed it with AWS Signature Version 4 (service es) with access key id "+rotated+" in region eu-west-1")
	if n := len(srv.Snapshots(acctest.Repository)); n != 0 {
		t.Fatalf("the apply took %d snapshots", n)
	}
}
