// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// 8.10's /v2 API without auth configured, driven as the published backup
// guide's curl commands: pause (204), history backup (202, five parts in
// the engine), runtime backup (202), the waits, resume (204), GET
// /v2/exporting between; the refusals as problem details.
func TestV2Backup(t *testing.T) {
	e := startEngine(t, "8.10", esemulator.Elasticsearch8)
	tw, urls := startTwin(t, e, Config{Version: "8.10"})
	api := urls.Management + "/v2"
	const id = 1748937221

	r := do(t, "POST", api+"/exporting/pause?soft=true", "")
	expect(t, r, 204)
	if r.body != "" {
		t.Errorf("204 with a body %q", r.body)
	}
	expect(t, do(t, "GET", api+"/exporting", ""), 200, `{"status":"SOFT_PAUSED"}`)

	r = do(t, "POST", api+"/backups/history", fmt.Sprintf(`{"backupId": %d}`, id))
	expect(t, r, 202)
	want := names("camunda_webapps_", id, "8.10.0", 5)
	if b := r.json(t); b["backupId"] != float64(id) || !reflect.DeepEqual(anyStrings(b["scheduledSnapshots"]), want) {
		t.Fatalf("take history %s, want %v", r.body, want)
	}
	waitWebapps(t, tw)
	expectState(t, do(t, "GET", fmt.Sprintf("%s/backups/history/%d", api, id), ""), "COMPLETED", `"failureReason":null`)
	if s := e.Snapshots(testRepo); len(s) != 5 {
		t.Errorf("%d snapshots in the engine, want 5", len(s))
	}
	r = do(t, "POST", api+"/backups/history", fmt.Sprintf(`{"backupId": %d}`, id))
	expect(t, r, 409, `"title":"ALREADY_EXISTS"`, `"status":409`, "A backup with ID [1748937221] already exists.")
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("problem Content-Type %q", ct)
	}

	r = do(t, "POST", api+"/backups/runtime", fmt.Sprintf(`{"backupId": %d}`, id))
	expect(t, r, 202, fmt.Sprintf(`{"backupId":%d}`, id))
	r = do(t, "GET", fmt.Sprintf("%s/backups/runtime/%d", api, id), "")
	expectState(t, r, "COMPLETED", `"failureReason":null`, `"firstLogPosition":`, `"brokerId":`, `"snapshotId":`, `"brokerVersion":"8.10.0"`)
	expect(t, do(t, "POST", api+"/backups/runtime", fmt.Sprintf(`{"backupId": %d}`, id-1)), 409, `"title":"ALREADY_EXISTS"`,
		fmt.Sprintf(`"detail":"Requested backup has ID %d. The latest backup has ID %d. The backup ID must be greater than the ID of previous backups that are completed, failed, or deleted."`, id-1, id))
	expect(t, do(t, "POST", api+"/backups/runtime", `{"backupId": 0}`), 400, `"title":"INVALID_ARGUMENT"`)
	expect(t, do(t, "GET", api+"/backups/runtime/state", ""), 200, fmt.Sprintf(`"checkpointStates":[{"checkpointId":%d,"checkpointType":"MANUAL_BACKUP","partitionId":1,`, id))
	r = do(t, "GET", api+"/backups/runtime?prefix=17*", "")
	expect(t, r, 200)
	if l := r.list(t); len(l) != 1 {
		t.Errorf("list %s", r.body)
	}
	expect(t, do(t, "GET", api+"/backups/runtime?prefix=17", ""), 400)
	expect(t, do(t, "GET", api+"/backups/runtime/5", ""), 404, `"title":"NOT_FOUND"`)

	expect(t, do(t, "POST", api+"/exporting/resume", ""), 204)
	expect(t, do(t, "GET", api+"/exporting", ""), 200, `{"status":"EXPORTING"}`)

	expect(t, do(t, "DELETE", fmt.Sprintf("%s/backups/history/%d", api, id), ""), 204)
	expect(t, do(t, "DELETE", fmt.Sprintf("%s/backups/runtime/%d", api, id), ""), 204)
	if s := e.Snapshots(testRepo); len(s) != 0 {
		t.Errorf("snapshots left: %v", s)
	}
	expect(t, do(t, "GET", fmt.Sprintf("%s/backups/history/%d", api, id), ""), 404, `"title":"NOT_FOUND"`)
	expect(t, do(t, "GET", fmt.Sprintf("%s/backups/runtime/%d", api, id), ""), 404)
}

