// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// platformBackupResourceModel is optimize_platform_backup's state.
type platformBackupResourceModel struct {
	ID                     types.String   `tfsdk:"id"`
	BackupID               types.String   `tfsdk:"backup_id"`
	RepositoryName         types.String   `tfsdk:"repository_name"`
	WebappsRepositoryName  types.String   `tfsdk:"webapps_repository_name"`
	CamundaVersion         types.String   `tfsdk:"camunda_version"`
	RecordsIndexPattern    types.String   `tfsdk:"records_index_pattern"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
	State                  types.String   `tfsdk:"state"`
	FailureReason          types.String   `tfsdk:"failure_reason"`
	Missing                types.List     `tfsdk:"missing"`
	Components             types.List     `tfsdk:"components"`
	ZeebePartitions        types.List     `tfsdk:"zeebe_partitions"`
	ExportingPausedSeconds types.Float64  `tfsdk:"exporting_paused_seconds"`
}

type platformBackupIdentityModel struct {
	BackupID types.String `tfsdk:"backup_id"`
}

// zeebePartitionModel is one partition of Zeebe's backup.
type zeebePartitionModel struct {
	PartitionID   int64  `tfsdk:"partition_id"`
	State         string `tfsdk:"state"`
	FailureReason string `tfsdk:"failure_reason"`
	BrokerVersion string `tfsdk:"broker_version"`
}

var (
	platformSnapshotType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "state": types.StringType, "failures": types.ListType{ElemType: types.StringType},
	}}
	platformComponentType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "version": types.StringType, "state": types.StringType, "expected_parts": types.Int64Type,
		"repository_name": types.StringType, "failure_reason": types.StringType,
		"missing": types.ListType{ElemType: types.StringType}, "snapshots": types.ListType{ElemType: platformSnapshotType},
	}}
	zeebePartitionType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"partition_id": types.Int64Type, "state": types.StringType, "failure_reason": types.StringType, "broker_version": types.StringType,
	}}
)

const platformBackupDescription = "Backup `X` of the whole Camunda 8 platform, taken in one apply in the order Camunda documents for its version, " +
	"with Zeebe's exporting soft-paused only as long as that order needs and **always resumed** (on success, on any failure, on timeout and on Ctrl-C; " +
	"when resuming fails, the error says so first, with the request that resumes it).\n\n" +
	"- 8.8 and later: soft-pause exporting; the web apps' backup (through the cluster's own API) and Optimize's two snapshots; wait for both; " +
	"the records snapshot `camunda_zeebe_records_backup_X` (`zeebe-record*`, no global state); Zeebe's backup; wait; resume.\n" +
	"- 8.6 and 8.7: Optimize's, Operate's and Tasklist's backups, waited for; then soft-pause; the records snapshot; Zeebe's backup; resume.\n\n" +
	"Before any write, the id is checked against every component: an id not above Zeebe's latest backup id (which Zeebe never takes again, even after a delete) " +
	"or a backup of `X` in any component is refused, at plan time when the id is known. " +
	"Refresh reads the verdict (the snapshot families and Zeebe's backup); a backup that a component lost or broke out of band is planned for replacement " +
	"when `backup_id` is left to the provider (a new id), and warned about when `backup_id` is set (Zeebe would refuse the same id). " +
	"Destroy deletes backup `X` of every component and nothing else: the web apps' and Zeebe's through their APIs, Optimize's and the records' snapshots exactly by name. " +
	"Needs the provider's `camunda {}` block. Guide: \"Back up the whole Camunda 8 platform\"."

func (r *platformBackupResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: platformBackupDescription,
		Attributes: map[string]schema.Attribute{
			"id": str("The backup id, as `backup_id`."),
			"backup_id": schema.StringAttribute{
				MarkdownDescription: "The id every component's backup is taken with: decimal digits, greater than Zeebe's latest backup id (unix seconds, such as `1796169600`, as Camunda recommends). " +
					"Unset: the cluster's clock in unix seconds at apply (above Zeebe's latest), and a new one whenever the backup is replaced.",
				Optional: true, Computed: true,
				Validators:    []validator.String{stringCheck{summary: "Invalid backup id", description: "plain decimal digits", check: platformIDCheck}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()},
			},
			"repository_name": schema.StringAttribute{
				MarkdownDescription: "Snapshot repository of Optimize's two snapshots and of the records snapshot. Defaults to the provider's `repository_name`.",
				Optional:            true, Computed: true,
				Validators:    []validator.String{repositoryNameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"webapps_repository_name": schema.StringAttribute{
				MarkdownDescription: "The repository the web apps (8.6 and 8.7: Operate and Tasklist) write their snapshots to, as the cluster is configured " +
					"(`camunda.data.secondary-storage.elasticsearch.backup.repository-name`): read to judge the backup. Defaults to `repository_name`.",
				Optional: true, Computed: true,
				Validators:    []validator.String{repositoryNameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"camunda_version": schema.StringAttribute{
				MarkdownDescription: "Camunda's version (`X.Y` or `X.Y.Z`, 8.6 and later), which decides the order and the APIs. Unset: the provider's `camunda.version`, " +
					"else the newest version in the names of the exported records' indices (`zeebe-record_<type>_<X.Y.Z>_<date>`).",
				Optional: true, Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()},
			},
			"records_index_pattern": schema.StringAttribute{
				MarkdownDescription: "The exported Zeebe records' indices, snapshotted as `camunda_zeebe_records_backup_<id>`. Default `" + platform.DefaultRecordsPattern + "` (the exporters' default prefix).",
				Optional:            true, Computed: true, Default: stringdefault.StaticString(platform.DefaultRecordsPattern),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"timeouts":       timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Delete: true}),
			"state":          str("`COMPLETED` only when every family's snapshots and Zeebe's backup are; otherwise `FAILED`, `INCOMPATIBLE`, `IN_PROGRESS` or `INCOMPLETE`, the worst first."),
			"failure_reason": str("Why the backup is not `COMPLETED`, per family and for Zeebe. Empty otherwise."),
			"missing": schema.ListAttribute{MarkdownDescription: "Names of the snapshots an expected family should have and does not.", ElementType: types.StringType, Computed: true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()}},
			"components": schema.ListAttribute{MarkdownDescription: "Each snapshot family, as the `optimize_platform_backup` data source reports it: " +
				"`name`, `version`, `state`, `expected_parts`, `repository_name`, `failure_reason`, `missing`, `snapshots` (`name`, `state`, `failures`).",
				ElementType: platformComponentType, Computed: true, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()}},
			"zeebe_partitions": schema.ListAttribute{MarkdownDescription: "Zeebe's backup of the id, per partition: `partition_id`, `state`, `failure_reason`, `broker_version`.",
				ElementType: zeebePartitionType, Computed: true, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()}},
			"exporting_paused_seconds": schema.Float64Attribute{MarkdownDescription: "How long Zeebe's exporting was soft-paused while the backup was taken, in seconds " +
				"(from the pause to the answer of the resume); 0 for an imported backup.", Computed: true,
				PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()}},
		},
	}
}

func (r *platformBackupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"backup_id": identityschema.StringAttribute{Description: "The platform backup's id.", RequiredForImport: true},
	}}
}
