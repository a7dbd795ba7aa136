package provider_test

import (
	"context"
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
	acctest.PreCheck(t)
	clearElasticsearchEnv(t)
	srv := acctest.StartEmulator(t, acctest.WithBasicAuth("elastic", "s3cret"))
	t.Setenv(optimizeprovider.EnvEndpoints, "  "+srv.URL+" ")
	t.Setenv(optimizeprovider.EnvUsername, "elastic")
	t.Setenv(optimizeprovider.EnvPassword, "s3cret")
	t.Setenv(optimizeprovider.EnvRepository, acctest.Repository)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkBackupGone(srv, part1Of1, part2Of1),
		Steps: []resource.TestStep{{
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
		}},
	})
}

// An endpoint that comes from another resource is unknown at plan time: the
// plan must not fail, and the apply must use the endpoint once known.
func TestAccProvider_unknownEndpointAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	clearElasticsearchEnv(t)
	srv := acctest.StartEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkBackupGone(srv, part1Of1, part2Of1),
		Steps: []resource.TestStep{{
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
		}},
	})
}

func TestAccProvider_noRepositoryFailsAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	clearElasticsearchEnv(t)
	srv := acctest.StartEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
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
		}},
	})
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("plan sent %d requests", n)
	}
}
