// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// RestoreRequest says which backup to restore, onto which installation.
type RestoreRequest struct {
	ID         BackupID
	Repository string
	// Version is the version of the Optimize that will read the restored
	// data. When empty it is read from the installation's metadata index,
	// if that index still exists.
	Version     string
	IndexPrefix string // defaults to DefaultIndexPrefix
	// DeleteExistingIndices deletes the installation's indices (and only
	// those) before restoring, instead of refusing to restore over them.
	DeleteExistingIndices bool
	// TargetIndexPrefix, when set and not IndexPrefix, restores the backup
	// of the installation with IndexPrefix as the installation with this
	// prefix (restore_target.go); the source installation is not written to.
	TargetIndexPrefix string
	// Progress, when set, is told each step as it happens.
	Progress func(message string)
	// Stop, when closed, stops the restore before its next change (the
	// deletion, or the next part): the step Elasticsearch is carrying out
	// is waited for, none is started after it (Ctrl-C).
	Stop <-chan struct{}
}

// ErrInterrupted: the restore was asked to stop (Ctrl-C) before it finished.
var ErrInterrupted = errors.New("the restore was interrupted (Ctrl-C) and started no further step")

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// RestoredPart is one snapshot of a backup, restored.
type RestoredPart struct {
	Part     int
	Snapshot string
	Indices  []string // the indices restored, with their aliases
	Duration time.Duration
}

// RestoreResult is what a restore did.
type RestoreResult struct {
	Backup  Backup
	Version string   // the target version the backup was checked against
	Deleted []string // the installation's indices deleted before restoring
	Parts   []RestoredPart
	// Skipped are indices of the backup's snapshots that belong to no part
	// of this installation (another installation's, in a snapshot that
	// Optimize took with a wildcard) and were not restored.
	Skipped []string
}

// RestoreSnapshotResult is Elasticsearch's answer to a restore that was
// waited for.
type RestoreSnapshotResult struct {
	Indices          []string
	ShardsTotal      int
	ShardsFailed     int
	ShardsSuccessful int
}

// Restore restores a backup onto the installation with the request's index
// prefix. Every check comes before any change (checkRestore), in this order:
//
//  1. the backup exists and is COMPLETED;
//  2. its version equals the target version;
//  3. no index of the installation exists (or, with DeleteExistingIndices,
//     exactly those are to be deleted);
//  4. each part has indices of the installation to restore, and none of them
//     exists.
//
// Then the installation's indices are deleted (when asked), and part 1, then
// part 2 are restored, each waited for: that part's indices of the
// installation with their aliases, without the global state (applyRestore).
func (s *Service) Restore(ctx context.Context, req RestoreRequest) (RestoreResult, error) {
	if req.IndexPrefix == "" {
		req.IndexPrefix = DefaultIndexPrefix
	}
	if req.Progress == nil {
		req.Progress = func(string) {}
	}
	req.normalizeTarget()
	plan, result, err := s.checkRestore(ctx, req)
	if err != nil {
		return result, err
	}
	return s.applyRestore(ctx, req, plan, result)
}

// restorePlan is what the checks found a restore is to do.
type restorePlan struct {
	backup   Backup     // COMPLETED, of the target version
	existing []string   // the installation's indices, deleted first (DeleteExistingIndices)
	parts    [][]string // per snapshot of the backup, the indices it restores, sorted
	// A restore into another installation: the target prefix, each index
	// of the parts and the name it is restored as, and the aliases created
	// once both parts are restored.
	target  string
	renames []Rename
	aliases []AliasAdd
}

// restoredAs are the names the indices of the backup come back with: the
// target's in a restore into another installation.
func (p restorePlan) restoredAs(indices []string) []string {
	if p.target == "" {
		return indices
	}
	out := make([]string, len(indices))
	for i, index := range indices {
		out[i] = index
		for _, r := range p.renames {
			if r.From == index {
				out[i] = r.To
			}
		}
	}
	return out
}

// notRestored are the indices of the parts from index from on, as the
// restore names them (restoredAs).
func (p restorePlan) notRestored(from int) []string {
	var out []string
	for _, part := range p.parts[from:] {
		out = append(out, p.restoredAs(part)...)
	}
	return out
}

