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
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// installationIndices are the emulator's indices under "optimize-" for
// which keep is true, split into part 1 (import-progress) and part 2.
func installationIndices(srv *esemulator.Server, release optimize.Release, keep func(string) bool) (part1, part2 []string) {
	for _, ix := range srv.Indices() {
		if !strings.HasPrefix(ix, acctest.IndexPrefix+"-") || !keep(ix) {
			continue
		}
		name := strings.TrimPrefix(ix, acctest.IndexPrefix+"-")
		name = regexp.MustCompile(`_v[0-9]+(-[0-9]{6})?$`).ReplaceAllString(name, "")
		if release.IsImportIndex(name) {
			part1 = append(part1, ix)
		} else {
			part2 = append(part2, ix)
		}
	}
	sort.Strings(part1)
	sort.Strings(part2)
	return part1, part2
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
// ("optimize-event") and other applications' indices are never in it, while
// this installation's own event-sequence-count-x (named like an index under
// "optimize-event") is.
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
	release, _ := optimize.ReleaseFor("8.10.0")
	// optimize-event's own indices look like ours only through the prefix.
	part1, part2 := installationIndices(srv, release, func(ix string) bool {
		return !strings.HasPrefix(ix, "optimize-event-") || ix == "optimize-event-sequence-count-x_v4"
	})
	// 8.10's job registry is in part 1, with the import-progress indices
	// (BackupPriority.PRIORITY1, camunda/camunda#61168).
	if !slices.Contains(part1, "optimize-job-registry_v1") {
		t.Fatalf("the emulator's 8.10 installation has no optimize-job-registry_v1 in part 1: %v", part1)
	}
	for _, want := range []string{"optimize-business-value-target_v1", "optimize-business-value-overview_v1",
		"optimize-future-insight_v1", "optimize-event-sequence-count-x_v4"} {
		if !slices.Contains(part2, want) {
			t.Fatalf("the emulator's 8.10 installation has no %s: %v", want, part2)
		}
	}

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
	unclassified := regexp.MustCompile(wrapped("optimize-event-sequence-count-x_v4, optimize-future-insight_v1 are not index classes Optimize 8.10 is known to have: backed up in part 2 so that nothing is lost"))
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
	if !strings.Contains(out, `"optimize-event-sequence-count-x_v4"`) || !strings.Contains(out, `"optimize-future-insight_v1"`) || strings.Contains(out, "job-registry") {
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
	release, _ := optimize.ReleaseFor("9.3.0")
	part1, part2 := installationIndices(srv, release, func(string) bool { return true })
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
