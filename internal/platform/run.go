// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package platform

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Executor carries out the steps of a whole backup of one id.
type Executor interface {
	// Do carries out one step; never ResumeExporting.
	Do(ctx context.Context, s Step) error
	// Resume resumes Zeebe's exporting.
	Resume(ctx context.Context) error
	// ResumeRequest is the exact request that resumes exporting, for the
	// message of a resume that failed ("POST http://camunda:9600/actuator/exporting/resume").
	ResumeRequest() string
}

// Event tells progress: a step started (Done false) or ended.
type Event struct {
	Step     Step
	Done     bool
	Err      error
	Duration time.Duration
	// Part, when set, is the progress of one part of Optimize's backup
	// within its start step.
	Part *optimize.PartProgress
}

// Result is what a run did.
type Result struct {
	Done []Step // the steps that succeeded, in order
	// ExportingPaused is how long exporting was paused: from sending the
	// pause to the answer of the resume that succeeded (0: never paused).
	ExportingPaused time.Duration
}

// ResumeTimeout bounds each resume attempt once the run's own context has
// ended (a timeout, Ctrl-C): exporting is resumed all the same.
var ResumeTimeout = time.Minute

// resumeAttempts is how often a resume is tried before the run says that
// exporting is still paused; resumeBackoff is the wait between attempts.
var (
	resumeAttempts = 3
	resumeBackoff  = time.Second
)

// Run walks the plan's steps in order and stops at the first that fails.
// Exporting is resumed on every way out once a pause was sent (its outcome
// may be unknown): at the plan's ResumeExporting step, or, when a step
// fails, the timeout strikes or ctx is cancelled, right away, with a
// context of its own. A resume that fails is tried again; when every
// attempt fails the error is a *ResumeFailedError, which says first that
// exporting is still paused and the request that resumes it.
func Run(ctx context.Context, plan Plan, ex Executor, progress func(Event)) (res Result, err error) {
	if progress == nil {
		progress = func(Event) {}
	}
	var pausedAt time.Time
	paused := false
	resume := func() error {
		var rerr error
		for attempt := 1; attempt <= resumeAttempts; attempt++ {
			if attempt > 1 {
				time.Sleep(resumeBackoff)
			}
			step := Step{Action: ResumeExporting}
			progress(Event{Step: step})
			started := time.Now()
			rerr = resumeOnce(ctx, ex)
			progress(Event{Step: step, Done: true, Err: rerr, Duration: time.Since(started)})
			if rerr == nil {
				paused = false
				res.ExportingPaused = time.Since(pausedAt)
				res.Done = append(res.Done, step)
				return nil
			}
		}
		return rerr
	}
	defer func() {
		if !paused {
			return
		}
		if rerr := resume(); rerr != nil {
			err = &ResumeFailedError{Request: ex.ResumeRequest(), Err: rerr, Cause: err}
		}
	}()
	for _, s := range plan.Steps {
		if s.Action == ResumeExporting {
			if !paused {
				continue
			}
			if rerr := resume(); rerr != nil {
				return res, &ResumeFailedError{Request: ex.ResumeRequest(), Err: rerr}
			}
			continue
		}
		if cerr := ctx.Err(); cerr != nil {
			return res, &StepError{Step: s, Err: fmt.Errorf("not started: %w", cerr)}
		}
		if s.Action == PauseExporting {
			// Sent is paused, whatever the answer says: resume on every way out.
			paused, pausedAt = true, time.Now()
		}
		progress(Event{Step: s})
		started := time.Now()
		serr := ex.Do(ctx, s)
		progress(Event{Step: s, Done: true, Err: serr, Duration: time.Since(started)})
		if serr != nil {
			return res, &StepError{Step: s, Err: serr}
		}
		res.Done = append(res.Done, s)
	}
	return res, nil
}

// resumeOnce resumes exporting once: with the run's context while it lasts,
// else (a timeout, Ctrl-C) with one of its own, bounded by ResumeTimeout.
func resumeOnce(ctx context.Context, ex Executor) error {
	if ctx.Err() == nil {
		return ex.Resume(ctx)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ResumeTimeout)
	defer cancel()
	return ex.Resume(rctx)
}

// StepError: a step of the whole backup failed (or was never started,
// the run being cancelled).
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string { return fmt.Sprintf("step %q: %v", e.Step, e.Err) }
func (e *StepError) Unwrap() error { return e.Err }

// ResumeFailedError: exporting could not be resumed; it is still paused (or
// its state is unknown), and Zeebe's disks grow until it is resumed.
type ResumeFailedError struct {
	Request string // the request that resumes exporting
	Err     error  // why the last resume failed
	Cause   error  // what failed before, if anything
}

func (e *ResumeFailedError) Error() string {
	msg := fmt.Sprintf("Zeebe's exporting is still paused: resuming it failed (%v). Resume it now: %s (Zeebe does not compact its log while exporting is paused, and its disks fill)",
		e.Err, e.Request)
	if e.Cause != nil {
		msg += fmt.Sprintf(". Before that, the backup failed: %v", e.Cause)
	}
	return msg
}

func (e *ResumeFailedError) Unwrap() []error { return []error{e.Err, e.Cause} }

// Interrupted reports whether err ended a run because its context ended.
func Interrupted(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
