// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// esHandler answers like Elasticsearch: the product header on every answer.
func esHandler(f func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		f(w, r)
	})
}

func newTestClient(t *testing.T, h http.Handler, mutate ...func(*searchhttp.Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := searchhttp.Config{Endpoints: []string{srv.URL}}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  searchhttp.Config
		want string
	}{
		{"ok", searchhttp.Config{Endpoints: []string{"http://localhost:9200"}}, ""},
		{"ok https with key", searchhttp.Config{Endpoints: []string{"https://es:9243"}, APIKey: "a2V5"}, ""},
		{"no endpoint", searchhttp.Config{}, "no Elasticsearch endpoint is configured"},
		{"no scheme", searchhttp.Config{Endpoints: []string{"localhost:9200"}}, `endpoint "localhost:9200" must start with http:// or https://`},
		{"bad url", searchhttp.Config{Endpoints: []string{"http://[::1"}}, "is not a valid URL"},
		{"credentials in url", searchhttp.Config{Endpoints: []string{"http://u:secret@es:9200"}}, "carries credentials"},
		{"two methods", searchhttp.Config{Endpoints: []string{"http://es"}, Username: "u", Password: "p", APIKey: "k"}, "more than one authentication method is configured (username/password, api_key)"},
		{"three methods", searchhttp.Config{Endpoints: []string{"http://es"}, Username: "u", APIKey: "k", BearerToken: "t"}, "(username/password, api_key, bearer_token)"},
		{"password alone", searchhttp.Config{Endpoints: []string{"http://es"}, Password: "p"}, "a password is set without a username"},
		{"bad ca", searchhttp.Config{Endpoints: []string{"http://es"}, CACert: []byte("not pem")}, "holds no PEM-encoded certificate"},
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

func TestErrorsCarryTypeReasonAndMapToTheDomain(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		is     error
		want   string
	}{
		{"repository missing", 404, `{"error":{"root_cause":[{"type":"repository_missing_exception","reason":"[backups] missing"}],"type":"repository_missing_exception","reason":"[backups] missing"},"status":404}`,
			optimize.ErrRepositoryMissing, "404 repository_missing_exception: [backups] missing"},
		{"snapshot missing", 404, `{"error":{"root_cause":[],"type":"snapshot_missing_exception","reason":"[backups:x] is missing"},"status":404}`,
			optimize.ErrSnapshotMissing, "snapshot_missing_exception: [backups:x] is missing"},
		{"name taken", 400, `{"error":{"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},"status":400}`,
			optimize.ErrSnapshotExists, "already exists"},
		{"in progress", 400, `{"error":{"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name is already in-progress"},"status":400}`,
			optimize.ErrSnapshotExists, "already in-progress"},
		{"name taken on 8.x", 400, `{"error":{"type":"snapshot_name_already_in_use_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},"status":400}`,
			optimize.ErrSnapshotExists, "already exists"},
		{"server error", 500, `{"error":{"type":"snapshot_exception","reason":"[backups:x] boom"},"status":500}`, nil, "500 snapshot_exception: [backups:x] boom"},
		{"plain text", 500, `oops`, nil, "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, esHandler(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			err := c.CheckRepository(context.Background(), "backups")
			var esErr *searchhttp.Error
			if !errors.As(err, &esErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

func TestUnauthorizedNamesTheCredentialsNotTheirValues(t *testing.T) {
	h := esHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="security" charset="UTF-8"`)
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"error":{"type":"security_exception","reason":"unable to authenticate user [elastic] for REST request [/_snapshot/backups]"},"status":401}`))
	})
	for _, tc := range []struct {
		cfg  func(*searchhttp.Config)
		want string
	}{
		{func(c *searchhttp.Config) { c.Username, c.Password = "elastic", "hunter2-secret" }, `basic authentication as user "elastic"`},
		{func(c *searchhttp.Config) { c.APIKey = "a2V5LXNlY3JldA==" }, "an API key (api_key)"},
		{func(c *searchhttp.Config) { c.BearerToken = "token-secret" }, "a bearer token (bearer_token)"},
		{func(c *searchhttp.Config) {
			c.Headers = map[string]string{"authorization": "ApiKey aGVhZGVyLXNlY3JldA=="}
		}, "the Authorization header of elasticsearch.headers"},
		{func(c *searchhttp.Config) { c.Headers = map[string]string{"X-Opaque-Id": "terraform"} }, "no credentials"},
		{func(*searchhttp.Config) {}, "no credentials"},
	} {
		c := newTestClient(t, h, tc.cfg)
		err := c.CheckRepository(context.Background(), "backups")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "401 security_exception") {
			t.Fatalf("err = %v, want %q", err, tc.want)
		}
		for _, s := range c.cfg.Secrets() {
			if strings.Contains(err.Error(), s) {
				t.Fatalf("the error shows a secret: %v", err)
			}
		}
	}
}

