// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// Ctrl-C (a real SIGINT to the CLI) while the apply waits for Zeebe's
// backup, exporting soft-paused: the CLI exits non-zero, and exporting runs
// again once it has exited. TRACE logs of the run hold no secret of the
// camunda {} block.
func TestAccPlatformBackup_interruptWhileExportingPaused(t *testing.T) {
	for _, version := range []string{"8.7.2", "8.10.0"} {
		t.Run(version, func(t *testing.T) {
			e := startPlatform(t, version)
			e.tw.HoldZeebeBackups()
			cli := acctest.NewCLI(t, e.provider+`resource "optimize_platform_backup" "x" { backup_id = "1796169600" }`)
			cmd := cli.Command(context.Background(), "apply", "-no-color", "-input=false", "-auto-approve")
			logPath := filepath.Join(t.TempDir(), "terraform.log")
			cmd.Env = append(cmd.Env, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(90 * time.Second)
			for {
				log, _ := os.ReadFile(logPath) //nolint:gosec // the test's own file
				if waitingForZeebe(string(log)) {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatalf("the apply never waited for Zeebe's backup:\n%s", out.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if s := e.tw.ExportingState(); s != "SOFT_PAUSED" {
				t.Fatalf("exporting is %s while the apply waits for Zeebe's backup, want SOFT_PAUSED", s)
			}
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("apply after Ctrl-C: %v, want a non-zero exit\n%s", err, out.String())
			}
			if s := e.tw.ExportingState(); s != "EXPORTING" {
				t.Errorf("exporting is %s after Ctrl-C, want EXPORTING\n%s", s, out.String())
			}
			if !strings.Contains(out.String(), "Zeebe's exporting was resumed") {
				t.Errorf("the output does not say that exporting was resumed:\n%s", out.String())
			}
			log, _ := os.ReadFile(logPath) //nolint:gosec // the test's own file
			if strings.Contains(string(log), "s3cret-Camunda-pw") || strings.Contains(out.String(), "s3cret-Camunda-pw") {
				t.Errorf("the password of camunda {} is in the TRACE log or the output")
			}
			e.tw.ReleaseZeebeBackups()
			if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
				t.Fatalf("destroy: %s", out)
			}
			if err := checkPlatformGone(e.srv, e.tw, "1796169600")(nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// waitingForZeebe: the provider logged that it started waiting for Zeebe's
// backup.
func waitingForZeebe(log string) bool {
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Platform backup: step started") && strings.Contains(line, "wait zeebe") {
			return true
		}
	}
	return false
}
