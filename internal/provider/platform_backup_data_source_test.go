// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// putComponent takes the snapshots of one family of backup id, as that
// component names them (parts 1..n of n; the Zeebe records: one).
func putComponent(t *testing.T, srv *esemulator.Server, family, id, version string, n int, skip ...int) {
	t.Helper()
	names := []string{"camunda_zeebe_records_backup_" + id}
	if family != "zeebe_records" {
		names = nil
		for p := 1; p <= n; p++ {
			if !slices.Contains(skip, p) {
				names = append(names, fmt.Sprintf("camunda_%s_%s_%s_part_%d_of_%d", family, id, version, p, n))
			}
		}
	}
	for _, name := range names {
		if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/"+acctest.Repository+"/"+name+"?wait_for_completion=true",
			`{"indices":"optimize-metadata","include_global_state":false}`); status != http.StatusOK {
			t.Fatalf("taking %s: %d %s", name, status, answer)
		}
	}
}

func put88(t *testing.T, srv *esemulator.Server, id string, records bool) {
	putComponent(t, srv, "optimize", id, "8.8.2", 2)
	putComponent(t, srv, "webapps", id, "8.8.5", 5)
	if records {
		putComponent(t, srv, "zeebe_records", id, "", 1)
	}
}

// A whole Camunda backup, read on every engine: an 8.8 set and an 8.7 set
// COMPLETED, a missing web-apps part named, a FAILED part with its reason,
// a component of another version named, 5 never counting 50's snapshots,
// expect; a read sends no write and one listing request.
func TestAccPlatformBackup(t *testing.T) {
	acctest.ForEachEngine(t, func(t *testing.T, engine acctest.EmulatorOption) {
		acctest.PreCheck(t)
		srv := acctest.StartEmulatorForOptimize(t, "8.8.0", engine)
		put88(t, srv, "1764633601", true)
		putComponent(t, srv, "optimize", "1764633602", "8.7.1", 2)
		putComponent(t, srv, "operate", "1764633602", "8.7.3", 6)
		putComponent(t, srv, "tasklist", "1764633602", "8.7.3", 6)
		putComponent(t, srv, "zeebe_records", "1764633602", "", 1)
		putComponent(t, srv, "optimize", "1764633603", "8.8.2", 2)
		putComponent(t, srv, "webapps", "1764633603", "8.8.5", 5, 3)
		putComponent(t, srv, "zeebe_records", "1764633603", "", 1)
		srv.FailSnapshot("camunda_optimize_1764633604_8.8.2_part_2_of_2", "FAILED", "disk full on node-1")
		put88(t, srv, "1764633604", true)
		putComponent(t, srv, "optimize", "1764633605", "8.7.1", 2)
		putComponent(t, srv, "webapps", "1764633605", "8.8.5", 5)
		putComponent(t, srv, "zeebe_records", "1764633605", "", 1)
		put88(t, srv, "5", false)
		put88(t, srv, "50", true)
		config := acctest.ProviderConfig(srv.URL) + `
data "optimize_platform_backup" "b88" { backup_id = "1764633601" }
data "optimize_platform_backup" "b87" { backup_id = "1764633602" }
data "optimize_platform_backup" "part_missing" { backup_id = "1764633603" }
data "optimize_platform_backup" "failed" { backup_id = "1764633604" }
data "optimize_platform_backup" "other_version" { backup_id = "1764633605" }
data "optimize_platform_backup" "five" { backup_id = "5" }
data "optimize_platform_backup" "five_no_records" {
  backup_id = "5"
  expect    = ["optimize", "webapps"]
}
`
		state := func(name, want string) statecheck.StateCheck {
			return statecheck.ExpectKnownValue("data.optimize_platform_backup."+name, tfjsonpath.New("state"), knownvalue.StringExact(want))
		}
		reason := func(name, pattern string) statecheck.StateCheck {
			return statecheck.ExpectKnownValue("data.optimize_platform_backup."+name, tfjsonpath.New("failure_reason"), knownvalue.StringRegexp(regexp.MustCompile(pattern)))
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					state("b88", "COMPLETED"),
					statecheck.ExpectKnownValue("data.optimize_platform_backup.b88", tfjsonpath.New("camunda_version"), knownvalue.StringExact("8.8.5")),
					statecheck.ExpectKnownValue("data.optimize_platform_backup.b88", tfjsonpath.New("components"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.optimize_platform_backup.b88", tfjsonpath.New("components").AtSliceIndex(1).AtMapKey("expected_parts"), knownvalue.Int64Exact(5)),
					state("b87", "COMPLETED"),
					statecheck.ExpectKnownValue("data.optimize_platform_backup.b87", tfjsonpath.New("components"), knownvalue.ListSizeExact(4)),
					state("part_missing", "INCOMPLETE"),
					statecheck.ExpectKnownValue("data.optimize_platform_backup.part_missing", tfjsonpath.New("missing"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("camunda_webapps_1764633603_8.8.5_part_3_of_5")})),
					state("failed", "FAILED"),
					reason("failed", `camunda_optimize_1764633604_8\.8\.2_part_2_of_2 is FAILED: disk full on node-1`),
					state("other_version", "INCOMPLETE"),
					reason("other_version", `camunda_optimize_1764633605_8\.7\.1_part_1_of_2 is of Camunda 8\.7\.1, the backup's other snapshots of 8\.8\.5`),
					state("five", "INCOMPLETE"),
					statecheck.ExpectKnownValue("data.optimize_platform_backup.five", tfjsonpath.New("missing"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("camunda_zeebe_records_backup_5")})),
					state("five_no_records", "COMPLETED"),
				},
			}},
		})
		// One read: one listing request, nothing that writes.
		cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`data "optimize_platform_backup" "b" { backup_id = "1764633601" }`+"\n")
		srv.ResetRequests()
		if out, code := cli.Run("plan"); code != 0 {
			t.Fatalf("plan: %s", out)
		}
		listings := 0
		for _, r := range srv.Requests() {
			if r.Method != http.MethodGet {
				t.Errorf("a read sent %s %s", r.Method, r.Path)
			}
			if strings.HasPrefix(r.Path, "/_snapshot/") {
				listings++
			}
		}
		if listings != 1 {
			t.Errorf("a read sent %d snapshot requests, want one listing: %+v", listings, srv.Requests())
		}
	})
}

