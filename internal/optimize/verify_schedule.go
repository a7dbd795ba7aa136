// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"time"
)

// A policy with a verification schedule proves, by a restore drill (Drill),
// that its newest COMPLETED backup restores, whenever its last drill is
// older than the schedule. When the last drill failed, retention is held:
// the backups before the one that did not restore may be the only ones that
// do.

// Verification is the result of a policy's last drill.
type Verification struct {
	BackupID BackupID
	At       time.Time // when the drill ended, on the cluster's clock
	Passed   bool
	// Error says why the drill failed (or was refused); empty when Passed.
	Error string
}

// Failed reports whether there is a last drill and it did not pass.
func (v Verification) Failed() bool { return !v.At.IsZero() && !v.Passed }

// VerifyDue says whether an apply at now drills the policy's newest
// COMPLETED backup (newest; empty when there is none), and why: never
// without a schedule (every 0) or a COMPLETED backup; when no drill has run;
// when the last drill is every or more old; and, after a failed drill, as
// soon as a newer COMPLETED backup than the one that failed exists (the
// policy wants to know whether that one restores). A failed drill of the
// newest backup is not repeated on every apply: only when every has passed
// again.
func VerifyDue(every time.Duration, last Verification, newest BackupID, now time.Time) (bool, string) {
	switch {
	case every <= 0 || newest == "":
		return false, ""
	case last.At.IsZero():
		return true, fmt.Sprintf("no restore drill of the policy has run; verify_every = %s", every)
	case last.Failed() && last.BackupID != newest:
		return true, fmt.Sprintf("the last drill (of backup %s) failed, and backup %s is newer", last.BackupID, newest)
	case now.Sub(last.At) >= every:
		return true, fmt.Sprintf("the last drill ran %s ago (%s), verify_every = %s", now.Sub(last.At).Round(time.Second), last.At.UTC().Format(time.RFC3339), every)
	}
	return false, ""
}
