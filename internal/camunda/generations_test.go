// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

const id = 1748937221

// The answers as camunda-facts quotes them (the docs' examples, the
// controllers' statuses).
var (
	// 8.6 to 8.9's exporting actuator: HTTP 200, the status in the body (§2.F).
	envelope204 = reply{200, `{"body":null,"status":204,"contentType":null}`, ""}
	// §2.E: Zeebe's take, 202.
	zeebeScheduled = reply{202, fmt.Sprintf(`{"message":"A backup with id %d has been scheduled. Use GET actuator/backups/%d to monitor the status."}`, id, id), ""}
	// §1.1 step 5: Zeebe's backup, COMPLETED.
	zeebeCompleted = func(version string) reply {
		return reply{200, fmt.Sprintf(`{"backupId":%d,"state":"COMPLETED","details":[{"partitionId":1,"state":"COMPLETED","createdAt":"2025-06-03T08:06:06.246997293Z","lastUpdatedAt":"2025-06-03T08:06:10.408893628Z","checkpointPosition":1,"brokerVersion":"%s"}]}`, id, version), ""}
	}
	// §2.G: the list, entries with partitionId, state, createdAt, brokerVersion only; not sorted here.
	zeebeList = reply{200, fmt.Sprintf(`[{"backupId":100,"state":"COMPLETED","details":[{"partitionId":1,"state":"COMPLETED","createdAt":"2022-12-08T13:00:55.344276672Z","brokerVersion":"8.2.0"}]},`+
		`{"backupId":%d,"state":"COMPLETED","details":[{"partitionId":1,"state":"COMPLETED","createdAt":"2025-06-03T08:06:06.246997293Z","brokerVersion":"8.6.21"}]},`+
		`{"backupId":200,"state":"FAILED","failureReason":"Backup on partition 1 failed due to disk full. ","details":[{"partitionId":1,"state":"FAILED","failureReason":"disk full","createdAt":"2024-01-01T00:00:00Z","brokerVersion":"8.6.21"}]}]`, id), ""}
	noContent = reply{204, "", ""}
)

// parts are the snapshot names a web apps take schedules.
func parts(prefix, version string, n int) []string {
	var names []string
	for i := 1; i <= n; i++ {
		names = append(names, fmt.Sprintf("%s_%d_%s_part_%d_of_%d", prefix, id, version, i, n))
	}
	return names
}

func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ",")
}

// webappsInfo is a web apps backup as §1.1 step 5 and §2.G show it.
func webappsInfo(names []string) reply {
	var details []string
	for _, n := range names {
		details = append(details, fmt.Sprintf(`{"snapshotName":"%s","state":"SUCCESS","startTime":"2025-06-03T07:55:15.685+0000","failures":[]}`, n))
	}
	return reply{200, fmt.Sprintf(`{"backupId":%d,"state":"COMPLETED","failureReason":null,"details":[%s]}`, id, strings.Join(details, ",")), ""}
}

// step is a request the adapter must send.
type step struct {
	want string // "METHOD /path?query"
	body string // the request body wanted ("" none)
}

