// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// PathSegment escapes one path segment (a repository, snapshot or index
// name, or a pattern of them) so that Elasticsearch (and OpenSearch) reads
// back exactly s.
//
// go-elasticsearch/v7 writes a request's names into the path verbatim and
// hands that path to http.NewRequest, which percent-decodes it: a name
// "%61" would reach Elasticsearch as "a", and "a%b" would not parse at all.
// Elasticsearch splits the raw path on '/' and percent-decodes each segment
// (RestUtils.decodeComponent; '+' stays '+'). So every byte outside the
// unreserved set is sent percent-encoded, except '*' and ',', which
// Elasticsearch reads as wildcard and list separator whether encoded or not
// and which stay readable in logs that way. A segment "." or ".." is sent
// as "%2E" or "%2E%2E", so that nothing on the way resolves it as a
// relative path. The escaping itself is optimize.PathEscape, which the
// domain's request-line checks and messages use too.
func PathSegment(s string) string {
	return optimize.PathEscape(s)
}

// SnapshotPath is the path of a snapshot request as messages show it: with
// the names as written, not as escaped on the wire.
func SnapshotPath(repository, name string) string {
	return "/_snapshot/" + repository + "/" + name
}
