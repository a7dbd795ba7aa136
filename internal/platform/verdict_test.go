// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// platformSet is the snapshots of backup id of each family: family ->
// (version, parts).
func platformSet(id string, families map[Component][2]string) []optimize.Snapshot {
	var out []optimize.Snapshot
	for family, vp := range families {
		if family == Records {
			out = append(out, optimize.Snapshot{Name: "camunda_zeebe_records_backup_" + id, State: optimize.SnapshotSuccess})
			continue
		}
		parts, err := strconv.Atoi(vp[1])
		if err != nil {
			panic(err)
		}
		for n := 1; n <= parts; n++ {
			out = append(out, optimize.Snapshot{Name: fmt.Sprintf("camunda_%s_%s_%s_part_%d_of_%d", family, id, vp[0], n, parts), State: optimize.SnapshotSuccess})
		}
	}
	return out
}

func oneRepository(Component) string { return "backups" }

func TestEvaluateFamilies(t *testing.T) {
	set88 := map[Component][2]string{Optimize: {"8.8.2", "2"}, Webapps: {"8.8.5", "5"}, Records: {}}
	set87 := map[Component][2]string{Optimize: {"8.7.1", "2"}, Operate: {"8.7.3", "6"}, Tasklist: {"8.7.3", "6"}, Records: {}}
	without := func(snaps []optimize.Snapshot, name string) []optimize.Snapshot {
		var out []optimize.Snapshot
		for _, s := range snaps {
			if s.Name != name {
				out = append(out, s)
			}
		}
		return out
	}
	with := func(snaps []optimize.Snapshot, name, state, reason string) []optimize.Snapshot {
		out := append([]optimize.Snapshot{}, snaps...)
		for i := range out {
			if out[i].Name == name {
				out[i].State, out[i].Reason = state, reason
			}
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		snaps       []optimize.Snapshot
		expect      []Component
		state       optimize.State
		version     string
		missing     []string
		reasonHas   string
		componentsN int
	}{
		{name: "8.8: optimize 2, webapps 5, records 1", snaps: platformSet("5", set88), state: optimize.StateCompleted, version: "8.8.5", componentsN: 3},
		{name: "8.7: optimize 2, operate 6, tasklist 6, records 1", snaps: platformSet("5", set87), state: optimize.StateCompleted, version: "8.7.3", componentsN: 4},
		{
			name: "a webapps part missing", snaps: without(platformSet("5", set88), "camunda_webapps_5_8.8.5_part_3_of_5"),
			state: optimize.StateIncomplete, version: "8.8.5", missing: []string{"camunda_webapps_5_8.8.5_part_3_of_5"}, reasonHas: "webapps: 4 of 5 parts", componentsN: 3,
		},
		{
			name: "the Zeebe records missing", snaps: without(platformSet("5", set88), "camunda_zeebe_records_backup_5"),
			state: optimize.StateIncomplete, version: "8.8.5", missing: []string{"camunda_zeebe_records_backup_5"}, componentsN: 3,
		},
		{
			name: "a FAILED part", snaps: with(platformSet("5", set87), "camunda_operate_5_8.7.3_part_4_of_6", optimize.SnapshotFailed, "disk full"),
			state: optimize.StateFailed, version: "8.7.3", reasonHas: "camunda_operate_5_8.7.3_part_4_of_6 is FAILED: disk full", componentsN: 4,
		},
		{
			name:  "a component of another version",
			snaps: append(without(platformSet("5", set88), "camunda_optimize_5_8.8.2_part_1_of_2"), platformSet("5", map[Component][2]string{Optimize: {"8.7.1", "2"}})[0]),
			state: optimize.StateIncomplete, version: "8.8.5", missing: []string{"camunda_optimize_5_8.8.2_part_1_of_2"},
			reasonHas: "camunda_optimize_5_8.7.1_part_1_of_2 is of Camunda 8.7.1, the backup's other snapshots of 8.8.5", componentsN: 3,
		},
		{
			name:  "50's snapshots never count for 5",
			snaps: append(without(platformSet("5", set88), "camunda_zeebe_records_backup_5"), platformSet("50", set88)...),
			state: optimize.StateIncomplete, version: "8.8.5", missing: []string{"camunda_zeebe_records_backup_5"}, componentsN: 3,
		},
		{
			name: "expect: a platform without exported records", snaps: without(platformSet("5", set88), "camunda_zeebe_records_backup_5"),
			expect: []Component{Optimize, Webapps}, state: optimize.StateCompleted, version: "8.8.5", componentsN: 2,
		},
		{
			name: "an IN_PROGRESS part", snaps: with(platformSet("5", set88), "camunda_webapps_5_8.8.5_part_5_of_5", optimize.SnapshotInProgress, ""),
			state: optimize.StateInProgress, version: "8.8.5", componentsN: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pb, err := EvaluateFamilies("5", map[string][]optimize.Snapshot{"backups": tc.snaps}, oneRepository, tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			if pb.State != tc.state || pb.CamundaVersion != tc.version || !reflect.DeepEqual(pb.Missing, tc.missing) ||
				!strings.Contains(pb.FailureReason, tc.reasonHas) || len(pb.Families) != tc.componentsN {
				t.Fatalf("state %s, version %s, missing %v, %d components, reason %q\nwant %s, %s, %v, %d, containing %q",
					pb.State, pb.CamundaVersion, pb.Missing, len(pb.Families), pb.FailureReason, tc.state, tc.version, tc.missing, tc.componentsN, tc.reasonHas)
			}
		})
	}
	if _, err := EvaluateFamilies("7", map[string][]optimize.Snapshot{"backups": platformSet("5", set88)}, oneRepository, nil); !errors.Is(err, optimize.ErrBackupNotFound) {
		t.Fatalf("no snapshot of 7: %v", err)
	}
}

// named is a snapshot of the given name and state.
func named(name, state string) optimize.Snapshot { return optimize.Snapshot{Name: name, State: state} }

// webapps885 and records5 complete an 8.8 platform backup 5 besides its
// Optimize family.
func webapps885AndRecords5() []optimize.Snapshot {
	return platformSet("5", map[Component][2]string{Webapps: {"8.8.5", "5"}, Records: {}})
}

// mixedPatchCase is a platform backup 5 whose family has parts of two patch
// versions, and what the verdict must say of it.
type mixedPatchCase struct {
	name       string
	snaps      []optimize.Snapshot
	state      optimize.State
	family     Component
	famState   optimize.State
	famVersion string
	missing    []string
	reasonHas  []string
}

// mixedPatchCases are TestEvaluateFamilies_mixedPatchVersionsInAFamily's.
func mixedPatchCases() []mixedPatchCase {
	return []mixedPatchCase{
		{
			name: "Optimize part 1 at 8.8.0, part 2 at 8.8.1",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", optimize.SnapshotSuccess)),
			state: optimize.StateIncomplete, family: Optimize, famState: optimize.StateIncomplete, famVersion: "8.8.1",
			missing: []string{"camunda_optimize_5_8.8.0_part_2_of_2", "camunda_optimize_5_8.8.1_part_1_of_2"},
			reasonHas: []string{
				"optimize: no complete set of parts",
				"its snapshots are of 2 versions (8.8.0: part 1 of 2; 8.8.1: part 2 of 2), and parts of different versions make no backup",
				"missing: camunda_optimize_5_8.8.0_part_2_of_2, camunda_optimize_5_8.8.1_part_1_of_2",
			},
		},
		{
			name: "web apps parts 1-3 at 8.8.0, 4-5 at 8.8.1",
			snaps: append(platformSet("5", map[Component][2]string{Optimize: {"8.8.2", "2"}, Records: {}}),
				named("camunda_webapps_5_8.8.0_part_1_of_5", optimize.SnapshotSuccess),
				named("camunda_webapps_5_8.8.0_part_2_of_5", optimize.SnapshotSuccess),
				named("camunda_webapps_5_8.8.0_part_3_of_5", optimize.SnapshotSuccess),
				named("camunda_webapps_5_8.8.1_part_4_of_5", optimize.SnapshotSuccess),
				named("camunda_webapps_5_8.8.1_part_5_of_5", optimize.SnapshotSuccess)),
			state: optimize.StateIncomplete, family: Webapps, famState: optimize.StateIncomplete, famVersion: "8.8.1",
			missing: []string{
				"camunda_webapps_5_8.8.0_part_4_of_5", "camunda_webapps_5_8.8.0_part_5_of_5",
				"camunda_webapps_5_8.8.1_part_1_of_5", "camunda_webapps_5_8.8.1_part_2_of_5", "camunda_webapps_5_8.8.1_part_3_of_5",
			},
			reasonHas: []string{"webapps: no complete set of parts", "(8.8.0: part 1, 2, 3 of 5; 8.8.1: part 4, 5 of 5)"},
		},
		{
			name: "a complete 8.8.1 pair and a stray 8.8.0 part 1: the pair is the backup",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_1_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", optimize.SnapshotSuccess)),
			state: optimize.StateCompleted, family: Optimize, famState: optimize.StateCompleted, famVersion: "8.8.1",
		},
		{
			name: "a complete 8.8.0 pair and a FAILED 8.8.1 part 1: the pair is the backup",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.0_part_2_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_1_of_2", optimize.SnapshotFailed)),
			state: optimize.StateCompleted, family: Optimize, famState: optimize.StateCompleted, famVersion: "8.8.0",
		},
		{
			name: "complete pairs of 8.8.0 and 8.8.1: the newest",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.0_part_2_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_1_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", optimize.SnapshotSuccess)),
			state: optimize.StateCompleted, family: Optimize, famState: optimize.StateCompleted, famVersion: "8.8.1",
		},
		{
			name: "two part 2s of two patch versions",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_2_of_2", optimize.SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", optimize.SnapshotSuccess)),
			state: optimize.StateIncomplete, family: Optimize, famState: optimize.StateIncomplete, famVersion: "8.8.1",
			missing: []string{"camunda_optimize_5_8.8.0_part_1_of_2", "camunda_optimize_5_8.8.1_part_1_of_2"},
		},
		{
			name: "a FAILED part 1 and a SUCCESS part 2 of another patch version",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", optimize.SnapshotFailed),
				named("camunda_optimize_5_8.8.1_part_2_of_2", optimize.SnapshotSuccess)),
			state: optimize.StateFailed, family: Optimize, famState: optimize.StateFailed, famVersion: "8.8.1",
			reasonHas: []string{"optimize: camunda_optimize_5_8.8.0_part_1_of_2 is FAILED"},
		},
	}
}

