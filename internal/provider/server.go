// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// What happens on Ctrl-C while an action runs. Terraform answers SIGINT by
// calling StopProvider; terraform-plugin-go's server then closes the
// contexts of every request in flight, and from that moment drops every
// event an action sends, its final diagnostics included: an interrupted
// restore ended with "Apply complete!" and exit 0, whatever it had deleted
// or not restored. And Terraform itself, once stopping, must receive no
// progress event from an action (its stop hook ends the loop over the
// action's events).
//
// So the server tells running actions that a stop was asked for, and holds
// StopProvider until they have sent their final event: an action finishes
// waiting for the step Elasticsearch is already carrying out, starts no
// other, sends no more progress, and reports what it did and did not do.
// Only then are the contexts closed.

// stopSeenLog is logged (INFO) once Terraform's stop is seen by the actions.
const stopSeenLog = "Terraform asked the provider to stop: a running action waits for the step Elasticsearch is carrying out, starts no other, and reports"

// stopSignal is shared by a provider server and its provider's actions.
type stopSignal struct {
	once    sync.Once
	ch      chan struct{}
	running sync.WaitGroup
}

func newStopSignal() *stopSignal { return &stopSignal{ch: make(chan struct{})} }

// Done is closed once Terraform has asked the provider to stop.
func (s *stopSignal) Done() <-chan struct{} {
	if s == nil {
		return nil
	}
	return s.ch
}

// Stopped reports whether Terraform has asked the provider to stop.
func (s *stopSignal) Stopped() bool {
	if s == nil {
		return false
	}
	select {
	case <-s.ch:
		return true
	default:
		return false
	}
}

// downstream is what the framework's protocol 6 server implements.
type downstream interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// stopAwareServer is the framework's server, with StopProvider held until
// the actions in flight have reported.
type stopAwareServer struct {
	downstream
	stop *stopSignal
}

// NewServer returns the factory of the provider's protocol 6 server (main
// serves it once per process; the tests' factories call it once per
// command). Every server it makes serves the same provider instance, as
// providerserver.NewProtocol6 does with one provider, so the engine is
// detected once per instance; a stop is for good, as it ends the process.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	stop := newStopSignal()
	serve := providerserver.NewProtocol6WithError(&optimizeProvider{version: version, stop: stop})
	return func() (tfprotov6.ProviderServer, error) {
		inner, err := serve()
		if err != nil {
			return nil, err
		}
		return &stopAwareServer{downstream: inner.(downstream), stop: stop}, nil
	}
}

// InvokeAction counts the invocation as running until its last event has
// been sent.
func (s *stopAwareServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	s.stop.running.Add(1)
	resp, err := s.downstream.InvokeAction(ctx, req)
	if err != nil || resp == nil || resp.Events == nil {
		s.stop.running.Done()
		return resp, err
	}
	events := resp.Events
	resp.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
		defer s.stop.running.Done()
		for ev := range events {
			if !yield(ev) {
				return
			}
		}
	}
	return resp, nil
}

// StopProvider tells the running actions to stop and waits until they have
// reported, then lets the framework stop.
func (s *stopAwareServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.stop.once.Do(func() { close(s.stop.ch) })
	// Said once the running actions can see it (tests wait for this line).
	tflog.Info(ctx, stopSeenLog)
	s.stop.running.Wait()
	return s.downstream.StopProvider(ctx, req)
}
