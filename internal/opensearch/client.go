// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package opensearch is the adapter between the backup domain and OpenSearch
// 2.x (Amazon OpenSearch Service too, with SigV4), beside
// internal/elasticsearch: go-elasticsearch refuses a server that is not
// Elasticsearch, so requests are built and sent by the OpenSearch project's
// own client (opensearch-go). What both engines share — the configuration,
// path escaping, the transport, the retry policy, the request log and its
// masking, error and snapshot decoding — comes from internal/searchhttp, so
// the two adapters differ only in their client.
package opensearch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"
	"github.com/opensearch-project/opensearch-go/v4/signer"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Client talks to one OpenSearch cluster. It implements optimize.Cluster.
type Client struct {
	os  *opensearch.Client
	cfg searchhttp.Config
}

var _ optimize.Cluster = (*Client)(nil)

// NewClient builds a client; retries as searchhttp.RetryOnStatus says. An API
// key is refused: OpenSearch's security plugin has none.
func NewClient(cfg searchhttp.Config) (*Client, error) {
	cfg.Product = "OpenSearch"
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.APIKey != "" {
		return nil, errors.New("OpenSearch has no API keys (its security plugin takes basic authentication or a bearer token): use username and password or bearer_token instead of api_key")
	}
	transport := searchhttp.NewTransport(cfg)
	if len(cfg.CACert) > 0 {
		// Not through opensearch-go's CACert: it would set it on a nil
		// TLS configuration.
		searchhttp.TrustCA(transport, cfg.CACert)
	}
	var roundTripper http.RoundTripper = transport
	if cfg.UserAgent != "" {
		roundTripper = userAgentTransport{next: transport, userAgent: cfg.UserAgent}
	}
	var awsSigner signer.Signer
	if cfg.AWS != nil {
		awsSigner = cfg.AWS // opensearch-go signs each attempt, retries included
	}
	client, err := opensearch.NewClient(opensearch.Config{
		Signer:        awsSigner,
		Addresses:     cfg.Endpoints,
		Username:      cfg.Username,
		Password:      cfg.Password,
		Header:        cfg.Header(),
		Transport:     roundTripper,
		RetryOnStatus: searchhttp.RetryOnStatus,
		MaxRetries:    searchhttp.MaxRetries,
		RetryBackoff:  searchhttp.RetryBackoff,
		Logger:        searchhttp.RequestLogger{},
	})
	if err != nil {
		return nil, fmt.Errorf("creating the OpenSearch client: %w", err)
	}
	return &Client{os: client, cfg: cfg}, nil
}

// userAgentTransport sends the configured User-Agent: opensearch-go sets
// its own on every request and only adds the configured header's value
// after it, and Go's HTTP client sends the first value alone.
type userAgentTransport struct {
	next      http.RoundTripper
	userAgent string
}

func (t userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.userAgent)
	return t.next.RoundTrip(req)
}

// request is an opensearchapi request: it builds its *http.Request.
type request interface {
	GetRequest() (*http.Request, error)
}

// do sends req and decodes a 2xx JSON answer into out (when not nil).
// Paths in messages are the names as written (path), not as escaped.
func (c *Client) do(ctx context.Context, req request, path string, out any) error {
	ctx = searchhttp.LogContext(ctx, c.cfg)
	httpReq, err := req.GetRequest()
	if err != nil {
		return fmt.Errorf("building the request %s: %w", path, err)
	}
	httpReq = httpReq.WithContext(ctx)
	method := httpReq.Method
	res, err := c.os.Perform(httpReq)
	if err != nil {
		return searchhttp.TransportError(ctx, err, method, path, c.cfg)
	}
	defer func() { _ = res.Body.Close() }()
	return searchhttp.DecodeAnswer(res.StatusCode, res.Body, method, path, c.cfg, out)
}

// CheckRepository implements optimize.Cluster.
func (c *Client) CheckRepository(ctx context.Context, repository string) error {
	req := opensearchapi.SnapshotRepositoryGetReq{Repos: []string{searchhttp.PathSegment(repository)}}
	var out searchhttp.RepositoryAnswer
	if err := c.do(ctx, req, "/_snapshot/"+repository, &out); err != nil {
		return err
	}
	return out.Names(repository, c.cfg)
}

