// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	es7 "github.com/elastic/go-elasticsearch/v7"
	"github.com/elastic/go-elasticsearch/v7/esapi"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Client talks to one Elasticsearch cluster. It implements optimize.Cluster.
type Client struct {
	es  *es7.Client
	cfg Config
}

var _ optimize.Cluster = (*Client)(nil)

// NewClient builds a client. Retries: 429, 502, 503 and 504 answers are tried
// again up to three times with exponential backoff (100 ms, 200 ms, 400 ms).
func NewClient(cfg Config) (*Client, error) {
	if cfg.AWS != nil {
		return nil, errors.New("AWS Signature Version 4 (elasticsearch.aws) is for Amazon OpenSearch Service's OpenSearch domains; this cluster is Elasticsearch: remove the aws block, or point elasticsearch.endpoints at an OpenSearch domain")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	transport := NewTransport(cfg)
	header := cfg.Header()
	esCfg := es7.Config{
		Addresses:     cfg.Endpoints,
		Username:      cfg.Username,
		Password:      cfg.Password,
		APIKey:        cfg.APIKey,
		Header:        header,
		Transport:     transport,
		RetryOnStatus: RetryOnStatus,
		MaxRetries:    MaxRetries,
		RetryBackoff:  RetryBackoff,
		// Elasticsearch 8 through this 7.x client: REST API compatibility
		// (compatible-with=7 media types), as Elastic's upgrade guide says.
		EnableCompatibilityMode: cfg.CompatibilityMode,
		// Check the X-Elastic-Product header on the first answer instead of
		// spending a GET / on it.
		UseResponseCheckOnly: true,
		Logger:               requestLogger{},
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

func wrapContext(method, path string, err error) error {
	return fmt.Errorf("%s %s: %w", method, path, err)
}

// do sends req and decodes a 2xx JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, req esapi.Request, method, path string, out any) error {
	ctx = c.logContext(ctx)
	res, err := req.Do(ctx, c.es)
	if err != nil {
		return TransportError(ctx, err, method, path, c.cfg)
	}
	defer func() { _ = res.Body.Close() }()
	if res.IsError() {
		return DecodeError(res.StatusCode, res.Body, method, path, c.cfg)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("decoding %s's answer to %s %s: %w", c.cfg.product(), method, path, err)
	}
	return nil
}

// CheckRepository implements optimize.Cluster.
func (c *Client) CheckRepository(ctx context.Context, repository string) error {
	req := esapi.SnapshotGetRepositoryRequest{Repository: []string{PathSegment(repository)}}
	var out RepositoryAnswer
	if err := c.do(ctx, req, http.MethodGet, "/_snapshot/"+repository, &out); err != nil {
		return err
	}
	return out.Names(repository, c.cfg)
}

// Indices implements optimize.Cluster with GET /_cat/indices/{pattern}.
func (c *Client) Indices(ctx context.Context, pattern string) ([]string, error) {
	req := esapi.CatIndicesRequest{Index: []string{PathSegment(pattern)}, Format: "json", H: []string{"index"}}
	var rows []struct {
		Index string `json:"index"`
	}
	if err := c.do(ctx, req, http.MethodGet, "/_cat/indices/"+pattern, &rows); err != nil {
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
	req := esapi.CatHealthRequest{Format: "json", H: []string{"epoch"}}
	var rows []CatEpoch
	if err := c.do(ctx, req, http.MethodGet, "/_cat/health", &rows); err != nil {
		return time.Time{}, err
	}
	return EpochTime(rows)
}

// Document implements optimize.Cluster.
func (c *Client) Document(ctx context.Context, index, id string) (map[string]any, error) {
	req := esapi.GetRequest{Index: PathSegment(index), DocumentID: PathSegment(id)}
	var doc DocumentAnswer
	if err := c.do(ctx, req, http.MethodGet, "/"+index+"/_doc/"+id, &doc); err != nil {
		return nil, err
	}
	return doc.Domain()
}

// CreateSnapshot implements optimize.Cluster. It refuses an empty index
// list, which Elasticsearch would take as every index of the cluster.
func (c *Client) CreateSnapshot(ctx context.Context, repository, name string, sr optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	body, err := CreateSnapshotBody(name, sr, c.cfg)
	if err != nil {
		return nil, err
	}
	wait := sr.Wait
	req := esapi.SnapshotCreateRequest{Repository: PathSegment(repository), Snapshot: PathSegment(name), Body: strings.NewReader(body), WaitForCompletion: &wait}
	var out struct {
		Snapshot *snapshotJSON `json:"snapshot"`
	}
	if err := c.do(ctx, req, http.MethodPut, snapshotPath(repository, name), &out); err != nil {
		return nil, err
	}
	if out.Snapshot == nil {
		return nil, nil
	}
	s := out.Snapshot.toDomain()
	return &s, nil
}

// Snapshots implements optimize.Cluster with one GET /_snapshot/{repo}/{pattern}.
func (c *Client) Snapshots(ctx context.Context, repository, pattern string) ([]optimize.Snapshot, error) {
	ignore := true
	req := esapi.SnapshotGetRequest{Repository: PathSegment(repository), Snapshot: []string{PathSegment(pattern)}, IgnoreUnavailable: &ignore}
	var out struct {
		Snapshots []snapshotJSON `json:"snapshots"`
	}
	if err := c.do(ctx, req, http.MethodGet, snapshotPath(repository, pattern), &out); err != nil {
		return nil, err
	}
	snaps := make([]optimize.Snapshot, len(out.Snapshots))
	for i, s := range out.Snapshots {
		snaps[i] = s.toDomain()
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
		if err := ExactSnapshotName(n); err != nil {
			return err
		}
	}
	escaped := make([]string, len(names))
	for i, n := range names {
		escaped[i] = PathSegment(n)
	}
	req := esapi.SnapshotDeleteRequest{Repository: PathSegment(repository), Snapshot: strings.Join(escaped, ",")}
	return c.do(ctx, req, http.MethodDelete, snapshotPath(repository, strings.Join(names, ",")), nil)
}

// maxPathLength keeps a DELETE of many indices within Elasticsearch's
// default 4 KB HTTP request line.
const maxPathLength = 3000

// DeleteIndices implements optimize.Cluster. Names are exact: a pattern,
// _all or an exclusion is refused, so that nothing but the named indices can
// go. Long lists are sent in several requests.
func (c *Client) DeleteIndices(ctx context.Context, names []string) error {
	batches, err := IndexBatches(names)
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

// ExactSnapshotName refuses a snapshot name that could delete more than
// itself: empty, a wildcard, a list, _all or an exclusion.
func ExactSnapshotName(n string) error {
	if n == "" || strings.ContainsAny(n, "*,") || n == "_all" || strings.HasPrefix(n, "-") {
		return fmt.Errorf("refusing to delete snapshot %q: only exact snapshot names are deleted", n)
	}
	return nil
}

// IndexBatch is one DELETE of indices: the names, and as escaped on the wire.
type IndexBatch struct{ Names, Escaped []string }

// IndexBatches splits exact index names into DELETE requests whose path
// fits maxPathLength. A pattern, _all or an exclusion is refused, so that
// nothing but the named indices can go.
func IndexBatches(names []string) ([]IndexBatch, error) {
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, "*,?") || n == "_all" || strings.HasPrefix(n, "-") || strings.HasPrefix(n, "_") {
			return nil, fmt.Errorf("refusing to delete index %q: only exact index names are deleted", n)
		}
	}
	var out []IndexBatch
	for len(names) > 0 {
		batch, length := 0, 0
		var escaped []string
		for batch < len(names) && (batch == 0 || length+len(PathSegment(names[batch]))+1 <= maxPathLength) {
			escaped = append(escaped, PathSegment(names[batch]))
			length += len(escaped[batch]) + 1
			batch++
		}
		out = append(out, IndexBatch{Names: names[:batch], Escaped: escaped})
		names = names[batch:]
	}
	return out, nil
}

// RestoreSnapshot implements optimize.Cluster: it restores exactly these
// indices of the snapshot, with their aliases, without the global state,
// waiting for completion. It refuses an empty index list, which
// Elasticsearch would take as every index of the snapshot.
func (c *Client) RestoreSnapshot(ctx context.Context, repository, name string, indices []string) (optimize.RestoreSnapshotResult, error) {
	body, err := RestoreBody(name, indices, c.cfg)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	wait := true
	req := esapi.SnapshotRestoreRequest{Repository: PathSegment(repository), Snapshot: PathSegment(name), Body: strings.NewReader(body), WaitForCompletion: &wait}
	var out RestoreJSON
	if err := c.do(ctx, req, http.MethodPost, snapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}

// snapshotPath is the path of a snapshot request as messages show it: with
// the names as written, not as escaped on the wire.
func snapshotPath(repository, name string) string {
	return "/_snapshot/" + repository + "/" + name
}

// snapshotJSON is a snapshot as GET /_snapshot and a waited create return it.
type snapshotJSON struct {
	Snapshot          string `json:"snapshot"`
	State             string `json:"state"`
	Reason            string `json:"reason"`
	Indices           []string
	StartTimeInMillis int64 `json:"start_time_in_millis"`
	EndTimeInMillis   int64 `json:"end_time_in_millis"`
	Failures          []struct {
		Index   string `json:"index"`
		ShardID int    `json:"shard_id"`
		Reason  string `json:"reason"`
		Status  string `json:"status"`
	} `json:"failures"`
	Shards struct {
		Total      int `json:"total"`
		Failed     int `json:"failed"`
		Successful int `json:"successful"`
	} `json:"shards"`
	Metadata map[string]any `json:"metadata"`
}

func (s snapshotJSON) toDomain() optimize.Snapshot {
	out := optimize.Snapshot{
		Name:             s.Snapshot,
		State:            s.State,
		Reason:           s.Reason,
		Indices:          s.Indices,
		ShardsTotal:      s.Shards.Total,
		ShardsFailed:     s.Shards.Failed,
		ShardsSuccessful: s.Shards.Successful,
		Metadata:         s.Metadata,
	}
	if s.StartTimeInMillis > 0 {
		out.StartTime = time.UnixMilli(s.StartTimeInMillis).UTC()
	}
	if s.EndTimeInMillis > 0 {
		out.EndTime = time.UnixMilli(s.EndTimeInMillis).UTC()
	}
	for _, f := range s.Failures {
		out.Failures = append(out.Failures, optimize.ShardFailure{Index: f.Index, Shard: f.ShardID, Reason: f.Reason, Status: f.Status})
	}
	return out
}
