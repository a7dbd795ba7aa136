// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

func (r *backupPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computedList := func(d string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: d, ElementType: types.StringType, Computed: true}
	}
	computedString := func(d string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: d, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Scheduled Optimize backups with a retention that treats a backup as a unit. " +
			"Creating the policy takes its first backup; afterwards every `terraform apply` (a CI schedule, a Kubernetes CronJob) is the clock: " +
			"when the policy's newest `COMPLETED` backup started longer ago than `every`, the plan shows an in-place update (`backup_due = true`) and the apply takes a backup (both parts, waited for), " +
			"then deletes what retention names in the plan (`expiring_backup_ids`), both parts of each backup in one request. When nothing is due and nothing expires, the plan is empty.\n\n" +
			"Backup ids are unix seconds at creation, greater than every backup id in the repository (`<name>-<unix seconds>` for Optimize 3.9); the snapshots carry the policy's name in their metadata, " +
			"and retention only ever deletes those. It never deletes a backup `IN_PROGRESS`, the newest `COMPLETED` one, anything when the apply's new backup failed, or so many that fewer than `min_count` `COMPLETED` backups remain. " +
			"A stuck backup (`IN_PROGRESS` for longer than `stale_after`), a `FAILED` newest backup, or a backup of the policy that something else deleted makes the plan non-empty with a warning (`alerts`), so a scheduled `terraform plan -detailed-exitcode` alerts; the apply acknowledges it.\n\n" +
			"A policy whose `name` already marks backups in the repository (another workspace's policy) is refused at plan time, before anything is written: import it instead. " +
			"With Optimize 3.10 to 3.13 (Java Integer ids), a due backup whose id would pass 2147483647 fails the plan, naming the backup that forces it.\n\n" +
			"Destroying the policy deletes no backup: they are data (see the guide \"Nightly backups with retention\" for removing them).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<repository_name>/<name>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Marks the policy's backups (in their snapshots' metadata): unique within the repository; creating a policy whose name already marks backups there is refused at plan time (import that policy, or pick another name). Lowercase letters, digits and `-`, at most %d characters.", optimize.MaxPolicyNameLength),
				Required:            true,
				Validators:          []validator.String{stringCheck{summary: "Invalid policy name", description: "lowercase letters, digits and -", check: optimize.ValidatePolicyName}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"every": schema.StringAttribute{
				MarkdownDescription: "A backup is due when the policy's newest `COMPLETED` backup started longer ago than this (a Go duration: `24h`, `90m`). Applying more often than this takes no more backups.",
				Required:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"keep_last": schema.Int64Attribute{
				MarkdownDescription: "At most this many `COMPLETED` backups of the policy are kept; the oldest beyond it are deleted. Unset: no count limit.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"max_age": schema.StringAttribute{
				MarkdownDescription: "`COMPLETED` backups that started longer ago than this are deleted (a Go duration: `720h`), but never so many that fewer than `min_count` remain. Unset: no age limit.",
				Optional:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"min_count": schema.Int64Attribute{
				MarkdownDescription: "Retention never leaves fewer than this many `COMPLETED` backups of the policy (default 1: the newest `COMPLETED` backup is never deleted).",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(1),
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"stale_after": schema.StringAttribute{
				MarkdownDescription: "A backup of the policy still `IN_PROGRESS` after this long is stuck: the plan warns and is not empty (default `6h`).",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("6h"),
				Validators:          []validator.String{durationValidator()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository of the policy's backups. Defaults to the provider's `repository_name`. Changing it makes a new policy there; the backups stay where they are.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{repositoryNameValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"backup_ids":          computedList("The policy's backups, oldest first (by the start of their first snapshot)."),
			"latest_backup_id":    computedString("The policy's newest backup, whatever its state; empty when it has none."),
			"latest_completed_at": computedString("When the policy's newest `COMPLETED` backup ended (RFC 3339); empty when none is `COMPLETED`."),
			"expiring_backup_ids": computedList("In a plan (and the state its apply records): the backups retention deletes, known at plan time. The apply deletes none the plan did not name, and none when its new backup failed. A refresh empties it; the next plan decides afresh."),
			"stuck_backup_ids":    computedList("The policy's backups `IN_PROGRESS` for longer than `stale_after`."),
			"failed_backup_ids":   computedList("The policy's backups `FAILED`, `INCOMPATIBLE` or `INCOMPLETE`."),
			"backup_due": schema.BoolAttribute{
				MarkdownDescription: "In a plan (and the state its apply records): `true` when the apply takes a backup. A refresh sets it `false`; the next plan decides afresh.",
				Computed:            true,
			},
			"alerts": computedList("In a plan (and the state its apply records): what needs an operator (a stuck backup, a `FAILED` newest backup, a failed restore drill), also given as warnings. A refresh empties it; every plan names them again while they last, so the plan is not empty."),
		},
	}
	maps.Copy(resp.Schema.Attributes, verifyAttributes())
}

func (r *backupPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses at plan time a min_count above keep_last.
func (r *backupPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg backupPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !cfg.KeepLast.IsNull() && !cfg.KeepLast.IsUnknown() && !cfg.MinCount.IsNull() && !cfg.MinCount.IsUnknown() && cfg.MinCount.ValueInt64() > cfg.KeepLast.ValueInt64() {
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
	if m.KeepLast.IsUnknown() || m.MinCount.IsUnknown() {
		return optimize.Policy{}, false
	}
	duration := func(v types.String) time.Duration {
		d, _ := time.ParseDuration(v.ValueString())
		return d
	}
	return optimize.Policy{
		Name: m.Name.ValueString(), Every: duration(m.Every), KeepLast: int(m.KeepLast.ValueInt64()),
		MaxAge: duration(m.MaxAge), MinCount: int(m.MinCount.ValueInt64()), StaleAfter: duration(m.StaleAfter),
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
	// What the last apply did is history now. The plan that follows this
	// refresh takes the decision made here, from the private state: the
	// same at plan time and when Terraform plans again during the apply,
	// whatever the clock or the repository do in between.
	state.settle()
	state.keepVerification(nil) // a state written before verify_every existed
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
	v := planVerification(p, plan.verifyEvery(), prior, d)
	plan.setVerificationPlan(v, prior)
	due, expiring, alerts := d.Due, d.Expiring, d.Alerts
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
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	plan.BackupDue = types.BoolValue(due)
	plan.VerificationDue = types.BoolValue(v.due)
	plan.ExpiringBackupIDs = idList(expiring)
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
	// What the apply does not drill keeps the last drill's result.
	defer plan.keepVerification(prior)
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
	defer func() { plan.setStatus(l.Status) }()
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
