// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"strings"
	"time"
)

// Controls of snapshots: how long they run, how they end, their age, and
// pausing them.

type snapshotFault struct {
	state  string
	reason string
}

// SetSnapshotDuration sets how long snapshots created from now on stay
// IN_PROGRESS.
func (e *Emulator) SetSnapshotDuration(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.duration = d
}

// FailSnapshot makes the snapshot with this name (in any repository) end in
// state FAILED, PARTIAL or INCOMPATIBLE with reason, when it completes. A
// snapshot that has already completed is changed at once.
func (e *Emulator) FailSnapshot(name, state, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failures[name] = snapshotFault{state: state, reason: reason}
	for _, r := range e.repositories {
		if s, ok := r.snapshots[name]; ok && s.state != stateInProgress {
			s.applyOutcome(snapshotFault{state: state, reason: reason})
		}
	}
}

// AgeSnapshots moves the start (and, once ended, the end) of every
// snapshot of repo whose name starts with prefix back by d, as if it had
// been taken that much earlier: tests of schedules and retention use it
// instead of waiting. It returns how many it moved.
func (e *Emulator) AgeSnapshots(repo, prefix string, d time.Duration) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repo]
	if !ok {
		return 0
	}
	n := 0
	for name, s := range r.snapshots {
		if strings.HasPrefix(name, prefix) {
			s.start = s.start.Add(-d)
			if !s.end.IsZero() && s.state != stateInProgress {
				s.end = s.end.Add(-d)
			}
			n++
		}
	}
	return n
}

// PauseSnapshots keeps snapshots IN_PROGRESS until ResumeSnapshots: every
// snapshot, or with names only the snapshots of those names (in any
// repository, including those not created yet).
func (e *Emulator) PauseSnapshots(names ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(names) == 0 {
		e.pauseAll = true
		return
	}
	if e.pauseNames == nil {
		e.pauseNames = map[string]bool{}
	}
	for _, n := range names {
		e.pauseNames[n] = true
	}
}

// ResumeSnapshots ends the snapshots paused by PauseSnapshots whose time has
// come; the others end on their own time.
func (e *Emulator) ResumeSnapshots() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pauseAll = false
	e.pauseNames = nil
	paused := e.pausedSnapshots
	e.pausedSnapshots = nil
	for _, s := range paused {
		e.finishLocked(s)
	}
}

// FailRestoreOf makes the primary shard of the snapshot index index fail
// its next restore: the restored index exists, red, without documents, and
// the restore's answer counts the shard as failed.
func (e *Emulator) FailRestoreOf(index string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.restoreFaults[index] = true
}
