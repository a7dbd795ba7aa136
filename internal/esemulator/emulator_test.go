// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// start runs an emulator with an Optimize 3.9.0 installation and the fs
// repository "backups".
func start(t *testing.T, cfg esemulator.Config) *esemulator.Server {
	t.Helper()
	srv, err := esemulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := srv.SeedOptimize("3.9.0", "optimize"); err != nil {
		t.Fatal(err)
	}
	srv.RegisterRepository("backups", "fs", map[string]any{"location": t.TempDir()})
	return srv
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// call sends a request with a JSON body (or none) and decodes the answer.
// Only for the test goroutine: other goroutines use send.
func call(t testing.TB, method, url, body string) response {
	t.Helper()
	r, err := send(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// send is call without a testing.TB, for goroutines other than the test's.
func send(method, url, body string) (response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		return response{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer func() { _ = res.Body.Close() }()
	b, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: string(b)}
	_ = json.Unmarshal(b, &r.body)
	return r, nil
}

// dig reads a value by a dotted path (numbers index arrays).
func dig(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
}

func TestSnapshotProgressesAsynchronously(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.PauseSnapshots("s1") // IN_PROGRESS until resumed, whatever the clock
	r := call(t, "PUT", srv.URL+"/_snapshot/backups/s1", `{"indices":"optimize-import-index","include_global_state":false}`)
	wantStatus(t, r, 200)
	if r.body["accepted"] != true {
		t.Fatalf("want accepted: %s", r.raw)
	}
	r = call(t, "GET", srv.URL+"/_snapshot/backups/s1", "")
	if got := dig(r.body, "snapshots.0.state"); got != "IN_PROGRESS" {
		t.Fatalf("state %v, want IN_PROGRESS", got)
	}
	if got := dig(r.body, "snapshots.0.end_time_in_millis"); got != float64(0) {
		t.Fatalf("end_time_in_millis %v, want 0 while running", got)
	}
	if got := dig(r.body, "snapshots.0.shards.total"); got != float64(0) {
		t.Fatalf("shards.total %v, want 0 while running", got)
	}
	if got := dig(r.body, "snapshots.0.indices.0"); got != "optimize-import-index_v3" {
		t.Fatalf("the alias resolved to %v, want optimize-import-index_v3", got)
	}
	srv.ResumeSnapshots()
	r = call(t, "GET", srv.URL+"/_snapshot/backups/s1", "")
	if got := dig(r.body, "snapshots.0.state"); got != "SUCCESS" {
		t.Fatalf("state %v, want SUCCESS", got)
	}
	start, end := dig(r.body, "snapshots.0.start_time_in_millis").(float64), dig(r.body, "snapshots.0.end_time_in_millis").(float64)
	if end < start || dig(r.body, "snapshots.0.duration_in_millis") != end-start {
		t.Fatalf("start %v, end %v, duration %v", start, end, dig(r.body, "snapshots.0.duration_in_millis"))
	}
	if dig(r.body, "snapshots.0.shards.successful") != float64(1) || dig(r.body, "snapshots.0.shards.failed") != float64(0) {
		t.Fatalf("shards: %v", dig(r.body, "snapshots.0.shards"))
	}
	if _, ok := dig(r.body, "snapshots.0").(map[string]any)["metadata"]; ok {
		t.Fatal("metadata is only written when set")
	}
}

func TestWaitForCompletion(t *testing.T) {
	srv := start(t, esemulator.Config{SnapshotDuration: 100 * time.Millisecond})
	begin := time.Now()
	r := call(t, "PUT", srv.URL+"/_snapshot/backups/s1?wait_for_completion=true", `{"indices":["optimize-*"],"metadata":{"by":"test"}}`)
	wantStatus(t, r, 200)
	if time.Since(begin) < 100*time.Millisecond {
		t.Fatal("wait_for_completion returned before the snapshot ended")
	}
	if dig(r.body, "snapshot.state") != "SUCCESS" || dig(r.body, "snapshot.metadata.by") != "test" {
		t.Fatalf("answer: %s", r.raw)
	}
	if n := len(dig(r.body, "snapshot.indices").([]any)); n != len(srv.Indices()) {
		t.Fatalf("optimize-* took %d indices, want all %d", n, len(srv.Indices()))
	}
}

func TestIndicesExpressions(t *testing.T) {
	srv := start(t, esemulator.Config{})
	if err := srv.CreateIndex("other-app"); err != nil {
		t.Fatal(err)
	}
	optimizeNotImport := 0
	for _, ix := range srv.Indices() {
		if strings.HasPrefix(ix, "optimize-") && !strings.Contains(ix, "import-index") {
			optimizeNotImport++
		}
	}
	cases := []struct {
		name, indices string
		want          int
	}{
		{"absent indices take every index", ``, len(srv.Indices())},
		{"empty list takes every index", `"indices":[],`, len(srv.Indices())},
		{"wildcard with exclusion", `"indices":"optimize-*,-optimize-*import-index*",`, optimizeNotImport},
		{"alias", `"indices":["optimize-metadata"],`, 1},
		{"missing index ignored", `"indices":["nope","other-app"],"ignore_unavailable":true,`, 1},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, "PUT", fmt.Sprintf("%s/_snapshot/backups/s%d?wait_for_completion=true", srv.URL, i), `{`+c.indices+`"include_global_state":false}`)
			wantStatus(t, r, 200)
			if n := len(dig(r.body, "snapshot.indices").([]any)); n != c.want {
				t.Fatalf("%d indices, want %d: %v", n, c.want, dig(r.body, "snapshot.indices"))
			}
		})
	}
}

