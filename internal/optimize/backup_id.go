// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxBackupIDLength is the first length Optimize 3.9 refuses: an id must be
// shorter than this many characters (Java chars, that is UTF-16 code units).
const MaxBackupIDLength = 3996

// MaxRequestLineBytes is Elasticsearch's default http.max_initial_line_length.
const MaxRequestLineBytes = 4096

// optimize39ForbiddenChars are refused by Optimize 3.9's BackupRequestDto.
const optimize39ForbiddenChars = " \"*\\<|,>/?_"

// snapshotNameForbiddenChars are refused in snapshot names by Elasticsearch
// (SnapshotsService.validate: whitespace meaning ' ', ',', '#', and
// Strings.INVALID_FILENAME_CHARS).
const snapshotNameForbiddenChars = " ,#\\/*?\"<>|"

// javaLineTerminators are the characters Java's regular expressions treat as
// line terminators: none may appear in an Optimize 3.9 id.
const javaLineTerminators = "\n\r\u0085\u2028\u2029"

// InvalidBackupIDError says why a backup id was refused.
type InvalidBackupIDError struct {
	ID     string
	Reason string
}

func (e *InvalidBackupIDError) Error() string {
	return fmt.Sprintf("invalid backup id %q: %s", abbreviate(e.ID), e.Reason)
}

// ValidateBackupID accepts an id that some Optimize version the provider
// covers accepts and that Elasticsearch can store in a snapshot name. It is
// the rule for ids that are read (the data source, import, snapshot names):
// which version's rule applies is decided by the backup itself. Taking a
// backup uses ValidateBackupIDFor, the rule of the installation's version.
func ValidateBackupID(id string) error {
	var first error
	for _, r := range Releases {
		err := r.ValidateID(id)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if looksNumeric(id) {
		// Meant for a numeric release (" 5", "5\n"): its rule says why.
		return newest().ValidateID(id)
	}
	return first
}

// looksNumeric reports whether id is digits with whitespace, a sign or a
// line break around or among them: an id meant as a number (" 5", "5\n").
// Plain digits that no rule takes (3,996 of them) are told 3.9's length.
func looksNumeric(id string) bool {
	digit, other := false, false
	for _, c := range id {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case unicode.IsSpace(c), c == '+', c == '-':
			other = true
		default:
			return false
		}
	}
	return digit && other
}

// ValidateBackupIDFor applies the id rule of the Optimize version (and
// Elasticsearch's snapshot-name rules) to id.
func ValidateBackupIDFor(id, version string) error {
	release, err := ReleaseFor(version)
	if err != nil {
		return err
	}
	return release.ValidateID(id)
}

// ValidateID applies the release's id rule and Elasticsearch's snapshot-name
// rules to id. The error names the offending character or limit.
func (r Release) ValidateID(id string) error {
	invalid := func(format string, args ...any) error {
		return &InvalidBackupIDError{ID: id, Reason: fmt.Sprintf(format, args...)}
	}
	if !utf8.ValidString(id) {
		return invalid("it is not valid UTF-8")
	}
	var err error
	switch r.ID {
	case IDString:
		err = r.validateStringID(id)
	default:
		err = r.validateNumericID(id)
	}
	if err != nil {
		return invalid("%s", err.Error())
	}
	if reason := snapshotNameProblem(id); reason != "" {
		return invalid("%s", reason)
	}
	return nil
}

// validateStringID is Optimize 3.9's BackupRequestDto: not blank, shorter
// than 3996 characters, no ASCII uppercase letter, none of
// space " * \ < | , > / ? _, and no line break.
func (r Release) validateStringID(id string) error {
	if javaIsBlank(id) {
		return fmt.Errorf("it must not be blank")
	}
	if n := len(utf16.Encode([]rune(id))); n >= MaxBackupIDLength {
		return fmt.Errorf("it is %d characters long; Optimize %s accepts ids shorter than %d characters", n, r.Name, MaxBackupIDLength)
	}
	for i, c := range id {
		switch {
		case strings.ContainsRune(optimize39ForbiddenChars, c):
			return fmt.Errorf("it contains %s at position %d; Optimize %s refuses ids with any of: space \" * \\ < | , > / ? _", describeRune(c), i, r.Name)
		case c >= 'A' && c <= 'Z':
			return fmt.Errorf("it contains the uppercase letter %q at position %d; Optimize %s takes lowercase ids", c, i, r.Name)
		case strings.ContainsRune(javaLineTerminators, c):
			return fmt.Errorf("it contains a line break (%U) at position %d; Optimize %s refuses ids with line breaks", c, i, r.Name)
		}
	}
	return nil
}

