// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

var policyNow = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// day is an id started n days before policyNow: id n started at 00:00 of
// that day.
func day(n int) time.Time { return policyNow.Add(-time.Duration(n) * 24 * time.Hour) }

func completeAt(id int64, start time.Time) PolicyBackup {
	return PolicyBackup{ID: id, Start: start, End: start.Add(time.Minute), State: optimize.StateCompleted, ZeebeState: StateCompleted}
}

func TestEvaluatePolicy(t *testing.T) {
	failedZeebe := func(id int64, start time.Time) PolicyBackup {
		return PolicyBackup{ID: id, Start: start, End: start.Add(time.Minute), State: optimize.StateFailed, ZeebeState: StateFailed,
			Incomplete: []string{"zeebe: FAILED"}}
	}
	running := func(id int64, start time.Time) PolicyBackup {
		return PolicyBackup{ID: id, Start: start, State: optimize.StateInProgress, InProgress: true, ZeebeState: StateInProgress,
			Incomplete: []string{"zeebe: IN_PROGRESS"}}
	}
	for _, tc := range []struct {
		name     string
		policy   Policy
		backups  []PolicyBackup
		expiring []int64
		kept     map[int64]string // id -> a rule that keeps it
		due      bool
		stuck    []int64
		newestIn int64 // NewestIncomplete's id, 0: nil
	}{{
		name:     "keep_last = 2 expires the two oldest of four",
		policy:   Policy{Every: 24 * time.Hour, KeepLast: 2, MinCount: 1},
		backups:  []PolicyBackup{completeAt(10, day(4)), completeAt(20, day(3)), completeAt(30, day(2)), completeAt(40, day(1))},
		expiring: []int64{10, 20}, kept: map[int64]string{30: "keep_last", 40: "newest_completed"}, due: true,
	}, {
		name:    "the newest complete id is kept while the newer ids are incomplete",
		policy:  Policy{Every: 24 * time.Hour, KeepLast: 1, MinCount: 1},
		backups: []PolicyBackup{completeAt(10, day(4)), completeAt(20, day(3)), failedZeebe(30, day(2)), failedZeebe(40, day(1))},
		// 20 is the newest complete: kept; 30 and 40 are newer: kept.
		expiring: []int64{10}, kept: map[int64]string{20: "newest_completed"}, due: true, newestIn: 40,
	}, {
		name:     "an id in progress is never deleted, however old",
		policy:   Policy{Every: 24 * time.Hour, KeepLast: 1, MinCount: 1, StaleAfter: 6 * time.Hour},
		backups:  []PolicyBackup{running(10, day(5)), completeAt(20, day(3)), completeAt(30, day(1))},
		expiring: []int64{20}, kept: map[int64]string{30: "newest_completed"}, due: true, stuck: []int64{10},
	}, {
		name:     "an incomplete id older than the newest complete one restores nothing: it expires",
		policy:   Policy{Every: 48 * time.Hour, KeepLast: 5, MinCount: 1},
		backups:  []PolicyBackup{completeAt(10, day(3)), failedZeebe(20, day(2)), completeAt(30, day(1))},
		expiring: []int64{20}, kept: map[int64]string{10: "keep_last", 30: "keep_last"},
	}, {
		name:     "no rule set: nothing expires",
		policy:   Policy{Every: 24 * time.Hour, MinCount: 1},
		backups:  []PolicyBackup{completeAt(10, day(3)), completeAt(20, day(2)), completeAt(30, policyNow.Add(-time.Hour))},
		expiring: nil, kept: map[int64]string{30: "newest_completed"},
	}, {
		name:   "keep_daily = 2 keeps the newest id of each of the last two days that have one",
		policy: Policy{Every: 24 * time.Hour, KeepDaily: 2, MinCount: 1, Location: time.UTC},
		// Day 3 has two ids (10 at 12:00, 20 at 13:00); day 2 none; day 1 one.
		backups:  []PolicyBackup{completeAt(5, day(4)), completeAt(10, day(3)), completeAt(20, day(3).Add(time.Hour)), completeAt(30, day(1))},
		expiring: []int64{5, 10}, kept: map[int64]string{20: "keep_daily", 30: "keep_daily"}, due: true,
	}, {
		name:     "nothing complete: due, nothing expires",
		policy:   Policy{Every: 24 * time.Hour, KeepLast: 1, MinCount: 1},
		backups:  []PolicyBackup{failedZeebe(10, day(2)), failedZeebe(20, day(1))},
		expiring: nil, due: true, newestIn: 20,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			st := EvaluatePolicy(tc.policy, tc.backups, policyNow)
			if fmt.Sprint(st.Expiring) != fmt.Sprint(tc.expiring) {
				t.Errorf("expiring %v, want %v (why %v)", st.Expiring, tc.expiring, st.Why)
			}
			for _, id := range tc.expiring {
				if st.Why[id] == "" {
					t.Errorf("no reason for %d", id)
				}
				if len(st.RetainedBy[id]) > 0 {
					t.Errorf("%d expires, yet retained by %v", id, st.RetainedBy[id])
				}
			}
			for id, rule := range tc.kept {
				if !slices.Contains(st.RetainedBy[id], rule) {
					t.Errorf("%d retained by %v, want %q among them", id, st.RetainedBy[id], rule)
				}
			}
			if st.Due != tc.due {
				t.Errorf("due %v, want %v", st.Due, tc.due)
			}
			var stuck []int64
			for _, b := range st.Stuck {
				stuck = append(stuck, b.ID)
			}
			if fmt.Sprint(stuck) != fmt.Sprint(tc.stuck) {
				t.Errorf("stuck %v, want %v", stuck, tc.stuck)
			}
			if got := st.NewestIncomplete; (got == nil) != (tc.newestIn == 0) || got != nil && got.ID != tc.newestIn {
				t.Errorf("newest incomplete %+v, want %d", got, tc.newestIn)
			}
		})
	}
}

