// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// The web apps' indices per version, split into the parts of a backup.
//
// GAP (camunda-facts §9.2): Camunda's complete, release-pinned priority
// lists and physical index names were not collected. These are small lists
// of the names the facts give, per priority, with the physical form
// "<prefix>-<name>-<schemaVersion>_" (Operate/Tasklist
// AbstractTemplateDescriptor); the schema versions other than
// operate-list-view-8.3.0_ and tasklist-task-8.5.0_ are the twin's.

// part is one snapshot of a backup: the main indices of a priority
// (required: each must exist) or the dated (archived) indices of
// templates: "<fullName>*" and "-<fullName>" for each (skippable: no match
// skips the part in 8.8+).
type part struct {
	names []string
	dated bool
}

func (p part) patterns() []string {
	if !p.dated {
		return p.names
	}
	var out []string
	for _, n := range p.names {
		out = append(out, n+"*", "-"+n)
	}
	return out
}

// Operate 8.6/8.7 (operate/webapp/.../backup/BackupServiceImpl.getIndexPatternsOrdered):
// always 6 parts: Prio1 indices, Prio2 templates, Prio2 dated, Prio3
// templates, Prio3 dated, Prio4 indices. Members from the facts (§3.2, §5
// "Partial 8.6/8.7 priority membership"): Prio1 ImportPositionIndex; Prio2
// ListViewTemplate; Prio3 BatchOperationTemplate, MessageTemplate; Prio4
// MetricIndex, MigrationRepositoryIndex, ProcessIndex, OperateWebSessionIndex.
func operateParts() []part {
	prio2 := []string{"operate-list-view-8.3.0_"}
	prio3 := []string{"operate-batch-operation-1.0.0_", "operate-message-8.5.0_"}
	return []part{
		{names: []string{"operate-import-position-8.3.0_"}},
		{names: prio2}, {names: prio2, dated: true},
		{names: prio3}, {names: prio3, dated: true},
		{names: []string{"operate-metric-8.3.0_", "operate-migration-steps-repository-1.1.0_", "operate-process-8.3.0_", "operate-web-session-1.1.0_"}},
	}
}

// Tasklist 8.6/8.7: 6 parts as Operate's (the docs' examples show
// camunda_tasklist_…_part_n_of_6). Members from the facts (§5): Prio2
// ProcessInstanceIndex; Prio3 TasklistListViewTemplate,
// DraftTaskVariableTemplate, TasklistTaskVariableSnapshotTemplate,
// TaskTemplate; Prio4 FormIndex, ProcessIndex. Prio1 is a GAP: the
// import-position index by analogy with Operate.
func tasklistParts() []part {
	prio2 := []string{"tasklist-process-instance-8.3.0_"}
	prio3 := []string{"tasklist-list-view-8.6.0_", "tasklist-draft-task-variable-8.3.0_", "tasklist-task-variable-snapshot-1.0.0_", "tasklist-task-8.5.0_"}
	return []part{
		{names: []string{"tasklist-import-position-8.2.0_"}},
		{names: prio2}, {names: prio2, dated: true},
		{names: prio3}, {names: prio3, dated: true},
		{names: []string{"tasklist-form-8.4.0_", "tasklist-process-8.4.0_"}},
	}
}

