// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/optimize-tf/terraform-provider-optimize/internal/metrics"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// optimize_backup_policy's verification schedule: verify_every, the drill
// an apply runs when it is due (optimize.VerifyDue), the result kept in the
// state (it is nowhere in the cluster), the alert of a failed drill and the
// retention it holds.

func verifyAttributes() map[string]schema.Attribute {
	computedString := func(d string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: d, Computed: true}
	}
	return map[string]schema.Attribute{
		"verify_every": schema.StringAttribute{
			MarkdownDescription: "A restore drill is due when the policy's last one ran longer ago than this (a Go duration: `168h`): the apply then restores the policy's newest `COMPLETED` backup under the scratch prefix `drill-<backup_id>-`, checks it and deletes the copies, " +
				"as the action `optimize_backup_verify` does (see its page for what is checked and the disk it needs). A drill also runs as soon as a backup newer than one whose drill failed is `COMPLETED`. " +
				"A failed drill fails the apply, makes every plan non-empty with an alert until a drill passes, and holds retention meanwhile: no backup is deleted while the newest drilled one does not restore. Unset: no drill.",
			Optional:   true,
			Validators: []validator.String{durationValidator()},
		},
		"verification_due": schema.BoolAttribute{
			MarkdownDescription: "In a plan (and the state its apply records): `true` when the apply runs a restore drill. A refresh sets it `false`; the next plan decides afresh.",
			Computed:            true,
		},
		"last_verified_backup_id": computedString("The backup the policy's last restore drill restored; empty before the first."),
		"last_verified_at":        computedString("When the policy's last restore drill ended (RFC 3339, the cluster's clock); empty before the first."),
		"last_verification_passed": schema.BoolAttribute{
			MarkdownDescription: "Whether the last restore drill passed; `null` before the first.",
			Computed:            true,
		},
		"last_verification_error": computedString("Why the last restore drill failed (or was refused); empty when it passed."),
	}
}

// lastVerification is the last drill the model records.
func (m *backupPolicyModel) lastVerification() optimize.Verification {
	at, _ := time.Parse(time.RFC3339, m.LastVerifiedAt.ValueString())
	return optimize.Verification{
		BackupID: optimize.BackupID(m.LastVerifiedBackupID.ValueString()), At: at,
		Passed: m.LastVerificationPassed.ValueBool(), Error: m.LastVerificationError.ValueString(),
	}
}

// keepVerification gives what the model left unknown of the last drill the
// values of prior (the state; nil or null: no drill yet).
func (m *backupPolicyModel) keepVerification(prior *backupPolicyModel) {
	from := backupPolicyModel{
		LastVerifiedBackupID: types.StringValue(""), LastVerifiedAt: types.StringValue(""),
		LastVerificationPassed: types.BoolNull(), LastVerificationError: types.StringValue(""),
	}
	if prior != nil && !prior.LastVerifiedAt.IsNull() && !prior.LastVerifiedAt.IsUnknown() {
		from = *prior
	}
	if m.LastVerifiedBackupID.IsUnknown() || m.LastVerifiedBackupID.IsNull() {
		m.LastVerifiedBackupID = from.LastVerifiedBackupID
	}
	if m.LastVerifiedAt.IsUnknown() || m.LastVerifiedAt.IsNull() {
		m.LastVerifiedAt = from.LastVerifiedAt
	}
	if m.LastVerificationPassed.IsUnknown() {
		m.LastVerificationPassed = from.LastVerificationPassed
	}
	if m.LastVerificationError.IsUnknown() || m.LastVerificationError.IsNull() {
		m.LastVerificationError = from.LastVerificationError
	}
	if m.VerificationDue.IsUnknown() {
		m.VerificationDue = types.BoolValue(false)
	}
}

// verificationPlan is what a plan decides of the drill.
type verificationPlan struct {
	due  bool
	why  string
	hold *policyAlert // the last drill failed: retention is held, and this says so
}

// planVerification decides whether the apply drills, from the last drill
// the state records (prior; nil when creating) and the decision d.
func planVerification(p optimize.Policy, every time.Duration, prior *backupPolicyModel, d policyDecision) verificationPlan {
	var last optimize.Verification
	if prior != nil {
		last = prior.lastVerification()
	}
	newest := d.Latest
	if d.Due {
		newest = optimize.PlannedBackupID
	}
	var v verificationPlan
	v.due, v.why = optimize.VerifyDue(every, last, newest, d.Now)
	if last.Failed() {
		next := fmt.Sprintf("The next drill runs when a backup newer than %s is COMPLETED, or after verify_every (%s).", last.BackupID, every)
		if v.due {
			next = "This apply drills again: " + v.why + "."
		}
		v.hold = &policyAlert{
			Summary: fmt.Sprintf("backup %s did not pass its restore drill", last.BackupID),
			Detail: fmt.Sprintf("The restore drill of backup %q of policy %q at %s failed: %s\n\nThe policy cannot prove that its newest backups restore, so retention is held: no backup of the policy is deleted until a drill passes. "+
				"Find out why it did not restore (the drill's error above; the action optimize_backup_verify runs the same drill by hand). %s",
				last.BackupID, p.Name, formatTime(last.At), last.Error, next),
		}
	}
	return v
}

