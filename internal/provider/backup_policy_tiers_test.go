// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// A year of nightly backups (2026-01-01 to 2026-12-31 at 02:00 UTC, ids in
// unix seconds) under keep_daily = 7, keep_weekly = 4, keep_monthly = 12,
// adopted by import at 2026-12-31 03:00 UTC: the apply keeps exactly 20
// (written out from a calendar below), deletes the other 345 whole, and
// leaves another policy's and hand-made backups of the same nights alone.
// A refresh over the 365 backups is one listing request.
func TestAccBackupPolicy_calendarTiersOverAYear(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	now := time.Date(2026, 12, 31, 3, 0, 0, 0, time.UTC)
	srv.SetClockOffset(time.Until(now))
	night := func(day time.Time) string { return strconv.FormatInt(day.Unix(), 10) }
	first := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	for d := first; d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		id := night(d)
		acctest.PutBackup(t, srv, id, "8.8.0", `,"metadata":{"policy":"nightly"}`)
		srv.AgeSnapshots(acctest.Repository, "camunda_optimize_"+id+"_", now.Sub(d))
	}
	// Not the policy's: another policy's and a hand-made backup on
	// nights the tiers do not keep.
	others := []string{night(time.Date(2026, 3, 15, 2, 0, 1, 0, time.UTC)), night(time.Date(2026, 7, 4, 2, 0, 1, 0, time.UTC))}
	acctest.PutBackup(t, srv, others[0], "8.8.0", `,"metadata":{"policy":"weekly"}`)
	acctest.PutBackup(t, srv, others[1], "8.8.0", "")
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_"+others[0]+"_", now.Sub(time.Date(2026, 3, 15, 2, 0, 1, 0, time.UTC)))
	srv.AgeSnapshots(acctest.Repository, "camunda_optimize_"+others[1]+"_", now.Sub(time.Date(2026, 7, 4, 2, 0, 1, 0, time.UTC)))

	// The kept nights, from a calendar: 2026-12-31 is a Thursday of ISO
	// week 2026-W53 (Dec 28 to Jan 3).
	day := func(m time.Month, d int) string { return night(time.Date(2026, m, d, 2, 0, 0, 0, time.UTC)) }
	kept := map[string][]string{}
	keep := func(rule string, ids ...string) {
		for _, id := range ids {
			kept[id] = append(kept[id], rule)
		}
	}
	keep("keep_daily", day(12, 25), day(12, 26), day(12, 27), day(12, 28), day(12, 29), day(12, 30), day(12, 31))
	keep("keep_weekly", day(12, 31), day(12, 27), day(12, 20), day(12, 13)) // W53, W52, W51, W50
	keep("keep_monthly", day(12, 31), day(11, 30), day(10, 31), day(9, 30), day(8, 31), day(7, 31),
		day(6, 30), day(5, 31), day(4, 30), day(3, 31), day(2, 28), day(1, 31))
	keep("newest_completed", day(12, 31))
	var wantKept []string
	for id := range kept {
		wantKept = append(wantKept, id)
	}
	sort.Strings(wantKept)
	if len(wantKept) != 20 {
		t.Fatalf("the calendar keeps %d nights, want 20", len(wantKept))
	}

	const addr = "optimize_backup_policy.nightly"
	config := policyConfig(srv.URL, "  every = \"24h\"\n  keep_daily = 7\n  keep_weekly = 4\n  keep_monthly = 12\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      acctest.Repository + "/nightly",
				ImportStatePersist: true,
			},
			{
				// A refresh over 365 backups: one listing.
				PreConfig:          srv.ResetRequests,
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					var listings []string
					for _, r := range srv.Requests() {
						if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/_snapshot/") {
							listings = append(listings, r.Path)
						}
					}
					if len(listings) != 1 {
						t.Errorf("the refresh and plan over 365 backups read the repository %d times, want once: %v", len(listings), listings)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("expiring_backup_ids"), knownvalue.ListSizeExact(365-20)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("expiring_reasons").AtMapKey(day(12, 24)),
						knownvalue.StringExact("keep_daily = 7 keeps the newest backup of each of the last 7 days with a backup (2026-12-25 to 2026-12-31, UTC), not of its day (2026-12-24), "+
							"and keep_weekly = 4 keeps the newer backup "+day(12, 27)+" of its ISO week (2026-W52, UTC), "+
							"and keep_monthly = 12 keeps the newer backup "+day(12, 31)+" of its month (2026-12, UTC)")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("backup_ids"), knownvalue.ListSizeExact(20)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("retained_by").AtMapKey(day(12, 31)), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("keep_daily"), knownvalue.StringExact("keep_monthly"), knownvalue.StringExact("keep_weekly"), knownvalue.StringExact("newest_completed"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("retained_by").AtMapKey(day(12, 13)), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("keep_weekly")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("retained_by").AtMapKey(day(2, 28)), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("keep_monthly")})),
				},
				Check: func(*terraform.State) error {
					got := sortedIDs(policyBackups(srv, "nightly"))
					sort.Strings(got)
					if fmt.Sprint(got) != fmt.Sprint(wantKept) {
						return fmt.Errorf("the policy's backups after the apply:\n got %v\nwant %v", got, wantKept)
					}
					for id, n := range policyBackups(srv, "nightly") {
						if n != 2 {
							return fmt.Errorf("backup %s has %d snapshots left, want both parts", id, n)
						}
					}
					states := acctest.SnapshotStates(srv)
					for _, id := range others {
						for part := 1; part <= 2; part++ {
							if n := fmt.Sprintf("camunda_optimize_%s_8.8.0_part_%d_of_2", id, part); states[n] != "SUCCESS" {
								return fmt.Errorf("%s, not the policy's, is gone", n)
							}
						}
					}
					return nil
				},
			},
			{
				Config:   config,
				PlanOnly: true, // all that is left is kept: an empty plan
			},
		},
	})
}

// A policy whose state an older provider wrote (without the attributes of
// the calendar tiers, the drill and the metrics) plans no change after the
// upgrade: a scheduled plan -detailed-exitcode does not flag it.
func TestAccBackupPolicy_stateOfAnOlderProviderPlansNothing(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	cli := acctest.NewCLI(t, policyConfig(srv.URL, "  every = \"24h\"\n  keep_last = 2\n"))
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	var state map[string]any
	if err := json.Unmarshal([]byte(cli.ReadFile("terraform.tfstate")), &state); err != nil {
		t.Fatal(err)
	}
	removed := 0
	for _, r := range state["resources"].([]any) {
		for _, inst := range r.(map[string]any)["instances"].([]any) {
			attrs := inst.(map[string]any)["attributes"].(map[string]any)
			for _, name := range []string{"keep_daily", "keep_weekly", "keep_monthly", "keep_yearly", "time_zone", "retained_by", "expiring_reasons",
				"prometheus_metrics", "verify_every", "verification_due", "last_verified_backup_id", "last_verified_at",
				"last_verification_passed", "last_verification_error"} {
				if _, ok := attrs[name]; ok {
					delete(attrs, name)
					removed++
				}
			}
		}
	}
	if removed != 14 {
		t.Fatalf("removed %d attributes from the state, want 14", removed)
	}
	older, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	cli.WriteFile("terraform.tfstate", string(older))
	if out, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan after the upgrade: exit %d, want 0 (no changes)\n%s", code, out)
	}
}
