// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

var _ optimize.DrillCluster = (*Cluster)(nil)

// IndexStats implements optimize.DrillCluster with GET /_cat/indices/{pattern}.
func (c *Cluster) IndexStats(ctx context.Context, pattern string) ([]optimize.IndexStat, error) {
	var rows []struct {
		Index  string `json:"index"`
		Docs   string `json:"docs.count"`
		Health string `json:"health"`
	}
	if err := c.do(ctx, c.requests.CatIndexStats(PathSegment(pattern)), http.MethodGet, "/_cat/indices/"+pattern, &rows); err != nil {
		return nil, err
	}
	out := make([]optimize.IndexStat, len(rows))
	for i, r := range rows {
		docs, _ := strconv.ParseInt(r.Docs, 10, 64) // a closed index has none
		out[i] = optimize.IndexStat{Index: r.Index, Docs: docs, Health: r.Health}
	}
	return out, nil
}

// SnapshotSize implements optimize.DrillCluster: the snapshot's total size
// (stats.total.size_in_bytes of GET /_snapshot/{repository}/{name}/_status).
func (c *Cluster) SnapshotSize(ctx context.Context, repository, name string) (int64, error) {
	var out struct {
		Snapshots []struct {
			Stats struct {
				Total struct {
					SizeInBytes int64 `json:"size_in_bytes"`
				} `json:"total"`
			} `json:"stats"`
		} `json:"snapshots"`
	}
	path := SnapshotPath(repository, name) + "/_status"
	if err := c.do(ctx, c.requests.SnapshotStatus(PathSegment(repository), PathSegment(name)), http.MethodGet, path, &out); err != nil {
		return 0, err
	}
	if len(out.Snapshots) != 1 {
		return 0, fmt.Errorf("GET %s answered %d snapshots, not 1", path, len(out.Snapshots))
	}
	return out.Snapshots[0].Stats.Total.SizeInBytes, nil
}

// Disk implements optimize.DrillCluster: GET /_cat/allocation (bytes=b)
// and the high watermark from GET /_cluster/settings (include_defaults,
// flat_settings): the transient setting, else the persistent, else the
// default, as the engines apply them.
func (c *Cluster) Disk(ctx context.Context) (optimize.Disk, error) {
	var rows []struct {
		Node  string `json:"node"`
		Total string `json:"disk.total"`
		Avail string `json:"disk.avail"`
	}
	if err := c.do(ctx, c.requests.CatAllocation(), http.MethodGet, "/_cat/allocation", &rows); err != nil {
		return optimize.Disk{}, err
	}
	var disk optimize.Disk
	for _, r := range rows {
		if r.Node == "UNASSIGNED" || r.Total == "" {
			continue // the row of unassigned shards
		}
		total, err1 := strconv.ParseInt(r.Total, 10, 64)
		avail, err2 := strconv.ParseInt(r.Avail, 10, 64)
		if err1 != nil || err2 != nil {
			return optimize.Disk{}, fmt.Errorf("GET /_cat/allocation: node %s has disk.total %q and disk.avail %q, not byte counts", r.Node, r.Total, r.Avail)
		}
		disk.Nodes = append(disk.Nodes, optimize.NodeDisk{Name: r.Node, Total: total, Available: avail})
	}
	var settings map[string]map[string]json.RawMessage
	if err := c.do(ctx, c.requests.ClusterSettingsDefaults(), http.MethodGet, "/_cluster/settings", &settings); err != nil {
		return optimize.Disk{}, err
	}
	const key = "cluster.routing.allocation.disk.watermark.high"
	for _, scope := range []string{"transient", "persistent", "defaults"} {
		var v string
		if raw, ok := settings[scope][key]; ok && json.Unmarshal(raw, &v) == nil {
			disk.HighWatermark = v
			break
		}
	}
	if disk.HighWatermark == "" {
		return optimize.Disk{}, fmt.Errorf("GET /_cluster/settings?include_defaults=true does not say %s", key)
	}
	headroom, err := highMaxHeadroom(settings)
	if err != nil {
		return optimize.Disk{}, err
	}
	disk.HighMaxHeadroom = headroom
	return disk, nil
}

// highMaxHeadroom is Elasticsearch 8's
// cluster.routing.allocation.disk.watermark.high.max_headroom in bytes, -1
// when there is none (Elasticsearch 7, OpenSearch). Its default depends on
// the other settings (DiskThresholdSettings
// CLUSTER_ROUTING_ALLOCATION_HIGH_DISK_MAX_HEADROOM_SETTING: "-1" once the
// low, high or flood-stage watermark is set, else "150GB"), and the
// defaults section of include_defaults is computed without the cluster's
// own settings: so the default counts only when none of the three
// watermarks is set in transient or persistent.
func highMaxHeadroom(settings map[string]map[string]json.RawMessage) (int64, error) {
	const key = "cluster.routing.allocation.disk.watermark.high.max_headroom"
	watermarks := []string{
		"cluster.routing.allocation.disk.watermark.low",
		"cluster.routing.allocation.disk.watermark.high",
		"cluster.routing.allocation.disk.watermark.flood_stage",
	}
	value := ""
	for _, scope := range []string{"transient", "persistent", "defaults"} {
		if scope == "defaults" {
			for _, w := range watermarks {
				if settings["transient"][w] != nil || settings["persistent"][w] != nil {
					return -1, nil
				}
			}
		}
		var v string
		if raw, ok := settings[scope][key]; ok && json.Unmarshal(raw, &v) == nil {
			value = v
			break
		}
	}
	value = strings.ToLower(strings.TrimSpace(value))
	if value == "" || value == "-1" {
		return -1, nil
	}
	b, err := optimize.ParseBytes(value)
	if err != nil {
		return 0, fmt.Errorf("GET /_cluster/settings: %s is %q, not a byte size: %w", key, value, err)
	}
	return b, nil
}

// RestoreRenamed implements optimize.DrillCluster: exactly these indices,
// renamed, without aliases, global state or replicas, waited for.
func (c *Cluster) RestoreRenamed(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string) (optimize.RestoreSnapshotResult, error) {
	return c.restoreRenamed(ctx, repository, name, indices, renamePattern, replacement, map[string]any{"index.number_of_replicas": 0})
}

// restoreRenamed restores exactly these indices of the snapshot, renamed by
// the engine's rule, without aliases or the global state, waited for; with
// indexSettings (nil: the index settings as snapshotted).
func (c *Cluster) restoreRenamed(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string, indexSettings map[string]any) (optimize.RestoreSnapshotResult, error) {
	if len(indices) == 0 {
		return optimize.RestoreSnapshotResult{}, fmt.Errorf("refusing to restore snapshot %s without indices: %s would restore every index of it", name, c.cfg.ProductName())
	}
	body := map[string]any{
		"indices":              indices,
		"ignore_unavailable":   false,
		"include_aliases":      false,
		"include_global_state": false,
		"partial":              false,
		"rename_pattern":       renamePattern,
		"rename_replacement":   replacement,
	}
	if indexSettings != nil {
		body["index_settings"] = indexSettings
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	send := c.requests.RestoreSnapshot(PathSegment(repository), PathSegment(name), string(raw))
	var out RestoreJSON
	if err := c.do(ctx, send, http.MethodPost, SnapshotPath(repository, name)+"/_restore", &out); err != nil {
		return optimize.RestoreSnapshotResult{}, err
	}
	return out.Domain(), nil
}