// refuseRestore is a failed check: nothing was changed.
func refuseRestore(id BackupID, check, format string, args ...any) *RestoreRefusedError {
	return &RestoreRefusedError{ID: id, Check: check, Reason: fmt.Sprintf(format, args...)}
}

// refuseRestoreFor is a check that failed with err.
func refuseRestoreFor(id BackupID, check string, err error) *RestoreRefusedError {
	refused := refuseRestore(id, check, "%v", err)
	refused.Err = err
	return refused
}

// checkRestore runs every check of a restore, in Restore's order, and
// changes nothing. The result holds what was found so far.
func (s *Service) checkRestore(ctx context.Context, req RestoreRequest) (restorePlan, RestoreResult, error) {
	var result RestoreResult
	if err := ValidateBackupID(string(req.ID)); err != nil {
		return restorePlan{}, result, err
	}
	if req.Repository == "" {
		return restorePlan{}, result, &RepositoryMissingError{}
	}
	if req.TargetIndexPrefix != "" {
		return s.checkTargetRestore(ctx, req)
	}
	backup, err := s.checkRestorable(ctx, req, &result)
	if err != nil {
		return restorePlan{}, result, err
	}
	version, err := s.checkRestoreVersion(ctx, req, backup)
	result.Version = version
	if err != nil {
		return restorePlan{}, result, err
	}
	present, existing, neighbours, err := s.checkExistingIndices(ctx, req, version)
	if err != nil {
		return restorePlan{}, result, err
	}
	parts, err := checkParts(req, version, backup, present, existing, neighbours, &result)
	if err != nil {
		return restorePlan{}, result, err
	}
	sort.Strings(result.Skipped)
	if len(result.Skipped) > 0 {
		req.Progress(fmt.Sprintf("not restoring %d indices of the snapshots that are not the installation's: %s", len(result.Skipped), strings.Join(result.Skipped, ", ")))
	}
	req.Progress(fmt.Sprintf("checks passed: backup %s can be restored onto the installation with index prefix %q", req.ID, req.IndexPrefix))
	return restorePlan{backup: backup, existing: existing, parts: parts}, result, nil
}

// checkRestorable is check 1: the backup exists and is COMPLETED, one
// version's part 1 and part 2. It records the backup in result.
func (s *Service) checkRestorable(ctx context.Context, req RestoreRequest, result *RestoreResult) (Backup, error) {
	backup, err := s.Get(ctx, req.Repository, req.ID)
	if errors.Is(err, ErrBackupNotFound) {
		refused := refuseRestoreFor(req.ID, "the backup does not exist", err)
		refused.Fix = FixBackup
		return backup, refused
	}
	if err != nil {
		return backup, err
	}
	result.Backup = backup
	if backup.State == StateCompleted && !isPair(backup) {
		backup.State, backup.FailureReason = StateIncomplete, fmt.Sprintf("its snapshots %s are not part 1 and part 2 of one version", strings.Join(backup.SnapshotNames(), ", "))
	}
	if backup.State != StateCompleted {
		what := map[State]string{
			StateInProgress:   "it is still being taken: wait until it is COMPLETED",
			StateFailed:       "a FAILED backup is never restored: restore another backup",
			StateIncompatible: "an INCOMPATIBLE backup cannot be restored by this cluster: restore another backup",
			StateIncomplete:   "an INCOMPLETE backup misses data: restore another backup",
		}[backup.State]
		detail := ""
		switch {
		case backup.State == StateFailed || backup.State == StateIncompatible:
			detail = " (" + briefSnapshotProblems(backup.Snapshots) + ")"
		case backup.FailureReason != "":
			detail = " (" + strings.ReplaceAll(backup.FailureReason, "\n", "; ") + ")"
		}
		return backup, refuseRestore(req.ID, "the backup is not COMPLETED", "it is %s%s; %s", backup.State, detail, what)
	}
	req.Progress(fmt.Sprintf("backup %s is COMPLETED: snapshots %s", req.ID, strings.Join(backup.SnapshotNames(), ", ")))
	return backup, nil
}

