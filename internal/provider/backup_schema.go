// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The optimize_backup resource's schema, its identity, and the upgrade of
// states of its earlier schema versions.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

func (r *backupResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = backupSchema(ctx)
}

// backupSchemaVersion is the version of the resource's schema. Version 0
// also held parts, the per-part detail, and versions 0 and 1 the snapshot
// names (snapshots): the optimize_backup_state data source reports both.
const backupSchemaVersion = 2

func backupSchema(ctx context.Context) schema.Schema {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The backup id (same as `backup_id`).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"backup_id": schema.StringAttribute{
			MarkdownDescription: "Optimize backup id, by the rule of the installation's Optimize version (`optimize_version`): " + optimize.IDRuleSummary() + ". Numbers because Optimize's own backup list (`GET /actuator/backups`) reads every backup's snapshot names back as such a number. Prefer unix seconds (`1764633600`, `date +%s`): Camunda's other components take such ids, and they sort after every date-like id. Checked at plan time when the version is configured or can be read from Optimize's metadata index, otherwise at apply before the first snapshot; the id must also keep every request the provider sends for the backup within Elasticsearch's 4096-byte request line (checked at plan time).",
			Required:            true,
			Validators:          []validator.String{backupIDValidator()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"repository_name": schema.StringAttribute{
			MarkdownDescription: "Snapshot repository of the backup. Defaults to the provider's `repository_name` when the backup is taken. Once a backup exists (taken or imported), it keeps its repository while this attribute is not set: a later change of the provider's `repository_name`, or removing this attribute, never moves or replaces it. Setting a different repository here replaces the backup.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{repositoryNameValidator()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
		},
		"optimize_version": schema.StringAttribute{
			MarkdownDescription: "Optimize version the backup is taken for; it goes into the snapshot names as `X.Y.Z` and decides the backup id rule and which indices are Optimize's. Defaults to the provider's `optimize_version`, else the version in Optimize's metadata index (read once per plan).",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{versionValidator()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
		},
		"wait_for_completion": schema.BoolAttribute{
			MarkdownDescription: "Wait until both parts have finished, and fail the apply if one ends `FAILED` or `PARTIAL`. When `false`, apply still waits for part 1 (part 2 may only start after it), then returns while part 2 runs; refreshes report its progress. Defaults to `true`.",
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(true),
			PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
		},
		"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Delete: true}),
	}
	for _, a := range backupStatus {
		attrs[a.name] = resourceKit.attribute(a)
	}
	return schema.Schema{
		Version: backupSchemaVersion,
		MarkdownDescription: "A backup of Camunda Optimize's data: two Elasticsearch snapshots, `camunda_optimize_<backup_id>_<version>_part_1_of_2` (the import-progress indices) and `..._part_2_of_2` (every other index of the installation), taken one after the other as Optimize's backup API takes them.\n\n" +
			"Apply takes the backup; refresh reads its aggregated state with one Elasticsearch request; destroy deletes exactly its own snapshots, in one request (one per snapshot when an Optimize-made id is too long for that): for a backup the provider took, the snapshots that carry its create token (never another writer's snapshot of the same name); for a backup adopted by import, the snapshots of its recorded `optimize_version` (its pair, and a stray part of that version), never another version's backup of the same id, such as a pre-upgrade copy. A backup deleted out of band leaves the state (the next plan takes it again); a backup that has become `FAILED`, `INCOMPLETE` or `INCOMPATIBLE` is planned for replacement with a warning that says why, so `terraform plan -detailed-exitcode` notices it.\n\n" +
			"The state holds what drift checks and gates use (`state`, `failure_reason`, `optimize_version`); the snapshot names (`camunda_optimize_<backup_id>_<version>_part_1_of_2` and `..._part_2_of_2`) and the per-part detail (each snapshot's state, times, indices, shards and failures) are read with the `optimize_backup_state` data source, or for a whole repository with `optimize_backups`.",
		Attributes: attrs,
	}
}

// UpgradeState moves a state of an earlier schema version to the current
// one: parts (version 0) and snapshots (versions 0 and 1) leave the state,
// every other attribute is kept as it is.
func (r *backupResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	upgraders := map[int64]resource.StateUpgrader{}
	for version := int64(0); version < backupSchemaVersion; version++ {
		prior := backupSchema(ctx)
		prior.Version = version
		prior.Attributes["snapshots"] = resourceKit.attribute(backupSnapshots)
		if version == 0 {
			prior.Attributes["parts"] = resourceKit.partsAttribute()
		}
		upgraders[version] = resource.StateUpgrader{
			PriorSchema: &prior,
			StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
				var current *backupResourceModel
				switch version {
				case 0:
					var v0 struct {
						backupResourceModel
						Snapshots types.List `tfsdk:"snapshots"`
						Parts     types.List `tfsdk:"parts"`
					}
					resp.Diagnostics.Append(req.State.Get(ctx, &v0)...)
					current = &v0.backupResourceModel
				default:
					var v1 struct {
						backupResourceModel
						Snapshots types.List `tfsdk:"snapshots"`
					}
					resp.Diagnostics.Append(req.State.Get(ctx, &v1)...)
					current = &v1.backupResourceModel
				}
				if resp.Diagnostics.HasError() {
					return
				}
				resp.Diagnostics.Append(resp.State.Set(ctx, current)...)
			},
		}
	}
	return upgraders
}

// backupIdentityModel is the resource's identity (Terraform 1.12+): a backup
// is its id within its repository.
type backupIdentityModel struct {
	RepositoryName types.String `tfsdk:"repository_name"`
	BackupID       types.String `tfsdk:"backup_id"`
}

func (r *backupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"repository_name": identityschema.StringAttribute{
				Description:       "Snapshot repository of the backup. Defaults to the provider's repository_name when importing.",
				OptionalForImport: true,
			},
			"backup_id": identityschema.StringAttribute{
				Description:       "Optimize backup id.",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records the backup's identity, for Terraform versions that
// support identities (identity is nil for the others).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *backupResourceModel) diag.Diagnostics {
	if identity == nil || m.BackupID.IsUnknown() || m.RepositoryName.IsUnknown() {
		return nil
	}
	// Not identity.Set: see backup_values.go.
	raw, err := identityValue(ctx, m)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError(fmt.Sprintf("Cannot record the identity of backup %q", m.BackupID.ValueString()), err.Error())
		return diags
	}
	identity.Raw = raw
	return nil
}
