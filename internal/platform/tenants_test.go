// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Physical tenants (8.10, camunda/camunda #60719): the web apps' snapshots
// carry the same names in each tenant's repository. The backup is COMPLETED
// only when every tenant's repository holds all parts; a tenant whose
// repository lacks one is named.
func TestReadTenantFamilies(t *testing.T) {
	const id = "1796169600"
	webapps := func(parts int, skip int) []optimize.Snapshot {
		var out []optimize.Snapshot
		for n := 1; n <= parts; n++ {
			if n != skip {
				out = append(out, optimize.Snapshot{Name: "camunda_webapps_" + id + "_8.10.0_part_" + string(rune('0'+n)) + "_of_5", State: optimize.SnapshotSuccess})
			}
		}
		return out
	}
	shared := platformSet(id, map[Component][2]string{Optimize: {"8.10.0", "2"}, Records: {}})
	of := func(Component) string { return "backups" }
	expect := []Component{Optimize, Webapps, Records}

	complete := registered{repos: map[string][]optimize.Snapshot{"backups": shared, "tenant-a": webapps(5, 0), "tenant-b": webapps(5, 0)}}
	v, err := ReadTenantFamilies(context.Background(), complete, optimize.BackupID(id), of, expect, []string{"tenant-a", "tenant-b"})
	if err != nil || v.State != optimize.StateCompleted || v.FailureReason != "" {
		t.Fatalf("both tenants complete: %v, %s %q", err, v.State, v.FailureReason)
	}
	var repos []string
	for _, f := range v.Families {
		if f.Family == Webapps {
			repos = append(repos, f.Repository)
		}
	}
	if strings.Join(repos, ",") != "tenant-a,tenant-b" || len(v.Families) != 4 {
		t.Errorf("families %+v: want optimize, the records and the web apps once per tenant", v.Families)
	}

	// Tenant b lacks part 3: INCOMPLETE, and the reason names its repository.
	partial := registered{repos: map[string][]optimize.Snapshot{"backups": shared, "tenant-a": webapps(5, 0), "tenant-b": webapps(5, 3)}}
	v, err = ReadTenantFamilies(context.Background(), partial, optimize.BackupID(id), of, expect, []string{"tenant-a", "tenant-b"})
	if err != nil || v.State != optimize.StateIncomplete {
		t.Fatalf("tenant b incomplete: %v, %s", err, v.State)
	}
	if !strings.Contains(v.FailureReason, `webapps in repository "tenant-b": 4 of 5 parts`) || strings.Contains(v.FailureReason, "tenant-a") {
		t.Errorf("reason %q: want tenant-b's web apps named, and only them", v.FailureReason)
	}
	if !strings.Contains(strings.Join(v.Missing, ","), "camunda_webapps_"+id+"_8.10.0_part_3_of_5") {
		t.Errorf("missing %v", v.Missing)
	}

	// One repository: as ReadFamilies with the web apps there.
	v, err = ReadTenantFamilies(context.Background(), partial, optimize.BackupID(id), of, expect, []string{"tenant-a"})
	if err != nil || v.State != optimize.StateCompleted {
		t.Errorf("one tenant repository: %v, %s %q", err, v.State, v.FailureReason)
	}
}
