// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Serving a request: the emulator's own controls, the service's and the
// engine's refusals before any API, and the API's answer, written as the
// engine writes it.

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_emulator/") {
		e.serveControl(w, r)
		return
	}
	rec := &recorder{ResponseWriter: w, e: e, r: r, start: time.Now()}
	if a := e.cfg.AWS; a != nil {
		if refused := a.checkSigV4(r, time.Now()); refused != nil {
			// The service's own answer, before the engine sees the request.
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("x-amzn-RequestId", randomID())
			rec.log(http.StatusForbidden)
			w.WriteHeader(http.StatusForbidden)
			b, _ := json.Marshal(map[string]string{refused.key: refused.message})
			_, _ = w.Write(b)
			return
		}
	}
	if err := e.d.httpLimits(r); err != nil {
		if e.d.productHeader {
			w.Header().Set("X-Elastic-Product", "Elasticsearch")
		}
		w.Header().Set("Content-Type", e.d.jsonType)
		if err.closes {
			w.Header().Set("Connection", "close")
		}
		writeError(rec, r, err.esError)
		return
	}
	e.serveThroughHolds(rec, r)
	rec.log(http.StatusOK) // a handler that wrote nothing
}

// serveAPI answers an Elasticsearch API request: a request fault or the
// latency first, then authentication, the media types, and the answer of
// the API's handler.
func (e *Emulator) serveAPI(w *recorder, r *http.Request) {
	e.mu.Lock()
	latency := e.latency
	f := e.takeFault(r.Method, r.URL.Path)
	e.mu.Unlock()
	faulted, status := f != nil && !f.afterExecute, 0
	if f != nil {
		status = f.status
	}
	if f != nil && f.afterExecute {
		orig := w.ResponseWriter
		w.ResponseWriter = &answerDropper{ResponseWriter: orig}
		defer func() {
			w.ResponseWriter = orig
			w.drop()
		}()
	}
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			w.log(0) // the client went away
			return
		}
	}
	if e.d.productHeader {
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
	}
	w.Header().Set("Content-Type", e.d.jsonType) // errors before negotiation too
	if faulted {
		if status == 0 {
			w.drop()
			return
		}
		writeError(w, r, faultError(status))
		return
	}
	if err := e.authenticate(r); err != nil {
		writeError(w, r, err)
		return
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		body = b
	}
	// The engine reads Accept and Content-Type as it builds the RestRequest
	// (RestRequest's constructor), before RestController refuses a body of a
	// type it does not read.
	compat, merr := e.d.negotiate(r, len(body) > 0)
	if merr != nil {
		writeError(w, r, merr)
		return
	}
	if len(body) > 0 && !e.d.jsonContentType(r.Header.Get("Content-Type")) {
		writeJSON(w, r, http.StatusNotAcceptable, obj{{"error", "Content-Type header [" + r.Header.Get("Content-Type") + "] is not supported"}, {"status", 406}})
		return
	}
	w.Header().Set("Content-Type", e.d.contentType(compat))
	a, err := e.route(r, body, compat)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(a.status)
		return
	}
	if text, ok := a.body.(plainText); ok {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, string(text)) //nolint:gosec // a JSON API's plain-text cat output, as Elasticsearch sends it
		return
	}
	writeJSON(w, r, a.status, a.body)
}

type plainText string

// jsonContentType says whether the engine reads a body of this type as
// JSON: the compatible-with media types only where the engine has them.
func (d *dialect) jsonContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "application/json", "application/x-ndjson":
		return true
	case "application/vnd.elasticsearch+json", "application/vnd.elasticsearch+x-ndjson":
		return len(d.compatibleWith) > 0
	}
	return false
}

func writeError(w http.ResponseWriter, r *http.Request, err *esError) {
	for k, vs := range err.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if err.text != "" && r.Method != http.MethodHead {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.WriteHeader(err.status)
		_, _ = io.WriteString(w, err.text) //nolint:gosec // text/plain, as the engine answers; no HTML
		return
	}
	if r.Method == http.MethodHead {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(err.status)
		return
	}
	writeJSON(w, r, err.status, err.body())
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var b []byte
	var err error
	if pretty, ok := prettyParam(r); ok && pretty != "false" {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		buf := answerBuffers.Get().(*[]byte)
		b, err = appendJSON((*buf)[:0], v)
		defer putAnswerBuffer(buf, b)
		if err == nil && answerCheck != nil {
			answerCheck(v, b)
		}
	}
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"emulator: `+err.Error()+`","status":500}`)
	}
	if w.Header().Get("Content-Type") == "" || status == http.StatusInternalServerError && err != nil {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(b) //nolint:gosec // a JSON answer (application/json), encoded as json.Marshal does: HTML characters escaped
}

// answerBuffers are writeJSON's buffers, kept from one answer to the next
// (the ResponseWriter copies what it is given).
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func putAnswerBuffer(buf *[]byte, b []byte) {
	if cap(b) <= 1<<20 { // a rare huge answer is not kept
		*buf = b[:0]
		answerBuffers.Put(buf)
	}
}

// answerCheck, when set (by the package's tests only), sees every answer
// writeJSON encodes, with its bytes: the tests hold each to what
// json.Marshal wrote before appendJSON.
var answerCheck func(v any, b []byte)

// prettyParam is the ?pretty parameter: its first value and whether it is
// there. It parses the query only when it may hold the parameter (spelled
// out, or escaped: ?%70retty is ?pretty too).
func prettyParam(r *http.Request) (string, bool) {
	if r == nil || !strings.Contains(r.URL.RawQuery, "pretty") && !strings.Contains(r.URL.RawQuery, "%") {
		return "", false
	}
	q := r.URL.Query()
	return q.Get("pretty"), q.Has("pretty")
}
