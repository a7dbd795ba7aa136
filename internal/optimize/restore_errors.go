// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The errors of a restore: refused before any change, or incomplete after
// some.

// RestoreRefusedError: a check before the restore failed; nothing was changed.
type RestoreRefusedError struct {
	ID     BackupID
	Check  string // what was checked
	Reason string // what was found, and what to do when Fix does not say it
	// Fix is what lets the restore pass, for the caller to say in its own
	// words after Reason (which attribute or setting does it).
	Fix RestoreFix
	// BackupVersion is the backup's Optimize version (FixTargetVersion).
	BackupVersion string
	// Err is the error the check found, when it found one: Reason holds
	// its text.
	Err error
}

// RestoreFix is what lets a refused restore pass.
type RestoreFix int

const (
	// FixNone: the Reason says what to do, or nothing can be done.
	FixNone RestoreFix = iota
	// FixBackup: name a backup that exists (its id and repository).
	FixBackup
	// FixTargetVersion: restore for the backup's version (BackupVersion),
	// then upgrade.
	FixTargetVersion
	// FixDeleteExisting: delete the installation's indices first, with
	// Optimize stopped (RestoreRequest.DeleteExistingIndices).
	FixDeleteExisting
	// FixIndexPrefix: name the installation's index prefix.
	FixIndexPrefix
)

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
	// Target is the target's index prefix of a restore into another
	// installation (Deleted, Restored and NotRestored are then the
	// target's names); empty for the installation's own.
	Target string
	Err    error
}

func (e *RestoreIncompleteError) Error() string {
	installation := "the installation's"
	if e.Target != "" {
		installation = fmt.Sprintf("the target installation %q's", e.Target)
	}
	return e.Report() + fmt.Sprintf("\n\nTo finish, keep Optimize stopped and restore the backup again for Optimize %s%s, deleting %s indices first "+
		"(the metadata index that held the version may be gone): it deletes %s indices restored so far and restores both parts from the start.",
		e.BackupVersion(), e.TargetWords(), installation, installation)
}

// TargetWords is ", into the target index prefix \"staging\"" for a
// restore into another installation; empty otherwise.
func (e *RestoreIncompleteError) TargetWords() string {
	if e.Target == "" {
		return ""
	}
	return fmt.Sprintf(", into the target index prefix %q", e.Target)
}

// BackupVersion is the backup's Optimize version, to restore it again for;
// a placeholder when it is not known.
func (e *RestoreIncompleteError) BackupVersion() string {
	if e.Version == "" {
		return "<the backup's version>"
	}
	return e.Version
}

// Report is what the failed restore did, without what to do next.
func (e *RestoreIncompleteError) Report() string {
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
	if e.Target != "" {
		fmt.Fprintf(&b, "\n\nThe restore was into the installation with index prefix %q: the names below are its indices; the source installation was not changed.", e.Target)
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
	return b.String()
}

func (e *RestoreIncompleteError) Unwrap() error { return e.Err }
