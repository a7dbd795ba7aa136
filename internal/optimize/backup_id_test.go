// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidateBackupID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr string // substring of the message; empty means valid
	}{
		{"numeric", "1", ""},
		{"large numeric", "20261124", ""},
		{"lowercase words", "nightly-2026-11-24", ""},
		{"dots and colons", "v3.9:pre-upgrade", ""},
		{"non-ascii lowercase", "sauvegarde-été", ""},
		{"longest accepted", strings.Repeat("a", MaxBackupIDLength-1), ""},
		{"empty", "", "must not be blank"},
		{"blank", "   ", "must not be blank"},
		{"too long", strings.Repeat("a", MaxBackupIDLength), "shorter than 3996"},
		{"uppercase", "Nightly", `uppercase letter 'N'`},
		{"uppercase non-ascii", "été-É", "uppercase letter"},
		{"space", "a b", "a space at position 1"},
		{"tab", "a\tb", "whitespace"},
		{"newline", "a\nb", "whitespace"},
		{"no-break space", "a\u00a0b", "whitespace"},
		{"control", "a\x00b", "control character"},
		{"invalid utf-8", "a\xffb", "not valid UTF-8"},
	}
	for _, c := range []rune{'"', '*', '\\', '<', '|', ',', '>', '/', '?', '_', '#'} {
		tests = append(tests, struct {
			name    string
			id      string
			wantErr string
		}{"forbidden " + string(c), "ab" + string(c) + "c", fmt.Sprintf("contains %q at position 2", c)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateBackupID(tt.id)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateBackupID(%q) = %v, want valid", tt.id, err)
				}
				return
			}
			var invalid *InvalidBackupIDError
			if !errors.As(err, &invalid) {
				t.Fatalf("ValidateBackupID(%q) = %v, want *InvalidBackupIDError", tt.id, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ValidateBackupID(%q) = %q, want it to mention %q", tt.id, err, tt.wantErr)
			}
		})
	}
}

func TestValidateSnapshotRequest(t *testing.T) {
	if err := ValidateSnapshotRequest("backups", "1", "3.9.0"); err != nil {
		t.Fatalf("short id: %v", err)
	}
	// An id that Optimize accepts can still make the request line too long.
	long := BackupID(strings.Repeat("a", 3995))
	if ValidateBackupID(string(long)) != nil {
		t.Fatal("3995 characters are accepted by Optimize")
	}
	if err := ValidateSnapshotRequest("backups", long, "3.9.0"); err != nil {
		t.Fatalf("3995 characters fit the request line with a short repository name: %v", err)
	}
	err := ValidateSnapshotRequest("optimize-backups-production", long, "3.9.0")
	if err == nil || !strings.Contains(err.Error(), "4096-byte request line limit") {
		t.Fatalf("long id: got %v, want the request line limit named", err)
	}
	// Characters that must be percent-encoded count three times.
	encoded := BackupID(strings.Repeat("é", 1300))
	if ValidateBackupID(string(encoded)) != nil {
		t.Fatal("é ids are valid")
	}
	if err := ValidateSnapshotRequest("backups", encoded, "3.9.0"); err == nil {
		t.Fatal("a percent-encoded request line over 4 KB must be refused")
	}
}
