// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import "strings"

// sentAsIs reports whether a byte goes into a request path unescaped: the
// unreserved set (letters, digits, - . _ ~), and * , (the adapters keep
// wildcards and lists as they are).
func sentAsIs(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c == '*' || c == ','
}

// PathEscape is s as one segment of a request path, the way the adapters
// send it: every byte outside sentAsIs as %XX, and "." and ".." escaped
// whole (they would otherwise be read as path steps). A command a message
// suggests (PUT _snapshot/<repository>) names a repository so, and pasted it
// reaches the same repository.
func PathEscape(s string) string {
	if s == "." || s == ".." {
		return strings.Repeat("%2E", len(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if sentAsIs(c) {
			b.WriteByte(c)
			continue
		}
		const hex = "0123456789ABCDEF"
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// EscapedLength is len(PathEscape(s)) without building it: the
// request-line limit is checked against it.
func EscapedLength(s string) int {
	if s == "." || s == ".." {
		return 3 * len(s)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if sentAsIs(s[i]) {
			n++
		} else {
			n += 3
		}
	}
	return n
}
