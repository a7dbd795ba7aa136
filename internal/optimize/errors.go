// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"fmt"
	"strings"
)

// Errors a Cluster reports, matched with errors.Is. The Elasticsearch adapter
// maps Elasticsearch's error types onto them and keeps type and reason in its
// own error for the message.
var (
	// ErrRepositoryMissing: the snapshot repository is not registered (repository_missing_exception).
	ErrRepositoryMissing = errors.New("snapshot repository missing")
	// ErrSnapshotMissing: a snapshot named exactly does not exist (snapshot_missing_exception).
	ErrSnapshotMissing = errors.New("snapshot missing")
	// ErrSnapshotExists: a snapshot of that name exists or is being taken (invalid_snapshot_name_exception).
	ErrSnapshotExists = errors.New("snapshot already exists")
	// ErrNotFound: an index or document does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnreachable: no answer from Elasticsearch at all.
	ErrUnreachable = errors.New("elasticsearch unreachable")
	// ErrBackupNotFound: no snapshot of the backup exists.
	ErrBackupNotFound = errors.New("backup not found")
)

// RepositoryMissingError: the repository is not configured, or not registered
// in Elasticsearch.
type RepositoryMissingError struct {
	Repository string
	Err        error
}

func (e *RepositoryMissingError) Error() string {
	if e.Repository == "" {
		return "no snapshot repository is configured"
	}
	return fmt.Sprintf("snapshot repository %q is not registered in Elasticsearch: register it first, for example with "+
		"PUT /_snapshot/%s {\"type\":\"fs\",\"settings\":{\"location\":\"/mnt/backups\"}} (the location must be listed in path.repo), "+
		"and use the same name as Optimize's CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME", e.Repository, PathEscape(e.Repository))
}

func (e *RepositoryMissingError) Unwrap() error { return ErrRepositoryMissing }

// BackupExistsError: a backup with this id already exists (Optimize's 409).
type BackupExistsError struct {
	ID         BackupID
	Repository string
	Snapshots  []string
	// Concurrent: another writer (another client taking a backup with the
	// same id) started these snapshots while this create ran.
	Concurrent bool
}

func (e *BackupExistsError) Error() string {
	how := "already exists"
	if e.Concurrent {
		how = "is being taken by another writer (it started while this create ran; nothing of it was taken or will be deleted by this create)"
	}
	return fmt.Sprintf("a backup with id %q %s in repository %q (snapshots: %s)", e.ID, how, e.Repository, strings.Join(e.Snapshots, ", "))
}

// BackupNotFoundError: no snapshot of the backup exists in the repository.
type BackupNotFoundError struct {
	ID         BackupID
	Repository string
}

func (e *BackupNotFoundError) Error() string {
	return fmt.Sprintf("backup %q was not found in repository %q: no snapshot named %s exists", e.ID, e.Repository, SnapshotPattern(e.ID))
}

func (e *BackupNotFoundError) Unwrap() error { return ErrBackupNotFound }

// PartFailedError: a part of a backup did not end in SUCCESS.
type PartFailedError struct {
	ID       BackupID
	Snapshot Snapshot
}

func (e *PartFailedError) Error() string {
	return fmt.Sprintf("backup %q failed: %s", e.ID, describeSnapshotProblem(e.Snapshot))
}
