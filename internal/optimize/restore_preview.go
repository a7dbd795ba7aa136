// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import "context"

// RestorePreview is what a restore would do, found by its checks alone.
type RestorePreview struct {
	Backup  Backup
	Version string     // the target version the backup was checked against
	Delete  []string   // the installation's indices the restore would delete first (DeleteExistingIndices)
	Parts   [][]string // per part, the indices it would restore
	Skipped []string   // indices of the snapshots that are not the installation's: never restored
	// A restore into another installation: the target prefix, the name
	// each index is restored as, and the aliases created for the target.
	Target  string
	Renames []Rename
	Aliases []AliasAdd
}

// PreviewRestore runs every check of Restore with read requests only and
// says what the restore would do, or why it would refuse (the error
// Restore would return before any change).
func (s *Service) PreviewRestore(ctx context.Context, req RestoreRequest) (RestorePreview, error) {
	if req.IndexPrefix == "" {
		req.IndexPrefix = DefaultIndexPrefix
	}
	if req.Progress == nil {
		req.Progress = func(string) {}
	}
	req.normalizeTarget()
	plan, result, err := s.checkRestore(ctx, req)
	preview := RestorePreview{Backup: result.Backup, Version: result.Version, Skipped: result.Skipped, Target: req.TargetIndexPrefix}
	if err != nil {
		return preview, err
	}
	preview.Delete, preview.Parts = plan.existing, plan.parts
	preview.Renames, preview.Aliases = plan.renames, plan.aliases
	return preview, nil
}
