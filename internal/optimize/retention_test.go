// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// retAt parses an RFC 3339 time.
func retAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// retZone loads a time zone of the tz database.
func retZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

// retCandidates: pairs of id and RFC 3339 start.
func retCandidates(pairs ...string) []Candidate {
	var out []Candidate
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Candidate{ID: BackupID(pairs[i]), Start: retAt(pairs[i+1])})
	}
	return out
}

// The calendar edges: which backups each tier keeps, which expire, and the
// rules keeping each kept one, all worked out by hand from a calendar.
func TestRetainCalendarEdges(t *testing.T) {
	berlin := retZone(t, "Europe/Berlin")
	for _, tc := range []struct {
		name       string
		r          Retention
		backups    []Candidate
		now        string
		expiring   []BackupID
		retainedBy map[BackupID][]string
	}{
		{
			// 2020 has 53 ISO weeks: Mon 2020-12-28 to Sun 2021-01-03 is
			// 2020-W53; Mon 2021-01-04 opens 2021-W01.
			name: "ISO week 53 spans the new year",
			r:    Retention{KeepWeekly: 3},
			backups: retCandidates(
				"f", "2020-12-20T10:00:00Z", // Sun, 2020-W51
				"e", "2020-12-27T10:00:00Z", // Sun, 2020-W52
				"a", "2020-12-28T10:00:00Z", // Mon, 2020-W53
				"b", "2020-12-31T10:00:00Z", // Thu, 2020-W53
				"c", "2021-01-03T10:00:00Z", // Sun, 2020-W53
				"d", "2021-01-04T10:00:00Z", // Mon, 2021-W01
			),
			now:      "2021-01-04T12:00:00Z",
			expiring: []BackupID{"f", "a", "b"},
			retainedBy: map[BackupID][]string{
				"d": {"keep_weekly", "newest_completed"}, "c": {"keep_weekly"}, "e": {"keep_weekly"},
			},
		},
		{
			name: "month ends: Jan 31, a leap Feb 29, Feb 28",
			r:    Retention{KeepMonthly: 3},
			backups: retCandidates(
				"feb23", "2023-02-28T12:00:00Z",
				"mar23", "2023-03-01T01:00:00Z",
				"jan24", "2024-01-31T23:00:00Z",
				"feb24a", "2024-02-01T00:30:00Z",
				"feb24b", "2024-02-29T23:59:00Z",
				"mar24", "2024-03-01T00:00:00Z",
			),
			now:      "2024-03-01T01:00:00Z",
			expiring: []BackupID{"feb23", "mar23", "feb24a"},
			retainedBy: map[BackupID][]string{
				"mar24": {"keep_monthly", "newest_completed"}, "feb24b": {"keep_monthly"}, "jan24": {"keep_monthly"},
			},
		},
		{
			// Berlin's spring day 2026-03-29 has 23 hours: 23:30Z on the
			// 28th is 00:30 CET on the 29th, 22:30Z on the 29th is 00:30
			// CEST on the 30th.
			name: "DST spring in Europe/Berlin: the local day",
			r:    Retention{KeepDaily: 2, Location: berlin},
			backups: retCandidates(
				"s1", "2026-03-28T12:00:00Z", // 28th 13:00 CET
				"s2", "2026-03-28T23:30:00Z", // 29th 00:30 CET
				"s3", "2026-03-29T21:30:00Z", // 29th 23:30 CEST
				"s4", "2026-03-29T22:30:00Z", // 30th 00:30 CEST
			),
			now:        "2026-03-30T06:00:00Z",
			expiring:   []BackupID{"s1", "s2"},
			retainedBy: map[BackupID][]string{"s4": {"keep_daily", "newest_completed"}, "s3": {"keep_daily"}},
		},
		{
			name: "the same backups counted in UTC",
			r:    Retention{KeepDaily: 2},
			backups: retCandidates(
				"s1", "2026-03-28T12:00:00Z", "s2", "2026-03-28T23:30:00Z", "s3", "2026-03-29T21:30:00Z", "s4", "2026-03-29T22:30:00Z",
			),
			now:        "2026-03-30T06:00:00Z",
			expiring:   []BackupID{"s1", "s3"},
			retainedBy: map[BackupID][]string{"s4": {"keep_daily", "newest_completed"}, "s2": {"keep_daily"}},
		},
		{
			// Berlin's autumn day 2026-10-25 has 25 hours: from 22:00Z on
			// the 24th (00:00 CEST) to 23:00Z on the 25th (00:00 CET).
			name: "DST autumn in Europe/Berlin: the local day",
			r:    Retention{KeepDaily: 2, Location: berlin},
			backups: retCandidates(
				"a0", "2026-10-24T21:30:00Z", // 24th 23:30 CEST
				"a1", "2026-10-24T22:30:00Z", // 25th 00:30 CEST
				"a2", "2026-10-25T22:30:00Z", // 25th 23:30 CET
				"a3", "2026-10-25T23:30:00Z", // 26th 00:30 CET
			),
			now:        "2026-10-26T06:00:00Z",
			expiring:   []BackupID{"a0", "a1"},
			retainedBy: map[BackupID][]string{"a3": {"keep_daily", "newest_completed"}, "a2": {"keep_daily"}},
		},
		{
			name:       "the time zone moves a backup into the next year",
			r:          Retention{KeepYearly: 2, Location: berlin},
			backups:    retCandidates("y1", "2022-06-01T00:00:00Z", "y2", "2023-06-01T00:00:00Z", "y3", "2023-12-31T23:30:00Z", "y4", "2024-03-01T00:00:00Z"),
			now:        "2024-03-02T00:00:00Z",
			expiring:   []BackupID{"y1", "y3"},
			retainedBy: map[BackupID][]string{"y4": {"keep_yearly", "newest_completed"}, "y2": {"keep_yearly"}},
		},
		{
			name:       "... and not in UTC",
			r:          Retention{KeepYearly: 2},
			backups:    retCandidates("y1", "2022-06-01T00:00:00Z", "y2", "2023-06-01T00:00:00Z", "y3", "2023-12-31T23:30:00Z", "y4", "2024-03-01T00:00:00Z"),
			now:        "2024-03-02T00:00:00Z",
			expiring:   []BackupID{"y1", "y2"},
			retainedBy: map[BackupID][]string{"y4": {"keep_yearly", "newest_completed"}, "y3": {"keep_yearly"}},
		},
		{
			name: "a missing day does not use up a slot",
			r:    Retention{KeepDaily: 3},
			backups: retCandidates(
				"1", "2026-03-01T02:00:00Z", "2", "2026-03-02T02:00:00Z", "5", "2026-03-05T02:00:00Z", "6", "2026-03-06T02:00:00Z",
			),
			now:        "2026-03-06T03:00:00Z",
			expiring:   []BackupID{"1"},
			retainedBy: map[BackupID][]string{"6": {"keep_daily", "newest_completed"}, "5": {"keep_daily"}, "2": {"keep_daily"}},
		},
		{
			name: "min_count keeps the newest N beside a tier",
			r:    Retention{KeepDaily: 1, MinCount: 3},
			backups: retCandidates(
				"d1", "2026-03-01T08:00:00Z", "d2", "2026-03-01T12:00:00Z", "d3", "2026-03-01T16:00:00Z", "d4", "2026-03-01T20:00:00Z",
			),
			now:      "2026-03-02T00:00:00Z",
			expiring: []BackupID{"d1"},
			retainedBy: map[BackupID][]string{
				"d4": {"keep_daily", "min_count", "newest_completed"}, "d3": {"min_count"}, "d2": {"min_count"},
			},
		},
		{
			name:       "min_count holds against max_age",
			r:          Retention{MaxAge: time.Hour, MinCount: 2},
			backups:    retCandidates("1", "2026-03-01T00:00:00Z", "2", "2026-03-02T00:00:00Z", "3", "2026-03-03T00:00:00Z"),
			now:        "2026-03-04T00:00:00Z",
			expiring:   []BackupID{"1"},
			retainedBy: map[BackupID][]string{"3": {"min_count", "newest_completed"}, "2": {"min_count"}},
		},
		{
			name:       "the newest is kept when everything is older than max_age, keep_last or not",
			r:          Retention{KeepLast: 5, MaxAge: time.Hour},
			backups:    retCandidates("1", "2026-03-01T00:00:00Z", "2", "2026-03-02T00:00:00Z", "3", "2026-03-03T00:00:00Z"),
			now:        "2026-03-04T00:00:00Z",
			expiring:   []BackupID{"1", "2"},
			retainedBy: map[BackupID][]string{"3": {"newest_completed"}},
		},
		{
			name: "max_age expires what keep_last keeps, not what a tier keeps",
			r:    Retention{KeepMonthly: 2, KeepLast: 2, MaxAge: 12 * time.Hour},
			backups: retCandidates(
				"m1", "2026-01-15T02:00:00Z", "m2", "2026-02-10T02:00:00Z", "m3", "2026-02-20T02:00:00Z",
				"m4", "2026-03-01T02:00:00Z", "m5", "2026-03-02T02:00:00Z",
			),
			now:        "2026-03-02T03:00:00Z",
			expiring:   []BackupID{"m1", "m2", "m4"},
			retainedBy: map[BackupID][]string{"m5": {"keep_last", "keep_monthly", "newest_completed"}, "m3": {"keep_monthly"}},
		},
		{
			name: "younger than max_age, keep_last keeps it",
			r:    Retention{KeepMonthly: 2, KeepLast: 2, MaxAge: 48 * time.Hour},
			backups: retCandidates(
				"m1", "2026-01-15T02:00:00Z", "m2", "2026-02-10T02:00:00Z", "m3", "2026-02-20T02:00:00Z",
				"m4", "2026-03-01T02:00:00Z", "m5", "2026-03-02T02:00:00Z",
			),
			now:      "2026-03-02T03:00:00Z",
			expiring: []BackupID{"m1", "m2"},
			retainedBy: map[BackupID][]string{
				"m5": {"keep_last", "keep_monthly", "newest_completed"}, "m4": {"keep_last"}, "m3": {"keep_monthly"},
			},
		},
		{
			name:       "max_age alone keeps the young",
			r:          Retention{MaxAge: 36 * time.Hour},
			backups:    retCandidates("1", "2026-03-01T00:00:00Z", "2", "2026-03-02T00:00:00Z", "3", "2026-03-03T00:00:00Z"),
			now:        "2026-03-03T01:00:00Z",
			expiring:   []BackupID{"1"},
			retainedBy: map[BackupID][]string{"3": {"newest_completed"}, "2": {"max_age"}},
		},
		{
			name:       "no rule: nothing expires",
			r:          Retention{MinCount: 1},
			backups:    retCandidates("1", "2020-03-01T00:00:00Z", "2", "2026-03-02T00:00:00Z"),
			now:        "2026-03-03T01:00:00Z",
			retainedBy: map[BackupID][]string{"2": {"newest_completed"}, "1": {}},
		},
		{name: "no backup", r: Retention{KeepDaily: 7}, now: "2026-03-03T01:00:00Z", retainedBy: map[BackupID][]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The order of the candidates does not matter.
			backups := slices.Clone(tc.backups)
			slices.Reverse(backups)
			res := Retain(tc.r, backups, retAt(tc.now))
			if !reflect.DeepEqual(res.Expiring, tc.expiring) || !reflect.DeepEqual(res.RetainedBy, tc.retainedBy) {
				t.Fatalf("expiring %v, retained by %v\nwant expiring %v, retained by %v", res.Expiring, res.RetainedBy, tc.expiring, tc.retainedBy)
			}
			for _, id := range tc.expiring {
				if res.Why[id] == "" {
					t.Errorf("%s expires without a why: %v", id, res.Why)
				}
			}
			if len(res.Why) != len(tc.expiring) {
				t.Errorf("why %v for expiring %v", res.Why, tc.expiring)
			}
		})
	}
}

