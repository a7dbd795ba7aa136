// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

func installation(prefix string, extra ...string) []string {
	names := []string{
		"import-index_v3", "timestamp-based-import-index_v4", "position-based-import-index_v2",
		"metadata_v3", "process-definition_v6", "single-process-report_v10", "dashboard_v7",
		"process-instance-invoice_v8", "process-instance-order_process.v2_v8", "decision-instance-dish_v5",
		"event_v4-000001",
	}
	names = append(names, extra...)
	indices := make([]string, len(names))
	for i, n := range names {
		indices[i] = prefix + "-" + n
	}
	return indices
}

func TestSelectIndices(t *testing.T) {
	prodPart1 := []string{"optimize-import-index_v3", "optimize-position-based-import-index_v2", "optimize-timestamp-based-import-index_v4"}
	prodPart2 := []string{
		"optimize-dashboard_v7", "optimize-decision-instance-dish_v5", "optimize-event_v4-000001", "optimize-metadata_v3",
		"optimize-process-definition_v6", "optimize-process-instance-invoice_v8", "optimize-process-instance-order_process.v2_v8",
		"optimize-single-process-report_v10",
	}
	tests := []struct {
		name      string
		prefix    string
		indices   []string
		wantPart1 []string
		wantPart2 []string
		wantErr   string
	}{
		{
			name:      "one installation",
			prefix:    "optimize",
			indices:   installation("optimize"),
			wantPart1: prodPart1, wantPart2: prodPart2,
		},
		{
			name:   "foreign indices are never selected",
			prefix: "optimize",
			indices: append(installation("optimize"),
				"logs-2026.11.24", "operate-list-view-8.3.0_", "optimize",
				"optimize-reports-archive", "optimizer-report_v1", ".security-7"),
			wantPart1: prodPart1, wantPart2: prodPart2,
		},
		{
			name:      "a second installation with prefix optimize-staging is left alone",
			prefix:    "optimize",
			indices:   append(installation("optimize"), installation("optimize-staging")...),
			wantPart1: prodPart1, wantPart2: prodPart2,
		},
		{
			name:    "the second installation selects only its own",
			prefix:  "optimize-staging",
			indices: append(installation("optimize"), installation("optimize-staging")...),
			wantPart1: []string{"optimize-staging-import-index_v3", "optimize-staging-position-based-import-index_v2",
				"optimize-staging-timestamp-based-import-index_v4"},
			wantPart2: []string{
				"optimize-staging-dashboard_v7", "optimize-staging-decision-instance-dish_v5", "optimize-staging-event_v4-000001",
				"optimize-staging-metadata_v3", "optimize-staging-process-definition_v6", "optimize-staging-process-instance-invoice_v8",
				"optimize-staging-process-instance-order_process.v2_v8", "optimize-staging-single-process-report_v10",
			},
		},
		{
			name:      "a definition key ending in -metadata is not another installation",
			prefix:    "optimize",
			indices:   installation("optimize", "process-instance-x-metadata_v8"),
			wantPart1: prodPart1,
			wantPart2: append(append([]string{}, prodPart2[:7]...), append([]string{"optimize-process-instance-x-metadata_v8"}, prodPart2[7:]...)...),
		},
		{
			name:      "empty prefix means optimize",
			prefix:    "",
			indices:   installation("optimize"),
			wantPart1: prodPart1, wantPart2: prodPart2,
		},
		{name: "no index", prefix: "optimize", indices: []string{"logs"}, wantErr: `no index of the Optimize installation with index prefix "optimize"`},
		{name: "only the other installation", prefix: "optimize", indices: installation("optimize-staging"),
			wantErr: `no index of the Optimize installation with index prefix "optimize"`},
		{name: "no import index", prefix: "optimize", indices: []string{"optimize-metadata_v3"}, wantErr: "no index of part 1 (import-index, timestamp-based-import-index"},
		{name: "only import indices", prefix: "optimize", indices: []string{"optimize-import-index_v3"}, wantErr: "no index besides those of part 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SelectIndices(tt.prefix, tt.indices)
			if tt.wantErr != "" {
				var noIndex *NoOptimizeIndexError
				if !errors.As(err, &noIndex) || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Part1, tt.wantPart1) {
				t.Errorf("part 1 = %v\nwant %v", got.Part1, tt.wantPart1)
			}
			if !reflect.DeepEqual(got.Part2, tt.wantPart2) {
				t.Errorf("part 2 = %v\nwant %v", got.Part2, tt.wantPart2)
			}
		})
	}
}

