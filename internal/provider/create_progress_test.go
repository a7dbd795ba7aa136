// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// With TF_LOG_PROVIDER=INFO a create logs one line when each part starts
// and one when it ends, with its duration and index count, in that order.
func TestAccBackup_createLogsPartProgress(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t, acctest.WithSnapshotDuration(200*time.Millisecond))
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
resource "optimize_backup" "b" {
  backup_id = "1"
}
`)
	logFile := filepath.Join(t.TempDir(), "info.log")
	t.Setenv("TF_LOG", "")
	t.Setenv("TF_LOG_PROVIDER", "INFO")
	t.Setenv("TF_LOG_PATH", logFile)
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	t.Cleanup(func() { cli.Run("destroy", "-auto-approve") })
	raw, err := os.ReadFile(logFile) //nolint:gosec // the test's own file
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.Contains(l, `Backup "1": part`) {
			progress = append(progress, l)
		}
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`\[INFO\]\s+provider\.terraform-provider-optimize: Backup "1": part 1 of 2 started: snapshot camunda_optimize_1_3\.9\.0_part_1_of_2 of 3 indices:`),
		regexp.MustCompile(`\[INFO\]\s+provider\.terraform-provider-optimize: Backup "1": part 1 of 2 ended SUCCESS after [\d.]+m?s: snapshot camunda_optimize_1_3\.9\.0_part_1_of_2 of 3 indices:.* duration_ms=(\d+)`),
		regexp.MustCompile(`Backup "1": part 2 of 2 started: snapshot camunda_optimize_1_3\.9\.0_part_2_of_2 of \d+ indices:`),
		regexp.MustCompile(`Backup "1": part 2 of 2 ended SUCCESS after [\d.]+m?s: snapshot camunda_optimize_1_3\.9\.0_part_2_of_2 of \d+ indices:.* indices=\d+`),
	}
	if len(progress) != len(want) {
		t.Fatalf("the INFO log has %d progress lines, want %d:\n%s", len(progress), len(want), strings.Join(progress, "\n"))
	}
	for i, w := range want {
		if !w.MatchString(progress[i]) {
			t.Errorf("progress line %d is\n%s\nwant it to match %s", i+1, progress[i], w)
		}
	}
	// Part 1 takes at least the emulator's snapshot duration.
	if m := want[1].FindStringSubmatch(progress[1]); m != nil {
		if d, _ := strconv.Atoi(m[1]); d < 200 {
			t.Errorf("part 1 took %d ms by the log, less than the emulator's 200 ms", d)
		}
	}
}
