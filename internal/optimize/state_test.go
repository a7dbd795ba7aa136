// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"strings"
	"testing"
)

func snaps(states ...string) []Snapshot {
	out := make([]Snapshot, len(states))
	for i, s := range states {
		out[i] = Snapshot{Name: SnapshotName("7", "3.9.0", i%2+1), State: s}
	}
	return out
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// snap is a snapshot of backup 7: "1@3.9.0" is part 1 of version 3.9.0.
func snap(partAtVersion, state string) Snapshot {
	part, version, _ := strings.Cut(partAtVersion, "@")
	n := 1
	if part == "2" {
		n = 2
	}
	return Snapshot{Name: SnapshotName("7", version, n), State: state}
}

func TestAggregateState(t *testing.T) {
	const (
		ok, fail, partial, incompat, running = "SUCCESS", "FAILED", "PARTIAL", "INCOMPATIBLE", "IN_PROGRESS"
	)
	tests := []struct {
		name  string
		snaps []Snapshot
		want  State
	}{
		{"rule 1: a pair of one version", []Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", ok)}, StateCompleted},
		{"rule 1: a pair plus a stray part 1 of another version, SUCCESS",
			[]Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", ok), snap("1@3.10.0", ok)}, StateCompleted},
		{"rule 1 before rule 2: a pair plus a FAILED stray of another version",
			[]Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", ok), snap("2@3.10.0", fail)}, StateCompleted},
		{"rule 1 before rule 4: a pair plus a running stray of another version",
			[]Snapshot{snap("1@3.10.0", running), snap("1@3.9.0", ok), snap("2@3.9.0", ok)}, StateCompleted},
		{"rule 1: two complete pairs", []Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", ok), snap("1@3.10.0", ok), snap("2@3.10.0", ok)}, StateCompleted},
		{"rule 2: a FAILED part", []Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", fail)}, StateFailed},
		{"rule 2: a PARTIAL part", []Snapshot{snap("1@3.9.0", partial), snap("2@3.9.0", ok)}, StateFailed},
		{"rule 2 before rule 3", []Snapshot{snap("1@3.9.0", fail), snap("2@3.9.0", incompat)}, StateFailed},
		{"rule 2 before rule 4", []Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", fail), snap("1@3.10.0", running)}, StateFailed},
		{"rule 3: an INCOMPATIBLE part", []Snapshot{snap("1@3.9.0", incompat), snap("2@3.9.0", ok)}, StateIncompatible},
		{"rule 3 before rule 4", []Snapshot{snap("1@3.9.0", incompat), snap("2@3.9.0", running)}, StateIncompatible},
		{"rule 4: part 2 running", []Snapshot{snap("1@3.9.0", ok), snap("2@3.9.0", running)}, StateInProgress},
		{"rule 4: part 1 running alone", []Snapshot{snap("1@8.8.0", running)}, StateInProgress},
		{"rule 5: part 1 alone", []Snapshot{snap("1@3.9.0", ok)}, StateIncomplete},
		{"rule 5: part 2 alone", []Snapshot{snap("2@3.9.0", ok)}, StateIncomplete},
		// Two SUCCESS, but no pair: Optimize says COMPLETED, the provider does not.
		{"rule 5: two part 1s of different versions", []Snapshot{snap("1@3.9.0", ok), snap("1@3.10.0", ok)}, StateIncomplete},
		{"rule 5: part 1 and part 2 of different versions", []Snapshot{snap("1@3.9.0", ok), snap("2@3.10.0", ok)}, StateIncomplete},
		{"rule 5: three SUCCESS, no pair", []Snapshot{snap("1@3.9.0", ok), snap("1@3.10.0", ok), snap("2@8.8.0", ok)}, StateIncomplete},
		{"rule 5: names that do not parse make no pair", []Snapshot{{Name: "a", State: ok}, {Name: "b", State: ok}}, StateIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := AggregateState(tt.snaps)
			if got != tt.want || !found {
				t.Fatalf("AggregateState = %q, %v; want %q", got, found, tt.want)
			}
			// The order of the snapshots never matters.
			reversed := make([]Snapshot, len(tt.snaps))
			for i, s := range tt.snaps {
				reversed[len(tt.snaps)-1-i] = s
			}
			if got, _ := AggregateState(reversed); got != tt.want {
				t.Fatalf("AggregateState(reversed) = %q, want %q", got, tt.want)
			}
			// FailureReason agrees: empty exactly when the state is healthy.
			if reason := FailureReason("7", tt.snaps); (reason == "") != tt.want.Healthy() {
				t.Fatalf("state %s with failure reason %q", tt.want, reason)
			}
		})
	}
	if _, found := AggregateState(nil); found {
		t.Fatal("no snapshot: the backup must not exist")
	}
}

func TestNewBackupVersionIsThePairs(t *testing.T) {
	b, err := NewBackup("backups", "7", []Snapshot{snap("1@3.9.0", "SUCCESS"), snap("1@3.10.0", "SUCCESS"), snap("2@3.10.0", "SUCCESS")})
	if err != nil {
		t.Fatal(err)
	}
	if b.State != StateCompleted || b.Version != "3.10.0" || b.FailureReason != "" || len(b.Snapshots) != 3 {
		t.Fatalf("backup = %+v, want COMPLETED of 3.10.0 naming all 3 snapshots", b)
	}
}

func TestFailureReason(t *testing.T) {
	failed := []Snapshot{
		{Name: "camunda_optimize_7_3.9.0_part_1_of_2", State: "SUCCESS"},
		{Name: "camunda_optimize_7_3.9.0_part_2_of_2", State: "PARTIAL", ShardsTotal: 9, ShardsFailed: 1,
			Failures: []ShardFailure{{Index: "optimize-dashboard_v7", Shard: 0, Reason: "IndexShardSnapshotFailedException[disk full]", Status: "INTERNAL_SERVER_ERROR"}}},
	}
	got := FailureReason("7", failed)
	for _, want := range []string{"camunda_optimize_7_3.9.0_part_2_of_2 is PARTIAL", "1 of 9 shards failed", "[optimize-dashboard_v7][0] IndexShardSnapshotFailedException[disk full]"} {
		if !contains(got, want) {
			t.Errorf("FailureReason = %q, want it to contain %q", got, want)
		}
	}
	if contains(got, "part_1_of_2") {
		t.Errorf("FailureReason names the healthy part: %q", got)
	}
	incomplete := FailureReason("7", []Snapshot{{Name: "camunda_optimize_7_3.9.0_part_1_of_2", State: "SUCCESS"}})
	if !contains(incomplete, "has 1 of its 2 snapshots; missing: part 2 of 2") {
		t.Errorf("FailureReason(incomplete) = %q", incomplete)
	}
	if r := FailureReason("7", snaps("SUCCESS", "SUCCESS")); r != "" {
		t.Errorf("FailureReason(completed) = %q, want empty", r)
	}
	mixed := FailureReason("7", []Snapshot{snap("1@3.9.0", "SUCCESS"), snap("1@3.10.0", "SUCCESS")})
	for _, want := range []string{"2 Optimize versions (3.9.0, 3.10.0)", "missing: camunda_optimize_7_3.9.0_part_2_of_2, camunda_optimize_7_3.10.0_part_2_of_2"} {
		if !contains(mixed, want) {
			t.Errorf("FailureReason(two part 1s) = %q, want it to contain %q", mixed, want)
		}
	}
}

// When two versions each have a complete pair of one id, the newest
// version's pair is the backup: numerically (3.10 after 3.9), whatever the
// order of the snapshots.
func TestNewBackupTwoCompletePairsNewestWins(t *testing.T) {
	ok := func(name string) Snapshot { return Snapshot{Name: name, State: SnapshotSuccess} }
	for _, order := range [][]string{
		{"3.9.0", "3.10.0", "8.6.0"}, {"8.6.0", "3.10.0", "3.9.0"}, {"3.10.0", "8.6.0", "3.9.0"},
	} {
		var snaps []Snapshot
		for _, v := range order {
			snaps = append(snaps, ok("camunda_optimize_5_"+v+"_part_1_of_2"), ok("camunda_optimize_5_"+v+"_part_2_of_2"))
		}
		b, err := NewBackup("backups", "5", snaps)
		if err != nil || b.Version != "8.6.0" || b.State != StateCompleted {
			t.Fatalf("%v: version %q, state %s, %v; want 8.6.0 COMPLETED", order, b.Version, b.State, err)
		}
	}
	b, _ := NewBackup("backups", "5", []Snapshot{ok("camunda_optimize_5_3.9.0_part_1_of_2"), ok("camunda_optimize_5_3.9.0_part_2_of_2"),
		ok("camunda_optimize_5_3.10.0_part_1_of_2"), ok("camunda_optimize_5_3.10.0_part_2_of_2")})
	if b.Version != "3.10.0" {
		t.Fatalf("3.10.0 is newer than 3.9.0, got %s", b.Version)
	}
}
