// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

const (
	part1Of1 = "camunda_optimize_1_3.9.0_part_1_of_2"
	part2Of1 = "camunda_optimize_1_3.9.0_part_2_of_2"
)

func backupConfig(url, id string, extra ...string) string {
	return acctest.ProviderConfig(url) + fmt.Sprintf(`
resource "optimize_backup" "test" {
  backup_id = %q
  %s
}
`, id, strings.Join(extra, "\n  "))
}

// partsData reads the per-part detail of optimize_backup.test, which the
// resource's state does not hold, once the backup is taken.
const partsData = `
data "optimize_backup_state" "test" {
  backup_id = optimize_backup.test.id
}
`

// checkSnapshots asserts the emulator holds exactly these snapshots, in these states.
func checkSnapshots(srv *esemulator.Server, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := acctest.SnapshotStates(srv)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("emulator holds snapshots %v, want %v", got, want)
		}
		return nil
	}
}

func TestAccBackup_createRefreshImportDestroy(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{
		{
			Config: backupConfig(srv.URL, "1") + partsData,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("id"), knownvalue.StringExact("1")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("repository_name"), knownvalue.StringExact("backups")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("3.9.0")),
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("failure_reason"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("snapshots"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(part1Of1), knownvalue.StringExact(part2Of1)})),
				statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(0).AtMapKey("indices"),
					knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("optimize-import-index_v3"),
						knownvalue.StringExact("optimize-position-based-import-index_v2"),
						knownvalue.StringExact("optimize-timestamp-based-import-index_v4"),
					})),
				statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(1).AtMapKey("state"), knownvalue.StringExact("SUCCESS")),
				statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(1).AtMapKey("part"), knownvalue.Int64Exact(2)),
			},
			Check: resource.ComposeTestCheckFunc(
				checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}),
				checkPartsInEmulator(srv),
			),
		},
		{
			// Refresh finds nothing to change.
			Config:   backupConfig(srv.URL, "1"),
			PlanOnly: true,
		},
		{
			ResourceName:            "optimize_backup.test",
			ImportState:             true,
			ImportStateId:           "1",
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"timeouts"},
		},
		{
			ResourceName:            "optimize_backup.test",
			ImportState:             true,
			ImportStateId:           "backups/1",
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"timeouts"},
		},
	}
	resource.Test(t, tc)
}

// checkPartsInEmulator asserts part 1 holds exactly the import indices and
// part 2 every other index of the installation, and that part 2 started
// only after part 1 had ended.
func checkPartsInEmulator(srv *esemulator.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p1, ok1 := srv.Snapshot(acctest.Repository, part1Of1)
		p2, ok2 := srv.Snapshot(acctest.Repository, part2Of1)
		if !ok1 || !ok2 {
			return fmt.Errorf("missing snapshots: part 1 %v, part 2 %v", ok1, ok2)
		}
		var want []string
		for _, idx := range srv.Indices() {
			if strings.HasPrefix(idx, "optimize-") && !strings.Contains(idx, "import-index") {
				want = append(want, idx)
			}
		}
		got := append([]string(nil), p2.Indices...)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("part 2 holds %v, want every non-import Optimize index %v", got, want)
		}
		if len(p1.Indices) != 3 {
			return fmt.Errorf("part 1 holds %v, want the three import indices", p1.Indices)
		}
		if p2.Start.Before(p1.End) {
			return fmt.Errorf("part 2 started at %s, before part 1 ended at %s", p2.Start, p1.End)
		}
		return nil
	}
}

func TestAccBackup_refreshIsOneRequest(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{
		{Config: backupConfig(srv.URL, "1")},
		{
			PreConfig: srv.ResetRequests,
			// RefreshState runs terraform refresh alone.
			RefreshState: true,
			Check: func(*terraform.State) error {
				reqs := srv.Requests()
				if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/_snapshot/backups/camunda_optimize_1_*" {
					return fmt.Errorf("refresh sent %d requests, want one GET /_snapshot/backups/camunda_optimize_1_*: %+v", len(reqs), reqs)
				}
				return nil
			},
		},
	}
	resource.Test(t, tc)
}

