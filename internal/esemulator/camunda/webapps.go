// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The web apps' backups: BackupServiceImpl of webapps-backup (8.8+) and of
// Operate and Tasklist (8.6/8.7), over the engine's snapshot API.

type appKind int

const (
	webapps  appKind = iota // 8.8+: camunda_webapps_
	operate                 // 8.6/8.7: camunda_operate_
	tasklist                // 8.6/8.7: camunda_tasklist_
)

// prefix is the snapshot name prefix: WebappsSnapshotNameProvider
// (SNAPSHOT_NAME_PREFIX "camunda_webapps_"), Operate's and Tasklist's
// Metadata ("camunda_operate_", "camunda_tasklist_").
func (k appKind) prefix() string {
	switch k {
	case operate:
		return "camunda_operate_"
	case tasklist:
		return "camunda_tasklist_"
	}
	return "camunda_webapps_"
}

// SnapshotName is "<prefix><backupId>_<version>_part_<n>_of_<N>"
// (WebappsSnapshotNameProvider; Operate's and Tasklist's Metadata).
func SnapshotName(prefix string, backupID int64, version string, n, count int) string {
	return fmt.Sprintf("%s%d_%s_part_%d_of_%d", prefix, backupID, strings.ToLower(version), n, count)
}

// webappsApp is one application taking web apps backups; one at a time.
type webappsApp struct {
	kind    appKind
	running bool
}

// History states (HistoryStateCode; Operate's and Tasklist's BackupStateDto).
const (
	StateIncompatible = "INCOMPATIBLE"
)

// incompleteTimeout is BackupRepositoryProps.defaultIncompleteCheckTimeoutInSeconds
// (5 * 60): a backup missing parts is IN_PROGRESS that long after its last
// part ended, then INCOMPLETE.
const incompleteTimeout = 300 * time.Second

// webError is an exception of the backup service, mapped to a status by
// each version's controller.
type webError struct {
	kind errKind
	msg  string
}

type errKind int

const (
	errInvalid     errKind = iota // InvalidRequestException → 400
	errDuplicate                  // InvalidRequestException of an id taken or a backup running → 400 (8.10 /v2: 409)
	errNotFound                   // ResourceNotFoundException → 404
	errMissingRepo                // MissingRepositoryException / "No backup repository configured." (8.6/8.7) → 404
	errConnection                 // BackupRepositoryConnectionException → 502
	errInternal                   // anything else → 500
)

func (e *webError) Error() string { return e.msg }

func asWebError(err error) *webError {
	var we *webError
	if errors.As(err, &we) {
		return we
	}
	var ee errEngine
	if errors.As(err, &ee) {
		return &webError{errConnection, "Encountered an error connecting to Elasticsearch while retrieving snapshots: " + err.Error()}
	}
	return &webError{errInternal, err.Error()}
}

// HistoryDetail is one part of a web apps backup (HistoryBackupDetail;
// Operate's and Tasklist's SnapshotDto).
type HistoryDetail struct {
	SnapshotName string   `json:"snapshotName"`
	State        string   `json:"state"`
	StartTime    *string  `json:"startTime"`
	Failures     []string `json:"failures"`
}

// HistoryBackup is a web apps backup (HistoryBackupInfo; GetBackupStateResponseDto).
type HistoryBackup struct {
	BackupID      int64           `json:"backupId"`
	State         string          `json:"state"`
	FailureReason *string         `json:"failureReason"`
	Details       []HistoryDetail `json:"details"`
}

func (t *Twin) parts(k appKind) []part {
	switch k {
	case operate:
		return operateParts()
	case tasklist:
		return tasklistParts()
	}
	return webappsParts(t.minor)
}

// takeWebapps schedules backup id of app k and returns its snapshot names
// (BackupServiceImpl.takeBackup): the repository must be configured and
// exist, no snapshot of the id may exist, no other backup may be running;
// then the parts are taken one after the other in the background.
func (t *Twin) takeWebapps(ctx context.Context, k appKind, app *webappsApp, id int64) ([]string, error) {
	repo := t.cfg.Repository
	if repo == "" {
		if t.minor <= 7 {
			return nil, &webError{errMissingRepo, "No backup repository configured."}
		}
		return nil, &webError{errInvalid, "No backup repository configured."}
	}
	ok, err := t.engine.repositoryExists(ctx, repo)
	if err != nil {
		return nil, asWebError(err)
	}
	if !ok {
		return nil, &webError{errMissingRepo, fmt.Sprintf("No repository with name [%s] could be found.", repo)}
	}
	// validateNoDuplicateBackupId: GET _snapshot/<repo>/<prefix><id>_*.
	existing, err := t.engine.snapshots(ctx, repo, fmt.Sprintf("%s%d_*", k.prefix(), id))
	if err != nil {
		return nil, asWebError(err)
	}
	if len(existing) > 0 {
		names := make([]string, len(existing))
		for i, s := range existing {
			names[i] = s.Snapshot
		}
		return nil, &webError{errDuplicate, fmt.Sprintf("A backup with ID [%d] already exists. Found snapshots: [%s]", id, strings.Join(names, ", "))}
	}
	parts, err := t.validParts(ctx, k)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil, &webError{errInternal, "the application is shutting down"}
	}
	if app.running {
		t.mu.Unlock()
		return nil, &webError{errDuplicate, "Another backup is running at the moment"}
	}
	app.running = true
	fail := t.faults.webapps
	t.faults.webapps = false
	t.inflight++
	t.mu.Unlock()

	names := make([]string, len(parts))
	for i := range parts {
		names[i] = SnapshotName(k.prefix(), id, t.version, i+1, len(parts))
	}
	go t.snapshotParts(app, id, parts, names, fail)
	return names, nil
}

