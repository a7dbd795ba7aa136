// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// The version in the exporters' index names (zeebe-record_<valueType>_<version>_<date>,
// camunda-docs: "By default, the indices are prefixed with zeebe-record"):
// the newest one counts, in numeric order (8.10 after 8.9), names without
// one are skipped.
func TestRecordsVersion(t *testing.T) {
	for _, tc := range []struct {
		indices []string
		want    string
	}{
		{[]string{"zeebe-record_job_8.8.0_2026-12-05", "zeebe-record_process_8.8.0_2026-12-04"}, "8.8.0"},
		{[]string{"zeebe-record_job_8.9.3_2026-12-05", "zeebe-record_job_8.10.0_2026-12-05"}, "8.10.0"},
		{[]string{"zeebe-record_job_8.10.0_2026-12-05", "zeebe-record_job_8.10.2_2026-12-06", "zeebe-record_job_8.10.1_2026-12-07"}, "8.10.2"},
		{[]string{"zeebe-record_job_8.8.0-alpha1_2026-12-05"}, "8.8.0"},
		{[]string{"zeebe-record_job", "operate-list-view-8.3.0_", "zeebe-record-job-8.8.0"}, ""},
		{nil, ""},
	} {
		if got := RecordsVersion(tc.indices); got != tc.want {
			t.Errorf("RecordsVersion(%q) = %q, want %q", tc.indices, got, tc.want)
		}
	}
}

func TestUnverified(t *testing.T) {
	for version, want := range map[string]bool{"8.6.0": false, "8.10": false, "8.10.4": false, "8.11.0": true, "9.0": true, "8.9.9": false, "bad": false} {
		if got := Unverified(version); got != want {
			t.Errorf("Unverified(%q) = %v, want %v", version, got, want)
		}
	}
}

// Zeebe's backup is part of the verdict: COMPLETED only when the families
// and Zeebe's backup are; a missing or failed Zeebe backup is said, after
// what the families say, and the worse state wins (FAILED over INCOMPLETE).
func TestWithZeebe(t *testing.T) {
	complete := Verdict{ID: "7", State: optimize.StateCompleted}
	incomplete := Verdict{ID: "7", State: optimize.StateIncomplete, FailureReason: "webapps: part 2 missing"}
	for _, tc := range []struct {
		name   string
		pb     Verdict
		zeebe  *CamundaBackup
		state  optimize.State
		reason string
	}{
		{"both complete", complete, &CamundaBackup{ID: 7, State: StateCompleted}, optimize.StateCompleted, ""},
		{"zeebe missing", complete, nil, optimize.StateIncomplete, "zeebe: Zeebe has no backup 7"},
		{"zeebe running", complete, &CamundaBackup{ID: 7, State: StateInProgress}, optimize.StateInProgress, "zeebe: IN_PROGRESS"},
		{"zeebe failed", incomplete, &CamundaBackup{ID: 7, State: StateFailed, FailureReason: "Backup on partition 2 failed due to disk full. "},
			optimize.StateFailed, "webapps: part 2 missing; zeebe: FAILED: Backup on partition 2 failed due to disk full."},
		{"zeebe deleted", complete, &CamundaBackup{ID: 7, State: StateDeleted}, optimize.StateIncomplete, "zeebe: DELETED"},
		{"zeebe running, families incomplete", incomplete, &CamundaBackup{ID: 7, State: StateInProgress}, optimize.StateInProgress, "webapps: part 2 missing; zeebe: IN_PROGRESS"},
	} {
		v := WithZeebe(tc.pb, 7, tc.zeebe)
		if v.State != tc.state || v.FailureReason != tc.reason {
			t.Errorf("%s: %s %q, want %s %q", tc.name, v.State, v.FailureReason, tc.state, tc.reason)
		}
	}
}

// registered lists the snapshots of the repositories it holds, and answers
// optimize.ErrRepositoryMissing for any other (the engine's 404). A read
// of the families calls nothing else of the cluster.
type registered struct {
	optimize.Cluster
	repos map[string][]optimize.Snapshot
}

func (r registered) Snapshots(_ context.Context, repo, _ string) ([]optimize.Snapshot, error) {
	snaps, ok := r.repos[repo]
	if !ok {
		return nil, optimize.ErrRepositoryMissing
	}
	return snaps, nil
}

// A repository that is not registered names the families read from it and
// where each of them is told its repository: never Optimize's setting for
// another family's repository (the message named only
// CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME, whatever the family).
func TestReadFamilies_unregisteredRepositoryNamesTheFamily(t *testing.T) {
	cluster := registered{repos: map[string][]optimize.Snapshot{"backups": nil}}
	for _, tc := range []struct {
		name    string
		repos   map[Component]string // family -> repository; "backups" otherwise
		expect  []Component
		want    []string
		notWant []string
	}{
		{
			name: "the Zeebe records", repos: map[Component]string{Records: "records"},
			want:    []string{`repository "records"`, "the zeebe_records backup", "zeebe_records: no component setting names it", "camunda_zeebe_records_backup_<id>"},
			notWant: []string{"CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME", "optimize:"},
		},
		{
			name: "the web apps", repos: map[Component]string{Webapps: "webapps-repo"},
			want:    []string{`repository "webapps-repo"`, "the webapps backup", "camunda.data.secondary-storage.elasticsearch.backup.repository-name", "camunda.data.backup.repository-name"},
			notWant: []string{"CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"},
		},
		{
			name: "Operate and Tasklist of 8.7 in one repository", repos: map[Component]string{Operate: "legacy", Tasklist: "legacy"},
			expect:  []Component{Optimize, Operate, Tasklist, Records},
			want:    []string{"the operate, tasklist backup", "camunda.operate.backup.repositoryName", "camunda.tasklist.backup.repositoryName"},
			notWant: []string{"CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"},
		},
		{
			name: "Optimize's", repos: map[Component]string{Optimize: "optimize-repo"},
			want:    []string{"the optimize backup", "CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME"},
			notWant: []string{"zeebe_records:", "webapps:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repositoryOf := func(family Component) string {
				if r := tc.repos[family]; r != "" {
					return r
				}
				return "backups"
			}
			_, err := ReadFamilies(context.Background(), cluster, "5", repositoryOf, tc.expect)
			var missing *RepositoryMissingError
			if !errors.As(err, &missing) || !errors.Is(err, optimize.ErrRepositoryMissing) {
				t.Fatalf("want a RepositoryMissingError, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message lacks %q:\n%s", w, err)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("message has %q:\n%s", w, err)
				}
			}
		})
	}
}