// Index selection: two installations on one cluster, each with and without
// its import index, per-definition keys with '_' and '.', rollover indices,
// and leftovers. A leftover named like an Optimize index (a version suffix)
// is backed up in part 2 and named; anything else is never selected.
func TestSelectIndicesFor_twoInstallations(t *testing.T) {
	prod := func(withImport bool) []string {
		names := []string{
			"optimize-metadata_v3", "optimize-settings_v2", "optimize-process-definition_v6",
			"optimize-process-instance-invoice_v8", "optimize-process-instance-order_process.v2_v8",
			"optimize-process-instance-a_b.c-d_v8", "optimize-decision-instance-risk_check.v1_v5",
			"optimize-event_v4-000001", "optimize-event_v4-000002",
			"optimize-event-process-instance-flow_v5", "optimize-camunda-activity-event-invoice_v2",
			"optimize-timestamp-based-import-index_v4", "optimize-position-based-import-index_v2",
		}
		if withImport {
			names = append(names, "optimize-import-index_v3")
		}
		return names
	}
	staging := func(withImport bool) []string {
		names := []string{
			"optimize-staging-metadata_v3", "optimize-staging-settings_v2", "optimize-staging-process-definition_v6",
			"optimize-staging-process-instance-invoice_v8", "optimize-staging-timestamp-based-import-index_v4",
			"optimize-staging-job-registry_v1",
		}
		if withImport {
			names = append(names, "optimize-staging-import-index_v3")
		}
		return names
	}
	// Named like Optimize's indices: backed up, and named in the warning.
	unclassified := []string{"optimize-import-index-backup_v1", "optimize-process-instance-_v8", "optimize-unknown-thing_v1"}
	// Not named like Optimize's indices: never selected.
	foreign := []string{
		"optimize-metadata-old", "optimize-process-instance-invoice", "optimizer-metadata_v3",
		"optimize-Metadata_v3", "optimize-process-instance-invoice_v8-1",
	}
	for _, release := range Releases {
		for _, prodImport := range []bool{true, false} {
			for _, stagingImport := range []bool{true, false} {
				name := fmt.Sprintf("%s/prod import %v/staging import %v", release.Name, prodImport, stagingImport)
				t.Run(name, func(t *testing.T) {
					indices := slicesConcat(prod(prodImport), staging(stagingImport), unclassified, foreign)
					got, err := SelectIndicesFor(release, "optimize", indices)
					if err != nil {
						t.Fatal(err)
					}
					var want1, want2, wantUnclassified []string
					for _, idx := range slicesConcat(prod(prodImport), unclassified) {
						name, _ := optimizeNameOf("optimize", idx)
						switch {
						case release.IsPart1Index(name):
							want1 = append(want1, idx)
						case release.IsIndexClass(name):
							want2 = append(want2, idx)
						default:
							want2 = append(want2, idx)
							wantUnclassified = append(wantUnclassified, idx)
						}
					}
					sort.Strings(want1)
					sort.Strings(want2)
					sort.Strings(wantUnclassified)
					if !reflect.DeepEqual(got.Part1, want1) || !reflect.DeepEqual(got.Part2, want2) || !reflect.DeepEqual(got.Unclassified, wantUnclassified) {
						t.Fatalf("got part 1 %v\npart 2 %v\nunclassified %v\nwant part 1 %v\npart 2 %v\nunclassified %v",
							got.Part1, got.Part2, got.Unclassified, want1, want2, wantUnclassified)
					}
					for _, idx := range unclassified {
						if !strings.Contains(got.UnclassifiedIndicesWarning(), idx) {
							t.Errorf("the warning does not name %s: %s", idx, got.UnclassifiedIndicesWarning())
						}
					}

					got, err = SelectIndicesFor(release, "optimize-staging", indices)
					if err != nil {
						t.Fatal(err)
					}
					if all := got.All(); !reflect.DeepEqual(all, sorted(staging(stagingImport))) {
						t.Fatalf("staging selection %v, want all of %v", all, sorted(staging(stagingImport)))
					}
				})
			}
		}
	}
}

