// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// The provider's index_prefix selects the installation whose indices are
// backed up, and its optimize_version names the snapshots; the configured
// spelling 8.6.0-SNAPSHOT stays in the state while the names carry 8.6.0.
func TestAccProvider_indexPrefixAndOptimizeVersion(t *testing.T) {
	srv, tc := acctest.Setup(t)
	if err := srv.SeedOptimize("8.6.0-SNAPSHOT", "staging"); err != nil {
		t.Fatal(err)
	}
	const part1, part2 = "camunda_optimize_1_8.6.0_part_1_of_2", "camunda_optimize_1_8.6.0_part_2_of_2"
	cfg := acctest.ProviderConfig(srv.URL, `index_prefix = "staging"`, `optimize_version = "8.6.0-SNAPSHOT"`) + `
resource "optimize_backup" "test" {
  backup_id = "1"
}
`
	tc.Steps = []resource.TestStep{
		{
			Config: cfg + partsData,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("8.6.0-SNAPSHOT")),
				statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("snapshots"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(part1), knownvalue.StringExact(part2)})),
				statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(0).AtMapKey("indices"),
					// An 8.x installation has no Camunda 7 import index.
					knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("staging-position-based-import-index_v3"),
						knownvalue.StringExact("staging-timestamp-based-import-index_v5"),
					})),
			},
			Check: resource.ComposeTestCheckFunc(
				checkSnapshots(srv, map[string]string{part1: "SUCCESS", part2: "SUCCESS"}),
				checkOnlyPrefix(srv, "staging-", part1, part2),
			),
		},
		{
			// The kept spelling plans no change.
			Config:   cfg,
			PlanOnly: true,
		},
	}
	resource.Test(t, tc)
	if n := srv.CountRequests("GET", "/staging-metadata"); n != 0 {
		t.Errorf("the version was read from the metadata index %d times although it is configured", n)
	}
}

// checkOnlyPrefix asserts the snapshots hold only indices of that prefix,
// part 2 every one of them but the import indices.
func checkOnlyPrefix(srv *esemulator.Server, prefix, part1, part2 string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var want []string
		for _, idx := range srv.Indices() {
			if strings.HasPrefix(idx, prefix) && !strings.Contains(idx, "import-index") {
				want = append(want, idx)
			}
		}
		for _, name := range []string{part1, part2} {
			s, ok := srv.Snapshot(acctest.Repository, name)
			if !ok {
				return fmt.Errorf("snapshot %s missing", name)
			}
			for _, idx := range s.Indices {
				if !strings.HasPrefix(idx, prefix) {
					return fmt.Errorf("snapshot %s holds %s, an index of another installation", name, idx)
				}
			}
			if name == part2 {
				got := append([]string(nil), s.Indices...)
				sort.Strings(got)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					return fmt.Errorf("part 2 holds %v, want %v", got, want)
				}
			}
		}
		return nil
	}
}

// Changing only timeouts updates the state in place: no replacement, no
// request that writes.
func TestAccBackup_updateTimeouts(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{
		{
			Config: backupConfig(srv.URL, "1", `timeouts = { create = "10m" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("10m")),
			},
		},
		{
			PreConfig: srv.ResetRequests,
			Config:    backupConfig(srv.URL, "1", `timeouts = { create = "20m", read = "1m", delete = "2m" }`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionUpdate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("20m")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("timeouts").AtMapKey("read"), knownvalue.StringExact("1m")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("timeouts").AtMapKey("delete"), knownvalue.StringExact("2m")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			},
			Check: func(*terraform.State) error {
				for _, r := range srv.Requests() {
					if r.Method != "GET" {
						return fmt.Errorf("changing timeouts sent %s %s", r.Method, r.Path)
					}
				}
				return checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"})(nil)
			},
		},
	}
	resource.Test(t, tc)
}

// An import id that is not a backup id is refused before any request, with
// a message that says what an import id is.
func TestAccBackup_invalidImportID(t *testing.T) {
	srv, base := acctest.Setup(t)
	for _, id := range []string{"Nightly", "backups/a_b", "backups/"} {
		tc := base
		tc.Steps = []resource.TestStep{{
			Config:        backupConfig(srv.URL, "1"),
			ResourceName:  "optimize_backup.test",
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   regexp.MustCompile(`(?s)Invalid import id.*Import\s+an\s+Optimize\s+backup\s+by\s+its\s+id,\s+or\s+by\s+<repository>/<backup_id>`),
		}}
		resource.Test(t, tc)
	}
	if n := srv.CountRequests("", "/_snapshot"); n != 0 {
		t.Fatalf("an invalid import id sent %d snapshot requests: %+v", n, srv.Requests())
	}
}

// A create that runs out of its timeout says so, naming the backup and the
// timeout.
func TestAccBackup_createTimeout(t *testing.T) {
	srv, tc := acctest.Setup(t, acctest.WithSnapshotDuration(0))
	srv.PauseSnapshots(part1Of1) // part 1 never ends on its own
	config := backupConfig(srv.URL, "1", `timeouts = { create = "3s" }`)
	tc.Steps = []resource.TestStep{
		{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Backup "1".*(timeout.*\b3s\b|\b3s\b.*timeout)`),
		},
		{
			// Nothing is orphaned: the part left running is in the state,
			// so the plan replaces it and destroy deletes it (CheckDestroy).
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace),
			}},
			PreConfig: func() {
				if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(map[string]string{part1Of1: "IN_PROGRESS"}) {
					t.Fatalf("after the timeout the emulator holds %v, want part 1 running", got)
				}
			},
		},
	}
	tc.CheckDestroy = resource.ComposeTestCheckFunc(acctest.CheckBackupsGone(srv), acctest.CheckBackupGone(srv, part1Of1, part2Of1))
	resource.Test(t, tc)
}
