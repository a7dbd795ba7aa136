// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Physical tenants (Camunda 8.10): each tenant writes the web apps' history
// backup into its own snapshot repository, with the same snapshot names
// (camunda/camunda #60719, "Require one ES/OS snapshot repository per
// physical tenant"; SnapshotRepositoryIsolationValidation refuses two
// tenants on one repository), and the backupHistory actuator reports a
// backup COMPLETED only once every tenant's is (#56676). Optimize and the
// exported records are not per tenant.

// ReadTenantFamilies is ReadFamilies with the web apps family read from
// each of webappsRepositories (one per physical tenant): one family entry
// per tenant repository, and the backup COMPLETED only when the web apps'
// backup is complete in every one of them. With fewer than two
// repositories it is ReadFamilies.
func ReadTenantFamilies(ctx context.Context, cluster optimize.Cluster, id optimize.BackupID, repositoryOf func(Component) string, expect []Component, webappsRepositories []string) (Verdict, error) {
	if len(webappsRepositories) < 2 {
		if len(webappsRepositories) == 1 {
			base := repositoryOf
			repositoryOf = func(f Component) string {
				if f == Webapps {
					return webappsRepositories[0]
				}
				return base(f)
			}
		}
		return ReadFamilies(ctx, cluster, id, repositoryOf, expect)
	}
	var merged Verdict
	found := false
	for i, repo := range webappsRepositories {
		of := func(f Component) string {
			if f == Webapps {
				return repo
			}
			return repositoryOf(f)
		}
		v, err := ReadFamilies(ctx, cluster, id, of, expect)
		if errors.Is(err, optimize.ErrBackupNotFound) {
			continue
		}
		if err != nil {
			return Verdict{}, err
		}
		if !found {
			merged, found = v, true
			merged.Families = nil
			merged.Missing = nil
			merged.FailureReason = ""
		}
		mergeTenant(&merged, v, repo, i == 0)
	}
	if !found {
		return Verdict{}, optimize.ErrBackupNotFound
	}
	return merged, nil
}

// mergeTenant adds one tenant's reading: its web apps family, and, from
// the first, the families that are not per tenant; the worst state wins.
func mergeTenant(merged *Verdict, v Verdict, repo string, first bool) {
	for _, f := range v.Families {
		if f.Family == Webapps || first {
			merged.Families = append(merged.Families, f)
		}
	}
	for _, m := range v.Missing {
		if !slices.Contains(merged.Missing, m) {
			merged.Missing = append(merged.Missing, m)
		}
	}
	if stateRank[v.State] < stateRank[merged.State] {
		merged.State = v.State
	}
	for _, r := range strings.Split(v.FailureReason, "\n") {
		if rest, ok := strings.CutPrefix(r, string(Webapps)+": "); ok {
			r = fmt.Sprintf("%s in repository %q: %s", Webapps, repo, rest)
		}
		if r != "" && !slices.Contains(strings.Split(merged.FailureReason, "\n"), r) {
			merged.FailureReason = strings.TrimPrefix(merged.FailureReason+"\n"+r, "\n")
		}
	}
}
