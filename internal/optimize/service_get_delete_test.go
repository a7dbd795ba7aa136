// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// scriptedDeleteCluster answers DeleteSnapshots with the errors given, in order,
// and otherwise as the fake cluster does.
type scriptedDeleteCluster struct {
	*fakeCluster
	deleteErrs []error
	gets       int
}

func (c *scriptedDeleteCluster) Snapshots(ctx context.Context, repo, pattern string) ([]Snapshot, error) {
	c.gets++
	return c.fakeCluster.Snapshots(ctx, repo, pattern)
}

func (c *scriptedDeleteCluster) DeleteSnapshots(ctx context.Context, repo string, names []string) error {
	if len(c.deleteErrs) > 0 {
		err := c.deleteErrs[0]
		c.deleteErrs = c.deleteErrs[1:]
		return err
	}
	return c.fakeCluster.DeleteSnapshots(ctx, repo, names)
}

// Get and Delete in a repository Elasticsearch does not know say so, and
// name the repository.
func TestGetAndDeleteInAMissingRepository(t *testing.T) {
	f := newFakeCluster()
	s := newService(f)
	_, getErr := s.Get(context.Background(), "nightly", "1")
	deleteErr := s.Delete(context.Background(), "nightly", "1")
	for name, err := range map[string]error{"Get": getErr, "Delete": deleteErr} {
		var missing *RepositoryMissingError
		if !errors.As(err, &missing) || missing.Repository != "nightly" || !errors.Is(err, ErrRepositoryMissing) {
			t.Errorf("%s: err = %v, want a RepositoryMissingError for nightly", name, err)
		}
	}
	// The repository went between the listing and the delete.
	f.put("camunda_optimize_1_3.9.0_part_1_of_2")
	c := &scriptedDeleteCluster{fakeCluster: f, deleteErrs: []error{ErrRepositoryMissing}}
	err := (&Service{Cluster: c}).Delete(context.Background(), "backups", "1")
	var missing *RepositoryMissingError
	if !errors.As(err, &missing) || missing.Repository != "backups" {
		t.Fatalf("err = %v, want a RepositoryMissingError for backups", err)
	}
}

// Get reports any other error of the listing with the backup and the
// repository; Delete any other error of the delete with the snapshot names.
func TestGetAndDeleteNameWhatFailed(t *testing.T) {
	boom := errors.New("boom")
	f := newFakeCluster()
	f.put("camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2")
	_, err := (&Service{Cluster: failingGets{f, boom}}).Get(context.Background(), "backups", "1")
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), `reading the snapshots of backup "1" in repository "backups"`) {
		t.Fatalf("Get: err = %v", err)
	}
	c := &scriptedDeleteCluster{fakeCluster: f, deleteErrs: []error{boom}}
	err = (&Service{Cluster: c}).Delete(context.Background(), "backups", "1")
	want := `deleting backup "1" (snapshots camunda_optimize_1_3.9.0_part_1_of_2, camunda_optimize_1_3.9.0_part_2_of_2): boom`
	if !errors.Is(err, boom) || err.Error() != want {
		t.Fatalf("Delete: err = %v, want %s", err, want)
	}
	if c.gets != 1 || len(f.names()) != 2 {
		t.Fatalf("a failed delete is not retried: %d listings, snapshots left %v", c.gets, f.names())
	}
}

type failingGets struct {
	*fakeCluster
	err error
}

func (f failingGets) Snapshots(context.Context, string, string) ([]Snapshot, error) {
	return nil, f.err
}

// Delete lists again after a snapshot went missing meanwhile, but not past
// its context.
func TestDeleteStopsRetryingWhenTheContextEnds(t *testing.T) {
	f := newFakeCluster()
	f.put("camunda_optimize_1_3.9.0_part_1_of_2")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &scriptedDeleteCluster{fakeCluster: f, deleteErrs: []error{ErrSnapshotMissing, ErrSnapshotMissing, ErrSnapshotMissing}}
	err := (&Service{Cluster: c}).Delete(ctx, "backups", "1")
	if !errors.Is(err, context.Canceled) || c.gets != 1 {
		t.Fatalf("err = %v after %d listings, want context.Canceled after 1", err, c.gets)
	}
	c = &scriptedDeleteCluster{fakeCluster: f, deleteErrs: []error{ErrSnapshotMissing}}
	if err := (&Service{Cluster: c}).Delete(context.Background(), "backups", "1"); err != nil || c.gets != 2 || len(f.names()) != 0 {
		t.Fatalf("err = %v after %d listings, left %v; want the second try to delete", err, c.gets, f.names())
	}
}

// A backup's snapshots come part 1 first, then by name within a part,
// whatever order Elasticsearch lists them in.
func TestGetOrdersSnapshotsByPartThenName(t *testing.T) {
	f := newFakeCluster()
	f.put("camunda_optimize_1_3.9.0_part_2_of_2", "camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.10.0_part_1_of_2")
	b, err := newService(f).Get(context.Background(), "backups", "1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"camunda_optimize_1_3.10.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"}
	if got := b.SnapshotNames(); !reflect.DeepEqual(got, want) {
		t.Fatalf("snapshots %v, want %v", got, want)
	}
	if b.Repository != "backups" || b.ID != "1" {
		t.Fatalf("backup = %+v", b)
	}
}

// Polling starts at 100 ms and grows by half up to 5 s, unless configured.
func TestPollIntervals(t *testing.T) {
	var s Service
	if got := s.pollInterval(); got != 100*time.Millisecond {
		t.Fatalf("default poll interval %v", got)
	}
	for in, want := range map[time.Duration]time.Duration{
		100 * time.Millisecond: 150 * time.Millisecond,
		3 * time.Second:        4500 * time.Millisecond,
		4 * time.Second:        5 * time.Second,
	} {
		if got := s.nextInterval(in); got != want {
			t.Errorf("next after %v = %v, want %v", in, got, want)
		}
	}
	s = Service{PollInterval: time.Second, MaxPollInterval: 2 * time.Second}
	if s.pollInterval() != time.Second || s.nextInterval(time.Second) != 1500*time.Millisecond || s.nextInterval(1500*time.Millisecond) != 2*time.Second {
		t.Fatalf("configured intervals are not used: %v, %v", s.pollInterval(), s.nextInterval(1500*time.Millisecond))
	}
}
