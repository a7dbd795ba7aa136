// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// The indices of an Optimize 8.10 installation with prefix "optimize", as
// the emulator seeds it, written out from Optimize's sources rather than
// from the provider's table (camunda/camunda, optimize/ on the 8.10 line:
// DatabaseConstants' *_INDEX_NAME, each index class's getVersion(),
// ElasticSearchSchemaManager's static list, Upgrade89to810PlanFactory's
// CreateIndexSteps for business-value-target, business-value-overview and
// job-registry; external-process-variable is a rollover index, "-000001").
// Part 1 is the indices of BackupPriority.PRIORITY1 (camunda/camunda#61168,
// BackupWriter.triggerSnapshotCreation: the import-progress indices
// timestamp-based-import-index and position-based-import-index, and
// job-registry), part 2 every other index, the per-definition ones of the
// seeded definitions included.
var (
	optimize810Part1 = []string{"optimize-job-registry_v1", "optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5"}
	optimize810Part2 = []string{
		"optimize-alert_v4", "optimize-business-key_v2", "optimize-business-value-overview_v1", "optimize-business-value-target_v1",
		"optimize-collection_v5", "optimize-combined-report_v5", "optimize-dashboard-share_v4", "optimize-dashboard_v8",
		"optimize-decision-definition_v5", "optimize-decision-instance-invoice-assign-approver_v5", "optimize-decision-instance-risk-check_v5",
		"optimize-external-process-variable_v2-000001", "optimize-instant-dashboard_v1", "optimize-metadata_v3",
		"optimize-process-definition_v6", "optimize-process-instance-invoice_v8", "optimize-process-instance-loan-approval_v8",
		"optimize-process-instance-order-fulfillment_v8", "optimize-process-overview_v2", "optimize-report-share_v3", "optimize-settings_v3",
		"optimize-single-decision-report_v10", "optimize-single-process-report_v11", "optimize-tenant_v3", "optimize-terminated-user-session_v3",
		"optimize-variable-label_v1", "optimize-web-session_v1",
	}
)

// plus returns list with more added, sorted.
func plus(list []string, more ...string) []string {
	out := append(append([]string{}, list...), more...)
	sort.Strings(out)
	return out
}

func snapshotIndices(t *testing.T, srv *esemulator.Server, name string) []string {
	t.Helper()
	s, ok := srv.Snapshot(acctest.Repository, name)
	if !ok {
		t.Fatalf("snapshot %s does not exist", name)
	}
	out := append([]string{}, s.Indices...)
	sort.Strings(out)
	return out
}

