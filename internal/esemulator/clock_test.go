// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// near says whether got is want give or take a minute (the test's own
// time passing).
func near(got, want time.Time) bool {
	d := got.Sub(want)
	return d > -time.Minute && d < time.Minute
}

func millis(t *testing.T, v any) time.Time {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return time.UnixMilli(int64(x))
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			t.Fatalf("millis %q: %v", x, err)
		}
		return time.UnixMilli(n)
	}
	t.Fatalf("millis %v (%T)", v, v)
	return time.Time{}
}

// stamps takes a snapshot and creates an index and returns the times the
// emulator stamped on them: the snapshot's start_time, start_time_in_millis,
// end_time_in_millis, and the index's creation_date.
func stamps(t *testing.T, srv *esemulator.Server, name string) []time.Time {
	t.Helper()
	wantStatus(t, call(t, "PUT", srv.URL+"/"+name, ""), 200)
	r := call(t, "PUT", srv.URL+"/_snapshot/backups/"+name+"?wait_for_completion=true", `{"indices":"`+name+`"}`)
	wantStatus(t, r, 200)
	start, err := time.Parse("2006-01-02T15:04:05.000Z", dig(r.body, "snapshot.start_time").(string))
	if err != nil {
		t.Fatal(err)
	}
	ix := call(t, "GET", srv.URL+"/"+name, "")
	wantStatus(t, ix, 200)
	return []time.Time{start, millis(t, dig(r.body, "snapshot.start_time_in_millis")), millis(t, dig(r.body, "snapshot.end_time_in_millis")),
		millis(t, dig(ix.body, name+".settings.index.creation_date"))}
}

// PUT /_emulator/clock moves the times the emulator stamps; GET tells the
// offset and the emulator's now; bad bodies are refused with a message.
func TestClock_Control(t *testing.T) {
	srv := start(t, esemulator.Config{})
	r := call(t, "GET", srv.URL+"/_emulator/clock", "")
	wantStatus(t, r, 200)
	if dig(r.body, "offset") != "0s" {
		t.Errorf("offset at start: %s", r.raw)
	}
	for i, s := range stamps(t, srv, "before") {
		if !near(s, time.Now()) {
			t.Errorf("stamp %d %s, want about now", i, s)
		}
	}

	wantStatus(t, call(t, "PUT", srv.URL+"/_emulator/clock", `{"offset":"-10m"}`), 200)
	r = call(t, "GET", srv.URL+"/_emulator/clock", "")
	wantStatus(t, r, 200)
	if dig(r.body, "offset") != "-10m0s" {
		t.Errorf("offset: %s", r.raw)
	}
	now, err := time.Parse(time.RFC3339, dig(r.body, "now").(string))
	if err != nil || !near(now, time.Now().Add(-10*time.Minute)) {
		t.Errorf("now: %s (%v)", r.raw, err)
	}
	for i, s := range stamps(t, srv, "after") {
		if !near(s, time.Now().Add(-10*time.Minute)) {
			t.Errorf("stamp %d %s, want about 10 minutes ago", i, s)
		}
	}
	// What was stamped before keeps its time.
	r = call(t, "GET", srv.URL+"/_snapshot/backups/before", "")
	if s := millis(t, dig(r.body, "snapshots.0.start_time_in_millis")); !near(s, time.Now()) {
		t.Errorf("an earlier snapshot moved: %s", s)
	}

	for _, c := range []struct{ body, message string }{
		{`{"offset":"ten minutes"}`, `malformed duration "ten minutes"`},
		{`{"offset":""}`, `malformed duration ""`},
		{`{}`, `offset is required`},
		{``, `offset is required`},
		{`{"offset":-10}`, `malformed JSON body`},
		{`{"offset":`, `malformed JSON body`},
	} {
		r := call(t, "PUT", srv.URL+"/_emulator/clock", c.body)
		wantStatus(t, r, 400)
		if msg, _ := dig(r.body, "error").(string); !strings.Contains(msg, c.message) || dig(r.body, "status") != float64(400) {
			t.Errorf("PUT %s: %s, want an error with %q", c.body, r.raw, c.message)
		}
	}
	if got := srv.ClockOffset(); got != -10*time.Minute {
		t.Errorf("a refused body changed the offset to %s", got)
	}
	wantStatus(t, call(t, "DELETE", srv.URL+"/_emulator/clock", ""), 404)
}

