// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

func policyConfig(url, body string) string {
	return acctest.ProviderConfig(url) + "resource \"optimize_backup_policy\" \"nightly\" {\n  name = \"nightly\"\n" + body + "}\n"
}

// policyBackups are the ids of the backups whose snapshots carry policy's
// name, and how many snapshots each has.
func policyBackups(srv *esemulator.Server, policy string) map[string]int {
	out := map[string]int{}
	for _, s := range srv.Snapshots(acctest.Repository) {
		if n, _ := s.Metadata[optimize.PolicyKey].(string); n == policy {
			p, ok := optimize.ParseSnapshotName(s.Name)
			if ok {
				out[string(p.ID)]++
			}
		}
	}
	return out
}

func sortedIDs(m map[string]int) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, _ := strconv.ParseUint(ids[i], 10, 64)
		b, _ := strconv.ParseUint(ids[j], 10, 64)
		return a < b
	})
	return ids
}

// The policy's life: the first backup on create, an empty plan when nothing
// is due, a due backup taken with a greater id, retention named in the plan
// and deleting both parts of the oldest backup, other backups untouched,
// and destroy deleting nothing.
func TestAccBackupPolicy_lifecycle(t *testing.T) {
	acctest.ForEachEngine(t, testPolicyLifecycle)
}

func testPolicyLifecycle(t *testing.T, engine acctest.EmulatorOption) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0", engine)
	// Backups that are not the policy's: Optimize's own, another policy's,
	// an optimize_backup's (created by the provider, no policy).
	acctest.PutBackup(t, srv, "17", "8.8.0", "")
	acctest.PutBackup(t, srv, "18", "8.8.0", `,"metadata":{"policy":"weekly"}`)
	acctest.PutBackup(t, srv, "19", "8.8.0", `,"metadata":{"taken_by":"terraform-provider-optimize","create_token":"x"}`)
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_1", 1000*time.Hour)
	others := []string{"17", "18", "19"}
	othersKept := func(*terraform.State) error {
		states := acctest.SnapshotStates(srv)
		for _, id := range others {
			for _, n := range optimize.SnapshotNames(optimize.BackupID(id), "8.8.0") {
				if states[n] != "SUCCESS" {
					return fmt.Errorf("snapshot %s of backup %s, not the policy's, is gone", n, id)
				}
			}
		}
		return nil
	}
	config := policyConfig(srv.URL, "  every = \"24h\"\n  keep_last = 2\n")
	var first, second, third string
	ageAll := func() { srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 25*time.Hour) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(othersKept, func(*terraform.State) error {
			// Destroying the policy deleted none of its backups.
			if got := policyBackups(srv, "nightly"); len(got) != 2 || got[second] != 2 || got[third] != 2 {
				return fmt.Errorf("after destroy the policy's backups are %v, want %s and %s, whole", got, second, third)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_ids"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("id"), knownvalue.StringExact("backups/nightly")),
				},
				Check: func(*terraform.State) error {
					got := policyBackups(srv, "nightly")
					if len(got) != 1 {
						return fmt.Errorf("create took %v, want one backup", got)
					}
					first = sortedIDs(got)[0]
					if n, _ := strconv.ParseInt(first, 10, 64); n < time.Now().Add(-time.Hour).Unix() || got[first] != 2 {
						return fmt.Errorf("first backup %s (%d snapshots): want both parts, with a unix-second id", first, got[first])
					}
					return othersKept(nil)
				},
			},
			{
				// Nothing due, nothing expiring: an empty plan.
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: ageAll,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("optimize_backup_policy.nightly", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("expiring_backup_ids"), knownvalue.ListExact([]knownvalue.Check{})),
				}},
				Check: func(*terraform.State) error {
					ids := sortedIDs(policyBackups(srv, "nightly"))
					if len(ids) != 2 || ids[0] != first {
						return fmt.Errorf("the due apply left %v, want %s and a new one", ids, first)
					}
					second = ids[1]
					a, _ := strconv.ParseUint(first, 10, 64)
					b, _ := strconv.ParseUint(second, 10, 64)
					if b <= a {
						return fmt.Errorf("ids %s then %s do not increase", first, second)
					}
					return othersKept(nil)
				},
			},
			{
				// Due again, with keep_last = 2: the plan names the oldest,
				// and the apply deletes both its parts.
				PreConfig: ageAll,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("expiring_backup_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringFunc(func(v string) error {
							if v != first {
								return fmt.Errorf("expiring %s, want %s", v, first)
							}
							return nil
						})})),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_ids"), knownvalue.ListSizeExact(2)),
				},
				Check: func(*terraform.State) error {
					got := policyBackups(srv, "nightly")
					ids := sortedIDs(got)
					if len(ids) != 2 || ids[0] != second || got[first] != 0 {
						return fmt.Errorf("after retention the policy holds %v, want %s and a new one, none of %s", got, second, first)
					}
					third = ids[1]
					return othersKept(nil)
				},
			},
			{
				ResourceName:      "optimize_backup_policy.nightly",
				ImportState:       true,
				ImportStateId:     "backups/nightly",
				ImportStateVerify: true,
				// The schedule and retention are the configuration's, not
				// stored in the repository (so is retained_by, which follows
				// from them); backup_due and expiring_backup_ids (with
				// expiring_reasons) record the last apply's plan, which a
				// refresh (and an import) resets.
				ImportStateVerifyIgnore: []string{"every", "keep_last", "retained_by", "backup_due", "expiring_backup_ids", "expiring_reasons"},
			},
		},
	})
}

