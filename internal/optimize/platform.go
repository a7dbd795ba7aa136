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
// The Camunda version is the most common minor version among the expected
// families' names (every family's when expect is empty, since the version
// then decides which families are expected); a snapshot of an expected
// family of another minor version is not counted for its family, and makes
// the backup INCOMPLETE with a message naming both versions.
//
// A family is one version, as one Optimize backup is (AggregateState): it is
// COMPLETED when parts 1 to N of N of one version (the full X.Y.Z) are all
// there and SUCCESS, whatever other snapshots of its name there are; parts
// of different versions make no backup (Optimize part 1 at 8.8.0 and part 2
// at 8.8.1 is INCOMPLETE, as optimize_backup_state and the restore judge
// it). The backup is COMPLETED only when every expected family is, and
// otherwise FAILED, INCOMPATIBLE, IN_PROGRESS or INCOMPLETE, worst first. A
// family that is not expected is reported, and never changes the verdict.
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
	counted := func(family string) bool { return len(expect) == 0 || slices.Contains(expect, family) }
	release, full := platformRelease(all, counted)
	if release == "" { // no expected family has a versioned snapshot: name the version all the same
		release, full = platformRelease(all, func(string) bool { return true })
	}
	pb.CamundaVersion = full
	if len(expect) == 0 {
		expect = ExpectedFamilies(pb.CamundaVersion)
	}
	var reasons, otherVersions []string
	byFamily := map[string][]found{}
	for _, f := range all {
		if f.name.Version != "" && minor(f.name.Version) != release && slices.Contains(expect, f.name.Family) {
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
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].name.Part != fs[j].name.Part {
				return fs[i].name.Part < fs[j].name.Part
			}
			return versionLess(fs[i].name.Version, fs[j].name.Version)
		})
		for _, f := range fs {
			c.Snapshots = append(c.Snapshots, f.snap)
		}
		evaluateFamily(&c, id, fs, pb.CamundaVersion)
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

// platformRelease is the most common minor version among the names of the
// families counted, the newest on a tie, and the newest full version of it.
func platformRelease(all []found, counted func(family string) bool) (release, full string) {
	count := map[string]int{}
	newest := map[string]string{}
	for _, f := range all {
		if f.name.Version != "" && counted(f.name.Family) {
			m := minor(f.name.Version)
			count[m]++
			if newest[m] == "" || versionLess(newest[m], f.name.Version) {
				newest[m] = f.name.Version
			}
		}
	}
	for m, c := range count {
		if release == "" || c > count[release] || c == count[release] && versionLess(release+".0", m+".0") {
			release = m
		}
	}
	return release, newest[release]
}

// found is a snapshot of a platform backup, with what its name says.
type found struct {
	snap Snapshot
	name PlatformSnapshotName
	repo string
}

// partSet is one version's parts of a family, of one part count N.
type partSet struct {
	version string
	parts   int
}

// evaluateFamily sets a family's state, version, part count, reason and
// missing snapshots from its snapshots fs, by the rule of AggregateState
// for any N: parts 1 to N of N of one version, all SUCCESS, make the family
// COMPLETED (the newest version if several do), whatever else there is;
// otherwise any FAILED or PARTIAL snapshot makes it FAILED, then
// INCOMPATIBLE, then IN_PROGRESS, and else it is INCOMPLETE: a part is
// missing, or its parts are of different versions (or part counts) and make
// no backup.
func evaluateFamily(c *ComponentBackup, id BackupID, fs []found, camundaVersion string) {
	if len(fs) == 0 {
		c.State = StateIncomplete
		c.Reason = fmt.Sprintf("no snapshot of backup in repository %q", c.Repository)
		c.Missing = missingNames(c.Family, id, "", camundaVersion, 0, nil)
		return
	}
	present := map[partSet]map[int]bool{}
	succeeded := map[partSet]map[int]bool{}
	var sets []partSet
	for _, f := range fs {
		k := partSet{f.name.Version, f.name.Parts}
		if present[k] == nil {
			present[k], succeeded[k] = map[int]bool{}, map[int]bool{}
			sets = append(sets, k)
		}
		present[k][f.name.Part] = true
		if f.snap.State == SnapshotSuccess {
			succeeded[k][f.name.Part] = true
		}
	}
	sort.Slice(sets, func(i, j int) bool {
		if sets[i].version != sets[j].version {
			return versionLess(sets[i].version, sets[j].version)
		}
		return sets[i].parts < sets[j].parts
	})
	// The family's version and N: a complete set's, else the newest set's.
	chosen, complete := sets[len(sets)-1], false
	for _, k := range sets {
		if len(succeeded[k]) == k.parts {
			chosen, complete = k, true // sets is sorted: the last complete one is the newest
		}
	}
	c.Version, c.ExpectedParts = chosen.version, chosen.parts
	if complete {
		c.State = StateCompleted
		return
	}
	var failed, incompatible, running []string
	for _, f := range fs {
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
		c.State, c.Reason = StateFailed, strings.Join(failed, "; ")
		return
	case len(incompatible) > 0:
		c.State, c.Reason = StateIncompatible, strings.Join(incompatible, ", ")+" INCOMPATIBLE"
		return
	case len(running) > 0:
		c.State, c.Reason = StateInProgress, strings.Join(running, ", ")+" IN_PROGRESS"
		return
	}
	c.State = StateIncomplete
	if len(sets) == 1 {
		c.Reason = fmt.Sprintf("%d of %d parts", len(present[chosen]), chosen.parts)
		if len(present[chosen]) == chosen.parts {
			c.Reason = fmt.Sprintf("%d of %d parts SUCCESS", len(succeeded[chosen]), chosen.parts)
		}
		c.Missing = missingNames(c.Family, id, chosen.version, camundaVersion, chosen.parts, present[chosen])
		return
	}
	// Parts of different versions (or part counts) make no backup: name each
	// set's parts and what each lacks.
	var have []string
	versions := map[string]bool{}
	for _, k := range sets {
		versions[k.version] = true
		var parts []string
		for _, p := range slices.Sorted(maps.Keys(present[k])) {
			parts = append(parts, strconv.Itoa(p))
		}
		have = append(have, fmt.Sprintf("%s: part %s of %d", k.version, strings.Join(parts, ", "), k.parts))
		c.Missing = append(c.Missing, missingNames(c.Family, id, k.version, camundaVersion, k.parts, present[k])...)
	}
	what := fmt.Sprintf("its snapshots are of %d versions (%s), and parts of different versions make no backup", len(versions), strings.Join(have, "; "))
	if len(versions) == 1 {
		what = fmt.Sprintf("its snapshots disagree on the number of parts (%s)", strings.Join(have, "; "))
	}
	c.Reason = fmt.Sprintf("no complete set of parts (1 to N of N of one version, all SUCCESS): %s; missing: %s", what, strings.Join(c.Missing, ", "))
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
				var of []string
				for _, f := range Families {
					if slices.Contains(families, f) && repositoryOf(f) == repo {
						of = append(of, f)
					}
				}
				return PlatformBackup{}, &PlatformRepositoryMissingError{Repository: repo, Families: of, Err: err}
			}
			return PlatformBackup{}, fmt.Errorf("reading the snapshots of backup %q in repository %q: %w", id, repo, err)
		}
		byRepository[repo] = snaps
	}
	return EvaluatePlatformBackup(id, byRepository, repositoryOf, expect)
}

