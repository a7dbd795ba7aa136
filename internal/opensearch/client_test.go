// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package opensearch

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
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// osHandler answers as OpenSearch 2.x does: JSON with a charset, and no
// X-Elastic-Product header (the header go-elasticsearch insists on).
func osHandler(f func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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

// recorder keeps every request as "METHOD escaped-path?query body".
type recorder struct {
	mu      sync.Mutex
	got     []string
	headers []http.Header
}

func (rec *recorder) record(r *http.Request) {
	buf := new(bytes.Buffer)
	_, _ = buf.ReadFrom(r.Body)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.got = append(rec.got, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery+" "+buf.String())
	rec.headers = append(rec.headers, r.Header.Clone())
}

func TestNewClientRefusesAPIKeyAndBadConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg  searchhttp.Config
		want string
	}{
		"api key":     {searchhttp.Config{Endpoints: []string{"http://os:9200"}, APIKey: "a2V5LXNlY3JldA=="}, "OpenSearch has no API keys"},
		"no endpoint": {searchhttp.Config{}, "no Elasticsearch endpoint is configured"},
		"no scheme":   {searchhttp.Config{Endpoints: []string{"os:9200"}}, "must start with http:// or https://"},
		"two methods": {searchhttp.Config{Endpoints: []string{"http://os"}, Username: "u", Password: "p", BearerToken: "t"}, "more than one authentication method"},
		"bad ca":      {searchhttp.Config{Endpoints: []string{"http://os"}, CACert: []byte("not pem")}, "holds no PEM-encoded certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(tc.cfg)
			if err == nil || c != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewClient = %v, %v; want %q", c, err, tc.want)
			}
			if strings.Contains(err.Error(), "a2V5LXNlY3JldA==") {
				t.Fatalf("the error shows the key: %v", err)
			}
		})
	}
}

