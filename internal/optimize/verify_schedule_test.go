// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"testing"
	"time"
)

func TestVerifyDue(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	week := 168 * time.Hour
	passed := func(id BackupID, ago time.Duration) Verification {
		return Verification{BackupID: id, At: now.Add(-ago), Passed: true}
	}
	failed := func(id BackupID, ago time.Duration) Verification {
		return Verification{BackupID: id, At: now.Add(-ago), Error: "part 2 did not restore"}
	}
	for _, tc := range []struct {
		name   string
		every  time.Duration
		last   Verification
		newest BackupID
		want   bool
	}{
		{"no schedule", 0, Verification{}, "100", false},
		{"no COMPLETED backup", week, Verification{}, "", false},
		{"never drilled", week, Verification{}, "100", true},
		{"drilled an hour ago", week, passed("100", time.Hour), "100", false},
		{"drilled a second less than a week ago", week, passed("100", week-time.Second), "101", false},
		{"drilled exactly a week ago", week, passed("100", week), "100", true},
		{"drilled eight days ago", week, passed("100", 192*time.Hour), "100", true},
		{"failed, the same newest backup: not again before every", week, failed("100", time.Hour), "100", false},
		{"failed, a newer backup since", week, failed("100", time.Hour), "101", true},
		{"failed a week ago", week, failed("100", week), "100", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := VerifyDue(tc.every, tc.last, tc.newest, now)
			if got != tc.want {
				t.Fatalf("VerifyDue = %v (%q), want %v", got, why, tc.want)
			}
			if got && why == "" {
				t.Errorf("due without a reason")
			}
		})
	}
	if (Verification{}).Failed() {
		t.Error("no drill counts as a failed drill")
	}
}
