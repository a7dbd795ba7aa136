// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// fullState is every index that keep selects with its aliases (and their
// is_write_index) and its documents: what "byte-for-byte untouched" means.
func fullState(srv *esemulator.Server, keep func(string) bool) map[string]string {
	out := map[string]string{}
	for _, n := range srv.Indices() {
		if keep(n) {
			out[n] = fmt.Sprint(srv.WriteIndexFlags(n), " ", srv.Documents(n))
		}
	}
	return out
}

func isStagingIndex(n string) bool { return strings.HasPrefix(n, "staging-") }

// sourceAliasesAsStaging is the test's oracle of the target's aliases:
// Optimize's rule (camunda/camunda optimize/ ElasticSearchSchemaManager:
// "<prefix>-<name>" is the write alias of "<prefix>-<name>_v<N>[-000001]";
// the instance indices also carry the read-only "<prefix>-process-instance"
// or "<prefix>-decision-instance"), read off the source installation's live
// aliases and moved from "optimize-" to "staging-".
func sourceAliasesAsStaging(srv *esemulator.Server, sourceIndices []string) map[string]string {
	out := map[string]string{}
	for _, n := range sourceIndices {
		flags := map[string]string{}
		for a, w := range srv.WriteIndexFlags(n) {
			flags["staging-"+strings.TrimPrefix(a, "optimize-")] = w
		}
		out["staging-"+strings.TrimPrefix(n, "optimize-")] = fmt.Sprint(flags)
	}
	return out
}

func aliasState(srv *esemulator.Server, keep func(string) bool) map[string]string {
	out := map[string]string{}
	for _, n := range srv.Indices() {
		if keep(n) {
			out[n] = fmt.Sprint(srv.WriteIndexFlags(n))
		}
	}
	return out
}

func targetConfig(srv *esemulator.Server, extra ...string) string {
	lines := append([]string{`target_index_prefix = "staging"`, `optimize_version = "` + acctest.OptimizeVersion + `"`}, extra...)
	return acctest.ProviderConfig(srv.URL) + restoreActionConfig("7", lines...)
}

// A restore into the prefix "staging" brings the production backup up as
// the installation "staging": every index of the source installation
// renamed, every alias recreated for staging with its is_write_index, the
// metadata document kept; the source installation, the installation
// "optimize-staging" and the application's index are exactly as before.
func TestAccBackupRestore_intoAnotherPrefix(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	notStaging := func(n string) bool { return !isStagingIndex(n) }
	before := fullState(srv, notStaging)
	source := prodIndices(srv)
	wantAliases := sourceAliasesAsStaging(srv, source)
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config: targetConfig(srv),
			Check: resource.ComposeTestCheckFunc(
				func(*terraform.State) error {
					if got := fullState(srv, notStaging); fmt.Sprint(got) != fmt.Sprint(before) {
						return fmt.Errorf("the source (or another index) changed:\n got %v\nwant %v", got, before)
					}
					if got := aliasState(srv, isStagingIndex); fmt.Sprint(got) != fmt.Sprint(wantAliases) {
						return fmt.Errorf("staging's indices and aliases:\n got %v\nwant %v", got, wantAliases)
					}
					// Written out from Optimize's rule.
					for index, want := range map[string]string{
						"staging-metadata_v3":                     "map[staging-metadata:true]",
						"staging-process-instance-invoice_v8":     "map[staging-process-instance:false staging-process-instance-invoice:true]",
						"staging-decision-instance-risk-check_v5": "map[staging-decision-instance:false staging-decision-instance-risk-check:true]",
					} {
						if got := fmt.Sprint(srv.WriteIndexFlags(index)); got != want {
							return fmt.Errorf("aliases of %s: %s, want %s", index, got, want)
						}
					}
					if status, body := acctest.ESRequest(t, http.MethodGet, srv.URL+"/staging-metadata/_doc/1", ""); status != 200 || !strings.Contains(body, `"schemaVersion":"`+acctest.OptimizeVersion+`"`) {
						return fmt.Errorf("staging's metadata document: %d %s", status, body)
					}
					var aliasRequests int
					for _, r := range srv.Requests() {
						switch {
						case r.Path == "/_aliases":
							aliasRequests++
						case r.Method == http.MethodDelete:
							return fmt.Errorf("a restore without delete_existing_indices sent DELETE %s", r.Path)
						}
					}
					if aliasRequests != 1 {
						return fmt.Errorf("%d POST /_aliases requests, want 1", aliasRequests)
					}
					return nil
				},
			),
		}},
	})
}

