// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/optimize-tf/terraform-provider-optimize/internal/camunda"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// camundaEnv are the camunda block's variables.
var camundaEnv = []string{
	EnvCamundaVersion, EnvCamundaRESTEndpoint, EnvCamundaManagementEndpoint, EnvCamundaOperateEndpoint,
	EnvCamundaTasklistEndpoint, EnvCamundaZeebeEndpoint, EnvCamundaUsername, EnvCamundaPassword,
	EnvCamundaTokenURL, EnvCamundaClientID, EnvCamundaClientSecret, EnvCamundaAudience, EnvCamundaScopes,
	EnvCamundaCAFile, EnvCamundaCAData, EnvCamundaInsecure,
}

// clearCamundaEnv keeps the caller's environment out of a test, and sets env.
func clearCamundaEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, v := range camundaEnv {
		t.Setenv(v, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// emptyCamunda is `camunda {}`: every attribute null.
func emptyCamunda() *camundaModel {
	return &camundaModel{
		Version: types.StringNull(), RESTEndpoint: types.StringNull(), ManagementEndpoint: types.StringNull(),
		OperateEndpoint: types.StringNull(), TasklistEndpoint: types.StringNull(), ZeebeEndpoint: types.StringNull(),
		Username: types.StringNull(), Password: types.StringNull(), CAFile: types.StringNull(), CAData: types.StringNull(),
		Insecure: types.BoolNull(),
	}
}

func emptyOAuth() *camundaOAuthModel {
	return &camundaOAuthModel{TokenURL: types.StringNull(), ClientID: types.StringNull(), ClientSecret: types.StringNull(),
		Audience: types.StringNull(), Scopes: types.ListNull(types.StringType)}
}

// camundaModelWith is `camunda {}` changed by set.
func camundaModelWith(set func(m *camundaModel)) *camundaModel {
	m := emptyCamunda()
	if set != nil {
		set(m)
	}
	return m
}

const userAgent = "terraform-provider-optimize/test"

// Every attribute maps onto camunda.Config, falls back to its variable,
// and the configuration wins over the environment; the method of
// authentication the block configures wins over the environment's.
func TestCamundaConfigMapping(t *testing.T) {
	env := map[string]string{
		EnvCamundaVersion: "8.7", EnvCamundaRESTEndpoint: "http://env-rest:8080", EnvCamundaManagementEndpoint: "http://env-mgmt:9600",
		EnvCamundaOperateEndpoint: "http://env-operate:9600", EnvCamundaTasklistEndpoint: "http://env-tasklist:9600",
		EnvCamundaZeebeEndpoint: " http://env-zeebe:9600 ", EnvCamundaUsername: "env-user", EnvCamundaPassword: "env-password",
		EnvCamundaCAData: "ENV PEM", EnvCamundaInsecure: "true",
	}
	oauthEnv := map[string]string{
		EnvCamundaRESTEndpoint: "https://camunda:8080/v2", EnvCamundaTokenURL: "https://idp/token", EnvCamundaClientID: "env-client",
		EnvCamundaClientSecret: "env-secret", EnvCamundaAudience: "orchestration-api", EnvCamundaScopes: "backup, exporting  profile",
	}
	full := func(m *camundaModel) {
		m.Version = types.StringValue("8.10.1")
		m.RESTEndpoint = types.StringValue("https://camunda:8080")
		m.ManagementEndpoint = types.StringValue("http://camunda:9600")
		m.OperateEndpoint = types.StringValue("http://operate:9600")
		m.TasklistEndpoint = types.StringValue("http://tasklist:9600")
		m.ZeebeEndpoint = types.StringValue("http://zeebe:9600")
		m.Username = types.StringValue("demo")
		m.Password = types.StringValue("demo-password")
		m.CAData = types.StringValue("CONFIG PEM")
		m.Insecure = types.BoolValue(false)
	}
	for name, tc := range map[string]struct {
		env   map[string]string
		model *camundaModel
		want  *camunda.Config
	}{
		"no block": {env: env, model: nil, want: nil},
		"the configuration wins over the environment": {env: env, model: camundaModelWith(full), want: &camunda.Config{
			Version: "8.10.1", RESTEndpoint: "https://camunda:8080", ManagementEndpoint: "http://camunda:9600",
			OperateEndpoint: "http://operate:9600", TasklistEndpoint: "http://tasklist:9600", ZeebeEndpoint: "http://zeebe:9600",
			Username: "demo", Password: "demo-password", CACert: []byte("CONFIG PEM"), UserAgent: userAgent,
		}},
		"an empty block takes the environment": {env: env, model: emptyCamunda(), want: &camunda.Config{
			Version: "8.7", RESTEndpoint: "http://env-rest:8080", ManagementEndpoint: "http://env-mgmt:9600",
			OperateEndpoint: "http://env-operate:9600", TasklistEndpoint: "http://env-tasklist:9600", ZeebeEndpoint: "http://env-zeebe:9600",
			Username: "env-user", Password: "env-password", CACert: []byte("ENV PEM"), Insecure: true, UserAgent: userAgent,
		}},
		"version unset stays empty": {model: camundaModelWith(func(m *camundaModel) { m.ManagementEndpoint = types.StringValue("http://camunda:9600") }),
			want: &camunda.Config{ManagementEndpoint: "http://camunda:9600", UserAgent: userAgent}},
		"a password in the block, the username from the environment": {
			env: map[string]string{EnvCamundaUsername: "env-user", EnvCamundaClientID: "ignored", EnvCamundaClientSecret: "ignored"},
			model: camundaModelWith(func(m *camundaModel) {
				m.RESTEndpoint = types.StringValue("https://camunda:8080")
				m.Password = types.StringValue("p")
			}),
			want: &camunda.Config{RESTEndpoint: "https://camunda:8080", Username: "env-user", Password: "p", UserAgent: userAgent},
		},
		"an oauth block takes the environment": {env: mergeEnv(oauthEnv, map[string]string{EnvCamundaUsername: "ignored"}),
			model: camundaModelWith(func(m *camundaModel) {
				m.OAuth = emptyOAuth()
				m.OAuth.ClientID = types.StringValue("client")
				m.OAuth.Scopes = types.ListValueMust(types.StringType, nil)
			}),
			want: &camunda.Config{RESTEndpoint: "https://camunda:8080/v2", UserAgent: userAgent, OAuth: &camunda.OAuth{
				TokenURL: "https://idp/token", ClientID: "client", ClientSecret: "env-secret", Audience: "orchestration-api", Scopes: []string{},
			}},
		},
		"OAuth from the environment alone": {env: oauthEnv, model: emptyCamunda(),
			want: &camunda.Config{RESTEndpoint: "https://camunda:8080/v2", UserAgent: userAgent, OAuth: &camunda.OAuth{
				TokenURL: "https://idp/token", ClientID: "env-client", ClientSecret: "env-secret", Audience: "orchestration-api",
				Scopes: []string{"backup", "exporting", "profile"},
			}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			clearCamundaEnv(t, tc.env)
			got, diags := camundaConfig(context.Background(), tc.model, "test")
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %s\nwant %s", show(got), show(tc.want))
			}
		})
	}
}

func mergeEnv(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{a, b} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func show(c *camunda.Config) string {
	if c == nil {
		return "<nil>"
	}
	s := fmt.Sprintf("%+v", *c)
	if c.OAuth != nil {
		s += fmt.Sprintf(" oauth %+v", *c.OAuth)
	}
	return s
}

// A configuration that cannot work is refused when the provider is
// configured (at plan time), saying what is wrong and what to set,
// attribute or variable.
func TestCamundaConfigErrors(t *testing.T) {
	rest := func(m *camundaModel) { m.RESTEndpoint = types.StringValue("https://camunda:8080") }
	missingCA := filepath.Join(t.TempDir(), "missing.pem")
	for name, tc := range map[string]struct {
		env   map[string]string
		model *camundaModel
		want  []string
	}{
		"no endpoint": {model: emptyCamunda(), want: []string{"No Camunda endpoint", "rest_endpoint (or CAMUNDA_REST_ADDRESS)",
			"management_endpoint (or CAMUNDA_MANAGEMENT_ENDPOINT)", "zeebe_management_endpoint (or CAMUNDA_ZEEBE_MANAGEMENT_ENDPOINT)"}},
		"an endpoint from the environment without a scheme": {env: map[string]string{EnvCamundaRESTEndpoint: "camunda:8080"}, model: emptyCamunda(),
			want: []string{"Invalid Camunda endpoint", `Endpoint "camunda:8080" must start with http:// or https:// (CAMUNDA_REST_ADDRESS).`}},
		"a version from the environment before 8.6": {env: map[string]string{EnvCamundaVersion: "8.5"}, model: camundaModelWith(rest),
			want: []string{"Invalid Camunda version", `CAMUNDA_VERSION="8.5"`, "8.6 and later", "set the version of your Camunda installation"}},
		"basic and OAuth both in the environment": {env: map[string]string{EnvCamundaUsername: "u", EnvCamundaPassword: "p", EnvCamundaClientID: "c", EnvCamundaClientSecret: "s"},
			model: camundaModelWith(rest), want: []string{"Conflicting Camunda authentication", "unset one of them", "wins over the environment"}},
		"basic and an oauth block": {model: camundaModelWith(func(m *camundaModel) {
			rest(m)
			m.Username = types.StringValue("demo")
			m.OAuth = emptyOAuth()
		}), want: []string{"Conflicting Camunda authentication", "configure one authentication method"}},
		"a password without a username": {env: map[string]string{EnvCamundaPassword: "p"}, model: camundaModelWith(rest),
			want: []string{"Camunda password without a username", "set username (or CAMUNDA_BASIC_AUTH_USERNAME)"}},
		"an incomplete oauth block": {env: map[string]string{EnvCamundaTokenURL: "https://idp/token"}, model: camundaModelWith(func(m *camundaModel) {
			rest(m)
			m.OAuth = emptyOAuth()
			m.OAuth.ClientID = types.StringValue("c")
		}), want: []string{"Incomplete Camunda OAuth configuration", "missing: client_secret (or CAMUNDA_CLIENT_SECRET)."}},
		"8.7 with the REST endpoint only": {model: camundaModelWith(func(m *camundaModel) { rest(m); m.Version = types.StringValue("8.7.3") }),
			want: []string{"Invalid Camunda configuration", "the Zeebe gateway's management endpoint is needed for Camunda 8.7.3",
				"Camunda 8.7 is reached through each component's management port: set zeebe_management_endpoint (or CAMUNDA_ZEEBE_MANAGEMENT_ENDPOINT)"}},
		"8.8 with the REST endpoint only": {model: camundaModelWith(func(m *camundaModel) { rest(m); m.Version = types.StringValue("8.8") }),
			want: []string{"Camunda 8.8 is reached through the management port: set management_endpoint (or CAMUNDA_MANAGEMENT_ENDPOINT)"}},
		"insecure not a boolean": {env: map[string]string{EnvCamundaInsecure: "maybe"}, model: camundaModelWith(rest),
			want: []string{"Invalid CAMUNDA_INSECURE", `CAMUNDA_INSECURE="maybe" is not a boolean`}},
		"an unreadable CA file from the environment": {env: map[string]string{EnvCamundaCAFile: missingCA}, model: camundaModelWith(rest),
			want: []string{"Unreadable Camunda CA file", "(CAMUNDA_CUSTOM_ROOT_CERT_PATH) cannot be read"}},
	} {
		t.Run(name, func(t *testing.T) {
			clearCamundaEnv(t, tc.env)
			_, diags := camundaConfig(context.Background(), tc.model, "test")
			if !diags.HasError() {
				t.Fatal("no error")
			}
			var text strings.Builder
			for _, d := range diags {
				text.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			for _, w := range tc.want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("diagnostics lack %q:\n%s", w, text.String())
				}
			}
		})
	}
}

// camundaClient: without a camunda block, an error saying what to add for
// the version; the given version wins over the configured one; the stored
// configuration is never changed.
func TestProviderDataCamundaClient(t *testing.T) {
	t.Run("no camunda block", func(t *testing.T) {
		for version, want := range map[string]string{
			"8.10.0": "Camunda 8.10 is reached through its REST API: set rest_endpoint (or CAMUNDA_REST_ADDRESS)",
			"8.9":    "Camunda 8.9 is reached through the management port: set management_endpoint",
			"8.8.2":  "Camunda 8.8 is reached through the management port: set management_endpoint (or CAMUNDA_MANAGEMENT_ENDPOINT)",
			"8.7":    "set zeebe_management_endpoint (or CAMUNDA_ZEEBE_MANAGEMENT_ENDPOINT), operate_management_endpoint (or CAMUNDA_OPERATE_MANAGEMENT_ENDPOINT) and tasklist_management_endpoint (or CAMUNDA_TASKLIST_MANAGEMENT_ENDPOINT)",
			"":       "for Camunda 8.10 and later; management_endpoint",
		} {
			for _, d := range []*providerData{nil, {}} {
				_, err := d.camundaClient(version)
				var missing *camundaNotConfiguredError
				if !errors.As(err, &missing) || !strings.Contains(err.Error(), "add camunda {} to the provider \"optimize\" block") || !strings.Contains(err.Error(), want) {
					t.Errorf("version %q: %v, want a camundaNotConfiguredError with %q", version, err, want)
				}
			}
		}
	})
	t.Run("block not known yet", func(t *testing.T) {
		if _, err := (&providerData{camundaBlock: true}).camundaClient("8.8"); !errors.Is(err, errCamundaNotKnown) {
			t.Fatalf("err = %v", err)
		}
	})
	stored := &camunda.Config{Version: "8.8", RESTEndpoint: "https://camunda:8080", ManagementEndpoint: "http://camunda:9600",
		OAuth: &camunda.OAuth{TokenURL: "https://idp/token", ClientID: "c", ClientSecret: "s", Scopes: []string{"a"}}}
	d := &providerData{camunda: stored, camundaBlock: true}
	for version, want := range map[string]platform.API{"": platform.ManagementActuators, "8.10.0": platform.OrchestrationREST, "8.9": platform.ManagementActuators} {
		c, err := d.camundaClient(version)
		if err != nil || c.API() != want {
			t.Errorf("camundaClient(%q): %v, %v; want %s", version, c, err, want)
		}
	}
	if stored.Version != "8.8" || d.camunda != stored {
		t.Fatalf("the stored configuration changed: %+v", *stored)
	}
	t.Run("no version anywhere", func(t *testing.T) {
		_, err := (&providerData{camunda: &camunda.Config{ManagementEndpoint: "http://camunda:9600"}}).camundaClient("")
		if err == nil || !strings.Contains(err.Error(), "does not set version (or CAMUNDA_VERSION)") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("the block does not fit the detected version", func(t *testing.T) {
		_, err := (&providerData{camunda: &camunda.Config{ZeebeEndpoint: "http://zeebe:9600"}}).camundaClient("8.10.0")
		var invalid *camundaInvalidError
		if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "does not fit Camunda 8.10.0") || !strings.Contains(err.Error(), "set rest_endpoint") {
			t.Fatalf("err = %v", err)
		}
	})
}

// The client made from the block sends the credentials and the provider's
// User-Agent, and its request log (TF_LOG=TRACE) shows neither the
// password nor the client secret nor the token (camunda.Config.Secrets).
func TestCamundaClientLogsNoSecrets(t *testing.T) {
	const password, clientSecret, token = "camunda-pa55word-0123", "client-s3cret-0123", "access-t0ken-0123"
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/token" {
			_, _ = fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":300}`, token)
			return
		}
		agents = append(agents, r.UserAgent()) // (the token request is the oauth2 library's)
		// Echoing the credentials, as a misbehaving proxy might.
		_, _ = fmt.Fprintf(w, `{"state":"EXPORTING","echo":%q}`, r.Header.Get("Authorization"))
	}))
	t.Cleanup(srv.Close)
	for name, tc := range map[string]struct {
		env     map[string]string
		secrets []string
	}{
		"basic": {env: map[string]string{EnvCamundaUsername: "demo", EnvCamundaPassword: password},
			secrets: []string{password, base64.StdEncoding.EncodeToString([]byte("demo:" + password))}},
		"oauth": {env: map[string]string{EnvCamundaTokenURL: srv.URL + "/token", EnvCamundaClientID: "provider", EnvCamundaClientSecret: clientSecret},
			secrets: []string{clientSecret, token}},
	} {
		t.Run(name, func(t *testing.T) {
			clearCamundaEnv(t, mergeEnv(tc.env, map[string]string{EnvCamundaRESTEndpoint: srv.URL, EnvCamundaVersion: "8.10.0"}))
			t.Setenv("TF_LOG", "TRACE")
			agents = nil
			cfg, diags := camundaConfig(context.Background(), emptyCamunda(), "test")
			if diags.HasError() {
				t.Fatal(diags)
			}
			c, err := (&providerData{camunda: cfg}).camundaClient("")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &buf)
			_, _ = c.ExportingState(ctx)
			out := buf.String()
			if !strings.Contains(out, `"path":"/v2/exporting"`) {
				t.Fatalf("the log has no request line:\n%s", out)
			}
			for _, s := range tc.secrets {
				if strings.Contains(out, s) {
					t.Errorf("the log shows %q:\n%s", s, out)
				}
			}
			if len(agents) == 0 {
				t.Fatal("no request reached Camunda")
			}
			for _, a := range agents {
				if a != userAgent {
					t.Errorf("User-Agent %q, want %q", a, userAgent)
				}
			}
		})
	}
}
