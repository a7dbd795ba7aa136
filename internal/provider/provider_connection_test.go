// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	optimizeprovider "github.com/optimize-tf/terraform-provider-optimize/internal/provider"
)

// connectionConfig is backup "1" with these lines in the elasticsearch block.
func connectionConfig(url string, elasticsearch ...string) string {
	return `
provider "optimize" {
  repository_name = "` + acctest.Repository + `"
  elasticsearch {
    endpoints = ["` + url + `"]
    ` + strings.Join(elasticsearch, "\n    ") + `
  }
}

resource "optimize_backup" "test" {
  backup_id = "1"
}
`
}

// completedAndSeen asserts the backup is COMPLETED and that the emulator
// answered its snapshot creations (so the requests did reach it).
func completedAndSeen(srv *esemulator.Server) ([]statecheck.StateCheck, resource.TestCheckFunc) {
	return []statecheck.StateCheck{
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
		}, func(*terraform.State) error {
			return checkSnapshots(srv, map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"})(nil)
		}
}

// The provider reaches Elasticsearch over HTTPS with a certificate signed by
// a CA it is given (ca_file, ca_data), or without checking it (insecure,
// ELASTICSEARCH_INSECURE); without the right CA it refuses, and says which
// endpoint, which CA signed the certificate and which CA it trusted.
func TestAccProvider_tls(t *testing.T) {
	for name, tc := range map[string]struct {
		elasticsearch func(caFile, caPEM, wrongFile string) []string
		env           map[string]string
		wantErr       string
	}{
		"ca_file":  {elasticsearch: func(caFile, _, _ string) []string { return []string{`ca_file = "` + caFile + `"`} }},
		"ca_data":  {elasticsearch: func(_, caPEM, _ string) []string { return []string{"ca_data = <<-EOT\n" + caPEM + "EOT"} }},
		"insecure": {elasticsearch: func(string, string, string) []string { return []string{"insecure = true"} }},
		"ELASTICSEARCH_INSECURE": {
			elasticsearch: func(string, string, string) []string { return nil },
			env:           map[string]string{optimizeprovider.EnvInsecure: "true"},
		},
		"insecure = false wins over ELASTICSEARCH_INSECURE": {
			elasticsearch: func(string, string, string) []string { return []string{"insecure = false"} },
			env:           map[string]string{optimizeprovider.EnvInsecure: "true"},
			wantErr:       `not signed by a certificate authority that this system trusts`,
		},
		"no CA": {
			elasticsearch: func(string, string, string) []string { return nil },
			wantErr:       `(?s)[Tt]he TLS certificate of Elasticsearch at https://127\.0\.0\.1:\d+, issued by "CN=Optimize test CA", is not signed by a certificate authority that this system trusts.*set elasticsearch.ca_file or ca_data to the CA that issued it`,
		},
		"wrong CA": {
			elasticsearch: func(_, _, wrongFile string) []string { return []string{`ca_file = "` + wrongFile + `"`} },
			wantErr:       `(?s)[Tt]he TLS certificate of Elasticsearch at https://127\.0\.0\.1:\d+, issued by "CN=Optimize test CA", is not signed by the configured CA \("CN=Another CA", from ca_file or ca_data\).*set elasticsearch.ca_file or ca_data to the CA that issued it`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			wantErr := tc.wantErr
			if acctest.DefaultEngine(t) == esemulator.OpenSearch2 {
				// ACC_ENGINE=opensearch-2: its security plugin has no API keys
				// and answers a refused login with a plain-text 401.
				if strings.Contains(name, "api_key") || strings.Contains(name, "API_KEY") || strings.Contains(name, "headers") || name == "no credentials" {
					t.Skip("OpenSearch has no API keys: this case is Elasticsearch's (bearer tokens and basic authentication are tested against OpenSearch)")
				}
				wantErr = regexp.MustCompile(`401 security_exception: [^.]*`).ReplaceAllString(wantErr, `OpenSearch answered [^
]* with 401`)
			}
			clearElasticsearchEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			tlsCfg, caPEM := acctest.NewTLS(t, "Optimize test CA")
			_, wrongPEM := acctest.NewTLS(t, "Another CA")
			caFile, wrongFile := filepath.Join(t.TempDir(), "ca.pem"), filepath.Join(t.TempDir(), "wrong-ca.pem")
			writeTestFile(t, caFile, caPEM)
			writeTestFile(t, wrongFile, wrongPEM)
			srv, base := acctest.Setup(t, acctest.WithTLS(tlsCfg))
			if !strings.HasPrefix(srv.URL, "https://") {
				t.Fatalf("the emulator is at %s, want https", srv.URL)
			}
			step := resource.TestStep{Config: connectionConfig(srv.URL, tc.elasticsearch(caFile, string(caPEM), wrongFile)...)}
			if wantErr != "" {
				step.ExpectError = regexp.MustCompile(strings.ReplaceAll(wantErr, " ", `\s+`))
			} else {
				step.ConfigStateChecks, step.Check = completedAndSeen(srv)
			}
			base.Steps = []resource.TestStep{step}
			resource.Test(t, base)
			if tc.wantErr != "" && len(srv.Requests()) != 0 {
				t.Fatalf("the emulator answered %d requests over a connection the provider must refuse", len(srv.Requests()))
			}
		})
	}
}

