// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// A platform backup policy takes a whole backup (Create) whenever its newest
// backup that is complete everywhere started longer ago than Every, and
// applies retention by id across every component. Its ids are those whose
// Optimize snapshots carry its name in their metadata (optimize.PolicyKey
// and PlatformPolicyKey);
// it never deletes another id. What it decides is a pure function of its
// ids and the time (EvaluatePolicy); the Service lists, takes and deletes.

// PlatformPolicyKey is the snapshot metadata key that, beside
// optimize.PolicyKey, names the platform policy that took a whole backup:
// an optimize_backup_policy of the same name writes optimize.PolicyKey
// only, and its Optimize-only backups are never taken for a platform
// policy's ids.
const PlatformPolicyKey = "platform_policy"

// Policy is a platform backup policy's schedule and retention.
type Policy struct {
	Name string
	// Every: a backup is due when the newest id complete everywhere
	// started longer ago than this (or there is none).
	Every time.Duration
	// The retention rules of optimize.Retain.
	KeepLast                                       int
	KeepDaily, KeepWeekly, KeepMonthly, KeepYearly int
	Location                                       *time.Location
	MaxAge                                         time.Duration
	MinCount                                       int
	// StaleAfter: an id still IN_PROGRESS in some component that started
	// longer ago than this is stuck (0: never).
	StaleAfter time.Duration
}

func (p Policy) retention() optimize.Retention {
	return optimize.Retention{KeepLast: p.KeepLast, KeepDaily: p.KeepDaily, KeepWeekly: p.KeepWeekly, KeepMonthly: p.KeepMonthly,
		KeepYearly: p.KeepYearly, Location: p.Location, MaxAge: p.MaxAge, MinCount: p.MinCount}
}

// PolicyBackup is one id of a policy, as its components report it.
type PolicyBackup struct {
	ID int64 `json:"id"`
	// Start is the earliest start of the id's snapshots, End the latest end
	// (zero while one runs).
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// State is COMPLETED only when every family and Zeebe's backup are.
	State optimize.State `json:"state"`
	// Incomplete names each component or family that is not COMPLETED,
	// with what it reports ("webapps: 1 of 6 parts", "zeebe: FAILED").
	Incomplete []string `json:"incomplete,omitempty"`
	// InProgress: some component's backup of the id is still running.
	InProgress bool `json:"in_progress,omitempty"`
	// ZeebeState is Zeebe's backup state of the id (DOES_NOT_EXIST when it
	// has none); empty when Zeebe was not asked.
	ZeebeState State `json:"zeebe_state,omitempty"`
	// Components is each component's state of the id: every family
	// expected and Zeebe (once read), with the family's snapshot times.
	Components map[Component]ComponentState `json:"components,omitempty"`
	// RecordsToken is the create token of the id's records snapshot when
	// that snapshot carries the policy's name; empty otherwise (it is
	// then not the policy's, and never deleted).
	RecordsToken string `json:"records_token,omitempty"`
}

// ComponentState is one component's backup of an id.
type ComponentState struct {
	State      optimize.State `json:"state"`
	Start, End time.Time
}

// Complete reports whether the id is COMPLETED in every family and Zeebe.
func (b PolicyBackup) Complete() bool { return b.State == optimize.StateCompleted }

// PolicyStatus is what a policy's ids say at a moment.
type PolicyStatus struct {
	// Backups are the policy's ids, oldest first.
	Backups []PolicyBackup
	// NewestComplete is the newest id complete everywhere; nil when none.
	NewestComplete *PolicyBackup
	Due            bool
	// Expiring are the ids retention deletes now, oldest first; Why says
	// why no rule keeps each; RetainedBy names the rules that keep each
	// id complete everywhere.
	Expiring   []int64
	Why        map[int64]string
	RetainedBy map[int64][]string
	// Stuck are the ids IN_PROGRESS for longer than StaleAfter.
	Stuck []PolicyBackup
	// NewestIncomplete is the newest id when it has ended and is not
	// complete everywhere; nil otherwise.
	NewestIncomplete *PolicyBackup
}

