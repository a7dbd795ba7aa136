// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Read's conversions (backup_values.go) agree with the framework's
// State.Set, State.Get and ResourceIdentity.Set on every attribute, for
// states with and without timeouts, nulls and empty strings.
func TestBackupValuesAgreeWithFramework(t *testing.T) {
	ctx := context.Background()
	s := backupSchema(ctx)
	timeoutTypes := s.Attributes["timeouts"].GetType().(attr.TypeWithAttributeTypes).AttributeTypes()

	var names []string
	for name := range (&backupResourceModel{}).attrValues() {
		names = append(names, name)
	}
	var schemaNames []string
	for name := range s.Attributes {
		schemaNames = append(schemaNames, name)
	}
	sort.Strings(names)
	sort.Strings(schemaNames)
	if strings.Join(names, ",") != strings.Join(schemaNames, ",") {
		t.Fatalf("attrValues has %v, the schema %v: a new attribute needs its conversion", names, schemaNames)
	}

	completed := backupResourceModel{
		ID: types.StringValue("1"), BackupID: types.StringValue("1"), RepositoryName: types.StringValue("backups"),
		OptimizeVersion: types.StringValue("8.6.0-SNAPSHOT"), WaitForCompletion: types.BoolValue(true),
		backupStatusModel: backupStatusModel{State: types.StringValue("COMPLETED"), FailureReason: types.StringValue("")},
	}
	completed.Timeouts.Object = types.ObjectNull(timeoutTypes)
	withTimeouts := completed
	withTimeouts.WaitForCompletion = types.BoolValue(false)
	withTimeouts.Timeouts.Object = types.ObjectValueMust(timeoutTypes, map[string]attr.Value{
		"create": types.StringValue("2h"), "read": types.StringNull(), "delete": types.StringValue("1m"),
	})
	withTimeouts.backupStatusModel = backupStatusModel{State: types.StringValue("FAILED"), FailureReason: types.StringValue("snapshot \"x\" <failed> & \u2028")}
	imported := backupResourceModel{ID: types.StringValue("nightly\t1"), BackupID: types.StringValue("nightly\t1"), RepositoryName: types.StringValue("r"),
		OptimizeVersion: types.StringNull(), WaitForCompletion: types.BoolValue(true),
		backupStatusModel: backupStatusModel{State: types.StringNull(), FailureReason: types.StringNull()}}
	imported.Timeouts.Object = types.ObjectNull(timeoutTypes)

	for name, m := range map[string]backupResourceModel{"completed": completed, "with timeouts": withTimeouts, "imported": imported} {
		t.Run(name, func(t *testing.T) {
			framework := tfsdk.State{Schema: s}
			if diags := framework.Set(ctx, &m); diags.HasError() {
				t.Fatal(diags)
			}
			raw, err := m.terraformValue(ctx, framework.Raw.Type())
			if err != nil {
				t.Fatal(err)
			}
			if !raw.Equal(framework.Raw) {
				t.Fatalf("terraformValue\n%v\nState.Set\n%v", raw, framework.Raw)
			}

			var want backupResourceModel
			if diags := framework.Get(ctx, &want); diags.HasError() {
				t.Fatal(diags)
			}
			got, err := backupModelFrom(ctx, framework.Raw)
			if err != nil {
				t.Fatal(err)
			}
			gotValues, wantValues := got.attrValues(), want.attrValues()
			for name, w := range wantValues {
				if !gotValues[name].Equal(w) {
					t.Errorf("backupModelFrom: %s = %v, State.Get %v", name, gotValues[name], w)
				}
			}

			resp := &fwresource.IdentitySchemaResponse{}
			(&backupResource{}).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, resp)
			identitySchema := resp.IdentitySchema
			viaFramework := &tfsdk.ResourceIdentity{Schema: identitySchema, Raw: tftypes.NewValue(identitySchema.Type().TerraformType(ctx), nil)}
			if diags := viaFramework.Set(ctx, backupIdentityModel{RepositoryName: m.RepositoryName, BackupID: m.BackupID}); diags.HasError() {
				t.Fatal(diags)
			}
			direct := &tfsdk.ResourceIdentity{Schema: identitySchema, Raw: tftypes.NewValue(identitySchema.Type().TerraformType(ctx), nil)}
			if diags := setIdentity(ctx, direct, &m); diags.HasError() {
				t.Fatal(diags)
			}
			if !direct.Raw.Equal(viaFramework.Raw) {
				t.Errorf("setIdentity\n%v\nResourceIdentity.Set\n%v", direct.Raw, viaFramework.Raw)
			}
		})
	}
}

// A state that lacks an attribute of the schema is an error, not a model
// with a zero value.
func TestBackupModelFromRefusesAnIncompleteState(t *testing.T) {
	ctx := context.Background()
	raw := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"backup_id": tftypes.String}},
		map[string]tftypes.Value{"backup_id": tftypes.NewValue(tftypes.String, "1")})
	if _, err := backupModelFrom(ctx, raw); err == nil || !strings.Contains(err.Error(), "the state has no attribute") {
		t.Fatalf("backupModelFrom of a state with backup_id only: %v, want the missing attribute named", err)
	}
	if _, err := backupModelFrom(ctx, tftypes.NewValue(tftypes.String, "x")); err == nil {
		t.Fatal("backupModelFrom of a string: no error")
	}
}
