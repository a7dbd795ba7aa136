// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// The preview of a restore into another installation says the target, each
// rename and each alias it creates.
func TestRestorePreviewTextSaysTheTargetAndTheRenames(t *testing.T) {
	p := optimize.RestorePreview{
		Backup:  optimize.Backup{ID: "7"},
		Version: "3.9.0",
		Target:  "staging",
		Parts:   [][]string{{"optimize-import-index_v3"}, {"optimize-metadata_v3"}},
		Renames: []optimize.Rename{{From: "optimize-import-index_v3", To: "staging-import-index_v3"}, {From: "optimize-metadata_v3", To: "staging-metadata_v3"}},
		Aliases: []optimize.AliasAdd{{Index: "staging-metadata_v3", Alias: "staging-metadata", WriteIndex: true}},
	}
	text := restorePreviewText(p, false)
	for _, want := range []string{
		`Restored as the installation with index prefix "staging" (target_index_prefix)`,
		"Part 1 restores 1 indices: optimize-import-index_v3 -> staging-import-index_v3",
		"Part 2 restores 1 indices: optimize-metadata_v3 -> staging-metadata_v3",
		"Then 1 aliases are created for the target (one POST /_aliases): staging-metadata on staging-metadata_v3 (write index)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
}
