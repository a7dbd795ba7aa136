// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

// The engine table: the core of the acceptance suite against every engine
// Optimize runs on (acctest.ForEachEngine: ACC_ENGINES, else all three).
// The rest of the suite runs against Elasticsearch 7.17, or against the
// engine ACC_ENGINE names.

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// checkEngineDetectedOnce asserts that GET / (the engine detection) was
// sent exactly once by every command run so far: the provider instance
// detects once and keeps what it found.
func checkEngineDetectedOnce(srv *esemulator.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.CountRequests(http.MethodGet, "/"); n < 1 {
			return fmt.Errorf("no request reached the %s emulator", srv.Engine())
		}
		n := 0
		for _, r := range srv.Requests() {
			if r.Method == http.MethodGet && r.Path == "/" {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("GET / was sent %d times, want once per provider instance", n)
		}
		return nil
	}
}

// Create, refresh (one request), import, drift, the data sources, destroy.
func TestAccEngines_backupLifecycle(t *testing.T) {
	acctest.ForEachEngine(t, func(t *testing.T, engine acctest.EmulatorOption) {
		srv, tc := acctest.Setup(t, engine)
		both := map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}
		dataSources := `
data "optimize_backup_state" "one" {
  backup_id = optimize_backup.test.backup_id
}

data "optimize_backups" "all" {
  depends_on = [optimize_backup.test]
}
`
		tc.Steps = []resource.TestStep{
			{
				Config: backupConfig(srv.URL, "1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				},
				Check: resource.ComposeTestCheckFunc(checkSnapshots(srv, both), checkPartsInEmulator(srv), checkEngineDetectedOnce(srv)),
			},
			{
				PreConfig:    srv.ResetRequests,
				RefreshState: true,
				Check: func(*terraform.State) error {
					reqs := srv.Requests()
					if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/_snapshot/backups/camunda_optimize_1_*" {
						return fmt.Errorf("refresh sent %d requests, want one GET /_snapshot/backups/camunda_optimize_1_*: %+v", len(reqs), reqs)
					}
					return nil
				},
			},
			{
				ResourceName:      "optimize_backup.test",
				ImportState:       true,
				ImportStateId:     "1",
				ImportStateVerify: true,
			},
			{
				Config: backupConfig(srv.URL, "1") + dataSources,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.optimize_backup_state.one", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
					statecheck.ExpectKnownValue("data.optimize_backup_state.one", tfjsonpath.New("parts").AtSliceIndex(0).AtMapKey("indices"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("optimize-import-index_v3"),
							knownvalue.StringExact("optimize-position-based-import-index_v2"),
							knownvalue.StringExact("optimize-timestamp-based-import-index_v4"),
						})),
					statecheck.ExpectKnownValue("data.optimize_backups.all", tfjsonpath.New("backups").AtSliceIndex(0).AtMapKey("backup_id"), knownvalue.StringExact("1")),
					statecheck.ExpectKnownValue("data.optimize_backups.all", tfjsonpath.New("backups").AtSliceIndex(0).AtMapKey("state"), knownvalue.StringExact("COMPLETED")),
				},
			},
			{
				// Drift: part 2 deleted behind the provider's back.
				PreConfig: func() {
					if !srv.DeleteSnapshot(acctest.Repository, part2Of1) {
						t.Fatal("no part 2 to delete")
					}
				},
				Config:             backupConfig(srv.URL, "1"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionReplace),
				}},
			},
			{
				// The next apply takes the backup anew.
				Config: backupConfig(srv.URL, "1"),
				Check:  checkSnapshots(srv, both),
			},
		}
		resource.Test(t, tc)
	})
}

// The restore action restores exactly the installation's indices, with
// their aliases, on every engine.
func TestAccEngines_restore(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	acctest.ForEachEngine(t, func(t *testing.T, engine acctest.EmulatorOption) {
		acctest.PreCheck(t)
		srv := startRestoreEmulator(t, engine)
		prodBefore := indexState(srv, isProdIndex)
		othersBefore := indexState(srv, notProd)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			TerraformVersionChecks:   actionVersionChecks,
			CheckDestroy:             acctest.CheckBackupGone(srv, part1Of1, part2Of1),
			Steps: []resource.TestStep{
				{
					Config: backupConfig(srv.URL, "1"),
					Check:  checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}),
				},
				{
					PreConfig: func() { deleteProdIndices(t, srv) },
					Config:    backupConfig(srv.URL, "1") + restoreActionConfig("1", `optimize_version = "3.9.0"`),
					Check: resource.ComposeTestCheckFunc(
						checkIndexState(srv, isProdIndex, prodBefore),
						checkIndexState(srv, notProd, othersBefore),
						func(*terraform.State) error {
							if status, body := acctest.ESRequest(t, http.MethodGet, srv.URL+"/optimize-metadata/_doc/1", ""); status != 200 || !strings.Contains(body, `"schemaVersion":"3.9.0"`) {
								return fmt.Errorf("metadata document after restore: %d %s", status, body)
							}
							return nil
						},
					),
				},
			},
		})
	})
}

// Listing with terraform query (Terraform 1.14) on every engine.
func TestAccEngines_query(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	acctest.ForEachEngine(t, func(t *testing.T, engine acctest.EmulatorOption) {
		acctest.PreCheck(t)
		srv := acctest.StartEmulator(t, engine)
		acctest.TakeOptimizeBackup(t, srv, "5")
		cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL))
		cli.WriteFile("list.tfquery.hcl", `
list "optimize_backup" "all" {
  provider = optimize
}
`)
		out, code := cli.Run("query")
		if code != 0 {
			t.Fatalf("terraform query exited %d:\n%s", code, out)
		}
		if !strings.Contains(out, "5 (Optimize 3.9.0, COMPLETED)") {
			t.Fatalf("terraform query does not list backup 5:\n%s", out)
		}
	})
}

// Elasticsearch 8 as it ships: HTTPS with a certificate signed by the CA it
// made itself (http_ca.crt), security on, the elastic user or an API key.
func TestAccEngines_elasticsearch8SecuredByDefault(t *testing.T) {
	for name, c := range map[string]struct {
		opts []acctest.EmulatorOption
		auth func(caFile, caPEM string) []string
	}{
		"elastic user, ca_file": {
			opts: []acctest.EmulatorOption{acctest.WithBasicAuth("elastic", "changeme")},
			auth: func(caFile, _ string) []string {
				return []string{`username = "elastic"`, `password = "changeme"`, fmt.Sprintf("ca_file = %q", caFile)}
			},
		},
		"API key, ca_data": {
			opts: []acctest.EmulatorOption{acctest.WithAPIKey("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==")},
			auth: func(_, caPEM string) []string {
				return []string{`api_key = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="`, fmt.Sprintf("ca_data = %q", caPEM)}
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			tlsCfg, caPEM := acctest.NewTLS(t, "Elasticsearch security auto-configuration HTTP CA")
			caFile := filepath.Join(t.TempDir(), "http_ca.crt")
			writeTestFile(t, caFile, caPEM)
			srv, tc := acctest.Setup(t, append(c.opts, acctest.WithEngine(esemulator.Elasticsearch8), acctest.WithTLS(tlsCfg))...)
			states, check := completedAndSeen(srv)
			tc.Steps = []resource.TestStep{{
				Config:            connectionConfig(srv.URL, c.auth(caFile, string(caPEM))...),
				ConfigStateChecks: states,
				Check:             resource.ComposeTestCheckFunc(check, checkEngineDetectedOnce(srv)),
			}}
			resource.Test(t, tc)
		})
	}
}
