// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// platformPolicyConfig is a hand-made whole backup, then the policy.
func platformPolicyConfig(provider, every string, keepLast int) string {
	return provider + fmt.Sprintf(`
resource "optimize_platform_backup" "hand" {}

resource "optimize_platform_backup_policy" "nightly" {
  name      = "nightly"
  every     = %q
  keep_last = %d
  depends_on = [optimize_platform_backup.hand]
}
`, every, keepLast)
}

// policyIDs reads the policy's backup_ids from the state into ids.
func policyIDs(ids *[]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		a := s.RootModule().Resources["optimize_platform_backup_policy.nightly"].Primary.Attributes
		*ids = nil
		for i := 0; a[fmt.Sprintf("backup_ids.%d", i)] != ""; i++ {
			*ids = append(*ids, a[fmt.Sprintf("backup_ids.%d", i)])
		}
		return nil
	}
}

// A policy taking whole backups over simulated days, keep_last = 2: the
// third day's apply deletes the first id from every component (no
// snapshot of any family, no Zeebe backup left); a backup that fails
// (a Zeebe partition) deletes nothing; with keep_last = 1 afterwards, the
// newest id complete everywhere is kept while the newer id is incomplete,
// and the plan warns naming Zeebe. The hand-made platform backup of
// another id is never touched.
func TestAccPlatformBackupPolicy_retentionAcrossComponents(t *testing.T) {
	e := startPlatform(t, "8.8.0")
	var hand string
	var ids []string
	at := func(days int) func() { return func() { e.srv.SetClockOffset(time.Duration(days) * 24 * time.Hour) } }
	whole := func(id *string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			return checkWholeBackup(e.srv, e.tw, *id, "optimize", "webapps", "zeebe_records")(s)
		}
	}
	idAt := func() *string {
		s := new(string)
		*s = "(none)"
		return s
	}
	first, second, third, failed := idAt(), idAt(), idAt(), idAt()
	keep := func(target *string, i int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if i >= len(ids) {
				return fmt.Errorf("backup_ids %v: no id %d", ids, i)
			}
			*target = ids[i]
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: at(-5),
			Config:    platformPolicyConfig(e.provider, "24h", 2),
			Check: resource.ComposeAggregateTestCheckFunc(
				func(s *terraform.State) error {
					hand = s.RootModule().Resources["optimize_platform_backup.hand"].Primary.Attributes["backup_id"]
					return nil
				},
				policyIDs(&ids), keep(first, 0),
				resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "backup_ids.#", "1"),
				resource.TestCheckResourceAttrPair("optimize_platform_backup_policy.nightly", "latest_complete_backup_id", "optimize_platform_backup_policy.nightly", "backup_ids.0"),
				whole(first),
			),
		}, {
			PreConfig: at(-4),
			Config:    platformPolicyConfig(e.provider, "24h", 2),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("optimize_platform_backup_policy.nightly", plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(true)),
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("expiring_backup_ids"), knownvalue.ListExact(nil)),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "backup_ids.#", "2"),
				policyIDs(&ids), keep(second, 1), whole(first), whole(second),
			),
		}, {
			// Imported by <repository>/<name>: the same ids and state.
			Config:                  platformPolicyConfig(e.provider, "24h", 2),
			ResourceName:            "optimize_platform_backup_policy.nightly",
			ImportState:             true,
			ImportStateId:           "backups/nightly",
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"every", "keep_last", "retained_by", "timeouts", "backup_due", "expiring_backup_ids", "expiring_reasons", "alerts"},
		}, {
			// And by identity (Terraform 1.12+).
			SkipFunc: func() (bool, error) {
				return acctest.CLIVersion(t).LessThan(version.Must(version.NewVersion("1.12.0"))) || os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org", nil
			},
			Config:          platformPolicyConfig(e.provider, "24h", 2),
			ResourceName:    "optimize_platform_backup_policy.nightly",
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithResourceIdentity,
			// every and keep_last come from the configuration at the next
			// plan: the import plans an update of them.
			ExpectNonEmptyPlan: true,
		}, {
			PreConfig: at(-3),
			Config:    platformPolicyConfig(e.provider, "24h", 2),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(true)),
				expectExpiring(first),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "backup_ids.#", "2"),
				policyIDs(&ids), keep(third, 1),
				func(s *terraform.State) error { return checkPlatformGone(e.srv, e.tw, *first)(s) },
				whole(second), whole(third), whole(&hand),
			),
		}, {
			// keep_last = 1: the plan names the second and third ids, as
			// the new backup would be the newest; it fails, and nothing
			// is deleted (the next step finds the second id there).
			PreConfig:   func() { at(-2)(); e.tw.FailPartition(2) },
			Config:      platformPolicyConfig(e.provider, "24h", 1),
			ExpectError: regexp.MustCompile(`(?s)backup \d+ failed.*partition 2.*deleted nothing|(?s)deleted nothing.*backup \d+ failed.*partition 2`),
		}, {
			// every far off: nothing due; keep_last = 1 expires the older
			// complete id, keeps the newest complete one while the newer
			// failed id is incomplete, and warns naming Zeebe.
			PreConfig: func() { e.tw.ClearFaults() },
			Config:    platformPolicyConfig(e.provider, "720h", 1),
			// The alert lasts: every plan is not empty while it does.
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
				expectExpiring(second),
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("alerts"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexp.MustCompile(`^newest backup \d+ is FAILED: .*zeebe: FAILED`))})),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				policyIDs(&ids), keep(failed, 1),
				resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "backup_ids.#", "2"),
				func(s *terraform.State) error {
					if *failed == *third {
						return fmt.Errorf("the failed id is the third one: %v", ids)
					}
					if ids[0] != *third {
						return fmt.Errorf("backup_ids %v: the newest complete id %s is not kept first", ids, *third)
					}
					if err := checkPlatformGone(e.srv, e.tw, *second)(s); err != nil {
						return err
					}
					if len(snapshotsOf(e.srv, *failed)) == 0 {
						return fmt.Errorf("the failed id %s is gone: it is newer than the newest complete one and is kept", *failed)
					}
					return nil
				},
				resource.TestCheckResourceAttrPtr("optimize_platform_backup_policy.nightly", "latest_complete_backup_id", third),
				whole(third), whole(&hand),
				// The third id is complete everywhere; the failed one has
				// every family COMPLETED and Zeebe FAILED.
				checkPolicyMetrics(map[string]float64{
					`optimize_backup_backups{component="optimize",policy="nightly",repository="backups",state="COMPLETED"}`:      2,
					`optimize_backup_backups{component="webapps",policy="nightly",repository="backups",state="COMPLETED"}`:       2,
					`optimize_backup_backups{component="zeebe_records",policy="nightly",repository="backups",state="COMPLETED"}`: 2,
					`optimize_backup_backups{component="zeebe",policy="nightly",repository="",state="COMPLETED"}`:                1,
					`optimize_backup_backups{component="zeebe",policy="nightly",repository="",state="FAILED"}`:                   1,
					`optimize_backup_failed{component="zeebe",policy="nightly",repository=""}`:                                   1,
					`optimize_backup_failed{component="optimize",policy="nightly",repository="backups"}`:                         0,
					`optimize_backup_stuck{component="webapps",policy="nightly",repository="backups"}`:                           0,
				}),
			),
		}, {
			// The alert lasts: the plan is not empty while the newest id
			// is incomplete.
			Config:             platformPolicyConfig(e.provider, "720h", 1),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
	if strings.Contains(fmt.Sprint(snapshotsOf(e.srv, hand)), "FAILED") {
		t.Errorf("the hand-made backup %s: %v", hand, snapshotsOf(e.srv, hand))
	}
}