func slicesConcat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func sorted(list []string) []string {
	out := append([]string{}, list...)
	sort.Strings(out)
	return out
}

// Two installations whose prefixes nest, "optimize" and "optimize-event",
// both Optimize 8.10 (index versions from the 8.10 schema: metadata v3,
// position-based-import-index v3, timestamp-based-import-index v5,
// dashboard v8, process-definition v6). Every index under "optimize-event-"
// is that installation's, whatever its class: optimize-event-future-thing
// (a class no release has) and optimize-event-process-definition (which
// reads as event-process-definition, a class only 3.x had) included.
// Issue 25, items 1 and 2.
func TestSelectIndicesBeside_nested810Installations(t *testing.T) {
	outer := []string{
		"optimize-metadata_v3", "optimize-position-based-import-index_v3",
		"optimize-timestamp-based-import-index_v5", "optimize-dashboard_v8",
	}
	inner := []string{
		"optimize-event-metadata_v3", "optimize-event-position-based-import-index_v3",
		"optimize-event-timestamp-based-import-index_v5", "optimize-event-dashboard_v8",
		"optimize-event-process-definition_v6", "optimize-event-future-thing_v2-000003",
	}
	indices := append(append([]string{}, outer...), inner...)
	r810, _ := ReleaseFor("8.10.0")
	both := Neighbours{"optimize": r810, "optimize-event": r810}

	for _, n := range []Neighbours{nil, both} {
		got, err := SelectIndicesBeside(r810, "optimize", indices, n)
		if err != nil {
			t.Fatalf("optimize, neighbours %v: %v", n, err)
		}
		wantPart1 := []string{"optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5"}
		wantPart2 := []string{"optimize-dashboard_v8", "optimize-metadata_v3"}
		if !reflect.DeepEqual(got.Part1, wantPart1) || !reflect.DeepEqual(got.Part2, wantPart2) || len(got.Unclassified) != 0 {
			t.Fatalf("optimize, neighbours %v: part 1 %v, part 2 %v, unclassified %v; want %v, %v and none",
				n, got.Part1, got.Part2, got.Unclassified, wantPart1, wantPart2)
		}
	}

	// The inner installation, with the outer one's version read: 8.10 has no
	// event-process-definition, so process-definition is the inner one's.
	got, err := SelectIndicesBeside(r810, "optimize-event", indices, both)
	if err != nil {
		t.Fatal(err)
	}
	wantPart1 := []string{"optimize-event-position-based-import-index_v3", "optimize-event-timestamp-based-import-index_v5"}
	wantPart2 := []string{"optimize-event-dashboard_v8", "optimize-event-future-thing_v2-000003", "optimize-event-metadata_v3", "optimize-event-process-definition_v6"}
	if !reflect.DeepEqual(got.Part1, wantPart1) || !reflect.DeepEqual(got.Part2, wantPart2) ||
		!reflect.DeepEqual(got.Unclassified, []string{"optimize-event-future-thing_v2-000003"}) {
		t.Fatalf("optimize-event: part 1 %v, part 2 %v, unclassified %v", got.Part1, got.Part2, got.Unclassified)
	}
	// Without the outer installation's version, event-process-definition may
	// be its index: refused, named.
	_, err = SelectIndicesBeside(r810, "optimize-event", indices, nil)
	var ambiguous *AmbiguousIndexError
	if !errors.As(err, &ambiguous) || ambiguous.Index != "optimize-event-process-definition_v6" || ambiguous.Other != "optimize" {
		t.Fatalf("optimize-event, outer version unknown: err = %v, want optimize-event-process-definition_v6 named as ambiguous", err)
	}
}