// A family is one version (the full X.Y.Z), as one Optimize backup is:
// parts of two patch versions make no backup, whatever the platform's
// minor version. Written out from the spec's section 4 and 11, not from
// the code.
func TestEvaluateFamilies_mixedPatchVersionsInAFamily(t *testing.T) {
	for _, tc := range mixedPatchCases() {
		t.Run(tc.name, func(t *testing.T) {
			pb, err := EvaluateFamilies("5", map[string][]optimize.Snapshot{"backups": tc.snaps}, oneRepository, nil)
			if err != nil {
				t.Fatal(err)
			}
			var c *FamilyBackup
			for i := range pb.Families {
				if pb.Families[i].Family == tc.family {
					c = &pb.Families[i]
				}
			}
			if c == nil {
				t.Fatalf("no component %s: %+v", tc.family, pb.Families)
			}
			if pb.State != tc.state || c.State != tc.famState || c.Version != tc.famVersion || !reflect.DeepEqual(pb.Missing, tc.missing) {
				t.Errorf("backup %s, %s %s at %q, missing %v\nwant %s, %s at %q, missing %v\nreason: %s",
					pb.State, tc.family, c.State, c.Version, pb.Missing, tc.state, tc.famState, tc.famVersion, tc.missing, pb.FailureReason)
			}
			for _, want := range tc.reasonHas {
				if !strings.Contains(pb.FailureReason, want) {
					t.Errorf("reason %q lacks %q", pb.FailureReason, want)
				}
			}
			// The gate and optimize_backup_state (NewBackup, what the
			// restore checks) never disagree on Optimize's family.
			if tc.family == Optimize {
				var own []optimize.Snapshot
				for _, s := range tc.snaps {
					if strings.HasPrefix(s.Name, "camunda_optimize_") {
						own = append(own, s)
					}
				}
				b, err := optimize.NewBackup("backups", "5", own)
				if err != nil {
					t.Fatal(err)
				}
				if b.State != c.State {
					t.Errorf("optimize_backup_state says %s, the platform's optimize family %s", b.State, c.State)
				}
			}
		})
	}
}

