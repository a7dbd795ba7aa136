// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

func policyIdentity(repository, name string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"repository_name": knownvalue.StringExact(repository),
		"name":            knownvalue.StringExact(name),
	}
}

// Terraform 1.12+: the policy has the identity {repository_name, name}, set
// on create and read; import blocks by identity and by id adopt it.
func TestAccBackupPolicy_identity(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.12.0")
	srv := acctest.StartEmulator(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: policyConfig(srv.URL, "  every = \"24h\"\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("optimize_backup_policy.nightly", policyIdentity("backups", "nightly")),
				},
			},
			{
				// The schedule comes from the configuration at the next
				// plan: the import plans an update of every.
				ResourceName:       "optimize_backup_policy.nightly",
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithResourceIdentity,
				ExpectNonEmptyPlan: true,
			},
			{
				ResourceName:       "optimize_backup_policy.nightly",
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// An import block with the identity {repository_name = "backups", name =
// "nightly"} adopts the policy whose name marks backups in the repository
// (another workspace's): its backups are the policy's, the identity is in
// the state, and the next plan is empty. Without repository_name the
// provider's repository is used.
func TestAccBackupPolicy_importBlockWithIdentity(t *testing.T) {
	for name, identity := range map[string]string{
		"with repository":    `repository_name = "backups", name = "nightly"`,
		"provider's default": `name = "nightly"`,
	} {
		t.Run(name, func(t *testing.T) { testPolicyImportBlockWithIdentity(t, identity) })
	}
}

func testPolicyImportBlockWithIdentity(t *testing.T, identity string) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.12.0")
	srv := acctest.StartEmulator(t)
	acctest.PutBackup(t, srv, "17", acctest.OptimizeVersion, `,"metadata":{"policy":"nightly"}`)
	acctest.PutBackup(t, srv, "18", acctest.OptimizeVersion, `,"metadata":{"policy":"weekly"}`)
	config := policyConfig(srv.URL, "  every = \"24h\"\n") + `
import {
  to       = optimize_backup_policy.nightly
  identity = { ` + identity + ` }
}
`
	backupIDs := knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("17")})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				// every, unset in the imported state, is updated; nothing is due.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("optimize_backup_policy.nightly", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("optimize_backup_policy.nightly", policyIdentity("backups", "nightly")),
					statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("id"), knownvalue.StringExact("backups/nightly")),
					statecheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_ids"), backupIDs),
				},
			},
			{
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
