// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttptest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// errorAnswer is an error answer of the engine, the call that gets it, the
// domain error it is (nil: none), and what its message holds after the
// engine's name.
type errorAnswer struct {
	name   string
	status int
	body   string
	call   func(optimize.Cluster) error
	is     error
	want   string
}

func errorAnswers() []errorAnswer {
	ctx := context.Background()
	create := func(c optimize.Cluster) error {
		_, err := c.CreateSnapshot(ctx, "backups", "x", optimize.SnapshotRequest{Indices: []string{"i"}})
		return err
	}
	return []errorAnswer{
		{"repository missing", 404, `{"error":{"root_cause":[{"type":"repository_missing_exception","reason":"[back%75ps] missing"}],"type":"repository_missing_exception","reason":"[back%75ps] missing"},"status":404}`,
			func(c optimize.Cluster) error { return c.CheckRepository(ctx, "back%75ps") },
			optimize.ErrRepositoryMissing, " answered GET /_snapshot/back%75ps with 404 repository_missing_exception: [back%75ps] missing"},
		{"snapshot missing", 404, `{"error":{"root_cause":[{"type":"snapshot_missing_exception","reason":"[backups:x] is missing"}],"type":"snapshot_missing_exception","reason":"[backups:x] is missing"},"status":404}`,
			func(c optimize.Cluster) error { return c.DeleteSnapshots(ctx, "backups", []string{"x"}) },
			optimize.ErrSnapshotMissing, " answered DELETE /_snapshot/backups/x with 404 snapshot_missing_exception: [backups:x] is missing"},
		{"snapshot missing on restore", 404, `{"error":{"type":"snapshot_missing_exception","reason":"[backups:x] is missing"},"status":404}`,
			func(c optimize.Cluster) error {
				_, err := c.RestoreSnapshot(ctx, "backups", "x", []string{"i"})
				return err
			},
			optimize.ErrSnapshotMissing, " answered POST /_snapshot/backups/x/_restore with 404 snapshot_missing_exception: [backups:x] is missing"},
		{"name taken", 400, `{"error":{"root_cause":[{"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"}],"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},"status":400}`,
			create, optimize.ErrSnapshotExists, " answered PUT /_snapshot/backups/x with 400 invalid_snapshot_name_exception: [backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},
		{"in progress", 400, `{"error":{"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name is already in-progress"},"status":400}`,
			create, optimize.ErrSnapshotExists, " answered PUT /_snapshot/backups/x with 400 invalid_snapshot_name_exception: [backups:x] Invalid snapshot name [x], snapshot with the same name is already in-progress"},
		{"name taken on 8.x", 400, `{"error":{"type":"snapshot_name_already_in_use_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},"status":400}`,
			create, optimize.ErrSnapshotExists, " answered PUT /_snapshot/backups/x with 400 snapshot_name_already_in_use_exception: [backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},
		{"index not found", 404, `{"error":{"type":"index_not_found_exception","reason":"no such index [i]"},"status":404}`,
			func(c optimize.Cluster) error { return c.DeleteIndices(ctx, []string{"i"}) },
			optimize.ErrNotFound, " answered DELETE /i with 404 index_not_found_exception: no such index [i]"},
		{"server error", 500, `{"error":{"type":"snapshot_exception","reason":"[backups:x] boom"},"status":500}`,
			func(c optimize.Cluster) error { _, err := c.Snapshots(ctx, "backups", "x"); return err },
			nil, " answered GET /_snapshot/backups/x with 500 snapshot_exception: [backups:x] boom"},
		{"multiple choices", 300, `{"error":{"type":"x","reason":"y"},"status":300}`,
			func(c optimize.Cluster) error { return c.CheckRepository(ctx, "backups") },
			nil, " answered GET /_snapshot/backups with 300 x: y"},
		{"plain text", 500, `oops`,
			func(c optimize.Cluster) error { return c.CheckRepository(ctx, "backups") },
			nil, " answered GET /_snapshot/backups with 500"},
	}
}

// The engine's error answers map onto the domain's errors, and every
// message names the engine, the request and the names as written.
func errorsCarryTypeReasonAndMapToTheDomain(t *testing.T, a Adapter) {
	for _, tt := range errorAnswers() {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := a.client(t, a.handler(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			err := tt.call(c)
			var esErr *searchhttp.Error
			if !errors.As(err, &esErr) || err.Error() != a.Product+tt.want {
				t.Fatalf("err = %v, want %q", err, a.Product+tt.want)
			}
			for _, target := range []error{optimize.ErrRepositoryMissing, optimize.ErrSnapshotMissing, optimize.ErrSnapshotExists, optimize.ErrNotFound} {
				wantIs := errors.Is(tt.is, target) || (errors.Is(target, optimize.ErrNotFound) && tt.status == 404)
				if errors.Is(err, target) != wantIs {
					t.Errorf("errors.Is(%v, %v) = %v", err, target, !wantIs)
				}
			}
		})
	}
}

// A 401, whether JSON or the plain text of OpenSearch's security plugin
// ("Unauthorized"), names the credentials sent, never their values.
func unauthorizedNamesTheCredentialsNotTheirValues(t *testing.T, a Adapter) {
	credentials := []struct {
		cfg  func(*searchhttp.Config)
		want string
	}{
		{func(c *searchhttp.Config) { c.Username, c.Password = "admin", "hunter2-secret" }, `basic authentication as user "admin"`},
		{func(c *searchhttp.Config) { c.BearerToken = "token-secret" }, "a bearer token (bearer_token)"},
		{func(c *searchhttp.Config) {
			c.Headers = map[string]string{"authorization": "Basic aGVhZGVyLXNlY3JldA=="}
		}, "the Authorization header of elasticsearch.headers"},
		{func(c *searchhttp.Config) { c.Headers = map[string]string{"X-Opaque-Id": "terraform"} }, "no credentials"},
		{func(*searchhttp.Config) {}, "no credentials"},
	}
	if a.APIKeys {
		credentials = append(credentials, struct {
			cfg  func(*searchhttp.Config)
			want string
		}{func(c *searchhttp.Config) { c.APIKey = "a2V5LXNlY3JldA==" }, "an API key (api_key)"})
	}
	for body, typed := range map[string]string{
		"Unauthorized": "",
		`{"error":{"type":"security_exception","reason":"unable to authenticate user [admin] for REST request [/_snapshot/backups]"},"status":401}`: " security_exception: unable to authenticate user [admin] for REST request [/_snapshot/backups]",
	} {
		h := a.handler(func(w http.ResponseWriter, _ *http.Request) {
			if !strings.HasPrefix(body, "{") {
				w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="security"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(body))
		})
		for _, tc := range credentials {
			c, cfg := a.client(t, h, tc.cfg)
			err := c.CheckRepository(context.Background(), "backups")
			want := a.Product + " answered GET /_snapshot/backups with 401" + typed + " (the provider sent " + tc.want + "; check the elasticsearch block or the ELASTICSEARCH_* environment variables)"
			var esErr *searchhttp.Error
			if err == nil || err.Error() != want || !errors.As(err, &esErr) || esErr.Status != 401 {
				t.Fatalf("err = %v\nwant %s", err, want)
			}
			for _, s := range cfg.Secrets() {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("the error shows a secret: %v", err)
				}
			}
		}
	}
}

func unreachableNamesTheEndpoint(t *testing.T, a Adapter) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := a.New(searchhttp.Config{Endpoints: []string{url}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Snapshots(context.Background(), "backups", "camunda_optimize_1_*")
	var unreachable *searchhttp.UnreachableError
	if !errors.Is(err, optimize.ErrUnreachable) || !errors.As(err, &unreachable) || !strings.Contains(err.Error(), a.Product+" at "+url+" is unreachable") {
		t.Fatalf("err = %v", err)
	}
}

// 429, 502, 503 and 504 are tried again (up to three times), with the same
// body each time; any other error answer is not. Exhausted retries are
// named in the error.
func retriesOverloadAndGatewayErrors(t *testing.T, a Adapter) {
	for _, tc := range []struct {
		status, failures int
		wantCalls        int32
		wantErr          bool
	}{
		{http.StatusTooManyRequests, 2, 3, false},
		{http.StatusBadGateway, 2, 3, false},
		{http.StatusServiceUnavailable, 2, 3, false},
		{http.StatusGatewayTimeout, 2, 3, false},
		{http.StatusServiceUnavailable, 3, 4, false},
		{http.StatusTooManyRequests, 4, 4, true}, // three retries, then the answer stands
		{http.StatusServiceUnavailable, 4, 4, true},
		{http.StatusInternalServerError, 1, 1, true},
		{http.StatusBadRequest, 1, 1, true},
	} {
		t.Run(fmt.Sprintf("%d x%d", tc.status, tc.failures), func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			var bodies sync.Map
			c, _ := a.client(t, a.handler(func(w http.ResponseWriter, r *http.Request) {
				buf := new(bytes.Buffer)
				_, _ = buf.ReadFrom(r.Body)
				n := calls.Add(1)
				bodies.Store(n, buf.String())
				if n <= int32(tc.failures) {
					w.WriteHeader(tc.status)
					_, _ = fmt.Fprintf(w, `{"error":{"type":"x","reason":"y"},"status":%d}`, tc.status)
					return
				}
				_, _ = w.Write([]byte(`{"snapshot":{"snapshot":"x","indices":["i"],"shards":{"total":1,"failed":0,"successful":1}}}`))
			}))
			// A request with a body: each retry must send it again.
			_, err := c.RestoreSnapshot(context.Background(), "backups", "x", []string{"i"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tc.wantErr)
			}
			want := fmt.Sprintf("%s answered POST /_snapshot/backups/x/_restore with %d x: y", a.Product, tc.status)
			if tc.wantCalls > 1 {
				want = fmt.Sprintf("%s still answered POST /_snapshot/backups/x/_restore after %d retries: %d x: y", a.Product, tc.wantCalls-1, tc.status)
			}
			if tc.wantErr && err.Error() != want {
				t.Fatalf("err = %q, want %q", err, want)
			}
			if calls.Load() != tc.wantCalls {
				t.Fatalf("calls = %d, want %d", calls.Load(), tc.wantCalls)
			}
			first, _ := bodies.Load(int32(1))
			bodies.Range(func(k, v any) bool {
				if v != first || v == "" {
					t.Errorf("request %d sent body %q, the first %q", k, v, first)
				}
				return true
			})
		})
	}
}

// The CA of ca_file/ca_data is the only one trusted; a certificate that
// does not verify is refused naming the endpoint, its issuer and the CA
// trusted; insecure skips the check.
func tlsTrustsTheConfiguredCA(t *testing.T, a Adapter) {
	tlsCfg, caPEM, err := esemulator.GenerateTLS("Right CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	_, otherPEM, err := esemulator.GenerateTLS("Other CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.handler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"backups":{"type":"fs","settings":{}}}`))
	}))
	srv.TLS = tlsCfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	for name, tc := range map[string]struct {
		ca       []byte
		insecure bool
		want     string
	}{
		"system CAs": {want: `the TLS certificate of Elasticsearch at ` + srv.URL + `, issued by "CN=Right CA", is not signed by a certificate authority that this system trusts`},
		"wrong CA":   {ca: otherPEM, want: `the TLS certificate of Elasticsearch at ` + srv.URL + `, issued by "CN=Right CA", is not signed by the configured CA ("CN=Other CA", from ca_file or ca_data)`},
		"right CA":   {ca: caPEM},
		"insecure":   {insecure: true},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := a.New(searchhttp.Config{Endpoints: []string{srv.URL}, CACert: tc.ca, Insecure: tc.insecure})
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckRepository(context.Background(), "backups")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var certErr *searchhttp.CertificateError
			if !errors.As(err, &certErr) || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, optimize.ErrUnreachable) ||
				!strings.Contains(err.Error(), "set elasticsearch.ca_file or ca_data") {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
		})
	}
}
