// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"fmt"
	"strconv"
	"strings"
)

// Action is what one step of a whole backup does.
type Action string

// The actions of a whole backup.
const (
	// PauseExporting soft-pauses Zeebe's exporting: records are still
	// exported, but the exporter position is not committed, so the log is
	// not compacted while the backup runs (and disks grow: the pause is kept
	// as short as the order allows). Never a hard pause: a soft pause then a
	// hard pause corrupts the pause state (camunda/camunda #55838).
	PauseExporting Action = "pause exporting (soft)"
	// ResumeExporting resumes exporting. Run on every way out once a pause
	// was sent, whatever happened in between.
	ResumeExporting Action = "resume exporting"
	// Start a component's backup of X (it returns once scheduled).
	Start Action = "start"
	// Wait until a component's backup of X is COMPLETED (fail when it is
	// FAILED, INCOMPATIBLE or INCOMPLETE).
	Wait Action = "wait"
	// SnapshotRecords takes the snapshot camunda_zeebe_records_backup_X of
	// the exported Zeebe records (zeebe-record*; on Elasticsearch with
	// feature_states ["none"]) and waits for it.
	SnapshotRecords Action = "snapshot the exported Zeebe records"
)

// Component is one part of the platform a step acts on.
type Component string

// The components of a whole backup.
const (
	Optimize Component = "optimize"
	Webapps  Component = "webapps" // 8.8 and later: Operate, Tasklist and the identity data together
	Operate  Component = "operate" // 8.6 and 8.7
	Tasklist Component = "tasklist"
	Zeebe    Component = "zeebe" // the brokers' partition backups
	Records  Component = "zeebe_records"
)

// Step is one step of a whole backup.
type Step struct {
	Action    Action
	Component Component // for Start and Wait
}

func (s Step) String() string {
	if s.Component == "" || s.Action == SnapshotRecords {
		return string(s.Action)
	}
	return string(s.Action) + " " + string(s.Component)
}

// API is the generation of Camunda's management APIs a version has.
type API string

// The management API generations.
const (
	// ComponentActuators: 8.6 and 8.7, each component's own
	// /actuator/backups (Operate and Tasklist on their management port,
	// Zeebe on the gateway's), and the gateway's /actuator/exporting.
	ComponentActuators API = "component actuators"
	// ManagementActuators: 8.8 and 8.9, the Orchestration Cluster's
	// management port: /actuator/backupHistory (the web apps),
	// /actuator/backupRuntime (Zeebe), /actuator/exporting.
	ManagementActuators API = "management actuators"
	// OrchestrationREST: 8.10 and later, the Orchestration Cluster REST
	// API: /v2/backups/history, /v2/backups/runtime, /v2/exporting.
	OrchestrationREST API = "Orchestration Cluster REST API"
)

// Plan is the documented order of a whole backup of one Camunda version.
type Plan struct {
	Version string // X.Y of Camunda
	API     API
	Steps   []Step
	// Source is the documentation page the order is read from.
	Source string
}

// Order is the documented order of a whole backup for a Camunda version
// (X.Y or X.Y.Z; 8.6 and later).
//
//   - 8.6 and 8.7 (camunda-docs versioned_docs/version-8.6 and version-8.7,
//     self-managed/operational-guides/backup-restore/backup.md, "About the
//     backup process": "you must complete backing up the WebApps first
//     before backing up the Zeebe Cluster"): start Optimize's, Operate's and
//     Tasklist's backups ("the order ... is not important") and wait for
//     them; then soft-pause exporting, snapshot the records, take Zeebe's
//     backup and wait for it, resume. Exporting is paused only around the
//     records and Zeebe.
//   - 8.8 and 8.9 (version-8.8 .../backup-restore/backup.md, "you must
//     complete the steps in the order outlined below"; version-8.9
//     .../backup-restore/elasticsearch/backup.md, the same steps): soft-pause
//     first; start the web apps' and Optimize's backups, wait for both;
//     snapshot the records; take Zeebe's backup and wait; resume.
//   - 8.10 (docs/self-managed/operational-guides/backup-restore/backup/
//     elasticsearch/backup.md): the same order through the REST API.
//
// A newer release is taken to keep the newest documented order.
func Order(version string) (Plan, error) {
	major, minor, err := majorMinor(version)
	if err != nil {
		return Plan{}, err
	}
	name := fmt.Sprintf("%d.%d", major, minor)
	switch {
	case major < 8 || major == 8 && minor < 6:
		return Plan{}, fmt.Errorf("camunda version %s: the whole backup covers Camunda 8.6 and later (before 8.6, Optimize's own backup and the components' differ in ways this provider does not take)", version)
	case major == 8 && minor <= 7:
		return Plan{Version: name, API: ComponentActuators, Source: "camunda-docs versioned_docs/version-" + name + "/self-managed/operational-guides/backup-restore/backup.md",
			Steps: []Step{
				{Start, Optimize}, {Start, Operate}, {Start, Tasklist},
				{Wait, Optimize}, {Wait, Operate}, {Wait, Tasklist},
				{Action: PauseExporting},
				{SnapshotRecords, Records},
				{Start, Zeebe}, {Wait, Zeebe},
				{Action: ResumeExporting},
			}}, nil
	}
	plan := Plan{Version: name, API: ManagementActuators, Steps: []Step{
		{Action: PauseExporting},
		{Start, Webapps}, {Start, Optimize},
		{Wait, Webapps}, {Wait, Optimize},
		{SnapshotRecords, Records},
		{Start, Zeebe}, {Wait, Zeebe},
		{Action: ResumeExporting},
	}}
	switch {
	case major == 8 && minor == 8:
		plan.Source = "camunda-docs versioned_docs/version-8.8/self-managed/operational-guides/backup-restore/backup.md"
	case major == 8 && minor == 9:
		plan.Source = "camunda-docs versioned_docs/version-8.9/self-managed/operational-guides/backup-restore/elasticsearch/backup.md"
	default:
		plan.API = OrchestrationREST
		plan.Source = "camunda-docs docs/self-managed/operational-guides/backup-restore/backup/elasticsearch/backup.md"
	}
	return plan, nil
}

// Families are the snapshot families a whole backup of the plan's version
// leaves (what the verdict expects).
func (p Plan) Families() []Component {
	var out []Component
	for _, s := range p.Steps {
		switch {
		case s.Action == Start && s.Component != Zeebe:
			out = append(out, s.Component)
		case s.Action == SnapshotRecords:
			out = append(out, Records)
		}
	}
	return out
}

func majorMinor(version string) (int, int, error) {
	parts := strings.SplitN(strings.TrimSpace(version), ".", 3)
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("camunda version %q is not of the form X.Y or X.Y.Z", version)
	}
	major, err1 := strconv.Atoi(parts[0])
	minorDigits := parts[1]
	minor, err2 := strconv.Atoi(minorDigits)
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, fmt.Errorf("camunda version %q is not of the form X.Y or X.Y.Z", version)
	}
	return major, minor, nil
}