// EvaluatePolicy decides, for a policy's ids at now: whether a backup is
// due, which ids retention deletes and why, which rules keep the others.
//
// The ids complete everywhere go through optimize.Retain's rules. Retention
// never deletes: an id while any component of it is IN_PROGRESS, the newest
// id complete everywhere (whatever the rules say), or an id newer than it.
// An id that has ended incomplete and is older than the newest complete one
// is deleted (it restores nothing); a newer one is kept for the operator.
func EvaluatePolicy(p Policy, backups []PolicyBackup, now time.Time) PolicyStatus {
	st := PolicyStatus{Backups: slices.Clone(backups), Why: map[int64]string{}, RetainedBy: map[int64][]string{}}
	sort.SliceStable(st.Backups, func(i, j int) bool { return before(st.Backups[i], st.Backups[j]) })
	var candidates []optimize.Candidate
	for i, b := range st.Backups {
		switch {
		case b.Complete():
			candidates = append(candidates, optimize.Candidate{ID: backupID(b.ID), Start: b.Start})
			st.NewestComplete = &st.Backups[i]
		case b.InProgress:
			if p.StaleAfter > 0 && now.Sub(b.Start) > p.StaleAfter {
				st.Stuck = append(st.Stuck, b)
			}
		}
	}
	if n := len(st.Backups); n > 0 && !st.Backups[n-1].Complete() && !st.Backups[n-1].InProgress {
		st.NewestIncomplete = &st.Backups[n-1]
	}
	if st.NewestComplete == nil {
		st.Due = true
		return st
	}
	newest := *st.NewestComplete
	st.Due = now.Sub(newest.Start) >= p.Every
	kept := optimize.Retain(p.retention(), candidates, now)
	for id, rules := range kept.RetainedBy {
		if n, err := strconv.ParseInt(string(id), 10, 64); err == nil {
			st.RetainedBy[n] = slices.Clone(rules)
		}
	}
	st.RetainedBy[newest.ID] = appendMissing(st.RetainedBy[newest.ID], optimize.RuleNewestCompleted)
	for _, b := range st.Backups {
		switch {
		case b.ID == newest.ID || b.InProgress || !before(b, newest):
			continue
		case b.Complete():
			if why, ok := kept.Why[backupID(b.ID)]; ok && slices.Contains(kept.Expiring, backupID(b.ID)) {
				st.Why[b.ID] = why
			}
		default:
			st.Why[b.ID] = fmt.Sprintf("it is %s (%s) and older than %d, the newest backup complete everywhere: it restores nothing",
				b.State, strings.Join(b.Incomplete, "; "), newest.ID)
		}
		if _, ok := st.Why[b.ID]; ok {
			st.Expiring = append(st.Expiring, b.ID)
			delete(st.RetainedBy, b.ID)
		}
	}
	return st
}