// Indices implements optimize.Cluster with GET /_cat/indices/{pattern}.
func (c *Client) Indices(ctx context.Context, pattern string) ([]string, error) {
	req := opensearchapi.CatIndicesReq{Indices: []string{searchhttp.PathSegment(pattern)}, Params: opensearchapi.CatIndicesParams{H: []string{"index"}}}
	var rows []searchhttp.IndexRow
	if err := c.do(ctx, req, "/_cat/indices/"+pattern, &rows); err != nil {
		return nil, err
	}
	return searchhttp.IndexNames(rows), nil
}

// ClusterTime implements optimize.ClusterClock: the cluster's clock, from
// GET _cat/health (its epoch column: seconds, as a string).
func (c *Client) ClusterTime(ctx context.Context) (time.Time, error) {
	req := opensearchapi.CatHealthReq{Params: opensearchapi.CatHealthParams{H: []string{"epoch"}}}
	var rows []searchhttp.CatEpoch
	if err := c.do(ctx, req, "/_cat/health", &rows); err != nil {
		return time.Time{}, err
	}
	return searchhttp.EpochTime(rows)
}

// Document implements optimize.Cluster.
func (c *Client) Document(ctx context.Context, index, id string) (map[string]any, error) {
	req := opensearchapi.DocumentGetReq{Index: searchhttp.PathSegment(index), DocumentID: searchhttp.PathSegment(id)}
	var doc searchhttp.DocumentAnswer
	if err := c.do(ctx, req, "/"+index+"/_doc/"+id, &doc); err != nil {
		return nil, err
	}
	return doc.Domain()
}

// CreateSnapshot implements optimize.Cluster. It refuses an empty index
// list, which OpenSearch would take as every index of the cluster.
func (c *Client) CreateSnapshot(ctx context.Context, repository, name string, sr optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	body, err := searchhttp.CreateSnapshotBody(name, sr, c.cfg)
	if err != nil {
		return nil, err
	}
	wait := sr.Wait
	req := opensearchapi.SnapshotCreateReq{Repo: searchhttp.PathSegment(repository), Snapshot: searchhttp.PathSegment(name),
		Body: strings.NewReader(body), Params: opensearchapi.SnapshotCreateParams{WaitForCompletion: &wait}}
	var out struct {
		Snapshot *searchhttp.SnapshotJSON `json:"snapshot"`
	}
	if err := c.do(ctx, req, searchhttp.SnapshotPath(repository, name), &out); err != nil {
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
	req := opensearchapi.SnapshotGetReq{Repo: searchhttp.PathSegment(repository), Snapshots: []string{searchhttp.PathSegment(pattern)},
		Params: opensearchapi.SnapshotGetParams{IgnoreUnavailable: &ignore}}
	var out struct {
		Snapshots []searchhttp.SnapshotJSON `json:"snapshots"`
	}
	if err := c.do(ctx, req, searchhttp.SnapshotPath(repository, pattern), &out); err != nil {
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
	escaped := make([]string, len(names))
	for i, n := range names {
		if err := searchhttp.ExactSnapshotName(n); err != nil {
			return err
		}
		escaped[i] = searchhttp.PathSegment(n)
	}
	req := opensearchapi.SnapshotDeleteReq{Repo: searchhttp.PathSegment(repository), Snapshots: escaped}
	return c.do(ctx, req, searchhttp.SnapshotPath(repository, strings.Join(names, ",")), nil)
}

// DeleteIndices implements optimize.Cluster: exact names only, long lists
// in several requests (searchhttp.IndexBatches).
func (c *Client) DeleteIndices(ctx context.Context, names []string) error {
	batches, err := searchhttp.IndexBatches(names)
	if err != nil {
		return err
	}
	for _, b := range batches {
		req := opensearchapi.IndicesDeleteReq{Indices: b.Escaped}
		if err := c.do(ctx, req, "/"+strings.Join(b.Names, ","), nil); err != nil {
			return err
		}
	}
	return nil
}

// RestoreSnapshot implements optimize.Cluster: exactly these indices of the
// snapshot, with their aliases, without the global state, waiting for
// completion. An empty index list is refused.
func (c *Client) RestoreSnapshot(ctx context.Context, repository, name string, indices []string) (optimize.RestoreSnapshotResult, error) {
	body, err := searchhttp.RestoreBody(name, indices, c.cfg)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	wait := true
	req := opensearchapi.SnapshotRestoreReq{Repo: searchhttp.PathSegment(repository), Snapshot: searchhttp.PathSegment(name),
		Body: strings.NewReader(body), Params: opensearchapi.SnapshotRestoreParams{WaitForCompletion: &wait}}
	var out searchhttp.RestoreJSON
	if err := c.do(ctx, req, searchhttp.SnapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}
