// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// What the Service reads of the installation and the cluster before it
// writes: the Optimize version, the indices of a backup (beside the
// installations next to it), and the cluster's clock.

// ClusterClock is a Cluster that tells the time of the cluster's clock,
// the clock that stamps its snapshots.
type ClusterClock interface {
	ClusterTime(ctx context.Context) (time.Time, error)
}

// ClusterNow is the time on the cluster's clock (the one that stamps
// snapshots), and how far the local clock is ahead of it (negative:
// behind); a Cluster that tells no time is taken to share the local clock.
// A schedule measured against snapshot times uses this, so that a skewed
// local clock neither takes a backup at every apply nor never.
func (s *Service) ClusterNow(ctx context.Context) (now time.Time, skew time.Duration, err error) {
	clock, ok := s.Cluster.(ClusterClock)
	if !ok {
		return time.Now(), 0, nil
	}
	before := time.Now()
	t, err := clock.ClusterTime(ctx)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("reading the cluster's clock (GET _cat/health): %w", err)
	}
	after := time.Now()
	// The cluster read its clock between before and after, and answered
	// whole seconds, rounded down.
	local := before.Add(after.Sub(before) / 2)
	skew = local.Sub(t.Add(500 * time.Millisecond)).Round(time.Second)
	return local.Add(-skew), skew, nil
}

// metadataDocumentID is the id of Optimize's metadata document.
const metadataDocumentID = "1"

// ResolveVersion returns the normalized Optimize version: version when set,
// otherwise the schemaVersion in the installation's metadata index.
func (s *Service) ResolveVersion(ctx context.Context, version, indexPrefix string) (string, error) {
	if version != "" {
		return normalizeCoveredVersion(version)
	}
	v, err := s.metadataVersion(ctx, indexPrefix, false)
	if err != nil {
		return "", err
	}
	return normalizeCoveredVersion(v)
}

// metadataVersion is the schemaVersion in the metadata document of the
// installation with index prefix prefix; restore: of the installation a
// restore writes to.
func (s *Service) metadataVersion(ctx context.Context, prefix string, restore bool) (string, error) {
	index := MetadataIndex(prefix)
	doc, err := s.Cluster.Document(ctx, index, metadataDocumentID)
	if errors.Is(err, ErrNotFound) {
		return "", &VersionUnknownError{Index: index, Document: metadataDocumentID, Missing: true, Restore: restore}
	}
	if err != nil {
		return "", fmt.Errorf("reading Optimize's version from %s/_doc/%s: %w", index, metadataDocumentID, err)
	}
	v, _ := doc["schemaVersion"].(string)
	if v == "" {
		return "", &VersionUnknownError{Index: index, Document: metadataDocumentID, Restore: restore}
	}
	return v, nil
}

// VersionUnknownError: no Optimize version was given, and the installation's
// metadata document, where Optimize records its version, does not say it.
type VersionUnknownError struct {
	Index, Document string // the metadata document
	// Missing: the document does not exist; otherwise it has no
	// schemaVersion.
	Missing bool
	// Restore: the version asked for is that of the Optimize that will read
	// restored data.
	Restore bool
}

func (e *VersionUnknownError) Error() string {
	found := "has no schemaVersion"
	if e.Missing {
		found = "does not exist"
	}
	what := "the Optimize version is unknown"
	if e.Restore {
		what = "the version of the Optimize that will read the restored data is unknown"
	}
	return fmt.Sprintf("%s: it was not given, and Optimize's metadata document %s/_doc/%s %s", what, e.Index, e.Document, found)
}

// normalizeCoveredVersion normalizes a version that the Releases table covers.
func normalizeCoveredVersion(version string) (string, error) {
	normalized, err := NormalizeVersion(version)
	if err != nil {
		return "", err
	}
	if _, err := ReleaseFor(normalized); err != nil {
		return "", err
	}
	return normalized, nil
}

// SelectIndices lists the installation's indices and selects those of a
// backup of this Optimize version (SelectIndicesFor): what a backup taken now
// would hold, for a plan to show before anything is taken.
func (s *Service) SelectIndices(ctx context.Context, version, indexPrefix string) (IndexSelection, error) {
	release, err := ReleaseFor(version)
	if err != nil {
		return IndexSelection{}, err
	}
	return s.selectIndices(ctx, release, indexPrefix)
}

func (s *Service) selectIndices(ctx context.Context, release Release, indexPrefix string) (IndexSelection, error) {
	indices, err := s.Cluster.Indices(ctx, IndexPattern(indexPrefix))
	if err != nil {
		return IndexSelection{}, fmt.Errorf("listing the indices of index prefix %q: %w", indexPrefix, err)
	}
	neighbours, err := s.neighbours(ctx, indexPrefix, indices)
	if err != nil {
		return IndexSelection{}, err
	}
	return SelectIndicesBeside(release, indexPrefix, indices, neighbours)
}

// neighbours reads the Optimize version of each installation whose index
// prefix extends this one or is extended by it (NeighbourPrefixes) from its
// metadata index. One whose version cannot be read (no metadata document,
// no schemaVersion, no release) is left out: of unknown version.
func (s *Service) neighbours(ctx context.Context, indexPrefix string, indices []string) (Neighbours, error) {
	var out Neighbours
	for _, prefix := range NeighbourPrefixes(indexPrefix, indices) {
		v, err := s.metadataVersion(ctx, prefix, false)
		var unknown *VersionUnknownError
		if errors.As(err, &unknown) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("the installation with index prefix %q next to this one: %w", prefix, err)
		}
		release, err := ReleaseFor(v)
		if err != nil {
			continue
		}
		if out == nil {
			out = Neighbours{}
		}
		out[prefix] = release
	}
	return out, nil
}