func appendMissing(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

func backupID(id int64) optimize.BackupID { return optimize.BackupID(strconv.FormatInt(id, 10)) }

// before orders ids by start, then by id.
func before(a, b PolicyBackup) bool {
	if !a.Start.Equal(b.Start) {
		return a.Start.Before(b.Start)
	}
	return a.ID < b.ID
}

// PolicyDecision is what an apply of the policy does now: take a backup
// (Due), then delete Expiring, what retention expires once that backup is
// complete everywhere, with Why for each.
type PolicyDecision struct {
	Status   PolicyStatus
	Due      bool
	Expiring []int64
	Why      map[int64]string
}

// plannedID stands for the id of the backup an apply takes.
const plannedID = int64(-1)

// DecidePolicy is what an apply at now does: a backup when one is due
// (always when the policy is being created), and the retention that
// follows, counted as if that backup were complete at now: retention never
// deletes before the new backup is good (the apply deletes nothing when it
// fails, and checks again once it has it).
func DecidePolicy(p Policy, backups []PolicyBackup, now time.Time, creating bool) PolicyDecision {
	st := EvaluatePolicy(p, backups, now)
	d := PolicyDecision{Status: st, Due: st.Due || creating, Expiring: st.Expiring, Why: st.Why}
	if d.Due {
		planned := PolicyBackup{ID: plannedID, Start: now, End: now, State: optimize.StateCompleted}
		after := EvaluatePolicy(p, append(slices.Clone(backups), planned), now)
		d.Expiring, d.Why = after.Expiring, after.Why
	}
	return d
}

// PolicyListing is a policy's ids as read, and the final Zeebe states
// read for them (what a later listing need not read again).
type PolicyListing struct {
	Backups []PolicyBackup
	// ZeebeFinal are Zeebe's states of the ids that will not change any
	// more (COMPLETED, FAILED, ...), to hand to the next ListPolicy.
	ZeebeFinal map[int64]State
	// OptimizePolicyIDs are the ids of Optimize backups whose snapshots
	// carry the policy's name as optimize.PolicyKey only: an
	// optimize_backup_policy of the same name, whose retention would take
	// the platform policy's Optimize snapshots for its own.
	OptimizePolicyIDs []string
	// MaxID is the largest numeric id of the repositories' snapshots of
	// any family (0: none): the policy's next id is above it.
	MaxID int64
	// Requests counts the requests the listing sent.
	Requests int
}

// ListPolicy reads policy's ids: one listing of every snapshot per
// repository (req.Repository, and req.WebappsRepository when it differs),
// the families judged from it (EvaluateFamilies), and Zeebe's backup of the
// ids whose state the families and known (Zeebe's final states read
// before) do not settle: an id of which Zeebe's state is not known final,
// the newest id, and the newest ids whose families are complete down to the
// first that Zeebe has COMPLETED (a restore point is never trusted on an
// old read). It sends read requests only.
func (s *Service) ListPolicy(ctx context.Context, req Request, policy string, known map[int64]State) (PolicyListing, error) {
	plan, err := Order(req.Version)
	if err != nil {
		return PolicyListing{}, err
	}
	out := PolicyListing{ZeebeFinal: map[int64]State{}}
	byID := map[int64]map[string][]optimize.Snapshot{}
	for _, repo := range uniq(req.Repository, req.webappsRepository()) {
		snaps, err := s.Optimize.Cluster.Snapshots(ctx, repo, "camunda_*")
		out.Requests++
		if err != nil {
			return out, fmt.Errorf("listing the snapshots of repository %q: %w", repo, err)
		}
		for _, sn := range snaps {
			n, ok := ParseSnapshotName(sn.Name)
			if ok && n.Family == Optimize && sn.Metadata[optimize.PolicyKey] == policy && sn.Metadata[PlatformPolicyKey] != policy &&
				!slices.Contains(out.OptimizePolicyIDs, string(n.ID)) {
				out.OptimizePolicyIDs = append(out.OptimizePolicyIDs, string(n.ID))
			}
			id, err := strconv.ParseInt(string(n.ID), 10, 64)
			if !ok || err != nil {
				continue
			}
			out.MaxID = max(out.MaxID, id)
			if req.RepositoryOf(n.Family) != repo {
				continue
			}
			if byID[id] == nil {
				byID[id] = map[string][]optimize.Snapshot{}
			}
			byID[id][repo] = append(byID[id][repo], sn)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		if b, ok := policyBackup(id, byID[id], policy, req.RepositoryOf, plan.Families()); ok {
			out.Backups = append(out.Backups, b)
		}
	}
	sort.SliceStable(out.Backups, func(i, j int) bool { return before(out.Backups[i], out.Backups[j]) })
	if err := s.readZeebe(ctx, &out, known); err != nil {
		return out, err
	}
	return out, nil
}

// policyBackup is id judged by its families, when it is policy's: one of
// its Optimize snapshots carries the policy's name.
func policyBackup(id int64, byRepository map[string][]optimize.Snapshot, policy string, repositoryOf func(Component) string, expect []Component) (PolicyBackup, bool) {
	b := PolicyBackup{ID: id}
	ours := false
	for _, snaps := range byRepository {
		for _, sn := range snaps {
			n, _ := ParseSnapshotName(sn.Name)
			marked := sn.Metadata[optimize.PolicyKey] == policy && sn.Metadata[PlatformPolicyKey] == policy
			switch {
			case n.Family == Optimize && marked:
				ours = true
			case n.Family == Records && marked:
				b.RecordsToken, _ = sn.Metadata[optimize.CreateTokenKey].(string)
			}
			if b.Start.IsZero() || sn.StartTime.Before(b.Start) {
				b.Start = sn.StartTime
			}
			b.End = later(b.End, sn.EndTime)
		}
	}
	if !ours {
		return b, false
	}
	v, err := EvaluateFamilies(backupID(id), byRepository, repositoryOf, expect)
	if err != nil {
		// Not reachable: an Optimize snapshot of the id was just seen.
		b.State, b.Incomplete = optimize.StateIncomplete, []string{err.Error()}
		return b, true
	}
	b.State = v.State
	b.Components = map[Component]ComponentState{}
	for _, f := range v.Families {
		if !slices.Contains(expect, f.Family) {
			continue
		}
		c := ComponentState{State: f.State}
		for _, sn := range f.Snapshots {
			if c.Start.IsZero() || sn.StartTime.Before(c.Start) {
				c.Start = sn.StartTime
			}
			c.End = later(c.End, sn.EndTime)
		}
		b.Components[f.Family] = c
		if f.State != optimize.StateCompleted {
			b.Incomplete = append(b.Incomplete, fmt.Sprintf("%s: %s %s", f.Family, f.State, f.Reason))
			b.InProgress = b.InProgress || f.State == optimize.StateInProgress
		}
	}
	return b, true
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// readZeebe folds Zeebe's backup of each id into its state, reading only
// what ListPolicy says it reads.
func (s *Service) readZeebe(ctx context.Context, l *PolicyListing, known map[int64]State) error {
	fresh := map[int64]bool{}
	if n := len(l.Backups); n > 0 {
		fresh[l.Backups[n-1].ID] = true
	}
	for i := len(l.Backups) - 1; i >= 0; i-- {
		b := &l.Backups[i]
		zs, ok := known[b.ID]
		if !ok || !zs.Done() || fresh[b.ID] || b.State == optimize.StateCompleted && !newerComplete(l.Backups, i) {
			read, err := s.readZeebeState(ctx, b.ID)
			l.Requests++
			if err != nil {
				return err
			}
			zs = read
		}
		if zs.Done() && zs != StateDoesNotExist {
			l.ZeebeFinal[b.ID] = zs
		}
		b.ZeebeState = zs
		foldZeebe(b, zs)
	}
	return nil
}

// newerComplete: an id newer than l[i] is complete everywhere, Zeebe
// read (l is oldest first, and read newest first).
func newerComplete(l []PolicyBackup, i int) bool {
	for _, b := range l[i+1:] {
		if b.Complete() && b.ZeebeState == StateCompleted {
			return true
		}
	}
	return false
}

func (s *Service) readZeebeState(ctx context.Context, id int64) (State, error) {
	zb, err := s.Camunda.ReadBackup(ctx, Zeebe, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return StateDoesNotExist, nil
	case err != nil:
		return "", fmt.Errorf("reading Zeebe's backup %d: %w", id, err)
	}
	return zb.State, nil
}

// foldZeebe makes the id's state COMPLETED only when Zeebe's is too.
func foldZeebe(b *PolicyBackup, zs State) {
	if b.Components == nil {
		b.Components = map[Component]ComponentState{}
	}
	b.Components[Zeebe] = ComponentState{State: zeebeState(zs), Start: b.Start, End: b.End}
	if zs == StateCompleted {
		return
	}
	b.Incomplete = append(b.Incomplete, fmt.Sprintf("zeebe: %s", zs))
	state := zeebeState(zs)
	if stateRank[state] < stateRank[b.State] {
		b.State = state
	}
	b.InProgress = b.InProgress || zs == StateInProgress
}

// maxIDAttempts bounds the ids TakeForPolicy tries when a concurrent
// writer takes the id it chose before it could.
const maxIDAttempts = 3

// TakeForPolicy takes the policy's next whole backup (CreateForPolicy) and
// returns its id: the cluster's clock in unix seconds, above Zeebe's latest
// backup id and above every id of the repositories' snapshots (above: an
// Optimize backup policy takes unix seconds too). An id refused before any
// write because a concurrent writer took it meanwhile (a backup of it
// exists, or Zeebe's latest reached it) is retried with the next one.
func (s *Service) TakeForPolicy(ctx context.Context, req Request, policy string, now time.Time, above int64, progress func(Event)) (int64, Created, error) {
	latest, err := s.Camunda.LatestZeebeBackupID(ctx)
	if err != nil {
		return 0, Created{}, fmt.Errorf("reading Zeebe's latest backup id (the next one must be greater): %w", err)
	}
	req.ID = max(now.Unix(), latest+1, above+1)
	for attempt := 1; ; attempt++ {
		created, err := s.CreateForPolicy(ctx, req, policy, progress)
		var exists *BackupExistsError
		var notAbove *IDNotAboveLatestError
		switch {
		case attempt < maxIDAttempts && len(created.Started) == 0 && errors.As(err, &exists):
			req.ID++
		case attempt < maxIDAttempts && len(created.Started) == 0 && errors.As(err, &notAbove):
			req.ID = max(req.ID, notAbove.Latest) + 1
		default:
			return req.ID, created, err
		}
	}
}

// CreateForPolicy takes whole backup req.ID as Create does, with the
// policy's name in the metadata of the snapshots it takes (Optimize's two
// and the records'): they mark the id as the policy's. When Create fails
// before any snapshot of Optimize's was started, nothing would mark the
// id: what it started is deleted at once (only those components), and the
// error says so.
func (s *Service) CreateForPolicy(ctx context.Context, req Request, policy string, progress func(Event)) (Created, error) {
	marked := *s
	opt := *s.Optimize
	opt.Cluster = policyCluster{Cluster: s.Optimize.Cluster, policy: policy}
	marked.Optimize = &opt
	created, err := marked.Create(ctx, req, progress)
	if err == nil || len(created.Started) == 0 || Marked(created) {
		return created, err
	}
	owner := optimize.Owner{Policy: policy}
	derr := s.Delete(context.WithoutCancel(ctx), req, owner, noToken(created.RecordsToken), created.Started)
	if derr != nil {
		return created, fmt.Errorf("%w; what it started (%s) is not marked as policy %q's and could not be deleted: %w: delete backup %d of those components by hand",
			err, strings.Join(names(created.Started), ", "), policy, derr, req.ID)
	}
	return created, fmt.Errorf("%w; what it started (%s) was deleted, as nothing marks it as policy %q's", err, strings.Join(names(created.Started), ", "), policy)
}

// Marked reports whether a Create for a policy left a snapshot that marks
// the id as the policy's: one of Optimize's (its outcome may be unknown).
func Marked(created Created) bool { return len(created.Optimize.Snapshots) > 0 }

// noToken is a token no snapshot carries when token is empty: Delete takes
// an empty token for "any records snapshot", which a policy never deletes.
func noToken(token string) string {
	if token == "" {
		return "(none)"
	}
	return token
}

// policyCluster adds the policy's name to the metadata of every snapshot
// it creates (optimize.PolicyKey and PlatformPolicyKey).
type policyCluster struct {
	optimize.Cluster
	policy string
}

func (c policyCluster) CreateSnapshot(ctx context.Context, repository, name string, req optimize.SnapshotRequest) (*optimize.Snapshot, error) {
	meta := maps.Clone(req.Metadata)
	if meta == nil {
		meta = map[string]any{}
	}
	meta[optimize.PolicyKey], meta[PlatformPolicyKey] = c.policy, c.policy
	req.Metadata = meta
	return c.Cluster.CreateSnapshot(ctx, repository, name, req)
}

// ErrStillRunning: an id is not deleted while a component's backup of it
// runs.
var ErrStillRunning = errors.New("a component's backup of the id is still running")

// DeletePolicyBackup deletes policy's id b as a unit, and nothing that is
// not the policy's: Zeebe's and the web apps' (8.6, 8.7: Operate's and
// Tasklist's) backup of the id, waiting until each is gone; the records
// snapshot when it carries the policy's name (b.RecordsToken); then, only
// once all those are gone, Optimize's snapshots of the id that carry the
// policy's name: they mark the id as the policy's, so a deletion that
// stops halfway leaves it marked, and the next apply finishes it rather
// than leaving an orphan part. Zeebe is read first: an id whose backup
// runs anywhere is not deleted (ErrStillRunning).
func (s *Service) DeletePolicyBackup(ctx context.Context, req Request, policy string, b PolicyBackup) error {
	req.ID = b.ID
	if b.InProgress {
		return fmt.Errorf("backup %d: %w (%s)", b.ID, ErrStillRunning, strings.Join(b.Incomplete, "; "))
	}
	zs, err := s.readZeebeState(ctx, b.ID)
	if err != nil {
		return err
	}
	if zs == StateInProgress {
		return fmt.Errorf("backup %d: %w (zeebe: IN_PROGRESS)", b.ID, ErrStillRunning)
	}
	plan, err := Order(req.Version)
	if err != nil {
		return err
	}
	var errs []error
	for _, st := range plan.Steps {
		if st.Action != Start || st.Component == Optimize {
			continue
		}
		if err := s.deleteCamunda(ctx, st.Component, b.ID); err != nil {
			errs = append(errs, err)
		}
	}
	if b.RecordsToken != "" {
		if err := s.deleteRecords(ctx, req, b.RecordsToken); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("backup %d: %w (its Optimize snapshots, which mark it as the policy's, are kept until the rest is gone)", b.ID, errors.Join(errs...))
	}
	if err := s.Optimize.DeleteOwned(ctx, req.Repository, backupID(b.ID), optimize.Owner{Policy: policy}); err != nil {
		return fmt.Errorf("backup %d: optimize: %w", b.ID, err)
	}
	return nil
}
