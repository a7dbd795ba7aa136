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
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// NewBackupPolicyResource is the factory of optimize_backup_policy.
func NewBackupPolicyResource() resource.Resource { return &backupPolicyResource{} }

type backupPolicyResource struct {
	data *providerData
}

type backupPolicyModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Every             types.String `tfsdk:"every"`
	KeepLast          types.Int64  `tfsdk:"keep_last"`
	MaxAge            types.String `tfsdk:"max_age"`
	MinCount          types.Int64  `tfsdk:"min_count"`
	StaleAfter        types.String `tfsdk:"stale_after"`
	RepositoryName    types.String `tfsdk:"repository_name"`
	BackupIDs         types.List   `tfsdk:"backup_ids"`
	LatestBackupID    types.String `tfsdk:"latest_backup_id"`
	LatestCompletedAt types.String `tfsdk:"latest_completed_at"`
	ExpiringBackupIDs types.List   `tfsdk:"expiring_backup_ids"`
	StuckBackupIDs    types.List   `tfsdk:"stuck_backup_ids"`
	FailedBackupIDs   types.List   `tfsdk:"failed_backup_ids"`
	BackupDue         types.Bool   `tfsdk:"backup_due"`
	Alerts            types.List   `tfsdk:"alerts"`

	KeepDaily         types.Int64  `tfsdk:"keep_daily"`
	KeepWeekly        types.Int64  `tfsdk:"keep_weekly"`
	KeepMonthly       types.Int64  `tfsdk:"keep_monthly"`
	KeepYearly        types.Int64  `tfsdk:"keep_yearly"`
	TimeZone          types.String `tfsdk:"time_zone"`
	RetainedBy        types.Map    `tfsdk:"retained_by"`
	ExpiringReasons   types.Map    `tfsdk:"expiring_reasons"`
	PrometheusMetrics types.String `tfsdk:"prometheus_metrics"`

	VerifyEvery            types.String `tfsdk:"verify_every"`
	VerificationDue        types.Bool   `tfsdk:"verification_due"`
	LastVerifiedBackupID   types.String `tfsdk:"last_verified_backup_id"`
	LastVerifiedAt         types.String `tfsdk:"last_verified_at"`
	LastVerificationPassed types.Bool   `tfsdk:"last_verification_passed"`
	LastVerificationError  types.String `tfsdk:"last_verification_error"`
}

func (r *backupPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_policy"
}

