// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"fmt"
	"reflect"
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
