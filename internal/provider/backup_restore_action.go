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
	TargetIndexPrefix     types.String   `tfsdk:"target_index_prefix"`
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
			"target_index_prefix": schema.StringAttribute{
				MarkdownDescription: "Restore the backup as the installation with this index prefix instead of the provider's `index_prefix` " +
					"(refreshing staging from production). The backup's indices `<index_prefix>-<name>` come back as `<target_index_prefix>-<name>` " +
					"(the engine's `rename_pattern`/`rename_replacement`), without the snapshot's aliases (they are the source installation's), " +
					"and then every alias Optimize gives them is created for the target in one `POST /_aliases`: `<target>-<name>` as write alias " +
					"(of the newest generation for rollover indices), and the read-only `<target>-process-instance` and `<target>-decision-instance` " +
					"over the instance indices. The metadata index comes back as it is. The target's indices are the ones checked and, with " +
					"`delete_existing_indices = true`, deleted; the version checked is that of the target's Optimize (`optimize_version`, else the " +
					"target's metadata index); the source installation is never written to. Refused when the prefix overlaps the source's " +
					"(one under the other's `<prefix>-`) or another installation on the cluster, and for a backup with event-based process " +
					"instance indices (Optimize 3.x), whose aliases cannot be recreated. Equal to `index_prefix`: a normal restore.",
				Optional:   true,
				Validators: []validator.String{indexPrefixValidator()},
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (a *backupRestoreAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan previews the restore at plan time: every check the restore
// runs, with read requests only (a restore with no repository to read, a
// backup that does not exist, one that would be refused, fail the plan),
// and what the invoke would do: the indices it would delete and the
// indices each part restores.
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
		return
	}
	if cfg.BackupID.IsUnknown() || cfg.RepositoryName.IsUnknown() || cfg.OptimizeVersion.IsUnknown() || cfg.DeleteExistingIndices.IsUnknown() || cfg.TargetIndexPrefix.IsUnknown() ||
		a.data.service == nil || !a.data.reachable(ctx, "Cannot preview the restore", &resp.Diagnostics) {
		return // known only at apply: the invoke runs every check then
	}
	id := cfg.BackupID.ValueString()
	preview, err := a.data.service.PreviewRestore(ctx, a.restoreRequest(cfg, nil, nil))
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Backup %q would not be restored", id),
			diagnosis{operation: "invoke"}.detail(err)+"\n\nThe plan ran the restore's checks with read requests only: nothing was changed.")
		return
	}
	onto := indexPrefixOr(a.data.indexPrefix)
	if preview.Target != "" {
		onto = preview.Target
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("Restore preview: backup %q onto the installation with index prefix %q", id, onto), restorePreviewText(preview, cfg.DeleteExistingIndices.ValueBool()))
}

// restorePreviewText says what the invoke would do.
func restorePreviewText(p optimize.RestorePreview, deleting bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The checks passed (read requests only, nothing was changed). Backup %s of Optimize %s (snapshots %s) would be restored. "+
		"Stop Optimize before the invoke: restoring onto a running Optimize corrupts it.\n", p.Backup.ID, p.Version, strings.Join(p.Backup.SnapshotNames(), ", "))
	switch {
	case len(p.Delete) > 0:
		fmt.Fprintf(&b, "\nDeleted first (delete_existing_indices = true), %d indices of the installation: %s\n", len(p.Delete), strings.Join(p.Delete, ", "))
	case deleting:
		b.WriteString("\nNo index of the installation exists: nothing would be deleted.\n")
	}
	if p.Target != "" {
		writeTargetPreview(&b, p)
	} else {
		for i, part := range p.Parts {
			fmt.Fprintf(&b, "\nPart %d restores %d indices, with their aliases: %s\n", i+1, len(part), strings.Join(part, ", "))
		}
	}
	if len(p.Skipped) > 0 {
		fmt.Fprintf(&b, "\nNot restored (not the installation's): %s\n", strings.Join(p.Skipped, ", "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// writeTargetPreview says, for a restore into another installation, the
// target, each part's renames, and the aliases created for the target.
func writeTargetPreview(b *strings.Builder, p optimize.RestorePreview) {
	fmt.Fprintf(b, "\nRestored as the installation with index prefix %q (target_index_prefix), renamed, without the snapshots' aliases; "+
		"the source installation is not written to.\n", p.Target)
	to := map[string]string{}
	for _, r := range p.Renames {
		to[r.From] = r.To
	}
	for i, part := range p.Parts {
		renames := make([]string, len(part))
		for j, index := range part {
			renames[j] = index + " -> " + to[index]
		}
		fmt.Fprintf(b, "\nPart %d restores %d indices: %s\n", i+1, len(part), strings.Join(renames, ", "))
	}
	aliases := make([]string, len(p.Aliases))
	for i, a := range p.Aliases {
		aliases[i] = a.Alias + " on " + a.Index
		if a.WriteIndex {
			aliases[i] += " (write index)"
		}
	}
	fmt.Fprintf(b, "\nThen %d aliases are created for the target (one POST /_aliases): %s\n", len(p.Aliases), strings.Join(aliases, ", "))
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
	progress := &actionProgress{stop: stop, resp: resp}
	restoreReq := a.restoreRequest(cfg, progress.send, stop.Done())
	result, err := a.data.service.Restore(ctx, restoreReq)
	if stop.Stopped() {
		addInterruptedRestore(&resp.Diagnostics, id, result, err, progress.afterStop)
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

// restoreRequest is the restore the configuration asks for.
func (a *backupRestoreAction) restoreRequest(cfg backupRestoreModel, progress func(string), stop <-chan struct{}) optimize.RestoreRequest {
	return optimize.RestoreRequest{
		ID:                    optimize.BackupID(cfg.BackupID.ValueString()),
		Repository:            stringOr(cfg.RepositoryName, a.data.repository),
		Version:               stringOr(cfg.OptimizeVersion, a.data.version),
		IndexPrefix:           a.data.indexPrefix,
		DeleteExistingIndices: cfg.DeleteExistingIndices.ValueBool(),
		TargetIndexPrefix:     cfg.TargetIndexPrefix.ValueString(),
		Progress:              progress,
		Stop:                  stop,
	}
}

// addInterruptedRestore reports a restore that Terraform was asked to stop
// (Ctrl-C): always as an error, so that the run ends with a non-zero exit,
// saying what was restored, what was not, and how to finish.
func addInterruptedRestore(diags *diag.Diagnostics, id string, result optimize.RestoreResult, err error, afterStop []string) {
	var b strings.Builder
	b.WriteString(afterStopText(afterStop))
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