func TestFailSnapshot(t *testing.T) {
	srv := start(t, esemulator.Config{})
	for _, c := range []struct {
		state  string
		status int
	}{{"FAILED", 200}, {"PARTIAL", 200}, {"INCOMPATIBLE", 200}} {
		name := strings.ToLower(c.state)
		srv.FailSnapshot(name, c.state, "disk on fire")
		r := call(t, "PUT", srv.URL+"/_snapshot/backups/"+name+"?wait_for_completion=true", `{"indices":"optimize-*"}`)
		wantStatus(t, r, c.status)
		if got := dig(r.body, "snapshot.state"); got != c.state {
			t.Fatalf("state %v, want %s", got, c.state)
		}
		s, _ := srv.Snapshot("backups", name)
		switch c.state {
		case "FAILED":
			if s.Reason != "disk on fire" || s.ShardsFailed != s.ShardsTotal || dig(r.body, "snapshot.failures.0.reason") != "disk on fire" {
				t.Fatalf("failed snapshot: %+v %s", s, r.raw)
			}
		case "PARTIAL":
			if s.ShardsFailed != 1 || s.ShardsSuccessful != s.ShardsTotal-1 {
				t.Fatalf("partial snapshot: %+v", s)
			}
		}
	}
}

func TestDeleteAbortsARunningSnapshot(t *testing.T) {
	srv := start(t, esemulator.Config{SnapshotDuration: time.Hour})
	type result struct {
		r   response
		err error
	}
	waited := make(chan result, 1)
	go func() {
		r, err := send("PUT", srv.URL+"/_snapshot/backups/long?wait_for_completion=true", `{"indices":"optimize-*"}`)
		waited <- result{r, err}
	}()
	// Wait for the create to arrive (a generous bound: only a hung
	// emulator takes that long).
	for deadline := time.Now().Add(30 * time.Second); ; {
		if _, ok := srv.Snapshot("backups", "long"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the snapshot did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := call(t, "DELETE", srv.URL+"/_indices-are-not-here", "")
	wantStatus(t, r, 400)
	r = call(t, "DELETE", srv.URL+"/optimize-metadata_v3", "")
	wantStatus(t, r, 400)
	if dig(r.body, "error.type") != "snapshot_in_progress_exception" {
		t.Fatalf("deleting an index being snapshotted: %s", r.raw)
	}
	r = call(t, "DELETE", srv.URL+"/_snapshot/backups/long", "")
	wantStatus(t, r, 200)
	res := <-waited
	if res.err != nil {
		t.Fatal(res.err)
	}
	w := res.r
	wantStatus(t, w, 200)
	if dig(w.body, "snapshot.state") != "FAILED" || dig(w.body, "snapshot.reason") != "Snapshot was aborted by deletion" {
		t.Fatalf("the waiting create got %s", w.raw)
	}
	if _, ok := srv.Snapshot("backups", "long"); ok {
		t.Fatal("the aborted snapshot is still there")
	}
	wantStatus(t, call(t, "DELETE", srv.URL+"/optimize-metadata_v3", ""), 200)
}

func TestPauseAndResume(t *testing.T) {
	// A zero duration ends a snapshot within its create request, unless held.
	srv := start(t, esemulator.Config{})
	srv.PauseSnapshots()
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/s", `{"indices":"optimize-*"}`), 200)
	if s, _ := srv.Snapshot("backups", "s"); s.State != "IN_PROGRESS" {
		t.Fatalf("paused snapshot is %s", s.State)
	}
	srv.ResumeSnapshots()
	if s, _ := srv.Snapshot("backups", "s"); s.State != "SUCCESS" {
		t.Fatalf("resumed snapshot is %s", s.State)
	}

	// By name: only the named snapshot is held.
	srv.PauseSnapshots("held")
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/free", `{"indices":"optimize-*"}`), 200)
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/held", `{"indices":"optimize-*"}`), 200)
	if s, _ := srv.Snapshot("backups", "free"); s.State != "SUCCESS" {
		t.Fatalf("a snapshot not named is %s", s.State)
	}
	if s, _ := srv.Snapshot("backups", "held"); s.State != "IN_PROGRESS" {
		t.Fatalf("the named snapshot is %s", s.State)
	}
	srv.ResumeSnapshots()
	if s, _ := srv.Snapshot("backups", "held"); s.State != "SUCCESS" {
		t.Fatalf("the resumed snapshot is %s", s.State)
	}
}

func TestFaults(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.FailNext("GET", "/_snapshot/*", 2, 503)
	wantStatus(t, call(t, "GET", srv.URL+"/_snapshot/backups", ""), 503)
	wantStatus(t, call(t, "GET", srv.URL+"/", ""), 200)
	r := call(t, "GET", srv.URL+"/_snapshot/backups", "")
	wantStatus(t, r, 503)
	if r.header.Get("X-Elastic-Product") != "Elasticsearch" {
		t.Fatal("a fault answer lacks X-Elastic-Product")
	}
	wantStatus(t, call(t, "GET", srv.URL+"/_snapshot/backups", ""), 200)

	srv.FailNext("", "/", 1, 0)
	// A fresh connection: Go's transport would retry a GET on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if res, err := fresh.Get(srv.URL + "/"); err == nil {
		_ = res.Body.Close()
		t.Fatalf("a dropped connection answered %d", res.StatusCode)
	}
	if reqs := srv.Requests(); reqs[len(reqs)-1].Path != "/" || reqs[len(reqs)-1].Status != 0 {
		t.Fatalf("the dropped request is not in the log with status 0: %+v", reqs[len(reqs)-1])
	}
	srv.SetLatency(50 * time.Millisecond)
	begin := time.Now()
	wantStatus(t, call(t, "GET", srv.URL+"/", ""), 200)
	if time.Since(begin) < 50*time.Millisecond {
		t.Fatal("latency was not added")
	}
}

func TestRequestLog(t *testing.T) {
	srv := start(t, esemulator.Config{})
	call(t, "GET", srv.URL+"/_snapshot/backups/nope?ignore_unavailable=true", "")
	call(t, "GET", srv.URL+"/_emulator/requests", "")
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/_snapshot/backups/nope" || reqs[0].Query != "ignore_unavailable=true" || reqs[0].Status != 200 {
		t.Fatalf("log: %+v", reqs)
	}
	if srv.CountRequests("GET", "/_snapshot/") != 1 || srv.CountRequests("PUT", "/_snapshot/") != 0 {
		t.Fatal("CountRequests miscounts")
	}
	srv.ResetRequests()
	if len(srv.Requests()) != 0 {
		t.Fatal("ResetRequests left requests")
	}
}

