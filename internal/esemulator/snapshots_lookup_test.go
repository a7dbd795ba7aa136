// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// scanSnapshots is matchSnapshots as it was before the store kept its names
// sorted: every expression scans every snapshot, and the answer is the
// repository's snapshots in start order filtered by the result. The fast
// path must answer exactly as this does.
func scanSnapshots(r *repository, exprs []string) (matched []*snapshot, missing string, all bool) {
	set := map[string]bool{}
	for i, x := range exprs {
		exclude := false
		if i > 0 && strings.HasPrefix(x, "-") {
			exclude, x = true, x[1:]
		}
		switch {
		case x == "_all" || x == "*":
			all = true
			for n := range r.snapshots {
				set[n] = true
			}
		case isPattern(x):
			for n := range r.snapshots {
				if glob(x, n) {
					set[n] = !exclude
				}
			}
		default:
			if _, ok := r.snapshots[x]; ok {
				set[x] = !exclude
			} else if !exclude && missing == "" {
				missing = x
			}
		}
	}
	for _, s := range r.sorted() {
		if set[s.name] {
			matched = append(matched, s)
		}
	}
	return matched, missing, all
}

// lookupNames are snapshot names Elasticsearch accepts, with regular
// expression and glob metacharacters, shared prefixes, a prefix that is a
// whole name, and bytes above ASCII.
var lookupNames = []string{
	"camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2",
	"camunda_optimize_10_3.9.0_part_1_of_2", "camunda_optimize_10_3.9.0_part_2_of_2",
	"camunda_optimize_2_3.9.0_part_1_of_2", "camunda_optimize_2_3.9.0_part_2_of_2",
	"camunda_optimize_a.b_3.9.0_part_1_of_2", "camunda_optimize_axb_3.9.0_part_1_of_2",
	"camunda_optimize_(x)+_3.9.0_part_1_of_2", "camunda_optimize_[1]^$_3.9.0_part_1_of_2",
	"camunda_optimize_%61_3.9.0_part_1_of_2", "camunda_optimize_é_3.9.0_part_1_of_2",
	"camunda_optimize", "camunda_optimize_", "camunda", "other", "other.1", "a+b", "a.b", "aab",
	"~tilde", "z", "zz",
}

// lookupPatterns are the expressions the fast path and the scan must
// resolve alike: names, prefixes, wildcards anywhere, _all, lists with
// exclusions (which apply left to right), missing names.
var lookupPatterns = []string{
	"camunda_optimize_1_*", "camunda_optimize_10_*", "camunda_optimize_2_*", "camunda_optimize_*",
	"camunda_optimize*", "camunda*", "c*", "*", "_all", "**", "camunda_optimize_1_3.9.0_part_1_of_2",
	"camunda_optimize_a.b_*", "camunda_optimize_(x)+_*", "camunda_optimize_[1]^$_*", "camunda_optimize_%61_*",
	"camunda_optimize_é_*", "a.b", "a+b", "a.*", "a+*", "~*", "z*",
	"*_part_1_of_2", "camunda_*_part_2_of_2", "camunda_optimize_*_3.9.0_*", "*optimize*", "*1*",
	"camunda_optimize_3_*", "nope", "nope*", "*nope", "camunda_optimize_1_3.9.0_part_3_of_2",
	"camunda_optimize_1_*,camunda_optimize_2_*", "camunda_optimize_*,-camunda_optimize_1*",
	"camunda_optimize_*,-*part_2*", "camunda_optimize_*,-*part_2*,camunda_optimize_10_*",
	"_all,-camunda*", "*,-other*,other.1", "a.b,nope,z", "nope,a.b", "-a.b", "-a.b,a.b",
	"camunda_optimize_1_*,-camunda_optimize_1_3.9.0_part_2_of_2", "z,zz,z*", "other,-other",
}

func lookupRepository(t *testing.T) *repository {
	t.Helper()
	st := &store{snapshots: map[string]*snapshot{}}
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, n := range lookupNames {
		// Start times out of name order, with ties (broken by name).
		st.add(&snapshot{name: n, start: base.Add(time.Duration((len(lookupNames)-i)%5) * time.Second)})
	}
	return &repository{name: "r", snapshots: st.snapshots, store: st}
}

