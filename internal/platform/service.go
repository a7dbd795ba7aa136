// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Camunda is what a whole backup needs of Camunda's management APIs (the
// adapter internal/camunda). A missing backup is ErrNotFound (errors.Is).
type Camunda interface {
	// API is the generation of management APIs the client talks to.
	API() API
	// StartBackup starts component's backup of id and returns once it is
	// scheduled (Webapps, Operate, Tasklist or Zeebe).
	StartBackup(ctx context.Context, component Component, id int64) ([]string, error)
	// ReadBackup reads component's backup of id.
	ReadBackup(ctx context.Context, component Component, id int64) (CamundaBackup, error)
	// DeleteBackup deletes component's backup of id.
	DeleteBackup(ctx context.Context, component Component, id int64) error
	// LatestZeebeBackupID is the id a new backup's must be greater than.
	LatestZeebeBackupID(ctx context.Context) (int64, error)
	PauseExporting(ctx context.Context) error
	ResumeExporting(ctx context.Context) error
	// ResumeRequest is the exact request that resumes exporting.
	ResumeRequest() string
}

// DefaultRecordsPattern is the exported Zeebe records' indices: the
// Elasticsearch and OpenSearch exporters' default prefix "zeebe-record"
// (camunda-docs, backup.md of 8.6 to 8.10: "By default, the indices are
// prefixed with zeebe-record").
const DefaultRecordsPattern = "zeebe-record*"

// RecordsSnapshotName is the snapshot of the exported Zeebe records of a
// whole backup (the docs' camunda_zeebe_records_backup_$BACKUP_ID).
func RecordsSnapshotName(id int64) string {
	return recordsSnapshotPrefix + strconv.FormatInt(id, 10)
}

// Service takes, reads and deletes whole Camunda 8 backups: the web apps
// and Zeebe through Camunda's APIs, Optimize and the exported records
// through the search engine (Optimize's Service).
type Service struct {
	Camunda  Camunda
	Optimize *optimize.Service
	// PollInterval is the first interval between the reads of a running
	// backup; it doubles up to MaxPollInterval, at most 500 ms
	// (maxPollWhilePaused). Default: 100 ms.
	PollInterval, MaxPollInterval time.Duration
}

// Request names a whole backup.
type Request struct {
	ID      int64
	Version string // Camunda's X.Y or X.Y.Z (8.6 and later)
	// Repository is where Optimize's two snapshots and the records'
	// snapshot go (the web apps' is Camunda's own setting).
	Repository string
	// WebappsRepository is where the web apps' (8.6, 8.7: Operate's and
	// Tasklist's) snapshots are read from; empty is Repository.
	WebappsRepository string
	// OptimizeVersion is Optimize's X.Y.Z; read from its metadata index
	// when empty. IndexPrefix is Optimize's index prefix.
	OptimizeVersion, IndexPrefix string
	// RecordsPattern is the exported records' index pattern; empty is
	// DefaultRecordsPattern.
	RecordsPattern string
}

func (r Request) recordsPattern() string {
	if r.RecordsPattern == "" {
		return DefaultRecordsPattern
	}
	return r.RecordsPattern
}

func (r Request) webappsRepository() string {
	if r.WebappsRepository == "" {
		return r.Repository
	}
	return r.WebappsRepository
}

// RepositoryOf is the repository each family is read from.
func (r Request) RepositoryOf(family Component) string {
	switch family {
	case Webapps, Operate, Tasklist:
		return r.webappsRepository()
	}
	return r.Repository
}

// Check refuses, before any write, a whole backup that cannot be taken:
// a version before 8.6, an id not above Zeebe's latest, a backup of the id
// that exists in any component. It sends read requests only.
func (s *Service) Check(ctx context.Context, req Request) (Plan, error) {
	plan, notAbove, exists, err := s.Refusals(ctx, req)
	switch {
	case err != nil:
		return plan, err
	case exists != nil:
		return plan, exists
	case notAbove != nil:
		return plan, notAbove
	}
	return plan, nil
}

