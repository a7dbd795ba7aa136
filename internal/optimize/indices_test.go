// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"fmt"
	"reflect"
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
		{name: "no import index", prefix: "optimize", indices: []string{"optimize-metadata_v3"}, wantErr: "no import-progress index"},
		{name: "only import indices", prefix: "optimize", indices: []string{"optimize-import-index_v3"}, wantErr: "no index besides the import-progress indices"},
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

// Index selection by Optimize's index classes: two installations on one
// cluster, each with and without its import index, per-definition keys with
// '_' and '.', rollover indices, and leftovers that are no index class.
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
		}
		if withImport {
			names = append(names, "optimize-staging-import-index_v3")
		}
		return names
	}
	leftovers := []string{
		"optimize-import-index-backup_v1", "optimize-metadata-old", "optimize-process-instance-_v8",
		"optimize-process-instance-invoice", "optimize-unknown-thing_v1", "optimizer-metadata_v3",
		"optimize-Metadata_v3", "optimize-process-instance-invoice_v8-1",
	}
	for _, release := range Releases {
		for _, prodImport := range []bool{true, false} {
			for _, stagingImport := range []bool{true, false} {
				name := fmt.Sprintf("%s/prod import %v/staging import %v", release.Name, prodImport, stagingImport)
				t.Run(name, func(t *testing.T) {
					indices := append(append(append([]string{}, prod(prodImport)...), staging(stagingImport)...), leftovers...)
					got, err := SelectIndicesFor(release, "optimize", indices)
					if err != nil {
						t.Fatal(err)
					}
					var want1, want2 []string
					for _, idx := range prod(prodImport) {
						if strings.Contains(idx, "import-index") {
							want1 = append(want1, idx)
						} else {
							want2 = append(want2, idx)
						}
					}
					sort.Strings(want1)
					sort.Strings(want2)
					if !reflect.DeepEqual(got.Part1, want1) || !reflect.DeepEqual(got.Part2, want2) {
						t.Fatalf("got part 1 %v\npart 2 %v\nwant part 1 %v\npart 2 %v", got.Part1, got.Part2, want1, want2)
					}

					got, err = SelectIndicesFor(release, "optimize-staging", indices)
					if err != nil {
						t.Fatal(err)
					}
					for _, idx := range append(got.Part1, got.Part2...) {
						if !strings.HasPrefix(idx, "optimize-staging-") {
							t.Fatalf("the staging installation's backup holds %s", idx)
						}
					}
					if len(got.Part1)+len(got.Part2) != len(staging(stagingImport)) {
						t.Fatalf("staging selection %v %v, want all of %v", got.Part1, got.Part2, staging(stagingImport))
					}
				})
			}
		}
	}
}

// An installation whose prefix extends this one with a word that starts an
// index class ("optimize-event": its process-definition index reads as
// "event-process-definition" under prefix "optimize") is recognised by its
// metadata index and left alone.
func TestSelectIndicesFor_prefixThatLooksLikeAnIndexClass(t *testing.T) {
	indices := []string{
		"optimize-metadata_v3", "optimize-import-index_v3", "optimize-dashboard_v7",
		"optimize-event-metadata_v3", "optimize-event-import-index_v3", "optimize-event-process-definition_v6",
	}
	got, err := SelectIndicesFor(Releases[0], "optimize", indices)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"optimize-dashboard_v7", "optimize-metadata_v3"}; !reflect.DeepEqual(got.Part2, want) {
		t.Fatalf("part 2 = %v, want %v", got.Part2, want)
	}
}

func TestReleaseFor(t *testing.T) {
	for version, want := range map[string]string{
		"3.9.0": "3.9", "3.9.7": "3.9", "3.10.0": "3.10 to 3.x", "3.13.4": "3.10 to 3.x",
		"8.6.0-SNAPSHOT": "8.x", "8.8.0": "8.x", "8.9.2": "8.x",
	} {
		r, err := ReleaseFor(version)
		if err != nil || r.Name != want {
			t.Errorf("ReleaseFor(%s) = %q, %v; want %q", version, r.Name, err, want)
		}
	}
	for _, r := range Releases {
		if r.ID.MaxID() == 0 && r.ID != IDString {
			t.Errorf("%s: numeric rule without a bound", r.Name)
		}
		if len(r.ImportIndices) == 0 || len(r.StaticIndices) == 0 || len(r.FamilyPrefixes) == 0 {
			t.Errorf("%s: incomplete index classes", r.Name)
		}
	}
}
