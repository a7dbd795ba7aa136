// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// completed is what the emulator holds once backup "1" converged: exactly
// its two snapshots, both SUCCESS, nothing orphaned.
var completed = map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}

// convergedStep is the apply after an interruption: it deletes what the
// interrupted create recorded and takes the backup again.
func convergedStep(srv *esemulator.Server, config string, preConfig func()) resource.TestStep {
	return resource.TestStep{
		PreConfig: preConfig,
		Config:    config,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("optimize_backup.test", tfjsonpath.New("state"), knownvalue.StringExact("COMPLETED")),
		},
		Check: checkSnapshots(srv, completed),
	}
}

// The create timeout runs out while part 1 runs: part 1 is recorded (the
// resource is tainted), and the next apply replaces it.
func TestAccBackup_createTimeoutDuringPart1(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	srv.PauseSnapshots()
	config := backupConfig(srv.URL, "1", `timeouts = { create = "2s" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, part1Of1, part2Of1),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)create timeout of 2s ran out.*recorded\s+in\s+the\s+state.*tainted.*next\s+apply\s+deletes\s+them.*` +
					`timeouts\s+=\s+\{\s+create\s+=\s+"2h"\s+\}`),
			},
			{
				// What the interrupted create left is in the state, tainted.
				PreConfig: func() {
					if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(map[string]string{part1Of1: "IN_PROGRESS"}) {
						t.Fatalf("after the timeout the emulator holds %v, want part 1 running", got)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			convergedStep(srv, config, srv.ResumeSnapshots),
		},
	})
}

// The answers to part 1's start (Elasticsearch answers it when part 1 has
// finished) and to the lookup after it are lost, although Elasticsearch took
// part 1: it is recorded all the same, and the next apply replaces it.
func TestAccBackup_connectionDroppedDuringPart1(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	path := "/_snapshot/backups/" + part1Of1
	srv.DropAnswerNext("PUT", path, 4) // the start and the client's 3 retries
	srv.DropAnswerNext("GET", path, 4) // the lookup and its 3 retries
	config := backupConfig(srv.URL, "1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, part1Of1, part2Of1),
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Backup "1" was not taken.*unreachable`),
			},
			convergedStep(srv, config, func() {
				if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(map[string]string{part1Of1: "SUCCESS"}) {
					t.Fatalf("after the lost answers the emulator holds %v, want part 1 alone", got)
				}
			}),
		},
	})
}

// Only the answer to part 1's start is lost: the client's retry finds the
// name taken, and the token in its metadata shows it is this create's own,
// so the create goes on and succeeds.
func TestAccBackup_lostAnswerOfOwnStartIsRecognized(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	srv.DropAnswerNext("PUT", "/_snapshot/backups/"+part1Of1, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckBackupGone(srv, part1Of1, part2Of1),
		Steps:                    []resource.TestStep{convergedStep(srv, backupConfig(srv.URL, "1"), nil)},
	})
}

// SIGINT to terraform while part 1 runs: the provider records part 1, the
// resource is tainted, and the next apply converges.
func TestAccBackup_sigintDuringPart1(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	srv.PauseSnapshots()
	cli := acctest.NewCLI(t, backupConfig(srv.URL, "1"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := cli.Command(ctx, "apply", "-auto-approve", "-no-color", "-input=false")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the emulator shows part 1 started.
	for {
		if _, ok := srv.Snapshot(acctest.Repository, part1Of1); ok {
			break
		}
		select {
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			t.Fatalf("part 1 never started:\n%s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil {
		t.Fatalf("apply succeeded although interrupted:\n%s", out.String())
	}
	if !regexp.MustCompile(`(?s)interrupted.*recorded\s+in\s+the\s+state.*tainted`).MatchString(out.String()) {
		t.Fatalf("the interrupted apply does not say what happens next:\n%s", out.String())
	}
	list, err := cli.Command(ctx, "state", "list").CombinedOutput()
	if err != nil || strings.TrimSpace(string(list)) != "optimize_backup.test" {
		t.Fatalf("state list = %q (%v), want the interrupted backup recorded", list, err)
	}
	srv.ResumeSnapshots()
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 || !regexp.MustCompile(`optimize_backup.test is tainted, so (it )?must be replaced`).MatchString(out) {
		t.Fatalf("the next apply (exit %d) did not replace the tainted backup:\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(completed) {
		t.Fatalf("after the next apply the emulator holds %v, want %v", got, completed)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy (exit %d):\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); len(got) != 0 {
		t.Fatalf("after destroy the emulator holds %v", got)
	}
}
