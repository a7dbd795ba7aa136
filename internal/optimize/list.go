// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"time"
)

// ListFilter narrows a listing. Zero fields match every backup.
type ListFilter struct {
	State   State  // only backups in this state
	Version string // only backups of this Optimize version (normalized X.Y.Z)
}

// Matches reports whether b passes the filter.
func (f ListFilter) Matches(b Backup) bool {
	return (f.State == "" || b.State == f.State) && (f.Version == "" || b.Version == f.Version)
}

// Filter returns the backups that pass the filter, in their order.
func (f ListFilter) Filter(backups []Backup) []Backup {
	out := make([]Backup, 0, len(backups))
	for _, b := range backups {
		if f.Matches(b) {
			out = append(out, b)
		}
	}
	return out
}

// ListBackups returns every backup of the repository, newest first (by the
// start of its first snapshot; the id breaks ties), read with one request
// whatever their number, and the camunda_optimize_* snapshot names that are
// no backup's (Listing.Unparsed).
func (s *Service) ListBackups(ctx context.Context, repository string) (Listing, error) {
	l, err := s.listing(ctx, repository)
	if err != nil {
		return Listing{}, err
	}
	backups := l.Backups
	sort.SliceStable(backups, func(i, j int) bool {
		ti, tj := backups[i].StartTime(), backups[j].StartTime()
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		return backups[i].ID > backups[j].ID
	})
	return l, nil
}

// StartTime is when the backup's first snapshot started.
func (b Backup) StartTime() time.Time {
	var start time.Time
	for _, s := range b.Snapshots {
		if !s.StartTime.IsZero() && (start.IsZero() || s.StartTime.Before(start)) {
			start = s.StartTime
		}
	}
	return start
}

// EndTime is when the backup's last snapshot ended; zero while one of them
// still runs.
func (b Backup) EndTime() time.Time {
	var end time.Time
	for _, s := range b.Snapshots {
		if s.EndTime.IsZero() {
			return time.Time{}
		}
		if s.EndTime.After(end) {
			end = s.EndTime
		}
	}
	return end
}

// UnlistableIDs returns the ids among backups that Optimize of the
// installation's version cannot read back in its own backup list: from 3.10
// on, GET /actuator/backups parses every snapshot name with
// ^camunda_optimize_(\d+)_.*$ and answers 500 for the whole repository when
// one does not parse, and lists 007 as 7. It is empty for Optimize 3.9, which
// has no list API, and for a version that is no release.
func UnlistableIDs(installationVersion string, backups []Backup) []BackupID {
	release, err := ReleaseFor(installationVersion)
	if err != nil || release.ID == IDString {
		return nil
	}
	var ids []BackupID
	for _, b := range backups {
		if release.ValidateID(string(b.ID)) != nil {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// optimizeListName is how Optimize's list reads a snapshot name back
// (SnapshotUtil.getBackupIdFromSnapshotName; Java's \d is ASCII, and . no
// line terminator).
var optimizeListName = regexp.MustCompile(`^camunda_optimize_([0-9]+)_[^\n\r\x{85}\x{2028}\x{2029}]*$`)

// UnlistableNames returns the snapshot names under camunda_optimize_ that
// parse as no backup's and that Optimize of the installation's version
// cannot read back either (camunda_optimize_x, or a number beyond its id
// type): one of them makes its backup list answer 500 for the whole
// repository. Empty for 3.9 and for a version that is no release.
func UnlistableNames(installationVersion string, unparsed []string) []string {
	release, err := ReleaseFor(installationVersion)
	if err != nil || release.ID == IDString {
		return nil
	}
	var out []string
	for _, name := range unparsed {
		m := optimizeListName.FindStringSubmatch(name)
		if m == nil || len(m[1]) > len(fmt.Sprint(release.ID.MaxID())) || parseUint(m[1]) > release.ID.MaxID() {
			out = append(out, name)
		}
	}
	return out
}

// MayBeUnlistable reports whether some Optimize release's list could fail
// to read a backup id or snapshot name: false when every one passes the
// strictest numeric rule (Integer), whatever the installation's version.
func MayBeUnlistable(backups []Backup, unparsed []string) bool {
	for _, r := range Releases {
		if r.ID == IDInteger {
			v := fmt.Sprintf("%d.%d.%d", r.From[0], r.From[1], r.From[2])
			return len(UnlistableIDs(v, backups)) > 0 || len(UnlistableNames(v, unparsed)) > 0
		}
	}
	return true
}

// NewestVersion is the highest of the backups' Optimize versions, the best
// guess of the installation's version when none is configured.
func NewestVersion(backups []Backup) string {
	newest, newestTriple := "", [3]int{}
	for _, b := range backups {
		v, err := VersionTriple(b.Version)
		if err == nil && (newest == "" || less(newestTriple, v)) {
			newest, newestTriple = b.Version, v
		}
	}
	return newest
}