// Optimize 3.12 "optimize" with its own event-sequence-count-x (3.x's
// per-definition family event-sequence-count-, index version 4) next to an
// installation "optimize-event": it is ours only when the other
// installation's version is known, verified, and has no class
// "sequence-count-x"; otherwise no backup guesses. An index that both
// versions have as a class (event-process-definition of 3.12, and
// process-definition of 3.12) is refused whatever is known.
func TestSelectIndicesBeside_ownClassUnderAnotherInstallationsPrefix(t *testing.T) {
	outer := []string{
		"optimize-metadata_v3", "optimize-import-index_v3", "optimize-timestamp-based-import-index_v4",
		"optimize-position-based-import-index_v2", "optimize-dashboard_v7", "optimize-event-sequence-count-x_v4",
	}
	inner := []string{
		"optimize-event-metadata_v3", "optimize-event-import-index_v3", "optimize-event-timestamp-based-import-index_v4",
		"optimize-event-position-based-import-index_v2", "optimize-event-single-process-report_v9",
	}
	indices := append(append([]string{}, outer...), inner...)
	r312, _ := ReleaseFor("3.12.1")
	r315, _ := ReleaseFor("3.15.0") // newer than verified
	known := Neighbours{"optimize": r312, "optimize-event": r312}

	got, err := SelectIndicesBeside(r312, "optimize", indices, known)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"optimize-dashboard_v7", "optimize-event-sequence-count-x_v4", "optimize-import-index_v3",
		"optimize-metadata_v3", "optimize-position-based-import-index_v2", "optimize-timestamp-based-import-index_v4",
	}
	if !reflect.DeepEqual(got.All(), want) {
		t.Fatalf("optimize selected %v, want %v", got.All(), want)
	}
	got, err = SelectIndicesBeside(r312, "optimize-event", indices, known)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.All(), sorted(inner)) {
		t.Fatalf("optimize-event selected %v, want %v", got.All(), sorted(inner))
	}

	for name, n := range map[string]Neighbours{"unknown": nil, "unverified": {"optimize-event": r315}} {
		_, err := SelectIndicesBeside(r312, "optimize", indices, n)
		var ambiguous *AmbiguousIndexError
		if !errors.As(err, &ambiguous) || ambiguous.Index != "optimize-event-sequence-count-x_v4" || ambiguous.Other != "optimize-event" {
			t.Errorf("other installation's version %s: err = %v, want optimize-event-sequence-count-x_v4 refused", name, err)
		}
	}

	both := append(append([]string{}, indices...), "optimize-event-process-definition_v5")
	for _, prefix := range []string{"optimize", "optimize-event"} {
		_, err := SelectIndicesBeside(r312, prefix, both, known)
		var ambiguous *AmbiguousIndexError
		if !errors.As(err, &ambiguous) || ambiguous.Index != "optimize-event-process-definition_v5" {
			t.Errorf("%s: err = %v, want optimize-event-process-definition_v5 refused", prefix, err)
		}
	}
}

// An 8.10 installation's backup holds what 8.10 added (job-registry and the
// business-value indices); a class no release knows is backed up in part 2
// and named; the same indices under 8.9 are backed up too, named as classes
// 8.9 does not have.
func TestSelectIndicesFor_newIndexClasses(t *testing.T) {
	indices := []string{
		"optimize-metadata_v3", "optimize-timestamp-based-import-index_v5", "optimize-position-based-import-index_v3",
		"optimize-dashboard_v8", "optimize-job-registry_v1", "optimize-business-value-target_v1",
		"optimize-business-value-overview_v1", "optimize-future-insight_v1",
		"operate-list-view-8.3.0_", "zeebe-record_process_8.10.0_2026-12-01", "tasklist-task-8.5.0_",
	}
	r810, _ := ReleaseFor("8.10.2")
	got, err := SelectIndicesFor(r810, "optimize", indices)
	if err != nil {
		t.Fatal(err)
	}
	// 8.10's job-registry is in part 1 (BackupPriority.PRIORITY1, camunda/camunda#61168).
	want1 := []string{"optimize-job-registry_v1", "optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5"}
	want2 := []string{"optimize-business-value-overview_v1", "optimize-business-value-target_v1", "optimize-dashboard_v8",
		"optimize-future-insight_v1", "optimize-metadata_v3"}
	if !reflect.DeepEqual(got.Part1, want1) || !reflect.DeepEqual(got.Part2, want2) || !reflect.DeepEqual(got.Unclassified, []string{"optimize-future-insight_v1"}) {
		t.Fatalf("8.10: part 1 %v, part 2 %v, unclassified %v; want %v, %v and only optimize-future-insight_v1", got.Part1, got.Part2, got.Unclassified, want1, want2)
	}
	if w := got.UnclassifiedIndicesWarning(); !strings.Contains(w, "optimize-future-insight_v1 is not an index class Optimize 8.10 is known to have: backed up in part 2 so that nothing is lost") {
		t.Fatalf("warning: %s", w)
	}
	r89, _ := ReleaseFor("8.9.0")
	got, err = SelectIndicesFor(r89, "optimize", indices)
	if err != nil {
		t.Fatal(err)
	}
	want2 = []string{"optimize-business-value-overview_v1", "optimize-business-value-target_v1", "optimize-dashboard_v8",
		"optimize-future-insight_v1", "optimize-job-registry_v1", "optimize-metadata_v3"}
	if !reflect.DeepEqual(got.Part2, want2) || len(got.Unclassified) != 4 {
		t.Fatalf("8.9: part 2 %v, unclassified %v", got.Part2, got.Unclassified)
	}
	if w := got.UnclassifiedIndicesWarning(); !strings.Contains(w, "are not index classes Optimize 8.9 is known to have") {
		t.Fatalf("warning: %s", w)
	}
}

