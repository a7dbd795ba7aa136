// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// What differs between Optimize versions lives in this file: the backup id
// rule, the index classes that classify a backup's indices (part 1 or 2, and
// which are expected), and the backup API. Supporting the next Optimize
// release is one entry in Releases (and its tests in versions_test.go); the
// emulator's seeding, the docs and the messages read this table.
//
// Sources (camunda/camunda; the Optimize 3.x history at backend/, upgrade/
// and util/optimize-commons/, package org.camunda.optimize; 8.x under
// optimize/, package io.camunda.optimize):
//   - Index names: ElasticsearchConstants (3.x) and DatabaseConstants (8.x),
//     *_INDEX_NAME and *_INDEX_PREFIX; what a release creates:
//     ElasticSearchSchemaManager.getAllNonDynamicMappings() (startup creates
//     every static index missing), and the upgrade plans below.
//   - Part 1 (the first snapshot), 3.9 to 8.9: the classes whose
//     isImportIndex() is true (BackupWriter.triggerSnapshotCreation:
//     getIndexAliasesWithImportIndexFlag(true), then false): import-index,
//     timestamp-based-import-index and position-based-import-index (the
//     Camunda 7 import-index is gone in 8.x).
//   - Part 1 from 8.10 on: camunda/camunda#61168 ("fix: correctly handle
//     optimize backup snapshot ordering", merged 2026-08-26, for issue #59860)
//     replaced isImportIndex() with a two-level BackupPriority (enum
//     io.camunda.optimize.service.db.schema.BackupPriority, PRIORITY1 and
//     PRIORITY2; BackupWriter.triggerSnapshotCreation snapshots
//     getIndexAliasesWithBackupPriority(PRIORITY1), waits for it, then
//     PRIORITY2; MappingMetadataRepositoryES/OS filter getAllMappings() on
//     mapping.getBackupPriority()). PRIORITY1 is "the job-registry index (and
//     the other import-progress indices)" (the PR), and BackupWriterTest's
//     PRIORITY1 example is {"job-registry"}; everything else is PRIORITY2. So
//     part 1 of main is timestamp-based-import-index,
//     position-based-import-index and job-registry. Whether stable/8.10 (8.10.0
//     was cut after the merge) carries it is not pinned by a tag the provider
//     could read; 8.10 is the first release with job-registry
//     (Upgrade89to810PlanFactory), and part 1 holds it from 8.10 on either
//     way: part 1 is snapshotted, and waited for, before part 2, so the
//     registry is never newer than the data it describes, which is what the
//     PR fixes (a registry newer than the data lets a restore resurrect
//     erased data).
//   - Upgrade39To310PlanFactory: CreateIndexStep(InstantPreviewDashboardMetadataIndex).
//   - Upgrade310To311PlanFactory (and 3.11 -> 3.12 -> 3.13): no index created or deleted.
//   - 3.14 (Camunda 7 only): deletes onboarding-state. Optimize has no
//     backup API when it runs for Camunda 7: the 3.x actuator
//     (org.camunda.optimize.rest.actuator.BackupRestService,
//     @RestControllerEndpoint(id = "backups")) is
//     @Conditional(CamundaCloudCondition.class), the Camunda 8 modes
//     (camunda/camunda, backend/src/main/java/org/camunda/optimize/rest/actuator/BackupRestService.java,
//     stored at 109b487f30123e488e7cf6402013c8d4ae7c01ab), and
//     BackupRestServiceIT.backupApiNotAvailableWhenNotInCCSM asserts 404 for
//     create, get and delete outside Camunda 8 (3.9 with a string id, 3.10
//     with an Integer, 8.x's AbstractPlatformIT with a Long). Optimize 3.14
//     runs for Camunda 7 only, so no 3.14 backup in Optimize's own format
//     was ever made by Optimize, and none of its endpoints takes an id.
//     The provider keeps 3.14 (the base of the 3.15+ line, and installations
//     backed up by the provider already): its backups are the provider's,
//     in Optimize's snapshot format, restored by the provider or the engine's
//     restore API; Optimize 3.14 neither lists nor restores them (OwnAPI
//     says so in the docs). Its id rule is the provider's choice: Long, as
//     8.x, the line it shares its snapshot names with.
//   - Upgrade313To86PlanFactory: deletes import-index, license,
//     onboarding-state, event (and its template), event-process-definition,
//     event-process-mapping, event-process-publish-state,
//     event-sequence-count-external, event-trace-state-external and every
//     process-instance-archive-*; it refuses to run on Camunda 7 data.
//   - 8.6 -> 8.7: no index change. Upgrade87to88PlanFactory: deletes
//     variable-update-instance (and its template). 8.8 -> 8.9: no plan.
//   - Upgrade89to810PlanFactory: CreateIndexStep for business-value-target,
//     business-value-overview and job-registry (Upgrade89to810PlanFactoryIT:
//     "job-registry index must exist after the upgrade"); web-session is in
//     the 8.10 line's ElasticSearchSchemaManager static list.
//   - Not index classes of any release (development work, in no schema list
//     or upgrade plan): agent-cost-rate, the flat-* and pre-flattened-*
//     families. Should they ship, the provider backs them up all the same
//     (SelectIndicesFor) and names them in a warning.
//   - Backup ids: 3.9's BackupRequestDto takes a string (POST
//     /actuator/backup). 3.10 (OPT-6764) and 3.11 take an Integer:
//     SnapshotUtil and BackupWriter (triggerSnapshotCreation(final Integer
//     backupId), Integer.parseInt). The Long id appears in the
//     org.camunda.optimize sources with the OpenSearch refactor of 3.12/3.13
//     development (BackupWriterES, MappingMetadataUtilES; BackupRestService
//     info(@PathVariable Long backupId) at 109b487f) and is certain in every
//     8.x: io.camunda.optimize's BackupRestService (@PathVariable Long
//     backupId), BackupWriter.triggerSnapshotCreation(final Long backupId) and
//     SnapshotUtil.getBackupIdFromSnapshotName (Long.parseLong), under
//     optimize/backend/src/main/java/io/camunda/optimize/ (8.6 on). It is not
//     "certain from 3.14" in any sense that matters: 3.14 runs for Camunda 7
//     only, where that endpoint does not exist (above), so 3.14's Long is the
//     provider's rule, not Optimize's. Which of 3.12 or 3.13 shipped the Long
//     first is not pinned by a release tag, so 3.12 and 3.13 keep the Integer
//     bound: stricter, it never makes an id that Optimize's own list cannot
//     read; an Optimize-made id above it is reported by the optimize_backups
//     data source as possibly unlistable.
//   - What Optimize's own backup leaves out (BackupWriter: getAllMappings(),
//     import indices into part 1, the rest into part 2): 3.9 to 3.11 use a
//     hand-written MappingMetadataUtil list without variable-label and
//     process-overview; every 3.x skips event-process-instance-* and
//     process-instance-archive-* (retrieveProcessInstanceIndexIdentifiers
//     with eventBased=false). The provider's backup holds them.
//   - Camunda 8.0 to 8.5 shipped Optimize 3.8 to 3.13 (camunda-docs,
//     supported-environments "Component version matrix"; the update notes
//     "3.10 to 8.3/3.11" ... "8.5/3.13 to 8.6"); from 8.6 on Optimize for
//     Camunda 8 is numbered 8.x, Optimize for Camunda 7 goes on as 3.14, 3.15, ...

