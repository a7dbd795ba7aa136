// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// acceptedRepository is the provider's repository_name validation (valid
// UTF-8, as Terraform strings are).
func acceptedRepository(name string) bool {
	return utf8.ValidString(name) && optimize.ValidateRepositoryName(name) == nil
}

var (
	fuzzOnce sync.Once
	fuzzSrv  *esemulator.Server
	fuzzErr  error
)

// fuzzEmulator is one emulator for every input of the fuzz target (each
// input cleans up after itself).
func fuzzEmulator(t *testing.T) *esemulator.Server {
	fuzzOnce.Do(func() {
		fuzzSrv, fuzzErr = esemulator.Start(esemulator.Config{})
		if fuzzErr == nil {
			fuzzErr = fuzzSrv.SeedOptimize("3.9.0", "optimize")
		}
	})
	if fuzzErr != nil {
		t.Fatal(fuzzErr)
	}
	return fuzzSrv
}

// FuzzNamesReachElasticsearchAsWritten: any backup id and repository name
// the provider accepts reaches Elasticsearch (the emulator, which decodes
// paths as Elasticsearch does) exactly as written, is read back and deleted
// under that name, shows in errors as written, and no accepted id's pattern
// matches another backup's snapshots.
func FuzzNamesReachElasticsearchAsWritten(f *testing.F) {
	for _, seed := range [][3]string{
		{"%61", "a", "backups"},
		{"a%b", "a", "back%75ps"},
		{"x%2a", "x", "backups"},
		{"1", "10", "backups"},
		{"a+b", "a b", "r+s"},
		{"%2f", "%2F", "%"},
		{"%%", "%", "%%"},
		{"é", "e", "dépôt"},
		{"a\tb", "a", "r;s=t"},
		{"..", ".", ".."},
		{"a;b:c@d&e=f$g!h'i(j)k[l]m~n", "a", "x:y@z"},
		{"-1", "1", "-"},
		{"x*", "x", "backups"},
		{"1", "2", "\f"},
		{"1", "2", "a\u00a0b"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, id, other, repo string) {
		if optimize.ValidateBackupID(id) != nil || optimize.ValidateBackupID(other) != nil || id == other || !acceptedRepository(repo) {
			t.Skip()
		}
		const version = "3.9.0"
		if optimize.ValidateSnapshotRequest(repo, optimize.BackupID(id), version) != nil ||
			optimize.ValidateSnapshotRequest(repo, optimize.BackupID(other), version) != nil {
			t.Skip()
		}
		srv := fuzzEmulator(t)
		ctx := context.Background()
		client, err := elasticsearch.NewClient(searchhttp.Config{Endpoints: []string{srv.URL}})
		if err != nil {
			t.Fatal(err)
		}
		// The repository first: missing, then registered, under its own name.
		err = client.CheckRepository(ctx, repo)
		if !errors.Is(err, optimize.ErrRepositoryMissing) {
			t.Fatalf("CheckRepository(%q) before registering = %v, want repository missing", repo, err)
		}
		if !strings.Contains(err.Error(), "["+repo+"] missing") || !strings.Contains(err.Error(), "/_snapshot/"+repo) {
			t.Fatalf("the error does not show repository %q as written: %v", repo, err)
		}
		srv.RegisterRepository(repo, "fs", map[string]any{"location": "/tmp/fuzz"})
		defer func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodDelete, srv.URL+"/_snapshot/"+searchhttp.PathSegment(repo), nil)
			if res, err := http.DefaultClient.Do(req); err == nil {
				_ = res.Body.Close()
			}
		}()
		if err := client.CheckRepository(ctx, repo); err != nil {
			t.Fatalf("CheckRepository(%q) = %v", repo, err)
		}

		snapshotsAsWritten(t, client, srv, repo, id, other, version)
	})
}

