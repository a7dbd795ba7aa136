// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"encoding/json"
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
	return c.restoreRenamed(ctx, repository, name, indices, renamePattern, replacement, nil)
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