// checkPolicyMetrics parses the policy's prometheus_metrics with the
// Prometheus text parser and compares the series named (name{labels
// sorted}) with their values.
func checkPolicyMetrics(want map[string]float64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		text := s.RootModule().Resources["optimize_platform_backup_policy.nightly"].Primary.Attributes["prometheus_metrics"]
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(strings.NewReader(text))
		if err != nil {
			return fmt.Errorf("prometheus_metrics does not parse: %w\n%s", err, text)
		}
		got := map[string]float64{}
		for name, f := range families {
			for _, m := range f.GetMetric() {
				var labels []string
				for _, l := range m.GetLabel() {
					labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
				}
				sort.Strings(labels)
				got[name+"{"+strings.Join(labels, ",")+"}"] = m.GetGauge().GetValue()
			}
		}
		for series, v := range want {
			if g, ok := got[series]; !ok || g != v {
				return fmt.Errorf("%s = %v (present %v), want %v; metrics:\n%s", series, g, ok, v, text)
			}
		}
		return nil
	}
}

// expectExpiring: the plan names exactly id as expiring, with a reason.
func expectExpiring(id *string) plancheck.PlanCheck {
	return expiringCheck{id}
}

type expiringCheck struct{ id *string }

func (c expiringCheck) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("expiring_backup_ids"),
		knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(*c.id)})).CheckPlan(ctx, req, resp)
	if resp.Error != nil {
		return
	}
	plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("expiring_reasons").AtMapKey(*c.id),
		knownvalue.StringRegexp(regexp.MustCompile(`.+`))).CheckPlan(ctx, req, resp)
}

