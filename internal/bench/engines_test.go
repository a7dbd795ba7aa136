// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"fmt"
	"net/http"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// engineRequestCounts: requests per operation against each engine, with
// ten backups, through the real CLI (one provider process per command).
// Each provider process sends GET / once, the engine detection (apply and
// destroy start two: plan, then apply); the rest must stay at the floor,
// the same on every engine.
func (h *harness) engineRequestCounts() {
	const n = 10
	for _, e := range esemulator.Engines() {
		srv := acctest.StartEmulator(h.b, acctest.WithEngine(e), acctest.WithSnapshotDuration(0))
		dir := h.workspace(srv.URL, n, "")
		count := func(args ...string) (detect, api int) {
			srv.ResetRequests()
			h.tf(dir, args...)
			api, detect = apiRequests(srv)
			return detect, api
		}
		name := fmt.Sprintf("%s %s", srv.Product(), srv.Version())
		detect, api := count("apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
		h.add(fmt.Sprintf("%s: requests per create of %d backups", name, n), fmt.Sprintf("%d + %d GET /", api, detect),
			fmt.Sprintf("%d + 2 GET / (5 per backup, the version once per provider process; GET / once per process)", 5*n+2))
		detect, api = count("plan", "-refresh-only")
		h.add(fmt.Sprintf("%s: requests per refresh of %d backups", name, n), fmt.Sprintf("%d + %d GET /", api, detect),
			fmt.Sprintf("%d (one per backup) + 1 GET /", n))
		detect, api = count("destroy", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
		h.add(fmt.Sprintf("%s: requests per destroy of %d backups", name, n), fmt.Sprintf("%d + %d GET /", api, detect),
			fmt.Sprintf("%d (refresh, list, delete per backup) + 2 GET /", 3*n))
	}
}

// apiRequests splits the requests the emulator recorded into the API
// requests and the engine detections (GET /, one per provider process):
// the rows count them apart, since the detection depends on how many times
// Terraform starts the plugin, not on the provider's work.
func apiRequests(srv *esemulator.Server) (api, detect int) {
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/" {
			detect++
		} else {
			api++
		}
	}
	return api, detect
}

// withDetect formats a request count with the engine detections apart.
func withDetect(api, detect int) string {
	return fmt.Sprintf("%d + %d GET /", api, detect)
}
