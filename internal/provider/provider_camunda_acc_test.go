// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	optimizeprovider "github.com/optimize-tf/terraform-provider-optimize/internal/provider"
)

// clearCamundaEnv keeps the caller's CAMUNDA_* variables out of a test.
func clearCamundaEnv(t *testing.T) {
	for _, v := range []string{
		optimizeprovider.EnvCamundaVersion, optimizeprovider.EnvCamundaRESTEndpoint, optimizeprovider.EnvCamundaManagementEndpoint,
		optimizeprovider.EnvCamundaOperateEndpoint, optimizeprovider.EnvCamundaTasklistEndpoint, optimizeprovider.EnvCamundaZeebeEndpoint,
		optimizeprovider.EnvCamundaUsername, optimizeprovider.EnvCamundaPassword, optimizeprovider.EnvCamundaTokenURL,
		optimizeprovider.EnvCamundaClientID, optimizeprovider.EnvCamundaClientSecret, optimizeprovider.EnvCamundaAudience,
		optimizeprovider.EnvCamundaScopes, optimizeprovider.EnvCamundaCAFile, optimizeprovider.EnvCamundaCAData, optimizeprovider.EnvCamundaInsecure,
	} {
		t.Setenv(v, "")
	}
}

// camundaProviderConfig is backup "1" with a provider whose camunda block
// holds these lines.
func camundaProviderConfig(url, camunda string) string {
	return `
provider "optimize" {
  repository_name = "` + acctest.Repository + `"
  elasticsearch {
    endpoints = ["` + url + `"]
  }
  camunda {
    ` + camunda + `
  }
}

resource "optimize_backup" "test" {
  backup_id = "1"
}
`
}

// A camunda block that cannot work fails the plan, before any request,
// saying what is wrong and what to set; through the Terraform CLI, with the
// provider's validation and its Configure.
func TestAccCamunda_misconfigurationFailsAtPlan(t *testing.T) {
	acctest.PreCheck(t)
	clearElasticsearchEnv(t)
	clearCamundaEnv(t)
	missingCA := filepath.Join(t.TempDir(), "missing-ca.pem")
	for name, tc := range map[string]struct {
		camunda string
		env     map[string]string
		want    string
	}{
		"malformed endpoint": {`rest_endpoint = "camunda:8080"`, nil, `Invalid Camunda endpoint.*"camunda:8080" must start with http:// or https://`},
		"malformed endpoint from the environment": {``, map[string]string{optimizeprovider.EnvCamundaManagementEndpoint: "http://"},
			`endpoint "http://" has no host \(CAMUNDA_MANAGEMENT_ENDPOINT\)`},
		"version before 8.6":   {`version = "8.5"` + "\n" + `management_endpoint = "http://camunda:9600"`, nil, `Invalid Camunda version.*8.6 and later`},
		"basic and oauth":      {"rest_endpoint = \"https://camunda:8080\"\nusername = \"demo\"\npassword = \"x\"\noauth {\n client_id = \"c\"\n}", nil, `Conflicting Camunda authentication.*configure one authentication method`},
		"password only":        {"rest_endpoint = \"https://camunda:8080\"\npassword = \"x\"", nil, `password but no username: set username \(or CAMUNDA_BASIC_AUTH_USERNAME\)`},
		"no endpoint":          {``, nil, `No Camunda endpoint.*set rest_endpoint \(or CAMUNDA_REST_ADDRESS\)`},
		"incomplete oauth":     {"rest_endpoint = \"https://camunda:8080\"\noauth {\n client_id = \"c\"\n}", nil, `Incomplete Camunda OAuth.*missing: token_url \(or CAMUNDA_OAUTH_URL\), client_secret \(or CAMUNDA_CLIENT_SECRET\)`},
		"8.7 without zeebe":    {"version = \"8.7\"\nmanagement_endpoint = \"http://camunda:9600\"", nil, `Camunda 8.7 is reached through each component's management port: set zeebe_management_endpoint`},
		"unreadable CA":        {"rest_endpoint = \"https://camunda:8080\"\nca_file = \"" + missingCA + "\"", nil, `Unreadable Camunda CA file`},
		"conflicting CA":       {"rest_endpoint = \"https://camunda:8080\"\nca_file = \"x\"\nca_data = \"y\"", nil, `Conflicting Camunda CA certificates`},
		"two basic/oauth envs": {`rest_endpoint = "https://camunda:8080"`, map[string]string{optimizeprovider.EnvCamundaUsername: "u", optimizeprovider.EnvCamundaClientID: "c"}, `Conflicting Camunda authentication.*unset one of them`},
	} {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      camundaProviderConfig("http://127.0.0.1:9", tc.camunda),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?is)` + strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
		})
	}
}

// A valid camunda block (from the configuration and from the environment)
// leaves the rest of the provider as it was, and with TF_LOG=TRACE neither
// its password nor its client secret appears in the log.
func TestAccCamunda_blockSecretsNotLogged(t *testing.T) {
	clearElasticsearchEnv(t)
	clearCamundaEnv(t)
	const password, clientSecret = "camunda-pa55-must-not-leak", "camunda-client-s3cret-must-not-leak"
	srv, tc := acctest.Setup(t)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv(optimizeprovider.EnvCamundaClientSecret, clientSecret)
	completed := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
	}
	tc.Steps = []resource.TestStep{
		{
			Config: camundaProviderConfig(srv.URL, `version = "8.10"
    rest_endpoint = "https://camunda:8080"
    oauth {
      token_url = "https://keycloak:18080/auth/realms/camunda-platform/protocol/openid-connect/token"
      client_id = "optimize-tf"
      scopes    = ["backup"]
    }`),
			ConfigStateChecks: completed,
		},
		{
			Config: camundaProviderConfig(srv.URL, `management_endpoint = "http://camunda:9600"
    username = "demo"
    password = "`+password+`"`),
			ConfigStateChecks: completed,
		},
	}
	resource.Test(t, tc)
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The harness echoes each configuration it writes (test_terraform_configuration=,
	// continued by "  |" lines): the test's own text, not a user's run.
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
	if !strings.Contains(log, "optimize.elasticsearch") {
		t.Fatalf("the trace log (%d bytes) holds no provider line", len(log))
	}
	for _, secret := range []string{password, clientSecret, base64.StdEncoding.EncodeToString([]byte("demo:" + password))} {
		if strings.Contains(log, secret) {
			t.Errorf("the trace log (%d bytes) contains the secret %q", len(log), secret)
		}
	}
}