// webappsParts are the 8.8+ web apps' parts.
//
// 8.8/8.9: BackupPriorityConfiguration (dist/.../commons/backup/, the
// 5-priority version) with BackupPriorities.indicesSplitBySnapshot: [prio1],
// [prio2], [prio2 dated], [prio3], [prio4], [prio4 dated], [prio5]; prio1
// gains HistoryDeletionIndex in 8.9.
//
// 8.10: four priorities, up to 7 parts (camunda/camunda
// docs/data-layer/backup-and-restore.md): [prio1], [prio2], [prio2 dated],
// [prio3], [prio3 dated], [prio4], [prio4 dated].
func webappsParts(minor int) []part {
	prio1 := []string{"operate-metadata-8.8.0_"}
	if minor >= 9 {
		prio1 = append(prio1, "camunda-history-deletion-8.9.0_")
	}
	prio2 := []string{"operate-list-view-8.3.0_", "tasklist-task-8.8.0_"}
	if minor <= 9 {
		prio3 := []string{"operate-batch-operation-1.0.0_", "operate-operation-8.4.1_"}
		prio4 := []string{"operate-flow-node-instance-8.3.1_", "operate-incident-8.3.1_", "operate-job-8.6.0_", "operate-variable-8.3.0_", "tasklist-draft-task-variable-8.3.0_"}
		prio5 := []string{"operate-process-8.3.0_", "tasklist-form-8.4.0_", "camunda-user-8.8.0_", "camunda-role-8.8.0_"}
		return []part{{names: prio1}, {names: prio2}, {names: prio2, dated: true}, {names: prio3},
			{names: prio4}, {names: prio4, dated: true}, {names: prio5}}
	}
	prio3 := []string{"operate-batch-operation-1.0.0_", "operate-operation-8.4.1_", "operate-flow-node-instance-8.3.1_", "operate-incident-8.3.1_",
		"operate-variable-8.3.0_", "tasklist-task-variable-8.3.0_", "camunda-message-subscription-8.10.0_"}
	prio4 := []string{"operate-process-8.3.0_", "tasklist-form-8.4.0_", "camunda-user-8.8.0_", "camunda-role-8.8.0_"}
	return []part{{names: prio1}, {names: prio2}, {names: prio2, dated: true}, {names: prio3},
		{names: prio3, dated: true}, {names: prio4}, {names: prio4, dated: true}}
}

// DatedIndex is the archived list-view index the seeding creates, so that
// the prio2 dated part has an index: 8.8/8.9 then take 6 parts
// (webapps-backup.md's example), 8.10 5 (the 8.10 REST example).
const DatedIndex = "operate-list-view-8.3.0_2024-01-01"

// RecordIndices are the zeebe-record indices the seeding creates (the
// Elasticsearch exporter's "zeebe-record_<valueType>_<version>_<date>").
func RecordIndices(version string) []string {
	var out []string
	for _, v := range []string{"deployment", "process-instance", "job", "variable", "incident"} {
		out = append(out, fmt.Sprintf("zeebe-record_%s_%s_2024-01-01", v, version))
	}
	return out
}

// Indices are the indices a cluster of this version has in the search
// engine: the web apps' (one dated list-view index among them) and the
// zeebe-record indices.
func Indices(version string) ([]string, error) {
	minor, full, err := parseVersion(version)
	if err != nil {
		return nil, err
	}
	var sets [][]part
	if minor <= 7 {
		sets = [][]part{operateParts(), tasklistParts()}
	} else {
		sets = [][]part{webappsParts(minor)}
	}
	var out []string
	for _, parts := range sets {
		for _, p := range parts {
			if !p.dated {
				out = append(out, p.names...)
			}
		}
	}
	out = append(out, DatedIndex)
	return append(out, RecordIndices(full)...), nil
}

// Seed creates the indices of a cluster of cfg.Version (Indices) in the
// engine at cfg.EngineURL (with cfg's engine credentials and client) over
// its HTTP API, PUT /<index>; an index already there is left as it is.
func Seed(ctx context.Context, cfg Config) error {
	names, err := Indices(cfg.Version)
	if err != nil {
		return err
	}
	c := &engineClient{base: strings.TrimRight(cfg.EngineURL, "/"), user: cfg.EngineUsername, password: cfg.EnginePassword, client: cfg.EngineClient}
	for _, n := range names {
		status, body, err := c.do(ctx, http.MethodPut, "/"+n, nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK && !strings.Contains(string(body), "resource_already_exists_exception") {
			return fmt.Errorf("camunda: seeding index %s: %d %s", n, status, body)
		}
	}
	return nil
}