// With delete_existing_indices = true exactly the target installation's
// indices are deleted (staging's own, with a document the backup does not
// have), never the source's.
func TestAccBackupRestore_intoAnotherPrefixDeletesOnlyTheTargets(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	if err := srv.SeedOptimize(acctest.OptimizeVersion, "staging"); err != nil {
		t.Fatal(err)
	}
	if err := srv.PutDocument("staging-process-definition", "only-in-staging:1", map[string]any{"key": "only-in-staging"}); err != nil {
		t.Fatal(err)
	}
	var stagingBefore []string
	for _, n := range srv.Indices() {
		if isStagingIndex(n) {
			stagingBefore = append(stagingBefore, n)
		}
	}
	notStaging := func(n string) bool { return !isStagingIndex(n) }
	before := fullState(srv, notStaging)
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config: targetConfig(srv, "delete_existing_indices = true"),
			Check: func(*terraform.State) error {
				if got := fullState(srv, notStaging); fmt.Sprint(got) != fmt.Sprint(before) {
					return fmt.Errorf("the source (or another index) changed:\n got %v\nwant %v", got, before)
				}
				var deleted []string
				for _, r := range srv.Requests() {
					if r.Method == http.MethodDelete {
						deleted = append(deleted, strings.Split(strings.TrimPrefix(r.Path, "/"), ",")...)
					}
				}
				sort.Strings(deleted)
				if fmt.Sprint(deleted) != fmt.Sprint(stagingBefore) {
					return fmt.Errorf("deleted:\n%v\nwant exactly staging's installation indices:\n%v", deleted, stagingBefore)
				}
				docs := srv.Documents("staging-process-definition_v6")
				if _, ok := docs["only-in-staging:1"]; ok || len(docs) == 0 {
					return fmt.Errorf("staging's process definitions are not the backup's: %v", docs)
				}
				return nil
			},
		}},
	})
}

// A target prefix under the source's "optimize-" is refused at plan time,
// with read requests only.
func TestAccBackupRestore_intoAnOverlappingPrefixIsRefused(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	before := fullState(srv, func(string) bool { return true })
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderConfig(srv.URL) + restoreActionConfig("7", `target_index_prefix = "optimize-staging"`),
			ExpectError: regexp.MustCompile(`Backup "7" would not be restored(?s:.*)` + wrapped(`target_index_prefix "optimize-staging" and the installation's index prefix "optimize" overlap`)),
		}},
	})
	if got := fullState(srv, func(string) bool { return true }); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("a refused restore changed the cluster")
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("a refused restore sent %s %s", r.Method, r.Path)
		}
	}
}

// Another installation beside the target ("staging-eu" around "staging"):
// their indices could not be told apart, so the restore is refused at plan
// time, naming it, with read requests only.
func TestAccBackupRestore_intoAPrefixBesideAnotherInstallationIsRefused(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	if err := srv.SeedOptimize(acctest.OptimizeVersion, "staging-eu"); err != nil {
		t.Fatal(err)
	}
	before := fullState(srv, func(string) bool { return true })
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderConfig(srv.URL) + restoreActionConfig("7", `target_index_prefix = "staging"`, fmt.Sprintf("optimize_version = %q", acctest.OptimizeVersion)),
			ExpectError: regexp.MustCompile(`Backup "7" would not be restored(?s:.*)` + wrapped(`the installations with index prefix "staging-eu" are under or around target_index_prefix "staging"`)),
		}},
	})
	if got := fullState(srv, func(string) bool { return true }); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("a refused restore changed the cluster")
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("a refused restore sent %s %s", r.Method, r.Path)
		}
	}
}

// A restore into another prefix that fails part way names the target's
// indices (restored, not restored) and says how to finish it into that
// prefix; the source installation is untouched.
func TestAccBackupRestore_intoAnotherPrefixFailsPartWay(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	notStaging := func(n string) bool { return !isStagingIndex(n) }
	before := fullState(srv, notStaging)
	// Optimize 3.9's SingleProcessReportIndex (version 9), in part 2.
	srv.FailRestoreOf("optimize-single-process-report_v9")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config: targetConfig(srv),
			ExpectError: wrappedAll(
				`The restore was into the installation with index prefix "staging": the names below are its indices; the source installation was not changed.`,
				"Restored: staging-import-index_v3, staging-position-based-import-index_v2, staging-timestamp-based-import-index_v4.",
				"Not restored:", "staging-single-process-report_v9",
				`restore the backup again with delete_existing_indices = true and target_index_prefix = "staging" and optimize_version = "3.9.0"`,
				`it deletes the target installation "staging"'s indices restored so far`,
			),
		}},
	})
	if got := fullState(srv, notStaging); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("the source (or another index) changed:\n got %v\nwant %v", got, before)
	}
}
