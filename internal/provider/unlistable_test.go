// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// optimize_backups judges ids by the installation's version (its metadata
// index), not by the newest version among the backups: on a 3.13
// installation whose repository also holds an 8.6 backup, an id beyond
// Integer and a name that is no backup's are named.
func TestAccBackupsDataSource_unlistableByTheInstallationsVersion(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "3.13.0")
	acctest.PutBackup(t, srv, "5", "8.6.0", "")
	acctest.PutBackup(t, srv, "99999999999", "3.13.0", "")
	acctest.PutBackup(t, srv, "7", "3.13.0", "")
	if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+acctest.Repository+"/camunda_optimize_x?wait_for_completion=true",
		`{"indices":"optimize-metadata","include_global_state":false}`); status != http.StatusOK {
		t.Fatalf("%d %s", status, answer)
	}
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
data "optimize_backups" "all" {}
`)
	out, code := cli.Run("plan")
	if code != 0 {
		t.Fatalf("plan exited %d:\n%s", code, out)
	}
	for _, want := range []string{
		`Optimize 3.13.0 cannot list repository "backups": 2 snapshot name(s) it cannot read`,
		`backup "99999999999", snapshot camunda_optimize_x (no backup's name)`,
	} {
		if !regexp.MustCompile(wrapped(want)).MatchString(out) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `backup "5"`) || strings.Contains(out, `backup "7"`) {
		t.Errorf("listable backups named:\n%s", out)
	}
}

// terraform query shows at most the list block's limit, and says how many
// more backups exist.
func TestAccBackupList_queryBeyondTheLimit(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	for _, id := range []string{"1", "2", "3", "4", "5"} {
		acctest.TakeOptimizeBackup(t, srv, id)
	}
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL))
	cli.WriteFile("list.tfquery.hcl", `
list "optimize_backup" "all" {
  provider = optimize
  limit    = 3
}
`)
	out, code := cli.Run("query")
	if code != 0 {
		t.Fatalf("terraform query exited %d:\n%s", code, out)
	}
	for _, want := range []string{`5 backups of repository "backups" match; terraform query shows the first 3`, "2 more backups exist beyond the list block's limit", "limit = 5"} {
		if !regexp.MustCompile(wrapped(want)).MatchString(out) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "(Optimize 3.9.0, COMPLETED)"); n != 3 {
		t.Errorf("%d results shown, want 3:\n%s", n, out)
	}
}
