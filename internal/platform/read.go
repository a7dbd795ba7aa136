// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// stateRank orders the states worst first, as the families' verdict does.
var stateRank = map[optimize.State]int{
	optimize.StateFailed: 0, optimize.StateIncompatible: 1, optimize.StateInProgress: 2, optimize.StateIncomplete: 3, optimize.StateCompleted: 4,
}

// ReadFamilies reads backup id of every family from cluster, with one
// listing request per repository, and evaluates it (EvaluateFamilies): the
// verdict of the families, without Zeebe's. It sends no write request.
func ReadFamilies(ctx context.Context, cluster optimize.Cluster, id optimize.BackupID, repositoryOf func(family Component) string, expect []Component) (Verdict, error) {
	families := expect
	if len(families) == 0 {
		families = Families
	}
	repos := map[string]bool{}
	for _, f := range families {
		repos[repositoryOf(f)] = true
	}
	byRepository := map[string][]optimize.Snapshot{}
	for _, repo := range slices.Sorted(maps.Keys(repos)) {
		snaps, err := cluster.Snapshots(ctx, repo, SnapshotPattern(id))
		if err != nil {
			if errors.Is(err, optimize.ErrRepositoryMissing) {
				var of []Component
				for _, f := range Families {
					if slices.Contains(families, f) && repositoryOf(f) == repo {
						of = append(of, f)
					}
				}
				return Verdict{}, &RepositoryMissingError{Repository: repo, Families: of, Err: err}
			}
			return Verdict{}, fmt.Errorf("reading the snapshots of backup %q in repository %q: %w", id, repo, err)
		}
		byRepository[repo] = snaps
	}
	return EvaluateFamilies(id, byRepository, repositoryOf, expect)
}

// Read reads backup req.ID of every family (one listing per repository)
// and, when Camunda is configured, Zeebe's backup of it; the state is
// COMPLETED only when every family and Zeebe's backup are. An id of which
// nothing exists anywhere is optimize.ErrBackupNotFound.
func (s *Service) Read(ctx context.Context, req Request, expect []Component) (Verdict, error) {
	id := optimize.BackupID(strconv.FormatInt(req.ID, 10))
	v, err := ReadFamilies(ctx, s.Optimize.Cluster, id, req.RepositoryOf, expect)
	nothing := errors.Is(err, optimize.ErrBackupNotFound)
	if err != nil && !nothing {
		return Verdict{}, err
	}
	if s.Camunda == nil {
		return v, err
	}
	v.ZeebeRead = true
	zb, zerr := s.Camunda.ReadBackup(ctx, Zeebe, req.ID)
	switch {
	case errors.Is(zerr, ErrNotFound):
		if nothing {
			return v, err
		}
	case zerr != nil:
		return v, fmt.Errorf("reading Zeebe's backup %d: %w", req.ID, zerr)
	default:
		v.Zeebe = &zb
	}
	if nothing {
		v = Verdict{ID: id, State: optimize.StateIncomplete, FailureReason: "no snapshot of any family", Zeebe: v.Zeebe}
	}
	return WithZeebe(v, req.ID, v.Zeebe), nil
}

// WithZeebe is the verdict of backup id from its families' (v) and
// Zeebe's backup of it (nil: Zeebe has none): COMPLETED only when both are.
func WithZeebe(v Verdict, id int64, zeebe *CamundaBackup) Verdict {
	v.Zeebe, v.ZeebeRead = zeebe, true
	v.judgeZeebe(id)
	return v
}

// judgeZeebe folds Zeebe's backup into the state and the failure reason.
func (v *Verdict) judgeZeebe(id int64) {
	state, reason := optimize.StateIncomplete, fmt.Sprintf("zeebe: Zeebe has no backup %d", id)
	if v.Zeebe != nil {
		state, reason = zeebeState(v.Zeebe.State), ""
		if state != optimize.StateCompleted {
			reason = fmt.Sprintf("zeebe: %s", v.Zeebe.State)
			if v.Zeebe.FailureReason != "" {
				reason += ": " + strings.TrimSpace(v.Zeebe.FailureReason)
			}
		}
	}
	if stateRank[state] < stateRank[v.State] {
		v.State = state
	}
	if reason != "" {
		v.FailureReason = strings.TrimPrefix(strings.Join([]string{v.FailureReason, reason}, "; "), "; ")
	}
}

