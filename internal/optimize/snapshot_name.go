// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// BackupID is a validated Optimize backup id.
type BackupID string

// PartCount is the number of snapshots of one backup.
const PartCount = 2

const snapshotPrefix = "camunda_optimize_"

var (
	digitRuns        = regexp.MustCompile(`[0-9]+`)
	snapshotNameForm = regexp.MustCompile(`^camunda_optimize_([^_]+)_([0-9]+\.[0-9]+\.[0-9]+)_part_([0-9]+)_of_([0-9]+)$`)
)

// NormalizeVersion reduces an Optimize version to the plain X.Y.Z that
// snapshot names carry: "8.6.0-SNAPSHOT" becomes "8.6.0".
func NormalizeVersion(version string) (string, error) {
	parts := digitRuns.FindAllString(version, 3)
	if len(parts) < 3 || !strings.HasPrefix(strings.TrimSpace(version), parts[0]) {
		return "", fmt.Errorf("optimize version %q is not of the form X.Y.Z (for example 3.9.0 or 8.6.0-SNAPSHOT)", version)
	}
	return strings.Join(parts, "."), nil
}

// SnapshotName is the name of part (1 or 2) of backup id taken by Optimize
// version (already normalized).
func SnapshotName(id BackupID, version string, part int) string {
	return fmt.Sprintf("%s%s_%s_part_%d_of_%d", snapshotPrefix, id, version, part, PartCount)
}

// SnapshotNames are the names of both parts of a backup, part 1 first.
func SnapshotNames(id BackupID, version string) []string {
	names := make([]string, PartCount)
	for i := range names {
		names[i] = SnapshotName(id, version, i+1)
	}
	return names
}

// SnapshotPattern is the wildcard Optimize uses to find a backup's snapshots.
// It is only a pre-filter: ParseSnapshotName decides what belongs to a backup.
func SnapshotPattern(id BackupID) string {
	return snapshotPrefix + string(id) + "_*"
}

// ParsedSnapshotName is what a snapshot name says about its backup.
type ParsedSnapshotName struct {
	ID      BackupID
	Version string
	Part    int
}

// ParseSnapshotName parses an Optimize backup snapshot name. It reports false
// for any name that is not exactly of Optimize's form.
func ParseSnapshotName(name string) (ParsedSnapshotName, bool) {
	m := snapshotNameForm.FindStringSubmatch(name)
	if m == nil {
		return ParsedSnapshotName{}, false
	}
	part, err := strconv.Atoi(m[3])
	if err != nil || m[4] != strconv.Itoa(PartCount) || part < 1 || part > PartCount {
		return ParsedSnapshotName{}, false
	}
	if ValidateBackupID(m[1]) != nil {
		return ParsedSnapshotName{}, false
	}
	return ParsedSnapshotName{ID: BackupID(m[1]), Version: m[2], Part: part}, true
}
