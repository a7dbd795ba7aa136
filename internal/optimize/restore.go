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

// RestoreRefusedError: a check before the restore failed; nothing was changed.
type RestoreRefusedError struct {
	ID     BackupID
	Check  string // what was checked
	Reason string // what was found, and what to do
}

func (e *RestoreRefusedError) Error() string {
	return fmt.Sprintf("backup %q was not restored, nothing was changed: %s: %s", e.ID, e.Check, e.Reason)
}

// RestoreIncompleteError: the restore failed part way. Some indices may have
// been deleted or restored.
type RestoreIncompleteError struct {
	ID          BackupID
	Version     string // the backup's Optimize version
	Part        int    // 0: before part 1, while deleting the installation's indices
	Snapshot    string
	Deleted     []string
	Restored    []string
	NotRestored []string
	Err         error
}

func (e *RestoreIncompleteError) Error() string {
	var b strings.Builder
	switch {
	case e.Part == 0:
		fmt.Fprintf(&b, "restoring backup %q failed before part 1, while deleting the installation's indices (some may be gone): %v", e.ID, e.Err)
	case errors.Is(e.Err, ErrInterrupted):
		fmt.Fprintf(&b, "restoring backup %q stopped before part %d of %d (snapshot %s): %v", e.ID, e.Part, PartCount, e.Snapshot, e.Err)
	default:
		fmt.Fprintf(&b, "restoring backup %q failed at part %d of %d (snapshot %s): %v", e.ID, e.Part, PartCount, e.Snapshot, e.Err)
	}
	if len(e.Deleted) > 0 {
		fmt.Fprintf(&b, "\n\nDeleted before the restore: %s.", strings.Join(e.Deleted, ", "))
	}
	if len(e.Restored) > 0 {
		fmt.Fprintf(&b, "\n\nRestored: %s.", strings.Join(e.Restored, ", "))
	} else {
		b.WriteString("\n\nNo index was restored.")
	}
	fmt.Fprintf(&b, "\n\nNot restored: %s.", strings.Join(e.NotRestored, ", "))
	if errors.Is(e.Err, context.DeadlineExceeded) || errors.Is(e.Err, context.Canceled) {
		fmt.Fprintf(&b, "\n\nElasticsearch goes on restoring snapshot %s after the provider stopped waiting: wait until GET _cat/recovery?active_only=true lists none of its indices.", e.Snapshot)
	}
	version := "<the backup's version>"
	if e.Version != "" {
		version = e.Version
	}
	fmt.Fprintf(&b, "\n\nTo finish, keep Optimize stopped and restore the backup again with delete_existing_indices = true and optimize_version = %q "+
		"(the metadata index that held the version may be gone): it deletes the installation's indices restored so far and restores both parts from the start.", version)
	return b.String()
}

func (e *RestoreIncompleteError) Unwrap() error { return e.Err }

