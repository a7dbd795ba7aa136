// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

const testRepo = "backups"

// engine is an engine emulator whose requests (with their bodies) the test
// can read.
type engine struct {
	*esemulator.Emulator
	URL string

	mu       sync.Mutex
	requests []engineRequest
}

type engineRequest struct {
	Method, Path, Query string
	Body                map[string]any
}

func (e *engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	if !strings.HasPrefix(r.URL.Path, "/_emulator/") {
		e.mu.Lock()
		e.requests = append(e.requests, engineRequest{r.Method, r.URL.Path, r.URL.RawQuery, body})
		e.mu.Unlock()
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	e.Emulator.ServeHTTP(w, r)
}

// snapshotPuts are the PUT /_snapshot/… requests the engine got, in order.
func (e *engine) snapshotPuts() []engineRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []engineRequest
	for _, r := range e.requests {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/_snapshot/") && strings.Count(r.Path, "/") == 3 {
			out = append(out, r)
		}
	}
	return out
}

// startEngine starts an engine emulator with the repository "backups",
// seeded with the indices of Camunda version (Seed), over HTTP. Its
// snapshots take 10ms, so that parts taken at once would overlap.
func startEngine(t *testing.T, version string, engineKind esemulator.Engine) *engine {
	t.Helper()
	e := &engine{Emulator: esemulator.New(esemulator.Config{Engine: engineKind, SnapshotDuration: 10 * time.Millisecond})}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	e.RegisterRepository(testRepo, "fs", map[string]any{"location": filepath.Join(t.TempDir(), testRepo)})
	if version != "" {
		if err := Seed(context.Background(), Config{Version: version, EngineURL: e.URL}); err != nil {
			t.Fatalf("seeding: %v", err)
		}
	}
	return e
}

// startTwin starts a twin of cfg.Version on the engine (cfg.EngineURL,
// Repository and Now filled in when empty).
func startTwin(t *testing.T, e *engine, cfg Config) (*Twin, URLs) {
	t.Helper()
	if cfg.EngineURL == "" {
		cfg.EngineURL = e.URL
	}
	if cfg.Repository == "" {
		cfg.Repository = testRepo
	}
	if cfg.Now == nil {
		cfg.Now = e.Now
	}
	tw, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	urls, err := tw.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tw.Close() })
	return tw, urls
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return m
}

func (r reply) list(t *testing.T) []map[string]any {
	t.Helper()
	var m []map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return m
}

// do sends a request as the docs' curl commands do: a JSON body with
// "Content-Type: application/json"; headers are name, value pairs.
func do(t *testing.T, method, url, body string, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func expect(t *testing.T, r reply, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	for _, c := range contains {
		if !strings.Contains(r.body, c) {
			t.Fatalf("body %s\ndoes not contain %s", r.body, c)
		}
	}
}

func waitWebapps(t *testing.T, tw *Twin) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tw.WaitWebapps(ctx); err != nil {
		t.Fatal(err)
	}
}

// expectState asserts a 200 whose body's top-level state is state.
func expectState(t *testing.T, r reply, state string, contains ...string) {
	t.Helper()
	expect(t, r, 200, contains...)
	if got := r.json(t)["state"]; got != state {
		t.Fatalf("state %v, want %s; body %s", got, state, r.body)
	}
}