func TestUnreachableNamesTheEndpoint(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := NewClient(searchhttp.Config{Endpoints: []string{url}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Snapshots(context.Background(), "backups", "camunda_optimize_1_*")
	if !errors.Is(err, optimize.ErrUnreachable) || !strings.Contains(err.Error(), "Elasticsearch at "+url+" is unreachable") {
		t.Fatalf("err = %v", err)
	}
}

// 429, 502, 503 and 504 are tried again (up to three times); any other
// error answer is not.
func TestRetriesOverloadAndGatewayErrors(t *testing.T) {
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
		{http.StatusServiceUnavailable, 4, 4, true}, // three retries, then the answer stands
		{http.StatusInternalServerError, 1, 1, true},
		{http.StatusBadRequest, 1, 1, true},
	} {
		t.Run(fmt.Sprintf("%d x%d", tc.status, tc.failures), func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c := newTestClient(t, esHandler(func(w http.ResponseWriter, _ *http.Request) {
				if calls.Add(1) <= int32(tc.failures) {
					w.WriteHeader(tc.status)
					_, _ = fmt.Fprintf(w, `{"error":{"type":"x","reason":"y"},"status":%d}`, tc.status)
					return
				}
				_, _ = w.Write([]byte(`{"snapshots":[],"total":0,"remaining":0}`))
			}))
			_, err := c.Snapshots(context.Background(), "backups", "x*")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tc.wantErr)
			}
			if tc.wantErr && !strings.Contains(err.Error(), fmt.Sprint(tc.status)) {
				t.Fatalf("err = %v, want status %d", err, tc.status)
			}
			// Exhausted retries are named; an answer not retried is not.
			want := fmt.Sprintf("Elasticsearch answered GET /_snapshot/backups/x* with %d x: y", tc.status)
			if tc.wantCalls > 1 {
				want = fmt.Sprintf("Elasticsearch still answered GET /_snapshot/backups/x* after %d retries: %d x: y", tc.wantCalls-1, tc.status)
			}
			if tc.wantErr && err.Error() != want {
				t.Fatalf("err = %q, want %q", err, want)
			}
			if calls.Load() != tc.wantCalls {
				t.Fatalf("calls = %d, want %d", calls.Load(), tc.wantCalls)
			}
		})
	}
}

