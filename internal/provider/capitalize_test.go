// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import "testing"

// Sentences start with a capital; names keep the spelling they are typed with.
func TestCapitalize(t *testing.T) {
	for in, want := range map[string]string{
		"":                                  "",
		"no snapshot repository":            "No snapshot repository",
		"elasticsearch accepted snapshot x": "Elasticsearch accepted snapshot x",
		"optimize_version is not set":       "optimize_version is not set",
		"camunda_optimize_1_3.9.0_part_1_of_2 failed": "camunda_optimize_1_3.9.0_part_1_of_2 failed",
		"optimize-metadata/_doc/1 is missing":         "optimize-metadata/_doc/1 is missing",
		`"a%b" is refused`:                            `"a%b" is refused`,
	} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}
