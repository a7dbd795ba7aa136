// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// The provider serves the action, and its description warns first.
func TestBackupRestoreActionSchema(t *testing.T) {
	server, err := acctest.ProtoV6ProviderFactories["optimize"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
	}
	a, ok := resp.ActionSchemas["optimize_backup_restore"]
	if !ok {
		t.Fatalf("no action optimize_backup_restore among %v", resp.ActionSchemas)
	}
	if !strings.HasPrefix(a.Schema.Block.Description, "**Restoring onto a running Optimize corrupts it.**") {
		t.Errorf("the description must warn first: %q", a.Schema.Block.Description)
	}
	attrs := map[string]bool{}
	for _, attr := range a.Schema.Block.Attributes {
		attrs[attr.Name] = attr.Required
	}
	want := map[string]bool{"backup_id": true, "repository_name": false, "optimize_version": false, "delete_existing_indices": false, "target_index_prefix": false, "timeouts": false}
	if fmt.Sprint(attrs) != fmt.Sprint(want) {
		t.Errorf("attributes (name: required) %v, want %v", attrs, want)
	}
}

// Actions need Terraform 1.14; the suite also runs under 1.8, where these skip.
var actionVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// restoreActionConfig is an optimize_backup_restore action invoked once, when
// terraform_data.restore is created.
func restoreActionConfig(id string, extra ...string) string {
	return fmt.Sprintf(`
action "optimize_backup_restore" "x" {
  config {
    backup_id = %q
    %s
  }
}

resource "terraform_data" "restore" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.optimize_backup_restore.x]
    }
  }
}
`, id, strings.Join(extra, "\n    "), id)
}

// startRestoreEmulator starts an emulator holding, besides the "optimize"
// installation, a second installation "optimize-staging" and an
// application's index with an alias.
func startRestoreEmulator(t *testing.T, opts ...acctest.EmulatorOption) *esemulator.Server {
	t.Helper()
	srv := acctest.StartEmulator(t, opts...)
	if err := srv.SeedOptimize(acctest.OptimizeVersion, "optimize-staging"); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateIndex("orders_v1", "orders"); err != nil {
		t.Fatal(err)
	}
	if err := srv.PutDocument("orders", "1", map[string]any{"total": 3}); err != nil {
		t.Fatal(err)
	}
	return srv
}

// isProdIndex is the test's own oracle of the "optimize" installation's indices.
func isProdIndex(name string) bool {
	return strings.HasPrefix(name, "optimize-") && !strings.HasPrefix(name, "optimize-staging-")
}

// indexState is every index of the emulator with its aliases and document count.
func indexState(srv *esemulator.Server, keep func(string) bool) map[string]string {
	out := map[string]string{}
	for _, n := range srv.Indices() {
		if keep == nil || keep(n) {
			aliases := srv.Aliases(n)
			sort.Strings(aliases)
			out[n] = strings.Join(aliases, ",")
		}
	}
	return out
}