func TestControlAPI(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Username: "elastic", Password: "changeme"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/_emulator/seed/optimize", `{"version":"3.10.0","prefix":"optimize-staging","repository":"nightly"}`},
		{"PUT", "/_emulator/repositories/backups", `{"type":"fs","settings":{"location":"/tmp/x"}}`},
		{"PUT", "/_emulator/snapshot_duration", `{"duration":"1h"}`},
		{"POST", "/_emulator/faults/snapshot", `{"snapshot":"x","state":"PARTIAL","reason":"r"}`},
		{"POST", "/_emulator/faults/next", `{"method":"GET","path":"/","count":1,"status":429}`},
		{"PUT", "/_emulator/latency", `{"latency":"0s"}`},
		{"POST", "/_emulator/snapshots/pause", ``},
		{"POST", "/_emulator/snapshots/resume", ``},
	} {
		wantStatus(t, call(t, c.method, srv.URL+c.path, c.body), 200)
	}
	if got := srv.Aliases("optimize-staging-metadata_v3"); len(got) != 1 || got[0] != "optimize-staging-metadata" {
		t.Fatalf("seeded aliases: %v", got)
	}
	if got := srv.Repositories(); len(got) != 2 || got[0] != "backups" || got[1] != "nightly" {
		t.Fatalf("repositories: %v", got)
	}
	wantStatus(t, call(t, "POST", srv.URL+"/_emulator/faults/snapshot", `{"snapshot":"x","state":"SUCCESS"}`), 400)
	wantStatus(t, call(t, "GET", srv.URL+"/_emulator/nothing", ""), 404)
	r := call(t, "GET", srv.URL+"/_emulator/requests", "")
	if r.body["count"] != float64(0) {
		t.Fatalf("control requests were logged: %s", r.raw)
	}
	// The queued 429 fault still waits for GET / (after authentication would fail).
	wantStatus(t, call(t, "GET", srv.URL+"/", ""), 429)
	wantStatus(t, call(t, "GET", srv.URL+"/", ""), 401)
}

