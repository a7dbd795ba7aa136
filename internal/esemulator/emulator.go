// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package esemulator is an in-memory Elasticsearch 7.17 that answers the
// snapshot, repository and index APIs the provider uses the way
// Elasticsearch does: the same status codes, error bodies and headers, and
// snapshots that progress asynchronously. Tests, the demo and the benchmarks
// run against it; it also carries controls outside the Elasticsearch API
// (under /_emulator/ and as Go methods) for the request log, faults and
// seeding an Optimize installation.
package esemulator

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Version is the Elasticsearch version the emulator reports by default
// (Engine Elasticsearch717); Emulator.Version tells that of its engine.
const (
	Version     = "7.17.18"
	clusterName = "esemulator"
	nodeName    = "esemulator-0"
)

// Config configures an emulator.
type Config struct {
	// Engine is the search engine the emulator answers as; empty is
	// Elasticsearch 7.17.
	Engine Engine
	// SnapshotDuration is how long a snapshot stays IN_PROGRESS before it
	// ends. Zero ends it within the create request. A restore that is waited
	// for takes as long: the restored indices exist at once, and the answer
	// comes once their shards would have recovered.
	SnapshotDuration time.Duration
	// Username and Password, when set, are required as HTTP basic auth.
	Username, Password string
	// APIKey, when set, is accepted as "Authorization: ApiKey <APIKey>"
	// (the base64 of id:key, as Elasticsearch issues it).
	APIKey string
	// AWS, when set, makes the emulator an Amazon OpenSearch Service domain
	// with IAM access: every request must be signed (AWS Signature Version
	// 4) with these credentials, and is refused as the service refuses it.
	AWS *AWSAuth
	// BearerToken, when set, is accepted as "Authorization: Bearer <token>"
	// (an access token of Elasticsearch's token service).
	BearerToken string
	// TLS, when set, makes the server answer HTTPS only, with this
	// configuration (its Certificates).
	TLS *tls.Config
	// Logger, when set, gets one line per request.
	Logger *log.Logger
	// ClockOffset moves the emulator's clock from the wall clock (negative:
	// into the past): the times it stamps (a snapshot's start and end, an
	// index's creation date) are the wall clock's plus this. What a client
	// checks against its own clock is not moved: the SigV4 request time
	// window, TLS certificates, request durations. SetClockOffset changes it.
	ClockOffset time.Duration
}

// Emulator is the in-memory cluster. It is an http.Handler and safe for
// concurrent use.
type Emulator struct {
	cfg       Config
	d         *dialect
	clusterID string
	nodeID    string

	mu           sync.Mutex
	indices      map[string]*index
	repositories map[string]*repository
	stores       map[string]*store
	requests     []Request
	faults       []*fault
	failures     map[string]snapshotFault
	latency      time.Duration
	duration     time.Duration
	// PauseSnapshots: every snapshot paused, or only those of these names,
	// and the paused snapshots whose time to end has come, which end at
	// ResumeSnapshots.
	pauseAll        bool
	pauseNames      map[string]bool
	pausedSnapshots []*snapshot
	// heldRequests: the hold and cut controls of requests (HoldNext,
	// CutConnections), with a lock of their own.
	heldRequests requestHolds
	clockOffset  atomic.Int64 // a time.Duration
	// controls are the emulator's own API, under /_emulator/.
	controls *http.ServeMux
}

// Request is one Elasticsearch API request the emulator answered.
type Request struct {
	Method   string        `json:"method"`
	Path     string        `json:"path"`
	Query    string        `json:"query"`
	Status   int           `json:"status"`
	Duration time.Duration `json:"duration_ns"`
}

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

type snapshotFault struct {
	state  string
	reason string
}

