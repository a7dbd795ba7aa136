// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// promMetrics is a knownvalue.Check of a prometheus_metrics output: it
// parses the text with Prometheus's own parser and hands the families to
// check.
type promMetrics struct {
	check func(families) error
}

// families are parsed metric families by name.
type families map[string]*dto.MetricFamily

func (c promMetrics) String() string { return "prometheus metrics" }

func (c promMetrics) CheckValue(v any) error {
	text, ok := v.(string)
	if !ok {
		return fmt.Errorf("want a string, got %T", v)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	parsed, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		return fmt.Errorf("the text does not parse: %w\n%s", err, text)
	}
	if err := c.check(parsed); err != nil {
		return fmt.Errorf("%w\n%s", err, text)
	}
	return nil
}

// gauge is the value of the gauge name with exactly these labels (name,
// value pairs).
func (f families) gauge(name string, labels ...string) (float64, bool) {
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	fam, ok := f[name]
	if !ok || fam.GetType() != dto.MetricType_GAUGE {
		return 0, false
	}
	for _, m := range fam.GetMetric() {
		if len(m.GetLabel()) != len(want) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			if v, ok := want[l.GetName()]; !ok || v != l.GetValue() {
				match = false
			}
		}
		if match {
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

// expectGauges collects, into errs, each gauge that is not want.
func (f families) expect(errs *[]error, want float64, name string, labels ...string) {
	got, ok := f.gauge(name, labels...)
	switch {
	case !ok:
		*errs = append(*errs, fmt.Errorf("%s%v is missing", name, labels))
	case got != want:
		*errs = append(*errs, fmt.Errorf("%s%v = %v, want %v", name, labels, got, want))
	}
}

func (f families) expectAbsent(errs *[]error, name string, labels ...string) {
	if got, ok := f.gauge(name, labels...); ok {
		*errs = append(*errs, fmt.Errorf("%s%v = %v, want no such series", name, labels, got))
	}
}

// snapshotEndMillis is the end_time_in_millis that the emulator reports
// (GET _snapshot/<repository>/<name>) for the latest-ending of the named
// snapshots.
func snapshotEndMillis(t *testing.T, srv *esemulator.Server, repository string, names ...string) int64 {
	t.Helper()
	status, answer := acctest.ESRequest(t, http.MethodGet, srv.URL+"/_snapshot/"+repository+"/"+strings.Join(names, ","), "")
	if status != http.StatusOK {
		t.Fatalf("reading %v: %d %s", names, status, answer)
	}
	var got struct {
		Snapshots []struct {
			Snapshot string `json:"snapshot"`
			EndMS    int64  `json:"end_time_in_millis"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal([]byte(answer), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Snapshots) != len(names) {
		t.Fatalf("reading %v: %s", names, answer)
	}
	var end int64
	for _, s := range got.Snapshots {
		if s.EndMS == 0 {
			t.Fatalf("snapshot %s has not ended: %s", s.Snapshot, answer)
		}
		end = max(end, s.EndMS)
	}
	return end
}

// setClock moves the emulator's clock through its control API.
func setClock(t *testing.T, srv *esemulator.Server, offset string) {
	t.Helper()
	if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_emulator/clock", fmt.Sprintf(`{"offset":%q}`, offset)); status != http.StatusOK {
		t.Fatalf("moving the clock to %s: %d %s", offset, status, answer)
	}
}

// millis is a timestamp in seconds to the millisecond, as the snapshot API
// writes it.
func millis(seconds float64) int64 { return int64(math.Round(seconds * 1000)) }

// optimize_backups' prometheus_metrics, read through an output, says what
// the repository holds: backups taken 30 hours ago (on the emulator's
// clock) one COMPLETED, one FAILED, one IN_PROGRESS ever since (stuck
// after the default 6h, not after 48h), and one INCOMPLETE taken now; the
// latest COMPLETED end is the emulator's; no age is written.
func TestAccBackupsDataSourceMetrics(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	setClock(t, srv, "-30h")
	acctest.TakeOptimizeBackup(t, srv, "1")
	srv.FailSnapshot("camunda_optimize_2_3.9.0_part_2_of_2", "FAILED", "disk full")
	acctest.TakeOptimizeBackup(t, srv, "2")
	srv.PauseSnapshots("camunda_optimize_3_3.9.0_part_2_of_2")
	t.Cleanup(srv.ResumeSnapshots)
	putSnapshot(t, srv, "camunda_optimize_3_3.9.0_part_1_of_2", "optimize-import-index")
	if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+acctest.Repository+"/camunda_optimize_3_3.9.0_part_2_of_2?wait_for_completion=false",
		`{"indices":"optimize-metadata","include_global_state":false}`); status != http.StatusOK {
		t.Fatalf("starting backup 3's part 2: %d %s", status, answer)
	}
	setClock(t, srv, "0s")
	putSnapshot(t, srv, "camunda_optimize_4_3.9.0_part_1_of_2", "optimize-import-index")
	end := snapshotEndMillis(t, srv, acctest.Repository, "camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2")
	if age := time.Since(time.UnixMilli(end)); age < 29*time.Hour || age > 31*time.Hour {
		t.Fatalf("backup 1 ended %s ago, want about 30h: the clock control did not move it", age)
	}

	labels := []string{"policy", "", "repository", "backups", "component", "optimize"}
	with := func(extra ...string) []string { return append(append([]string{}, labels...), extra...) }
	check := func(stuck float64) promMetrics {
		return promMetrics{check: func(f families) error {
			var errs []error
			for state, n := range map[string]float64{"COMPLETED": 1, "FAILED": 1, "IN_PROGRESS": 1, "INCOMPLETE": 1, "INCOMPATIBLE": 0} {
				f.expect(&errs, n, "optimize_backup_backups", with("state", state)...)
			}
			f.expect(&errs, 2, "optimize_backup_failed", labels...)
			f.expect(&errs, stuck, "optimize_backup_stuck", labels...)
			if got, ok := f.gauge("optimize_backup_latest_completed_end_timestamp_seconds", labels...); !ok || millis(got) != end {
				errs = append(errs, fmt.Errorf("optimize_backup_latest_completed_end_timestamp_seconds = %v (present: %t), want %d ms, backup 1's end as the emulator reports it", got, ok, end))
			}
			// No age: the text changes only when the backups do (the
			// test's plan after the apply is empty).
			f.expectAbsent(&errs, "optimize_backup_latest_completed_age_seconds", labels...)
			f.expectAbsent(&errs, "optimize_backup_last_drill_success", labels...)
			return errors.Join(errs...)
		}}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv.URL, `optimize_version = "3.9.0"`) + `
data "optimize_backups" "all" {}
data "optimize_backups" "patient" { stale_after = "48h" }
output "metrics" { value = data.optimize_backups.all.prometheus_metrics }
output "patient" { value = data.optimize_backups.patient.prometheus_metrics }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("metrics", check(1)),
				statecheck.ExpectKnownOutputValue("patient", check(0)),
			},
		}},
	})
}

