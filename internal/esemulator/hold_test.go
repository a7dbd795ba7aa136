// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

const s1Body = `{"indices":"optimize-import-index","include_global_state":false}`

// waitHeld waits until n requests are held.
func waitHeld(t *testing.T, srv *esemulator.Server, method, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Held(method, path) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests held, want %d", srv.Held(method, path), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A request held before it is carried out has no effect until released;
// then it is carried out and answered as ever.
func TestHoldRequestCarriesOutOnlyWhenReleased(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.HoldNext("PUT", "/_snapshot/backups/s1", 1, esemulator.HoldRequest)
	answer := make(chan response, 1)
	go func() {
		r, _ := send("PUT", srv.URL+"/_snapshot/backups/s1?wait_for_completion=true", s1Body)
		answer <- r
	}()
	waitHeld(t, srv, "PUT", "/_snapshot/backups/*", 1)
	if _, ok := srv.Snapshot("backups", "s1"); ok {
		t.Fatal("a held request was carried out")
	}
	// Other requests are not held.
	wantStatus(t, call(t, "GET", srv.URL+"/_snapshot/backups/_all", ""), 200)
	srv.ReleaseHeld()
	r := <-answer
	wantStatus(t, r, 200)
	if dig(r.body, "snapshot.state") != "SUCCESS" {
		t.Fatalf("answer %s", r.raw)
	}
	// The rule held one request only.
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/s2", s1Body), 200)
}

// A held answer: the request is carried out at once, its answer waits.
func TestHoldAnswerCarriesOutAndWaits(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.HoldNext("PUT", "/_snapshot/backups/s1", 1, esemulator.HoldAnswer)
	answer := make(chan response, 1)
	go func() {
		r, _ := send("PUT", srv.URL+"/_snapshot/backups/s1?wait_for_completion=true", s1Body)
		answer <- r
	}()
	waitHeld(t, srv, "", "*", 1)
	if s, ok := srv.Snapshot("backups", "s1"); !ok || s.State != "SUCCESS" {
		t.Fatalf("snapshot %+v (%v), want it taken while its answer is held", s, ok)
	}
	select {
	case r := <-answer:
		t.Fatalf("the held answer came: %s", r.raw)
	default:
	}
	srv.ReleaseHeld()
	r := <-answer
	wantStatus(t, r, 200)
	if dig(r.body, "snapshot.snapshot") != "s1" || r.header.Get("X-Elastic-Product") != "Elasticsearch" {
		t.Fatalf("answer %v %s", r.header, r.raw)
	}
}

// A cut connection: the client gets no answer, the snapshot goes on.
func TestCutConnectionsLeavesTheSnapshotRunning(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.PauseSnapshots("s1")
	errs := make(chan error, 1)
	go func() {
		_, err := send("PUT", srv.URL+"/_snapshot/backups/s1?wait_for_completion=true", s1Body)
		errs <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := srv.Snapshot("backups", "s1"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("s1 never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := srv.CutConnections("PUT", "/_snapshot/backups/s1"); n != 1 {
		t.Fatalf("cut %d connections, want 1", n)
	}
	if err := <-errs; err == nil {
		t.Fatal("the client got an answer through a cut connection")
	}
	if s, _ := srv.Snapshot("backups", "s1"); s.State != "IN_PROGRESS" {
		t.Fatalf("s1 is %s, want it still running", s.State)
	}
	srv.ResumeSnapshots()
	if s, _ := srv.Snapshot("backups", "s1"); s.State != "SUCCESS" {
		t.Fatalf("s1 is %s after resume", s.State)
	}
}

// A request cut while it is held never reached Elasticsearch.
func TestCutWhileHeldIsNotCarriedOut(t *testing.T) {
	srv := start(t, esemulator.Config{})
	srv.HoldNext("PUT", "/_snapshot/backups/s1", 1, esemulator.HoldRequest)
	errs := make(chan error, 1)
	go func() {
		_, err := send("PUT", srv.URL+"/_snapshot/backups/s1", s1Body)
		errs <- err
	}()
	waitHeld(t, srv, "PUT", "/_snapshot/backups/s1", 1)
	srv.CutConnections("", "*")
	if err := <-errs; err == nil {
		t.Fatal("the client got an answer through a cut connection")
	}
	srv.ReleaseHeld()
	if _, ok := srv.Snapshot("backups", "s1"); ok {
		t.Fatal("a request cut in transit was carried out")
	}
	// ClearFaults: the network is back.
	srv.FailNext("", "*", 100, 0)
	srv.ClearFaults()
	wantStatus(t, call(t, "GET", srv.URL+"/_snapshot/backups/_all", ""), 200)
}