// IDRule is the kind of backup id an Optimize release takes.
type IDRule int

const (
	// IDString is Optimize 3.9's string id (BackupRequestDto).
	IDString IDRule = iota
	// IDInteger is a non-negative Java Integer, written in plain decimal.
	IDInteger
	// IDLong is a non-negative Java Long, written in plain decimal.
	IDLong
)

// MaxID is the largest id of a numeric rule.
func (r IDRule) MaxID() uint64 {
	switch r {
	case IDInteger:
		return 1<<31 - 1 // Integer.MAX_VALUE
	case IDLong:
		return 1<<63 - 1 // Long.MAX_VALUE
	}
	return 0
}

func (r IDRule) String() string {
	switch r {
	case IDInteger:
		return "Integer"
	case IDLong:
		return "Long"
	}
	return "string"
}

// Describe says in words which ids the rule takes (schema descriptions and
// docs are generated from it).
func (r IDRule) Describe() string {
	switch r {
	case IDString:
		return "a string: not blank, shorter than 3996 characters, lowercase (as Elasticsearch judges it), without a space, a line break or any of `\" * \\ < | , > / ? _ #`"
	default:
		return fmt.Sprintf("a number: plain ASCII decimal digits without a sign or a leading zero, at most %d (Java %s)", r.MaxID(), r)
	}
}

