// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// NewPlatformBackupResource is the factory of optimize_platform_backup.
func NewPlatformBackupResource() resource.Resource { return &platformBackupResource{} }

type platformBackupResource struct {
	data *providerData
}

const (
	defaultPlatformCreateTimeout = time.Hour
	// platformTokensKey is the private state of the create tokens of
	// Optimize's snapshots and of the records snapshot.
	platformTokensKey = "platform_tokens"
)

func (r *platformBackupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_platform_backup"
}

func (r *platformBackupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// service is the whole backup's service for a Camunda version.
func (r *platformBackupResource) service(version string) (*platform.Service, error) {
	client, err := r.data.camundaClient(version)
	if err != nil {
		return nil, err
	}
	return &platform.Service{Camunda: client, Optimize: r.data.service,
		PollInterval: r.data.service.PollInterval, MaxPollInterval: r.data.service.MaxPollInterval}, nil
}

// request is the whole backup the model names (the id 0 while unknown).
func (m platformBackupResourceModel) request(indexPrefix, optimizeVersion string) platform.Request {
	id, _ := strconv.ParseInt(m.BackupID.ValueString(), 10, 64)
	return platform.Request{
		ID: id, Version: m.CamundaVersion.ValueString(),
		Repository: m.RepositoryName.ValueString(), WebappsRepository: m.WebappsRepositoryName.ValueString(),
		IndexPrefix: indexPrefix, OptimizeVersion: optimizeVersion, RecordsPattern: m.RecordsIndexPattern.ValueString(),
	}
}

// camundaVersion is the version of the whole backup: the resource's, else
// the provider's camunda.version, else the newest in the exported records'
// index names. An empty version with no error: none found.
func (r *platformBackupResource) camundaVersion(ctx context.Context, m platformBackupResourceModel) (string, error) {
	if v := m.CamundaVersion.ValueString(); v != "" {
		return v, nil
	}
	if r.data.camunda != nil && r.data.camunda.Version != "" {
		return r.data.camunda.Version, nil
	}
	pattern := m.RecordsIndexPattern.ValueString()
	if pattern == "" {
		pattern = platform.DefaultRecordsPattern
	}
	indices, err := r.data.service.Cluster.Indices(ctx, pattern)
	if err != nil {
		return "", fmt.Errorf("reading Camunda's version from the names of the exported records' indices (%s): %w", pattern, err)
	}
	if v := platform.RecordsVersion(indices); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("the Camunda version is unknown: camunda_version is not set, nor the provider's camunda.version, and no index of %s carries a version in its name "+
		"(zeebe-record_<type>_<X.Y.Z>_<date>): set camunda_version to your Camunda's version, such as 8.8.0", pattern)
}

// checkVersion refuses a version before 8.6 and warns of one newer than
// the provider verified. It reports false after adding an error.
func checkPlatformVersion(version, id string, diags *diag.Diagnostics) bool {
	if _, err := platform.Order(version); err != nil {
		diags.AddAttributeError(path.Root("camunda_version"), "Unsupported Camunda version", capitalize(err.Error())+".")
		return false
	}
	if platform.Unverified(version) {
		diags.AddWarning(fmt.Sprintf("Camunda %s is newer than this provider has verified", version),
			fmt.Sprintf("Platform backup %s is taken in the order Camunda documents for %s, the newest the provider was tested against, through the same APIs. "+
				"Check Camunda's backup guide of your version for a changed order before you rely on it, and upgrade the provider when a release covers it.", id, platform.NewestVerified))
	}
	return true
}

func (r *platformBackupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.service == nil {
		return // a destroy, or nothing known yet
	}
	var plan platformBackupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.data.planRepository(ctx, &plan.RepositoryName, "Cannot plan the platform backup", &resp.Diagnostics) {
		return
	}
	if !req.State.Raw.IsNull() {
		var prior, config platformBackupResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
		if resp.Diagnostics.HasError() {
			return
		}
		planPriorPlatformBackup(&plan, prior, config.BackupID.IsNull(), resp)
	} else if !r.planNewPlatformBackup(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planNewPlatformBackup fills in what a new whole backup takes and checks,
// with read requests only, what can be checked now: the version, the
// Camunda configuration, the id against every component.
func (r *platformBackupResource) planNewPlatformBackup(ctx context.Context, plan *platformBackupResourceModel, diags *diag.Diagnostics) bool {
	if plan.WebappsRepositoryName.IsUnknown() && !plan.RepositoryName.IsUnknown() {
		plan.WebappsRepositoryName = plan.RepositoryName
	}
	id := plan.BackupID.ValueString()
	if plan.CamundaVersion.IsUnknown() {
		version, err := r.camundaVersion(ctx, *plan)
		if err != nil {
			tflog.Debug(ctx, "Camunda's version is not known at plan time; it is read again at apply", map[string]any{"error": err.Error()})
			return true
		}
		plan.CamundaVersion = types.StringValue(version)
	}
	if !checkPlatformVersion(plan.CamundaVersion.ValueString(), id, diags) {
		return false
	}
	svc, err := r.service(plan.CamundaVersion.ValueString())
	if err != nil {
		diags.AddError("Cannot take a platform backup", capitalize(err.Error())+".")
		return false
	}
	if plan.BackupID.IsUnknown() || plan.RepositoryName.IsUnknown() {
		return true
	}
	_, notAbove, exists, err := svc.Refusals(ctx, plan.request(r.data.indexPrefix, r.data.version))
	switch {
	case err != nil:
		diags.AddError(fmt.Sprintf("Platform backup %s cannot be checked", id), platformDetail(err)+
			"\n\nThe plan reads every component to refuse an id that cannot be taken before anything is written, and stops when it cannot: nothing was written.")
		return false
	case exists != nil:
		// Perhaps this resource's own backup, recorded tainted after a
		// create that failed: Terraform plans its replacement as a create,
		// and an error here would stop even terraform destroy. The apply
		// refuses it before any write.
		diags.AddAttributeWarning(path.Root("backup_id"), fmt.Sprintf("Platform backup %s exists in part and cannot be taken again", id),
			errorDetail(exists)+"\n\nIf it is this resource's own backup from a create that failed (tainted), the apply deletes it and then refuses to take the same id again. "+
				"Set a new backup_id, or remove backup_id so that the provider chooses one.")
	case notAbove != nil:
		diags.AddAttributeError(path.Root("backup_id"), fmt.Sprintf("Platform backup %s cannot be taken", id), errorDetail(notAbove))
		return false
	}
	return true
}

// planPriorPlatformBackup plans the backup of the state: one that is broken
// is replaced when the provider chooses its id (a new one), and otherwise
// stays, with a warning: Zeebe takes no backup of the same id again.
func planPriorPlatformBackup(plan *platformBackupResourceModel, prior platformBackupResourceModel, idFromProvider bool, resp *resource.ModifyPlanResponse) {
	s := optimize.State(prior.State.ValueString())
	if prior.State.IsNull() || s.Healthy() {
		return
	}
	id := prior.BackupID.ValueString()
	if !idFromProvider {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Platform backup %s is %s and cannot be taken again with this id", id, s),
			fmt.Sprintf("Refreshing platform backup %s found it %s: %s\n\nIt is not a restore point. It is not replaced: Zeebe takes no backup of an id it took before, even after a delete. "+
				"Set backup_id to a new id (the unix seconds now, such as %d), or remove backup_id so the provider chooses one: the plan then replaces it, deleting backup %s of every component.",
				id, s, prior.FailureReason.ValueString(), time.Now().Unix(), id))
		return
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("Platform backup %s is %s and will be replaced", id, s),
		fmt.Sprintf("Refreshing platform backup %s found it %s: %s\n\nIt is not a restore point. The plan replaces it with a new platform backup of a new id: "+
			"backup %s of every component is deleted, then the new one is taken.", id, s, prior.FailureReason.ValueString(), id))
	plan.setUnknown()
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("state"))
}

var (
	_ resource.ResourceWithConfigure   = (*platformBackupResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*platformBackupResource)(nil)
	_ resource.ResourceWithImportState = (*platformBackupResource)(nil)
	_ resource.ResourceWithIdentity    = (*platformBackupResource)(nil)
)
