// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

const verifyConfig = `
action "optimize_backup_verify" "x" {
  config {
    backup_id = "1764633600"
  }
}
`

// scratchIndices are the indices under the drill's default prefix.
func scratchIndices(srv *esemulator.Server) []string {
	var out []string
	for _, n := range srv.Indices() {
		if strings.HasPrefix(n, "drill-") {
			out = append(out, n)
		}
	}
	return out
}

// The drill restores both parts under drill-<id>- (renamed, no aliases),
// reports every index with its documents beside the live ones, and leaves
// no scratch index; the installation's indices are untouched.
func TestAccBackupVerify_drill(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1764633600")
	// A process definition imported after the backup: live has one more.
	if err := srv.PutDocument("optimize-process-definition_v6", "after-the-backup", map[string]any{"key": "late"}); err != nil {
		t.Fatal(err)
	}
	before := strings.Join(srv.Indices(), ",")
	docsBefore := liveDocs(t, srv)
	srv.ResetRequests()
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+verifyConfig)
	out, code := cli.Run("apply", "-auto-approve", "-invoke=action.optimize_backup_verify.x")
	if code != 0 {
		t.Fatalf("apply -invoke: exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"backup 1764633600 is COMPLETED",
		"restoring part 1 of 2 (snapshot camunda_optimize_1764633600_3.9.0_part_1_of_2, 3 indices) under drill-1764633600-",
		"restoring part 2 of 2",
		"backup 1764633600 restores:",
		"came back in",
		"part | index | documents in the backup | documents live",
		"1 | optimize-import-index_v3 | 0 | 0",
		"2 | optimize-metadata_v3 | 1 | 1",
		"2 | optimize-process-definition_v6 | 3 | 4",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if left := scratchIndices(srv); len(left) > 0 {
		t.Errorf("scratch indices left: %v", left)
	}
	if after := strings.Join(srv.Indices(), ","); after != before {
		t.Errorf("the installation's indices changed:\nbefore %s\nafter  %s", before, after)
	}
	if after := liveDocs(t, srv); after != docsBefore {
		t.Errorf("the live documents changed:\nbefore %s\nafter  %s", docsBefore, after)
	}
	restores := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/_restore") {
			restores++
		}
		if r.Method == http.MethodDelete && !strings.HasPrefix(r.Path, "/drill-1764633600-") {
			t.Errorf("a delete of something not the drill's: %s %s", r.Method, r.Path)
		}
	}
	if restores != 2 {
		t.Errorf("%d restore requests, want 2 (one per part)", restores)
	}
}

// Not enough disk below the high watermark: refused before any write,
// naming both figures.
func TestAccBackupVerify_refusesWithoutDisk(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1764633600")
	// 100 GiB with 10 GiB free: exactly at the 90% high watermark (the
	// engines' default), no room for the snapshots' few kilobytes.
	if status, body := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_emulator/disk", `{"total_bytes":107374182400,"available_bytes":10737418240}`); status != http.StatusOK {
		t.Fatalf("setting the disk: %d %s", status, body)
	}
	srv.ResetRequests()
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+verifyConfig)
	out, code := cli.Run("apply", "-auto-approve", "-invoke=action.optimize_backup_verify.x")
	if code == 0 {
		t.Fatalf("apply -invoke succeeded without disk room:\n%s", out)
	}

	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{`Backup "1764633600" would not be drilled`, `Backup "1764633600" cannot be drilled, nothing was written`, "and the nodes have 0b free below the high disk watermark (90%)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("a write reached the engine: %s %s", r.Method, r.Path)
		}
	}
}

// Ctrl-C (a real SIGINT) while the engine restores part 2: the provider
// waits for that restore, deletes every scratch index, and the CLI exits
// non-zero.
func TestAccBackupVerify_interruptLeavesNothing(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1764633600")
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+verifyConfig)
	srv.HoldNext("POST", "/_snapshot/*/camunda_optimize_1764633600_3.9.0_part_2_of_2/_restore", 1, esemulator.HoldAnswer)
	cmd := cli.Command(context.Background(), "apply", "-no-color", "-input=false", "-invoke=action.optimize_backup_verify.x", "-auto-approve")
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	cmd.Env = append(cmd.Env, "TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+logPath)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.Held("", "*") == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the restore of part 2 never reached the emulator:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(scratchIndices(srv)) == 0 {
		t.Fatalf("no scratch index while part 2 restores: the test would not see a leftover")
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for {
		log, _ := os.ReadFile(logPath) //nolint:gosec // the test's own file
		if strings.Contains(string(log), stopSeen) {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the provider never logged %q:\n%s", stopSeen, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.ReleaseHeld()
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("apply after Ctrl-C: %v, want a non-zero exit\n%s", err, out.String())
	}
	if left := scratchIndices(srv); len(left) > 0 {
		t.Errorf("scratch indices left after Ctrl-C: %v\n%s", left, out.String())
	}
	if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), "scratch indices it had restored were deleted") {
		t.Errorf("the output does not say the scratch indices were deleted:\n%s", out.String())
	}
}

// terraform plan -invoke previews the drill with read requests only.
func TestAccBackupVerify_planPreview(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1764633600")
	srv.ResetRequests()
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+verifyConfig)
	out, code := cli.Run("plan", "-invoke=action.optimize_backup_verify.x")
	if code != 0 {
		t.Fatalf("plan -invoke: exit %d\n%s", code, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		`Drill preview: backup "1764633600"`,
		"The invoke restores the 33 indices of backup 1764633600 (camunda_optimize_1764633600_3.9.0_part_1_of_2, camunda_optimize_1764633600_3.9.0_part_2_of_2) under drill-1764633600-, with 50.0gb free below the high disk watermark (90%)", // 60 of 100 GiB free, 10 GiB kept below 90%
		"drill-1764633600-optimize-import-index_v3,",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("the preview sent %s %s", r.Method, r.Path)
		}
	}
}

// A shard that fails to restore: the drill fails naming the index, and
// still leaves no scratch index; the live documents are as before.
func TestAccBackupVerify_shardFailsToRestore(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := acctest.StartEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1764633600")
	before := liveDocs(t, srv)
	srv.FailRestoreOf("optimize-single-process-report_v9")
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+verifyConfig)
	out, code := cli.Run("apply", "-auto-approve", "-invoke=action.optimize_backup_verify.x")
	if code == 0 {
		t.Fatalf("a drill with a failed shard succeeded:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		`The drill of backup "1764633600" failed`,
		"part 2 (snapshot camunda_optimize_1764633600_3.9.0_part_2_of_2) did not restore (1 of 30 shards failed to restore: red, its primary shard not restored: optimize-single-process-report_v9 (as drill-1764633600-optimize-single-process-report_v9))",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if left := scratchIndices(srv); len(left) > 0 {
		t.Errorf("scratch indices left: %v", left)
	}
	if after := liveDocs(t, srv); after != before {
		t.Errorf("the live documents changed:\nbefore %s\nafter  %s", before, after)
	}
}

// liveDocs is every index with its document count, as _cat/indices says.
func liveDocs(t *testing.T, srv *esemulator.Server) string {
	t.Helper()
	status, body := acctest.ESRequest(t, http.MethodGet, srv.URL+"/_cat/indices?h=index,docs.count&s=index", "")
	if status != http.StatusOK {
		t.Fatalf("_cat/indices: %d %s", status, body)
	}
	return body
}