// Why each expiring backup goes: every rule that could keep it, in the
// policy's words.
func TestRetainWhy(t *testing.T) {
	berlin := retZone(t, "Europe/Berlin")
	for _, tc := range []struct {
		name    string
		r       Retention
		backups []Candidate
		now     string
		why     map[BackupID]string
	}{
		{
			name: "a missing day",
			r:    Retention{KeepDaily: 3},
			backups: retCandidates(
				"1", "2026-03-01T02:00:00Z", "2", "2026-03-02T02:00:00Z", "5", "2026-03-05T02:00:00Z", "6", "2026-03-06T02:00:00Z",
			),
			now: "2026-03-06T03:00:00Z",
			why: map[BackupID]string{
				"1": "keep_daily = 3 keeps the newest backup of each of the last 3 days with a backup (2026-03-02 to 2026-03-06, UTC), not of its day (2026-03-01)",
			},
		},
		{
			name:    "a newer backup of the same ISO week, in the time zone",
			r:       Retention{KeepWeekly: 1, Location: berlin},
			backups: retCandidates("b", "2020-12-31T10:00:00Z", "c", "2021-01-03T22:30:00Z"), // c: Sun 23:30 CET, 2020-W53
			now:     "2021-01-04T12:00:00Z",
			why:     map[BackupID]string{"b": "keep_weekly = 1 keeps the newer backup c of its ISO week (2020-W53, Europe/Berlin)"},
		},
		{
			name:    "the last year",
			r:       Retention{KeepYearly: 1},
			backups: retCandidates("y1", "2025-06-01T00:00:00Z", "y2", "2026-06-01T00:00:00Z"),
			now:     "2026-06-02T00:00:00Z",
			why:     map[BackupID]string{"y1": "keep_yearly = 1 keeps the newest backup of the last year with a backup (2026, UTC), not of its year (2025)"},
		},
		{
			name: "keep_last, a tier and max_age",
			r:    Retention{KeepMonthly: 2, KeepLast: 2, MaxAge: 12 * time.Hour},
			backups: retCandidates(
				"m1", "2026-01-15T02:00:00Z", "m3", "2026-02-20T02:00:00Z", "m4", "2026-03-01T02:00:00Z", "m5", "2026-03-02T02:00:00Z",
			),
			now: "2026-03-02T03:00:00Z",
			why: map[BackupID]string{
				"m1": "3 newer COMPLETED backups fill keep_last = 2, and keep_monthly = 2 keeps the newest backup of each of the last 2 months with a backup (2026-02 to 2026-03, UTC), not of its month (2026-01), and it started 1105h0m0s ago, longer than max_age = 12h0m0s",
				"m4": "keep_monthly = 2 keeps the newer backup m5 of its month (2026-03, UTC), and it started 25h0m0s ago, longer than max_age = 12h0m0s",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Retain(tc.r, tc.backups, retAt(tc.now))
			if !reflect.DeepEqual(res.Why, tc.why) {
				t.Fatalf("why %q\nwant %q", res.Why, tc.why)
			}
		})
	}
}

