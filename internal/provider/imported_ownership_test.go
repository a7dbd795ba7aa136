// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// An imported backup owns the pair of its recorded optimize_version, never
// another version's backup of the same id: with a complete 5 of 3.14.0 (a
// pre-upgrade copy) beside the 5 of 8.6.0, importing 5 adopts the 8.6 pair,
// and destroy deletes exactly those two snapshots.
func TestAccBackup_importedBackupOwnsItsVersionOnly(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.6.0")
	old := acctest.PutBackup(t, srv, "5", "3.14.0", "")
	current := acctest.PutBackup(t, srv, "5", "8.6.0", "")
	config := acctest.ProviderConfig(srv.URL) + `
resource "optimize_backup" "test" {
  backup_id = "5"
}
`
	oldKept := func(*terraform.State) error {
		states := acctest.SnapshotStates(srv)
		for _, n := range old {
			if states[n] != "SUCCESS" {
				return fmt.Errorf("the 3.14.0 backup's snapshot %s is gone: %v", n, states)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(acctest.CheckBackupGone(srv, current...), oldKept),
		Steps: []resource.TestStep{
			{
				Config: config + "\nimport {\n  to = optimize_backup.test\n  id = \"5\"\n}\n",
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("8.6.0")),
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				},
			},
			{
				// The 8.6 pair broken out of band: the imported backup is
				// INCOMPLETE, whatever the 3.14 pair, and is planned for
				// replacement. Its delete takes the 8.6 part left, never the
				// 3.14 pair, which then keeps the id taken (as Optimize's own
				// API would answer 409).
				PreConfig: func() {
					if !srv.DeleteSnapshot(acctest.Repository, current[1]) {
						t.Fatal("no 8.6.0 part 2")
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace)},
				},
				ExpectError: regexp.MustCompile(`(?s)already\s+exists.*camunda_optimize_5_3\.14\.0_part_1_of_2`),
			},
			{
				Config:   config,
				PlanOnly: true,
				PreConfig: func() {
					if err := oldKept(nil); err != nil {
						t.Fatal(err)
					}
					if _, ok := srv.Snapshot(acctest.Repository, current[0]); ok {
						t.Fatalf("the replacement left %s", current[0])
					}
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// After an import, an unrelated edit (timeouts) plans only that change: the
// backup's state and failure_reason stay known, as after a create.
func TestAccBackup_importedThenTimeoutsEdited(t *testing.T) {
	srv, tc := acctest.Setup(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	config := func(extra string) string {
		return acctest.ProviderConfig(srv.URL) + "resource \"optimize_backup\" \"test\" {\n  backup_id = \"7\"\n" + extra + "}\n"
	}
	tc.Steps = []resource.TestStep{
		{Config: config("") + "\nimport {\n  to = optimize_backup.test\n  id = \"7\"\n}\n"},
		{
			Config: config("  timeouts = { read = \"5m\" }\n"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
					plancheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("failure_reason"), knownvalue.StringExact("")),
				},
			},
		},
	}
	resource.Test(t, tc)
}

// wait_for_completion decides how a backup is taken: changing it takes the
// backup again (a replacement), never an update that could not honour it.
func TestAccBackup_waitForCompletionReplaces(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{
		{Config: backupConfig(srv.URL, "1764633600")},
		{
			Config: backupConfig(srv.URL, "1764633600", "wait_for_completion = false"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace)},
			},
		},
	}
	resource.Test(t, tc)
}
