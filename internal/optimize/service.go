// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Cluster is what a Service needs of Elasticsearch. Errors match the Err
// variables of this package with errors.Is.
type Cluster interface {
	// CheckRepository reports ErrRepositoryMissing when repository is not registered.
	CheckRepository(ctx context.Context, repository string) error
	// Indices lists the names of the indices matching pattern; none is not an error.
	Indices(ctx context.Context, pattern string) ([]string, error)
	// Document returns the source of a document, or ErrNotFound.
	Document(ctx context.Context, index, id string) (map[string]any, error)
	// CreateSnapshot takes a snapshot of exactly req.Indices (never empty).
	// With req.Wait it returns once the snapshot has finished, and its result.
	CreateSnapshot(ctx context.Context, repository, name string, req SnapshotRequest) (*Snapshot, error)
	// Snapshots lists the snapshots matching pattern; none is not an error.
	Snapshots(ctx context.Context, repository, pattern string) ([]Snapshot, error)
	// DeleteSnapshots deletes exactly the named snapshots, aborting running ones.
	DeleteSnapshots(ctx context.Context, repository string, names []string) error
	// DeleteIndices deletes exactly the named indices (never a pattern).
	DeleteIndices(ctx context.Context, names []string) error
	// RestoreSnapshot restores exactly the named indices of a snapshot (never
	// none), with their aliases and without the global state, and returns
	// once they are restored.
	RestoreSnapshot(ctx context.Context, repository, name string, indices []string) (RestoreSnapshotResult, error)
}

// SnapshotRequest is what a snapshot is taken of.
type SnapshotRequest struct {
	Indices  []string
	Metadata map[string]any
	Wait     bool
}

// Backup is an Optimize backup as read from its snapshots.
type Backup struct {
	ID            BackupID
	Repository    string
	Version       string
	State         State
	FailureReason string
	Snapshots     []Snapshot // sorted by part
	// Token is the create token in the metadata of the snapshots that
	// Create took; empty for a backup read or adopted.
	Token string
	// Warnings are what Create found that the user must hear although the
	// backup was taken: a version newer than the provider has verified,
	// indices of no known index class (backed up all the same).
	Warnings []Warning
}

// SnapshotNames are the names of the backup's snapshots, part 1 first.
func (b Backup) SnapshotNames() []string {
	names := make([]string, len(b.Snapshots))
	for i, s := range b.Snapshots {
		names[i] = s.Name
	}
	return names
}

// CreateRequest says which backup to take.
type CreateRequest struct {
	ID          BackupID
	Repository  string
	Version     string // Optimize's version; read from the metadata index when empty
	IndexPrefix string // defaults to DefaultIndexPrefix
	// WaitForCompletion makes Create return only once part 2 has finished.
	// Part 1 is always waited for: part 2 starts only after it succeeded.
	WaitForCompletion bool
	// Progress, when set, is told when each part starts and ends.
	Progress func(PartProgress)
	// Policy, when set, is the name of the policy that takes the backup:
	// it goes into the snapshots' metadata (PolicyKey).
	Policy string
}

// Service creates, reads and deletes Optimize backups.
type Service struct {
	Cluster Cluster
	// PollInterval is the first interval between progress checks when
	// progress must be polled; it grows to MaxPollInterval. Defaults: 100 ms, 5 s.
	PollInterval, MaxPollInterval time.Duration
}

// SnapshotMetadata is the metadata the provider sends with each snapshot.
// Elasticsearch refuses metadata of 1024 bytes or more, so it holds nothing
// that grows with the backup id: only fixed-size values (MaxSnapshotMetadataBytes
// bounds it, and a test checks the bound).
func SnapshotMetadata(version, token string) map[string]any {
	return map[string]any{
		"taken_by":         "terraform-provider-optimize",
		"optimize_version": version,
		CreateTokenKey:     token,
	}
}

// PolicyMetadata is SnapshotMetadata of a backup a policy takes: it carries
// the policy's name (at most MaxPolicyNameLength characters, so the bound
// holds).
func PolicyMetadata(version, token, policy string) map[string]any {
	m := SnapshotMetadata(version, token)
	m[PolicyKey] = policy
	return m
}

// MaxSnapshotMetadataBytes bounds the serialized SnapshotMetadata, well below
// Elasticsearch's 1024-byte limit.
const MaxSnapshotMetadataBytes = 512

