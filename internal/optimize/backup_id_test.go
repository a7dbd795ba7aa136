// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

type idCase struct {
	name    string
	id      string
	wantErr string // substring of the message; empty means valid
}

func checkID(t *testing.T, validate func(string) error, tt idCase) {
	t.Helper()
	err := validate(tt.id)
	if tt.wantErr == "" {
		if err != nil {
			t.Fatalf("%q: got %v, want valid", tt.id, err)
		}
		return
	}
	var invalid *InvalidBackupIDError
	if !errors.As(err, &invalid) {
		t.Fatalf("%q: got %v, want *InvalidBackupIDError", tt.id, err)
	}
	if !strings.Contains(err.Error(), tt.wantErr) {
		t.Fatalf("%q: got %q, want it to mention %q", tt.id, err, tt.wantErr)
	}
}

// Optimize 3.9's BackupRequestDto plus Elasticsearch's snapshot-name rules.
func TestValidateBackupIDFor_optimize39(t *testing.T) {
	tests := []idCase{
		{"numeric", "1", ""},
		{"zero", "0", ""},
		{"leading zero is a string like any other", "007", ""},
		{"sign", "-1", ""},
		{"plus", "+1", ""},
		{"exponent", "1e3", ""},
		{"beyond Long", "9223372036854775808", ""},
		{"lowercase words", "nightly-2026-11-24", ""},
		{"dots and colons", "v3.9:pre-upgrade", ""},
		{"non-ascii lowercase", "sauvegarde-été", ""},
		{"tab: Optimize and Elasticsearch take it", "a\tb", ""},
		{"no-break space: not blank for Java, not ' ' for Elasticsearch", "a\u00a0b", ""},
		{"a no-break space alone is not blank", "\u00a0", ""},
		{"uppercase without a lowercase mapping: double-struck C", "\u2102", ""},
		{"uppercase without a lowercase mapping: mathematical bold A", "\U0001D400", ""},
		{"sharp s", "stra\u00dfe", ""},
		{"final sigma", "\u03bb\u03bf\u03b3\u03bf\u03c2", ""},
		{"940 characters", strings.Repeat("a", 940), ""},
		{"941 characters: no metadata makes it fail", strings.Repeat("a", 941), ""},
		{"longest accepted: 3995", strings.Repeat("a", MaxBackupIDLength-1), ""},
		{"3996 is too long", strings.Repeat("a", MaxBackupIDLength), "shorter than 3996"},
		{"length counts Java chars: 1998 supplementary characters are 3996", strings.Repeat("\U0001D41A", 1998), "3996 characters long"},
		{"empty", "", "must not be blank"},
		{"blank", "   ", "must not be blank"},
		{"a tab alone is blank", "\t", "must not be blank"},
		{"ASCII uppercase", "Nightly", `uppercase letter 'N'`},
		{"uppercase non-ascii: Elasticsearch's lowercase check", "\u00e9t\u00e9-\u00c9", "'É' (U+00C9) at position 6"},
		{"circled A", "a\u24b6", "U+24B6"},
		{"titlecase dz", "a\u01c5", "U+01C5"},
		{"roman numeral twelve", "a\u216b", "U+216B"},
		{"dotted capital I", "a\u0130", "U+0130"},
		{"capital sigma", "a\u03a3", "U+03A3"},
		{"space", "a b", "a space at position 1"},
		{"newline", "a\nb", "line break (U+000A)"},
		{"carriage return", "a\rb", "line break (U+000D)"},
		{"line separator", "a\u2028b", "line break (U+2028)"},
		{"hash: Elasticsearch", "a#b", `'#' at position 1; Elasticsearch`},
		{"invalid utf-8", "a\xffb", "not valid UTF-8"},
	}
	for _, c := range []rune{'"', '*', '\\', '<', '|', ',', '>', '/', '?', '_'} {
		tests = append(tests, idCase{"forbidden " + string(c), "ab" + string(c) + "c", fmt.Sprintf("contains %q at position 2; Optimize 3.9", c)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkID(t, func(id string) error { return ValidateBackupIDFor(id, "3.9.0") }, tt)
		})
	}
}

