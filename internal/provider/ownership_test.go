// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// Two resources with the same backup_id in one configuration: exactly one
// takes the backup, the other fails with the 409 outcome and records
// nothing, and destroy removes exactly the winner's snapshots.
func TestAccBackup_sameBackupIDTwiceOneWins(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
resource "optimize_backup" "a" { backup_id = "1" }
resource "optimize_backup" "b" { backup_id = "1" }
`)
	out, code := cli.Run("apply", "-auto-approve")
	if code == 0 || !regexp.MustCompile(`(?i)a backup with id "1" (already\s+exists|is being taken\s+by\s+another\s+writer)`).MatchString(out) {
		t.Fatalf("apply (exit %d) should fail for one of the two with the 409 outcome:\n%s", code, out)
	}
	if strings.Count(out, "Creation complete") != 1 {
		t.Fatalf("exactly one resource must be created:\n%s", out)
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(completed) {
		t.Fatalf("the emulator holds %v, want exactly the winner's %v", got, completed)
	}
	list, err := cli.Command(context.Background(), "state", "list").CombinedOutput()
	if n := len(strings.Fields(string(list))); err != nil || n != 1 {
		t.Fatalf("the state must hold exactly the winner, holds (%v):\n%s", err, list)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy (exit %d):\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); len(got) != 0 {
		t.Fatalf("after destroy the emulator holds %v", got)
	}
}

// A backup keeps its repository when the configuration does not set one:
// an unrelated change (timeouts) is an update, not a replacement into the
// provider's default repository.
func TestAccBackup_keepsItsRepositoryWhenUnset(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	srv.RegisterRepository("other", "fs", map[string]any{"location": t.TempDir()})
	inOther := map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: backupConfig(srv.URL, "1", `repository_name = "other"`)},
			{
				Config: backupConfig(srv.URL, "1", `timeouts = { create = "90m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("repository_name"), knownvalue.StringExact("other")),
				},
				Check: func(*terraform.State) error {
					got := map[string]string{}
					for _, s := range srv.Snapshots("other") {
						got[s.Name] = s.State
					}
					if fmt.Sprint(got) != fmt.Sprint(inOther) || len(acctest.SnapshotStates(srv)) != 0 {
						return fmt.Errorf("repository other holds %v and backups %v; want the backup untouched in other", got, acctest.SnapshotStates(srv))
					}
					return nil
				},
			},
		},
	})
}
