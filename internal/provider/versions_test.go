// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
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

// An Optimize 8.8 installation: a string id is refused at plan time without
// a single Elasticsearch request; a numeric id is taken, of 8.8's indices.
func TestAccBackup_optimize88NumericIDs(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	srv.ResetRequests()
	part1 := "camunda_optimize_20261124_8.8.0_part_1_of_2"
	part2 := "camunda_optimize_20261124_8.8.0_part_2_of_2"
	config := func(id string) string {
		return acctest.ProviderConfig(srv.URL, `optimize_version = "8.8.0"`) + fmt.Sprintf(`
resource "optimize_backup" "test" {
  backup_id = %q
}
`, id)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, part1, part2),
		Steps: []resource.TestStep{
			{
				Config:      config("nightly-1"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid backup id.*nightly-1.*Optimize\s+8\.8\s+takes\s+a\s+numeric\s+backup\s+id.*GET\s+/actuator/backups`),
			},
			{
				PreConfig: func() {
					if reqs := srv.Requests(); len(reqs) != 0 {
						t.Fatalf("refusing nightly-1 sent %d Elasticsearch requests: %+v", len(reqs), reqs)
					}
				},
				Config:      config("007"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid backup id.*leading\s+zero.*would\s+list\s+it\s+as\s+7`),
			},
			{
				// optimize_version on the resource wins: a 3.10 id is an Integer.
				Config: acctest.ProviderConfig(srv.URL, `optimize_version = "8.8.0"`) + `
resource "optimize_backup" "test" {
  backup_id        = "2147483648"
  optimize_version = "3.10.0"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid backup id.*larger\s+than\s+2147483647`),
			},
			{
				PreConfig: func() {
					if reqs := srv.Requests(); len(reqs) != 0 {
						t.Fatalf("refusing ids at plan sent %d Elasticsearch requests: %+v", len(reqs), reqs)
					}
				},
				Config: config("20261124") + partsData,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("8.8.0")),
					statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("snapshots"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(part1), knownvalue.StringExact(part2)})),
					// Optimize 8.8 has no Camunda 7 import index.
					statecheck.ExpectKnownValue("data.optimize_backup_state.test", tfjsonpath.New("parts").AtSliceIndex(0).AtMapKey("indices"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("optimize-position-based-import-index_v3"),
							knownvalue.StringExact("optimize-timestamp-based-import-index_v5"),
						})),
				},
				Check: checkSnapshots(srv, map[string]string{part1: "SUCCESS", part2: "SUCCESS"}),
			},
		},
	})
}

// Without optimize_version the version is read from Optimize's metadata
// index once per plan, whatever the number of resources, and a string id is
// still refused at plan time.
func TestAccBackup_versionReadOncePerPlan(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	var resources strings.Builder
	for i, id := range []string{"1", "2", "nightly-1", "4"} {
		fmt.Fprintf(&resources, "resource \"optimize_backup\" \"b%d\" {\n  backup_id = %q\n}\n", i, id)
	}
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+resources.String())
	srv.ResetRequests()
	out, code := cli.Run("plan")
	if code == 0 || !regexp.MustCompile(`(?s)Invalid backup id.*nightly-1.*Optimize\s+8\.8\s+takes\s+a\s+numeric`).MatchString(out) {
		t.Fatalf("plan exited %d, want the string id refused:\n%s", code, out)
	}
	metadataReads := srv.CountRequests("GET", "/optimize-metadata/_doc/1")
	if metadataReads != 1 {
		t.Fatalf("one plan read the metadata index %d times, want once: %+v", metadataReads, srv.Requests())
	}
	if n := srv.CountRequests("", "/_snapshot"); n != 0 {
		t.Fatalf("plan sent %d snapshot requests", n)
	}
}

// A 941-character id (whose snapshot metadata once grew over
// Elasticsearch's 1024 bytes) is taken with Optimize 3.9.
func TestAccBackup_optimize39LongID(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	id := strings.Repeat("a", 941)
	names := []string{
		"camunda_optimize_" + id + "_3.9.0_part_1_of_2",
		"camunda_optimize_" + id + "_3.9.0_part_2_of_2",
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, names...),
		Steps: []resource.TestStep{{
			Config: backupConfig(srv.URL, id),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			},
			Check: func(*terraform.State) error {
				for _, n := range names {
					s, ok := srv.Snapshot(acctest.Repository, n)
					if !ok || s.State != "SUCCESS" {
						return fmt.Errorf("snapshot %s: %v %+v", n, ok, s)
					}
				}
				return nil
			},
		}},
	})
}

