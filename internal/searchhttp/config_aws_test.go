// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

type fakeSigner struct{}

func (fakeSigner) SignRequest(*http.Request) error { return nil }
func (fakeSigner) Describe() string {
	return "AWS Signature Version 4 with access key id AKIAX in region eu-west-1"
}
func (fakeSigner) Secrets() []string                                  { return []string{"the-secret", "the-token"} }
func (fakeSigner) Transport(next http.RoundTripper) http.RoundTripper { return next }

// aws excludes the other authentication methods, names itself in messages,
// and its secrets join the masked values.
func TestConfigAWS(t *testing.T) {
	for _, cfg := range []searchhttp.Config{
		{Endpoints: []string{"https://x"}, AWS: fakeSigner{}, Username: "u", Password: "p"},
		{Endpoints: []string{"https://x"}, AWS: fakeSigner{}, APIKey: "k"},
		{Endpoints: []string{"https://x"}, AWS: fakeSigner{}, BearerToken: "b"},
	} {
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "aws (AWS Signature Version 4)") {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	cfg := searchhttp.Config{Endpoints: []string{"https://x"}, AWS: fakeSigner{}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cfg.Credentials(), "AKIAX in region eu-west-1") {
		t.Errorf("credentials: %s", cfg.Credentials())
	}
	secrets := strings.Join(cfg.Secrets(), ",")
	if !strings.Contains(secrets, "the-secret") || !strings.Contains(secrets, "the-token") {
		t.Errorf("secrets: %s", secrets)
	}
	if _, err := elasticsearch.NewClient(cfg); err == nil || !strings.Contains(err.Error(), "Amazon OpenSearch Service") {
		t.Errorf("the Elasticsearch adapter with aws: %v", err)
	}
}
