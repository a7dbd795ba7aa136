// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// defaultRestoreTimeout bounds one invocation of optimize_backup_restore.
const defaultRestoreTimeout = 60 * time.Minute

// NewBackupRestoreAction is the factory of optimize_backup_restore.
func NewBackupRestoreAction() action.Action { return &backupRestoreAction{} }

type backupRestoreAction struct {
	data *providerData
}

type backupRestoreModel struct {
	BackupID              types.String   `tfsdk:"backup_id"`
	RepositoryName        types.String   `tfsdk:"repository_name"`
	OptimizeVersion       types.String   `tfsdk:"optimize_version"`
	DeleteExistingIndices types.Bool     `tfsdk:"delete_existing_indices"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

func (a *backupRestoreAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_restore"
}

func (a *backupRestoreAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "**Restoring onto a running Optimize corrupts it.** Elasticsearch cannot tell whether Optimize runs: stop Optimize " +
			"(scale it to zero) before invoking this action, and start it once the action has finished.\n\n" +
			"Restores an Optimize backup (its two snapshots) onto the installation with the provider's `index_prefix`, " +
			"the way Optimize's documented restore procedure does, with every check first: the backup exists and is `COMPLETED`; " +
			"its version equals `optimize_version`; no index of the installation exists (or, with `delete_existing_indices = true`, " +
			"exactly the installation's indices are deleted, never another installation's or application's). " +
			"Then part 1 (the import-progress indices) and part 2 (every other index) are restored one after the other, each waited for, " +
			"with their aliases and without the cluster's global state. Progress is reported as it happens.\n\n" +
			"Invoke it with `terraform apply -invoke=action.optimize_backup_restore.<name>` (Terraform 1.14 or later).",
		Attributes: map[string]schema.Attribute{
			"backup_id": schema.StringAttribute{
				MarkdownDescription: "Id of the backup to restore.",
				Required:            true,
				Validators:          []validator.String{backupIDValidator()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository holding the backup. Defaults to the provider's `repository_name`.",
				Optional:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"optimize_version": schema.StringAttribute{
				MarkdownDescription: "Version of the Optimize that will read the restored data; the backup's version must equal it " +
					"(`8.6.0-SNAPSHOT` is `8.6.0`). Defaults to the provider's `optimize_version`, else the `schemaVersion` in the " +
					"installation's metadata index if that index still exists; when none of them is known the restore is refused.",
				Optional:   true,
				Validators: []validator.String{versionValidator()},
			},
			"delete_existing_indices": schema.BoolAttribute{
				MarkdownDescription: "Delete the installation's existing indices (exactly those a backup of this `index_prefix` holds, " +
					"each named in the progress messages) before restoring. When `false` (the default), existing indices make the restore refuse, listing them.",
				Optional: true,
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (a *backupRestoreAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses at plan time a restore with no repository to read.
func (a *backupRestoreAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil || !a.data.known {
		return
	}
	var cfg backupRestoreModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.RepositoryName.IsNull() && a.data.repository == "" {
		addNoRepositoryPlanError(&resp.Diagnostics)
	}
}

func (a *backupRestoreAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg backupRestoreModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !a.data.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := cfg.Timeouts.Invoke(ctx, defaultRestoreTimeout)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := cfg.BackupID.ValueString()
	// After Ctrl-C, Terraform takes no progress event: what happens then
	// goes into the final diagnostic (server.go).
	stop := a.data.stop
	var afterStop []string
	restoreReq := optimize.RestoreRequest{
		ID:                    optimize.BackupID(id),
		Repository:            stringOr(cfg.RepositoryName, a.data.repository),
		Version:               stringOr(cfg.OptimizeVersion, a.data.version),
		IndexPrefix:           a.data.indexPrefix,
		DeleteExistingIndices: cfg.DeleteExistingIndices.ValueBool(),
		Progress: func(message string) {
			switch {
			case stop.Stopped():
				afterStop = append(afterStop, message)
			case resp.SendProgress != nil:
				resp.SendProgress(action.InvokeProgressEvent{Message: message})
			}
		},
		Stop: stop.Done(),
	}
	result, err := a.data.service.Restore(ctx, restoreReq)
	if stop.Stopped() {
		addInterruptedRestore(&resp.Diagnostics, id, result, err, afterStop)
		return
	}
	if err != nil {
		summary := fmt.Sprintf("Restoring backup %q failed", id)
		if errors.As(err, new(*optimize.RestoreRefusedError)) {
			summary = fmt.Sprintf("Backup %q was not restored", id)
		}
		resp.Diagnostics.AddError(summary, diagnosis{operation: "invoke", timeout: timeout}.detail(err))
		return
	}
	count := 0
	for _, p := range result.Parts {
		count += len(p.Indices)
	}
	restoreReq.Progress(fmt.Sprintf("backup %s restored: %d indices of Optimize %s with their aliases; start Optimize %s now",
		id, count, result.Version, result.Version))
}

// addInterruptedRestore reports a restore that Terraform was asked to stop
// (Ctrl-C): always as an error, so that the run ends with a non-zero exit,
// saying what was restored, what was not, and how to finish.
func addInterruptedRestore(diags *diag.Diagnostics, id string, result optimize.RestoreResult, err error, afterStop []string) {
	var b strings.Builder
	if len(afterStop) > 0 {
		b.WriteString("After the interrupt:\n- " + strings.Join(afterStop, "\n- ") + "\n\n")
	}
	var refused *optimize.RestoreRefusedError
	switch {
	case err == nil:
		fmt.Fprintf(&b, "Elasticsearch was already restoring the last part when Terraform was interrupted, so the provider waited for it: backup %q is restored in full (%d parts). "+
			"Start Optimize %s now.", id, len(result.Parts), result.Version)
		diags.AddError(fmt.Sprintf("Restore of backup %q interrupted, after it finished", id), b.String())
		return
	case errors.As(err, &refused):
		b.WriteString(restoreRefusedDetail(refused) + ".")
	default:
		b.WriteString(sentence(err))
	}
	diags.AddError(fmt.Sprintf("Restore of backup %q interrupted", id), b.String())
}

var (
	_ action.ActionWithConfigure  = (*backupRestoreAction)(nil)
	_ action.ActionWithModifyPlan = (*backupRestoreAction)(nil)
)
