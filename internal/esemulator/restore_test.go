// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// Restore brings each index back with the aliases it had when the snapshot
// was taken (include_aliases defaults to true), restores only the indices
// named, and answers with wait_for_completion as Elasticsearch 7.17 does:
// {"snapshot":{"snapshot":..,"indices":[..],"shards":{..}}}.
func TestRestoreBringsBackAliasesOfTheNamedIndicesOnly(t *testing.T) {
	srv := start(t, esemulator.Config{})
	u := srv.URL
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/s?wait_for_completion=true",
		`{"indices":["optimize-import-index_v3","optimize-metadata_v3"],"include_global_state":false}`), 200)
	wantStatus(t, call(t, "DELETE", u+"/optimize-import-index_v3,optimize-metadata_v3", ""), 200)
	if a := srv.Aliases("optimize-metadata_v3"); len(a) != 0 {
		t.Fatalf("deleted index still has aliases %v", a)
	}
	r := call(t, "POST", u+"/_snapshot/backups/s/_restore?wait_for_completion=true",
		`{"indices":["optimize-metadata_v3"],"include_global_state":false,"include_aliases":true,"ignore_unavailable":false,"partial":false}`)
	wantStatus(t, r, 200)
	if !reflect.DeepEqual(dig(r.body, "snapshot.indices"), []any{"optimize-metadata_v3"}) || dig(r.body, "snapshot.snapshot") != "s" ||
		dig(r.body, "snapshot.shards.failed") != float64(0) {
		t.Fatalf("restore answer: %s", r.raw)
	}
	if a := srv.Aliases("optimize-metadata_v3"); !reflect.DeepEqual(a, []string{"optimize-metadata"}) {
		t.Fatalf("aliases after restore: %v", a)
	}
	// Reads through the alias work again, and the other index stays gone.
	wantStatus(t, call(t, "GET", u+"/optimize-metadata/_doc/1", ""), 200)
	wantStatus(t, call(t, "GET", u+"/optimize-import-index_v3", ""), 404)
	// Without waiting: {"accepted":true}.
	r = call(t, "POST", u+"/_snapshot/backups/s/_restore", `{"indices":"optimize-import-index_v3"}`)
	wantStatus(t, r, 200)
	if dig(r.body, "accepted") != true {
		t.Fatalf("restore answer: %s", r.raw)
	}
	if a := srv.Aliases("optimize-import-index_v3"); !reflect.DeepEqual(a, []string{"optimize-import-index"}) {
		t.Fatalf("aliases after restore: %v", a)
	}
}

// A snapshot that is still running is not in the repository yet: restoring
// it is "snapshot does not exist" (RestoreService reads RepositoryData).
func TestRestoreOfARunningSnapshot(t *testing.T) {
	srv := start(t, esemulator.Config{SnapshotDuration: time.Hour})
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/running", `{"indices":"optimize-metadata"}`), 200)
	r := call(t, "POST", srv.URL+"/_snapshot/backups/running/_restore", `{}`)
	wantStatus(t, r, 500)
	wantError(t, r, 500, "snapshot_restore_exception", "[backups:running] snapshot does not exist")
}

// An alias restored with an index may be neither the name of another index
// being restored (RestoreService.ensureNoAliasNameConflicts) nor the name of
// an index that exists (Metadata.Builder#build: "index and alias names need
// to be unique"). Nothing is restored then.
func TestRestoreAliasConflicts(t *testing.T) {
	srv := start(t, esemulator.Config{})
	u := srv.URL
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/s?wait_for_completion=true", `{"indices":"optimize-metadata_v3"}`), 200)
	snap, _ := srv.Snapshot("backups", "s")

	// Renamed onto the name of its own alias.
	r := call(t, "POST", u+"/_snapshot/backups/s/_restore",
		`{"indices":"optimize-metadata_v3","rename_pattern":"optimize-metadata_v3","rename_replacement":"optimize-metadata"}`)
	wantStatus(t, r, 500)
	if got := dig(r.body, "error.reason").(string); !regexp.MustCompile(`^\[backups:s/` + snap.UUID +
		`\] cannot rename index \[\[optimize-metadata_v3/[^\]]+\]\] into \[optimize-metadata\] because of conflict with an alias with the same name$`).MatchString(got) {
		t.Fatalf("reason %q", got)
	}

	// An index named like the alias exists.
	wantStatus(t, call(t, "DELETE", u+"/optimize-metadata_v3", ""), 200)
	wantStatus(t, call(t, "PUT", u+"/optimize-metadata", ""), 200)
	before := srv.Indices()
	r = call(t, "POST", u+"/_snapshot/backups/s/_restore?wait_for_completion=true", `{"indices":"optimize-metadata_v3"}`)
	wantStatus(t, r, 500)
	if dig(r.body, "error.type") != "illegal_state_exception" || !regexp.MustCompile(
		`^index and alias names need to be unique, but the following duplicates were found \[optimize-metadata \(alias of \[optimize-metadata_v3/[^\]]+\]\)\]$`).
		MatchString(dig(r.body, "error.reason").(string)) {
		t.Fatalf("answer: %s", r.raw)
	}
	if after := srv.Indices(); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("a refused restore changed the indices: %v -> %v", before, after)
	}
	// Without the aliases it restores.
	wantStatus(t, call(t, "POST", u+"/_snapshot/backups/s/_restore?wait_for_completion=true", `{"indices":"optimize-metadata_v3","include_aliases":false}`), 200)
}