// setVerificationPlan records v in the plan: the last drill's attributes
// unknown when the apply drills, else as the state has them
// (verification_due is set with backup_due, when the plan is not empty).
func (m *backupPolicyModel) setVerificationPlan(v verificationPlan, prior *backupPolicyModel) {
	m.LastVerifiedBackupID, m.LastVerifiedAt = types.StringUnknown(), types.StringUnknown()
	m.LastVerificationPassed, m.LastVerificationError = types.BoolUnknown(), types.StringUnknown()
	if !v.due {
		m.keepVerification(prior)
	}
}

// planDrill decides the drill of a plan from the last one the state
// (prior) records and the decision d, and records it in the plan; a failed
// last drill holds retention (expiring is then empty) and adds its alert.
func (m *backupPolicyModel) planDrill(ctx context.Context, p optimize.Policy, prior *backupPolicyModel, d policyDecision) (verificationPlan, []optimize.BackupID, []policyAlert) {
	v := planVerification(p, m.verifyEvery(), prior, d)
	m.setVerificationPlan(v, prior)
	expiring, alerts := d.Expiring, d.Alerts
	if v.hold != nil {
		alerts = append(slices.Clone(alerts), *v.hold)
		for _, id := range expiring {
			tflog.Warn(ctx, "retention is held by a failed restore drill", map[string]any{"policy": p.Name, "backup_id": string(id), "would_expire": d.Why[id]})
		}
		expiring = nil
	}
	if v.due {
		tflog.Info(ctx, "a restore drill is due", map[string]any{"policy": p.Name, "why": v.why})
	}
	return v, expiring, alerts
}

// verify drills the policy's newest COMPLETED backup (of the listing l) and
// records the result in plan. It reports whether the backup restores; a
// failure is an error, an interrupted drill records no result.
func (r *backupPolicyResource) verify(ctx context.Context, plan, prior *backupPolicyModel, p optimize.Policy, repository string, l optimize.PolicyListing, diags *diag.Diagnostics) bool {
	latest := l.Status.LatestCompleted
	if latest == nil {
		plan.keepVerification(prior)
		diags.AddWarning(fmt.Sprintf("Backup policy %q ran no restore drill", p.Name), "The policy has no COMPLETED backup to drill; the next apply with one drills it.")
		return true
	}
	progress := func(msg string) {
		tflog.Info(ctx, "restore drill: "+msg, map[string]any{"policy": p.Name, "backup_id": string(latest.ID)})
	}
	result, err := optimize.Drill(ctx, r.data.cluster, optimize.DrillRequest{
		ID: latest.ID, Repository: repository, IndexPrefix: r.data.indexPrefix, Progress: progress, Stop: r.data.stop.Done(),
	})
	if r.data.stop.Stopped() || errors.Is(err, optimize.ErrInterrupted) || errors.Is(err, context.Canceled) {
		plan.keepVerification(prior)
		diags.AddError(fmt.Sprintf("Backup policy %q: the restore drill of backup %q was interrupted", p.Name, latest.ID),
			fmt.Sprintf("%s\n\nNo result was recorded (the last drill's stays) and retention deleted nothing. Scratch indices deleted: %s. The next apply drills again.",
				errorDetail(err), orNone(result.Deleted)))
		return false
	}
	now, nerr := r.data.clusterNow(ctx, &diag.Diagnostics{})
	if nerr != nil {
		now = time.Now()
	}
	plan.LastVerifiedBackupID = types.StringValue(string(latest.ID))
	plan.LastVerifiedAt = types.StringValue(formatTime(now))
	plan.LastVerificationPassed = types.BoolValue(err == nil)
	plan.LastVerificationError = types.StringValue("")
	if err != nil {
		plan.LastVerificationError = types.StringValue(sentence(err))
		detail := diagnosis{operation: "invoke"}.detail(err)
		if table := drillTable(result); table != "" {
			detail += "\n\n" + table
		}
		diags.AddError(fmt.Sprintf("Backup policy %q: backup %q did not pass its restore drill", p.Name, latest.ID),
			detail+"\n\nRetention deleted nothing and is held until a drill passes: the policy's older backups may be the only ones that restore. Every plan alerts until then.")
		return false
	}
	tflog.Info(ctx, "restore drill passed", map[string]any{"policy": p.Name, "backup_id": string(latest.ID), "indices": len(result.Indices), "seconds": result.Duration.Seconds()})
	return true
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// setMetrics renders the policy's backups and the stuck ones (of st), and
// the last drill the model records, for a monitor (metrics.Render, without
// the age: it would change every refresh).
func (m *backupPolicyModel) setMetrics(p optimize.Policy, repository string, st optimize.PolicyStatus) {
	src := metrics.Source{Policy: p.Name, Repository: repository, Component: string(platform.Optimize), Stuck: len(st.Stuck)}
	for _, b := range st.Backups {
		src.Backups = append(src.Backups, metricsBackup(b))
	}
	if last := m.lastVerification(); !last.At.IsZero() {
		src.Drill = &metrics.Drill{BackupID: string(last.BackupID), At: last.At, Passed: last.Passed}
	}
	text, err := metrics.Render(time.Time{}, src)
	if err != nil {
		text = "# the metrics could not be written: " + err.Error() + "\n"
	}
	m.PrometheusMetrics = types.StringValue(text)
}