func prodIndices(srv *esemulator.Server) []string {
	var out []string
	for _, n := range srv.Indices() {
		if isProdIndex(n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// deleteProdIndices deletes the "optimize" installation's indices, as an
// operator does before a restore.
func deleteProdIndices(t *testing.T, srv *esemulator.Server) {
	t.Helper()
	names := prodIndices(srv)
	if status, body := acctest.ESRequest(t, http.MethodDelete, srv.URL+"/"+strings.Join(names, ","), ""); status != http.StatusOK {
		t.Fatalf("deleting %v: %d %s", names, status, body)
	}
}

func checkIndexState(srv *esemulator.Server, keep func(string) bool, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := indexState(srv, keep); fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("indices and aliases:\n got %v\nwant %v", got, want)
		}
		return nil
	}
}

func notProd(n string) bool { return !isProdIndex(n) }

// A backup taken by the provider, the installation's indices deleted: the
// action restores them with their aliases and documents, part 1 then part 2;
// the staging installation and the application's index are never touched.
func TestAccBackupRestore_restoresIndicesWithAliases(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
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
				PreConfig: func() {
					deleteProdIndices(t, srv)
					if len(prodIndices(srv)) != 0 {
						t.Fatal("the installation's indices were not deleted")
					}
					srv.ResetRequests()
				},
				// The metadata index is gone with the installation: the version comes from the action.
				Config: backupConfig(srv.URL, "1") + restoreActionConfig("1", `optimize_version = "3.9.0"`),
				Check: resource.ComposeTestCheckFunc(
					checkIndexState(srv, isProdIndex, prodBefore),
					checkIndexState(srv, notProd, othersBefore),
					func(*terraform.State) error {
						// Read through the restored alias.
						if status, body := acctest.ESRequest(t, http.MethodGet, srv.URL+"/optimize-metadata/_doc/1", ""); status != 200 || !strings.Contains(body, `"schemaVersion":"3.9.0"`) {
							return fmt.Errorf("metadata document after restore: %d %s", status, body)
						}
						var restores []string
						for _, r := range srv.Requests() {
							if strings.HasSuffix(r.Path, "/_restore") {
								restores = append(restores, r.Path+"?"+r.Query)
							}
						}
						want := []string{
							"/_snapshot/backups/" + part1Of1 + "/_restore?wait_for_completion=true",
							"/_snapshot/backups/" + part2Of1 + "/_restore?wait_for_completion=true",
						}
						if strings.Join(restores, "\n") != strings.Join(want, "\n") {
							return fmt.Errorf("restore requests:\n%s\nwant:\n%s", strings.Join(restores, "\n"), strings.Join(want, "\n"))
						}
						if n := srv.CountRequests(http.MethodDelete, "/"); n != 0 {
							return fmt.Errorf("%d DELETE requests without delete_existing_indices", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// Each refusal leaves the emulator as it was: no index, alias or snapshot
// changes, and no DELETE or _restore request is sent.
func TestAccBackupRestore_refusals(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	part := func(id string, n int) string {
		return fmt.Sprintf("camunda_optimize_%s_%s_part_%d_of_2", id, acctest.OptimizeVersion, n)
	}
	cases := []struct {
		name     string
		setup    func(t *testing.T, srv *esemulator.Server)
		provider []string // lines in the provider block
		extra    []string // lines in the action's config
		expect   string
	}{
		{
			name:   "missing",
			setup:  func(t *testing.T, srv *esemulator.Server) { deleteProdIndices(t, srv) },
			expect: `Check: the backup does not exist. Found: backup "7" was not found in repository "backups"`,
		},
		{
			name: "INCOMPLETE",
			setup: func(t *testing.T, srv *esemulator.Server) {
				acctest.TakeOptimizeBackup(t, srv, "7")
				srv.DeleteSnapshot(acctest.Repository, part("7", 2))
				deleteProdIndices(t, srv)
			},
			expect: `Check: the backup is not COMPLETED. Found: it is INCOMPLETE (backup 7 has 1 of its 2 snapshots; missing: part 2 of 2`,
		},
		{
			name: "FAILED",
			setup: func(t *testing.T, srv *esemulator.Server) {
				srv.FailSnapshot(part("7", 2), "FAILED", "disk full")
				acctest.TakeOptimizeBackup(t, srv, "7")
				deleteProdIndices(t, srv)
			},
			expect: `Found: it is FAILED (snapshot camunda_optimize_7_3.9.0_part_2_of_2 is FAILED: disk full (63 of 63 shards failed)); a FAILED backup is never restored: restore another backup.`,
		},
		{
			name: "IN_PROGRESS",
			setup: func(t *testing.T, srv *esemulator.Server) {
				acctest.TakeOptimizeBackup(t, srv, "7")
				srv.DeleteSnapshot(acctest.Repository, part("7", 2))
				srv.PauseSnapshots()
				t.Cleanup(srv.ResumeSnapshots)
				if status, body := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/backups/"+part("7", 2), `{"indices":"optimize-metadata_v3"}`); status != 200 {
					t.Fatalf("starting part 2: %d %s", status, body)
				}
			},
			expect: `Found: it is IN_PROGRESS; it is still being taken: wait until it is COMPLETED.`,
		},
		{
			name: "version mismatch",
			setup: func(t *testing.T, srv *esemulator.Server) {
				acctest.TakeOptimizeBackup(t, srv, "7")
				deleteProdIndices(t, srv)
			},
			provider: []string{`optimize_version = "3.10.0"`},
			expect:   `Check: the backup's version differs from the target version. Found: backup 7 was taken by Optimize 3.9.0, and the Optimize that will read the data is 3.10.0`,
		},
		{
			// A concrete index named like an alias of part 2's indices (made
			// by hand once the installation was gone): part 1 would be
			// restored, then Elasticsearch refuse part 2.
			name: "an index named like an alias",
			setup: func(t *testing.T, srv *esemulator.Server) {
				acctest.TakeOptimizeBackup(t, srv, "7")
				deleteProdIndices(t, srv)
				if err := srv.CreateIndex("optimize-dashboard"); err != nil {
					t.Fatal(err)
				}
			},
			extra:  []string{fmt.Sprintf("optimize_version = %q", acctest.OptimizeVersion)},
			expect: `Check: the backup's aliases can be restored. Found: indices exist whose names are aliases the backup's indices come back with (an alias cannot share an index's name): optimize-dashboard;`,
		},
		{
			name:   "indices present",
			setup:  func(t *testing.T, srv *esemulator.Server) { acctest.TakeOptimizeBackup(t, srv, "7") },
			expect: `Check: indices of the installation exist. Found: 33 indices of the installation with index prefix "optimize" exist: optimize-alert_v4, optimize-business-key_v2,`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startRestoreEmulator(t)
			tc.setup(t, srv)
			indicesBefore := indexState(srv, nil)
			snapshotsBefore := acctest.SnapshotStates(srv)
			srv.ResetRequests()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				TerraformVersionChecks:   actionVersionChecks,
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(srv.URL, tc.provider...) + restoreActionConfig("7", tc.extra...),
					// The plan previews the restore (every check, read requests
					// only) and refuses it there. Terraform 1.14 prints "Error
					// when invoking action" and the summary joined to the detail;
					// 1.16 the diagnostic as it is.
					ExpectError: regexp.MustCompile(`Backup "7" would not be restored(:|\s+with (terraform_data\.restore, called from )?action\.optimize_backup_restore\.x(?s:.*?))\s+Nothing was changed\.\s+(?s:.*)` + wrapped(tc.expect)),
					Check:       nil,
				}},
			})
			if got := indexState(srv, nil); fmt.Sprint(got) != fmt.Sprint(indicesBefore) {
				t.Errorf("a refused restore changed the indices:\n got %v\nwant %v", got, indicesBefore)
			}
			if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(snapshotsBefore) {
				t.Errorf("a refused restore changed the snapshots: %v -> %v", snapshotsBefore, got)
			}
			for _, r := range srv.Requests() {
				if r.Method == http.MethodDelete || strings.HasSuffix(r.Path, "/_restore") || r.Method == http.MethodPut {
					t.Errorf("a refused restore sent %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

// Bad input is refused at plan time, before any request: an invalid backup
// id, a malformed version, no repository anywhere.
func TestAccBackupRestore_badInputFailsAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	noRepository := fmt.Sprintf(`
provider "optimize" {
  elasticsearch {
    endpoints = [%q]
  }
}
`, srv.URL)
	t.Setenv("CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME", "")
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config:      acctest.ProviderConfig(srv.URL) + restoreActionConfig("Nightly 1"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid backup id`),
			},
			{
				Config:      acctest.ProviderConfig(srv.URL) + restoreActionConfig("1", `optimize_version = "latest"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid Optimize version`),
			},
			{
				Config:      noRepository + restoreActionConfig("1"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`No snapshot repository`),
			},
		},
	})
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("bad input sent %d requests, first %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// With delete_existing_indices, exactly the installation's indices go first
// (one made after the backup too, which the backup then does not bring
// back), then the backup is restored; staging and the application stay.
func TestAccBackupRestore_deleteExistingIndices(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	prodAtBackup := indexState(srv, isProdIndex)
	othersBefore := indexState(srv, notProd)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		CheckDestroy:             acctest.CheckBackupGone(srv, part1Of1, part2Of1),
		Steps: []resource.TestStep{
			{
				Config: backupConfig(srv.URL, "1"),
			},
			{
				PreConfig: func() {
					if err := srv.CreateIndex("optimize-process-instance-new-one_v8", "optimize-process-instance-new-one"); err != nil {
						t.Fatal(err)
					}
					srv.ResetRequests()
				},
				Config: backupConfig(srv.URL, "1") + restoreActionConfig("1", "delete_existing_indices = true"),
				Check: resource.ComposeTestCheckFunc(
					checkIndexState(srv, isProdIndex, prodAtBackup),
					checkIndexState(srv, notProd, othersBefore),
					func(*terraform.State) error {
						var deleted []string
						for _, r := range srv.Requests() {
							if r.Method == http.MethodDelete {
								deleted = append(deleted, strings.Split(strings.TrimPrefix(r.Path, "/"), ",")...)
							}
						}
						sort.Strings(deleted)
						want := []string{"optimize-process-instance-new-one_v8"}
						for n := range prodAtBackup {
							want = append(want, n)
						}
						sort.Strings(want)
						if strings.Join(deleted, ",") != strings.Join(want, ",") {
							return fmt.Errorf("deleted:\n%v\nwant exactly the installation's indices:\n%v", deleted, want)
						}
						return nil
					},
				),
			},
		},
	})
}

// The real CLI, as an operator runs it, on the documented example: terraform
// apply -invoke prints the action's progress messages.
func TestAccBackupRestore_invokeWithTheCLI(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	example, err := os.ReadFile("../../examples/actions/optimize_backup_restore/action.tf")
	if err != nil {
		t.Fatal(err)
	}
	acctest.TakeOptimizeBackup(t, srv, "1748736000")
	prodBefore := indexState(srv, isProdIndex)
	othersBefore := indexState(srv, notProd)
	// Optimize has run on since the backup: one index more, which the restore deletes.
	if err := srv.CreateIndex("optimize-process-instance-new-one_v8", "optimize-process-instance-new-one"); err != nil {
		t.Fatal(err)
	}
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+string(example))
	out, code := cli.Run("apply", "-invoke=action.optimize_backup_restore.from_nightly", "-auto-approve")
	if code != 0 {
		t.Fatalf("terraform apply -invoke exited %d:\n%s", code, out)
	}
	const prefix = "Action action.optimize_backup_restore.from_nightly (triggered by CLI): "
	for _, want := range []string{
		"backup 1748736000 is COMPLETED",
		"backup 1748736000 is of Optimize 3.9.0, the target version",
		"checks passed",
		"deleted 34 indices of the installation: optimize-alert_v4,",
		"restoring part 1 of 2 (snapshot camunda_optimize_1748736000_3.9.0_part_1_of_2, 3 indices)",
		"part 1 of 2 restored in",
		"restoring part 2 of 2 (snapshot camunda_optimize_1748736000_3.9.0_part_2_of_2, 30 indices)",
		"part 2 of 2 restored in",
		"backup 1748736000 restored: 33 indices of Optimize 3.9.0 with their aliases",
	} {
		if !strings.Contains(out, prefix+want) {
			t.Errorf("the output lacks %q:\n%s", prefix+want, out)
		}
	}
	// Optimize's own part 2 (a wildcard) also holds the staging
	// installation's indices: they are not restored over the live ones.
	if !strings.Contains(out, prefix+"not restoring 33 indices of the snapshots that are not the installation's: optimize-staging-alert_v4,") {
		t.Errorf("the output does not name the staging indices it skipped:\n%s", out)
	}
	if got := indexState(srv, isProdIndex); fmt.Sprint(got) != fmt.Sprint(prodBefore) {
		t.Errorf("the installation after the restore:\n got %v\nwant %v", got, prodBefore)
	}
	if got := indexState(srv, notProd); fmt.Sprint(got) != fmt.Sprint(othersBefore) {
		t.Errorf("other indices changed:\n got %v\nwant %v", got, othersBefore)
	}
}

// wrapped matches text as Terraform prints it in a diagnostic, wrapped
// at any space.
func wrapped(text string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`)
}

// terraform plan -invoke previews the restore with read requests only: the
// indices it would delete (delete_existing_indices = true) and those each
// part restores.
func TestAccBackupRestore_planPreview(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "7")
	before := indexState(srv, nil)
	srv.ResetRequests()
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
action "optimize_backup_restore" "x" {
  config {
    backup_id               = "7"
    delete_existing_indices = true
  }
}
`)
	out, code := cli.Run("plan", "-invoke=action.optimize_backup_restore.x")
	if code != 0 {
		t.Fatalf("plan -invoke: exit %d\n%s", code, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		`Restore preview: backup "7" onto the installation with index prefix "optimize"`,
		"The checks passed (read requests only, nothing was changed). Backup 7 of Optimize 3.9.0 (snapshots camunda_optimize_7_3.9.0_part_1_of_2, camunda_optimize_7_3.9.0_part_2_of_2) would be restored.",
		"Deleted first (delete_existing_indices = true), 33 indices of the installation: optimize-alert_v4, optimize-business-key_v2,",
		"Part 1 restores 3 indices, with their aliases: optimize-import-index_v3, optimize-position-based-import-index_v2, optimize-timestamp-based-import-index_v4",
		"Part 2 restores 30 indices, with their aliases: optimize-alert_v4,",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("the preview sent %s %s", r.Method, r.Path)
		}
	}
	if got := indexState(srv, nil); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("the preview changed the indices")
	}
}
