// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// backupAttribute describes one computed attribute that the resource and the
// data source both report, so that both schemas come from one table.
type backupAttribute struct {
	name        string
	description string
	elem        attr.Type // element type of a list; nil for a string
}

// backupStatus is what the resource's state and the data sources report of
// a backup's health: what drift checks and gates use.
var backupStatus = []backupAttribute{
	{name: "state", description: "Aggregated state of the backup, as Optimize's backup API reports it: `COMPLETED`, `IN_PROGRESS`, `FAILED`, `INCOMPATIBLE` or `INCOMPLETE`."},
	{name: "failure_reason", description: "Why the backup is `FAILED`, `INCOMPATIBLE` or `INCOMPLETE`: which snapshot, and Elasticsearch's reason and shard failures. Empty otherwise."},
}

// backupSnapshots is the data sources' list of snapshot names (in the
// resource's state up to schema version 1).
var backupSnapshots = backupAttribute{name: "snapshots", description: "Names of the backup's snapshots, part 1 first (Optimize's `scheduledSnapshots`).", elem: types.StringType}

var partAttributes = []backupAttribute{
	{name: "name", description: "Snapshot name."},
	{name: "state", description: "Elasticsearch's snapshot state: `IN_PROGRESS`, `SUCCESS`, `PARTIAL`, `FAILED` or `INCOMPATIBLE`."},
	{name: "start_time", description: "When the snapshot started (RFC 3339)."},
	{name: "end_time", description: "When the snapshot ended (RFC 3339); empty while it runs."},
	{name: "indices", description: "Indices in the snapshot.", elem: types.StringType},
	{name: "failures", description: "Elasticsearch's reason and shard failures, one per entry.", elem: types.StringType},
}

var partShardAttributes = []backupAttribute{
	{name: "shards_total", description: "Shards in the snapshot (0 while it runs)."},
	{name: "shards_successful", description: "Shards snapshotted successfully."},
	{name: "shards_failed", description: "Shards that failed."},
}

const unclassifiedIndicesDescription = "Indices of the backup (named `<index_prefix>-<name>_v<N>`) whose name is no index class the backup's Optimize version is known to have: " +
	"the provider backs up every index of the installation so that nothing is lost, and names these (an index class newer than the provider, or an index someone created under Optimize's prefix). Empty when every index is of a known class."

const partsDescription = "Each snapshot of the backup, part 1 first: part 1 holds Optimize's import-progress indices, part 2 every other index of the installation."

var partObjectType = func() types.ObjectType {
	t := map[string]attr.Type{"part": types.Int64Type}
	for _, a := range partAttributes {
		t[a.name] = a.attrType()
	}
	for _, a := range partShardAttributes {
		t[a.name] = types.Int64Type
	}
	return types.ObjectType{AttrTypes: t}
}()

func (a backupAttribute) attrType() attr.Type {
	if a.elem != nil {
		return types.ListType{ElemType: a.elem}
	}
	return types.StringType
}

// schemaKit builds attributes of one kind of schema (resource, data
// source), so that the attributes both report are defined once, in the
// tables above and in partsAttribute (the data source's, and the
// resource's schema version 0).
type schemaKit[A any] struct {
	str    func(description string) A
	list   func(description string, elem attr.Type) A
	int64  func(description string) A
	nested func(description string, attrs map[string]A) A
}

var resourceKit = schemaKit[resourceschema.Attribute]{
	str: func(d string) resourceschema.Attribute {
		return resourceschema.StringAttribute{MarkdownDescription: d, Computed: true}
	},
	list: func(d string, elem attr.Type) resourceschema.Attribute {
		return resourceschema.ListAttribute{MarkdownDescription: d, ElementType: elem, Computed: true}
	},
	int64: func(d string) resourceschema.Attribute {
		return resourceschema.Int64Attribute{MarkdownDescription: d, Computed: true}
	},
	nested: func(d string, attrs map[string]resourceschema.Attribute) resourceschema.Attribute {
		return resourceschema.ListNestedAttribute{MarkdownDescription: d, Computed: true,
			NestedObject: resourceschema.NestedAttributeObject{Attributes: attrs}}
	},
}