// Refusals are the reasons, found with read requests only, why Zeebe and
// the components would refuse backup req.ID: an id not above Zeebe's
// latest, a backup of it in some component. err is a read that failed (or
// a version before 8.6).
func (s *Service) Refusals(ctx context.Context, req Request) (Plan, *IDNotAboveLatestError, *BackupExistsError, error) {
	plan, err := Order(req.Version)
	if err != nil {
		return plan, nil, nil, err
	}
	if req.ID < 1 {
		return plan, nil, nil, fmt.Errorf("platform backup id %d: Camunda takes ids from 1 (unix seconds, such as %d)", req.ID, time.Now().Unix())
	}
	var notAbove *IDNotAboveLatestError
	latest, err := s.Camunda.LatestZeebeBackupID(ctx)
	if err != nil {
		return plan, nil, nil, fmt.Errorf("reading Zeebe's latest backup id (a new backup's must be greater): %w", err)
	}
	if req.ID <= latest {
		notAbove = &IDNotAboveLatestError{ID: req.ID, Latest: latest}
	}
	exists := &BackupExistsError{ID: req.ID}
	for _, c := range plan.Steps {
		if c.Action != Start || c.Component == Optimize {
			continue
		}
		_, err := s.Camunda.ReadBackup(ctx, c.Component, req.ID)
		switch {
		case err == nil:
			exists.Where = append(exists.Where, fmt.Sprintf("%s's backup %d (%s's backup API)", c.Component, req.ID, c.Component))
		case !errors.Is(err, ErrNotFound):
			return plan, nil, nil, fmt.Errorf("reading %s's backup %d: %w", c.Component, req.ID, err)
		}
	}
	for _, repo := range uniq(req.Repository, req.webappsRepository()) {
		snaps, err := s.Optimize.Cluster.Snapshots(ctx, repo, SnapshotPattern(optimize.BackupID(strconv.FormatInt(req.ID, 10))))
		if err != nil {
			return plan, nil, nil, fmt.Errorf("listing the snapshots of backup %d in repository %q: %w", req.ID, repo, err)
		}
		for _, sn := range snaps {
			if n, ok := ParseSnapshotName(sn.Name); ok && string(n.ID) == strconv.FormatInt(req.ID, 10) {
				exists.Where = append(exists.Where, fmt.Sprintf("snapshot %s in repository %q", sn.Name, repo))
			}
		}
	}
	if len(exists.Where) == 0 {
		exists = nil
	}
	return plan, notAbove, exists, nil
}

func uniq(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// IDNotAboveLatestError: Zeebe takes no backup of an id that is not above
// its latest (of a backup completed, failed or deleted).
type IDNotAboveLatestError struct {
	ID, Latest int64
}

func (e *IDNotAboveLatestError) Error() string {
	return fmt.Sprintf("platform backup id %d is not above Zeebe's latest backup id %d: Zeebe takes only ids greater than every backup it took, "+
		"completed, failed or deleted, and refuses this one. Choose an id above %d: the unix seconds now, such as %d",
		e.ID, e.Latest, e.Latest, max(time.Now().Unix(), e.Latest+1))
}

// BackupExistsError: a component already has a backup of the id.
type BackupExistsError struct {
	ID    int64
	Where []string
}

func (e *BackupExistsError) Error() string {
	return fmt.Sprintf("a backup of id %d already exists: %s. A whole backup is taken only when no component has one of its id: "+
		"choose a new id, or adopt the existing one with terraform import", e.ID, strings.Join(e.Where, "; "))
}

// ComponentFailedError: a component's backup of the id ended, not COMPLETED.
type ComponentFailedError struct {
	Component Component
	ID        int64
	State     State
	Reason    string
}

func (e *ComponentFailedError) Error() string {
	msg := fmt.Sprintf("%s's backup %d ended %s", e.Component, e.ID, e.State)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}