// RepositorySetting says where each family's component is told its snapshot
// repository, for the message of a repository that is not registered.
// Sources (camunda/camunda-docs):
//   - Optimize: docs/self-managed/operational-guides/backup-restore/optimize-backup.md
//     ("The repository name must be specified using the
//     CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME environment variable", or
//     backup.repositoryName in environment-config.yaml).
//   - The web apps of 8.8 and later (the Orchestration Cluster):
//     docs/self-managed/components/orchestration-cluster/core-settings/concepts/backups.md
//     (camunda.data.backup.repository-name), and the 8.9 property changes
//     (the config table of the core-settings configuration pages):
//     camunda.data.secondary-storage.elasticsearch.backup.repository-name
//     (.opensearch. on OpenSearch), with camunda.data.backup.repository-name,
//     camunda.operate.backup.repositoryName and
//     camunda.tasklist.backup.repositoryName as its legacy names.
//   - Operate and Tasklist of 8.6 and 8.7:
//     versioned_docs/version-8.7/self-managed/operate-deployment/operate-configuration.md
//     (camunda.operate.backup.repositoryName) and
//     versioned_docs/version-8.7/self-managed/tasklist-deployment/tasklist-configuration.md
//     (camunda.tasklist.backup.repositoryName).
//   - The exported Zeebe records: no component takes that snapshot; the
//     backup procedure (docs/self-managed/operational-guides/backup-restore/elasticsearch/backup.md,
//     the step that backs up the exported Zeebe indices) takes
//     camunda_zeebe_records_backup_<id> by hand with the engine's snapshot
//     API, into $ELASTIC_SNAPSHOT_REPOSITORY ("the name of your snapshot
//     repository").
func RepositorySetting(family string) string {
	switch family {
	case FamilyOptimize:
		return "Optimize reads it from CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME (backup.repositoryName in its environment-config.yaml)"
	case FamilyWebapps:
		return "the Orchestration Cluster (8.8 and later) reads it from camunda.data.secondary-storage.elasticsearch.backup.repository-name " +
			"(camunda.data.secondary-storage.opensearch.backup.repository-name on OpenSearch; in 8.8 camunda.data.backup.repository-name)"
	case FamilyOperate:
		return "Operate (8.6 and 8.7) reads it from camunda.operate.backup.repositoryName"
	case FamilyTasklist:
		return "Tasklist (8.6 and 8.7) reads it from camunda.tasklist.backup.repositoryName"
	case FamilyZeebeRecords:
		return "no component setting names it: the snapshot camunda_zeebe_records_backup_<id> of the exported records (zeebe-record*) is taken by hand " +
			"with the snapshot API, into the repository that request names (PUT /_snapshot/<repository>/camunda_zeebe_records_backup_<id>)"
	}
	return ""
}

// PlatformRepositoryMissingError: the repository of one or more families of
// a platform backup is not registered in the engine.
type PlatformRepositoryMissingError struct {
	Repository string
	Families   []string // the families read from it
	Err        error
}

func (e *PlatformRepositoryMissingError) Error() string {
	var settings []string
	for _, f := range e.Families {
		settings = append(settings, fmt.Sprintf("%s: %s", f, RepositorySetting(f)))
	}
	which := "the families"
	if len(e.Families) > 0 {
		which = "the " + strings.Join(e.Families, ", ") + " backup"
	}
	return fmt.Sprintf("snapshot repository %q, where %s is read from, is not registered in Elasticsearch: "+
		"register it (for example PUT /_snapshot/%s {\"type\":\"fs\",\"settings\":{\"location\":\"/mnt/backups\"}}, the location listed in path.repo), "+
		"or name the repository each component writes to. Where each takes its repository: %s",
		e.Repository, which, PathEscape(e.Repository), strings.Join(settings, "; "))
}

func (e *PlatformRepositoryMissingError) Unwrap() error { return ErrRepositoryMissing }
