// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttptest

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// TF_LOG=DEBUG shows each request under the elasticsearch subsystem, and no
// password, API key, token or header value appears in any log at any level.
func logsRequestsWithoutSecrets(t *testing.T, a Adapter) {
	secrets := map[string]func(*searchhttp.Config){
		"password": func(c *searchhttp.Config) { c.Username, c.Password = "admin", "pw-0123456789" },
		"token":    func(c *searchhttp.Config) { c.BearerToken = "tok-0123456789" },
		"header": func(c *searchhttp.Config) {
			c.Headers = map[string]string{"Authorization": "Basic aGVhZGVyLTAxMjM0NTY3ODk="}
		},
	}
	if a.APIKeys {
		secrets["api key"] = func(c *searchhttp.Config) { c.APIKey = "YXBpLWtleS0wMTIzNDU2Nzg5" }
	}
	for name, set := range secrets {
		t.Run(name, func(t *testing.T) {
			t.Setenv("TF_LOG", "TRACE")
			c, cfg := a.client(t, a.handler(func(w http.ResponseWriter, r *http.Request) {
				// An error that echoes what it got, as a misconfigured proxy might.
				w.WriteHeader(401)
				_, _ = w.Write([]byte(`{"error":{"type":"security_exception","reason":"bad ` + r.Header.Get("Authorization") + `"},"status":401}`))
			}), set)
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &buf)
			_, err := c.Snapshots(ctx, "backups", "camunda_optimize_1_*")
			out := buf.String()
			if !strings.Contains(out, `"@module":"provider.elasticsearch"`) || !strings.Contains(out, `"@message":"Elasticsearch request"`) ||
				!strings.Contains(out, `"method":"GET"`) || !strings.Contains(out, `"path":"/_snapshot/backups/camunda_optimize_1_*"`) ||
				!strings.Contains(out, `"status":401`) || !strings.Contains(out, `"query":"ignore_unavailable=true"`) || !strings.Contains(out, `"duration_ms"`) {
				t.Fatalf("log lacks the request line:\n%s", out)
			}
			if len(cfg.Secrets()) == 0 {
				t.Fatal("no secrets to look for")
			}
			for _, s := range cfg.Secrets() {
				if strings.Contains(out, s) {
					t.Fatalf("log shows the %s:\n%s", name, out)
				}
			}
			// The error echoes the answer, which is the server's doing; the
			// adapter adds nothing of its own that names a secret.
			if err == nil || !strings.Contains(err.Error(), "401 security_exception") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
