// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// What users read of every typed domain error, written out in full: the
// domain's facts, and the advice of the error's type in Terraform's words.
type diagnosticRow struct {
	name string
	err  error
	d    diagnosis
	want string
}

func diagnosticRows() []diagnosticRow {
	part := optimize.Snapshot{Name: "camunda_optimize_7_3.9.0_part_2_of_2", State: optimize.SnapshotPartial, ShardsFailed: 1, ShardsTotal: 3, Reason: "a shard failed"}
	tooLong := &optimize.DeleteLineTooLongError{ID: "7", Repository: "backups", Snapshots: []string{"camunda_optimize_7_3.9.0_part_1_of_2", "camunda_optimize_7_3.9.0_part_2_of_2"},
		TooLong: []string{"camunda_optimize_7_3.9.0_part_1_of_2"}, Pattern: "camunda_optimize_7_*"}
	incomplete := &optimize.RestoreIncompleteError{ID: "5", Version: "3.9.0", Part: 2, Snapshot: "camunda_optimize_5_3.9.0_part_2_of_2",
		Restored: []string{"optimize-import-index_v3"}, NotRestored: []string{"optimize-metadata_v3"}, Err: errors.New("snapshot_restore_exception: injected")}
	restoreTarget := &optimize.VersionUnknownError{Index: "optimize-metadata", Document: "1", Missing: true, Restore: true}
	notFound := &optimize.BackupNotFoundError{ID: "5", Repository: "backups"}
	newest := optimize.Releases[len(optimize.Releases)-1].Name
	return []diagnosticRow{
		{name: "no repository configured", err: &optimize.RepositoryMissingError{},
			want: "No snapshot repository is configured: set repository_name on the resource or the provider, or CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME (the same setting Optimize reads)."},
		{name: "repository not registered", err: &optimize.RepositoryMissingError{Repository: "backups", Err: optimize.ErrRepositoryMissing},
			want: "Snapshot repository \"backups\" is not registered in Elasticsearch: register it first, for example with PUT /_snapshot/backups {\"type\":\"fs\",\"settings\":{\"location\":\"/mnt/backups\"}} (the location must be listed in path.repo), and use the same name as Optimize's CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME."},
		{name: "repository gone, read", err: fmt.Errorf("reading backup 7: %w", &optimize.RepositoryMissingError{Repository: "backups"}), d: diagnosis{operation: "read", timeout: time.Minute, repository: "backups"},
			want: "Reading backup 7: snapshot repository \"backups\" is not registered in Elasticsearch: register it first, for example with PUT /_snapshot/backups {\"type\":\"fs\",\"settings\":{\"location\":\"/mnt/backups\"}} (the location must be listed in path.repo), and use the same name as Optimize's CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME.\n\nRefreshing fails until repository \"backups\" is registered again: PUT _snapshot/backups with the settings it had, so that Elasticsearch finds the snapshots in its storage. If it will not come back, either run terraform destroy -refresh=false (with -target=<address> to leave other resources alone), which removes the backup from the state without deleting anything, or forget it with terraform state rm <address>."},
		{name: "platform repository missing", err: &platform.RepositoryMissingError{Repository: "snaps", Families: []platform.Component{platform.Webapps}},
			want: "Snapshot repository \"snaps\", where the webapps backup is read from, is not registered in Elasticsearch: register it (for example PUT /_snapshot/snaps {\"type\":\"fs\",\"settings\":{\"location\":\"/mnt/backups\"}}, the location listed in path.repo), or name the repository each component writes to, in repository_names (by family) or repository_name. Where each takes its repository: webapps: the Orchestration Cluster (8.8 and later) reads it from camunda.data.secondary-storage.elasticsearch.backup.repository-name (camunda.data.secondary-storage.opensearch.backup.repository-name on OpenSearch; in 8.8 camunda.data.backup.repository-name)."},
		{name: "backup exists", err: &optimize.BackupExistsError{ID: "1", Repository: "backups", Snapshots: []string{"camunda_optimize_1_3.8.0_part_1_of_2"}},
			want: "A backup with id \"1\" already exists in repository \"backups\" (snapshots: camunda_optimize_1_3.8.0_part_1_of_2); choose another backup_id, or adopt it with: terraform import optimize_backup.<name> 1."},
		{name: "backup exists, import names the repository", err: &optimize.BackupExistsError{ID: "1", Repository: "other", Snapshots: []string{"camunda_optimize_1_3.8.0_part_1_of_2"}}, d: diagnosis{operation: "create", importNamesRepository: true},
			want: "A backup with id \"1\" already exists in repository \"other\" (snapshots: camunda_optimize_1_3.8.0_part_1_of_2); choose another backup_id, or adopt it with: terraform import optimize_backup.<name> other/1."},
		{name: "backup being taken by another writer", err: fmt.Errorf("backup \"7\", part 1 of 2 (snapshot camunda_optimize_7_3.9.0_part_1_of_2): %w", &optimize.BackupExistsError{ID: "7", Repository: "backups", Snapshots: []string{"camunda_optimize_7_3.9.0_part_1_of_2"}, Concurrent: true}),
			want: "Backup \"7\", part 1 of 2 (snapshot camunda_optimize_7_3.9.0_part_1_of_2): a backup with id \"7\" is being taken by another writer (another resource or workspace with the same backup_id started it while this create ran; nothing of it was recorded or will be deleted here) in repository \"backups\" (snapshots: camunda_optimize_7_3.9.0_part_1_of_2); choose another backup_id, or adopt it with: terraform import optimize_backup.<name> 7."},
		{name: "backup not found", err: &optimize.BackupNotFoundError{ID: "7", Repository: "backups"},
			want: "Backup \"7\" was not found in repository \"backups\": no snapshot named camunda_optimize_7_* exists."},
		{name: "part failed", err: &optimize.PartFailedError{ID: "7", Snapshot: part},
			want: "Backup \"7\" failed: snapshot camunda_optimize_7_3.9.0_part_2_of_2 is PARTIAL (1 of 3 shards failed): a shard failed; the next apply replaces it (its snapshots are deleted and taken again)."},
		{name: "unsupported version", err: &optimize.UnsupportedVersionError{Version: "3.8.0", Reason: "no Optimize release of that number is known"},
			want: "Optimize version 3.8.0 is not an Optimize release with a backup API: no Optimize release of that number is known. The provider covers Optimize " +
				optimize.CoveredVersions() + ", and versions newer than " + newest + " with a warning; set optimize_version to the version of your Optimize (its metadata index, <index_prefix>-metadata, holds it as schemaVersion)."},
		{name: "no Optimize index", err: &optimize.NoOptimizeIndexError{Prefix: "other", What: "index"},
			want: "No index of the Optimize installation with index prefix \"other\" was found (looked for indices named \"other-\" followed by a name and a version suffix such as _v3); check index_prefix and that Optimize has started at least once against this cluster."},
		{name: "ambiguous index", err: &optimize.AmbiguousIndexError{Index: "optimize-event-process-definition_v5", Prefix: "optimize", Other: "optimize-event"},
			want: "Index optimize-event-process-definition_v5: it is an index of the Optimize installation with index prefix \"optimize\" and also of the installation with index prefix \"optimize-event\" (found by its metadata index). The two installations' index names collide, so the provider cannot tell whose it is and takes no backup and restores nothing rather than guess; give one of the installations an index prefix that does not extend the other's (es.settings.index.prefix)."},
		{name: "invalid backup id", err: &optimize.InvalidBackupIDError{ID: "a b", Reason: "it is not a number"},
			want: "Invalid backup id \"a b\": it is not a number."},
		{name: "policy ids exhausted", err: &optimize.PolicyIDExhaustedError{Policy: "nightly", Release: optimize.Releases[0], Next: "2147483648", ForcedBy: "2147483647", Now: time.Unix(0, 0)},
			want: "Policy \"nightly\" cannot take its next backup: backup \"2147483647\" of the repository forces the next id to 2147483648, beyond the largest id Optimize 3.9 takes (0, Java string), and a policy's ids only grow. Delete backup \"2147483647\" if it is not needed (it holds no id a policy can follow), or upgrade to an Optimize whose ids are Java Long (3.14 and 8.x)."},
		{name: "delete line too long", err: tooLong,
			want: "Backup \"7\" cannot be deleted by the provider, and nothing of it was deleted: even alone, the request that deletes snapshot camunda_optimize_7_3.9.0_part_1_of_2 would be a 71-byte request line, over the engine's 4096-byte limit (http.max_initial_line_length), which refuses such a line before reading it, so no request that names the snapshot can be sent.\n\nTo get out, delete the backup's snapshots by hand, then remove the backup from the state: terraform state rm <address of this optimize_backup resource>.\n\nA wildcard pattern matches the backup's 2 snapshots and no other snapshot of the repository now. Check that it still lists exactly them:\n\n  GET /_snapshot/backups/camunda_optimize_7_*\n\nthen delete them:\n\n  DELETE /_snapshot/backups/camunda_optimize_7_*\n\nA wildcard deletes whatever has such a name when the DELETE arrives: send it only right after a GET that listed the backup's snapshots and nothing else. If the GET lists any other snapshot, the backup's snapshots can only be deleted by their full names over a longer request line: raise http.max_initial_line_length in the configuration of every node (elasticsearch.yml or opensearch.yml; a static setting, so each node restarts; a managed service may not offer it), then send\n\n  DELETE /_snapshot/backups/camunda_optimize_7_3.9.0_part_1_of_2\n\n  DELETE /_snapshot/backups/camunda_optimize_7_3.9.0_part_2_of_2."},
		{name: "restore incomplete", err: incomplete,
			want: "Restoring backup \"5\" failed at part 2 of 2 (snapshot camunda_optimize_5_3.9.0_part_2_of_2): snapshot_restore_exception: injected\n\nRestored: optimize-import-index_v3.\n\nNot restored: optimize-metadata_v3.\n\nTo finish, keep Optimize stopped and restore the backup again with delete_existing_indices = true and optimize_version = \"3.9.0\" (the metadata index that held the version may be gone): it deletes the installation's indices restored so far and restores both parts from the start.."},
		{name: "restore stopped at a timeout", err: &optimize.RestoreIncompleteError{ID: "5", Part: 1, Snapshot: "camunda_optimize_5_3.9.0_part_1_of_2", NotRestored: []string{"optimize-import-index_v3"}, Err: context.DeadlineExceeded}, d: diagnosis{operation: "invoke", timeout: time.Hour},
			want: "Restoring backup \"5\" failed at part 1 of 2 (snapshot camunda_optimize_5_3.9.0_part_1_of_2): context deadline exceeded\n\nNo index was restored.\n\nNot restored: optimize-import-index_v3.\n\nElasticsearch goes on restoring snapshot camunda_optimize_5_3.9.0_part_1_of_2 after the provider stopped waiting: wait until GET _cat/recovery?active_only=true lists none of its indices.\n\nTo finish, keep Optimize stopped and restore the backup again with delete_existing_indices = true and optimize_version = \"<the backup's version>\" (the metadata index that held the version may be gone): it deletes the installation's indices restored so far and restores both parts from the start.\n\nThe invoke timeout of 1h0m0s ran out; raise it with timeouts = { invoke = \"...\" }."},
		{name: "timeout, read", err: fmt.Errorf("listing snapshots: %w", context.DeadlineExceeded), d: diagnosis{operation: "read", timeout: 5 * time.Minute},
			want: "Listing snapshots: context deadline exceeded.\n\nThe read timeout of 5m0s ran out. Check that Elasticsearch answers, then run the command again; if it is only slow, set a longer read timeout on the resource, for example timeouts = { read = \"30m\" }."},
		{name: "timeout, delete", err: fmt.Errorf("deleting: %w", context.DeadlineExceeded), d: diagnosis{operation: "delete", timeout: 30 * time.Minute},
			want: "Deleting: context deadline exceeded.\n\nThe delete timeout of 30m0s ran out. Check that Elasticsearch answers, then run the command again; if it is only slow, set a longer delete timeout on the resource, for example timeouts = { delete = \"30m\" }."},
		{name: "timeout, create after a part started", err: fmt.Errorf("waiting for snapshot camunda_optimize_7_3.9.0_part_1_of_2: %w", context.DeadlineExceeded), d: diagnosis{operation: "create", timeout: time.Hour, started: []string{"camunda_optimize_7_3.9.0_part_1_of_2"}},
			want: "Waiting for snapshot camunda_optimize_7_3.9.0_part_1_of_2: context deadline exceeded.\n\nThe create timeout of 1h0m0s ran out. The snapshots already started (camunda_optimize_7_3.9.0_part_1_of_2) are recorded in the state and go on in Elasticsearch; the resource is tainted, so the next apply deletes them and takes the backup again. If backups take longer than that, set a longer create timeout on the resource, for example timeouts = { create = \"2h\" } (the default is 60m)."},
		{name: "create interrupted before any part", err: context.Canceled, d: diagnosis{operation: "create", timeout: time.Hour},
			want: "Context canceled.\n\nThe create was interrupted. No snapshot of the backup was started: nothing is recorded in the state, and the next apply takes the backup."},
		{name: "connection lost during a create", err: fmt.Errorf("taking snapshot: %w", optimize.ErrUnreachable), d: diagnosis{operation: "create", timeout: time.Hour},
			want: "Taking snapshot: elasticsearch unreachable.\n\nThe connection to Elasticsearch failed during the create. No snapshot of the backup was started: nothing is recorded in the state, and the next apply takes the backup. Run apply again once Elasticsearch answers."},
		{name: "version unknown, no metadata document", err: &optimize.VersionUnknownError{Index: "other-metadata", Document: "1", Missing: true},
			want: "The Optimize version is unknown: optimize_version is not set, and Optimize's metadata document other-metadata/_doc/1 does not exist: set optimize_version, or check index_prefix."},
		{name: "version unknown, no schemaVersion", err: &optimize.VersionUnknownError{Index: "optimize-metadata", Document: "1"},
			want: "The Optimize version is unknown: optimize_version is not set, and Optimize's metadata document optimize-metadata/_doc/1 has no schemaVersion: set optimize_version."},
		{name: "restore refused, no metadata document", err: &optimize.RestoreRefusedError{ID: "5", Check: "the target Optimize version is unknown",
			Reason: restoreTarget.Error(), Err: restoreTarget}, d: diagnosis{operation: "invoke", timeout: time.Hour},
			want: "Nothing was changed. Check: the target Optimize version is unknown. Found: optimize_version is set neither on the action nor on the provider, and Optimize's metadata document optimize-metadata/_doc/1 does not exist to read it from: set optimize_version to the version of the Optimize that will read the restored data."},
		{name: "version unknown for a restore, no schemaVersion", err: fmt.Errorf("%w", &optimize.VersionUnknownError{Index: "optimize-metadata", Document: "1", Restore: true}),
			want: "optimize_version is set neither on the action nor on the provider, and Optimize's metadata document optimize-metadata/_doc/1 has no schemaVersion: set optimize_version."},
		{name: "restore refused, no such backup", err: &optimize.RestoreRefusedError{ID: "5", Check: "the backup does not exist",
			Reason: notFound.Error(), Fix: optimize.FixBackup, Err: notFound}, d: diagnosis{operation: "invoke", timeout: time.Hour},
			want: "Nothing was changed. Check: the backup does not exist. Found: backup \"5\" was not found in repository \"backups\": no snapshot named camunda_optimize_5_* exists; check backup_id and repository_name (the optimize_backups data source lists the repository's backups)."},
		{name: "restore refused, another version", err: &optimize.RestoreRefusedError{ID: "5", Check: "the backup's version differs from the target version",
			Reason: "backup 5 was taken by Optimize 3.9.0, and the Optimize that will read the data is 3.10.0; an Optimize of another version refuses or migrates the data",
			Fix:    optimize.FixTargetVersion, BackupVersion: "3.9.0"}, d: diagnosis{operation: "invoke", timeout: time.Hour},
			want: "Nothing was changed. Check: the backup's version differs from the target version. Found: backup 5 was taken by Optimize 3.9.0, and the Optimize that will read the data is 3.10.0; an Optimize of another version refuses or migrates the data: restore it for Optimize 3.9.0 (set optimize_version = \"3.9.0\" and start that version), then upgrade."},
		{name: "restore refused, indices exist", err: &optimize.RestoreRefusedError{ID: "5", Check: "indices of the installation exist",
			Reason: `1 indices of the installation with index prefix "optimize" exist: optimize-metadata_v3; Elasticsearch cannot restore onto them`,
			Fix:    optimize.FixDeleteExisting}, d: diagnosis{operation: "invoke", timeout: time.Hour},
			want: "Nothing was changed. Check: indices of the installation exist. Found: 1 indices of the installation with index prefix \"optimize\" exist: optimize-metadata_v3; Elasticsearch cannot restore onto them. With Optimize stopped, set delete_existing_indices = true to delete exactly these indices first, or delete them yourself."},
		{name: "restore refused, not the installation's indices", err: &optimize.RestoreRefusedError{ID: "5", Check: "the backup holds indices of the installation",
			Reason: `snapshot camunda_optimize_5_3.9.0_part_1_of_2 holds no index of the installation with index prefix "optimize" (it holds orders)`,
			Fix:    optimize.FixIndexPrefix}, d: diagnosis{operation: "invoke", timeout: time.Hour},
			want: "Nothing was changed. Check: the backup holds indices of the installation. Found: snapshot camunda_optimize_5_3.9.0_part_1_of_2 holds no index of the installation with index prefix \"optimize\" (it holds orders); check index_prefix on the provider."},
		{name: "restore refused, in the error's own text", err: &optimize.RestoreRefusedError{ID: "5", Check: "indices of the installation exist",
			Reason: `1 indices of the installation with index prefix "optimize" exist: optimize-metadata_v3; Elasticsearch cannot restore onto them`,
			Fix:    optimize.FixDeleteExisting},
			want: "Backup \"5\" was not restored, nothing was changed: indices of the installation exist: 1 indices of the installation with index prefix \"optimize\" exist: optimize-metadata_v3; Elasticsearch cannot restore onto them. With Optimize stopped, set delete_existing_indices = true to delete exactly these indices first, or delete them yourself."},
	}
}

