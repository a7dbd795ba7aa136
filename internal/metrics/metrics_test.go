// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package metrics

import (
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The times of the tests, and their Unix seconds as `date -d ... +%s`
// prints them.
var (
	now       = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) // 1796472000
	dec4_10h  = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) // 1796378400
	dec3_2330 = time.Date(2026, 12, 3, 23, 30, 0, 0, time.UTC)
	dec1_02h  = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	dec5_06h  = time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC) // 1796450400
)

// parse reads text with Prometheus's own parser.
func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the output does not parse: %v\n%s", err, text)
	}
	return families
}

// series is the value of the series of name with exactly these labels, and
// whether it is there.
func series(t *testing.T, families map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	f, ok := families[name]
	if !ok {
		return 0, false
	}
	if f.GetType() != dto.MetricType_GAUGE {
		t.Errorf("%s is a %s, want a gauge", name, f.GetType())
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if equalLabels(got, labels) {
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

func equalLabels(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func labels(policy, repository, component string, extra ...string) map[string]string {
	l := map[string]string{"policy": policy, "repository": repository, "component": component}
	for i := 0; i+1 < len(extra); i += 2 {
		l[extra[i]] = extra[i+1]
	}
	return l
}

func expect(t *testing.T, families map[string]*dto.MetricFamily, name string, l map[string]string, want float64) {
	t.Helper()
	got, ok := series(t, families, name, l)
	if !ok {
		t.Errorf("%s%v is missing", name, l)
		return
	}
	if got != want {
		t.Errorf("%s%v = %v, want %v", name, l, got, want)
	}
}

func expectAbsent(t *testing.T, families map[string]*dto.MetricFamily, name string, l map[string]string) {
	t.Helper()
	if got, ok := series(t, families, name, l); ok {
		t.Errorf("%s%v = %v, want no such series", name, l, got)
	}
}

func TestRenderOneRepository(t *testing.T) {
	src := Source{Policy: "nightly", Repository: "backups", Component: "optimize", Stuck: 1, Backups: []Backup{
		{ID: "1", State: "COMPLETED", Start: dec1_02h, End: dec1_02h.Add(time.Minute)},
		{ID: "2", State: "COMPLETED", Start: dec4_10h.Add(-time.Hour), End: dec4_10h},
		// FAILED, and later: not the latest COMPLETED.
		{ID: "3", State: "FAILED", Start: dec5_06h.Add(-time.Hour), End: dec5_06h},
		{ID: "4", State: "INCOMPLETE", Start: dec3_2330},
		{ID: "5", State: "INCOMPATIBLE", Start: dec3_2330, End: dec3_2330},
		{ID: "6", State: "IN_PROGRESS", Start: dec5_06h},
		{ID: "7", State: "IN_PROGRESS", Start: dec1_02h},
	}}
	text, err := Render(now, src)
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, text)
	l := labels("nightly", "backups", "optimize")
	expect(t, f, "optimize_backup_latest_completed_end_timestamp_seconds", l, 1796378400)
	// 2026-12-05T12:00 - 2026-12-04T10:00 = 26h.
	expect(t, f, "optimize_backup_latest_completed_age_seconds", l, 26*3600)
	for state, n := range map[string]float64{"COMPLETED": 2, "IN_PROGRESS": 2, "FAILED": 1, "INCOMPATIBLE": 1, "INCOMPLETE": 1} {
		expect(t, f, "optimize_backup_backups", labels("nightly", "backups", "optimize", "state", state), n)
	}
	if n := len(f["optimize_backup_backups"].GetMetric()); n != 5 {
		t.Errorf("optimize_backup_backups has %d series, want one per state (5)", n)
	}
	expect(t, f, "optimize_backup_failed", l, 3)
	expect(t, f, "optimize_backup_stuck", l, 1)
	expectAbsent(t, f, "optimize_backup_last_drill_success", l)
	expectAbsent(t, f, "optimize_backup_last_drill_timestamp_seconds", l)
	for name, fam := range f {
		if !strings.HasPrefix(name, "optimize_backup_") || fam.GetHelp() == "" {
			t.Errorf("%s: want the optimize_backup_ prefix and a HELP text, got help %q", name, fam.GetHelp())
		}
	}
}

// Without the time, the age is left out and nothing else changes.
func TestRenderWithoutTime(t *testing.T) {
	src := Source{Repository: "backups", Component: "optimize", Backups: []Backup{{ID: "1", State: "COMPLETED", Start: dec4_10h.Add(-time.Hour), End: dec4_10h}}}
	text, err := Render(time.Time{}, src)
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, text)
	l := labels("", "backups", "optimize")
	expect(t, f, "optimize_backup_latest_completed_end_timestamp_seconds", l, 1796378400)
	expectAbsent(t, f, "optimize_backup_latest_completed_age_seconds", l)
	expect(t, f, "optimize_backup_backups", labels("", "backups", "optimize", "state", "COMPLETED"), 1)
	withTime, err := Render(now, src)
	if err != nil {
		t.Fatal(err)
	}
	if got := parse(t, withTime); len(got) != len(f)+1 {
		t.Errorf("with the time: %d families, want %d (the age too)", len(got), len(f)+1)
	}
}

func TestRenderNoCompletedBackup(t *testing.T) {
	text, err := Render(now, Source{Repository: "backups", Component: "optimize", Backups: []Backup{
		{ID: "1", State: "FAILED", Start: dec4_10h, End: dec4_10h},
		{ID: "2", State: "IN_PROGRESS", Start: dec5_06h},
	}})
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, text)
	l := labels("", "backups", "optimize")
	expectAbsent(t, f, "optimize_backup_latest_completed_end_timestamp_seconds", l)
	expectAbsent(t, f, "optimize_backup_latest_completed_age_seconds", l)
	expect(t, f, "optimize_backup_backups", labels("", "backups", "optimize", "state", "COMPLETED"), 0)
	expect(t, f, "optimize_backup_backups", labels("", "backups", "optimize", "state", "FAILED"), 1)
	expect(t, f, "optimize_backup_backups", labels("", "backups", "optimize", "state", "IN_PROGRESS"), 1)
	expect(t, f, "optimize_backup_backups", labels("", "backups", "optimize", "state", "INCOMPATIBLE"), 0)
	expect(t, f, "optimize_backup_backups", labels("", "backups", "optimize", "state", "INCOMPLETE"), 0)
	expect(t, f, "optimize_backup_failed", l, 1)
	expect(t, f, "optimize_backup_stuck", l, 0)
}

func TestRenderEmptyRepository(t *testing.T) {
	text, err := Render(now, Source{Repository: "empty", Component: "optimize"})
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, text)
	for _, state := range []string{"COMPLETED", "IN_PROGRESS", "FAILED", "INCOMPATIBLE", "INCOMPLETE"} {
		expect(t, f, "optimize_backup_backups", labels("", "empty", "optimize", "state", state), 0)
	}
	expect(t, f, "optimize_backup_failed", labels("", "empty", "optimize"), 0)
	if _, ok := f["optimize_backup_latest_completed_end_timestamp_seconds"]; ok {
		t.Error("an empty repository has a latest COMPLETED backup")
	}
}

