// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package opensearch is the adapter between the backup domain and OpenSearch
// 2.x (Amazon OpenSearch Service too, with SigV4), beside
// internal/elasticsearch: go-elasticsearch refuses a server that is not
// Elasticsearch, so requests are built and sent by the OpenSearch project's
// own client (opensearch-go). What both engines share — the configuration,
// path escaping, the transport, the retry policy, the request log and its
// masking, the checks before a request, error and snapshot decoding
// (searchhttp.Cluster) — comes from internal/searchhttp, so the two
// adapters differ only in their client and how it builds each request.
package opensearch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"
	"github.com/opensearch-project/opensearch-go/v4/signer"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Client talks to one OpenSearch cluster. It implements optimize.Cluster
// (searchhttp.Cluster) with the requests of opensearch-go/v4.
type Client struct {
	*searchhttp.Cluster
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
	return &Client{searchhttp.NewCluster(cfg, requests{os: client})}, nil
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

// requests builds each request with opensearch-go/v4's opensearchapi.
type requests struct{ os *opensearch.Client }

var _ searchhttp.Requests = requests{}

// request is an opensearchapi request: it builds its *http.Request.
type request interface {
	GetRequest() (*http.Request, error)
}

func (r requests) send(req request) searchhttp.Send {
	return func(ctx context.Context) (int, io.ReadCloser, error) {
		httpReq, err := req.GetRequest()
		if err != nil {
			return 0, nil, &searchhttp.BuildError{Err: err}
		}
		res, err := r.os.Perform(httpReq.WithContext(ctx))
		if err != nil {
			return 0, nil, err
		}
		return res.StatusCode, res.Body, nil
	}
}

func (r requests) GetRepository(repository string) searchhttp.Send {
	return r.send(opensearchapi.SnapshotRepositoryGetReq{Repos: []string{repository}})
}

func (r requests) CatIndices(pattern string) searchhttp.Send {
	return r.send(opensearchapi.CatIndicesReq{Indices: []string{pattern}, Params: opensearchapi.CatIndicesParams{H: []string{"index"}}})
}

func (r requests) CatHealth() searchhttp.Send {
	return r.send(opensearchapi.CatHealthReq{Params: opensearchapi.CatHealthParams{H: []string{"epoch"}}})
}

func (r requests) GetDocument(index, id string) searchhttp.Send {
	return r.send(opensearchapi.DocumentGetReq{Index: index, DocumentID: id})
}

func (r requests) CreateSnapshot(repository, name, body string, wait bool) searchhttp.Send {
	return r.send(opensearchapi.SnapshotCreateReq{Repo: repository, Snapshot: name,
		Body: strings.NewReader(body), Params: opensearchapi.SnapshotCreateParams{WaitForCompletion: &wait}})
}

func (r requests) GetSnapshots(repository, pattern string) searchhttp.Send {
	ignore := true
	return r.send(opensearchapi.SnapshotGetReq{Repo: repository, Snapshots: []string{pattern},
		Params: opensearchapi.SnapshotGetParams{IgnoreUnavailable: &ignore}})
}

func (r requests) DeleteSnapshots(repository string, names []string) searchhttp.Send {
	return r.send(opensearchapi.SnapshotDeleteReq{Repo: repository, Snapshots: names})
}

func (r requests) DeleteIndices(names []string) searchhttp.Send {
	return r.send(opensearchapi.IndicesDeleteReq{Indices: names})
}

func (r requests) RestoreSnapshot(repository, name, body string) searchhttp.Send {
	wait := true
	return r.send(opensearchapi.SnapshotRestoreReq{Repo: repository, Snapshot: name,
		Body: strings.NewReader(body), Params: opensearchapi.SnapshotRestoreParams{WaitForCompletion: &wait}})
}

func (r requests) CatIndexStats(pattern string) searchhttp.Send {
	return r.send(opensearchapi.CatIndicesReq{Indices: []string{pattern}, Params: opensearchapi.CatIndicesParams{H: []string{"index", "docs.count", "health"}}})
}

func (r requests) SnapshotStatus(repository, name string) searchhttp.Send {
	return r.send(opensearchapi.SnapshotStatusReq{Repo: repository, Snapshots: []string{name}})
}

func (r requests) CatAllocation() searchhttp.Send {
	return r.send(opensearchapi.CatAllocationReq{Params: opensearchapi.CatAllocationParams{Bytes: "b"}})
}

func (r requests) ClusterSettingsDefaults() searchhttp.Send {
	yes := true
	return r.send(opensearchapi.ClusterGetSettingsReq{Params: opensearchapi.ClusterGetSettingsParams{IncludeDefaults: &yes, FlatSettings: &yes}})
}

func (r requests) UpdateAliases(body string) searchhttp.Send {
	return r.send(opensearchapi.AliasesReq{Body: strings.NewReader(body)})
}
