// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// scriptedCluster runs a hook before each CreateSnapshot of a fakeCluster,
// or answers it instead.
type scriptedCluster struct {
	*fakeCluster
	before func(name string)
	answer func(ctx context.Context, name string, req SnapshotRequest) (*Snapshot, error, bool)
}

func (c *scriptedCluster) CreateSnapshot(ctx context.Context, repo, name string, req SnapshotRequest) (*Snapshot, error) {
	if c.before != nil {
		c.before(name)
	}
	if c.answer != nil {
		if s, err, ok := c.answer(ctx, name, req); ok {
			return s, err
		}
	}
	return c.fakeCluster.CreateSnapshot(ctx, repo, name, req)
}

const part1Of7 = "camunda_optimize_7_3.9.0_part_1_of_2"

// Another writer starts the same backup between our existence check and our
// start: our start is refused as "already in-progress", and the snapshot
// carries another token, so it is not taken for ours.
func TestCreateNeverClaimsAnotherWritersSnapshot(t *testing.T) {
	f := newFakeCluster()
	c := &scriptedCluster{fakeCluster: f, before: func(name string) {
		if name == part1Of7 && f.snapshots[name] == nil {
			f.snapshots[name] = &Snapshot{Name: name, State: SnapshotInProgress, Metadata: map[string]any{CreateTokenKey: "theirs"}}
		}
	}}
	svc := &Service{Cluster: c, PollInterval: 1}
	b, err := svc.Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
	var exists *BackupExistsError
	if !errors.As(err, &exists) || !exists.Concurrent || !strings.Contains(err.Error(), "is being taken by another writer") || exists.ID != "7" {
		t.Fatalf("err = %v, want a concurrent BackupExistsError", err)
	}
	if len(b.Snapshots) != 0 {
		t.Fatalf("the loser must record nothing, got %v", b.SnapshotNames())
	}
	if got := f.names(); !reflect.DeepEqual(got, []string{part1Of7}) {
		t.Fatalf("snapshots = %v: the loser must not start part 2 or delete anything", got)
	}
	// A destroy with the loser's token would touch nothing.
	if err := svc.DeleteOwned(context.Background(), "backups", "7", Owner{Token: b.Token}); err != nil {
		t.Fatal(err)
	}
	if got := f.names(); !reflect.DeepEqual(got, []string{part1Of7}) {
		t.Fatalf("DeleteOwned removed another writer's snapshot: %v", got)
	}
	// Get with the loser's token finds nothing of it either.
	if _, err := svc.GetOwned(context.Background(), "backups", "7", Owner{Token: b.Token}); !errors.Is(err, ErrBackupNotFound) {
		t.Fatalf("GetOwned = %v, want not found", err)
	}
}

// An adopted backup (no token: imported, or taken by Optimize) owns every
// snapshot of its id.
func TestEmptyTokenOwnsEverySnapshot(t *testing.T) {
	f := newFakeCluster()
	f.put(SnapshotNames("7", "3.9.0")...)
	svc := newService(f)
	if b, err := svc.GetOwned(context.Background(), "backups", "7", Owner{}); err != nil || b.State != StateCompleted {
		t.Fatalf("GetOwned = %+v, %v", b, err)
	}
	if err := svc.DeleteOwned(context.Background(), "backups", "7", Owner{}); err != nil || len(f.names()) != 0 {
		t.Fatalf("DeleteOwned = %v, left %v", err, f.names())
	}
}

