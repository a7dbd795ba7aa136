// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A Camunda 8 platform backup is backup X of every component, taken in the
// documented order: since 8.9 the docs call an Optimize backup of another
// id, or of another time, an inconsistent restore point. All but Zeebe's
// partition backups (in its blob store) are snapshots in Elasticsearch or
// OpenSearch repositories, named by family:
//
//	camunda_optimize_<id>_<version>_part_<n>_of_<N>   Optimize (N = 2)
//	camunda_webapps_<id>_<version>_part_<n>_of_<N>    the web apps, 8.8 and later
//	camunda_operate_<id>_<version>_part_<n>_of_<N>    Operate, 8.6 and 8.7
//	camunda_tasklist_<id>_<version>_part_<n>_of_<N>   Tasklist, 8.6 and 8.7
//	camunda_zeebe_records_backup_<id>                 the exported Zeebe records
//
// N comes from the names, so a release that changes a family's part count
// needs no code here.

// Component families of a platform backup.
const (
	FamilyOptimize     = "optimize"
	FamilyWebapps      = "webapps"
	FamilyOperate      = "operate"
	FamilyTasklist     = "tasklist"
	FamilyZeebeRecords = "zeebe_records"
)

// Families are every family the provider knows, in the order of the docs.
var Families = []string{FamilyZeebeRecords, FamilyOperate, FamilyTasklist, FamilyWebapps, FamilyOptimize}

// ExpectedFamilies are the families a complete backup of a Camunda version
// (X.Y.Z) has: 8.8 and later back up the web apps together; 8.6 and 8.7
// back up Operate and Tasklist apart.
func ExpectedFamilies(version string) []string {
	v, err := versionTriple(version)
	if err == nil && less(v, [3]int{8, 8, 0}) {
		return []string{FamilyOptimize, FamilyOperate, FamilyTasklist, FamilyZeebeRecords}
	}
	return []string{FamilyOptimize, FamilyWebapps, FamilyZeebeRecords}
}

var (
	partedName  = regexp.MustCompile(`^camunda_(optimize|webapps|operate|tasklist)_([0-9]+)_([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.\-]*)_part_([0-9]+)_of_([0-9]+)$`)
	recordsName = regexp.MustCompile(`^camunda_zeebe_records_backup_([0-9]+)$`)
)

// PlatformSnapshotName is what a platform backup's snapshot name says.
type PlatformSnapshotName struct {
	Family  string
	ID      BackupID
	Version string // as written; "" for the Zeebe records
	Part    int    // 1 for the Zeebe records
	Parts   int    // 1 for the Zeebe records
}

// ParsePlatformSnapshotName reads a snapshot name of one of the families.
func ParsePlatformSnapshotName(name string) (PlatformSnapshotName, bool) {
	if m := recordsName.FindStringSubmatch(name); m != nil {
		return PlatformSnapshotName{Family: FamilyZeebeRecords, ID: BackupID(m[1]), Part: 1, Parts: 1}, true
	}
	m := partedName.FindStringSubmatch(name)
	if m == nil {
		return PlatformSnapshotName{}, false
	}
	part, err1 := strconv.Atoi(m[4])
	parts, err2 := strconv.Atoi(m[5])
	if err1 != nil || err2 != nil || part < 1 || parts < 1 || part > parts {
		return PlatformSnapshotName{}, false
	}
	return PlatformSnapshotName{Family: m[1], ID: BackupID(m[2]), Version: m[3], Part: part, Parts: parts}, true
}

// PlatformSnapshotPattern pre-filters a repository's snapshots of backup id
// (every family), for one listing request.
func PlatformSnapshotPattern(id BackupID) string {
	return "camunda_*_" + string(id) + "_*,camunda_zeebe_records_backup_" + string(id)
}

// ComponentBackup is one family of a platform backup.
type ComponentBackup struct {
	Family        string
	Repository    string
	Version       string // as the snapshot names write it; "" for the Zeebe records
	State         State
	ExpectedParts int // N, from the names; 0 when there is no snapshot
	Snapshots     []Snapshot
	Missing       []string // names of snapshots that should exist and do not
	Reason        string
}