// A missing repository, and an id of no component, say what to do.
func TestAccPlatformBackup_errors(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      acctest.ProviderConfig(srv.URL) + `data "optimize_platform_backup" "b" { backup_id = "7" }`,
				ExpectError: regexp.MustCompile(`(?s)No snapshot of backup "7" of any component.*Check backup_id`),
			},
			{
				Config:      acctest.ProviderConfig(srv.URL) + `data "optimize_platform_backup" "b" {` + "\n" + `backup_id = "7"` + "\n" + `repository_names = { webapps = "nope" }` + "\n}",
				ExpectError: regexp.MustCompile(`(?s)"nope".*not\s+registered`),
			},
			{
				// The family and its own setting, not Optimize's (issue 25, item 12).
				Config: acctest.ProviderConfig(srv.URL) + `data "optimize_platform_backup" "b" {` + "\n" + `backup_id = "7"` + "\n" + `repository_names = { zeebe_records = "records" }` + "\n}",
				ExpectError: regexp.MustCompile(`(?s)` + wrapped(`"records", where the zeebe_records backup is read from, is not registered`) +
					`.*` + wrapped("zeebe_records: no component setting names it") + `.*camunda_zeebe_records_backup_<id>`),
			},
			{
				Config:      acctest.ProviderConfig(srv.URL) + `data "optimize_platform_backup" "b" { backup_id = "nightly-1" }`,
				ExpectError: regexp.MustCompile(`numeric backup ids`),
			},
		},
	})
}