// IndexClass is one of Optimize's index classes: the name that follows
// "<prefix>-" (without the version suffix), and the index version a release
// creates it with (getVersion(); the emulator seeds "<prefix>-<name>_v<version>").
type IndexClass struct {
	Name     string
	Version  int
	Rollover bool // created from a template: the first index is "<name>_v<version>-000001"
}

// Release is what the provider knows of one Optimize minor release.
type Release struct {
	// Name is how messages and docs name the release ("3.9", "8.10").
	Name string
	// From is the first version of the release, Before the first after it.
	From, Before [3]int
	// Camunda is the Camunda 8 release that shipped it ("8.1"), if any.
	Camunda string
	// ID is the backup id rule.
	ID IDRule
	// CreateAPI is Optimize's own request that takes a backup; "" when the
	// release has none (NoOwnAPI says why).
	CreateAPI string
	// NoOwnAPI says why a release has no backup API of its own (Optimize
	// 3.14: Camunda 7 only): its backups are the provider's.
	NoOwnAPI string
	// ImportIndices are the index classes of part 1 of a backup, the first
	// snapshot: the import-progress classes (isImportIndex()) through 8.9,
	// and from 8.10 on BackupPriority.PRIORITY1, the import-progress classes
	// and job-registry (camunda/camunda#61168). The name stays for its
	// callers; IsPart1Index reads it.
	ImportIndices []IndexClass
	// Indices are the release's other static index classes.
	Indices []IndexClass
	// Families start the names of per-definition indices
	// ("process-instance-" + definition key), with their index version.
	Families []IndexClass
	// OptimizeLeavesOut are index classes (or families) the release creates
	// but Optimize's own backup does not snapshot; the provider's backup
	// holds them (every index of the installation).
	OptimizeLeavesOut []string
	// Verified is false for a version newer than the last entry of its line
	// (3.x, 8.x and later): it is backed up whole, classified by that entry
	// (VerifiedAs names it), with a warning.
	Verified   bool
	VerifiedAs string
}

