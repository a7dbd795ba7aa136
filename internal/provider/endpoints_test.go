// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// With the first endpoint down, plan, apply, refresh and destroy go to the
// next one, as they would with a cluster node down.
func TestAccProvider_firstEndpointDown(t *testing.T) {
	srv, tc := acctest.Setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	_ = ln.Close()
	config := fmt.Sprintf(`
provider "optimize" {
  repository_name = %q
  elasticsearch {
    endpoints = [%q, %q]
  }
}

resource "optimize_backup" "test" {
  backup_id = "1764633600"
}
`, acctest.Repository, dead, srv.URL)
	tc.Steps = []resource.TestStep{
		{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			},
		},
		{Config: config, PlanOnly: true},
	}
	resource.Test(t, tc)
}

// deadEndpoint is an address on which nothing listens.
func deadEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	_ = ln.Close()
	return dead
}

// planResources are a backup and a policy.
const planResources = `
resource "optimize_backup" "test" {
  backup_id = "1764633600"
}

resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 2
}
`

// wrappedText matches text however Terraform wrapped it in its diagnostics.
func wrappedText(text string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`))
}

// refusedToPlan checks that both resources of planResources refused to plan
// with an error holding each of causes, and that Terraform never blamed the
// provider for an inconsistent plan.
func refusedToPlan(t *testing.T, what, out string, code int, causes ...string) {
	t.Helper()
	if code != 1 || strings.Contains(out, "inconsistent final plan") {
		t.Fatalf("%s: exit %d, want 1 with the cause:\n%s", what, code, out)
	}
	for _, want := range append([]string{`Backup "1764633600" cannot be planned`, `Backup policy "nightly" cannot be planned`, "nothing was written"}, causes...) {
		if !wrappedText(want).MatchString(out) {
			t.Fatalf("%s: the output lacks %q:\n%s", what, want, out)
		}
	}
}

// A plan with every endpoint dead fails for a backup and a policy to be
// created, naming each endpoint: it never plans a create without having
// reached the cluster.
func TestAccProvider_everyEndpointDeadFailsThePlan(t *testing.T) {
	acctest.PreCheck(t)
	dead1, dead2 := deadEndpoint(t), deadEndpoint(t)
	config := fmt.Sprintf("provider \"optimize\" {\n  repository_name = %q\n  elasticsearch {\n    endpoints = [%q, %q]\n  }\n}\n", acctest.Repository, dead1, dead2) + planResources
	out, code := acctest.NewCLI(t, config).Run("plan", "-detailed-exitcode")
	refusedToPlan(t, "plan with every endpoint dead", out, code, "search engine at "+dead1+", "+dead2+" is unreachable", "check elasticsearch.endpoints")
}

// In the state already and planned without a refresh, the backup and the
// policy still reach the cluster, and the plan fails when they cannot,
// instead of saying "No changes" about a cluster it has not seen.
func TestAccProvider_everyEndpointDeadNoRefresh(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+planResources)
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	if out, code := cli.Run("plan", "-detailed-exitcode", "-refresh=false"); code != 0 {
		t.Fatalf("plan -refresh=false with the cluster up: exit %d\n%s", code, out)
	}
	_ = srv.Close()
	out, code := cli.Run("plan", "-detailed-exitcode", "-refresh=false")
	refusedToPlan(t, "plan -refresh=false with the cluster down", out, code, "at "+srv.URL+" is unreachable")
}

// A plan saved while the cluster answered, applied when it does not: the
// apply fails with the cause (unreachable), for the backup and the policy,
// not with "Provider produced inconsistent final plan".
func TestAccProvider_savedPlanAppliedUnreachable(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+planResources)
	if out, code := cli.Run("plan", "-out=tfplan"); code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, out)
	}
	_ = srv.Close()
	out, code := cli.Run("apply", "tfplan")
	refusedToPlan(t, "apply of the saved plan with the cluster down", out, code, "at "+srv.URL+" is unreachable")
}