// validateNumericID is Optimize 3.10+'s rule: a non-negative Java Integer or
// Long in plain decimal, because Optimize's list endpoint parses every
// camunda_optimize_* snapshot name back with ^camunda_optimize_(\d+)_.*$.
func (r Release) validateNumericID(id string) error {
	why := fmt.Sprintf("Optimize %s takes a numeric backup id (a non-negative Java %s in plain decimal, such as 1764633600), and Optimize's own backup list (GET /actuator/backups) "+
		"reads every camunda_optimize_* snapshot name back as such a number and answers 500 for the whole repository when one does not parse", r.Name, r.ID)
	if id == "" {
		return fmt.Errorf("it must not be blank; %s", why)
	}
	for i, c := range id {
		if c < '0' || c > '9' {
			return fmt.Errorf("it contains %s at position %d; %s", describeRune(c), i, why)
		}
	}
	if len(id) > 1 && id[0] == '0' {
		return fmt.Errorf("it has a leading zero; Optimize %s would list it as %s and then not find it under that id: write it without leading zeros", r.Name, strings.TrimLeft(id, "0")+zeroIfEmpty(strings.TrimLeft(id, "0")))
	}
	maxID := r.ID.MaxID()
	if len(id) > len(fmt.Sprint(maxID)) || parseUint(id) > maxID {
		return fmt.Errorf("it is larger than %d, the largest Java %s that Optimize %s can read back; Optimize's own backup list (GET /actuator/backups) would answer 500 for the whole repository", maxID, r.ID, r.Name)
	}
	return nil
}

// snapshotNameProblem applies Elasticsearch's snapshot-name rules to the id
// part of a snapshot name (the rest of Optimize's names always passes).
func snapshotNameProblem(id string) string {
	for i, c := range id {
		if strings.ContainsRune(snapshotNameForbiddenChars, c) {
			return fmt.Sprintf("it contains %s at position %d; Elasticsearch refuses snapshot names with whitespace or any of , # \\ / * ? \" < > |", describeRune(c), i)
		}
	}
	if lower := JavaLowerCase(id); lower != id {
		for i, c := range id {
			if l := JavaLowerCase(string(c)); l != string(c) {
				return fmt.Sprintf("it contains %q (%U) at position %d, which Elasticsearch's lowercase check (toLowerCase(Locale.ROOT)) turns into %q; Elasticsearch refuses snapshot names that are not lowercase", c, c, i, l)
			}
		}
	}
	return ""
}

// JavaLowerCase is Java's String.toLowerCase(Locale.ROOT), which
// Elasticsearch compares a snapshot name with. It differs from Go's
// strings.ToLower where Java's String-level special casing applies: U+0130
// (İ) becomes "i̇" (two chars), and Σ becomes σ or ς by context (this
// returns σ; either way the name is not lowercase). Every other code point
// maps by the simple lowercase mapping of the Unicode data, which
// unicode.ToLower and Java's Character.toLowerCase share: so Ⓐ, ǅ and Ⅻ are
// not lowercase (unicode.IsUpper misses all three), while ℂ and 𝐀, uppercase
// letters without a lowercase mapping, are.
func JavaLowerCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch c {
		case '\u0130':
			b.WriteString("i\u0307")
		default:
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}

// javaIsBlank is what a Bean Validation @NotBlank finds blank: nothing left
// after String.trim(), which removes the characters up to U+0020 (a tab
// alone is blank; a non-breaking space is not).
func javaIsBlank(s string) bool {
	for _, c := range s {
		if c > ' ' {
			return false
		}
	}
	return true
}

// parseUint reads at most 20 ASCII digits (the caller checked them).
func parseUint(digits string) uint64 {
	var n uint64
	for i := 0; i < len(digits); i++ {
		n = n*10 + uint64(digits[i]-'0')
	}
	return n
}

func zeroIfEmpty(s string) string {
	if s == "" {
		return "0"
	}
	return ""
}

