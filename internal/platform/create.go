// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Created is what Create took.
type Created struct {
	Result
	Plan Plan
	// Optimize is Optimize's backup as Create took it (its create token
	// names the snapshots that are its own).
	Optimize optimize.Backup
	// RecordsToken is the create token in the records snapshot's metadata
	// (empty when it was not started).
	RecordsToken string
	// Started: the components whose backup of the id was started (their
	// outcome may be unknown), in order: what a failed create leaves.
	Started []Component
}

// Create takes backup req.ID of every component in the documented order of
// req.Version (Order), after Check. Exporting is resumed on every way out
// once it was paused (Run). On an error, Created says what was started.
func (s *Service) Create(ctx context.Context, req Request, progress func(Event)) (Created, error) {
	plan, err := s.Check(ctx, req)
	out := Created{Plan: plan}
	if err != nil {
		return out, err
	}
	ex := &executor{s: s, req: req, out: &out, progressOptimize: func(p optimize.PartProgress) {
		if progress != nil {
			progress(Event{Step: Step{Action: Start, Component: Optimize}, Part: &p})
		}
	}}
	out.Result, err = Run(ctx, plan, ex, progress)
	return out, err
}

// executor carries out the steps of one Create.
type executor struct {
	s                *Service
	req              Request
	out              *Created
	progressOptimize func(optimize.PartProgress)
}

func (e *executor) ResumeRequest() string { return e.s.Camunda.ResumeRequest() }

func (e *executor) Resume(ctx context.Context) error { return e.s.Camunda.ResumeExporting(ctx) }

func (e *executor) Do(ctx context.Context, st Step) error {
	id := e.req.ID
	switch {
	case st.Action == PauseExporting:
		return e.s.Camunda.PauseExporting(ctx)
	case st.Action == SnapshotRecords:
		return e.snapshotRecords(ctx)
	case st.Action == Start && st.Component == Optimize:
		e.out.Started = append(e.out.Started, Optimize)
		b, err := e.s.Optimize.Create(ctx, optimize.CreateRequest{
			ID: e.optimizeID(), Repository: e.req.Repository, Version: e.req.OptimizeVersion,
			IndexPrefix: e.req.IndexPrefix, Progress: e.progressOptimize,
		})
		e.out.Optimize = b
		return err
	case st.Action == Start:
		_, err := e.s.Camunda.StartBackup(ctx, st.Component, id)
		if !errors.Is(err, ErrRefused) {
			// Started, or its outcome unknown: the backup's own, which a
			// destroy deletes. A refusal started nothing: what exists of
			// the id there is another writer's, never recorded as ours.
			e.out.Started = append(e.out.Started, st.Component)
		}
		return err
	case st.Action == Wait && st.Component == Optimize:
		return e.waitOptimize(ctx)
	case st.Action == Wait:
		b, err := e.s.waitCamunda(ctx, st.Component, id)
		if err != nil {
			return err
		}
		if b.State != StateCompleted {
			return &ComponentFailedError{Component: st.Component, ID: id, State: b.State, Reason: b.FailureReason}
		}
		return nil
	}
	return fmt.Errorf("step %q: not a step of a whole backup", st)
}

func (e *executor) optimizeID() optimize.BackupID {
	return optimize.BackupID(strconv.FormatInt(e.req.ID, 10))
}

// waitOptimize waits until Optimize's part 2 has ended (part 1 ended
// before Create returned).
func (e *executor) waitOptimize(ctx context.Context) error {
	owner := optimize.Owner{Token: e.out.Optimize.Token}
	interval := e.s.pollInterval()
	for {
		b, err := e.s.Optimize.GetOwned(ctx, e.req.Repository, e.optimizeID(), owner)
		if err != nil {
			return err
		}
		if b.State != optimize.StateInProgress {
			b.Token, b.Warnings = e.out.Optimize.Token, e.out.Optimize.Warnings
			e.out.Optimize = b
			if b.State != optimize.StateCompleted {
				return &ComponentFailedError{Component: Optimize, ID: e.req.ID, State: State(b.State), Reason: b.FailureReason}
			}
			return nil
		}
		if err := sleep(ctx, interval); err != nil {
			return err
		}
		interval = e.s.nextInterval(interval)
	}
}

// snapshotRecords takes camunda_zeebe_records_backup_<id> of the exported
// records and waits for it. No index of the pattern is an error: an empty
// snapshot would be a restore point without Zeebe's history.
func (e *executor) snapshotRecords(ctx context.Context) error {
	pattern := e.req.recordsPattern()
	indices, err := e.s.Optimize.Cluster.Indices(ctx, pattern)
	if err != nil {
		return fmt.Errorf("listing the exported records' indices %s: %w", pattern, err)
	}
	if len(indices) == 0 {
		return fmt.Errorf("no index matches %s: the exported Zeebe records, which a whole backup holds, are not in this cluster "+
			"(check the Elasticsearch or OpenSearch exporter's index prefix and set records_index_pattern to it)", pattern)
	}
	name := RecordsSnapshotName(e.req.ID)
	e.out.Started = append(e.out.Started, Records)
	e.out.RecordsToken = newToken()
	snap, err := e.s.Optimize.Cluster.CreateSnapshot(ctx, e.req.Repository, name, optimize.SnapshotRequest{
		Indices:  []string{pattern},
		Metadata: map[string]any{"taken_by": "terraform-provider-optimize", optimize.CreateTokenKey: e.out.RecordsToken},
		Wait:     true,
	})
	switch {
	case err != nil:
		return fmt.Errorf("snapshot %s in repository %q: %w", name, e.req.Repository, err)
	case snap == nil:
		return fmt.Errorf("snapshot %s in repository %q: the engine accepted it but does not list it", name, e.req.Repository)
	case snap.State != optimize.SnapshotSuccess:
		return &ComponentFailedError{Component: Records, ID: e.req.ID, State: StateFailed,
			Reason: fmt.Sprintf("snapshot %s ended %s %s", name, snap.State, snap.Reason)}
	}
	return nil
}

// waitCamunda reads component's backup of id until it has ended.
func (s *Service) waitCamunda(ctx context.Context, component Component, id int64) (CamundaBackup, error) {
	interval := s.pollInterval()
	for {
		b, err := s.Camunda.ReadBackup(ctx, component, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return b, err
		}
		// Not found yet: a backup just scheduled may not be listed yet.
		if err == nil && b.State.Done() {
			return b, nil
		}
		if err := sleep(ctx, interval); err != nil {
			return b, err
		}
		interval = s.nextInterval(interval)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Service) pollInterval() time.Duration {
	if s.PollInterval > 0 {
		return s.PollInterval
	}
	return 100 * time.Millisecond
}

// maxPollWhilePaused bounds the interval between reads of a running backup:
// exporting is paused while most of them run (8.8 and later: all), and each
// interval can add its length to the pause (make bench, "platform": with
// intervals doubling to 5 s, the records snapshot started half a second
// after the web apps' 1.2 s backup ended). A read is one GET to Camunda or
// the engine; two a second cost nothing next to a paused exporter.
const maxPollWhilePaused = 500 * time.Millisecond

func (s *Service) nextInterval(d time.Duration) time.Duration {
	limit := s.MaxPollInterval
	if limit <= 0 || limit > maxPollWhilePaused {
		limit = maxPollWhilePaused
	}
	return min(2*d, limit)
}