func TestRestore(t *testing.T) {
	srv := start(t, esemulator.Config{})
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/s?wait_for_completion=true", `{"indices":"optimize-metadata"}`), 200)
	r := call(t, "POST", srv.URL+"/_snapshot/backups/s/_restore", `{}`)
	wantStatus(t, r, 500)
	if !strings.Contains(dig(r.body, "error.reason").(string), "cannot restore index [optimize-metadata_v3] because an open index with same name already exists") {
		t.Fatalf("restore over an open index: %s", r.raw)
	}
	r = call(t, "POST", srv.URL+"/_snapshot/backups/s/_restore?wait_for_completion=true",
		`{"rename_pattern":"optimize-(.+)","rename_replacement":"restored-$1","include_aliases":false}`)
	wantStatus(t, r, 200)
	if dig(r.body, "snapshot.indices.0") != "restored-metadata_v3" || dig(r.body, "snapshot.shards.successful") != float64(1) {
		t.Fatalf("restore: %s", r.raw)
	}
	if a := srv.Aliases("restored-metadata_v3"); len(a) != 0 {
		t.Fatalf("include_aliases=false restored aliases %v", a)
	}
	wantStatus(t, call(t, "DELETE", srv.URL+"/optimize-metadata_v3", ""), 200)
	wantStatus(t, call(t, "POST", srv.URL+"/_snapshot/backups/s/_restore?wait_for_completion=true", `{"indices":"optimize-metadata_v3"}`), 200)
	r = call(t, "GET", srv.URL+"/optimize-metadata/_doc/1", "")
	if dig(r.body, "_source.schemaVersion") != "3.9.0" {
		t.Fatalf("the restored index lost its alias or document: %s", r.raw)
	}
}

func TestAuthentication(t *testing.T) {
	srv := start(t, esemulator.Config{Username: "elastic", Password: "s3cret", APIKey: "aWQ6a2V5"})
	r := call(t, "GET", srv.URL+"/_snapshot/backups", "")
	wantStatus(t, r, 401)
	if got := r.header.Values("WWW-Authenticate"); len(got) != 2 || got[0] != `Basic realm="security" charset="UTF-8"` || got[1] != "ApiKey" {
		t.Fatalf("WWW-Authenticate: %v", got)
	}
	for _, c := range []struct {
		auth   string
		status int
	}{
		{"Basic ZWxhc3RpYzpzM2NyZXQ=", 200}, // elastic:s3cret
		{"Basic ZWxhc3RpYzp3cm9uZw==", 401}, // elastic:wrong
		{"ApiKey aWQ6a2V5", 200},
		{"ApiKey d3Jvbmc=", 401},
		{"Bearer abc", 401}, // no bearer token configured
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/_snapshot/backups", nil)
		req.Header.Set("Authorization", c.auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.auth, res.StatusCode, c.status)
		}
	}
}

