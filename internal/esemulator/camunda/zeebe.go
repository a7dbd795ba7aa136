// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Zeebe's backups: one backup per partition, the state aggregated as the
// gateway does (zeebe/gateway/.../admin/backup/BackupRequestHandler.java).

// Zeebe backup states (StateCode of the actuator and of 8.10's OpenAPI
// backups.yaml; per partition BackupStatusCode).
const (
	StateInProgress   = "IN_PROGRESS"
	StateCompleted    = "COMPLETED"
	StateFailed       = "FAILED"
	StateDoesNotExist = "DOES_NOT_EXIST"
	StateIncomplete   = "INCOMPLETE"
)

// PartitionFailureReason is what a partition failed by FailPartition
// reports as its failureReason (the twin's own text: Camunda's depends on
// the backup store).
const PartitionFailureReason = "Failed to save backup to the backup store"

type zeebe struct {
	partitions []*partition
	version    string
	hold       bool
	position   int64
}

type partition struct {
	id             int
	checkpoint     int64 // the latest checkpoint id taken on it
	lastCheckpoint PartitionBackup
	backups        map[int64]*PartitionBackup
}

// PartitionBackup is one partition's part of a Zeebe backup.
type PartitionBackup struct {
	PartitionID        int
	State              string
	FailureReason      string
	CreatedAt          time.Time
	LastUpdatedAt      time.Time
	CheckpointPosition int64
	FirstLogPosition   int64
	SnapshotID         string
	BrokerID           int
	BrokerVersion      string
}

// ZeebeBackup is a Zeebe backup as the gateway aggregates it.
type ZeebeBackup struct {
	BackupID      int64
	State         string
	FailureReason string
	Partitions    []PartitionBackup
}

func newZeebe(n int, version string, hold bool) *zeebe {
	z := &zeebe{version: version, hold: hold}
	for i := 1; i <= n; i++ {
		z.partitions = append(z.partitions, &partition{id: i, backups: map[int64]*PartitionBackup{}})
	}
	return z
}

// alreadyExists is BackupAlreadyExistException: the id is not greater than
// the latest checkpoint of some partition.
type alreadyExists struct{ requested, latest int64 }

// message is the exception's text: 8.6–8.9
// (zeebe/gateway/.../admin/backup/BackupAlreadyExistException.java, Camunda
// License 1.0 version) and 8.10
// (io.camunda.zeebe.backup.client.api.BackupAlreadyExistException).
func (e alreadyExists) message(minor int) string {
	if minor >= 10 {
		return fmt.Sprintf("Requested backup has ID %d. The latest backup has ID %d. The backup ID must be greater than the ID of previous backups that are completed, failed, or deleted.", e.requested, e.latest)
	}
	return fmt.Sprintf("Requested backup has id %d. The latest backup has id %d. A backupId is an integer and must be greater than the ID of previous backups that are completed, failed, or deleted. Zeebe does not take two backups with the same ids.", e.requested, e.latest)
}

// takeLocked takes backup id on every partition, or refuses it as
// BackupRequestHandler does: success iff some partition created it and the
// highest checkpoint id is id; an id equal to or below any partition's
// latest checkpoint (even of a deleted or failed backup) is refused.
func (t *Twin) takeZeebeLocked(id int64) *alreadyExists {
	z := t.zeebe
	var latest int64
	for _, p := range z.partitions {
		latest = max(latest, p.checkpoint)
	}
	if id <= latest {
		return &alreadyExists{requested: id, latest: latest}
	}
	now := t.now().UTC()
	for _, p := range z.partitions {
		z.position += 10
		b := &PartitionBackup{PartitionID: p.id, State: StateInProgress, CreatedAt: now, LastUpdatedAt: now,
			CheckpointPosition: z.position, FirstLogPosition: 1, BrokerID: p.id - 1, BrokerVersion: z.version,
			SnapshotID: fmt.Sprintf("%d-1-%d-%d", z.position-1, z.position-1, z.position-1)}
		p.checkpoint, p.lastCheckpoint = id, *b
		p.backups[id] = b
		if t.faults.partitions[p.id] {
			delete(t.faults.partitions, p.id)
			b.State, b.FailureReason = StateFailed, PartitionFailureReason
			continue
		}
		if !z.hold {
			b.State = StateCompleted
		}
	}
	return nil
}

// HoldZeebeBackups keeps Zeebe backups taken from now on IN_PROGRESS until
// ReleaseZeebeBackups.
func (t *Twin) HoldZeebeBackups() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.zeebe.hold = true
}

// ReleaseZeebeBackups completes every Zeebe backup in progress and stops
// holding new ones.
func (t *Twin) ReleaseZeebeBackups() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.zeebe.hold = false
	now := t.now().UTC()
	for _, p := range t.zeebe.partitions {
		for _, b := range p.backups {
			if b.State == StateInProgress {
				b.State, b.LastUpdatedAt = StateCompleted, now
			}
		}
	}
}

