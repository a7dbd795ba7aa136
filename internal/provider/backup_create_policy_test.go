// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// checkSavedPlan runs plan checks on the plan saved in the CLI's tfplan.
func checkSavedPlan(t *testing.T, cli *acctest.CLI, checks ...plancheck.PlanCheck) {
	t.Helper()
	planJSON, code := cli.Run("show", "-json", "tfplan")
	if code != 0 {
		t.Fatalf("show exited %d:\n%s", code, planJSON)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatalf("decoding the plan: %v\n%s", err, planJSON)
	}
	for _, check := range checks {
		var resp plancheck.CheckPlanResponse
		check.CheckPlan(context.Background(), plancheck.CheckPlanRequest{Plan: &plan}, &resp)
		if resp.Error != nil {
			t.Error(resp.Error)
		}
	}
}

// A backup the action takes with policy_name = "nightly" is the existing
// policy's: the policy's next plan counts it (backup_ids), and with
// keep_last = 1 it is the newest that retention keeps while the plan
// expires the policy's older backup; the apply deletes only that one.
func TestAccBackupCreate_adoptedByPolicy(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulatorForOptimize(t, "8.8.0")
	config := acctest.ProviderConfig(srv.URL) + `
resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 1
}

action "optimize_backup_create" "now" {
  config {
    policy_name = "nightly"
  }
}
`
	cli := acctest.NewCLI(t, config)
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("creating the policy: %s", out)
	}
	taken := sortedIDs(policyBackups(srv, "nightly"))
	if len(taken) != 1 {
		t.Fatalf("the policy's create took %v, want one backup", taken)
	}
	first := taken[0]
	// The action's id is the cluster's clock in seconds: a second later
	// than the policy's first backup.
	time.Sleep(1100 * time.Millisecond)
	if out, code := cli.Run("apply", "-auto-approve", "-invoke=action.optimize_backup_create.now"); code != 0 {
		t.Fatalf("invoke: %s", out)
	}
	taken = sortedIDs(policyBackups(srv, "nightly"))
	if len(taken) != 2 || taken[0] != first {
		t.Fatalf("after the invoke the policy's backups are %v, want %s and the action's", taken, first)
	}
	second := taken[1]

	if out, code := cli.Run("plan", "-out=tfplan"); code != 0 {
		t.Fatalf("plan: %s", out)
	}
	list := func(ids ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(ids))
		for i, id := range ids {
			checks[i] = knownvalue.StringExact(id)
		}
		return knownvalue.ListExact(checks)
	}
	address := "optimize_backup_policy.nightly"
	checkSavedPlan(t, cli,
		plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
		plancheck.ExpectKnownValue(address, tfjsonpath.New("backup_due"), knownvalue.Bool(false)),
		plancheck.ExpectKnownValue(address, tfjsonpath.New("expiring_backup_ids"), list(first)),
	)
	if out, code := cli.Run("apply", "tfplan"); code != 0 {
		t.Fatalf("apply: %s", out)
	}
	if got := policyBackups(srv, "nightly"); len(got) != 1 || got[second] != 2 {
		t.Errorf("after retention the policy's backups are %v, want the action's %s, both parts", got, second)
	}
	show, _ := cli.Run("show", "-json")
	if want := fmt.Sprintf(`"backup_ids":[%q]`, second); !strings.Contains(show, want) {
		t.Errorf("the policy's state does not name the action's backup as its own (%s):\n%s", want, show)
	}
}
