// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

const (
	clientSecret = "client-secret-0123456789"
	accessToken  = "access-token-0123456789"
	password     = "password-0123456789"
)

// tokenServer is an identity provider's token endpoint for the
// client-credentials flow as Camunda's docs call it (camunda-facts §2.B):
// form fields grant_type, client_id, client_secret and audience.
func tokenServer(t *testing.T, fetches *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		if err := r.ParseForm(); err != nil {
			t.Errorf("token request: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.URL.Path != "/token" || r.PostForm.Get("grant_type") != "client_credentials" ||
			r.PostForm.Get("client_id") != "provider" || r.PostForm.Get("client_secret") != clientSecret ||
			r.PostForm.Get("audience") != "orchestration-api" || r.PostForm.Get("scope") != "backup exporting" {
			w.WriteHeader(401)
			_, _ = fmt.Fprint(w, `{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`)
			return
		}
		_, _ = fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":300}`, accessToken)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func oauthConfig(rest, tokenURL, secret string) Config {
	return Config{Version: "8.10.0", RESTEndpoint: rest, OAuth: &OAuth{
		TokenURL: tokenURL + "/token", ClientID: "provider", ClientSecret: secret, Audience: "orchestration-api", Scopes: []string{"backup", "exporting"},
	}}
}

func TestOAuthTokenIsFetchedOnceAndSentAsBearer(t *testing.T) {
	var fetches atomic.Int32
	tokens := tokenServer(t, &fetches)
	rest := newFake(t, one(map[string]reply{
		"POST /v2/exporting/pause?soft=true": noContent,
		"GET /v2/exporting":                  {200, `{"status":"SOFT_PAUSED"}`, ""},
	}))
	c := mustClient(t, oauthConfig(rest.url(), tokens.URL, clientSecret))
	ctx := context.Background()
	mustDo(t, c.PauseExporting(ctx))
	if _, err := c.ExportingState(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range rest.requests() {
		if got := r.header.Get("Authorization"); got != "Bearer "+accessToken {
			t.Fatalf("%s %s: Authorization = %q", r.method, r.path, got)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d token fetches for two requests, want 1 (the token is valid for 300 s)", n)
	}
}

func TestUnauthorizedIsNamed(t *testing.T) {
	ctx := context.Background()
	problem401 := reply{401, `{"type":"about:blank","title":"UNAUTHORIZED","status":401,"detail":"Full authentication is required to access this resource","instance":"/v2/backups/runtime"}`, "application/problem+json"}
	t.Run("basic", func(t *testing.T) {
		rest := newFake(t, one(map[string]reply{"GET /v2/backups/runtime": problem401}))
		_, err := mustClient(t, Config{Version: "8.10.0", RESTEndpoint: rest.url(), Username: "demo", Password: password}).LatestZeebeBackupID(ctx)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 401 ||
			!strings.Contains(err.Error(), `401 Unauthorized: Full authentication is required to access this resource (the provider sent basic authentication as user "demo")`) {
			t.Fatalf("err = %v", err)
		}
		if user, pass, ok := basicAuth(rest.requests()[0].header); !ok || user != "demo" || pass != password {
			t.Fatal("basic credentials not sent")
		}
	})
	t.Run("a token the cluster refuses", func(t *testing.T) {
		var fetches atomic.Int32
		tokens := tokenServer(t, &fetches)
		rest := newFake(t, one(map[string]reply{"GET /v2/backups/runtime": problem401}))
		_, err := mustClient(t, oauthConfig(rest.url(), tokens.URL, clientSecret)).LatestZeebeBackupID(ctx)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`(the provider sent an OAuth token for client "provider" from %s/token)`, tokens.URL)) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a refused token is not used again", func(t *testing.T) {
		var fetches atomic.Int32
		tokens := tokenServer(t, &fetches)
		rest := newFake(t, map[string][]reply{"GET /v2/exporting": {problem401, {200, `{"status":"EXPORTING"}`, ""}}})
		c := mustClient(t, oauthConfig(rest.url(), tokens.URL, clientSecret))
		if _, err := c.ExportingState(ctx); err == nil {
			t.Fatal("401 taken for success")
		}
		if st, err := c.ExportingState(ctx); err != nil || st != Exporting {
			t.Fatalf("ExportingState = %q, %v", st, err)
		}
		if n := fetches.Load(); n != 2 {
			t.Fatalf("%d token fetches, want 2 (one after the 401)", n)
		}
	})
	t.Run("the token endpoint refuses the client", func(t *testing.T) {
		var fetches atomic.Int32
		tokens := tokenServer(t, &fetches)
		rest := newFake(t, nil)
		_, err := mustClient(t, oauthConfig(rest.url(), tokens.URL, "wrong-secret-0123456789")).LatestZeebeBackupID(ctx)
		var tokenErr *TokenError
		if !errors.As(err, &tokenErr) || !strings.Contains(err.Error(), "unauthorized_client") || strings.Contains(err.Error(), "wrong-secret-0123456789") {
			t.Fatalf("err = %v", err)
		}
		if len(rest.requests()) != 0 {
			t.Fatal("the request went out without a token")
		}
	})
}

// TF_LOG=TRACE shows each request under the camunda subsystem, the token
// request too, and no password, client secret or token anywhere in the log
// or in the errors, even when Camunda echoes the credentials it got.
func TestRequestLogAndErrorsWithoutSecrets(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(403)
		_, _ = fmt.Fprintf(w, `{"title":"FORBIDDEN","status":403,"detail":"no permission for %s"}`, r.Header.Get("Authorization"))
	}
	for name, tc := range map[string]struct {
		cfg     func(rest, tokens string) Config
		secrets []string
	}{
		"basic": {
			cfg: func(rest, _ string) Config {
				return Config{Version: "8.10.0", RESTEndpoint: rest, Username: "demo", Password: password}
			},
			secrets: []string{password, base64.StdEncoding.EncodeToString([]byte("demo:" + password))},
		},
		"oauth": {
			cfg:     func(rest, tokens string) Config { return oauthConfig(rest, tokens, clientSecret) },
			secrets: []string{clientSecret, accessToken},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("TF_LOG", "TRACE")
			var fetches atomic.Int32
			tokens := tokenServer(t, &fetches)
			rest := httptest.NewServer(http.HandlerFunc(echo))
			t.Cleanup(rest.Close)
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &buf)
			c := mustClient(t, tc.cfg(rest.URL, tokens.URL))
			_, err := c.StartBackup(ctx, platform.Webapps, 5)
			out := buf.String()
			for _, want := range []string{`"@module":"provider.camunda"`, `"@message":"Camunda request"`, `"method":"POST"`, `"path":"/v2/backups/history"`, `"status":403`, `"@message":"Camunda request headers"`} {
				if !strings.Contains(out, want) {
					t.Fatalf("log lacks %s:\n%s", want, out)
				}
			}
			if name == "oauth" && !strings.Contains(out, `"path":"/token"`) {
				t.Fatalf("log lacks the token request:\n%s", out)
			}
			if err == nil || !strings.Contains(err.Error(), "403 Forbidden: no permission for ") {
				t.Fatalf("err = %v", err)
			}
			for _, s := range tc.secrets {
				if strings.Contains(out, s) {
					t.Fatalf("log shows %q:\n%s", s, out)
				}
				if strings.Contains(err.Error(), s) {
					t.Fatalf("error shows %q: %v", s, err)
				}
			}
		})
	}
}