func TestReleaseFor(t *testing.T) {
	for version, want := range map[string]string{
		"3.9.0": "3.9", "3.9.7": "3.9", "3.10.0": "3.10", "3.13.4": "3.13", "3.14.0": "3.14",
		"8.6.0-SNAPSHOT": "8.6", "8.8.0": "8.8", "8.9.2": "8.9", "8.10.0": "8.10",
	} {
		r, err := ReleaseFor(version)
		if err != nil || r.Name != want || !r.Verified || r.UnverifiedWarning() != "" {
			t.Errorf("ReleaseFor(%s) = %q (verified %v), %v; want %q, verified", version, r.Name, r.Verified, err, want)
		}
	}
	// Newer than the last verified release of its line: that release's
	// classes and id rule, with a warning.
	for version, base := range map[string]string{"3.15.1": "3.14", "8.11.0": "8.10", "9.3.0": "8.10", "10.0.0": "8.10"} {
		r, err := ReleaseFor(version)
		if err != nil || r.Verified || r.VerifiedAs != base || r.ID != IDLong {
			t.Errorf("ReleaseFor(%s) = %+v, %v; want unverified, as %s", version, r, err, base)
			continue
		}
		if w := r.UnverifiedWarning(); !strings.Contains(w, "newer than "+base) || !strings.Contains(w, "Every index of the installation is backed up") {
			t.Errorf("ReleaseFor(%s) warning: %s", version, w)
		}
	}
	// Versions that never had a backup API, or never existed.
	for version, want := range map[string]string{
		"8.5.0": "Camunda 8.0 to 8.5 shipped Optimize 3.8 to 3.13", "8.0.0": "8.5: 3.13", "8.3.2": "8.3: 3.11",
		"3.8.0": "starts with 3.9", "2.7.0": "starts with 3.9", "4.0.0": "no Optimize 4 to 7", "7.20.0": "no Optimize 4 to 7",
	} {
		_, err := ReleaseFor(version)
		var unsupported *UnsupportedVersionError
		if !errors.As(err, &unsupported) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "3.9, 3.10, 3.11, 3.12, 3.13, 3.14, 8.6, 8.7, 8.8, 8.9, 8.10") {
			t.Errorf("ReleaseFor(%s) = %v, want an error saying %q and naming the covered versions", version, err, want)
		}
	}
	for _, r := range Releases {
		if r.ID.MaxID() == 0 && r.ID != IDString {
			t.Errorf("%s: numeric rule without a bound", r.Name)
		}
		if len(r.ImportIndices) == 0 || len(r.Indices) == 0 || len(r.Families) == 0 || !r.Verified {
			t.Errorf("%s: incomplete entry", r.Name)
		}
		if !r.IsIndexClass("metadata") {
			t.Errorf("%s: no metadata index", r.Name)
		}
	}
}

