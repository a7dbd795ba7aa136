// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeCluster is an in-memory Cluster that records the calls made to it.
type fakeCluster struct {
	mu        sync.Mutex
	calls     []string
	repos     map[string]bool
	indices   []string
	docs      map[string]map[string]any
	snapshots map[string]*Snapshot      // by name, one repository
	endState  map[string]string         // the state a snapshot ends in; SUCCESS by default
	createErr map[string]error          // returned by CreateSnapshot after the snapshot was taken
	running   map[string]int            // how many more answers show a snapshot IN_PROGRESS
	metadata  map[string]map[string]any // the metadata each snapshot was taken with
}

func newFakeCluster() *fakeCluster {
	return &fakeCluster{
		repos:     map[string]bool{"backups": true},
		indices:   append(installation("optimize"), installation("optimize-staging")...),
		docs:      map[string]map[string]any{"optimize-metadata/1": {"schemaVersion": "3.9.0"}},
		snapshots: map[string]*Snapshot{},
		endState:  map[string]string{},
		createErr: map[string]error{},
		running:   map[string]int{},
		metadata:  map[string]map[string]any{},
	}
}

func (f *fakeCluster) record(format string, args ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeCluster) CheckRepository(_ context.Context, repo string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("check %s", repo)
	if !f.repos[repo] {
		return ErrRepositoryMissing
	}
	return nil
}

func (f *fakeCluster) Indices(_ context.Context, pattern string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("indices %s", pattern)
	var out []string
	for _, index := range f.indices {
		if ok, _ := path.Match(pattern, index); ok {
			out = append(out, index)
		}
	}
	return out, nil
}

func (f *fakeCluster) Document(_ context.Context, index, id string) (map[string]any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("doc %s/%s", index, id)
	if d, ok := f.docs[index+"/"+id]; ok {
		return d, nil
	}
	return nil, ErrNotFound
}

func (f *fakeCluster) CreateSnapshot(_ context.Context, repo, name string, req SnapshotRequest) (*Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("create %s %s wait=%v", name, strings.Join(req.Indices, ","), req.Wait)
	if len(req.Indices) == 0 {
		panic("a snapshot of every index was requested")
	}
	if !f.repos[repo] {
		return nil, ErrRepositoryMissing
	}
	if f.snapshots[name] != nil {
		return nil, ErrSnapshotExists
	}
	s := &Snapshot{Name: name, State: SnapshotInProgress, Indices: req.Indices, Metadata: req.Metadata}
	f.snapshots[name] = s
	f.metadata[name] = req.Metadata
	if req.Wait && f.running[name] == 0 {
		f.finish(s)
	}
	if err := f.createErr[name]; err != nil {
		return nil, err
	}
	if !req.Wait {
		return nil, nil
	}
	c := *s
	return &c, nil
}

func (f *fakeCluster) finish(s *Snapshot) {
	s.State = SnapshotSuccess
	if st := f.endState[s.Name]; st != "" {
		s.State = st
		s.Reason = "injected " + st
	}
}

