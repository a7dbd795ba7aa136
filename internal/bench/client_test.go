// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/elasticsearch"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

func newClient(b *testing.B, url string) *elasticsearch.Client {
	c, err := elasticsearch.NewClient(searchhttp.Config{Endpoints: []string{url}})
	if err != nil {
		b.Fatal(err)
	}
	return c
}