// api_key, bearer_token and an Authorization in headers are sent and
// accepted as Elasticsearch accepts them; a wrong value gets its 401, and the
// error says which kind of credentials went out, never their value.
func TestAccProvider_authentication(t *testing.T) {
	const apiKey, token = "aWQtMTprZXktMDEyMzQ1Njc4OQ==", "dG9rZW4tMDEyMzQ1Njc4OQ=="
	for name, tc := range map[string]struct {
		emulator      acctest.EmulatorOption
		elasticsearch string
		env           map[string]string
		wantErr       string
	}{
		"api_key":                    {emulator: acctest.WithAPIKey(apiKey), elasticsearch: `api_key = "` + apiKey + `"`},
		"ELASTICSEARCH_API_KEY":      {emulator: acctest.WithAPIKey(apiKey), env: map[string]string{optimizeprovider.EnvAPIKey: apiKey}},
		"bearer_token":               {emulator: acctest.WithBearerToken(token), elasticsearch: `bearer_token = "` + token + `"`},
		"ELASTICSEARCH_BEARER_TOKEN": {emulator: acctest.WithBearerToken(token), env: map[string]string{optimizeprovider.EnvBearerToken: token}},
		"headers":                    {emulator: acctest.WithAPIKey(apiKey), elasticsearch: `headers = { Authorization = "ApiKey ` + apiKey + `" }`},
		"wrong api_key": {emulator: acctest.WithAPIKey(apiKey), elasticsearch: `api_key = "d3Jvbmc6a2V5"`,
			wantErr: `(?s)401 security_exception: unable to authenticate with provided credentials.*an\s+API\s+key\s+\(api_key\)`},
		"wrong bearer_token": {emulator: acctest.WithBearerToken(token), elasticsearch: `bearer_token = "d3Jvbmc="`,
			wantErr: `(?s)401 security_exception: unable to authenticate with provided credentials.*a\s+bearer\s+token\s+\(bearer_token\)`},
		"wrong headers": {emulator: acctest.WithAPIKey(apiKey), elasticsearch: `headers = { Authorization = "ApiKey d3Jvbmc6a2V5" }`,
			wantErr: `(?s)401 security_exception: unable to authenticate with provided credentials.*the\s+Authorization\s+header\s+of\s+elasticsearch.headers`},
		"no credentials": {emulator: acctest.WithAPIKey(apiKey),
			wantErr: `(?s)401 security_exception: missing authentication credentials.*no\s+credentials`},
	} {
		t.Run(name, func(t *testing.T) {
			wantErr := tc.wantErr
			if acctest.DefaultEngine(t) == esemulator.OpenSearch2 {
				// ACC_ENGINE=opensearch-2: its security plugin has no API keys
				// and answers a refused login with a plain-text 401.
				if strings.Contains(name, "api_key") || strings.Contains(name, "API_KEY") || strings.Contains(name, "headers") || name == "no credentials" {
					t.Skip("OpenSearch has no API keys: this case is Elasticsearch's (bearer tokens and basic authentication are tested against OpenSearch)")
				}
				wantErr = regexp.MustCompile(`401 security_exception: [^.]*`).ReplaceAllString(wantErr, `OpenSearch answered [^
]* with 401`)
			}
			clearElasticsearchEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			srv, base := acctest.Setup(t, tc.emulator)
			step := resource.TestStep{Config: connectionConfig(srv.URL, tc.elasticsearch)}
			if wantErr != "" {
				step.ExpectError = regexp.MustCompile(strings.ReplaceAll(wantErr, " ", `\s+`))
			} else {
				step.ConfigStateChecks, step.Check = completedAndSeen(srv)
			}
			base.Steps = []resource.TestStep{step}
			resource.Test(t, base)
			if tc.wantErr != "" {
				for _, r := range srv.Requests() {
					if r.Status != 401 {
						t.Fatalf("with wrong credentials the emulator answered %+v", r)
					}
				}
			}
		})
	}
}

func writeTestFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
}
