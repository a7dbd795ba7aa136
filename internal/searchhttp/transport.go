// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"time"
)

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