// checkRestoreVersion is check 2: the backup's version equals the version of
// the Optimize that will read it, which it returns; and the restore requests
// fit Elasticsearch's request line.
func (s *Service) checkRestoreVersion(ctx context.Context, req RestoreRequest, backup Backup) (string, error) {
	version, err := s.restoreTargetVersion(ctx, req.Version, req.IndexPrefix)
	if err != nil {
		return "", refuseRestoreFor(req.ID, "the target Optimize version is unknown", err)
	}
	if backup.Version != version {
		refused := refuseRestore(req.ID, "the backup's version differs from the target version",
			"backup %s was taken by Optimize %s, and the Optimize that will read the data is %s; an Optimize of another version refuses or migrates the data",
			req.ID, backup.Version, version)
		refused.Fix, refused.BackupVersion = FixTargetVersion, backup.Version
		return version, refused
	}
	req.Progress(fmt.Sprintf("backup %s is of Optimize %s, the target version", req.ID, version))
	// A restore request Elasticsearch would refuse must be known before
	// anything is deleted (an id that Optimize took, too long for the line).
	if line := RestoreRequestLine(req.Repository, req.ID, backup.Version); line.Length > MaxRequestLineBytes {
		return version, refuseRestore(req.ID, "the restore requests fit Elasticsearch's request line",
			"%s would be a %d-byte request line, over Elasticsearch's %d-byte limit (http.max_initial_line_length), which refuses it; "+
				"restore this backup by hand with a shorter line (raise http.max_initial_line_length on the cluster), or restore another backup",
			line.What, line.Length, MaxRequestLineBytes)
	}
	return version, nil
}

// checkExistingIndices is check 3: no index of the installation exists,
// unless the request asks to delete them. It returns the indices under the
// prefix's pattern and, of them, the installation's, and the versions of the
// installations beside it (whose indices are never deleted or restored).
func (s *Service) checkExistingIndices(ctx context.Context, req RestoreRequest, version string) (present, existing []string, neighbours Neighbours, err error) {
	present, err = s.Cluster.Indices(ctx, IndexPattern(req.IndexPrefix))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listing the indices of index prefix %q: %w", req.IndexPrefix, err)
	}
	neighbours, err = s.neighbours(ctx, req.IndexPrefix, present)
	if err != nil {
		return nil, nil, nil, err
	}
	existing, err = installationIndices(req.IndexPrefix, version, present, neighbours)
	if err != nil {
		return nil, nil, nil, refuseRestoreFor(req.ID, "the installation's indices are known", err)
	}
	if len(existing) > 0 && !req.DeleteExistingIndices {
		refused := refuseRestore(req.ID, "indices of the installation exist",
			"%d indices of the installation with index prefix %q exist: %s; Elasticsearch cannot restore onto them",
			len(existing), req.IndexPrefix, strings.Join(existing, ", "))
		refused.Fix = FixDeleteExisting
		return nil, nil, nil, refused
	}
	return present, existing, neighbours, nil
}

