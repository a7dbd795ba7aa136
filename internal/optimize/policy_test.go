// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
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
	now := time.Unix(1764633600, 0)
	for _, tc := range []struct {
		release  Release
		existing []BackupID
		want     BackupID
	}{
		{r88, nil, "1764633600"},
		{r88, []BackupID{"20261124", "17"}, "1764633600"},                     // date-like ids sort below
		{r88, []BackupID{"1764633600"}, "1764633601"},                         // same second
		{r88, []BackupID{"1764640000", "nightly-3"}, "1764640001"},            // another policy ahead
		{r88, []BackupID{"99999999999999999999", "1764633600"}, "1764633601"}, // beyond Long: not Optimize's
		{r39, nil, "nightly-1764633600"},
		{r39, []BackupID{"nightly-1764633600", "weekly-1764699999"}, "nightly-1764633601"},
	} {
		got, err := NextPolicyBackupID(tc.release, "nightly", tc.existing, now)
		if err != nil || got != tc.want {
			t.Errorf("%s %v: %q, %v; want %q", tc.release.Name, tc.existing, got, err, tc.want)
		}
	}
	r310, _ := ReleaseFor("3.10.0")
	if _, err := NextPolicyBackupID(r310, "nightly", []BackupID{"2147483647"}, now); err == nil || !strings.Contains(err.Error(), "larger than 2147483647") {
		t.Errorf("beyond Integer: %v", err)
	}
}

func TestValidatePolicyName(t *testing.T) {
	for name, ok := range map[string]bool{"nightly": true, "pre-upgrade-2": true, "": false, "-x": false, "Nightly": false, "a_b": false, strings.Repeat("a", 65): false} {
		if err := ValidatePolicyName(name); (err == nil) != ok {
			t.Errorf("%q: %v", name, err)
		}
	}
}
