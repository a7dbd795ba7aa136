// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// platformSet is the snapshots of backup id of each family: family ->
// (version, parts).
func platformSet(id string, families map[string][2]string) []Snapshot {
	var out []Snapshot
	for family, vp := range families {
		if family == FamilyZeebeRecords {
			out = append(out, Snapshot{Name: "camunda_zeebe_records_backup_" + id, State: SnapshotSuccess})
			continue
		}
		parts, err := strconv.Atoi(vp[1])
		if err != nil {
			panic(err)
		}
		for n := 1; n <= parts; n++ {
			out = append(out, Snapshot{Name: fmt.Sprintf("camunda_%s_%s_%s_part_%d_of_%d", family, id, vp[0], n, parts), State: SnapshotSuccess})
		}
	}
	return out
}

func oneRepository(string) string { return "backups" }

func TestEvaluatePlatformBackup(t *testing.T) {
	set88 := map[string][2]string{FamilyOptimize: {"8.8.2", "2"}, FamilyWebapps: {"8.8.5", "5"}, FamilyZeebeRecords: {}}
	set87 := map[string][2]string{FamilyOptimize: {"8.7.1", "2"}, FamilyOperate: {"8.7.3", "6"}, FamilyTasklist: {"8.7.3", "6"}, FamilyZeebeRecords: {}}
	without := func(snaps []Snapshot, name string) []Snapshot {
		var out []Snapshot
		for _, s := range snaps {
			if s.Name != name {
				out = append(out, s)
			}
		}
		return out
	}
	with := func(snaps []Snapshot, name, state, reason string) []Snapshot {
		out := append([]Snapshot{}, snaps...)
		for i := range out {
			if out[i].Name == name {
				out[i].State, out[i].Reason = state, reason
			}
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		snaps       []Snapshot
		expect      []string
		state       State
		version     string
		missing     []string
		reasonHas   string
		componentsN int
	}{
		{name: "8.8: optimize 2, webapps 5, records 1", snaps: platformSet("5", set88), state: StateCompleted, version: "8.8.5", componentsN: 3},
		{name: "8.7: optimize 2, operate 6, tasklist 6, records 1", snaps: platformSet("5", set87), state: StateCompleted, version: "8.7.3", componentsN: 4},
		{
			name: "a webapps part missing", snaps: without(platformSet("5", set88), "camunda_webapps_5_8.8.5_part_3_of_5"),
			state: StateIncomplete, version: "8.8.5", missing: []string{"camunda_webapps_5_8.8.5_part_3_of_5"}, reasonHas: "webapps: 4 of 5 parts", componentsN: 3,
		},
		{
			name: "the Zeebe records missing", snaps: without(platformSet("5", set88), "camunda_zeebe_records_backup_5"),
			state: StateIncomplete, version: "8.8.5", missing: []string{"camunda_zeebe_records_backup_5"}, componentsN: 3,
		},
		{
			name: "a FAILED part", snaps: with(platformSet("5", set87), "camunda_operate_5_8.7.3_part_4_of_6", SnapshotFailed, "disk full"),
			state: StateFailed, version: "8.7.3", reasonHas: "camunda_operate_5_8.7.3_part_4_of_6 is FAILED: disk full", componentsN: 4,
		},
		{
			name:  "a component of another version",
			snaps: append(without(platformSet("5", set88), "camunda_optimize_5_8.8.2_part_1_of_2"), platformSet("5", map[string][2]string{FamilyOptimize: {"8.7.1", "2"}})[0]),
			state: StateIncomplete, version: "8.8.5", missing: []string{"camunda_optimize_5_8.8.2_part_1_of_2"},
			reasonHas: "camunda_optimize_5_8.7.1_part_1_of_2 is of Camunda 8.7.1, the backup's other snapshots of 8.8.5", componentsN: 3,
		},
		{
			name:  "50's snapshots never count for 5",
			snaps: append(without(platformSet("5", set88), "camunda_zeebe_records_backup_5"), platformSet("50", set88)...),
			state: StateIncomplete, version: "8.8.5", missing: []string{"camunda_zeebe_records_backup_5"}, componentsN: 3,
		},
		{
			name: "expect: a platform without exported records", snaps: without(platformSet("5", set88), "camunda_zeebe_records_backup_5"),
			expect: []string{FamilyOptimize, FamilyWebapps}, state: StateCompleted, version: "8.8.5", componentsN: 2,
		},
		{
			name: "an IN_PROGRESS part", snaps: with(platformSet("5", set88), "camunda_webapps_5_8.8.5_part_5_of_5", SnapshotInProgress, ""),
			state: StateInProgress, version: "8.8.5", componentsN: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pb, err := EvaluatePlatformBackup("5", map[string][]Snapshot{"backups": tc.snaps}, oneRepository, tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			if pb.State != tc.state || pb.CamundaVersion != tc.version || !reflect.DeepEqual(pb.Missing, tc.missing) ||
				!strings.Contains(pb.FailureReason, tc.reasonHas) || len(pb.Components) != tc.componentsN {
				t.Fatalf("state %s, version %s, missing %v, %d components, reason %q\nwant %s, %s, %v, %d, containing %q",
					pb.State, pb.CamundaVersion, pb.Missing, len(pb.Components), pb.FailureReason, tc.state, tc.version, tc.missing, tc.componentsN, tc.reasonHas)
			}
		})
	}
	if _, err := EvaluatePlatformBackup("7", map[string][]Snapshot{"backups": platformSet("5", set88)}, oneRepository, nil); !errors.Is(err, ErrBackupNotFound) {
		t.Fatalf("no snapshot of 7: %v", err)
	}
}

func TestParsePlatformSnapshotName(t *testing.T) {
	for name, want := range map[string]PlatformSnapshotName{
		"camunda_webapps_5_8.8.0_part_3_of_5":           {Family: FamilyWebapps, ID: "5", Version: "8.8.0", Part: 3, Parts: 5},
		"camunda_operate_50_8.7.0-SNAPSHOT_part_1_of_6": {Family: FamilyOperate, ID: "50", Version: "8.7.0-SNAPSHOT", Part: 1, Parts: 6},
		"camunda_zeebe_records_backup_1764633600":       {Family: FamilyZeebeRecords, ID: "1764633600", Part: 1, Parts: 1},
	} {
		if got, ok := ParsePlatformSnapshotName(name); !ok || got != want {
			t.Errorf("%s: %+v %v", name, got, ok)
		}
	}
	for _, name := range []string{"camunda_webapps_5_8.8.0_part_6_of_5", "camunda_other_5_8.8.0_part_1_of_2", "camunda_zeebe_records_backup_x", "camunda_optimize_x_8.8.0_part_1_of_2"} {
		if _, ok := ParsePlatformSnapshotName(name); ok {
			t.Errorf("%s parsed", name)
		}
	}
}

// named is a snapshot of the given name and state.
func named(name, state string) Snapshot { return Snapshot{Name: name, State: state} }

// webapps885 and records5 complete an 8.8 platform backup 5 besides its
// Optimize family.
func webapps885AndRecords5() []Snapshot {
	return platformSet("5", map[string][2]string{FamilyWebapps: {"8.8.5", "5"}, FamilyZeebeRecords: {}})
}

// A family is one version (the full X.Y.Z), as one Optimize backup is:
// parts of two patch versions make no backup, whatever the platform's
// minor version. Written out from the spec's section 4 and 11, not from
// the code.
func TestEvaluatePlatformBackup_mixedPatchVersionsInAFamily(t *testing.T) {
	for _, tc := range []struct {
		name       string
		snaps      []Snapshot
		state      State
		family     string
		famState   State
		famVersion string
		missing    []string
		reasonHas  []string
	}{
		{
			name: "Optimize part 1 at 8.8.0, part 2 at 8.8.1",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", SnapshotSuccess)),
			state: StateIncomplete, family: FamilyOptimize, famState: StateIncomplete, famVersion: "8.8.1",
			missing: []string{"camunda_optimize_5_8.8.0_part_2_of_2", "camunda_optimize_5_8.8.1_part_1_of_2"},
			reasonHas: []string{
				"optimize: no complete set of parts",
				"its snapshots are of 2 versions (8.8.0: part 1 of 2; 8.8.1: part 2 of 2), and parts of different versions make no backup",
				"missing: camunda_optimize_5_8.8.0_part_2_of_2, camunda_optimize_5_8.8.1_part_1_of_2",
			},
		},
		{
			name: "web apps parts 1-3 at 8.8.0, 4-5 at 8.8.1",
			snaps: append(platformSet("5", map[string][2]string{FamilyOptimize: {"8.8.2", "2"}, FamilyZeebeRecords: {}}),
				named("camunda_webapps_5_8.8.0_part_1_of_5", SnapshotSuccess),
				named("camunda_webapps_5_8.8.0_part_2_of_5", SnapshotSuccess),
				named("camunda_webapps_5_8.8.0_part_3_of_5", SnapshotSuccess),
				named("camunda_webapps_5_8.8.1_part_4_of_5", SnapshotSuccess),
				named("camunda_webapps_5_8.8.1_part_5_of_5", SnapshotSuccess)),
			state: StateIncomplete, family: FamilyWebapps, famState: StateIncomplete, famVersion: "8.8.1",
			missing: []string{
				"camunda_webapps_5_8.8.0_part_4_of_5", "camunda_webapps_5_8.8.0_part_5_of_5",
				"camunda_webapps_5_8.8.1_part_1_of_5", "camunda_webapps_5_8.8.1_part_2_of_5", "camunda_webapps_5_8.8.1_part_3_of_5",
			},
			reasonHas: []string{"webapps: no complete set of parts", "(8.8.0: part 1, 2, 3 of 5; 8.8.1: part 4, 5 of 5)"},
		},
		{
			name: "a complete 8.8.1 pair and a stray 8.8.0 part 1: the pair is the backup",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_1_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", SnapshotSuccess)),
			state: StateCompleted, family: FamilyOptimize, famState: StateCompleted, famVersion: "8.8.1",
		},
		{
			name: "a complete 8.8.0 pair and a FAILED 8.8.1 part 1: the pair is the backup",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.0_part_2_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_1_of_2", SnapshotFailed)),
			state: StateCompleted, family: FamilyOptimize, famState: StateCompleted, famVersion: "8.8.0",
		},
		{
			name: "complete pairs of 8.8.0 and 8.8.1: the newest",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.0_part_2_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_1_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", SnapshotSuccess)),
			state: StateCompleted, family: FamilyOptimize, famState: StateCompleted, famVersion: "8.8.1",
		},
		{
			name: "two part 2s of two patch versions",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_2_of_2", SnapshotSuccess),
				named("camunda_optimize_5_8.8.1_part_2_of_2", SnapshotSuccess)),
			state: StateIncomplete, family: FamilyOptimize, famState: StateIncomplete, famVersion: "8.8.1",
			missing: []string{"camunda_optimize_5_8.8.0_part_1_of_2", "camunda_optimize_5_8.8.1_part_1_of_2"},
		},
		{
			name: "a FAILED part 1 and a SUCCESS part 2 of another patch version",
			snaps: append(webapps885AndRecords5(),
				named("camunda_optimize_5_8.8.0_part_1_of_2", SnapshotFailed),
				named("camunda_optimize_5_8.8.1_part_2_of_2", SnapshotSuccess)),
			state: StateFailed, family: FamilyOptimize, famState: StateFailed, famVersion: "8.8.1",
			reasonHas: []string{"optimize: camunda_optimize_5_8.8.0_part_1_of_2 is FAILED"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pb, err := EvaluatePlatformBackup("5", map[string][]Snapshot{"backups": tc.snaps}, oneRepository, nil)
			if err != nil {
				t.Fatal(err)
			}
			var c *ComponentBackup
			for i := range pb.Components {
				if pb.Components[i].Family == tc.family {
					c = &pb.Components[i]
				}
			}
			if c == nil {
				t.Fatalf("no component %s: %+v", tc.family, pb.Components)
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
			if tc.family == FamilyOptimize {
				var own []Snapshot
				for _, s := range tc.snaps {
					if strings.HasPrefix(s.Name, "camunda_optimize_") {
						own = append(own, s)
					}
				}
				b, err := NewBackup("backups", "5", own)
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
func TestEvaluatePlatformBackup_familiesOutsideExpectDoNotCount(t *testing.T) {
	complete88 := platformSet("5", map[string][2]string{FamilyOptimize: {"8.8.2", "2"}, FamilyWebapps: {"8.8.5", "5"}})
	for _, tc := range []struct {
		name    string
		snaps   []Snapshot
		expect  []string
		version string
	}{
		{name: "a FAILED Zeebe records snapshot", expect: []string{FamilyOptimize, FamilyWebapps}, version: "8.8.5",
			snaps: append(append([]Snapshot{}, complete88...), named("camunda_zeebe_records_backup_5", SnapshotFailed))},
		{name: "an IN_PROGRESS Zeebe records snapshot", expect: []string{FamilyOptimize, FamilyWebapps}, version: "8.8.5",
			snaps: append(append([]Snapshot{}, complete88...), named("camunda_zeebe_records_backup_5", SnapshotInProgress))},
		{name: "an INCOMPATIBLE Zeebe records snapshot", expect: []string{FamilyOptimize, FamilyWebapps}, version: "8.8.5",
			snaps: append(append([]Snapshot{}, complete88...), named("camunda_zeebe_records_backup_5", SnapshotIncompatible))},
		{name: "an incomplete Operate of the same minor version", expect: []string{FamilyOptimize, FamilyWebapps}, version: "8.8.5",
			snaps: append(append([]Snapshot{}, complete88...), named("camunda_operate_5_8.8.5_part_1_of_6", SnapshotSuccess))},
		{name: "a Tasklist part of another minor version", expect: []string{FamilyOptimize, FamilyWebapps}, version: "8.8.5",
			snaps: append(append([]Snapshot{}, complete88...), named("camunda_tasklist_5_8.7.3_part_1_of_6", SnapshotSuccess))},
		{name: "Operate and Tasklist of 8.7 outnumber the expected 8.8 families", expect: []string{FamilyOptimize, FamilyZeebeRecords}, version: "8.8.2",
			snaps: platformSet("5", map[string][2]string{FamilyOptimize: {"8.8.2", "2"}, FamilyZeebeRecords: {}, FamilyOperate: {"8.7.3", "6"}, FamilyTasklist: {"8.7.3", "6"}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pb, err := EvaluatePlatformBackup("5", map[string][]Snapshot{"backups": tc.snaps}, oneRepository, tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			if pb.State != StateCompleted || pb.CamundaVersion != tc.version || pb.FailureReason != "" || len(pb.Missing) != 0 {
				t.Fatalf("state %s, version %s, missing %v, reason %q; want COMPLETED at %s", pb.State, pb.CamundaVersion, pb.Missing, pb.FailureReason, tc.version)
			}
			listed := 0
			for _, c := range pb.Components {
				if !slices.Contains(tc.expect, c.Family) {
					listed++
					if !strings.HasSuffix(c.Reason, "(not expected: not counted)") {
						t.Errorf("%s is listed without saying it is not counted: %q", c.Family, c.Reason)
					}
				}
			}
			if listed == 0 {
				t.Errorf("the family outside expect is not listed: %+v", pb.Components)
			}
		})
	}
}

// A repository that is not registered names the families read from it and
// where each of them is told its repository: never Optimize's setting for
// another family's repository (the message named only
// CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME, whatever the family).
func TestGetPlatformBackup_unregisteredRepositoryNamesTheFamily(t *testing.T) {
	f := newFakeCluster() // "backups" is registered
	s := &Service{Cluster: f}
	for _, tc := range []struct {
		name    string
		repos   map[string]string // family -> repository; "backups" otherwise
		expect  []string
		want    []string
		notWant []string
	}{
		{
			name: "the Zeebe records", repos: map[string]string{FamilyZeebeRecords: "records"},
			want:    []string{`repository "records"`, "the zeebe_records backup", "zeebe_records: no component setting names it", "camunda_zeebe_records_backup_<id>"},
			notWant: []string{"CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME", "optimize:"},
		},
		{
			name: "the web apps", repos: map[string]string{FamilyWebapps: "webapps-repo"},
			want:    []string{`repository "webapps-repo"`, "the webapps backup", "camunda.data.secondary-storage.elasticsearch.backup.repository-name", "camunda.data.backup.repository-name"},
			notWant: []string{"CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"},
		},
		{
			name: "Operate and Tasklist of 8.7 in one repository", repos: map[string]string{FamilyOperate: "legacy", FamilyTasklist: "legacy"},
			expect:  []string{FamilyOptimize, FamilyOperate, FamilyTasklist, FamilyZeebeRecords},
			want:    []string{"the operate, tasklist backup", "camunda.operate.backup.repositoryName", "camunda.tasklist.backup.repositoryName"},
			notWant: []string{"CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"},
		},
		{
			name: "Optimize's", repos: map[string]string{FamilyOptimize: "optimize-repo"},
			want:    []string{"the optimize backup", "CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"},
			notWant: []string{"zeebe_records:", "webapps:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repositoryOf := func(family string) string {
				if r := tc.repos[family]; r != "" {
					return r
				}
				return "backups"
			}
			_, err := s.GetPlatformBackup(context.Background(), "5", repositoryOf, tc.expect)
			var missing *PlatformRepositoryMissingError
			if !errors.As(err, &missing) || !errors.Is(err, ErrRepositoryMissing) {
				t.Fatalf("want a PlatformRepositoryMissingError, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message lacks %q:\n%s", w, err)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("message has %q:\n%s", w, err)
				}
			}
		})
	}
}
