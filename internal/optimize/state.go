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
// the spec's section 4, checked in this order. It reports false when there is
// no snapshot: then the backup does not exist.
func AggregateState(snapshots []Snapshot) (State, bool) {
	if len(snapshots) == 0 {
		return "", false
	}
	count := map[string]int{}
	for _, s := range snapshots {
		count[s.State]++
	}
	switch {
	case count[SnapshotSuccess] == PartCount && len(snapshots) == PartCount:
		return StateCompleted, true
	case count[SnapshotFailed] > 0 || count[SnapshotPartial] > 0:
		return StateFailed, true
	case count[SnapshotIncompatible] > 0:
		return StateIncompatible, true
	case count[SnapshotInProgress] > 0:
		return StateInProgress, true
	case count[SnapshotSuccess] < PartCount:
		return StateIncomplete, true
	default:
		return StateFailed, true
	}
}

// FailureReason explains a backup that is not healthy: which snapshots failed
// and why, which part is missing, or which snapshot is incompatible. It is
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
		present := map[int]bool{}
		for _, s := range snapshots {
			if p, ok := ParseSnapshotName(s.Name); ok {
				present[p.Part] = true
			}
		}
		var missing []string
		for part := 1; part <= PartCount; part++ {
			if !present[part] {
				missing = append(missing, fmt.Sprintf("part %d of %d", part, PartCount))
			}
		}
		r := fmt.Sprintf("backup %s has %d of its %d snapshots", id, len(snapshots), PartCount)
		if len(missing) > 0 {
			r += "; missing: " + strings.Join(missing, ", ") + " (deleted out of band, or the backup was interrupted)"
		}
		reasons = append(reasons, r)
	}
	if state == StateFailed && len(reasons) == 0 {
		names := make([]string, 0, len(snapshots))
		for _, s := range snapshots {
			names = append(names, s.Name)
		}
		sort.Strings(names)
		reasons = append(reasons, fmt.Sprintf("backup %s has %d snapshots where Optimize expects %d: %s", id, len(snapshots), PartCount, strings.Join(names, ", ")))
	}
	return strings.Join(reasons, "\n")
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
