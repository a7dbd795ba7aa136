// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import "time"

// PartProgress is one step of a create, for CreateRequest.Progress: a part
// started (Done false), or the start's request returned (Done true).
type PartProgress struct {
	ID       BackupID
	Part     int
	Snapshot string
	Indices  int // indices in the part's snapshot
	// Waited is whether the create waits for the part to finish: false for
	// part 2 when WaitForCompletion is false, whose Done step then only
	// says that it was started.
	Waited bool
	Done   bool
	// When Done: how long the part took (the start's request, which
	// waits for the snapshot when Waited), the snapshot's state, and the
	// error, if any.
	Duration time.Duration
	State    string
	Err      error
}

func (req CreateRequest) progress(p PartProgress) {
	if req.Progress != nil {
		req.Progress(p)
	}
}