// backupLocked aggregates backup id over the partitions, as
// BackupRequestHandler.getAggregatedStatus: any FAILED → FAILED (the
// reasons "Backup on partition %d failed due to %s. " concatenated); some
// there and some missing → INCOMPLETE; any IN_PROGRESS → IN_PROGRESS; all
// missing → DOES_NOT_EXIST; else COMPLETED. ok is false when no partition
// has it.
func (t *Twin) zeebeBackupLocked(id int64) (ZeebeBackup, bool) {
	out := ZeebeBackup{BackupID: id}
	var failed, missing, inProgress, present int
	var reasons strings.Builder
	for _, p := range t.zeebe.partitions {
		b, ok := p.backups[id]
		if !ok {
			missing++
			out.Partitions = append(out.Partitions, PartitionBackup{PartitionID: p.id, State: StateDoesNotExist})
			continue
		}
		present++
		out.Partitions = append(out.Partitions, *b)
		switch b.State {
		case StateFailed:
			failed++
			reason := b.FailureReason
			if reason == "" {
				reason = "Unknown reason"
			}
			fmt.Fprintf(&reasons, "Backup on partition %d failed due to %s. ", p.id, reason)
		case StateInProgress:
			inProgress++
		}
	}
	switch {
	case present == 0:
		out.State = StateDoesNotExist
		return out, false
	case failed > 0:
		out.State, out.FailureReason = StateFailed, reasons.String()
	case missing > 0:
		out.State = StateIncomplete
	case inProgress > 0:
		out.State = StateInProgress
	default:
		out.State = StateCompleted
	}
	return out, true
}

// zeebeListLocked is every backup id some partition holds, highest first
// (the 8.8+ list is "sorted in descending order of backupId"; 8.6's order
// is the merge's, the twin uses the same).
func (t *Twin) zeebeListLocked() []ZeebeBackup {
	ids := map[int64]bool{}
	for _, p := range t.zeebe.partitions {
		for id := range p.backups {
			ids[id] = true
		}
	}
	sorted := make([]int64, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] > sorted[j] })
	out := make([]ZeebeBackup, 0, len(sorted))
	for _, id := range sorted {
		b, _ := t.zeebeBackupLocked(id)
		out = append(out, b)
	}
	return out
}

// deleteZeebeLocked deletes backup id on every partition; the latest
// checkpoint stays, so the id is never taken again.
func (t *Twin) deleteZeebeLocked(id int64) {
	for _, p := range t.zeebe.partitions {
		delete(p.backups, id)
	}
}

// ZeebeBackups returns Zeebe's backups, highest id first.
func (t *Twin) ZeebeBackups() []ZeebeBackup {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.zeebeListLocked()
}

// LatestCheckpoint is the highest checkpoint id of any partition: a new
// backup's id must be greater.
func (t *Twin) LatestCheckpoint() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	var latest int64
	for _, p := range t.zeebe.partitions {
		latest = max(latest, p.checkpoint)
	}
	return latest
}

// resumeFailureMessage is the failure a resume answers with when
// FailNextResume struck: the 8.8 management-api docs' example of a failed
// pause or resume (an incomplete topology; nothing is resumed then).
func (t *Twin) resumeFailureMessage() string {
	return fmt.Sprintf("Expected %d members of partition 1 but found %d, current topology: ...", 3, 2)
}

// pauseLocked pauses exporting (soft: SOFT_PAUSED). A hard pause supersedes
// a soft one (epic camunda/camunda #16149); a repeated pause is a no-op.
func (t *Twin) pauseLocked(soft bool) {
	if soft {
		if t.exporting != Paused {
			t.exporting = SoftPaused
		}
		return
	}
	t.exporting = Paused
}

// resumeLocked resumes exporting, or fails once when FailNextResume asked
// (the state unchanged: "If a broker is unavailable, the request fails
// entirely — no partitions are paused or resumed", 8.8 management-api.md).
func (t *Twin) resumeLocked() error {
	if t.faults.resume {
		t.faults.resume = false
		return fmt.Errorf("%s", t.resumeFailureMessage())
	}
	t.exporting = Exporting
	return nil
}

// runtimeState is RuntimeBackupState (backups.yaml): per partition its
// latest checkpoint and its latest backup; ranges are not kept (empty).
// GAP: checkpointTimestamp's type (the twin writes a date-time) and the
// 8.8/8.9 actuator's /state shape (the twin answers the same).
type runtimeState struct {
	CheckpointStates []checkpointState `json:"checkpointStates"`
	BackupStates     []backupState     `json:"backupStates"`
	Ranges           []any             `json:"ranges"`
}

type checkpointState struct {
	CheckpointID        int64  `json:"checkpointId"`
	CheckpointType      string `json:"checkpointType"`
	PartitionID         int    `json:"partitionId"`
	CheckpointPosition  int64  `json:"checkpointPosition"`
	CheckpointTimestamp string `json:"checkpointTimestamp"`
}

type backupState struct {
	CheckpointID        int64  `json:"checkpointId"`
	CheckpointType      string `json:"checkpointType"`
	PartitionID         int    `json:"partitionId"`
	CheckpointPosition  int64  `json:"checkpointPosition"`
	FirstLogPosition    int64  `json:"firstLogPosition"`
	CheckpointTimestamp string `json:"checkpointTimestamp"`
}

func (t *Twin) runtimeStateLocked() runtimeState {
	out := runtimeState{CheckpointStates: []checkpointState{}, BackupStates: []backupState{}, Ranges: []any{}}
	for _, p := range t.zeebe.partitions {
		if p.checkpoint == 0 {
			continue
		}
		// The latest checkpoint's backup may be deleted: its position and
		// time are then the twin's last known (kept in lastCheckpoint).
		c := p.lastCheckpoint
		out.CheckpointStates = append(out.CheckpointStates, checkpointState{p.checkpoint, "MANUAL_BACKUP", p.id, c.CheckpointPosition, zeebeTime(c.CreatedAt)})
		var latest *PartitionBackup
		var latestID int64
		for id, b := range p.backups {
			if id > latestID {
				latest, latestID = b, id
			}
		}
		if latest != nil {
			out.BackupStates = append(out.BackupStates, backupState{latestID, "MANUAL_BACKUP", p.id, latest.CheckpointPosition, latest.FirstLogPosition, zeebeTime(latest.CreatedAt)})
		}
	}
	return out
}
