// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A backup policy takes a backup whenever its newest COMPLETED one is older
// than Every, and applies retention to its own backups (those whose
// snapshots carry its name in their metadata), deleting a backup as a unit:
// both parts in one request. What it decides is a pure function of its
// backups and the time (Evaluate); the Service only lists, takes and
// deletes.

// PolicyKey is the snapshot metadata key naming the policy that took a
// backup.
const PolicyKey = "policy"

// MaxPolicyNameLength bounds a policy name (it goes into every snapshot's
// metadata, which Elasticsearch limits to 1024 bytes, and into Optimize
// 3.9's string ids).
const MaxPolicyNameLength = 64

// Policy is a schedule and a retention.
type Policy struct {
	Name string
	// Every: a backup is due when the newest COMPLETED one started longer
	// ago than this (or there is none).
	Every time.Duration
	// KeepLast: at most this many COMPLETED backups are kept (0: no limit).
	KeepLast int
	// MaxAge: COMPLETED backups that started longer ago than this expire
	// (0: no limit)...
	MaxAge time.Duration
	// ... but never fewer than MinCount COMPLETED remain (at least 1: the
	// newest COMPLETED one is never deleted).
	MinCount int
	// KeepDaily, KeepWeekly, KeepMonthly, KeepYearly: calendar tiers; for
	// each of the last N days, ISO weeks, months or years with a COMPLETED
	// backup, the newest one of that period is kept (0: no tier). See
	// Retention.
	KeepDaily, KeepWeekly, KeepMonthly, KeepYearly int
	// Location: the time zone the tiers' periods are counted in (nil: UTC).
	Location *time.Location
	// StaleAfter: a backup still IN_PROGRESS that started longer ago than
	// this is stuck (0: never).
	StaleAfter time.Duration
}

// ValidatePolicyName accepts a name of lowercase ASCII letters, digits and
// '-', starting with a letter or digit, at most MaxPolicyNameLength long:
// it is valid in snapshot metadata and in an Optimize 3.9 id.
func ValidatePolicyName(name string) error {
	if name == "" {
		return errors.New("a policy name must not be empty")
	}
	if len(name) > MaxPolicyNameLength {
		return fmt.Errorf("policy name %q is %d characters long; at most %d", name, len(name), MaxPolicyNameLength)
	}
	for i, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && i > 0:
		default:
			return fmt.Errorf("policy name %q contains %q at position %d; a policy name is lowercase letters, digits and '-' (not first), as it goes into Optimize 3.9 backup ids", name, c, i)
		}
	}
	return nil
}

// Retention is the policy's retention rules.
func (p Policy) Retention() Retention {
	return Retention{
		KeepLast: p.KeepLast, KeepDaily: p.KeepDaily, KeepWeekly: p.KeepWeekly, KeepMonthly: p.KeepMonthly, KeepYearly: p.KeepYearly,
		Location: p.Location, MaxAge: p.MaxAge, MinCount: p.MinCount,
	}
}

// Takes reports whether a backup was taken by the policy: a snapshot of it
// carries the policy's name.
func (p Policy) Takes(b Backup) bool {
	for _, s := range b.Snapshots {
		if n, _ := s.Metadata[PolicyKey].(string); n == p.Name {
			return true
		}
	}
	return false
}

// PolicyStatus is what a policy's backups say at a moment.
type PolicyStatus struct {
	// Backups are the policy's backups, oldest first (by start).
	Backups []Backup
	// LatestCompleted is the newest COMPLETED backup; nil when none.
	LatestCompleted *Backup
	// Due: a backup is to be taken now.
	Due bool
	// Expiring are the backups retention deletes now, oldest first, and
	// Why says, for each, why no rule keeps it.
	Expiring []BackupID
	Why      map[BackupID]string
	// RetainedBy names, for each COMPLETED backup retention keeps, the
	// rules keeping it (Retain).
	RetainedBy map[BackupID][]string
	// Stuck are the backups IN_PROGRESS for longer than StaleAfter.
	Stuck []Backup
	// Failed are the backups FAILED, INCOMPATIBLE or INCOMPLETE.
	Failed []BackupID
	// NewestFailed is the newest backup when it is FAILED, INCOMPATIBLE
	// or INCOMPLETE; nil otherwise.
	NewestFailed *Backup
}