// The table as Optimize shipped it (versions.go cites the sources): the
// import index and the Camunda 7 indices end with 3.x, variable-update-instance
// with 8.7, and 8.10 adds job-registry and the business-value indices.
func TestReleasesIndexClasses(t *testing.T) {
	has := func(version, name string) bool {
		r, err := ReleaseFor(version)
		if err != nil {
			t.Fatal(err)
		}
		return r.IsIndexClass(name)
	}
	for _, tc := range []struct {
		name    string
		in, out []string
	}{
		{"import-index", []string{"3.9.0", "3.14.0"}, []string{"8.6.0", "8.10.0"}},
		{"instant-dashboard", []string{"3.10.0", "8.6.0", "8.10.0"}, []string{"3.9.0"}},
		{"onboarding-state", []string{"3.9.0", "3.13.0"}, []string{"3.14.0", "8.6.0"}},
		{"license", []string{"3.13.0"}, []string{"8.6.0"}},
		{"event-process-definition", []string{"3.9.0", "3.14.0"}, []string{"8.6.0"}},
		{"variable-update-instance", []string{"3.10.0", "8.6.0", "8.7.0"}, []string{"8.8.0", "8.9.0", "8.10.0"}},
		{"job-registry", []string{"8.10.0"}, []string{"8.9.0", "3.14.0"}},
		{"business-value-target", []string{"8.10.0"}, []string{"8.9.0"}},
		{"business-value-overview", []string{"8.10.0"}, []string{"8.9.0"}},
		{"event-sequence-count-x", []string{"3.9.0"}, []string{"8.6.0"}},
		{"process-instance-invoice", []string{"3.9.0", "8.10.0"}, nil},
	} {
		for _, v := range tc.in {
			if !has(v, tc.name) {
				t.Errorf("Optimize %s has no index class %s", v, tc.name)
			}
		}
		for _, v := range tc.out {
			if has(v, tc.name) {
				t.Errorf("Optimize %s has index class %s", v, tc.name)
			}
		}
	}
	for _, v := range []string{"3.9.0", "3.14.0"} {
		r, _ := ReleaseFor(v)
		if !reflect.DeepEqual(r.ImportIndexNames(), []string{"import-index", "timestamp-based-import-index", "position-based-import-index"}) {
			t.Errorf("%s import indices: %v", v, r.ImportIndexNames())
		}
	}
	r, _ := ReleaseFor("8.6.0")
	if !reflect.DeepEqual(r.ImportIndexNames(), []string{"timestamp-based-import-index", "position-based-import-index"}) {
		t.Errorf("8.6 import indices: %v", r.ImportIndexNames())
	}
	for v, rule := range map[string]IDRule{"3.9.0": IDString, "3.10.0": IDInteger, "3.13.0": IDInteger, "3.14.0": IDLong, "8.6.0": IDLong, "8.10.0": IDLong} {
		if r, _ := ReleaseFor(v); r.ID != rule {
			t.Errorf("%s: id rule %s, want %s", v, r.ID, rule)
		}
	}
}

// A metadata index alone does not make another installation: an index
// class some future Optimize might name "agent-metadata" stays this
// installation's (backed up, and named), while "<x>-metadata" with one more
// index of a known class under "<x>-" is another installation.
func TestSelectIndicesFor_metadataAloneIsNoInstallation(t *testing.T) {
	release, _ := ReleaseFor("8.10.0")
	base := []string{"optimize-metadata_v3", "optimize-position-based-import-index_v3", "optimize-dashboard_v8"}
	got, err := SelectIndicesFor(release, "optimize", append(append([]string{}, base...), "optimize-agent-metadata_v1"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got.Part2, "optimize-agent-metadata_v1") || !reflect.DeepEqual(got.Unclassified, []string{"optimize-agent-metadata_v1"}) {
		t.Fatalf("part 2 %v, unclassified %v: want optimize-agent-metadata_v1 backed up and named", got.Part2, got.Unclassified)
	}
	got, err = SelectIndicesFor(release, "optimize", append(append([]string{}, base...), "optimize-agent-metadata_v1", "optimize-agent-dashboard_v8"))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(got.Part2, "optimize-agent-metadata_v1") || slices.Contains(got.Part2, "optimize-agent-dashboard_v8") {
		t.Fatalf("installation optimize-agent's indices in this backup: %v", got.Part2)
	}
}
