// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Send sends one request that an adapter's client built: the answer's
// status and body, or the transport's error (no answer).
type Send func(ctx context.Context) (status int, body io.ReadCloser, err error)

// Requests builds the engine's requests with an adapter's client; that is
// all an adapter does. Names arrive escaped (PathSegment).
type Requests interface {
	GetRepository(repository string) Send
	CatIndices(pattern string) Send    // format=json, h=index
	CatHealth() Send                   // format=json, h=epoch
	GetDocument(index, id string) Send // GET /{index}/_doc/{id}
	CreateSnapshot(repository, name, body string, wait bool) Send
	GetSnapshots(repository, pattern string) Send // ignore_unavailable=true
	DeleteSnapshots(repository string, names []string) Send
	DeleteIndices(names []string) Send
	RestoreSnapshot(repository, name, body string) Send // wait_for_completion=true
	// The drill's reads (drill.go).
	CatIndexStats(pattern string) Send           // format=json, h=index,docs.count,health
	SnapshotStatus(repository, name string) Send // GET /_snapshot/{repository}/{name}/_status
	CatAllocation() Send                         // format=json, bytes=b
	ClusterSettingsDefaults() Send               // include_defaults=true, flat_settings=true
	// A restore into another installation (restore_target.go).
	UpdateAliases(body string) Send // POST /_aliases
}

// BuildError is a request that an adapter's client could not build.
type BuildError struct{ Err error }

func (e *BuildError) Error() string { return e.Err.Error() }

// Cluster implements optimize.Cluster (and optimize.ClusterClock) over the
// requests of an adapter: the checks before a request, the request log, the
// messages' paths (names as written, not as escaped), and the decoding of
// answers and errors.
type Cluster struct {
	cfg      Config
	requests Requests
}

var (
	_ optimize.Cluster      = (*Cluster)(nil)
	_ optimize.ClusterClock = (*Cluster)(nil)
)

// NewCluster is the cluster of cfg, reached through requests.
func NewCluster(cfg Config, requests Requests) *Cluster {
	return &Cluster{cfg: cfg, requests: requests}
}

// do sends a request and decodes a 2xx JSON answer into out (when not nil).
// method and path are the request's as messages show it.
func (c *Cluster) do(ctx context.Context, send Send, method, path string, out any) error {
	ctx = LogContext(ctx, c.cfg)
	status, body, err := send(ctx)
	if err != nil {
		var build *BuildError
		if errors.As(err, &build) {
			return fmt.Errorf("building the request %s: %w", path, build.Err)
		}
		return TransportError(ctx, err, method, path, c.cfg)
	}
	defer func() { _ = body.Close() }()
	return DecodeAnswer(status, body, method, path, c.cfg, out)
}

// CheckRepository implements optimize.Cluster.
func (c *Cluster) CheckRepository(ctx context.Context, repository string) error {
	var out RepositoryAnswer
	if err := c.do(ctx, c.requests.GetRepository(PathSegment(repository)), http.MethodGet, "/_snapshot/"+repository, &out); err != nil {
		return err
	}
	return out.Names(repository, c.cfg)
}

// Indices implements optimize.Cluster with GET /_cat/indices/{pattern}.
func (c *Cluster) Indices(ctx context.Context, pattern string) ([]string, error) {
	var rows []IndexRow
	if err := c.do(ctx, c.requests.CatIndices(PathSegment(pattern)), http.MethodGet, "/_cat/indices/"+pattern, &rows); err != nil {
		return nil, err
	}
	return IndexNames(rows), nil
}

// ClusterTime implements optimize.ClusterClock: the cluster's clock, from
// GET _cat/health (its epoch column: seconds, as a string).
func (c *Cluster) ClusterTime(ctx context.Context) (time.Time, error) {
	var rows []CatEpoch
	if err := c.do(ctx, c.requests.CatHealth(), http.MethodGet, "/_cat/health", &rows); err != nil {
		return time.Time{}, err
	}
	return EpochTime(rows)
}

