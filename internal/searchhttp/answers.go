// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// The answers both engines write alike, and what they are in the domain's
// terms.

// SnapshotJSON is a snapshot as the get snapshots API and a waited create
// write it.
type SnapshotJSON struct {
	Snapshot          string `json:"snapshot"`
	State             string `json:"state"`
	Reason            string `json:"reason"`
	Indices           []string
	StartTimeInMillis int64 `json:"start_time_in_millis"`
	EndTimeInMillis   int64 `json:"end_time_in_millis"`
	Failures          []struct {
		Index   string `json:"index"`
		ShardID int    `json:"shard_id"`
		Reason  string `json:"reason"`
		Status  string `json:"status"`
	} `json:"failures"`
	Shards struct {
		Total      int `json:"total"`
		Failed     int `json:"failed"`
		Successful int `json:"successful"`
	} `json:"shards"`
	Metadata map[string]any `json:"metadata"`
}

// Domain is the snapshot in the domain's terms.
func (s SnapshotJSON) Domain() optimize.Snapshot {
	out := optimize.Snapshot{
		Name:             s.Snapshot,
		State:            s.State,
		Reason:           s.Reason,
		Indices:          s.Indices,
		ShardsTotal:      s.Shards.Total,
		ShardsFailed:     s.Shards.Failed,
		ShardsSuccessful: s.Shards.Successful,
		Metadata:         s.Metadata,
	}
	if s.StartTimeInMillis > 0 {
		out.StartTime = time.UnixMilli(s.StartTimeInMillis).UTC()
	}
	if s.EndTimeInMillis > 0 {
		out.EndTime = time.UnixMilli(s.EndTimeInMillis).UTC()
	}
	for _, f := range s.Failures {
		out.Failures = append(out.Failures, optimize.ShardFailure{Index: f.Index, Shard: f.ShardID, Reason: f.Reason, Status: f.Status})
	}
	return out
}

// RestoreJSON is the answer of a restore waited for.
type RestoreJSON struct {
	Snapshot struct {
		Indices []string `json:"indices"`
		Shards  struct {
			Total      int `json:"total"`
			Failed     int `json:"failed"`
			Successful int `json:"successful"`
		} `json:"shards"`
	} `json:"snapshot"`
}

// Domain is the restore in the domain's terms.
func (r RestoreJSON) Domain() optimize.RestoreSnapshotResult {
	return optimize.RestoreSnapshotResult{
		Indices:          r.Snapshot.Indices,
		ShardsTotal:      r.Snapshot.Shards.Total,
		ShardsFailed:     r.Snapshot.Shards.Failed,
		ShardsSuccessful: r.Snapshot.Shards.Successful,
	}
}

// RepositoryAnswer is the answer of GET /_snapshot/{repository}.
type RepositoryAnswer map[string]json.RawMessage

// Names checks that the answer names the repository: the engine trims the
// names of the list it is given and answers an empty list with every
// repository, so only an answer that names this one says that it exists.
func (a RepositoryAnswer) Names(repository string, cfg Config) error {
	if _, ok := a[repository]; !ok {
		return fmt.Errorf("the answer of %s to GET /_snapshot/%s does not name repository [%s]: %w", cfg.ProductName(), repository, repository, optimize.ErrRepositoryMissing)
	}
	return nil
}

// DocumentAnswer is the answer of GET /{index}/_doc/{id}.
type DocumentAnswer struct {
	Found  bool           `json:"found"`
	Source map[string]any `json:"_source"`
}

// Domain is the document's source, or optimize.ErrNotFound.
func (d DocumentAnswer) Domain() (map[string]any, error) {
	if !d.Found {
		return nil, optimize.ErrNotFound
	}
	return d.Source, nil
}

// IndexRow is a row of GET _cat/indices?format=json&h=index.
type IndexRow struct {
	Index string `json:"index"`
}

// IndexNames are the names of the rows.
func IndexNames(rows []IndexRow) []string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Index
	}
	return names
}

// CatEpoch is a row of GET _cat/health?format=json&h=epoch.
type CatEpoch struct {
	Epoch string `json:"epoch"`
}

// EpochTime is the time of the one row of a _cat/health answer.
func EpochTime(rows []CatEpoch) (time.Time, error) {
	if len(rows) != 1 {
		return time.Time{}, fmt.Errorf("GET _cat/health answered %d rows, want one", len(rows))
	}
	n, err := strconv.ParseInt(rows[0].Epoch, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("GET _cat/health answered epoch %q, not seconds", rows[0].Epoch)
	}
	return time.Unix(n, 0), nil
}
