// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The TRACE log shows the headers a request went out with, so that a
// refused signature can be debugged: the plain ones as they are, a SigV4
// Authorization's credential scope and signed headers; never a signature,
// a session token, a password, a key or a proxy's credential, even with no
// secret configured to mask.
func TestRequestLogShowsHeadersWithoutCredentials(t *testing.T) {
	const (
		signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
		token     = "session-token-0123456789"
	)
	for name, tc := range map[string]struct {
		header http.Header
		want   map[string]string
		never  []string
	}{
		"sigv4": {
			header: http.Header{
				"Authorization":        {"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE0000000001/20261205/eu-west-1/es/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=" + signature},
				"X-Amz-Security-Token": {token},
				"X-Amz-Date":           {"20261205T164500Z"},
				"Content-Type":         {"application/json"},
			},
			want: map[string]string{
				"Authorization":        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE0000000001/20261205/eu-west-1/es/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=" + Redacted,
				"X-Amz-Security-Token": Redacted,
				"X-Amz-Date":           "20261205T164500Z",
				"Content-Type":         "application/json",
			},
			never: []string{signature, token},
		},
		"basic": {
			header: http.Header{"Authorization": {"Basic ZWxhc3RpYzpwdy0wMTIzNDU2Nzg5"}},
			want:   map[string]string{"Authorization": "Basic " + Redacted},
			never:  []string{"ZWxhc3RpYzpwdy0wMTIzNDU2Nzg5"},
		},
		"no scheme": {
			header: http.Header{"Authorization": {"bare-credential-0123456789"}},
			want:   map[string]string{"Authorization": Redacted},
			never:  []string{"bare-credential-0123456789"},
		},
		"a proxy's header": {
			header: http.Header{"X-Proxy-Key": {"proxy-key-0123456789"}, "User-Agent": {"terraform-provider-optimize/test"}},
			want:   map[string]string{"X-Proxy-Key": Redacted, "User-Agent": "terraform-provider-optimize/test"},
			never:  []string{"proxy-key-0123456789"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &buf)
			ctx = LogContext(ctx, Config{}) // nothing to mask: the redaction alone
			req := httptest.NewRequest(http.MethodGet, "https://domain.example/_snapshot/backups", nil).WithContext(ctx)
			req.Header = tc.header
			if err := (RequestLogger{}).LogRoundTrip(req, &http.Response{StatusCode: 200}, nil, time.Now(), time.Millisecond); err != nil {
				t.Fatal(err)
			}
			var traced map[string]any
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var entry map[string]any
				if err := json.Unmarshal([]byte(line), &entry); err != nil {
					t.Fatalf("%v: %s", err, line)
				}
				if entry["@level"] == "trace" && entry["@message"] == "Elasticsearch request headers" {
					traced = entry
				}
			}
			if traced == nil {
				t.Fatalf("no TRACE line of the request's headers:\n%s", buf.String())
			}
			if traced["method"] != "GET" || traced["path"] != "/_snapshot/backups" {
				t.Errorf("the TRACE line names %v %v", traced["method"], traced["path"])
			}
			for k, v := range tc.want {
				if traced[k] != v {
					t.Errorf("%s logged as %q, want %q", k, traced[k], v)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(buf.String(), s) {
					t.Errorf("the log shows %q:\n%s", s, buf.String())
				}
			}
		})
	}
}

// Every secret of the configuration is masked in whatever is logged through
// the client's logging context, at TRACE, in the provider's log and in the
// elasticsearch subsystem's, in messages and in field values; and so is the
// Authorization header built from it.
func TestLogContextMasksEverySecret(t *testing.T) {
	for name, tc := range map[string]struct {
		set     func(*Config)
		secrets []string
	}{
		"password": {func(c *Config) { c.Username, c.Password = "elastic", "pw-0123456789" },
			[]string{"pw-0123456789", "Basic ZWxhc3RpYzpwdy0wMTIzNDU2Nzg5"}},
		"api key": {func(c *Config) { c.APIKey = "YXBpLWtleS0wMTIzNDU2Nzg5" },
			[]string{"YXBpLWtleS0wMTIzNDU2Nzg5"}},
		"bearer token": {func(c *Config) { c.BearerToken = "tok-0123456789" },
			[]string{"tok-0123456789"}},
		"headers": {func(c *Config) {
			c.Headers = map[string]string{"Authorization": "ApiKey aGVhZGVyLWtleQ==", "X-Tenant-Token": "tenant-0123456789"}
		}, []string{"aGVhZGVyLWtleQ==", "tenant-0123456789"}},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := Config{Endpoints: []string{"http://127.0.0.1:9"}}
			tc.set(&cfg)
			var buf bytes.Buffer
			ctx := LogContext(tflogtest.RootLogger(context.Background(), &buf), cfg)
			for _, s := range tc.secrets {
				tflog.Trace(ctx, "provider message with "+s, map[string]any{"field": "value " + s})
				tflog.SubsystemTrace(ctx, LogSubsystem, "subsystem message with "+s, map[string]any{"field": "value " + s})
			}
			out := buf.String()
			if n := strings.Count(out, `"@level":"trace"`); n != 2*len(tc.secrets) {
				t.Fatalf("%d trace lines, want %d:\n%s", n, 2*len(tc.secrets), out)
			}
			if n := strings.Count(out, `"@module":"provider.elasticsearch"`); n != len(tc.secrets) {
				t.Fatalf("%d subsystem lines, want %d:\n%s", n, len(tc.secrets), out)
			}
			for _, s := range tc.secrets {
				if strings.Contains(out, s) {
					t.Errorf("the log shows %q:\n%s", s, out)
				}
			}
			for _, want := range []string{"provider message with ***", "subsystem message with ***", `"field":"value ***"`} {
				if !strings.Contains(out, want) {
					t.Errorf("the log lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