// validParts are the parts of a backup taken now. 8.6/8.7 take all six
// (getIndexPatternsOrdered). 8.8+ skip a dated part no index matches
// (BackupServiceImpl.getValidIndexPatterns: "skip this part if there is no
// index, but they are not required"); a missing main index fails the take
// (IndexNotFoundException; GAP: its text, here Elasticsearch's).
func (t *Twin) validParts(ctx context.Context, k appKind) ([]part, error) {
	all := t.parts(k)
	if k != webapps {
		return all, nil
	}
	have, err := t.engine.indices(ctx)
	if err != nil {
		return nil, asWebError(err)
	}
	var out []part
	for _, p := range all {
		if !p.dated {
			for _, n := range p.names {
				if !have[n] {
					return nil, &webError{errInternal, fmt.Sprintf("no such index [%s]", n)}
				}
			}
			out = append(out, p)
			continue
		}
		for ix := range have {
			if matchesDated(p, ix) {
				out = append(out, p)
				break
			}
		}
	}
	return out, nil
}

func matchesDated(p part, index string) bool {
	for _, n := range p.names {
		if strings.HasPrefix(index, n) && index != n {
			return true
		}
	}
	return false
}

// snapshotParts takes the parts strictly one after another
// (BackupServiceImpl.scheduleNextSnapshot chains the next on success; on a
// failure the queue is cleared).
func (t *Twin) snapshotParts(app *webappsApp, id int64, parts []part, names []string, fail bool) {
	defer func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		app.running = false
		if t.inflight--; t.inflight == 0 {
			close(t.idle)
			t.idle = make(chan struct{})
		}
	}()
	ctx := t.ctx
	for i, p := range parts {
		if fail && i == 0 {
			if err := t.engine.failSnapshot(ctx, names[i], "Failed to write a shard of the snapshot (fault injected by the Camunda twin)"); err != nil {
				return
			}
		}
		meta := map[string]any{"backupId": id, "version": t.version, "partNo": i + 1, "partCount": len(parts)}
		state, err := t.engine.createSnapshot(ctx, t.cfg.Repository, names[i], p.patterns(), meta)
		if err != nil || state != "SUCCESS" {
			return
		}
	}
}

// webappsBackup reads backup id back from the engine's snapshots
// (BackupServiceImpl.getBackupState / getBackupResponse).
func (t *Twin) webappsBackup(ctx context.Context, k appKind, id int64) (HistoryBackup, error) {
	if err := t.requireRepository(); err != nil {
		return HistoryBackup{}, err
	}
	snaps, err := t.engine.snapshots(ctx, t.cfg.Repository, fmt.Sprintf("%s%d_*", k.prefix(), id))
	if err != nil {
		return HistoryBackup{}, asWebError(err)
	}
	if len(snaps) == 0 {
		// snapshot_missing_exception → ResourceNotFoundException (GAP §9.8:
		// an empty answer of Elasticsearch 8 is taken as the same).
		return HistoryBackup{}, &webError{errNotFound, fmt.Sprintf("No backup with id [%d] found.", id)}
	}
	return t.aggregate(id, snaps), nil
}

func (t *Twin) requireRepository() error {
	if t.cfg.Repository != "" {
		return nil
	}
	if t.minor <= 7 {
		return &webError{errMissingRepo, "No backup repository configured."}
	}
	return &webError{errInvalid, "No backup repository configured."}
}

