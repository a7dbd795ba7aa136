// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package elasticsearch is the adapter between the backup domain and
// Elasticsearch 7.17 (and 8.x in REST API compatibility mode): it builds the
// go-elasticsearch/v7 client and implements optimize.Cluster with it, on
// internal/searchhttp's configuration, transport, retries, logging, errors
// and JSON.
package elasticsearch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	es7 "github.com/elastic/go-elasticsearch/v7"
	"github.com/elastic/go-elasticsearch/v7/esapi"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Client talks to one Elasticsearch cluster. It implements optimize.Cluster.
type Client struct {
	es  *es7.Client
	cfg searchhttp.Config
}

var _ optimize.Cluster = (*Client)(nil)

// NewClient builds a client. Retries: 429, 502, 503 and 504 answers are tried
// again up to three times with exponential backoff (100 ms, 200 ms, 400 ms).
func NewClient(cfg searchhttp.Config) (*Client, error) {
	if cfg.AWS != nil {
		return nil, errors.New("AWS Signature Version 4 (elasticsearch.aws) is for Amazon OpenSearch Service's OpenSearch domains; this cluster is Elasticsearch: remove the aws block, or point elasticsearch.endpoints at an OpenSearch domain")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	transport := searchhttp.NewTransport(cfg)
	header := cfg.Header()
	esCfg := es7.Config{
		Addresses:     cfg.Endpoints,
		Username:      cfg.Username,
		Password:      cfg.Password,
		APIKey:        cfg.APIKey,
		Header:        header,
		Transport:     transport,
		RetryOnStatus: searchhttp.RetryOnStatus,
		MaxRetries:    searchhttp.MaxRetries,
		RetryBackoff:  searchhttp.RetryBackoff,
		// Elasticsearch 8 through this 7.x client: REST API compatibility
		// (compatible-with=7 media types), as Elastic's upgrade guide says.
		EnableCompatibilityMode: cfg.CompatibilityMode,
		// Check the X-Elastic-Product header on the first answer instead of
		// spending a GET / on it.
		UseResponseCheckOnly: true,
		Logger:               searchhttp.RequestLogger{},
	}
	if len(cfg.CACert) > 0 {
		esCfg.CACert = cfg.CACert
	}
	client, err := es7.NewClient(esCfg)
	if err != nil {
		return nil, fmt.Errorf("creating the Elasticsearch client: %w", err)
	}
	return &Client{es: client, cfg: cfg}, nil
}

// do sends req and decodes a 2xx JSON answer into out (when not nil).
// Paths in messages are the names as written (path), not as escaped.
func (c *Client) do(ctx context.Context, req esapi.Request, method, path string, out any) error {
	ctx = searchhttp.LogContext(ctx, c.cfg)
	res, err := req.Do(ctx, c.es)
	if err != nil {
		return searchhttp.TransportError(ctx, err, method, path, c.cfg)
	}
	defer func() { _ = res.Body.Close() }()
	return searchhttp.DecodeAnswer(res.StatusCode, res.Body, method, path, c.cfg, out)
}

// CheckRepository implements optimize.Cluster.
func (c *Client) CheckRepository(ctx context.Context, repository string) error {
	req := esapi.SnapshotGetRepositoryRequest{Repository: []string{searchhttp.PathSegment(repository)}}
	var out searchhttp.RepositoryAnswer
	if err := c.do(ctx, req, http.MethodGet, "/_snapshot/"+repository, &out); err != nil {
		return err
	}
	return out.Names(repository, c.cfg)
}

// Indices implements optimize.Cluster with GET /_cat/indices/{pattern}.
func (c *Client) Indices(ctx context.Context, pattern string) ([]string, error) {
	req := esapi.CatIndicesRequest{Index: []string{searchhttp.PathSegment(pattern)}, Format: "json", H: []string{"index"}}
	var rows []searchhttp.IndexRow
	if err := c.do(ctx, req, http.MethodGet, "/_cat/indices/"+pattern, &rows); err != nil {
		return nil, err
	}
	return searchhttp.IndexNames(rows), nil
}

// ClusterTime implements optimize.ClusterClock: the cluster's clock, from
// GET _cat/health (its epoch column: seconds, as a string).
func (c *Client) ClusterTime(ctx context.Context) (time.Time, error) {
	req := esapi.CatHealthRequest{Format: "json", H: []string{"epoch"}}
	var rows []searchhttp.CatEpoch
	if err := c.do(ctx, req, http.MethodGet, "/_cat/health", &rows); err != nil {
		return time.Time{}, err
	}
	return searchhttp.EpochTime(rows)
}

// Document implements optimize.Cluster.
func (c *Client) Document(ctx context.Context, index, id string) (map[string]any, error) {
	req := esapi.GetRequest{Index: searchhttp.PathSegment(index), DocumentID: searchhttp.PathSegment(id)}
	var doc searchhttp.DocumentAnswer
	if err := c.do(ctx, req, http.MethodGet, "/"+index+"/_doc/"+id, &doc); err != nil {
		return nil, err
	}
	return doc.Domain()
}

// CreateSnapshot implements optimize.Cluster. It refuses an empty index
// list, which Elasticsearch would take as every index of the cluster.
func (c *Client) CreateSnapshot(ctx context.Context, repository, name string, sr optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	body, err := searchhttp.CreateSnapshotBody(name, sr, c.cfg)
	if err != nil {
		return nil, err
	}
	wait := sr.Wait
	req := esapi.SnapshotCreateRequest{Repository: searchhttp.PathSegment(repository), Snapshot: searchhttp.PathSegment(name), Body: strings.NewReader(body), WaitForCompletion: &wait}
	var out struct {
		Snapshot *searchhttp.SnapshotJSON `json:"snapshot"`
	}
	if err := c.do(ctx, req, http.MethodPut, searchhttp.SnapshotPath(repository, name), &out); err != nil {
		return nil, err
	}
	if out.Snapshot == nil {
		return nil, nil
	}
	s := out.Snapshot.Domain()
	return &s, nil
}

// Snapshots implements optimize.Cluster with one GET /_snapshot/{repo}/{pattern}.
func (c *Client) Snapshots(ctx context.Context, repository, pattern string) ([]optimize.Snapshot, error) {
	ignore := true
	req := esapi.SnapshotGetRequest{Repository: searchhttp.PathSegment(repository), Snapshot: []string{searchhttp.PathSegment(pattern)}, IgnoreUnavailable: &ignore}
	var out struct {
		Snapshots []searchhttp.SnapshotJSON `json:"snapshots"`
	}
	if err := c.do(ctx, req, http.MethodGet, searchhttp.SnapshotPath(repository, pattern), &out); err != nil {
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
func (c *Client) DeleteSnapshots(ctx context.Context, repository string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	for _, n := range names {
		if err := searchhttp.ExactSnapshotName(n); err != nil {
			return err
		}
	}
	escaped := make([]string, len(names))
	for i, n := range names {
		escaped[i] = searchhttp.PathSegment(n)
	}
	req := esapi.SnapshotDeleteRequest{Repository: searchhttp.PathSegment(repository), Snapshot: strings.Join(escaped, ",")}
	return c.do(ctx, req, http.MethodDelete, searchhttp.SnapshotPath(repository, strings.Join(names, ",")), nil)
}

// DeleteIndices implements optimize.Cluster. Names are exact: a pattern,
// _all or an exclusion is refused, so that nothing but the named indices can
// go. Long lists are sent in several requests.
func (c *Client) DeleteIndices(ctx context.Context, names []string) error {
	batches, err := searchhttp.IndexBatches(names)
	if err != nil {
		return err
	}
	for _, b := range batches {
		req := esapi.IndicesDeleteRequest{Index: b.Escaped}
		if err := c.do(ctx, req, http.MethodDelete, "/"+strings.Join(b.Names, ","), nil); err != nil {
			return err
		}
	}
	return nil
}

// RestoreSnapshot implements optimize.Cluster: it restores exactly these
// indices of the snapshot, with their aliases, without the global state,
// waiting for completion. It refuses an empty index list, which
// Elasticsearch would take as every index of the snapshot.
func (c *Client) RestoreSnapshot(ctx context.Context, repository, name string, indices []string) (optimize.RestoreSnapshotResult, error) {
	body, err := searchhttp.RestoreBody(name, indices, c.cfg)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	wait := true
	req := esapi.SnapshotRestoreRequest{Repository: searchhttp.PathSegment(repository), Snapshot: searchhttp.PathSegment(name), Body: strings.NewReader(body), WaitForCompletion: &wait}
	var out searchhttp.RestoreJSON
	if err := c.do(ctx, req, http.MethodPost, searchhttp.SnapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}