// Create takes a backup: part 1 (the import-progress indices), then, once
// part 1 has succeeded, part 2 (every other index of the installation). On an
// error after a snapshot was started, the returned Backup names what exists,
// so that the caller can record it for removal.
//
// Every snapshot Create starts carries a random token of this create in its
// metadata (CreateTokenKey): when an answer is lost and the snapshot turns
// out to exist, only a snapshot with this token is taken for its own; one of
// another writer makes Create fail with a *BackupExistsError and leaves it
// alone. When the outcome of a start is unknown (cancelled, timed out, the
// connection dropped), the snapshot is named in the returned Backup all the
// same, with State SnapshotUnknown, so that the caller records it.
func (s *Service) Create(ctx context.Context, req CreateRequest) (Backup, error) {
	backup := Backup{ID: req.ID, Repository: req.Repository, Token: newCreateToken()}
	if err := ValidateBackupID(string(req.ID)); err != nil {
		return backup, err
	}
	if req.Version != "" {
		// Known before any request: refuse a bad id without one.
		if err := ValidateBackupIDFor(string(req.ID), req.Version); err != nil {
			return backup, err
		}
	}
	if req.Repository == "" {
		return backup, &RepositoryMissingError{}
	}
	version, err := s.ResolveVersion(ctx, req.Version, req.IndexPrefix)
	if err != nil {
		return backup, err
	}
	backup.Version = version
	release, err := ReleaseFor(version)
	if err != nil {
		return backup, err
	}
	if err := release.ValidateID(string(req.ID)); err != nil {
		return backup, err
	}
	if err := ValidateSnapshotRequest(req.Repository, req.ID, version); err != nil {
		return backup, err
	}
	if err := s.Cluster.CheckRepository(ctx, req.Repository); err != nil {
		return backup, s.repositoryError(req.Repository, err)
	}
	existing, err := s.snapshotsOf(ctx, req.Repository, req.ID)
	if err != nil {
		return backup, err
	}
	if len(existing) > 0 {
		names := make([]string, len(existing))
		for i, e := range existing {
			names[i] = e.Name
		}
		return backup, &BackupExistsError{ID: req.ID, Repository: req.Repository, Snapshots: names}
	}
	selection, err := s.selectIndices(ctx, release, req.IndexPrefix)
	if err != nil {
		return backup, err
	}
	backup.Warnings = selection.Warnings()
	for part := 1; part <= PartCount; part++ {
		name := SnapshotName(req.ID, version, part)
		wait := part < PartCount || req.WaitForCompletion
		step := PartProgress{ID: req.ID, Part: part, Snapshot: name, Indices: len(selection.Part(part)), Waited: wait}
		req.progress(step)
		started := time.Now()
		snap, err := s.takeSnapshot(ctx, req.Repository, name, SnapshotRequest{
			Indices:  selection.Part(part),
			Metadata: req.metadata(version, backup.Token),
			Wait:     wait,
		}, backup.Token)
		step.Done, step.Duration, step.Err = true, time.Since(started), err
		if snap != nil {
			step.State = snap.State
		}
		req.progress(step)
		if snap != nil {
			backup.Snapshots = append(backup.Snapshots, *snap)
		}
		var exists *BackupExistsError
		if errors.As(err, &exists) {
			return backup, err
		}
		if err != nil {
			return backup, fmt.Errorf("backup %q, part %d of %d (snapshot %s): %w", req.ID, part, PartCount, name, err)
		}
		if snap == nil {
			return backup, fmt.Errorf("backup %q, part %d of %d: Elasticsearch accepted snapshot %s but does not list it", req.ID, part, PartCount, name)
		}
		if wait && snap.State != SnapshotSuccess {
			return backup, &PartFailedError{ID: req.ID, Snapshot: *snap}
		}
	}
	if !req.WaitForCompletion {
		// Part 2 is running: read both parts as a refresh would.
		b, err := s.GetOwned(ctx, req.Repository, req.ID, Owner{Token: backup.Token})
		if err != nil {
			return backup, err
		}
		b.Token, b.Warnings = backup.Token, backup.Warnings
		return b, nil
	}
	// Both parts finished, and their final state is at hand.
	b, err := NewBackup(req.Repository, req.ID, backup.Snapshots)
	b.Token, b.Warnings = backup.Token, backup.Warnings
	return b, err
}

func (req CreateRequest) metadata(version, token string) map[string]any {
	if req.Policy != "" {
		return PolicyMetadata(version, token, req.Policy)
	}
	return SnapshotMetadata(version, token)
}

// CreateTokenKey is the snapshot metadata key of the create token.
const CreateTokenKey = "create_token"

// SnapshotUnknown is the state of a snapshot whose start was sent but whose
// outcome is not known (Create was interrupted or lost the answer).
const SnapshotUnknown = "UNKNOWN"

// newCreateToken is 16 random bytes in hex: a fixed 32 characters, whatever
// the backup id, so the metadata stays far below Elasticsearch's 1024 bytes.
func newCreateToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TakenBy reports whether snap carries this create token. An empty token
// (a backup adopted by import, or taken before tokens existed) owns every
// snapshot of its backup.
func TakenBy(snap Snapshot, token string) bool {
	if token == "" {
		return true
	}
	t, _ := snap.Metadata[CreateTokenKey].(string)
	return t == token
}

// errTakenByOther: the snapshot exists and carries another create's token.
var errTakenByOther = errors.New("snapshot taken by another writer")

