// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The optimize_backup_policy resource's identity (Terraform 1.12+) and its
// import, by id or by identity.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// backupPolicyIdentityModel is the policy's identity: a policy is its name
// within its repository.
type backupPolicyIdentityModel struct {
	RepositoryName types.String `tfsdk:"repository_name"`
	Name           types.String `tfsdk:"name"`
}

func (r *backupPolicyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"repository_name": identityschema.StringAttribute{
				Description:       "Snapshot repository of the policy's backups. Defaults to the provider's repository_name when importing.",
				OptionalForImport: true,
			},
			"name": identityschema.StringAttribute{
				Description:       "The policy's name, which marks its backups.",
				RequiredForImport: true,
			},
		},
	}
}

// setPolicyIdentity records the policy's identity, which the framework wants
// after every create, read and update without error, also from CLIs that
// store none (Terraform before 1.12); a nil identity is left alone.
func setPolicyIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, repository, name string) diag.Diagnostics {
	if identity == nil || repository == "" || name == "" {
		return nil
	}
	return identity.Set(ctx, backupPolicyIdentityModel{RepositoryName: types.StringValue(repository), Name: types.StringValue(name)})
}

// ImportState adopts a policy by "<repository>/<name>", by "<name>" (the
// provider's repository), or (Terraform 1.12+) by its identity
// {repository_name, name}: its backups are those carrying its name.
func (r *backupPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	defaultRepository := ""
	if r.data != nil {
		defaultRepository = r.data.repository
	}
	repository, name, diags := policyImportID(ctx, req, defaultRepository)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The schedule and retention come from the configuration at the next
	// plan (the defaults until then); Read fills in the policy's backups.
	for attr, v := range map[string]attr.Value{
		"id": types.StringValue(repository + "/" + name), "name": types.StringValue(name), "repository_name": types.StringValue(repository),
		"min_count": types.Int64Value(1), "stale_after": types.StringValue("6h"), "time_zone": types.StringValue("UTC"),
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, repository, name)...)
}