// Index classes shared by several releases. Versions are getVersion() as
// the releases create them (the emulator seeds "<name>_v<version>").
var (
	class = func(name string, version int) IndexClass { return IndexClass{Name: name, Version: version} }
	// rollover: created from a template, the first index "_v<N>-000001".
	rollover = func(name string, version int) IndexClass {
		return IndexClass{Name: name, Version: version, Rollover: true}
	}

	import3x = []IndexClass{class("import-index", 3), class("timestamp-based-import-index", 4), class("position-based-import-index", 2)}
	import8x = []IndexClass{class("timestamp-based-import-index", 5), class("position-based-import-index", 3)}
	// part1of810: BackupPriority.PRIORITY1, the import-progress classes and
	// job-registry (camunda/camunda#61168; JobRegistryIndex VERSION = 1).
	part1of810 = append(append([]IndexClass{}, import8x...), class("job-registry", 1))

	// 8.8 and 8.9 (the 21 static indices besides the import indices of the
	// 8.8 schema; 8.6 and 8.7 also have variable-update-instance).
	static88 = []IndexClass{
		class("alert", 4), class("business-key", 2), class("collection", 5), class("combined-report", 5),
		class("dashboard", 8), class("dashboard-share", 4), class("decision-definition", 5),
		rollover("external-process-variable", 2), class("instant-dashboard", 1), class("metadata", 3),
		class("process-definition", 6), class("process-overview", 2), class("report-share", 3), class("settings", 3),
		class("single-decision-report", 10), class("single-process-report", 11), class("tenant", 3),
		class("terminated-user-session", 3), class("variable-label", 1),
	}
	static86 = with(static88, rollover("variable-update-instance", 2))
	// static810: 8.10's other static classes (job-registry is in part1of810).
	static810 = with(static88, class("business-value-overview", 1), class("business-value-target", 1), class("web-session", 1))

	// 3.10 to 3.13: 8.6's static indices (with 3.x's versions where they
	// differ) and the Camunda 7 and event-based process indices.
	static310 = with(without(static86, "dashboard", "settings", "single-decision-report", "single-process-report"),
		class("dashboard", 7), class("settings", 2), class("single-decision-report", 9), class("single-process-report", 9),
		class("license", 3), class("onboarding-state", 2), rollover("event", 4), class("event-process-definition", 5),
		class("event-process-mapping", 4), class("event-process-publish-state", 4))
	static39  = without(static310, "instant-dashboard")
	static314 = without(static310, "onboarding-state")

	families3x = []IndexClass{
		class("process-instance-", 8), class("decision-instance-", 5), class("event-process-instance-", 5),
		class("camunda-activity-event-", 2), class("event-sequence-count-", 4), class("event-trace-state-", 2),
		class("process-instance-archive-", 8),
	}
	families8x = []IndexClass{class("process-instance-", 8), class("decision-instance-", 5)}

	leftOut39  = []string{"variable-label", "process-overview", "event-process-instance-*", "process-instance-archive-*"}
	leftOut312 = []string{"event-process-instance-*", "process-instance-archive-*"}
	api39      = `POST /actuator/backup {"backupId": "<string>"}`
	apiInteger = `POST /actuator/backups {"backupId": <Integer>}`
	apiLong    = `POST /actuator/backups {"backupId": <Long>}`
	camunda7   = "" // Optimize for Camunda 7 only
	// noAPI314 is why Optimize 3.14 has no backup API of its own.
	noAPI314 = "Optimize 3.14 runs for Camunda 7 only, and Optimize's backup API (/actuator/backups) exists only when it runs for Camunda 8 " +
		"(BackupRestService is @Conditional(CamundaCloudCondition.class)): Optimize 3.14 takes, lists and restores no backup, " +
		"so a 3.14 backup is the provider's, in Optimize's snapshot format, restored by the provider (or the engine's restore API)"
	release3x = func(minor int, camunda string, id IDRule, api string, static []IndexClass, leftOut []string) Release {
		return Release{Name: fmt.Sprintf("3.%d", minor), From: [3]int{3, minor, 0}, Before: [3]int{3, minor + 1, 0}, Camunda: camunda,
			ID: id, CreateAPI: api, ImportIndices: import3x, Indices: static, Families: families3x, OptimizeLeavesOut: leftOut, Verified: true}
	}
	release8x = func(minor int, static []IndexClass) Release {
		return Release{Name: fmt.Sprintf("8.%d", minor), From: [3]int{8, minor, 0}, Before: [3]int{8, minor + 1, 0}, Camunda: fmt.Sprintf("8.%d", minor),
			ID: IDLong, CreateAPI: apiLong, ImportIndices: import8x, Indices: static, Families: families8x, Verified: true}
	}
)