// RequestLine is one HTTP request line the provider sends for a backup, and
// its length as it goes on the wire (names percent-encoded, with the method
// and the protocol, without the line break).
type RequestLine struct {
	What   string // what the request does
	Length int
}

// BackupRequestLines are the longest request lines the provider sends for a
// backup: taking part 2 and waiting for it, reading the backup, deleting
// both parts in one request, and restoring part 2 (part 1's lines are
// shorter by one byte: "part_1" and "part_2" are as long, and the same
// requests name it).
func BackupRequestLines(repository string, id BackupID, version string) []RequestLine {
	repo := EscapedLength(repository)
	part1, part2 := EscapedLength(SnapshotName(id, version, 1)), EscapedLength(SnapshotName(id, version, 2))
	const proto = len(" HTTP/1.1")
	return []RequestLine{
		{"taking a part (PUT /_snapshot/<repository>/<snapshot>?wait_for_completion=true)",
			len("PUT /_snapshot/") + repo + len("/") + part2 + len("?wait_for_completion=true") + proto},
		{"reading the backup (GET /_snapshot/<repository>/camunda_optimize_<id>_*?ignore_unavailable=true)",
			len("GET /_snapshot/") + repo + len("/") + EscapedLength(SnapshotPattern(id)) + len("?ignore_unavailable=true") + proto},
		{"deleting both parts in one request (DELETE /_snapshot/<repository>/<part 1>,<part 2>)",
			len("DELETE /_snapshot/") + repo + len("/") + part1 + len(",") + part2 + proto},
		RestoreRequestLine(repository, id, version),
	}
}

// RestoreRequestLine is the request line of restoring part 2 (part 1's is as
// long).
func RestoreRequestLine(repository string, id BackupID, version string) RequestLine {
	return RequestLine{"restoring a part (POST /_snapshot/<repository>/<snapshot>/_restore?wait_for_completion=true)",
		len("POST /_snapshot/") + EscapedLength(repository) + len("/") + EscapedLength(SnapshotName(id, version, 2)) +
			len("/_restore?wait_for_completion=true") + len(" HTTP/1.1")}
}

// ValidateSnapshotRequest checks that every request the provider sends for
// this backup (BackupRequestLines) fits Elasticsearch's default 4 KB HTTP
// request line (http.max_initial_line_length), so that a backup that can be
// taken can also be read, deleted and restored.
func ValidateSnapshotRequest(repository string, id BackupID, version string) error {
	for _, line := range BackupRequestLines(repository, id, version) {
		if line.Length > MaxRequestLineBytes {
			return &InvalidBackupIDError{ID: string(id), Reason: fmt.Sprintf(
				"%s for it in repository %q would be a %d-byte request line, over Elasticsearch's %d-byte limit (http.max_initial_line_length), which refuses it; use a shorter id",
				line.What, repository, line.Length, MaxRequestLineBytes)}
		}
	}
	return nil
}

// JoinedDeleteFits reports whether one DELETE of these snapshots fits the
// request line; a backup whose id is too long for that (one that Optimize
// took, imported) is deleted one snapshot per request.
func JoinedDeleteFits(repository string, names []string) bool {
	return DeleteRequestLineLength(repository, names) <= MaxRequestLineBytes
}

// DeleteRequestLineLength is the length of the request line that deletes
// these snapshots (or patterns) in one request, as the adapters send it:
// "DELETE /_snapshot/<repository>/<name>,<name> HTTP/1.1", names
// percent-encoded, joined by unencoded commas, which count too.
func DeleteRequestLineLength(repository string, names []string) int {
	length := len("DELETE /_snapshot/") + EscapedLength(repository) + len("/") + len(" HTTP/1.1")
	for i, n := range names {
		if i > 0 {
			length += len(",")
		}
		length += EscapedLength(n)
	}
	return length
}

// snapshotPatternFits reports whether the request line that reads backup
// id's snapshots by their pattern (BackupRequestLines) fits.
func snapshotPatternFits(repository string, id BackupID) bool {
	return len("GET /_snapshot/")+EscapedLength(repository)+len("/")+EscapedLength(SnapshotPattern(id))+
		len("?ignore_unavailable=true")+len(" HTTP/1.1") <= MaxRequestLineBytes
}

func describeRune(r rune) string {
	switch r {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	}
	return fmt.Sprintf("%q", r)
}

func abbreviate(s string) string {
	const limit = 64
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "..."
}