// Every create has its own token, of a fixed small size.
func TestCreateTokenInMetadata(t *testing.T) {
	f := newFakeCluster()
	b1, err := newService(f).Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
	if err != nil {
		t.Fatal(err)
	}
	b2, err := newService(f).Create(context.Background(), CreateRequest{ID: "8", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b1.Token) != 32 || b1.Token == b2.Token {
		t.Fatalf("tokens %q and %q: want two distinct 32-character tokens", b1.Token, b2.Token)
	}
	for _, s := range b1.Snapshots {
		m := f.snapshots[s.Name].Metadata
		if m[CreateTokenKey] != b1.Token {
			t.Fatalf("snapshot %s metadata %v lacks the token", s.Name, m)
		}
		if raw, _ := json.Marshal(m); len(raw) >= 1024 {
			t.Fatalf("metadata of %s is %d bytes, Elasticsearch refuses 1024 and more", s.Name, len(raw))
		}
	}
}

// Elasticsearch accepted the start but the snapshot cannot be found: an
// error, never a nil snapshot taken for a success (it used to crash).
func TestCreateWhenAnAcceptedSnapshotIsNotListed(t *testing.T) {
	f := newFakeCluster()
	c := &scriptedCluster{fakeCluster: f, answer: func(_ context.Context, name string, _ SnapshotRequest) (*Snapshot, error, bool) {
		return nil, nil, name == part1Of7
	}}
	b, err := (&Service{Cluster: c, PollInterval: 1}).Create(context.Background(), CreateRequest{ID: "7", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
	if err == nil || !strings.Contains(err.Error(), "accepted snapshot "+part1Of7+", but it does not exist") {
		t.Fatalf("err = %v", err)
	}
	if len(b.Snapshots) != 0 || len(f.names()) != 0 {
		t.Fatalf("backup = %+v, snapshots = %v", b, f.names())
	}
}

// Interrupted while the start of part 1 is on its way: the snapshot it may
// have started is named, so that the caller records it.
func TestCreateInterruptedDuringAStartNamesTheSnapshot(t *testing.T) {
	for _, started := range []bool{true, false} {
		f := newFakeCluster()
		ctx, cancel := context.WithCancel(context.Background())
		c := &scriptedCluster{fakeCluster: f, answer: func(_ context.Context, name string, req SnapshotRequest) (*Snapshot, error, bool) {
			if started {
				f.snapshots[name] = &Snapshot{Name: name, State: SnapshotInProgress, Metadata: req.Metadata}
			}
			cancel()
			return nil, context.Canceled, true
		}}
		b, err := (&Service{Cluster: c, PollInterval: 1}).Create(ctx, CreateRequest{ID: "7", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("started=%v: err = %v", started, err)
		}
		if len(b.Snapshots) != 1 || b.Snapshots[0].Name != part1Of7 || (b.Snapshots[0].State == SnapshotUnknown) == started {
			t.Fatalf("started=%v: backup = %+v, want part 1 named (state %s only when it was not found)", started, b, SnapshotUnknown)
		}
	}
}

// An imported backup (no create token) owns the snapshots of its recorded
// version only: never another version's backup of the same id.
func TestOwnerOfAnImportedBackup(t *testing.T) {
	snap := func(name string) Snapshot { return Snapshot{Name: name, State: SnapshotSuccess} }
	old := []Snapshot{snap("camunda_optimize_5_3.14.0_part_1_of_2"), snap("camunda_optimize_5_3.14.0_part_2_of_2")}
	current := []Snapshot{snap("camunda_optimize_5_8.6.0_part_1_of_2"), snap("camunda_optimize_5_8.6.0_part_2_of_2")}
	all := append(append([]Snapshot{}, old...), current...)
	if got := owned(all, Owner{Version: "8.6.0"}); !reflect.DeepEqual(got, current) {
		t.Fatalf("Owner{8.6.0} owns %v, want %v", got, current)
	}
	if got := owned(all, Owner{}); len(got) != 4 {
		t.Fatalf("the zero Owner owns %d, want all 4", len(got))
	}
	tok := Snapshot{Name: "camunda_optimize_5_8.6.0_part_1_of_2", Metadata: map[string]any{CreateTokenKey: "t"}}
	if !(Owner{Token: "t", Version: "3.14.0"}).Owns(tok) || (Owner{Token: "u"}).Owns(tok) {
		t.Fatal("a create token decides for the backups the provider took")
	}
}

// Interrupted while its start was on the way, a create that then finds
// another writer's snapshot under that name does not take it for its own:
// the backup names nothing (so destroy deletes nothing of the other's).
func TestCreateInterruptedFindsAnotherWritersSnapshot(t *testing.T) {
	f := newFakeCluster()
	ctx, cancel := context.WithCancel(context.Background())
	c := &scriptedCluster{fakeCluster: f, answer: func(_ context.Context, name string, _ SnapshotRequest) (*Snapshot, error, bool) {
		f.snapshots[name] = &Snapshot{Name: name, State: SnapshotInProgress, Metadata: map[string]any{CreateTokenKey: "another writer"}}
		cancel()
		return nil, context.Canceled, true
	}}
	b, err := (&Service{Cluster: c, PollInterval: 1}).Create(ctx, CreateRequest{ID: "7", Repository: "backups", Version: "3.9.0", WaitForCompletion: true})
	if err == nil {
		t.Fatal("an interrupted create succeeded")
	}
	if len(b.Snapshots) != 0 {
		t.Fatalf("the create claims %v, another writer's", b.SnapshotNames())
	}
}
