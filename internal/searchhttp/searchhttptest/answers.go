// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttptest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// getSnapshots is a get snapshots answer as OpenSearch 2.19 writes it
// (SnapshotInfo.toXContent: uuid, version_id, version,
// remote_store_index_shallow_copy, data_streams; no repository,
// feature_states, total or remaining); Elasticsearch's differs only in
// fields the adapters do not read.
const getSnapshots = `{"snapshots":[
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

// snapshotA is the first snapshot of getSnapshots in the domain's terms.
var snapshotA = optimize.Snapshot{Name: "a", State: "PARTIAL", Indices: []string{"i1", "i2"},
	StartTime: time.UnixMilli(1700000000123).UTC(), EndTime: time.UnixMilli(1700000001456).UTC(),
	ShardsTotal: 4, ShardsFailed: 1, ShardsSuccessful: 3,
	Failures: []optimize.ShardFailure{{Index: "i2", Shard: 3, Reason: "disk full", Status: "INTERNAL_SERVER_ERROR"}},
	Metadata: map[string]any{"optimize_version": "3.9.0", "token": "t1"}}

// answers answers answersDecodeIntoTheDomain's requests.
func (a Adapter) answers() http.Handler {
	return a.handler(func(w http.ResponseWriter, r *http.Request) {
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
		case r.URL.Path == "/optimize-metadata/_doc/3":
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"3","found":false}`))
		case r.URL.Path == "/_cat/indices/missing-*", r.URL.Path == "/missing/_doc/1":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [missing]","index":"missing","resource.id":"missing","resource.type":"index_or_alias","index_uuid":"_na_"}],"type":"index_not_found_exception","reason":"no such index [missing]","index":"missing","resource.id":"missing","resource.type":"index_or_alias","index_uuid":"_na_"},"status":404}`))
		case r.Method == http.MethodPut && r.URL.Path == "/_snapshot/backups/waited":
			_, _ = w.Write([]byte(`{"snapshot":` + strings.SplitN(strings.SplitN(getSnapshots, "[\n ", 2)[1], ",\n {", 2)[0] + `}`))
		case r.Method == http.MethodPut:
			_, _ = w.Write([]byte(`{"accepted":true}`))
		case r.Method == http.MethodPost:
			_, _ = w.Write([]byte(`{"snapshot":{"snapshot":"a","indices":["i1","i2"],"shards":{"total":2,"failed":1,"successful":1}}}`))
		case strings.HasPrefix(r.URL.Path, "/_snapshot/backups/"):
			_, _ = w.Write([]byte(getSnapshots))
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"unexpected request ` + r.Method + " " + r.URL.Path + `","status":400}`))
		}
	})
}

// Answers are decoded into the domain exactly: index names, documents (a
// missing one, or one of a missing index, is ErrNotFound), snapshots with
// their times, metadata, shard counts and failures (a running one has no
// end time), a waited create's snapshot and a restore's result.
func answersDecodeIntoTheDomain(t *testing.T, a Adapter) {
	c, _ := a.client(t, a.answers())
	decodesIndicesAndDocuments(t, a, c)
	ctx := context.Background()
	snaps, err := c.Snapshots(ctx, "backups", "*")
	if err != nil {
		t.Fatal(err)
	}
	want := []optimize.Snapshot{
		snapshotA,
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
	if err != nil || s == nil || fmt.Sprintf("%#v", *s) != fmt.Sprintf("%#v", snapshotA) {
		t.Fatalf("CreateSnapshot waited = %#v, %v\nwant %#v", s, err, snapshotA)
	}
	res, err := c.RestoreSnapshot(ctx, "backups", "a", []string{"i1", "i2"})
	if err != nil || fmt.Sprintf("%+v", res) != "{Indices:[i1 i2] ShardsTotal:2 ShardsFailed:1 ShardsSuccessful:1}" {
		t.Fatalf("RestoreSnapshot = %+v, %v", res, err)
	}
	// An error whose "error" is a plain string keeps it as the reason.
	err = c.DeleteIndices(ctx, []string{"other"})
	var esErr *searchhttp.Error
	if !errors.As(err, &esErr) || esErr.Reason != "unexpected request DELETE /other" || esErr.Type != "" || esErr.Status != 400 ||
		!strings.HasPrefix(err.Error(), a.Product+" answered DELETE /other with 400") {
		t.Fatalf("err = %#v", err)
	}
}

// decodesIndicesAndDocuments checks Indices and Document against answers.
func decodesIndicesAndDocuments(t *testing.T, a Adapter, c optimize.Cluster) {
	t.Helper()
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
	for _, id := range []string{"2", "3"} {
		if doc, err := c.Document(ctx, "optimize-metadata", id); !errors.Is(err, optimize.ErrNotFound) || doc != nil {
			t.Fatalf("Document %s = %v, %v; want ErrNotFound", id, doc, err)
		}
	}
	if _, err := c.Document(ctx, "missing", "1"); !errors.Is(err, optimize.ErrNotFound) || errors.Is(err, optimize.ErrSnapshotMissing) ||
		err.Error() != a.Product+" answered GET /missing/_doc/1 with 404 index_not_found_exception: no such index [missing]" {
		t.Fatalf("Document of a missing index: %v", err)
	}
}

// The engine answers GET /_snapshot/{list} with every repository when the
// list trims to nothing: only an answer that names the repository counts.
func checkRepositoryNeedsTheAnswerToNameIt(t *testing.T, a Adapter) {
	c, _ := a.client(t, a.handler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"other":{"type":"fs","settings":{"location":"/x"}}}`))
	}))
	err := c.CheckRepository(context.Background(), "backups")
	if !errors.Is(err, optimize.ErrRepositoryMissing) ||
		err.Error() != "the answer of "+a.Product+" to GET /_snapshot/backups does not name repository [backups]: "+optimize.ErrRepositoryMissing.Error() {
		t.Fatalf("err = %v, want repository backups missing", err)
	}
	c, _ = a.client(t, a.handler(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"backups":{"type":"fs","settings":{"location":"/x"}}}`))
	}))
	if err := c.CheckRepository(context.Background(), "backups"); err != nil {
		t.Fatalf("err = %v for an answer naming the repository", err)
	}
}