// An Optimize 8.10 installation's backup holds every index of the
// installation: the job registry and the business-value indices that 8.10
// added, and an index of a class no release is known to have, which the
// plan and the apply name. Another installation on the same cluster
// ("optimize-event", 8.10 too) and other applications' indices are never in
// it: every index under "optimize-event-" is that installation's, whatever
// its class (issue 25, items 1 and 2).
func TestAccBackup_everyIndexOfTheInstallation(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.10.0")
	if err := srv.SeedOptimize("8.10.0", "optimize-event"); err != nil {
		t.Fatal(err)
	}
	for _, ix := range []string{"optimize-future-insight_v1", "optimize-event-sequence-count-x_v4", "operate-list-view-8.3.0_", "zeebe-record_process_8.10.0_2026-12-01"} {
		if err := srv.CreateIndex(ix); err != nil {
			t.Fatal(err)
		}
	}
	// optimize-event's indices are never ours, whatever their class: its
	// sequence-count-x (our event-sequence-count-x only under 3.x) and its
	// future-thing (a class no release has).
	if err := srv.CreateIndex("optimize-event-future-thing_v2-000003"); err != nil {
		t.Fatal(err)
	}
	part1 := optimize810Part1
	part2 := plus(optimize810Part2, "optimize-future-insight_v1")
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
resource "optimize_backup" "test" {
  backup_id = "1764633600"
}

data "optimize_backup_state" "test" {
  backup_id  = optimize_backup.test.backup_id
  depends_on = [optimize_backup.test]
}

output "unclassified" {
  value = data.optimize_backup_state.test.unclassified_indices
}
`)
	unclassified := regexp.MustCompile(wrapped("optimize-future-insight_v1 is not an index class Optimize 8.10 is known to have: backed up in part 2 so that nothing is lost"))
	out, code := cli.Run("plan", "-out=tfplan")
	if code != 0 || !unclassified.MatchString(out) {
		t.Fatalf("plan exited %d without naming the unclassified indices:\n%s", code, out)
	}
	// The saved plan's apply prints only what the apply itself says.
	out, code = cli.Run("apply", "tfplan")
	if code != 0 || !unclassified.MatchString(out) {
		t.Fatalf("apply exited %d without naming the unclassified indices:\n%s", code, out)
	}
	got1 := snapshotIndices(t, srv, "camunda_optimize_1764633600_8.10.0_part_1_of_2")
	got2 := snapshotIndices(t, srv, "camunda_optimize_1764633600_8.10.0_part_2_of_2")
	if !reflect.DeepEqual(got1, part1) || !reflect.DeepEqual(got2, part2) {
		t.Fatalf("part 1 %v\npart 2 %v\nwant part 1 %v\npart 2 %v", got1, got2, part1, part2)
	}
	out, _ = cli.Run("output", "-json", "unclassified")
	if strings.Contains(out, "optimize-event-") || !strings.Contains(out, `"optimize-future-insight_v1"`) || strings.Contains(out, "job-registry") {
		t.Fatalf("unclassified_indices = %s", out)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy: %s", out)
	}
}

// A version newer than the newest the provider verified is backed up whole,
// with a warning at plan; versions that never had a backup API are refused at
// plan without a request that writes; an 8.x id beyond Long is refused.
func TestAccBackup_versionsBeyondTheTable(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "9.3.0")
	if err := srv.CreateIndex("optimize-future-insight_v1"); err != nil {
		t.Fatal(err)
	}
	config := func(version, id string) string {
		return acctest.ProviderConfig(srv.URL, fmt.Sprintf("optimize_version = %q", version)) + fmt.Sprintf(`
resource "optimize_backup" "test" {
  backup_id = %q
}
`, id)
	}
	cli := acctest.NewCLI(t, config("8.5.0", "5"))
	srv.ResetRequests()
	out, code := cli.Run("plan")
	if code == 0 || !regexp.MustCompile(wrapped("Camunda 8.0 to 8.5 shipped Optimize 3.8 to 3.13")).MatchString(out) || !regexp.MustCompile(wrapped("8.5: 3.13")).MatchString(out) {
		t.Fatalf("plan of 8.5.0 exited %d, want it refused with the Camunda mapping:\n%s", code, out)
	}
	for _, r := range srv.Requests() {
		if r.Method != "GET" && r.Method != "HEAD" {
			t.Fatalf("refusing 8.5.0 sent %s %s", r.Method, r.Path)
		}
	}

	cli.WriteFile("main.tf", acctest.RequiredProviders+config("9.3.0", "100000000000000000001"))
	out, code = cli.Run("plan")
	if code == 0 || !regexp.MustCompile(wrapped("larger than 9223372036854775807")).MatchString(out) {
		t.Fatalf("plan of a 21-digit id exited %d, want it refused:\n%s", code, out)
	}
	if n := srv.CountRequests("", "/_snapshot"); n != 0 {
		t.Fatalf("refusing ids sent %d snapshot requests", n)
	}

	cli.WriteFile("main.tf", acctest.RequiredProviders+config("9.3.0", "1764633600"))
	newer := regexp.MustCompile(wrapped("Optimize 9.3 is newer than 8.10, the newest release of its line this provider has verified"))
	out, code = cli.Run("plan", "-out=tfplan")
	if code != 0 || !newer.MatchString(out) {
		t.Fatalf("plan of 9.3.0 exited %d without the warning:\n%s", code, out)
	}
	out, code = cli.Run("apply", "tfplan")
	if code != 0 || !newer.MatchString(out) {
		t.Fatalf("apply of 9.3.0 exited %d without the warning:\n%s", code, out)
	}
	// 9.3 is seeded as the newest verified release, 8.10: every index of
	// the installation, the unknown one included.
	part1, part2 := optimize810Part1, plus(optimize810Part2, "optimize-future-insight_v1")
	got1 := snapshotIndices(t, srv, "camunda_optimize_1764633600_9.3.0_part_1_of_2")
	got2 := snapshotIndices(t, srv, "camunda_optimize_1764633600_9.3.0_part_2_of_2")
	if !reflect.DeepEqual(got1, part1) || !reflect.DeepEqual(got2, part2) || !slices.Contains(got2, "optimize-future-insight_v1") {
		t.Fatalf("part 1 %v\npart 2 %v\nwant every index: part 1 %v\npart 2 %v", got1, got2, part1, part2)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy: %s", out)
	}
	if len(srv.Snapshots(acctest.Repository)) != 0 {
		t.Fatal("destroy left snapshots")
	}
}