// aggregate is getBackupResponse: COMPLETED when every expected part is
// there and SUCCESS; FAILED when one FAILED or PARTIAL; INCOMPATIBLE; then
// IN_PROGRESS; parts missing: IN_PROGRESS until incompleteTimeout after the
// last part ended, then INCOMPLETE; more parts than expected: FAILED.
func (t *Twin) aggregate(id int64, snaps []engineSnapshot) HistoryBackup {
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].StartTime < snaps[j].StartTime })
	out := HistoryBackup{BackupID: id}
	count, _ := snaps[0].metaInt("partCount")
	var failed, partial []string
	var incompatible, inProgress bool
	var lastEnd int64
	for _, s := range snaps {
		start := time.UnixMilli(s.StartTime).UTC().Format("2006-01-02T15:04:05.000-0700")
		d := HistoryDetail{SnapshotName: s.Snapshot, State: s.State, StartTime: &start, Failures: []string{}}
		for _, f := range s.Failures {
			d.Failures = append(d.Failures, f.Reason)
		}
		out.Details = append(out.Details, d)
		switch s.State {
		case "FAILED":
			failed = append(failed, s.Snapshot)
		case "PARTIAL":
			partial = append(partial, s.Snapshot)
		case StateIncompatible:
			incompatible = true
		case StateInProgress:
			inProgress = true
		}
		lastEnd = max(lastEnd, s.EndTime)
	}
	reason := func(s string) { out.FailureReason = &s }
	n := int64(len(snaps))
	switch {
	case n == count && len(failed) == 0 && len(partial) == 0 && !incompatible && !inProgress:
		out.State = StateCompleted
	case len(failed) > 0:
		out.State = StateFailed
		reason("There were failures with the following snapshots: " + strings.Join(failed, ", "))
	case len(partial) > 0:
		out.State = StateFailed
		reason("Some of the snapshots are partial: " + strings.Join(partial, ", "))
	case incompatible:
		out.State = StateIncompatible
	case inProgress:
		out.State = StateInProgress
	case n < count:
		out.State = StateInProgress
		if t.now().Sub(time.UnixMilli(lastEnd)) >= incompleteTimeout {
			out.State = StateIncomplete
		}
	default:
		out.State = StateFailed
		reason("More snapshots found than expected.")
	}
	return out
}

// webappsList is every backup of app k, newest first (getBackups: the
// snapshots "<prefix>*" sorted by start time, grouped by the metadata's
// backupId).
func (t *Twin) webappsList(ctx context.Context, k appKind) ([]HistoryBackup, error) {
	if err := t.requireRepository(); err != nil {
		return nil, err
	}
	snaps, err := t.engine.snapshots(ctx, t.cfg.Repository, k.prefix()+"*")
	if err != nil {
		return nil, asWebError(err)
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].StartTime > snaps[j].StartTime })
	groups := map[int64][]engineSnapshot{}
	var order []int64
	for _, s := range snaps {
		id, ok := s.metaInt("backupId")
		if !ok {
			id = idFromName(k.prefix(), s.Snapshot)
		}
		if _, seen := groups[id]; !seen {
			order = append(order, id)
		}
		groups[id] = append(groups[id], s)
	}
	out := []HistoryBackup{}
	for _, id := range order {
		out = append(out, t.aggregate(id, groups[id]))
	}
	return out, nil
}

// idFromName parses the backup id from a name (metadata without backupId:
// "backward compatibility with v. 8.1").
func idFromName(prefix, name string) int64 {
	rest := strings.TrimPrefix(name, prefix)
	i := strings.IndexByte(rest, '_')
	if i < 0 {
		return 0
	}
	id, _ := strconv.ParseInt(rest[:i], 10, 64)
	return id
}

// deleteWebapps deletes backup id (BackupServiceImpl.deleteBackup): the
// metadata of one of its snapshots gives the part count, then parts
// 1..partCount are deleted by name (8.6/8.7 with the current version, 8.8+
// with the metadata's); a missing one is skipped.
func (t *Twin) deleteWebapps(ctx context.Context, k appKind, id int64) error {
	if err := t.requireRepository(); err != nil {
		return err
	}
	snaps, err := t.engine.snapshots(ctx, t.cfg.Repository, fmt.Sprintf("%s%d_*", k.prefix(), id))
	if err != nil {
		return asWebError(err)
	}
	if len(snaps) == 0 {
		if k == webapps {
			return &webError{errNotFound, fmt.Sprintf("Expected to find backup with ID '%d', but no metadata for it found", id)}
		}
		return &webError{errNotFound, "Not a single snapshot corresponding to given ID exist."}
	}
	count, _ := snaps[0].metaInt("partCount")
	version := t.version
	if v := snaps[0].metaString("version"); k == webapps && v != "" {
		version = v
	}
	for n := 1; n <= int(count); n++ {
		if err := t.engine.deleteSnapshot(ctx, t.cfg.Repository, SnapshotName(k.prefix(), id, version, n, int(count))); err != nil {
			return asWebError(err)
		}
	}
	return nil
}

// WebappsSnapshots are the names of the web apps' snapshots of backup id
// in the engine (8.6/8.7: Operate's and Tasklist's).
func (t *Twin) WebappsSnapshots(ctx context.Context, id int64) ([]string, error) {
	var out []string
	for _, k := range t.kinds() {
		snaps, err := t.engine.snapshots(ctx, t.cfg.Repository, fmt.Sprintf("%s%d_*", k.prefix(), id))
		if err != nil {
			return nil, err
		}
		for _, s := range snaps {
			out = append(out, s.Snapshot)
		}
	}
	sort.Strings(out)
	return out, nil
}

func (t *Twin) kinds() []appKind {
	if t.minor <= 7 {
		return []appKind{operate, tasklist}
	}
	return []appKind{webapps}
}
