// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"os"
	"strings"
	"testing"
)

// versionsGuidePath is the template tfplugindocs turns into
// docs/guides/optimize-versions.md.
const versionsGuidePath = "../../templates/guides/optimize-versions.md.tmpl"

// The versions guide is generated from the table: UPDATE_VERSIONS_GUIDE=1
// writes it (make docs does), otherwise a stale guide fails.
func TestVersionsGuideIsCurrent(t *testing.T) {
	want := VersionsGuide()
	if os.Getenv("UPDATE_VERSIONS_GUIDE") != "" {
		if err := os.WriteFile(versionsGuidePath, []byte(want), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(versionsGuidePath)
	if err != nil || string(got) != want {
		t.Fatalf("%s is not current: run make docs (err %v)", versionsGuidePath, err)
	}
}

func TestIDRuleSummary(t *testing.T) {
	got := IDRuleSummary()
	for _, want := range []string{
		"for Optimize **3.9**, a string",
		"for Optimize **3.10 to 3.13**, a number: plain ASCII decimal digits without a sign or a leading zero, at most 2147483647 (Java Integer)",
		"for Optimize **3.14 to 8.10**, a number: plain ASCII decimal digits without a sign or a leading zero, at most 9223372036854775807 (Java Long)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("IDRuleSummary lacks %q:\n%s", want, got)
		}
	}
}