// PlatformBackup is backup X of a whole Camunda 8 installation.
type PlatformBackup struct {
	ID             BackupID
	State          State
	CamundaVersion string // X.Y.Z of the components' snapshot names (the most common)
	Components     []ComponentBackup
	Missing        []string
	FailureReason  string
}

// minor is "8.8" of "8.8.3" (what components of one release share; their
// patch versions may differ).
func minor(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}

// EvaluatePlatformBackup decides the state of backup id from the snapshots
// of each family's repository (byRepository: the snapshots a listing
// returned, per repository; repositoryOf: the repository of each family),
// expecting the families expect (none: those of the version the names say).
//
// A snapshot whose name parses to another id (5 and 50) is never counted.
// The Camunda version is the most common minor version among the parted
// families' names; a snapshot of another minor version is not counted for
// its family, and makes the backup INCOMPLETE with a message naming both
// versions. A family is COMPLETED when parts 1 to N of N are all there and
// SUCCESS; the backup is COMPLETED only when every expected family is, and
// otherwise FAILED, INCOMPATIBLE, IN_PROGRESS or INCOMPLETE, worst first.
func EvaluatePlatformBackup(id BackupID, byRepository map[string][]Snapshot, repositoryOf func(family string) string, expect []string) (PlatformBackup, error) {
	pb := PlatformBackup{ID: id}
	var all []found
	for repo, snaps := range byRepository {
		for _, s := range snaps {
			n, ok := ParsePlatformSnapshotName(s.Name)
			if !ok || n.ID != id || repositoryOf(n.Family) != repo {
				continue
			}
			all = append(all, found{s, n, repo})
		}
	}
	if len(all) == 0 {
		return pb, &BackupNotFoundError{ID: id, Repository: strings.Join(slices.Sorted(maps.Keys(byRepository)), ", ")}
	}
	// The release: the most common minor version, the newest on a tie.
	count := map[string]int{}
	full := map[string]string{}
	for _, f := range all {
		if f.name.Version != "" {
			m := minor(f.name.Version)
			count[m]++
			if full[m] == "" || versionLess(full[m], f.name.Version) {
				full[m] = f.name.Version
			}
		}
	}
	release := ""
	for m, c := range count {
		if release == "" || c > count[release] || c == count[release] && versionLess(release+".0", m+".0") {
			release = m
		}
	}
	pb.CamundaVersion = full[release]
	if len(expect) == 0 {
		expect = ExpectedFamilies(pb.CamundaVersion)
	}
	var reasons, otherVersions []string
	byFamily := map[string][]found{}
	for _, f := range all {
		if f.name.Version != "" && minor(f.name.Version) != release {
			otherVersions = append(otherVersions, fmt.Sprintf("%s is of Camunda %s, the backup's other snapshots of %s", f.snap.Name, f.name.Version, pb.CamundaVersion))
			continue
		}
		byFamily[f.name.Family] = append(byFamily[f.name.Family], f)
	}
	sort.Strings(otherVersions)
	for _, family := range Families {
		expected := slices.Contains(expect, family)
		fs := byFamily[family]
		if !expected && len(fs) == 0 {
			continue
		}
		c := ComponentBackup{Family: family, Repository: repositoryOf(family)}
		sort.Slice(fs, func(i, j int) bool { return fs[i].name.Part < fs[j].name.Part })
		parts := map[int]bool{}
		for _, f := range fs {
			c.Snapshots = append(c.Snapshots, f.snap)
			c.ExpectedParts = max(c.ExpectedParts, f.name.Parts)
			if f.name.Version != "" {
				c.Version = f.name.Version
			}
			parts[f.name.Part] = true
		}
		c.State, c.Reason = componentState(c, fs, parts)
		if c.State == StateIncomplete {
			c.Missing = missingNames(family, id, c.Version, pb.CamundaVersion, c.ExpectedParts, parts)
		}
		if !expected {
			c.Reason = strings.TrimSpace(c.Reason + " (not expected: not counted)")
		} else {
			pb.Missing = append(pb.Missing, c.Missing...)
			if c.State != StateCompleted {
				reasons = append(reasons, fmt.Sprintf("%s: %s", family, c.Reason))
			}
		}
		pb.Components = append(pb.Components, c)
	}
	pb.State = StateCompleted
	for _, rank := range []State{StateFailed, StateIncompatible, StateInProgress, StateIncomplete} {
		for _, c := range pb.Components {
			if slices.Contains(expect, c.Family) && c.State == rank && pb.State == StateCompleted {
				pb.State = rank
			}
		}
	}
	if len(otherVersions) > 0 {
		if pb.State == StateCompleted {
			pb.State = StateIncomplete
		}
		reasons = append(reasons, strings.Join(otherVersions, "; "))
	}
	pb.FailureReason = strings.Join(reasons, "\n")
	return pb, nil
}