var dataSourceKit = schemaKit[datasourceschema.Attribute]{
	str: func(d string) datasourceschema.Attribute {
		return datasourceschema.StringAttribute{MarkdownDescription: d, Computed: true}
	},
	list: func(d string, elem attr.Type) datasourceschema.Attribute {
		return datasourceschema.ListAttribute{MarkdownDescription: d, ElementType: elem, Computed: true}
	},
	int64: func(d string) datasourceschema.Attribute {
		return datasourceschema.Int64Attribute{MarkdownDescription: d, Computed: true}
	},
	nested: func(d string, attrs map[string]datasourceschema.Attribute) datasourceschema.Attribute {
		return datasourceschema.ListNestedAttribute{MarkdownDescription: d, Computed: true,
			NestedObject: datasourceschema.NestedAttributeObject{Attributes: attrs}}
	},
}

// attribute is a computed attribute of the table.
func (k schemaKit[A]) attribute(a backupAttribute) A {
	if a.elem != nil {
		return k.list(a.description, a.elem)
	}
	return k.str(a.description)
}

// partsAttribute is the parts list, the same in every schema.
func (k schemaKit[A]) partsAttribute() A {
	attrs := map[string]A{"part": k.int64("Part number: 1 or 2.")}
	for _, a := range partAttributes {
		attrs[a.name] = k.attribute(a)
	}
	for _, a := range partShardAttributes {
		attrs[a.name] = k.int64(a.description)
	}
	return k.nested(partsDescription, attrs)
}

// backupStatusModel holds the computed attributes of the resource's state:
// what drift detection and gates use. The snapshot names and the per-part
// detail (parts) are the data sources' only: in every resource's state they
// made refreshes slower (docs/guides/performance.md).
type backupStatusModel struct {
	State         types.String `tfsdk:"state"`
	FailureReason types.String `tfsdk:"failure_reason"`
}

// newBackupStatus converts a domain backup's state to Terraform values.
func newBackupStatus(b optimize.Backup) backupStatusModel {
	return backupStatusModel{
		State:         types.StringValue(string(b.State)),
		FailureReason: types.StringValue(b.FailureReason),
	}
}

// backupOutputsModel is the data source's: the status and the snapshot names.
type backupOutputsModel struct {
	backupStatusModel
	Snapshots types.List `tfsdk:"snapshots"`
}

// newBackupOutputs converts a domain backup to the data source's values.
func newBackupOutputs(b optimize.Backup) backupOutputsModel {
	return backupOutputsModel{backupStatusModel: newBackupStatus(b), Snapshots: stringList(b.SnapshotNames())}
}

// newParts is the parts list of a backup.
func newParts(b optimize.Backup) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	parts := make([]attr.Value, 0, len(b.Snapshots))
	for _, s := range b.Snapshots {
		part := int64(0)
		if p, ok := optimize.ParseSnapshotName(s.Name); ok {
			part = int64(p.Part)
		}
		failures := snapshotFailures(s)
		obj, d := types.ObjectValue(partObjectType.AttrTypes, map[string]attr.Value{
			"part":              types.Int64Value(part),
			"name":              types.StringValue(s.Name),
			"state":             types.StringValue(s.State),
			"start_time":        types.StringValue(formatTime(s.StartTime)),
			"end_time":          types.StringValue(formatTime(s.EndTime)),
			"indices":           stringList(s.Indices),
			"failures":          stringList(failures),
			"shards_total":      types.Int64Value(int64(s.ShardsTotal)),
			"shards_successful": types.Int64Value(int64(s.ShardsSuccessful)),
			"shards_failed":     types.Int64Value(int64(s.ShardsFailed)),
		})
		diags.Append(d...)
		parts = append(parts, obj)
	}
	partList, d := types.ListValue(partObjectType, parts)
	diags.Append(d...)
	return partList, diags
}

// snapshotFailures are Elasticsearch's reason and the shard failures of a
// snapshot, one per entry.
func snapshotFailures(s optimize.Snapshot) []string {
	failures := make([]string, 0, len(s.Failures)+1)
	if s.Reason != "" {
		failures = append(failures, s.Reason)
	}
	for _, f := range s.Failures {
		failures = append(failures, f.String())
	}
	return failures
}

// unknownBackupStatus is what a plan knows of a backup about to be taken.
func unknownBackupStatus() backupStatusModel {
	return backupStatusModel{State: types.StringUnknown(), FailureReason: types.StringUnknown()}
}

func stringList(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
