// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

func isUnsupported(err error) bool {
	var u *UnsupportedError
	return errors.As(err, &u)
}

func basicAuth(h http.Header) (string, string, bool) {
	r := &http.Request{Header: h}
	return r.BasicAuth()
}

// The exporting actuator of 8.6 to 8.9 answers HTTP 200 whatever happened;
// the status in its body decides (camunda-facts §2.F, §5: the 8.8 docs'
// failure body).
func TestExportingEnvelopeFailureIsAnError(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		answer     reply
		wantStatus int
		wantText   string
	}{
		"body status 500 with a message": {
			answer:     reply{200, `{"body":{"message":"Expected 3 members of partition 1 but found 2, current topology: ..."},"status":500,"contentType":null}`, ""},
			wantStatus: 500, wantText: "Expected 3 members of partition 1 but found 2",
		},
		"body status 500 with a text (8.10-era actuator)": {
			answer:     reply{200, `{"body":"Failed to resume exporting on partition 2","status":500,"contentType":null}`, ""},
			wantStatus: 500, wantText: "Failed to resume exporting on partition 2",
		},
		"body status 400 (unknown tenant)": {
			answer:     reply{200, `{"body":"Unknown physical tenant","status":400,"contentType":null}`, ""},
			wantStatus: 400, wantText: "Unknown physical tenant",
		},
		"200 without a status": {
			answer:     reply{200, `{}`, ""},
			wantStatus: 0, wantText: "no status",
		},
	} {
		t.Run(name, func(t *testing.T) {
			for _, version := range []string{"8.7.2", "8.9.1"} {
				zeebe := newFake(t, map[string][]reply{
					"POST /actuator/exporting/resume":          {tc.answer},
					"POST /actuator/exporting/pause?soft=true": {tc.answer},
				})
				cfg := Config{Version: version, ZeebeEndpoint: zeebe.url(), ManagementEndpoint: zeebe.url()}
				c := mustClient(t, cfg)
				for op, call := range map[string]func(context.Context) error{"resume": c.ResumeExporting, "pause?soft=true": c.PauseExporting} {
					err := call(ctx)
					var apiErr *APIError
					if !errors.As(err, &apiErr) || !apiErr.Envelope || apiErr.Status != tc.wantStatus || !strings.Contains(apiErr.Message, tc.wantText) {
						t.Fatalf("%s %s: err = %#v", version, op, err)
					}
					if !strings.Contains(err.Error(), "HTTP 200 and status") || !strings.Contains(err.Error(), "/actuator/exporting/"+op) || !strings.Contains(err.Error(), "Zeebe answered POST") {
						t.Fatalf("message: %v", err)
					}
				}
			}
		})
	}
	t.Run("a real 500 (the @WebEndpoint variant)", func(t *testing.T) {
		mgmt := newFake(t, one(map[string]reply{"POST /actuator/exporting/resume": {500, `Expected 3 members of partition 1 but found 2`, "text/plain"}}))
		err := mustClient(t, Config{Version: "8.10.0", ManagementEndpoint: mgmt.url()}).ResumeExporting(ctx)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Envelope || apiErr.Status != 500 || apiErr.Message != "Expected 3 members of partition 1 but found 2" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("/v2 answers problem JSON", func(t *testing.T) {
		rest := newFake(t, one(map[string]reply{"POST /v2/exporting/pause?soft=true": {503, `{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":503,"detail":"Expected to handle request, but there was backpressure","instance":"/v2/exporting/pause"}`, "application/problem+json"}}))
		err := mustClient(t, Config{Version: "8.10.0", RESTEndpoint: rest.url()}).PauseExporting(ctx)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.Message != "Expected to handle request, but there was backpressure" {
			t.Fatalf("err = %#v", err)
		}
		// 503 is retried (pause is idempotent): 1 + 3 requests.
		if n := len(rest.requests()); n != 4 {
			t.Fatalf("%d requests, want 4", n)
		}
	})
}

// 409: the id is not above Zeebe's latest; the message and the latest id
// carried. The web apps' duplicate: 409 on /v2, 400 on the actuators.
func TestIDRefusedIsAConflict(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		cfg        func(url string) Config
		component  platform.Component
		path       string
		answer     reply
		wantLatest int64
	}{
		"8.7 Zeebe (BackupAlreadyExistException, 8.6+ text)": {
			cfg:       func(u string) Config { return Config{Version: "8.7.0", ZeebeEndpoint: u} },
			component: platform.Zeebe, path: "POST /actuator/backups",
			answer:     reply{409, `{"message":"Requested backup has id 5. The latest backup has id 7. A backupId is an integer and must be greater than the ID of previous backups that are completed, failed, or deleted. Zeebe does not take two backups with the same ids."}`, ""},
			wantLatest: 7,
		},
		"8.8 Zeebe": {
			cfg:       func(u string) Config { return Config{Version: "8.8.2", ManagementEndpoint: u} },
			component: platform.Zeebe, path: "POST /actuator/backupRuntime",
			answer:     reply{409, `{"message":"Requested backup has id 5. The latest backup has id 1796169600. A backupId is an integer and must be greater than the ID of previous backups that are completed, failed, or deleted. Zeebe does not take two backups with the same ids."}`, ""},
			wantLatest: 1796169600,
		},
		"8.10 Zeebe (problem detail)": {
			cfg:       func(u string) Config { return Config{Version: "8.10.0", RESTEndpoint: u} },
			component: platform.Zeebe, path: "POST /v2/backups/runtime",
			answer:     reply{409, `{"type":"about:blank","title":"ALREADY_EXISTS","status":409,"detail":"Requested backup has ID 5. The latest backup has ID 7. The backup ID must be greater than the ID of previous backups that are completed, failed, or deleted.","instance":"/v2/backups/runtime"}`, "application/problem+json"},
			wantLatest: 7,
		},
		"8.10 Zeebe while scaling (no latest id)": {
			cfg:       func(u string) Config { return Config{Version: "8.10.0", RESTEndpoint: u} },
			component: platform.Zeebe, path: "POST /v2/backups/runtime",
			answer: reply{409, `{"type":"about:blank","title":"INVALID_STATE","status":409,"detail":"Cannot take backup while scaling is in progress. Please retry after scaling is completed.","instance":"/v2/backups/runtime"}`, "application/problem+json"},
		},
		"8.10 web apps": {
			cfg:       func(u string) Config { return Config{Version: "8.10.0", RESTEndpoint: u} },
			component: platform.Webapps, path: "POST /v2/backups/history",
			answer: reply{409, `{"type":"about:blank","title":"ALREADY_EXISTS","status":409,"detail":"A backup with ID [5] already exists. Found snapshots: [camunda_webapps_5_8.10.0_part_1_of_5]","instance":"/v2/backups/history"}`, "application/problem+json"},
		},
		"8.8 web apps (400)": {
			cfg:       func(u string) Config { return Config{Version: "8.8.0", ManagementEndpoint: u} },
			component: platform.Webapps, path: "POST /actuator/backupHistory",
			answer: reply{400, `{"message":"A backup with ID [5] already exists. Found snapshots: [camunda_webapps_5_8.8.0_part_1_of_5, camunda_webapps_5_8.8.0_part_2_of_5]"}`, ""},
		},
		"8.6 Operate (400)": {
			cfg:       func(u string) Config { return Config{Version: "8.6.21", ZeebeEndpoint: u, OperateEndpoint: u} },
			component: platform.Operate, path: "POST /actuator/backups",
			answer: reply{400, `{"type":"about:blank","instance":"0b1c2d3e-0000-4000-8000-000000000000","status":400,"message":"A backup with ID [5] already exists. Found snapshots: [camunda_operate_5_8.6.21_part_1_of_6]"}`, "application/problem+json"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, one(map[string]reply{tc.path: tc.answer}))
			_, err := mustClient(t, tc.cfg(f.url())).StartBackup(ctx, tc.component, 5)
			var conflict *ConflictError
			if !errors.As(err, &conflict) || conflict.ID != 5 || conflict.Latest != tc.wantLatest || conflict.Message == "" || !strings.Contains(tc.answer.body, conflict.Message) {
				t.Fatalf("err = %#v", err)
			}
			if tc.wantLatest > 0 && !strings.Contains(err.Error(), fmt.Sprintf("greater than its latest backup's, %d", tc.wantLatest)) {
				t.Fatalf("message: %v", err)
			}
			// A take is not retried: it may have been taken.
			if n := len(f.requests()); n != 1 {
				t.Fatalf("%d requests", n)
			}
		})
	}
	t.Run("400 of Zeebe is no conflict", func(t *testing.T) {
		f := newFake(t, one(map[string]reply{"POST /actuator/backups": {400, `{"message":"A backupId must be provided and it must be > 0"}`, ""}}))
		_, err := mustClient(t, Config{Version: "8.7.0", ZeebeEndpoint: f.url()}).StartBackup(ctx, platform.Zeebe, 5)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 400 {
			t.Fatalf("err = %#v", err)
		}
	})
}

func TestNotFoundAndOtherErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("not found", func(t *testing.T) {
		for name, tc := range map[string]struct {
			cfg       func(string) Config
			component platform.Component
			path      string
			answer    reply
			del       bool
		}{
			"8.7 Zeebe": {func(u string) Config { return Config{Version: "8.7.0", ZeebeEndpoint: u} }, platform.Zeebe,
				"GET /actuator/backups/5", reply{404, `{"message":"Backup with id 5 does not exist"}`, ""}, false},
			"8.7 Operate delete": {func(u string) Config { return Config{Version: "8.7.0", ZeebeEndpoint: u, OperateEndpoint: u} }, platform.Operate,
				"DELETE /actuator/backups/5", reply{404, `{"type":"about:blank","instance":"x","status":404,"message":"Not a single snapshot corresponding to given ID exist."}`, "application/problem+json"}, true},
			"8.8 web apps": {func(u string) Config { return Config{Version: "8.8.0", ManagementEndpoint: u} }, platform.Webapps,
				"GET /actuator/backupHistory/5", reply{404, `{"message":"No backup with id [5] found."}`, ""}, false},
			"8.10 Zeebe": {func(u string) Config { return Config{Version: "8.10.0", RESTEndpoint: u} }, platform.Zeebe,
				"GET /v2/backups/runtime/5", reply{404, `{"type":"about:blank","title":"NOT_FOUND","status":404,"detail":"Backup with id 5 does not exist","instance":"/v2/backups/runtime/5"}`, "application/problem+json"}, false},
			"8.10 Zeebe with a state DOES_NOT_EXIST": {func(u string) Config { return Config{Version: "8.10.0", RESTEndpoint: u} }, platform.Zeebe,
				"GET /v2/backups/runtime/5", reply{200, `{"backupId":5,"state":"DOES_NOT_EXIST","failureReason":null,"details":[{"partitionId":1,"state":"DOES_NOT_EXIST"}]}`, ""}, false},
		} {
			t.Run(name, func(t *testing.T) {
				f := newFake(t, one(map[string]reply{tc.path: tc.answer}))
				c := mustClient(t, tc.cfg(f.url()))
				var err error
				if tc.del {
					err = c.DeleteBackup(ctx, tc.component, 5)
				} else {
					_, err = c.ReadBackup(ctx, tc.component, 5)
				}
				var nf *NotFoundError
				if !errors.Is(err, ErrNotFound) || !errors.As(err, &nf) || nf.ID != 5 {
					t.Fatalf("err = %#v", err)
				}
			})
		}
	})
	t.Run("a 404 for a missing repository is no missing backup", func(t *testing.T) {
		f := newFake(t, one(map[string]reply{"GET /actuator/backups/5": {404, `{"type":"about:blank","instance":"x","status":404,"message":"No backup repository configured."}`, "application/problem+json"}}))
		_, err := mustClient(t, Config{Version: "8.6.0", ZeebeEndpoint: f.url(), OperateEndpoint: f.url()}).ReadBackup(ctx, platform.Operate, 5)
		var apiErr *APIError
		if errors.Is(err, ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Status != 404 || !strings.Contains(err.Error(), "No backup repository configured.") {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("others name component, method, URL and Camunda's message", func(t *testing.T) {
		f := newFake(t, one(map[string]reply{"POST /actuator/backupRuntime": {502, `{"message":"Expected to send request to all 3 partitions, but found only 2 partitions in topology."}`, ""}}))
		_, err := mustClient(t, Config{Version: "8.9.0", ManagementEndpoint: f.url()}).StartBackup(ctx, platform.Zeebe, 5)
		want := "Zeebe answered POST " + f.url() + "/actuator/backupRuntime with 502 Bad Gateway: Expected to send request to all 3 partitions, but found only 2 partitions in topology."
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v\nwant  %s", err, want)
		}
	})
	t.Run("a failed backup is read, not an error", func(t *testing.T) {
		f := newFake(t, one(map[string]reply{"GET /actuator/backupRuntime/5": {200, `{"backupId":5,"state":"FAILED","failureReason":"Backup on partition 2 failed due to disk full. ","details":[` +
			`{"partitionId":1,"state":"COMPLETED","createdAt":"2026-12-05T10:00:00Z","lastUpdatedAt":"2026-12-05T10:00:01Z","checkpointPosition":10,"brokerVersion":"8.8.0"},` +
			`{"partitionId":2,"state":"FAILED","failureReason":"disk full","createdAt":"2026-12-05T10:00:00Z","lastUpdatedAt":"2026-12-05T10:00:02Z","brokerVersion":"8.8.0"}]}`, ""}}))
		b, err := mustClient(t, Config{Version: "8.8.0", ManagementEndpoint: f.url()}).ReadBackup(ctx, platform.Zeebe, 5)
		if err != nil || b.State != platform.StateFailed || b.FailureReason != "Backup on partition 2 failed due to disk full. " || len(b.Partitions) != 2 ||
			b.Partitions[1].ID != 2 || b.Partitions[1].State != platform.StateFailed || b.Partitions[1].FailureReason != "disk full" || b.Partitions[0].CheckpointPosition != 10 {
			t.Fatalf("backup = %+v, %v", b, err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f := newFake(t, nil)
		url := f.url()
		f.srv.Close()
		err := mustClient(t, Config{Version: "8.8.0", ManagementEndpoint: url}).PauseExporting(ctx)
		var u *UnreachableError
		if !errors.As(err, &u) || u.URL != url+"/actuator/exporting/pause?soft=true" || u.Component != "Zeebe" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("no redirect is followed", func(t *testing.T) {
		elsewhere := newFake(t, nil) // any request here fails the test
		redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.url()+r.URL.Path, http.StatusFound)
		}))
		t.Cleanup(redirecting.Close)
		_, err := mustClient(t, Config{Version: "8.10.0", RESTEndpoint: redirecting.URL, Username: "demo", Password: "pw"}).ExportingState(ctx)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 302 || len(elsewhere.requests()) != 0 {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("reads are retried, takes are not", func(t *testing.T) {
		f := newFake(t, map[string][]reply{
			"GET /actuator/backupRuntime/5": {{503, `{"message":"busy"}`, ""}, {200, `{"backupId":5,"state":"IN_PROGRESS","details":[]}`, ""}},
			"POST /actuator/backupRuntime":  {{504, `{"message":"Request from gateway to broker timed out."}`, ""}},
		})
		c := mustClient(t, Config{Version: "8.8.0", ManagementEndpoint: f.url()})
		if b, err := c.ReadBackup(ctx, platform.Zeebe, 5); err != nil || b.State != platform.StateInProgress {
			t.Fatalf("read = %+v, %v", b, err)
		}
		if _, err := c.StartBackup(ctx, platform.Zeebe, 5); err == nil {
			t.Fatal("504 taken for success")
		}
		if n := len(f.requests()); n != 3 {
			t.Fatalf("%d requests, want 2 reads and 1 take", n)
		}
	})
}

func TestConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg  Config
		want string // "" valid
	}{
		"8.5":                                {Config{Version: "8.5.0", ZeebeEndpoint: "http://z:9600"}, "8.6 and later"},
		"8.7 without Zeebe":                  {Config{Version: "8.7.0", OperateEndpoint: "http://o:9600"}, "Zeebe gateway's management endpoint is needed"},
		"8.8 without management":             {Config{Version: "8.8.0", RESTEndpoint: "http://c:8080"}, "the management endpoint is needed"},
		"8.10 without either":                {Config{Version: "8.10.0"}, "Orchestration Cluster REST API endpoint"},
		"credentials in the URL":             {Config{Version: "8.10.0", RESTEndpoint: "http://demo:demo@c:8080"}, "carries credentials"},
		"basic and OAuth":                    {Config{Version: "8.10.0", RESTEndpoint: "http://c:8080", Username: "u", Password: "p", OAuth: &OAuth{TokenURL: "http://k/token", ClientID: "c", ClientSecret: "s"}}, "keep one"},
		"OAuth without secret":               {Config{Version: "8.10.0", RESTEndpoint: "http://c:8080", OAuth: &OAuth{TokenURL: "http://k/token", ClientID: "c"}}, "client secret"},
		"password without user":              {Config{Version: "8.10.0", RESTEndpoint: "http://c:8080", Password: "p"}, "without a username"},
		"8.7 valid":                          {Config{Version: "8.7.3", ZeebeEndpoint: "http://z:9600", OperateEndpoint: "http://o:9600", TasklistEndpoint: "http://t:9600"}, ""},
		"8.10 valid with the actuators only": {Config{Version: "8.10.0", ManagementEndpoint: "http://c:9600"}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("an endpoint not configured", func(t *testing.T) {
		c := mustClient(t, Config{Version: "8.7.0", ZeebeEndpoint: "http://z:9600"})
		var nc *NotConfiguredError
		if _, err := c.StartBackup(context.Background(), platform.Tasklist, 5); !errors.As(err, &nc) || nc.Component != "Tasklist" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Optimize is not this adapter's", func(t *testing.T) {
		c := mustClient(t, Config{Version: "8.8.0", ManagementEndpoint: "http://c:9600"})
		for _, comp := range []platform.Component{platform.Optimize, platform.Records} {
			if err := c.DeleteBackup(context.Background(), comp, 5); !isUnsupported(err) {
				t.Fatalf("%s: err = %v", comp, err)
			}
		}
	})
	t.Run("secrets", func(t *testing.T) {
		cfg := Config{Username: "demo", Password: "pw-1", OAuth: &OAuth{ClientSecret: "cs+/="}}
		s := strings.Join(cfg.Secrets(), " ")
		for _, want := range []string{"pw-1", base64.StdEncoding.EncodeToString([]byte("demo:pw-1")), "cs+/=", "cs%2B%2F%3D"} {
			if !strings.Contains(s, want) {
				t.Fatalf("Secrets lack %q: %s", want, s)
			}
		}
	})
}
