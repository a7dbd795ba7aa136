// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	es7 "github.com/elastic/go-elasticsearch/v7"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// TestWireErrors holds the emulator to every error of the spec's section 7
// ("Elasticsearch 7.17 wire facts"): status, error.type, error.reason, the
// root cause equal to them, the top-level status, and the headers.
func TestWireErrors(t *testing.T) {
	srv := start(t, esemulator.Config{SnapshotDuration: time.Hour})
	u := srv.URL
	// A running snapshot, a completed one, a failed one.
	srv.SetSnapshotDuration(0)
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/done?wait_for_completion=true", `{"indices":"optimize-metadata"}`), 200)
	srv.FailSnapshot("failed", "FAILED", "disk full")
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/failed?wait_for_completion=true", `{"indices":"optimize-metadata"}`), 200)
	srv.FailSnapshot("incompatible", "INCOMPATIBLE", "written by 6.8")
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/incompatible?wait_for_completion=true", `{"indices":"optimize-metadata"}`), 200)
	srv.SetSnapshotDuration(time.Hour)
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/running", `{"indices":"optimize-import-index"}`), 200)

	// Past the existence check, a restore error names the snapshot with its uuid.
	withUUID := func(name string) string {
		snap, ok := srv.Snapshot("backups", name)
		if !ok {
			t.Fatalf("no snapshot %s", name)
		}
		return "backups:" + name + "/" + snap.UUID
	}
	const invalidChars = `must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]`
	cases := []struct {
		name, method, path, body string
		status                   int
		typ, reason              string
	}{
		{"create: uppercase name", "PUT", "/_snapshot/backups/Nightly", "", 400, "invalid_snapshot_name_exception",
			"[backups:Nightly] Invalid snapshot name [Nightly], must be lowercase"},
		{"create: whitespace", "PUT", "/_snapshot/backups/a%20b", "", 400, "invalid_snapshot_name_exception",
			"[backups:a b] Invalid snapshot name [a b], must not contain whitespace"},
		{"create: comma", "PUT", "/_snapshot/backups/a%2Cb", "", 400, "invalid_snapshot_name_exception",
			"[backups:a,b] Invalid snapshot name [a,b], must not contain ','"},
		{"create: hash", "PUT", "/_snapshot/backups/a%23b", "", 400, "invalid_snapshot_name_exception",
			"[backups:a#b] Invalid snapshot name [a#b], must not contain '#'"},
		{"create: leading underscore", "PUT", "/_snapshot/backups/_a", "", 400, "invalid_snapshot_name_exception",
			"[backups:_a] Invalid snapshot name [_a], must not start with '_'"},
		{"create: star", "PUT", "/_snapshot/backups/a*b", "", 400, "invalid_snapshot_name_exception",
			"[backups:a*b] Invalid snapshot name [a*b], " + invalidChars},
		{"create: question mark", "PUT", "/_snapshot/backups/a%3Fb", "", 400, "invalid_snapshot_name_exception",
			"[backups:a?b] Invalid snapshot name [a?b], " + invalidChars},
		{"create: name taken", "PUT", "/_snapshot/backups/done", `{"indices":"optimize-metadata"}`, 400, "invalid_snapshot_name_exception",
			"[backups:done] Invalid snapshot name [done], snapshot with the same name already exists"},
		{"create: name running", "PUT", "/_snapshot/backups/running", `{"indices":"optimize-metadata"}`, 400, "invalid_snapshot_name_exception",
			"[backups:running] Invalid snapshot name [running], snapshot with the same name is already in-progress"},
		{"create: missing repository", "PUT", "/_snapshot/nightly/s", `{"indices":"optimize-metadata"}`, 404, "repository_missing_exception",
			"[nightly] missing"},
		{"create: missing index", "PUT", "/_snapshot/backups/s", `{"indices":["optimize-metadata","nope"]}`, 404, "index_not_found_exception",
			"no such index [nope]"},
		{"get: missing name", "GET", "/_snapshot/backups/nope", "", 404, "snapshot_missing_exception",
			"[backups:nope] is missing"},
		{"get: missing name in a list", "GET", "/_snapshot/backups/done,nope", "", 404, "snapshot_missing_exception",
			"[backups:nope] is missing"},
		{"get: pattern matching nothing", "GET", "/_snapshot/backups/camunda_optimize_9_*", "", 404, "snapshot_missing_exception",
			"[backups:camunda_optimize_9_*] is missing"},
		{"get: missing repository", "GET", "/_snapshot/nightly/_all", "", 404, "repository_missing_exception",
			"[nightly] missing"},
		{"status: missing name", "GET", "/_snapshot/backups/nope/_status", "", 404, "snapshot_missing_exception",
			"[backups:nope] is missing"},
		{"delete: missing name", "DELETE", "/_snapshot/backups/done,nope", "", 404, "snapshot_missing_exception",
			"[backups:nope] is missing"},
		{"delete: missing repository", "DELETE", "/_snapshot/nightly/s", "", 404, "repository_missing_exception",
			"[nightly] missing"},
		{"restore: missing snapshot", "POST", "/_snapshot/backups/nope/_restore", "", 500, "snapshot_restore_exception",
			"[backups:nope] snapshot does not exist"},
		{"restore: open index with the same name", "POST", "/_snapshot/backups/done/_restore", "", 500, "snapshot_restore_exception",
			"[" + withUUID("done") + "] cannot restore index [optimize-metadata_v3] because an open index with same name already exists in the cluster. " +
				"Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name"},
		{"restore: FAILED snapshot", "POST", "/_snapshot/backups/failed/_restore", "", 500, "snapshot_restore_exception",
			"[" + withUUID("failed") + "] unsupported snapshot state [FAILED]"},
		{"restore: INCOMPATIBLE snapshot", "POST", "/_snapshot/backups/incompatible/_restore", "", 500, "snapshot_restore_exception",
			"[" + withUUID("incompatible") + "] unsupported snapshot state [INCOMPATIBLE]"},
		{"repository: missing", "GET", "/_snapshot/nightly", "", 404, "repository_missing_exception",
			"[nightly] missing"},
		{"repository: delete missing", "DELETE", "/_snapshot/nightly", "", 404, "repository_missing_exception",
			"[nightly] missing"},
		{"repository: verify missing", "POST", "/_snapshot/nightly/_verify", "", 404, "repository_missing_exception",
			"[nightly] missing"},
		{"index: missing", "GET", "/nope", "", 404, "index_not_found_exception", "no such index [nope]"},
		{"index: missing document index", "GET", "/nope/_doc/1", "", 404, "index_not_found_exception", "no such index [nope]"},
		{"index: unrecognized parameter", "GET", "/_snapshot/backups/done?wait=1", "", 400, "illegal_argument_exception",
			"request [/_snapshot/backups/done] contains unrecognized parameter: [wait]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, c.method, u+c.path, c.body)
			wantStatus(t, r, c.status)
			wantHeaders(t, r)
			wantError(t, r, c.status, c.typ, c.reason)
		})
	}
}

