// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// The version in the exporters' index names (zeebe-record_<valueType>_<version>_<date>,
// camunda-docs: "By default, the indices are prefixed with zeebe-record"):
// the newest one counts, in numeric order (8.10 after 8.9), names without
// one are skipped.
func TestRecordsVersion(t *testing.T) {
	for _, tc := range []struct {
		indices []string
		want    string
	}{
		{[]string{"zeebe-record_job_8.8.0_2026-12-05", "zeebe-record_process_8.8.0_2026-12-04"}, "8.8.0"},
		{[]string{"zeebe-record_job_8.9.3_2026-12-05", "zeebe-record_job_8.10.0_2026-12-05"}, "8.10.0"},
		{[]string{"zeebe-record_job_8.10.0_2026-12-05", "zeebe-record_job_8.10.2_2026-12-06", "zeebe-record_job_8.10.1_2026-12-07"}, "8.10.2"},
		{[]string{"zeebe-record_job_8.8.0-alpha1_2026-12-05"}, "8.8.0"},
		{[]string{"zeebe-record_job", "operate-list-view-8.3.0_", "zeebe-record-job-8.8.0"}, ""},
		{nil, ""},
	} {
		if got := RecordsVersion(tc.indices); got != tc.want {
			t.Errorf("RecordsVersion(%q) = %q, want %q", tc.indices, got, tc.want)
		}
	}
}

func TestUnverified(t *testing.T) {
	for version, want := range map[string]bool{"8.6.0": false, "8.10": false, "8.10.4": false, "8.11.0": true, "9.0": true, "8.9.9": false, "bad": false} {
		if got := Unverified(version); got != want {
			t.Errorf("Unverified(%q) = %v, want %v", version, got, want)
		}
	}
}

// Zeebe's backup is part of the verdict: COMPLETED only when the families
// and Zeebe's backup are; a missing or failed Zeebe backup is said, after
// what the families say, and the worse state wins (FAILED over INCOMPLETE).
func TestWithZeebe(t *testing.T) {
	complete := optimize.PlatformBackup{ID: "7", State: optimize.StateCompleted}
	incomplete := optimize.PlatformBackup{ID: "7", State: optimize.StateIncomplete, FailureReason: "webapps: part 2 missing"}
	for _, tc := range []struct {
		name   string
		pb     optimize.PlatformBackup
		zeebe  *CamundaBackup
		state  optimize.State
		reason string
	}{
		{"both complete", complete, &CamundaBackup{ID: 7, State: StateCompleted}, optimize.StateCompleted, ""},
		{"zeebe missing", complete, nil, optimize.StateIncomplete, "zeebe: Zeebe has no backup 7"},
		{"zeebe running", complete, &CamundaBackup{ID: 7, State: StateInProgress}, optimize.StateInProgress, "zeebe: IN_PROGRESS"},
		{"zeebe failed", incomplete, &CamundaBackup{ID: 7, State: StateFailed, FailureReason: "Backup on partition 2 failed due to disk full. "},
			optimize.StateFailed, "webapps: part 2 missing; zeebe: FAILED: Backup on partition 2 failed due to disk full."},
		{"zeebe deleted", complete, &CamundaBackup{ID: 7, State: StateDeleted}, optimize.StateIncomplete, "zeebe: DELETED"},
		{"zeebe running, families incomplete", incomplete, &CamundaBackup{ID: 7, State: StateInProgress}, optimize.StateInProgress, "webapps: part 2 missing; zeebe: IN_PROGRESS"},
	} {
		v := WithZeebe(tc.pb, 7, tc.zeebe)
		if v.State != tc.state || v.FailureReason != tc.reason {
			t.Errorf("%s: %s %q, want %s %q", tc.name, v.State, v.FailureReason, tc.state, tc.reason)
		}
	}
}
