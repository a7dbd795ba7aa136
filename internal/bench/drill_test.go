// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

const (
	drillVersion  = "8.8.0"
	drillBackupID = "1764633600"
)

// drill: the restore drill (optimize_backup_verify) of an Optimize 8.8
// backup against a plain restore of the same backup over the installation
// (optimize_backup_restore with delete_existing_indices), both through
// Terraform 1.14's apply -invoke, every restore taking the same fixed time.
// The drill restores the same two parts (under drill-<id>-) and sends more
// reads (the disk and its watermark, the snapshots' size, the restored
// indices' stats) and the deletion of what it restored.
func (h *harness) drill() {
	const snap = 200 * time.Millisecond
	if h.newest == "" {
		h.add("drill (optimize_backup_verify)", "skipped", "set TF_BENCH_TERRAFORM_NEWEST_PATH to Terraform 1.14+ (make bench does)")
		return
	}
	srv := acctest.StartEmulatorForOptimize(h.b, drillVersion, acctest.WithSnapshotDuration(snap))
	svc := &optimize.Service{Cluster: newClient(h.b, srv.URL)}
	backup, err := svc.Create(context.Background(), optimize.CreateRequest{
		ID: drillBackupID, Repository: repository, Version: drillVersion, WaitForCompletion: true,
	})
	if err != nil {
		h.b.Fatal(err)
	}
	indices := 0
	for _, s := range backup.Snapshots {
		indices += len(s.Indices)
	}
	short := strings.Join(strings.Split(drillVersion, ".")[:2], ".")

	drillDir := h.workspace(srv.URL, 0, fmt.Sprintf(`
action "optimize_backup_verify" "x" {
  config {
    backup_id = %q
  }
}
`, drillBackupID))
	restoreDir := h.workspace(srv.URL, 0, fmt.Sprintf(`
action "optimize_backup_restore" "r" {
  config {
    backup_id               = %q
    optimize_version        = %q
    delete_existing_indices = true
  }
}
`, drillBackupID, drillVersion))
	h.run(h.newest, drillDir, "plan", "-input=false") // warm: no init, the provider is a development override
	// Alternated, a drill then a restore three times, so that a machine
	// busier for a while weighs on both.
	var drillWalls, restoreWalls []time.Duration
	var drillReq, restoreReq requestKinds
	for range 3 {
		var d time.Duration
		d, drillReq = h.invoke(srv, drillDir, "action.optimize_backup_verify.x")
		drillWalls = append(drillWalls, d)
		if left := drillLeftovers(srv); len(left) > 0 {
			h.b.Fatalf("the drill left scratch indices: %v", left)
		}
		d, restoreReq = h.invoke(srv, restoreDir, "action.optimize_backup_restore.r")
		restoreWalls = append(restoreWalls, d)
	}
	drillWall, restoreWall := medianOf(drillWalls), medianOf(restoreWalls)

	h.add(fmt.Sprintf("drill: apply -invoke (%s, %d indices, median of 3)", short, indices), ms(drillWall),
		fmt.Sprintf("%s: the plain restore below; ratio drill / restore %.2f; both restore the 2 parts, %s each", ms(restoreWall), ratio(drillWall, restoreWall), snap))
	h.add("drill: engine requests", drillReq.String(), drillReq.more(requestKinds{}))
	h.add(fmt.Sprintf("restore: apply -invoke, delete_existing_indices (%s, %d indices, median of 3)", short, indices), ms(restoreWall), "")
	h.add("restore: engine requests", restoreReq.String(), restoreReq.more(requestKinds{}))
	h.add("  requests the drill sends more", fmt.Sprintf("%+d", drillReq.total()-restoreReq.total()),
		drillReq.more(restoreReq)+": the disk and its watermark, the parts' size and the leftovers under the scratch prefix (at plan and at invoke), the restored and the live indices' documents, the metadata's version; "+
			"each deletes in one request (the drill its scratch copies, the restore the installation's indices)")
}

// invoke runs apply -invoke of action in dir and returns its wall time and
// the engine requests it sent.
func (h *harness) invoke(srv *esemulator.Server, dir, action string) (time.Duration, requestKinds) {
	srv.ResetRequests()
	d := h.run(h.newest, dir, "apply", "-input=false", "-invoke="+action, "-auto-approve")
	return d, kindsOf(srv)
}

func drillLeftovers(srv *esemulator.Server) []string {
	var out []string
	for _, n := range srv.Indices() {
		if strings.HasPrefix(n, "drill-") {
			out = append(out, n)
		}
	}
	return out
}

// requestKinds counts the engine's requests by method and by endpoint (the
// last path segment that names an API, such as _restore or _stats).
type requestKinds struct {
	detect   int            // GET /, one per provider process
	method   map[string]int // the rest, by method
	endpoint map[string]int // the rest, by method and endpoint
}

func kindsOf(srv *esemulator.Server) requestKinds {
	k := requestKinds{method: map[string]int{}, endpoint: map[string]int{}}
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/" {
			k.detect++
			continue
		}
		k.method[r.Method]++
		k.endpoint[r.Method+" "+endpoint(r.Path)]++
	}
	return k
}

// endpoint names the API of a path: _cat/allocation, _cluster/settings,
// _snapshot, _restore, _status, _stats, _alias…; an index otherwise.
func endpoint(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if !strings.HasPrefix(s, "_") {
			continue
		}
		if (s == "_cat" || s == "_cluster") && i+1 < len(segs) {
			return s + "/" + segs[i+1]
		}
		return s
	}
	return "index"
}

func (k requestKinds) total() int {
	n := 0
	for _, c := range k.method {
		n += c
	}
	return n
}

// String: "N + d GET / (x GET, 2 POST _restore, 1 DELETE)".
func (k requestKinds) String() string {
	var parts []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete} {
		c := k.method[m]
		if m == http.MethodPost {
			restores := k.endpoint["POST _restore"]
			if restores > 0 {
				parts = append(parts, fmt.Sprintf("%d POST _restore", restores))
			}
			c -= restores
		}
		if c > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c, m))
		}
	}
	return fmt.Sprintf("%s (%s)", withDetect(k.total(), k.detect), strings.Join(parts, ", "))
}

// more lists the endpoints k sends more often than other.
func (k requestKinds) more(other requestKinds) string {
	var out []string
	for e, c := range k.endpoint {
		if d := c - other.endpoint[e]; d > 0 {
			out = append(out, fmt.Sprintf("%d %s", d, e))
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
