// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"fmt"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// Zeebe's backup actuator, 8.7 (/actuator/backups on the gateway) and 8.8
// (/actuator/backupRuntime): 202 with the scheduled message, COMPLETED on
// every partition, 409 for an id not greater than the latest (even after
// its delete), 404 for an unknown id, 400 for an id not above 0, 415
// without a JSON content type.
func TestZeebeActuator(t *testing.T) {
	for _, c := range []struct{ version, path string }{{"8.6.21", "/actuator/backups"}, {"8.7.2", "/actuator/backups"}, {"8.8.1", "/actuator/backupRuntime"}, {"8.9.0", "/actuator/backupRuntime"}} {
		t.Run(c.version, func(t *testing.T) {
			e := startEngine(t, "", esemulator.Elasticsearch717)
			tw, urls := startTwin(t, e, Config{Version: c.version})
			base := urls.Zeebe + c.path
			if urls.Zeebe == "" {
				base = urls.Management + c.path
			}
			expect(t, do(t, "POST", base, `{"backupId": 100}`), 202,
				`{"message":"A backup with id 100 has been scheduled. Use GET actuator/backups/100 to monitor the status."}`)

			r := do(t, "GET", base+"/100", "")
			expectState(t, r, "COMPLETED", `"brokerVersion":"`+c.version+`"`, `"checkpointPosition":`)
			b := r.json(t)
			if _, ok := b["failureReason"]; ok {
				t.Errorf("failureReason present on a COMPLETED backup: %s", r.body)
			}
			details := b["details"].([]any)
			if len(details) != 3 {
				t.Fatalf("%d partitions", len(details))
			}
			for i, d := range details {
				p := d.(map[string]any)
				if p["partitionId"] != float64(i+1) || p["state"] != "COMPLETED" || p["createdAt"] == nil || p["lastUpdatedAt"] == nil {
					t.Errorf("partition %v", p)
				}
			}

			latest := func(req, latest int) string {
				return fmt.Sprintf(`{"message":"Requested backup has id %d. The latest backup has id %d. A backupId is an integer and must be greater than the ID of previous backups that are completed, failed, or deleted. Zeebe does not take two backups with the same ids."}`, req, latest)
			}
			expect(t, do(t, "POST", base, `{"backupId": 100}`), 409, latest(100, 100))
			expect(t, do(t, "POST", base, `{"backupId": 99}`), 409, latest(99, 100))

			r = do(t, "GET", base, "")
			expect(t, r, 200)
			if l := r.list(t); len(l) != 1 || l[0]["backupId"] != float64(100) {
				t.Errorf("list %s", r.body)
			}

			expect(t, do(t, "DELETE", base+"/100", ""), 204)
			expect(t, do(t, "GET", base+"/100", ""), 404, `{"message":"Backup with id 100 does not exist"}`)
			expect(t, do(t, "POST", base, `{"backupId": 100}`), 409, latest(100, 100))
			if c.version >= "8.8" {
				// The checkpoint outlives the deleted backup: what the take is compared to.
				r = do(t, "GET", base+"/state", "")
				expect(t, r, 200, `"backupStates":[]`)
				cps := r.json(t)["checkpointStates"].([]any)
				if len(cps) != 3 || cps[0].(map[string]any)["checkpointId"] != float64(100) {
					t.Errorf("state %s", r.body)
				}
			}
			expect(t, do(t, "POST", base, `{"backupId": 101}`), 202)
			if got := tw.LatestCheckpoint(); got != 101 {
				t.Errorf("latest checkpoint %d", got)
			}
			if bs := tw.ZeebeBackups(); len(bs) != 1 || bs[0].BackupID != 101 || bs[0].State != StateCompleted {
				t.Errorf("ZeebeBackups %+v", bs)
			}

			expect(t, do(t, "POST", base, `{"backupId": 0}`), 400, `{"message":"A backupId must be provided and it must be > 0"}`)
			expect(t, do(t, "POST", base, `{"backupId": 102}`, "Content-Type", "text/plain"), 415)
		})
	}
}

