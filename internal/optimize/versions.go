// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"fmt"
	"strconv"
	"strings"
)

// What differs between Optimize versions lives in this file: the backup id
// rule, the index classes whose indices make up a backup, and the backup API.
// Supporting the next Optimize version is one entry in Releases (and its
// tests in versions_test.go).
//
// Sources (camunda/camunda, Optimize's backend):
//   - 3.9: BackupRequestDto takes a string id; POST /actuator/backup.
//   - 3.10 and later 3.x (package org.camunda.optimize): POST /actuator/backups
//     with {"backupId": <Integer>}; SnapshotUtil.getBackupIdFromSnapshotName
//     reads names back with ^camunda_optimize_(\d+)_.*$ and Integer.parseInt.
//   - 8.x (package io.camunda.optimize): the same API with a Long id and
//     Long.parseLong. (Long first appears in the late org.camunda sources
//     that led to 8.6; every 3.x release keeps the Integer bound here, which
//     is the stricter of the two and never breaks Optimize's own list.)
//   - Index classes: MappingMetadataUtil (static indices plus the
//     per-definition families) and the *_INDEX_NAME / *_INDEX_PREFIX
//     constants of ElasticsearchConstants (3.x) and DatabaseConstants (8.x).

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

// Release is what the provider knows of a range of Optimize versions.
type Release struct {
	// Name is how messages and docs name the range ("3.9", "3.10 to 3.x", "8.x").
	Name string
	// From is the first version of the range, Before the first after it.
	From, Before [3]int
	// ID is the backup id rule.
	ID IDRule
	// CreateAPI is Optimize's own request that takes a backup.
	CreateAPI string
	// ImportIndices are the unversioned names of the import-progress indices
	// (isImportIndex()): part 1 of a backup.
	ImportIndices []string
	// StaticIndices are the unversioned names of the other index classes.
	StaticIndices []string
	// FamilyPrefixes start the names of per-definition indices
	// ("process-instance-" + definition key).
	FamilyPrefixes []string
}

// Index names shared by several releases.
var (
	importIndices3x = []string{"import-index", "timestamp-based-import-index", "position-based-import-index"}

	staticIndices3x = []string{
		"alert", "business-key", "collection", "combined-report", "dashboard", "dashboard-share",
		"decision-definition", "event", "event-process-definition", "event-process-mapping",
		"event-process-publish-state", "external-process-variable", "instant-dashboard", "license",
		"metadata", "onboarding-state", "process-definition", "process-overview", "report-share",
		"settings", "single-decision-report", "single-process-report", "tenant",
		"terminated-user-session", "variable-label", "variable-update-instance",
	}

	families3x = []string{
		"process-instance-", "decision-instance-", "event-process-instance-",
		"camunda-activity-event-", "event-sequence-count-", "event-trace-state-",
	}
)

// Releases are the Optimize versions the provider covers, oldest first.
var Releases = []Release{
	{
		Name: "3.9", From: [3]int{3, 9, 0}, Before: [3]int{3, 10, 0},
		ID:            IDString,
		CreateAPI:     `POST /actuator/backup {"backupId": "<string>"}`,
		ImportIndices: importIndices3x, StaticIndices: staticIndices3x, FamilyPrefixes: families3x,
	},
	{
		Name: "3.10 to 3.x", From: [3]int{3, 10, 0}, Before: [3]int{4, 0, 0},
		ID:            IDInteger,
		CreateAPI:     `POST /actuator/backups {"backupId": <Integer>}`,
		ImportIndices: importIndices3x, StaticIndices: staticIndices3x, FamilyPrefixes: families3x,
	},
	{
		// The 8.x sources first kept, then dropped, the Camunda 7 import index
		// and the event-based process indices: an 8.x installation holds a
		// subset of these, and only what exists is selected.
		Name: "8.x", From: [3]int{8, 0, 0}, Before: [3]int{9, 0, 0},
		ID:            IDLong,
		CreateAPI:     `POST /actuator/backups {"backupId": <Long>}`,
		ImportIndices: importIndices3x, StaticIndices: staticIndices3x, FamilyPrefixes: families3x,
	},
}

// CoveredVersions says which Optimize versions the provider covers.
func CoveredVersions() string {
	names := make([]string, len(Releases))
	for i, r := range Releases {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// UnsupportedVersionError: no entry of Releases covers the version.
type UnsupportedVersionError struct {
	Version string
}

func (e *UnsupportedVersionError) Error() string {
	return fmt.Sprintf("optimize version %s is not covered by this provider (it covers Optimize %s): its backup contract is unknown, so no backup is taken for it", e.Version, CoveredVersions())
}

// ReleaseFor returns the release that covers an Optimize version (any form
// NormalizeVersion accepts).
func ReleaseFor(version string) (Release, error) {
	normalized, err := NormalizeVersion(version)
	if err != nil {
		return Release{}, err
	}
	v, err := versionTriple(normalized)
	if err != nil {
		return Release{}, err
	}
	for _, r := range Releases {
		if !less(v, r.From) && less(v, r.Before) {
			return r, nil
		}
	}
	return Release{}, &UnsupportedVersionError{Version: normalized}
}

// IsImportIndex reports whether an unversioned Optimize index name is one of
// this release's import-progress indices.
func (r Release) IsImportIndex(name string) bool {
	return listContains(r.ImportIndices, name)
}

// IsIndexClass reports whether an unversioned name (what follows
// "<prefix>-" and precedes the version suffix) is an index of this release:
// a static index, or a per-definition index with a non-empty key.
func (r Release) IsIndexClass(name string) bool {
	if listContains(r.ImportIndices, name) || listContains(r.StaticIndices, name) {
		return true
	}
	for _, family := range r.FamilyPrefixes {
		if key, ok := strings.CutPrefix(name, family); ok && key != "" {
			return true
		}
	}
	return false
}

func listContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func versionTriple(normalized string) ([3]int, error) {
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
