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

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// interruptPoint is a point in a create where it is interrupted: arrange
// makes the create stop there (a held request, a paused snapshot) and
// reached says that it has.
type interruptPoint struct {
	name    string
	arrange func(srv *esemulator.Server)
	reached func(srv *esemulator.Server) bool
	// holds: what the emulator holds after the interrupted apply.
	holds map[string]string
	// recorded: whether the interrupted apply leaves the backup in the
	// state (tainted).
	recorded bool
}

const snapshotsPath = "/_snapshot/" + acctest.Repository + "/"

func held(srv *esemulator.Server) bool { return srv.Held("", "*") > 0 }

func started(name string) func(*esemulator.Server) bool {
	return func(srv *esemulator.Server) bool {
		_, ok := srv.Snapshot(acctest.Repository, name)
		return ok
	}
}

var interruptPoints = []interruptPoint{
	{
		// The lookup for an existing backup of this id, the last request
		// before part 1, is held.
		name: "before part 1",
		arrange: func(srv *esemulator.Server) {
			srv.HoldNext("GET", snapshotsPath+"camunda_optimize_1_*", 1, esemulator.HoldRequest)
		},
		reached: held,
		holds:   map[string]string{},
	},
	{
		name:     "during part 1",
		arrange:  func(srv *esemulator.Server) { srv.PauseSnapshots(part1Of1) },
		reached:  started(part1Of1),
		holds:    map[string]string{part1Of1: "IN_PROGRESS"},
		recorded: true,
	},
	{
		// Part 1 has finished; the start of part 2 has not reached
		// Elasticsearch yet.
		name:     "between the parts",
		arrange:  func(srv *esemulator.Server) { srv.HoldNext("PUT", snapshotsPath+part2Of1, 1, esemulator.HoldRequest) },
		reached:  held,
		holds:    map[string]string{part1Of1: "SUCCESS"},
		recorded: true,
	},
	{
		name:     "during part 2",
		arrange:  func(srv *esemulator.Server) { srv.PauseSnapshots(part2Of1) },
		reached:  started(part2Of1),
		holds:    map[string]string{part1Of1: "SUCCESS", part2Of1: "IN_PROGRESS"},
		recorded: true,
	},
	{
		// Part 2 has finished; its answer has not reached the provider yet.
		name:     "after part 2",
		arrange:  func(srv *esemulator.Server) { srv.HoldNext("PUT", snapshotsPath+part2Of1, 1, esemulator.HoldAnswer) },
		reached:  held,
		holds:    completed,
		recorded: true,
	},
}

// interruptKind is how a create is interrupted once it reached its point.
type interruptKind struct {
	name    string
	timeout bool // the create timeout runs out there (nothing else happens)
	// interrupt acts once the point is reached (nil: nothing to do).
	interrupt func(srv *esemulator.Server, cmd *os.Process) error
	message   string // what the error says happened (a pattern)
}

var interruptKinds = []interruptKind{
	{
		name:      "SIGINT to terraform",
		interrupt: func(_ *esemulator.Server, p *os.Process) error { return p.Signal(os.Interrupt) },
		message:   words(`The create was interrupted.`),
	},
	{
		name:    "create timeout",
		timeout: true,
		message: words(`create timeout of 2s ran out.`),
	},
	{
		// The network goes down at that point, the requests in flight
		// included, and stays down for the rest of the apply.
		name: "connection dropped",
		interrupt: func(srv *esemulator.Server, _ *os.Process) error {
			srv.FailNext("", "*", 1000, 0)
			srv.CutConnections("", "*")
			return nil
		},
		message: words(`is unreachable`) + `.*` + words(`The connection to Elasticsearch failed during the create.`),
	},
}

// words turns a phrase into a pattern that matches it literally, wherever
// the CLI wraps its lines.
func words(phrase string) string {
	fields := strings.Fields(phrase)
	for i, f := range fields {
		fields[i] = regexp.QuoteMeta(f)
	}
	return strings.Join(fields, `\s+`)
}

// Every interruption of a create, at every point, leaves what it started
// recorded in the state (tainted) or, when nothing was started, nothing at
// all; the message says which and what the next apply does; the next apply
// converges to exactly one backup and destroy leaves nothing.
func TestAccBackup_interruptions(t *testing.T) {
	acctest.PreCheck(t)
	for _, point := range interruptPoints {
		for _, kind := range interruptKinds {
			t.Run(point.name+"/"+kind.name, func(t *testing.T) {
				testInterruption(t, point, kind)
			})
		}
	}
}