// The kept ids of a year of nightly backups (2026-01-01 to 2026-12-31 at
// 02:00 UTC, id yyyymmdd) under keep_daily = 7, keep_weekly = 4,
// keep_monthly = 12, worked out on a calendar. 2026-01-01 is a Thursday, so
// 2026 has 53 ISO weeks: W53 is Mon Dec 28 to Sun 2027-01-03, W52 Dec 21-27,
// W51 Dec 14-20, W50 Dec 7-13.
var (
	// In UTC: the days Dec 25-31; the weeks' newest Dec 31, 27, 20, 13; the
	// months' last days.
	yearKeptUTC = []BackupID{
		"20260131", "20260228", "20260331", "20260430", "20260531", "20260630", "20260731", "20260831", "20260930", "20261031", "20261130",
		"20261213", "20261220",
		"20261225", "20261226", "20261227", "20261228", "20261229", "20261230", "20261231",
	}
	// In America/Los_Angeles 02:00 UTC is the evening before: the backup
	// of Dec 31 is of the local Dec 30. The local days Dec 24-30 (backups
	// Dec 25-31); the local weeks' newest: W53 (local Dec 28 on) Dec 31,
	// W52 (local Dec 21-27) Dec 28, W51 Dec 21, W50 Dec 14; each local
	// month's newest is the backup of the next month's 1st, and the
	// backup of Jan 1 is of the local December 2025, a 13th month.
	yearKeptLosAngeles = []BackupID{
		"20260201", "20260301", "20260401", "20260501", "20260601", "20260701", "20260801", "20260901", "20261001", "20261101", "20261201",
		"20261214", "20261221",
		"20261225", "20261226", "20261227", "20261228", "20261229", "20261230", "20261231",
	}
)