func (r *backupPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses at plan time a min_count above keep_last when no
// calendar tier is set (with one, min_count may keep more than keep_last).
func (r *backupPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg backupPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tiers := !cfg.KeepDaily.IsNull() || !cfg.KeepWeekly.IsNull() || !cfg.KeepMonthly.IsNull() || !cfg.KeepYearly.IsNull()
	if !tiers && !cfg.KeepLast.IsNull() && !cfg.KeepLast.IsUnknown() && !cfg.MinCount.IsNull() && !cfg.MinCount.IsUnknown() && cfg.MinCount.ValueInt64() > cfg.KeepLast.ValueInt64() {
		resp.Diagnostics.AddAttributeError(path.Root("min_count"), "min_count above keep_last",
			fmt.Sprintf("min_count = %d keeps more COMPLETED backups than keep_last = %d allows: set min_count at most %d.", cfg.MinCount.ValueInt64(), cfg.KeepLast.ValueInt64(), cfg.KeepLast.ValueInt64()))
	}
}

// verifyEvery is verify_every (0: unset).
func (m *backupPolicyModel) verifyEvery() time.Duration {
	d, _ := time.ParseDuration(m.VerifyEvery.ValueString())
	return d
}

// policy is the domain's policy of a model whose inputs are known.
func (m *backupPolicyModel) policy() (optimize.Policy, bool) {
	for _, v := range []types.String{m.Name, m.Every, m.MaxAge, m.StaleAfter, m.VerifyEvery} {
		if v.IsUnknown() {
			return optimize.Policy{}, false
		}
	}
	for _, v := range []types.Int64{m.KeepLast, m.MinCount, m.KeepDaily, m.KeepWeekly, m.KeepMonthly, m.KeepYearly} {
		if v.IsUnknown() {
			return optimize.Policy{}, false
		}
	}
	if m.TimeZone.IsUnknown() {
		return optimize.Policy{}, false
	}
	duration := func(v types.String) time.Duration {
		d, _ := time.ParseDuration(v.ValueString())
		return d
	}
	return optimize.Policy{
		Name: m.Name.ValueString(), Every: duration(m.Every), KeepLast: int(m.KeepLast.ValueInt64()),
		MaxAge: duration(m.MaxAge), MinCount: int(m.MinCount.ValueInt64()), StaleAfter: duration(m.StaleAfter),
		KeepDaily: int(m.KeepDaily.ValueInt64()), KeepWeekly: int(m.KeepWeekly.ValueInt64()),
		KeepMonthly: int(m.KeepMonthly.ValueInt64()), KeepYearly: int(m.KeepYearly.ValueInt64()),
		Location: location(m.TimeZone.ValueString()),
	}, true
}

// setStatus records what the listing says of the policy's backups.
func (m *backupPolicyModel) setStatus(st optimize.PolicyStatus) {
	ids := make([]string, len(st.Backups))
	for i, b := range st.Backups {
		ids[i] = string(b.ID)
	}
	m.BackupIDs = stringList(ids)
	m.LatestBackupID = types.StringValue("")
	if n := len(st.Backups); n > 0 {
		m.LatestBackupID = types.StringValue(string(st.Backups[n-1].ID))
	}
	m.LatestCompletedAt = types.StringValue("")
	if st.LatestCompleted != nil {
		m.LatestCompletedAt = types.StringValue(formatTime(st.LatestCompleted.EndTime()))
	}
	stuck := make([]string, len(st.Stuck))
	for i, b := range st.Stuck {
		stuck[i] = string(b.ID)
	}
	m.StuckBackupIDs = stringList(stuck)
	failed := make([]string, len(st.Failed))
	for i, id := range st.Failed {
		failed[i] = string(id)
	}
	m.FailedBackupIDs = stringList(failed)
	m.RetainedBy = retainedByMap(st.RetainedBy)
}

// settleUnknown gives the plan-time attributes left unknown (a plan that did
// not decide, or a changed configuration) the values of a refresh, with
// backup_due as given.
func (m *backupPolicyModel) settleUnknown(due bool) {
	if m.BackupDue.IsUnknown() {
		m.BackupDue = types.BoolValue(due)
	}
	if m.VerificationDue.IsUnknown() {
		m.VerificationDue = types.BoolValue(false)
	}
	if m.ExpiringBackupIDs.IsUnknown() {
		m.ExpiringBackupIDs = stringList(nil)
	}
	if m.ExpiringReasons.IsUnknown() {
		m.ExpiringReasons = reasonsMap(nil, nil)
	}
	if m.Alerts.IsUnknown() {
		m.Alerts = stringList(nil)
	}
}

// settle is the state a refresh reads: nothing due, nothing expiring, no
// alert; the plan that follows decides them afresh (and the apply records
// what its plan said, as Terraform requires of planned values).
func (m *backupPolicyModel) settle() {
	m.BackupDue = types.BoolValue(false)
	m.VerificationDue = types.BoolValue(false)
	m.ExpiringBackupIDs = stringList(nil)
	m.ExpiringReasons = reasonsMap(nil, nil)
	m.Alerts = stringList(nil)
}

func (r *backupPolicyResource) repository(m *backupPolicyModel) string {
	return stringOr(m.RepositoryName, r.data.repository)
}

// listPolicy reads the repository with one request and evaluates the policy
// now on the cluster's clock (clusterNow, which warns into diags of a skewed
// local clock); the listing is kept for the plan that follows a refresh.
func (r *backupPolicyResource) listPolicy(ctx context.Context, repository string, p optimize.Policy, cached bool, diags *diag.Diagnostics) (optimize.PolicyListing, time.Time, error) {
	now, err := r.data.clusterNow(ctx, diags)
	if err != nil {
		return optimize.PolicyListing{}, now, err
	}
	if cached {
		if all, ok := r.data.cachedListing(repository); ok {
			return optimize.PolicyListing{All: all, Status: optimize.Evaluate(p, all, now)}, now, nil
		}
	}
	l, err := r.data.service.ListPolicy(ctx, repository, p, now)
	if err == nil {
		r.data.cacheListing(repository, l.All)
	}
	return l, now, err
}

func (r *backupPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state backupPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	p, ok := state.policy()
	if !ok {
		return
	}
	repository := r.repository(&state)
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, repository, p.Name)...)
	l, now, err := r.listPolicy(ctx, repository, p, false, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read backup policy %q", p.Name), diagnosis{operation: "read", repository: repository}.detail(err))
		return
	}
	var recorded []string
	resp.Diagnostics.Append(state.BackupIDs.ElementsAs(ctx, &recorded, false)...)
	state.RepositoryName = types.StringValue(repository)
	state.ID = types.StringValue(repository + "/" + p.Name)
	state.setStatus(l.Status)
	state.setMetrics(p, repository, l.Status)
	// What the last apply did is history now. The plan that follows this
	// refresh takes the decision made here, from the private state: the
	// same at plan time and when Terraform plans again during the apply,
	// whatever the clock or the repository do in between.
	state.settle()
	// A state written before verify_every and the calendar tiers existed:
	// what the configuration's defaults are, so that the upgrade plans no
	// change.
	state.keepVerification(nil)
	if state.TimeZone.IsNull() {
		state.TimeZone = types.StringValue("UTC")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	d := decide(p, l.All, now, false).withVanished(repository, vanished(recorded, l.Status.Backups))
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, policyDecisionKey, d.json())...)
}