// A platform policy and an Optimize backup policy never share a name in a
// repository, whichever comes first: the Optimize policy's retention would
// take the platform policy's Optimize snapshots for its own. Both are
// refused at plan time, with nothing written.
func TestAccPlatformBackupPolicy_nameOfAnOptimizePolicy(t *testing.T) {
	e := startPlatform(t, "8.8.0")
	base := e.provider + `
resource "optimize_platform_backup_policy" "p" {
  name  = "whole"
  every = "24h"
}
resource "optimize_backup_policy" "o" {
  name       = "optimize-only"
  every      = "24h"
  depends_on = [optimize_platform_backup_policy.p]
}
`
	var before int
	count := func() { before = len(acctest.SnapshotStates(e.srv)) }
	unchanged := func(*terraform.State) error {
		if n := len(acctest.SnapshotStates(e.srv)); n != before {
			return fmt.Errorf("%d snapshots, %d before the refused plan", n, before)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: base,
			Check:  resource.TestCheckResourceAttr("optimize_platform_backup_policy.p", "backup_ids.#", "1"),
		}, {
			PreConfig:   count,
			Config:      base + `resource "optimize_platform_backup_policy" "clash" {` + "\n" + `name = "optimize-only"` + "\n" + `every = "24h"` + "\n}\n",
			ExpectError: regexp.MustCompile(`(?s)the name is an Optimize backup\s+policy's.*Nothing was written`),
		}, {
			PreConfig:   count,
			Config:      base + `resource "optimize_backup_policy" "clash" {` + "\n" + `name = "whole"` + "\n" + `every = "24h"` + "\n}\n",
			ExpectError: regexp.MustCompile(`(?s)already has backups`),
		}, {
			Config: base,
			Check:  unchanged,
		}},
	})
}

// Under Camunda 8.7 (Operate's and Tasklist's backups through their own
// actuators) and 8.10 (the /v2 REST API), keep_last = 1 deletes the first
// id from every component once the second is complete everywhere.
func TestAccPlatformBackupPolicy_versions(t *testing.T) {
	for _, tc := range []struct {
		version  string
		families []string
	}{
		{"8.7.2", []string{"optimize", "operate", "tasklist", "zeebe_records"}},
		{"8.10.0", []string{"optimize", "webapps", "zeebe_records"}},
	} {
		t.Run(tc.version, func(t *testing.T) {
			e := startPlatform(t, tc.version)
			config := e.provider + `
resource "optimize_platform_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 1
}
`
			var ids []string
			first := new(string)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: func() { e.srv.SetClockOffset(-48 * time.Hour) },
					Config:    config,
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "camunda_version", tc.version),
						policyIDs(&ids),
						func(s *terraform.State) error {
							*first = ids[0]
							return checkWholeBackup(e.srv, e.tw, *first, tc.families...)(s)
						},
					),
				}, {
					PreConfig: func() { e.srv.SetClockOffset(-24 * time.Hour) },
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						expectExpiring(first),
					}},
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "backup_ids.#", "1"),
						policyIDs(&ids),
						func(s *terraform.State) error {
							if err := checkPlatformGone(e.srv, e.tw, *first)(s); err != nil {
								return err
							}
							return checkWholeBackup(e.srv, e.tw, ids[0], tc.families...)(s)
						},
					),
				}},
			})
		})
	}
}

// A Zeebe backup that does not finish: the apply's update timeout stops
// it, exporting runs afterwards, nothing is deleted; the id stays
// IN_PROGRESS, and once older than stale_after every plan warns of it
// (not empty), and never names it to expire.
func TestAccPlatformBackupPolicy_stuckBackup(t *testing.T) {
	e := startPlatform(t, "8.8.0")
	config := func(every string) string {
		return e.provider + fmt.Sprintf(`
resource "optimize_platform_backup_policy" "nightly" {
  name        = "nightly"
  every       = %q
  keep_last   = 1
  stale_after = "1h"
  timeouts = {
    update = "3s"
  }
}
`, every)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { e.srv.SetClockOffset(-72 * time.Hour) },
			Config:    config("24h"),
		}, {
			PreConfig:   func() { e.srv.SetClockOffset(-48 * time.Hour); e.tw.HoldZeebeBackups() },
			Config:      config("24h"),
			ExpectError: regexp.MustCompile(`(?s)backup \d+ failed.*(interrupted|deadline|timeout)`),
		}, {
			PreConfig: func() {
				e.srv.SetClockOffset(-24 * time.Hour)
				if s := e.tw.ExportingState(); s != "EXPORTING" {
					t.Errorf("exporting is %s after the stopped backup", s)
				}
			},
			Config:             config("720h"),
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("expiring_backup_ids"), knownvalue.ListExact(nil)),
				plancheck.ExpectKnownValue("optimize_platform_backup_policy.nightly", tfjsonpath.New("alerts"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexp.MustCompile(`^backup \d+ IN_PROGRESS since `))})),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("optimize_platform_backup_policy.nightly", "backup_ids.#", "2"),
				resource.TestCheckResourceAttrPair("optimize_platform_backup_policy.nightly", "latest_complete_backup_id", "optimize_platform_backup_policy.nightly", "backup_ids.0"),
				checkPolicyMetrics(map[string]float64{
					`optimize_backup_stuck{component="zeebe",policy="nightly",repository=""}`:                               1,
					`optimize_backup_backups{component="zeebe",policy="nightly",repository="",state="IN_PROGRESS"}`:         1,
					`optimize_backup_stuck{component="optimize",policy="nightly",repository="backups"}`:                     0,
					`optimize_backup_backups{component="optimize",policy="nightly",repository="backups",state="COMPLETED"}`: 2,
				}),
			),
		}},
	})
}
