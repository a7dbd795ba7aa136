// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// NewBackupStateDataSource is the factory of optimize_backup_state.
func NewBackupStateDataSource() datasource.DataSource { return &backupStateDataSource{} }

type backupStateDataSource struct {
	data *providerData
}

type backupStateModel struct {
	BackupID        types.String `tfsdk:"backup_id"`
	RepositoryName  types.String `tfsdk:"repository_name"`
	OptimizeVersion types.String `tfsdk:"optimize_version"`
	Parts           types.List   `tfsdk:"parts"`
	Unclassified    types.List   `tfsdk:"unclassified_indices"`
	backupOutputsModel
}

func (d *backupStateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_state"
}

func (d *backupStateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"backup_id": schema.StringAttribute{
			MarkdownDescription: "Optimize backup id to read: any id that a covered Optimize version (" + optimize.CoveredVersions() + ") takes, such as `1764633600` for 8.x or `pre-upgrade-3-10` for 3.9; the backup's own version decides, so backups taken before an upgrade stay readable.",
			Required:            true,
			Validators:          []validator.String{backupIDValidator()},
		},
		"repository_name": schema.StringAttribute{
			MarkdownDescription: "Snapshot repository of the backup. Defaults to the provider's `repository_name`.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{repositoryNameValidator()},
		},
		"optimize_version": schema.StringAttribute{
			MarkdownDescription: "Optimize version the backup was taken for (`X.Y.Z`, from the snapshot names). A restore needs the same version of Optimize.",
			Computed:            true,
		},
		"parts":                dataSourceKit.partsAttribute(),
		"unclassified_indices": dataSourceKit.list(unclassifiedIndicesDescription, types.StringType),
	}
	for _, a := range append(backupStatus, backupSnapshots) {
		attrs[a.name] = dataSourceKit.attribute(a)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The aggregated state of an Optimize backup, read with one Elasticsearch request: for other modules, and for gates such as a `check` block or a `lifecycle.postcondition` that hold an Optimize upgrade until `state == \"COMPLETED\"`. A backup that does not exist is an error.\n\n" +
			"`snapshots` names the backup's snapshots and `parts` holds the per-part detail (each snapshot's state, times, indices, shards and failures); the `optimize_backup` resource keeps neither in its state.",
		Attributes: attrs,
	}
}

func (d *backupStateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *backupStateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupStateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.data.configured(&resp.Diagnostics) {
		return
	}
	repository := stringOr(cfg.RepositoryName, d.data.repository)
	id := cfg.BackupID.ValueString()
	if repository == "" {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read backup %q", id), noRepositoryDetail())
		return
	}
	backup, err := d.data.service.Get(ctx, repository, optimize.BackupID(id))
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read backup %q", id), diagnosis{operation: "read"}.detail(err))
		return
	}
	parts, diags := newParts(backup)
	resp.Diagnostics.Append(diags...)
	cfg.backupOutputsModel = newBackupOutputs(backup)
	cfg.Parts = parts
	cfg.Unclassified = stringList(backup.UnclassifiedIndices(d.data.indexPrefix))
	cfg.RepositoryName = types.StringValue(repository)
	cfg.OptimizeVersion = types.StringValue(backup.Version)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

var _ datasource.DataSourceWithConfigure = (*backupStateDataSource)(nil)
