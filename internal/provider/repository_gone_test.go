// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// emulatorCall sends a request to the emulator's Elasticsearch API and
// decodes the answer.
func emulatorCall(t *testing.T, method, url, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v %v", method, url, res.StatusCode, out, err)
	}
	return out
}

// The backup's repository is unregistered: every refresh fails (a
// scheduled drift plan does not pass), saying how to register it again and
// the two ways out; destroy without refresh succeeds with a warning that the
// snapshots may still sit in the repository's storage, where they are.
func TestAccBackup_repositoryGone(t *testing.T) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t, acctest.WithSnapshotDuration(0))
	cli := acctest.NewCLI(t, backupConfig(srv.URL, "1"))
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply (exit %d):\n%s", code, out)
	}
	repo := emulatorCall(t, "GET", srv.URL+"/_snapshot/"+acctest.Repository, "")[acctest.Repository]
	settings, _ := json.Marshal(repo)
	emulatorCall(t, "DELETE", srv.URL+"/_snapshot/"+acctest.Repository, "")

	refreshFails := regexp.MustCompile(`(?s)Cannot read backup "1".*` + words(`Snapshot repository "backups" is not registered in Elasticsearch`) + `.*` +
		words(`PUT _snapshot/backups with the settings it had`) + `.*` + words(`terraform destroy -refresh=false`) + `.*` + words(`terraform state rm`))
	for _, args := range [][]string{{"plan", "-detailed-exitcode"}, {"destroy", "-auto-approve"}} {
		out, code := cli.Run(args...)
		if code != 1 || !refreshFails.MatchString(out) {
			t.Fatalf("terraform %s (exit %d) does not fail with what to do:\n%s", strings.Join(args, " "), code, out)
		}
		if list, _ := cli.Command(context.Background(), "state", "list").CombinedOutput(); strings.TrimSpace(string(list)) != "optimize_backup.test" {
			t.Fatalf("after terraform %s the state holds %q", strings.Join(args, " "), list)
		}
	}

	out, code := cli.Run("destroy", "-auto-approve", "-refresh=false")
	warning := regexp.MustCompile(`(?s)Warning: Backup "1" removed from the state only: repository "backups" is\s+gone.*` +
		words(`nothing of backup "1" was deleted: its snapshots (`+part1Of1+`, `+part2Of1+`) may still sit in the repository's storage`))
	if code != 0 || !warning.MatchString(out) {
		t.Fatalf("destroy -refresh=false (exit %d) does not succeed with the warning:\n%s", code, out)
	}
	if list, _ := cli.Command(context.Background(), "state", "list").CombinedOutput(); strings.TrimSpace(string(list)) != "" {
		t.Fatalf("after destroy -refresh=false the state holds %q", list)
	}
	// The warning is right: registered again, the repository shows them.
	emulatorCall(t, "PUT", srv.URL+"/_snapshot/"+acctest.Repository, string(settings))
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(completed) {
		t.Fatalf("the repository registered again holds %v, want the backup left behind", got)
	}
}
