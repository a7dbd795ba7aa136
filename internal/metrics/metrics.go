// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package metrics renders the health of backups in the Prometheus text
// exposition format, for node_exporter's textfile collector: the newest
// COMPLETED backup's end time and age, counts by state, stuck and failed
// counts, and the last drill's result. It knows no Terraform: the policies
// and data sources hand it what they have read.
package metrics

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Backup is one backup as a monitor sees it.
type Backup struct {
	ID string
	// State is one of optimize.States: COMPLETED, IN_PROGRESS, FAILED,
	// INCOMPATIBLE, INCOMPLETE.
	State string
	// Start and End: when it started and ended; End is zero while it runs.
	Start, End time.Time
}

// Drill is the result of the last restore drill.
type Drill struct {
	BackupID string
	At       time.Time
	Passed   bool
}

// Source is one set of backups, told apart from the others by its labels.
type Source struct {
	// Policy, Repository and Component are the labels of every series of
	// the source; empty values are allowed. Component is "optimize" for
	// an Optimize backup, the family's name for a platform backup's part.
	Policy, Repository, Component string
	Backups                       []Backup
	// Stuck: backups IN_PROGRESS for longer than the policy's stale_after.
	Stuck int
	// Drill is the last drill's result; nil when there was none.
	Drill *Drill
}

// Metric names, all gauges.
const (
	nameLatestEnd    = "optimize_backup_latest_completed_end_timestamp_seconds"
	nameLatestAge    = "optimize_backup_latest_completed_age_seconds"
	nameBackups      = "optimize_backup_backups"
	nameStuck        = "optimize_backup_stuck"
	nameFailed       = "optimize_backup_failed"
	nameDrillSuccess = "optimize_backup_last_drill_success"
	nameDrillTime    = "optimize_backup_last_drill_timestamp_seconds"
)

// labelNames are those of every series, in this order.
var labelNames = []string{"policy", "repository", "component"}

type gauges struct {
	latestEnd, latestAge, backups, stuck, failed, drillSuccess, drillTime *prometheus.GaugeVec
}

func newGauges(reg *prometheus.Registry) (gauges, error) {
	vec := func(name, help string, extra ...string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, append(slices.Clone(labelNames), extra...))
	}
	g := gauges{
		latestEnd: vec(nameLatestEnd, "When the newest COMPLETED backup ended (the latest end time among COMPLETED backups), in seconds since the Unix epoch. "+
			"Absent when no backup is COMPLETED."),
		latestAge: vec(nameLatestAge, "Seconds from the end of the newest COMPLETED backup to when these metrics were written. "+
			"Absent when no backup is COMPLETED, and where the writer leaves it out to keep its output stable. It does not grow once written: alert on time() - "+nameLatestEnd+"."),
		backups:      vec(nameBackups, "Backups by state: COMPLETED, IN_PROGRESS, FAILED, INCOMPATIBLE, INCOMPLETE (every state, 0 included).", "state"),
		stuck:        vec(nameStuck, "Backups IN_PROGRESS for longer than stale_after."),
		failed:       vec(nameFailed, "Backups FAILED, INCOMPATIBLE or INCOMPLETE: they restore nothing."),
		drillSuccess: vec(nameDrillSuccess, "1 when the last restore drill passed, 0 when it failed. Absent when no drill ran."),
		drillTime:    vec(nameDrillTime, "When the last restore drill ran, in seconds since the Unix epoch. Absent when no drill ran."),
	}
	for _, c := range []prometheus.Collector{g.latestEnd, g.latestAge, g.backups, g.stuck, g.failed, g.drillSuccess, g.drillTime} {
		if err := reg.Register(c); err != nil {
			return gauges{}, err
		}
	}
	return g, nil
}

// Render writes the metrics of sources at now in the text exposition
// format: families sorted by name, series by labels. A zero now leaves out
// the age (optimize_backup_latest_completed_age_seconds), the one value
// that changes at every call: the output then changes only when the
// backups do. Two sources with the same labels, or a backup in a state
// that is not one of optimize.States, are an error.
func Render(now time.Time, sources ...Source) (string, error) {
	reg := prometheus.NewRegistry()
	g, err := newGauges(reg)
	if err != nil {
		return "", err
	}
	seen := map[[3]string]bool{}
	for _, s := range sources {
		key := [3]string{s.Policy, s.Repository, s.Component}
		if seen[key] {
			return "", fmt.Errorf("two sets of backups with the same labels (policy %q, repository %q, component %q): their metrics would be one series", s.Policy, s.Repository, s.Component)
		}
		seen[key] = true
		if err := g.set(now, s); err != nil {
			return "", err
		}
	}
	families, err := reg.Gather()
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	for _, f := range families {
		if _, err := expfmt.MetricFamilyToText(&out, f); err != nil {
			return "", err
		}
	}
	return out.String(), nil
}

// set sets the series of one source.
func (g gauges) set(now time.Time, s Source) error {
	l := prometheus.Labels{"policy": s.Policy, "repository": s.Repository, "component": s.Component}
	counts := map[optimize.State]int{}
	failed := 0
	var latestEnd time.Time
	for _, b := range s.Backups {
		state := optimize.State(b.State)
		if !slices.Contains(optimize.States, state) {
			return fmt.Errorf("backup %q of repository %q (component %q) is in state %q, none of %v", b.ID, s.Repository, s.Component, b.State, optimize.States)
		}
		counts[state]++
		if !state.Healthy() {
			failed++
		}
		if state == optimize.StateCompleted && b.End.After(latestEnd) {
			latestEnd = b.End
		}
	}
	for _, state := range optimize.States {
		g.backups.With(withLabel(l, "state", string(state))).Set(float64(counts[state]))
	}
	g.failed.With(l).Set(float64(failed))
	g.stuck.With(l).Set(float64(s.Stuck))
	if !latestEnd.IsZero() {
		g.latestEnd.With(l).Set(seconds(latestEnd))
		if !now.IsZero() {
			g.latestAge.With(l).Set(now.Sub(latestEnd).Seconds())
		}
	}
	if s.Drill != nil {
		passed := 0.0
		if s.Drill.Passed {
			passed = 1
		}
		g.drillSuccess.With(l).Set(passed)
		g.drillTime.With(l).Set(seconds(s.Drill.At))
	}
	return nil
}

// seconds since the Unix epoch, with the fraction.
func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func withLabel(l prometheus.Labels, name, value string) prometheus.Labels {
	out := prometheus.Labels{name: value}
	for k, v := range l {
		out[k] = v
	}
	return out
}
