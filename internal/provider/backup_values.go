// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Read runs once per backup on every refresh. The framework's State.Get and
// State.Set walk a model by reflection (compiling a regular expression per
// struct field on every call): two thirds of Read's CPU, Elasticsearch
// request included (BenchmarkBackupRead). Read converts the model to and
// from the state's raw value with the conversions below instead, which
// TestBackupValuesAgreeWithFramework holds equal to the framework's.

// attrValues is the model by attribute name: every attribute of the schema.
func (m *backupResourceModel) attrValues() map[string]attr.Value {
	return map[string]attr.Value{
		"id":                  m.ID,
		"backup_id":           m.BackupID,
		"repository_name":     m.RepositoryName,
		"optimize_version":    m.OptimizeVersion,
		"wait_for_completion": m.WaitForCompletion,
		"timeouts":            m.Timeouts,
		"state":               m.State,
		"failure_reason":      m.FailureReason,
	}
}

// terraformValue is the model as a state's raw value of type typ.
func (m *backupResourceModel) terraformValue(ctx context.Context, typ tftypes.Type) (tftypes.Value, error) {
	values := m.attrValues()
	raw := make(map[string]tftypes.Value, len(values))
	for name, v := range values {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("attribute %s: %w", name, err)
		}
		raw[name] = tv
	}
	return tftypes.NewValue(typ, raw), nil
}

// backupModelFrom reads a state's raw value into the model.
func backupModelFrom(ctx context.Context, raw tftypes.Value) (backupResourceModel, error) {
	var m backupResourceModel
	var values map[string]tftypes.Value
	if err := raw.As(&values); err != nil {
		return m, err
	}
	stateType, ok := raw.Type().(tftypes.Object)
	if !ok {
		return m, fmt.Errorf("the state is a %s, not an object", raw.Type())
	}
	for name := range m.attrValues() {
		if _, ok := values[name]; !ok {
			return m, fmt.Errorf("the state has no attribute %s", name)
		}
	}
	strs := map[string]*types.String{
		"id": &m.ID, "backup_id": &m.BackupID, "repository_name": &m.RepositoryName, "optimize_version": &m.OptimizeVersion,
		"state": &m.State, "failure_reason": &m.FailureReason,
	}
	for name, dst := range strs {
		v, err := types.StringType.ValueFromTerraform(ctx, values[name])
		if err != nil {
			return m, fmt.Errorf("attribute %s: %w", name, err)
		}
		*dst = v.(types.String)
	}
	wait, err := types.BoolType.ValueFromTerraform(ctx, values["wait_for_completion"])
	if err != nil {
		return m, fmt.Errorf("attribute wait_for_completion: %w", err)
	}
	m.WaitForCompletion = wait.(types.Bool)
	t, err := timeouts.Type{ObjectType: types.ObjectType{AttrTypes: timeoutAttrTypes(stateType.AttributeTypes["timeouts"])}}.ValueFromTerraform(ctx, values["timeouts"])
	if err != nil {
		return m, fmt.Errorf("attribute timeouts: %w", err)
	}
	m.Timeouts = t.(timeouts.Value)
	return m, nil
}

// timeoutAttrTypes are the timeouts object's attribute types: strings
// (durations such as "60m").
func timeoutAttrTypes(t tftypes.Type) map[string]attr.Type {
	obj, _ := t.(tftypes.Object)
	attrTypes := make(map[string]attr.Type, len(obj.AttributeTypes))
	for name := range obj.AttributeTypes {
		attrTypes[name] = types.StringType
	}
	return attrTypes
}

// backupIdentityType is the identity's raw type (backupIdentityModel).
var backupIdentityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"repository_name": tftypes.String, "backup_id": tftypes.String,
}}

// identityValue is the identity of a backup as a raw value.
func identityValue(ctx context.Context, m *backupResourceModel) (tftypes.Value, error) {
	repository, err := m.RepositoryName.ToTerraformValue(ctx)
	if err != nil {
		return tftypes.Value{}, err
	}
	id, err := m.BackupID.ToTerraformValue(ctx)
	if err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(backupIdentityType, map[string]tftypes.Value{"repository_name": repository, "backup_id": id}), nil
}