// ok200 is nil for a 200 answer, else an error saying what was answered.
func ok200(what string, r response, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if r.status != 200 {
		return fmt.Errorf("%s: %d %s", what, r.status, r.raw)
	}
	return nil
}

// TestConcurrency runs creates, gets and deletes from many goroutines; run
// it with -race.
func TestConcurrency(t *testing.T) {
	srv := start(t, esemulator.Config{SnapshotDuration: 2 * time.Millisecond})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				name := fmt.Sprintf("s-%d-%d", g, i)
				r, err := send("PUT", srv.URL+"/_snapshot/backups/"+name+"?wait_for_completion="+fmt.Sprint(i%2 == 0), `{"indices":"optimize-*"}`)
				if err := ok200("create "+name, r, err); err != nil {
					errs <- err
					return
				}
				r, err = send("GET", srv.URL+"/_snapshot/backups/s-*", "")
				if err := ok200("get", r, err); err != nil {
					errs <- err
					return
				}
				r, err = send("DELETE", srv.URL+"/_snapshot/backups/"+name, "")
				if err := ok200("delete "+name, r, err); err != nil {
					errs <- err
					return
				}
				srv.Snapshots("backups")
				srv.Requests()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(srv.Snapshots("backups")); n != 0 {
		t.Fatalf("%d snapshots left", n)
	}
	if n := srv.CountRequests("PUT", "/_snapshot/backups/"); n != 160 {
		t.Fatalf("%d creates logged, want 160", n)
	}
}

func TestGetAcrossRepositories(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.RegisterRepository("archive", "fs", map[string]any{"location": t.TempDir()})
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/a?wait_for_completion=true", `{"indices":"optimize-metadata"}`), 200)
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/archive/b?wait_for_completion=true", `{"indices":"optimize-metadata"}`), 200)
	for _, repos := range []string{"_all", "*", "backups,archive"} {
		r := call(t, "GET", srv.URL+"/_snapshot/"+repos+"/_all", "")
		wantStatus(t, r, 200)
		if r.body["total"] != float64(2) {
			t.Fatalf("%s: %s", repos, r.raw)
		}
	}
	r := call(t, "GET", srv.URL+"/_snapshot/backups,nope/_all", "")
	wantStatus(t, r, 404)
	if dig(r.body, "error.reason") != "[nope] missing" {
		t.Fatalf("a missing repository in a list: %s", r.raw)
	}
}

func TestBearerTokenOverTLS(t *testing.T) {
	tlsCfg, caPEM, err := esemulator.GenerateTLS("esemulator test CA", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := start(t, esemulator.Config{BearerToken: "dG9rZW4tMQ==", TLS: tlsCfg})
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s, want https", srv.URL)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("the CA PEM holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	for _, c := range []struct {
		auth   string
		status int
		header []string
	}{
		{"Bearer dG9rZW4tMQ==", 200, nil},
		{"Bearer d3Jvbmc=", 401, []string{`Basic realm="security" charset="UTF-8"`, `Bearer realm="security"`}},
		{"", 401, []string{`Basic realm="security" charset="UTF-8"`, `Bearer realm="security"`}},
	} {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/_snapshot/backups", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("%q: status %d, want %d: %s", c.auth, res.StatusCode, c.status, body)
		}
		if got := res.Header.Values("WWW-Authenticate"); c.header != nil && fmt.Sprint(got) != fmt.Sprint(c.header) {
			t.Errorf("%q: WWW-Authenticate %v, want %v", c.auth, got, c.header)
		}
		if c.status == 401 && !strings.Contains(string(body), `"type":"security_exception"`) {
			t.Errorf("%q: body %s", c.auth, body)
		}
	}
	// A client that does not trust the CA cannot connect.
	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/", nil)
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		_ = res.Body.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an untrusting client got %v, want a certificate error", err)
	}
}
