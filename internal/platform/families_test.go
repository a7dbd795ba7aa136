// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"slices"
	"testing"
)

func TestParseSnapshotName(t *testing.T) {
	for name, want := range map[string]SnapshotName{
		"camunda_webapps_5_8.8.0_part_3_of_5":           {Family: Webapps, ID: "5", Version: "8.8.0", Part: 3, Parts: 5},
		"camunda_operate_50_8.7.0-SNAPSHOT_part_1_of_6": {Family: Operate, ID: "50", Version: "8.7.0-SNAPSHOT", Part: 1, Parts: 6},
		"camunda_zeebe_records_backup_1764633600":       {Family: Records, ID: "1764633600", Part: 1, Parts: 1},
	} {
		if got, ok := ParseSnapshotName(name); !ok || got != want {
			t.Errorf("%s: %+v %v", name, got, ok)
		}
	}
	for _, name := range []string{"camunda_webapps_5_8.8.0_part_6_of_5", "camunda_other_5_8.8.0_part_1_of_2", "camunda_zeebe_records_backup_x", "camunda_optimize_x_8.8.0_part_1_of_2"} {
		if _, ok := ParseSnapshotName(name); ok {
			t.Errorf("%s parsed", name)
		}
	}
}

// The families a complete backup of a version has are those its documented
// order takes: Operate and Tasklist apart before 8.8, the web apps together
// from 8.8 on, and the newest order for a version that is not X.Y.Z.
func TestExpectedFamilies(t *testing.T) {
	apart := []Component{Optimize, Operate, Tasklist, Records}
	together := []Component{Optimize, Webapps, Records}
	for version, want := range map[string][]Component{
		"8.5.2": apart, "8.6.0": apart, "8.7.3": apart,
		"8.8.0": together, "8.9.1": together, "8.10.0": together, "8.12.0": together, "": together, "8.8": together,
	} {
		got := ExpectedFamilies(version)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ExpectedFamilies(%q) = %v, want %v", version, got, want)
		}
	}
}
