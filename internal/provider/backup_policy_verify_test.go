// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// verify_every: the create drills the first backup; nothing is due within
// the week; a week later an apply drills again; a drill that fails (a shard
// of the new backup does not restore) fails the apply, deletes nothing,
// and holds retention with an alert on every plan; a passing drill lifts
// the hold, and only then does retention delete. No drill leaves a scratch
// index, and each drill restores both parts (two restore requests).
func TestAccBackupPolicy_verifyEvery(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	const addr = "optimize_backup_policy.nightly"
	config := policyConfig(srv.URL, "  every = \"300h\"\n  keep_last = 1\n  verify_every = \"168h\"\n")
	indicesBefore := strings.Join(srv.Indices(), ",")
	// drilled checks that exactly one drill ran since the step began (its
	// two restores) and left nothing behind.
	drilled := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			restores := 0
			for _, r := range srv.Requests() {
				if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/_restore") {
					restores++
				}
			}
			if restores != 2*want {
				return fmt.Errorf("%d restore requests, want %d (%d drill(s) of two parts)", restores, 2*want, want)
			}
			if left := scratchIndices(srv); len(left) > 0 {
				return fmt.Errorf("scratch indices left: %v", left)
			}
			if after := strings.Join(srv.Indices(), ","); after != indicesBefore {
				return fmt.Errorf("the installation's indices changed:\nbefore %s\nafter  %s", indicesBefore, after)
			}
			return nil
		}
	}
	at := func(offset time.Duration) func() {
		return func() {
			srv.SetClockOffset(offset)
			srv.ResetRequests()
		}
	}
	// drillMetrics checks prometheus_metrics: the policy's COMPLETED and
	// FAILED counts and the last drill's result.
	drillMetrics := func(completed float64, passed float64) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New("prometheus_metrics"), promMetrics{check: func(f families) error {
			var errs []error
			labels := []string{"policy", "nightly", "repository", acctest.Repository, "component", "optimize"}
			f.expect(&errs, completed, "optimize_backup_backups", append(labels, "state", "COMPLETED")...)
			f.expect(&errs, 0, "optimize_backup_failed", labels...)
			f.expect(&errs, passed, "optimize_backup_last_drill_success", labels...)
			if _, ok := f.gauge("optimize_backup_last_drill_timestamp_seconds", labels...); !ok {
				errs = append(errs, fmt.Errorf("no optimize_backup_last_drill_timestamp_seconds"))
			}
			return errors.Join(errs...)
		}})
	}
	var first, second string
	var verifiedAt string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The create takes the first backup and drills it.
				PreConfig: at(0),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("verification_due"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(addr, tfjsonpath.New("last_verified_backup_id"), addr, tfjsonpath.New("latest_backup_id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_verification_passed"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_verification_error"), knownvalue.StringExact("")),
					drillMetrics(1, 1),
				},
				Check: resource.ComposeTestCheckFunc(drilled(1), func(s *terraform.State) error {
					a := s.RootModule().Resources[addr].Primary.Attributes
					first, verifiedAt = a["latest_backup_id"], a["last_verified_at"]
					if _, err := time.Parse(time.RFC3339, verifiedAt); err != nil {
						return fmt.Errorf("last_verified_at %q: %w", verifiedAt, err)
					}
					return nil
				}),
			},
			{
				// Within the week: nothing to do.
				PreConfig: at(time.Hour),
				Config:    config,
				PlanOnly:  true,
			},
			{
				// A week later the drill is due; no backup is.
				PreConfig: at(169 * time.Hour),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("verification_due"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
				}},
				Check: resource.ComposeTestCheckFunc(drilled(1), func(s *terraform.State) error {
					a := s.RootModule().Resources[addr].Primary.Attributes
					if a["last_verified_backup_id"] != first || a["last_verification_passed"] != "true" {
						return fmt.Errorf("after the second drill: %s passed=%s, want %s passed", a["last_verified_backup_id"], a["last_verification_passed"], first)
					}
					t1, _ := time.Parse(time.RFC3339, verifiedAt)
					t2, err := time.Parse(time.RFC3339, a["last_verified_at"])
					if err != nil || t2.Sub(t1) < 168*time.Hour {
						return fmt.Errorf("last_verified_at %s, want about 169h after %s", a["last_verified_at"], verifiedAt)
					}
					return nil
				}),
			},
			{
				// Two weeks on, a backup is due and so is a drill; a shard
				// of the new backup fails to restore: the apply fails, and
				// retention (keep_last = 1 expires the first) deletes
				// nothing.
				PreConfig: func() {
					at(338 * time.Hour)()
					srv.FailRestoreOf("optimize-single-process-report_v11")
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`did not pass its restore drill`),
				Check:       drilled(1),
			},
			{
				// Every plan alerts, and retention is held: keep_last = 1
				// would expire the first backup.
				PreConfig: func() {
					at(339 * time.Hour)()
					ids := sortedIDs(policyBackups(srv, "nightly"))
					if len(ids) != 2 || ids[0] != first {
						t.Fatalf("after the failed drill the policy's backups are %v, want %s and the new one", ids, first)
					}
					second = ids[1]
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("verification_due"), knownvalue.Bool(false)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("expiring_backup_ids"), knownvalue.ListExact(nil)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("alerts"), knownvalue.ListPartial(map[int]knownvalue.Check{
						0: knownvalue.StringRegexp(regexp.MustCompile(`^backup \d+ did not pass its restore drill$`)),
					})),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_verification_passed"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_verification_error"), knownvalue.StringRegexp(regexp.MustCompile(`optimize-single-process-report_v11`))),
					drillMetrics(2, 0),
				},
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(drilled(0), func(s *terraform.State) error {
					a := s.RootModule().Resources[addr].Primary.Attributes
					if a["last_verified_backup_id"] != second {
						return fmt.Errorf("last_verified_backup_id %s, want the failed %s", a["last_verified_backup_id"], second)
					}
					if got := policyBackups(srv, "nightly"); len(got) != 2 {
						return fmt.Errorf("retention deleted while held: %v", got)
					}
					return nil
				}),
			},
			{
				// A week after the failed drill it runs again and passes;
				// retention is still held in this apply's plan.
				PreConfig: at(507 * time.Hour),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("verification_due"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("expiring_backup_ids"), knownvalue.ListExact(nil)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_verification_passed"), knownvalue.Bool(true)),
				},
				ExpectNonEmptyPlan: true, // retention now deletes the first
				Check:              drilled(1),
			},
			{
				// The hold is lifted: retention deletes the first backup.
				PreConfig: at(508 * time.Hour),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("alerts"), knownvalue.ListExact(nil)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("expiring_backup_ids"), knownvalue.ListSizeExact(1)),
				}},
				Check: func(*terraform.State) error {
					if got := sortedIDs(policyBackups(srv, "nightly")); len(got) != 1 || got[0] != second {
						return fmt.Errorf("after the hold the policy's backups are %v, want only %s", got, second)
					}
					return nil
				},
			},
		},
	})
}
