// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeExecutor records the steps and resumes it is asked for, and fails
// where it is told to.
type fakeExecutor struct {
	mu          sync.Mutex
	calls       []string
	failAt      string        // the step that fails
	cancelAt    string        // the step during which the run's context is cancelled
	cancel      func()        // cancels the run's context
	resumeFails int           // how many resumes fail before one succeeds
	resumeCtx   []error       // ctx.Err() of each resume's context
	sleep       time.Duration // each step takes this long
}

func (f *fakeExecutor) Do(ctx context.Context, s Step) error {
	f.mu.Lock()
	f.calls = append(f.calls, s.String())
	f.mu.Unlock()
	time.Sleep(f.sleep)
	if s.String() == f.cancelAt {
		f.cancel()
		return ctx.Err()
	}
	if s.String() == f.failAt {
		return errors.New("partition 2 failed its backup")
	}
	return nil
}

func (f *fakeExecutor) Resume(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "resume")
	f.resumeCtx = append(f.resumeCtx, ctx.Err())
	if f.resumeFails > 0 {
		f.resumeFails--
		return errors.New("503 Service Unavailable")
	}
	return nil
}

func (f *fakeExecutor) ResumeRequest() string {
	return "POST http://camunda:9600/actuator/exporting/resume"
}

func init() { resumeBackoff = time.Millisecond }

func run(t *testing.T, version string, f *fakeExecutor) (Result, error) {
	t.Helper()
	plan, err := Order(version)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.cancel = cancel
	return Run(ctx, plan, f, nil)
}

func countResumes(calls []string) int {
	n := 0
	for _, c := range calls {
		if c == "resume" {
			n++
		}
	}
	return n
}

// A whole backup walks the documented order and resumes exporting once, at
// its place in the order, and tells how long exporting was paused.
func TestRunResumesOnceAtItsPlace(t *testing.T) {
	f := &fakeExecutor{sleep: 2 * time.Millisecond}
	res, err := run(t, "8.8.0", f)
	if err != nil {
		t.Fatal(err)
	}
	want := "pause exporting (soft), start webapps, start optimize, wait webapps, wait optimize, snapshot the exported Zeebe records, start zeebe, wait zeebe, resume"
	if got := strings.Join(f.calls, ", "); got != want {
		t.Fatalf("calls %s\nwant  %s", got, want)
	}
	if res.ExportingPaused < 14*time.Millisecond || len(res.Done) != 9 {
		t.Fatalf("paused %s (want at least the 7 steps' 14ms), done %v", res.ExportingPaused, res.Done)
	}
}

// Exporting is resumed on every way out once a pause was sent: a step that
// fails, a pause whose answer is an error, a cancellation (Ctrl-C) in the
// middle (the resume then gets a context of its own); and never when no
// pause was sent (8.7: a web apps backup that fails comes before the pause).
func TestRunAlwaysResumes(t *testing.T) {
	for _, tc := range []struct {
		name, version   string
		f               *fakeExecutor
		resumes         int
		errHas          string
		interrupted     bool
		resumeCtxUsable bool
	}{
		{name: "zeebe fails", version: "8.10.0", f: &fakeExecutor{failAt: "wait zeebe"}, resumes: 1, errHas: `step "wait zeebe": partition 2 failed its backup`},
		{name: "the pause answers an error", version: "8.8.0", f: &fakeExecutor{failAt: "pause exporting (soft)"}, resumes: 1, errHas: "pause exporting"},
		{name: "records snapshot fails, 8.7", version: "8.7.2", f: &fakeExecutor{failAt: "snapshot the exported Zeebe records"}, resumes: 1, errHas: `step "snapshot the exported Zeebe records"`},
		{name: "Ctrl-C during the web apps", version: "8.8.0", f: &fakeExecutor{cancelAt: "wait webapps"}, resumes: 1, interrupted: true, resumeCtxUsable: true},
		{name: "Ctrl-C during zeebe, 8.7", version: "8.7.2", f: &fakeExecutor{cancelAt: "start zeebe"}, resumes: 1, interrupted: true, resumeCtxUsable: true},
		{name: "web apps fail before the pause, 8.7", version: "8.7.2", f: &fakeExecutor{failAt: "wait operate"}, resumes: 0, errHas: "wait operate"},
		{name: "Ctrl-C before the pause, 8.6", version: "8.6.0", f: &fakeExecutor{cancelAt: "start tasklist"}, resumes: 0, interrupted: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.version, tc.f)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
			}
			if got := countResumes(tc.f.calls); got != tc.resumes {
				t.Fatalf("%d resumes, want %d: %v", got, tc.resumes, tc.f.calls)
			}
			if Interrupted(err) != tc.interrupted {
				t.Fatalf("Interrupted(%v) = %v", err, Interrupted(err))
			}
			if tc.resumeCtxUsable && tc.f.resumeCtx[0] != nil {
				t.Fatalf("the resume after Ctrl-C got a cancelled context: %v", tc.f.resumeCtx[0])
			}
			var resumeFailed *ResumeFailedError
			if errors.As(err, &resumeFailed) {
				t.Fatalf("resumed, yet %v", err)
			}
		})
	}
}

// A resume that fails is tried again; when every attempt fails, the error
// says first that exporting is still paused and the request that resumes
// it, then what failed before.
func TestRunResumeFails(t *testing.T) {
	f := &fakeExecutor{resumeFails: 2}
	res, err := run(t, "8.8.0", f)
	if err != nil || countResumes(f.calls) != 3 || res.ExportingPaused == 0 {
		t.Fatalf("two failed resumes then one that worked: err %v, calls %v", err, f.calls)
	}

	f = &fakeExecutor{resumeFails: 3}
	_, err = run(t, "8.8.0", f)
	var resumeFailed *ResumeFailedError
	if !errors.As(err, &resumeFailed) || !strings.HasPrefix(err.Error(), "Zeebe's exporting is still paused: resuming it failed (503 Service Unavailable). Resume it now: POST http://camunda:9600/actuator/exporting/resume") {
		t.Fatalf("err = %v", err)
	}

	f = &fakeExecutor{resumeFails: 3, failAt: "wait zeebe"}
	_, err = run(t, "8.10.0", f)
	if !errors.As(err, &resumeFailed) || !strings.Contains(err.Error(), `Before that, the backup failed: step "wait zeebe": partition 2 failed its backup`) || countResumes(f.calls) != 3 {
		t.Fatalf("err = %v, calls %v", err, f.calls)
	}
}