// New returns an empty emulator: no index, no repository. An engine it
// does not know answers as Elasticsearch 7.17 (ParseEngine checks names).
func New(cfg Config) *Emulator {
	d, ok := dialects[cfg.Engine]
	if !ok {
		d = dialects[Elasticsearch717]
	}
	e := &Emulator{
		cfg:          cfg,
		d:            d,
		clusterID:    randomID(),
		nodeID:       randomID(),
		indices:      map[string]*index{},
		repositories: map[string]*repository{},
		stores:       map[string]*store{},
		failures:     map[string]snapshotFault{},
		duration:     cfg.SnapshotDuration,
	}
	e.clockOffset.Store(int64(cfg.ClockOffset))
	e.controls = e.controlMux()
	return e
}

// SetClockOffset moves the emulator's clock to the wall clock plus d
// (negative: into the past), for the times stamped from now on: snapshots
// and indices already there keep theirs (AgeSnapshots moves those).
func (e *Emulator) SetClockOffset(d time.Duration) { e.clockOffset.Store(int64(d)) }

// ClockOffset is how far the emulator's clock is from the wall clock.
func (e *Emulator) ClockOffset() time.Duration { return time.Duration(e.clockOffset.Load()) }

// Now is the emulator's clock: the wall clock plus ClockOffset.
func (e *Emulator) Now() time.Time { return time.Now().Add(e.ClockOffset()) }

// Engine is the engine the emulator answers as.
func (e *Emulator) Engine() Engine { return e.d.engine }

// Version is the version of the engine the emulator answers as.
func (e *Emulator) Version() string { return e.d.version }

// Product is "Elasticsearch" or "OpenSearch".
func (e *Emulator) Product() string { return e.d.product }

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

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:22]
}

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
func (d *answerDropper) WriteHeader(int)             {}
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

// glob matches s against a pattern where * matches any run of characters
// (slashes included), as Elasticsearch's simple match does.
func glob(pattern, s string) bool {
	if pattern == "*" {
		return true
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

func isPattern(s string) bool { return strings.Contains(s, "*") }

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

// SetSnapshotDuration sets how long snapshots created from now on stay
// IN_PROGRESS.
func (e *Emulator) SetSnapshotDuration(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.duration = d
}

// FailSnapshot makes the snapshot with this name (in any repository) end in
// state FAILED, PARTIAL or INCOMPATIBLE with reason, when it completes. A
// snapshot that has already completed is changed at once.
func (e *Emulator) FailSnapshot(name, state, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failures[name] = snapshotFault{state: state, reason: reason}
	for _, r := range e.repositories {
		if s, ok := r.snapshots[name]; ok && s.state != stateInProgress {
			s.applyOutcome(snapshotFault{state: state, reason: reason})
		}
	}
}

// AgeSnapshots moves the start (and, once ended, the end) of every
// snapshot of repo whose name starts with prefix back by d, as if it had
// been taken that much earlier: tests of schedules and retention use it
// instead of waiting. It returns how many it moved.
func (e *Emulator) AgeSnapshots(repo, prefix string, d time.Duration) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repo]
	if !ok {
		return 0
	}
	n := 0
	for name, s := range r.snapshots {
		if strings.HasPrefix(name, prefix) {
			s.start = s.start.Add(-d)
			if !s.end.IsZero() && s.state != stateInProgress {
				s.end = s.end.Add(-d)
			}
			n++
		}
	}
	return n
}

// PauseSnapshots keeps snapshots IN_PROGRESS until ResumeSnapshots: every
// snapshot, or with names only the snapshots of those names (in any
// repository, including those not created yet).
func (e *Emulator) PauseSnapshots(names ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(names) == 0 {
		e.pauseAll = true
		return
	}
	if e.pauseNames == nil {
		e.pauseNames = map[string]bool{}
	}
	for _, n := range names {
		e.pauseNames[n] = true
	}
}

// ResumeSnapshots ends the snapshots paused by PauseSnapshots whose time has
// come; the others end on their own time.
func (e *Emulator) ResumeSnapshots() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pauseAll = false
	e.pauseNames = nil
	paused := e.pausedSnapshots
	e.pausedSnapshots = nil
	for _, s := range paused {
		e.finishLocked(s)
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
