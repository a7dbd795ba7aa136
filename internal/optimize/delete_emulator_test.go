// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// The joined DELETE of a backup's two parts at the request line's exact
// boundary, against the emulator (as strict as the engines): a 4096-byte
// line, its comma counted, is one request the engine takes; at 4097 bytes
// (4096 without the comma) the engine refuses the joined line, so the
// provider deletes one snapshot per request.
func TestDeleteAtTheRequestLineBoundary(t *testing.T) {
	// A 1,995-character id: "DELETE /_snapshot/<repo>/<part 1>,<part 2> HTTP/1.1"
	// is 4096 bytes with repository "backups", 4097 with "backups2".
	id := optimize.BackupID(strings.Repeat("a", 1995))
	names := optimize.SnapshotNames(id, "3.9.0")
	for _, c := range []struct {
		repository string
		line       int
		deletes    int
	}{
		{"backups", 4096, 1},
		{"backups2", 4097, 2},
	} {
		t.Run(fmt.Sprint(c.line), func(t *testing.T) {
			srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.Elasticsearch717})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = srv.Close() }()
			if err := srv.SeedOptimize("3.9.0", "optimize"); err != nil {
				t.Fatal(err)
			}
			srv.RegisterRepository(c.repository, "fs", map[string]any{"location": t.TempDir()})
			joined := "/_snapshot/" + c.repository + "/" + strings.Join(names, ",")
			if n := len("DELETE " + joined + " HTTP/1.1"); n != c.line {
				t.Fatalf("the joined DELETE's line is %d bytes, want %d", n, c.line)
			}
			if got := optimize.JoinedDeleteFits(c.repository, names); got != (c.line <= optimize.MaxRequestLineBytes) {
				t.Fatalf("JoinedDeleteFits = %v for a %d-byte line", got, c.line)
			}
			put := func() {
				for _, n := range names {
					send(t, srv, http.MethodPut, "/_snapshot/"+c.repository+"/"+n+"?wait_for_completion=true", `{"indices":"optimize-*","include_global_state":false}`, http.StatusOK)
				}
			}
			// What the engine says to the joined line itself.
			put()
			if c.line <= optimize.MaxRequestLineBytes {
				send(t, srv, http.MethodDelete, joined, "", http.StatusOK)
			} else {
				send(t, srv, http.MethodDelete, joined, "", http.StatusBadRequest)
				for _, n := range names {
					send(t, srv, http.MethodDelete, "/_snapshot/"+c.repository+"/"+n, "", http.StatusOK)
				}
			}
			// The provider's delete.
			put()
			srv.ResetRequests()
			cl, err := elasticsearch.NewClient(searchhttp.Config{Endpoints: []string{srv.URL}})
			if err != nil {
				t.Fatal(err)
			}
			if err := (&optimize.Service{Cluster: cl}).Delete(context.Background(), c.repository, id); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if left := srv.Snapshots(c.repository); len(left) != 0 {
				t.Fatalf("%d snapshots left", len(left))
			}
			if n := srv.CountRequests(http.MethodDelete, "/_snapshot/"); n != c.deletes {
				t.Fatalf("%d DELETE requests, want %d", n, c.deletes)
			}
		})
	}
}

func send(t *testing.T, srv *esemulator.Server, method, path, body string, want int) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	answer, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %.80s...: %d %s, want %d", method, path, res.StatusCode, answer, want)
	}
}
