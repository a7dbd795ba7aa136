// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var policyNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// policyBackup is a backup of policy taken hoursAgo, in state.
func policyBackup(policy, id string, hoursAgo float64, state State) Backup {
	start := policyNow.Add(-time.Duration(hoursAgo * float64(time.Hour)))
	snap := func(part int, st string) Snapshot {
		s := Snapshot{Name: SnapshotName(BackupID(id), "8.8.0", part), State: st, StartTime: start}
		if st != SnapshotInProgress {
			s.EndTime = start.Add(time.Minute)
		}
		if policy != "" {
			s.Metadata = map[string]any{PolicyKey: policy}
		}
		return s
	}
	snaps := map[State][]Snapshot{
		StateCompleted:  {snap(1, SnapshotSuccess), snap(2, SnapshotSuccess)},
		StateInProgress: {snap(1, SnapshotSuccess), snap(2, SnapshotInProgress)},
		StateFailed:     {snap(1, SnapshotSuccess), snap(2, SnapshotFailed)},
		StateIncomplete: {snap(1, SnapshotSuccess)},
	}[state]
	b, err := NewBackup("backups", BackupID(id), snaps)
	if err != nil || b.State != state {
		panic(fmt.Sprintf("%s: %v %s", id, err, b.State))
	}
	return b
}

func TestEvaluate(t *testing.T) {
	nightly := Policy{Name: "nightly", Every: 24 * time.Hour, KeepLast: 3, MaxAge: 30 * 24 * time.Hour, MinCount: 2, StaleAfter: 6 * time.Hour}
	b := func(id string, hoursAgo float64, state State) Backup {
		return policyBackup("nightly", id, hoursAgo, state)
	}
	for _, tc := range []struct {
		name         string
		policy       Policy
		backups      []Backup
		due          bool
		expiring     []BackupID
		stuck        []BackupID
		failed       []BackupID
		newestFailed BackupID
	}{
		{name: "no backup: due", policy: nightly, due: true},
		{name: "newest COMPLETED younger than every: nothing", policy: nightly, backups: []Backup{b("10", 5, StateCompleted)}},
		{name: "newest COMPLETED older than every: due", policy: nightly, backups: []Backup{b("10", 25, StateCompleted)}, due: true},
		{
			name:   "keep_last deletes the oldest COMPLETED, as units",
			policy: nightly,
			backups: []Backup{
				b("1", 96, StateCompleted), b("2", 72, StateCompleted), b("3", 48, StateCompleted), b("4", 24.5, StateCompleted), b("5", 1, StateCompleted),
			},
			expiring: []BackupID{"1", "2"},
		},
		{
			name:   "min_count holds against max_age",
			policy: Policy{Name: "nightly", Every: 24 * time.Hour, MaxAge: 24 * time.Hour, MinCount: 3},
			backups: []Backup{
				b("1", 100, StateCompleted), b("2", 90, StateCompleted), b("3", 80, StateCompleted), b("4", 70, StateCompleted),
			},
			due: true, expiring: []BackupID{"1"},
		},
		{
			name:     "the newest COMPLETED is never deleted (min_count 1, everything too old)",
			policy:   Policy{Name: "nightly", Every: time.Hour, MaxAge: time.Hour},
			backups:  []Backup{b("1", 50, StateCompleted), b("2", 40, StateCompleted)},
			due:      true,
			expiring: []BackupID{"1"},
		},
		{
			name:   "FAILED and INCOMPLETE older than the newest COMPLETED go; newer ones and IN_PROGRESS stay",
			policy: nightly,
			backups: []Backup{
				b("1", 50, StateFailed), b("2", 40, StateIncomplete), b("3", 30, StateCompleted), b("4", 20, StateInProgress), b("5", 10, StateFailed),
			},
			due: true, expiring: []BackupID{"1", "2"}, stuck: []BackupID{"4"}, failed: []BackupID{"1", "2", "5"}, newestFailed: "5",
		},
		{
			name:   "other policies' and hand-made backups are not the policy's",
			policy: nightly,
			backups: []Backup{
				policyBackup("weekly", "1", 200, StateCompleted), policyBackup("", "2", 200, StateCompleted), policyBackup("", "3", 1, StateFailed),
				b("4", 100, StateCompleted), b("5", 90, StateCompleted), b("6", 80, StateCompleted), b("7", 2, StateCompleted),
			},
			expiring: []BackupID{"4"},
		},
		{
			name:    "no COMPLETED: due, nothing deleted",
			policy:  nightly,
			backups: []Backup{b("1", 50, StateFailed), b("2", 7, StateInProgress)},
			due:     true, stuck: []BackupID{"2"}, failed: []BackupID{"1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := Evaluate(tc.policy, tc.backups, policyNow)
			var stuck []BackupID
			for _, s := range st.Stuck {
				stuck = append(stuck, s.ID)
			}
			var newestFailed BackupID
			if st.NewestFailed != nil {
				newestFailed = st.NewestFailed.ID
			}
			if st.Due != tc.due || !reflect.DeepEqual(st.Expiring, tc.expiring) || !reflect.DeepEqual(stuck, tc.stuck) ||
				!reflect.DeepEqual(st.Failed, tc.failed) || newestFailed != tc.newestFailed {
				t.Fatalf("due %v, expiring %v, stuck %v, failed %v, newest failed %q\nwant due %v, expiring %v, stuck %v, failed %v, newest failed %q",
					st.Due, st.Expiring, stuck, st.Failed, newestFailed, tc.due, tc.expiring, tc.stuck, tc.failed, tc.newestFailed)
			}
		})
	}
}