// A failed resume on /v2 answers 500 as a problem and leaves exporting
// paused; the next resume works.
func TestV2ResumeFails(t *testing.T) {
	e := startEngine(t, "", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.10"})
	api := urls.Management + "/v2"
	expect(t, do(t, "POST", api+"/exporting/pause?soft=sure", ""), 400)
	expect(t, do(t, "GET", api+"/exporting", ""), 200, `{"status":"EXPORTING"}`)
	expect(t, do(t, "POST", api+"/exporting/pause?soft=TRUE", ""), 204)
	tw.FailNextResume()
	expect(t, do(t, "POST", api+"/exporting/resume", ""), 500, `"title":"INTERNAL"`, "Expected 3 members of partition 1")
	expect(t, do(t, "GET", api+"/exporting", ""), 200, `{"status":"SOFT_PAUSED"}`)
	expect(t, do(t, "POST", api+"/exporting/resume", ""), 204)
	expect(t, do(t, "GET", api+"/exporting", ""), 200, `{"status":"EXPORTING"}`)
}

// The 8.10 actuators answer with their 8.10 additions: backupRuntime's
// backupIds, backupHistory's physicalTenants, the 8.10 conflict text.
func TestActuators810(t *testing.T) {
	e := startEngine(t, "8.10", esemulator.Elasticsearch717)
	tw, urls := startTwin(t, e, Config{Version: "8.10"})
	m := urls.Management + "/actuator"
	expect(t, do(t, "POST", m+"/backupRuntime", `{"backupId": 3}`), 202, `"backupId":3`, `"backupIds":{"default":3}`)
	expect(t, do(t, "POST", m+"/backupRuntime", `{"backupId": 3}`), 409, "Requested backup has ID 3. The latest backup has ID 3.")
	expect(t, do(t, "POST", m+"/backupHistory", `{"backupId": 3}`), 200, "camunda_webapps_3_8.10.0_part_1_of_5")
	waitWebapps(t, tw)
	expect(t, do(t, "GET", m+"/backupHistory/3", ""), 200, `"physicalTenants":[{"physicalTenantId":"default","state":"COMPLETED"`)
	expect(t, do(t, "POST", m+"/exporting/pause?soft=true", ""), 200, `"status":204`)
}

// Basic auth on /v2: refused without credentials or with wrong ones (401
// problem, WWW-Authenticate), accepted with them; the actuators need none.
func TestV2BasicAuth(t *testing.T) {
	e := startEngine(t, "", esemulator.Elasticsearch717)
	_, urls := startTwin(t, e, Config{Version: "8.10", Username: "demo", Password: "demo"})
	api := urls.Management + "/v2"
	r := do(t, "GET", api+"/exporting", "")
	expect(t, r, 401, `"title":"UNAUTHORIZED"`, `"status":401`)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate")
	}
	expect(t, do(t, "POST", api+"/exporting/pause?soft=true", ""), 401)
	expect(t, do(t, "POST", api+"/backups/runtime", `{"backupId": 1}`, "Authorization", basic("demo", "wrong")), 401)
	expect(t, do(t, "POST", api+"/backups/runtime", `{"backupId": 1}`, "Authorization", basic("demo", "demo")), 202)
	expect(t, do(t, "GET", api+"/exporting", "", "Authorization", "Bearer something"), 401)
	expect(t, do(t, "GET", urls.Management+"/actuator/backupRuntime/1", ""), 200)
}

func basic(user, password string) string {
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://x", nil)
	req.SetBasicAuth(user, password)
	return req.Header.Get("Authorization")
}

// The client-credentials flow: the token endpoint refuses what an OAuth
// server refuses, and its token opens /v2 as Bearer.
func TestV2OAuth(t *testing.T) {
	e := startEngine(t, "", esemulator.Elasticsearch717)
	_, urls := startTwin(t, e, Config{Version: "8.10", OAuth: &OAuth{ClientID: "backup", ClientSecret: "s3cret", Audience: "orchestration-api"}})
	if urls.Token != urls.Management+TokenPath {
		t.Fatalf("token URL %q", urls.Token)
	}
	post := func(body string, contentType string) reply {
		req, err := http.NewRequestWithContext(context.Background(), "POST", urls.Token, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return reply{resp.StatusCode, resp.Header, string(b)}
	}
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {"backup"}, "client_secret": {"s3cret"}, "audience": {"orchestration-api"}}
	bad := url.Values{"grant_type": {"client_credentials"}, "client_id": {"backup"}, "client_secret": {"nope"}, "audience": {"orchestration-api"}}
	expect(t, post(bad.Encode(), "application/x-www-form-urlencoded"), 401, `"error":"unauthorized_client"`)
	expect(t, post(`{"grant_type":"client_credentials"}`, "application/json"), 400, `"error":"invalid_request"`)
	pw := url.Values{"grant_type": {"password"}, "client_id": {"backup"}, "client_secret": {"s3cret"}}
	expect(t, post(pw.Encode(), "application/x-www-form-urlencoded"), 400, `"error":"unsupported_grant_type"`)
	noAud := url.Values{"grant_type": {"client_credentials"}, "client_id": {"backup"}, "client_secret": {"s3cret"}}
	expect(t, post(noAud.Encode(), "application/x-www-form-urlencoded"), 400, `"error":"invalid_request"`)

	r := post(good.Encode(), "application/x-www-form-urlencoded")
	expect(t, r, 200, `"token_type":"Bearer"`, `"expires_in":`)
	tok, _ := r.json(t)["access_token"].(string)
	if tok == "" {
		t.Fatalf("no access_token: %s", r.body)
	}
	api := urls.Management + "/v2"
	expect(t, do(t, "GET", api+"/exporting", ""), 401)
	expect(t, do(t, "GET", api+"/exporting", "", "Authorization", "Bearer "+tok+"x"), 401)
	expect(t, do(t, "GET", api+"/exporting", "", "Authorization", "Bearer "+tok), 200, `{"status":"EXPORTING"}`)
}
