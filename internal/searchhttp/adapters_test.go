// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp_test

import (
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp/searchhttptest"
)

// The layer both adapters share, through each of them.
func TestAdapters(t *testing.T) {
	for _, a := range searchhttptest.Adapters {
		t.Run(a.Product, func(t *testing.T) { searchhttptest.Run(t, a) })
	}
}