// snapshotsAsWritten: the fuzz target's snapshots of backups id and other
// in repo are taken, refused again, found, read back and deleted under
// their names as written, each apart from the other.
func snapshotsAsWritten(t *testing.T, client *elasticsearch.Client, srv *esemulator.Server, repo, id, other, version string) {
	t.Helper()
	ctx := context.Background()
	own := optimize.SnapshotName(optimize.BackupID(id), version, 1)
	theirs := optimize.SnapshotName(optimize.BackupID(other), version, 1)
	for _, name := range []string{own, theirs} {
		snap, err := client.CreateSnapshot(ctx, repo, name, optimize.SnapshotRequest{Indices: []string{"optimize-import-index"}, Wait: true})
		if err != nil {
			t.Fatalf("CreateSnapshot(%q, %q) = %v", repo, name, err)
		}
		if snap == nil || snap.Name != name {
			t.Fatalf("CreateSnapshot(%q, %q) answered snapshot %+v", repo, name, snap)
		}
	}
	var held []string
	for _, s := range srv.Snapshots(repo) {
		held = append(held, s.Name)
	}
	if len(held) != 2 || held[0] != own || held[1] != theirs {
		t.Fatalf("the emulator holds %q in %q, want exactly %q and %q", held, repo, own, theirs)
	}
	// Taking it again is refused, with the name as written.
	_, err := client.CreateSnapshot(ctx, repo, own, optimize.SnapshotRequest{Indices: []string{"optimize-import-index"}, Wait: true})
	if !errors.Is(err, optimize.ErrSnapshotExists) || !strings.Contains(err.Error(), "["+repo+":"+own+"]") {
		t.Fatalf("creating %q twice = %v, want already exists naming it as written", own, err)
	}
	// The backup's pattern finds its own snapshot and never the other's.
	found, err := client.Snapshots(ctx, repo, optimize.SnapshotPattern(optimize.BackupID(id)))
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Name != own {
		t.Fatalf("Snapshots(%q, %q) = %v, want exactly %q", repo, optimize.SnapshotPattern(optimize.BackupID(id)), found, own)
	}
	// An exact name reads back exactly.
	found, err = client.Snapshots(ctx, repo, theirs)
	if err != nil || len(found) != 1 || found[0].Name != theirs {
		t.Fatalf("Snapshots(%q, %q) = %v, %v", repo, theirs, found, err)
	}
	// Delete removes exactly the named snapshot.
	if err := client.DeleteSnapshots(ctx, repo, []string{own}); err != nil {
		t.Fatalf("DeleteSnapshots(%q, %q) = %v", repo, own, err)
	}
	if _, ok := srv.Snapshot(repo, own); ok {
		t.Fatalf("snapshot %q is still in %q after its delete", own, repo)
	}
	if _, ok := srv.Snapshot(repo, theirs); !ok {
		t.Fatalf("deleting %q removed %q", own, theirs)
	}
	if err := client.DeleteSnapshots(ctx, repo, []string{theirs}); err != nil {
		t.Fatal(err)
	}
}

// TestPathSegmentBehindAPathPrefix: with an endpoint that has a path
// (a proxy in front of Elasticsearch), names still arrive as written.
func TestPathSegmentBehindAPathPrefix(t *testing.T) {
	emu := esemulator.New(esemulator.Config{})
	emu.RegisterRepository("back%75ps", "fs", map[string]any{"location": "/tmp/x"})
	proxy := httptest.NewServer(http.StripPrefix("/es", emu))
	t.Cleanup(proxy.Close)
	client, err := elasticsearch.NewClient(searchhttp.Config{Endpoints: []string{proxy.URL + "/es"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.CheckRepository(context.Background(), "back%75ps"); err != nil {
		t.Fatalf("CheckRepository(back%%75ps) behind /es = %v", err)
	}
	if err := client.CheckRepository(context.Background(), "backups"); !errors.Is(err, optimize.ErrRepositoryMissing) {
		t.Fatalf("CheckRepository(backups) = %v, want missing: only back%%75ps is registered", err)
	}
}

func TestEscapedLengthMatchesPathSegment(t *testing.T) {
	for _, s := range []string{"", "a", "%61", "é", "a b", "..", ".", "x*,y", "a+b;c", "\x00\xff"} {
		if got, want := optimize.EscapedLength(s), len(searchhttp.PathSegment(s)); got != want {
			t.Errorf("EscapedLength(%q) = %d, len(PathSegment) = %d", s, got, want)
		}
	}
}