// An apply that takes a due backup counts it as complete: with keep_last =
// 2 and two complete ids, the older one expires once the new one is there;
// a policy being created always takes one.
func TestDecidePolicy(t *testing.T) {
	p := Policy{Every: 24 * time.Hour, KeepLast: 2, MinCount: 1}
	backups := []PolicyBackup{completeAt(10, day(2)), completeAt(20, day(1))}
	d := DecidePolicy(p, backups, policyNow, false)
	if !d.Due || fmt.Sprint(d.Expiring) != "[10]" {
		t.Errorf("due %v expiring %v, want true [10]", d.Due, d.Expiring)
	}
	d = DecidePolicy(Policy{Every: 72 * time.Hour, KeepLast: 2, MinCount: 1}, backups, policyNow, false)
	if d.Due || len(d.Expiring) != 0 {
		t.Errorf("not due yet: due %v expiring %v", d.Due, d.Expiring)
	}
	if d := DecidePolicy(Policy{Every: 72 * time.Hour}, nil, policyNow, true); !d.Due {
		t.Error("creating: not due")
	}
}

// policyCamunda is Zeebe with a state per id, recording reads and deletes.
type policyCamunda struct {
	fakeCamunda
	zeebe   map[int64]State
	reads   []int64
	removed []string
}

func (f *policyCamunda) ReadBackup(_ context.Context, c Component, id int64) (CamundaBackup, error) {
	if c == Zeebe {
		f.reads = append(f.reads, id)
		if s, ok := f.zeebe[id]; ok {
			return CamundaBackup{ID: id, State: s}, nil
		}
	}
	return CamundaBackup{}, ErrNotFound
}

func (f *policyCamunda) DeleteBackup(_ context.Context, c Component, id int64) error {
	f.removed = append(f.removed, fmt.Sprintf("%s %d", c, id))
	return ErrNotFound
}

// policyRepo is one repository's snapshots, recording what is deleted.
type policyRepo struct {
	optimize.Cluster
	snaps    []optimize.Snapshot
	deleted  *[]string
	listings *int
}

