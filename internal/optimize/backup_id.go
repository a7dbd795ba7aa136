package optimize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxBackupIDLength is the first length Optimize 3.9 refuses: an id must be
// shorter than this many characters.
const MaxBackupIDLength = 3996

// MaxRequestLineBytes is Elasticsearch's default http.max_initial_line_length.
const MaxRequestLineBytes = 4096

// forbiddenIDChars are refused by Optimize 3.9 (space " * \ < | , > / ? _) and,
// for '#', by Elasticsearch's snapshot-name rules.
const forbiddenIDChars = " \"*\\<|,>/?_#"

// InvalidBackupIDError says why a backup id was refused.
type InvalidBackupIDError struct {
	ID     string
	Reason string
}

func (e *InvalidBackupIDError) Error() string {
	return fmt.Sprintf("invalid backup id %q: %s", abbreviate(e.ID), e.Reason)
}

// ValidateBackupID applies Optimize 3.9's id rules and Elasticsearch's
// snapshot-name rules to id. The error names the offending character or limit.
func ValidateBackupID(id string) error {
	invalid := func(format string, args ...any) error {
		return &InvalidBackupIDError{ID: id, Reason: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(id) == "" {
		return invalid("it must not be blank")
	}
	if !utf8.ValidString(id) {
		return invalid("it is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(id); n >= MaxBackupIDLength {
		return invalid("it is %d characters long; Optimize accepts ids shorter than %d characters", n, MaxBackupIDLength)
	}
	for i, r := range id {
		switch {
		case strings.ContainsRune(forbiddenIDChars, r):
			return invalid("it contains %s at position %d; an id must not contain any of: space \" * \\ < | , > / ? _ #", describeRune(r), i)
		case unicode.IsSpace(r):
			return invalid("it contains whitespace (%U) at position %d", r, i)
		case unicode.IsUpper(r):
			return invalid("it contains the uppercase letter %q at position %d; ids must be lowercase", r, i)
		case unicode.IsControl(r):
			return invalid("it contains the control character %U at position %d", r, i)
		}
	}
	return nil
}

// ValidateSnapshotRequest checks that the longest request the provider sends
// for this backup (creating part 2 and waiting for it) fits Elasticsearch's
// default 4 KB HTTP request line.
func ValidateSnapshotRequest(repository string, id BackupID, version string) error {
	length := len("PUT /_snapshot/") + EscapedLength(repository) + len("/") +
		EscapedLength(SnapshotName(id, version, 2)) + len("?wait_for_completion=true HTTP/1.1")
	if length > MaxRequestLineBytes {
		return &InvalidBackupIDError{ID: string(id), Reason: fmt.Sprintf(
			"the snapshot request for it in repository %q would be %d bytes long, over Elasticsearch's %d-byte request line limit (http.max_initial_line_length); use a shorter id",
			repository, length, MaxRequestLineBytes)}
	}
	return nil
}

func describeRune(r rune) string {
	if r == ' ' {
		return "a space"
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
