// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Retention decides which COMPLETED backups stay, as a pure function of
// their ids and starts and the time (Retain). A backup stays when any rule
// keeps it:
//
//   - the newest COMPLETED backup, always;
//   - min_count: the newest MinCount;
//   - keep_last: the newest KeepLast, unless it started longer ago than
//     MaxAge;
//   - keep_daily, keep_weekly, keep_monthly, keep_yearly: for each of the
//     last N days, ISO weeks, months or years that have a COMPLETED backup,
//     the newest backup of that period (periods without a backup do not
//     count, as restic's and borg's); periods are calendar periods in
//     Location.
//
// Once a tier or keep_last is set, a backup that no rule keeps expires;
// MaxAge expires a backup older than it that no tier, min_count or the
// newest keeps. With no tier, no keep_last and no max_age nothing expires.
type Retention struct {
	KeepLast                                       int
	KeepDaily, KeepWeekly, KeepMonthly, KeepYearly int
	Location                                       *time.Location // periods are counted in this zone; nil means UTC
	MaxAge                                         time.Duration
	MinCount                                       int // at least 1 is always applied: the newest COMPLETED is always kept
}

// Candidate is one COMPLETED backup that retention decides about.
type Candidate struct {
	ID    BackupID
	Start time.Time
}

// RetentionResult is what retention decides about the candidates.
type RetentionResult struct {
	Expiring []BackupID // oldest first
	// Why says, for each expiring backup, why no rule keeps it.
	Why map[BackupID]string
	// RetainedBy names, for each kept backup, the rules keeping it, sorted
	// (the Rule* names). Empty when no rule is set at all: nothing expires.
	RetainedBy map[BackupID][]string
}

// The rules keeping a backup, named after the policy's attributes.
const (
	RuleKeepLast        = "keep_last"
	RuleKeepDaily       = "keep_daily"
	RuleKeepWeekly      = "keep_weekly"
	RuleKeepMonthly     = "keep_monthly"
	RuleKeepYearly      = "keep_yearly"
	RuleMinCount        = "min_count" // named only when min_count is above 1 (at 1 it is newest_completed)
	RuleNewestCompleted = "newest_completed"
	// RuleMaxAge keeps a backup younger than max_age when neither a tier
	// nor keep_last is set (max_age is then the only rule that expires).
	RuleMaxAge = "max_age"
)

// tier is a calendar period (day, ISO week, month, year) and how many of
// them, those with a backup, keep their newest backup.
type tier struct {
	rule   string
	n      int
	unit   string                   // "day", "ISO week", ...
	period func(t time.Time) string // the period of t (already in the zone), as written in messages
}

func (r Retention) tiers() []tier {
	return []tier{
		{RuleKeepDaily, r.KeepDaily, "day", func(t time.Time) string { return t.Format("2006-01-02") }},
		{RuleKeepWeekly, r.KeepWeekly, "ISO week", func(t time.Time) string {
			y, w := t.ISOWeek()
			return fmt.Sprintf("%04d-W%02d", y, w)
		}},
		{RuleKeepMonthly, r.KeepMonthly, "month", func(t time.Time) string { return t.Format("2006-01") }},
		{RuleKeepYearly, r.KeepYearly, "year", func(t time.Time) string { return t.Format("2006") }},
	}
}

// bounded: a backup that no rule keeps expires (a tier or keep_last is set).
func (r Retention) bounded() bool {
	return r.KeepLast > 0 || r.KeepDaily > 0 || r.KeepWeekly > 0 || r.KeepMonthly > 0 || r.KeepYearly > 0
}

func (r Retention) location() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// tierKeep is what one tier keeps: the periods it covers, newest first, and
// the backup kept for each.
type tierKeep struct {
	tier
	covered []string
	kept    map[string]Candidate
}

