// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"regexp"
	"strconv"
	"strings"
)

// recordsIndexVersion is the version in an exported records index's name:
// the Elasticsearch and OpenSearch exporters name their indices
// <prefix>_<valueType>_<brokerVersion>_<date> (zeebe-record_job_8.8.0_2026-12-05).
var recordsIndexVersion = regexp.MustCompile(`_([0-9]+)\.([0-9]+)\.([0-9]+)(?:-[0-9A-Za-z.\-]+)?_[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// RecordsVersion is the newest Camunda version (X.Y.Z) the names of the
// exported records' indices carry ("" when none carries one): the version
// the brokers export with now.
func RecordsVersion(indices []string) string {
	best, bestKey := "", [3]int{-1, -1, -1}
	for _, name := range indices {
		m := recordsIndexVersion.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		var key [3]int
		for i := range key {
			key[i], _ = strconv.Atoi(m[i+1])
		}
		if compareTriples(key, bestKey) > 0 {
			best, bestKey = strings.Join(m[1:4], "."), key
		}
	}
	return best
}

func compareTriples(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}

// Newest verified: the newest Camunda minor version whose order and APIs
// the provider was built and tested against.
const NewestVerified = "8.10"

// Unverified reports whether version is newer than NewestVerified (taken
// with the newest documented order, and said so).
func Unverified(version string) bool {
	major, minor, err := majorMinor(version)
	if err != nil {
		return false
	}
	vmajor, vminor, _ := majorMinor(NewestVerified)
	return major > vmajor || major == vmajor && minor > vminor
}
