// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// platformTokens are the create tokens of a whole backup's snapshots, and
// the Camunda components its create started (Created: written by Create;
// an imported backup has none, and owns every component's backup of its
// id).
type platformTokens struct {
	Optimize string   `json:"optimize,omitempty"`
	Records  string   `json:"records,omitempty"`
	Created  bool     `json:"created,omitempty"`
	Started  []string `json:"started,omitempty"`
}

// startedComponents are the components a destroy deletes through Camunda's
// APIs: those the create started, or every one (nil) for an import.
func (t platformTokens) startedComponents() []platform.Component {
	if !t.Created {
		return nil
	}
	out := []platform.Component{}
	for _, c := range t.Started {
		out = append(out, platform.Component(c))
	}
	return out
}

func (m *platformBackupResourceModel) setUnknown() {
	m.ID, m.BackupID = types.StringUnknown(), types.StringUnknown()
	m.State, m.FailureReason = types.StringUnknown(), types.StringUnknown()
	m.Missing = types.ListUnknown(types.StringType)
	m.Components = types.ListUnknown(platformComponentType)
	m.ZeebePartitions = types.ListUnknown(zeebePartitionType)
	m.ExportingPausedSeconds = types.Float64Unknown()
}

// fillIn settles, at apply, what the plan left unknown: the repositories,
// the version, the id (the cluster's clock, above Zeebe's latest).
func (r *platformBackupResource) fillIn(ctx context.Context, m *platformBackupResourceModel, diags *diag.Diagnostics) *platform.Service {
	if m.RepositoryName.IsUnknown() || m.RepositoryName.ValueString() == "" {
		m.RepositoryName = types.StringValue(r.data.repository)
	}
	if m.RepositoryName.ValueString() == "" {
		diags.AddError("Platform backup was not taken", noRepositoryDetail())
		return nil
	}
	if m.WebappsRepositoryName.IsUnknown() || m.WebappsRepositoryName.ValueString() == "" {
		m.WebappsRepositoryName = m.RepositoryName
	}
	if m.CamundaVersion.IsUnknown() {
		version, err := r.camundaVersion(ctx, *m)
		if err != nil {
			diags.AddError("Platform backup was not taken", capitalize(err.Error())+".")
			return nil
		}
		m.CamundaVersion = types.StringValue(version)
	}
	if !checkPlatformVersion(m.CamundaVersion.ValueString(), m.BackupID.ValueString(), diags) {
		return nil
	}
	svc, err := r.service(m.CamundaVersion.ValueString())
	if err != nil {
		diags.AddError("Platform backup was not taken", capitalize(err.Error())+".")
		return nil
	}
	if m.BackupID.IsUnknown() || m.BackupID.ValueString() == "" {
		now, err := r.data.clusterNow(ctx, diags)
		if err != nil {
			diags.AddError("Platform backup was not taken", "The backup id is the cluster's clock in unix seconds, which could not be read: "+sentence(err)+".")
			return nil
		}
		latest, err := svc.Camunda.LatestZeebeBackupID(ctx)
		if err != nil {
			diags.AddError("Platform backup was not taken", "Reading Zeebe's latest backup id, which the new id must be above: "+platformDetail(err))
			return nil
		}
		m.BackupID = types.StringValue(strconv.FormatInt(max(now.Unix(), latest+1), 10))
	}
	m.ID = m.BackupID
	return svc
}

func (r *platformBackupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan platformBackupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultPlatformCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	svc := r.fillIn(ctx, &plan, &resp.Diagnostics)
	if svc == nil {
		return
	}
	id := plan.BackupID.ValueString()
	breq := plan.request(r.data.indexPrefix, r.data.version)
	created, err := svc.Create(ctx, breq, func(e platform.Event) { logPlatformProgress(ctx, id, e) })
	addWarnings(&resp.Diagnostics, id, created.Optimize.Warnings)
	started := make([]string, len(created.Started))
	for i, c := range created.Started {
		started[i] = string(c)
	}
	tokens, _ := json.Marshal(platformTokens{Optimize: created.Optimize.Token, Records: created.RecordsToken, Created: true, Started: started})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, platformTokensKey, tokens)...)
	plan.ExportingPausedSeconds = types.Float64Value(created.ExportingPaused.Seconds())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Platform backup %s was not taken", id), platformCreateDetail(err, created, id, timeout))
		if len(created.Started) == 0 {
			return // nothing was written: no state
		}
	}
	// Read back what exists, as a refresh would: after a failure the
	// resource is tainted, and the next apply deletes it.
	v, rerr := svc.Read(context.WithoutCancel(ctx), breq, created.Plan.Families())
	if rerr != nil && !errors.Is(rerr, optimize.ErrBackupNotFound) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Platform backup %s could not be read back", id), platformDetail(rerr))
	}
	resp.Diagnostics.Append(plan.setVerdict(ctx, v)...)
	if err == nil && v.State != optimize.StateCompleted {
		resp.Diagnostics.AddError(fmt.Sprintf("Platform backup %s is %s", id, v.State),
			fmt.Sprintf("Every step of platform backup %s succeeded, yet reading it back finds it %s: %s. The next apply replaces it.", id, v.State, v.FailureReason))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPlatformIdentity(ctx, resp.Identity, plan.BackupID)...)
}