// Optimize 3.10+ and 8.x: a non-negative Integer or Long in plain decimal.
func TestValidateBackupIDFor_numeric(t *testing.T) {
	const listBreaks = "Optimize's own backup list (GET /actuator/backups)"
	for _, v := range []struct {
		version, typ string
		max          string
		overMax      string
	}{
		{"3.10.0", "Integer", "2147483647", "2147483648"},
		{"3.13.4", "Integer", "2147483647", "2147483648"},
		{"8.8.0", "Long", "9223372036854775807", "9223372036854775808"},
		{"8.6.0-SNAPSHOT", "Long", "9223372036854775807", "9223372036854775808"},
	} {
		tests := []idCase{
			{"zero", "0", ""},
			{"seven", "7", ""},
			{"a date", "20261124", ""},
			{"the largest " + v.typ, v.max, ""},
			{"one over the largest " + v.typ, v.overMax, "larger than " + v.max + ", the largest Java " + v.typ},
			{"leading zero", "007", "leading zero; Optimize"},
			{"leading zero names the listed id", "007", "would list it as 7"},
			{"two zeros", "00", "would list it as 0"},
			{"negative", "-1", `'-' at position 0`},
			{"plus sign", "+1", `'+' at position 0`},
			{"exponent", "1e3", `'e' at position 1`},
			{"a string id", "nightly-1", `'n' at position 0`},
			{"a string id says why", "nightly-1", listBreaks},
			{"empty", "", "must not be blank"},
			{"space", "1 2", "a space at position 1"},
			{"tab", "1\t2", "a tab at position 1"},
			{"twenty digits", "10000000000000000000", "larger than"},
			// Read as a uint64 these wrap past 2^64 to 1 and to a small
			// number: only the length guard refuses them.
			{"twenty digits that wrap", "18446744073709551617", "larger than"},
			{"twenty-one digits that wrap", "100000000000000000001", "larger than"},
			{"very long", strings.Repeat("9", 3995), "larger than"},
		}
		if v.typ == "Integer" {
			tests = append(tests,
				idCase{"the largest Long is too large for an Integer version", "9223372036854775807", "larger than 2147483647"},
				idCase{"beyond Long", "9223372036854775808", "larger than 2147483647"})
		} else {
			tests = append(tests,
				idCase{"beyond Integer is fine for a Long version", "2147483648", ""},
				idCase{"beyond Long", "9223372036854775808", "larger than 9223372036854775807"})
		}
		for _, tt := range tests {
			t.Run(v.version+"/"+tt.name, func(t *testing.T) {
				checkID(t, func(id string) error { return ValidateBackupIDFor(id, v.version) }, tt)
			})
		}
	}
}

// The read rule (data source, import, snapshot names) takes what any covered
// version takes.
func TestValidateBackupID(t *testing.T) {
	for _, tt := range []idCase{
		{"numeric", "20261124", ""},
		{"string", "nightly-1", ""},
		{"tab", "a\tb", ""},
		{"uppercase", "Nightly", "uppercase letter 'N'"},
		{"circled A", "\u24b6", "U+24B6"},
		{"underscore", "a_b", "'_' at position 1"},
	} {
		t.Run(tt.name, func(t *testing.T) { checkID(t, ValidateBackupID, tt) })
	}
}

