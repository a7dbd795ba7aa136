// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package engine finds out which search engine answers at the configured
// endpoints (GET /, once) and hands the domain the adapter for it:
// internal/elasticsearch for Elasticsearch 7.17 and 8.x (8.x in REST API
// compatibility mode), internal/opensearch for OpenSearch 2.x. Anything
// else is refused with an error that says what answered.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/opensearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Supported says which engines the provider works with, for messages.
const Supported = "Elasticsearch 7.17, Elasticsearch 8.x and OpenSearch 2.x"

// Info is what GET / said.
type Info struct {
	Product string // "Elasticsearch" or "OpenSearch"
	Version string // as reported, e.g. 8.17.0
	Major   int
	Minor   int
}

func (i Info) String() string { return i.Product + " " + i.Version }

// UnsupportedError is an engine, or a server, the provider does not work with.
type UnsupportedError struct {
	Endpoints []string
	Found     string // what answered, in words
	Hint      string // what to do, when not the general advice
}

func (e *UnsupportedError) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("%s at %s: %s", e.Found, strings.Join(e.Endpoints, ", "), e.Hint)
	}
	return fmt.Sprintf("%s at %s: the optimize provider works with %s. Point elasticsearch.endpoints at a supported cluster",
		e.Found, strings.Join(e.Endpoints, ", "), Supported)
}

// rootAnswer is GET / of Elasticsearch and OpenSearch.
type rootAnswer struct {
	Version struct {
		Distribution string `json:"distribution"`
		Number       string `json:"number"`
		BuildFlavor  string `json:"build_flavor"`
	} `json:"version"`
	Tagline string `json:"tagline"`
}

// Detect asks GET / which engine answers, with the configuration's
// transport and credentials. Like the clients, it fails over: an endpoint
// that cannot be reached, or answers 429, 502, 503 or 504, passes the
// question to the next one; when none answered, the round is tried again
// (the clients' retries and backoff). It follows no redirect: credentials
// would go to another address (https to http, or another port).
func Detect(ctx context.Context, cfg searchhttp.Config) (Info, error) {
	if err := cfg.Validate(); err != nil {
		return Info{}, err
	}
	client := &http.Client{
		Transport:     transportWithCA(cfg),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		var unreachable []error
		for _, endpoint := range cfg.Endpoints {
			info, next, err := detectOnce(ctx, client, cfg, endpoint)
			if err == nil || !next {
				return info, err
			}
			lastErr = err
			if ctx.Err() != nil {
				return Info{}, lastErr
			}
			var u *searchhttp.UnreachableError
			if errors.As(err, &u) {
				unreachable = append(unreachable, u.Err)
			}
		}
		if len(unreachable) == len(cfg.Endpoints) && len(cfg.Endpoints) > 1 {
			// Not one endpoint could be reached: say so of all of them,
			// each with its own reason.
			reasons := make([]any, len(unreachable))
			for i, u := range unreachable {
				reasons[i] = u
			}
			lastErr = &searchhttp.UnreachableError{Endpoints: cfg.Endpoints, Product: "the search engine",
				Err: fmt.Errorf(strings.TrimSuffix(strings.Repeat("%w; ", len(reasons)), "; "), reasons...)}
		}
		if attempt >= searchhttp.MaxRetries {
			return Info{}, lastErr
		}
		select {
		case <-ctx.Done():
			return Info{}, lastErr
		case <-time.After(searchhttp.RetryBackoff(attempt + 1)):
		}
	}
}

// RedirectError: GET / answered with a redirect, which the provider does
// not follow.
type RedirectError struct {
	Endpoint, Location string
	Status             int
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("GET / at %s answered %d %s with Location: %q; the provider follows no redirect (it would send the credentials to another address): set elasticsearch.endpoints to the address that answers itself",
		e.Endpoint, e.Status, http.StatusText(e.Status), e.Location)
}

