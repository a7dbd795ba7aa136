// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

func names(prefix string, id int64, version string, count int) []string {
	var out []string
	for n := 1; n <= count; n++ {
		out = append(out, SnapshotName(prefix, id, version, n, count))
	}
	return out
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// The 8.8 web apps backup: six parts (the seeded dated index makes the
// prio2 dated part), taken into the engine one after the other, with the
// metadata and feature_states Camunda sends, read back COMPLETED; a second
// take of the id is refused; delete removes every part.
func TestBackupHistory88(t *testing.T) {
	e := startEngine(t, "8.8", esemulator.Elasticsearch8)
	tw, urls := startTwin(t, e, Config{Version: "8.8"})
	const id = 1748937221
	base := urls.Management + "/actuator/backupHistory"

	r := do(t, "POST", base, fmt.Sprintf(`{"backupId": %d}`, id))
	expect(t, r, 200)
	want := names("camunda_webapps_", id, "8.8.0", 6)
	if got := anyStrings(r.json(t)["scheduledSnapshots"]); !reflect.DeepEqual(got, want) {
		t.Fatalf("scheduledSnapshots %v, want %v", got, want)
	}
	if ct := r.header.Get("Content-Type"); ct != actuatorMediaType {
		t.Errorf("Content-Type %q", ct)
	}
	waitWebapps(t, tw)

	// The engine holds the six parts, each started after the previous ended.
	snaps := e.Snapshots(testRepo)
	if len(snaps) != 6 {
		t.Fatalf("%d snapshots in the engine, want 6", len(snaps))
	}
	for i, s := range snaps {
		if s.Name != want[i] || s.State != "SUCCESS" {
			t.Errorf("snapshot %d: %s %s", i, s.Name, s.State)
		}
		wantMeta := map[string]any{"backupId": float64(id), "version": "8.8.0", "partNo": float64(i + 1), "partCount": float64(6)}
		if !reflect.DeepEqual(s.Metadata, wantMeta) {
			t.Errorf("%s metadata %v, want %v", s.Name, s.Metadata, wantMeta)
		}
		if i > 0 && s.Start.Before(snaps[i-1].End) {
			t.Errorf("%s started at %v, before %s ended at %v", s.Name, s.Start, snaps[i-1].Name, snaps[i-1].End)
		}
	}
	if got := snaps[0].Indices; !reflect.DeepEqual(got, []string{"operate-metadata-8.8.0_"}) {
		t.Errorf("part 1 indices %v", got)
	}
	if got := snaps[2].Indices; !reflect.DeepEqual(got, []string{DatedIndex}) {
		t.Errorf("part 3 (prio2 dated) indices %v", got)
	}
	puts := e.snapshotPuts()
	if len(puts) != 6 {
		t.Fatalf("%d snapshot PUTs", len(puts))
	}
	for _, p := range puts {
		if p.Query != "wait_for_completion=true" || !reflect.DeepEqual(p.Body["feature_states"], []any{"none"}) || p.Body["ignore_unavailable"] != false {
			t.Errorf("PUT %s?%s body %v", p.Path, p.Query, p.Body)
		}
	}
	if got := puts[2].Body["indices"]; !reflect.DeepEqual(got, []any{"operate-list-view-8.3.0_*", "-operate-list-view-8.3.0_", "tasklist-task-8.8.0_*", "-tasklist-task-8.8.0_"}) {
		t.Errorf("dated part indices %v", got)
	}

	r = do(t, "GET", fmt.Sprintf("%s/%d", base, id), "")
	expect(t, r, 200, `"failureReason":null`)
	b := r.json(t)
	if b["state"] != "COMPLETED" || b["backupId"] != float64(id) {
		t.Fatalf("backup %v", b)
	}
	details := b["details"].([]any)
	if len(details) != 6 {
		t.Fatalf("%d details", len(details))
	}
	d := details[0].(map[string]any)
	if d["snapshotName"] != want[0] || d["state"] != "SUCCESS" || !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`).MatchString(d["startTime"].(string)) ||
		!reflect.DeepEqual(d["failures"], []any{}) {
		t.Errorf("detail %v", d)
	}

	r = do(t, "GET", base, "")
	expect(t, r, 200)
	if l := r.list(t); len(l) != 1 || l[0]["state"] != "COMPLETED" {
		t.Errorf("list %v", l)
	}

	r = do(t, "POST", base, fmt.Sprintf(`{"backupId": %d}`, id))
	expect(t, r, 400, fmt.Sprintf(`{"message":"A backup with ID [%d] already exists. Found snapshots: [%s]"}`, id, strings.Join(want, ", ")))

	expect(t, do(t, "DELETE", fmt.Sprintf("%s/%d", base, id), ""), 204)
	if s := e.Snapshots(testRepo); len(s) != 0 {
		t.Errorf("snapshots left after delete: %v", s)
	}
	expect(t, do(t, "GET", fmt.Sprintf("%s/%d", base, id), ""), 404, fmt.Sprintf(`{"message":"No backup with id [%d] found."}`, id))
	expect(t, do(t, "DELETE", fmt.Sprintf("%s/%d", base, id), ""), 404, fmt.Sprintf("Expected to find backup with ID '%d', but no metadata for it found", id))
}

// Refusals of the 8.8 backupHistory actuator: no JSON content type (415),
// an id not above 0, no repository configured (400), a repository the
// engine lacks (404).
func TestBackupHistoryRefusals(t *testing.T) {
	e := startEngine(t, "8.9", esemulator.Elasticsearch717)
	_, urls := startTwin(t, e, Config{Version: "8.9"})
	base := urls.Management + "/actuator/backupHistory"
	expect(t, do(t, "POST", base, `{"backupId": 5}`, "Content-Type", "text/plain"), 415)
	expect(t, do(t, "POST", base, `{"backupId": 0}`), 400, `{"message":"BackupId must be a non-negative Integer. Received value: 0"}`)
	expect(t, do(t, "POST", base, `{}`), 400, `{"message":"BackupId must be provided"}`)

	norepo, err := New(Config{Version: "8.9", EngineURL: e.URL})
	if err != nil {
		t.Fatal(err)
	}
	nu, err := norepo.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = norepo.Close() })
	expect(t, do(t, "POST", nu.Management+"/actuator/backupHistory", `{"backupId": 5}`), 400, `{"message":"No backup repository configured."}`)
	_, missing := startTwin(t, e, Config{Version: "8.9", Repository: "elsewhere"})
	expect(t, do(t, "POST", missing.Management+"/actuator/backupHistory", `{"backupId": 5}`), 404, `{"message":"No repository with name [elsewhere] could be found."}`)
	expect(t, do(t, "GET", missing.Management+"/actuator/backupHistory", ""), 404, `{"message":"No repository with name [elsewhere] could be found."}`)
	expect(t, do(t, "GET", missing.Management+"/actuator/backupHistory/5", ""), 404, `{"message":"No repository with name [elsewhere] could be found."}`)
}

// 8.7: Operate and Tasklist each take their own six parts, as the docs'
// examples name them, and answer errors with their own problem bodies.
func TestOperateTasklist87(t *testing.T) {
	e := startEngine(t, "8.7.2", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.7.2"})
	const id = 1748937221
	for _, c := range []struct {
		url, prefix string
	}{{urls.Operate, "camunda_operate_"}, {urls.Tasklist, "camunda_tasklist_"}} {
		r := do(t, "POST", c.url+"/actuator/backups", fmt.Sprintf(`{"backupId": %d}`, id))
		expect(t, r, 200)
		want := names(c.prefix, id, "8.7.2", 6)
		if got := anyStrings(r.json(t)["scheduledSnapshots"]); !reflect.DeepEqual(got, want) {
			t.Fatalf("scheduledSnapshots %v, want %v", got, want)
		}
	}
	waitWebapps(t, tw)
	for _, u := range []string{urls.Operate, urls.Tasklist} {
		r := do(t, "GET", fmt.Sprintf("%s/actuator/backups/%d", u, id), "")
		expectState(t, r, "COMPLETED", `"failureReason":null`)
	}
	got, err := tw.WebappsSnapshots(t.Context(), id)
	if err != nil || len(got) != 12 {
		t.Fatalf("web apps snapshots %v %v", got, err)
	}

	r := do(t, "POST", urls.Operate+"/actuator/backups", `{"backupId": -1}`)
	expect(t, r, 400, `"message":"BackupId must be a non-negative Integer. Received value: -1"`, `"status":400`, `"type":`, `"instance":`)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Operate error Content-Type %q", ct)
	}
	r = do(t, "POST", urls.Tasklist+"/actuator/backups", `{"backupId": -1}`)
	expect(t, r, 400, `"message":"BackupId must be a non-negative Long. Received value: -1"`, `"instance":`)
	expect(t, do(t, "POST", urls.Tasklist+"/actuator/backups", fmt.Sprintf(`{"backupId": %d}`, id)), 400, "A backup with ID [1748937221] already exists.")
	expect(t, do(t, "GET", urls.Operate+"/actuator/backups/42", ""), 404)

	expect(t, do(t, "DELETE", fmt.Sprintf("%s/actuator/backups/%d", urls.Operate, id), ""), 204)
	got, _ = tw.WebappsSnapshots(t.Context(), id)
	for _, n := range got {
		if strings.HasPrefix(n, "camunda_operate_") {
			t.Errorf("Operate snapshot %s left after delete", n)
		}
	}
	if len(got) != 6 {
		t.Errorf("Tasklist's six parts should stay: %v", got)
	}
}

// On OpenSearch the parts carry no feature_states.
func TestBackupHistoryOpenSearchNoFeatureStates(t *testing.T) {
	e := startEngine(t, "8.8", esemulator.OpenSearch2)
	tw, urls := startTwin(t, e, Config{Version: "8.8"})
	expect(t, do(t, "POST", urls.Management+"/actuator/backupHistory", `{"backupId": 7}`), 200)
	waitWebapps(t, tw)
	for _, p := range e.snapshotPuts() {
		if _, ok := p.Body["feature_states"]; ok {
			t.Errorf("PUT %s sent feature_states to OpenSearch", p.Path)
		}
	}
	expectState(t, do(t, "GET", urls.Management+"/actuator/backupHistory/7", ""), "COMPLETED")
}

// FailNextWebapps: the first part ends FAILED in the engine, the rest are
// never taken, the backup is FAILED naming it; the fault strikes once.
func TestFailNextWebapps(t *testing.T) {
	e := startEngine(t, "8.8", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.8"})
	base := urls.Management + "/actuator/backupHistory"
	tw.FailNextWebapps()
	expect(t, do(t, "POST", base, `{"backupId": 10}`), 200)
	waitWebapps(t, tw)
	first := SnapshotName("camunda_webapps_", 10, "8.8.0", 1, 6)
	expectState(t, do(t, "GET", base+"/10", ""), "FAILED",
		`"failureReason":"There were failures with the following snapshots: `+first+`"`)
	if s := e.Snapshots(testRepo); len(s) != 1 || s[0].Name != first || s[0].State != "FAILED" {
		t.Errorf("engine snapshots %v", s)
	}
	expect(t, do(t, "POST", base, `{"backupId": 11}`), 200)
	waitWebapps(t, tw)
	expectState(t, do(t, "GET", base+"/11", ""), "COMPLETED")
}

// A part deleted out of band: IN_PROGRESS until 300 s after the last part
// ended (on the engine's clock), then INCOMPLETE.
func TestWebappsIncomplete(t *testing.T) {
	e := startEngine(t, "8.8", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.8"})
	base := urls.Management + "/actuator/backupHistory"
	expect(t, do(t, "POST", base, `{"backupId": 20}`), 200)
	waitWebapps(t, tw)
	e.DeleteSnapshot(testRepo, SnapshotName("camunda_webapps_", 20, "8.8.0", 6, 6))
	expectState(t, do(t, "GET", base+"/20", ""), "IN_PROGRESS")
	e.SetClockOffset(301 * time.Second)
	expectState(t, do(t, "GET", base+"/20", ""), "INCOMPLETE")
}

// Seed creates every index of the version, the zeebe-record ones too.
func TestSeed(t *testing.T) {
	for _, v := range []string{"8.6", "8.7", "8.8", "8.9", "8.10"} {
		e := startEngine(t, v, esemulator.Elasticsearch717)
		want, err := Indices(v)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, n := range e.Indices() {
			have[n] = true
		}
		records := 0
		for _, n := range want {
			if !have[n] {
				t.Errorf("%s: index %s not seeded", v, n)
			}
			if strings.HasPrefix(n, "zeebe-record_") {
				records++
			}
		}
		if records == 0 {
			t.Errorf("%s: no zeebe-record index", v)
		}
		if err := Seed(t.Context(), Config{Version: v, EngineURL: e.URL}); err != nil {
			t.Errorf("%s: seeding again: %v", v, err)
		}
	}
	if _, err := Indices("8.5"); err == nil {
		t.Error("8.5 accepted")
	}
	if _, err := New(Config{Version: "8.11"}); err == nil {
		t.Error("8.11 accepted")
	}
}

// One web apps backup at a time: while a part is running in the engine, a
// second take is refused (8.8 actuator 400, 8.10 /v2 409), and WaitWebapps
// waits until the parts are all taken.
func TestWebappsOneAtATime(t *testing.T) {
	e := startEngine(t, "8.10", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.10"})
	e.PauseSnapshots()
	expect(t, do(t, "POST", urls.Management+"/actuator/backupHistory", `{"backupId": 30}`), 200)
	expect(t, do(t, "POST", urls.Management+"/actuator/backupHistory", `{"backupId": 31}`), 400, `{"message":"Another backup is running at the moment"}`)
	expect(t, do(t, "POST", urls.Management+"/v2/backups/history", `{"backupId": 31}`), 409, `"detail":"Another backup is running at the moment"`)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := tw.WaitWebapps(ctx); err == nil {
		t.Fatal("WaitWebapps returned while a part is held in the engine")
	}
	expectState(t, do(t, "GET", urls.Management+"/actuator/backupHistory/30", ""), "IN_PROGRESS")
	e.ResumeSnapshots()
	waitWebapps(t, tw)
	expectState(t, do(t, "GET", urls.Management+"/actuator/backupHistory/30", ""), "COMPLETED")
	expect(t, do(t, "POST", urls.Management+"/v2/backups/history", `{"backupId": 31}`), 202)
}