// Document implements optimize.Cluster.
func (c *Cluster) Document(ctx context.Context, index, id string) (map[string]any, error) {
	var doc DocumentAnswer
	if err := c.do(ctx, c.requests.GetDocument(PathSegment(index), PathSegment(id)), http.MethodGet, "/"+index+"/_doc/"+id, &doc); err != nil {
		return nil, err
	}
	return doc.Domain()
}

// CreateSnapshot implements optimize.Cluster. It refuses an empty index
// list, which the engine would take as every index of the cluster.
func (c *Cluster) CreateSnapshot(ctx context.Context, repository, name string, sr optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	body, err := CreateSnapshotBody(name, sr, c.cfg)
	if err != nil {
		return nil, err
	}
	send := c.requests.CreateSnapshot(PathSegment(repository), PathSegment(name), body, sr.Wait)
	var out struct {
		Snapshot *SnapshotJSON `json:"snapshot"`
	}
	if err := c.do(ctx, send, http.MethodPut, SnapshotPath(repository, name), &out); err != nil {
		return nil, err
	}
	if out.Snapshot == nil {
		return nil, nil
	}
	s := out.Snapshot.Domain()
	return &s, nil
}

// Snapshots implements optimize.Cluster with one GET /_snapshot/{repo}/{pattern}.
func (c *Cluster) Snapshots(ctx context.Context, repository, pattern string) ([]optimize.Snapshot, error) {
	var out struct {
		Snapshots []SnapshotJSON `json:"snapshots"`
	}
	send := c.requests.GetSnapshots(PathSegment(repository), PathSegment(pattern))
	if err := c.do(ctx, send, http.MethodGet, SnapshotPath(repository, pattern), &out); err != nil {
		return nil, err
	}
	snaps := make([]optimize.Snapshot, len(out.Snapshots))
	for i, s := range out.Snapshots {
		snaps[i] = s.Domain()
	}
	return snaps, nil
}

// DeleteSnapshots implements optimize.Cluster. Names are exact: a name with
// a wildcard is refused, so that nothing but the named snapshots can go.
func (c *Cluster) DeleteSnapshots(ctx context.Context, repository string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	escaped := make([]string, len(names))
	for i, n := range names {
		if err := ExactSnapshotName(n); err != nil {
			return err
		}
		escaped[i] = PathSegment(n)
	}
	send := c.requests.DeleteSnapshots(PathSegment(repository), escaped)
	return c.do(ctx, send, http.MethodDelete, SnapshotPath(repository, strings.Join(names, ",")), nil)
}

// DeleteIndices implements optimize.Cluster. Names are exact: a pattern,
// _all or an exclusion is refused, so that nothing but the named indices can
// go. Long lists are sent in several requests (IndexBatches).
func (c *Cluster) DeleteIndices(ctx context.Context, names []string) error {
	batches, err := IndexBatches(names)
	if err != nil {
		return err
	}
	for _, b := range batches {
		if err := c.do(ctx, c.requests.DeleteIndices(b.Escaped), http.MethodDelete, "/"+strings.Join(b.Names, ","), nil); err != nil {
			return err
		}
	}
	return nil
}

// RestoreSnapshot implements optimize.Cluster: it restores exactly these
// indices of the snapshot, with their aliases, without the global state,
// waiting for completion. It refuses an empty index list, which the engine
// would take as every index of the snapshot.
func (c *Cluster) RestoreSnapshot(ctx context.Context, repository, name string, indices []string) (optimize.RestoreSnapshotResult, error) {
	body, err := RestoreBody(name, indices, c.cfg)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	send := c.requests.RestoreSnapshot(PathSegment(repository), PathSegment(name), body)
	var out RestoreJSON
	if err := c.do(ctx, send, http.MethodPost, SnapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}
