// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"regexp"
	"slices"
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
	// Unclassified are the indices of Part2 whose name is no index class the
	// release is known to have: backed up all the same, so that nothing is
	// lost, and named in a warning (UnclassifiedIndicesWarning).
	Unclassified []string
	// Release is the release whose index classes classified the indices.
	Release Release
}

// Part returns the indices of part n (1 or 2).
func (s IndexSelection) Part(n int) []string {
	if n == 1 {
		return s.Part1
	}
	return s.Part2
}

// All returns the indices of both parts, sorted.
func (s IndexSelection) All() []string {
	out := append(append(make([]string, 0, len(s.Part1)+len(s.Part2)), s.Part1...), s.Part2...)
	sort.Strings(out)
	return out
}

// UnclassifiedIndicesWarning says which indices of the installation are no
// index class of the release, and that they are backed up all the same. It
// is empty when every index is of a known class.
func (s IndexSelection) UnclassifiedIndicesWarning() string {
	if len(s.Unclassified) == 0 {
		return ""
	}
	what := "is not an index class"
	if len(s.Unclassified) > 1 {
		what = "are not index classes"
	}
	return fmt.Sprintf("%s %s Optimize %s is known to have: backed up in part 2 so that nothing is lost. "+
		"If one of them is not Optimize's (an index you created under Optimize's index prefix), rename it outside the prefix; "+
		"if Optimize created it, this provider does not know its index class yet: tell its maintainers",
		strings.Join(s.Unclassified, ", "), what, s.Release.Name)
}

// Warning is something a user must hear although nothing failed.
type Warning struct {
	Summary, Detail string
	// NoOwnAPI: the release has no backup API of its own, so Optimize
	// neither lists nor restores the backup; the caller says what restores
	// it.
	NoOwnAPI bool
}

// Warnings are what a user must hear about this selection: an Optimize
// version newer than the provider has verified, and indices of no known
// index class.
func (s IndexSelection) Warnings() []Warning {
	var out []Warning
	if w := s.Release.UnverifiedWarning(); w != "" {
		out = append(out, Warning{Summary: fmt.Sprintf("Optimize %s is newer than the provider has verified", s.Release.Name), Detail: w})
	}
	if s.Release.NoOwnAPI != "" {
		out = append(out, Warning{Summary: fmt.Sprintf("Optimize %s has no backup API of its own", s.Release.Name),
			Detail: s.Release.NoOwnAPI + ". Optimize " + s.Release.Name + " neither lists this backup nor restores it", NoOwnAPI: true})
	}
	if w := s.UnclassifiedIndicesWarning(); w != "" {
		out = append(out, Warning{Summary: fmt.Sprintf("%d index(es) of no index class Optimize %s is known to have, backed up in part 2", len(s.Unclassified), s.Release.Name), Detail: w})
	}
	return out
}

// NoOptimizeIndexError says that no index of the installation was found.
type NoOptimizeIndexError struct {
	Prefix string
	What   string
}

func (e *NoOptimizeIndexError) Error() string {
	return fmt.Sprintf("no %s of the Optimize installation with index prefix %q was found (looked for indices named %q followed by a name and a version suffix such as _v3)",
		e.What, e.Prefix, e.Prefix+"-")
}

// AmbiguousIndexError: an index lies where two installations meet (with
// prefix "optimize", optimize-event-process-definition_v5 is 3.x's
// event-process-definition, and the process-definition of an installation
// "optimize-event"), and the versions of the installations present cannot
// tell whose it is. No backup or restore guesses.
type AmbiguousIndexError struct {
	Index, Prefix, Other string
	// Reason says why it cannot be decided; empty: the index is an index
	// class of both installations' versions.
	Reason string
}

func (e *AmbiguousIndexError) Error() string {
	why := "it is an index of the Optimize installation with index prefix %q and also of the installation with index prefix %q (found by its metadata index)"
	why = fmt.Sprintf(why, e.Prefix, e.Other)
	if e.Reason != "" {
		why = e.Reason
	}
	return fmt.Sprintf("index %s: %s. "+
		"The two installations' index names collide, so the provider cannot tell whose it is and takes no backup and restores nothing rather than guess; "+
		"give one of the installations an index prefix that does not extend the other's (es.settings.index.prefix)",
		e.Index, why)
}

// Neighbours are the releases of the other installations on the cluster
// whose index prefix extends this installation's or is extended by it
// (NeighbourPrefixes), keyed by their prefix, as their metadata index says.
// An installation missing from it is of unknown version: every release's
// index classes are what it may have.
type Neighbours map[string]Release

// release returns the release of the installation with this prefix, and
// whether its index classes are all known (its version was read and the
// provider has verified it).
func (n Neighbours) release(prefix string) (Release, bool) {
	if r, ok := n[prefix]; ok {
		return r, r.Verified
	}
	return anyRelease, false
}

