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
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// stopSeen is what the provider logs (INFO) once the running actions can
// see Terraform's stop (server.go).
const stopSeen = "Terraform asked the provider to stop"

// interruptRestore runs the example restore with the real CLI, holds the
// answer of part's _restore (Elasticsearch has carried it out), sends the
// CLI a real SIGINT, waits until the provider logs that it has seen the
// stop, then lets the answer go. It returns the output and the exit code.
func interruptRestore(t *testing.T, srv *esemulator.Server, part string) (string, int) {
	t.Helper()
	example, err := os.ReadFile("../../examples/actions/optimize_backup_restore/action.tf")
	if err != nil {
		t.Fatal(err)
	}
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+string(example))
	srv.HoldNext("POST", "/_snapshot/*/camunda_optimize_1748736000_3.9.0_"+part+"/_restore", 1, esemulator.HoldAnswer)
	cmd := cli.Command(context.Background(), "apply", "-no-color", "-input=false", "-invoke=action.optimize_backup_restore.from_nightly", "-auto-approve")
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
			t.Fatalf("the restore of %s never reached the emulator:\n%s", part, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// The CLI's "Stopping operation..." can come before the provider is told
	// to stop: wait for the provider's own word that its actions see the stop.
	for {
		log, _ := os.ReadFile(logPath) //nolint:gosec // the test's own file
		if strings.Contains(string(log), stopSeen) {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the provider never logged %q:\n%s\n\nlog:\n%s", stopSeen, out.String(), log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.ReleaseHeld()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	}
	t.Fatal(err)
	return "", -1
}

// Ctrl-C while Elasticsearch restores part 2: the provider waits for that
// part, then reports as an error (Terraform exits non-zero after a Ctrl-C
// whatever the provider says, so the output's "Error:" is what shows it) that
// the backup is restored in full; the emulator holds every index of the
// installation again, with its aliases, and nothing else changed.
func TestAccBackupRestore_interruptDuringPart2(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1748736000")
	prodBefore := indexState(srv, isProdIndex)
	othersBefore := indexState(srv, func(n string) bool { return !isProdIndex(n) })
	srv.ResetRequests()
	out, code := interruptRestore(t, srv, "part_2_of_2")
	if code == 0 || strings.Contains(out, "Apply complete!") {
		t.Fatalf("an interrupted restore exited %d:\n%s", code, out)
	}
	// Reported as an error, never as a warning: the run did not do all it
	// was asked to (it was stopped), and a warning scrolls by unread.
	// Terraform 1.14 says "Error: Error when invoking action", then the
	// provider's summary and detail.
	if !regexp.MustCompile(`(?m)^[│| ]*Error: (Error when invoking action\s+)?` + wrapped(`Restore of backup "1748736000" interrupted, after it finished`)).MatchString(out) {
		t.Errorf("the output lacks the error Restore of backup \"1748736000\" interrupted, after it finished:\n%s", out)
	}
	if regexp.MustCompile(`(?m)^[│| ]*Warning: (Warning when invoking action\s+)?Restore (of|interrupted)`).MatchString(out) {
		t.Errorf("the output has a warning about the restore:\n%s", out)
	}
	for _, want := range []string{
		"part 2 of 2 restored in",
		`backup "1748736000" is restored in full (2 parts). Start Optimize 3.9.0 now.`,
	} {
		if !regexp.MustCompile(wrapped(want)).MatchString(out) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if got := indexState(srv, isProdIndex); !reflect.DeepEqual(got, prodBefore) {
		t.Errorf("after the restore the installation is\n%v\nwant, as backed up,\n%v", got, prodBefore)
	}
	if got := indexState(srv, func(n string) bool { return !isProdIndex(n) }); !reflect.DeepEqual(got, othersBefore) {
		t.Errorf("indices not of the installation changed:\n%v\nwant\n%v", got, othersBefore)
	}
	for _, part := range []string{"part_1_of_2", "part_2_of_2"} {
		if n := srv.CountRequests("POST", "/_snapshot/backups/camunda_optimize_1748736000_3.9.0_"+part+"/_restore"); n != 1 {
			t.Errorf("%s was restored %d times, want once", part, n)
		}
	}
}

// Ctrl-C while Elasticsearch restores part 1: part 1 is waited for, part 2
// is never started, and the error says what was deleted, restored and not
// restored, and how to finish (with optimize_version, since the metadata
// index is gone).
func TestAccBackupRestore_interruptDuringPart1(t *testing.T) {
	acctest.PreCheck(t)
	acctest.SkipBelowCLI(t, "1.14.0")
	srv := startRestoreEmulator(t)
	acctest.TakeOptimizeBackup(t, srv, "1748736000")
	srv.ResetRequests()
	out, code := interruptRestore(t, srv, "part_1_of_2")
	if code == 0 || strings.Contains(out, "Apply complete!") {
		t.Fatalf("an interrupted restore exited %d:\n%s", code, out)
	}
	for _, want := range []string{
		`Restore of backup "1748736000" interrupted`,
		"part 1 of 2 restored in",
		`Restoring backup "1748736000" stopped before part 2 of 2 (snapshot camunda_optimize_1748736000_3.9.0_part_2_of_2): the restore was interrupted (Ctrl-C)`,
		"Deleted before the restore: optimize-alert_v4,",
		"Restored: optimize-import-index_v3, optimize-position-based-import-index_v2, optimize-timestamp-based-import-index_v4.",
		"Not restored: optimize-alert_v4,",
		`delete_existing_indices = true and optimize_version = "3.9.0"`,
	} {
		if !regexp.MustCompile(wrapped(want)).MatchString(out) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if n := srv.CountRequests("POST", "/_snapshot/backups/camunda_optimize_1748736000_3.9.0_part_2_of_2/_restore"); n != 0 {
		t.Errorf("part 2 was restored after the interrupt (%d requests)", n)
	}
	present := indexState(srv, isProdIndex)
	if len(present) != 3 {
		t.Errorf("after the interrupt the installation has %v, want part 1's 3 indices", present)
	}
}
