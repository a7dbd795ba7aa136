// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestListBackupsNewestFirstWithOneRequest(t *testing.T) {
	f := newFakeCluster()
	t0 := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)
	at := func(name string, start time.Duration, end time.Duration) {
		f.snapshots[name] = &Snapshot{Name: name, State: SnapshotSuccess, StartTime: t0.Add(start), EndTime: t0.Add(end)}
	}
	at("camunda_optimize_10_3.9.0_part_1_of_2", 0, time.Minute)
	at("camunda_optimize_10_3.9.0_part_2_of_2", time.Minute, 3*time.Minute)
	at("camunda_optimize_9_3.9.0_part_1_of_2", time.Hour, time.Hour+time.Minute)
	at("camunda_optimize_9_3.9.0_part_2_of_2", time.Hour+time.Minute, time.Hour+2*time.Minute)
	at("camunda_optimize_8_3.9.0_part_1_of_2", time.Hour, time.Hour+time.Minute) // same start as 9: the id decides
	at("camunda_optimize_not-ours", 2*time.Hour, 2*time.Hour)
	listing, err := newService(f).ListBackups(context.Background(), "backups")
	list := listing.Backups
	if err != nil {
		t.Fatal(err)
	}
	var ids []BackupID
	for _, b := range list {
		ids = append(ids, b.ID)
	}
	if want := []BackupID{"9", "8", "10"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("order = %v, want %v (newest first, then the higher id)", ids, want)
	}
	if want := []string{"get camunda_optimize_*"}; !reflect.DeepEqual(f.calls, want) {
		t.Errorf("requests = %v, want %v", f.calls, want)
	}
	if got := list[2].StartTime(); !got.Equal(t0) {
		t.Errorf("start of backup 10 = %v, want %v (its first snapshot's)", got, t0)
	}
	if got := list[2].EndTime(); !got.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("end of backup 10 = %v, want its last snapshot's", got)
	}
}

func TestBackupEndTimeIsZeroWhileASnapshotRuns(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)
	b := Backup{Snapshots: []Snapshot{
		{StartTime: t0, EndTime: t0.Add(time.Minute)},
		{StartTime: t0.Add(time.Minute)},
	}}
	if !b.EndTime().IsZero() {
		t.Errorf("end time = %v while part 2 runs, want zero", b.EndTime())
	}
	if !(Backup{}).StartTime().IsZero() {
		t.Error("a backup without snapshots has a start time")
	}
}

func TestListFilter(t *testing.T) {
	backups := []Backup{
		{ID: "1", State: StateCompleted, Version: "3.9.0"},
		{ID: "2", State: StateFailed, Version: "3.9.0"},
		{ID: "3", State: StateCompleted, Version: "8.8.0"},
	}
	for _, tc := range []struct {
		filter ListFilter
		want   []BackupID
	}{
		{ListFilter{}, []BackupID{"1", "2", "3"}},
		{ListFilter{State: StateCompleted}, []BackupID{"1", "3"}},
		{ListFilter{Version: "3.9.0"}, []BackupID{"1", "2"}},
		{ListFilter{State: StateCompleted, Version: "8.8.0"}, []BackupID{"3"}},
		{ListFilter{State: StateIncomplete}, nil},
	} {
		var got []BackupID
		for _, b := range tc.filter.Filter(backups) {
			got = append(got, b.ID)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestUnlistableIDs(t *testing.T) {
	backups := []Backup{{ID: "nightly"}, {ID: "007"}, {ID: "0"}, {ID: "20261124"}, {ID: "2147483648"}, {ID: "9223372036854775808"}}
	for _, tc := range []struct {
		version string
		want    []BackupID
	}{
		{"3.9.0", nil},
		{"3.10.0", []BackupID{"nightly", "007", "2147483648", "9223372036854775808"}}, // Integer.parseInt
		{"8.8.0", []BackupID{"nightly", "007", "9223372036854775808"}},                // Long.parseLong
		{"99.0.0", []BackupID{"nightly", "007", "9223372036854775808"}},               // newer than verified: as 8.10
		{"", nil},
	} {
		if got := UnlistableIDs(tc.version, backups); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Optimize %q: got %v, want %v", tc.version, got, tc.want)
		}
	}
}

func TestNewestVersion(t *testing.T) {
	for _, tc := range []struct {
		versions []string
		want     string
	}{
		{nil, ""},
		{[]string{"3.9.0"}, "3.9.0"},
		{[]string{"3.9.0", "3.10.0", "3.9.5"}, "3.10.0"}, // numeric, not lexical
		{[]string{"8.8.0", "", "8.10.1"}, "8.10.1"},
	} {
		backups := make([]Backup, len(tc.versions))
		for i, v := range tc.versions {
			backups[i] = Backup{ID: BackupID(fmt.Sprint(i)), Version: v}
		}
		if got := NewestVersion(backups); got != tc.want {
			t.Errorf("NewestVersion(%v) = %q, want %q", tc.versions, got, tc.want)
		}
	}
}

// Names under camunda_optimize_ that parse as no backup's are named when
// Optimize's own list cannot read them either.
func TestUnlistableNames(t *testing.T) {
	unparsed := []string{"camunda_optimize_x", "camunda_optimize_99999999999_x", "camunda_optimize_5_x_part_1_of_2", "camunda_optimize_99999999999999999999_y"}
	for _, tc := range []struct {
		version string
		want    []string
	}{
		{"3.9.0", nil},
		{"3.13.0", []string{"camunda_optimize_x", "camunda_optimize_99999999999_x", "camunda_optimize_99999999999999999999_y"}},
		{"8.8.0", []string{"camunda_optimize_x", "camunda_optimize_99999999999999999999_y"}},
	} {
		if got := UnlistableNames(tc.version, unparsed); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Optimize %s: got %v, want %v", tc.version, got, tc.want)
		}
	}
}

func TestMayBeUnlistable(t *testing.T) {
	if MayBeUnlistable([]Backup{{ID: "1"}, {ID: "2147483647"}}, nil) {
		t.Error("ids every numeric rule reads")
	}
	for _, tc := range []struct {
		backups  []Backup
		unparsed []string
	}{
		{[]Backup{{ID: "2147483648"}}, nil},
		{[]Backup{{ID: "nightly"}}, nil},
		{nil, []string{"camunda_optimize_x"}},
	} {
		if !MayBeUnlistable(tc.backups, tc.unparsed) {
			t.Errorf("%v %v: some release cannot list it", tc.backups, tc.unparsed)
		}
	}
}