func testInterruption(t *testing.T, point interruptPoint, kind interruptKind) {
	srv := acctest.StartEmulator(t, acctest.WithSnapshotDuration(0))
	extra := []string{}
	if kind.timeout {
		extra = append(extra, `timeouts = { create = "2s" }`)
	}
	cli := acctest.NewCLI(t, backupConfig(srv.URL, "1", extra...))
	point.arrange(srv)
	defer func() { srv.ClearFaults(); srv.ReleaseHeld(); srv.ResumeSnapshots() }()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := cli.Command(ctx, "apply", "-auto-approve", "-no-color", "-input=false")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if kind.interrupt != nil {
		for !point.reached(srv) {
			select {
			case <-ctx.Done():
				_ = cmd.Process.Kill()
				t.Fatalf("the create never reached %s:\n%s", point.name, out.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		if err := kind.interrupt(srv, cmd.Process); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out.String())
	}
	what := `No snapshot of the backup was started: nothing is recorded in the state, and the next apply takes the backup.`
	if point.recorded {
		what = `are recorded in the state and go on in Elasticsearch; the resource is tainted, so the next apply deletes them and takes the backup again.`
	}
	if want := `(?s)Backup "1" was not taken.*` + kind.message + `.*` + words(what); !regexp.MustCompile(want).MatchString(out.String()) {
		t.Fatalf("the interrupted apply's output does not match %s:\n%s", want, out.String())
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(point.holds) {
		t.Fatalf("after the interrupted apply the emulator holds %v, want %v", got, point.holds)
	}

	// Elasticsearch goes on: held requests are carried out, paused
	// snapshots end, the network is back. Whatever exists now is recorded.
	srv.ClearFaults()
	srv.ReleaseHeld()
	srv.ResumeSnapshots()
	list, _ := cli.Command(ctx, "state", "list").CombinedOutput()
	if recorded := strings.TrimSpace(string(list)) == "optimize_backup.test"; recorded != point.recorded {
		t.Fatalf("state list = %q, want the backup recorded: %v", list, point.recorded)
	}
	if point.recorded {
		// The state records the backup every snapshot belongs to (its id
		// and version name them), with the create's token.
		inst := instance(t, cli.ReadFile("terraform.tfstate"))
		for name := range acctest.SnapshotStates(srv) {
			p, ok := optimize.ParseSnapshotName(name)
			if !ok || string(p.ID) != inst.Attributes["backup_id"] || p.Version != inst.Attributes["optimize_version"] {
				t.Fatalf("snapshot %s is in Elasticsearch but the state records another backup:\n%v", name, inst.Attributes)
			}
		}
		if inst.Private == "" {
			t.Fatalf("the state records no create token:\n%+v", inst)
		}
	}

	next, code := cli.Run("apply", "-auto-approve")
	tainted := regexp.MustCompile(`optimize_backup.test is tainted, so (it )?must be replaced`) // Terraform's words, or OpenTofu's
	if code != 0 || point.recorded != tainted.MatchString(next) {
		t.Fatalf("the next apply (exit %d) did not converge (replacing the tainted backup: %v):\n%s", code, point.recorded, next)
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(completed) {
		t.Fatalf("after the next apply the emulator holds %v, want %v", got, completed)
	}
	if shown := stateShow(ctx, t, cli); !regexp.MustCompile(`\bstate\s+= "COMPLETED"`).MatchString(shown) {
		t.Fatalf("the state after the next apply:\n%s", shown)
	}
	if plan, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the plan after the next apply (exit %d) is not empty:\n%s", code, plan)
	}
	if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy (exit %d):\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); len(got) != 0 {
		t.Fatalf("after destroy the emulator holds %v", got)
	}
}

// stateShow is terraform state show of the backup.
func stateShow(ctx context.Context, t *testing.T, cli *acctest.CLI) string {
	t.Helper()
	out, err := cli.Command(ctx, "state", "show", "-no-color", "optimize_backup.test").CombinedOutput()
	if err != nil {
		t.Fatalf("terraform state show: %v\n%s", err, out)
	}
	return string(out)
}