// checkParts is check 4: each part has indices of the installation, and
// none of them, nor an index named like the aliases they come back with,
// exists once the installation's indices are gone. It returns each part's
// indices, and records in result the indices it skips (another
// installation's).
func checkParts(req RestoreRequest, version string, backup Backup, present, existing []string, neighbours Neighbours, result *RestoreResult) ([][]string, error) {
	var all []string
	for _, snap := range backup.Snapshots {
		all = append(all, snap.Indices...)
	}
	// Another installation is recognised by its metadata and import indices,
	// in the snapshots or on the cluster.
	ownIndices, err := installationIndices(req.IndexPrefix, version, append(append([]string{}, all...), present...), neighbours)
	if err != nil {
		return nil, refuseRestoreFor(req.ID, "the backup's indices are known", err)
	}
	own := map[string]bool{}
	for _, index := range ownIndices {
		own[index] = true
	}
	deleting := map[string]bool{}
	for _, index := range existing {
		deleting[index] = true
	}
	stillPresent := map[string]bool{}
	for _, index := range present {
		if !deleting[index] {
			stillPresent[index] = true
		}
	}
	parts := make([][]string, len(backup.Snapshots))
	var clashes []string
	for i, snap := range backup.Snapshots {
		for _, index := range snap.Indices {
			switch {
			case !own[index]:
				result.Skipped = append(result.Skipped, index)
			case stillPresent[index]:
				clashes = append(clashes, index)
			default:
				parts[i] = append(parts[i], index)
			}
		}
		sort.Strings(parts[i])
		if len(parts[i]) == 0 && len(clashes) == 0 {
			refused := refuseRestore(req.ID, "the backup holds indices of the installation",
				"snapshot %s holds no index of the installation with index prefix %q (it holds %s)",
				snap.Name, req.IndexPrefix, strings.Join(snap.Indices, ", "))
			refused.Fix = FixIndexPrefix
			return nil, refused
		}
	}
	if aliasClashes := aliasClashes(parts, stillPresent); len(aliasClashes) > 0 {
		return nil, refuseRestore(req.ID, "the backup's aliases can be restored",
			"indices exist whose names are aliases the backup's indices come back with (an alias cannot share an index's name): %s; they are not indices of the installation with index prefix %q, so they are never deleted: delete or rename them yourself",
			strings.Join(aliasClashes, ", "), req.IndexPrefix)
	}
	if len(clashes) > 0 {
		sort.Strings(clashes)
		return nil, refuseRestore(req.ID, "the backup's indices can be restored",
			"indices of the same name exist that are not indices of the installation with index prefix %q, so they are never deleted: %s; delete or rename them yourself",
			req.IndexPrefix, strings.Join(clashes, ", "))
	}
	return parts, nil
}

// aliasClashes are the indices that stay whose names are aliases the parts'
// indices come back with (the name without the version suffix): such an
// index makes Elasticsearch refuse the restore of that part, after the parts
// before it were restored. Sorted.
func aliasClashes(parts [][]string, stillPresent map[string]bool) []string {
	var clashes []string
	for _, part := range parts {
		for _, index := range part {
			if alias := aliasOf(index); alias != index && stillPresent[alias] && !slices.Contains(clashes, alias) {
				clashes = append(clashes, alias)
			}
		}
	}
	sort.Strings(clashes)
	return clashes
}

// applyRestore makes the changes the checks allowed: it deletes the
// installation's indices (when asked), then restores the parts in order.
// Asked to stop, it starts no further change.
func (s *Service) applyRestore(ctx context.Context, req RestoreRequest, plan restorePlan, result RestoreResult) (RestoreResult, error) {
	if stopped(req.Stop) {
		return result, refuseRestore(req.ID, "the restore was not interrupted", "it was interrupted (Ctrl-C) after its checks, before it deleted or restored anything")
	}
	if len(plan.existing) > 0 {
		if err := s.Cluster.DeleteIndices(ctx, plan.existing); err != nil {
			return result, &RestoreIncompleteError{ID: req.ID, Version: plan.backup.Version, NotRestored: plan.notRestored(0), Target: plan.target,
				Err: fmt.Errorf("deleting %s: %w", strings.Join(plan.existing, ", "), err)}
		}
		result.Deleted = plan.existing
		req.Progress(fmt.Sprintf("deleted %d indices of the installation: %s", len(plan.existing), strings.Join(plan.existing, ", ")))
	}
	var restored []string
	for i, snap := range plan.backup.Snapshots {
		part := i + 1
		incomplete := func(err error) error {
			return &RestoreIncompleteError{ID: req.ID, Version: plan.backup.Version, Part: part, Snapshot: snap.Name, Deleted: result.Deleted,
				Restored: restored, NotRestored: plan.notRestored(i), Target: plan.target, Err: err}
		}
		if stopped(req.Stop) {
			return result, incomplete(ErrInterrupted)
		}
		restoredPart, err := s.restorePart(ctx, req, plan, part, snap.Name, plan.parts[i])
		if err != nil {
			return result, incomplete(err)
		}
		restored = append(restored, plan.restoredAs(plan.parts[i])...)
		result.Parts = append(result.Parts, restoredPart)
		if plan.target != "" && part == len(plan.backup.Snapshots) {
			if err := s.addTargetAliases(ctx, req, plan); err != nil {
				return result, incomplete(err)
			}
		}
	}
	return result, nil
}

