// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// ExportingStatus is Zeebe's exporting state as 8.10's GET /v2/exporting
// reports it, aggregated over every replica of every partition.
type ExportingStatus string

// The exporting states. Only PAUSED and SOFT_PAUSED confirm a pause;
// MIXED is a pause or resume in flight or partly applied.
const (
	Exporting  ExportingStatus = "EXPORTING"
	Paused     ExportingStatus = "PAUSED"
	SoftPaused ExportingStatus = "SOFT_PAUSED"
	Mixed      ExportingStatus = "MIXED"
)

// PauseExporting soft-pauses Zeebe's exporting (records are still
// exported; the position is not committed, so the log is not compacted).
// Never a hard pause: a hard pause after a soft one corrupts the persisted
// pause state (camunda/camunda #55838).
func (c *Client) PauseExporting(ctx context.Context) error {
	return c.exportingPost(ctx, "/pause?soft=true")
}

// ResumeExporting resumes Zeebe's exporting.
func (c *Client) ResumeExporting(ctx context.Context) error {
	return c.exportingPost(ctx, "/resume")
}

// ResumeRequest is the exact request that resumes exporting, for a person
// to send when resuming failed: "POST http://camunda:9600/actuator/exporting/resume"
// (on /v2, with the configured credentials).
func (c *Client) ResumeRequest() string {
	return http.MethodPost + " " + c.exporting().url + "/resume"
}

// exportingPost sends a pause or a resume. /v2 answers 204; the actuators
// of 8.6 to 8.9 answer HTTP 200 with the envelope {"body": ..., "status":
// 204 | 500, "contentType": null}, whose status decides (camunda-facts
// §2.F); newer actuators answer a real 204 (or 500). Both are taken.
func (c *Client) exportingPost(ctx context.Context, op string) error {
	rt := c.exporting()
	r := request{component: rt.component, method: http.MethodPost, url: rt.url + op, rest: rt.rest, retry: true}
	a, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	switch {
	case a.status == http.StatusNoContent:
		return nil
	case a.status == http.StatusOK && !rt.rest:
		var envelope struct {
			Status *int `json:"status"`
		}
		if json.Unmarshal(a.body, &envelope) == nil && envelope.Status != nil && *envelope.Status == http.StatusNoContent {
			return nil
		}
		e := c.apiError(r, a)
		e.Envelope = true
		e.Status = 0
		if envelope.Status != nil {
			e.Status = *envelope.Status
		}
		if e.Message == "" {
			e.Message = searchhttp.Redact(fmt.Sprintf("no status in the answer %s", clip(string(a.body))), c.allSecrets()...)
		}
		return e
	}
	return c.apiError(r, a)
}

// ExportingState reads the exporting state: 8.10's GET /v2/exporting. The
// actuators have no such read (the brokers' own /actuator/partitions
// shows it per partition, on each broker): *UnsupportedError.
func (c *Client) ExportingState(ctx context.Context) (ExportingStatus, error) {
	rt := c.exporting()
	if !rt.rest {
		return "", &UnsupportedError{Operation: "reading Zeebe's exporting state", Version: c.cfg.Version, API: c.api}
	}
	r := request{component: rt.component, method: http.MethodGet, url: rt.url, rest: true, retry: true}
	a, err := c.send(ctx, r)
	if err != nil {
		return "", err
	}
	if a.status != http.StatusOK {
		return "", c.apiError(r, a)
	}
	var out struct {
		Status ExportingStatus `json:"status"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil || out.Status == "" {
		return "", fmt.Errorf("decoding %s's answer to GET %s: no exporting status in %s", rt.component, rt.url, clip(string(a.body)))
	}
	return out.Status, nil
}