// NeighbourPrefixes are the prefixes of the other installations among
// indices whose prefix extends this one ("optimize-event" for "optimize")
// or that this one extends ("optimize" for "optimize-event"): their
// versions decide whose an index between them is (SelectIndicesBeside).
func NeighbourPrefixes(prefix string, indices []string) []string {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	var out []string
	for _, head := range otherInstallations(prefix, indices) {
		out = append(out, prefix+"-"+head)
	}
	out = append(out, enclosingInstallations(prefix, indices)...)
	sort.Strings(out)
	return out
}

// SelectIndices is SelectIndicesFor with the index classes of every release
// the provider knows, for when the installation's version is not known.
func SelectIndices(prefix string, indices []string) (IndexSelection, error) {
	return SelectIndicesFor(allReleases(), prefix, indices)
}

// SelectIndicesFor is SelectIndicesBeside with no neighbour's version known.
func SelectIndicesFor(release Release, prefix string, indices []string) (IndexSelection, error) {
	return SelectIndicesBeside(release, prefix, indices, nil)
}

// SelectIndicesBeside decides which of indices belong to the Optimize
// installation with the given prefix, and into which part each goes.
//
// Membership comes from the cluster: every index named "<prefix>-<name>_v<N>"
// (or "..._v<N>-<generation>") is the installation's, unless it is another
// installation's. The release only classifies: its import-progress classes
// go into part 1, every other index into part 2, and an index whose name is
// no class of the release is still selected (in part 2, and in
// Unclassified). So an index class that Optimize adds in a release the
// provider does not know yet is never left out.
//
// Another installation is one whose metadata index and one more index of a
// known class exist under its prefix (otherInstallations,
// enclosingInstallations). Where two prefixes meet, an index belongs to the
// installation with the longer prefix it lies under, whatever its class,
// unless the versions of the installations present (release, and
// neighbours for the others) say otherwise:
//   - under another installation's prefix "<prefix>-<head>-": that
//     installation's, unless the name is an index class of release; then it
//     is ours only when the other installation's version is known, verified
//     and has no such class, and an *AmbiguousIndexError otherwise;
//   - under ours, where an installation whose prefix ours extends reads it
//     as one of its index classes (by its version): that installation's,
//     unless the name is an index class of release or release is not
//     verified; then an *AmbiguousIndexError.
//
// Anything not under "<prefix>-" (operate-*, zeebe-record*, .security) and
// anything without a version suffix is never selected. Both parts must be
// non-empty: an empty index list would make Elasticsearch snapshot every
// index.
func SelectIndicesBeside(release Release, prefix string, indices []string, neighbours Neighbours) (IndexSelection, error) {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	others := otherInstallations(prefix, indices)
	parents := enclosingInstallations(prefix, indices)
	sel := IndexSelection{Release: release}
	for _, index := range indices {
		name, ok := optimizeNameOf(prefix, index)
		if !ok {
			continue
		}
		own := release.IsIndexClass(name)
		if head, rest := installationOf(name, others); head != "" {
			if !own {
				continue // the other installation's, whatever its class
			}
			other := prefix + "-" + head
			theirs, known := neighbours.release(other)
			switch {
			case theirs.IsIndexClass(rest):
				return IndexSelection{Release: release}, &AmbiguousIndexError{Index: index, Prefix: prefix, Other: other}
			case !known:
				return IndexSelection{Release: release}, &AmbiguousIndexError{Index: index, Prefix: prefix, Other: other,
					Reason: fmt.Sprintf("it is the index class %s of Optimize %s with index prefix %q, and lies under the index prefix of the installation %q, %s",
						name, release.Name, prefix, other, unknownVersion(theirs, other))}
			}
			// Ours: an index class of our version that theirs does not have.
		}
		if parent, theirs := enclosingOf(prefix, name, parents, neighbours); parent != "" {
			if own || !release.Verified {
				return IndexSelection{Release: release}, &AmbiguousIndexError{Index: index, Prefix: prefix, Other: parent,
					Reason: ambiguousUnderOurs(prefix, parent, name, theirs, own, release)}
			}
			continue // the enclosing installation's index class
		}
		switch {
		case release.IsPart1Index(name):
			sel.Part1 = append(sel.Part1, index)
		case own:
			sel.Part2 = append(sel.Part2, index)
		default:
			sel.Part2 = append(sel.Part2, index)
			sel.Unclassified = append(sel.Unclassified, index)
		}
	}
	sort.Strings(sel.Part1)
	sort.Strings(sel.Part2)
	sort.Strings(sel.Unclassified)
	switch {
	case len(sel.Part1) == 0 && len(sel.Part2) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "index"}
	case len(sel.Part1) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "index of part 1 (" + strings.Join(release.ImportIndexNames(), ", ") + ")"}
	case len(sel.Part2) == 0:
		return sel, &NoOptimizeIndexError{Prefix: prefix, What: "index besides those of part 1"}
	}
	return sel, nil
}

// unknownVersion says why the index classes of the installation with this
// prefix are not all known.
func unknownVersion(r Release, prefix string) string {
	if r.Name != "" && r.Name != anyRelease.Name {
		return fmt.Sprintf("Optimize %s, newer than the provider has verified, which may have created it", r.Name)
	}
	return fmt.Sprintf("whose Optimize version is unknown (its metadata document %s/_doc/%s gives none), so it may have created it", MetadataIndex(prefix), metadataDocumentID)
}