func names(ss []*snapshot) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.name)
	}
	return out
}

func TestSnapshotLookupAgreesWithScan(t *testing.T) {
	r := lookupRepository(t)
	check := func(t *testing.T) {
		t.Helper()
		for _, p := range lookupPatterns {
			exprs := splitList(p)
			got, gotMissing, gotAll := matchSnapshots(r, exprs)
			want, wantMissing, wantAll := scanSnapshots(r, exprs)
			if strings.Join(names(got), "|") != strings.Join(names(want), "|") || gotMissing != wantMissing || gotAll != wantAll {
				t.Errorf("%q: got %q, missing %q, all %v; the scan: %q, %q, %v", p, names(got), gotMissing, gotAll, names(want), wantMissing, wantAll)
			}
		}
	}
	check(t)
	// The sorted names follow removals and additions.
	for _, n := range []string{"camunda_optimize_10_3.9.0_part_1_of_2", "a.b", "zz", "camunda", "not there"} {
		r.store.remove(n)
	}
	r.store.add(&snapshot{name: "camunda_optimize_10_3.9.0_part_1_of_2", start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
	r.store.add(&snapshot{name: "b", start: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if len(r.store.names) != len(r.snapshots) {
		t.Fatalf("%d sorted names for %d snapshots", len(r.store.names), len(r.snapshots))
	}
	check(t)
	// A test that cannot fail is a defect: the table must reach answers of
	// several snapshots in an order other than the names'.
	got, _, _ := matchSnapshots(r, []string{"camunda_optimize_1*"})
	if want := "camunda_optimize_10_3.9.0_part_1_of_2|camunda_optimize_10_3.9.0_part_2_of_2|camunda_optimize_1_3.9.0_part_2_of_2|camunda_optimize_1_3.9.0_part_1_of_2"; strings.Join(names(got), "|") != want {
		t.Errorf("camunda_optimize_1*: %q, want %q", names(got), want)
	}
}

// Over HTTP, with names and patterns escaped as the adapter escapes them:
// GET /_snapshot/r/<pattern> lists what the scan lists, in its order.
func TestGetSnapshotsByEscapedPatternAgreesWithScan(t *testing.T) {
	srv, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	srv.RegisterRepository("r", "fs", map[string]any{"location": t.TempDir()})
	for _, n := range lookupNames {
		if status, body := do(t, http.MethodPut, srv.URL+"/_snapshot/r/"+searchhttp.PathSegment(n)+"?wait_for_completion=true", `{"indices":"_all","include_global_state":false}`); status != http.StatusOK {
			t.Fatalf("creating %q: %d %s", n, status, body)
		}
	}
	for _, p := range lookupPatterns {
		srv.mu.Lock()
		want, missing, all := scanSnapshots(srv.repositories["r"], splitList(p))
		srv.mu.Unlock()
		status, body := do(t, http.MethodGet, srv.URL+"/_snapshot/r/"+searchhttp.PathSegment(p), "")
		if missing != "" || (len(want) == 0 && !all) {
			if status != http.StatusNotFound {
				t.Errorf("%q: status %d, want 404", p, status)
			}
			continue
		}
		var out struct {
			Snapshots []struct {
				Snapshot string `json:"snapshot"`
			} `json:"snapshots"`
		}
		if err := json.Unmarshal(body, &out); err != nil || status != http.StatusOK {
			t.Fatalf("%q: %d, %v: %s", p, status, err, body)
		}
		got := []string{}
		for _, s := range out.Snapshots {
			got = append(got, s.Snapshot)
		}
		if strings.Join(got, "|") != strings.Join(names(want), "|") {
			t.Errorf("%q: got %q, the scan %q", p, got, names(want))
		}
	}
}

// do sends a request and returns the answer's status and body.
func do(t *testing.T, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, raw
}

// BenchmarkGetBackupSnapshots is one refresh read of a backup in a
// repository of 1,000 backups (2,000 snapshots), as the emulator answers it.
func BenchmarkGetBackupSnapshots(b *testing.B) {
	e := New(Config{})
	e.RegisterRepository("r", "fs", map[string]any{"location": b.TempDir()})
	r := e.repositories["r"]
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := 1; i <= 1000; i++ {
		for part := 1; part <= 2; part++ {
			n := fmt.Sprintf("camunda_optimize_%d_3.9.0_part_%d_of_2", i, part)
			r.store.add(&snapshot{name: n, state: stateSuccess, start: start.Add(time.Duration(2*i+part) * time.Millisecond)})
		}
	}
	check := answerCheck
	answerCheck = nil
	defer func() { answerCheck = check }()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/_snapshot/r/camunda_optimize_%d_*?ignore_unavailable=true", i%1000+1), nil)
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}

// backupRepository is an emulator holding an Optimize 3.9.0 installation
// and a repository of n backups taken as the provider takes them: through
// the create snapshot API, part 1 the import-progress indices and part 2
// every other index, both with the provider's metadata.
func backupRepository(tb testing.TB, n int) *Emulator {
	tb.Helper()
	e := New(Config{})
	if err := e.SeedOptimize("3.9.0", "optimize"); err != nil {
		tb.Fatal(err)
	}
	e.RegisterRepository("r", "fs", map[string]any{"location": tb.TempDir()})
	var part1, part2 []string
	for _, ix := range e.Indices() {
		switch {
		case strings.HasPrefix(ix, "optimize-import-index_"), strings.HasPrefix(ix, "optimize-timestamp-based-import-index_"),
			strings.HasPrefix(ix, "optimize-position-based-import-index_"):
			part1 = append(part1, ix)
		default:
			part2 = append(part2, ix)
		}
	}
	if len(part1) != 3 || len(part2) < 20 {
		tb.Fatalf("parts of %d and %d indices: %q, %q", len(part1), len(part2), part1, part2)
	}
	for i := 1; i <= n; i++ {
		for part, indices := range [][]string{part1, part2} {
			body, _ := json.Marshal(map[string]any{"indices": indices, "ignore_unavailable": false, "include_global_state": false, "partial": false,
				"metadata": map[string]any{"taken_by": "terraform-provider-optimize", "optimize_version": "3.9.0", "create_token": fmt.Sprintf("token-%d", i)}})
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPut, fmt.Sprintf("/_snapshot/r/camunda_optimize_%d_3.9.0_part_%d_of_2?wait_for_completion=true", i, part+1), strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			e.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				tb.Fatal(rec.Code, rec.Body.String())
			}
		}
	}
	e.ResetRequests()
	return e
}

// BenchmarkGetSnapshotsHTTP is one refresh read of a backup in a
// repository of 1,000 backups, through ServeHTTP, as the provider sends it:
// the answer is the backup's two snapshots with their indices and metadata.
func BenchmarkGetSnapshotsHTTP(b *testing.B) {
	e := backupRepository(b, 1000)
	paths := make([]string, 1000)
	for i := range paths {
		paths[i] = fmt.Sprintf("/_snapshot/r/camunda_optimize_%d_*?ignore_unavailable=true", i+1)
	}
	// The check of every answer against the old encoding is the tests'.
	check := answerCheck
	answerCheck = nil
	defer func() { answerCheck = check }()
	size := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil)
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/answer")
}

// The benchmark's backups are what the provider reads: two snapshots, part
// 1 of the three import-progress indices and part 2 of the others, with the
// provider's metadata (and TestMain holds the answer to the old encoding).
func TestBackupRepositoryAnswer(t *testing.T) {
	e := backupRepository(t, 2)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_snapshot/r/camunda_optimize_2_*?ignore_unavailable=true", nil))
	var out struct {
		Snapshots []struct {
			Snapshot string         `json:"snapshot"`
			Indices  []string       `json:"indices"`
			Metadata map[string]any `json:"metadata"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("%d %v: %s", rec.Code, err, rec.Body)
	}
	if len(out.Snapshots) != 2 || out.Snapshots[0].Snapshot != "camunda_optimize_2_3.9.0_part_1_of_2" || len(out.Snapshots[0].Indices) != 3 ||
		len(out.Snapshots[1].Indices) < 20 || out.Snapshots[1].Metadata["create_token"] != "token-2" {
		t.Errorf("answer: %s", rec.Body)
	}
}
