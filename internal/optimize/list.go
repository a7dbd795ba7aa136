package optimize

import (
	"context"
	"fmt"
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
// whatever their number. Snapshot names that do not parse belong to no
// backup and are left out.
func (s *Service) ListBackups(ctx context.Context, repository string) ([]Backup, error) {
	backups, err := s.List(ctx, repository)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(backups, func(i, j int) bool {
		ti, tj := backups[i].StartTime(), backups[j].StartTime()
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		return backups[i].ID > backups[j].ID
	})
	return backups, nil
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

// UnlistableIDs returns the ids among backups that Optimize 3.10 and later
// cannot read back in its own backup list (GET /actuator/backups parses every
// snapshot name with ^camunda_optimize_(\d+)_.*$ and answers 500 for the
// whole repository when one does not parse, or lists 007 as 7). It is empty
// for an installation of Optimize 3.9, which has no list API.
func UnlistableIDs(installationVersion string, backups []Backup) []BackupID {
	if !HasListAPI(installationVersion) {
		return nil
	}
	var ids []BackupID
	for _, b := range backups {
		if !isPlainDecimal(string(b.ID)) {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// HasListAPI reports whether Optimize of this version (normalized X.Y.Z)
// lists backups (GET /actuator/backups): 3.10 and later.
func HasListAPI(version string) bool {
	major, minor, ok := majorMinor(version)
	return ok && (major > 3 || major == 3 && minor >= 10)
}

// NewestVersion is the highest of the backups' Optimize versions, the best
// guess of the installation's version when none is configured.
func NewestVersion(backups []Backup) string {
	newest := ""
	for _, b := range backups {
		if b.Version != "" && (newest == "" || compareVersions(b.Version, newest) > 0) {
			newest = b.Version
		}
	}
	return newest
}

func isPlainDecimal(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// versionParts splits a normalized X.Y.Z version.
func versionParts(version string) ([3]int, bool) {
	var p [3]int
	n, err := fmt.Sscanf(version, "%d.%d.%d", &p[0], &p[1], &p[2])
	return p, err == nil && n == 3
}

func majorMinor(version string) (major, minor int, ok bool) {
	p, ok := versionParts(version)
	return p[0], p[1], ok
}

// compareVersions orders normalized versions numerically (3.10.0 > 3.9.0).
func compareVersions(a, b string) int {
	pa, _ := versionParts(a)
	pb, _ := versionParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] - pb[i]
		}
	}
	return 0
}
