// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	optimizeprovider "github.com/optimize-tf/terraform-provider-optimize/internal/provider"
)

func TestProviderSchemaIsValid(t *testing.T) {
	p := optimizeprovider.New("test")()
	resp := &provider.SchemaResponse{}
	p.Schema(context.Background(), provider.SchemaRequest{}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatal(diags)
	}
}

// clearElasticsearchEnv keeps the caller's environment out of a test.
func clearElasticsearchEnv(t *testing.T) {
	for _, v := range []string{optimizeprovider.EnvEndpoints, optimizeprovider.EnvUsername, optimizeprovider.EnvPassword,
		optimizeprovider.EnvAPIKey, optimizeprovider.EnvBearerToken, optimizeprovider.EnvInsecure, optimizeprovider.EnvRepository} {
		t.Setenv(v, "")
	}
}

func TestAccProvider_misconfigurationFailsAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	clearElasticsearchEnv(t)
	badCA := filepath.Join(t.TempDir(), "missing-ca.pem")
	resourceBlock := `
resource "optimize_backup" "test" {
  backup_id = "1"
}
`
	for name, tc := range map[string]struct{ elasticsearch, want string }{
		"no endpoint":      {``, `no Elasticsearch endpoint is configured: set\s+elasticsearch.endpoints or ELASTICSEARCH_ENDPOINTS`},
		"malformed URL":    {`endpoints = ["localhost:9200"]`, `endpoint "localhost:9200" must start with http:// or https://`},
		"no host":          {`endpoints = ["http://"]`, `endpoint "http://" has no host`},
		"two auth methods": {"endpoints = [\"http://127.0.0.1:9\"]\n username = \"elastic\"\n password = \"x\"\n api_key = \"a2V5\"", `configure exactly one authentication method`},
		"unreadable CA":    {"endpoints = [\"http://127.0.0.1:9\"]\n ca_file = \"" + badCA + "\"", `Unreadable CA file`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: `
provider "optimize" {
  repository_name = "backups"
  elasticsearch {
    ` + tc.elasticsearch + `
  }
}
` + resourceBlock,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?is)` + strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
		})
	}
}

func TestAccProvider_environmentFallback(t *testing.T) {
	clearElasticsearchEnv(t)
	srv, tc := acctest.Setup(t, acctest.WithBasicAuth("elastic", "s3cret"))
	t.Setenv(optimizeprovider.EnvEndpoints, "  "+srv.URL+" ")
	t.Setenv(optimizeprovider.EnvUsername, "elastic")
	t.Setenv(optimizeprovider.EnvPassword, "s3cret")
	t.Setenv(optimizeprovider.EnvRepository, acctest.Repository)
	tc.Steps = []resource.TestStep{{
		Config: `
provider "optimize" {}

resource "optimize_backup" "test" {
  backup_id = "1"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("repository_name"), knownvalue.StringExact("backups")),
		},
	}}
	resource.Test(t, tc)
}

// An endpoint that comes from another resource is unknown at plan time: the
// plan must not fail, and the apply must use the endpoint once known.
func TestAccProvider_unknownEndpointAtPlan(t *testing.T) {
	clearElasticsearchEnv(t)
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{{
		Config: `
resource "terraform_data" "cluster" {
  input = "` + srv.URL + `"
}

provider "optimize" {
  repository_name = "backups"
  elasticsearch {
    endpoints = [terraform_data.cluster.output]
  }
}

resource "optimize_backup" "test" {
  backup_id = "1"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
		},
	}}
	resource.Test(t, tc)
}

func TestAccProvider_noRepositoryFailsAtPlan(t *testing.T) {
	clearElasticsearchEnv(t)
	srv, tc := acctest.Setup(t)
	tc.Steps = []resource.TestStep{{
		Config: `
provider "optimize" {
  elasticsearch {
    endpoints = ["` + srv.URL + `"]
  }
}

resource "optimize_backup" "test" {
  backup_id = "1"
}
`,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)No snapshot repository.*CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME`),
	}}
	resource.Test(t, tc)
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("plan sent %d requests", n)
	}
}

// With TF_LOG=TRACE, the provider's log (and Terraform's) shows every
// Elasticsearch request under the elasticsearch subsystem, and never the
// password or the Authorization header built from it.
func TestAccProvider_traceLogsHideSecrets(t *testing.T) {
	clearElasticsearchEnv(t)
	const password = "pa55-word-that-must-not-leak"
	srv, tc := acctest.Setup(t, acctest.WithBasicAuth("elastic", password))
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	cfg := strings.Replace(backupConfig(srv.URL, "1"), "elasticsearch {", `elasticsearch {
    username = "elastic"
    password = "`+password+`"`, 1)
	tc.Steps = []resource.TestStep{{Config: cfg}}
	resource.Test(t, tc)
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The test harness itself echoes each configuration it writes
	// (sdk.helper_resource, test_terraform_configuration=, continued by "  |"
	// lines): that is the test's own text, not something a user's run logs.
	var lines []string
	echo := false
	for _, l := range strings.Split(string(raw), "\n") {
		switch {
		case strings.Contains(l, "test_terraform_configuration="):
			echo = true
			continue
		case echo && strings.HasPrefix(l, "  |"):
			continue
		}
		echo = false
		lines = append(lines, l)
	}
	log := strings.Join(lines, "\n")
	basic := base64.StdEncoding.EncodeToString([]byte("elastic:" + password))
	for _, secret := range []string{password, basic} {
		if strings.Contains(log, secret) {
			t.Errorf("the trace log (%d bytes) contains the secret %q", len(log), secret)
		}
	}
	for _, want := range [][]string{
		{"method=PUT", "path=/_snapshot/backups/camunda_optimize_1_3.9.0_part_1_of_2", "status=200", "duration_ms="},
		{"method=DELETE", `path="/_snapshot/backups/camunda_optimize_1_3.9.0_part_1_of_2,camunda_optimize_1_3.9.0_part_2_of_2"`, "status=200"},
	} {
		found := false
		for _, l := range lines {
			ok := strings.Contains(l, "[DEBUG] optimize.elasticsearch: Elasticsearch request:")
			for _, w := range want {
				ok = ok && strings.Contains(l, w)
			}
			found = found || ok
		}
		if !found {
			t.Errorf("the trace log has no Elasticsearch request line with %v", want)
		}
	}
}