// Every Cluster method sends exactly one request of this form: names
// escaped by searchhttp.PathSegment (a "%" or "+" reaches OpenSearch as
// written), the parameters and bodies the domain relies on, JSON bodies
// declared as such, and the configured headers and credentials.
func TestRequestsSentAreExact(t *testing.T) {
	rec := &recorder{}
	c := newTestClient(t, osHandler(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch {
		case r.Method == http.MethodGet && r.URL.EscapedPath() == "/_snapshot/back%2575ps":
			_, _ = w.Write([]byte(`{"back%75ps":{"type":"fs","settings":{"location":"/x"}}}`))
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/_cat/indices/"):
			_, _ = w.Write([]byte(`[]`))
		case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/_doc/"):
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"a+b","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{}}`))
		case r.Method == http.MethodGet:
			_, _ = w.Write([]byte(`{"snapshots":[]}`))
		case r.Method == http.MethodPost:
			_, _ = w.Write([]byte(`{"snapshot":{"snapshot":"s","indices":["optimize-import-index_v3"],"shards":{"total":1,"failed":0,"successful":1}}}`))
		case r.Method == http.MethodPut:
			_, _ = w.Write([]byte(`{"accepted":true}`))
		default:
			_, _ = w.Write([]byte(`{"acknowledged":true}`))
		}
	}), func(cfg *searchhttp.Config) {
		cfg.Username, cfg.Password = "admin", "pw-secret"
		cfg.Headers = map[string]string{"X-Opaque-Id": "terraform"}
		cfg.UserAgent = "terraform-provider-optimize/test"
	})
	ctx := context.Background()
	const repo, part1, part2 = "back%75ps", "camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"
	if err := c.CheckRepository(ctx, repo); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Indices(ctx, "optimize-*"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Document(ctx, "optimize-metadata", "a+b/c"); err != nil {
		t.Fatal(err)
	}
	meta := map[string]any{"version": "3.9.0"}
	if _, err := c.CreateSnapshot(ctx, repo, part1, optimize.SnapshotRequest{Indices: []string{"optimize-import-index_v3"}, Metadata: meta}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSnapshot(ctx, repo, part2, optimize.SnapshotRequest{Indices: []string{"optimize-a_v1", "optimize-b_v2"}, Wait: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Snapshots(ctx, repo, "camunda_optimize_1_*"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSnapshots(ctx, repo, []string{part1, part2}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSnapshots(ctx, repo, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RestoreSnapshot(ctx, repo, part1, []string{"optimize-import-index_v3"}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteIndices(ctx, []string{"optimize-import-index_v3", "optimize-metadata_v3"}); err != nil {
		t.Fatal(err)
	}
	// Refused before any request.
	if _, err := c.CreateSnapshot(ctx, repo, "x", optimize.SnapshotRequest{}); err == nil || !strings.Contains(err.Error(), "OpenSearch would snapshot every index") {
		t.Fatalf("a snapshot without indices must be refused: %v", err)
	}
	if _, err := c.RestoreSnapshot(ctx, repo, "x", nil); err == nil || !strings.Contains(err.Error(), "OpenSearch would restore every index") {
		t.Fatalf("a restore without indices must be refused: %v", err)
	}
	for _, bad := range []string{"camunda_optimize_1_*", "_all", "a,b", "", "-x"} {
		if err := c.DeleteSnapshots(ctx, repo, []string{part1, bad}); err == nil {
			t.Fatalf("deleting snapshot %q must be refused", bad)
		}
	}
	for _, bad := range []string{"optimize-*", "_all", "a,b", "", "-x", "a?"} {
		if err := c.DeleteIndices(ctx, []string{"optimize-metadata_v3", bad}); err == nil {
			t.Fatalf("deleting index %q must be refused", bad)
		}
	}
	want := []string{
		`GET /_snapshot/back%2575ps? `,
		`GET /_cat/indices/optimize-*?format=json&h=index `,
		`GET /optimize-metadata/_doc/a%2Bb%2Fc? `,
		`PUT /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_1_of_2?wait_for_completion=false {"ignore_unavailable":false,"include_global_state":false,"indices":["optimize-import-index_v3"],"metadata":{"version":"3.9.0"},"partial":false}`,
		`PUT /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_2_of_2?wait_for_completion=true {"ignore_unavailable":false,"include_global_state":false,"indices":["optimize-a_v1","optimize-b_v2"],"metadata":null,"partial":false}`,
		`GET /_snapshot/back%2575ps/camunda_optimize_1_*?ignore_unavailable=true `,
		`DELETE /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_1_of_2,camunda_optimize_1_3.9.0_part_2_of_2? `,
		`POST /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_1_of_2/_restore?wait_for_completion=true {"ignore_unavailable":false,"include_aliases":true,"include_global_state":false,"indices":["optimize-import-index_v3"],"partial":false}`,
		`DELETE /optimize-import-index_v3,optimize-metadata_v3? `,
	}
	if strings.Join(rec.got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(rec.got, "\n"), strings.Join(want, "\n"))
	}
	for i, h := range rec.headers {
		if h.Get("Authorization") != "Basic YWRtaW46cHctc2VjcmV0" || h.Get("X-Opaque-Id") != "terraform" ||
			h.Get("User-Agent") != "terraform-provider-optimize/test" {
			t.Errorf("request %d (%s) headers: %v", i, rec.got[i], h)
		}
		hasBody := !strings.HasSuffix(rec.got[i], " ")
		if ct := h.Get("Content-Type"); hasBody && ct != "application/json" {
			t.Errorf("request %d (%s): Content-Type %q", i, rec.got[i], ct)
		}
	}
}

// A long list of indices is deleted in several requests, each within the
// default 4 KB request line, and every index exactly once, in order.
func TestDeleteIndicesSplitsLongLists(t *testing.T) {
	var paths []string
	c := newTestClient(t, osHandler(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		_, _ = w.Write([]byte(`{"acknowledged":true}`))
	}))
	var names []string
	for i := range 300 {
		names = append(names, fmt.Sprintf("optimize-process-instance-definition-number-%03d_v8", i))
	}
	if err := c.DeleteIndices(context.Background(), names); err != nil {
		t.Fatal(err)
	}
	if len(paths) < 2 {
		t.Fatalf("%d requests for 300 indices", len(paths))
	}
	var deleted []string
	for _, p := range paths {
		if len("DELETE "+p+" HTTP/1.1") > 4096 {
			t.Fatalf("request line of %d bytes", len(p))
		}
		deleted = append(deleted, strings.Split(strings.TrimPrefix(p, "/"), ",")...)
	}
	if strings.Join(deleted, ",") != strings.Join(names, ",") {
		t.Fatalf("deleted %d indices, want the %d named, in order", len(deleted), len(names))
	}
}

// osSnapshots is a get snapshots answer as OpenSearch 2.19 writes it
// (SnapshotInfo.toXContent: uuid, version_id, version,
// remote_store_index_shallow_copy, data_streams; no repository,
// feature_states, total or remaining).
const osSnapshots = `{"snapshots":[
 {"snapshot":"a","uuid":"u1","version_id":136407927,"version":"2.19.1","remote_store_index_shallow_copy":false,
  "indices":["i1","i2"],"data_streams":[],"include_global_state":false,"metadata":{"optimize_version":"3.9.0","token":"t1"},
  "state":"PARTIAL","start_time":"2023-11-14T22:13:20.123Z","start_time_in_millis":1700000000123,
  "end_time":"2023-11-14T22:13:21.456Z","end_time_in_millis":1700000001456,"duration_in_millis":1333,
  "failures":[{"index":"i2","index_uuid":"x","shard_id":3,"reason":"disk full","node_id":"n","status":"INTERNAL_SERVER_ERROR"}],
  "shards":{"total":4,"failed":1,"successful":3}},
 {"snapshot":"b","uuid":"u2","version_id":136407927,"version":"2.19.1","remote_store_index_shallow_copy":false,
  "indices":["i1"],"data_streams":[],"include_global_state":false,
  "state":"IN_PROGRESS","start_time":"2023-11-14T22:13:22.000Z","start_time_in_millis":1700000002000,
  "end_time":"1970-01-01T00:00:00.000Z","end_time_in_millis":0,"duration_in_millis":0,
  "failures":[],"shards":{"total":0,"failed":0,"successful":0}},
 {"snapshot":"c","uuid":"u3","version_id":136407927,"version":"2.19.1","remote_store_index_shallow_copy":false,
  "indices":[],"data_streams":[],"include_global_state":false,"state":"FAILED","reason":"aborted",
  "start_time":"1970-01-01T00:00:00.000Z","start_time_in_millis":0,"end_time":"1970-01-01T00:00:00.000Z","end_time_in_millis":0,"duration_in_millis":0,
  "failures":[],"shards":{"total":0,"failed":0,"successful":0}}
]}`

// Answers are decoded into the domain exactly: index names, documents (a
// missing one, or one of a missing index, is ErrNotFound), snapshots with
// their times, metadata, shard counts and failures (a running one has no
// end time), a waited create's snapshot and a restore's result.
func TestAnswersDecodeIntoTheDomain(t *testing.T) {
	c := newTestClient(t, osHandler(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/_cat/indices/optimize-*":
			_, _ = w.Write([]byte(`[{"index":"optimize-import-index_v3"},{"index":"optimize-metadata_v3"}]`))
		case r.URL.Path == "/_cat/indices/none-*":
			_, _ = w.Write([]byte(`[]`))
		case r.URL.Path == "/optimize-metadata/_doc/1":
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"1","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"schemaVersion":"3.9.0"}}`))
		case r.URL.Path == "/optimize-metadata/_doc/2":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"2","found":false}`))
		case r.URL.Path == "/_cat/indices/missing-*", r.URL.Path == "/missing/_doc/1":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [missing]","index":"missing","resource.id":"missing","resource.type":"index_or_alias","index_uuid":"_na_"}],"type":"index_not_found_exception","reason":"no such index [missing]","index":"missing","resource.id":"missing","resource.type":"index_or_alias","index_uuid":"_na_"},"status":404}`))
		case r.Method == http.MethodPut && r.URL.Path == "/_snapshot/backups/waited":
			_, _ = w.Write([]byte(`{"snapshot":` + strings.SplitN(strings.SplitN(osSnapshots, "[\n ", 2)[1], ",\n {", 2)[0] + `}`))
		case r.Method == http.MethodPut:
			_, _ = w.Write([]byte(`{"accepted":true}`))
		case r.Method == http.MethodPost:
			_, _ = w.Write([]byte(`{"snapshot":{"snapshot":"a","indices":["i1","i2"],"shards":{"total":2,"failed":1,"successful":1}}}`))
		case strings.HasPrefix(r.URL.Path, "/_snapshot/backups/"):
			_, _ = w.Write([]byte(osSnapshots))
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
	if indices, err := c.Indices(ctx, "none-*"); err != nil || indices == nil || len(indices) != 0 {
		t.Fatalf("Indices of a pattern matching nothing = %#v, %v", indices, err)
	}
	if _, err := c.Indices(ctx, "missing-*"); !errors.Is(err, optimize.ErrNotFound) {
		t.Fatalf("Indices of a missing index: %v, want ErrNotFound", err)
	}
	doc, err := c.Document(ctx, "optimize-metadata", "1")
	if err != nil || fmt.Sprint(doc) != "map[schemaVersion:3.9.0]" {
		t.Fatalf("Document = %v, %v", doc, err)
	}
	if doc, err := c.Document(ctx, "optimize-metadata", "2"); !errors.Is(err, optimize.ErrNotFound) || doc != nil {
		t.Fatalf("Document of a missing id = %v, %v; want ErrNotFound", doc, err)
	}
	if _, err := c.Document(ctx, "missing", "1"); !errors.Is(err, optimize.ErrNotFound) || errors.Is(err, optimize.ErrSnapshotMissing) ||
		err.Error() != "OpenSearch answered GET /missing/_doc/1 with 404 index_not_found_exception: no such index [missing]" {
		t.Fatalf("Document of a missing index: %v", err)
	}
	snaps, err := c.Snapshots(ctx, "backups", "*")
	if err != nil {
		t.Fatal(err)
	}
	a := optimize.Snapshot{Name: "a", State: "PARTIAL", Indices: []string{"i1", "i2"},
		StartTime: time.UnixMilli(1700000000123).UTC(), EndTime: time.UnixMilli(1700000001456).UTC(),
		ShardsTotal: 4, ShardsFailed: 1, ShardsSuccessful: 3,
		Failures: []optimize.ShardFailure{{Index: "i2", Shard: 3, Reason: "disk full", Status: "INTERNAL_SERVER_ERROR"}},
		Metadata: map[string]any{"optimize_version": "3.9.0", "token": "t1"}}
	want := []optimize.Snapshot{
		a,
		{Name: "b", State: "IN_PROGRESS", Indices: []string{"i1"}, StartTime: time.UnixMilli(1700000002000).UTC()},
		{Name: "c", State: "FAILED", Reason: "aborted", Indices: []string{}},
	}
	if fmt.Sprintf("%#v", snaps) != fmt.Sprintf("%#v", want) {
		t.Fatalf("Snapshots =\n%#v\nwant\n%#v", snaps, want)
	}
	// A create not waited for has no snapshot yet; a waited one has it.
	s, err := c.CreateSnapshot(ctx, "backups", "started", optimize.SnapshotRequest{Indices: []string{"i1"}})
	if err != nil || s != nil {
		t.Fatalf("CreateSnapshot not waited = %#v, %v", s, err)
	}
	s, err = c.CreateSnapshot(ctx, "backups", "waited", optimize.SnapshotRequest{Indices: []string{"i1", "i2"}, Wait: true})
	if err != nil || s == nil || fmt.Sprintf("%#v", *s) != fmt.Sprintf("%#v", a) {
		t.Fatalf("CreateSnapshot waited = %#v, %v\nwant %#v", s, err, a)
	}
	res, err := c.RestoreSnapshot(ctx, "backups", "a", []string{"i1", "i2"})
	if err != nil || fmt.Sprintf("%+v", res) != "{Indices:[i1 i2] ShardsTotal:2 ShardsFailed:1 ShardsSuccessful:1}" {
		t.Fatalf("RestoreSnapshot = %+v, %v", res, err)
	}
	// An error whose "error" is a plain string keeps it as the reason.
	err = c.DeleteIndices(ctx, []string{"other"})
	var esErr *searchhttp.Error
	if !errors.As(err, &esErr) || esErr.Reason != "unexpected request DELETE /other" || esErr.Type != "" || esErr.Status != 400 || esErr.Product != "OpenSearch" {
		t.Fatalf("err = %#v", err)
	}
}

// OpenSearch's error answers map onto the domain's errors, and every
// message names OpenSearch, the request and the names as written.
func TestErrorsCarryTypeReasonAndMapToTheDomain(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		status int
		body   string
		call   func(*Client) error
		is     error
		want   string
	}{
		{"repository missing", 404, `{"error":{"root_cause":[{"type":"repository_missing_exception","reason":"[back%75ps] missing"}],"type":"repository_missing_exception","reason":"[back%75ps] missing"},"status":404}`,
			func(c *Client) error { return c.CheckRepository(ctx, "back%75ps") },
			optimize.ErrRepositoryMissing, "OpenSearch answered GET /_snapshot/back%75ps with 404 repository_missing_exception: [back%75ps] missing"},
		{"snapshot missing", 404, `{"error":{"root_cause":[{"type":"snapshot_missing_exception","reason":"[backups:x] is missing"}],"type":"snapshot_missing_exception","reason":"[backups:x] is missing"},"status":404}`,
			func(c *Client) error { return c.DeleteSnapshots(ctx, "backups", []string{"x"}) },
			optimize.ErrSnapshotMissing, "OpenSearch answered DELETE /_snapshot/backups/x with 404 snapshot_missing_exception: [backups:x] is missing"},
		{"snapshot missing on restore", 404, `{"error":{"type":"snapshot_missing_exception","reason":"[backups:x] is missing"},"status":404}`,
			func(c *Client) error { _, err := c.RestoreSnapshot(ctx, "backups", "x", []string{"i"}); return err },
			optimize.ErrSnapshotMissing, "OpenSearch answered POST /_snapshot/backups/x/_restore with 404 snapshot_missing_exception"},
		{"name taken", 400, `{"error":{"root_cause":[{"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"}],"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},"status":400}`,
			func(c *Client) error {
				_, err := c.CreateSnapshot(ctx, "backups", "x", optimize.SnapshotRequest{Indices: []string{"i"}})
				return err
			},
			optimize.ErrSnapshotExists, "OpenSearch answered PUT /_snapshot/backups/x with 400 invalid_snapshot_name_exception: [backups:x] Invalid snapshot name [x], snapshot with the same name already exists"},
		{"in progress", 400, `{"error":{"type":"invalid_snapshot_name_exception","reason":"[backups:x] Invalid snapshot name [x], snapshot with the same name is already in-progress"},"status":400}`,
			func(c *Client) error {
				_, err := c.CreateSnapshot(ctx, "backups", "x", optimize.SnapshotRequest{Indices: []string{"i"}})
				return err
			},
			optimize.ErrSnapshotExists, "already in-progress"},
		{"index not found", 404, `{"error":{"type":"index_not_found_exception","reason":"no such index [i]"},"status":404}`,
			func(c *Client) error { return c.DeleteIndices(ctx, []string{"i"}) },
			optimize.ErrNotFound, "OpenSearch answered DELETE /i with 404 index_not_found_exception: no such index [i]"},
		{"server error", 500, `{"error":{"type":"snapshot_exception","reason":"[backups:x] boom"},"status":500}`,
			func(c *Client) error { _, err := c.Snapshots(ctx, "backups", "x"); return err },
			nil, "OpenSearch answered GET /_snapshot/backups/x with 500 snapshot_exception: [backups:x] boom"},
		{"plain text", 500, `oops`,
			func(c *Client) error { return c.CheckRepository(ctx, "backups") },
			nil, "OpenSearch answered GET /_snapshot/backups with 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, osHandler(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			err := tt.call(c)
			var esErr *searchhttp.Error
			if !errors.As(err, &esErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
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

// OpenSearch answers GET /_snapshot/{list} with every repository when the
// list trims to nothing: only an answer that names the repository counts.
func TestCheckRepositoryNeedsTheAnswerToNameIt(t *testing.T) {
	c := newTestClient(t, osHandler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"other":{"type":"fs","settings":{"location":"/x"}}}`))
	}))
	err := c.CheckRepository(context.Background(), "backups")
	if !errors.Is(err, optimize.ErrRepositoryMissing) || !strings.Contains(err.Error(), "OpenSearch") || !strings.Contains(err.Error(), "[backups]") {
		t.Fatalf("err = %v, want repository backups missing", err)
	}
}

// The security plugin answers a 401 in plain text ("Unauthorized", no JSON):
// the error names the credentials sent, never their values.
func TestUnauthorizedPlainTextNamesTheCredentialsNotTheirValues(t *testing.T) {
	h := osHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.Header().Set("WWW-Authenticate", `Basic realm="OpenSearch Security"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("Unauthorized"))
	})
	for _, tc := range []struct {
		cfg  func(*searchhttp.Config)
		want string
	}{
		{func(c *searchhttp.Config) { c.Username, c.Password = "admin", "hunter2-secret" }, `basic authentication as user "admin"`},
		{func(c *searchhttp.Config) { c.BearerToken = "token-secret" }, "a bearer token (bearer_token)"},
		{func(c *searchhttp.Config) {
			c.Headers = map[string]string{"Authorization": "Basic aGVhZGVyLXNlY3JldA=="}
		}, "the Authorization header of elasticsearch.headers"},
		{func(*searchhttp.Config) {}, "no credentials"},
	} {
		c := newTestClient(t, h, tc.cfg)
		err := c.CheckRepository(context.Background(), "backups")
		want := "OpenSearch answered GET /_snapshot/backups with 401 (the provider sent " + tc.want + "; check the elasticsearch block or the ELASTICSEARCH_* environment variables)"
		var esErr *searchhttp.Error
		if err == nil || err.Error() != want || !errors.As(err, &esErr) || esErr.Status != 401 || esErr.Reason != "Unauthorized" {
			t.Fatalf("err = %v\nwant %s", err, want)
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
	if !errors.Is(err, optimize.ErrUnreachable) || !strings.Contains(err.Error(), "OpenSearch at "+url+" is unreachable") {
		t.Fatalf("err = %v", err)
	}
}

// 429, 502, 503 and 504 are tried again (up to three times); any other
// error answer is not. Exhausted retries are named in the error.
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
		{http.StatusTooManyRequests, 4, 4, true}, // three retries, then the answer stands
		{http.StatusServiceUnavailable, 4, 4, true},
		{http.StatusInternalServerError, 1, 1, true},
		{http.StatusBadRequest, 1, 1, true},
	} {
		t.Run(fmt.Sprintf("%d x%d", tc.status, tc.failures), func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			var bodies sync.Map
			c := newTestClient(t, osHandler(func(w http.ResponseWriter, r *http.Request) {
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
			want := fmt.Sprintf("OpenSearch answered POST /_snapshot/backups/x/_restore with %d x: y", tc.status)
			if tc.wantCalls > 1 {
				want = fmt.Sprintf("OpenSearch still answered POST /_snapshot/backups/x/_restore after %d retries: %d x: y", tc.wantCalls-1, tc.status)
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

// TF_LOG=DEBUG shows each request under the elasticsearch subsystem, and no
// password, token or header value appears in any log at any level.
func TestLogsRequestsWithoutSecrets(t *testing.T) {
	secrets := map[string]func(*searchhttp.Config){
		"password": func(c *searchhttp.Config) { c.Username, c.Password = "admin", "pw-0123456789" },
		"token":    func(c *searchhttp.Config) { c.BearerToken = "tok-0123456789" },
		"header": func(c *searchhttp.Config) {
			c.Headers = map[string]string{"Authorization": "Basic aGVhZGVyLTAxMjM0NTY3ODk="}
		},
	}
	for name, set := range secrets {
		t.Run(name, func(t *testing.T) {
			t.Setenv("TF_LOG", "TRACE")
			c := newTestClient(t, osHandler(func(w http.ResponseWriter, r *http.Request) {
				// An error that echoes what it got, as a misconfigured proxy might.
				w.WriteHeader(401)
				_, _ = w.Write([]byte(`{"error":{"type":"security_exception","reason":"bad ` + r.Header.Get("Authorization") + `"},"status":401}`))
			}), set)
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &buf)
			_, err := c.Snapshots(ctx, "backups", "camunda_optimize_1_*")
			out := buf.String()
			if !strings.Contains(out, `"@module":"provider.elasticsearch"`) || !strings.Contains(out, `"method":"GET"`) ||
				!strings.Contains(out, `"path":"/_snapshot/backups/camunda_optimize_1_*"`) || !strings.Contains(out, `"status":401`) ||
				!strings.Contains(out, `"query":"ignore_unavailable=true"`) || !strings.Contains(out, `"duration_ms"`) {
				t.Fatalf("log lacks the request line:\n%s", out)
			}
			if len(c.cfg.Secrets()) == 0 {
				t.Fatal("no secrets to look for")
			}
			for _, s := range c.cfg.Secrets() {
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

// The CA of ca_file/ca_data is the only one trusted (opensearch-go's own
// CACert option is bypassed: it would set it on a nil TLS configuration); a
// certificate that does not verify is refused naming the endpoint, its
// issuer and the CA trusted; insecure skips the check.
func TestTLSTrustsTheConfiguredCA(t *testing.T) {
	tlsCfg, caPEM, err := esemulator.GenerateTLS("Right CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	_, otherPEM, err := esemulator.GenerateTLS("Other CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(osHandler(func(w http.ResponseWriter, _ *http.Request) {
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
			c, err := NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, CACert: tc.ca, Insecure: tc.insecure})
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
			if !errors.As(err, &certErr) || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, optimize.ErrUnreachable) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
		})
	}
}

// One round trip against the emulator answering as OpenSearch 2.x, with
// basic authentication: every Cluster method, names as written, and what
// the emulator holds afterwards.
func TestRoundTripAgainstTheOpenSearchEmulator(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, Username: "admin", Password: "admin-pw"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := srv.SeedOptimize("3.9.0", "optimize"); err != nil {
		t.Fatal(err)
	}
	const repo = "back%75ps"
	srv.RegisterRepository(repo, "fs", map[string]any{"location": t.TempDir()})
	ctx := context.Background()

	// Wrong password: the security plugin's plain-text 401.
	bad, err := NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, Username: "admin", Password: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.CheckRepository(ctx, repo); err == nil ||
		err.Error() != `OpenSearch answered GET /_snapshot/back%75ps with 401 (the provider sent basic authentication as user "admin"; check the elasticsearch block or the ELASTICSEARCH_* environment variables)` {
		t.Fatalf("wrong password: %v", err)
	}

	c, err := NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, Username: "admin", Password: "admin-pw"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckRepository(ctx, repo); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"backups", " ", " " + repo, "back%2575ps"} {
		if err := c.CheckRepository(ctx, r); !errors.Is(err, optimize.ErrRepositoryMissing) {
			t.Fatalf("CheckRepository(%q) = %v, want ErrRepositoryMissing", r, err)
		}
	}
	indices, err := c.Indices(ctx, "optimize-*")
	if err != nil || len(indices) != len(srv.Indices()) {
		t.Fatalf("Indices = %v, %v; the emulator holds %v", indices, err, srv.Indices())
	}
	doc, err := c.Document(ctx, "optimize-metadata", "1")
	if err != nil || doc["schemaVersion"] != "3.9.0" {
		t.Fatalf("Document = %v, %v", doc, err)
	}
	if _, err := c.Document(ctx, "optimize-metadata", "2"); !errors.Is(err, optimize.ErrNotFound) {
		t.Fatalf("missing document: %v", err)
	}
	if _, err := c.Document(ctx, "missing", "1"); !errors.Is(err, optimize.ErrNotFound) {
		t.Fatalf("document of a missing index: %v", err)
	}

	const name = "camunda_optimize_1+2_3.9.0_part_1_of_2"
	part := []string{"optimize-metadata_v3", "optimize-import-index_v3"}
	meta := map[string]any{"optimize_version": "3.9.0", "token": "tok"}
	s, err := c.CreateSnapshot(ctx, repo, name, optimize.SnapshotRequest{Indices: part, Metadata: meta, Wait: true})
	if err != nil || s == nil {
		t.Fatalf("CreateSnapshot = %v, %v", s, err)
	}
	if s.Name != name || s.State != "SUCCESS" || fmt.Sprint(s.Metadata) != fmt.Sprint(meta) || s.StartTime.IsZero() || s.EndTime.IsZero() ||
		s.ShardsTotal == 0 || s.ShardsSuccessful != s.ShardsTotal || len(s.Indices) != 2 {
		t.Fatalf("snapshot = %+v", *s)
	}
	if _, err := c.CreateSnapshot(ctx, repo, name, optimize.SnapshotRequest{Indices: part}); !errors.Is(err, optimize.ErrSnapshotExists) {
		t.Fatalf("a second snapshot of the same name: %v", err)
	}
	held, ok := srv.Snapshot(repo, name)
	if !ok || held.State != "SUCCESS" {
		t.Fatalf("the emulator holds %+v, %v", held, ok)
	}
	snaps, err := c.Snapshots(ctx, repo, "camunda_optimize_1+2_*")
	if err != nil || len(snaps) != 1 || snaps[0].Name != name || !snaps[0].StartTime.Equal(s.StartTime) || fmt.Sprint(snaps[0].Metadata) != fmt.Sprint(meta) {
		t.Fatalf("Snapshots = %+v, %v", snaps, err)
	}
	if snaps, err := c.Snapshots(ctx, repo, "camunda_optimize_9_*"); err != nil || len(snaps) != 0 {
		t.Fatalf("Snapshots of no backup = %+v, %v", snaps, err)
	}
	if _, err := c.Snapshots(ctx, "backups", "*"); !errors.Is(err, optimize.ErrRepositoryMissing) {
		t.Fatalf("Snapshots of a missing repository: %v", err)
	}

	if err := c.DeleteIndices(ctx, part); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Document(ctx, "optimize-metadata", "1"); !errors.Is(err, optimize.ErrNotFound) {
		t.Fatalf("document after its index was deleted: %v", err)
	}
	res, err := c.RestoreSnapshot(ctx, repo, name, part)
	if err != nil || res.ShardsTotal == 0 || res.ShardsFailed != 0 || len(res.Indices) != 2 {
		t.Fatalf("RestoreSnapshot = %+v, %v", res, err)
	}
	if doc, err := c.Document(ctx, "optimize-metadata", "1"); err != nil || doc["schemaVersion"] != "3.9.0" {
		t.Fatalf("restored document = %v, %v", doc, err)
	}
	// RestoreService answers a missing snapshot with a 500
	// snapshot_restore_exception, not snapshot_missing_exception.
	if _, err := c.RestoreSnapshot(ctx, repo, "nope", part); err == nil ||
		err.Error() != "OpenSearch answered POST /_snapshot/back%75ps/nope/_restore with 500 snapshot_restore_exception: [back%75ps:nope] snapshot does not exist" {
		t.Fatalf("restore of a missing snapshot: %v", err)
	}

	if err := c.DeleteSnapshots(ctx, repo, []string{name}); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Snapshot(repo, name); ok {
		t.Fatal("the snapshot is still in the emulator")
	}
	if err := c.DeleteSnapshots(ctx, repo, []string{name}); !errors.Is(err, optimize.ErrSnapshotMissing) ||
		!strings.Contains(err.Error(), "OpenSearch answered DELETE /_snapshot/back%75ps/"+name+" with 404 snapshot_missing_exception") {
		t.Fatalf("deleting it again: %v", err)
	}

	// Overload: the emulator's 503 is retried, and the request then succeeds.
	srv.FailNext("GET", "/_snapshot/*", 2, http.StatusServiceUnavailable)
	if _, err := c.Snapshots(ctx, repo, "*"); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	if n := srv.CountRequests("GET", "/_snapshot/"); n < 3 {
		t.Fatalf("%d GET /_snapshot requests, want the two failures and the retry", n)
	}
}