func (r policyRepo) Snapshots(_ context.Context, _, pattern string) ([]optimize.Snapshot, error) {
	if r.listings != nil {
		*r.listings++
	}
	var out []optimize.Snapshot
	for _, s := range r.snaps {
		if pattern == "camunda_*" || strings.Contains(s.Name, "_"+strings.TrimPrefix(pattern, recordsSnapshotPrefix)) ||
			strings.Contains(pattern, "_"+strings.Split(s.Name, "_")[2]+"_") || s.Name == pattern {
			out = append(out, s)
		}
	}
	return out, nil
}

func (r policyRepo) DeleteSnapshots(_ context.Context, _ string, names []string) error {
	*r.deleted = append(*r.deleted, names...)
	return nil
}

// wholeBackup is the snapshots of a whole 8.8 backup of id, the Optimize
// and records snapshots carrying meta.
func wholeBackup(id int64, start time.Time, meta map[string]any) []optimize.Snapshot {
	snap := func(name string, m map[string]any) optimize.Snapshot {
		return optimize.Snapshot{Name: name, State: optimize.SnapshotSuccess, StartTime: start, EndTime: start.Add(time.Minute), Metadata: m}
	}
	out := []optimize.Snapshot{
		snap(fmt.Sprintf("camunda_optimize_%d_8.8.0_part_1_of_2", id), meta),
		snap(fmt.Sprintf("camunda_optimize_%d_8.8.0_part_2_of_2", id), meta),
		snap(fmt.Sprintf("camunda_zeebe_records_backup_%d", id), meta),
	}
	for n := 1; n <= 2; n++ {
		out = append(out, snap(fmt.Sprintf("camunda_webapps_%d_8.8.0_part_%d_of_2", id, n), nil))
	}
	return out
}

