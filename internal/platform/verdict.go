// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// FamilyBackup is one family of a whole backup, as its snapshots say.
type FamilyBackup struct {
	Family        Component
	Repository    string
	Version       string // as the snapshot names write it; "" for the Zeebe records
	State         optimize.State
	ExpectedParts int // N, from the names; 0 when there is no snapshot
	Snapshots     []optimize.Snapshot
	Missing       []string // names of snapshots that should exist and do not
	Reason        string
}

// Verdict is backup X of a whole Camunda 8 installation as read: its
// snapshot families (the search engine's view) and Zeebe's backup
// (Camunda's).
type Verdict struct {
	ID             optimize.BackupID
	State          optimize.State
	CamundaVersion string // X.Y.Z of the components' snapshot names (the most common)
	Families       []FamilyBackup
	Missing        []string
	FailureReason  string
	// Zeebe is Zeebe's backup of the id; nil when Zeebe has none (or was
	// not asked: Service.Camunda is nil).
	Zeebe *CamundaBackup
	// ZeebeRead: Zeebe was asked.
	ZeebeRead bool
}

// minorOf is "8.8" of "8.8.3" (what components of one release share; their
// patch versions may differ).
func minorOf(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}

// EvaluateFamilies decides the state of backup id from the snapshots
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
func EvaluateFamilies(id optimize.BackupID, byRepository map[string][]optimize.Snapshot, repositoryOf func(family Component) string, expect []Component) (Verdict, error) {
	v := Verdict{ID: id}
	var all []found
	for repo, snaps := range byRepository {
		for _, s := range snaps {
			n, ok := ParseSnapshotName(s.Name)
			if !ok || n.ID != id || repositoryOf(n.Family) != repo {
				continue
			}
			all = append(all, found{s, n, repo})
		}
	}
	if len(all) == 0 {
		return v, &optimize.BackupNotFoundError{ID: id, Repository: strings.Join(slices.Sorted(maps.Keys(byRepository)), ", ")}
	}
	counted := func(family Component) bool { return len(expect) == 0 || slices.Contains(expect, family) }
	release, full := mostCommonRelease(all, counted)
	if release == "" { // no expected family has a versioned snapshot: name the version all the same
		release, full = mostCommonRelease(all, func(Component) bool { return true })
	}
	v.CamundaVersion = full
	if len(expect) == 0 {
		expect = ExpectedFamilies(v.CamundaVersion)
	}
	var reasons, otherVersions []string
	byFamily := map[Component][]found{}
	for _, f := range all {
		if f.name.Version != "" && minorOf(f.name.Version) != release && slices.Contains(expect, f.name.Family) {
			otherVersions = append(otherVersions, fmt.Sprintf("%s is of Camunda %s, the backup's other snapshots of %s", f.snap.Name, f.name.Version, v.CamundaVersion))
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
		c := FamilyBackup{Family: family, Repository: repositoryOf(family)}
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].name.Part != fs[j].name.Part {
				return fs[i].name.Part < fs[j].name.Part
			}
			return optimize.VersionLess(fs[i].name.Version, fs[j].name.Version)
		})
		for _, f := range fs {
			c.Snapshots = append(c.Snapshots, f.snap)
		}
		evaluateFamily(&c, id, fs, v.CamundaVersion)
		if !expected {
			c.Reason = strings.TrimSpace(c.Reason + " (not expected: not counted)")
		} else {
			v.Missing = append(v.Missing, c.Missing...)
			if c.State != optimize.StateCompleted {
				reasons = append(reasons, fmt.Sprintf("%s: %s", family, c.Reason))
			}
		}
		v.Families = append(v.Families, c)
	}
	v.State = optimize.StateCompleted
	for _, rank := range []optimize.State{optimize.StateFailed, optimize.StateIncompatible, optimize.StateInProgress, optimize.StateIncomplete} {
		for _, c := range v.Families {
			if slices.Contains(expect, c.Family) && c.State == rank && v.State == optimize.StateCompleted {
				v.State = rank
			}
		}
	}
	if len(otherVersions) > 0 {
		if v.State == optimize.StateCompleted {
			v.State = optimize.StateIncomplete
		}
		reasons = append(reasons, strings.Join(otherVersions, "; "))
	}
	v.FailureReason = strings.Join(reasons, "\n")
	return v, nil
}

// mostCommonRelease is the most common minor version among the names of the
// families counted, the newest on a tie, and the newest full version of it.
func mostCommonRelease(all []found, counted func(family Component) bool) (release, full string) {
	count := map[string]int{}
	newest := map[string]string{}
	for _, f := range all {
		if f.name.Version != "" && counted(f.name.Family) {
			m := minorOf(f.name.Version)
			count[m]++
			if newest[m] == "" || optimize.VersionLess(newest[m], f.name.Version) {
				newest[m] = f.name.Version
			}
		}
	}
	for m, c := range count {
		if release == "" || c > count[release] || c == count[release] && optimize.VersionLess(release+".0", m+".0") {
			release = m
		}
	}
	return release, newest[release]
}

// found is a snapshot of a whole backup, with what its name says.
type found struct {
	snap optimize.Snapshot
	name SnapshotName
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
func evaluateFamily(c *FamilyBackup, id optimize.BackupID, fs []found, camundaVersion string) {
	if len(fs) == 0 {
		c.State = optimize.StateIncomplete
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
		if f.snap.State == optimize.SnapshotSuccess {
			succeeded[k][f.name.Part] = true
		}
	}
	sort.Slice(sets, func(i, j int) bool {
		if sets[i].version != sets[j].version {
			return optimize.VersionLess(sets[i].version, sets[j].version)
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
		c.State = optimize.StateCompleted
		return
	}
	var failed, incompatible, running []string
	for _, f := range fs {
		switch f.snap.State {
		case optimize.SnapshotFailed, optimize.SnapshotPartial:
			r := fmt.Sprintf("%s is %s", f.snap.Name, f.snap.State)
			if f.snap.Reason != "" {
				r += ": " + f.snap.Reason
			}
			failed = append(failed, r)
		case optimize.SnapshotIncompatible:
			incompatible = append(incompatible, f.snap.Name)
		case optimize.SnapshotInProgress:
			running = append(running, f.snap.Name)
		}
	}
	switch {
	case len(failed) > 0:
		c.State, c.Reason = optimize.StateFailed, strings.Join(failed, "; ")
		return
	case len(incompatible) > 0:
		c.State, c.Reason = optimize.StateIncompatible, strings.Join(incompatible, ", ")+" INCOMPATIBLE"
		return
	case len(running) > 0:
		c.State, c.Reason = optimize.StateInProgress, strings.Join(running, ", ")+" IN_PROGRESS"
		return
	}
	c.State = optimize.StateIncomplete
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
func missingNames(family Component, id optimize.BackupID, version, camundaVersion string, parts int, present map[int]bool) []string {
	if family == Records {
		if len(present) == 0 {
			return []string{recordsSnapshotPrefix + string(id)}
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
