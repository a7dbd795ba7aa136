// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// Two workspaces create backup "1" at the same moment: both look for an
// existing backup before either starts part 1. One takes it; the other
// fails with the 409 outcome and records nothing; destroying either
// workspace deletes only what it took.
func TestAccBackup_twoWorkspacesSameIDAtOnce(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t, acctest.WithSnapshotDuration(0))
	config := backupConfig(srv.URL, "1")
	clis := []*acctest.CLI{acctest.NewCLI(t, config), acctest.NewCLI(t, config)}
	// Both lookups for an existing backup are carried out (and find
	// nothing) before either is answered.
	srv.HoldNext("GET", snapshotsPath+"camunda_optimize_1_*", 2, esemulator.HoldAnswer)
	defer srv.ReleaseHeld()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	type result struct {
		out string
		err error
	}
	results := make([]chan result, len(clis))
	for i, cli := range clis {
		results[i] = make(chan result, 1)
		cmd := cli.Command(ctx, "apply", "-auto-approve", "-no-color", "-input=false")
		go func(ch chan<- result) {
			out, err := cmd.CombinedOutput()
			ch <- result{string(out), err}
		}(results[i])
	}
	for srv.Held("GET", snapshotsPath+"*") < 2 {
		select {
		case <-ctx.Done():
			t.Fatal("the two creates never both looked for an existing backup")
		case <-time.After(20 * time.Millisecond):
		}
	}
	srv.ReleaseHeld()
	var winner, loser = -1, -1
	outs := make([]string, len(clis))
	for i := range clis {
		r := <-results[i]
		outs[i] = r.out
		if r.err == nil {
			winner = i
		} else {
			loser = i
		}
	}
	if winner < 0 || loser < 0 {
		t.Fatalf("want one create to win and one to lose:\n--- 1:\n%s\n--- 2:\n%s", outs[0], outs[1])
	}
	if want := regexp.MustCompile(`(?is)Backup "1" was not taken.*` + words(`a backup with id "1" is being taken by another writer`) + `.*` +
		words(`terraform import optimize_backup.<name> 1`)); !want.MatchString(outs[loser]) {
		t.Fatalf("the losing create does not give the 409 outcome:\n%s", outs[loser])
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(completed) {
		t.Fatalf("the emulator holds %v, want the winner's backup", got)
	}
	if list, _ := clis[loser].Command(ctx, "state", "list").CombinedOutput(); strings.TrimSpace(string(list)) != "" {
		t.Fatalf("the losing workspace recorded %q", list)
	}
	// Destroying the losing workspace leaves the winner's backup alone.
	if out, code := clis[loser].Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy of the losing workspace (exit %d):\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(completed) {
		t.Fatalf("the losing workspace's destroy touched the winner's backup: %v", got)
	}
	if out, code := clis[winner].Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the winner's plan (exit %d) is not empty:\n%s", code, out)
	}
	if out, code := clis[winner].Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy of the winning workspace (exit %d):\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); len(got) != 0 {
		t.Fatalf("after both destroys the emulator holds %v", got)
	}
}

// The 409 outcome for a backup outside the provider's default repository
// names the repository in the import command.
func TestAccBackup_alreadyExistsInOtherRepository(t *testing.T) {
	srv, tc := acctest.Setup(t)
	srv.RegisterRepository("other", "fs", map[string]any{"location": t.TempDir()})
	name := "camunda_optimize_1_3.9.0_part_1_of_2"
	if status, answer := acctest.ESRequest(t, http.MethodPut, srv.URL+"/_snapshot/other/"+name+"?wait_for_completion=true",
		`{"indices":"optimize-import-index","include_global_state":false}`); status != http.StatusOK {
		t.Fatalf("taking %s: %d %s", name, status, answer)
	}
	tc.Steps = []resource.TestStep{{
		Config: backupConfig(srv.URL, "1", `repository_name = "other"`),
		ExpectError: regexp.MustCompile(`(?is)a backup with id "1" already exists in repository\s+"other".*` +
			`terraform\s+import\s+optimize_backup.<name>\s+other/1`),
	}}
	resource.Test(t, tc)
	if len(srv.Snapshots("other")) != 1 {
		t.Fatalf("the existing backup was touched: %v", srv.Snapshots("other"))
	}
}