// Two installations on one cluster: a backup of "optimize" never touches
// "optimize-staging" (which has no import index yet), at create, refresh or
// destroy, but to read its version (its metadata document); a leftover named like the installation's indices
// (optimize-import-index-backup_v1) is backed up in part 2, never dropped.
func TestAccBackup_stagingInstallationUntouched(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	if err := srv.SeedOptimize("3.9.0", "optimize-staging"); err != nil {
		t.Fatal(err)
	}
	deleteIndex(t, srv, "optimize-staging-import-index_v3")
	if err := srv.CreateIndex("optimize-import-index-backup_v1"); err != nil {
		t.Fatal(err)
	}
	staging := stagingIndices(srv)
	if len(staging) == 0 {
		t.Fatal("no staging index seeded")
	}
	srv.ResetRequests()
	noStagingRequest := func(*terraform.State) error {
		for _, r := range srv.Requests() {
			// Reading the installation's version beside this one is all:
			// it decides whose an index between the two prefixes is.
			if r.Method == http.MethodGet && r.Path == "/optimize-staging-metadata/_doc/1" {
				continue
			}
			if strings.Contains(r.Path, "staging") || strings.Contains(r.Query, "staging") {
				return fmt.Errorf("request %s %s?%s names the staging installation", r.Method, r.Path, r.Query)
			}
		}
		if got := stagingIndices(srv); strings.Join(got, ",") != strings.Join(staging, ",") {
			return fmt.Errorf("staging indices changed: %v -> %v", staging, got)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(acctest.CheckBackupGone(srv, part1Of1, part2Of1), noStagingRequest),
		Steps: []resource.TestStep{
			{
				Config: backupConfig(srv.URL, "1"),
				Check: resource.ComposeTestCheckFunc(
					noStagingRequest,
					func(*terraform.State) error {
						for _, n := range []string{part1Of1, part2Of1} {
							s, _ := srv.Snapshot(acctest.Repository, n)
							for _, idx := range s.Indices {
								if strings.HasPrefix(idx, "optimize-staging-") {
									return fmt.Errorf("snapshot %s holds %s", n, idx)
								}
							}
						}
						if s, _ := srv.Snapshot(acctest.Repository, part2Of1); !slices.Contains(s.Indices, "optimize-import-index-backup_v1") {
							return fmt.Errorf("part 2 %v leaves out optimize-import-index-backup_v1", s.Indices)
						}
						return nil
					},
				),
			},
			{RefreshState: true, Check: noStagingRequest},
		},
	})
}

// An Optimize-made 3.9 backup whose id holds a tab (Optimize and
// Elasticsearch take it) is adopted, and the imported state equals a fresh read.
func TestAccBackup_importIDWithTab(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	id := "nightly\t1"
	names := takeBackupLikeOptimize(t, srv, id, "3.9.0")
	config := backupConfig(srv.URL, id)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, names...),
		Steps: []resource.TestStep{
			{
				Config: config + fmt.Sprintf("\nimport {\n  to = optimize_backup.test\n  id = %q\n}\n", id),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("optimize_backup.test", plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("backup_id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
					statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("optimize_version"), knownvalue.StringExact("3.9.0")),
				},
				Check: checkSnapshots(srv, map[string]string{names[0]: "SUCCESS", names[1]: "SUCCESS"}),
			},
			{
				ResourceName:            "optimize_backup.test",
				ImportState:             true,
				ImportStateId:           id,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				Config: config + fmt.Sprintf("data \"optimize_backup_state\" \"tab\" {\n  backup_id = %q\n}\n", id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.optimize_backup_state.tab", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
				},
			},
		},
	})
}

// takeBackupLikeOptimize takes both parts of a backup over Elasticsearch's
// API as Optimize does, for an id that must be escaped in a URL.
func takeBackupLikeOptimize(t *testing.T, srv *esemulator.Server, id, version string) []string {
	t.Helper()
	var names []string
	for part, indices := range []string{
		"optimize-import-index,optimize-timestamp-based-import-index,optimize-position-based-import-index",
		"optimize-*,-optimize-import-index*,-optimize-timestamp-based-import-index*,-optimize-position-based-import-index*",
	} {
		name := fmt.Sprintf("camunda_optimize_%s_%s_part_%d_of_2", id, version, part+1)
		names = append(names, name)
		body := fmt.Sprintf(`{"indices":%q,"include_global_state":false}`, indices)
		status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+acctest.Repository+"/"+url.PathEscape(name)+"?wait_for_completion=true", body)
		if status != http.StatusOK {
			t.Fatalf("taking %q: %d %s", name, status, answer)
		}
	}
	return names
}

func deleteIndex(t *testing.T, srv *esemulator.Server, index string) {
	t.Helper()
	if status, answer := acctest.ESRequest(t, http.MethodDelete, srv.URL+"/"+index, ""); status != http.StatusOK {
		t.Fatalf("deleting %s: %d %s", index, status, answer)
	}
}

func stagingIndices(srv *esemulator.Server) []string {
	var out []string
	for _, idx := range srv.Indices() {
		if strings.HasPrefix(idx, "optimize-staging-") {
			out = append(out, idx)
		}
	}
	sort.Strings(out)
	return out
}

// Every request a backup needs must fit Elasticsearch's 4096-byte request
// line, checked at plan time with the real CLI: a 2,100-character 3.9 id
// could be taken, but its two parts not deleted in one request.
func TestAccBackup_idTooLongForTheDeleteLine(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	id := strings.Repeat("a", 2100)
	cli := acctest.NewCLI(t, backupConfig(srv.URL, id))
	srv.ResetRequests()
	out, code := cli.Run("plan")
	if code == 0 || !regexp.MustCompile(wrapped("deleting both parts in one request")).MatchString(out) ||
		!regexp.MustCompile(wrapped("over Elasticsearch's 4096-byte limit")).MatchString(out) {
		t.Fatalf("plan exited %d, want the id refused for the DELETE's request line:\n%s", code, out)
	}
	if n := srv.CountRequests("", "/_snapshot"); n != 0 {
		t.Fatalf("refusing the id sent %d snapshot requests", n)
	}
}
