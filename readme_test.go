// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README links every guide and every page of the reference that docs/
// has (resources, data sources, list resources, actions, functions), and no
// page docs/ does not have: its lists stay in step with the provider.
func TestREADMEListsEveryDocsPage(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := filepath.Glob("docs/*/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("docs pages: %v, %v", pages, err)
	}
	for _, page := range pages {
		if !strings.Contains(string(readme), "("+filepath.ToSlash(page)+")") {
			t.Errorf("README.md does not link %s", page)
		}
	}
	for _, line := range strings.Split(string(readme), "(docs/")[1:] {
		target := "docs/" + line[:strings.IndexAny(line, ")#")]
		if _, err := os.Stat(target); err != nil {
			t.Errorf("README.md links %s, which docs/ does not have", target)
		}
	}
}