func TestRequestsSentAreExact(t *testing.T) {
	var got []string
	c := newTestClient(t, esHandler(func(w http.ResponseWriter, r *http.Request) {
		buf := new(bytes.Buffer)
		_, _ = buf.ReadFrom(r.Body)
		got = append(got, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+" "+buf.String())
		_, _ = w.Write([]byte(`{"accepted":true}`))
	}))
	ctx := context.Background()
	if _, err := c.CreateSnapshot(ctx, "backups", "camunda_optimize_1_3.9.0_part_1_of_2", optimize.SnapshotRequest{Indices: []string{"optimize-import-index_v3"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSnapshot(ctx, "backups", "x", optimize.SnapshotRequest{}); err == nil {
		t.Fatal("a snapshot without indices must be refused")
	}
	if err := c.DeleteSnapshots(ctx, "backups", []string{"camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"camunda_optimize_1_*", "_all", "a,b", "", "-x"} {
		if err := c.DeleteSnapshots(ctx, "backups", []string{bad}); err == nil {
			t.Fatalf("deleting %q must be refused", bad)
		}
	}
	want := []string{
		`PUT /_snapshot/backups/camunda_optimize_1_3.9.0_part_1_of_2?wait_for_completion=false {"ignore_unavailable":false,"include_global_state":false,"indices":["optimize-import-index_v3"],"metadata":null,"partial":false}`,
		`DELETE /_snapshot/backups/camunda_optimize_1_3.9.0_part_1_of_2,camunda_optimize_1_3.9.0_part_2_of_2? `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TF_LOG=DEBUG shows each request under the elasticsearch subsystem, and no
// password, API key or token appears in any log at any level.
func TestLogsRequestsWithoutSecrets(t *testing.T) {
	secrets := map[string]func(*searchhttp.Config){
		"password": func(c *searchhttp.Config) { c.Username, c.Password = "elastic", "pw-0123456789" },
		"api key":  func(c *searchhttp.Config) { c.APIKey = "YXBpLWtleS0wMTIzNDU2Nzg5" },
		"token":    func(c *searchhttp.Config) { c.BearerToken = "tok-0123456789" },
	}
	for name, set := range secrets {
		t.Run(name, func(t *testing.T) {
			t.Setenv("TF_LOG", "TRACE")
			c := newTestClient(t, esHandler(func(w http.ResponseWriter, r *http.Request) {
				// An error that echoes what it got, as a misconfigured proxy might.
				w.WriteHeader(401)
				_, _ = w.Write([]byte(`{"error":{"type":"security_exception","reason":"bad ` + r.Header.Get("Authorization") + `"},"status":401}`))
			}), set)
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &buf)
			_, _ = c.Snapshots(ctx, "backups", "camunda_optimize_1_*")
			out := buf.String()
			if !strings.Contains(out, `"@module":"provider.elasticsearch"`) || !strings.Contains(out, `"method":"GET"`) ||
				!strings.Contains(out, `"path":"/_snapshot/backups/camunda_optimize_1_*"`) || !strings.Contains(out, `"status":401`) ||
				!strings.Contains(out, `"duration_ms"`) {
				t.Fatalf("log lacks the request line:\n%s", out)
			}
			for _, s := range c.cfg.Secrets() {
				if strings.Contains(out, s) {
					t.Fatalf("log shows the %s:\n%s", name, out)
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
		set     func(*searchhttp.Config)
		secrets []string
	}{
		"password": {func(c *searchhttp.Config) { c.Username, c.Password = "elastic", "pw-0123456789" },
			[]string{"pw-0123456789", "Basic ZWxhc3RpYzpwdy0wMTIzNDU2Nzg5"}},
		"api key": {func(c *searchhttp.Config) { c.APIKey = "YXBpLWtleS0wMTIzNDU2Nzg5" },
			[]string{"YXBpLWtleS0wMTIzNDU2Nzg5"}},
		"bearer token": {func(c *searchhttp.Config) { c.BearerToken = "tok-0123456789" },
			[]string{"tok-0123456789"}},
		"headers": {func(c *searchhttp.Config) {
			c.Headers = map[string]string{"Authorization": "ApiKey aGVhZGVyLWtleQ==", "X-Tenant-Token": "tenant-0123456789"}
		}, []string{"aGVhZGVyLWtleQ==", "tenant-0123456789"}},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := searchhttp.Config{Endpoints: []string{"http://127.0.0.1:9"}}
			tc.set(&cfg)
			c, err := NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			ctx := searchhttp.LogContext(tflogtest.RootLogger(context.Background(), &buf), c.cfg)
			for _, s := range tc.secrets {
				tflog.Trace(ctx, "provider message with "+s, map[string]any{"field": "value " + s})
				tflog.SubsystemTrace(ctx, searchhttp.LogSubsystem, "subsystem message with "+s, map[string]any{"field": "value " + s})
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

// A certificate that does not verify is refused with a message naming the
// endpoint, who issued the certificate and which CA was trusted.
func TestCertificateErrorNamesEndpointIssuerAndCA(t *testing.T) {
	tlsCfg, caPEM, err := esemulator.GenerateTLS("Right CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	_, otherPEM, err := esemulator.GenerateTLS("Other CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(esHandler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"backups":{"type":"fs","settings":{}}}`))
	}))
	srv.TLS = tlsCfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	for name, tc := range map[string]struct {
		ca   []byte
		want string
	}{
		"system CAs": {nil, `the TLS certificate of Elasticsearch at ` + srv.URL + `, issued by "CN=Right CA", is not signed by a certificate authority that this system trusts`},
		"wrong CA":   {otherPEM, `the TLS certificate of Elasticsearch at ` + srv.URL + `, issued by "CN=Right CA", is not signed by the configured CA ("CN=Other CA", from ca_file or ca_data)`},
		"right CA":   {caPEM, ""},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, CACert: tc.ca})
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
			if !errors.As(err, &certErr) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "set elasticsearch.ca_file or ca_data") {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
			if !errors.Is(err, optimize.ErrUnreachable) {
				t.Fatalf("errors.Is(%v, ErrUnreachable) = false", err)
			}
		})
	}
}

// Answers are decoded into the domain exactly: index names, documents (a
// missing one is ErrNotFound), snapshots with their times, shard counts and
// failures (a running one has no end time).
func TestAnswersDecodeIntoTheDomain(t *testing.T) {
	c := newTestClient(t, esHandler(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/_cat/indices/optimize-*":
			_, _ = w.Write([]byte(`[{"index":"optimize-import-index_v3"},{"index":"optimize-metadata_v3"}]`))
		case r.URL.Path == "/optimize-metadata/_doc/1":
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"1","found":true,"_source":{"schemaVersion":"3.9.0"}}`))
		case r.URL.Path == "/optimize-metadata/_doc/2":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"2","found":false}`))
		case r.URL.Path == "/optimize-metadata/_doc/3":
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"3","found":false}`))
		case r.URL.Path == "/_cat/indices/missing-*", r.URL.Path == "/missing/_doc/1":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"type":"index_not_found_exception","reason":"no such index [missing]"},"status":404}`))
		case strings.HasPrefix(r.URL.Path, "/_snapshot/backups/"):
			_, _ = w.Write([]byte(`{"snapshots":[
				{"snapshot":"a","state":"PARTIAL","indices":["i1","i2"],"start_time_in_millis":1700000000123,"end_time_in_millis":1700000001456,
				 "failures":[{"index":"i2","shard_id":3,"reason":"disk full","status":"INTERNAL_SERVER_ERROR"}],"shards":{"total":4,"failed":1,"successful":3}},
				{"snapshot":"b","state":"IN_PROGRESS","indices":["i1"],"start_time_in_millis":1700000002000,"end_time_in_millis":0,"failures":[],"shards":{"total":0,"failed":0,"successful":0}},
				{"snapshot":"c","state":"FAILED","reason":"aborted","indices":[],"start_time_in_millis":0,"end_time_in_millis":0}
			],"total":3,"remaining":0}`))
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"unexpected request ` + r.Method + " " + r.URL.Path + `","status":400}`))
		}
	}))
	ctx := context.Background()
	indices, err := c.Indices(ctx, "optimize-*")
	if err != nil || fmt.Sprint(indices) != "[optimize-import-index_v3 optimize-metadata_v3]" {
		t.Fatalf("Indices = %v, %v", indices, err)
	}
	if _, err := c.Indices(ctx, "missing-*"); !errors.Is(err, optimize.ErrNotFound) {
		t.Fatalf("Indices of a missing pattern: %v, want ErrNotFound", err)
	}
	doc, err := c.Document(ctx, "optimize-metadata", "1")
	if err != nil || doc["schemaVersion"] != "3.9.0" {
		t.Fatalf("Document = %v, %v", doc, err)
	}
	for _, id := range []string{"2", "3"} {
		if doc, err := c.Document(ctx, "optimize-metadata", id); !errors.Is(err, optimize.ErrNotFound) || doc != nil {
			t.Fatalf("Document %s = %v, %v; want ErrNotFound", id, doc, err)
		}
	}
	if _, err := c.Document(ctx, "missing", "1"); !errors.Is(err, optimize.ErrNotFound) || errors.Is(err, optimize.ErrSnapshotMissing) {
		t.Fatalf("Document of a missing index: %v", err)
	}
	snaps, err := c.Snapshots(ctx, "backups", "*")
	if err != nil {
		t.Fatal(err)
	}
	want := []optimize.Snapshot{
		{Name: "a", State: "PARTIAL", Indices: []string{"i1", "i2"},
			StartTime: time.UnixMilli(1700000000123).UTC(), EndTime: time.UnixMilli(1700000001456).UTC(),
			ShardsTotal: 4, ShardsFailed: 1, ShardsSuccessful: 3,
			Failures: []optimize.ShardFailure{{Index: "i2", Shard: 3, Reason: "disk full", Status: "INTERNAL_SERVER_ERROR"}}},
		{Name: "b", State: "IN_PROGRESS", Indices: []string{"i1"}, StartTime: time.UnixMilli(1700000002000).UTC()},
		{Name: "c", State: "FAILED", Reason: "aborted", Indices: []string{}},
	}
	if fmt.Sprintf("%#v", snaps) != fmt.Sprintf("%#v", want) {
		t.Fatalf("Snapshots =\n%#v\nwant\n%#v", snaps, want)
	}
	// An error whose "error" is a plain string keeps it as the reason.
	err = c.CheckRepository(ctx, "other")
	var esErr *searchhttp.Error
	if !errors.As(err, &esErr) || esErr.Reason != "unexpected request GET /_snapshot/other" || esErr.Type != "" || esErr.Status != 400 {
		t.Fatalf("err = %#v", err)
	}
}

// Elasticsearch answers GET /_snapshot/{list} with every repository when the
// list trims to nothing: only an answer that names the repository counts.
func TestCheckRepositoryNeedsTheAnswerToNameIt(t *testing.T) {
	c := newTestClient(t, esHandler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"other":{"type":"fs","settings":{"location":"/x"}}}`))
	}))
	err := c.CheckRepository(context.Background(), "backups")
	if !errors.Is(err, optimize.ErrRepositoryMissing) || !strings.Contains(err.Error(), "[backups]") {
		t.Fatalf("err = %v, want repository backups missing", err)
	}
	c = newTestClient(t, esHandler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"backups":{"type":"fs","settings":{"location":"/x"}}}`))
	}))
	if err := c.CheckRepository(context.Background(), "backups"); err != nil {
		t.Fatalf("err = %v for an answer naming the repository", err)
	}
}