func TestJavaLowerCase(t *testing.T) {
	for in, want := range map[string]string{
		"abc":         "abc",
		"ABC":         "abc",
		"\u24b6":      "\u24d0",  // Ⓐ -> ⓐ (unicode.IsUpper is false for Ⓐ)
		"\u01c5":      "\u01c6",  // ǅ -> ǆ (titlecase)
		"\u216b":      "\u217b",  // Ⅻ -> ⅻ
		"\u0130":      "i\u0307", // İ -> i + combining dot above, as Java's String.toLowerCase
		"\u2102":      "\u2102",  // ℂ has no lowercase mapping
		"\U0001D400":  "\U0001D400",
		"\u00df":      "\u00df",
		"a\tb\u00a0c": "a\tb\u00a0c",
	} {
		if got := JavaLowerCase(in); got != want {
			t.Errorf("JavaLowerCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateBackupIDFor_unsupportedVersion(t *testing.T) {
	for _, v := range []string{"3.8.0", "2.7.0", "8.5.0", "4.0.0"} {
		err := ValidateBackupIDFor("1", v)
		var unsupported *UnsupportedVersionError
		if !errors.As(err, &unsupported) || !strings.Contains(err.Error(), "3.9, 3.10, 3.11, 3.12, 3.13, 3.14, 8.6, 8.7, 8.8, 8.9, 8.10") {
			t.Errorf("version %s: got %v, want an error naming the covered versions", v, err)
		}
	}
}

// Whatever the id, the snapshot metadata stays the same small size: nothing
// the provider adds may make a valid id fail (Elasticsearch refuses metadata
// of 1024 bytes or more).
func TestSnapshotMetadataIsBounded(t *testing.T) {
	for _, version := range []string{"3.9.0", "8.8.0", "99999.99999.99999"} {
		b, err := json.Marshal(SnapshotMetadata(version, newCreateToken()))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > MaxSnapshotMetadataBytes || MaxSnapshotMetadataBytes >= 1024 {
			t.Fatalf("metadata %s is %d bytes, over %d", b, len(b), MaxSnapshotMetadataBytes)
		}
	}
}

func TestValidateSnapshotRequest(t *testing.T) {
	if err := ValidateSnapshotRequest("backups", "1", "3.9.0"); err != nil {
		t.Fatalf("short id: %v", err)
	}
	// An id that Optimize accepts can make a request line too long: the
	// DELETE of both parts is the longest, then the restore, then the create.
	long := BackupID(strings.Repeat("a", 3995))
	if ValidateBackupID(string(long)) != nil {
		t.Fatal("3995 characters are accepted by Optimize")
	}
	err := ValidateSnapshotRequest("backups", long, "3.9.0")
	if err == nil || !strings.Contains(err.Error(), "deleting both parts in one request") || !strings.Contains(err.Error(), "8096-byte request line, over Elasticsearch's 4096-byte limit") {
		t.Fatalf("long id: got %v, want the DELETE's request line named", err)
	}
	// The longest id that fits: every line at most 4096 bytes, one more
	// character too long.
	fits := 0
	for n := 1; n < 4000; n++ {
		if ValidateSnapshotRequest("backups", BackupID(strings.Repeat("a", n)), "3.9.0") != nil {
			break
		}
		fits = n
	}
	longest := 0
	for _, line := range BackupRequestLines("backups", BackupID(strings.Repeat("a", fits)), "3.9.0") {
		longest = max(longest, line.Length)
	}
	if longest > MaxRequestLineBytes || longest < MaxRequestLineBytes-1 {
		t.Fatalf("the longest id that fits (%d characters) makes a %d-byte line; want 4095 or 4096", fits, longest)
	}
	// The lines as the adapter writes them.
	lines := BackupRequestLines("r", "5", "8.8.0")
	for i, want := range []string{
		"PUT /_snapshot/r/camunda_optimize_5_8.8.0_part_2_of_2?wait_for_completion=true HTTP/1.1",
		"GET /_snapshot/r/camunda_optimize_5_*?ignore_unavailable=true HTTP/1.1",
		"DELETE /_snapshot/r/camunda_optimize_5_8.8.0_part_1_of_2,camunda_optimize_5_8.8.0_part_2_of_2 HTTP/1.1",
		"POST /_snapshot/r/camunda_optimize_5_8.8.0_part_2_of_2/_restore?wait_for_completion=true HTTP/1.1",
	} {
		if lines[i].Length != len(want) {
			t.Errorf("%s: %d bytes, want %d (%s)", lines[i].What, lines[i].Length, len(want), want)
		}
	}
	// Characters that must be percent-encoded count three times.
	encoded := BackupID(strings.Repeat("é", 700))
	if ValidateBackupID(string(encoded)) != nil {
		t.Fatal("é ids are valid")
	}
	if err := ValidateSnapshotRequest("backups", encoded, "3.9.0"); err == nil {
		t.Fatal("a percent-encoded request line over 4 KB must be refused")
	}
	if !JoinedDeleteFits("backups", []string{"a", "b"}) || JoinedDeleteFits("backups", []string{strings.Repeat("a", 2100), strings.Repeat("b", 2100)}) {
		t.Fatal("JoinedDeleteFits")
	}
}

// An id meant as a number is told the numeric rule, not Optimize 3.9's.
func TestValidateBackupIDNumericLooking(t *testing.T) {
	for _, id := range []string{" 5", "5\n", "5 "} {
		err := ValidateBackupID(id)
		if err == nil || !strings.Contains(err.Error(), "takes a numeric backup id") || strings.Contains(err.Error(), "Optimize 3.9") {
			t.Errorf("%q: %v", id, err)
		}
	}
	if err := ValidateBackupID("Nightly"); err == nil || !strings.Contains(err.Error(), "Optimize 3.9") {
		t.Errorf("a string id is told 3.9's rule: %v", err)
	}
}

// A command a message suggests names the repository as the adapters send
// it: pasted, it reaches the same repository.
func TestRepositoryMissingHintEscapes(t *testing.T) {
	err := &RepositoryMissingError{Repository: "a%41"}
	if !strings.Contains(err.Error(), "PUT /_snapshot/a%2541 ") {
		t.Fatalf("hint: %v", err)
	}
	if got := PathEscape("dépôt/x"); got != "d%C3%A9p%C3%B4t%2Fx" || EscapedLength("dépôt/x") != len(got) {
		t.Fatalf("PathEscape = %q", got)
	}
}
