// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// A policy whose name already marks backups of the repository (another
// workspace's) is refused at plan time, naming them and the import; nothing
// is written, and none of the other policy's backups is deleted (issue 25,
// item 3).
func TestAccBackupPolicy_nameAlreadyTaken(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	for _, id := range []string{"1764000000", "1764086400", "1764172800"} {
		acctest.PutBackup(t, srv, id, "8.8.0", `,"metadata":{"policy":"nightly"}`)
	}
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 48*time.Hour)
	before := acctest.SnapshotStates(srv)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: policyConfig(srv.URL, "  every = \"1h\"\n  keep_last = 1\n"),
			ExpectError: wrappedAll(`Backup policy "nightly" already has backups`, "1764000000, 1764086400, 1764172800",
				"Nothing was written.", "terraform import <address> backups/nightly"),
		}},
	})
	if after := acctest.SnapshotStates(srv); !reflect.DeepEqual(after, before) {
		t.Fatalf("the refused create changed the repository: before %v, after %v", before, after)
	}
}

// A backup of the policy deleted out of band makes the next plan non-empty
// (an alert naming it, and a warning); the apply acknowledges it, and the
// plan after that is empty (issue 25, item 5).
func TestAccBackupPolicy_backupDeletedOutOfBand(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	config := policyConfig(srv.URL, "  every = \"24h\"\n")
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					first = sortedIDs(policyBackups(srv, "nightly"))[0]
					return nil
				},
			},
			{
				// A second backup, so that nothing is due once the first goes.
				PreConfig: func() { srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 25*time.Hour) },
				Config:    config,
				Check: func(*terraform.State) error {
					if got := policyBackups(srv, "nightly"); len(got) != 2 {
						return fmt.Errorf("policy backups %v, want two", got)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					names := strings.Join([]string{"camunda_optimize_" + first + "_8.8.0_part_1_of_2", "camunda_optimize_" + first + "_8.8.0_part_2_of_2"}, ",")
					if status, answer := acctest.ESRequest(t, http.MethodDelete, srv.URL+"/_snapshot/"+acctest.Repository+"/"+names, ""); status != http.StatusOK {
						t.Fatalf("deleting backup %s out of band: %d %s", first, status, answer)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("optimize_backup_policy.nightly", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
					plancheck.ExpectKnownValue("optimize_backup_policy.nightly", tfjsonpath.New("alerts"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringRegexp(regexp.MustCompile(`^backup\(s\) ` + "[0-9]+" + ` deleted outside the policy$`)),
					})),
				}},
				Check: func(*terraform.State) error {
					if got := policyBackups(srv, "nightly"); len(got) != 1 || got[first] != 0 {
						return fmt.Errorf("policy backups %v: the acknowledging apply must take and delete nothing", got)
					}
					return nil
				},
			},
			{
				// Acknowledged: nothing to do.
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// Optimize 3.10 to 3.13 take Java Integer ids: with a hand-made backup
// 2147483647 in the repository, a due backup's id cannot be made, and the
// plan says so, naming that backup, instead of a plan whose apply fails
// (issue 25, item 7). Nothing is written.
func TestAccBackupPolicy_integerIDsExhausted(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "3.13.0")
	acctest.PutBackup(t, srv, "2147483647", "3.13.0", "")
	before := acctest.SnapshotStates(srv)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: policyConfig(srv.URL, "  every = \"24h\"\n"),
			ExpectError: wrappedAll(`Backup policy "nightly" cannot take its next backup`, `backup "2147483647"`,
				"forces the next id to 2147483648", "(2147483647, Java Integer)", `Delete backup "2147483647"`),
		}},
	})
	if after := acctest.SnapshotStates(srv); !reflect.DeepEqual(after, before) {
		t.Fatalf("the refused plan changed the repository: before %v, after %v", before, after)
	}
}

// wrappedAll matches the texts, in order, however Terraform wrapped them.
func wrappedAll(texts ...string) *regexp.Regexp {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = wrapped(t)
	}
	return regexp.MustCompile("(?s)" + strings.Join(parts, ".*"))
}

// The cluster's clock 10 minutes behind this machine's and every = 5m: the
// schedule is measured on the cluster's clock (which stamps the snapshots),
// so the plan after the first backup is empty instead of taking a backup at
// every apply, and the plan warns of the skew (issue 25, item 6).
func TestAccBackupPolicy_clusterClockBehind(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	srv.SetClockOffset(-10 * time.Minute)
	cli := acctest.NewCLI(t, policyConfig(srv.URL, "  every = \"5m\"\n"))
	skew := regexp.MustCompile(wrapped("This machine's clock is 10m0s ahead of the cluster's clock"))
	out, code := cli.Run("apply", "-auto-approve")
	if code != 0 || !skew.MatchString(out) {
		t.Fatalf("apply exited %d without the warning of the skew:\n%s", code, out)
	}
	if got := policyBackups(srv, "nightly"); len(got) != 1 {
		t.Fatalf("the create took %v, want one backup", got)
	}
	out, code = cli.Run("plan", "-detailed-exitcode")
	if code != 0 || !skew.MatchString(out) {
		t.Fatalf("plan -detailed-exitcode exited %d (want 0: nothing due on the cluster's clock) or did not warn:\n%s", code, out)
	}
	// Five minutes later on the cluster's clock, a backup is due.
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_", 6*time.Minute)
	if _, code = cli.Run("plan", "-detailed-exitcode"); code != 2 {
		t.Fatalf("plan -detailed-exitcode exited %d once a backup is due, want 2", code)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy: %s", out)
	}
}
