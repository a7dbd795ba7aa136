// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package searchhttp is the HTTP layer that the search engine adapters
// (internal/elasticsearch, internal/opensearch) stand on: how to reach and
// authenticate to a cluster (Config), the transport and its TLS, the retry
// policy, the request log with every secret masked, the typed errors that
// error answers and failed connections decode into, path escaping, the JSON
// of the requests and answers both engines share, and Cluster, which
// implements optimize.Cluster over an adapter's Requests. The adapters
// differ only in the client that builds and sends the requests.
package searchhttp

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Config is how to reach and authenticate to the search engine
// (Elasticsearch or OpenSearch), as the elasticsearch block and the
// ELASTICSEARCH_* environment variables say.
type Config struct {
	Endpoints   []string
	Username    string
	Password    string
	APIKey      string // base64 of "id:api_key", as Elasticsearch's ApiKey header takes it
	BearerToken string
	CACert      []byte // PEM
	Insecure    bool
	Headers     map[string]string
	UserAgent   string

	// AWS, when set, signs every request with AWS Signature Version 4 for
	// Amazon OpenSearch Service (internal/awsauth); it excludes the other
	// authentication methods, and works with OpenSearch only.
	AWS RequestSigner

	// Product names the engine in messages: "Elasticsearch" (the default)
	// or "OpenSearch".
	Product string
	// CompatibilityMode sends Elasticsearch 8's compatible-with=7 media
	// types (REST API compatibility), for this 7.x client.
	CompatibilityMode bool
}

// ProductName is the engine as messages name it: Product, or
// "Elasticsearch" when empty.
func (c Config) ProductName() string {
	if c.Product == "" {
		return "Elasticsearch"
	}
	return c.Product
}

// Validate reports a configuration that cannot work, before any request.
func (c Config) Validate() error {
	var errs []error
	if len(c.Endpoints) == 0 {
		errs = append(errs, errors.New("no Elasticsearch endpoint is configured: set elasticsearch.endpoints or ELASTICSEARCH_ENDPOINTS (for example http://localhost:9200)"))
	}
	for _, e := range c.Endpoints {
		if err := ValidateEndpoint(e); err != nil {
			errs = append(errs, err)
		}
	}
	var methods []string
	if c.Username != "" || c.Password != "" {
		methods = append(methods, "username/password")
		if c.Username == "" {
			errs = append(errs, errors.New("a password is set without a username: set elasticsearch.username or ELASTICSEARCH_USERNAME"))
		}
	}
	if c.APIKey != "" {
		methods = append(methods, "api_key")
	}
	if c.BearerToken != "" {
		methods = append(methods, "bearer_token")
	}
	if c.AWS != nil {
		methods = append(methods, "aws (AWS Signature Version 4)")
	}
	if len(methods) > 1 {
		errs = append(errs, fmt.Errorf("more than one authentication method is configured (%s), from the elasticsearch block or the ELASTICSEARCH_* environment variables: keep exactly one", strings.Join(methods, ", ")))
	}
	if len(c.CACert) > 0 && !x509.NewCertPool().AppendCertsFromPEM(c.CACert) {
		errs = append(errs, errors.New("the CA certificate (ca_file or ca_data) holds no PEM-encoded certificate"))
	}
	return errors.Join(errs...)
}

// RequestSigner signs requests (AWS Signature Version 4).
type RequestSigner interface {
	SignRequest(*http.Request) error
	// Describe says which credentials and region sign, never a secret.
	Describe() string
	// Secrets are values never to log (the secret key, the session token).
	Secrets() []string
	// Transport signs every request before next sends it.
	Transport(next http.RoundTripper) http.RoundTripper
}

// ValidateEndpoint checks that e is an absolute http or https URL.
func ValidateEndpoint(e string) error {
	u, err := url.Parse(e)
	if err != nil {
		return fmt.Errorf("endpoint %q is not a valid URL: %w", e, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("endpoint %q must start with http:// or https://", e)
	}
	if u.Host == "" {
		return fmt.Errorf("endpoint %q has no host", e)
	}
	if u.User != nil {
		return fmt.Errorf("endpoint %q carries credentials in the URL: use username and password instead", u.Redacted())
	}
	return nil
}

// Credentials says which credentials are in use, never their values.
func (c Config) Credentials() string {
	switch {
	case c.AWS != nil:
		return c.AWS.Describe()
	case c.APIKey != "":
		return "an API key (api_key)"
	case c.BearerToken != "":
		return "a bearer token (bearer_token)"
	case c.Username != "":
		return fmt.Sprintf("basic authentication as user %q", c.Username)
	case c.authorizationHeader():
		return "the Authorization header of elasticsearch.headers"
	default:
		return "no credentials"
	}
}

func (c Config) authorizationHeader() bool {
	for k := range c.Headers {
		if strings.EqualFold(k, "Authorization") {
			return true
		}
	}
	return false
}

// Secrets are the values that must never be logged: the password and the
// basic-auth credentials built from it, the API key, the bearer token, and
// every header value and the credential in it (headers often carry an
// Authorization).
func (c Config) Secrets() []string {
	var s []string
	add := func(v string) {
		if v != "" {
			s = append(s, v)
		}
	}
	add(c.Password)
	if c.Password != "" {
		add(base64.StdEncoding.EncodeToString([]byte(c.Username + ":" + c.Password)))
	}
	add(c.APIKey)
	add(c.BearerToken)
	if c.AWS != nil {
		for _, v := range c.AWS.Secrets() {
			add(v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
		v := c.Headers[k]
		add(v)
		// "ApiKey <key>", "Bearer <token>": the credential alone, too.
		if _, cred, ok := strings.Cut(v, " "); ok {
			add(strings.TrimSpace(cred))
		}
	}
	return s
}
