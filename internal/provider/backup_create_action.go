// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// NewBackupCreateAction is the factory of optimize_backup_create.
func NewBackupCreateAction() action.Action { return &backupCreateAction{} }

type backupCreateAction struct {
	data *providerData
}

type backupCreateModel struct {
	BackupID        types.String   `tfsdk:"backup_id"`
	RepositoryName  types.String   `tfsdk:"repository_name"`
	OptimizeVersion types.String   `tfsdk:"optimize_version"`
	PolicyName      types.String   `tfsdk:"policy_name"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

func (a *backupCreateAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_create"
}

func (a *backupCreateAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Takes an Optimize backup now, as `optimize_backup` takes one (part 1, then part 2 once part 1 succeeded; the same repository, version and id rules), " +
			"waits for it with progress per part, and fails when it is not `COMPLETED`: with an `action_trigger` on `before_update` of the resource that carries Optimize's version, " +
			"an upgrade never starts without a `COMPLETED` backup (guide \"A backup before every upgrade\").\n\n" +
			"The backup is data, not managed by the action: adopt it with `terraform import` (or an `import` block, or `terraform query`) as `optimize_backup`, " +
			"or leave it to a policy's retention with `policy_name`. When it fails, what it took stays and the error names it.\n\n" +
			"Invoke it with `terraform apply -invoke=action.optimize_backup_create.<name>`, or from an `action_trigger` (Terraform 1.14 or later; `before_destroy` and `on_failure` need 1.16).",
		Attributes: map[string]schema.Attribute{
			"backup_id": schema.StringAttribute{
				MarkdownDescription: "Id of the backup. Default: the cluster's clock in unix seconds at the invoke (a numeric id, as every Optimize since 3.10 takes).",
				Optional:            true,
				Validators:          []validator.String{backupIDValidator()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository. Defaults to the provider's `repository_name`.",
				Optional:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"optimize_version": schema.StringAttribute{
				MarkdownDescription: "Optimize's version. Defaults to the provider's `optimize_version`, else the `schemaVersion` of Optimize's metadata index.",
				Optional:            true,
				Validators:          []validator.String{versionValidator()},
			},
			"policy_name": schema.StringAttribute{
				MarkdownDescription: "Marks the backup as taken by the `optimize_backup_policy` of this name (in the snapshots' metadata), so that the policy's retention counts and expires it as its own.",
				Optional:            true,
				Validators:          []validator.String{stringCheck{summary: "Invalid policy name", description: "lowercase letters, digits and -", check: optimize.ValidatePolicyName}},
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (a *backupCreateAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses at plan time a backup with no repository, and an id
// the configured version refuses.
func (a *backupCreateAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil || !a.data.known {
		return
	}
	var cfg backupCreateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.RepositoryName.IsNull() && a.data.repository == "" {
		addNoRepositoryPlanError(&resp.Diagnostics)
		return
	}
	version := stringOr(cfg.OptimizeVersion, a.data.version)
	if id := cfg.BackupID.ValueString(); id != "" && version != "" && !cfg.OptimizeVersion.IsUnknown() {
		if err := optimize.ValidateBackupIDFor(id, version); err != nil {
			resp.Diagnostics.AddError("Invalid backup id", errorDetail(err))
		}
	}
}

func (a *backupCreateAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg backupCreateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !a.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := cfg.Timeouts.Invoke(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Ctrl-C ends the wait: what was started is named in the error.
	stop := a.data.stop
	go func() {
		select {
		case <-stop.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	id := cfg.BackupID.ValueString()
	if id == "" {
		now, err := a.data.clusterNow(ctx, &resp.Diagnostics)
		if err != nil {
			resp.Diagnostics.AddError("Backup was not taken", "The backup id is the cluster's clock in unix seconds, which could not be read: "+sentence(err)+". Set backup_id, or check the cluster.")
			return
		}
		id = strconv.FormatInt(now.Unix(), 10)
	}
	progress := &actionProgress{stop: stop, resp: resp}
	repository := stringOr(cfg.RepositoryName, a.data.repository)
	backup, err := a.data.service.Create(ctx, optimize.CreateRequest{
		ID: optimize.BackupID(id), Repository: repository, Version: stringOr(cfg.OptimizeVersion, a.data.version),
		IndexPrefix: a.data.indexPrefix, WaitForCompletion: true, Policy: cfg.PolicyName.ValueString(),
		Progress: func(p optimize.PartProgress) { progress.send(partProgressText(p)) },
	})
	addWarnings(&resp.Diagnostics, id, backup.Warnings)
	switch {
	case err != nil:
		detail := diagnosis{operation: "create", timeout: timeout}.detail(err)
		if stop.Stopped() {
			detail = afterStopText(progress.afterStop) + "Terraform was interrupted (Ctrl-C) while the backup was taken. " + detail
		}
		if names := backup.SnapshotNames(); len(names) > 0 {
			detail += fmt.Sprintf("\n\nWhat it took stays in repository %q: %s. It is not a COMPLETED backup: delete it (DELETE /_snapshot/%s/%s), "+
				"or adopt it with terraform import optimize_backup.<name> %s and let a destroy delete it.", repository, strings.Join(names, ", "),
				optimize.PathEscape(repository), strings.Join(names, ","), id)
		}
		resp.Diagnostics.AddError(fmt.Sprintf("Backup %q was not taken", id), detail)
	case backup.State != optimize.StateCompleted:
		resp.Diagnostics.AddError(fmt.Sprintf("Backup %q is %s", id, backup.State),
			fmt.Sprintf("Backup %q in repository %q ended %s: %s. It is not a restore point; its snapshots (%s) stay until deleted.",
				id, repository, backup.State, backup.FailureReason, strings.Join(backup.SnapshotNames(), ", ")))
	default:
		progress.send(fmt.Sprintf("backup %s of Optimize %s is COMPLETED (snapshots %s); adopt it with terraform import optimize_backup.<name> %s",
			id, backup.Version, strings.Join(backup.SnapshotNames(), ", "), id))
	}
}

// partProgressText says a part's progress as the resource logs it.
func partProgressText(p optimize.PartProgress) string {
	if !p.Done {
		return fmt.Sprintf("part %d of %d: snapshot %s of %d indices started", p.Part, optimize.PartCount, p.Snapshot, p.Indices)
	}
	if p.Err != nil {
		return fmt.Sprintf("part %d of %d: snapshot %s failed after %.1f s: %v", p.Part, optimize.PartCount, p.Snapshot, p.Duration.Seconds(), p.Err)
	}
	return fmt.Sprintf("part %d of %d: snapshot %s %s in %.1f s", p.Part, optimize.PartCount, p.Snapshot, p.State, p.Duration.Seconds())
}

var (
	_ action.ActionWithConfigure  = (*backupCreateAction)(nil)
	_ action.ActionWithModifyPlan = (*backupCreateAction)(nil)
)
