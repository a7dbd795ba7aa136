// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// terraform query (Terraform 1.14+) finds every backup of the repository,
// the provider's and Optimize's own, with filters as the data source's.
func TestAccBackupList_query(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "2")
	putSnapshot(t, srv, "camunda_optimize_3_3.9.0_part_1_of_2", "optimize-import-index")
	putSnapshot(t, srv, "camunda_optimize_nightly", "optimize-metadata")
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(backupIdentity("backups", id))
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: backupConfig(srv.URL, "1")},
			{
				Query: true,
				Config: `
list "optimize_backup" "all" {
  provider = optimize
}

list "optimize_backup" "completed" {
  provider         = optimize
  include_resource = true
  config {
    state            = "COMPLETED"
    optimize_version = "3.9.0"
  }
}

list "optimize_backup" "elsewhere" {
  provider = optimize
  config {
    repository_name = "backups"
    state           = "FAILED"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("optimize_backup.all", 3),
					querycheck.ExpectIdentity("optimize_backup.all", backupIdentity("backups", "1")),
					querycheck.ExpectIdentity("optimize_backup.all", backupIdentity("backups", "2")),
					querycheck.ExpectIdentity("optimize_backup.all", backupIdentity("backups", "3")),
					querycheck.ExpectResourceDisplayName("optimize_backup.all", byID("3"), knownvalue.StringExact("3 (Optimize 3.9.0, INCOMPLETE)")),
					querycheck.ExpectResourceDisplayName("optimize_backup.all", byID("1"), knownvalue.StringExact("1 (Optimize 3.9.0, COMPLETED)")),
					querycheck.ExpectLength("optimize_backup.completed", 2),
					querycheck.ExpectResourceKnownValues("optimize_backup.completed", byID("2"), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("backup_id"), KnownValue: knownvalue.StringExact("2")},
						{Path: tfjsonpath.New("repository_name"), KnownValue: knownvalue.StringExact("backups")},
						{Path: tfjsonpath.New("state"), KnownValue: knownvalue.StringExact("COMPLETED")},
						{Path: tfjsonpath.New("optimize_version"), KnownValue: knownvalue.StringExact("3.9.0")},
					}),
					querycheck.ExpectLength("optimize_backup.elsewhere", 0),
				},
			},
		},
	})
}

// The whole adoption workflow with the real CLI: terraform query
// -generate-config-out writes import blocks and resources for every backup
// found; apply adopts them; the next plan is empty; destroy deletes exactly
// the adopted backups.
func TestAccBackupList_generateConfigAdoptsEveryBackup(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	var names []string
	for _, id := range []string{"10", "11", "12"} {
		names = append(names, acctest.TakeOptimizeBackup(t, srv, id)...)
	}
	other := "my-own-snapshot"
	putSnapshot(t, srv, other, "optimize-metadata")
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL))
	cli.WriteFile("adopt.tfquery.hcl", `
list "optimize_backup" "existing" {
  provider = optimize
}
`)
	out, code := cli.Run("query", "-generate-config-out=adopted.tf")
	if code != 0 {
		t.Fatalf("query exited %d:\n%s", code, out)
	}
	for _, want := range []string{"10 (Optimize 3.9.0, COMPLETED)", "11 (Optimize 3.9.0, COMPLETED)", "12 (Optimize 3.9.0, COMPLETED)"} {
		if !strings.Contains(out, want) {
			t.Errorf("query output lacks %q:\n%s", want, out)
		}
	}
	generated := cli.ReadFile("adopted.tf")
	t.Logf("query output:\n%s\nadopted.tf:\n%s", out, generated)
	if n := strings.Count(generated, "import {"); n != 3 {
		t.Fatalf("adopted.tf has %d import blocks, want 3:\n%s", n, generated)
	}
	if !regexp.MustCompile(`backup_id\s*=\s*"11"`).MatchString(generated) {
		t.Fatalf("adopted.tf does not configure backup 11:\n%s", generated)
	}
	out, code = cli.Run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply of the generated configuration exited %d:\n%s", code, out)
	}
	if !strings.Contains(out, "3 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("apply did not import exactly the three backups:\n%s", out)
	}
	out, code = cli.Run("plan", "-detailed-exitcode")
	if code != 0 {
		t.Fatalf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
	out, code = cli.Run("destroy", "-auto-approve")
	if code != 0 {
		t.Fatalf("destroy exited %d:\n%s", code, out)
	}
	states := acctest.SnapshotStates(srv)
	for _, n := range names {
		if _, ok := states[n]; ok {
			t.Errorf("snapshot %s of an adopted backup survived destroy", n)
		}
	}
	if _, ok := states[other]; !ok || len(states) != 1 {
		t.Errorf("destroy touched what it had not adopted: %v", states)
	}
}