// detectOnce asks one endpoint. next says whether another endpoint (or
// another round) may answer instead: the endpoint could not be reached, or
// answered a status the clients retry.
func detectOnce(ctx context.Context, client *http.Client, cfg searchhttp.Config, endpoint string) (Info, bool, error) {
	url := strings.TrimSuffix(endpoint, "/") + "/"
	req, err := http.NewRequestWithContext(searchhttp.LogContext(ctx, cfg), http.MethodGet, url, nil)
	if err != nil {
		return Info{}, false, err
	}
	cfg.Authorize(req)
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	res, err := client.Do(req)
	_ = searchhttp.RequestLogger{}.LogRoundTrip(req, res, err, start, time.Since(start))
	if err != nil {
		cfg.Product = "the search engine"
		cfg.Endpoints = []string{endpoint}
		return Info{}, true, searchhttp.TransportError(ctx, err, http.MethodGet, "/", cfg)
	}
	defer func() { _ = res.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		return Info{}, false, &RedirectError{Endpoint: endpoint, Status: res.StatusCode, Location: res.Header.Get("Location")}
	}
	if res.StatusCode >= 300 {
		retry := false
		for _, s := range searchhttp.RetryOnStatus {
			retry = retry || s == res.StatusCode
		}
		switch {
		case res.Header.Get("X-Elastic-Product") == "Elasticsearch":
			cfg.Product = "Elasticsearch"
		case strings.Contains(res.Header.Get("WWW-Authenticate"), "OpenSearch"):
			cfg.Product = "OpenSearch"
		default:
			cfg.Product = "the search engine"
		}
		return Info{}, retry, searchhttp.DecodeError(res.StatusCode, strings.NewReader(string(body)), http.MethodGet, "/", cfg)
	}
	info, err := Identify(res.Header, body)
	if err != nil {
		err = &UnsupportedError{Endpoints: []string{endpoint}, Found: err.Error()}
	}
	return info, false, err
}

// Identify reads GET /'s answer: its headers and body. It returns what
// answered, or an error in words saying what answered instead.
func Identify(header http.Header, body []byte) (Info, error) {
	var root rootAnswer
	if err := json.Unmarshal(body, &root); err != nil || root.Version.Number == "" {
		server := header.Get("Server")
		if server != "" {
			server = " (Server: " + server + ")"
		}
		return Info{}, fmt.Errorf("a server that is not a search engine answered GET /%s with %s", server, describe(header, body))
	}
	product := "Elasticsearch"
	if strings.EqualFold(root.Version.Distribution, "opensearch") || strings.Contains(root.Tagline, "OpenSearch") {
		product = "OpenSearch"
	}
	info := Info{Product: product, Version: root.Version.Number}
	parts := strings.SplitN(root.Version.Number, ".", 3)
	info.Major, _ = strconv.Atoi(parts[0])
	if len(parts) > 1 {
		info.Minor, _ = strconv.Atoi(parts[1])
	}
	switch {
	case product == "OpenSearch" && root.Version.Distribution == "":
		// compatibility.override_main_response_version: OpenSearch 1.x and
		// 2.x then claim Elasticsearch 7.10.2 and hide their own version.
		return info, fmt.Errorf("OpenSearch reporting version %s (compatibility.override_main_response_version is on, so its own version is hidden); turn that setting off so the provider can tell which OpenSearch it is", root.Version.Number)
	case product == "OpenSearch" && info.Major == 2:
		return info, nil
	case product == "Elasticsearch" && header.Get("X-Elastic-Product") != "Elasticsearch" && info.Major >= 7 && (info.Major > 7 || info.Minor >= 14):
		return info, fmt.Errorf("a server claiming Elasticsearch %s without the X-Elastic-Product header that Elasticsearch sends since 7.14", root.Version.Number)
	case product == "Elasticsearch" && (info.Major == 7 && info.Minor == 17 || info.Major == 8):
		return info, nil
	}
	return info, fmt.Errorf("%s %s answered, a version the provider does not support", product, root.Version.Number)
}

func describe(header http.Header, body []byte) string {
	ct := header.Get("Content-Type")
	if ct == "" {
		ct = "no Content-Type"
	}
	text := strings.Join(strings.Fields(string(body)), " ")
	if len(text) > 120 {
		text = text[:120] + "..."
	}
	return fmt.Sprintf("%s: %q", ct, text)
}

func transportWithCA(cfg searchhttp.Config) http.RoundTripper {
	t := searchhttp.NewTransport(cfg)
	if len(cfg.CACert) > 0 {
		searchhttp.TrustCA(t, cfg.CACert)
	}
	if cfg.AWS != nil {
		// Amazon OpenSearch Service with IAM answers no unsigned request,
		// GET / included.
		return cfg.AWS.Transport(t)
	}
	return t
}