// A backup that fails makes the apply delete nothing, even what the plan
// named.
func TestAccBackupPolicy_nothingDeletedWhenTheNewBackupFails(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	// The policy's backups so far: three, old; the next id is predictable
	// (one above the largest id of the repository).
	for _, id := range []string{"9000000001", "9000000002", "9000000003"} {
		acctest.PutBackup(t, srv, id, "8.8.0", `,"metadata":{"policy":"nightly"}`)
	}
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 100*time.Hour)
	srv.FailSnapshot("camunda_optimize_9000000004_8.8.0_part_2_of_2", "FAILED", "disk full")
	cli := acctest.NewCLI(t, policyConfig(srv.URL, "  every = \"24h\"\n  keep_last = 1\n"))
	if out, code := cli.Run("import", "optimize_backup_policy.nightly", "backups/nightly"); code != 0 {
		t.Fatalf("import: %s", out)
	}
	out, code := cli.Run("plan", "-out=tfplan")
	if code != 0 || !strings.Contains(out, `"9000000001"`) || !strings.Contains(out, `"9000000003"`) {
		t.Fatalf("the plan does not name what retention deletes:\n%s", out)
	}
	out, code = cli.Run("apply", "tfplan")
	if code == 0 || !regexp.MustCompile(wrapped(`backup "9000000004" failed`)).MatchString(out) || !regexp.MustCompile(wrapped("deleted nothing")).MatchString(out) {
		t.Fatalf("apply exited %d, want the failed backup and nothing deleted:\n%s", code, out)
	}
	if got := policyBackups(srv, "nightly"); got["9000000001"] != 2 || got["9000000002"] != 2 || got["9000000003"] != 2 {
		t.Fatalf("after a failed backup the policy holds %v: something was deleted", got)
	}
}

// min_count holds against max_age; a stuck backup (IN_PROGRESS past
// stale_after) makes the plan non-empty with a warning naming its snapshots.
func TestAccBackupPolicy_minCountAndStuck(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	for _, id := range []string{"9000000001", "9000000002", "9000000003"} {
		acctest.PutBackup(t, srv, id, "8.8.0", `,"metadata":{"policy":"nightly"}`)
	}
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 100*time.Hour)
	cli := acctest.NewCLI(t, policyConfig(srv.URL, "  every = \"1000h\"\n  max_age = \"1h\"\n  min_count = 2\n"))
	if out, code := cli.Run("import", "optimize_backup_policy.nightly", "nightly"); code != 0 {
		t.Fatalf("import: %s", out)
	}
	out, code := cli.Run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply: %s", out)
	}
	if got := policyBackups(srv, "nightly"); len(got) != 2 || got["9000000001"] != 0 {
		t.Fatalf("max_age with min_count = 2 left %v, want 9000000002 and 9000000003", got)
	}
	// Empty plan now: all too old, but min_count holds.
	if out, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan exited %d, want an empty plan:\n%s", code, out)
	}
	// A backup of the policy stuck IN_PROGRESS for 7 hours.
	srv.PauseSnapshots("camunda_optimize_9000000009_8.8.0_part_2_of_2")
	for part, indices := range []string{"optimize-*import-index*", "optimize-*,-optimize-*import-index*"} {
		name := fmt.Sprintf("camunda_optimize_9000000009_8.8.0_part_%d_of_2", part+1)
		wait := part == 0
		if status, answer := acctest.ESRequest(t, http.MethodPut, fmt.Sprintf("%s/_snapshot/%s/%s?wait_for_completion=%v", srv.URL, acctest.Repository, name, wait),
			fmt.Sprintf(`{"indices":%q,"include_global_state":false,"metadata":{"policy":"nightly"}}`, indices)); status != http.StatusOK {
			t.Fatalf("%d %s", status, answer)
		}
	}
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_9000000009", 7*time.Hour)
	out, code = cli.Run("plan", "-detailed-exitcode")
	if code != 2 || !regexp.MustCompile(wrapped(`Backup "9000000009" of policy "nightly" has been IN_PROGRESS since`)).MatchString(out) ||
		!strings.Contains(out, "camunda_optimize_9000000009_8.8.0_part_2_of_2 IN_PROGRESS") {
		t.Fatalf("plan exited %d, want 2 and a warning naming the stuck snapshot:\n%s", code, out)
	}
	srv.ResumeSnapshots()
}

