// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// A removed block with destroy = false (Terraform 1.7+, OpenTofu) stops
// managing a backup without deleting it: the state forgets it, its
// snapshots stay, and it can be adopted again.
func TestAccBackup_removedWithoutDestroy(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.7.0")
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, backupConfig(srv.URL, "1"))
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("create: %s", out)
	}
	whole := part1Of1 + "=SUCCESS " + part2Of1 + "=SUCCESS"
	if got := backupStates(srv, "1"); got != whole {
		t.Fatalf("backup 1: %s, want %s", got, whole)
	}
	cli.WriteFile("main.tf", acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+`
removed {
  from = optimize_backup.test
  lifecycle {
    destroy = false
  }
}
`)
	out, code := cli.Run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply with the removed block: %s", out)
	}
	if !strings.Contains(out, "0 destroyed") {
		t.Errorf("the apply destroyed something:\n%s", out)
	}
	if show, _ := cli.Run("show", "-json"); strings.Contains(show, "optimize_backup.test") {
		t.Errorf("the state still holds the backup:\n%s", show)
	}
	if got := backupStates(srv, "1"); got != whole {
		t.Errorf("after the removed block, backup 1 is %q, want %s", got, whole)
	}
}
