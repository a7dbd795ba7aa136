// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// restore: the action's wall time for a backup of two parts, each restore
// taking the snapshot time of the create row, against the same two restores
// sent with curl one after the other.
func (h *harness) restore() {
	const snap = 2 * time.Second
	if h.newest == "" {
		h.add("restore (optimize_backup_restore)", "skipped", "set TF_BENCH_TERRAFORM_NEWEST_PATH to Terraform 1.14+ (make bench does)")
		return
	}
	srv := h.emulator(snap)
	client := newClient(h.b, srv.URL)
	svc := &optimize.Service{Cluster: client}
	ctx := context.Background()
	backup, err := svc.Create(ctx, optimize.CreateRequest{ID: "restore", Repository: repository, Version: version, WaitForCompletion: true})
	if err != nil {
		h.b.Fatal(err)
	}
	deleteInstallation := func() {
		var indices []string
		for _, s := range backup.Snapshots {
			indices = append(indices, s.Indices...)
		}
		if err := client.DeleteIndices(ctx, indices); err != nil {
			h.b.Fatal(err)
		}
	}

	deleteInstallation()
	dir := h.workspace(srv.URL, 0, fmt.Sprintf(`
action "optimize_backup_restore" "r" {
  config {
    backup_id        = "restore"
    optimize_version = %q
  }
}
`, version))
	h.run(h.newest, dir, "plan", "-input=false") // warm: no init, the provider is a development override
	srv.ResetRequests()
	invoke := h.run(h.newest, dir, "apply", "-input=false", "-invoke=action.optimize_backup_restore.r", "-auto-approve")
	api, detect := apiRequests(srv)

	deleteInstallation()
	var curl time.Duration
	for _, s := range backup.Snapshots {
		body, _ := json.Marshal(map[string]any{"indices": s.Indices, "include_aliases": true, "include_global_state": false})
		cmd := exec.Command("curl", "-sf", "-X", "POST", "-H", "Content-Type: application/json", "-d", string(body),
			srv.URL+"/_snapshot/"+repository+"/"+s.Name+"/_restore?wait_for_completion=true")
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			h.b.Fatalf("curl restore of %s: %v\n%s", s.Name, err, out)
		}
		curl += time.Since(start)
	}
	h.add("restore: terraform apply -invoke wall time", ms(invoke), fmt.Sprintf("%s (two restores of %s each)", ms(2*snap), snap))
	h.add("  the same two restores with curl (sum)", ms(curl), "")
	h.add("  overhead (invoke minus curl)", ms(invoke-curl), "Terraform's own start and plan, and the checks")
	h.add("  Elasticsearch requests per restore", withDetect(api, detect), "4 + 1 GET /: backup, indices, part 1, part 2; the engine detection")
}
