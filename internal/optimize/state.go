// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// State is the aggregated state of a backup, as Optimize's backup API reports it.
type State string

// Backup states.
const (
	StateCompleted    State = "COMPLETED"
	StateInProgress   State = "IN_PROGRESS"
	StateFailed       State = "FAILED"
	StateIncompatible State = "INCOMPATIBLE"
	StateIncomplete   State = "INCOMPLETE"
)

// States lists every backup state.
var States = []State{StateCompleted, StateInProgress, StateFailed, StateIncompatible, StateIncomplete}

// Healthy reports whether a backup in this state is, or is becoming, usable.
func (s State) Healthy() bool { return s == StateCompleted || s == StateInProgress }

// Snapshot states as Elasticsearch reports them.
const (
	SnapshotInProgress   = "IN_PROGRESS"
	SnapshotSuccess      = "SUCCESS"
	SnapshotPartial      = "PARTIAL"
	SnapshotFailed       = "FAILED"
	SnapshotIncompatible = "INCOMPATIBLE"
)

// Snapshot is one Elasticsearch snapshot, as much as a backup needs of it.
type Snapshot struct {
	Name             string
	State            string
	Reason           string // Elasticsearch's reason, set for FAILED snapshots
	Indices          []string
	StartTime        time.Time
	EndTime          time.Time // zero while in progress
	ShardsTotal      int
	ShardsFailed     int
	ShardsSuccessful int
	Failures         []ShardFailure
	Metadata         map[string]any // the snapshot's user metadata, as sent when it was created
}

// ShardFailure is one failed shard of a snapshot.
type ShardFailure struct {
	Index  string
	Shard  int
	Reason string
	Status string
}

func (f ShardFailure) String() string {
	s := fmt.Sprintf("[%s][%d] %s", f.Index, f.Shard, f.Reason)
	if f.Status != "" {
		s += " (" + f.Status + ")"
	}
	return s
}

// AggregateState computes a backup's state from its snapshots by the rule of
// the spec's section 4, checked in this order:
//  1. part 1 and part 2 of one version, both SUCCESS: COMPLETED (other
//     snapshots of the same id, of another version, do not change this);
//  2. any snapshot FAILED or PARTIAL: FAILED;
//  3. any snapshot INCOMPATIBLE: INCOMPATIBLE;
//  4. any snapshot IN_PROGRESS: IN_PROGRESS;
//  5. otherwise INCOMPLETE: a part is missing, or the parts make no pair
//     (two part 1s of different versions are two SUCCESS, but no backup).
//
// It reports false when there is no snapshot: then the backup does not exist.
func AggregateState(snapshots []Snapshot) (State, bool) {
	if len(snapshots) == 0 {
		return "", false
	}
	if _, ok := completedPair(snapshots); ok {
		return StateCompleted, true
	}
	count := map[string]int{}
	for _, s := range snapshots {
		count[s.State]++
	}
	switch {
	case count[SnapshotFailed] > 0 || count[SnapshotPartial] > 0:
		return StateFailed, true
	case count[SnapshotIncompatible] > 0:
		return StateIncompatible, true
	case count[SnapshotInProgress] > 0:
		return StateInProgress, true
	default:
		return StateIncomplete, true
	}
}

// completedPair returns the version of which every part (1 to PartCount) is
// among the snapshots and SUCCESS, the newest such version if several are.
func completedPair(snapshots []Snapshot) (string, bool) {
	succeeded := map[string]map[int]bool{} // version -> parts that succeeded
	for _, s := range snapshots {
		p, ok := ParseSnapshotName(s.Name)
		if !ok || s.State != SnapshotSuccess {
			continue
		}
		if succeeded[p.Version] == nil {
			succeeded[p.Version] = map[int]bool{}
		}
		succeeded[p.Version][p.Part] = true
	}
	best, found := "", false
	for version, parts := range succeeded {
		if len(parts) != PartCount {
			continue
		}
		if !found || VersionLess(best, version) {
			best, found = version, true
		}
	}
	return best, found
}

// VersionLess orders versions X.Y.Z numerically, and as strings when one
// is not of that form.
func VersionLess(a, b string) bool {
	va, errA := VersionTriple(a)
	vb, errB := VersionTriple(b)
	if errA != nil || errB != nil {
		return a < b
	}
	return less(va, vb)
}

// FailureReason explains a backup that is not healthy: which snapshots failed
// and why, which snapshot is incompatible, or which part is missing. It is
// empty for a completed or running backup.
func FailureReason(id BackupID, snapshots []Snapshot) string {
	state, ok := AggregateState(snapshots)
	if !ok || state.Healthy() {
		return ""
	}
	var reasons []string
	for _, s := range snapshots {
		if s.State != SnapshotSuccess && s.State != SnapshotInProgress {
			reasons = append(reasons, describeSnapshotProblem(s))
		}
	}
	if state == StateIncomplete {
		reasons = append(reasons, describeIncomplete(id, snapshots))
	}
	return strings.Join(reasons, "\n")
}

// describeIncomplete says, per version among the snapshots, which parts
// exist and which are missing: no version has all its parts in SUCCESS.
func describeIncomplete(id BackupID, snapshots []Snapshot) string {
	present := map[string]map[int]bool{}
	var versions []string
	for _, s := range snapshots {
		p, ok := ParseSnapshotName(s.Name)
		if !ok {
			continue
		}
		if present[p.Version] == nil {
			present[p.Version] = map[int]bool{}
			versions = append(versions, p.Version)
		}
		present[p.Version][p.Part] = true
	}
	sort.Slice(versions, func(i, j int) bool { return VersionLess(versions[i], versions[j]) })
	if len(versions) <= 1 {
		r := fmt.Sprintf("backup %s has %d of its %d snapshots", id, len(snapshots), PartCount)
		var missing []string
		for part := 1; part <= PartCount; part++ {
			if len(versions) == 0 || !present[versions[0]][part] {
				missing = append(missing, fmt.Sprintf("part %d of %d", part, PartCount))
			}
		}
		if len(missing) > 0 {
			r += "; missing: " + strings.Join(missing, ", ") + " (deleted out of band, or the backup was interrupted)"
		}
		return r
	}
	var missing []string
	for _, v := range versions {
		for part := 1; part <= PartCount; part++ {
			if !present[v][part] {
				missing = append(missing, SnapshotName(id, v, part))
			}
		}
	}
	return fmt.Sprintf("backup %s has no complete pair of snapshots (part 1 and part 2 of one Optimize version, both SUCCESS): "+
		"its snapshots are of %d Optimize versions (%s), and parts of different versions make no backup; missing: %s",
		id, len(versions), strings.Join(versions, ", "), strings.Join(missing, ", "))
}

// describeSnapshotProblem says what is wrong with a snapshot that did not
// succeed, with Elasticsearch's reason and shard failures.
func describeSnapshotProblem(s Snapshot) string {
	r := fmt.Sprintf("snapshot %s is %s", s.Name, s.State)
	switch s.State {
	case SnapshotPartial:
		r += fmt.Sprintf(" (%d of %d shards failed)", s.ShardsFailed, s.ShardsTotal)
	case SnapshotIncompatible:
		r += " (taken by an Elasticsearch version this cluster cannot restore)"
	}
	var details []string
	if s.Reason != "" {
		details = append(details, s.Reason)
	}
	for _, f := range s.Failures {
		details = append(details, f.String())
	}
	if len(details) > 0 {
		r += ": " + strings.Join(details, "; ")
	}
	return r
}
