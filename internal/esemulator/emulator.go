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
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"log"
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
	// controls are the emulator's own API, under /_emulator/.
	controls *http.ServeMux
	// moreControls are controls served beside them by path prefix
	// (HandleControls: the Camunda twin's), string → http.Handler.
	moreControls sync.Map

	mu           sync.Mutex
	indices      map[string]*index
	repositories map[string]*repository
	stores       map[string]*store
	requests     []Request
	faults       []*fault
	failures     map[string]snapshotFault
	// restoreFaults: snapshot indices whose primary shard fails its next
	// restore (FailRestoreOf).
	restoreFaults map[string]bool
	latency       time.Duration
	duration      time.Duration
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
	// disk is the node's disk (allocation.go), under mu.
	disk diskState
}

// New returns an empty emulator: no index, no repository. An engine it
// does not know answers as Elasticsearch 7.17 (ParseEngine checks names).
func New(cfg Config) *Emulator {
	d, ok := dialects[cfg.Engine]
	if !ok {
		d = dialects[Elasticsearch717]
	}
	e := &Emulator{
		cfg:           cfg,
		d:             d,
		clusterID:     randomID(),
		nodeID:        randomID(),
		indices:       map[string]*index{},
		repositories:  map[string]*repository{},
		stores:        map[string]*store{},
		failures:      map[string]snapshotFault{},
		restoreFaults: map[string]bool{},
		duration:      cfg.SnapshotDuration,
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

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:22]
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

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
