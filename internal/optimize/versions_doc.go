// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"strings"
)

// What the schema descriptions and the docs say of Optimize's releases, made
// from the Releases table so that it is written once.

// releaseRanges groups consecutive releases for which same says they are
// alike, naming each group "3.10 to 3.13" (or "3.9").
func releaseRanges(same func(a, b Release) bool) (names []string, firsts []Release) {
	for i := 0; i < len(Releases); {
		j := i
		for j+1 < len(Releases) && same(Releases[i], Releases[j+1]) {
			j++
		}
		name := Releases[i].Name
		if j > i {
			name += " to " + Releases[j].Name
		}
		names, firsts = append(names, name), append(firsts, Releases[i])
		i = j + 1
	}
	return names, firsts
}

// IDRuleSummary says which backup id each verified release takes, in
// Markdown: "for Optimize 3.9, a string: ...; for 3.10 to 3.13, a number: ...".
func IDRuleSummary() string {
	names, firsts := releaseRanges(func(a, b Release) bool { return a.ID == b.ID })
	parts := make([]string, len(names))
	for i := range names {
		parts[i] = fmt.Sprintf("for Optimize **%s**, %s", names[i], firsts[i].ID.Describe())
	}
	return strings.Join(parts, "; ") + "; for a version newer than the last verified release of its line, that release's rule"
}

// VersionsGuide is docs/guides/optimize-versions.md (its template): per
// release, the id rule, what each part of a backup holds, and where the
// provider's backup differs from Optimize's own.
func VersionsGuide() string {
	var b strings.Builder
	b.WriteString(`---
page_title: "Optimize versions: ids, indices and parts"
subcategory: ""
description: |-
  Which Optimize releases the provider has verified, which backup id each takes, which indices each part of a backup holds, and where the provider's backup and state differ from Optimize's own backup API.
---

<!-- Generated from internal/optimize/versions.go by TestVersionsGuideIsCurrent (make docs); do not edit. -->

# Optimize versions: ids, indices and parts

The provider knows Optimize's releases from one table (` + "`internal/optimize/versions.go`" + `, which cites
Optimize's sources for every entry). The table decides the backup id rule, which indices go into
part 1, and which index classes a release is known to have. It never decides that an index of the
installation is left out of a backup.

## Which indices a backup holds

**Every index of the installation**: every index named ` + "`<index_prefix>-<name>_v<N>`" + ` (or
` + "`..._v<N>-<generation>`" + `) that is not another installation's. The release's part 1 classes go
into part 1 (the import-progress indices; from 8.10 on also ` + "`job-registry`" + `, as in Optimize's
` + "`BackupPriority.PRIORITY1`" + ` since camunda/camunda#61168), every other index into part 2. An index whose name is no index class the
release is known to have (an index class newer than the provider, or an index someone created under
Optimize's prefix) is backed up in part 2 all the same, and named in a warning at plan and at apply;
the data sources list such indices in ` + "`unclassified_indices`" + `.

Never in a backup:
- other applications' indices: anything not under ` + "`<index_prefix>-`" + ` (` + "`operate-*`, `tasklist-*`, `zeebe-record*`, `camunda-*`" + `), and names without a version suffix;
- another Optimize installation on the same cluster whose prefix extends this one (` + "`optimize-staging`" + ` next to
  ` + "`optimize`" + `), recognised by its own metadata index and one more index of a known class. Every index under
  its prefix is its own, whatever its class (` + "`optimize-event-future-thing_v2-000003`" + ` next to an installation
  ` + "`optimize-event`" + ` is never in ` + "`optimize`" + `'s backup, and its restore never deletes it), unless the versions of
  the installations present (read from their metadata indices) say otherwise: an index class of this installation's
  version that the other's verified version does not have stays this installation's (3.x's
  ` + "`optimize-event-sequence-count-x_v4`" + ` next to an 8.10 ` + "`optimize-event`" + `). Where the versions cannot decide
  (an index class of both, such as 3.x's ` + "`event-process-definition`" + ` of ` + "`optimize`" + ` and the
  ` + "`process-definition`" + ` of ` + "`optimize-event`" + `, or a neighbour of unknown or unverified version), the backup and
  the restore fail before anything is taken or changed, naming the index: the provider does not guess.

## Releases

| Optimize | Camunda 8 | backup id | part 1 | Optimize's own backup leaves out |
| --- | --- | --- | --- | --- |
`)
	writeReleaseRows(&b)
	b.WriteString(releasesTail)
	writeIndexClasses(&b)
	b.WriteString(differences)
	return b.String()
}

