// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Optimize's alias rule, written out: the unversioned name is the write
// alias (of the newest generation of a rollover family), the instance
// indices also carry their read-only multi alias.
func TestTargetAliases(t *testing.T) {
	got := TargetAliases("staging", []string{
		"staging-metadata_v3",
		"staging-event_v4-000001", "staging-event_v4-000002",
		"staging-process-instance-invoice_v8",
		"staging-process-instance-archive-invoice_v8",
		"staging-decision-instance-risk_v5",
		"other-index",
	})
	want := []AliasAdd{
		{"staging-decision-instance-risk_v5", "staging-decision-instance", false},
		{"staging-decision-instance-risk_v5", "staging-decision-instance-risk", true},
		{"staging-event_v4-000001", "staging-event", false},
		{"staging-event_v4-000002", "staging-event", true},
		{"staging-metadata_v3", "staging-metadata", true},
		{"staging-process-instance-archive-invoice_v8", "staging-process-instance", false},
		{"staging-process-instance-archive-invoice_v8", "staging-process-instance-archive-invoice", true},
		{"staging-process-instance-invoice_v8", "staging-process-instance", false},
		{"staging-process-instance-invoice_v8", "staging-process-instance-invoice", true},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("aliases\n got %v\nwant %v", got, want)
	}
}

func TestRenameRule(t *testing.T) {
	pattern, replacement := renameRule("optimize.x", "staging")
	if pattern != `^optimize\.x-(.+)$` || replacement != "staging-$1" {
		t.Fatalf("rule %q %q", pattern, replacement)
	}
	if got := renamed("optimize", "staging", "optimize-report_v3"); got != "staging-report_v3" {
		t.Fatalf("renamed %q", got)
	}
}

// A target under the source's "<prefix>-", or the source under the
// target's, is refused; a target equal to the source is a normal restore.
func TestCheckTargetPrefix(t *testing.T) {
	for _, tc := range []struct {
		target string
		refuse string
	}{
		{"staging", ""},
		{"optimize-staging", `overlap (one is under the other's "optimize-")`},
		{"opt", ""},
		{"optimizer", ""},
		{"stag$1", "rename_replacement"},
	} {
		err := checkTargetPrefix(RestoreRequest{ID: "7", IndexPrefix: "optimize", TargetIndexPrefix: tc.target})
		if tc.refuse == "" && err != nil || tc.refuse != "" && (err == nil || !strings.Contains(err.Error(), tc.refuse)) {
			t.Errorf("target %q: %v, want refusal %q", tc.target, err, tc.refuse)
		}
		var refused *RestoreRefusedError
		if err != nil && !errors.As(err, &refused) {
			t.Errorf("target %q: %T, not a refusal", tc.target, err)
		}
	}
	if err := checkTargetPrefix(RestoreRequest{ID: "7", IndexPrefix: "optimize-eu", TargetIndexPrefix: "optimize"}); err == nil {
		t.Error("a source under the target's prefix was not refused")
	}
	req := RestoreRequest{IndexPrefix: "optimize", TargetIndexPrefix: "optimize"}
	if req.normalizeTarget(); req.TargetIndexPrefix != "" {
		t.Error("a target equal to the source is not a normal restore")
	}
}