// Evaluate decides, for the policy's backups among backups, at now: whether
// a backup is due, what retention deletes, what is stuck or failed.
//
// Retention deletes only the policy's backups, and never: one IN_PROGRESS,
// the newest COMPLETED one, or one of the newest MinCount COMPLETED ones;
// which COMPLETED ones it deletes is the policy's Retention (Retain).
// FAILED, INCOMPATIBLE and INCOMPLETE backups older than the newest
// COMPLETED one are deleted too (they restore nothing); newer ones are kept
// for the operator to look at.
func Evaluate(p Policy, backups []Backup, now time.Time) PolicyStatus {
	var st PolicyStatus
	for _, b := range backups {
		if p.Takes(b) {
			st.Backups = append(st.Backups, b)
		}
	}
	sort.SliceStable(st.Backups, func(i, j int) bool { return startsBefore(st.Backups[i], st.Backups[j]) })

	var completed []Backup
	for i := range st.Backups {
		b := st.Backups[i]
		switch b.State {
		case StateCompleted:
			completed = append(completed, b)
		case StateInProgress:
			if p.StaleAfter > 0 && now.Sub(b.StartTime()) > p.StaleAfter {
				st.Stuck = append(st.Stuck, b)
			}
		default:
			st.Failed = append(st.Failed, b.ID)
		}
	}
	if n := len(st.Backups); n > 0 && !st.Backups[n-1].State.Healthy() {
		st.NewestFailed = &st.Backups[n-1]
	}
	if len(completed) == 0 {
		st.Due = true
		return st
	}
	newest := completed[len(completed)-1]
	st.LatestCompleted = &newest
	st.Due = now.Sub(newest.StartTime()) >= p.Every

	candidates := make([]Candidate, len(completed))
	for i, b := range completed {
		candidates[i] = Candidate{ID: b.ID, Start: b.StartTime()}
	}
	kept := Retain(p.Retention(), candidates, now)
	st.Why, st.RetainedBy = kept.Why, kept.RetainedBy
	for _, b := range st.Backups {
		if b.State != StateCompleted && b.State != StateInProgress && startsBefore(b, newest) {
			st.Why[b.ID] = fmt.Sprintf("it is %s and older than the newest COMPLETED backup %s: it restores nothing", b.State, newest.ID)
		}
		if _, ok := st.Why[b.ID]; ok {
			st.Expiring = append(st.Expiring, b.ID)
		}
	}
	return st
}

// PolicyDecision is what an apply of the policy does now: take a backup
// (Due), then delete Expiring: what retention expires once that backup has
// COMPLETED, with Why for each, and RetainedBy for each COMPLETED one kept
// (the backup the apply takes among them, as PlannedBackupID).
type PolicyDecision struct {
	Status     PolicyStatus // the policy's backups as they are now
	Due        bool
	Expiring   []BackupID
	Why        map[BackupID]string
	RetainedBy map[BackupID][]string
}

// Decide is what an apply at now does: a backup when one is due (always
// when the policy is being created), and the retention that follows it,
// counted as if that backup had COMPLETED at now (retention never deletes
// before the new backup is good: the apply deletes nothing when it fails).
func Decide(p Policy, backups []Backup, now time.Time, creating bool) PolicyDecision {
	st := Evaluate(p, backups, now)
	d := PolicyDecision{Status: st, Due: st.Due || creating, Expiring: st.Expiring, Why: st.Why, RetainedBy: st.RetainedBy}
	if d.Due {
		after := Evaluate(p, append(slices.Clone(backups), plannedBackup(p, now)), now)
		d.Expiring, d.Why, d.RetainedBy = after.Expiring, after.Why, after.RetainedBy
	}
	return d
}

// PlannedBackupID stands for the id of the backup an apply takes (in a
// decision's RetainedBy, say).
const PlannedBackupID = BackupID("(the backup this apply takes)")

// plannedBackup stands for the backup an apply takes, COMPLETED at now.
func plannedBackup(p Policy, now time.Time) Backup {
	meta := map[string]any{PolicyKey: p.Name}
	return Backup{ID: PlannedBackupID, State: StateCompleted, Snapshots: []Snapshot{
		{Name: string(PlannedBackupID), State: SnapshotSuccess, StartTime: now, EndTime: now, Metadata: meta},
	}}
}

// startsBefore orders backups by start, then by id.
func startsBefore(a, b Backup) bool {
	ta, tb := a.StartTime(), b.StartTime()
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return a.ID < b.ID
}

