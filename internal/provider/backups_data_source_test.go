// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// putSnapshot takes a snapshot of indices through Elasticsearch's API,
// bypassing the provider, and waits for it.
func putSnapshot(t *testing.T, srv *esemulator.Server, name, indices string) {
	t.Helper()
	body := fmt.Sprintf(`{"indices":%q,"include_global_state":false}`, indices)
	if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+acctest.Repository+"/"+name+"?wait_for_completion=true", body); status != http.StatusOK {
		t.Fatalf("taking snapshot %s: %d %s", name, status, answer)
	}
}

// seedListing fills the repository with backups taken by Optimize, oldest
// first: "1" COMPLETED, "2" FAILED (part 2), "3" INCOMPLETE (no part 2),
// "4" COMPLETED; plus snapshots that are no backup's.
func seedListing(t *testing.T, srv *esemulator.Server) {
	t.Helper()
	acctest.TakeOptimizeBackup(t, srv, "1")
	srv.FailSnapshot("camunda_optimize_2_3.9.0_part_2_of_2", "FAILED", "disk full")
	acctest.TakeOptimizeBackup(t, srv, "2")
	putSnapshot(t, srv, "camunda_optimize_3_3.9.0_part_1_of_2", "optimize-import-index")
	acctest.TakeOptimizeBackup(t, srv, "4")
	// Not an Optimize backup's names: left out of every listing.
	putSnapshot(t, srv, "camunda_optimize_5_3.9.0_part_3_of_2", "optimize-metadata")
	putSnapshot(t, srv, "camunda_optimize_nightly", "optimize-metadata")
	putSnapshot(t, srv, "my-own-snapshot", "optimize-metadata")
}

func listedIDs(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"backup_id": knownvalue.StringExact(id)})
	}
	return knownvalue.ListExact(checks)
}

func TestAccBackupsDataSource(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	seedListing(t, srv)
	// The installation's version configured: snapshots that are no
	// backup's (seedListing) would otherwise make a read ask the metadata
	// index whether Optimize's list can read them.
	config := func(filters string) string {
		return acctest.ProviderConfig(srv.URL, `optimize_version = "3.9.0"`) + "\ndata \"optimize_backups\" \"all\" {\n" + filters + "\n}\n"
	}
	rfc3339 := knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`))
	ds := "data.optimize_backups.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("repository_name"), knownvalue.StringExact("backups")),
					// Newest first; names that do not parse are left out.
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups"), listedIDs("4", "3", "2", "1")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"backup_id":            knownvalue.StringExact("4"),
						"optimize_version":     knownvalue.StringExact("3.9.0"),
						"state":                knownvalue.StringExact("COMPLETED"),
						"failure_reason":       knownvalue.StringExact(""),
						"start_time":           rfc3339,
						"end_time":             rfc3339,
						"unclassified_indices": knownvalue.ListExact([]knownvalue.Check{}),
						"snapshots": knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"name":       knownvalue.StringExact("camunda_optimize_4_3.9.0_part_1_of_2"),
								"state":      knownvalue.StringExact("SUCCESS"),
								"start_time": rfc3339,
								"failures":   knownvalue.ListExact([]knownvalue.Check{}),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"name":       knownvalue.StringExact("camunda_optimize_4_3.9.0_part_2_of_2"),
								"state":      knownvalue.StringExact("SUCCESS"),
								"start_time": rfc3339,
								"failures":   knownvalue.ListExact([]knownvalue.Check{}),
							}),
						}),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups").AtSliceIndex(1).AtMapKey("state"), knownvalue.StringExact("INCOMPLETE")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups").AtSliceIndex(1).AtMapKey("failure_reason"),
						knownvalue.StringRegexp(regexp.MustCompile(`missing: part 2 of 2`))),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups").AtSliceIndex(2).AtMapKey("state"), knownvalue.StringExact("FAILED")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups").AtSliceIndex(2).AtMapKey("snapshots").AtSliceIndex(1).AtMapKey("failures"),
						knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.StringExact("disk full")})),
				},
			},
			{
				Config: config(`state = "COMPLETED"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups"), listedIDs("4", "1")),
				},
			},
			{
				Config: config(`optimize_version = "3.10.0"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				Config: config(`optimize_version = "3.9.0-SNAPSHOT"` + "\n" + `state = "FAILED"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("backups"), listedIDs("2")),
				},
			},
			{
				// A read is one Elasticsearch request, whatever the number of backups.
				PreConfig:    srv.ResetRequests,
				RefreshState: true,
				Check: func(*terraform.State) error {
					reqs := srv.Requests()
					if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/_snapshot/backups/camunda_optimize_*" {
						return fmt.Errorf("a read sent %d requests, want one GET /_snapshot/backups/camunda_optimize_*: %+v", len(reqs), reqs)
					}
					return nil
				},
			},
		},
	})
	// Reading touched nothing.
	if got := len(acctest.SnapshotStates(srv)); got != 10 {
		t.Errorf("the repository holds %d snapshots after the reads, want the 10 seeded", got)
	}
}