// A family that is not expected is listed but never changes the verdict: not
// when it failed, runs, is of another minor version, or outnumbers the
// expected ones.
func TestEvaluateFamilies_familiesOutsideExpectDoNotCount(t *testing.T) {
	complete88 := platformSet("5", map[Component][2]string{Optimize: {"8.8.2", "2"}, Webapps: {"8.8.5", "5"}})
	for _, tc := range []struct {
		name    string
		snaps   []optimize.Snapshot
		expect  []Component
		version string
	}{
		{name: "a FAILED Zeebe records snapshot", expect: []Component{Optimize, Webapps}, version: "8.8.5",
			snaps: append(append([]optimize.Snapshot{}, complete88...), named("camunda_zeebe_records_backup_5", optimize.SnapshotFailed))},
		{name: "an IN_PROGRESS Zeebe records snapshot", expect: []Component{Optimize, Webapps}, version: "8.8.5",
			snaps: append(append([]optimize.Snapshot{}, complete88...), named("camunda_zeebe_records_backup_5", optimize.SnapshotInProgress))},
		{name: "an INCOMPATIBLE Zeebe records snapshot", expect: []Component{Optimize, Webapps}, version: "8.8.5",
			snaps: append(append([]optimize.Snapshot{}, complete88...), named("camunda_zeebe_records_backup_5", optimize.SnapshotIncompatible))},
		{name: "an incomplete Operate of the same minor version", expect: []Component{Optimize, Webapps}, version: "8.8.5",
			snaps: append(append([]optimize.Snapshot{}, complete88...), named("camunda_operate_5_8.8.5_part_1_of_6", optimize.SnapshotSuccess))},
		{name: "a Tasklist part of another minor version", expect: []Component{Optimize, Webapps}, version: "8.8.5",
			snaps: append(append([]optimize.Snapshot{}, complete88...), named("camunda_tasklist_5_8.7.3_part_1_of_6", optimize.SnapshotSuccess))},
		{name: "Operate and Tasklist of 8.7 outnumber the expected 8.8 families", expect: []Component{Optimize, Records}, version: "8.8.2",
			snaps: platformSet("5", map[Component][2]string{Optimize: {"8.8.2", "2"}, Records: {}, Operate: {"8.7.3", "6"}, Tasklist: {"8.7.3", "6"}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pb, err := EvaluateFamilies("5", map[string][]optimize.Snapshot{"backups": tc.snaps}, oneRepository, tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			if pb.State != optimize.StateCompleted || pb.CamundaVersion != tc.version || pb.FailureReason != "" || len(pb.Missing) != 0 {
				t.Fatalf("state %s, version %s, missing %v, reason %q; want COMPLETED at %s", pb.State, pb.CamundaVersion, pb.Missing, pb.FailureReason, tc.version)
			}
			listed := 0
			for _, c := range pb.Families {
				if !slices.Contains(tc.expect, c.Family) {
					listed++
					if !strings.HasSuffix(c.Reason, "(not expected: not counted)") {
						t.Errorf("%s is listed without saying it is not counted: %q", c.Family, c.Reason)
					}
				}
			}
			if listed == 0 {
				t.Errorf("the family outside expect is not listed: %+v", pb.Families)
			}
		})
	}
}
