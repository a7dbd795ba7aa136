// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net"
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
