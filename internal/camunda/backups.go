// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// StartBackup starts component's backup of id (platform.Webapps or
// platform.Zeebe; in 8.6 and 8.7 platform.Operate, platform.Tasklist or
// platform.Zeebe) and returns once it is scheduled, with the snapshot names
// the web apps schedule (none for Zeebe). A *ConflictError when the id is
// refused: not above Zeebe's latest, or a backup of it exists.
func (c *Client) StartBackup(ctx context.Context, component platform.Component, id int64) ([]string, error) {
	rt, err := c.backups(component, "starting")
	if err != nil {
		return nil, err
	}
	if id < 1 {
		return nil, fmt.Errorf("backup id %d: Camunda takes ids from 1", id)
	}
	body, _ := json.Marshal(map[string]int64{"backupId": id})
	r := request{component: rt.component, method: http.MethodPost, url: rt.url, body: body, rest: rt.rest}
	a, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	if a.status < 200 || a.status > 299 {
		return nil, answerError(c.apiError(r, a), component, id, true)
	}
	var out struct {
		ScheduledSnapshots []string `json:"scheduledSnapshots"`
	}
	if len(bytes.TrimSpace(a.body)) > 0 {
		if err := json.Unmarshal(a.body, &out); err != nil {
			return nil, fmt.Errorf("decoding %s's answer to POST %s: %w", rt.component, rt.url, err)
		}
	}
	return out.ScheduledSnapshots, nil
}

// ReadBackup reads component's backup of id. A *NotFoundError (ErrNotFound)
// when there is none.
func (c *Client) ReadBackup(ctx context.Context, component platform.Component, id int64) (platform.CamundaBackup, error) {
	rt, err := c.backups(component, "reading")
	if err != nil {
		return platform.CamundaBackup{}, err
	}
	r := request{component: rt.component, method: http.MethodGet, url: rt.url + "/" + strconv.FormatInt(id, 10), rest: rt.rest, retry: true}
	a, err := c.send(ctx, r)
	if err != nil {
		return platform.CamundaBackup{}, err
	}
	if a.status != http.StatusOK {
		return platform.CamundaBackup{}, answerError(c.apiError(r, a), component, id, false)
	}
	var out backupJSON
	if err := json.Unmarshal(a.body, &out); err != nil {
		return platform.CamundaBackup{}, fmt.Errorf("decoding %s's answer to GET %s: %w", rt.component, r.url, err)
	}
	b := out.domain()
	if b.State == platform.StateDoesNotExist {
		return platform.CamundaBackup{}, &NotFoundError{Component: rt.component, ID: id, Message: "state " + string(platform.StateDoesNotExist)}
	}
	return b, nil
}

// ZeebeBackups lists Zeebe's backups (a partition that lacks one makes it
// INCOMPLETE).
func (c *Client) ZeebeBackups(ctx context.Context) ([]platform.CamundaBackup, error) {
	rt, err := c.backups(platform.Zeebe, "listing")
	if err != nil {
		return nil, err
	}
	r := request{component: rt.component, method: http.MethodGet, url: rt.url, rest: rt.rest, retry: true}
	a, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	if a.status != http.StatusOK {
		return nil, c.apiError(r, a)
	}
	var out []backupJSON
	if err := json.Unmarshal(a.body, &out); err != nil {
		return nil, fmt.Errorf("decoding %s's answer to GET %s: %w", rt.component, rt.url, err)
	}
	backups := make([]platform.CamundaBackup, len(out))
	for i, b := range out {
		backups[i] = b.domain()
	}
	return backups, nil
}

// LatestZeebeBackupID is the id a new backup's must be greater than (0:
// none): Zeebe compares it with every partition's latest checkpoint, which
// a failed or deleted backup keeps (camunda-facts §4). 8.8 and later read
// the checkpoints (GET .../state, checkpointStates) as well as the list;
// 8.6 and 8.7 have only the list, which a deleted backup leaves.
func (c *Client) LatestZeebeBackupID(ctx context.Context) (int64, error) {
	backups, err := c.ZeebeBackups(ctx)
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, b := range backups {
		latest = max(latest, b.ID)
	}
	if c.api == platform.ComponentActuators {
		return latest, nil
	}
	checkpoint, err := c.latestZeebeCheckpoint(ctx)
	return max(latest, checkpoint), err
}