// New returns the adapter for the engine that answers: Elasticsearch 7.17
// or 8.x (in compatibility mode) through go-elasticsearch, OpenSearch 2.x
// through opensearch-go.
func New(info Info, cfg searchhttp.Config) (optimize.Cluster, error) {
	if cfg.AWS != nil && info.Product != "OpenSearch" {
		return nil, &UnsupportedError{Endpoints: cfg.Endpoints, Found: info.String() + " answered a request signed for Amazon OpenSearch Service (elasticsearch.aws)",
			Hint: "with aws, the provider works with Amazon OpenSearch Service's OpenSearch 2.x domains only (its Elasticsearch 7.10 domains are below the supported 7.17): point elasticsearch.endpoints at an OpenSearch domain, or remove the aws block"}
	}
	switch info.Product {
	case "OpenSearch":
		return opensearch.NewClient(cfg)
	default:
		cfg.CompatibilityMode = info.Major == 8
		return elasticsearch.NewClient(cfg)
	}
}

// Cluster is an optimize.Cluster that finds out the engine on its first
// request (one GET /) and from then on hands every call to the adapter
// for it. A failed detection is tried again by the next call.
type Cluster struct {
	cfg searchhttp.Config

	mu      sync.Mutex
	info    Info
	cluster optimize.Cluster
}

// NewCluster validates cfg and returns a Cluster that detects the engine
// when first used.
func NewCluster(cfg searchhttp.Config) (*Cluster, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Cluster{cfg: cfg}, nil
}

// Engine returns the engine found, once a request was made.
func (c *Cluster) Engine() (Info, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info, c.cluster != nil
}

// Connect detects the engine now, unless it already was: it reports what
// answers, or why nothing usable does (unreachable, refused, an engine the
// provider does not work with, Elasticsearch behind elasticsearch.aws). A
// plan calls it before it says what an apply will do.
func (c *Cluster) Connect(ctx context.Context) (Info, error) {
	if _, err := c.get(ctx); err != nil {
		return Info{}, err
	}
	info, _ := c.Engine()
	return info, nil
}

func (c *Cluster) get(ctx context.Context) (optimize.Cluster, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cluster != nil {
		return c.cluster, nil
	}
	info, err := Detect(ctx, c.cfg)
	if err != nil {
		return nil, err
	}
	cluster, err := New(info, c.cfg)
	var unsupported *UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		return nil, err // it names what answered
	case err != nil:
		return nil, fmt.Errorf("%s: %w", info, err)
	}
	c.info, c.cluster = info, cluster
	return cluster, nil
}

// CheckRepository implements optimize.Cluster.
func (c *Cluster) CheckRepository(ctx context.Context, repository string) error {
	cl, err := c.get(ctx)
	if err != nil {
		return err
	}
	return cl.CheckRepository(ctx, repository)
}

// Indices implements optimize.Cluster.
func (c *Cluster) Indices(ctx context.Context, pattern string) ([]string, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	return cl.Indices(ctx, pattern)
}

// Document implements optimize.Cluster.
func (c *Cluster) Document(ctx context.Context, index, id string) (map[string]any, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	return cl.Document(ctx, index, id)
}

// CreateSnapshot implements optimize.Cluster.
func (c *Cluster) CreateSnapshot(ctx context.Context, repository, name string, req optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	return cl.CreateSnapshot(ctx, repository, name, req)
}

// Snapshots implements optimize.Cluster.
func (c *Cluster) Snapshots(ctx context.Context, repository, pattern string) ([]optimize.Snapshot, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	return cl.Snapshots(ctx, repository, pattern)
}

// DeleteSnapshots implements optimize.Cluster.
func (c *Cluster) DeleteSnapshots(ctx context.Context, repository string, names []string) error {
	cl, err := c.get(ctx)
	if err != nil {
		return err
	}
	return cl.DeleteSnapshots(ctx, repository, names)
}

// DeleteIndices implements optimize.Cluster.
func (c *Cluster) DeleteIndices(ctx context.Context, names []string) error {
	cl, err := c.get(ctx)
	if err != nil {
		return err
	}
	return cl.DeleteIndices(ctx, names)
}

// RestoreSnapshot implements optimize.Cluster.
func (c *Cluster) RestoreSnapshot(ctx context.Context, repository, name string, indices []string) (optimize.RestoreSnapshotResult, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return cl.RestoreSnapshot(ctx, repository, name, indices)
}

var _ optimize.Cluster = (*Cluster)(nil)

// ClusterTime implements optimize.ClusterClock.
func (c *Cluster) ClusterTime(ctx context.Context) (time.Time, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return time.Time{}, err
	}
	clock, ok := cl.(optimize.ClusterClock)
	if !ok {
		return time.Now(), nil
	}
	return clock.ClusterTime(ctx)
}