// provider::optimize::backup_id turns an RFC 3339 timestamp into unix
// seconds.
func TestAccBackupIDFunction(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv.URL) + `
output "id" {
  value = provider::optimize::backup_id("2025-12-02T00:00:00Z")
}
output "offset" {
  value = provider::optimize::backup_id("2025-12-02T01:00:00+01:00")
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("id", knownvalue.StringExact("1764633600")),
					statecheck.ExpectKnownOutputValue("offset", knownvalue.StringExact("1764633600")),
				},
			},
			{
				Config:      acctest.ProviderConfig(srv.URL) + "output \"bad\" {\n  value = provider::optimize::backup_id(\"yesterday\")\n}\n",
				ExpectError: regexp.MustCompile(wrapped(`"yesterday" is not an RFC 3339 timestamp`)),
			},
		},
	})
}

// The apply deletes only what its plan named, and of those only the
// policy's snapshots: a backup that turns expirable between plan and apply
// stays, and another writer's snapshots of an expiring id stay.
func TestAccBackupPolicy_deletesOnlyWhatThePlanNamed(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	acctest.PutBackup(t, srv, "9000000001", "8.8.0", `,"metadata":{"policy":"nightly"}`)
	acctest.PutBackup(t, srv, "9000000001", "3.14.0", "") // the same id, another version: not the policy's
	acctest.PutBackup(t, srv, "9000000002", "8.8.0", `,"metadata":{"policy":"nightly"}`)
	acctest.PutBackup(t, srv, "9000000003", "8.8.0", `,"metadata":{"policy":"nightly"}`)
	cli := acctest.NewCLI(t, policyConfig(srv.URL, "  every = \"24h\"\n  keep_last = 3\n"))
	// The policy's backups exist: it is adopted, not created (a create
	// would be refused).
	if out, code := cli.Run("import", "optimize_backup_policy.nightly", "backups/nightly"); code != 0 {
		t.Fatalf("import: %s", out)
	}
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 100*time.Hour)
	// Due; with the new backup, keep_last = 3 expires 9000000001 only.
	out, code := cli.Run("plan", "-out=tfplan")
	if code != 0 || !strings.Contains(out, `"9000000001"`) || strings.Contains(out, `"9000000000"`) {
		t.Fatalf("plan:\n%s", out)
	}
	// An older backup of the policy appears between plan and apply: the
	// apply's retention would expire it too, but the plan did not name it.
	acctest.PutBackup(t, srv, "9000000000", "8.8.0", `,"metadata":{"policy":"nightly"}`)
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_9000000000", 200*time.Hour)
	srv.ResetRequests()
	if out, code := cli.Run("apply", "tfplan"); code != 0 {
		t.Fatalf("apply:\n%s", out)
	}
	got := policyBackups(srv, "nightly")
	if got["9000000000"] != 2 || got["9000000001"] != 0 || got["9000000002"] != 2 || got["9000000003"] != 2 || len(got) != 4 {
		t.Fatalf("after the apply the policy holds %v: want 9000000000 (not planned), 9000000002, 9000000003 and the new one whole, 9000000001 gone", got)
	}
	states := acctest.SnapshotStates(srv)
	for _, n := range optimize.SnapshotNames("9000000001", "3.14.0") {
		if states[n] != "SUCCESS" {
			t.Fatalf("retention deleted %s, which is not the policy's", n)
		}
	}
	// Both parts of 9000000001 went in one request.
	deletes := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodDelete {
			deletes++
			if !strings.Contains(r.Path, "camunda_optimize_9000000001_8.8.0_part_1_of_2,camunda_optimize_9000000001_8.8.0_part_2_of_2") {
				t.Errorf("a delete of %s", r.Path)
			}
		}
	}
	if deletes != 1 {
		t.Errorf("%d DELETE requests, want one for both parts", deletes)
	}
}

// With Optimize 3.9 (string ids) the policy's ids are <name>-<unix seconds>.
func TestAccBackupPolicy_optimize39IDs(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{
		{
			Config: policyConfig(srv.URL, "  every = \"24h\"\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("latest_backup_id"),
					knownvalue.StringRegexp(regexp.MustCompile(`^nightly-1[0-9]{9}$`))),
			},
		},
		{
			// A changed retention, nothing due: an in-place update that
			// takes and deletes nothing.
			Config: policyConfig(srv.URL, "  every = \"24h\"\n  keep_last = 5\n"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("optimize_backup_policy.nightly", plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_ids"), knownvalue.ListSizeExact(1)),
			},
		},
	}
	resource.Test(t, tc)
}
