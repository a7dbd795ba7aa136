// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

// EscapedLength is the length of s as the Elasticsearch adapter sends it in
// a request path: every byte outside the unreserved set (letters, digits,
// - . _ ~) and * , takes three bytes (%XX). The request-line limit is
// checked against it.
func EscapedLength(s string) int {
	if s == "." || s == ".." {
		return 3 * len(s)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '*', c == ',':
			n++
		default:
			n += 3
		}
	}
	return n
}