func TestNextPolicyBackupID(t *testing.T) {
	r88, _ := ReleaseFor("8.8.0")
	r39, _ := ReleaseFor("3.9.0")
	r310, _ := ReleaseFor("3.10.0")
	now := time.Unix(1764633600, 0)
	for _, tc := range []struct {
		release  Release
		existing []BackupID
		want     BackupID
	}{
		{r88, nil, "1764633600"},
		{r88, []BackupID{"20261124", "17"}, "1764633600"},          // date-like ids sort below
		{r88, []BackupID{"1764633600"}, "1764633601"},              // same second
		{r88, []BackupID{"1764640000", "nightly-3"}, "1764640001"}, // another policy ahead
		// Beyond the release's rule, within uint64: no Optimize of the
		// release made them, and they do not raise the next id.
		{r88, []BackupID{"9223372036854775808", "1764633600"}, "1764633601"}, // Long.MAX_VALUE + 1
		{r310, []BackupID{"2147483648", "1764633600"}, "1764633601"},         // Integer.MAX_VALUE + 1
		{r310, []BackupID{"3000000000"}, "1764633600"},
		{r310, []BackupID{"2000000000"}, "2000000001"}, // within Integer, ahead of the clock
		{r39, nil, "nightly-1764633600"},
		{r39, []BackupID{"nightly-1764633600", "weekly-1764699999"}, "nightly-1764633601"},
	} {
		got, err := NextPolicyBackupID(tc.release, "nightly", tc.existing, now)
		if err != nil || got != tc.want {
			t.Errorf("%s %v: %q, %v; want %q", tc.release.Name, tc.existing, got, err, tc.want)
		}
	}
	// Optimize 3.10 to 3.13 take a Java Integer (Integer.MAX_VALUE is
	// 2147483647): one hand-made backup 2147483647, or the clock in 2038,
	// leaves no next id.
	for _, tc := range []struct {
		existing []BackupID
		now      time.Time
		forcedBy BackupID
		names    []string
	}{
		{[]BackupID{"2147483647", "17"}, now, "2147483647", []string{`backup "2147483647"`, "2147483648", "2147483647, Java Integer", "Delete backup"}},
		{nil, time.Unix(2147483648, 0), "", []string{"2147483648 (2038-01-19T03:14:08Z)", "2147483647, Java Integer", "Upgrade"}},
	} {
		_, err := NextPolicyBackupID(r310, "nightly", tc.existing, tc.now)
		var exhausted *PolicyIDExhaustedError
		if !errors.As(err, &exhausted) || exhausted.ForcedBy != tc.forcedBy {
			t.Fatalf("%v at %d: err = %v, want the id rule exhausted by %q", tc.existing, tc.now.Unix(), err, tc.forcedBy)
		}
		for _, n := range tc.names {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%v: %q does not say %q", tc.existing, err, n)
			}
		}
	}
	if got, err := NextPolicyBackupID(r310, "nightly", []BackupID{"2147483646"}, now); err != nil || got != "2147483647" {
		t.Errorf("after 2147483646: %q, %v; want 2147483647", got, err)
	}
}