func TestAccBackupsDataSource_invalidFiltersFailAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	for name, tc := range map[string]struct{ filter, want string }{
		"state":   {`state = "BROKEN"`, `(?s)value must be one of:.*COMPLETED.*got: "BROKEN"`},
		"version": {`optimize_version = "latest"`, `(?is)optimize version "latest" is not of the form X.Y.Z`},
	} {
		t.Run(name, func(t *testing.T) {
			srv.ResetRequests()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfig(srv.URL) + "data \"optimize_backups\" \"all\" {\n" + tc.filter + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("an invalid filter sent %d requests to Elasticsearch", n)
			}
		})
	}
}

func TestAccBackupsDataSource_emptyAndMissingRepository(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv.URL) + `data "optimize_backups" "all" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.optimize_backups.all", tfjsonpath.New("backups"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				Config:      acctest.ProviderConfig(srv.URL) + `data "optimize_backups" "all" { repository_name = "nope" }`,
				ExpectError: regexp.MustCompile(`(?s)Cannot list the backups of repository "nope".*nope`),
			},
		},
	})
}

// With an Optimize 3.10+ installation, backups whose ids Optimize's own
// backup list cannot read are named in a warning.
func TestAccBackupsDataSource_warnsOfIDsOptimizeCannotList(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "nightly")
	acctest.TakeOptimizeBackup(t, srv, "007")
	acctest.TakeOptimizeBackup(t, srv, "20261124")
	for _, tc := range []struct {
		version string
		warns   bool
	}{{"8.8.0", true}, {"3.10.1", true}, {"3.9.0", false}} {
		t.Run(tc.version, func(t *testing.T) {
			cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL, fmt.Sprintf("optimize_version = %q", tc.version))+`
data "optimize_backups" "all" {}
`)
			out, code := cli.Run("apply", "-auto-approve")
			if code != 0 {
				t.Fatalf("apply exited %d:\n%s", code, out)
			}
			warning := regexp.MustCompile(`Warning: Optimize ` + regexp.QuoteMeta(tc.version) + ` cannot list repository "backups": 2 snapshot name\(s\) it\s+cannot read`)
			if got := warning.MatchString(out) && strings.Contains(out, `backup "007"`) && strings.Contains(out, `backup "nightly"`); got != tc.warns {
				t.Errorf("warning shown: %v, want %v:\n%s", got, tc.warns, out)
			}
			if strings.Contains(out, "20261124") {
				t.Errorf("the output names the valid id 20261124:\n%s", out)
			}
		})
	}
}

// The data source's example: a check block warns when the newest COMPLETED
// backup is older than max_backup_age, using only Terraform's functions.
func TestAccBackupsDataSource_freshnessCheckExample(t *testing.T) {
	acctest.PreCheck(t)
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", "optimize_backups", "data-source.tf"))
	if err != nil {
		t.Fatal(err)
	}
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+string(example))
	stale := regexp.MustCompile(`(?s)Warning: Check block assertion failed.*No COMPLETED Optimize backup exists in repository backups`)
	out, code := cli.Run("plan")
	if code != 0 || !stale.MatchString(out) {
		t.Fatalf("with no backup, plan exited %d and did not warn that none exists:\n%s", code, out)
	}
	acctest.TakeOptimizeBackup(t, srv, "1")
	out, code = cli.Run("plan")
	if code != 0 || strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("with a fresh backup, plan exited %d or warned:\n%s", code, out)
	}
	out, code = cli.Run("plan", "-var", "max_backup_age=0s")
	tooOld := regexp.MustCompile(`(?s)Warning: Check block assertion failed.*The newest COMPLETED Optimize backup, 1, started at \d{4}-.*older than 0s`)
	if code != 0 || !tooOld.MatchString(out) {
		t.Fatalf("with max_backup_age=0s, plan exited %d and did not warn that backup 1 is too old:\n%s", code, out)
	}
}
