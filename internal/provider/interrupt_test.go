// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

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