// NextPolicyBackupID is the id of the policy's next backup: unix seconds at
// now, and greater than every numeric backup id of the repository that the
// release's id rule takes (two policies, or two applies in one second, never
// collide). An id beyond the rule (3000000000 for an Integer release, made
// by hand or by another tool) does not raise it: no Optimize of this release
// made it, and it can never collide with an id the rule takes. Optimize
// 3.9's string ids are "<name>-<unix seconds>", ordered among the policy's.
//
// When the next id is beyond the rule (Integer ids once a backup 2147483647
// exists, or in 2038), it is a *PolicyIDExhaustedError naming the backup
// that forces it.
func NextPolicyBackupID(release Release, policy string, existing []BackupID, now time.Time) (BackupID, error) {
	next := uint64(max(now.Unix(), 0))
	var forcedBy BackupID
	taken := map[BackupID]bool{}
	for _, id := range existing {
		taken[id] = true
		if release.ID == IDString {
			if secs, ok := strings.CutPrefix(string(id), policy+"-"); ok {
				if n, err := strconv.ParseUint(secs, 10, 64); err == nil && n >= next {
					next, forcedBy = n+1, id
				}
			}
			continue
		}
		if n, err := strconv.ParseUint(string(id), 10, 64); err == nil && n >= next && release.ValidateID(string(id)) == nil {
			next, forcedBy = n+1, id
		}
	}
	id := BackupID(strconv.FormatUint(next, 10))
	if release.ID == IDString {
		id = BackupID(policy + "-" + strconv.FormatUint(next, 10))
	}
	if release.ID != IDString && next > release.ID.MaxID() {
		return "", &PolicyIDExhaustedError{Policy: policy, Release: release, Next: id, ForcedBy: forcedBy, Now: now}
	}
	if err := release.ValidateID(string(id)); err != nil {
		return "", fmt.Errorf("the policy's next backup id: %w", err)
	}
	if taken[id] {
		return "", fmt.Errorf("the policy's next backup id %s is taken", id)
	}
	return id, nil
}

// PolicyIDExhaustedError: the policy's next id would be beyond the release's
// id rule (Java Integer for Optimize 3.10 to 3.13), because a backup of the
// repository has the largest id the rule takes or above the clock, or
// because unix seconds have passed it (2038).
type PolicyIDExhaustedError struct {
	Policy   string
	Release  Release
	Next     BackupID
	ForcedBy BackupID // the existing backup whose id forces Next; empty: the clock
	Now      time.Time
}

func (e *PolicyIDExhaustedError) Error() string {
	largest := e.Release.ID.MaxID()
	if e.ForcedBy != "" {
		return fmt.Sprintf("policy %q cannot take its next backup: backup %q of the repository forces the next id to %s, beyond the largest id Optimize %s takes (%d, Java %s), and a policy's ids only grow. "+
			"Delete backup %q if it is not needed (it holds no id a policy can follow), or upgrade to an Optimize whose ids are Java Long (3.14 and 8.x)",
			e.Policy, e.ForcedBy, e.Next, e.Release.Name, largest, e.Release.ID, e.ForcedBy)
	}
	return fmt.Sprintf("policy %q cannot take its next backup: its ids are unix seconds, and %d (%s) is beyond the largest id Optimize %s takes (%d, Java %s). "+
		"Upgrade to an Optimize whose ids are Java Long (3.14 and 8.x)",
		e.Policy, e.Now.Unix(), e.Now.UTC().Format(time.RFC3339), e.Release.Name, largest, e.Release.ID)
}

// PolicyListing is a repository's backups, read with one request, and the
// policy's status among them.
type PolicyListing struct {
	All    []Backup
	Status PolicyStatus
}

// ListPolicy reads the repository with one request and evaluates the policy
// at now.
func (s *Service) ListPolicy(ctx context.Context, repository string, p Policy, now time.Time) (PolicyListing, error) {
	l, err := s.listing(ctx, repository)
	if err != nil {
		return PolicyListing{}, err
	}
	return PolicyListing{All: l.Backups, Status: Evaluate(p, l.Backups, now)}, nil
}

// DeletePolicyBackups deletes the policy's backups ids, each as a unit: the
// snapshots of that id that carry the policy's name, in one request. The
// names come from listing (the repository as just read); when one of them
// has gone meanwhile, the backup's snapshots are listed again. It returns
// the ids deleted, in order, up to the first error.
func (s *Service) DeletePolicyBackups(ctx context.Context, repository string, p Policy, listing []Backup, ids []BackupID) ([]BackupID, error) {
	owner := Owner{Policy: p.Name}
	var deleted []BackupID
	for _, id := range ids {
		var names []string
		for _, b := range listing {
			if b.ID == id {
				names = Backup{Snapshots: owned(b.Snapshots, owner)}.SnapshotNames()
			}
		}
		err := ErrSnapshotMissing
		if len(names) > 0 {
			err = s.deleteSnapshots(ctx, repository, names)
		}
		if errors.Is(err, ErrSnapshotMissing) {
			err = s.DeleteOwned(ctx, repository, id, owner)
		}
		if err != nil {
			return deleted, fmt.Errorf("deleting backup %q of policy %q: %w", id, p.Name, err)
		}
		deleted = append(deleted, id)
	}
	return deleted, nil
}