// restorePart restores one part's indices, with their aliases, and waits
// for it. Failed shards fail the part.
func (s *Service) restorePart(ctx context.Context, req RestoreRequest, plan restorePlan, part int, snapshot string, indices []string) (RestoredPart, error) {
	req.Progress(fmt.Sprintf("restoring part %d of %d (snapshot %s, %d indices)", part, PartCount, snapshot, len(indices)))
	start := time.Now()
	var res RestoreSnapshotResult
	var err error
	if plan.target != "" {
		// Renamed, without the snapshot's aliases: they are the source's.
		pattern, replacement := renameRule(req.IndexPrefix, plan.target)
		res, err = s.Cluster.(TargetCluster).RestoreRenamedAs(ctx, req.Repository, snapshot, indices, pattern, replacement)
	} else {
		res, err = s.Cluster.RestoreSnapshot(ctx, req.Repository, snapshot, indices)
	}
	if err == nil && res.ShardsFailed > 0 {
		err = fmt.Errorf("%d of %d shards failed to restore", res.ShardsFailed, res.ShardsTotal)
	}
	if err != nil {
		return RestoredPart{}, err
	}
	d := time.Since(start)
	req.Progress(fmt.Sprintf("part %d of %d restored in %.1f s (%d indices, %d shards)", part, PartCount, d.Seconds(), len(indices), res.ShardsSuccessful))
	return RestoredPart{Part: part, Snapshot: snapshot, Indices: indices, Duration: d}, nil
}

// briefSnapshotProblems names each snapshot that did not succeed, with
// Elasticsearch's reason and the number of failed shards (the shard failures
// themselves are in the optimize_backup_state data source).
func briefSnapshotProblems(snaps []Snapshot) string {
	var out []string
	for _, s := range snaps {
		if s.State == SnapshotSuccess {
			continue
		}
		r := fmt.Sprintf("snapshot %s is %s", s.Name, s.State)
		if s.Reason != "" {
			r += ": " + s.Reason
		}
		if s.ShardsFailed > 0 {
			r += fmt.Sprintf(" (%d of %d shards failed)", s.ShardsFailed, s.ShardsTotal)
		}
		out = append(out, r)
	}
	return strings.Join(out, "; ")
}

// isPair reports whether the backup's snapshots are part 1 and part 2 of
// one version, in that order.
func isPair(b Backup) bool {
	if len(b.Snapshots) != PartCount {
		return false
	}
	for i, snap := range b.Snapshots {
		p, ok := ParseSnapshotName(snap.Name)
		if !ok || p.Part != i+1 || p.Version != b.Version {
			return false
		}
	}
	return true
}

// restoreTargetVersion is the configured version, else the schemaVersion
// in the installation's metadata index while that index exists.
func (s *Service) restoreTargetVersion(ctx context.Context, version, prefix string) (string, error) {
	if version == "" {
		v, err := s.metadataVersion(ctx, prefix, true)
		if err != nil {
			return "", err
		}
		version = v
	}
	return NormalizeVersion(version)
}

// installationIndices are the indices of the installation with this prefix
// among indices, by the selection a backup of that Optimize version takes
// (both parts: every index of the installation), sorted. None is not an
// error; an index that could be another installation's is
// (*AmbiguousIndexError): nothing is deleted or restored on a guess. An
// index under another installation's prefix is that installation's, whatever
// its class (SelectIndicesBeside, with the neighbours' versions).
func installationIndices(prefix, version string, indices []string, neighbours Neighbours) ([]string, error) {
	release, err := ReleaseFor(version)
	if err != nil {
		release = anyRelease // not a release: the index classes of every one
	}
	sel, err := SelectIndicesBeside(release, prefix, indices, neighbours)
	var ambiguous *AmbiguousIndexError
	if errors.As(err, &ambiguous) {
		return nil, err
	}
	return sel.All(), nil
}
