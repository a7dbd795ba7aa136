// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

// optimize_platform_backup_policy's identity (Terraform 1.12+), the same as
// optimize_backup_policy's ({repository_name, name}), and its import.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

func (r *platformPolicyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"repository_name": identityschema.StringAttribute{
				Description:       "Snapshot repository of the policy's Optimize and records snapshots. Defaults to the provider's repository_name when importing.",
				OptionalForImport: true,
			},
			"name": identityschema.StringAttribute{
				Description:       "The policy's name, which marks its backups.",
				RequiredForImport: true,
			},
		},
	}
}

// policyImportID is the repository and the name of a policy to import, by
// "<repository>/<name>", by "<name>" (defaultRepository), or by its
// identity {repository_name, name}.
func policyImportID(ctx context.Context, req resource.ImportStateRequest, defaultRepository string) (repository, name string, diags diag.Diagnostics) {
	name = req.ID
	if req.ID == "" && req.Identity != nil {
		var identity backupPolicyIdentityModel
		diags.Append(req.Identity.Get(ctx, &identity)...)
		if diags.HasError() {
			return "", "", diags
		}
		repository, name = identity.RepositoryName.ValueString(), identity.Name.ValueString()
	} else if i := strings.LastIndex(req.ID, "/"); i >= 0 {
		repository, name = req.ID[:i], req.ID[i+1:]
	}
	if err := optimize.ValidatePolicyName(name); err != nil {
		diags.AddError("Invalid import id", sentence(err)+". Import a policy by <repository>/<name>, by <name>, or by its identity {repository_name, name}.")
		return "", "", diags
	}
	if repository == "" {
		repository = defaultRepository
	}
	if repository == "" {
		diags.AddError("Invalid import id", fmt.Sprintf("No snapshot repository is known for policy %q: import it as <repository>/%s, set repository_name in the import identity, or set the provider's repository_name.", name, name))
	}
	return repository, name, diags
}

// ImportState adopts a platform policy: its ids are those whose Optimize
// snapshots carry its name. The schedule and retention come from the
// configuration at the next plan; Read fills in its ids and, unless the
// provider's camunda.version says it, Camunda's version.
func (r *platformPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	defaultRepository := ""
	if r.data != nil {
		defaultRepository = r.data.repository
	}
	repository, name, diags := policyImportID(ctx, req, defaultRepository)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for a, v := range map[string]attr.Value{
		"id": types.StringValue(repository + "/" + name), "name": types.StringValue(name), "repository_name": types.StringValue(repository),
		"webapps_repository_name": types.StringValue(repository), "time_zone": types.StringValue("UTC"),
		"min_count": types.Int64Value(1), "stale_after": types.StringValue("6h"), "camunda_version": types.StringValue(""),
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a), v)...)
	}
	resp.Diagnostics.Append(setPolicyIdentity(ctx, resp.Identity, repository, name)...)
}

var (
	_ resource.ResourceWithImportState = (*platformPolicyResource)(nil)
	_ resource.ResourceWithIdentity    = (*platformPolicyResource)(nil)
)
