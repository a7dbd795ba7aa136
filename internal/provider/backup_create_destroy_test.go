// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// terraform destroy is never blocked by an action (Terraform 1.16: "a full
// destroy walk must never be blocked", whatever on_failure says): a final
// backup that fails is a warning naming it, and the destroy goes on. The
// guide "A final backup before destroy" says so and shows the invoke that
// holds a destroy instead.
func TestAccBackupCreate_failedFinalBackupWarnsAndDestroyGoesOn(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.16.0")
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+upgradeGate("3.9.0", "1101"))
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("create: %s", out)
	}
	srv.FailSnapshot("camunda_optimize_1101_3.9.0_part_2_of_2", "FAILED", "disk full")
	out, code := cli.Run("destroy", "-auto-approve")
	flat := strings.Join(strings.Fields(out), " ")
	if code != 0 || !strings.Contains(flat, "Actions: 1 invoked, 1 failed") {
		t.Fatalf("destroy: exit %d, want 0 with the failed action counted:\n%s", code, out)
	}
	if !strings.Contains(flat, `Warning: Backup "1101" was not taken`) {
		t.Errorf("the destroy does not warn of the failed backup:\n%s", out)
	}
	// The invoke on its own fails: a pipeline runs it before the destroy.
	srv.FailSnapshot("camunda_optimize_1102_3.9.0_part_2_of_2", "FAILED", "disk full")
	cli.WriteFile("main.tf", acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+upgradeGate("3.9.0", "1102"))
	if out, code := cli.Run("apply", "-auto-approve", "-invoke=action.optimize_backup_create.pre_upgrade"); code == 0 {
		t.Errorf("a failed invoke exited 0:\n%s", out)
	}
}