func TestValidatePolicyName(t *testing.T) {
	for name, ok := range map[string]bool{"nightly": true, "pre-upgrade-2": true, "": false, "-x": false, "Nightly": false, "a_b": false, strings.Repeat("a", 65): false} {
		if err := ValidatePolicyName(name); (err == nil) != ok {
			t.Errorf("%q: %v", name, err)
		}
	}
}

// A policy's backups are those carrying exactly its name: "nightly" never
// takes, counts or deletes the backups of "nightly-eu" (nor "night" those
// of "nightly").
func TestPolicyTakesExactlyItsName(t *testing.T) {
	start := time.Unix(1764633600, 0)
	backup := func(id BackupID, policy string, hoursAgo int) Backup {
		at := start.Add(-time.Duration(hoursAgo) * time.Hour)
		meta := map[string]any{PolicyKey: policy}
		return Backup{ID: id, State: StateCompleted, Snapshots: []Snapshot{
			{Name: SnapshotName(id, "8.8.0", 1), State: SnapshotSuccess, StartTime: at, EndTime: at, Metadata: meta},
			{Name: SnapshotName(id, "8.8.0", 2), State: SnapshotSuccess, StartTime: at, EndTime: at, Metadata: meta},
		}}
	}
	all := []Backup{
		backup("1", "nightly", 5), backup("2", "nightly-eu", 4), backup("3", "nightly", 3),
		backup("4", "nightly-eu", 2), backup("5", "nightly", 1),
	}
	st := Evaluate(Policy{Name: "nightly", Every: 24 * time.Hour, KeepLast: 2, MinCount: 1}, all, start)
	var ids []BackupID
	for _, b := range st.Backups {
		ids = append(ids, b.ID)
	}
	if !reflect.DeepEqual(ids, []BackupID{"1", "3", "5"}) || !reflect.DeepEqual(st.Expiring, []BackupID{"1"}) {
		t.Fatalf("nightly's backups %v, expiring %v; want [1 3 5] and [1]", ids, st.Expiring)
	}
	for _, name := range []string{"night", "nightly-e", "nightly-eu-2"} {
		if st := Evaluate(Policy{Name: name, Every: time.Hour}, all, start); len(st.Backups) != 0 {
			t.Errorf("policy %q takes %d backups of other policies", name, len(st.Backups))
		}
	}
}

// When a snapshot of the listing has gone meanwhile, retention lists that
// backup again and deletes the policy's snapshots of the id only: another
// writer's backup of the same id (another Optimize version) stays.
func TestDeletePolicyBackupsFallbackDeletesOnlyThePolicysSnapshots(t *testing.T) {
	f := newFakeCluster()
	ours := SnapshotNames("1764633600", "8.8.0")
	theirs := SnapshotNames("1764633600", "8.9.0")
	for _, n := range append(append([]string{}, ours...), theirs...) {
		f.snapshots[n] = &Snapshot{Name: n, State: SnapshotSuccess}
	}
	for _, n := range ours {
		f.snapshots[n].Metadata = map[string]any{PolicyKey: "nightly"}
	}
	for _, n := range theirs {
		f.snapshots[n].Metadata = map[string]any{PolicyKey: "weekly"}
	}
	// The listing read before part 2 of ours was deleted out of band.
	listing := []Backup{{ID: "1764633600", Snapshots: []Snapshot{*f.snapshots[ours[0]], *f.snapshots[ours[1]]}}}
	delete(f.snapshots, ours[1])
	deleted, err := newService(f).DeletePolicyBackups(context.Background(), "backups", Policy{Name: "nightly"}, listing, []BackupID{"1764633600"})
	if err != nil || !reflect.DeepEqual(deleted, []BackupID{"1764633600"}) {
		t.Fatalf("deleted %v, %v", deleted, err)
	}
	if got := f.names(); !reflect.DeepEqual(got, sorted(theirs)) {
		t.Fatalf("left %v, want exactly the other policy's %v; calls %v", got, theirs, f.calls)
	}
	var fellBack bool
	for _, c := range f.calls {
		fellBack = fellBack || strings.HasPrefix(c, "get camunda_optimize_1764633600_")
	}
	if !fellBack {
		t.Fatalf("the fallback listing was never exercised: %v", f.calls)
	}
}

