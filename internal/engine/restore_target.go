// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package engine

import (
	"context"
	"fmt"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

var _ optimize.TargetCluster = (*Cluster)(nil)

// target is the detected engine's cluster as a TargetCluster (both
// adapters are).
func (c *Cluster) target(ctx context.Context) (optimize.TargetCluster, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	t, ok := cl.(optimize.TargetCluster)
	if !ok {
		return nil, fmt.Errorf("the %T adapter cannot restore into another installation", cl)
	}
	return t, nil
}

// RestoreRenamedAs implements optimize.TargetCluster.
func (c *Cluster) RestoreRenamedAs(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string) (optimize.RestoreSnapshotResult, error) {
	t, err := c.target(ctx)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return t.RestoreRenamedAs(ctx, repository, name, indices, renamePattern, replacement)
}

// AddAliases implements optimize.TargetCluster.
func (c *Cluster) AddAliases(ctx context.Context, aliases []optimize.AliasAdd) error {
	t, err := c.target(ctx)
	if err != nil {
		return err
	}
	return t.AddAliases(ctx, aliases)
}
