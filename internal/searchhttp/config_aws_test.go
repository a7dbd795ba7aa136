// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp_test

import (
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp/searchhttptest"
)

// aws excludes the other authentication methods, names itself in messages,
// and its secrets join the masked values.
func TestConfigAWS(t *testing.T) {
	for _, cfg := range []searchhttp.Config{
		{Endpoints: []string{"https://x"}, AWS: searchhttptest.Signer{}, Username: "u", Password: "p"},
		{Endpoints: []string{"https://x"}, AWS: searchhttptest.Signer{}, APIKey: "k"},
		{Endpoints: []string{"https://x"}, AWS: searchhttptest.Signer{}, BearerToken: "b"},
	} {
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "aws (AWS Signature Version 4)") {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	cfg := searchhttp.Config{Endpoints: []string{"https://x"}, AWS: searchhttptest.Signer{}}
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
}