// Releases are the Optimize releases the provider has verified, oldest
// first. A release newer than the last of its line is classified by it,
// with a warning (ReleaseFor).
var Releases = []Release{
	release3x(9, "8.1", IDString, api39, static39, leftOut39),
	release3x(10, "8.2", IDInteger, apiInteger, static310, leftOut39),
	release3x(11, "8.3", IDInteger, apiInteger, static310, leftOut39),
	release3x(12, "8.4", IDInteger, apiInteger, static310, leftOut312),
	release3x(13, "8.5", IDInteger, apiInteger, static310, leftOut312),
	func() Release {
		r := release3x(14, camunda7, IDLong, "", static314, leftOut312)
		r.NoOwnAPI = noAPI314
		return r
	}(),
	release8x(6, static86),
	release8x(7, static86),
	release8x(8, static88),
	release8x(9, static88),
	func() Release {
		r := release8x(10, static810)
		r.ImportIndices = part1of810
		return r
	}(),
}

// nonReleases are version ranges with no Optimize backup API.
var nonReleases = []struct {
	From, Before [3]int
	Reason       string
}{
	{[3]int{0, 0, 0}, [3]int{3, 9, 0}, "Optimize's backup API starts with 3.9 (Camunda 8.1); Camunda 8.0 shipped Optimize 3.8, which has none"},
	{[3]int{4, 0, 0}, [3]int{8, 0, 0}, "there is no Optimize 4 to 7: Optimize went from 3.x to 8.6"},
	{[3]int{8, 0, 0}, [3]int{8, 6, 0}, "there is no Optimize 8.0 to 8.5 of its own: Camunda 8.0 to 8.5 shipped Optimize 3.8 to 3.13 " +
		"(8.0: 3.8, 8.1: 3.9, 8.2: 3.10, 8.3: 3.11, 8.4: 3.12, 8.5: 3.13; their images tagged 8.3 to 8.5 are those 3.x releases), and Optimize went from 3.13 to 8.6: " +
		"use the 3.x version your Optimize reports"},
}