// found is a snapshot of a platform backup, with what its name says.
type found struct {
	snap Snapshot
	name PlatformSnapshotName
	repo string
}

// componentState aggregates a family's snapshots.
func componentState(c ComponentBackup, fs []found, parts map[int]bool) (State, string) {
	if len(fs) == 0 {
		return StateIncomplete, fmt.Sprintf("no snapshot of backup in repository %q", c.Repository)
	}
	var failed, incompatible, running []string
	counts := map[int]bool{}
	for _, f := range fs {
		counts[f.name.Parts] = true
		switch f.snap.State {
		case SnapshotFailed, SnapshotPartial:
			r := fmt.Sprintf("%s is %s", f.snap.Name, f.snap.State)
			if f.snap.Reason != "" {
				r += ": " + f.snap.Reason
			}
			failed = append(failed, r)
		case SnapshotIncompatible:
			incompatible = append(incompatible, f.snap.Name)
		case SnapshotInProgress:
			running = append(running, f.snap.Name)
		}
	}
	switch {
	case len(failed) > 0:
		return StateFailed, strings.Join(failed, "; ")
	case len(incompatible) > 0:
		return StateIncompatible, strings.Join(incompatible, ", ") + " INCOMPATIBLE"
	case len(running) > 0:
		return StateInProgress, strings.Join(running, ", ") + " IN_PROGRESS"
	case len(counts) > 1:
		return StateIncomplete, "its snapshots disagree on the number of parts"
	case len(parts) < c.ExpectedParts || len(fs) != c.ExpectedParts:
		return StateIncomplete, fmt.Sprintf("%d of %d parts", len(parts), c.ExpectedParts)
	}
	return StateCompleted, ""
}

// missingNames are the names of a family's snapshots that are not there.
func missingNames(family string, id BackupID, version, camundaVersion string, parts int, present map[int]bool) []string {
	if family == FamilyZeebeRecords {
		if len(present) == 0 {
			return []string{"camunda_zeebe_records_backup_" + string(id)}
		}
		return nil
	}
	if version == "" {
		version = camundaVersion
	}
	if parts == 0 {
		return []string{fmt.Sprintf("camunda_%s_%s_%s_part_<n>_of_<N> (no snapshot of %s)", family, id, version, family)}
	}
	var out []string
	for n := 1; n <= parts; n++ {
		if !present[n] {
			out = append(out, fmt.Sprintf("camunda_%s_%s_%s_part_%d_of_%d", family, id, version, n, parts))
		}
	}
	return out
}

// GetPlatformBackup reads backup id of every family, with one listing
// request per repository, and evaluates it. It sends no write request.
func (s *Service) GetPlatformBackup(ctx context.Context, id BackupID, repositoryOf func(family string) string, expect []string) (PlatformBackup, error) {
	families := expect
	if len(families) == 0 {
		families = Families
	}
	repos := map[string]bool{}
	for _, f := range families {
		repos[repositoryOf(f)] = true
	}
	byRepository := map[string][]Snapshot{}
	for _, repo := range slices.Sorted(maps.Keys(repos)) {
		snaps, err := s.Cluster.Snapshots(ctx, repo, PlatformSnapshotPattern(id))
		if err != nil {
			if errors.Is(err, ErrRepositoryMissing) {
				return PlatformBackup{}, s.repositoryError(repo, err)
			}
			return PlatformBackup{}, fmt.Errorf("reading the snapshots of backup %q in repository %q: %w", id, repo, err)
		}
		byRepository[repo] = snaps
	}
	return EvaluatePlatformBackup(id, byRepository, repositoryOf, expect)
}