// Only ids whose Optimize snapshots carry the policy's name are the
// policy's: another policy's and a hand-made whole backup are never listed,
// never expire, never deleted; the listing is one request, and Zeebe is
// read for the newest ids only once their final states are known.
func TestListPolicy_onlyThePolicysIDs(t *testing.T) {
	mine := func(token string) map[string]any {
		return map[string]any{optimize.PolicyKey: "nightly", PlatformPolicyKey: "nightly", optimize.CreateTokenKey: token}
	}
	var snaps []optimize.Snapshot
	snaps = append(snaps, wholeBackup(100, day(4), mine("t100"))...)
	snaps = append(snaps, wholeBackup(150, day(4).Add(time.Hour), map[string]any{optimize.PolicyKey: "other"})...)
	snaps = append(snaps, wholeBackup(160, day(4).Add(2*time.Hour), map[string]any{"taken_by": "terraform-provider-optimize"})...)
	// An optimize_backup_policy of the same name: Optimize's snapshots only.
	snaps = append(snaps, wholeBackup(170, day(4).Add(3*time.Hour), map[string]any{optimize.PolicyKey: "nightly"})[:2]...)
	snaps = append(snaps, wholeBackup(200, day(3), mine("t200"))...)
	snaps = append(snaps, wholeBackup(300, day(2), mine("t300"))...)
	var deleted []string
	cam := &policyCamunda{zeebe: map[int64]State{100: StateCompleted, 150: StateCompleted, 160: StateCompleted, 200: StateCompleted, 300: StateCompleted}}
	s := &Service{Camunda: cam, Optimize: &optimize.Service{Cluster: policyRepo{snaps: snaps, deleted: &deleted}}}
	req := Request{Version: "8.8.0", Repository: "backups"}
	l, err := s.ListPolicy(context.Background(), req, "nightly", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, b := range l.Backups {
		ids = append(ids, b.ID)
		if !b.Complete() {
			t.Errorf("%d: %s %v", b.ID, b.State, b.Incomplete)
		}
	}
	if fmt.Sprint(ids) != "[100 200 300]" {
		t.Fatalf("the policy's ids %v, want [100 200 300]", ids)
	}
	if fmt.Sprint(l.OptimizePolicyIDs) != "[170]" {
		t.Errorf("an Optimize policy's ids of the same name: %v, want [170]", l.OptimizePolicyIDs)
	}
	if l.Requests != 1+3 { // the listing, Zeebe of each id (none known)
		t.Errorf("%d requests, want 4", l.Requests)
	}
	// Known final states: the listing and the newest id's Zeebe read.
	l, _ = s.ListPolicy(context.Background(), req, "nightly", l.ZeebeFinal)
	if l.Requests != 2 {
		t.Errorf("with Zeebe's final states known: %d requests, want 2", l.Requests)
	}
	st := EvaluatePolicy(Policy{KeepLast: 1, MinCount: 1, Every: time.Hour}, l.Backups, policyNow)
	if fmt.Sprint(st.Expiring) != "[100 200]" {
		t.Fatalf("expiring %v, want [100 200]", st.Expiring)
	}
	for _, b := range l.Backups[:2] {
		if err := s.DeletePolicyBackup(context.Background(), req, "nightly", b); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"camunda_zeebe_records_backup_100", "camunda_optimize_100_8.8.0_part_1_of_2", "camunda_optimize_100_8.8.0_part_2_of_2",
		"camunda_zeebe_records_backup_200", "camunda_optimize_200_8.8.0_part_1_of_2", "camunda_optimize_200_8.8.0_part_2_of_2",
	}
	if fmt.Sprint(deleted) != fmt.Sprint(want) {
		t.Errorf("deleted snapshots %v, want %v", deleted, want)
	}
	if fmt.Sprint(cam.removed) != "[webapps 100 zeebe 100 webapps 200 zeebe 200]" {
		t.Errorf("deleted through Camunda's APIs: %v", cam.removed)
	}
}

// A records snapshot that does not carry the policy's name is never
// deleted, nor an id whose Zeebe backup is still running.
func TestDeletePolicyBackup_neverAnotherRecordsSnapshotNorARunningID(t *testing.T) {
	var deleted []string
	snaps := wholeBackup(100, day(4), map[string]any{optimize.PolicyKey: "nightly", PlatformPolicyKey: "nightly"})
	snaps[2].Metadata = map[string]any{optimize.CreateTokenKey: "someone-else"}
	cam := &policyCamunda{zeebe: map[int64]State{100: StateCompleted}}
	s := &Service{Camunda: cam, Optimize: &optimize.Service{Cluster: policyRepo{snaps: snaps, deleted: &deleted}}}
	req := Request{Version: "8.8.0", Repository: "backups"}
	l, err := s.ListPolicy(context.Background(), req, "nightly", nil)
	if err != nil || len(l.Backups) != 1 {
		t.Fatalf("%v %+v", err, l.Backups)
	}
	if err := s.DeletePolicyBackup(context.Background(), req, "nightly", l.Backups[0]); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(deleted, "camunda_zeebe_records_backup_100") {
		t.Errorf("another's records snapshot deleted: %v", deleted)
	}
	deleted = nil
	cam.zeebe[100] = StateInProgress
	err = s.DeletePolicyBackup(context.Background(), req, "nightly", l.Backups[0])
	if err == nil || !strings.Contains(err.Error(), "still running") || len(deleted) > 0 {
		t.Errorf("a running Zeebe backup: err %v, deleted %v", err, deleted)
	}
}

// The request count of a listing of 30 ids: one listing of the repository,
// and Zeebe's backup of every id the first time; once their final states
// are known (the private state keeps them), the listing and the newest id's
// Zeebe backup only.
func TestListPolicy_requestsFor30IDs(t *testing.T) {
	var snaps []optimize.Snapshot
	zeebe := map[int64]State{}
	for i := int64(1); i <= 30; i++ {
		id := 1796000000 + i*86400
		snaps = append(snaps, wholeBackup(id, day(31-int(i)), map[string]any{optimize.PolicyKey: "nightly", PlatformPolicyKey: "nightly", optimize.CreateTokenKey: "t"})...)
		zeebe[id] = StateCompleted
	}
	listings := 0
	cam := &policyCamunda{zeebe: zeebe}
	s := &Service{Camunda: cam, Optimize: &optimize.Service{Cluster: policyRepo{snaps: snaps, listings: &listings}}}
	req := Request{Version: "8.8.0", Repository: "backups"}
	l, err := s.ListPolicy(context.Background(), req, "nightly", nil)
	if err != nil || len(l.Backups) != 30 {
		t.Fatalf("%v: %d ids", err, len(l.Backups))
	}
	if listings != 1 || len(cam.reads) != 30 || l.Requests != 31 {
		t.Errorf("first listing: %d listings, %d Zeebe reads, %d counted; want 1, 30, 31", listings, len(cam.reads), l.Requests)
	}
	listings, cam.reads = 0, nil
	l, err = s.ListPolicy(context.Background(), req, "nightly", l.ZeebeFinal)
	if err != nil || len(l.Backups) != 30 {
		t.Fatalf("%v: %d ids", err, len(l.Backups))
	}
	newest := int64(1796000000 + 30*86400)
	if listings != 1 || fmt.Sprint(cam.reads) != fmt.Sprint([]int64{newest}) || l.Requests != 2 {
		t.Errorf("known final states: %d listings, Zeebe reads %v, %d counted; want 1, [%d], 2", listings, cam.reads, l.Requests, newest)
	}
	// Zeebe's backup of the newest id deleted out of band: it is not
	// complete any more, and the next one down is read to find the newest
	// restore point.
	delete(zeebe, newest)
	cam.reads = nil
	l, _ = s.ListPolicy(context.Background(), req, "nightly", l.ZeebeFinal)
	if fmt.Sprint(cam.reads) != fmt.Sprint([]int64{newest, newest - 86400}) {
		t.Errorf("Zeebe reads %v, want the newest two", cam.reads)
	}
	st := EvaluatePolicy(Policy{KeepLast: 1, MinCount: 1}, l.Backups, policyNow)
	if st.NewestComplete == nil || st.NewestComplete.ID != newest-86400 {
		t.Errorf("newest complete %+v, want %d", st.NewestComplete, newest-86400)
	}
}

// A create that fails after starting the web apps' backup but before any
// snapshot of Optimize's leaves nothing that marks the id as the policy's:
// what it started is deleted at once, and the error says so.
func TestCreateForPolicy_unmarkedPartsDeleted(t *testing.T) {
	var deleted []string
	cam := &policyCamunda{}
	// Optimize's version cannot be read: its part starts no snapshot.
	s := &Service{Camunda: cam, Optimize: &optimize.Service{Cluster: noMetadata{policyRepo{deleted: &deleted}}}}
	_, err := s.CreateForPolicy(context.Background(), Request{ID: 7, Version: "8.8.0", Repository: "backups"}, "nightly", nil)
	if err == nil || !strings.Contains(err.Error(), "was deleted, as nothing marks it as policy \"nightly\"'s") {
		t.Errorf("err %v", err)
	}
	if fmt.Sprint(cam.removed) != "[webapps 7]" {
		t.Errorf("deleted through Camunda's APIs: %v, want the web apps' backup 7", cam.removed)
	}
}

// noMetadata is a cluster without Optimize's metadata index.
type noMetadata struct{ policyRepo }

func (noMetadata) Indices(context.Context, string) ([]string, error) { return nil, nil }
func (noMetadata) Document(context.Context, string, string) (map[string]any, error) {
	return nil, optimize.ErrNotFound
}
func (noMetadata) CheckRepository(context.Context, string) error { return nil }

// The next id is the clock in unix seconds, above Zeebe's latest and the
// repository's ids; an id a concurrent writer took meanwhile (a backup of
// it exists: refused before any write) is retried with the next one.
func TestTakeForPolicy_ids(t *testing.T) {
	now := time.Unix(1796169600, 0)
	var deleted []string
	taken := wholeBackup(1796169600, now, nil)[:1] // a concurrent writer's Optimize snapshot of the clock's id
	s := &Service{Camunda: &policyCamunda{}, Optimize: &optimize.Service{Cluster: noMetadata{policyRepo{snaps: taken, deleted: &deleted}}}}
	req := Request{Version: "8.8.0", Repository: "backups"}
	id, _, err := s.TakeForPolicy(context.Background(), req, "nightly", now, 0, nil)
	if id != 1796169601 {
		t.Errorf("id %d (%v), want 1796169601: the clock's id is taken", id, err)
	}
	id, _, _ = s.TakeForPolicy(context.Background(), req, "nightly", now, 1796170000, nil)
	if id != 1796170001 {
		t.Errorf("id %d, want 1796170001: above the repository's largest", id)
	}
}
