// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package opensearch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/opensearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp/searchhttptest"
)

// The suite every search engine adapter passes.
func TestAdapter(t *testing.T) {
	searchhttptest.Run(t, searchhttptest.OpenSearch)
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
	bad, err := opensearch.NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, Username: "admin", Password: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.CheckRepository(ctx, repo); err == nil ||
		err.Error() != `OpenSearch answered GET /_snapshot/back%75ps with 401 (the provider sent basic authentication as user "admin"; check the elasticsearch block or the ELASTICSEARCH_* environment variables)` {
		t.Fatalf("wrong password: %v", err)
	}

	c, err := opensearch.NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, Username: "admin", Password: "admin-pw"})
	if err != nil {
		t.Fatal(err)
	}
	readsAsWritten(t, c, srv, repo)

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

	restoresAndDeletes(t, c, srv, repo, name, part)

	// Overload: the emulator's 503 is retried, and the request then succeeds.
	srv.FailNext("GET", "/_snapshot/*", 2, http.StatusServiceUnavailable)
	if _, err := c.Snapshots(ctx, repo, "*"); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	if n := srv.CountRequests("GET", "/_snapshot/"); n < 3 {
		t.Fatalf("%d GET /_snapshot requests, want the two failures and the retry", n)
	}
}

// readsAsWritten checks the reads of the round trip: the repository by its
// name as written only, the indices, a document, missing ones.
func readsAsWritten(t *testing.T, c *opensearch.Client, srv *esemulator.Server, repo string) {
	t.Helper()
	ctx := context.Background()
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
}

// restoresAndDeletes checks the writes of the round trip after a snapshot
// was taken: deleting its indices, restoring them, restoring a missing
// snapshot, and deleting the snapshot, twice.
func restoresAndDeletes(t *testing.T, c *opensearch.Client, srv *esemulator.Server, repo, name string, part []string) {
	t.Helper()
	ctx := context.Background()
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
}
