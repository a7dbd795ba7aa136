// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package searchhttptest is the test suite that every search engine adapter
// passes (internal/elasticsearch, internal/opensearch): Run drives one
// adapter through optimize.Cluster against httptest servers that answer as
// its engine does, and checks the requests it sends, the answers it decodes,
// the errors it returns, its retries, its TLS and its request log. Each
// adapter's tests run it, so each adapter answers for itself; so do
// internal/searchhttp's, for the layer they share.
package searchhttptest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/opensearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Adapter is one adapter under the suite.
type Adapter struct {
	// Product names the engine as the adapter's messages do.
	Product string
	// New builds the adapter's client.
	New func(searchhttp.Config) (optimize.Cluster, error)
	// Header is what the engine adds to every answer (beyond a JSON
	// Content-Type), such as a product header the client checks.
	Header http.Header
	// APIKeys: the engine takes api_key (OpenSearch's security plugin has
	// none, and its adapter refuses one).
	APIKeys bool
	// AWS: the adapter signs with elasticsearch.aws (Amazon OpenSearch
	// Service's domains are OpenSearch; the Elasticsearch adapter refuses it).
	AWS bool
}

// Elasticsearch is the go-elasticsearch/v7 adapter: answers carry the
// X-Elastic-Product header the client insists on.
var Elasticsearch = Adapter{
	Product: "Elasticsearch",
	New: func(cfg searchhttp.Config) (optimize.Cluster, error) {
		return cluster(elasticsearch.NewClient(cfg))
	},
	Header:  http.Header{"X-Elastic-Product": {"Elasticsearch"}},
	APIKeys: true,
}

// OpenSearch is the opensearch-go/v4 adapter: OpenSearch 2.x answers
// without X-Elastic-Product.
var OpenSearch = Adapter{
	Product: "OpenSearch",
	New: func(cfg searchhttp.Config) (optimize.Cluster, error) {
		return cluster(opensearch.NewClient(cfg))
	},
	AWS: true,
}

// cluster is an adapter's client as optimize.Cluster: nil when it is
// refused, not an interface holding a nil pointer.
func cluster[C optimize.Cluster](c C, err error) (optimize.Cluster, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Adapters are every adapter.
var Adapters = []Adapter{Elasticsearch, OpenSearch}

// cases are the suite's, in the order Run runs them.
var cases = []struct {
	name string
	test func(*testing.T, Adapter)
}{
	{"NewClientRefusesABadConfiguration", newClientRefusesABadConfiguration},
	{"NewClientTakesWhatTheEngineTakes", newClientTakesWhatTheEngineTakes},
	{"RequestsSentAreExact", requestsSentAreExact},
	{"DeleteIndicesSplitsLongLists", deleteIndicesSplitsLongLists},
	{"AnswersDecodeIntoTheDomain", answersDecodeIntoTheDomain},
	{"CheckRepositoryNeedsTheAnswerToNameIt", checkRepositoryNeedsTheAnswerToNameIt},
	{"ErrorsCarryTypeReasonAndMapToTheDomain", errorsCarryTypeReasonAndMapToTheDomain},
	{"UnauthorizedNamesTheCredentialsNotTheirValues", unauthorizedNamesTheCredentialsNotTheirValues},
	{"UnreachableNamesTheEndpoint", unreachableNamesTheEndpoint},
	{"RetriesOverloadAndGatewayErrors", retriesOverloadAndGatewayErrors},
	{"LogsRequestsWithoutSecrets", logsRequestsWithoutSecrets},
	{"TLSTrustsTheConfiguredCA", tlsTrustsTheConfiguredCA},
}

// Run runs the whole suite against a, each case a subtest.
func Run(t *testing.T, a Adapter) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.test(t, a) })
	}
}

// handler answers as a's engine: its headers and a JSON Content-Type with a
// charset on every answer, before f writes the rest.
func (a Adapter) handler(f func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range a.Header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		f(w, r)
	})
}

// client is a's client of a server with handler h, and the configuration
// it was built with (after mutate).
func (a Adapter) client(t *testing.T, h http.Handler, mutate ...func(*searchhttp.Config)) (optimize.Cluster, searchhttp.Config) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := searchhttp.Config{Endpoints: []string{srv.URL}}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := a.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, cfg
}

// recorder keeps every request as "METHOD escaped-path?query body".
type recorder struct {
	mu      sync.Mutex
	got     []string
	headers []http.Header
}

func (rec *recorder) record(r *http.Request) {
	buf := new(bytes.Buffer)
	_, _ = buf.ReadFrom(r.Body)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.got = append(rec.got, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery+" "+buf.String())
	rec.headers = append(rec.headers, r.Header.Clone())
}

// Signer is a searchhttp.RequestSigner that signs nothing, for tests of
// what the configuration does with one: its description names an access
// key id and a region, and it has two secrets.
type Signer struct{}

// SignRequest leaves the request as it is.
func (Signer) SignRequest(*http.Request) error { return nil }

// Describe names the credentials, as an AWS signer does.
func (Signer) Describe() string {
	return "AWS Signature Version 4 with access key id AKIAX in region eu-west-1"
}

// Secrets are a secret key and a session token.
func (Signer) Secrets() []string { return []string{"the-secret", "the-token"} }

// Transport is next.
func (Signer) Transport(next http.RoundTripper) http.RoundTripper { return next }
