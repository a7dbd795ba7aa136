// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"errors"
	"time"
)

// State is a component's backup state as Camunda reports it.
type State string

// The states of a Camunda component's backup (and of a Zeebe partition's:
// IN_PROGRESS, COMPLETED, FAILED, DOES_NOT_EXIST, and in 8.10 DELETED).
// The first five are the vocabulary of Optimize's backups too.
const (
	StateCompleted    State = "COMPLETED"
	StateInProgress   State = "IN_PROGRESS"
	StateFailed       State = "FAILED"
	StateIncompatible State = "INCOMPATIBLE"
	StateIncomplete   State = "INCOMPLETE"
	StateDoesNotExist State = "DOES_NOT_EXIST"
	StateDeleted      State = "DELETED"
)

// Done reports whether a backup in this state will not change any more.
func (s State) Done() bool { return s != StateInProgress }

// CamundaBackup is a Camunda component's backup of one id, as its API
// reports it.
type CamundaBackup struct {
	ID            int64
	State         State
	FailureReason string
	// Partitions: Zeebe's, one per partition.
	Partitions []Partition
	// Snapshots: the web apps', Operate's and Tasklist's, one per part.
	Snapshots []CamundaSnapshot
}

// Partition is one Zeebe partition's backup.
type Partition struct {
	ID                 int
	State              State
	FailureReason      string
	CreatedAt          time.Time
	LastUpdatedAt      time.Time
	SnapshotID         string
	CheckpointPosition int64
	BrokerVersion      string
}

// CamundaSnapshot is one snapshot of a web apps backup, its state as the
// search engine reports it (SUCCESS, IN_PROGRESS, PARTIAL, FAILED, ...).
type CamundaSnapshot struct {
	Name      string
	State     string
	StartTime time.Time
	Failures  []string
}

// ErrNotFound: a component has no backup of the id.
var ErrNotFound = errors.New("backup not found")

// ErrRefused: a component refused to start a backup of the id (Zeebe: the
// id is not above its latest; the web apps: a backup of it exists or
// another runs). Nothing of the id was started by that request, so what
// exists of the id there is not this backup's own.
var ErrRefused = errors.New("backup refused")