// Restore restores a backup onto the installation with the request's index
// prefix. Every check comes before any change, in this order:
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
// installation with their aliases, without the global state.
func (s *Service) Restore(ctx context.Context, req RestoreRequest) (RestoreResult, error) {
	prefix := req.IndexPrefix
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	progress := req.Progress
	if progress == nil {
		progress = func(string) {}
	}
	result := RestoreResult{}
	refuse := func(check, format string, args ...any) error {
		return &RestoreRefusedError{ID: req.ID, Check: check, Reason: fmt.Sprintf(format, args...)}
	}
	if err := ValidateBackupID(string(req.ID)); err != nil {
		return result, err
	}
	if req.Repository == "" {
		return result, &RepositoryMissingError{}
	}

	// 1. The backup exists and is COMPLETED.
	backup, err := s.Get(ctx, req.Repository, req.ID)
	if errors.Is(err, ErrBackupNotFound) {
		return result, refuse("the backup does not exist", "%v; check backup_id and repository_name (the optimize_backups data source lists the repository's backups)", err)
	}
	if err != nil {
		return result, err
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
		return result, refuse("the backup is not COMPLETED", "it is %s%s; %s", backup.State, detail, what)
	}
	progress(fmt.Sprintf("backup %s is COMPLETED: snapshots %s", req.ID, strings.Join(backup.SnapshotNames(), ", ")))

	// 2. Its version equals the version of the Optimize that will read it.
	version, err := s.restoreTargetVersion(ctx, req.Version, prefix)
	if err != nil {
		return result, refuse("the target Optimize version is unknown", "%v", err)
	}
	result.Version = version
	if backup.Version != version {
		return result, refuse("the backup's version differs from the target version",
			"backup %s was taken by Optimize %s, and the Optimize that will read the data is %s; an Optimize of another version refuses or migrates the data: "+
				"restore it for Optimize %s (set optimize_version = %q and start that version), then upgrade",
			req.ID, backup.Version, version, backup.Version, backup.Version)
	}
	progress(fmt.Sprintf("backup %s is of Optimize %s, the target version", req.ID, version))
	// A restore request Elasticsearch would refuse must be known before
	// anything is deleted (an id that Optimize took, too long for the line).
	if line := RestoreRequestLine(req.Repository, req.ID, backup.Version); line.Length > MaxRequestLineBytes {
		return result, refuse("the restore requests fit Elasticsearch's request line",
			"%s would be a %d-byte request line, over Elasticsearch's %d-byte limit (http.max_initial_line_length), which refuses it; "+
				"restore this backup by hand with a shorter line (raise http.max_initial_line_length on the cluster), or restore another backup",
			line.What, line.Length, MaxRequestLineBytes)
	}

	// 3. No index of the installation exists, unless asked to delete them.
	present, err := s.Cluster.Indices(ctx, IndexPattern(prefix))
	if err != nil {
		return result, fmt.Errorf("listing the indices of index prefix %q: %w", prefix, err)
	}
	existing, err := installationIndices(prefix, version, present)
	if err != nil {
		return result, refuse("the installation's indices are known", "%v", err)
	}
	if len(existing) > 0 && !req.DeleteExistingIndices {
		return result, refuse("indices of the installation exist",
			"%d indices of the installation with index prefix %q exist: %s; Elasticsearch cannot restore onto them. "+
				"With Optimize stopped, set delete_existing_indices = true to delete exactly these indices first, or delete them yourself",
			len(existing), prefix, strings.Join(existing, ", "))
	}

	// 4. Each part has indices of the installation, and none of them exists
	// once the installation's indices are gone.
	var all []string
	for _, snap := range backup.Snapshots {
		all = append(all, snap.Indices...)
	}
	// Another installation is recognised by its metadata and import indices,
	// in the snapshots or on the cluster.
	ownIndices, err := installationIndices(prefix, version, append(append([]string{}, all...), present...))
	if err != nil {
		return result, refuse("the backup's indices are known", "%v", err)
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
			return result, refuse("the backup holds indices of the installation",
				"snapshot %s holds no index of the installation with index prefix %q (it holds %s); check index_prefix on the provider",
				snap.Name, prefix, strings.Join(snap.Indices, ", "))
		}
	}
	// Each index comes back with its alias (the name without the version
	// suffix): an index of that name that stays makes Elasticsearch refuse
	// the restore of that part, after the parts before it were restored.
	var aliasClashes []string
	for _, part := range parts {
		for _, index := range part {
			if alias := aliasOf(index); alias != index && stillPresent[alias] && !slices.Contains(aliasClashes, alias) {
				aliasClashes = append(aliasClashes, alias)
			}
		}
	}
	if len(aliasClashes) > 0 {
		sort.Strings(aliasClashes)
		return result, refuse("the backup's aliases can be restored",
			"indices exist whose names are aliases the backup's indices come back with (an alias cannot share an index's name): %s; they are not indices of the installation with index prefix %q, so they are never deleted: delete or rename them yourself",
			strings.Join(aliasClashes, ", "), prefix)
	}
	if len(clashes) > 0 {
		sort.Strings(clashes)
		return result, refuse("the backup's indices can be restored",
			"indices of the same name exist that are not indices of the installation with index prefix %q, so they are never deleted: %s; delete or rename them yourself",
			prefix, strings.Join(clashes, ", "))
	}
	sort.Strings(result.Skipped)
	if len(result.Skipped) > 0 {
		progress(fmt.Sprintf("not restoring %d indices of the snapshots that are not the installation's: %s", len(result.Skipped), strings.Join(result.Skipped, ", ")))
	}
	progress(fmt.Sprintf("checks passed: backup %s can be restored onto the installation with index prefix %q", req.ID, prefix))

	// The changes.
	notRestored := func(from int) []string {
		var out []string
		for _, p := range parts[from:] {
			out = append(out, p...)
		}
		return out
	}
	if stopped(req.Stop) {
		return result, refuse("the restore was not interrupted", "it was interrupted (Ctrl-C) after its checks, before it deleted or restored anything")
	}
	if len(existing) > 0 {
		if err := s.Cluster.DeleteIndices(ctx, existing); err != nil {
			return result, &RestoreIncompleteError{ID: req.ID, Version: backup.Version, NotRestored: notRestored(0),
				Err: fmt.Errorf("deleting %s: %w", strings.Join(existing, ", "), err)}
		}
		result.Deleted = existing
		progress(fmt.Sprintf("deleted %d indices of the installation: %s", len(existing), strings.Join(existing, ", ")))
	}
	var restored []string
	for i, snap := range backup.Snapshots {
		part := i + 1
		if stopped(req.Stop) {
			return result, &RestoreIncompleteError{ID: req.ID, Version: backup.Version, Part: part, Snapshot: snap.Name, Deleted: result.Deleted,
				Restored: restored, NotRestored: notRestored(i), Err: ErrInterrupted}
		}
		progress(fmt.Sprintf("restoring part %d of %d (snapshot %s, %d indices)", part, PartCount, snap.Name, len(parts[i])))
		start := time.Now()
		res, err := s.Cluster.RestoreSnapshot(ctx, req.Repository, snap.Name, parts[i])
		if err == nil && res.ShardsFailed > 0 {
			err = fmt.Errorf("%d of %d shards failed to restore", res.ShardsFailed, res.ShardsTotal)
		}
		if err != nil {
			return result, &RestoreIncompleteError{ID: req.ID, Version: backup.Version, Part: part, Snapshot: snap.Name, Deleted: result.Deleted,
				Restored: restored, NotRestored: notRestored(i), Err: err}
		}
		d := time.Since(start)
		restored = append(restored, parts[i]...)
		result.Parts = append(result.Parts, RestoredPart{Part: part, Snapshot: snap.Name, Indices: parts[i], Duration: d})
		progress(fmt.Sprintf("part %d of %d restored in %.1f s (%d indices, %d shards)", part, PartCount, d.Seconds(), len(parts[i]), res.ShardsSuccessful))
	}
	return result, nil
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
	if version != "" {
		return NormalizeVersion(version)
	}
	index := MetadataIndex(prefix)
	doc, err := s.Cluster.Document(ctx, index, metadataDocumentID)
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("optimize_version is set neither on the action nor on the provider, and Optimize's metadata document %s/_doc/%s does not exist to read it from: set optimize_version to the version of the Optimize that will read the restored data", index, metadataDocumentID)
	}
	if err != nil {
		return "", fmt.Errorf("reading Optimize's version from %s/_doc/%s: %w", index, metadataDocumentID, err)
	}
	v, _ := doc["schemaVersion"].(string)
	if v == "" {
		return "", fmt.Errorf("optimize_version is set neither on the action nor on the provider, and Optimize's metadata document %s/_doc/%s has no schemaVersion: set optimize_version", index, metadataDocumentID)
	}
	return NormalizeVersion(v)
}

// installationIndices are the indices of the installation with this prefix
// among indices, by the selection a backup of that Optimize version takes
// (both parts: every index of the installation), sorted. None is not an
// error; an index that could be another installation's is
// (*AmbiguousIndexError): nothing is deleted or restored on a guess.
func installationIndices(prefix, version string, indices []string) ([]string, error) {
	release, err := ReleaseFor(version)
	if err != nil {
		release = anyRelease // not a release: the index classes of every one
	}
	sel, err := SelectIndicesFor(release, prefix, indices)
	var ambiguous *AmbiguousIndexError
	if errors.As(err, &ambiguous) {
		return nil, err
	}
	return sel.All(), nil
}