// Retain decides, at now, which of the COMPLETED candidates expire and
// which rules keep the others (see Retention).
func Retain(r Retention, completed []Candidate, now time.Time) RetentionResult {
	res := RetentionResult{Why: map[BackupID]string{}, RetainedBy: map[BackupID][]string{}}
	newestFirst := slices.Clone(completed)
	slices.SortStableFunc(newestFirst, func(a, b Candidate) int {
		if c := b.Start.Compare(a.Start); c != 0 {
			return c
		}
		return strings.Compare(string(b.ID), string(a.ID))
	})
	keeps := map[BackupID][]string{}
	for i, c := range newestFirst {
		if i == 0 {
			keeps[c.ID] = append(keeps[c.ID], RuleNewestCompleted)
		}
		if r.MinCount > 1 && i < r.MinCount {
			keeps[c.ID] = append(keeps[c.ID], RuleMinCount)
		}
		if r.KeepLast > 0 && i < r.KeepLast {
			keeps[c.ID] = append(keeps[c.ID], RuleKeepLast)
		}
	}
	tiers := r.keepTiers(newestFirst)
	for _, t := range tiers {
		for _, c := range t.kept {
			keeps[c.ID] = append(keeps[c.ID], t.rule)
		}
	}
	for i := len(newestFirst) - 1; i >= 0; i-- {
		c := newestFirst[i]
		rules := keeps[c.ID]
		tooOld := r.MaxAge > 0 && now.Sub(c.Start) > r.MaxAge
		if tooOld {
			// max_age expires what keep_last keeps, not what the others keep.
			rules = slices.DeleteFunc(rules, func(rule string) bool { return rule == RuleKeepLast })
		}
		if len(rules) == 0 && (r.bounded() || tooOld) {
			res.Expiring = append(res.Expiring, c.ID)
			res.Why[c.ID] = r.why(c, i, tiers, now, tooOld)
			continue
		}
		if len(rules) == 0 && r.MaxAge > 0 {
			rules = []string{RuleMaxAge}
		}
		slices.Sort(rules)
		res.RetainedBy[c.ID] = append([]string{}, rules...)
	}
	return res
}

// keepTiers walks the candidates newest first: in each tier, the first
// backup of a period not seen yet is the newest of that period, kept while
// the tier has covered fewer than its N periods.
func (r Retention) keepTiers(newestFirst []Candidate) []tierKeep {
	loc := r.location()
	var out []tierKeep
	for _, t := range r.tiers() {
		if t.n <= 0 {
			continue
		}
		tk := tierKeep{tier: t, kept: map[string]Candidate{}}
		for _, c := range newestFirst {
			p := t.period(c.Start.In(loc))
			if _, seen := tk.kept[p]; seen || len(tk.covered) == t.n {
				continue
			}
			tk.covered = append(tk.covered, p)
			tk.kept[p] = c
		}
		out = append(out, tk)
	}
	return out
}

// why says why no rule keeps c, the newer-th newest candidate (that many
// COMPLETED backups are newer): keep_last, each tier, max_age.
func (r Retention) why(c Candidate, newer int, tiers []tierKeep, now time.Time, tooOld bool) string {
	var why []string
	if r.KeepLast > 0 && newer >= r.KeepLast {
		why = append(why, fmt.Sprintf("%d newer COMPLETED backups fill keep_last = %d", newer, r.KeepLast))
	}
	loc := r.location()
	for _, t := range tiers {
		p := t.period(c.Start.In(loc))
		if k, ok := t.kept[p]; ok {
			why = append(why, fmt.Sprintf("%s = %d keeps the newer backup %s of its %s (%s, %s)", t.rule, t.n, k.ID, t.unit, p, loc))
			continue
		}
		span := t.covered[0]
		if n := len(t.covered); n > 1 {
			span = t.covered[n-1] + " to " + t.covered[0]
		}
		last := fmt.Sprintf("each of the last %d %ss", t.n, t.unit)
		if t.n == 1 {
			last = "the last " + t.unit
		}
		why = append(why, fmt.Sprintf("%s = %d keeps the newest backup of %s with a backup (%s, %s), not of its %s (%s)", t.rule, t.n, last, span, loc, t.unit, p))
	}
	if tooOld {
		why = append(why, fmt.Sprintf("it started %s ago, longer than max_age = %s", now.Sub(c.Start).Round(time.Second), r.MaxAge))
	}
	return strings.Join(why, ", and ")
}
