// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"strings"
	"unicode"
)

// ValidateRepositoryName applies Elasticsearch's repository-name rules
// (RepositoriesService: not empty, no '#', none of
// Strings.INVALID_FILENAME_CHARS: the characters snapshot names refuse too,
// snapshotNameForbiddenChars) and refuses, beyond them, every whitespace and
// control character: Elasticsearch splits the repository list of GET and DELETE
// /_snapshot/{repository} on commas and trims each name with Java's
// String.trim(), so a name such as "\f" would be read as no name at all,
// which means every repository.
func ValidateRepositoryName(name string) error {
	return validateElasticsearchName("repository name", name)
}

// ValidateIndexPrefix applies the same rules to an Optimize index prefix,
// which must also be lowercase and free of ':' (index-name rules).
func ValidateIndexPrefix(prefix string) error {
	if err := validateElasticsearchName("index prefix", prefix); err != nil {
		return err
	}
	if strings.ToLower(prefix) != prefix || strings.Contains(prefix, ":") {
		return fmt.Errorf("index prefix %q must be lowercase and must not contain ':'", prefix)
	}
	return nil
}

func validateElasticsearchName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%s must not be empty", what)
	}
	if strings.HasPrefix(name, "_") {
		return fmt.Errorf("%s %q must not start with '_'", what, name)
	}
	for i, r := range name {
		switch {
		case r != ' ' && strings.ContainsRune(snapshotNameForbiddenChars, r):
			return fmt.Errorf("%s %q must not contain %q", what, name, r)
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF':
			return fmt.Errorf("%s %q must not contain whitespace or control characters (%U at byte %d)", what, name, r, i)
		}
	}
	return nil
}
