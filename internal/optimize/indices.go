// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// DefaultIndexPrefix is Optimize's default es.settings.index.prefix.
const DefaultIndexPrefix = "optimize"

// importIndexNames are the unversioned names of the import-progress indices
// that make up part 1 of a backup.
var importIndexNames = []string{"import-index", "timestamp-based-import-index", "position-based-import-index"}

// metadataIndexName is the index whose presence marks an Optimize installation.
const metadataIndexName = "metadata"

// optimizeIndexName matches what follows "<prefix>-" in an Optimize index:
// a name (per-definition indices carry the definition key, which may contain
// '_' and '.'), a version suffix, and for rollover indices a generation.
var optimizeIndexName = regexp.MustCompile(`^([a-z0-9].*)_v[0-9]+(-[0-9]{6})?$`)

// IndexSelection is the concrete index names of each part of a backup.
type IndexSelection struct {
	Part1 []string // import-progress indices
	Part2 []string // every other index of the installation
}

// Part returns the indices of part n (1 or 2).
func (s IndexSelection) Part(n int) []string {
	if n == 1 {
		return s.Part1
	}
	return s.Part2
}

// NoOptimizeIndexError says that no index of the installation was found.
type NoOptimizeIndexError struct {
	Prefix string
	What   string
}

func (e *NoOptimizeIndexError) Error() string {
	return fmt.Sprintf("no %s of the Optimize installation with index prefix %q was found (looked for indices named %q followed by an Optimize index name and a version suffix such as _v3); check index_prefix and that Optimize has started at least once against this cluster",
		e.What, e.Prefix, e.Prefix+"-")
}

// SelectIndices decides which of indices belong to the Optimize installation
// with the given prefix, and into which part each goes. An index belongs to
// the installation when it is named "<prefix>-<name>_v<N>" and does not belong
// to another installation whose prefix is longer (prefix "optimize-staging"
// shares "optimize-" with prefix "optimize"); another installation is known
// by its metadata index. Other indices are never selected. Both parts must
// be non-empty: an empty index list would make Elasticsearch snapshot every
// index of the cluster.
func SelectIndices(prefix string, indices []string) (IndexSelection, error) {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	others := otherInstallations(prefix, indices)
	var sel IndexSelection
	for _, index := range indices {
		name, ok := optimizeNameOf(prefix, index)
		if !ok || belongsToOther(index, others) {
			continue
		}
		if isImportIndex(name) {
			sel.Part1 = append(sel.Part1, index)
		} else {
			sel.Part2 = append(sel.Part2, index)
		}
	}
	sort.Strings(sel.Part1)
	sort.Strings(sel.Part2)
	switch {
	case len(sel.Part1) == 0 && len(sel.Part2) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "index"}
	case len(sel.Part1) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "import-progress index (" + strings.Join(importIndexNames, ", ") + ")"}
	case len(sel.Part2) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "index besides the import-progress indices"}
	}
	return sel, nil
}

// IndexPattern is the wildcard that pre-filters an installation's indices.
func IndexPattern(prefix string) string {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	return prefix + "-*"
}

// MetadataIndex is the alias of the installation's metadata index.
func MetadataIndex(prefix string) string {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	return prefix + "-" + metadataIndexName
}

// optimizeNameOf returns the unversioned Optimize name of index for prefix.
func optimizeNameOf(prefix, index string) (string, bool) {
	rest, ok := strings.CutPrefix(index, prefix+"-")
	if !ok {
		return "", false
	}
	m := optimizeIndexName.FindStringSubmatch(rest)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// otherInstallations returns the prefixes longer than prefix (and starting
// with "<prefix>-") that are installations of their own: they have both a
// metadata index and an import index, which no per-definition index of this
// installation can imitate by accident.
func otherInstallations(prefix string, indices []string) []string {
	names := make(map[string]bool, len(indices))
	for _, index := range indices {
		if name, ok := optimizeNameOf(prefix, index); ok {
			names[name] = true
		}
	}
	var others []string
	for name := range names {
		head, found := strings.CutSuffix(name, "-"+metadataIndexName)
		if found && head != "" && names[head+"-"+importIndexNames[0]] {
			others = append(others, prefix+"-"+head)
		}
	}
	return others
}

func belongsToOther(index string, others []string) bool {
	for _, other := range others {
		if _, ok := optimizeNameOf(other, index); ok {
			return true
		}
	}
	return false
}

func isImportIndex(name string) bool {
	for _, n := range importIndexNames {
		if name == n {
			return true
		}
	}
	return false
}