func wantHeaders(t *testing.T, r response) {
	t.Helper()
	if got := r.header.Get("X-Elastic-Product"); got != "Elasticsearch" {
		t.Errorf("X-Elastic-Product %q", got)
	}
	if got := r.header.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
		t.Errorf("Content-Type %q", got)
	}
}

func wantError(t *testing.T, r response, status int, typ, reason string) {
	t.Helper()
	if got := dig(r.body, "error.type"); got != typ {
		t.Errorf("error.type %v, want %s (%s)", got, typ, r.raw)
	}
	if got := dig(r.body, "error.reason"); got != reason {
		t.Errorf("error.reason\n got %v\nwant %s", got, reason)
	}
	if dig(r.body, "error.root_cause.0.type") != typ || dig(r.body, "error.root_cause.0.reason") != reason {
		t.Errorf("root_cause %v differs from the error", dig(r.body, "error.root_cause"))
	}
	if got := dig(r.body, "status"); got != float64(status) {
		t.Errorf("status field %v, want %d", got, status)
	}
}

// TestWireAnswers holds the emulator to the successful answers of section 7.
func TestWireAnswers(t *testing.T) {
	srv := start(t, esemulator.Config{})
	u := srv.URL

	r := call(t, "GET", u+"/", "")
	wantStatus(t, r, 200)
	wantHeaders(t, r)
	if v, _ := dig(r.body, "version.number").(string); !strings.HasPrefix(v, "7.17.") ||
		dig(r.body, "version.build_flavor") != "default" || r.body["tagline"] != "You Know, for Search" {
		t.Fatalf("GET /: %s", r.raw)
	}

	r = call(t, "GET", u+"/_snapshot/backups", "")
	if dig(r.body, "backups.type") != "fs" || dig(r.body, "backups.uuid") == nil || dig(r.body, "backups.settings.location") == nil {
		t.Fatalf("GET /_snapshot/backups: %s", r.raw)
	}

	r = call(t, "PUT", u+"/_snapshot/backups/s1", `{"indices":"optimize-metadata"}`)
	if r.raw != `{"accepted":true}` {
		t.Fatalf("create without waiting: %s", r.raw)
	}
	r = call(t, "PUT", u+"/_snapshot/backups/s2?wait_for_completion=true", `{"indices":"optimize-metadata","metadata":{"k":"v"}}`)
	if dig(r.body, "snapshot.snapshot") != "s2" || dig(r.body, "snapshot.state") != "SUCCESS" {
		t.Fatalf("create with waiting: %s", r.raw)
	}

	r = call(t, "GET", u+"/_snapshot/backups/s*", "")
	wantStatus(t, r, 200)
	if r.body["total"] != float64(2) || r.body["remaining"] != float64(0) {
		t.Fatalf("get: %s", r.raw)
	}
	var body struct {
		Snapshots []map[string]json.RawMessage `json:"snapshots"`
	}
	_ = json.Unmarshal([]byte(r.raw), &body)
	for _, f := range []string{"snapshot", "uuid", "repository", "version_id", "version", "indices", "data_streams",
		"include_global_state", "state", "start_time", "start_time_in_millis", "end_time", "end_time_in_millis",
		"duration_in_millis", "failures", "shards", "feature_states"} {
		if _, ok := body.Snapshots[1][f]; !ok {
			t.Errorf("a snapshot lacks %q", f)
		}
	}
	if _, ok := body.Snapshots[0]["metadata"]; ok {
		t.Error("metadata written for a snapshot without it")
	}
	if _, ok := body.Snapshots[1]["metadata"]; !ok {
		t.Error("metadata missing")
	}

	r = call(t, "GET", u+"/_snapshot/backups/s1?verbose=false", "")
	var brief struct {
		Snapshots []map[string]json.RawMessage `json:"snapshots"`
	}
	_ = json.Unmarshal([]byte(r.raw), &brief)
	var keys []string
	for k := range brief.Snapshots[0] {
		keys = append(keys, k)
	}
	if len(keys) != 6 {
		t.Errorf("verbose=false gives %v, want snapshot, uuid, repository, indices, data_streams, state", keys)
	}

	for _, p := range []string{"/_snapshot/backups/nope?ignore_unavailable=true", "/_snapshot/backups/camunda_optimize_9_*?ignore_unavailable=true"} {
		r = call(t, "GET", u+p, "")
		wantStatus(t, r, 200)
		if r.raw != `{"snapshots":[],"total":0,"remaining":0}` {
			t.Errorf("%s: %s", p, r.raw)
		}
	}

	r = call(t, "GET", u+"/_snapshot/backups/s1/_status", "")
	if dig(r.body, "snapshots.0.state") != "SUCCESS" || dig(r.body, "snapshots.0.shards_stats.done") != float64(1) {
		t.Fatalf("status: %s", r.raw)
	}

	r = call(t, "DELETE", u+"/_snapshot/backups/nothing-*", "")
	if r.status != 200 || r.raw != `{"acknowledged":true}` {
		t.Fatalf("a wildcard delete matching nothing: %d %s", r.status, r.raw)
	}
	r = call(t, "DELETE", u+"/_snapshot/backups/s1,s2", "")
	if r.status != 200 || len(srv.Snapshots("backups")) != 0 {
		t.Fatalf("delete a list: %d %s", r.status, r.raw)
	}

	// The compatibility media type is JSON.
	req, _ := http.NewRequestWithContext(context.Background(), "PUT", u+"/_snapshot/backups/s3", strings.NewReader(`{"indices":"optimize-metadata"}`))
	req.Header.Set("Content-Type", "application/vnd.elasticsearch+json;compatible-with=7")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("compatible-with=7 body refused: %d %s", res.StatusCode, b)
	}
}

// TestGoElasticsearchAcceptsTheEmulator: go-elasticsearch v7 checks the
// product (header and GET /) before it talks to a server.
func TestGoElasticsearchAcceptsTheEmulator(t *testing.T) {
	srv := start(t, esemulator.Config{})
	client, err := es7.NewClient(es7.Config{Addresses: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.Info()
	if err != nil {
		t.Fatalf("go-elasticsearch refused the emulator: %v", err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.IsError() {
		t.Fatalf("info: %s", res)
	}
	res2, err := client.Snapshot.Get("backups", []string{"_all"})
	if err != nil || res2.IsError() {
		t.Fatalf("snapshot get through go-elasticsearch: %v %v", err, res2)
	}
	_ = res2.Body.Close()
}
