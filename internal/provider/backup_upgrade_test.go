// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
)

// A state written by an earlier schema is upgraded: version 0 held parts
// and snapshots, version 1 snapshots. They leave the state, everything else
// (the create token in private state included) stays, and neither refresh
// nor plan sees a change.
func TestAccBackup_upgradesEarlierStates(t *testing.T) {
	snapshots := `["camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"]`
	for version, attrs := range map[int]map[string]string{
		0: {"parts": v0Parts, "snapshots": snapshots},
		1: {"snapshots": snapshots},
	} {
		t.Run(fmt.Sprintf("version %d", version), func(t *testing.T) { testUpgradeFrom(t, version, attrs) })
	}
}

func testUpgradeFrom(t *testing.T, version int, attrs map[string]string) {
	acctest.PreCheck(t)
	srv := acctest.StartEmulator(t)
	cli := acctest.NewCLI(t, acctest.ProviderConfig(srv.URL)+`
resource "optimize_backup" "b" {
  backup_id = "1"
}
`)
	if out, code := cli.Run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	t.Cleanup(func() {
		if out, code := cli.Run("destroy", "-auto-approve"); code != 0 {
			t.Errorf("destroy exited %d:\n%s", code, out)
		}
	})
	current := instance(t, cli.ReadFile("terraform.tfstate"))
	if current.SchemaVersion != 2 {
		t.Fatalf("schema_version = %d in a new state, want 2", current.SchemaVersion)
	}
	for name := range attrs {
		if _, ok := current.Attributes[name]; ok {
			t.Fatalf("%s is in the current schema's state: %v", name, current.Attributes)
		}
	}

	// The state as the earlier release wrote it: its schema version, and
	// the attributes it had as it recorded them (the same values
	// optimize_backup_state reports).
	state := decodeState(t, cli.ReadFile("terraform.tfstate"))
	inst := state["resources"].([]any)[0].(map[string]any)["instances"].([]any)[0].(map[string]any)
	inst["schema_version"] = version
	for name, value := range attrs {
		inst["attributes"].(map[string]any)[name] = json.RawMessage(value)
	}
	raw, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	cli.WriteFile("terraform.tfstate", string(raw))
	if old := instance(t, cli.ReadFile("terraform.tfstate")); old.SchemaVersion != version || old.Attributes["snapshots"] == nil {
		t.Fatalf("the version %d state was not written: %+v", version, old)
	}

	if out, code := cli.Run("plan", "-refresh-only", "-detailed-exitcode"); code != 0 {
		t.Fatalf("refresh of the upgraded state exited %d, want 0 (no changes):\n%s", code, out)
	}
	if out, code := cli.Run("apply", "-refresh-only", "-auto-approve"); code != 0 {
		t.Fatalf("apply -refresh-only exited %d:\n%s", code, out)
	}
	upgraded := instance(t, cli.ReadFile("terraform.tfstate"))
	if upgraded.SchemaVersion != 2 {
		t.Errorf("schema_version = %d after the upgrade, want 2", upgraded.SchemaVersion)
	}
	if got, want := fmt.Sprint(upgraded.Attributes), fmt.Sprint(current.Attributes); got != want {
		t.Errorf("upgraded attributes\n%s\nwant the current schema's\n%s", got, want)
	}
	if upgraded.Private == "" || upgraded.Private != current.Private {
		t.Errorf("private state (the create token) changed in the upgrade: %q, was %q", upgraded.Private, current.Private)
	}
	if out, code := cli.Run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan after the upgrade exited %d, want 0 (no changes):\n%s", code, out)
	}
	if got := acctest.SnapshotStates(srv); fmt.Sprint(got) != fmt.Sprint(map[string]string{part1Of1: "SUCCESS", part2Of1: "SUCCESS"}) {
		t.Errorf("emulator holds %v after the upgrade", got)
	}
}

// v0Parts is parts as schema version 0 recorded a completed backup "1" of
// Optimize 3.9.0.
const v0Parts = `[
  {"part": 1, "name": "camunda_optimize_1_3.9.0_part_1_of_2", "state": "SUCCESS",
   "start_time": "2026-11-24T10:00:00Z", "end_time": "2026-11-24T10:00:01Z",
   "indices": ["optimize-import-index_v3", "optimize-position-based-import-index_v2", "optimize-timestamp-based-import-index_v4"],
   "failures": [], "shards_total": 3, "shards_successful": 3, "shards_failed": 0},
  {"part": 2, "name": "camunda_optimize_1_3.9.0_part_2_of_2", "state": "SUCCESS",
   "start_time": "2026-11-24T10:00:01Z", "end_time": "2026-11-24T10:00:02Z",
   "indices": ["optimize-decision-definition_v5", "optimize-metadata_v3"],
   "failures": [], "shards_total": 2, "shards_successful": 2, "shards_failed": 0}
]`

type stateInstance struct {
	SchemaVersion int            `json:"schema_version"`
	Attributes    map[string]any `json:"attributes"`
	Private       string         `json:"private"`
}

func decodeState(t *testing.T, raw string) map[string]any {
	t.Helper()
	var state map[string]any
	if err := json.Unmarshal([]byte(raw), &state); err != nil {
		t.Fatal(err)
	}
	return state
}

// instance is the one optimize_backup instance of a state file.
func instance(t *testing.T, raw string) stateInstance {
	t.Helper()
	var state struct {
		Resources []struct {
			Type      string          `json:"type"`
			Instances []stateInstance `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(raw), &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Resources {
		if r.Type == "optimize_backup" && len(r.Instances) == 1 {
			return r.Instances[0]
		}
	}
	t.Fatalf("no single optimize_backup instance in the state:\n%s", raw)
	return stateInstance{}
}
