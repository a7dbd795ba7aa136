// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// platformMetrics: one source per family and tenant repository, a family
// IN_PROGRESS past stale_after is stuck, Zeebe's state in the families'
// vocabulary and without an end while it runs.
func TestPlatformMetrics(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	started := func(ago time.Duration, ended bool) []optimize.Snapshot {
		s := optimize.Snapshot{Name: "x", StartTime: now.Add(-ago)}
		if ended {
			s.EndTime = now.Add(-ago + time.Minute)
		}
		return []optimize.Snapshot{s}
	}
	verdict := func(zeebe *platform.CamundaBackup) platform.Verdict {
		return platform.Verdict{ID: "1796472000", ZeebeRead: true, Zeebe: zeebe, Families: []platform.FamilyBackup{
			{Family: platform.Optimize, Repository: "backups", State: optimize.StateInProgress, Snapshots: started(7*time.Hour, false)},
			{Family: platform.Webapps, Repository: "tenant-a", State: optimize.StateCompleted, Snapshots: started(2*time.Hour, true)},
			{Family: platform.Webapps, Repository: "tenant-b", State: optimize.StateInProgress, Snapshots: started(time.Hour, false)},
		}}
	}
	for name, tc := range map[string]struct {
		zeebe *platform.CamundaBackup
		want  []string
	}{
		"zeebe running": {
			zeebe: &platform.CamundaBackup{State: platform.StateInProgress, Partitions: []platform.Partition{{ID: 1, CreatedAt: now.Add(-8 * time.Hour), LastUpdatedAt: now.Add(-time.Hour)}}},
			want: []string{
				`optimize_backup_stuck{component="optimize",policy="",repository="backups"} 1`,
				`optimize_backup_stuck{component="webapps",policy="",repository="tenant-b"} 0`,
				`optimize_backup_stuck{component="zeebe",policy="",repository=""} 1`,
				`optimize_backup_backups{component="webapps",policy="",repository="tenant-a",state="COMPLETED"} 1`,
				`optimize_backup_backups{component="zeebe",policy="",repository="",state="IN_PROGRESS"} 1`,
				// 2026-12-05T10:01:00Z
				`optimize_backup_latest_completed_end_timestamp_seconds{component="webapps",policy="",repository="tenant-a"} 1.79646486e+09`,
			},
		},
		"zeebe does not exist": {
			zeebe: &platform.CamundaBackup{State: platform.StateDoesNotExist},
			want:  []string{`optimize_backup_backups{component="zeebe",policy="",repository="",state="INCOMPLETE"} 1`, `optimize_backup_failed{component="zeebe",policy="",repository=""} 1`},
		},
		"zeebe completed": {
			zeebe: &platform.CamundaBackup{State: platform.StateCompleted, Partitions: []platform.Partition{
				{ID: 1, CreatedAt: now.Add(-3 * time.Hour), LastUpdatedAt: now.Add(-2 * time.Hour)},
				{ID: 2, CreatedAt: now.Add(-3 * time.Hour), LastUpdatedAt: now.Add(-time.Hour)},
			}},
			// 2026-12-05T11:00:00Z, the later partition's.
			want: []string{`optimize_backup_latest_completed_end_timestamp_seconds{component="zeebe",policy="",repository=""} 1.7964684e+09`},
		},
	} {
		text, err := platformMetrics(verdict(tc.zeebe), 6*time.Hour, now)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(text, "optimize_backup_latest_completed_age_seconds") {
			t.Errorf("%s: the data source writes an age:\n%s", name, text)
		}
		for _, line := range tc.want {
			if !strings.Contains(text, line+"\n") {
				t.Errorf("%s: no line %s in\n%s", name, line, text)
			}
		}
		if tc.zeebe.State == platform.StateInProgress && strings.Contains(text, `optimize_backup_latest_completed_end_timestamp_seconds{component="zeebe"`) {
			t.Errorf("%s: Zeebe's running backup has a latest COMPLETED end", name)
		}
	}
}
