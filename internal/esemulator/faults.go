// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Request faults: latency, requests answered with an error or a dropped
// connection, and requests carried out whose answer is dropped.

type fault struct {
	method  string
	pattern string
	left    int
	status  int
	// afterExecute: the request is carried out, and then its answer is
	// dropped (the connection closes without one), as when a proxy or the
	// network loses the answer of a request Elasticsearch executed.
	afterExecute bool
}

func faultError(status int) *esError {
	switch status {
	case http.StatusTooManyRequests:
		return newError(status, "es_rejected_execution_exception",
			"rejected execution of coordinating operation [emulated fault], queue capacity reached")
	case http.StatusServiceUnavailable:
		return newError(status, "cluster_block_exception",
			"blocked by: [SERVICE_UNAVAILABLE/2/no master];")
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return newError(status, "emulated_gateway_exception", fmt.Sprintf("emulated %d from a proxy in front of Elasticsearch", status))
	}
	return newError(status, "emulated_fault_exception", fmt.Sprintf("emulated fault with status %d", status))
}

// answerDropper swallows an answer that is to be dropped.
type answerDropper struct {
	http.ResponseWriter
	header http.Header
}

func (d *answerDropper) Header() http.Header {
	if d.header == nil {
		d.header = http.Header{}
	}
	return d.header
}

func (d *answerDropper) WriteHeader(int) {}

func (d *answerDropper) Write(b []byte) (int, error) { return len(b), nil }

// takeFault consumes one matching injected fault. Callers hold e.mu.
func (e *Emulator) takeFault(method, path string) *fault {
	for i, f := range e.faults {
		if (f.method == "" || f.method == "*" || strings.EqualFold(f.method, method)) && glob(f.pattern, path) {
			f.left--
			if f.left <= 0 {
				e.faults = append(e.faults[:i], e.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// SetLatency delays every Elasticsearch API request by d.
func (e *Emulator) SetLatency(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.latency = d
}

// FailNext answers the next n requests with this method (empty or "*":
// any) and path (a pattern where * matches anything) with status, one of
// 429, 502, 503, 504, or 0 to drop the connection without an answer.
func (e *Emulator) FailNext(method, pathPattern string, n, status int) {
	if n <= 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &fault{method: method, pattern: pathPattern, left: n, status: status})
}

// DropAnswerNext carries out the next n requests with this method and path
// (a pattern where * matches anything) and then drops their answers: the
// connection closes without one, as when the network loses the answer of a
// request that Elasticsearch executed.
func (e *Emulator) DropAnswerNext(method, pathPattern string, n int) {
	if n <= 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &fault{method: method, pattern: pathPattern, left: n, afterExecute: true})
}

// ClearFaults drops every request fault (FailNext, DropAnswerNext) that
// has not struck yet: the network is back.
func (e *Emulator) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = nil
}
