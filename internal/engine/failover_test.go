// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package engine_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/engine"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// deadEndpoint is an address where nothing listens.
func deadEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// With the first endpoint down, detection asks the next one, and every
// request fails over to it as the clients do.
func TestFirstEndpointDown(t *testing.T) {
	for _, e := range esemulator.Engines() {
		t.Run(string(e), func(t *testing.T) {
			srv, err := esemulator.Start(esemulator.Config{Engine: e})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = srv.Close() }()
			srv.RegisterRepository("backups", "fs", map[string]any{"location": t.TempDir()})
			if err := srv.CreateIndex("optimize-metadata"); err != nil {
				t.Fatal(err)
			}
			cl, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{deadEndpoint(t), srv.URL}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for i := 0; i < 3; i++ {
				if err := cl.CheckRepository(ctx, "backups"); err != nil {
					t.Fatalf("check %d: %v", i, err)
				}
				if _, err := cl.CreateSnapshot(ctx, "backups", "s"+string(rune('1'+i)), optimize.SnapshotRequest{Indices: []string{"optimize-metadata"}, Wait: true}); err != nil {
					t.Fatalf("create %d: %v", i, err)
				}
			}
			if snaps, err := cl.Snapshots(ctx, "backups", "s*"); err != nil || len(snaps) != 3 {
				t.Fatalf("snapshots %v %v", snaps, err)
			}
			if info, ok := cl.Engine(); !ok || info.Product != srv.Product() {
				t.Fatalf("engine %v %v", info, ok)
			}
		})
	}
}

// Every endpoint down: the error names the endpoint, after the clients'
// retries (1 + MaxRetries rounds over the endpoints).
func TestAllEndpointsDownRetried(t *testing.T) {
	var hits atomic.Int32
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	_, err := engine.Detect(context.Background(), searchhttp.Config{Endpoints: []string{deadEndpoint(t), busy.URL}})
	if err == nil {
		t.Fatal("detection succeeded against no engine")
	}
	if got, want := int(hits.Load()), 1+searchhttp.MaxRetries; got != want {
		t.Fatalf("the busy endpoint was asked %d times, want %d", got, want)
	}
}

// A redirect is not followed: the credentials never reach its target, and
// the error names the status and the Location.
func TestDetectFollowsNoRedirect(t *testing.T) {
	var targetHits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		targetHits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer target.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/", http.StatusMovedPermanently)
	}))
	defer redirect.Close()
	_, err := engine.Detect(context.Background(), searchhttp.Config{Endpoints: []string{redirect.URL}, Username: "elastic", Password: "secret"})
	var redir *engine.RedirectError
	if !errors.As(err, &redir) || redir.Status != http.StatusMovedPermanently || redir.Location != target.URL+"/" {
		t.Fatalf("err = %v, want a RedirectError naming 301 and %s", err, target.URL)
	}
	if !strings.Contains(err.Error(), "301 Moved Permanently") || !strings.Contains(err.Error(), target.URL) {
		t.Fatalf("message %q", err)
	}
	if targetHits.Load() != 0 {
		t.Fatal("the redirect was followed")
	}
}

// With every endpoint down, Connect's error names each of them, with the
// reason of each, and is the domain's unreachable error.
func TestEveryEndpointDownNamesEach(t *testing.T) {
	dead1, dead2 := deadEndpoint(t), deadEndpoint(t)
	cl, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{dead1, dead2}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.Connect(context.Background())
	if !errors.Is(err, optimize.ErrUnreachable) {
		t.Fatalf("Connect: %v, want unreachable", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "the search engine at "+dead1+", "+dead2+" is unreachable: ") {
		t.Fatalf("the error does not name both endpoints first: %s", msg)
	}
	for _, d := range []string{dead1, dead2} {
		if strings.Count(msg, strings.TrimPrefix(d, "http://")) < 2 {
			t.Errorf("the error gives no reason for %s: %s", d, msg)
		}
	}
	if info, ok := cl.Engine(); ok {
		t.Fatalf("Engine() = %v after a failed detection", info)
	}
}
