// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// progressOf runs Create and returns its progress steps, one line each.
func progressOf(t *testing.T, f *fakeCluster, req CreateRequest) ([]string, error) {
	t.Helper()
	var steps []string
	req.Progress = func(p PartProgress) {
		s := fmt.Sprintf("%s part %d %s indices=%d waited=%v", p.ID, p.Part, p.Snapshot, p.Indices, p.Waited)
		if p.Done {
			s += fmt.Sprintf(" done state=%s err=%v", p.State, p.Err != nil)
		}
		steps = append(steps, s)
	}
	_, err := newService(f).Create(context.Background(), req)
	return steps, err
}

func TestCreateProgress(t *testing.T) {
	steps, err := progressOf(t, newFakeCluster(), CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"7 part 1 camunda_optimize_7_3.9.0_part_1_of_2 indices=3 waited=true",
		"7 part 1 camunda_optimize_7_3.9.0_part_1_of_2 indices=3 waited=true done state=SUCCESS err=false",
		"7 part 2 camunda_optimize_7_3.9.0_part_2_of_2 indices=8 waited=true",
		"7 part 2 camunda_optimize_7_3.9.0_part_2_of_2 indices=8 waited=true done state=SUCCESS err=false",
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") {
		t.Fatalf("progress:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
}

func TestCreateProgressPart2NotWaitedFor(t *testing.T) {
	f := newFakeCluster()
	f.running["camunda_optimize_8_3.9.0_part_2_of_2"] = 5
	steps, err := progressOf(t, f, CreateRequest{ID: "8", Repository: "backups"})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 || !strings.HasSuffix(steps[3], "waited=false done state=IN_PROGRESS err=false") {
		t.Fatalf("progress:\n%s", strings.Join(steps, "\n"))
	}
}

func TestCreateProgressPart1Fails(t *testing.T) {
	f := newFakeCluster()
	f.endState["camunda_optimize_7_3.9.0_part_1_of_2"] = SnapshotFailed
	steps, err := progressOf(t, f, CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	if err == nil {
		t.Fatal("part 1 failed, Create did not")
	}
	want := []string{
		"7 part 1 camunda_optimize_7_3.9.0_part_1_of_2 indices=3 waited=true",
		"7 part 1 camunda_optimize_7_3.9.0_part_1_of_2 indices=3 waited=true done state=FAILED err=false",
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") {
		t.Fatalf("progress:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
	f = newFakeCluster()
	f.createErr = map[string]error{"camunda_optimize_7_3.9.0_part_2_of_2": errors.New("connection reset")}
	steps, _ = progressOf(t, f, CreateRequest{ID: "7", Repository: "backups", WaitForCompletion: true})
	if len(steps) != 4 || !strings.HasSuffix(steps[3], "err=true") {
		t.Fatalf("a start that errs is reported with its error:\n%s", strings.Join(steps, "\n"))
	}
}
