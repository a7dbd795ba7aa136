// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewBackupListResource is the factory of the optimize_backup list resource
// (`terraform query`, Terraform 1.14+).
func NewBackupListResource() list.ListResource { return &backupListResource{} }

type backupListResource struct {
	data *providerData
}

type backupListConfigModel struct {
	RepositoryName  types.String `tfsdk:"repository_name"`
	State           types.String `tfsdk:"state"`
	OptimizeVersion types.String `tfsdk:"optimize_version"`
}

func (l *backupListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup"
}

func (l *backupListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds every Optimize backup of a snapshot repository with one Elasticsearch request, for `terraform query` (Terraform 1.14+): " +
			"each result carries the backup's identity (`repository_name`, `backup_id`) and a display name with its id, Optimize version and state. " +
			"`terraform query -generate-config-out=adopted.tf` writes an `import` block and an `optimize_backup` resource for each, so that `terraform apply` adopts them.\n\n" +
			"Terraform shows at most the list block's `limit` results (100 when unset), newest first; when more backups match, a warning says how many, and `limit = <n>` in the `list` block shows them all.",
		Attributes: map[string]schema.Attribute{
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository to search. Defaults to the provider's `repository_name`.",
				Optional:            true,
				Validators:          []validator.String{repositoryNameValidator()},
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "Only backups in this state: `COMPLETED`, `IN_PROGRESS`, `FAILED`, `INCOMPATIBLE` or `INCOMPLETE`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(stateNames()...)},
			},
			"optimize_version": schema.StringAttribute{
				MarkdownDescription: "Only backups taken for this Optimize version (`8.6.0-SNAPSHOT` matches `8.6.0`).",
				Optional:            true,
				Validators:          []validator.String{versionValidator()},
			},
		},
	}
}

func (l *backupListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *backupListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg backupListConfigModel
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, &cfg)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if !l.data.configured(&diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	repository := stringOr(cfg.RepositoryName, l.data.repository)
	backups, diags := listBackups(ctx, l.data, repository, cfg.State, cfg.OptimizeVersion)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(backups)) > req.Limit {
		diags.AddWarning(fmt.Sprintf("%d backups of repository %q match; terraform query shows the first %d", len(backups), repository, req.Limit),
			fmt.Sprintf("%d more backups exist beyond the list block's limit (%d; Terraform's default is 100), newest first. Raise limit in the list block (limit = %d) to see them all.",
				int64(len(backups))-req.Limit, req.Limit, len(backups)))
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, b := range backups {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			if i == 0 {
				// Warnings of the listing travel with the first result.
				result.Diagnostics.Append(diags...)
			}
			result.DisplayName = fmt.Sprintf("%s (Optimize %s, %s)", b.ID, b.Version, b.State)
			result.Diagnostics.Append(result.Identity.Set(ctx, backupIdentityModel{
				RepositoryName: types.StringValue(repository),
				BackupID:       types.StringValue(string(b.ID)),
			})...)
			if req.IncludeResource {
				model := backupResourceModel{
					OptimizeVersion:   types.StringNull(),
					WaitForCompletion: types.BoolValue(true),
					Timeouts:          timeouts.Value{Object: types.ObjectNull(timeoutsAttrTypes)},
				}
				model.setBackup(b)
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// timeoutsAttrTypes are the attribute types of the resource's timeouts.
var timeoutsAttrTypes = map[string]attr.Type{
	"create": types.StringType,
	"read":   types.StringType,
	"delete": types.StringType,
}

var (
	_ list.ListResource              = (*backupListResource)(nil)
	_ list.ListResourceWithConfigure = (*backupListResource)(nil)
)