// takeSnapshot starts a snapshot and, when asked, waits for it. It returns
// the snapshot (possibly still running) whenever one was started.
func (s *Service) takeSnapshot(ctx context.Context, repository, name string, req SnapshotRequest, token string) (*Snapshot, error) {
	snap, err := s.Cluster.CreateSnapshot(ctx, repository, name, req)
	switch {
	case err == nil && !req.Wait:
		if snap == nil {
			snap = &Snapshot{Name: name, State: SnapshotInProgress}
		}
		return snap, nil
	case err == nil && snap != nil && snap.State != SnapshotInProgress:
		return snap, nil
	case err == nil, errors.Is(err, ErrSnapshotExists), errors.Is(err, ErrUnreachable) && ctx.Err() == nil:
		// The snapshot was started but is still running, or the answer got
		// lost (a dropped connection, or a retried request that found our
		// own snapshot running), or another writer took the name meanwhile:
		// find out what became of it, and whose it is.
		found, ferr := s.waitFor(ctx, repository, name, req.Wait, token)
		switch {
		case errors.Is(ferr, errTakenByOther):
			return nil, &BackupExistsError{ID: found.backupID(), Repository: repository, Snapshots: []string{name}, Concurrent: true}
		case errors.Is(ferr, ErrSnapshotMissing) && err != nil:
			return nil, err
		case errors.Is(ferr, ErrSnapshotMissing):
			return nil, fmt.Errorf("elasticsearch accepted snapshot %s, but it does not exist", name)
		case ferr != nil && found == nil:
			// Interrupted, or Elasticsearch went away, before we could
			// tell: name it all the same (refresh and destroy look only
			// at snapshots with this create's token).
			return &Snapshot{Name: name, State: SnapshotUnknown}, ferr
		}
		return found, ferr
	case ctx.Err() != nil:
		// Interrupted while the start was on its way: it may have started.
		return s.interrupted(ctx, repository, name, token), err
	default:
		if errors.Is(err, ErrRepositoryMissing) {
			return nil, s.repositoryError(repository, err)
		}
		return nil, err
	}
}

// interrupted looks, with a few seconds of its own, for a snapshot whose
// start was interrupted. It returns the snapshot when it is ours, nothing
// when it is another writer's, and a snapshot of state SnapshotUnknown when
// it cannot tell (the start may still reach Elasticsearch).
func (s *Service) interrupted(ctx context.Context, repository, name, token string) *Snapshot {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), interruptLookup)
	defer cancel()
	snaps, err := s.Cluster.Snapshots(ctx, repository, name)
	if err != nil {
		return &Snapshot{Name: name, State: SnapshotUnknown}
	}
	for i := range snaps {
		if snaps[i].Name == name {
			if TakenBy(snaps[i], token) {
				return &snaps[i]
			}
			return nil
		}
	}
	return &Snapshot{Name: name, State: SnapshotUnknown}
}

// interruptLookup bounds the lookup after an interrupted start.
const interruptLookup = 10 * time.Second

func (snap *Snapshot) backupID() BackupID {
	if snap == nil {
		return ""
	}
	p, _ := ParseSnapshotName(snap.Name)
	return p.ID
}

// waitFor polls a snapshot until it exists and, with untilDone, until it
// has finished. It returns ErrSnapshotMissing if the snapshot does not
// exist, and errTakenByOther (with the snapshot) if it carries another
// create's token.
func (s *Service) waitFor(ctx context.Context, repository, name string, untilDone bool, token string) (*Snapshot, error) {
	interval := s.pollInterval()
	for {
		snaps, err := s.Cluster.Snapshots(ctx, repository, name)
		if err != nil {
			return nil, err
		}
		var found *Snapshot
		for i := range snaps {
			if snaps[i].Name == name {
				found = &snaps[i]
			}
		}
		if found == nil {
			return nil, fmt.Errorf("snapshot %s: %w", name, ErrSnapshotMissing)
		}
		if !TakenBy(*found, token) {
			return found, errTakenByOther
		}
		if !untilDone || found.State != SnapshotInProgress {
			return found, nil
		}
		if err := sleep(ctx, interval); err != nil {
			return found, fmt.Errorf("snapshot %s is still IN_PROGRESS: %w", name, err)
		}
		interval = s.nextInterval(interval)
	}
}

func (s *Service) repositoryError(repository string, err error) error {
	if errors.Is(err, ErrRepositoryMissing) {
		return &RepositoryMissingError{Repository: repository, Err: err}
	}
	return fmt.Errorf("checking snapshot repository %q: %w", repository, err)
}

func (s *Service) pollInterval() time.Duration {
	if s.PollInterval > 0 {
		return s.PollInterval
	}
	return 100 * time.Millisecond
}

func (s *Service) nextInterval(d time.Duration) time.Duration {
	limit := s.MaxPollInterval
	if limit <= 0 {
		limit = 5 * time.Second
	}
	if d = d * 3 / 2; d > limit {
		d = limit
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
