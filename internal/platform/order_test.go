// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"strings"
	"testing"
)

// The documented order per version, written out from camunda-docs (not from
// the code): 8.6 and 8.7 "Step 1: Back up WebApps" (Optimize, Operate,
// Tasklist, in any order, each waited for), then "Step 2: Backup Zeebe
// Cluster" (soft pause, the zeebe-record snapshot, Zeebe's backup, wait,
// resume); 8.8, 8.9 and 8.10 steps 1 to 10: soft pause, web apps, Optimize,
// wait for both, the zeebe-record snapshot, Zeebe's backup, wait, resume.
func TestOrder(t *testing.T) {
	webappsFirst := "start optimize, start operate, start tasklist, wait optimize, wait operate, wait tasklist, " +
		"pause exporting (soft), snapshot the exported Zeebe records, start zeebe, wait zeebe, resume exporting"
	pauseFirst := "pause exporting (soft), start webapps, start optimize, wait webapps, wait optimize, " +
		"snapshot the exported Zeebe records, start zeebe, wait zeebe, resume exporting"
	for _, tc := range []struct {
		version, steps string
		api            API
		source         string
	}{
		{"8.6.21", webappsFirst, ComponentActuators, "version-8.6/self-managed/operational-guides/backup-restore/backup.md"},
		{"8.7", webappsFirst, ComponentActuators, "version-8.7/"},
		{"8.8.0", pauseFirst, ManagementActuators, "version-8.8/self-managed/operational-guides/backup-restore/backup.md"},
		{"8.9.3", pauseFirst, ManagementActuators, "version-8.9/self-managed/operational-guides/backup-restore/elasticsearch/backup.md"},
		{"8.10.0", pauseFirst, OrchestrationREST, "docs/self-managed/operational-guides/backup-restore/backup/elasticsearch/backup.md"},
		{"8.12.1", pauseFirst, OrchestrationREST, "docs/"},
		{"9.0.0", pauseFirst, OrchestrationREST, "docs/"},
	} {
		p, err := Order(tc.version)
		if err != nil {
			t.Fatalf("%s: %v", tc.version, err)
		}
		var names []string
		for _, s := range p.Steps {
			names = append(names, s.String())
		}
		if got := strings.Join(names, ", "); got != tc.steps {
			t.Errorf("%s:\n got %s\nwant %s", tc.version, got, tc.steps)
		}
		if p.API != tc.api || !strings.Contains(p.Source, tc.source) {
			t.Errorf("%s: API %q, source %q", tc.version, p.API, p.Source)
		}
	}
	for _, bad := range []string{"8.5.0", "7.22", "eight", "8", ""} {
		if _, err := Order(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// The families a whole backup leaves: 8.6 and 8.7 Optimize, Operate,
// Tasklist and the records; 8.8 and later the web apps, Optimize and the
// records (Zeebe's backup lives in its own store, not in a snapshot).
func TestPlanFamilies(t *testing.T) {
	for version, want := range map[string]string{
		"8.7.2":  "optimize operate tasklist zeebe_records",
		"8.8.0":  "webapps optimize zeebe_records",
		"8.10.1": "webapps optimize zeebe_records",
	} {
		p, _ := Order(version)
		var got []string
		for _, f := range p.Families() {
			got = append(got, string(f))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %v, want %s", version, got, want)
		}
	}
}