// Decide: what an apply does now, and why each expiring backup goes. The
// retention that follows a due backup counts it as COMPLETED at now; a
// creating policy always takes one.
func TestDecide(t *testing.T) {
	p := Policy{Name: "nightly", Every: 24 * time.Hour, KeepLast: 2, MaxAge: 72 * time.Hour, MinCount: 1}
	b := func(id string, hoursAgo float64, state State) Backup {
		return policyBackup("nightly", id, hoursAgo, state)
	}
	backups := []Backup{
		b("1", 100, StateCompleted), b("2", 50, StateFailed), b("3", 49, StateCompleted), b("4", 25, StateCompleted),
	}
	d := Decide(p, backups, policyNow, false)
	if !d.Due || !reflect.DeepEqual(d.Expiring, []BackupID{"1", "2", "3"}) {
		t.Fatalf("due %v, expiring %v; want a due backup, then 1, 2 and 3 expiring", d.Due, d.Expiring)
	}
	want := map[BackupID]string{
		"1": "3 newer COMPLETED backups fill keep_last = 2, and it started 100h0m0s ago, longer than max_age = 72h0m0s",
		"2": "it is FAILED and older than the newest COMPLETED backup (the backup this apply takes): it restores nothing",
		"3": "2 newer COMPLETED backups fill keep_last = 2",
	}
	if !reflect.DeepEqual(d.Why, want) {
		t.Fatalf("why %v\nwant %v", d.Why, want)
	}
	// Five hours earlier nothing is due: what retention expires then, among
	// the backups as they are.
	d = Decide(p, backups[1:], policyNow.Add(-5*time.Hour), false)
	if d.Due || !reflect.DeepEqual(d.Expiring, []BackupID{"2"}) || d.Why["2"] != "it is FAILED and older than the newest COMPLETED backup 4: it restores nothing" {
		t.Fatalf("due %v, expiring %v, why %v", d.Due, d.Expiring, d.Why)
	}
	// A policy being created takes its first backup whatever its backups say.
	if d := Decide(p, []Backup{b("9", 1, StateCompleted)}, policyNow, true); !d.Due || len(d.Expiring) != 0 {
		t.Fatalf("creating: due %v, expiring %v", d.Due, d.Expiring)
	}
}

// A policy's retention is its rules, the tiers counted in its time zone:
// Berlin's 00:30 on 2026-10-26 is 23:30 UTC on the 25th.
func TestEvaluateTiersInThePolicysTimeZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Name: "nightly", Every: 24 * time.Hour, KeepLast: 9, KeepDaily: 2, KeepWeekly: 3, KeepMonthly: 4, KeepYearly: 5, Location: berlin, MaxAge: time.Hour, MinCount: 6, StaleAfter: time.Minute}
	want := Retention{KeepLast: 9, KeepDaily: 2, KeepWeekly: 3, KeepMonthly: 4, KeepYearly: 5, Location: berlin, MaxAge: time.Hour, MinCount: 6}
	if got := p.Retention(); !reflect.DeepEqual(got, want) {
		t.Fatalf("retention %+v, want %+v", got, want)
	}
	backups := []Backup{
		backupAt("nightly", "1", time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC), StateCompleted),  // the 24th
		backupAt("nightly", "2", time.Date(2026, 10, 25, 22, 30, 0, 0, time.UTC), StateCompleted), // the 25th, 23:30 CET
		backupAt("nightly", "3", time.Date(2026, 10, 25, 23, 30, 0, 0, time.UTC), StateCompleted), // the 26th, 00:30 CET
	}
	now := time.Date(2026, 10, 26, 6, 0, 0, 0, time.UTC)
	daily := Policy{Name: "nightly", Every: 24 * time.Hour, KeepDaily: 2, Location: berlin}
	st := Evaluate(daily, backups, now)
	if !reflect.DeepEqual(st.Expiring, []BackupID{"1"}) || !reflect.DeepEqual(st.RetainedBy, map[BackupID][]string{"3": {"keep_daily", "newest_completed"}, "2": {"keep_daily"}}) {
		t.Fatalf("in Berlin: expiring %v, retained by %v; want 1 expiring, 2 and 3 kept", st.Expiring, st.RetainedBy)
	}
	daily.Location = nil
	if st := Evaluate(daily, backups, now); !reflect.DeepEqual(st.Expiring, []BackupID{"2"}) {
		t.Fatalf("in UTC: expiring %v; want 2 (of the same day as 3)", st.Expiring)
	}
}
