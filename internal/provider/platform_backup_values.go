// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// setVerdict records what a read of the whole backup found.
func (m *platformBackupResourceModel) setVerdict(ctx context.Context, v platform.Verdict) diag.Diagnostics {
	var diags diag.Diagnostics
	m.State = types.StringValue(string(v.State))
	if v.State == "" {
		m.State = types.StringValue("INCOMPLETE")
	}
	m.FailureReason = types.StringValue(v.FailureReason)
	if v.CamundaVersion != "" && m.CamundaVersion.ValueString() == "" {
		m.CamundaVersion = types.StringValue(v.CamundaVersion)
	}
	var d diag.Diagnostics
	m.Missing, d = types.ListValueFrom(ctx, types.StringType, append([]string{}, v.Missing...))
	diags.Append(d...)
	components := make([]platformComponentModel, 0, len(v.Families))
	for _, c := range v.Families {
		cm := platformComponentModel{
			Name: string(c.Family), Version: c.Version, State: string(c.State), ExpectedParts: int64(c.ExpectedParts),
			RepositoryName: c.Repository, FailureReason: c.Reason, Missing: append([]string{}, c.Missing...),
			Snapshots: make([]platformSnapshotModel, 0, len(c.Snapshots)),
		}
		for _, s := range c.Snapshots {
			cm.Snapshots = append(cm.Snapshots, platformSnapshotModel{Name: s.Name, State: s.State, Failures: append([]string{}, snapshotFailures(s)...)})
		}
		components = append(components, cm)
	}
	m.Components, d = types.ListValueFrom(ctx, platformComponentType, components)
	diags.Append(d...)
	partitions := []zeebePartitionModel{}
	if v.Zeebe != nil {
		for _, p := range v.Zeebe.Partitions {
			partitions = append(partitions, zeebePartitionModel{PartitionID: int64(p.ID), State: string(p.State), FailureReason: p.FailureReason, BrokerVersion: p.BrokerVersion})
		}
	}
	m.ZeebePartitions, d = types.ListValueFrom(ctx, zeebePartitionType, partitions)
	diags.Append(d...)
	if m.ExportingPausedSeconds.IsUnknown() || m.ExportingPausedSeconds.IsNull() {
		m.ExportingPausedSeconds = types.Float64Value(0)
	}
	return diags
}

// platformDetail is the detail of a diagnostic about a whole backup's
// error: a resume that failed first.
func platformDetail(err error) string {
	var resume *platform.ResumeFailedError
	if errors.As(err, &resume) {
		return resumeFailedWords(resume)
	}
	return errorDetail(err)
}

// resumeFailedWords says, first, that exporting is still paused and how to
// resume it; then what failed before.
func resumeFailedWords(e *platform.ResumeFailedError) string {
	msg := fmt.Sprintf("ZEEBE'S EXPORTING IS STILL PAUSED: resuming it failed (%s). Resume it now: %s (with the credentials of the provider's camunda {} block). "+
		"While exporting is paused, Zeebe does not compact its log and its disks fill.", e.Err, e.Request)
	if e.Cause != nil {
		msg += "\n\nBefore that, the backup failed: " + sentence(e.Cause) + "."
	}
	return msg
}

// platformCreateDetail is the detail of a whole backup that was not taken:
// the error, what was started, and what the next apply does.
func platformCreateDetail(err error, created platform.Created, id string, timeout time.Duration) string {
	msg := platformDetail(err)
	if platform.Interrupted(err) {
		msg = fmt.Sprintf("The backup was stopped (interrupted, or its create timeout of %s struck): %s", timeout, msg)
	}
	var resume *platform.ResumeFailedError
	if !errors.As(err, &resume) && created.ExportingPaused > 0 {
		msg += fmt.Sprintf("\n\nZeebe's exporting was resumed (paused for %.1f s).", created.ExportingPaused.Seconds())
	}
	if len(created.Started) > 0 {
		var started []string
		for _, c := range created.Started {
			started = append(started, string(c))
		}
		msg += fmt.Sprintf("\n\nStarted before the failure: %s. The backup is recorded as tainted: the next apply deletes backup %s of every component "+
			"and takes a new one (Zeebe takes no id twice: with backup_id set, set a new one).", strings.Join(started, ", "), id)
	}
	return msg
}
