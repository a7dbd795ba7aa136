// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
)

// Holding requests and cutting connections: controls that put a request at
// a chosen point of its life (not carried out yet, or carried out with its
// answer not sent yet) for as long as a test needs, and that drop the
// connection of a request in flight. They change only when an answer comes
// or whether it comes at all, never what Elasticsearch does or answers: a
// held request is carried out once released even when its client has gone
// meanwhile, as Elasticsearch carries out a request it has received; one
// whose connection is cut while it is held never reached Elasticsearch and
// is not carried out.

// HoldStage says at which point HoldNext holds a request.
type HoldStage int

const (
	// HoldRequest holds a request before it is carried out.
	HoldRequest HoldStage = iota
	// HoldAnswer carries a request out and holds its answer.
	HoldAnswer
)

type holdRule struct {
	method, pattern string
	left            int
	stage           HoldStage
}

// flight is an API request being served.
type flight struct {
	method, path string
	cancel       context.CancelFunc
	cut          bool
	cutCh        chan struct{} // closed when cut
	held         bool
}

// requestHolds is the state of the hold and cut controls of requests; it
// has its own lock so that holding a request never blocks the emulator.
type requestHolds struct {
	mu      sync.Mutex
	rules   []*holdRule
	release chan struct{}
	flights map[*flight]struct{}
}

func (h *requestHolds) init() {
	if h.release == nil {
		h.release = make(chan struct{})
		h.flights = map[*flight]struct{}{}
	}
}

// HoldNext holds the next n requests with this method (empty or "*": any)
// and path (a pattern where * matches anything) at stage, until
// ReleaseHeld.
func (e *Emulator) HoldNext(method, pathPattern string, n int, stage HoldStage) {
	if n <= 0 {
		return
	}
	h := &e.heldRequests
	h.mu.Lock()
	defer h.mu.Unlock()
	h.init()
	h.rules = append(h.rules, &holdRule{method: method, pattern: pathPattern, left: n, stage: stage})
}

// Held counts the requests held now whose method is method (empty: any)
// and whose path matches pathPattern: a test waits for it to know that a
// request reached its hold.
func (e *Emulator) Held(method, pathPattern string) int {
	h := &e.heldRequests
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for f := range h.flights {
		if f.held && (method == "" || strings.EqualFold(method, f.method)) && glob(pathPattern, f.path) {
			n++
		}
	}
	return n
}

// ReleaseHeld lets every held request go on, drops the rules that have
// not held anything yet, and holds nothing more until the next HoldNext.
func (e *Emulator) ReleaseHeld() {
	h := &e.heldRequests
	h.mu.Lock()
	defer h.mu.Unlock()
	h.init()
	close(h.release)
	h.release = make(chan struct{})
	h.rules = nil
}

// CutConnections closes, without an answer, the connections of the
// requests in flight with this method (empty: any) and path (a pattern),
// as a network failure would: what Elasticsearch has carried out stays
// carried out (a snapshot whose start is cut goes on). It returns how many
// it cut.
func (e *Emulator) CutConnections(method, pathPattern string) int {
	h := &e.heldRequests
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for f := range h.flights {
		if !f.cut && (method == "" || strings.EqualFold(method, f.method)) && glob(pathPattern, f.path) {
			f.cut = true
			close(f.cutCh)
			f.cancel()
			n++
		}
	}
	return n
}

// serveThroughHolds serves one API request through the hold and cut
// controls.
func (e *Emulator) serveThroughHolds(w *recorder, r *http.Request) {
	h := &e.heldRequests
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	f := &flight{method: r.Method, path: r.URL.Path, cancel: cancel, cutCh: make(chan struct{})}
	h.mu.Lock()
	h.init()
	var rule *holdRule
	for i, hr := range h.rules {
		if (hr.method == "" || hr.method == "*" || strings.EqualFold(hr.method, r.Method)) && glob(hr.pattern, r.URL.Path) {
			rule = hr
			if hr.left--; hr.left <= 0 {
				h.rules = append(h.rules[:i], h.rules[i+1:]...)
			}
			break
		}
	}
	release := h.release
	h.flights[f] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.flights, f)
		h.mu.Unlock()
	}()
	wait := func() {
		h.mu.Lock()
		f.held = true
		h.mu.Unlock()
		select {
		case <-release:
		case <-f.cutCh:
		}
		h.mu.Lock()
		f.held = false
		h.mu.Unlock()
	}
	out := &cuttableWriter{ResponseWriter: w.ResponseWriter, h: h, f: f}
	w.ResponseWriter = out
	if rule != nil && rule.stage == HoldRequest {
		wait()
	}
	if rule != nil && rule.stage == HoldAnswer {
		out.buffer = true
	}
	h.mu.Lock()
	cutInTransit := f.cut
	h.mu.Unlock()
	if !cutInTransit {
		// A request cut before it was carried out never reached Elasticsearch.
		e.serveAPI(w, r.WithContext(ctx))
	}
	if out.buffer {
		w.log(out.status)
		wait()
	}
	h.mu.Lock()
	cut := f.cut
	h.mu.Unlock()
	if cut {
		w.drop()
		return
	}
	out.flush()
}

// cuttableWriter swallows the answer of a request whose connection is cut,
// and keeps a held answer until it is released.
type cuttableWriter struct {
	http.ResponseWriter
	h      *requestHolds
	f      *flight
	buffer bool
	status int
	body   []byte
}

func (c *cuttableWriter) isCut() bool {
	c.h.mu.Lock()
	defer c.h.mu.Unlock()
	return c.f.cut
}

func (c *cuttableWriter) WriteHeader(code int) {
	if c.buffer || c.isCut() {
		if c.status == 0 {
			c.status = code
		}
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *cuttableWriter) Write(b []byte) (int, error) {
	if c.buffer || c.isCut() {
		if c.status == 0 {
			c.status = http.StatusOK
		}
		c.body = append(c.body, b...)
		return len(b), nil
	}
	return c.ResponseWriter.Write(b)
}

// flush sends a held answer.
func (c *cuttableWriter) flush() {
	if !c.buffer || c.status == 0 {
		return
	}
	c.ResponseWriter.WriteHeader(c.status)
	_, _ = c.ResponseWriter.Write(c.body)
}

// Hijack lets recorder.drop close the connection.
func (c *cuttableWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if hj, ok := c.ResponseWriter.(http.Hijacker); ok {
		return hj.Hijack()
	}
	return nil, nil, http.ErrNotSupported
}