// yearOfNightlies is the ids and starts of the year of nightly backups.
func yearOfNightlies() []Candidate {
	var out []Candidate
	for d := retAt("2026-01-01T02:00:00Z"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		out = append(out, Candidate{ID: BackupID(d.Format("20060102")), Start: d})
	}
	return out
}

// withoutIDs is the ids of year, in order, that are not in kept.
func withoutIDs(year []Candidate, kept []BackupID) []BackupID {
	var out []BackupID
	for _, c := range year {
		if !slices.Contains(kept, c.ID) {
			out = append(out, c.ID)
		}
	}
	return out
}

func TestRetainSimulatedYear(t *testing.T) {
	year := yearOfNightlies()
	if len(year) != 365 {
		t.Fatalf("%d nightly backups", len(year))
	}
	now := retAt("2026-12-31T03:00:00Z")
	for _, tc := range []struct {
		zone string
		kept []BackupID
	}{{"UTC", yearKeptUTC}, {"America/Los_Angeles", yearKeptLosAngeles}} {
		t.Run(tc.zone, func(t *testing.T) {
			r := Retention{KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12, Location: retZone(t, tc.zone), MinCount: 1}
			res := Retain(r, year, now)
			var kept []BackupID
			for id := range res.RetainedBy {
				kept = append(kept, id)
			}
			sort.Slice(kept, func(i, j int) bool { return kept[i] < kept[j] })
			if !reflect.DeepEqual(kept, tc.kept) {
				t.Fatalf("kept %v\nwant %v", kept, tc.kept)
			}
			if want := withoutIDs(year, tc.kept); !reflect.DeepEqual(res.Expiring, want) {
				t.Fatalf("expiring %v\nwant %v", res.Expiring, want)
			}
		})
	}
	res := Retain(Retention{KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12}, year, now)
	for id, want := range map[BackupID][]string{
		"20261231": {"keep_daily", "keep_monthly", "keep_weekly", "newest_completed"},
		"20261227": {"keep_daily", "keep_weekly"},
		"20261225": {"keep_daily"},
		"20261220": {"keep_weekly"},
		"20261130": {"keep_monthly"},
	} {
		if got := res.RetainedBy[id]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s retained by %v, want %v", id, got, want)
		}
	}
	if got, want := res.Why["20261224"], "keep_daily = 7 keeps the newest backup of each of the last 7 days with a backup (2026-12-25 to 2026-12-31, UTC), not of its day (2026-12-24), "+
		"and keep_weekly = 4 keeps the newer backup 20261227 of its ISO week (2026-W52, UTC), "+
		"and keep_monthly = 12 keeps the newer backup 20261231 of its month (2026-12, UTC)"; got != want {
		t.Errorf("why 20261224:\n%s\nwant\n%s", got, want)
	}
}

