// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// policy: what optimize_backup_policy costs. A refresh reads the repository
// with one request whatever its size; an apply that takes one backup and
// deletes k expired ones; the refresh time over 2,000 snapshots.
func (h *harness) policy() {
	const k = 5
	srv := acctest.StartEmulatorForOptimize(h.b, "8.8.0")
	dir := h.b.TempDir()
	config := func(keepLast int) {
		writeFile(h.b, filepath.Join(dir, "main.tf"), acctest.RequiredProviders+acctest.ProviderConfig(srv.URL)+fmt.Sprintf(`
resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = %d
}
`, keepLast))
	}
	config(100)
	h.tf(dir, "apply", "-auto-approve") // the first backup
	srv.ResetRequests()
	h.tf(dir, "plan")
	h.add("policy: Elasticsearch requests per refresh and plan", withDetect(apiRequests(srv)), "2 + 1 GET /: one listing of the repository, which the plan reuses, and the cluster's clock (GET _cat/health, once per command)")

	// k more backups of the policy, old: with keep_last = 1 the next apply
	// takes one backup and deletes the k + 1 before it.
	for i := 1; i <= k; i++ {
		acctest.PutBackup(h.b, srv, fmt.Sprintf("900000000%d", i), "8.8.0", `,"metadata":{"policy":"nightly"}`)
	}
	srv.AgeSnapshots(repository, "camunda_optimize_", 100*time.Hour)
	config(1)
	h.tf(dir, "plan") // warm
	srv.ResetRequests()
	h.tf(dir, "apply", "-auto-approve")
	deletes := srv.CountRequests(http.MethodDelete, "/_snapshot/")
	h.add(fmt.Sprintf("policy: requests of an apply that takes 1 backup and deletes %d", k+1), withDetect(apiRequests(srv)),
		fmt.Sprintf("%d: %d DELETE (one per backup, both parts) + the refresh's listing, the apply's listing, the version at plan (the due backup's id check) and at apply, the backup's 5 (repository, existing, indices, 2 parts), a listing after it, the cluster's clock in the plan's and the apply's process; 2 GET /", 12+deletes, deletes))

	// 2,000 snapshots in the repository: the policy's and Optimize's own.
	for i := 1; len(srv.Snapshots(repository)) < 2000; i++ {
		acctest.PutBackup(h.b, srv, fmt.Sprint(i), "8.8.0", "")
	}
	config(100)
	h.tf(dir, "apply", "-auto-approve")
	n := len(srv.Snapshots(repository))
	srv.ResetRequests()
	wall := median(3, func() time.Duration { return h.tf(dir, "plan", "-refresh-only") })
	h.add(fmt.Sprintf("policy: refresh over %d snapshots (median of 3)", n), ms(wall), fmt.Sprintf("one listing request and one read of the cluster's clock per refresh: %s requests for 3", withDetect(apiRequests(srv))))
}
