// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// upgradeGate is Optimize's version carried by a terraform_data (a Helm
// release in real life), with a backup taken before every update of it and
// before its destroy; a failed backup halts the apply.
func upgradeGate(version, id string) string {
	return fmt.Sprintf(`
action "optimize_backup_create" "pre_upgrade" {
  config {
    backup_id = %q
  }
}

resource "terraform_data" "optimize" {
  input = %q
  lifecycle {
    action_trigger {
      events     = [before_update, before_destroy]
      actions    = [action.optimize_backup_create.pre_upgrade]
      on_failure = halt
    }
  }
}
`, id, version)
}

// backupStates are the states of backup id's snapshots in the emulator.
func backupStates(srv *esemulator.Server, id string) string {
	var out []string
	for _, name := range sortedKeys(acctest.SnapshotStates(srv)) {
		if strings.HasPrefix(name, "camunda_optimize_"+id+"_") {
			out = append(out, name+"="+acctest.SnapshotStates(srv)[name])
		}
	}
	return strings.Join(out, " ")
}

// A backup before every upgrade (Terraform 1.16): the update of the
// resource carrying Optimize's version takes a COMPLETED backup first; a
// backup that fails halts the apply, and the update is not made; the
// destroy takes the final backup first.
func TestAccBackupCreate_beforeUpdateAndDestroy(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.16.0")
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+upgradeGate("3.9.0", "1001"))
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("create: %s", out)
	}
	if got := backupStates(srv, "1001"); got != "" {
		t.Fatalf("a backup was taken on create, where no trigger asks for one: %s", got)
	}

	// The upgrade: the backup first, COMPLETED, then the update.
	cli.WriteFile("main.tf", acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+upgradeGate("3.9.1", "1001"))
	out, code := cli.Run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("upgrade: %s", out)
	}
	want := "camunda_optimize_1001_3.9.0_part_1_of_2=SUCCESS camunda_optimize_1001_3.9.0_part_2_of_2=SUCCESS"
	if got := backupStates(srv, "1001"); got != want {
		t.Errorf("backup 1001: %s, want %s", got, want)
	}
	if !strings.Contains(out, "backup 1001 of Optimize 3.9.0 is COMPLETED") {
		t.Errorf("the apply does not report the backup:\n%s", out)
	}
	if show, _ := cli.Run("show", "-json"); !strings.Contains(show, `"input":"3.9.1"`) && !strings.Contains(show, `"input": "3.9.1"`) {
		t.Errorf("the update was not made:\n%s", show)
	}

	// A backup that fails halts the apply: the update is not made.
	srv.FailSnapshot("camunda_optimize_1002_3.9.0_part_2_of_2", "FAILED", "disk full")
	cli.WriteFile("main.tf", acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+upgradeGate("3.9.2", "1002"))
	out, code = cli.Run("apply", "-auto-approve")
	if code == 0 {
		t.Fatalf("an upgrade went on after its backup failed:\n%s", out)
	}
	if !strings.Contains(strings.Join(strings.Fields(out), " "), `Backup "1002" was not taken`) {
		t.Errorf("the failure does not name the backup:\n%s", out)
	}
	if show, _ := cli.Run("show", "-json"); !strings.Contains(strings.ReplaceAll(show, " ", ""), `"input":"3.9.1"`) {
		t.Errorf("the update was made although the backup failed:\n%s", show)
	}

	// The final backup before the destroy.
	cli.WriteFile("main.tf", acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+upgradeGate("3.9.1", "1003"))
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy: %s", out)
	}
	want = "camunda_optimize_1003_3.9.0_part_1_of_2=SUCCESS camunda_optimize_1003_3.9.0_part_2_of_2=SUCCESS"
	if got := backupStates(srv, "1003"); got != want {
		t.Errorf("final backup 1003: %s, want %s", got, want)
	}
}

// The backup the action took is data: an import block adopts it as
// optimize_backup, and destroying that deletes it.
func TestAccBackupCreate_adoptedByImport(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	action := `
action "optimize_backup_create" "now" {
  config {
    backup_id = "2001"
  }
}
`
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+action)
	if out, code := cli.Run("apply", "-auto-approve", "-invoke=action.optimize_backup_create.now"); code != 0 {
		t.Fatalf("invoke: %s", out)
	}
	cli.WriteFile("main.tf", acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+action+`
import {
  to = optimize_backup.adopted
  id = "2001"
}
resource "optimize_backup" "adopted" {
  backup_id = "2001"
}
`)
	out, code := cli.Run("apply", "-auto-approve")
	if code != 0 || !strings.Contains(out, "1 imported") {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy: %s", out)
	}
	if got := backupStates(srv, "2001"); got != "" {
		t.Errorf("the adopted backup was not deleted by its destroy: %s", got)
	}
}