func TestEachGenerationSendsAndReadsWhatTheFactsSay(t *testing.T) {
	ctx := context.Background()
	wantCompletedZeebe := func(t *testing.T, b platform.CamundaBackup, version string) {
		t.Helper()
		want := platform.Partition{ID: 1, State: platform.StateCompleted, CheckpointPosition: 1, BrokerVersion: version,
			CreatedAt:     time.Date(2025, 6, 3, 8, 6, 6, 246997293, time.UTC),
			LastUpdatedAt: time.Date(2025, 6, 3, 8, 6, 10, 408893628, time.UTC)}
		if b.ID != id || b.State != platform.StateCompleted || len(b.Partitions) != 1 || b.Partitions[0].ID != want.ID || b.Partitions[0].State != want.State ||
			!b.Partitions[0].CreatedAt.Equal(want.CreatedAt) || !b.Partitions[0].LastUpdatedAt.Equal(want.LastUpdatedAt) ||
			b.Partitions[0].CheckpointPosition != 1 || b.Partitions[0].BrokerVersion != version || len(b.Snapshots) != 0 {
			t.Fatalf("zeebe backup = %+v", b)
		}
	}
	wantCompletedWebapps := func(t *testing.T, b platform.CamundaBackup, names []string) {
		t.Helper()
		if b.ID != id || b.State != platform.StateCompleted || len(b.Snapshots) != len(names) || len(b.Partitions) != 0 {
			t.Fatalf("web apps backup = %+v", b)
		}
		for i, s := range b.Snapshots {
			if s.Name != names[i] || s.State != "SUCCESS" || !s.StartTime.Equal(time.Date(2025, 6, 3, 7, 55, 15, 685e6, time.UTC)) {
				t.Fatalf("snapshot %d = %+v", i, s)
			}
		}
	}

	t.Run("8.7: each component's actuators, the exporting envelope", func(t *testing.T) {
		operate, tasklist := parts("camunda_operate", "8.7.2", 6), parts("camunda_tasklist", "8.7.2", 6)
		servers := map[string]*fake{
			"operate": newFake(t, one(map[string]reply{
				"POST /actuator/backups":                       {200, `{"scheduledSnapshots":[` + quoted(operate) + `]}`, ""},
				fmt.Sprintf("GET /actuator/backups/%d", id):    webappsInfo(operate),
				fmt.Sprintf("DELETE /actuator/backups/%d", id): noContent,
			})),
			"tasklist": newFake(t, one(map[string]reply{
				"POST /actuator/backups":                       {200, `{"scheduledSnapshots":[` + quoted(tasklist) + `]}`, ""},
				fmt.Sprintf("GET /actuator/backups/%d", id):    webappsInfo(tasklist),
				fmt.Sprintf("DELETE /actuator/backups/%d", id): noContent,
			})),
			"zeebe": newFake(t, one(map[string]reply{
				"POST /actuator/exporting/pause?soft=true":     envelope204,
				"POST /actuator/exporting/resume":              envelope204,
				"POST /actuator/backups":                       zeebeScheduled,
				fmt.Sprintf("GET /actuator/backups/%d", id):    zeebeCompleted("8.6.21"),
				"GET /actuator/backups":                        zeebeList,
				fmt.Sprintf("DELETE /actuator/backups/%d", id): noContent,
			})),
		}
		c := mustClient(t, Config{Version: "8.7.2", OperateEndpoint: servers["operate"].url(), TasklistEndpoint: servers["tasklist"].url(), ZeebeEndpoint: servers["zeebe"].url(),
			Username: "demo", Password: "demo-password"}) // credentials are for /v2: never sent here
		if c.API() != platform.ComponentActuators {
			t.Fatalf("API = %s", c.API())
		}
		names, err := c.StartBackup(ctx, platform.Operate, id)
		if err != nil || !slices.Equal(names, operate) {
			t.Fatalf("start operate = %v, %v", names, err)
		}
		if names, err = c.StartBackup(ctx, platform.Tasklist, id); err != nil || !slices.Equal(names, tasklist) {
			t.Fatalf("start tasklist = %v, %v", names, err)
		}
		b, err := c.ReadBackup(ctx, platform.Operate, id)
		if err != nil {
			t.Fatal(err)
		}
		wantCompletedWebapps(t, b, operate)
		if b, err = c.ReadBackup(ctx, platform.Tasklist, id); err != nil {
			t.Fatal(err)
		}
		wantCompletedWebapps(t, b, tasklist)
		latest, err := c.LatestZeebeBackupID(ctx)
		if err != nil || latest != id {
			t.Fatalf("latest = %d, %v", latest, err)
		}
		mustDo(t, c.PauseExporting(ctx))
		if names, err = c.StartBackup(ctx, platform.Zeebe, id); err != nil || names != nil {
			t.Fatalf("start zeebe = %v, %v", names, err)
		}
		if b, err = c.ReadBackup(ctx, platform.Zeebe, id); err != nil {
			t.Fatal(err)
		}
		wantCompletedZeebe(t, b, "8.6.21")
		mustDo(t, c.ResumeExporting(ctx))
		for _, comp := range []platform.Component{platform.Operate, platform.Tasklist, platform.Zeebe} {
			mustDo(t, c.DeleteBackup(ctx, comp, id))
		}
		if got, want := c.ResumeRequest(), "POST "+servers["zeebe"].url()+"/actuator/exporting/resume"; got != want {
			t.Fatalf("ResumeRequest = %q, want %q", got, want)
		}
		wantSent(t, servers["zeebe"], []step{
			{want: "GET /actuator/backups"},
			{want: "POST /actuator/exporting/pause?soft=true"},
			{want: "POST /actuator/backups", body: fmt.Sprintf(`{"backupId":%d}`, id)},
			{want: fmt.Sprintf("GET /actuator/backups/%d", id)},
			{want: "POST /actuator/exporting/resume"},
			{want: fmt.Sprintf("DELETE /actuator/backups/%d", id)},
		})
		wantSent(t, servers["operate"], []step{
			{want: "POST /actuator/backups", body: fmt.Sprintf(`{"backupId":%d}`, id)},
			{want: fmt.Sprintf("GET /actuator/backups/%d", id)},
			{want: fmt.Sprintf("DELETE /actuator/backups/%d", id)},
		})
		for _, f := range servers {
			for _, r := range f.requests() {
				if r.header.Get("Authorization") != "" {
					t.Fatalf("%s %s went out with credentials: the management port takes none", r.method, r.path)
				}
			}
		}
		if _, err := c.ExportingState(ctx); !isUnsupported(err) {
			t.Fatalf("ExportingState on 8.7 = %v, want *UnsupportedError", err)
		}
		if _, err := c.StartBackup(ctx, platform.Webapps, id); !isUnsupported(err) {
			t.Fatalf("the web apps on 8.7 = %v, want *UnsupportedError", err)
		}
	})

	t.Run("8.8: the management actuators", func(t *testing.T) {
		webapps := parts("camunda_webapps", "8.8.0", 5)
		mgmt := newFake(t, one(map[string]reply{
			"POST /actuator/exporting/pause?soft=true":           envelope204,
			"POST /actuator/exporting/resume":                    envelope204,
			"POST /actuator/backupHistory":                       {200, `{"scheduledSnapshots":[` + quoted(webapps) + `]}`, ""},
			fmt.Sprintf("GET /actuator/backupHistory/%d", id):    webappsInfo(webapps),
			fmt.Sprintf("DELETE /actuator/backupHistory/%d", id): noContent,
			"POST /actuator/backupRuntime":                       zeebeScheduled,
			fmt.Sprintf("GET /actuator/backupRuntime/%d", id):    zeebeCompleted("8.8.0"),
			"GET /actuator/backupRuntime":                        zeebeList,
			// A deleted backup's checkpoint, above every listed backup (§4).
			"GET /actuator/backupRuntime/state":                  {200, fmt.Sprintf(`{"checkpointStates":[{"checkpointId":%d,"checkpointType":"MANUAL_BACKUP","partitionId":1,"checkpointPosition":30,"checkpointTimestamp":"2026-12-05T10:00:00Z"}],"backupStates":[],"ranges":[]}`, id+5), ""},
			fmt.Sprintf("DELETE /actuator/backupRuntime/%d", id): noContent,
		}))
		c := mustClient(t, Config{Version: "8.8.0", ManagementEndpoint: mgmt.url() + "/"})
		if c.API() != platform.ManagementActuators {
			t.Fatalf("API = %s", c.API())
		}
		wholeBackupOfManagementGeneration(t, c, id+5, webapps, wantCompletedWebapps, wantCompletedZeebe, "8.8.0")
		wantSent(t, mgmt, []step{
			{want: "GET /actuator/backupRuntime"},
			{want: "GET /actuator/backupRuntime/state"},
			{want: "POST /actuator/exporting/pause?soft=true"},
			{want: "POST /actuator/backupHistory", body: fmt.Sprintf(`{"backupId":%d}`, id)},
			{want: fmt.Sprintf("GET /actuator/backupHistory/%d", id)},
			{want: "POST /actuator/backupRuntime", body: fmt.Sprintf(`{"backupId":%d}`, id)},
			{want: fmt.Sprintf("GET /actuator/backupRuntime/%d", id)},
			{want: "POST /actuator/exporting/resume"},
			{want: fmt.Sprintf("DELETE /actuator/backupHistory/%d", id)},
			{want: fmt.Sprintf("DELETE /actuator/backupRuntime/%d", id)},
		})
		if got, want := c.ResumeRequest(), "POST "+mgmt.url()+"/actuator/exporting/resume"; got != want {
			t.Fatalf("ResumeRequest = %q, want %q", got, want)
		}
		if _, err := c.StartBackup(ctx, platform.Operate, id); !isUnsupported(err) {
			t.Fatalf("Operate on 8.8 = %v, want *UnsupportedError", err)
		}
		if _, err := c.ExportingState(ctx); !isUnsupported(err) {
			t.Fatalf("ExportingState on 8.8 = %v, want *UnsupportedError", err)
		}
	})

	t.Run("8.10: the REST API /v2", func(t *testing.T) {
		webapps := parts("camunda_webapps", "8.10.0", 5)
		rest := newFake(t, one(map[string]reply{
			"POST /v2/exporting/pause?soft=true":             noContent,
			"POST /v2/exporting/resume":                      noContent,
			"GET /v2/exporting":                              {200, `{"status":"SOFT_PAUSED"}`, ""},
			"POST /v2/backups/history":                       {202, fmt.Sprintf(`{"backupId":%d,"scheduledSnapshots":[%s]}`, id, quoted(webapps)), ""},
			fmt.Sprintf("GET /v2/backups/history/%d", id):    webappsInfo(webapps),
			fmt.Sprintf("DELETE /v2/backups/history/%d", id): noContent,
			"POST /v2/backups/runtime":                       {202, fmt.Sprintf(`{"backupId":%d}`, id), ""},
			fmt.Sprintf("GET /v2/backups/runtime/%d", id):    {200, fmt.Sprintf(`{"backupId":%d,"state":"COMPLETED","failureReason":null,"details":[{"partitionId":1,"state":"COMPLETED","failureReason":null,"createdAt":"2025-06-03T08:06:06.246997293Z","lastUpdatedAt":"2025-06-03T08:06:10.408893628Z","snapshotId":"238632143-55-690906332-690905294","firstLogPosition":1,"checkpointPosition":1,"brokerId":0,"brokerVersion":"8.10.0"}]}`, id), ""},
			"GET /v2/backups/runtime":                        zeebeList,
			"GET /v2/backups/runtime/state":                  {200, fmt.Sprintf(`{"checkpointStates":[{"checkpointId":%d,"checkpointType":"MARKER","partitionId":1,"checkpointPosition":30,"checkpointTimestamp":"2026-12-05T10:00:00Z"},{"checkpointId":%d,"checkpointType":"MANUAL_BACKUP","partitionId":2,"checkpointPosition":31,"checkpointTimestamp":"2026-12-05T10:00:00Z"}],"backupStates":[],"ranges":[]}`, id-1, id), ""},
			fmt.Sprintf("DELETE /v2/backups/runtime/%d", id): noContent,
		}))
		// The REST endpoint as the docs' variable writes it, with /v2.
		c := mustClient(t, Config{Version: "8.10.0", RESTEndpoint: rest.url() + "/v2", Username: "demo", Password: "demo"})
		if c.API() != platform.OrchestrationREST {
			t.Fatalf("API = %s", c.API())
		}
		wholeBackupOfManagementGeneration(t, c, id, webapps, wantCompletedWebapps, func(t *testing.T, b platform.CamundaBackup, v string) {
			t.Helper()
			wantCompletedZeebe(t, b, v)
			if b.Partitions[0].SnapshotID != "238632143-55-690906332-690905294" {
				t.Fatalf("snapshotId = %q", b.Partitions[0].SnapshotID)
			}
		}, "8.10.0")
		state, err := c.ExportingState(ctx)
		if err != nil || state != SoftPaused {
			t.Fatalf("ExportingState = %q, %v", state, err)
		}
		wantSent(t, rest, []step{
			{want: "GET /v2/backups/runtime"},
			{want: "GET /v2/backups/runtime/state"},
			{want: "POST /v2/exporting/pause?soft=true"},
			{want: "POST /v2/backups/history", body: fmt.Sprintf(`{"backupId":%d}`, id)},
			{want: fmt.Sprintf("GET /v2/backups/history/%d", id)},
			{want: "POST /v2/backups/runtime", body: fmt.Sprintf(`{"backupId":%d}`, id)},
			{want: fmt.Sprintf("GET /v2/backups/runtime/%d", id)},
			{want: "POST /v2/exporting/resume"},
			{want: fmt.Sprintf("DELETE /v2/backups/history/%d", id)},
			{want: fmt.Sprintf("DELETE /v2/backups/runtime/%d", id)},
			{want: "GET /v2/exporting"},
		})
		for _, r := range rest.requests() {
			if user, pass, ok := basicAuth(r.header); !ok || user != "demo" || pass != "demo" {
				t.Fatalf("%s %s went out without the basic credentials", r.method, r.path)
			}
		}
		if got, want := c.ResumeRequest(), "POST "+rest.url()+"/v2/exporting/resume"; got != want {
			t.Fatalf("ResumeRequest = %q, want %q", got, want)
		}
	})

	t.Run("8.8 without the checkpoint state: the list's latest", func(t *testing.T) {
		mgmt := newFake(t, one(map[string]reply{
			"GET /actuator/backupRuntime":       zeebeList,
			"GET /actuator/backupRuntime/state": {400, `{"message":"Expected a backup ID or prefix ending with '*', but got 'state'."}`, ""},
		}))
		latest, err := mustClient(t, Config{Version: "8.8.0", ManagementEndpoint: mgmt.url()}).LatestZeebeBackupID(ctx)
		if err != nil || latest != id {
			t.Fatalf("latest = %d, %v", latest, err)
		}
	})

	t.Run("8.10 without a REST endpoint: the actuators it keeps", func(t *testing.T) {
		mgmt := newFake(t, one(map[string]reply{
			// A newer actuator answers a real 204 (camunda-facts §9, gap 5).
			"POST /actuator/exporting/pause?soft=true": noContent,
			"POST /actuator/backupRuntime":             {202, fmt.Sprintf(`{"backupId":%d,"backupIds":{"default":%d},"message":"A backup with id %d has been scheduled. Use GET actuator/backups/%d to monitor the status."}`, id, id, id, id), ""},
		}))
		c := mustClient(t, Config{Version: "8.10.1", ManagementEndpoint: mgmt.url()})
		if c.API() != platform.ManagementActuators {
			t.Fatalf("API = %s", c.API())
		}
		mustDo(t, c.PauseExporting(ctx))
		if _, err := c.StartBackup(ctx, platform.Zeebe, id); err != nil {
			t.Fatal(err)
		}
		wantSent(t, mgmt, []step{{want: "POST /actuator/exporting/pause?soft=true"}, {want: "POST /actuator/backupRuntime", body: fmt.Sprintf(`{"backupId":%d}`, id)}})
	})
}

