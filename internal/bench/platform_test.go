// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	twin "github.com/optimize-tf/terraform-provider-optimize/internal/esemulator/camunda"
)

const platformBackupID = "1796169600"

// platform: a whole Camunda 8.8 backup (optimize_platform_backup) against
// an engine emulator with Optimize 8.8.0 and a Camunda twin beside it, every
// snapshot taking the same fixed time. The apply is held against the
// critical path of 8.8's documented order (internal/platform/order.go):
// pause → max(the web apps' backup, Optimize's two parts in sequence) →
// the records' snapshot → Zeebe's backup (immediate in the twin) → resume.
func (h *harness) platform() {
	const snap = 200 * time.Millisecond
	srv := acctest.StartEmulatorForOptimize(h.b, "8.8.0", acctest.WithSnapshotDuration(snap))
	tw, urls, err := twin.StartBeside(srv, twin.Config{Version: "8.8.0", Repository: repository})
	if err != nil {
		h.b.Fatalf("starting the Camunda twin: %v", err)
	}
	defer func() { _ = tw.Close() }()
	dir := h.b.TempDir()
	writeFile(h.b, filepath.Join(dir, "main.tf"), acctest.RequiredProviders+
		acctest.ProviderConfig(srv.URL, fmt.Sprintf("camunda {\n    management_endpoint = %q\n  }", urls.Management))+
		fmt.Sprintf("\nresource \"optimize_platform_backup\" \"x\" {\n  backup_id = %q\n}\n", platformBackupID))
	h.tf(dir, "plan") // warm: no init, the provider is a development override
	srv.ResetRequests()
	apply := h.tf(dir, "apply", "-auto-approve")
	api, detect := apiRequests(srv)
	sp := platformSpans(srv, platformBackupID)
	paused := time.Duration(h.pausedSeconds(dir) * float64(time.Second))
	critical := max(sp.webapps.span(), sp.optimize.span()) + sp.records.span()
	ideal := time.Duration(max(sp.webapps.n, sp.optimize.n)+sp.records.n) * snap

	h.add("platform: whole backup apply (8.8)", ms(apply),
		fmt.Sprintf("%s critical path (next row); ratio apply / critical path %.2f; the rest is Terraform's plan and start, and the polls", ms(critical), ratio(apply, critical)))
	h.add("platform: critical path of the snapshots", ms(critical),
		fmt.Sprintf("max(web apps %d parts %s, Optimize 2 parts %s) + records %s, from the snapshots' start and end; %s = %d x %s of back-to-back snapshots",
			sp.webapps.n, ms(sp.webapps.span()), ms(sp.optimize.span()), ms(sp.records.span()), ms(ideal), max(sp.webapps.n, sp.optimize.n)+sp.records.n, snap))
	h.add("platform: exporting paused", ms(paused),
		fmt.Sprintf("exporting_paused_seconds (pause to the resume's answer); ratio paused / critical path %.2f", ratio(paused, critical)))
	h.add("  records snapshot started after both backups ended", ms(sp.records.start.Sub(later(sp.webapps.end, sp.optimize.end))),
		"the provider's notice of the slower backup (polls from 100 ms, doubling to at most 500 ms)")
	h.add("  engine requests of the apply", withDetect(api, detect),
		"the provider's and the twin's (the web apps' parts and the reads of their state, as Camunda sends them)")

	h.tf(dir, "destroy", "-auto-approve")
	left := len(snapshotsOfBackup(srv, platformBackupID))
	for _, b := range tw.ZeebeBackups() {
		if fmt.Sprint(b.BackupID) == platformBackupID {
			left++
		}
	}
	h.add("platform: left after destroy", fmt.Sprint(left), "0 snapshots and Zeebe backups of the id")
}

// span is one family of snapshots of a backup: how many, from the first
// start to the last end.
type span struct {
	n          int
	start, end time.Time
}

func (s *span) add(sn esemulator.Snapshot) {
	if s.n == 0 || sn.Start.Before(s.start) {
		s.start = sn.Start
	}
	if sn.End.After(s.end) {
		s.end = sn.End
	}
	s.n++
}

func (s span) span() time.Duration {
	if s.n == 0 {
		return 0
	}
	return s.end.Sub(s.start)
}

type spans struct{ webapps, optimize, records span }

// platformSpans groups the snapshots of backup id by family.
func platformSpans(srv *esemulator.Server, id string) spans {
	var sp spans
	for _, sn := range snapshotsOfBackup(srv, id) {
		switch {
		case strings.HasPrefix(sn.Name, "camunda_webapps_"):
			sp.webapps.add(sn)
		case strings.HasPrefix(sn.Name, "camunda_optimize_"):
			sp.optimize.add(sn)
		case strings.HasPrefix(sn.Name, "camunda_zeebe_records_backup_"):
			sp.records.add(sn)
		}
	}
	return sp
}

func snapshotsOfBackup(srv *esemulator.Server, id string) []esemulator.Snapshot {
	var out []esemulator.Snapshot
	for _, sn := range srv.Snapshots(repository) {
		if strings.Contains(sn.Name, "_"+id+"_") || strings.HasSuffix(sn.Name, "_"+id) {
			out = append(out, sn)
		}
	}
	return out
}

// pausedSeconds reads exporting_paused_seconds from the local state.
func (h *harness) pausedSeconds(dir string) float64 {
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		h.b.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					Paused float64 `json:"exporting_paused_seconds"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		h.b.Fatal(err)
	}
	for _, r := range st.Resources {
		if r.Type == "optimize_platform_backup" && len(r.Instances) == 1 {
			return r.Instances[0].Attributes.Paused
		}
	}
	h.b.Fatal("no optimize_platform_backup in the state")
	return 0
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