func TestAccBackup_outOfBandDeletion(t *testing.T) {
	srv, tc := acctest.Setup(t)
	logFile := filepath.Join(t.TempDir(), "warn.log")
	t.Setenv("TF_LOG", "WARN")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	cfg := backupConfig(srv.URL, "1")
	tc.Steps = []resource.TestStep{
		{Config: cfg},
		{
			// One part deleted out of band: INCOMPLETE, planned for replacement.
			PreConfig:          func() { srv.DeleteSnapshot(acctest.Repository, part2Of1) },
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace),
			}},
		},
		{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			},
			Check: checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}),
		},
		{
			// Both parts deleted out of band: the backup left the state, plan creates it.
			PreConfig: func() {
				srv.DeleteSnapshot(acctest.Repository, part1Of1)
				srv.DeleteSnapshot(acctest.Repository, part2Of1)
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionCreate)},
			},
			Check: resource.ComposeTestCheckFunc(
				checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}),
				func(*terraform.State) error {
					// The refresh that found it gone said so in the log.
					raw, err := os.ReadFile(logFile)
					if err != nil {
						return err
					}
					re := regexp.MustCompile(`\[WARN\]\s+optimize: Backup not found in Elasticsearch: removing it from the state.*backup_id=1`)
					if !re.Match(raw) {
						return fmt.Errorf("the log has no warning that backup 1 left the state")
					}
					return nil
				},
			),
		},
	}
	resource.Test(t, tc)
}

func TestAccBackup_partEndsFailed(t *testing.T) {
	srv, tc := acctest.Setup(t)
	srv.FailSnapshot(part2Of1, "FAILED", "disk full on node-1")
	tc.Steps = []resource.TestStep{
		{
			Config:      backupConfig(srv.URL, "1"),
			ExpectError: regexp.MustCompile(`(?s)Backup "1" was not taken.*camunda_optimize_1_3\.9\.0_part_2_of_2 is FAILED.*disk full on node-1`),
		},
		{
			// The half-taken backup is in the state, tainted: the next plan replaces it.
			PreConfig: func() {
				if err := checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "FAILED"})(nil); err != nil {
					t.Error(err)
				}
			},
			Config:             backupConfig(srv.URL, "1"),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace),
			}},
		},
	}
	resource.Test(t, tc)
}

// A backup that breaks after apply (here: part 2, still running when apply
// returned, ends PARTIAL) is planned for replacement, with a warning that
// says why; the real CLI shows the warning, the plan's JSON the replacement.
func TestAccBackup_brokenOutOfBandIsReplacedWithWarning(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t, acctest.WithSnapshotDuration(0))
	srv.PauseSnapshots(part2Of1) // part 2 runs until resumed
	srv.FailSnapshot(part2Of1, "PARTIAL", "shard lost on node-2")
	cli := acctest.NewCLI(t, backupConfig(srv.URL, "1", "wait_for_completion = false"))
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	t.Cleanup(func() {
		if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
			t.Errorf("destroy exited %d:\n%s", code, out)
		}
		if err := acctest.CheckBackupGone(srv, part1Of1, part2Of1)(nil); err != nil {
			t.Error(err)
		}
	})
	if out, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan while part 2 runs exited %d, want 0:\n%s", code, out)
	}

	srv.ResumeSnapshots() // part 2 ends PARTIAL
	out, code := cli.Run("plan", "-detailed-exitcode", "-out=tfplan")
	if code != 2 {
		t.Fatalf("plan after part 2 ended PARTIAL exited %d, want 2:\n%s", code, out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Warning: Backup "1" is FAILED and will be replaced`),
		regexp.MustCompile(`Refreshing backup "1" in repository "backups" found it FAILED:(.|\n)*` + regexp.QuoteMeta(part2Of1) + `(.|\n)*shard lost on\s+node-2`),
		regexp.MustCompile(`The plan replaces it: its snapshots are deleted and the backup is taken\s+again\.`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the plan does not say %s:\n%s", want, out)
		}
	}
	planJSON, code := cli.Run("show", "-json", "tfplan")
	if code != 0 {
		t.Fatalf("show exited %d:\n%s", code, planJSON)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatalf("decoding the plan: %v\n%s", err, planJSON)
	}
	var resp plancheck.CheckPlanResponse
	plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace).
		CheckPlan(context.Background(), plancheck.CheckPlanRequest{Plan: &plan}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	if out, code := cli.Run("apply", "tfplan"); code != 0 || !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
		t.Fatalf("applying the replacement exited %d:\n%s", code, out)
	}
}

func TestAccBackup_invalidIDFailsAtPlanWithoutRequests(t *testing.T) {
	srv, base := acctest.Setup(t)
	for _, c := range []struct{ id, want string }{
		{"Nightly", `uppercase letter 'N'`},
		{"a_b", `contains '_' at position 1`},
		{"a b", `contains a space`},
		{"", `must not be blank`},
		{strings.Repeat("9", 3996), `shorter than 3996`},
	} {
		tc := base
		tc.Steps = []resource.TestStep{{
			Config:      backupConfig(srv.URL, c.id),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid backup id.*` + regexp.QuoteMeta(c.want)),
		}}
		resource.Test(t, tc)
	}
	if n := srv.CountRequests("", "/_snapshot"); n != 0 {
		t.Fatalf("an invalid id sent %d snapshot requests: %+v", n, srv.Requests())
	}
}

