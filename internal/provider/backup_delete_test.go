// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
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

// A backup that Optimize 3.9 took with a 2,500-character id (the provider
// refuses to take one whose two parts cannot be deleted in one request) is
// imported, planned without a change, and destroyed: one DELETE per
// snapshot, each within the 4096-byte request line, and nothing else goes.
func TestAccBackup_importedLongIDIsDestroyedOneSnapshotPerRequest(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	id := strings.Repeat("a", 2500)
	long := acctest.PutBackup(t, srv, id, acctest.OptimizeVersion, "")
	other := acctest.PutBackup(t, srv, "5", acctest.OptimizeVersion, "")
	config := acctest.ProviderConfig(srv.URL) + fmt.Sprintf(`
resource "optimize_backup" "test" {
  backup_id = %q
}
`, id)
	onePerRequest := func(*terraform.State) error {
		var deletes []string
		for _, r := range srv.Requests() {
			if r.Method == "DELETE" && strings.HasPrefix(r.Path, "/_snapshot/") {
				deletes = append(deletes, fmt.Sprintf("%d %.60s", r.Status, strings.TrimPrefix(r.Path, "/_snapshot/"+acctest.Repository+"/")))
			}
		}
		want := []string{fmt.Sprintf("200 %.60s", long[0]), fmt.Sprintf("200 %.60s", long[1])}
		if fmt.Sprint(deletes) != fmt.Sprint(want) {
			return fmt.Errorf("the destroy sent the DELETEs %q, want one per snapshot %q", deletes, want)
		}
		states := acctest.SnapshotStates(srv)
		for _, n := range other {
			if states[n] != "SUCCESS" {
				return fmt.Errorf("backup 5's snapshot %s is gone: %v", n, states)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(acctest.CheckBackupGone(srv, long...), onePerRequest),
		Steps: []resource.TestStep{
			{
				Config: config + fmt.Sprintf("\nimport {\n  to = optimize_backup.test\n  id = %q\n}\n", id),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				},
			},
			{
				Config:   config,
				PlanOnly: true,
				PreConfig: func() {
					srv.ResetRequests() // what follows is the destroy's
				},
			},
		},
	})
}

// Broken out of band (part 2 deleted), such a backup is not planned for
// replacement: the provider would delete it and then refuse to take the id
// again. It stays, with a warning, and destroy deletes what is left.
func TestAccBackup_importedLongIDBrokenIsNotReplaced(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	id := strings.Repeat("a", 2500)
	long := acctest.PutBackup(t, srv, id, acctest.OptimizeVersion, "")
	config := acctest.ProviderConfig(srv.URL) + fmt.Sprintf(`
resource "optimize_backup" "test" {
  backup_id = %q
}
`, id)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, long...),
		Steps: []resource.TestStep{
			{
				Config: config + fmt.Sprintf("\nimport {\n  to = optimize_backup.test\n  id = %q\n}\n", id),
			},
			{
				PreConfig: func() {
					if !srv.DeleteSnapshot(acctest.Repository, long[1]) {
						t.Fatal("no part 2")
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("INCOMPLETE")),
				},
			},
		},
	})
}
