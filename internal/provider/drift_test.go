// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// The drift-detection guide, end to end with the real CLI: a scheduled
// `terraform plan -detailed-exitcode` exits 2 and warns why when a backup
// was broken out of band, and exits 0 when all is well.
func TestAccDrift_scheduledPlanFlagsABrokenBackup(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
resource "optimize_backup" "nightly" {
  backup_id = "1"
}
`)
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	t.Cleanup(func() {
		if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
			t.Errorf("destroy exited %d:\n%s", code, out)
		}
	})
	if out, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan of a healthy backup exited %d, want 0:\n%s", code, out)
	}

	srv.DeleteSnapshot(acctest.Repository, part2Of1)
	out, code := cli.Run("plan", "-detailed-exitcode")
	if code != 2 {
		t.Fatalf("plan after part 2 was deleted exited %d, want 2 (changes):\n%s", code, out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Warning: Backup "1" is INCOMPLETE and will be replaced`),
		regexp.MustCompile(`found it INCOMPLETE: backup 1\s+has 1 of its 2 snapshots; missing: part 2 of 2`),
		regexp.MustCompile(`optimize_backup.nightly must be replaced`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the plan does not say %s:\n%s", want, out)
		}
	}
	// The replacement shows once, on the state it restores.
	if !regexp.MustCompile(`~ state\s+= "INCOMPLETE" -> "COMPLETED" # forces replacement\n`).MatchString(out) || strings.Count(out, "# forces replacement") != 1 {
		t.Errorf("the plan does not show the replacement once, on state:\n%s", out)
	}
	if strings.Contains(out, "Error:") {
		t.Errorf("the plan reported an error:\n%s", out)
	}
}
