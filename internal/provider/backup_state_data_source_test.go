// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

func TestAccBackupStateDataSource(t *testing.T) {
	srv, tc := acctest.Setup(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	srv.ResetRequests()
	tc.Steps = []resource.TestStep{{
		Config: acctest.ProviderConfig(srv.URL) + `
data "optimize_backup_state" "test" {
  backup_id = "7"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("repository_name"), knownvalue.StringExact("backups")),
			statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("3.9.0")),
			statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("snapshots"),
				knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("camunda_optimize_7_3.9.0_part_1_of_2"),
					knownvalue.StringExact("camunda_optimize_7_3.9.0_part_2_of_2"),
				})),
			statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(0).AtMapKey("shards_failed"), knownvalue.Int64Exact(0)),
		},
	}}
	resource.Test(t, tc)
	if n := srv.CountRequests("PUT", "/_snapshot"); n != 0 {
		t.Fatalf("the data source created %d snapshots", n)
	}
}

func TestAccBackupStateDataSource_missingBackup(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{{
		Config: acctest.ProviderConfig(srv.URL) + `
data "optimize_backup_state" "test" {
  backup_id = "nope"
}
`,
		ExpectError: regexp.MustCompile(`(?is)backup "nope" was not found in repository "backups":\s+no\s+snapshot\s+named\s+camunda_optimize_nope_\*`),
	}}
	resource.Test(t, tc)
}

// The upgrade-gate example, as users copy it: the gate opens on a COMPLETED
// backup and holds on a FAILED one.
func TestAccBackupStateDataSource_upgradeGateExample(t *testing.T) {
	example, err := os.ReadFile("../../examples/data-sources/optimize_backup_state/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	srv, tc := acctest.Setup(t)
	acctest.TakeOptimizeBackup(t, srv, "pre-upgrade")
	srv.FailSnapshot("camunda_optimize_broken_3.9.0_part_2_of_2", "FAILED", "disk full on node-1")
	acctest.TakeOptimizeBackup(t, srv, "broken")
	cfg := acctest.ProviderConfig(srv.URL) + string(example)
	tc.Steps = []resource.TestStep{
		{
			Config:          cfg,
			ConfigVariables: config.Variables{"pre_upgrade_backup_id": config.StringVariable("pre-upgrade")},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("terraform_data.optimize_upgrade", tfjsonpath.New("input"), knownvalue.StringExact("3.10.0")),
				statecheck.ExpectKnownOutputValue("pre_upgrade_backup_snapshots", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("camunda_optimize_pre-upgrade_3.9.0_part_1_of_2"),
					knownvalue.StringExact("camunda_optimize_pre-upgrade_3.9.0_part_2_of_2"),
				})),
			},
			// A data source scoped to a check block is read again at every
			// apply, so the plan after apply always shows that read.
			ExpectNonEmptyPlan: true,
		},
		{
			Config:          cfg,
			ConfigVariables: config.Variables{"pre_upgrade_backup_id": config.StringVariable("broken")},
			ExpectError:     regexp.MustCompile(`(?s)Backup broken is FAILED, not COMPLETED: do not upgrade Optimize.*disk full on node-1`),
		},
	}
	resource.Test(t, tc)
}