// backupAt is a backup of policy ("" for one made by hand) started at
// start, in state.
func backupAt(policy, id string, start time.Time, state State) Backup {
	meta := map[string]any{PolicyKey: policy}
	if policy == "" {
		meta = nil
	}
	end := start.Add(time.Minute)
	part2 := SnapshotSuccess
	if state == StateFailed {
		part2 = SnapshotFailed
	}
	snaps := []Snapshot{
		{Name: SnapshotName(BackupID(id), "8.8.0", 1), State: SnapshotSuccess, StartTime: start, EndTime: end, Metadata: meta},
		{Name: SnapshotName(BackupID(id), "8.8.0", 2), State: part2, StartTime: start, EndTime: end, Metadata: meta},
	}
	b, err := NewBackup("backups", BackupID(id), snaps)
	if err != nil || b.State != state {
		panic(fmt.Sprintf("%s: %v %s", id, err, b.State))
	}
	return b
}

// The year through Evaluate and Decide, among another policy's and
// hand-made backups, which are never the policy's to delete or keep.
func TestEvaluateSimulatedYear(t *testing.T) {
	p := Policy{Name: "nightly", Every: 24 * time.Hour, KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12, MinCount: 1, StaleAfter: 6 * time.Hour}
	year := yearOfNightlies()
	var backups []Backup
	for _, c := range year {
		backups = append(backups, backupAt("nightly", string(c.ID), c.Start, StateCompleted))
	}
	others := []Backup{
		backupAt("weekly", "100", retAt("2025-01-01T00:00:00Z"), StateCompleted),
		backupAt("weekly", "101", retAt("2026-06-01T00:00:00Z"), StateCompleted),
		backupAt("nightly-eu", "102", retAt("2026-03-01T00:00:00Z"), StateCompleted),
		backupAt("", "103", retAt("2025-05-05T00:00:00Z"), StateCompleted),
		backupAt("", "104", retAt("2026-12-30T12:00:00Z"), StateFailed),
	}
	failed := backupAt("nightly", "900", retAt("2026-06-15T05:00:00Z"), StateFailed)
	backups = append(append(others, backups...), failed)

	// Oldest first: the nightly FAILED one goes after the backup of its day.
	wantExpiring := func(kept []BackupID) []BackupID {
		var out []BackupID
		for _, id := range withoutIDs(year, kept) {
			out = append(out, id)
			if id == "20260615" {
				out = append(out, "900")
			}
		}
		return out
	}
	keys := func(m map[BackupID][]string) []BackupID {
		var out []BackupID
		for id := range m {
			out = append(out, id)
		}
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}

	st := Evaluate(p, backups, retAt("2026-12-31T03:00:00Z"))
	if st.Due || len(st.Backups) != 366 || !reflect.DeepEqual(st.Expiring, wantExpiring(yearKeptUTC)) || !reflect.DeepEqual(keys(st.RetainedBy), yearKeptUTC) {
		t.Fatalf("due %v, %d backups, expiring %v, kept %v", st.Due, len(st.Backups), st.Expiring, keys(st.RetainedBy))
	}
	if want := "it is FAILED and older than the newest COMPLETED backup 20261231: it restores nothing"; st.Why["900"] != want {
		t.Errorf("why 900: %q", st.Why["900"])
	}

	// A day later a backup is due, and is of 2027-01-01, a Friday: still
	// in 2026-W53, where it is the newest, in January 2027, and a day:
	// then Dec 25 goes (the 8th day) and Jan 31 (the 13th month); Dec 31
	// stays as December's newest.
	d := Decide(p, backups, retAt("2027-01-01T03:00:00Z"), false) // its id sorts first among the kept
	keptAfter := []BackupID{
		"20260228", "20260331", "20260430", "20260531", "20260630", "20260731", "20260831", "20260930", "20261031", "20261130",
		"20261213", "20261220",
		"20261226", "20261227", "20261228", "20261229", "20261230", "20261231",
	}
	if !d.Due || !reflect.DeepEqual(d.Expiring, wantExpiring(keptAfter)) || !reflect.DeepEqual(keys(d.RetainedBy), append([]BackupID{PlannedBackupID}, keptAfter...)) {
		t.Fatalf("due %v, expiring %v, kept %v", d.Due, d.Expiring, keys(d.RetainedBy))
	}
	if got := d.RetainedBy[PlannedBackupID]; !reflect.DeepEqual(got, []string{"keep_daily", "keep_monthly", "keep_weekly", "newest_completed"}) {
		t.Errorf("the backup this apply takes retained by %v", got)
	}
	if got := d.RetainedBy["20261231"]; !reflect.DeepEqual(got, []string{"keep_daily", "keep_monthly"}) {
		t.Errorf("20261231 retained by %v", got)
	}
	for _, o := range others {
		if _, kept := d.RetainedBy[o.ID]; kept || slices.Contains(d.Expiring, o.ID) || slices.Contains(st.Expiring, o.ID) {
			t.Errorf("backup %s of another policy or made by hand is decided on", o.ID)
		}
	}
}