// Config.ClockOffset starts the clock moved; SetClockOffset moves it from
// Go; a running snapshot's duration counts on the emulator's clock.
func TestClock_ConfigAndSetClockOffset(t *testing.T) {
	srv := start(t, esemulator.Config{ClockOffset: 2 * time.Hour})
	for i, s := range stamps(t, srv, "ahead") {
		if !near(s, time.Now().Add(2*time.Hour)) {
			t.Errorf("stamp %d %s, want about 2 hours ahead", i, s)
		}
	}
	srv.SetClockOffset(-36 * time.Hour)
	if !near(srv.Now(), time.Now().Add(-36*time.Hour)) || srv.ClockOffset() != -36*time.Hour {
		t.Errorf("Now %s, offset %s", srv.Now(), srv.ClockOffset())
	}
	for i, s := range stamps(t, srv, "behind") {
		if !near(s, time.Now().Add(-36*time.Hour)) {
			t.Errorf("stamp %d %s, want about 36 hours ago", i, s)
		}
	}
	srv.PauseSnapshots("running")
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/running", `{"indices":"behind"}`), 200)
	r := call(t, "GET", srv.URL+"/_snapshot/backups/running/_status", "")
	wantStatus(t, r, 200)
	if ms := dig(r.body, "snapshots.0.stats.time_in_millis").(float64); ms < 0 || ms > float64(time.Minute.Milliseconds()) {
		t.Errorf("running for %vms", ms)
	}
	// A clock moved back under a running snapshot does not end it before
	// it began.
	srv.SetClockOffset(-48 * time.Hour)
	srv.ResumeSnapshots()
	r = call(t, "GET", srv.URL+"/_snapshot/backups/running", "")
	if d := dig(r.body, "snapshots.0.duration_in_millis"); d != float64(0) {
		t.Errorf("duration %v after the clock went back, want 0: %s", d, r.raw)
	}
}

// GET _cat/health answers the emulator's time, as the cat API renders it
// (RestHealthAction: epoch in seconds and timestamp HH:mm:ss, strings), the
// h= filter applied; ts=false leaves the time columns out. Every dialect.
func TestClock_CatHealth(t *testing.T) {
	for _, engine := range esemulator.Engines() {
		srv := start(t, esemulator.Config{Engine: engine, ClockOffset: -10 * time.Minute})
		r := call(t, "GET", srv.URL+"/_cat/health?format=json&h=epoch,timestamp", "")
		wantStatus(t, r, 200)
		want := time.Now().Add(-10 * time.Minute).UTC()
		var rows []map[string]any
		if err := json.Unmarshal([]byte(r.raw), &rows); err != nil || len(rows) != 1 {
			t.Fatalf("%s: %s", engine, r.raw)
		}
		row := rows[0]
		epoch, _ := row["epoch"].(string)
		n, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil || !near(time.Unix(n, 0), want) || len(row) != 2 {
			t.Fatalf("%s: row %v, want epoch about %d and timestamp only", engine, row, want.Unix())
		}
		if ts, _ := row["timestamp"].(string); ts != time.Unix(n, 0).UTC().Format("15:04:05") {
			t.Errorf("%s: timestamp %q for epoch %d", engine, ts, n)
		}
		r = call(t, "GET", srv.URL+"/_cat/health?format=json&ts=false", "")
		wantStatus(t, r, 200)
		var noTime []map[string]any
		if err := json.Unmarshal([]byte(r.raw), &noTime); err != nil || len(noTime) != 1 || noTime[0]["epoch"] != nil || noTime[0]["status"] != "green" {
			t.Errorf("%s: ts=false answer %s", engine, r.raw)
		}
		for _, refused := range []string{"bogus=1", "local=true", "master_timeout=30s"} {
			wantStatus(t, call(t, "GET", srv.URL+"/_cat/health?format=json&"+refused, ""), 400)
		}
	}
}