// zeebeState maps Zeebe's backup state onto the families' vocabulary.
func zeebeState(s State) optimize.State {
	switch s {
	case StateCompleted:
		return optimize.StateCompleted
	case StateInProgress:
		return optimize.StateInProgress
	case StateFailed:
		return optimize.StateFailed
	case StateIncompatible:
		return optimize.StateIncompatible
	}
	return optimize.StateIncomplete // INCOMPLETE, DELETED, DOES_NOT_EXIST
}

// Delete deletes backup req.ID of every component of req.Version and
// nothing else: the web apps' (8.6, 8.7: Operate's and Tasklist's) and
// Zeebe's through Camunda's APIs, waiting until they are gone; Optimize's
// snapshots (only owner's) and the records snapshot (only the one with
// recordsToken, any when empty) exactly by name. started, when not nil,
// are the components a Create started (Created.Started): a Camunda
// component's backup of the id that this backup did not start is another
// writer's and stays. nil (an imported backup) is every component. It
// goes on past a component that fails and reports every failure.
func (s *Service) Delete(ctx context.Context, req Request, owner optimize.Owner, recordsToken string, started []Component) error {
	plan, err := Order(req.Version)
	if err != nil {
		return err
	}
	var errs []error
	for _, st := range plan.Steps {
		if st.Action != Start || st.Component == Optimize || started != nil && !slices.Contains(started, st.Component) {
			continue
		}
		if err := s.deleteCamunda(ctx, st.Component, req.ID); err != nil {
			errs = append(errs, err)
		}
	}
	id := optimize.BackupID(strconv.FormatInt(req.ID, 10))
	if err := s.Optimize.DeleteOwned(ctx, req.Repository, id, owner); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	if err := s.deleteRecords(ctx, req, recordsToken); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (s *Service) deleteCamunda(ctx context.Context, c Component, id int64) error {
	err := s.Camunda.DeleteBackup(ctx, c, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", c, err)
	}
	// The deletion may run on after the answer: done only once it is gone.
	interval := s.pollInterval()
	for {
		_, err := s.Camunda.ReadBackup(ctx, c, id)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil
		case err != nil:
			return fmt.Errorf("%s: reading backup %d after deleting it: %w", c, id, err)
		}
		if err := sleep(ctx, interval); err != nil {
			return fmt.Errorf("%s: backup %d is still there after its deletion: %w", c, id, err)
		}
		interval = s.nextInterval(interval)
	}
}

// deleteRecords deletes the records snapshot of the id by its exact name,
// when it exists and is this backup's (token).
func (s *Service) deleteRecords(ctx context.Context, req Request, token string) error {
	name := RecordsSnapshotName(req.ID)
	snaps, err := s.Optimize.Cluster.Snapshots(ctx, req.Repository, name)
	if err != nil && !errors.Is(err, optimize.ErrSnapshotMissing) {
		return fmt.Errorf("zeebe_records: listing snapshot %s in repository %q: %w", name, req.Repository, err)
	}
	for _, sn := range snaps {
		if sn.Name != name || !optimize.TakenBy(sn, token) {
			continue
		}
		if err := s.Optimize.Cluster.DeleteSnapshots(ctx, req.Repository, []string{name}); err != nil && !errors.Is(err, optimize.ErrSnapshotMissing) {
			return fmt.Errorf("zeebe_records: deleting snapshot %s in repository %q: %w", name, req.Repository, err)
		}
	}
	return nil
}

// newToken is a create token: 16 random bytes in hex.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
