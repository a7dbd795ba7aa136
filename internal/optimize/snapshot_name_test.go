// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"strings"
	"testing"
)

func TestNormalizeVersion(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "3.9.0", want: "3.9.0"},
		{in: "8.6.0-SNAPSHOT", want: "8.6.0"},
		{in: "3.10.2-alpha1", want: "3.10.2"},
		{in: "3.9.0.1", want: "3.9.0"},
		{in: " 3.9.0 ", want: "3.9.0"},
		{in: "3.9", wantErr: "not of the form X.Y.Z"},
		{in: "", wantErr: "not of the form X.Y.Z"},
		{in: "v3.9.0", wantErr: "not of the form X.Y.Z"},
		{in: "latest", wantErr: "not of the form X.Y.Z"},
	}
	for _, tt := range tests {
		got, err := NormalizeVersion(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NormalizeVersion(%q) = %q, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeVersion(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestSnapshotNames(t *testing.T) {
	tests := []struct {
		id      BackupID
		version string
		want    []string
	}{
		{"1", "3.9.0", []string{"camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"}},
		{"nightly-2026-11-24", "8.6.0", []string{"camunda_optimize_nightly-2026-11-24_8.6.0_part_1_of_2", "camunda_optimize_nightly-2026-11-24_8.6.0_part_2_of_2"}},
	}
	for _, tt := range tests {
		got := SnapshotNames(tt.id, tt.version)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("SnapshotNames(%q, %q) = %v, want %v", tt.id, tt.version, got, tt.want)
		}
		for i, name := range got {
			p, ok := ParseSnapshotName(name)
			if !ok || p.ID != tt.id || p.Version != tt.version || p.Part != i+1 {
				t.Errorf("ParseSnapshotName(%q) = %+v, %v; want round trip", name, p, ok)
			}
		}
	}
	if got := SnapshotPattern("1"); got != "camunda_optimize_1_*" {
		t.Errorf("SnapshotPattern = %q", got)
	}
}

func TestParseSnapshotName(t *testing.T) {
	tests := []struct {
		name   string
		want   ParsedSnapshotName
		wantOK bool
	}{
		{"camunda_optimize_1_3.9.0_part_1_of_2", ParsedSnapshotName{"1", "3.9.0", 1}, true},
		{"camunda_optimize_12_3.9.0_part_2_of_2", ParsedSnapshotName{"12", "3.9.0", 2}, true},
		{"camunda_optimize_a.b-c_10.11.12_part_2_of_2", ParsedSnapshotName{"a.b-c", "10.11.12", 2}, true},
		// Ids that share a prefix parse to their own id only.
		{"camunda_optimize_123_3.9.0_part_1_of_2", ParsedSnapshotName{"123", "3.9.0", 1}, true},
		// Not Optimize's form: never a backup's snapshot.
		{"camunda_optimize_1_3.9.0_part_3_of_2", ParsedSnapshotName{}, false},
		{"camunda_optimize_1_3.9.0_part_1_of_3", ParsedSnapshotName{}, false},
		{"camunda_optimize_1_3.9.0_part_0_of_2", ParsedSnapshotName{}, false},
		{"camunda_optimize_1_8.6.0-snapshot_part_1_of_2", ParsedSnapshotName{}, false},
		{"camunda_optimize_1_3.9_part_1_of_2", ParsedSnapshotName{}, false},
		{"camunda_optimize_1_3.9.0_part_1_of_2_copy", ParsedSnapshotName{}, false},
		{"camunda_optimize__3.9.0_part_1_of_2", ParsedSnapshotName{}, false},
		{"camunda_operate_1_3.9.0_part_1_of_2", ParsedSnapshotName{}, false},
		{"camunda_optimize_Up_3.9.0_part_1_of_2", ParsedSnapshotName{}, false},
		{"nightly-snapshot-2026.11.24", ParsedSnapshotName{}, false},
		{"", ParsedSnapshotName{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseSnapshotName(tt.name)
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("ParseSnapshotName(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}