// ambiguousUnderOurs says why an index under our prefix that an enclosing
// installation reads as one of its index classes cannot be decided.
func ambiguousUnderOurs(prefix, parent, name string, theirs Release, own bool, release Release) string {
	of := "of unknown version: its metadata document gives none"
	if theirs.Name != anyRelease.Name {
		of = "Optimize " + theirs.Name
	}
	reading := fmt.Sprintf("the installation with index prefix %q (%s) reads it as its index class %s", parent, of, strings.TrimPrefix(prefix, parent+"-")+"-"+name)
	if own {
		return fmt.Sprintf("%s, and it is the index class %s of Optimize %s with index prefix %q", reading, name, release.Name, prefix)
	}
	return fmt.Sprintf("%s, and the installation with index prefix %q is Optimize %s, newer than the provider has verified, which may have created it", reading, prefix, release.Name)
}

// versionSuffix is what follows an Optimize index's alias in its name.
var versionSuffix = regexp.MustCompile(`_v[0-9]+(-[0-9]{6})?$`)

// aliasOf is the alias Optimize gives an index: its name without the
// version suffix (optimize-metadata for optimize-metadata_v3).
func aliasOf(index string) string {
	return versionSuffix.ReplaceAllString(index, "")
}

// IndexPattern is the wildcard that pre-filters an installation's indices:
// those under the first word of its prefix, so that an installation whose
// prefix this one extends ("optimize" for "optimize-event") is seen too.
func IndexPattern(prefix string) string {
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	root, _, _ := strings.Cut(prefix, "-")
	return root + "-*"
}

// enclosingInstallations finds the installations whose prefix this one
// extends ("optimize" for prefix "optimize-event"): their metadata index and
// one more index of a known class exist. It returns their prefixes.
func enclosingInstallations(prefix string, indices []string) []string {
	var parents []string
	for i := strings.LastIndex(prefix, "-"); i > 0; i = strings.LastIndex(prefix[:i], "-") {
		parent := prefix[:i]
		if installationPresent(parent, indices) {
			parents = append(parents, parent)
		}
	}
	return parents
}

// installationPresent reports whether the metadata index and one more index
// of a known class of the installation with this prefix are among indices.
func installationPresent(prefix string, indices []string) bool {
	metadata, other := false, false
	for _, index := range indices {
		name, ok := optimizeNameOf(prefix, index)
		switch {
		case !ok:
		case name == metadataIndexName:
			metadata = true
		case anyRelease.IsIndexClass(name):
			other = true
		}
	}
	return metadata && other
}

// enclosingOf returns the enclosing installation (of parents) that name,
// under prefix, reads as an index class of, by that installation's version
// (every release's classes when it is unknown), and its release; "" when
// none.
func enclosingOf(prefix, name string, parents []string, neighbours Neighbours) (string, Release) {
	for _, parent := range parents {
		theirs, _ := neighbours.release(parent)
		if theirs.IsIndexClass(strings.TrimPrefix(prefix, parent+"-") + "-" + name) {
			return parent, theirs
		}
	}
	return "", Release{}
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

// otherInstallations finds the installations whose prefix is
// "<prefix>-<head>": their metadata index "<head>-metadata" and at least one
// more index of a known class "<head>-<class>" exist (requiring the second
// keeps an index class that some future Optimize might name "...-metadata"
// this installation's). It returns the heads, longest first.
func otherInstallations(prefix string, indices []string) []string {
	var heads []string
	for _, index := range indices {
		name, ok := optimizeNameOf(prefix, index)
		if !ok || anyRelease.IsIndexClass(name) {
			continue
		}
		if head, found := strings.CutSuffix(name, "-"+metadataIndexName); found && head != "" &&
			!slices.Contains(heads, head) && installationPresent(prefix+"-"+head, indices) {
			heads = append(heads, head)
		}
	}
	sort.Slice(heads, func(i, j int) bool { return len(heads[i]) > len(heads[j]) })
	return heads
}

// installationOf returns the head of the other installation whose prefix
// name falls under ("" when none), and what follows that installation's
// prefix.
func installationOf(name string, heads []string) (head, rest string) {
	for _, h := range heads {
		if r, ok := strings.CutPrefix(name, h+"-"); ok {
			return h, r
		}
	}
	return "", ""
}

// UnclassifiedIndices are the indices of the backup's snapshots, named like
// the indices of the installation with this prefix, whose name is no index
// class of the backup's Optimize version: a provider backup holds them so
// that nothing is lost. None when the version is no release.
func (b Backup) UnclassifiedIndices(prefix string) []string {
	release, err := ReleaseFor(b.Version)
	if err != nil {
		return nil
	}
	if prefix == "" {
		prefix = DefaultIndexPrefix
	}
	var out []string
	for _, snap := range b.Snapshots {
		for _, index := range snap.Indices {
			if name, ok := optimizeNameOf(prefix, index); ok && !release.IsIndexClass(name) {
				out = append(out, index)
			}
		}
	}
	sort.Strings(out)
	return out
}
