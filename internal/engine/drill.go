// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package engine

import (
	"context"
	"fmt"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

var _ optimize.DrillCluster = (*Cluster)(nil)

// drill is the detected engine's cluster as a DrillCluster (both adapters
// are).
func (c *Cluster) drill(ctx context.Context) (optimize.DrillCluster, error) {
	cl, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	d, ok := cl.(optimize.DrillCluster)
	if !ok {
		return nil, fmt.Errorf("the %T adapter cannot run a restore drill", cl)
	}
	return d, nil
}

// SnapshotSize implements optimize.DrillCluster.
func (c *Cluster) SnapshotSize(ctx context.Context, repository, name string) (int64, error) {
	d, err := c.drill(ctx)
	if err != nil {
		return 0, err
	}
	return d.SnapshotSize(ctx, repository, name)
}

// Disk implements optimize.DrillCluster.
func (c *Cluster) Disk(ctx context.Context) (optimize.Disk, error) {
	d, err := c.drill(ctx)
	if err != nil {
		return optimize.Disk{}, err
	}
	return d.Disk(ctx)
}

// IndexStats implements optimize.DrillCluster.
func (c *Cluster) IndexStats(ctx context.Context, pattern string) ([]optimize.IndexStat, error) {
	d, err := c.drill(ctx)
	if err != nil {
		return nil, err
	}
	return d.IndexStats(ctx, pattern)
}

// RestoreRenamed implements optimize.DrillCluster.
func (c *Cluster) RestoreRenamed(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string) (optimize.RestoreSnapshotResult, error) {
	d, err := c.drill(ctx)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return d.RestoreRenamed(ctx, repository, name, indices, renamePattern, replacement)
}
