// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

// TEMPORARY: a stand-in for optimize.Retain (internal/optimize/retention.go,
// written concurrently), with its API; deleted once that file lands.

import (
	"fmt"
	"sort"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

type retentionRules struct {
	KeepLast                                       int
	KeepDaily, KeepWeekly, KeepMonthly, KeepYearly int
	Location                                       *time.Location
	MaxAge                                         time.Duration
	MinCount                                       int
}

type retentionCandidate struct {
	ID    optimize.BackupID
	Start time.Time
}

type retentionResult struct {
	Expiring   []optimize.BackupID
	Why        map[optimize.BackupID]string
	RetainedBy map[optimize.BackupID][]string
}

func retain(r retentionRules, completed []retentionCandidate, now time.Time) retentionResult {
	c := append([]retentionCandidate(nil), completed...)
	sort.SliceStable(c, func(i, j int) bool { return c[i].Start.After(c[j].Start) }) // newest first
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	out := retentionResult{Why: map[optimize.BackupID]string{}, RetainedBy: map[optimize.BackupID][]string{}}
	keep := func(id optimize.BackupID, rule string) { out.RetainedBy[id] = append(out.RetainedBy[id], rule) }
	tier := func(n int, rule string, key func(time.Time) string) {
		seen := map[string]bool{}
		for _, b := range c {
			k := key(b.Start.In(loc))
			if seen[k] || len(seen) >= n {
				continue
			}
			seen[k] = true
			keep(b.ID, rule)
		}
	}
	for i, b := range c {
		if i == 0 {
			keep(b.ID, "newest")
		}
		if i < r.KeepLast {
			keep(b.ID, "keep_last")
		}
		if i < r.MinCount {
			keep(b.ID, "min_count")
		}
	}
	tier(r.KeepDaily, "keep_daily", func(t time.Time) string { return t.Format("2006-01-02") })
	tier(r.KeepWeekly, "keep_weekly", func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprint(y, w) })
	tier(r.KeepMonthly, "keep_monthly", func(t time.Time) string { return t.Format("2006-01") })
	tier(r.KeepYearly, "keep_yearly", func(t time.Time) string { return t.Format("2006") })
	anyRule := r.KeepLast > 0 || r.KeepDaily > 0 || r.KeepWeekly > 0 || r.KeepMonthly > 0 || r.KeepYearly > 0
	for i := len(c) - 1; i >= 0; i-- {
		b := c[i]
		kept := len(out.RetainedBy[b.ID]) > 0
		old := r.MaxAge > 0 && now.Sub(b.Start) > r.MaxAge
		if kept || !anyRule && !old {
			continue
		}
		out.Expiring = append(out.Expiring, b.ID)
		out.Why[b.ID] = "no rule keeps it"
	}
	return out
}
