// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/camunda"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	twin "github.com/optimize-tf/terraform-provider-optimize/internal/esemulator/camunda"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// The adapter against the Camunda twin (internal/esemulator/camunda), which
// was written from the same facts by another hand: what the adapter sends,
// the twin takes, and what the twin answers, the adapter reads. 8.7's
// component actuators, 8.8's management actuators and 8.10's /v2 with an
// OAuth token: the Camunda side of a whole backup, a refused id, a failed
// partition, a failed resume, and the deletion.
func TestAgainstTheTwin(t *testing.T) {
	for _, version := range []string{"8.7.2", "8.8.0", "8.10.0"} {
		t.Run(version, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			engine := esemulator.New(esemulator.Config{Engine: esemulator.Elasticsearch717, SnapshotDuration: 10 * time.Millisecond})
			srv := httptest.NewServer(engine)
			t.Cleanup(srv.Close)
			engine.RegisterRepository("backups", "fs", map[string]any{"location": filepath.Join(t.TempDir(), "backups")})
			tcfg := twin.Config{Version: version, EngineURL: srv.URL, Repository: "backups", Now: engine.Now}
			if err := twin.Seed(ctx, tcfg); err != nil {
				t.Fatal(err)
			}
			if version == "8.10.0" {
				tcfg.OAuth = &twin.OAuth{ClientID: "provider", ClientSecret: "client-secret-0123456789", Audience: "orchestration-api"}
			}
			tw, err := twin.New(tcfg)
			if err != nil {
				t.Fatal(err)
			}
			urls, err := tw.Start()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = tw.Close() })

			cfg := camunda.Config{Version: version, OperateEndpoint: urls.Operate, TasklistEndpoint: urls.Tasklist, ZeebeEndpoint: urls.Zeebe}
			webapps := []platform.Component{platform.Operate, platform.Tasklist}
			switch version {
			case "8.8.0":
				cfg = camunda.Config{Version: version, ManagementEndpoint: urls.Management}
				webapps = []platform.Component{platform.Webapps}
			case "8.10.0":
				cfg = camunda.Config{Version: version, RESTEndpoint: urls.Management, OAuth: &camunda.OAuth{
					TokenURL: urls.Token, ClientID: "provider", ClientSecret: "client-secret-0123456789", Audience: "orchestration-api"}}
				webapps = []platform.Component{platform.Webapps}
			}
			c, err := camunda.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			const id = 1796169600

			if latest, err := c.LatestZeebeBackupID(ctx); err != nil || latest != 0 {
				t.Fatalf("latest = %d, %v", latest, err)
			}
			// The documented order: 8.7 the web apps first, then the pause;
			// 8.8+ the pause first (the adapter does not decide it).
			if version == "8.7.2" {
				startWebapps(ctx, t, c, tw, webapps, id)
			}
			if err := c.PauseExporting(ctx); err != nil {
				t.Fatal(err)
			}
			if got := tw.ExportingState(); got != twin.SoftPaused {
				t.Fatalf("twin's exporting after the pause: %s", got)
			}
			if version == "8.10.0" {
				if st, err := c.ExportingState(ctx); err != nil || st != camunda.SoftPaused {
					t.Fatalf("ExportingState = %q, %v", st, err)
				}
			}
			if version != "8.7.2" {
				startWebapps(ctx, t, c, tw, webapps, id)
			}
			if _, err := c.StartBackup(ctx, platform.Zeebe, id); err != nil {
				t.Fatal(err)
			}
			b, err := c.ReadBackup(ctx, platform.Zeebe, id)
			if err != nil || b.State != platform.StateCompleted || len(b.Partitions) != 3 {
				t.Fatalf("zeebe backup = %+v, %v", b, err)
			}
			if err := c.ResumeExporting(ctx); err != nil {
				t.Fatal(err)
			}
			if got := tw.ExportingState(); got != twin.Exporting {
				t.Fatalf("twin's exporting after the resume: %s", got)
			}

			// An id not above the latest: refused with the latest named.
			_, err = c.StartBackup(ctx, platform.Zeebe, id-1)
			var conflict *camunda.ConflictError
			if !errors.As(err, &conflict) || conflict.Latest != id {
				t.Fatalf("id below the latest: %v", err)
			}
			if latest, err := c.LatestZeebeBackupID(ctx); err != nil || latest != id {
				t.Fatalf("latest = %d, %v", latest, err)
			}

			// A partition failing its backup: FAILED, partition 2 named.
			tw.FailPartition(2)
			if _, err := c.StartBackup(ctx, platform.Zeebe, id+1); err != nil {
				t.Fatal(err)
			}
			if b, err = c.ReadBackup(ctx, platform.Zeebe, id+1); err != nil || b.State != platform.StateFailed || !strings.Contains(b.FailureReason, "partition 2") {
				t.Fatalf("backup with a failed partition = %+v, %v", b, err)
			}

			// A resume that fails once: an error (the actuators' HTTP 200
			// envelope too), and the next one resumes.
			if err := c.PauseExporting(ctx); err != nil {
				t.Fatal(err)
			}
			tw.FailNextResume()
			if err := c.ResumeExporting(ctx); err == nil {
				t.Fatal("the failed resume was taken for success")
			}
			if err := c.ResumeExporting(ctx); err != nil {
				t.Fatal(err)
			}
			if got := tw.ExportingState(); got != twin.Exporting {
				t.Fatalf("twin's exporting after the second resume: %s", got)
			}

			for _, comp := range append(webapps, platform.Zeebe) {
				if err := c.DeleteBackup(ctx, comp, id); err != nil {
					t.Fatalf("delete %s: %v", comp, err)
				}
			}
			if err := tw.WaitWebapps(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ReadBackup(ctx, platform.Zeebe, id); !errors.Is(err, camunda.ErrNotFound) {
				t.Fatalf("zeebe after delete: %v", err)
			}
			// Deleted, a backup's id still bars lower ones: 8.8 and later
			// read it from the checkpoints.
			if err := c.DeleteBackup(ctx, platform.Zeebe, id+1); err != nil {
				t.Fatal(err)
			}
			if latest, err := c.LatestZeebeBackupID(ctx); version != "8.7.2" && (err != nil || latest != id+1) {
				t.Fatalf("latest after deleting every backup = %d, %v", latest, err)
			}
			for _, comp := range webapps {
				if _, err := waitGone(ctx, c, comp, id); !errors.Is(err, camunda.ErrNotFound) {
					t.Fatalf("%s after delete: %v", comp, err)
				}
			}
		})
	}
}

