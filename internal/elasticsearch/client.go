// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package elasticsearch is the adapter between the backup domain and
// Elasticsearch 7.17 (and 8.x in REST API compatibility mode): it builds the
// go-elasticsearch/v7 client and each request with it (esapi);
// internal/searchhttp does the rest (searchhttp.Cluster: the checks, the
// request log, the decoding of answers and errors), as for OpenSearch.
package elasticsearch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	es7 "github.com/elastic/go-elasticsearch/v7"
	"github.com/elastic/go-elasticsearch/v7/esapi"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Client talks to one Elasticsearch cluster. It implements optimize.Cluster
// (searchhttp.Cluster) with the requests of go-elasticsearch/v7.
type Client struct {
	*searchhttp.Cluster
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
	return &Client{searchhttp.NewCluster(cfg, requests{es: client})}, nil
}

// requests builds each request with go-elasticsearch/v7's esapi.
type requests struct{ es *es7.Client }

var _ searchhttp.Requests = requests{}

func (r requests) send(req esapi.Request) searchhttp.Send {
	return func(ctx context.Context) (int, io.ReadCloser, error) {
		res, err := req.Do(ctx, r.es)
		if err != nil {
			return 0, nil, err
		}
		return res.StatusCode, res.Body, nil
	}
}

func (r requests) GetRepository(repository string) searchhttp.Send {
	return r.send(esapi.SnapshotGetRepositoryRequest{Repository: []string{repository}})
}

func (r requests) CatIndices(pattern string) searchhttp.Send {
	return r.send(esapi.CatIndicesRequest{Index: []string{pattern}, Format: "json", H: []string{"index"}})
}

func (r requests) CatHealth() searchhttp.Send {
	return r.send(esapi.CatHealthRequest{Format: "json", H: []string{"epoch"}})
}

func (r requests) GetDocument(index, id string) searchhttp.Send {
	return r.send(esapi.GetRequest{Index: index, DocumentID: id})
}

func (r requests) CreateSnapshot(repository, name, body string, wait bool) searchhttp.Send {
	return r.send(esapi.SnapshotCreateRequest{Repository: repository, Snapshot: name, Body: strings.NewReader(body), WaitForCompletion: &wait})
}

func (r requests) GetSnapshots(repository, pattern string) searchhttp.Send {
	ignore := true
	return r.send(esapi.SnapshotGetRequest{Repository: repository, Snapshot: []string{pattern}, IgnoreUnavailable: &ignore})
}

func (r requests) DeleteSnapshots(repository string, names []string) searchhttp.Send {
	return r.send(esapi.SnapshotDeleteRequest{Repository: repository, Snapshot: strings.Join(names, ",")})
}

func (r requests) DeleteIndices(names []string) searchhttp.Send {
	return r.send(esapi.IndicesDeleteRequest{Index: names})
}

func (r requests) RestoreSnapshot(repository, name, body string) searchhttp.Send {
	wait := true
	return r.send(esapi.SnapshotRestoreRequest{Repository: repository, Snapshot: name, Body: strings.NewReader(body), WaitForCompletion: &wait})
}

func (r requests) CatIndexStats(pattern string) searchhttp.Send {
	return r.send(esapi.CatIndicesRequest{Index: []string{pattern}, Format: "json", H: []string{"index", "docs.count", "health"}})
}

func (r requests) SnapshotStatus(repository, name string) searchhttp.Send {
	return r.send(esapi.SnapshotStatusRequest{Repository: repository, Snapshot: []string{name}})
}

func (r requests) CatAllocation() searchhttp.Send {
	return r.send(esapi.CatAllocationRequest{Format: "json", Bytes: "b"})
}

func (r requests) ClusterSettingsDefaults() searchhttp.Send {
	yes := true
	return r.send(esapi.ClusterGetSettingsRequest{IncludeDefaults: &yes, FlatSettings: &yes})
}

func (r requests) UpdateAliases(body string) searchhttp.Send {
	return r.send(esapi.IndicesUpdateAliasesRequest{Body: strings.NewReader(body)})
}