// A repository without a COMPLETED backup has no latest_completed series
// (an alert uses absent()), and the filters apply: with state = "FAILED"
// only the FAILED backup is counted.
func TestAccBackupsDataSourceMetricsNoCompleted(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	srv.FailSnapshot("camunda_optimize_2_3.9.0_part_2_of_2", "FAILED", "disk full")
	acctest.TakeOptimizeBackup(t, srv, "2")
	acctest.TakeOptimizeBackup(t, srv, "3")
	labels := []string{"policy", "", "repository", "backups", "component", "optimize"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv.URL, `optimize_version = "3.9.0"`) + `
data "optimize_backups" "failed" { state = "FAILED" }
output "metrics" { value = data.optimize_backups.failed.prometheus_metrics }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("metrics", promMetrics{check: func(f families) error {
					var errs []error
					f.expectAbsent(&errs, "optimize_backup_latest_completed_end_timestamp_seconds", labels...)
					f.expectAbsent(&errs, "optimize_backup_latest_completed_age_seconds", labels...)
					f.expect(&errs, 0, "optimize_backup_backups", append(append([]string{}, labels...), "state", "COMPLETED")...)
					f.expect(&errs, 1, "optimize_backup_backups", append(append([]string{}, labels...), "state", "FAILED")...)
					f.expect(&errs, 1, "optimize_backup_failed", labels...)
					f.expect(&errs, 0, "optimize_backup_stuck", labels...)
					return errors.Join(errs...)
				}}),
			},
		}},
	})
}

// The monitoring guide's configuration: a data source that refers to the
// policy is read after the policy's apply, so the metrics the apply leaves
// in the output count the backup it took (COMPLETED, its end as the
// emulator reports it); the plan after it is empty (the framework checks
// it): the text does not change while the backups do not.
func TestAccBackupsDataSourceMetrics_afterThePolicy(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	labels := []string{"policy", "", "repository", "backups", "component", "optimize"}
	config := policyConfig(srv.URL, "  every = \"24h\"\n") + `
data "optimize_backups" "all" {
  stale_after = optimize_backup_policy.nightly.stale_after
}
output "backup_metrics" { value = data.optimize_backups.all.prometheus_metrics }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("backup_metrics", promMetrics{check: func(f families) error {
					taken := policyBackups(srv, "nightly")
					if len(taken) != 1 {
						return fmt.Errorf("the policy took %v, want one backup", taken)
					}
					var id string
					for id = range taken {
					}
					end := snapshotEndMillis(t, srv, acctest.Repository, "camunda_optimize_"+id+"_8.8.0_part_1_of_2", "camunda_optimize_"+id+"_8.8.0_part_2_of_2")
					var errs []error
					f.expect(&errs, 1, "optimize_backup_backups", append(append([]string{}, labels...), "state", "COMPLETED")...)
					f.expect(&errs, 0, "optimize_backup_failed", labels...)
					if got, ok := f.gauge("optimize_backup_latest_completed_end_timestamp_seconds", labels...); !ok || millis(got) != end {
						errs = append(errs, fmt.Errorf("optimize_backup_latest_completed_end_timestamp_seconds = %v (present: %t), want %d ms, backup %s's end", got, ok, end, id))
					}
					return errors.Join(errs...)
				}}),
			},
		}, {
			// Read again, nothing new: the same text, an empty plan.
			Config:   config,
			PlanOnly: true,
		}},
	})
}