// todaysRetention is Evaluate's retention before the tiers (keep_last,
// max_age, min_count), as it was written: the COMPLETED ones beyond
// KeepLast or older than MaxAge, oldest first, never below MinCount.
func todaysRetention(keepLast int, maxAge time.Duration, minCount int, completed []Candidate, now time.Time) map[BackupID]string {
	minCount = max(minCount, 1)
	why := map[BackupID]string{}
	for i, b := range completed[:len(completed)-1] {
		beyondCount := keepLast > 0 && len(completed)-i > keepLast
		tooOld := maxAge > 0 && now.Sub(b.Start) > maxAge
		if !beyondCount && !tooOld || len(completed)-len(why) <= minCount {
			continue
		}
		var w []string
		if beyondCount {
			w = append(w, fmt.Sprintf("%d newer COMPLETED backups fill keep_last = %d", len(completed)-i-1, keepLast))
		}
		if tooOld {
			w = append(w, fmt.Sprintf("it started %s ago, longer than max_age = %s", now.Sub(b.Start).Round(time.Second), maxAge))
		}
		why[b.ID] = strings.Join(w, ", and ")
	}
	return why
}

// Without tiers, Retain decides exactly what Evaluate decided before them,
// with the same words, over random policies and backups (ties of start
// included).
func TestRetainIsTodaysRetentionWithoutTiers(t *testing.T) {
	rng := rand.New(rand.NewSource(30))
	now := retAt("2026-12-02T12:00:00Z")
	for run := range 3000 {
		n := 1 + rng.Intn(12)
		var completed []Candidate
		for i := range n {
			completed = append(completed, Candidate{ID: BackupID(fmt.Sprintf("b%02d", i)), Start: now.Add(-time.Duration(rng.Intn(200)) * time.Hour)})
		}
		sort.SliceStable(completed, func(i, j int) bool {
			if !completed[i].Start.Equal(completed[j].Start) {
				return completed[i].Start.Before(completed[j].Start)
			}
			return completed[i].ID < completed[j].ID
		})
		keepLast, minCount := rng.Intn(6), rng.Intn(5)
		var maxAge time.Duration
		if rng.Intn(3) > 0 {
			maxAge = time.Duration(rng.Intn(200)) * time.Hour
		}
		want := todaysRetention(keepLast, maxAge, minCount, completed, now)
		var wantExpiring []BackupID
		for _, c := range completed {
			if _, ok := want[c.ID]; ok {
				wantExpiring = append(wantExpiring, c.ID)
			}
		}
		shuffled := slices.Clone(completed)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := Retain(Retention{KeepLast: keepLast, MaxAge: maxAge, MinCount: minCount}, shuffled, now)
		if !reflect.DeepEqual(got.Why, want) || !reflect.DeepEqual(got.Expiring, wantExpiring) {
			t.Fatalf("run %d, keep_last %d, max_age %s, min_count %d, %v:\nexpiring %v, why %q\nwant %v, %q",
				run, keepLast, maxAge, minCount, completed, got.Expiring, got.Why, wantExpiring, want)
		}
	}
}