// A restore that is waited for answers once the snapshot duration has
// passed. Without waiting, it answers {"accepted":true} and its indices exist.
func TestRestoreTakesTheSnapshotDuration(t *testing.T) {
	srv := start(t, esemulator.Config{})
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/s?wait_for_completion=true", `{"indices":"optimize-metadata_v3"}`), 200)
	wantStatus(t, call(t, "DELETE", srv.URL+"/optimize-metadata_v3", ""), 200)
	const d = 300 * time.Millisecond
	srv.SetSnapshotDuration(d)
	start := time.Now()
	wantStatus(t, call(t, "POST", srv.URL+"/_snapshot/backups/s/_restore?wait_for_completion=true", `{"indices":"optimize-metadata_v3"}`), 200)
	if took := time.Since(start); took < d {
		t.Fatalf("a waited restore answered after %s, before the snapshot duration %s", took, d)
	}
	wantStatus(t, call(t, "DELETE", srv.URL+"/optimize-metadata_v3", ""), 200)
	r := call(t, "POST", srv.URL+"/_snapshot/backups/s/_restore", `{"indices":"optimize-metadata_v3"}`)
	wantStatus(t, r, 200)
	if dig(r.body, "accepted") != true {
		t.Fatalf("answer: %s", r.raw)
	}
	wantStatus(t, call(t, "HEAD", srv.URL+"/optimize-metadata_v3", ""), 200)
}

// A shard that fails to restore (the control POST /_emulator/faults/restore):
// the restore answers 200 with the shard counted as failed (RestoreInfo),
// and the index exists, red, its counts null in _cat/indices (no started
// primary to read them from), empty in the text form. The fault strikes once.
func TestRestoreShardFailure(t *testing.T) {
	srv := start(t, esemulator.Config{})
	u := srv.URL
	wantStatus(t, call(t, "PUT", u+"/_snapshot/backups/s?wait_for_completion=true",
		`{"indices":["optimize-import-index_v3","optimize-metadata_v3"],"include_global_state":false}`), 200)
	wantStatus(t, call(t, "POST", u+"/_emulator/faults/restore", `{"index":"optimize-metadata_v3"}`), 200)
	r := call(t, "POST", u+"/_snapshot/backups/s/_restore?wait_for_completion=true",
		`{"indices":["optimize-import-index_v3","optimize-metadata_v3"],"include_aliases":false,"rename_pattern":"(.+)","rename_replacement":"drill-$1"}`)
	wantStatus(t, r, 200)
	if dig(r.body, "snapshot.shards.failed") != float64(1) || dig(r.body, "snapshot.shards.successful") != float64(1) || dig(r.body, "snapshot.shards.total") != float64(2) {
		t.Fatalf("restore answer: %s", r.raw)
	}
	cat := call(t, "GET", u+"/_cat/indices/drill-*?format=json&h=index,health,docs.count&s=index", "")
	if got := cat.raw; got != `[{"index":"drill-optimize-import-index_v3","health":"green","docs.count":"0"},{"index":"drill-optimize-metadata_v3","health":"red","docs.count":null}]` {
		t.Errorf("_cat/indices: %s", got)
	}
	text := call(t, "GET", u+"/_cat/indices/drill-optimize-metadata_v3?h=health,index,docs.count", "")
	if got := text.raw; got != "red drill-optimize-metadata_v3 \n" {
		t.Errorf("_cat/indices text: %q", got)
	}
	wantStatus(t, call(t, "DELETE", u+"/drill-optimize-import-index_v3,drill-optimize-metadata_v3", ""), 200)
	r = call(t, "POST", u+"/_snapshot/backups/s/_restore?wait_for_completion=true",
		`{"indices":["optimize-metadata_v3"],"include_aliases":false,"rename_pattern":"(.+)","rename_replacement":"drill-$1"}`)
	if dig(r.body, "snapshot.shards.failed") != float64(0) {
		t.Errorf("the fault struck twice: %s", r.raw)
	}
}