// wholeBackupOfManagementGeneration calls what an 8.8+ whole backup calls,
// in its order, then deletes.
func wholeBackupOfManagementGeneration(t *testing.T, c *Client, wantLatest int64, webapps []string,
	wantWebapps func(*testing.T, platform.CamundaBackup, []string), wantZeebe func(*testing.T, platform.CamundaBackup, string), version string,
) {
	t.Helper()
	ctx := context.Background()
	latest, err := c.LatestZeebeBackupID(ctx)
	if err != nil || latest != wantLatest {
		t.Fatalf("latest = %d, %v; want %d", latest, err, wantLatest)
	}
	mustDo(t, c.PauseExporting(ctx))
	names, err := c.StartBackup(ctx, platform.Webapps, id)
	if err != nil || !slices.Equal(names, webapps) {
		t.Fatalf("start web apps = %v, %v", names, err)
	}
	b, err := c.ReadBackup(ctx, platform.Webapps, id)
	if err != nil {
		t.Fatal(err)
	}
	wantWebapps(t, b, webapps)
	if names, err = c.StartBackup(ctx, platform.Zeebe, id); err != nil || names != nil {
		t.Fatalf("start zeebe = %v, %v", names, err)
	}
	if b, err = c.ReadBackup(ctx, platform.Zeebe, id); err != nil {
		t.Fatal(err)
	}
	wantZeebe(t, b, version)
	mustDo(t, c.ResumeExporting(ctx))
	mustDo(t, c.DeleteBackup(ctx, platform.Webapps, id))
	mustDo(t, c.DeleteBackup(ctx, platform.Zeebe, id))
}

func mustClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantSent checks the requests f got, in order, and their bodies: JSON
// with Content-Type application/json, or none.
func wantSent(t *testing.T, f *fake, want []step) {
	t.Helper()
	got := f.requests()
	var lines []string
	for _, r := range got {
		line := r.method + " " + r.path
		if r.query != "" {
			line += "?" + r.query
		}
		lines = append(lines, line)
	}
	if len(got) != len(want) {
		t.Fatalf("requests:\n%s\nwant %d", strings.Join(lines, "\n"), len(want))
	}
	for i, w := range want {
		if lines[i] != w.want || got[i].body != w.body {
			t.Fatalf("request %d = %s %q, want %s %q", i, lines[i], got[i].body, w.want, w.body)
		}
		if ct := got[i].header.Get("Content-Type"); (w.body != "") != (ct == "application/json") {
			t.Fatalf("request %d (%s) Content-Type = %q", i, lines[i], ct)
		}
	}
}
