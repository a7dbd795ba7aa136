// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Command floorprovider is a test-only Terraform provider for make bench:
// the framework's floor, what a refresh costs when the provider itself does
// nothing. floor_backup has optimize_backup's exact schema (taken from the
// resource itself, identity included) and a Read that touches no network:
// it keeps the state it is given. floor_tiny has a tiny state (id and one
// string). Like the provider, it turns the loggers off when no TF_LOG*
// variable is set and runs the garbage collector at process.GCPercent.
package main

import (
	"context"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/optimize-tf/terraform-provider-optimize/internal/process"
	"github.com/optimize-tf/terraform-provider-optimize/internal/provider"
)

// Address is the floor provider's source address.
const Address = "registry.terraform.io/bench/floor"

func main() {
	if _, err := process.QuietLogs(os.Environ(), os.Setenv); err != nil {
		log.Fatal(err)
	}
	process.TuneGC(os.LookupEnv)
	if err := providerserver.Serve(context.Background(), func() fwprovider.Provider { return floor{} }, providerserver.ServeOpts{Address: Address}); err != nil {
		log.Fatal(err)
	}
}

type floor struct{}

func (floor) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "floor"
}
func (floor) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {}
func (floor) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}
func (floor) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (floor) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &fullShape{real: provider.NewBackupResource()} },
		func() resource.Resource { return tiny{} },
	}
}

// fullShape is optimize_backup's schema with nothing behind it. Its states
// are copied from the real provider's (make bench rewrites the resource
// type), so Create only needs to exist.
type fullShape struct{ real resource.Resource }

func (r *fullShape) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "floor_backup"
}

func (r *fullShape) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
	// FLOOR_BACKUP_DROP: attributes taken out of the schema, to measure
	// what each costs (make bench's state-shape rows; their states are
	// copied without them).
	for _, name := range strings.Split(os.Getenv("FLOOR_BACKUP_DROP"), ",") {
		delete(resp.Schema.Attributes, name)
	}
}

func (r *fullShape) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.real.(resource.ResourceWithIdentity).IdentitySchema(ctx, req, resp)
}

// UpgradeState is the real resource's: a state of an earlier schema
// version upgrades as the provider's would.
func (r *fullShape) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	if u, ok := r.real.(resource.ResourceWithUpgradeState); ok {
		return u.UpgradeState(ctx)
	}
	return nil
}

// Read keeps the state and records the identity, as the real Read does
// (from the state's backup_id and repository_name, when they are there).
func (r *fullShape) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil {
		return
	}
	var values map[string]tftypes.Value
	if err := req.State.Raw.As(&values); err != nil {
		resp.Diagnostics.AddError("floor_backup: state", err.Error())
		return
	}
	for _, name := range []string{"backup_id", "repository_name"} {
		raw, ok := values[name]
		if !ok {
			// Left out of the schema (FLOOR_BACKUP_DROP): the identity keeps
			// what Terraform stored, or gets an empty string.
			var stored types.String
			resp.Diagnostics.Append(resp.Identity.GetAttribute(ctx, path.Root(name), &stored)...)
			if !stored.IsNull() && !stored.IsUnknown() {
				continue
			}
		}
		var v string
		if ok {
			if err := raw.As(&v); err != nil {
				resp.Diagnostics.AddError("floor_backup: "+name, err.Error())
				return
			}
		}
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(name), types.StringValue(v))...)
	}
}

func (r *fullShape) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("floor_backup cannot be created", "make bench copies its states from optimize_backup's.")
}
func (r *fullShape) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (r *fullShape) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// tiny is a resource with an id and one string.
type tiny struct{}

type tinyModel struct {
	ID    types.String `tfsdk:"id"`
	Value types.String `tfsdk:"value"`
}

func (tiny) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "floor_tiny"
}

func (tiny) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":    schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"value": schema.StringAttribute{Required: true},
	}}
}

func (tiny) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m tinyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = m.Value
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
func (tiny) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (tiny) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (tiny) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