func (f *fakeCluster) Snapshots(_ context.Context, repo, pattern string) ([]Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("get %s", pattern)
	if !f.repos[repo] {
		return nil, ErrRepositoryMissing
	}
	var out []Snapshot
	for name, s := range f.snapshots {
		if ok, _ := path.Match(pattern, name); ok {
			if s.State == SnapshotInProgress {
				if f.running[name] > 0 {
					f.running[name]--
				} else {
					f.finish(s)
				}
			}
			out = append(out, *s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *fakeCluster) DeleteSnapshots(_ context.Context, repo string, names []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("delete %s", strings.Join(names, ","))
	for _, n := range names {
		if f.snapshots[n] == nil {
			return ErrSnapshotMissing
		}
	}
	for _, n := range names {
		delete(f.snapshots, n)
	}
	return nil
}

func (f *fakeCluster) put(names ...string) {
	for _, n := range names {
		f.snapshots[n] = &Snapshot{Name: n, State: SnapshotSuccess}
	}
}

func (f *fakeCluster) names() []string {
	var out []string
	for n := range f.snapshots {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func newService(f *fakeCluster) *Service {
	return &Service{Cluster: f, PollInterval: time.Millisecond, MaxPollInterval: 2 * time.Millisecond}
}

func TestCreateTakesPart1ThenPart2(t *testing.T) {
	f := newFakeCluster()
	b, err := newService(f).Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.State != StateCompleted || b.Version != "3.9.0" || !reflect.DeepEqual(b.SnapshotNames(), SnapshotNames("7", "3.9.0")) {
		t.Fatalf("backup = %+v", b)
	}
	want := []string{
		"doc optimize-metadata/1",
		"check backups",
		"get camunda_optimize_7_*",
		"indices optimize-*",
		// The installation "optimize-staging" beside it: its version decides
		// whose an index between the two prefixes is.
		"doc optimize-staging-metadata/1",
		"create camunda_optimize_7_3.9.0_part_1_of_2 optimize-import-index_v3,optimize-position-based-import-index_v2,optimize-timestamp-based-import-index_v4 wait=true",
		"create camunda_optimize_7_3.9.0_part_2_of_2 optimize-dashboard_v7,optimize-decision-instance-dish_v5,optimize-event_v4-000001,optimize-metadata_v3,optimize-process-definition_v6,optimize-process-instance-invoice_v8,optimize-process-instance-order_process.v2_v8,optimize-single-process-report_v10 wait=true",
	}
	if !reflect.DeepEqual(f.calls, want) {
		t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(f.calls, "\n"), strings.Join(want, "\n"))
	}
}

func TestCreateWithConfiguredVersionAndNoWait(t *testing.T) {
	f := newFakeCluster()
	f.running["camunda_optimize_8_8.6.0_part_2_of_2"] = 1 // still running when Create reads the backup
	b, err := newService(f).Create(context.Background(), CreateRequest{ID: "8", Repository: "backups", Version: "8.6.0-SNAPSHOT"})
	if err != nil {
		t.Fatal(err)
	}
	if b.State != StateInProgress || b.Version != "8.6.0" {
		t.Fatalf("backup = %+v", b)
	}
	for _, c := range f.calls {
		if c == "doc optimize-metadata/1" {
			t.Fatalf("read the metadata document although the version was configured: %v", f.calls)
		}
	}
	if !strings.HasSuffix(f.calls[5], "wait=false") || !strings.Contains(f.calls[5], "part_2_of_2") {
		t.Fatalf("part 2 should be started without waiting: %v", f.calls)
	}
}

func TestCreatePart1FailsSoPart2IsNeverTaken(t *testing.T) {
	f := newFakeCluster()
	f.endState["camunda_optimize_7_3.9.0_part_1_of_2"] = SnapshotFailed
	b, err := newService(f).Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	var failed *PartFailedError
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), "camunda_optimize_7_3.9.0_part_1_of_2 is FAILED: injected FAILED") {
		t.Fatalf("err = %v", err)
	}
	if got := b.SnapshotNames(); !reflect.DeepEqual(got, []string{"camunda_optimize_7_3.9.0_part_1_of_2"}) {
		t.Fatalf("the returned backup must name what exists: %v", got)
	}
	if got := f.names(); !reflect.DeepEqual(got, []string{"camunda_optimize_7_3.9.0_part_1_of_2"}) {
		t.Fatalf("snapshots = %v", got)
	}
}

func TestCreatePart2Partial(t *testing.T) {
	f := newFakeCluster()
	f.endState["camunda_optimize_7_3.9.0_part_2_of_2"] = SnapshotPartial
	b, err := newService(f).Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	if err == nil || !strings.Contains(err.Error(), "part_2_of_2 is PARTIAL") || len(b.Snapshots) != 2 {
		t.Fatalf("err = %v, backup = %+v", err, b)
	}
}

func TestCreateRefusals(t *testing.T) {
	tests := []struct {
		name      string
		req       CreateRequest
		setup     func(*fakeCluster)
		wantErr   string
		wantCalls int
	}{
		{name: "invalid id sends nothing", req: CreateRequest{ID: "Bad_ID", Repository: "backups"}, wantErr: "uppercase", wantCalls: 0},
		{name: "no repository configured", req: CreateRequest{ID: "1"}, wantErr: "no snapshot repository is configured", wantCalls: 0},
		{name: "bad version sends nothing", req: CreateRequest{ID: "1", Repository: "backups", Version: "latest"}, wantErr: "not of the form X.Y.Z", wantCalls: 0},
		{name: "uncovered version sends nothing", req: CreateRequest{ID: "1", Repository: "backups", Version: "3.8.0"}, wantErr: "optimize version 3.8.0 is not an Optimize release with a backup API", wantCalls: 0},
		{name: "string id for a configured 8.8 sends nothing", req: CreateRequest{ID: "nightly-1", Repository: "backups", Version: "8.8.0"}, wantErr: "Optimize 8.8 takes a numeric backup id", wantCalls: 0},
		{name: "leading zero for a configured 3.10 sends nothing", req: CreateRequest{ID: "007", Repository: "backups", Version: "3.10.0"}, wantErr: "would list it as 7", wantCalls: 0},
		{
			name: "string id for an 8.8 read from the metadata index: one read, nothing written", req: CreateRequest{ID: "nightly-1", Repository: "backups"},
			setup:   func(f *fakeCluster) { f.docs["optimize-metadata/1"] = map[string]any{"schemaVersion": "8.8.0"} },
			wantErr: "Optimize 8.8 takes a numeric backup id", wantCalls: 1,
		},
		{
			name: "uncovered version in the metadata index", req: CreateRequest{ID: "1", Repository: "backups"},
			setup:   func(f *fakeCluster) { f.docs["optimize-metadata/1"] = map[string]any{"schemaVersion": "2.7.0"} },
			wantErr: "optimize version 2.7.0 is not an Optimize release with a backup API: Optimize's backup API starts with 3.9", wantCalls: 1,
		},
		{
			name: "repository not registered", req: CreateRequest{ID: "1", Repository: "nope", Version: "3.9.0"},
			wantErr: `snapshot repository "nope" is not registered in Elasticsearch: register it first, for example with PUT /_snapshot/nope`, wantCalls: 1,
		},
		{
			name: "backup exists", req: CreateRequest{ID: "1", Repository: "backups", Version: "3.9.0"},
			setup: func(f *fakeCluster) {
				f.put("camunda_optimize_1_3.8.0_part_1_of_2", "camunda_optimize_1_3.8.0_part_2_of_2")
			},
			wantErr: `a backup with id "1" already exists in repository "backups" (snapshots: camunda_optimize_1_3.8.0_part_1_of_2, camunda_optimize_1_3.8.0_part_2_of_2)`, wantCalls: 2,
		},
		{
			name: "metadata missing", req: CreateRequest{ID: "1", Repository: "backups", IndexPrefix: "other"},
			wantErr: "the Optimize version is unknown: it was not given, and Optimize's metadata document other-metadata/_doc/1 does not exist", wantCalls: 1,
		},
		{
			name: "no optimize index", req: CreateRequest{ID: "1", Repository: "backups", Version: "3.9.0", IndexPrefix: "other"},
			wantErr: `no index of the Optimize installation with index prefix "other"`, wantCalls: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCluster()
			if tt.setup != nil {
				tt.setup(f)
			}
			before := f.names()
			_, err := newService(f).Create(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if len(f.calls) != tt.wantCalls {
				t.Fatalf("calls = %v, want %d", f.calls, tt.wantCalls)
			}
			if !reflect.DeepEqual(f.names(), before) {
				t.Fatalf("snapshots changed: %v -> %v", before, f.names())
			}
		})
	}
}

func TestCreateRecoversALostAnswer(t *testing.T) {
	f := newFakeCluster()
	f.createErr["camunda_optimize_7_3.9.0_part_1_of_2"] = fmt.Errorf("connection reset: %w", ErrUnreachable)
	f.running["camunda_optimize_7_3.9.0_part_1_of_2"] = 2
	b, err := newService(f).Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
	if err != nil || b.State != StateCompleted {
		t.Fatalf("err = %v, backup = %+v", err, b)
	}
}

func TestGetOnlyOwnSnapshots(t *testing.T) {
	f := newFakeCluster()
	f.put("camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2",
		"camunda_optimize_12_3.9.0_part_1_of_2", "camunda_optimize_1_notes", "camunda_optimize_1_3.9.0_part_1_of_2_copy")
	b, err := newService(f).Get(context.Background(), "backups", "1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.SnapshotNames(), SnapshotNames("1", "3.9.0")) || b.State != StateCompleted {
		t.Fatalf("backup = %+v", b)
	}
	if len(f.calls) != 1 {
		t.Fatalf("Get must send one request: %v", f.calls)
	}
	_, err = newService(f).Get(context.Background(), "backups", "2")
	var nf *BackupNotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrBackupNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestDeleteOnlyOwnSnapshots(t *testing.T) {
	f := newFakeCluster()
	foreign := []string{"camunda_optimize_12_3.9.0_part_1_of_2", "camunda_optimize_12_3.9.0_part_2_of_2", "camunda_optimize_1_notes", "nightly"}
	f.put(append([]string{"camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"}, foreign...)...)
	if err := newService(f).Delete(context.Background(), "backups", "1"); err != nil {
		t.Fatal(err)
	}
	sort.Strings(foreign)
	if !reflect.DeepEqual(f.names(), foreign) {
		t.Fatalf("left = %v, want %v", f.names(), foreign)
	}
	wantCalls := []string{"get camunda_optimize_1_*", "delete camunda_optimize_1_3.9.0_part_1_of_2,camunda_optimize_1_3.9.0_part_2_of_2"}
	if !reflect.DeepEqual(f.calls, wantCalls) {
		t.Fatalf("calls = %v, want %v", f.calls, wantCalls)
	}
	// Already gone is success, with no delete request.
	f.calls = nil
	if err := newService(f).Delete(context.Background(), "backups", "1"); err != nil {
		t.Fatal(err)
	}
	if len(f.calls) != 1 {
		t.Fatalf("calls = %v", f.calls)
	}
}

func TestList(t *testing.T) {
	f := newFakeCluster()
	f.put("camunda_optimize_2_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2", "camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_x")
	list, err := newService(f).List(context.Background(), "backups")
	if err != nil || len(list) != 2 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if list[0].ID != "1" || list[0].State != StateCompleted || list[1].ID != "2" || list[1].State != StateIncomplete {
		t.Fatalf("list = %+v", list)
	}
}

// A snapshot removed by someone else between the listing and the delete:
// Elasticsearch answers 404 for the whole request; Delete lists again.
type racingCluster struct {
	*fakeCluster
	raced bool
}

func (r *racingCluster) DeleteSnapshots(ctx context.Context, repo string, names []string) error {
	if !r.raced {
		r.raced = true
		delete(r.snapshots, names[1])
		return ErrSnapshotMissing
	}
	return r.fakeCluster.DeleteSnapshots(ctx, repo, names)
}

func TestDeleteRetriesWhenASnapshotWentMeanwhile(t *testing.T) {
	f := newFakeCluster()
	f.put("camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2", "camunda_optimize_2_3.9.0_part_1_of_2")
	s := &Service{Cluster: &racingCluster{fakeCluster: f}}
	if err := s.Delete(context.Background(), "backups", "1"); err != nil {
		t.Fatal(err)
	}
	if got := f.names(); !reflect.DeepEqual(got, []string{"camunda_optimize_2_3.9.0_part_1_of_2"}) {
		t.Fatalf("left = %v", got)
	}
}

// Nothing the provider adds may make a valid id fail: a 941-character id
// (Elasticsearch refused the metadata that once carried the id) is taken,
// and the metadata holds neither the id nor anything that grows with it.
func TestCreateMetadataDoesNotGrowWithTheID(t *testing.T) {
	for _, n := range []int{1, 940, 941, 1990} {
		f := newFakeCluster()
		id := BackupID(strings.Repeat("a", n))
		if _, err := newService(f).Create(context.Background(), CreateRequest{ID: id, Repository: "backups", WaitForCompletion: true}); err != nil {
			t.Fatalf("%d characters: %v", n, err)
		}
		for _, name := range SnapshotNames(id, "3.9.0") {
			meta := f.metadata[name]
			token, _ := meta[CreateTokenKey].(string)
			if len(token) != 32 || !reflect.DeepEqual(meta, SnapshotMetadata("3.9.0", token)) {
				t.Fatalf("%d characters: snapshot %s metadata %v", n, name, meta)
			}
			if b, _ := json.Marshal(meta); len(b) > MaxSnapshotMetadataBytes || (n > 100 && strings.Contains(string(b), string(id))) {
				t.Fatalf("%d characters: metadata %s", n, b)
			}
		}
	}
}

// An 8.8 installation (no import-index any more) with a Long id beyond Integer.
func TestCreateFor88(t *testing.T) {
	f := newFakeCluster()
	f.docs["optimize-metadata/1"] = map[string]any{"schemaVersion": "8.8.0"}
	f.indices = []string{
		"optimize-metadata_v3", "optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5",
		"optimize-process-instance-invoice_v9", "optimize-settings_v3", "optimize-import-index-backup_v1",
	}
	b, err := newService(f).Create(context.Background(), CreateRequest{ID: "20261124123045", Repository: "backups", WaitForCompletion: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != "8.8.0" || b.State != StateCompleted {
		t.Fatalf("backup = %+v", b)
	}
	p1 := f.snapshots["camunda_optimize_20261124123045_8.8.0_part_1_of_2"].Indices
	p2 := f.snapshots["camunda_optimize_20261124123045_8.8.0_part_2_of_2"].Indices
	// The leftover is named like Optimize's indices: backed up, and named.
	if !reflect.DeepEqual(p1, []string{"optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5"}) ||
		!reflect.DeepEqual(p2, []string{"optimize-import-index-backup_v1", "optimize-metadata_v3", "optimize-process-instance-invoice_v9", "optimize-settings_v3"}) {
		t.Fatalf("part 1 %v, part 2 %v", p1, p2)
	}
	if len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0].Detail, "optimize-import-index-backup_v1 is not an index class Optimize 8.8 is known to have") {
		t.Fatalf("warnings %+v", b.Warnings)
	}
}

// unreadableNeighbour fails the read of the metadata document of the
// installation "optimize-staging" beside "optimize".
type unreadableNeighbour struct{ *fakeCluster }

func (u *unreadableNeighbour) Document(ctx context.Context, index, id string) (map[string]any, error) {
	if index == "optimize-staging-metadata" {
		return nil, errors.New("security_exception: action [indices:data/read/get] is unauthorized")
	}
	return u.fakeCluster.Document(ctx, index, id)
}

// A neighbour whose version cannot be read for another reason than its
// absence fails the backup before any snapshot, naming it: its version
// decides whose an index between the two prefixes is.
func TestCreateFailsWhenANeighboursVersionCannotBeRead(t *testing.T) {
	f := newFakeCluster()
	s := &Service{Cluster: &unreadableNeighbour{f}, PollInterval: time.Millisecond, MaxPollInterval: 2 * time.Millisecond}
	_, err := s.Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	if err == nil || !strings.Contains(err.Error(), `the installation with index prefix "optimize-staging" next to this one`) || !strings.Contains(err.Error(), "security_exception") {
		t.Fatalf("err = %v", err)
	}
	for _, c := range f.calls {
		if strings.HasPrefix(c, "create ") {
			t.Fatalf("a snapshot was taken: %v", f.calls)
		}
	}
}
