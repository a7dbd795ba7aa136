// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

var _ optimize.TargetCluster = (*Cluster)(nil)

// RestoreRenamedAs implements optimize.TargetCluster: exactly these indices
// of the snapshot, each renamed, without aliases (include_aliases false:
// the snapshot's aliases are the source installation's, and restoring them
// would add the copies to the source's aliases) and without the global
// state; the index settings as snapshotted. Waited for.
func (c *Cluster) RestoreRenamedAs(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string) (optimize.RestoreSnapshotResult, error) {
	if len(indices) == 0 {
		return optimize.RestoreSnapshotResult{}, fmt.Errorf("refusing to restore snapshot %s without indices: %s would restore every index of it", name, c.cfg.ProductName())
	}
	body, err := json.Marshal(map[string]any{
		"indices":              indices,
		"ignore_unavailable":   false,
		"include_aliases":      false,
		"include_global_state": false,
		"partial":              false,
		"rename_pattern":       renamePattern,
		"rename_replacement":   replacement,
	})
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	send := c.requests.RestoreSnapshot(PathSegment(repository), PathSegment(name), string(body))
	var out RestoreJSON
	if err := c.do(ctx, send, http.MethodPost, SnapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}

// AddAliases implements optimize.TargetCluster with one POST /_aliases:
// an add action per alias, is_write_index as given. The engine applies
// all of them or none.
func (c *Cluster) AddAliases(ctx context.Context, aliases []optimize.AliasAdd) error {
	if len(aliases) == 0 {
		return nil
	}
	type add struct {
		Index      string `json:"index"`
		Alias      string `json:"alias"`
		WriteIndex bool   `json:"is_write_index"`
	}
	actions := make([]map[string]add, len(aliases))
	for i, a := range aliases {
		actions[i] = map[string]add{"add": {Index: a.Index, Alias: a.Alias, WriteIndex: a.WriteIndex}}
	}
	body, err := json.Marshal(map[string]any{"actions": actions})
	if err != nil {
		return err
	}
	return c.do(ctx, c.requests.UpdateAliases(string(body)), http.MethodPost, "/_aliases", nil)
}
