// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"net/http"
	"strings"
	"time"
)

// The request log: every Elasticsearch API request, with the status it was
// answered with, logged as its answer is decided.

// Request is one Elasticsearch API request the emulator answered.
type Request struct {
	Method   string        `json:"method"`
	Path     string        `json:"path"`
	Query    string        `json:"query"`
	Status   int           `json:"status"`
	Duration time.Duration `json:"duration_ns"`
}

// recorder logs a request the moment its answer is decided, before a byte
// of it reaches the client: a test that reads the log right after its
// response always finds the request there.
type recorder struct {
	http.ResponseWriter
	e      *Emulator
	r      *http.Request
	start  time.Time
	status int
	logged bool
}

func (rec *recorder) WriteHeader(code int) {
	rec.log(code)
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.log(http.StatusOK)
	return rec.ResponseWriter.Write(b)
}

func (rec *recorder) log(status int) {
	if rec.logged {
		return
	}
	rec.logged, rec.status = true, status
	r, d := rec.r, time.Since(rec.start)
	rec.e.mu.Lock()
	rec.e.requests = append(rec.e.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Status: status, Duration: d})
	rec.e.mu.Unlock()
	if rec.e.cfg.Logger != nil {
		line := r.Method + " " + r.URL.Path
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		rec.e.cfg.Logger.Printf("%s %d %s", line, status, d.Round(time.Microsecond))
	}
}

// drop closes the request's connection without an answer, as a network
// failure would, and logs the request with status 0 unless its answer was
// logged already (an answer carried out, then dropped, keeps its status).
// It is the one way the emulator drops a connection: FailNext with status
// 0, DropAnswerNext and CutConnections all come here.
func (rec *recorder) drop() {
	rec.log(0)
	if hj, ok := rec.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Requests returns a copy of the request log.
func (e *Emulator) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Request(nil), e.requests...)
}

// ResetRequests empties the request log.
func (e *Emulator) ResetRequests() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = nil
}

// CountRequests counts logged requests with this method (empty: any) whose
// path starts with pathPrefix.
func (e *Emulator) CountRequests(method, pathPrefix string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.requests {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}
