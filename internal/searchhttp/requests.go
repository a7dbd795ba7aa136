// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// The requests both engines take alike: their bodies, and the exact names
// that a deletion is limited to.

// CreateSnapshotBody is the body of a snapshot of exactly sr.Indices. It
// refuses an empty index list, which the engine would take as every index
// of the cluster.
func CreateSnapshotBody(name string, sr optimize.SnapshotRequest, cfg Config) (string, error) {
	if len(sr.Indices) == 0 {
		return "", fmt.Errorf("refusing to create snapshot %s without indices: %s would snapshot every index", name, cfg.ProductName())
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
		return "", fmt.Errorf("refusing to restore snapshot %s without indices: %s would restore every index of it", name, cfg.ProductName())
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

// ExactSnapshotName refuses a snapshot name that could delete more than
// itself: empty, a wildcard, a list, _all or an exclusion.
func ExactSnapshotName(n string) error {
	if n == "" || strings.ContainsAny(n, "*,") || n == "_all" || strings.HasPrefix(n, "-") {
		return fmt.Errorf("refusing to delete snapshot %q: only exact snapshot names are deleted", n)
	}
	return nil
}

// maxPathLength keeps a DELETE of many indices within the engines' default
// 4 KB HTTP request line.
const maxPathLength = 3000

// IndexBatch is one DELETE of indices: the names, and as escaped on the wire.
type IndexBatch struct{ Names, Escaped []string }

// IndexBatches splits exact index names into DELETE requests whose path
// fits maxPathLength. A pattern, _all or an exclusion is refused, so that
// nothing but the named indices can go.
func IndexBatches(names []string) ([]IndexBatch, error) {
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, "*,?") || n == "_all" || strings.HasPrefix(n, "-") || strings.HasPrefix(n, "_") {
			return nil, fmt.Errorf("refusing to delete index %q: only exact index names are deleted", n)
		}
	}
	var out []IndexBatch
	for len(names) > 0 {
		batch, length := 0, 0
		var escaped []string
		for batch < len(names) && (batch == 0 || length+len(PathSegment(names[batch]))+1 <= maxPathLength) {
			escaped = append(escaped, PathSegment(names[batch]))
			length += len(escaped[batch]) + 1
			batch++
		}
		out = append(out, IndexBatch{Names: names[:batch], Escaped: escaped})
		names = names[batch:]
	}
	return out, nil
}