func TestAccBackup_alreadyExists(t *testing.T) {
	srv, tc := acctest.Setup(t)
	names := acctest.TakeOptimizeBackup(t, srv, "1")
	tc.Steps = []resource.TestStep{{
		Config: backupConfig(srv.URL, "1"),
		ExpectError: regexp.MustCompile(`(?is)a backup with id "1" already exists in repository\s+"backups".*` +
			regexp.QuoteMeta(names[0]) + `.*terraform import\s+optimize_backup.<name> 1`),
	}}
	resource.Test(t, tc)
	if got := acctest.SnapshotStates(srv); len(got) != 2 {
		t.Fatalf("the existing backup was touched: %v", got)
	}
}

func TestAccBackup_adoptOptimizeBackupWithImportBlock(t *testing.T) {
	srv, tc := acctest.Setup(t)
	names := acctest.TakeOptimizeBackup(t, srv, "42")
	tc.Steps = []resource.TestStep{{
		Config: backupConfig(srv.URL, "42") + `
import {
  to = optimize_backup.test
  id = "42"
}
`,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionNoop)},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("3.9.0")),
		},
		Check: checkSnapshots(srv, map[string]string{names[0]: "SUCCESS", names[1]: "SUCCESS"}),
	}}
	resource.Test(t, tc)
}

func TestAccBackup_missingRepository(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{{
		Config:      backupConfig(srv.URL, "1", `repository_name = "nightly"`),
		ExpectError: regexp.MustCompile(`(?is)snapshot repository "nightly" is not registered in\s+Elasticsearch.*PUT\s+/_snapshot/nightly`),
	}}
	resource.Test(t, tc)
	if n := srv.CountRequests("PUT", "/_snapshot"); n != 0 {
		t.Fatalf("%d snapshot creations were sent to a missing repository", n)
	}
}

func TestAccBackup_wrongCredentials(t *testing.T) {
	srv, tc := acctest.Setup(t, acctest.WithBasicAuth("elastic", "right-password"))
	cfg := acctest.ProviderConfig(srv.URL) + `
resource "optimize_backup" "test" {
  backup_id = "1"
}
`
	cfg = strings.Replace(cfg, "elasticsearch {", `elasticsearch {
    username = "elastic"
    password = "wrong-password-value"`, 1)
	tc.Steps = []resource.TestStep{{
		Config: cfg,
		// OpenSearch's security plugin answers a plain-text 401, without a type.
		ExpectError: regexp.MustCompile(`(?s)401( security_exception)?.*basic\s+authentication\s+as\s+user\s+"elastic"`),
	}}
	resource.Test(t, tc)
}

func TestAccBackup_destroyLeavesOtherBackups(t *testing.T) {
	srv, tc := acctest.Setup(t)
	other := acctest.TakeOptimizeBackup(t, srv, "12") // shares the prefix "1"
	tc.CheckDestroy = resource.ComposeTestCheckFunc(
		acctest.CheckBackupsGone(srv),
		checkSnapshots(srv, map[string]string{other[0]: "SUCCESS", other[1]: "SUCCESS"}),
	)
	tc.Steps = []resource.TestStep{{
		Config: backupConfig(srv.URL, "1"),
		Check:  checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS", other[0]: "SUCCESS", other[1]: "SUCCESS"}),
	}}
	resource.Test(t, tc)
}

func TestAccBackup_waitForCompletionFalse(t *testing.T) {
	srv, tc := acctest.Setup(t, acctest.WithSnapshotDuration(0))
	srv.PauseSnapshots(part2Of1) // part 2 runs until the end of the test
	// Destroy runs while part 2 is still IN_PROGRESS: the delete aborts it.
	tc.Steps = []resource.TestStep{{
		Config: backupConfig(srv.URL, "1", "wait_for_completion = false") + partsData,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("IN_PROGRESS")),
			statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(0).AtMapKey("state"), knownvalue.StringExact("SUCCESS")),
		},
		Check: checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "IN_PROGRESS"}),
	}}
	resource.Test(t, tc)
}

// Transient answers (503, 429, a proxy's 502) are retried: a refresh that
// meets two of them still succeeds, and the emulator saw all three tries.
func TestAccBackup_refreshRetriesTransientErrors(t *testing.T) {
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{
		{Config: backupConfig(srv.URL, "1")},
		{
			PreConfig: func() {
				srv.ResetRequests()
				srv.FailNext("GET", "/_snapshot/backups/camunda_optimize_1_*", 1, 503)
				srv.FailNext("GET", "/_snapshot/backups/camunda_optimize_1_*", 1, 429)
			},
			RefreshState: true,
			Check: func(*terraform.State) error {
				var statuses []int
				for _, r := range srv.Requests() {
					statuses = append(statuses, r.Status)
				}
				if fmt.Sprint(statuses) != "[503 429 200]" {
					return fmt.Errorf("refresh answers %v, want [503 429 200]", statuses)
				}
				return nil
			},
		},
	}
	resource.Test(t, tc)
}
