// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// fakeCamunda has no backup of any id, refuses to start the components in
// refuse (as Camunda's 409 or 400 does), and records what it is asked.
type fakeCamunda struct {
	refuse  []Component
	started []Component
	deleted []Component
	resumed int
}

type refusal struct{ c Component }

func (r refusal) Error() string        { return fmt.Sprintf("%s refused the backup", r.c) }
func (r refusal) Is(target error) bool { return target == ErrRefused }

func (f *fakeCamunda) API() API { return ManagementActuators }
func (f *fakeCamunda) StartBackup(_ context.Context, c Component, _ int64) ([]string, error) {
	if slices.Contains(f.refuse, c) {
		return nil, refusal{c}
	}
	f.started = append(f.started, c)
	return nil, nil
}
func (f *fakeCamunda) ReadBackup(context.Context, Component, int64) (CamundaBackup, error) {
	return CamundaBackup{}, ErrNotFound
}
func (f *fakeCamunda) DeleteBackup(_ context.Context, c Component, _ int64) error {
	f.deleted = append(f.deleted, c)
	return ErrNotFound
}
func (f *fakeCamunda) LatestZeebeBackupID(context.Context) (int64, error) { return 0, nil }
func (f *fakeCamunda) PauseExporting(context.Context) error               { return nil }
func (f *fakeCamunda) ResumeExporting(context.Context) error              { f.resumed++; return nil }
func (f *fakeCamunda) ResumeRequest() string                              { return "POST /resume" }

// A component that refuses to start backup X (another writer took X
// meanwhile) is not recorded as started: what it holds of X is not this
// backup's. A create that started nothing leaves nothing to record.
func TestCreateRecordsOnlyWhatItStarted(t *testing.T) {
	cam := &fakeCamunda{refuse: []Component{Webapps}}
	s := &Service{Camunda: cam, Optimize: &optimize.Service{Cluster: registered{repos: map[string][]optimize.Snapshot{"backups": nil}}}}
	created, err := s.Create(context.Background(), Request{ID: 7, Version: "8.8.0", Repository: "backups"}, nil)
	if err == nil {
		t.Fatal("a refused web apps backup: no error")
	}
	if len(created.Started) != 0 || len(cam.started) != 0 {
		t.Errorf("started %v (recorded %v), want nothing", cam.started, created.Started)
	}
	if cam.resumed != 1 {
		t.Errorf("exporting resumed %d times, want once", cam.resumed)
	}
}

// A destroy deletes through Camunda's APIs only the components its create
// started; an imported backup (started nil) owns every component's.
func TestDeleteOnlyWhatWasStarted(t *testing.T) {
	for _, tc := range []struct {
		started []Component
		want    []Component
	}{
		{[]Component{Webapps, Optimize}, []Component{Webapps}},
		{[]Component{}, nil},
		{nil, []Component{Webapps, Zeebe}},
	} {
		cam := &fakeCamunda{}
		s := &Service{Camunda: cam, Optimize: &optimize.Service{Cluster: registered{repos: map[string][]optimize.Snapshot{"backups": nil}}}}
		if err := s.Delete(context.Background(), Request{ID: 7, Version: "8.8.0", Repository: "backups"}, optimize.Owner{Token: "t"}, "t", tc.started); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(cam.deleted) != fmt.Sprint(tc.want) {
			t.Errorf("started %v: deleted %v, want %v", tc.started, cam.deleted, tc.want)
		}
	}
}
