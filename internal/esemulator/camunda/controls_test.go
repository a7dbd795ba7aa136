// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// The controls: the exporting state in issue 27's words, each fault, their
// clearing, the hold of Zeebe's backups, and refusals.
func TestControls(t *testing.T) {
	e := startEngine(t, "8.8", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.8"})
	ctl := httptest.NewServer(tw.ControlHandler())
	t.Cleanup(ctl.Close)
	m := urls.Management

	expect(t, do(t, "GET", ctl.URL+"/_emulator/camunda/exporting", ""), 200, `{"state":"RUNNING"}`)
	expect(t, do(t, "POST", m+"/actuator/exporting/pause?soft=true", ""), 200)
	expect(t, do(t, "GET", ctl.URL+"/_emulator/camunda/exporting", ""), 200, `{"state":"SOFT_PAUSED"}`)

	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"resume"}`), 200, `{"acknowledged":true}`)
	expect(t, do(t, "POST", m+"/actuator/exporting/resume", ""), 200, `"status":500`)
	expect(t, do(t, "POST", m+"/actuator/exporting/resume", ""), 200, `"status":204`)
	expect(t, do(t, "GET", ctl.URL+"/_emulator/camunda/exporting", ""), 200, `{"state":"RUNNING"}`)

	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"zeebe","partition":3}`), 200)
	expect(t, do(t, "POST", m+"/actuator/backupRuntime", `{"backupId": 1}`), 202)
	expectState(t, do(t, "GET", m+"/actuator/backupRuntime/1", ""), "FAILED", "Backup on partition 3 failed due to")

	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"webapps"}`), 200)
	expect(t, do(t, "POST", m+"/actuator/backupHistory", `{"backupId": 1}`), 200)
	waitWebapps(t, tw)
	expectState(t, do(t, "GET", m+"/actuator/backupHistory/1", ""), "FAILED")

	// Cleared faults strike no more.
	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"zeebe","partition":1}`), 200)
	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"resume"}`), 200)
	expect(t, do(t, "DELETE", ctl.URL+"/_emulator/camunda/faults", ""), 200)
	expect(t, do(t, "POST", m+"/actuator/backupRuntime", `{"backupId": 2}`), 202)
	expectState(t, do(t, "GET", m+"/actuator/backupRuntime/2", ""), "COMPLETED")
	expect(t, do(t, "POST", m+"/actuator/exporting/resume", ""), 200, `"status":204`)

	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/zeebe/hold", ""), 200)
	expect(t, do(t, "POST", m+"/actuator/backupRuntime", `{"backupId": 3}`), 202)
	expectState(t, do(t, "GET", m+"/actuator/backupRuntime/3", ""), "IN_PROGRESS")
	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/zeebe/release", ""), 200)
	expectState(t, do(t, "GET", m+"/actuator/backupRuntime/3", ""), "COMPLETED")

	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"zeebe","partition":4}`), 400, `"error":"partition must be`)
	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{"component":"optimize"}`), 400, `"status":400`)
	expect(t, do(t, "POST", ctl.URL+"/_emulator/camunda/faults", `{`), 400, "malformed JSON body")
	expect(t, do(t, "PUT", ctl.URL+"/_emulator/camunda/exporting", ""), 404, "no emulator control PUT")
}

// StartBeside: a twin beside an esemulator.Server, its indices seeded
// there, its web apps snapshots written there.
func TestStartBeside(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	srv.RegisterRepository(testRepo, "fs", map[string]any{"location": filepath.Join(t.TempDir(), testRepo)})
	tw, urls, err := StartBeside(srv, Config{Version: "8.6.21", Repository: testRepo})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tw.Close() })
	expect(t, do(t, "POST", urls.Operate+"/actuator/backups", `{"backupId": 1748937221}`), 200, "camunda_operate_1748937221_8.6.21_part_6_of_6")
	waitWebapps(t, tw)
	if s := srv.Snapshots(testRepo); len(s) != 6 || s[5].Name != "camunda_operate_1748937221_8.6.21_part_6_of_6" {
		t.Errorf("engine snapshots %v", s)
	}
	// The controls on the engine's address.
	expect(t, do(t, "POST", urls.Zeebe+"/actuator/exporting/pause?soft=true", ""), 200, `"status":204`)
	expect(t, do(t, "GET", srv.URL+"/_emulator/camunda/exporting", ""), 200, `{"state":"SOFT_PAUSED"}`)
	expect(t, do(t, "POST", srv.URL+"/_emulator/camunda/faults", `{"component":"zeebe","partition":1}`), 200)
	expect(t, do(t, "POST", urls.Zeebe+"/actuator/backups", `{"backupId": 1748937221}`), 202)
	expectState(t, do(t, "GET", urls.Zeebe+"/actuator/backups/1748937221", ""), "FAILED", "Backup on partition 1 failed due to")
	expect(t, do(t, "DELETE", srv.URL+"/_emulator/camunda/faults", ""), 200, `{"acknowledged":true}`)
	expect(t, do(t, "GET", srv.URL+"/_emulator/clock", ""), 200, `"offset"`)
}

func TestURLsString(t *testing.T) {
	u := URLs{Operate: "http://a", Zeebe: "http://c"}
	if got := u.String(); got != "operate=http://a zeebe=http://c" {
		t.Errorf("%q", got)
	}
}