// writeReleaseRows writes the table's row of each release, and what a
// release without a backup API of its own is.
func writeReleaseRows(b *strings.Builder) {
	for _, r := range Releases {
		camunda := r.Camunda
		if camunda == "" {
			camunda = "(Camunda 7 only)"
		}
		leftOut := "nothing the provider backs up"
		if len(r.OptimizeLeavesOut) > 0 {
			leftOut = "`" + strings.Join(r.OptimizeLeavesOut, "`, `") + "`"
		}
		if r.NoOwnAPI != "" {
			leftOut = "no backup API of its own (below)"
		}
		fmt.Fprintf(b, "| %s | %s | %s | `%s` | %s |\n", r.Name, camunda, r.ID.Short(), strings.Join(r.ImportIndexNames(), "`, `"), leftOut)
	}
	for _, r := range Releases {
		if r.NoOwnAPI != "" {
			fmt.Fprintf(b, "\n**Optimize %s has no backup API of its own.** %s. Its id rule above (Java %s) is the provider's.\n", r.Name, r.NoOwnAPI, r.ID)
		}
	}
}

// releasesTail follows the releases table.
var releasesTail = `
Backup ids: ` + IDRuleSummary() + `.

Not releases with a backup API, refused at plan time: ` + nonReleaseSummary() + `.

A version newer than the last verified release of its line (3.15 for Camunda 7, 8.11, 9.x) is
backed up whole with a warning at plan and at apply: that release's id rule and index classes
classify it, and every index of the installation is in the backup.

## Index classes per release

Part 2 holds these, and every other index of the installation. ` + "`name-`" + ` is a per-definition family
(` + "`process-instance-<definition key>`" + `).

`

// writeIndexClasses lists each release's index classes.
func writeIndexClasses(b *strings.Builder) {
	for _, r := range Releases {
		var names []string
		for _, c := range r.Indices {
			names = append(names, c.Name)
		}
		for _, f := range r.Families {
			names = append(names, f.Name+"*")
		}
		fmt.Fprintf(b, "- **%s**: `%s`\n", r.Name, strings.Join(names, "`, `"))
	}
}

// differences is the guide's last section.
const differences = `
## Where the provider and Optimize's own API differ

- **What is backed up.** Optimize snapshots the indices of the index classes it lists
  (` + "`MappingMetadataUtil.getAllMappings()`" + `); the provider snapshots every index of the installation. So the
  provider's backup is a superset of Optimize's where the table's last column says so: 3.9 to 3.11 leave
  out ` + "`variable-label`" + ` and ` + "`process-overview`" + `, and every 3.x leaves out ` + "`event-process-instance-*`" + ` and
  ` + "`process-instance-archive-*`" + `. A restore of either restores what its snapshots hold.
- **Part 2 after part 1.** Optimize starts part 2 whatever part 1's outcome (since camunda/camunda#61168, once part 1's
  snapshot request has completed); the provider starts it only after part 1 succeeded, so import positions (and from
  8.10 the job registry) are never newer than the data.
- **Three or more SUCCESS snapshots of one id** (a complete pair plus another version's part, or a stray
  ` + "`camunda_optimize_<id>_x_part_1_of_2`" + `): Optimize 3.10+ and 8.x answer ` + "`FAILED`" + ` ("additional manual
  snapshots"). The provider answers ` + "`COMPLETED`" + ` when one version's pair is complete, because that pair restores;
  when two versions each have a complete pair, the newest version's pair is the backup.
- **Two SUCCESS snapshots that are no pair** (two part 2s, or two part 1s of different versions): Optimize counts
  two SUCCESS and answers ` + "`COMPLETED`" + ` although a part is missing. The provider answers ` + "`INCOMPLETE`" + `: such a
  backup restores nothing whole.
`

// Short names the rule in a table cell.
func (r IDRule) Short() string {
	if r == IDString {
		return "string"
	}
	return fmt.Sprintf("number, at most %d (Java %s)", r.MaxID(), r)
}

func nonReleaseSummary() string {
	parts := make([]string, len(nonReleases))
	for i, n := range nonReleases {
		parts[i] = n.Reason
	}
	return strings.Join(parts, "; ")
}