func with(list []IndexClass, more ...IndexClass) []IndexClass {
	out := append(append([]IndexClass{}, list...), more...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func without(list []IndexClass, names ...string) []IndexClass {
	var out []IndexClass
	for _, c := range list {
		if !slices.Contains(names, c.Name) {
			out = append(out, c)
		}
	}
	return out
}

// CoveredVersions says which Optimize versions the provider has verified.
func CoveredVersions() string {
	names := make([]string, len(Releases))
	for i, r := range Releases {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// UnsupportedVersionError: the version is no Optimize release with a backup
// API (3.0 to 3.8, 8.0 to 8.5, or a version between releases).
type UnsupportedVersionError struct {
	Version string
	Reason  string
}

func (e *UnsupportedVersionError) Error() string {
	return fmt.Sprintf("optimize version %s is not an Optimize release with a backup API: %s. The provider covers Optimize %s, and versions newer than %s with a warning",
		e.Version, e.Reason, CoveredVersions(), newest().Name)
}

// UnverifiedWarning says that a version is newer than every release the
// provider has verified, and what the provider does about it; empty for a
// verified release.
func (r Release) UnverifiedWarning() string {
	if r.Verified {
		return ""
	}
	return fmt.Sprintf("Optimize %s is newer than %s, the newest release of its line this provider has verified: its index classes and backup id rule are taken to be %s's. "+
		"Every index of the installation is backed up all the same (%s in part 1, everything else in part 2), and indices that %s does not have are named in a warning; "+
		"look for a provider release that verifies Optimize %s", r.Name, r.VerifiedAs, r.VerifiedAs, strings.Join(r.ImportIndexNames(), ", "), r.VerifiedAs, r.Name)
}

// ReleaseFor returns the release of an Optimize version (any form
// NormalizeVersion accepts). A version newer than every entry of Releases
// is the newest entry, unverified (Verified false, named by its own X.Y).
// A version that is no Optimize release with a backup API is an
// *UnsupportedVersionError.
func ReleaseFor(version string) (Release, error) {
	normalized, err := NormalizeVersion(version)
	if err != nil {
		return Release{}, err
	}
	v, err := VersionTriple(normalized)
	if err != nil {
		return Release{}, err
	}
	for _, r := range Releases {
		if !less(v, r.From) && less(v, r.Before) {
			return r, nil
		}
	}
	for _, n := range nonReleases {
		if !less(v, n.From) && less(v, n.Before) {
			return Release{}, &UnsupportedVersionError{Version: normalized, Reason: n.Reason}
		}
	}
	// Newer than the last verified release of its line (3.15 for Camunda 7,
	// 8.11, 9.x): classified by that release, unverified.
	var r Release
	for _, candidate := range Releases {
		if less(candidate.From, v) {
			r = candidate
		}
	}
	if r.Name == "" {
		return Release{}, &UnsupportedVersionError{Version: normalized, Reason: "no Optimize release of that number is known"}
	}
	r.From, r.Before = [3]int{v[0], v[1], 0}, [3]int{v[0], v[1] + 1, 0}
	r.Camunda, r.Verified, r.VerifiedAs = "", false, r.Name
	r.Name = fmt.Sprintf("%d.%d", v[0], v[1])
	return r, nil
}

func newest() Release { return Releases[len(Releases)-1] }

// ImportIndexNames are the names of the release's import-progress classes.
func (r Release) ImportIndexNames() []string {
	names := make([]string, len(r.ImportIndices))
	for i, c := range r.ImportIndices {
		names[i] = c.Name
	}
	return names
}

// IsPart1Index reports whether an unversioned Optimize index name is an
// index class of part 1 of this release's backups (ImportIndices).
func (r Release) IsPart1Index(name string) bool {
	return classContains(r.ImportIndices, name)
}

// IsImportIndex is IsPart1Index, under its name of the releases in which
// part 1 held the import-progress classes only (3.9 to 8.9).
func (r Release) IsImportIndex(name string) bool {
	return r.IsPart1Index(name)
}

// IsIndexClass reports whether an unversioned name (what follows
// "<prefix>-" and precedes the version suffix) is an index class of this
// release: a static index, or a per-definition index with a non-empty key.
func (r Release) IsIndexClass(name string) bool {
	if classContains(r.ImportIndices, name) || classContains(r.Indices, name) {
		return true
	}
	for _, family := range r.Families {
		if key, ok := strings.CutPrefix(name, family.Name); ok && key != "" {
			return true
		}
	}
	return false
}

func classContains(list []IndexClass, name string) bool {
	for _, c := range list {
		if c.Name == name {
			return true
		}
	}
	return false
}

// anyRelease holds the index classes of every release: what another
// installation, of whatever version, may have.
var anyRelease = allReleases()

func allReleases() Release {
	all := Release{Name: CoveredVersions(), Verified: true}
	for _, r := range Releases {
		all.ImportIndices = appendMissing(all.ImportIndices, r.ImportIndices...)
		all.Indices = appendMissing(all.Indices, r.Indices...)
		all.Families = appendMissing(all.Families, r.Families...)
	}
	return all
}

func appendMissing(list []IndexClass, values ...IndexClass) []IndexClass {
	for _, v := range values {
		if !classContains(list, v.Name) {
			list = append(list, v)
		}
	}
	return list
}

// VersionTriple is X, Y and Z of a normalized version X.Y.Z; an error for
// anything else (a suffix too).
func VersionTriple(normalized string) ([3]int, error) {
	var v [3]int
	parts := strings.Split(normalized, ".")
	if len(parts) != 3 {
		return v, fmt.Errorf("optimize version %q is not of the form X.Y.Z", normalized)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return v, fmt.Errorf("optimize version %q is not of the form X.Y.Z", normalized)
		}
		v[i] = n
	}
	return v, nil
}

func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
