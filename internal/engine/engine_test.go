// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package engine_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/engine"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/opensearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Each engine is told apart from its GET /, and the right adapter serves it.
func TestDetectEachEngine(t *testing.T) {
	for _, c := range []struct {
		engine           esemulator.Engine
		product, version string
		adapter          string
	}{
		{esemulator.Elasticsearch717, "Elasticsearch", "7.17.18", "*elasticsearch.Client"},
		{esemulator.Elasticsearch8, "Elasticsearch", "8.17.0", "*elasticsearch.Client"},
		{esemulator.OpenSearch2, "OpenSearch", "2.19.1", "*opensearch.Client"},
	} {
		t.Run(string(c.engine), func(t *testing.T) {
			srv, err := esemulator.Start(esemulator.Config{Engine: c.engine})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = srv.Close() }()
			cfg := searchhttp.Config{Endpoints: []string{srv.URL}}
			info, err := engine.Detect(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if info.Product != c.product || info.Version != c.version {
				t.Fatalf("detected %s, want %s %s", info, c.product, c.version)
			}
			cl, err := engine.New(info, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%T", cl); got != c.adapter {
				t.Fatalf("adapter %s, want %s", got, c.adapter)
			}
		})
	}
}

// What answered is named when the provider cannot work with it.
func TestDetectRefusesWithWhatItFound(t *testing.T) {
	for _, c := range []struct {
		name, body, product string
		header              map[string]string
		want                string
	}{
		{"elasticsearch 6", `{"version":{"number":"6.8.23","build_flavor":"default"},"tagline":"You Know, for Search"}`, "", nil,
			"Elasticsearch 6.8.23 answered, a version the provider does not support"},
		{"elasticsearch 7.10", `{"version":{"number":"7.10.2","build_flavor":"default"},"tagline":"You Know, for Search"}`, "", nil,
			"Elasticsearch 7.10.2 answered"},
		{"elasticsearch 7.16", `{"version":{"number":"7.16.3","build_flavor":"default"},"tagline":"You Know, for Search"}`, "Elasticsearch", nil,
			"Elasticsearch 7.16.3 answered, a version the provider does not support"},
		{"elasticsearch 9", `{"version":{"number":"9.0.0","build_flavor":"default"},"tagline":"You Know, for Search"}`, "Elasticsearch", nil,
			"Elasticsearch 9.0.0 answered"},
		{"opensearch 1", `{"version":{"distribution":"opensearch","number":"1.3.20"},"tagline":"The OpenSearch Project: https://opensearch.org/"}`, "", nil,
			"OpenSearch 1.3.20 answered"},
		{"opensearch hiding its version", `{"version":{"number":"7.10.2"},"tagline":"The OpenSearch Project: https://opensearch.org/"}`, "", nil,
			"compatibility.override_main_response_version"},
		{"solr behind a proxy", `<html><body>Solr Admin</body></html>`, "", map[string]string{"Content-Type": "text/html", "Server": "nginx"},
			`a server that is not a search engine answered GET / (Server: nginx) with text/html: "<html><body>Solr Admin</body></html>"`},
		{"elasticsearch 8 without its product header", `{"version":{"number":"8.17.0","build_flavor":"default"},"tagline":"You Know, for Search"}`, "", nil,
			"without the X-Elastic-Product header"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range c.header {
					w.Header().Set(k, v)
				}
				if c.product != "" {
					w.Header().Set("X-Elastic-Product", c.product)
				}
				_, _ = w.Write([]byte(c.body))
			}))
			defer srv.Close()
			cl, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{srv.URL}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cl.Snapshots(context.Background(), "backups", "camunda_optimize_*")
			var unsupported *engine.UnsupportedError
			if !errors.As(err, &unsupported) {
				t.Fatalf("error %v (%T), want an UnsupportedError", err, err)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), srv.URL) || !strings.Contains(err.Error(), engine.Supported) {
				t.Fatalf("error %q lacks %q, the endpoint or the supported engines", err, c.want)
			}
		})
	}
}

// The engine is detected once; every later call goes to the adapter.
func TestClusterDetectsOnce(t *testing.T) {
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
			cl, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{srv.URL}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := cl.CheckRepository(ctx, "backups"); err != nil {
				t.Fatal(err)
			}
			snap, err := cl.CreateSnapshot(ctx, "backups", "s1", optimize.SnapshotRequest{Indices: []string{"optimize-metadata"}, Wait: true, Metadata: map[string]any{"k": "v"}})
			if err != nil || snap == nil || snap.State != "SUCCESS" || snap.Metadata["k"] != "v" {
				t.Fatalf("create: %+v %v", snap, err)
			}
			snaps, err := cl.Snapshots(ctx, "backups", "s*")
			if err != nil || len(snaps) != 1 || snaps[0].Name != "s1" || snaps[0].ShardsSuccessful != 1 {
				t.Fatalf("snapshots: %+v %v", snaps, err)
			}
			if _, err := cl.Document(ctx, "optimize-metadata", "1"); !errors.Is(err, optimize.ErrNotFound) {
				t.Fatalf("missing document: %v", err)
			}
			if err := cl.DeleteIndices(ctx, []string{"optimize-metadata"}); err != nil {
				t.Fatal(err)
			}
			res, err := cl.RestoreSnapshot(ctx, "backups", "s1", []string{"optimize-metadata"})
			if err != nil || len(res.Indices) != 1 {
				t.Fatalf("restore: %+v %v", res, err)
			}
			if err := cl.DeleteSnapshots(ctx, "backups", []string{"s1"}); err != nil {
				t.Fatal(err)
			}
			if err := cl.CheckRepository(ctx, "nope"); !errors.Is(err, optimize.ErrRepositoryMissing) {
				t.Fatalf("missing repository: %v", err)
			}
			if n := srv.CountRequests(http.MethodGet, "/"); n == 0 {
				t.Fatal("no request")
			}
			roots := 0
			for _, r := range srv.Requests() {
				if r.Path == "/" {
					roots++
				}
			}
			if roots != 1 {
				t.Fatalf("GET / sent %d times, want once", roots)
			}
			info, ok := cl.Engine()
			if !ok || info.Product != srv.Product() {
				t.Fatalf("engine %v %v", info, ok)
			}
		})
	}
}

// OpenSearch has no API keys: said before any request.
func TestOpenSearchRefusesAnAPIKey(t *testing.T) {
	_, err := opensearch.NewClient(searchhttp.Config{Endpoints: []string{"http://127.0.0.1:9200"}, APIKey: "a2V5"})
	if err == nil || !strings.Contains(err.Error(), "OpenSearch has no API keys") {
		t.Fatalf("error %v", err)
	}
}

// Errors of OpenSearch name OpenSearch.
func TestOpenSearchErrorsNameOpenSearch(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, Username: "admin", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	cl, err := opensearch.NewClient(searchhttp.Config{Endpoints: []string{srv.URL}, Username: "admin", Password: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	err = cl.CheckRepository(context.Background(), "backups")
	if err == nil || !strings.Contains(err.Error(), "OpenSearch answered GET /_snapshot/backups with 401") || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("error %v", err)
	}
}
