// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// A restore interrupted (Ctrl-C) is reported as an error however it ended:
// after its last part finished too (the run was stopped, and a warning would
// let the run look as if it had done only what was asked), and when it
// stopped before a part or was refused.
func TestAddInterruptedRestoreIsAlwaysAnError(t *testing.T) {
	finished := optimize.RestoreResult{Version: "3.9.0", Parts: []optimize.RestoredPart{{Part: 1}, {Part: 2}}}
	for name, c := range map[string]struct {
		result  optimize.RestoreResult
		err     error
		summary string
		detail  string
	}{
		"after it finished": {finished, nil, `Restore of backup "7" interrupted, after it finished`,
			`backup "7" is restored in full (2 parts). Start Optimize 3.9.0 now.`},
		"before part 2": {optimize.RestoreResult{}, &optimize.RestoreIncompleteError{ID: "7", Part: 2, Err: optimize.ErrInterrupted},
			`Restore of backup "7" interrupted`, "stopped before part 2 of 2"},
		"after its checks": {optimize.RestoreResult{}, &optimize.RestoreRefusedError{ID: "7", Check: "the restore was not interrupted", Reason: "it was interrupted"},
			`Restore of backup "7" interrupted`, "Nothing was changed."},
		"failed": {optimize.RestoreResult{}, errors.New("boom"), `Restore of backup "7" interrupted`, "Boom"},
	} {
		var diags diag.Diagnostics
		addInterruptedRestore(&diags, "7", c.result, c.err, []string{"part 2 of 2 restored in 0.1 s"})
		if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
			t.Errorf("%s: diagnostics %v, want one error", name, diags)
			continue
		}
		if diags[0].Summary() != c.summary || !strings.Contains(diags[0].Detail(), c.detail) ||
			!strings.HasPrefix(diags[0].Detail(), "After the interrupt:\n- part 2 of 2 restored in 0.1 s") {
			t.Errorf("%s: %q: %q, want %q with %q", name, diags[0].Summary(), diags[0].Detail(), c.summary, c.detail)
		}
	}
}
