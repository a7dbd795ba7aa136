// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// Reading backups: one, one owner's, and a repository's listing.

// Get reads a backup from its snapshots with one request. It returns a
// *BackupNotFoundError when no snapshot of the backup exists.
func (s *Service) Get(ctx context.Context, repository string, id BackupID) (Backup, error) {
	return s.GetOwned(ctx, repository, id, Owner{})
}

// Owner says which snapshots of a backup id a resource owns. A backup the
// provider took owns the snapshots that carry its create token; one adopted
// by import (no token) owns those of its recorded Optimize version (its pair,
// and strays of that version), never another version's backup of the same id
// (a pre-upgrade copy). The zero Owner owns every snapshot of the id.
type Owner struct {
	Token   string
	Version string // X.Y.Z, as in snapshot names
	// Policy: the snapshots that carry this policy's name (PolicyKey).
	Policy string
}

// Owns reports whether snap is the owner's.
func (o Owner) Owns(snap Snapshot) bool {
	switch {
	case o.Policy != "":
		n, _ := snap.Metadata[PolicyKey].(string)
		return n == o.Policy
	case o.Token != "":
		return TakenBy(snap, o.Token)
	case o.Version != "":
		p, ok := ParseSnapshotName(snap.Name)
		return ok && p.Version == o.Version
	}
	return true
}

// GetOwned is Get of the snapshots the owner owns.
func (s *Service) GetOwned(ctx context.Context, repository string, id BackupID, owner Owner) (Backup, error) {
	snaps, err := s.snapshotsOf(ctx, repository, id)
	if err != nil {
		return Backup{}, err
	}
	return NewBackup(repository, id, owned(snaps, owner))
}

func owned(snaps []Snapshot, owner Owner) []Snapshot {
	own := snaps[:0:0]
	for _, snap := range snaps {
		if owner.Owns(snap) {
			own = append(own, snap)
		}
	}
	return own
}

// NewBackup builds a Backup from the snapshots that belong to it.
func NewBackup(repository string, id BackupID, snaps []Snapshot) (Backup, error) {
	state, ok := AggregateState(snaps)
	if !ok {
		return Backup{}, &BackupNotFoundError{ID: id, Repository: repository}
	}
	b := Backup{ID: id, Repository: repository, State: state, Snapshots: snaps, FailureReason: FailureReason(id, snaps)}
	if version, ok := completedPair(snaps); ok {
		b.Version = version // the pair's, whatever stray snapshots there are
	} else if p, ok := ParseSnapshotName(snaps[0].Name); ok {
		b.Version = p.Version
	}
	return b, nil
}

// List returns every Optimize backup in the repository, sorted by id.
func (s *Service) List(ctx context.Context, repository string) ([]Backup, error) {
	l, err := s.listing(ctx, repository)
	return l.Backups, err
}

// Listing is a repository's camunda_optimize_* snapshots as one request
// reads them: the backups, and the names that parse as no backup's.
type Listing struct {
	Backups  []Backup
	Unparsed []string // snapshot names under camunda_optimize_ that are no backup's, sorted
}

func (s *Service) listing(ctx context.Context, repository string) (Listing, error) {
	snaps, err := s.Cluster.Snapshots(ctx, repository, snapshotPrefix+"*")
	if err != nil {
		if errors.Is(err, ErrRepositoryMissing) {
			return Listing{}, s.repositoryError(repository, err)
		}
		return Listing{}, err
	}
	var l Listing
	byID := map[BackupID][]Snapshot{}
	for _, snap := range snaps {
		if p, ok := ParseSnapshotName(snap.Name); ok {
			byID[p.ID] = append(byID[p.ID], snap)
		} else {
			l.Unparsed = append(l.Unparsed, snap.Name)
		}
	}
	sort.Strings(l.Unparsed)
	backups := make([]Backup, 0, len(byID))
	for id, group := range byID {
		sortByPart(group)
		b, _ := NewBackup(repository, id, group)
		backups = append(backups, b)
	}
	sort.Slice(backups, func(i, j int) bool { return backups[i].ID < backups[j].ID })
	l.Backups = backups
	return l, nil
}

// snapshotsOf lists the snapshots that belong to backup id, sorted by part.
// An id too long for the pattern's request line (one that Optimize took,
// imported) is found in the listing of every camunda_optimize_* snapshot.
func (s *Service) snapshotsOf(ctx context.Context, repository string, id BackupID) ([]Snapshot, error) {
	pattern := SnapshotPattern(id)
	if !snapshotPatternFits(repository, id) {
		pattern = snapshotPrefix + "*"
	}
	snaps, err := s.Cluster.Snapshots(ctx, repository, pattern)
	if err != nil {
		if errors.Is(err, ErrRepositoryMissing) {
			return nil, s.repositoryError(repository, err)
		}
		return nil, fmt.Errorf("reading the snapshots of backup %q in repository %q: %w", id, repository, err)
	}
	own := snaps[:0:0]
	for _, snap := range snaps {
		if p, ok := ParseSnapshotName(snap.Name); ok && p.ID == id {
			own = append(own, snap)
		}
	}
	sortByPart(own)
	return own, nil
}

func sortByPart(snaps []Snapshot) {
	sort.SliceStable(snaps, func(i, j int) bool {
		pi, _ := ParseSnapshotName(snaps[i].Name)
		pj, _ := ParseSnapshotName(snaps[j].Name)
		if pi.Part != pj.Part {
			return pi.Part < pj.Part
		}
		return snaps[i].Name < snaps[j].Name
	})
}