// A family is one version: Optimize part 1 at 8.8.0 and part 2 at 8.8.1, or
// web apps parts 1-3 at 8.8.0 and 4-5 at 8.8.1, make no backup. The gate
// (optimize_platform_backup) and optimize_backup_state, which the restore
// follows, say the same of Optimize's family (issue 25, item 4).
func TestAccPlatformBackup_mixedPatchVersions(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	putComponent(t, srv, "optimize", "1764633606", "8.8.0", 2, 2)
	putComponent(t, srv, "optimize", "1764633606", "8.8.1", 2, 1)
	putComponent(t, srv, "webapps", "1764633606", "8.8.0", 5)
	putComponent(t, srv, "zeebe_records", "1764633606", "", 1)
	putComponent(t, srv, "optimize", "1764633607", "8.8.2", 2)
	putComponent(t, srv, "webapps", "1764633607", "8.8.0", 5, 4, 5)
	putComponent(t, srv, "webapps", "1764633607", "8.8.1", 5, 1, 2, 3)
	putComponent(t, srv, "zeebe_records", "1764633607", "", 1)
	config := acctest.ProviderConfig(srv.URL) + `
data "optimize_platform_backup" "optimize_mixed" { backup_id = "1764633606" }
data "optimize_backup_state" "optimize_mixed" { backup_id = "1764633606" }
data "optimize_platform_backup" "webapps_mixed" { backup_id = "1764633607" }
`
	platform := func(name string) string { return "data.optimize_platform_backup." + name }
	// Components in the order of the docs: zeebe_records, webapps, optimize.
	optimizeFamily := tfjsonpath.New("components").AtSliceIndex(2)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(platform("optimize_mixed"), tfjsonpath.New("state"), knownvalue.StringExact("INCOMPLETE")),
				statecheck.ExpectKnownValue(platform("optimize_mixed"), optimizeFamily.AtMapKey("name"), knownvalue.StringExact("optimize")),
				statecheck.ExpectKnownValue(platform("optimize_mixed"), optimizeFamily.AtMapKey("state"), knownvalue.StringExact("INCOMPLETE")),
				statecheck.ExpectKnownValue("data.optimize_backup_state.optimize_mixed", tfjsonpath.New("state"), knownvalue.StringExact("INCOMPLETE")),
				statecheck.CompareValuePairs(platform("optimize_mixed"), optimizeFamily.AtMapKey("state"),
					"data.optimize_backup_state.optimize_mixed", tfjsonpath.New("state"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(platform("optimize_mixed"), tfjsonpath.New("missing"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("camunda_optimize_1764633606_8.8.0_part_2_of_2"),
					knownvalue.StringExact("camunda_optimize_1764633606_8.8.1_part_1_of_2"),
				})),
				statecheck.ExpectKnownValue(platform("optimize_mixed"), tfjsonpath.New("failure_reason"), knownvalue.StringRegexp(regexp.MustCompile(
					`optimize: .*its snapshots are of 2 versions \(8\.8\.0: part 1 of 2; 8\.8\.1: part 2 of 2\), and parts of different versions make no backup`))),
				statecheck.ExpectKnownValue(platform("webapps_mixed"), tfjsonpath.New("state"), knownvalue.StringExact("INCOMPLETE")),
				statecheck.ExpectKnownValue(platform("webapps_mixed"), tfjsonpath.New("components").AtSliceIndex(1).AtMapKey("state"), knownvalue.StringExact("INCOMPLETE")),
				statecheck.ExpectKnownValue(platform("webapps_mixed"), tfjsonpath.New("missing"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("camunda_webapps_1764633607_8.8.0_part_4_of_5"),
					knownvalue.StringExact("camunda_webapps_1764633607_8.8.0_part_5_of_5"),
					knownvalue.StringExact("camunda_webapps_1764633607_8.8.1_part_1_of_5"),
					knownvalue.StringExact("camunda_webapps_1764633607_8.8.1_part_2_of_5"),
					knownvalue.StringExact("camunda_webapps_1764633607_8.8.1_part_3_of_5"),
				})),
			},
		}},
	})
}
