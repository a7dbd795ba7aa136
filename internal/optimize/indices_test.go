// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"reflect"
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
