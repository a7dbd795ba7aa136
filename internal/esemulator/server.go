// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// The emulator on a loopback port: starting and stopping it.

// Server is an emulator listening on a loopback port.
type Server struct {
	*Emulator
	// URL is the base URL, e.g. http://127.0.0.1:41234 (https:// with TLS).
	URL string
	srv *http.Server
	ln  net.Listener
}

// Start starts an emulator on a free port of 127.0.0.1.
func Start(cfg Config) (*Server, error) {
	return Listen("127.0.0.1:0", cfg)
}

// Listen starts an emulator on addr.
func Listen(addr string, cfg Config) (*Server, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	scheme := "http://"
	if cfg.TLS != nil {
		ln, scheme = tls.NewListener(ln, cfg.TLS), "https://"
	}
	e := New(cfg)
	s := &Server{Emulator: e, URL: scheme + ln.Addr().String(), ln: ln,
		srv: &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server; requests in flight are cut.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.stop()
	return err
}

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stop()
	return s.srv.Shutdown(ctx)
}

// stop ends every running snapshot, so nothing waits on a timer.
func (e *Emulator) stop() {
	e.ReleaseHeld()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range e.repositories {
		for _, s := range r.snapshots {
			if s.state == stateInProgress && s.timer != nil {
				s.timer.Stop()
			}
		}
	}
}