// startWebapps starts the web apps' backups of id and waits until each is
// COMPLETED with the snapshots it scheduled.
func startWebapps(ctx context.Context, t *testing.T, c *camunda.Client, tw *twin.Twin, webapps []platform.Component, id int64) {
	t.Helper()
	scheduled := map[platform.Component][]string{}
	for _, comp := range webapps {
		names, err := c.StartBackup(ctx, comp, id)
		if err != nil || len(names) == 0 {
			t.Fatalf("start %s = %v, %v", comp, names, err)
		}
		scheduled[comp] = names
	}
	if err := tw.WaitWebapps(ctx); err != nil {
		t.Fatal(err)
	}
	for _, comp := range webapps {
		b, err := c.ReadBackup(ctx, comp, id)
		if err != nil || b.State != platform.StateCompleted || len(b.Snapshots) != len(scheduled[comp]) {
			t.Fatalf("%s backup = %+v, %v", comp, b, err)
		}
		for i, s := range b.Snapshots {
			if !strings.Contains(strings.Join(scheduled[comp], ","), s.Name) || s.State != "SUCCESS" {
				t.Fatalf("%s snapshot %d = %+v (scheduled %v)", comp, i, s, scheduled[comp])
			}
		}
	}
}

// waitGone reads comp's backup of id until it is gone (the web apps delete
// their snapshots asynchronously).
func waitGone(ctx context.Context, c *camunda.Client, comp platform.Component, id int64) (platform.CamundaBackup, error) {
	for {
		b, err := c.ReadBackup(ctx, comp, id)
		if err != nil || ctx.Err() != nil {
			return b, err
		}
		select {
		case <-ctx.Done():
			return b, fmt.Errorf("still there: %+v", b)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