// latestZeebeCheckpoint is the highest checkpoint id of the runtime backup
// state (8.8+: GET /actuator/backupRuntime/state, /v2/backups/runtime/state);
// 0 when the cluster does not serve it (400 or 404: a release before it).
func (c *Client) latestZeebeCheckpoint(ctx context.Context) (int64, error) {
	rt, err := c.backups(platform.Zeebe, "reading the checkpoints of")
	if err != nil {
		return 0, err
	}
	r := request{component: rt.component, method: http.MethodGet, url: rt.url + "/state", rest: rt.rest, retry: true}
	a, err := c.send(ctx, r)
	switch {
	case err != nil:
		return 0, err
	case a.status == http.StatusBadRequest || a.status == http.StatusNotFound:
		return 0, nil
	case a.status != http.StatusOK:
		return 0, c.apiError(r, a)
	}
	var out struct {
		CheckpointStates []struct {
			CheckpointID jsonInt `json:"checkpointId"`
		} `json:"checkpointStates"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return 0, fmt.Errorf("decoding %s's answer to GET %s: %w", rt.component, r.url, err)
	}
	var latest int64
	for _, s := range out.CheckpointStates {
		latest = max(latest, int64(s.CheckpointID))
	}
	return latest, nil
}

// DeleteBackup deletes component's backup of id. A *NotFoundError when
// the component says there is none.
func (c *Client) DeleteBackup(ctx context.Context, component platform.Component, id int64) error {
	rt, err := c.backups(component, "deleting")
	if err != nil {
		return err
	}
	r := request{component: rt.component, method: http.MethodDelete, url: rt.url + "/" + strconv.FormatInt(id, 10), rest: rt.rest, retry: true}
	a, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	if a.status < 200 || a.status > 299 {
		return answerError(c.apiError(r, a), component, id, false)
	}
	return nil
}

// backupJSON is a backup as every generation writes it: the web apps'
// details are snapshots, Zeebe's partitions.
type backupJSON struct {
	BackupID      jsonInt        `json:"backupId"`
	State         platform.State `json:"state"`
	FailureReason string         `json:"failureReason"`
	Details       []struct {
		// Zeebe
		PartitionID        int     `json:"partitionId"`
		FailureReason      string  `json:"failureReason"`
		CreatedAt          string  `json:"createdAt"`
		LastUpdatedAt      string  `json:"lastUpdatedAt"`
		SnapshotID         string  `json:"snapshotId"`
		CheckpointPosition jsonInt `json:"checkpointPosition"`
		BrokerVersion      string  `json:"brokerVersion"`
		// the web apps
		SnapshotName string   `json:"snapshotName"`
		StartTime    string   `json:"startTime"`
		Failures     []string `json:"failures"`

		State string `json:"state"`
	} `json:"details"`
}

func (b backupJSON) domain() platform.CamundaBackup {
	out := platform.CamundaBackup{ID: int64(b.BackupID), State: b.State, FailureReason: b.FailureReason}
	for _, d := range b.Details {
		if d.SnapshotName != "" {
			out.Snapshots = append(out.Snapshots, platform.CamundaSnapshot{Name: d.SnapshotName, State: d.State, StartTime: parseTime(d.StartTime), Failures: d.Failures})
			continue
		}
		out.Partitions = append(out.Partitions, platform.Partition{
			ID: d.PartitionID, State: platform.State(d.State), FailureReason: d.FailureReason,
			CreatedAt: parseTime(d.CreatedAt), LastUpdatedAt: parseTime(d.LastUpdatedAt),
			SnapshotID: d.SnapshotID, CheckpointPosition: int64(d.CheckpointPosition), BrokerVersion: d.BrokerVersion,
		})
	}
	return out
}

// jsonInt is an integer written as a JSON number (Camunda's BigDecimal and
// long) or string.
type jsonInt int64

func (n *jsonInt) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	v, err := strconv.ParseInt(string(bytes.Trim(data, `"`)), 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not an integer", data)
	}
	*n = jsonInt(v)
	return nil
}

// parseTime reads Zeebe's RFC 3339 times ("2025-06-03T08:06:06.246997293Z")
// and the web apps' ("2025-06-03T07:55:15.685+0000"); zero if neither.
func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
