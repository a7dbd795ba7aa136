// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// A resume that failed is said first, in capitals, with the exact request
// that resumes exporting; what failed before it comes after.
func TestPlatformDetailResumeFailedFirst(t *testing.T) {
	err := &platform.ResumeFailedError{
		Request: "POST http://camunda:9600/actuator/exporting/resume",
		Err:     errors.New("Zeebe answered POST http://camunda:9600/actuator/exporting/resume with HTTP 200 and status 500 in its body (204 means success)"),
		Cause:   &platform.StepError{Step: platform.Step{Action: platform.Wait, Component: platform.Zeebe}, Err: errors.New("zeebe's backup 7 ended FAILED")},
	}
	got := platformCreateDetail(err, platform.Created{Result: platform.Result{ExportingPaused: 3 * time.Second}, Started: []platform.Component{platform.Webapps}}, "7", time.Hour)
	for _, want := range []string{
		"ZEEBE'S EXPORTING IS STILL PAUSED: resuming it failed (Zeebe answered POST http://camunda:9600/actuator/exporting/resume with HTTP 200 and status 500",
		"Resume it now: POST http://camunda:9600/actuator/exporting/resume (with the credentials of the provider's camunda {} block)",
		"Before that, the backup failed: Step \"wait zeebe\": zeebe's backup 7 ended FAILED.",
		"Started before the failure: webapps.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasPrefix(got, "ZEEBE'S EXPORTING IS STILL PAUSED") {
		t.Errorf("the detail does not begin with the paused exporter:\n%s", got)
	}
	if strings.Contains(got, "exporting was resumed") {
		t.Errorf("the detail says exporting was resumed although resuming failed:\n%s", got)
	}
	// Interrupted, resumed: says both.
	got = platformCreateDetail(&platform.StepError{Step: platform.Step{Action: platform.Wait, Component: platform.Zeebe}, Err: context.Canceled},
		platform.Created{Result: platform.Result{ExportingPaused: 1500 * time.Millisecond}}, "7", time.Hour)
	for _, want := range []string{"The backup was stopped (interrupted, or its create timeout of 1h0m0s struck)", "Zeebe's exporting was resumed (paused for 1.5 s)."} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
}