func logPlatformProgress(ctx context.Context, id string, e platform.Event) {
	fields := map[string]any{"backup_id": id, "step": e.Step.String()}
	switch {
	case e.Part != nil:
		logPartProgress(ctx, *e.Part)
		return
	case !e.Done:
		tflog.Info(ctx, "Platform backup: step started", fields)
		return
	}
	fields["seconds"] = e.Duration.Seconds()
	if e.Err != nil {
		fields["error"] = e.Err.Error()
		tflog.Warn(ctx, "Platform backup: step failed", fields)
		return
	}
	tflog.Info(ctx, "Platform backup: step done", fields)
}

func (r *platformBackupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state platformBackupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.BackupID.ValueString()
	svc, err := r.service(state.CamundaVersion.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup %s", id), capitalize(err.Error())+".")
		return
	}
	plan, _ := platform.Order(state.CamundaVersion.ValueString())
	v, err := svc.Read(ctx, state.request(r.data.indexPrefix, r.data.version), plan.Families())
	if errors.Is(err, optimize.ErrBackupNotFound) {
		tflog.Warn(ctx, "No component has platform backup "+id+" any more: removing it from the state", map[string]any{"backup_id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read platform backup %s", id), platformDetail(err))
		return
	}
	resp.Diagnostics.Append(state.setVerdict(ctx, v)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setPlatformIdentity(ctx, resp.Identity, state.BackupID)...)
}

func (r *platformBackupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	// Only timeouts change in place.
	var plan platformBackupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *platformBackupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state platformBackupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.BackupID.ValueString()
	svc, err := r.service(state.CamundaVersion.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Platform backup %s was not deleted", id), capitalize(err.Error())+".")
		return
	}
	var tokens platformTokens
	raw, diags := req.Private.GetKey(ctx, platformTokensKey)
	resp.Diagnostics.Append(diags...)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &tokens); err != nil {
			// Without it the provider cannot tell its own snapshots and
			// backups from another writer's: it deletes nothing.
			resp.Diagnostics.AddError(fmt.Sprintf("Platform backup %s was not deleted", id),
				fmt.Sprintf("The private state that names what this backup's create took cannot be read (%s): nothing was deleted. This is a bug of the provider: please report it. "+
					"To delete the backup, import it again (terraform state rm, then terraform import optimize_platform_backup.<name> %s) and destroy it.", err, id))
			return
		}
	}
	owner := optimize.Owner{Token: tokens.Optimize}
	if err := svc.Delete(ctx, state.request(r.data.indexPrefix, r.data.version), owner, tokens.Records, tokens.startedComponents()); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Platform backup %s was not deleted completely", id),
			platformDetail(err)+"\n\nWhat could be deleted is gone; the rest stays in the state, and the next destroy deletes it.")
	}
}

func (r *platformBackupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity platformBackupIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		id = identity.BackupID.ValueString()
	}
	if err := platformIDCheck(id); err != nil {
		resp.Diagnostics.AddError("Invalid platform backup id", capitalize(err.Error())+". Import with: terraform import optimize_platform_backup.<name> <backup id>")
		return
	}
	if !r.data.configured(&resp.Diagnostics) {
		return
	}
	repository := r.data.repository
	pb, err := platform.ReadFamilies(ctx, r.data.service.Cluster, optimize.BackupID(id), func(platform.Component) string { return repository }, nil)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot import platform backup %s", id), platformDetail(err)+
			fmt.Sprintf("\n\nImport reads the backup's snapshots in the provider's repository_name (%q).", repository))
		return
	}
	for name, value := range map[string]string{"id": id, "backup_id": id, "repository_name": repository, "webapps_repository_name": repository,
		"records_index_pattern": platform.DefaultRecordsPattern, "camunda_version": pb.CamundaVersion} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exporting_paused_seconds"), 0.0)...)
	resp.Diagnostics.Append(setPlatformIdentity(ctx, resp.Identity, types.StringValue(id))...)
}

// setPlatformIdentity records the identity where the CLI keeps one
// (Terraform 1.12 and later; older CLIs and OpenTofu send none).
func setPlatformIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	if identity == nil || id.IsUnknown() {
		return nil
	}
	return identity.Set(ctx, platformBackupIdentityModel{BackupID: id})
}
