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

// metadataIndexName is the index that holds Optimize's schema version.
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
	return fmt.Sprintf("no %s of the Optimize installation with index prefix %q was found (looked for indices named %q followed by the name of one of Optimize's index classes and a version suffix such as _v3); check index_prefix and that Optimize has started at least once against this cluster",
		e.What, e.Prefix, e.Prefix+"-")
}

// SelectIndices is SelectIndicesFor with the index classes of every release
// the provider covers, for when the installation's version does not matter.
func SelectIndices(prefix string, indices []string) (IndexSelection, error) {
	all := Release{Name: CoveredVersions()}
	for _, r := range Releases {
		all.ImportIndices = appendMissing(all.ImportIndices, r.ImportIndices...)
		all.StaticIndices = appendMissing(all.StaticIndices, r.StaticIndices...)
		all.FamilyPrefixes = appendMissing(all.FamilyPrefixes, r.FamilyPrefixes...)
	}
	return SelectIndicesFor(all, prefix, indices)
}

// SelectIndicesFor decides which of indices belong to the Optimize
// installation with the given prefix, and into which part each goes, by the
// index classes of the installation's release: an index is selected when it
// is named "<prefix>-<name>_v<N>" (or "..._v<N>-<generation>") and <name> is
// one of the release's static index names or a per-definition family
// followed by a key. Anything else is never selected: another application's
// index, a leftover such as optimize-import-index-backup_v1, or another
// installation's index (with prefix "optimize", optimize-staging-metadata_v3
// is "staging-metadata", no index class). Both parts must be non-empty: an
// empty index list would make Elasticsearch snapshot every index.
func SelectIndicesFor(release Release, prefix string, indices []string) (IndexSelection, error) {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	others := otherInstallations(release, prefix, indices)
	var sel IndexSelection
	for _, index := range indices {
		name, ok := optimizeNameOf(prefix, index)
		if !ok || !release.IsIndexClass(name) || belongsToOther(release, name, others) {
			continue
		}
		if release.IsImportIndex(name) {
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
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "import-progress index (" + strings.Join(release.ImportIndices, ", ") + ")"}
	case len(sel.Part2) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "index besides the import-progress indices"}
	}
	return sel, nil
}

func appendMissing(list []string, values ...string) []string {
	for _, v := range values {
		if !listContains(list, v) {
			list = append(list, v)
		}
	}
	return list
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

// otherInstallations finds installations whose prefix is "<prefix>-<head>"
// by their metadata index: a name "<head>-metadata" that is no index class
// of this installation. It returns the heads.
func otherInstallations(release Release, prefix string, indices []string) []string {
	var heads []string
	for _, index := range indices {
		name, ok := optimizeNameOf(prefix, index)
		if !ok || release.IsIndexClass(name) {
			continue
		}
		if head, found := strings.CutSuffix(name, "-"+metadataIndexName); found && head != "" {
			heads = appendMissing(heads, head)
		}
	}
	return heads
}

// belongsToOther reports whether name, an index class of this installation,
// is rather an index class of another installation "<prefix>-<head>" (with
// prefix "optimize" and an installation "optimize-event", the name
// "event-process-definition" is that installation's process-definition).
func belongsToOther(release Release, name string, heads []string) bool {
	for _, head := range heads {
		if rest, ok := strings.CutPrefix(name, head+"-"); ok && release.IsIndexClass(rest) {
			return true
		}
	}
	return false
}
