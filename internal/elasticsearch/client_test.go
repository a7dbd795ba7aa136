// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch_test

import (
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp/searchhttptest"
)

// The suite every search engine adapter passes.
func TestAdapter(t *testing.T) {
	searchhttptest.Run(t, searchhttptest.Elasticsearch)
}
