// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"ok", Config{Endpoints: []string{"http://localhost:9200"}}, ""},
		{"ok https with key", Config{Endpoints: []string{"https://es:9243"}, APIKey: "a2V5"}, ""},
		{"no endpoint", Config{}, "no Elasticsearch endpoint is configured"},
		{"no scheme", Config{Endpoints: []string{"localhost:9200"}}, `endpoint "localhost:9200" must start with http:// or https://`},
		{"bad url", Config{Endpoints: []string{"http://[::1"}}, "is not a valid URL"},
		{"credentials in url", Config{Endpoints: []string{"http://u:secret@es:9200"}}, "carries credentials"},
		{"two methods", Config{Endpoints: []string{"http://es"}, Username: "u", Password: "p", APIKey: "k"}, "more than one authentication method is configured (username/password, api_key)"},
		{"three methods", Config{Endpoints: []string{"http://es"}, Username: "u", APIKey: "k", BearerToken: "t"}, "(username/password, api_key, bearer_token)"},
		{"password alone", Config{Endpoints: []string{"http://es"}, Password: "p"}, "a password is set without a username"},
		{"bad ca", Config{Endpoints: []string{"http://es"}, CACert: []byte("not pem")}, "holds no PEM-encoded certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("the error shows a secret: %v", err)
			}
		})
	}
}

// Credentials names the credentials in use, never their values.
func TestCredentialsNameTheMethodNotTheValues(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Username: "elastic", Password: "hunter2-secret"}, `basic authentication as user "elastic"`},
		{Config{APIKey: "a2V5LXNlY3JldA=="}, "an API key (api_key)"},
		{Config{BearerToken: "token-secret"}, "a bearer token (bearer_token)"},
		{Config{Headers: map[string]string{"authorization": "ApiKey aGVhZGVyLXNlY3JldA=="}}, "the Authorization header of elasticsearch.headers"},
		{Config{Headers: map[string]string{"X-Opaque-Id": "terraform"}}, "no credentials"},
		{Config{}, "no credentials"},
	} {
		if got := tc.cfg.Credentials(); got != tc.want {
			t.Errorf("Credentials() = %q, want %q", got, tc.want)
		}
	}
}
