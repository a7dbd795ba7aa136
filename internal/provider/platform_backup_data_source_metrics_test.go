// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// familyLabels are the labels of a family's series of a platform backup.
func familyLabels(repository, component string, extra ...string) []string {
	return append([]string{"policy", "", "repository", repository, "component", component}, extra...)
}

// optimize_platform_backup's prometheus_metrics has one set of series per
// family, each with the id's backup in the family's state: an 8.8 backup
// COMPLETED everywhere (each family's latest end is its last snapshot's,
// as the emulator reports it), one whose web apps part 2 FAILED, one
// whose web apps part 3 is missing (INCOMPLETE), the other families
// COMPLETED.
func TestAccPlatformBackupDataSourceMetrics(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	put88(t, srv, "1764633601", true)
	srv.FailSnapshot("camunda_webapps_1764633604_8.8.5_part_2_of_5", "FAILED", "disk full on node-1")
	put88(t, srv, "1764633604", true)
	putComponent(t, srv, "optimize", "1764633603", "8.8.2", 2)
	putComponent(t, srv, "webapps", "1764633603", "8.8.5", 5, 3)
	putComponent(t, srv, "zeebe_records", "1764633603", "", 1)

	ends := map[string]map[string]int64{} // id -> family -> end (ms)
	for _, id := range []string{"1764633601", "1764633603", "1764633604"} {
		ends[id] = map[string]int64{
			"optimize":      snapshotEndMillis(t, srv, acctest.Repository, "camunda_optimize_"+id+"_8.8.2_part_1_of_2", "camunda_optimize_"+id+"_8.8.2_part_2_of_2"),
			"zeebe_records": snapshotEndMillis(t, srv, acctest.Repository, "camunda_zeebe_records_backup_"+id),
		}
	}
	ends["1764633601"]["webapps"] = snapshotEndMillis(t, srv, acctest.Repository,
		"camunda_webapps_1764633601_8.8.5_part_1_of_5", "camunda_webapps_1764633601_8.8.5_part_2_of_5", "camunda_webapps_1764633601_8.8.5_part_3_of_5",
		"camunda_webapps_1764633601_8.8.5_part_4_of_5", "camunda_webapps_1764633601_8.8.5_part_5_of_5")

	// states: the family's state, by family; a COMPLETED one has its end.
	check := func(id string, states map[string]string) promMetrics {
		return promMetrics{check: func(f families) error {
			var errs []error
			for family, state := range states {
				labels := familyLabels(acctest.Repository, family)
				for _, s := range []string{"COMPLETED", "IN_PROGRESS", "FAILED", "INCOMPATIBLE", "INCOMPLETE"} {
					want := 0.0
					if s == state {
						want = 1
					}
					f.expect(&errs, want, "optimize_backup_backups", familyLabels(acctest.Repository, family, "state", s)...)
				}
				failed := 1.0
				if state == "COMPLETED" {
					failed = 0
				}
				f.expect(&errs, failed, "optimize_backup_failed", labels...)
				f.expect(&errs, 0, "optimize_backup_stuck", labels...)
				got, ok := f.gauge("optimize_backup_latest_completed_end_timestamp_seconds", labels...)
				switch {
				case state != "COMPLETED" && ok:
					errs = append(errs, fmt.Errorf("%s of %s is %s and has a latest COMPLETED end: %v", family, id, state, got))
				case state == "COMPLETED" && (!ok || millis(got) != ends[id][family]):
					errs = append(errs, fmt.Errorf("%s of %s: latest COMPLETED end %v (present: %t), want %d ms as the emulator reports it", family, id, got, ok, ends[id][family]))
				}
			}
			// One set of series per family, and nothing else.
			if n := len(f["optimize_backup_failed"].GetMetric()); n != len(states) {
				errs = append(errs, fmt.Errorf("optimize_backup_failed has %d series, want one per family (%d)", n, len(states)))
			}
			return errors.Join(errs...)
		}}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv.URL) + `
data "optimize_platform_backup" "complete" { backup_id = "1764633601" }
data "optimize_platform_backup" "part_missing" { backup_id = "1764633603" }
data "optimize_platform_backup" "failed" { backup_id = "1764633604" }
output "complete" { value = data.optimize_platform_backup.complete.prometheus_metrics }
output "part_missing" { value = data.optimize_platform_backup.part_missing.prometheus_metrics }
output "failed" { value = data.optimize_platform_backup.failed.prometheus_metrics }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("complete", check("1764633601", map[string]string{"optimize": "COMPLETED", "webapps": "COMPLETED", "zeebe_records": "COMPLETED"})),
				statecheck.ExpectKnownOutputValue("part_missing", check("1764633603", map[string]string{"optimize": "COMPLETED", "webapps": "INCOMPLETE", "zeebe_records": "COMPLETED"})),
				statecheck.ExpectKnownOutputValue("failed", check("1764633604", map[string]string{"optimize": "COMPLETED", "webapps": "FAILED", "zeebe_records": "COMPLETED"})),
			},
		}},
	})
}

// With the provider's camunda {} block, Zeebe's backup of the id is a
// component of its own ("zeebe", no repository): COMPLETED, ended while
// the test ran; INCOMPLETE, as the verdict judges it, when Zeebe has no
// backup of an id whose families are all there.
func TestAccPlatformBackupDataSourceMetrics_zeebe(t *testing.T) {
	e := startPlatform(t, "8.8.0")
	before := time.Now()
	put88(t, e.srv, "1796169600", true)
	e.zeebeBackup(t, 1796169600)
	put88(t, e.srv, "1796169601", true)
	zeebe := familyLabels("", "zeebe")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.provider + `
data "optimize_platform_backup" "with_zeebe" { backup_id = "1796169600" }
data "optimize_platform_backup" "no_zeebe" { backup_id = "1796169601" }
output "with_zeebe" { value = data.optimize_platform_backup.with_zeebe.prometheus_metrics }
output "no_zeebe" { value = data.optimize_platform_backup.no_zeebe.prometheus_metrics }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("with_zeebe", promMetrics{check: func(f families) error {
					var errs []error
					f.expect(&errs, 1, "optimize_backup_backups", append(zeebe, "state", "COMPLETED")...)
					f.expect(&errs, 0, "optimize_backup_failed", zeebe...)
					f.expect(&errs, 1, "optimize_backup_backups", familyLabels(acctest.Repository, "webapps", "state", "COMPLETED")...)
					got, ok := f.gauge("optimize_backup_latest_completed_end_timestamp_seconds", zeebe...)
					if after := time.Now(); !ok || got < float64(before.Unix()) || got > float64(after.Unix()+1) {
						errs = append(errs, fmt.Errorf("zeebe's latest COMPLETED end %v (present: %t), want between %d and %d", got, ok, before.Unix(), after.Unix()+1))
					}
					return errors.Join(errs...)
				}}),
				statecheck.ExpectKnownOutputValue("no_zeebe", promMetrics{check: func(f families) error {
					var errs []error
					for s, n := range map[string]float64{"COMPLETED": 0, "IN_PROGRESS": 0, "FAILED": 0, "INCOMPATIBLE": 0, "INCOMPLETE": 1} {
						f.expect(&errs, n, "optimize_backup_backups", append(zeebe, "state", s)...)
					}
					f.expect(&errs, 1, "optimize_backup_failed", zeebe...)
					f.expectAbsent(&errs, "optimize_backup_latest_completed_end_timestamp_seconds", zeebe...)
					return errors.Join(errs...)
				}}),
			},
		}},
	})
}