func TestDiagnosisDetail(t *testing.T) {
	for _, r := range diagnosticRows() {
		t.Run(r.name, func(t *testing.T) {
			if got := r.d.detail(r.err); got != r.want {
				t.Errorf("detail:\n got %q\nwant %q", got, r.want)
			}
		})
	}
}

// Every typed error of the domain has a row above: a new one needs one.
func TestDiagnosisRowsCoverEveryTypedError(t *testing.T) {
	covered := map[string]bool{}
	for _, r := range diagnosticRows() {
		for err := r.err; err != nil; err = errors.Unwrap(err) {
			covered[fmt.Sprintf("%T", err)] = true
		}
	}
	for _, typed := range []error{
		&optimize.RepositoryMissingError{}, &platform.RepositoryMissingError{}, &optimize.BackupExistsError{},
		&optimize.BackupNotFoundError{}, &optimize.PartFailedError{}, &optimize.UnsupportedVersionError{},
		&optimize.VersionUnknownError{}, &optimize.NoOptimizeIndexError{}, &optimize.AmbiguousIndexError{},
		&optimize.InvalidBackupIDError{}, &optimize.PolicyIDExhaustedError{}, &optimize.DeleteLineTooLongError{},
		&optimize.RestoreRefusedError{}, &optimize.RestoreIncompleteError{},
	} {
		if name := fmt.Sprintf("%T", typed); !covered[name] {
			t.Errorf("no row for %s", name)
		}
	}
}

