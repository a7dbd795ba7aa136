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
		t.Log("the TRACE log holds no action call")
	}
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
