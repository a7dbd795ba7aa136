// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// A whole backup is backup X of every component, taken in the documented
// order: since 8.9 the docs call an Optimize backup of another id, or of
// another time, an inconsistent restore point. All but Zeebe's partition
// backups (in its blob store) are snapshots in Elasticsearch or OpenSearch
// repositories, named by family (a Component):
//
//	camunda_optimize_<id>_<version>_part_<n>_of_<N>   Optimize (N = 2)
//	camunda_webapps_<id>_<version>_part_<n>_of_<N>    the web apps, 8.8 and later
//	camunda_operate_<id>_<version>_part_<n>_of_<N>    Operate, 8.6 and 8.7
//	camunda_tasklist_<id>_<version>_part_<n>_of_<N>   Tasklist, 8.6 and 8.7
//	camunda_zeebe_records_backup_<id>                 the exported Zeebe records
//
// N comes from the names, so a release that changes a family's part count
// needs no code here.

// Families are every snapshot family the provider knows, in the order of
// the docs.
var Families = []Component{Records, Operate, Tasklist, Webapps, Optimize}

// FamilyNames are the names of Families, in their order.
func FamilyNames() []string { return names(Families) }

func names(cs []Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// ExpectedFamilies are the families a complete backup of a Camunda version
// (X.Y.Z) has, those its documented order takes (Plan.Families): 8.8 and
// later back up the web apps together; 8.6 and 8.7 (and anything before
// 8.8) back up Operate and Tasklist apart. A version that is not X.Y.Z is
// taken as the newest.
func ExpectedFamilies(version string) []Component {
	of := NewestVerified
	if v, err := optimize.VersionTriple(version); err == nil && compareTriples(v, [3]int{8, 8, 0}) < 0 {
		of = "8.7"
	}
	plan, _ := Order(of)
	return plan.Families()
}

// recordsSnapshotPrefix starts the name of the records snapshot of an id.
const recordsSnapshotPrefix = "camunda_zeebe_records_backup_"

var (
	partedName  = regexp.MustCompile(`^camunda_(optimize|webapps|operate|tasklist)_([0-9]+)_([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.\-]*)_part_([0-9]+)_of_([0-9]+)$`)
	recordsName = regexp.MustCompile(`^` + recordsSnapshotPrefix + `([0-9]+)$`)
)

// SnapshotName is what a whole backup's snapshot name says.
type SnapshotName struct {
	Family  Component
	ID      optimize.BackupID
	Version string // as written; "" for the Zeebe records
	Part    int    // 1 for the Zeebe records
	Parts   int    // 1 for the Zeebe records
}

// ParseSnapshotName reads a snapshot name of one of the families.
func ParseSnapshotName(name string) (SnapshotName, bool) {
	if m := recordsName.FindStringSubmatch(name); m != nil {
		return SnapshotName{Family: Records, ID: optimize.BackupID(m[1]), Part: 1, Parts: 1}, true
	}
	m := partedName.FindStringSubmatch(name)
	if m == nil {
		return SnapshotName{}, false
	}
	part, err1 := strconv.Atoi(m[4])
	parts, err2 := strconv.Atoi(m[5])
	if err1 != nil || err2 != nil || part < 1 || parts < 1 || part > parts {
		return SnapshotName{}, false
	}
	return SnapshotName{Family: Component(m[1]), ID: optimize.BackupID(m[2]), Version: m[3], Part: part, Parts: parts}, true
}

// SnapshotPattern pre-filters a repository's snapshots of backup id (every
// family), for one listing request.
func SnapshotPattern(id optimize.BackupID) string {
	return "camunda_*_" + string(id) + "_*," + recordsSnapshotPrefix + string(id)
}

// RepositorySetting says where each family's component is told its snapshot
// repository, for the message of a repository that is not registered.
// Sources (camunda/camunda-docs):
//   - Optimize: docs/self-managed/operational-guides/backup-restore/optimize-backup.md
//     ("The repository name must be specified using the
//     CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME environment variable", or
//     backup.repositoryName in environment-config.yaml).
//   - The web apps of 8.8 and later (the Orchestration Cluster):
//     docs/self-managed/components/orchestration-cluster/core-settings/concepts/backups.md
//     (camunda.data.backup.repository-name), and the 8.9 property changes
//     (the config table of the core-settings configuration pages):
//     camunda.data.secondary-storage.elasticsearch.backup.repository-name
//     (.opensearch. on OpenSearch), with camunda.data.backup.repository-name,
//     camunda.operate.backup.repositoryName and
//     camunda.tasklist.backup.repositoryName as its legacy names.
//   - Operate and Tasklist of 8.6 and 8.7:
//     versioned_docs/version-8.7/self-managed/operate-deployment/operate-configuration.md
//     (camunda.operate.backup.repositoryName) and
//     versioned_docs/version-8.7/self-managed/tasklist-deployment/tasklist-configuration.md
//     (camunda.tasklist.backup.repositoryName).
//   - The exported Zeebe records: no component takes that snapshot; the
//     backup procedure (docs/self-managed/operational-guides/backup-restore/elasticsearch/backup.md,
//     the step that backs up the exported Zeebe indices) takes
//     camunda_zeebe_records_backup_<id> by hand with the engine's snapshot
//     API, into $ELASTIC_SNAPSHOT_REPOSITORY ("the name of your snapshot
//     repository").
func RepositorySetting(family Component) string {
	switch family {
	case Optimize:
		return "Optimize reads it from CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME (backup.repositoryName in its environment-config.yaml)"
	case Webapps:
		return "the Orchestration Cluster (8.8 and later) reads it from camunda.data.secondary-storage.elasticsearch.backup.repository-name " +
			"(camunda.data.secondary-storage.opensearch.backup.repository-name on OpenSearch; in 8.8 camunda.data.backup.repository-name)"
	case Operate:
		return "Operate (8.6 and 8.7) reads it from camunda.operate.backup.repositoryName"
	case Tasklist:
		return "Tasklist (8.6 and 8.7) reads it from camunda.tasklist.backup.repositoryName"
	case Records:
		return "no component setting names it: the snapshot camunda_zeebe_records_backup_<id> of the exported records (zeebe-record*) is taken by hand " +
			"with the snapshot API, into the repository that request names (PUT /_snapshot/<repository>/camunda_zeebe_records_backup_<id>)"
	}
	return ""
}

// RepositoryMissingError: the repository of one or more families of a
// whole backup is not registered in the engine.
type RepositoryMissingError struct {
	Repository string
	Families   []Component // the families read from it
	Err        error
}

func (e *RepositoryMissingError) Error() string {
	var settings []string
	for _, f := range e.Families {
		settings = append(settings, fmt.Sprintf("%s: %s", f, RepositorySetting(f)))
	}
	which := "the families"
	if len(e.Families) > 0 {
		which = "the " + strings.Join(names(e.Families), ", ") + " backup"
	}
	return fmt.Sprintf("snapshot repository %q, where %s is read from, is not registered in Elasticsearch: "+
		"register it (for example PUT /_snapshot/%s {\"type\":\"fs\",\"settings\":{\"location\":\"/mnt/backups\"}}, the location listed in path.repo), "+
		"or name the repository each component writes to. Where each takes its repository: %s",
		e.Repository, which, optimize.PathEscape(e.Repository), strings.Join(settings, "; "))
}

func (e *RepositoryMissingError) Unwrap() error { return optimize.ErrRepositoryMissing }
