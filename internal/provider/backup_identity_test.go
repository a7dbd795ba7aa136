// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

func backupIdentity(repository, id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"repository_name": knownvalue.StringExact(repository),
		"backup_id":       knownvalue.StringExact(id),
	}
}

// Terraform 1.12+: the resource has the identity {repository_name,
// backup_id}, set on create and read, and import by identity adopts a backup.
func TestAccBackup_identity(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.12.0")
	srv := acctest.StartEmulator(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, part1Of1, part2Of1),
		Steps: []resource.TestStep{
			{
				Config: backupConfig(srv.URL, "1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("optimize_backup.test", backupIdentity("backups", "1")),
				},
			},
			{
				ResourceName:    "optimize_backup.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:    "optimize_backup.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// An import block with an identity adopts a backup Optimize took; without
// repository_name the provider's repository is used; the next plan is empty.
func TestAccBackup_importBlockWithIdentityAdoptsOptimizeBackup(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.12.0")
	srv := acctest.StartEmulator(t)
	names := acctest.TakeOptimizeBackup(t, srv, "7")
	config := func(identity string) string {
		return acctest.ProviderConfig(srv.URL) + `
import {
  to       = optimize_backup.adopted
  identity = {` + identity + `}
}

resource "optimize_backup" "adopted" {
  backup_id = "7"
}
`
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, names...),
		Steps: []resource.TestStep{
			{
				Config: config(`backup_id = "7"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.adopted", plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("optimize_backup.adopted", backupIdentity("backups", "7")),
					statecheck.ExpectKnownValue("optimize_backup.adopted", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				},
				Check: checkSnapshots(srv, map[string]string{names[0]: "SUCCESS", names[1]: "SUCCESS"}),
			},
			{
				Config:   config(`backup_id = "7"`),
				PlanOnly: true,
			},
		},
	})
}

func TestAccBackup_importBlockWithIdentityNamesRepository(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.12.0")
	srv := acctest.StartEmulator(t)
	names := acctest.TakeOptimizeBackup(t, srv, "8")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, names...),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv.URL) + `
import {
  to       = optimize_backup.adopted
  identity = { repository_name = "backups", backup_id = "8" }
}

resource "optimize_backup" "adopted" {
  backup_id       = "8"
  repository_name = "backups"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity("optimize_backup.adopted", backupIdentity("backups", "8")),
				statecheck.ExpectKnownValue("optimize_backup.adopted", tfjsonpath.New("repository_name"), knownvalue.StringExact("backups")),
			},
		}},
	})
}

// Import by identity uses the identity's repository_name, not the
// provider's: a backup in the repository "archive" is adopted from there.
func TestAccBackup_importByIdentityFromAnotherRepository(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.12.0")
	srv := acctest.StartEmulator(t)
	srv.RegisterRepository("archive", "fs", map[string]any{"location": t.TempDir()})
	var names []string
	for part, indices := range []string{"optimize-*import-index*", "optimize-*,-optimize-*import-index*"} {
		name := fmt.Sprintf("camunda_optimize_9_%s_part_%d_of_2", acctest.OptimizeVersion, part+1)
		names = append(names, name)
		if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/archive/"+name+"?wait_for_completion=true",
			fmt.Sprintf(`{"indices":%q,"include_global_state":false}`, indices)); status != http.StatusOK {
			t.Fatalf("%d %s", status, answer)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, n := range names {
				if _, ok := srv.Snapshot("archive", n); ok {
					return fmt.Errorf("snapshot %s is left in archive", n)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv.URL) + `
import {
  to       = optimize_backup.adopted
  identity = { repository_name = "archive", backup_id = "9" }
}

resource "optimize_backup" "adopted" {
  backup_id       = "9"
  repository_name = "archive"
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.adopted", plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity("optimize_backup.adopted", backupIdentity("archive", "9")),
				statecheck.ExpectKnownValue("optimize_backup.adopted", tfjsonpath.New("repository_name"), knownvalue.StringExact("archive")),
				statecheck.ExpectKnownValue("optimize_backup.adopted", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			},
		}},
	})
}
