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

func TestAggregateState(t *testing.T) {
	tests := []struct {
		name   string
		states []string
		want   State
		wantOK bool
	}{
		{"no snapshot: the backup does not exist", nil, "", false},
		{"rule 1: two SUCCESS", []string{"SUCCESS", "SUCCESS"}, StateCompleted, true},
		{"rule 2: a FAILED part", []string{"SUCCESS", "FAILED"}, StateFailed, true},
		{"rule 2: a PARTIAL part", []string{"PARTIAL", "SUCCESS"}, StateFailed, true},
		{"rule 2 before rule 3", []string{"FAILED", "INCOMPATIBLE"}, StateFailed, true},
		{"rule 2 before rule 4", []string{"SUCCESS", "FAILED", "IN_PROGRESS"}, StateFailed, true},
		{"rule 3: an INCOMPATIBLE part", []string{"INCOMPATIBLE", "SUCCESS"}, StateIncompatible, true},
		{"rule 3 before rule 4", []string{"INCOMPATIBLE", "IN_PROGRESS"}, StateIncompatible, true},
		{"rule 4: part 2 running", []string{"SUCCESS", "IN_PROGRESS"}, StateInProgress, true},
		{"rule 4: part 1 running alone", []string{"IN_PROGRESS"}, StateInProgress, true},
		{"rule 5: one SUCCESS left", []string{"SUCCESS"}, StateIncomplete, true},
		{"rule 6: three SUCCESS", []string{"SUCCESS", "SUCCESS", "SUCCESS"}, StateFailed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := AggregateState(snaps(tt.states...))
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("AggregateState(%v) = %q, %v; want %q, %v", tt.states, got, ok, tt.want, tt.wantOK)
			}
		})
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
	if !contains(incomplete, "missing: part 2 of 2") {
		t.Errorf("FailureReason(incomplete) = %q", incomplete)
	}
	if r := FailureReason("7", snaps("SUCCESS", "SUCCESS")); r != "" {
		t.Errorf("FailureReason(completed) = %q, want empty", r)
	}
	if r := FailureReason("7", snaps("SUCCESS", "SUCCESS", "SUCCESS")); !contains(r, "3 snapshots where Optimize expects 2") {
		t.Errorf("FailureReason(three) = %q", r)
	}
}
