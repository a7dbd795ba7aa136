// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// What every adapter of the Elasticsearch API family shares (this one and
// internal/opensearch): the HTTP transport, the headers, the retry policy,
// the request log with its masking, error decoding and snapshot decoding.

// Retries: 429, 502, 503 and 504 answers are tried again up to three times
// with exponential backoff (100 ms, 200 ms, 400 ms).
var (
	RetryOnStatus = []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}
	MaxRetries    = 3
)

// RetryBackoff is the wait before retry attempt (1, 2, 3).
func RetryBackoff(attempt int) time.Duration {
	return time.Duration(100<<(attempt-1)) * time.Millisecond
}

// NewTransport is the HTTP transport of a configuration: Go's default with
// room for Terraform's parallelism, and the TLS verification it asks for
// (the CA itself is given to the clients, which build the pool).
func NewTransport(cfg Config) *http.Transport {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// Terraform refreshes 10 resources at once by default: keep that many
	// connections open instead of Go's default of 2 idle per host, so that
	// a parallel refresh does not reconnect (and redo TLS) for most reads.
	transport.MaxIdleConnsPerHost = 16
	if cfg.Insecure {
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it with insecure = true
	}
	return transport
}

// Header is the header sent with every request: the configured headers, the
// bearer token and the User-Agent. Basic authentication and API keys are
// set by the clients.
func (c Config) Header() http.Header {
	header := http.Header{}
	for k, v := range c.Headers {
		header.Set(k, v)
	}
	if c.BearerToken != "" {
		header.Set("Authorization", "Bearer "+c.BearerToken)
	}
	if c.UserAgent != "" {
		header.Set("User-Agent", c.UserAgent)
	}
	return header
}

// Authorize sets every header of the configuration on a request made
// without a client (the engine detection's GET /): Header, and basic
// authentication or the API key.
func (c Config) Authorize(req *http.Request) {
	for k, v := range c.Header() {
		req.Header[k] = v
	}
	switch {
	case c.APIKey != "":
		req.Header.Set("Authorization", "ApiKey "+c.APIKey)
	case c.Username != "":
		req.SetBasicAuth(c.Username, c.Password)
	}
}

// LogContext adds the request log's subsystem to ctx and masks every secret
// of cfg in the provider's and the subsystem's output.
func LogContext(ctx context.Context, cfg Config) context.Context {
	return (&Client{cfg: cfg}).logContext(ctx)
}

// RequestLogger logs one line per request (method, path, status, duration),
// never headers or bodies; both go-elasticsearch's and opensearch-go's
// transports take it.
type RequestLogger = requestLogger

// TransportError turns an error of a transport (no answer) into the
// domain's: a certificate that cannot be verified, or an unreachable
// cluster; ctx's own error when it ended.
func TransportError(ctx context.Context, err error, method, path string, cfg Config) error {
	if ctx.Err() != nil {
		return wrapContext(method, path, ctx.Err())
	}
	if certErr := certificateError(err, cfg.Endpoints, cfg.CACert); certErr != nil {
		return certErr
	}
	return &UnreachableError{Endpoints: cfg.Endpoints, Product: cfg.product(), Err: err}
}

// SnapshotJSON is a snapshot as the get snapshots API and a waited create
// write it.
type SnapshotJSON = snapshotJSON

// Domain is the snapshot in the domain's terms.
func (s snapshotJSON) Domain() optimize.Snapshot { return s.toDomain() }

// RestoreJSON is the answer of a restore waited for.
type RestoreJSON struct {
	Snapshot struct {
		Indices []string `json:"indices"`
		Shards  struct {
			Total      int `json:"total"`
			Failed     int `json:"failed"`
			Successful int `json:"successful"`
		} `json:"shards"`
	} `json:"snapshot"`
}

// Domain is the restore in the domain's terms.
func (r RestoreJSON) Domain() optimize.RestoreSnapshotResult {
	return optimize.RestoreSnapshotResult{
		Indices:          r.Snapshot.Indices,
		ShardsTotal:      r.Snapshot.Shards.Total,
		ShardsFailed:     r.Snapshot.Shards.Failed,
		ShardsSuccessful: r.Snapshot.Shards.Successful,
	}
}

// TrustCA makes transport trust only the PEM certificates of caPEM (as
// go-elasticsearch does with its CACert).
func TrustCA(transport *http.Transport, caPEM []byte) {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	if transport.TLSClientConfig == nil {
		transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	transport.TLSClientConfig.RootCAs = pool
}

// RepositoryAnswer is the answer of GET /_snapshot/{repository}.
type RepositoryAnswer map[string]json.RawMessage

// Names checks that the answer names the repository: the engine trims the
// names of the list it is given and answers an empty list with every
// repository, so only an answer that names this one says that it exists.
func (a RepositoryAnswer) Names(repository string, cfg Config) error {
	if _, ok := a[repository]; !ok {
		return fmt.Errorf("the answer of %s to GET /_snapshot/%s does not name repository [%s]: %w", cfg.product(), repository, repository, optimize.ErrRepositoryMissing)
	}
	return nil
}

// DocumentAnswer is the answer of GET /{index}/_doc/{id}.
type DocumentAnswer struct {
	Found  bool           `json:"found"`
	Source map[string]any `json:"_source"`
}

// Domain is the document's source, or optimize.ErrNotFound.
func (d DocumentAnswer) Domain() (map[string]any, error) {
	if !d.Found {
		return nil, optimize.ErrNotFound
	}
	return d.Source, nil
}

// CreateSnapshotBody is the body of a snapshot of exactly sr.Indices. It
// refuses an empty index list, which the engine would take as every index
// of the cluster.
func CreateSnapshotBody(name string, sr optimize.SnapshotRequest, cfg Config) (string, error) {
	if len(sr.Indices) == 0 {
		return "", fmt.Errorf("refusing to create snapshot %s without indices: %s would snapshot every index", name, cfg.product())
	}
	body, err := json.Marshal(map[string]any{
		"indices":              sr.Indices,
		"ignore_unavailable":   false,
		"include_global_state": false,
		"partial":              false,
		"metadata":             sr.Metadata,
	})
	return string(body), err
}

// RestoreBody is the body of a restore of exactly these indices of a
// snapshot, with their aliases, without the global state. It refuses an
// empty index list, which the engine would take as every index of it.
func RestoreBody(name string, indices []string, cfg Config) (string, error) {
	if len(indices) == 0 {
		return "", fmt.Errorf("refusing to restore snapshot %s without indices: %s would restore every index of it", name, cfg.product())
	}
	body, err := json.Marshal(map[string]any{
		"indices":              indices,
		"ignore_unavailable":   false,
		"include_aliases":      true,
		"include_global_state": false,
		"partial":              false,
	})
	return string(body), err
}

// CatEpoch is a row of GET _cat/health?format=json&h=epoch.
type CatEpoch struct {
	Epoch string `json:"epoch"`
}

// EpochTime is the time of the one row of a _cat/health answer.
func EpochTime(rows []CatEpoch) (time.Time, error) {
	if len(rows) != 1 {
		return time.Time{}, fmt.Errorf("GET _cat/health answered %d rows, want one", len(rows))
	}
	n, err := strconv.ParseInt(rows[0].Epoch, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("GET _cat/health answered epoch %q, not seconds", rows[0].Epoch)
	}
	return time.Unix(n, 0), nil
}
