// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// NewBackupVerifyAction is the factory of optimize_backup_verify.
func NewBackupVerifyAction() action.Action { return &backupVerifyAction{} }

type backupVerifyAction struct {
	data *providerData
}

type backupVerifyModel struct {
	BackupID       types.String   `tfsdk:"backup_id"`
	RepositoryName types.String   `tfsdk:"repository_name"`
	ScratchPrefix  types.String   `tfsdk:"scratch_prefix"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (a *backupVerifyAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_verify"
}

func (a *backupVerifyAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A restore drill: proves, on the live cluster and without touching the installation, that a backup restores. " +
			"Before any write: the backup is `COMPLETED`, no index exists under the scratch prefix, and the nodes have room for a copy " +
			"(the snapshots' size against the nodes' free disk below the engine's high disk watermark; otherwise it refuses, naming both figures). " +
			"Then both parts are restored under the scratch prefix (`drill-<backup_id>-` by default: `optimize-report_v8` comes back as `drill-<backup_id>-optimize-report_v8`, " +
			"which no Optimize reads and no backup of an installation takes), without aliases, global state or replicas, each waited for; and checked: every index of the snapshots came back, " +
			"none is red, the restored metadata index says the backup's Optimize version. Each index's documents are reported beside the live installation's. " +
			"The drill deletes exactly the indices it restored, by name, on success, on failure, on timeout and on Ctrl-C (the restore the engine is carrying out is waited for first); " +
			"when deleting fails, the error names them and gives the request that deletes them.\n\n" +
			"Invoke it with `terraform apply -invoke=action.optimize_backup_verify.<name>` (Terraform 1.14 or later).",
		Attributes: map[string]schema.Attribute{
			"backup_id": schema.StringAttribute{
				MarkdownDescription: "Id of the backup to drill.",
				Required:            true,
				Validators:          []validator.String{backupIDValidator()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository holding the backup. Defaults to the provider's `repository_name`.",
				Optional:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"scratch_prefix": schema.StringAttribute{
				MarkdownDescription: "Prefix of the restored copies. Default `drill-<backup_id>-`. It must not put the copies under the installation's `<index_prefix>-`.",
				Optional:            true,
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (a *backupVerifyAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses at plan time what the drill would refuse before
// reading the cluster: no repository, a scratch prefix under the
// installation's.
func (a *backupVerifyAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil || !a.data.known {
		return
	}
	var cfg backupVerifyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.RepositoryName.IsNull() && a.data.repository == "" {
		addNoRepositoryPlanError(&resp.Diagnostics)
	}
	if p := cfg.ScratchPrefix.ValueString(); p != "" {
		if err := optimize.ValidateDrillPrefix(p, indexPrefixOr(a.data.indexPrefix)); err != nil {
			resp.Diagnostics.AddError("Invalid scratch prefix", capitalize(err.Error())+".")
		}
	}
	if resp.Diagnostics.HasError() || cfg.BackupID.IsUnknown() || cfg.RepositoryName.IsUnknown() || cfg.ScratchPrefix.IsUnknown() ||
		a.data.cluster == nil || !a.data.reachable(ctx, "Cannot preview the drill", &resp.Diagnostics) {
		return
	}
	// The preview: the drill's checks, read requests only.
	id := cfg.BackupID.ValueString()
	plan, err := optimize.PreviewDrill(ctx, a.data.cluster, a.drillRequest(cfg, nil, nil))
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Backup %q would not be drilled", id), diagnosis{operation: "invoke"}.detail(err)+
			"\n\nThe plan ran the drill's checks with read requests only: nothing was written.")
		return
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("Drill preview: backup %q", id), fmt.Sprintf(
		"The checks passed (read requests only, nothing was written). The invoke restores the %d indices of backup %s (%s) under %s, "+
			"with %s free below the high disk watermark (%s), checks them, and deletes them again: %s",
		len(plan.Scratch), id, strings.Join(plan.Backup.SnapshotNames(), ", "), plan.Prefix, optimize.BytesText(plan.Room), plan.Watermark, strings.Join(plan.Scratch, ", ")))
}

// drillRequest is the drill the configuration asks for.
func (a *backupVerifyAction) drillRequest(cfg backupVerifyModel, progress func(string), stop <-chan struct{}) optimize.DrillRequest {
	return optimize.DrillRequest{
		ID: optimize.BackupID(cfg.BackupID.ValueString()), Repository: stringOr(cfg.RepositoryName, a.data.repository),
		IndexPrefix: a.data.indexPrefix, Prefix: cfg.ScratchPrefix.ValueString(), Progress: progress, Stop: stop,
	}
}

func indexPrefixOr(p string) string {
	if p == "" {
		return optimize.DefaultIndexPrefix
	}
	return p
}

func (a *backupVerifyAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg backupVerifyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !a.data.configured(&resp.Diagnostics) {
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
	stop := a.data.stop
	progress := &actionProgress{stop: stop, resp: resp}
	result, err := optimize.Drill(ctx, a.data.cluster, a.drillRequest(cfg, progress.send, stop.Done()))
	table := drillTable(result)
	switch {
	case stop.Stopped():
		addInterruptedDrill(&resp.Diagnostics, id, result, err, progress.afterStop)
	case err != nil:
		summary := fmt.Sprintf("The drill of backup %q failed", id)
		if errors.As(err, new(*optimize.DrillRefusedError)) {
			summary = fmt.Sprintf("Backup %q was not drilled", id)
		}
		detail := diagnosis{operation: "invoke", timeout: timeout}.detail(err)
		if table != "" {
			detail += "\n\n" + table
		}
		resp.Diagnostics.AddError(summary, detail)
	default:
		progress.send(fmt.Sprintf("backup %s restores: %d indices of Optimize %s came back in %.1f s, and were deleted again\n%s",
			id, len(result.Indices), result.Version, result.Duration.Seconds(), table))
	}
}

// drillTable is the drill's result: index, documents in the backup,
// documents live.
func drillTable(r optimize.DrillResult) string {
	if len(r.Indices) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("part | index | documents in the backup | documents live\n")
	for _, ix := range r.Indices {
		live := fmt.Sprint(ix.DocsLive)
		if ix.DocsLive < 0 {
			live = "(no live index)"
		}
		fmt.Fprintf(&b, "%d | %s | %d | %s\n", ix.Part, ix.Index, ix.DocsBackup, live)
	}
	return strings.TrimRight(b.String(), "\n")
}

// addInterruptedDrill reports a drill Terraform was asked to stop: an
// error, saying what was deleted.
func addInterruptedDrill(diags *diag.Diagnostics, id string, result optimize.DrillResult, err error, afterStop []string) {
	var b strings.Builder
	b.WriteString(afterStopText(afterStop))
	var leftover *optimize.DrillLeftoverError
	switch {
	case errors.As(err, &leftover):
		b.WriteString(sentence(err) + ".")
	case len(result.Deleted) > 0:
		fmt.Fprintf(&b, "The drill stopped; the %d scratch indices it had restored were deleted: %s.", len(result.Deleted), strings.Join(result.Deleted, ", "))
	default:
		b.WriteString("The drill stopped before any scratch index existed: nothing was left.")
	}
	diags.AddError(fmt.Sprintf("The drill of backup %q was interrupted", id), b.String())
}

var (
	_ action.ActionWithConfigure  = (*backupVerifyAction)(nil)
	_ action.ActionWithModifyPlan = (*backupVerifyAction)(nil)
)