// ModifyPlan is the schedule: it plans a backup when one is due, names what
// retention deletes, and warns of what needs an operator. An empty plan
// means nothing to do.
func (r *backupPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || !r.data.known {
		return
	}
	var plan backupPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.planRepository(ctx, &plan.RepositoryName, fmt.Sprintf("Backup policy %q cannot be planned", plan.Name.ValueString()), &resp.Diagnostics) {
		return
	}
	creating := req.State.Raw.IsNull()
	p, ok := plan.policy()
	if !ok || r.data.service == nil {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	plan.ID = types.StringValue(plan.RepositoryName.ValueString() + "/" + p.Name)
	d, found := policyDecision{}, false
	if !creating {
		d, found = decisionFrom(ctx, req.Private, p, plan.RepositoryName.ValueString())
	}
	if !found {
		// A refresh before warned of a skewed clock; a create has had none.
		warnings := &diag.Diagnostics{}
		if creating {
			warnings = &resp.Diagnostics
		}
		l, now, err := r.listPolicy(ctx, plan.RepositoryName.ValueString(), p, true, warnings)
		if err != nil {
			// Not readable now: the apply reads it again and fails there
			// if it must.
			resp.Diagnostics.AddWarning(fmt.Sprintf("Backup policy %q: the repository cannot be read at plan time", p.Name), diagnosis{operation: "read"}.detail(err))
			resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
			return
		}
		if creating && len(l.Status.Backups) > 0 {
			addNameTaken(&resp.Diagnostics, plan.RepositoryName.ValueString(), p, l.Status.Backups)
			return
		}
		d = decide(p, l.All, now, creating)
	}
	if d.Due {
		r.checkNextID(ctx, plan.RepositoryName.ValueString(), p, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	var prior *backupPolicyModel
	if !creating {
		prior = &backupPolicyModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	v, expiring, alerts := plan.planDrill(ctx, p, prior, d)
	due := d.Due
	for _, id := range expiring {
		tflog.Info(ctx, "retention deletes a backup of the policy", map[string]any{"policy": p.Name, "backup_id": string(id), "why": d.Why[id]})
	}
	for _, a := range alerts {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Backup policy %q needs attention", p.Name), a.Detail)
	}
	if !creating && !due && !v.due && len(expiring) == 0 && len(alerts) == 0 {
		// Nothing to do: the plan keeps the state (an empty plan); what a
		// changed configuration left unknown is what a refresh reads.
		plan.settleUnknown(false)
		if plan.RetainedBy.IsUnknown() {
			plan.RetainedBy = retainedByMap(d.RetainedBy)
		}
		if plan.PrometheusMetrics.IsUnknown() {
			plan.setMetrics(p, plan.RepositoryName.ValueString(), optimize.Evaluate(p, d.Backups, d.Now))
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	plan.BackupDue = types.BoolValue(due)
	plan.VerificationDue = types.BoolValue(v.due)
	plan.ExpiringBackupIDs = idList(expiring)
	plan.ExpiringReasons = reasonsMap(expiring, d.Why)
	summaries := make([]string, len(alerts))
	for i, a := range alerts {
		summaries[i] = a.Summary
	}
	plan.Alerts = stringList(summaries)
	if due || len(expiring) > 0 || creating {
		for _, v := range []*types.List{&plan.BackupIDs, &plan.StuckBackupIDs, &plan.FailedBackupIDs} {
			*v = types.ListUnknown(types.StringType)
		}
	}
	if due || len(expiring) > 0 || creating || v.due {
		plan.RetainedBy = types.MapUnknown(types.ListType{ElemType: types.StringType})
		plan.PrometheusMetrics = types.StringUnknown()
	}
	if due || creating {
		plan.LatestBackupID, plan.LatestCompletedAt = types.StringUnknown(), types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *backupPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan backupPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	r.apply(ctx, &plan, nil, true, true, &resp.Diagnostics)
	if plan.ID.IsUnknown() {
		return // nothing could be read, or the name is taken: no state
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, plan.RepositoryName.ValueString(), plan.Name.ValueString())...)
	// Decided and done: only the next refresh decides again.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, policyDecisionKey, nil)...)
}

func (r *backupPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan backupPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	var state backupPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	r.apply(ctx, &plan, &state, false, plan.BackupDue.ValueBool(), &resp.Diagnostics)
	if plan.ID.IsUnknown() {
		plan = state
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, r.repository(&plan), plan.Name.ValueString())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, policyDecisionKey, nil)...)
}

// apply takes the planned backup (when takeBackup), then deletes what the
// plan named and retention still expires, and records the policy's backups.
func (r *backupPolicyResource) apply(ctx context.Context, plan, prior *backupPolicyModel, creating, takeBackup bool, diags *diag.Diagnostics) {
	p, _ := plan.policy()
	verifying := plan.VerificationDue.ValueBool()
	repository := r.repository(plan)
	plan.RepositoryName = types.StringValue(repository)
	now, err := r.data.clusterNow(ctx, diags)
	var l optimize.PolicyListing
	if err == nil {
		l, err = r.data.service.ListPolicy(ctx, repository, p, now)
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("Backup policy %q: cannot read repository %q", p.Name, repository), diagnosis{operation: "read"}.detail(err))
		plan.ID = types.StringUnknown()
		return
	}
	if creating && len(l.Status.Backups) > 0 {
		// The plan could not read the repository, or another workspace's
		// policy took a backup since.
		addNameTaken(diags, repository, p, l.Status.Backups)
		plan.ID = types.StringUnknown()
		return
	}
	plan.ID = types.StringValue(repository + "/" + p.Name)
	var planned []optimize.BackupID
	if !plan.ExpiringBackupIDs.IsUnknown() && !plan.ExpiringBackupIDs.IsNull() {
		for _, e := range plan.ExpiringBackupIDs.Elements() {
			if s, ok := e.(types.String); ok {
				planned = append(planned, optimize.BackupID(s.ValueString()))
			}
		}
	}
	defer func() {
		plan.keepVerification(prior) // what the apply did not drill keeps the last drill's result
		plan.setStatus(l.Status)
		plan.setMetrics(p, repository, l.Status)
	}()
	// A plan that could not decide (the repository unreadable then) left
	// these unknown: the apply records what it did.
	plan.settleUnknown(takeBackup)
	if takeBackup {
		started := time.Now()
		failed := r.takeBackup(ctx, repository, p, l, now, diags)
		now = now.Add(time.Since(started))
		if l2, err := r.data.service.ListPolicy(ctx, repository, p, now); err == nil {
			l = l2
		}
		if failed {
			if len(planned) > 0 {
				diags.AddWarning(fmt.Sprintf("Backup policy %q deleted nothing", p.Name),
					fmt.Sprintf("The new backup failed, so retention deleted none of %s: a policy never deletes a backup while its newest one is not good.", strings.Join(idStrings(planned), ", ")))
			}
			return
		}
	}
	if verifying && !r.verify(ctx, plan, prior, p, repository, l, diags) {
		if len(planned) > 0 {
			diags.AddWarning(fmt.Sprintf("Backup policy %q deleted nothing", p.Name),
				fmt.Sprintf("The restore drill did not pass, so retention deleted none of %s.", strings.Join(idStrings(planned), ", ")))
		}
		return
	}
	// Only what the plan named and retention still expires now.
	var toDelete []optimize.BackupID
	for _, id := range l.Status.Expiring {
		if slices.Contains(planned, id) {
			toDelete = append(toDelete, id)
		}
	}
	deleted, err := r.data.service.DeletePolicyBackups(ctx, repository, p, l.All, toDelete)
	if err != nil {
		diags.AddError(fmt.Sprintf("Backup policy %q: retention stopped", p.Name),
			fmt.Sprintf("%s. Deleted before that: %s. The next apply names what is left.", sentence(err), strings.Join(idStrings(deleted), ", ")))
	}
	if len(deleted) > 0 {
		kept := l.All[:0:0]
		for _, b := range l.All {
			if !slices.Contains(deleted, b.ID) {
				kept = append(kept, b)
			}
		}
		l.All, l.Status = kept, optimize.Evaluate(p, kept, now)
	}
}

// takeBackup takes the policy's next backup, both parts, waited for. It
// reports whether it failed (and says so).
func (r *backupPolicyResource) takeBackup(ctx context.Context, repository string, p optimize.Policy, l optimize.PolicyListing, now time.Time, diags *diag.Diagnostics) bool {
	version, err := r.data.installationVersion(ctx)
	if err == nil && version == "" {
		err = errors.New("the Optimize version is unknown: set optimize_version on the provider")
	}
	var release optimize.Release
	if err == nil {
		release, err = optimize.ReleaseFor(version)
	}
	var id optimize.BackupID
	if err == nil {
		ids := make([]optimize.BackupID, len(l.All))
		for i, b := range l.All {
			ids[i] = b.ID
		}
		id, err = optimize.NextPolicyBackupID(release, p.Name, ids, now)
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("Backup policy %q took no backup", p.Name), errorDetail(err))
		return true
	}
	backup, err := r.data.service.Create(ctx, optimize.CreateRequest{
		ID: id, Repository: repository, Version: version, IndexPrefix: r.data.indexPrefix,
		WaitForCompletion: true, Policy: p.Name,
	})
	addWarnings(diags, string(id), backup.Warnings)
	if err != nil {
		diags.AddError(fmt.Sprintf("Backup policy %q: backup %q failed", p.Name, id), diagnosis{operation: "create", started: backup.SnapshotNames()}.detail(err))
		return true
	}
	return false
}

func idStrings(ids []optimize.BackupID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// Delete removes the policy from the state and deletes no backup.
func (r *backupPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state backupPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ids []string
	resp.Diagnostics.Append(state.BackupIDs.ElementsAs(ctx, &ids, false)...)
	if len(ids) > 0 {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Backup policy %q removed; its %d backup(s) stay", state.Name.ValueString(), len(ids)),
			fmt.Sprintf("A policy's backups are data: destroying the policy deleted none of %s in repository %q. "+
				"Adopt them with terraform import (optimize_backup, by <repository>/<backup_id>) and destroy those, or delete their snapshots by hand.",
				strings.Join(ids, ", "), state.RepositoryName.ValueString()))
	}
}

var (
	_ resource.ResourceWithModifyPlan     = (*backupPolicyResource)(nil)
	_ resource.ResourceWithImportState    = (*backupPolicyResource)(nil)
	_ resource.ResourceWithIdentity       = (*backupPolicyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*backupPolicyResource)(nil)
	_ resource.ResourceWithConfigure      = (*backupPolicyResource)(nil)
)