// A held backup is IN_PROGRESS until released.
func TestZeebeHold(t *testing.T) {
	e := startEngine(t, "", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.8", HoldZeebeBackups: true, Partitions: 2})
	base := urls.Management + "/actuator/backupRuntime"
	expect(t, do(t, "POST", base, `{"backupId": 5}`), 202)
	r := do(t, "GET", base+"/5", "")
	expectState(t, r, "IN_PROGRESS")
	if n := len(r.json(t)["details"].([]any)); n != 2 {
		t.Errorf("%d partitions, want 2", n)
	}
	tw.ReleaseZeebeBackups()
	expectState(t, do(t, "GET", base+"/5", ""), "COMPLETED")
}

// FailPartition: that partition's next backup FAILED, the backup FAILED
// with Camunda's aggregated reason naming it; the fault strikes once.
func TestZeebeFailPartition(t *testing.T) {
	e := startEngine(t, "", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.7"})
	base := urls.Zeebe + "/actuator/backups"
	tw.FailPartition(2)
	expect(t, do(t, "POST", base, `{"backupId": 7}`), 202)
	r := do(t, "GET", base+"/7", "")
	expectState(t, r, "FAILED",
		`"failureReason":"Backup on partition 2 failed due to `+PartitionFailureReason+`. "`)
	for _, d := range r.json(t)["details"].([]any) {
		p := d.(map[string]any)
		want := "COMPLETED"
		if p["partitionId"] == float64(2) {
			want = "FAILED"
			if p["failureReason"] != PartitionFailureReason {
				t.Errorf("partition 2 failureReason %v", p["failureReason"])
			}
		}
		if p["state"] != want {
			t.Errorf("partition %v: %v, want %s", p["partitionId"], p["state"], want)
		}
	}
	expect(t, do(t, "POST", base, `{"backupId": 8}`), 202)
	expectState(t, do(t, "GET", base+"/8", ""), "COMPLETED")
}

// The exporting actuator (8.7 gateway, 8.8 management): HTTP 200 with the
// WebEndpointResponse envelope, status 204 on success and 500 with the
// message on a failed resume, which leaves exporting paused.
func TestExportingActuator(t *testing.T) {
	for _, version := range []string{"8.6", "8.7", "8.8", "8.9"} {
		t.Run(version, func(t *testing.T) {
			e := startEngine(t, "", esemulator.Elasticsearch717)
			tw, urls := startTwin(t, e, Config{Version: version})
			base := urls.Zeebe
			if base == "" {
				base = urls.Management
			}
			ok := `{"body":null,"status":204,"contentType":null}`
			expect(t, do(t, "POST", base+"/actuator/exporting/pause?soft=true", ""), 200, ok)
			if s := tw.ExportingState(); s != SoftPaused {
				t.Fatalf("state %s after the soft pause", s)
			}
			tw.FailNextResume()
			expect(t, do(t, "POST", base+"/actuator/exporting/resume", ""), 200,
				`{"body":{"message":"Expected 3 members of partition 1 but found 2, current topology: ..."},"status":500,"contentType":null}`)
			if s := tw.ExportingState(); s != SoftPaused {
				t.Fatalf("state %s after a failed resume", s)
			}
			expect(t, do(t, "POST", base+"/actuator/exporting/resume", ""), 200, ok)
			if s := tw.ExportingState(); s != Exporting {
				t.Fatalf("state %s after the resume", s)
			}
			expect(t, do(t, "POST", base+"/actuator/exporting/pause?soft=maybe", ""), 400)
			if s := tw.ExportingState(); s != Exporting {
				t.Fatalf("state %s after a refused pause", s)
			}
			expect(t, do(t, "POST", base+"/actuator/exporting/pause", ""), 200, ok)
			expect(t, do(t, "POST", base+"/actuator/exporting/pause?soft=true", ""), 200, ok)
			if s := tw.ExportingState(); s != Paused {
				t.Fatalf("state %s: a soft pause must not lift a hard one", s)
			}
		})
	}
}

// Each version answers only its own endpoints: 8.7 has no backupRuntime,
// backupHistory or /v2; 8.8/8.9 no /actuator/backups (not standalone) and
// no /v2; a wrong method is 405.
func TestRoutesPerVersion(t *testing.T) {
	e := startEngine(t, "", esemulator.Elasticsearch717)
	_, u87 := startTwin(t, e, Config{Version: "8.7"})
	expect(t, do(t, "GET", u87.Zeebe+"/actuator/backupRuntime", ""), 404, `"status":404`, `"error":"Not Found"`)
	expect(t, do(t, "POST", u87.Operate+"/actuator/backupHistory", `{"backupId": 1}`), 404)
	expect(t, do(t, "GET", u87.Zeebe+"/v2/exporting", ""), 404)
	expect(t, do(t, "POST", u87.Operate+"/actuator/exporting/pause?soft=true", ""), 404)
	expect(t, do(t, "GET", u87.Tasklist+"/actuator/exporting/pause", ""), 404)
	_, u89 := startTwin(t, e, Config{Version: "8.9"})
	expect(t, do(t, "GET", u89.Management+"/actuator/backups", ""), 404)
	expect(t, do(t, "GET", u89.Management+"/v2/exporting", ""), 404)
	expect(t, do(t, "PUT", u89.Management+"/actuator/backupHistory", `{"backupId": 1}`), 405, `"status":405`)
	expect(t, do(t, "GET", u89.Management+"/actuator/exporting/resume", ""), 405)
	_, u810 := startTwin(t, e, Config{Version: "8.10"})
	expect(t, do(t, "PUT", u810.Management+"/v2/exporting", ""), 405, `"title":"Method Not Allowed"`)
	expect(t, do(t, "GET", u810.Management+TokenPath, ""), 404)
}