func TestRenderDrill(t *testing.T) {
	text, err := Render(now,
		Source{Policy: "a", Repository: "r", Component: "optimize", Drill: &Drill{BackupID: "1", At: dec5_06h, Passed: true}},
		Source{Policy: "b", Repository: "r", Component: "optimize", Drill: &Drill{BackupID: "2", At: dec4_10h, Passed: false}},
	)
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, text)
	expect(t, f, "optimize_backup_last_drill_success", labels("a", "r", "optimize"), 1)
	expect(t, f, "optimize_backup_last_drill_timestamp_seconds", labels("a", "r", "optimize"), 1796450400)
	expect(t, f, "optimize_backup_last_drill_success", labels("b", "r", "optimize"), 0)
	expect(t, f, "optimize_backup_last_drill_timestamp_seconds", labels("b", "r", "optimize"), 1796378400)
}

// Sources are told apart by their labels, and the output does not depend
// on their order.
func TestRenderSourcesAndOrder(t *testing.T) {
	web := Source{Repository: "camunda", Component: "webapps", Backups: []Backup{{ID: "1796378400", State: "COMPLETED", Start: dec4_10h.Add(-time.Minute), End: dec4_10h}}}
	opt := Source{Repository: "optimize", Component: "optimize", Backups: []Backup{{ID: "1796378400", State: "IN_PROGRESS", Start: dec4_10h}}}
	one, err := Render(now, web, opt)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Render(now, opt, web)
	if err != nil {
		t.Fatal(err)
	}
	if one != other {
		t.Errorf("the output depends on the order of the sources:\n%s\n---\n%s", one, other)
	}
	f := parse(t, one)
	expect(t, f, "optimize_backup_latest_completed_end_timestamp_seconds", labels("", "camunda", "webapps"), 1796378400)
	expectAbsent(t, f, "optimize_backup_latest_completed_end_timestamp_seconds", labels("", "optimize", "optimize"))
	expect(t, f, "optimize_backup_backups", labels("", "optimize", "optimize", "state", "IN_PROGRESS"), 1)
	expect(t, f, "optimize_backup_backups", labels("", "camunda", "webapps", "state", "IN_PROGRESS"), 0)
	// The text itself, one line of it as written.
	if want := `optimize_backup_failed{component="webapps",policy="",repository="camunda"} 0` + "\n"; !strings.Contains(one, want) {
		t.Errorf("the output lacks %q:\n%s", want, one)
	}
}

func TestRenderRefuses(t *testing.T) {
	for name, sources := range map[string][]Source{
		"same labels twice": {{Repository: "r", Component: "optimize"}, {Repository: "r", Component: "optimize"}},
		"unknown state":     {{Repository: "r", Component: "optimize", Backups: []Backup{{ID: "1", State: "SUCCESS"}}}},
	} {
		if text, err := Render(now, sources...); err == nil {
			t.Errorf("%s: rendered\n%s", name, text)
		}
	}
}
