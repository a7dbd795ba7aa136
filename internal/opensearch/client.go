// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package opensearch is the adapter between the backup domain and OpenSearch
// 2.x, beside internal/elasticsearch: go-elasticsearch refuses a server that
// is not Elasticsearch, so requests are built and sent by the OpenSearch
// project's own client (opensearch-go). What both engines share — the
// configuration, path escaping, the transport, the retry policy, the
// request log and its masking, error and snapshot decoding — comes from
// internal/elasticsearch, so the two adapters differ only in their client.
package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"
	"github.com/opensearch-project/opensearch-go/v4/signer"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Client talks to one OpenSearch cluster. It implements optimize.Cluster.
type Client struct {
	os  *opensearch.Client
	cfg elasticsearch.Config
}

var _ optimize.Cluster = (*Client)(nil)

// NewClient builds a client; retries as internal/elasticsearch does. An API
// key is refused: OpenSearch's security plugin has none.
func NewClient(cfg elasticsearch.Config) (*Client, error) {
	cfg.Product = "OpenSearch"
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.APIKey != "" {
		return nil, errors.New("OpenSearch has no API keys (its security plugin takes basic authentication or a bearer token): use username and password or bearer_token instead of api_key")
	}
	transport := elasticsearch.NewTransport(cfg)
	if len(cfg.CACert) > 0 {
		// Not through opensearch-go's CACert: it would set it on a nil
		// TLS configuration.
		elasticsearch.TrustCA(transport, cfg.CACert)
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
		RetryOnStatus: elasticsearch.RetryOnStatus,
		MaxRetries:    elasticsearch.MaxRetries,
		RetryBackoff:  elasticsearch.RetryBackoff,
		Logger:        elasticsearch.RequestLogger{},
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
	ctx = elasticsearch.LogContext(ctx, c.cfg)
	httpReq, err := req.GetRequest()
	if err != nil {
		return fmt.Errorf("building the request %s: %w", path, err)
	}
	httpReq = httpReq.WithContext(ctx)
	method := httpReq.Method
	res, err := c.os.Perform(httpReq)
	if err != nil {
		return elasticsearch.TransportError(ctx, err, method, path, c.cfg)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode >= http.StatusMultipleChoices {
		return elasticsearch.DecodeError(res.StatusCode, res.Body, method, path, c.cfg)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("decoding OpenSearch's answer to %s %s: %w", method, path, err)
	}
	return nil
}

// CheckRepository implements optimize.Cluster.
func (c *Client) CheckRepository(ctx context.Context, repository string) error {
	req := opensearchapi.SnapshotRepositoryGetReq{Repos: []string{elasticsearch.PathSegment(repository)}}
	var out elasticsearch.RepositoryAnswer
	if err := c.do(ctx, req, "/_snapshot/"+repository, &out); err != nil {
		return err
	}
	return out.Names(repository, c.cfg)
}

// Indices implements optimize.Cluster with GET /_cat/indices/{pattern}.
func (c *Client) Indices(ctx context.Context, pattern string) ([]string, error) {
	req := opensearchapi.CatIndicesReq{Indices: []string{elasticsearch.PathSegment(pattern)}, Params: opensearchapi.CatIndicesParams{H: []string{"index"}}}
	var rows []struct {
		Index string `json:"index"`
	}
	if err := c.do(ctx, req, "/_cat/indices/"+pattern, &rows); err != nil {
		return nil, err
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Index
	}
	return names, nil
}

// ClusterTime implements optimize.ClusterClock: the cluster's clock, from
// GET _cat/health (its epoch column: seconds, as a string).
func (c *Client) ClusterTime(ctx context.Context) (time.Time, error) {
	req := opensearchapi.CatHealthReq{Params: opensearchapi.CatHealthParams{H: []string{"epoch"}}}
	var rows []elasticsearch.CatEpoch
	if err := c.do(ctx, req, "/_cat/health", &rows); err != nil {
		return time.Time{}, err
	}
	return elasticsearch.EpochTime(rows)
}

// Document implements optimize.Cluster.
func (c *Client) Document(ctx context.Context, index, id string) (map[string]any, error) {
	req := opensearchapi.DocumentGetReq{Index: elasticsearch.PathSegment(index), DocumentID: elasticsearch.PathSegment(id)}
	var doc elasticsearch.DocumentAnswer
	if err := c.do(ctx, req, "/"+index+"/_doc/"+id, &doc); err != nil {
		return nil, err
	}
	return doc.Domain()
}

// CreateSnapshot implements optimize.Cluster. It refuses an empty index
// list, which OpenSearch would take as every index of the cluster.
func (c *Client) CreateSnapshot(ctx context.Context, repository, name string, sr optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	body, err := elasticsearch.CreateSnapshotBody(name, sr, c.cfg)
	if err != nil {
		return nil, err
	}
	wait := sr.Wait
	req := opensearchapi.SnapshotCreateReq{Repo: elasticsearch.PathSegment(repository), Snapshot: elasticsearch.PathSegment(name),
		Body: strings.NewReader(body), Params: opensearchapi.SnapshotCreateParams{WaitForCompletion: &wait}}
	var out struct {
		Snapshot *elasticsearch.SnapshotJSON `json:"snapshot"`
	}
	if err := c.do(ctx, req, snapshotPath(repository, name), &out); err != nil {
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
	req := opensearchapi.SnapshotGetReq{Repo: elasticsearch.PathSegment(repository), Snapshots: []string{elasticsearch.PathSegment(pattern)},
		Params: opensearchapi.SnapshotGetParams{IgnoreUnavailable: &ignore}}
	var out struct {
		Snapshots []elasticsearch.SnapshotJSON `json:"snapshots"`
	}
	if err := c.do(ctx, req, snapshotPath(repository, pattern), &out); err != nil {
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
		if err := elasticsearch.ExactSnapshotName(n); err != nil {
			return err
		}
		escaped[i] = elasticsearch.PathSegment(n)
	}
	req := opensearchapi.SnapshotDeleteReq{Repo: elasticsearch.PathSegment(repository), Snapshots: escaped}
	return c.do(ctx, req, snapshotPath(repository, strings.Join(names, ",")), nil)
}

// DeleteIndices implements optimize.Cluster: exact names only, long lists
// in several requests (elasticsearch.IndexBatches).
func (c *Client) DeleteIndices(ctx context.Context, names []string) error {
	batches, err := elasticsearch.IndexBatches(names)
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
	body, err := elasticsearch.RestoreBody(name, indices, c.cfg)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	wait := true
	req := opensearchapi.SnapshotRestoreReq{Repo: elasticsearch.PathSegment(repository), Snapshot: elasticsearch.PathSegment(name),
		Body: strings.NewReader(body), Params: opensearchapi.SnapshotRestoreParams{WaitForCompletion: &wait}}
	var out elasticsearch.RestoreJSON
	if err := c.do(ctx, req, snapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}

func snapshotPath(repository, name string) string {
	return "/_snapshot/" + repository + "/" + name
}