// A release without a backup API of its own: the warning says what restores
// the backup.
func TestAddWarningsNoOwnAPI(t *testing.T) {
	release, err := optimize.ReleaseFor("3.14.0")
	if err != nil || release.NoOwnAPI == "" {
		t.Fatalf("3.14 must be a release without a backup API of its own: %v", err)
	}
	var diags diag.Diagnostics
	addWarnings(&diags, "7", optimize.IndexSelection{Release: release}.Warnings())
	want := "Backup \"7\": Optimize 3.14 has no backup API of its own"
	for _, d := range diags {
		if d.Summary() == want {
			if !strings.HasSuffix(d.Detail(), ". Optimize 3.14 neither lists this backup nor restores it: restore it with the optimize_backup_restore action.") {
				t.Errorf("detail: %q", d.Detail())
			}
			return
		}
	}
	t.Errorf("no warning %q in %v", want, diags)
}

// The no-repository detail is the same wherever a plan or read has no
// repository.
func TestNoRepositoryDetail(t *testing.T) {
	want := "No snapshot repository is configured: set repository_name on the resource or the provider, or CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME (the same setting Optimize reads)."
	if got := noRepositoryDetail(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Sentences start with a capital; names keep the spelling they are typed with.
func TestCapitalize(t *testing.T) {
	for in, want := range map[string]string{
		"":                                  "",
		"no snapshot repository":            "No snapshot repository",
		"elasticsearch accepted snapshot x": "Elasticsearch accepted snapshot x",
		"optimize_version is not set":       "optimize_version is not set",
		"camunda_optimize_1_3.9.0_part_1_of_2 failed": "camunda_optimize_1_3.9.0_part_1_of_2 failed",
		"optimize-metadata/_doc/1 is missing":         "optimize-metadata/_doc/1 is missing",
		`"a%b" is refused`:                            `"a%b" is refused`,
	} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}
