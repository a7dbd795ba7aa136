// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import "testing"

func TestValidateRepositoryName(t *testing.T) {
	for name, ok := range map[string]bool{
		"backups": true, "optimize-backups": true, "dépôt": true, "r+s": true, "back%75ps": true, "..": true,
		"": false, "_hidden": false, "a b": false, "a#b": false, "a,b": false, "a*": false, "a/b": false,
		`a\b`: false, "a?": false, `a"b`: false, "a<b": false, "a>b": false, "a|b": false,
		// Elasticsearch trims list entries with Java's String.trim() (every
		// character up to U+0020): "\f" alone would name every repository.
		"\f": false, "a\vb": false, "a\tb": false, "a\nb": false, "\x00": false, "a\u00a0b": false,
		"a\u2028b": false, "\ufeffa": false, "a\x7fb": false,
	} {
		if err := ValidateRepositoryName(name); (err == nil) != ok {
			t.Errorf("ValidateRepositoryName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestValidateIndexPrefix(t *testing.T) {
	for prefix, ok := range map[string]bool{
		"optimize": true, "optimize-staging": true, "Optimize": false, "a:b": false, "a\fb": false, "": false,
	} {
		if err := ValidateIndexPrefix(prefix); (err == nil) != ok {
			t.Errorf("ValidateIndexPrefix(%q) = %v, want ok=%v", prefix, err, ok)
		}
	}
}
